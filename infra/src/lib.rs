//! Persistence, cache and pub/sub for e代表, and the use cases that tie a domain rule to the records it
//! reads and writes. No GraphQL here: the API crate calls these functions and maps their errors once.

pub mod accounts;
pub mod cache;
pub mod db;
pub mod directory;
pub mod entity;
mod error;
pub mod migration;
pub mod page;
pub mod secrets;
pub mod seed;
pub mod suggestions;

pub use cache::Cache;
pub use db::{Db, DbSettings};
pub use error::Error;
pub use page::{Page, PageRequest};

/// Everything a use case needs to touch the outside world. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub db: Db,
    pub cache: Cache,
}
