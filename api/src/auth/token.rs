use super::Viewer;
use chrono::Utc;
use edaibiao_domain::account::{Actor, Role, SessionPolicy};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const ISSUER: &str = "edaibiao";

/// The claims of an access token. They carry the actor's role and affiliations so that a request needs
/// no database read to know who is asking; they are at most one access lifetime out of date.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: Uuid,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub congress: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deputy: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<Uuid>,
    pub sid: Uuid,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
}

impl AccessClaims {
    pub fn viewer(&self) -> Option<Viewer> {
        let role = Role::parse(&self.role).ok()?;
        Some(Viewer {
            actor: Actor {
                user_id: self.sub,
                role,
                congress_id: self.congress,
                unit_id: self.unit,
                deputy_id: self.deputy,
                station_id: self.station,
            },
            session_id: self.sid,
        })
    }
}

/// Signs and verifies access tokens with one HMAC secret. Only HS256 is accepted: `alg: none` and
/// algorithm-swap tokens fail verification.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    policy: SessionPolicy,
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            policy: SessionPolicy::default(),
        }
    }

    /// Seconds an access token lives.
    pub fn access_ttl_secs(&self) -> i64 {
        self.policy.access_ttl.num_seconds()
    }

    /// Issues an access token for `actor` in session `session_id`.
    pub fn issue(&self, actor: &Actor, session_id: Uuid) -> Result<String, jsonwebtoken::errors::Error> {
        let now = Utc::now().timestamp();
        let claims = AccessClaims {
            sub: actor.user_id,
            role: actor.role.as_str().to_owned(),
            congress: actor.congress_id,
            unit: actor.unit_id,
            deputy: actor.deputy_id,
            station: actor.station_id,
            sid: session_id,
            iss: ISSUER.to_owned(),
            iat: now,
            exp: now + self.access_ttl_secs(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// Verifies signature, algorithm, issuer and expiry.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, jsonwebtoken::errors::Error> {
        decode::<AccessClaims>(token, &self.decoding, &self.validation).map(|data| data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn actor() -> Actor {
        Actor {
            user_id: Uuid::now_v7(),
            role: Role::Deputy,
            congress_id: None,
            unit_id: None,
            deputy_id: Some(Uuid::nil()),
            station_id: None,
        }
    }

    #[test]
    fn round_trips_and_rejects_other_secrets() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef");
        let a = actor();
        let Ok(token) = keys.issue(&a, Uuid::nil()) else { panic!("signing failed") };
        let claims = keys.verify(&token).map(|c| c.viewer().map(|v| v.actor));
        assert_eq!(claims.ok().flatten(), Some(a));
        let other = TokenKeys::new(b"another secret of enough length!!");
        assert!(other.verify(&token).is_err());
    }

    #[test]
    fn refuses_alg_none_and_tampering() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef");
        let Ok(token) = keys.issue(&actor(), Uuid::nil()) else { panic!("signing failed") };
        let parts: Vec<&str> = token.split('.').collect();
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys.verify(&format!("{none_header}.{}.", parts[1])).is_err());
        let mut payload = parts[1].to_owned();
        payload.push('A');
        assert!(keys.verify(&format!("{}.{payload}.{}", parts[0], parts[2])).is_err());
    }
}
