//! Persistence, cache and pub/sub for e代表, and the use cases that tie a domain rule to the records it
//! reads and writes. No GraphQL here: the API crate calls these functions and maps their errors once.

pub mod accounts;
pub mod cache;
pub mod db;
pub mod directory;
pub mod entity;
mod error;
pub mod memo;
pub mod migration;
pub mod notifications;
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
    /// How many SQL statements this instance has run: for metrics, and for tests that prove a list costs
    /// a fixed number of queries whatever its length.
    pub sql_statements: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Deputies and units as lists show them, kept briefly in memory.
    pub directory: std::sync::Arc<memo::DirectoryMemo>,
}

impl Store {
    pub fn new(mut db: Db, cache: Cache) -> Self {
        let sql_statements = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = sql_statements.clone();
        db.set_metric_callback(move |_| {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        Self { db, cache, sql_statements, directory: Default::default() }
    }

    /// SQL statements run so far.
    pub fn statements_run(&self) -> u64 {
        self.sql_statements.load(std::sync::atomic::Ordering::Relaxed)
    }
}
