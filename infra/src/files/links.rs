//! Short-lived signed download links: `/files/{token}`, where the token names an attachment (or its
//! thumbnail) and an expiry, signed with HMAC-SHA-256. A link is handed out only to someone who may see
//! the item the file belongs to, so presenting a valid, unexpired token is the permission to download.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::hmac;
use uuid::Uuid;

/// What a link opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub attachment_id: Uuid,
    /// The thumbnail instead of the file.
    pub thumbnail: bool,
    /// Unix seconds after which the link is refused.
    pub expires_at: i64,
}

/// Signs and checks links. Cheap to clone.
#[derive(Clone)]
pub struct LinkSigner {
    key: hmac::Key,
    /// Signs upload links (`PUT /files/uploads/{token}`), so a download token never opens an upload.
    upload_key: hmac::Key,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkSigner(***)")
    }
}

const BODY: usize = 16 + 1 + 8;

impl LinkSigner {
    /// A signer whose key is derived from `secret` (the server's token secret), for this purpose only.
    pub fn new(secret: &[u8]) -> Self {
        let derive = hmac::Key::new(hmac::HMAC_SHA256, secret);
        let key = hmac::sign(&derive, b"edaibiao file links v1");
        let upload_key = hmac::sign(&derive, b"edaibiao upload links v1");
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, key.as_ref()),
            upload_key: hmac::Key::new(hmac::HMAC_SHA256, upload_key.as_ref()),
        }
    }

    /// The token of the upload link of upload `id`, valid until `expires_at` (Unix seconds).
    pub fn sign_upload(&self, id: Uuid, expires_at: i64) -> String {
        let mut body = Vec::with_capacity(24 + 32);
        body.extend_from_slice(id.as_bytes());
        body.extend_from_slice(&expires_at.to_be_bytes());
        let tag = hmac::sign(&self.upload_key, &body);
        body.extend_from_slice(tag.as_ref());
        URL_SAFE_NO_PAD.encode(body)
    }

    /// The upload a token names, if it is well formed, signed by this key and not expired at `now`.
    pub fn open_upload(&self, token: &str, now: i64) -> Option<Uuid> {
        if token.len() > 100 {
            return None;
        }
        let raw = URL_SAFE_NO_PAD.decode(token).ok()?;
        if raw.len() != 24 + 32 {
            return None;
        }
        let (body, tag) = raw.split_at(24);
        hmac::verify(&self.upload_key, body, tag).ok()?;
        let expires_at = i64::from_be_bytes(body[16..24].try_into().ok()?);
        (now <= expires_at).then(|| Uuid::from_slice(&body[..16]).ok()).flatten()
    }

    /// The token for `link`.
    pub fn sign(&self, link: Link) -> String {
        let mut body = Vec::with_capacity(BODY + 32);
        body.extend_from_slice(link.attachment_id.as_bytes());
        body.push(u8::from(link.thumbnail));
        body.extend_from_slice(&link.expires_at.to_be_bytes());
        let tag = hmac::sign(&self.key, &body);
        body.extend_from_slice(tag.as_ref());
        URL_SAFE_NO_PAD.encode(body)
    }

    /// The link a token names, if it is well formed, signed by this key and not expired at `now` (Unix
    /// seconds); `None` otherwise, whatever the reason.
    pub fn open(&self, token: &str, now: i64) -> Option<Link> {
        if token.len() > 100 {
            return None;
        }
        let raw = URL_SAFE_NO_PAD.decode(token).ok()?;
        if raw.len() != BODY + 32 {
            return None;
        }
        let (body, tag) = raw.split_at(BODY);
        hmac::verify(&self.key, body, tag).ok()?;
        let attachment_id = Uuid::from_slice(&body[..16]).ok()?;
        let thumbnail = match body[16] {
            0 => false,
            1 => true,
            _ => return None,
        };
        let expires_at = i64::from_be_bytes(body[17..BODY].try_into().ok()?);
        (now <= expires_at).then_some(Link { attachment_id, thumbnail, expires_at })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_opens_until_it_expires_and_only_with_its_key() {
        let signer = LinkSigner::new(b"a secret of at least thirty-two bytes!!");
        let link = Link { attachment_id: Uuid::now_v7(), thumbnail: true, expires_at: 1_000 };
        let token = signer.sign(link);
        assert_eq!(signer.open(&token, 999), Some(link));
        assert_eq!(signer.open(&token, 1_000), Some(link));
        assert_eq!(signer.open(&token, 1_001), None, "expired");
        assert_eq!(LinkSigner::new(b"another secret of thirty-two bytes!!!!").open(&token, 0), None);
        let mut tampered = URL_SAFE_NO_PAD.decode(&token).unwrap_or_default();
        tampered[16] = 0;
        assert_eq!(signer.open(&URL_SAFE_NO_PAD.encode(tampered), 0), None);
        assert_eq!(signer.open("not a token", 0), None);
    }

    #[test]
    fn an_upload_link_opens_only_as_an_upload_and_until_it_expires() {
        let signer = LinkSigner::new(b"a secret of at least thirty-two bytes!!");
        let id = Uuid::now_v7();
        let token = signer.sign_upload(id, 1_000);
        assert_eq!(signer.open_upload(&token, 1_000), Some(id));
        assert_eq!(signer.open_upload(&token, 1_001), None, "expired");
        assert_eq!(signer.open(&token, 0), None, "not a download link");
        let download = signer.sign(Link { attachment_id: id, thumbnail: false, expires_at: 1_000 });
        assert_eq!(signer.open_upload(&download, 0), None, "a download link opens no upload");
        assert_eq!(LinkSigner::new(b"another secret of thirty-two bytes!!!!").open_upload(&token, 0), None);
    }
}
