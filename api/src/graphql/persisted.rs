//! Persisted queries as Apollo's clients speak them (`extensions.persistedQuery`), and trusted documents.
//!
//! Automatic persisted queries: a client sends `{ version: 1, sha256Hash }` alone; the server answers
//! PERSISTED_QUERY_NOT_FOUND when it does not know the hash, the client sends the text with the hash once,
//! the server checks the hash, runs it and registers it ([`edaibiao_infra::persisted_queries`]), and from
//! then on the hash alone runs it, over POST or GET (so CDNs can cache queries).
//!
//! Trusted documents (`TRUSTED_DOCUMENTS`): the app's operations, extracted at release into a manifest.
//! The server then runs only those, whether a client names them by id or sends their text, over HTTP and
//! WebSocket alike; nothing can be registered at run time. A stolen token then reaches only what the app's
//! screens ask for, and an attacker cannot shape a query of their own.

use crate::graphql::error::ErrorCode;
use edaibiao_infra::persisted_queries::{DocumentHash, PersistedQueries};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Why a request's persisted query cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersistedError {
    /// The hash is unknown: send the text with it (Apollo's clients do so by themselves).
    #[error("PersistedQueryNotFound")]
    NotFound,
    /// Not `{ version: 1, sha256Hash: "<64 hex digits>" }`.
    #[error("extensions.persistedQuery must be {{ version: 1, sha256Hash: <64 hex digits> }}")]
    Malformed,
    /// The text sent with the hash has another hash.
    #[error("provided sha does not match query")]
    HashMismatch,
    /// Neither a query nor a persisted query.
    #[error("the request has no query: send `query`, or `extensions.persistedQuery`")]
    Missing,
}

impl PersistedError {
    pub fn code(&self) -> ErrorCode {
        match self {
            PersistedError::NotFound => ErrorCode::PersistedQueryNotFound,
            PersistedError::Malformed | PersistedError::HashMismatch | PersistedError::Missing => {
                ErrorCode::BadRequest
            }
        }
    }
}

/// The document a request runs, and whether to register it once it ran.
#[derive(Debug, PartialEq, Eq)]
pub struct Resolved {
    pub query: String,
    /// The text came with a valid hash and this server registers documents at run time.
    pub register: bool,
}

/// A request's `extensions.persistedQuery`, read once.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PersistedQueryRef {
    /// As the client wrote it: trusted documents may be named by ids of the build tool's choosing.
    id: String,
    hash: Option<DocumentHash>,
}

impl PersistedQueryRef {
    fn parse(extensions: &serde_json::Map<String, Value>) -> Result<Option<Self>, PersistedError> {
        let Some(persisted) = extensions.get("persistedQuery") else { return Ok(None) };
        let version = persisted.get("version").and_then(Value::as_i64);
        let id = persisted.get("sha256Hash").and_then(Value::as_str);
        match (version, id) {
            (Some(1), Some(id)) if !id.is_empty() && id.len() <= 128 => {
                Ok(Some(Self { id: id.to_owned(), hash: DocumentHash::parse(id) }))
            }
            _ => Err(PersistedError::Malformed),
        }
    }
}

/// Where persisted documents come from: registrations at run time, or only the trusted manifest.
#[derive(Clone)]
pub struct Persisted {
    pub store: Arc<PersistedQueries>,
    pub trusted: Option<Arc<TrustedDocuments>>,
}

impl Persisted {
    /// The document to run for a request's `query` and `extensions`.
    pub async fn resolve(
        &self,
        query: Option<String>,
        extensions: &serde_json::Map<String, Value>,
    ) -> Result<Resolved, PersistedError> {
        let persisted = PersistedQueryRef::parse(extensions)?;
        match (query, persisted) {
            (Some(query), None) => Ok(Resolved { query, register: false }),
            (None, None) => Err(PersistedError::Missing),
            (Some(query), Some(persisted)) => {
                if let Some(trusted) = &self.trusted {
                    // The guard refuses the text unless it is trusted; the id must name that text.
                    return match trusted.get(&persisted.id) {
                        Some(known) if *known == *query => Ok(Resolved { query, register: false }),
                        Some(_) => Err(PersistedError::HashMismatch),
                        None => Ok(Resolved { query, register: false }),
                    };
                }
                if persisted.hash != Some(DocumentHash::of(&query)) {
                    return Err(PersistedError::HashMismatch);
                }
                Ok(Resolved { query, register: true })
            }
            (None, Some(persisted)) => {
                let found = match (&self.trusted, persisted.hash) {
                    (Some(trusted), _) => trusted.get(&persisted.id),
                    (None, Some(hash)) => self.store.get(&hash).await,
                    (None, None) => None,
                };
                let query = found.ok_or(PersistedError::NotFound)?;
                Ok(Resolved { query: query.to_string(), register: false })
            }
        }
    }

    /// Registers a document that ran (never in trusted-documents mode).
    pub async fn register(&self, query: &str) {
        if self.trusted.is_none() {
            self.store.put(query).await;
        }
    }
}

/// The app's operations, as its build wrote them at release.
#[derive(Debug, Default)]
pub struct TrustedDocuments {
    by_id: HashMap<String, Arc<str>>,
    hashes: HashSet<DocumentHash>,
}

/// Why a trusted-documents manifest cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
    #[error(
        "not a manifest: expected Apollo's persisted-query manifest ({{\"format\": \"apollo-persisted-query-manifest\", \"operations\": [{{\"id\", \"body\"}}]}}) or a JSON object of id → document"
    )]
    Shape,
    #[error("the manifest holds no operation")]
    Empty,
}

impl TrustedDocuments {
    /// Reads a manifest file (see [`TrustedDocuments::from_manifest`]).
    pub fn load(path: &str) -> Result<Self, ManifestError> {
        let text = std::fs::read_to_string(path).map_err(|e| ManifestError::Read(path.to_owned(), e))?;
        Self::from_manifest(&text)
    }

    /// Reads the two manifest shapes client build tools write: Apollo's
    /// (`@apollo/generate-persisted-query-manifest`) and the plain `{ id: document }` object of Relay's
    /// compiler and GraphQL Code Generator's persisted documents.
    pub fn from_manifest(json: &str) -> Result<Self, ManifestError> {
        let value: Value = serde_json::from_str(json).map_err(|_| ManifestError::Shape)?;
        let object = value.as_object().ok_or(ManifestError::Shape)?;
        let mut docs = Self::default();
        if object.get("format").and_then(Value::as_str) == Some("apollo-persisted-query-manifest") {
            let operations =
                object.get("operations").and_then(Value::as_array).ok_or(ManifestError::Shape)?;
            for operation in operations {
                let id = operation.get("id").and_then(Value::as_str);
                let body = operation.get("body").and_then(Value::as_str);
                let (Some(id), Some(body)) = (id, body) else { return Err(ManifestError::Shape) };
                docs.insert(id, body);
            }
        } else {
            for (id, body) in object {
                docs.insert(id, body.as_str().ok_or(ManifestError::Shape)?);
            }
        }
        if docs.by_id.is_empty() {
            return Err(ManifestError::Empty);
        }
        Ok(docs)
    }

    fn insert(&mut self, id: &str, body: &str) {
        self.hashes.insert(DocumentHash::of(body));
        self.by_id.insert(id.to_ascii_lowercase(), Arc::from(body));
    }

    /// The document named `id` (ids are compared without regard to case: they are usually hex).
    pub fn get(&self, id: &str) -> Option<Arc<str>> {
        self.by_id.get(&id.to_ascii_lowercase()).cloned()
    }

    /// Whether a document with this hash is trusted.
    pub fn contains(&self, hash: &DocumentHash) -> bool {
        self.hashes.contains(hash)
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use edaibiao_infra::Cache;
    use serde_json::json;

    fn extensions(value: Value) -> serde_json::Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    fn apq(hash: &str) -> serde_json::Map<String, Value> {
        extensions(json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } }))
    }

    const Q: &str = "{ __typename }";

    #[tokio::test]
    async fn the_automatic_protocol_registers_then_runs_by_hash() {
        let persisted = Persisted { store: Arc::new(PersistedQueries::new(Cache::local())), trusted: None };
        let hash = DocumentHash::of(Q).to_hex();
        assert_eq!(persisted.resolve(None, &apq(&hash)).await, Err(PersistedError::NotFound));
        let sent = persisted.resolve(Some(Q.into()), &apq(&hash)).await;
        assert_eq!(sent, Ok(Resolved { query: Q.into(), register: true }));
        persisted.register(Q).await;
        assert_eq!(
            persisted.resolve(None, &apq(&hash)).await,
            Ok(Resolved { query: Q.into(), register: false })
        );
        let wrong = DocumentHash::of("{ other }").to_hex();
        assert_eq!(persisted.resolve(Some(Q.into()), &apq(&wrong)).await, Err(PersistedError::HashMismatch));
    }

    #[tokio::test]
    async fn malformed_extensions_and_empty_requests_are_refused() {
        let persisted = Persisted { store: Arc::new(PersistedQueries::new(Cache::local())), trusted: None };
        for bad in [
            json!({ "persistedQuery": "x" }),
            json!({ "persistedQuery": { "version": 2, "sha256Hash": "ab" } }),
            json!({ "persistedQuery": { "version": 1 } }),
            json!({ "persistedQuery": { "version": 1, "sha256Hash": "x".repeat(200) } }),
        ] {
            assert_eq!(persisted.resolve(None, &extensions(bad)).await, Err(PersistedError::Malformed));
        }
        assert_eq!(persisted.resolve(None, &serde_json::Map::new()).await, Err(PersistedError::Missing));
    }

    #[tokio::test]
    async fn trusted_mode_runs_only_the_manifest_and_registers_nothing() {
        let manifest = json!({
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": [{ "id": "Op1", "name": "Typename", "type": "query", "body": Q }],
        });
        let trusted = TrustedDocuments::from_manifest(&manifest.to_string()).map_err(|e| e.to_string());
        let trusted = Arc::new(trusted.unwrap_or_else(|e| panic!("{e}")));
        assert!(trusted.contains(&DocumentHash::of(Q)));
        let persisted =
            Persisted { store: Arc::new(PersistedQueries::new(Cache::local())), trusted: Some(trusted) };
        assert_eq!(
            persisted.resolve(None, &apq("op1")).await,
            Ok(Resolved { query: Q.into(), register: false })
        );
        assert_eq!(persisted.resolve(None, &apq("op2")).await, Err(PersistedError::NotFound));
        let other = "{ me { id } }";
        assert_eq!(
            persisted.resolve(Some(other.into()), &apq("op1")).await,
            Err(PersistedError::HashMismatch)
        );
        persisted.register(other).await;
        let hash = DocumentHash::of(other).to_hex();
        assert_eq!(persisted.resolve(None, &apq(&hash)).await, Err(PersistedError::NotFound));
    }

    #[test]
    fn reads_both_manifest_shapes() {
        let plain = TrustedDocuments::from_manifest(&json!({ "abc": Q, "def": "{ me { id } }" }).to_string());
        assert_eq!(plain.map(|d| d.len()).ok(), Some(2));
        for bad in ["[]", "{}", "{\"a\": 1}", "{\"format\": \"apollo-persisted-query-manifest\"}", "nope"] {
            assert!(TrustedDocuments::from_manifest(bad).is_err(), "{bad}");
        }
    }
}
