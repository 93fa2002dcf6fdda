//! Small pieces of a request as clients build them: a query-string value, a SHA-256 in hex (Apollo's
//! persisted-query hash, an upload's checksum) and the persisted-query extension.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// `text` percent-encoded for a query string (RFC 3986 unreserved characters kept).
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: impl AsRef<[u8]>) -> String {
    Sha256::digest(bytes.as_ref()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Apollo's automatic persisted-query extension naming the document with `hash`.
pub fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}
