//! Conditional GET (RFC 9110 §13.1.2) for queries: an app refreshing a screen sends back the `ETag` it
//! holds in `If-None-Match` and, while the answer is unchanged, gets `304 Not Modified` with no body.
//!
//! The tag is a hash of the answer itself (and of its media type), not a version kept somewhere: the answer
//! is either computed now or a kept one the page cache ([`super::page_cache`]) may still serve, so a 304 is
//! never older than the data, whoever changed it and on whichever instance. What it saves is the payload
//! over a phone's radio. Answers depend on the bearer token, so they are
//! `private` (no shared cache may keep them) and `no-cache` (revalidate every time).
//!
//! The tag is weak (`W/"…"`): async-graphql writes an object's fields in the order they finish resolving,
//! so two equal answers may list sibling fields in another order. The hash reads every object with its keys
//! sorted, so equal answers have equal tags; weak comparison is what `If-None-Match` uses on GET anyway.

use actix_web::HttpResponse;
use actix_web::http::header::{self, EntityTag, Header, IfNoneMatch};
use actix_web::web::Bytes;
use base64::Engine;
use sha2::{Digest, Sha256};

/// What a conditional answer says about caching it.
const CACHE_CONTROL: &str = "private, no-cache";

/// The weak tag of `answer` written as `content_type`: 128 bits of the SHA-256 of its canonical form,
/// URL-safe base64.
pub fn tag(content_type: &str, answer: &async_graphql::Response) -> EntityTag {
    let mut hash = Sha256::new().chain_update(content_type.as_bytes()).chain_update([0]);
    canonical(&mut hash, &answer.data);
    let mut extensions: Vec<_> = answer.extensions.iter().collect();
    extensions.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (name, value) in extensions {
        bytes(&mut hash, name.as_bytes());
        canonical(&mut hash, value);
    }
    EntityTag::new_weak(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&hash.finalize()[..16]))
}

/// Feeds `value` to `hash` unambiguously (a kind byte, then lengths before contents), objects by sorted key.
fn canonical(hash: &mut Sha256, value: &async_graphql::Value) {
    use async_graphql::Value as V;
    match value {
        V::Null => hash.update([0]),
        V::Boolean(b) => hash.update([1, u8::from(*b)]),
        V::Number(n) => {
            hash.update([2]);
            bytes(hash, n.to_string().as_bytes());
        }
        V::String(s) => {
            hash.update([3]);
            bytes(hash, s.as_bytes());
        }
        V::Enum(name) => {
            hash.update([4]);
            bytes(hash, name.as_bytes());
        }
        V::Binary(b) => {
            hash.update([5]);
            bytes(hash, b);
        }
        V::List(items) => {
            hash.update([6]);
            hash.update((items.len() as u64).to_le_bytes());
            items.iter().for_each(|item| canonical(hash, item));
        }
        V::Object(fields) => {
            hash.update([7]);
            hash.update((fields.len() as u64).to_le_bytes());
            let mut sorted: Vec<_> = fields.iter().collect();
            sorted.sort_unstable_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
            for (name, value) in sorted {
                bytes(hash, name.as_bytes());
                canonical(hash, value);
            }
        }
    }
}

fn bytes(hash: &mut Sha256, data: &[u8]) {
    hash.update((data.len() as u64).to_le_bytes());
    hash.update(data);
}

/// Whether the request's `If-None-Match` already names `tag` (weak comparison, as the RFC asks for GET).
/// A header that cannot be read names nothing: the full answer is always safe.
fn client_has(req: &actix_web::HttpRequest, tag: &EntityTag) -> bool {
    if !req.headers().contains_key(header::IF_NONE_MATCH) {
        return false;
    }
    match IfNoneMatch::parse(req) {
        Ok(IfNoneMatch::Any) => true,
        Ok(IfNoneMatch::Items(tags)) => tags.iter().any(|held| held.weak_eq(tag)),
        Err(_) => false,
    }
}

/// The answer to a GET that ran without errors: 200 with `answer` and its tag, or 304 with the tag alone
/// when the client holds it (then the answer is not even serialized).
pub fn respond(
    req: &actix_web::HttpRequest,
    content_type: &str,
    answer: &async_graphql::Response,
) -> HttpResponse {
    let tag = tag(content_type, answer);
    if client_has(req, &tag) {
        return not_modified(tag);
    }
    match serde_json::to_vec(answer) {
        Ok(body) => full(tag, content_type, body.into()),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

/// [`respond`] for an answer already serialized and tagged (a kept one, [`super::page_cache`]).
pub fn respond_tagged(
    req: &actix_web::HttpRequest,
    content_type: &str,
    tag: EntityTag,
    body: Bytes,
) -> HttpResponse {
    if client_has(req, &tag) { not_modified(tag) } else { full(tag, content_type, body) }
}

fn not_modified(tag: EntityTag) -> HttpResponse {
    HttpResponse::NotModified()
        .insert_header(header::ETag(tag))
        .insert_header((header::CACHE_CONTROL, CACHE_CONTROL))
        .finish()
}

fn full(tag: EntityTag, content_type: &str, body: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(header::ETag(tag))
        .insert_header((header::CACHE_CONTROL, CACHE_CONTROL))
        .insert_header((header::CONTENT_TYPE, content_type))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use async_graphql::{Name, Response, Value};

    fn answer(pairs: &[(&str, i32)]) -> Response {
        let object = pairs.iter().map(|(k, v)| (Name::new(k), Value::from(*v))).collect();
        Response::new(Value::Object(object))
    }

    fn status(if_none_match: Option<&str>, answer: &Response) -> u16 {
        let mut req = TestRequest::default();
        if let Some(value) = if_none_match {
            req = req.insert_header((header::IF_NONE_MATCH, value));
        }
        respond(&req.to_http_request(), "application/json", answer).status().as_u16()
    }

    #[test]
    fn answers_304_only_for_a_tag_of_an_equal_answer() {
        let one = answer(&[("a", 1), ("b", 2)]);
        let current = tag("application/json", &one).to_string();
        assert!(current.starts_with("W/\""), "{current}");
        assert_eq!(status(None, &one), 200);
        assert_eq!(status(Some(&current), &one), 304);
        assert_eq!(status(Some(current.trim_start_matches("W/")), &one), 304, "weak comparison");
        assert_eq!(status(Some(&format!("\"other\", {current}")), &one), 304, "one of a list");
        assert_eq!(status(Some("*"), &one), 304);
        assert_eq!(status(Some(&current), &answer(&[("a", 1), ("b", 3)])), 200, "a changed answer");
        assert_eq!(status(Some(&current), &answer(&[("b", 2), ("a", 1)])), 304, "fields in another order");
        assert_eq!(status(Some("not a tag"), &one), 200, "unreadable header");
        // The same answer in another media type is another representation.
        assert_ne!(tag("application/graphql-response+json", &one), tag("application/json", &one));
        // Unambiguous: moving a character between two strings changes the tag.
        let s = |a: &str, b: &str| {
            let object =
                [(Name::new("x"), Value::from(a)), (Name::new("y"), Value::from(b))].into_iter().collect();
            tag("application/json", &Response::new(Value::Object(object)))
        };
        assert_ne!(s("ab", "c"), s("a", "bc"));
    }
}
