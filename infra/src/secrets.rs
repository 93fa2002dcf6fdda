//! Password hashing (argon2id with the crate's recommended parameters) and opaque random tokens.

use crate::Error;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edaibiao_domain::account::NewPassword;
use sha2::{Digest, Sha256};

/// Hashes a password into a PHC string (algorithm, parameters and salt included). CPU-heavy: run it on
/// a blocking thread.
pub fn hash_password(password: &NewPassword) -> Result<String, Error> {
    let hash: Result<PasswordHash, _> = Argon2::default().hash_password(password.expose().as_bytes());
    hash.map(|hash| hash.to_string()).map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
}

/// Checks a password against a stored PHC string. A malformed stored hash counts as a mismatch.
pub fn verify_password(password: &str, stored: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), stored).is_ok()
}

/// A hash of a well-formed password nobody knows, checked when a phone number has no account so that
/// "no such account" takes as long as "wrong password" (no probing for registered numbers by timing).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        NewPassword::parse("timing-equaliser-0").ok().and_then(|p| hash_password(&p).ok()).unwrap_or_default()
    })
}

/// 256 random bits, URL-safe base64: refresh tokens and other bearer secrets.
pub fn random_token() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a bearer token: its SHA-256, so a leaked table opens no session.
pub fn token_digest(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_only_the_right_password() {
        let Ok(pw) = NewPassword::parse("correct horse 1") else { panic!("valid password refused") };
        let Ok(hash) = hash_password(&pw) else { panic!("hashing failed") };
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse 1", &hash));
        assert!(!verify_password("correct horse 2", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_long_random_and_digested() {
        let (Ok(a), Ok(b)) = (random_token(), random_token()) else { panic!("no randomness") };
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_ne!(token_digest(&a), a);
        assert_eq!(token_digest(&a), token_digest(&a));
    }
}
