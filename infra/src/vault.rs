//! Keeps personal data unreadable at rest, for every use case (opinions' contact phones, voters' ratings,
//! one-time codes, throttles): AES-256-GCM with a random 96-bit nonce per value, and a keyed digest
//! (HMAC-SHA-256) for counting and finding a phone or an address without storing it. Both keys are derived
//! with HKDF-SHA-256 from one configured secret (`DATA_ENCRYPTION_KEY`).
//!
//! `ring` does the cryptography: it is already in the build (rustls uses it), so this adds no crate.

use crate::Error;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::{hkdf, hmac};
use std::sync::Arc;
use uuid::Uuid;

/// Marks the format and key derivation of a sealed value, so that a later scheme can tell them apart.
const VERSION: &str = "v1";
/// Binds a sealed value to its use: a sealed phone cannot be passed off as another kind of secret.
const AAD: &[u8] = b"edaibiao opinion contact phone";

/// The keys for personal data at rest. Cheap to clone. Debug output shows no key.
#[derive(Clone)]
pub struct Vault {
    seal: Arc<LessSafeKey>,
    digest: Arc<hmac::Key>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(***)")
    }
}

impl Vault {
    /// The shortest secret accepted, in bytes.
    pub const MIN_SECRET_LEN: usize = 32;

    /// Derives the keys from `secret` (at least 32 bytes, e.g. `openssl rand -base64 32`).
    pub fn new(secret: &[u8]) -> Result<Self, Error> {
        if secret.len() < Self::MIN_SECRET_LEN {
            return Err(Error::Internal("the data encryption key is shorter than 32 bytes".into()));
        }
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"edaibiao data keys").extract(secret);
        let failed = |_| Error::Internal("deriving the data keys failed".into());
        let seal: UnboundKey = prk.expand(&[b"seal v1"], &AES_256_GCM).map_err(failed)?.into();
        let digest: hmac::Key = prk.expand(&[b"digest v1"], hmac::HMAC_SHA256).map_err(failed)?.into();
        Ok(Self { seal: Arc::new(LessSafeKey::new(seal)), digest: Arc::new(digest) })
    }

    /// A fixed key for development and tests, where no `DATA_ENCRYPTION_KEY` is set. It is public (it is in
    /// the source), so production refuses to start without a key of its own.
    pub fn development() -> Self {
        Self::new(b"edaibiao development data key - not a secret - do not use in production")
            .unwrap_or_else(|_| unreachable!("the development key is long enough"))
    }

    /// Encrypts `plain` under a fresh random nonce: `v1:<base64url(nonce ‖ ciphertext ‖ tag)>`.
    pub fn seal(&self, plain: &str) -> Result<String, Error> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
        let mut buffer = plain.as_bytes().to_vec();
        self.seal
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(AAD), &mut buffer)
            .map_err(|_| Error::Internal("encryption failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buffer);
        Ok(format!("{VERSION}:{}", URL_SAFE_NO_PAD.encode(out)))
    }

    /// Decrypts what [`Vault::seal`] made. Fails on a value sealed under another key or tampered with.
    pub fn open(&self, sealed: &str) -> Result<String, Error> {
        let refused = || Error::Internal("a sealed value does not open (wrong DATA_ENCRYPTION_KEY?)".into());
        let body = sealed.strip_prefix(VERSION).and_then(|r| r.strip_prefix(':')).ok_or_else(refused)?;
        let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| refused())?;
        if bytes.len() < NONCE_LEN {
            return Err(refused());
        }
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| refused())?;
        let mut buffer = rest.to_vec();
        let plain = self.seal.open_in_place(nonce, Aad::from(AAD), &mut buffer).map_err(|_| refused())?;
        String::from_utf8(plain.to_vec()).map_err(|_| refused())
    }

    /// A keyed digest of `value` for `purpose` (e.g. "phone"): the same value gives the same digest, and
    /// without the key nobody can tell which value it was, however small the set of values.
    pub fn digest(&self, purpose: &str, value: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(purpose, value))
    }

    /// The one digest of a phone number: what opinions, voters' ratings, one-time codes and throttles
    /// keep of it.
    pub fn phone_digest(&self, phone: &str) -> String {
        self.digest("phone", phone)
    }

    /// The one digest of a client address, for throttles and counts.
    pub fn address_digest(&self, client_address: &str) -> String {
        self.digest("address", client_address)
    }

    /// A stable id for `value` (e.g. a client address), for keys that are stored as UUIDs.
    pub fn scope_id(&self, purpose: &str, value: &str) -> Uuid {
        let mac = self.mac(purpose, value);
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(mac.get(..16).unwrap_or(&[0u8; 16]));
        Uuid::from_bytes(bytes)
    }

    fn mac(&self, purpose: &str, value: &str) -> Vec<u8> {
        let mut ctx = hmac::Context::with_key(&self.digest);
        ctx.update(purpose.as_bytes());
        ctx.update(&[0]);
        ctx.update(value.as_bytes());
        ctx.sign().as_ref().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_with_a_fresh_nonce_each_time() {
        let vault = Vault::development();
        let (Ok(a), Ok(b)) = (vault.seal("13812345678"), vault.seal("13812345678")) else { panic!("seal") };
        assert_ne!(a, b, "random nonces");
        assert!(!a.contains("13812345678") && a.starts_with("v1:"));
        assert_eq!(vault.open(&a).ok().as_deref(), Some("13812345678"));
        assert_eq!(vault.open(&b).ok().as_deref(), Some("13812345678"));
    }

    #[test]
    fn another_key_or_a_changed_byte_does_not_open() {
        let vault = Vault::development();
        let Ok(sealed) = vault.seal("13812345678") else { panic!("seal") };
        let other = Vault::new(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        assert!(other.open(&sealed).is_err());
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert!(vault.open(&String::from_utf8_lossy(&tampered)).is_err());
        assert!(vault.open("v1:").is_err() && vault.open("13812345678").is_err());
        assert!(Vault::new(b"short").is_err());
    }

    #[test]
    fn digests_are_keyed_and_stable() {
        let vault = Vault::development();
        let other = Vault::new(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(vault.digest("phone", "13812345678"), vault.digest("phone", "13812345678"));
        assert_ne!(vault.digest("phone", "13812345678"), other.digest("phone", "13812345678"));
        assert_ne!(vault.digest("phone", "13812345678"), vault.digest("address", "13812345678"));
        assert_eq!(vault.phone_digest("13812345678"), vault.digest("phone", "13812345678"));
        assert_eq!(vault.address_digest("1.2.3.4"), vault.digest("address", "1.2.3.4"));
        assert_eq!(vault.scope_id("a", "1.2.3.4"), vault.scope_id("a", "1.2.3.4"));
        assert!(!format!("{vault:?}").contains("development"));
    }
}
