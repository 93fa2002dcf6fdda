//! Persistence, cache and pub/sub for e代表, and the use cases that tie a domain rule to the records it
//! reads and writes. No GraphQL here: the API crate calls these functions and maps their errors once.

pub mod accounts;
pub mod activities;
pub mod appraisals;
pub mod ballots;
pub mod bills;
pub mod bus;
pub mod cache;
mod consents;
pub mod db;
pub mod deputy_contacts;
pub mod deputy_reports;
pub mod directory;
pub mod duty;
pub mod epoch;
// The sea-orm entities are the database's shape: private, so that what leaves this crate is a typed read
// model (`directory::Deputy`, `activities::Activity`, …) built when the row is loaded. Only this crate's own
// tests and examples (feature `test-support`) see them, to set up and inspect rows directly.
#[cfg(feature = "test-support")]
#[doc(hidden)]
pub mod entity;
#[cfg(not(feature = "test-support"))]
mod entity;
mod error;
pub mod evaluations;
pub mod feed;
pub mod files;
pub mod idempotency;
pub mod job;
pub mod learning;
pub mod legislation;
pub mod memo;
pub mod migration;
pub mod moderation;
pub mod notifications;
pub mod one_time_code;
pub mod opinions;
pub mod outbox;
pub mod page;
pub mod persisted_queries;
pub mod personal_data;
pub mod projects;
pub mod push;
pub mod search;
pub mod secrets;
pub mod seed;
pub mod sessions;
pub mod sms;
pub mod statistics;
pub mod suggestions;
pub mod throttle;
mod transaction;
pub mod vault;
pub mod webhook;

pub use cache::Cache;
pub use db::{Db, DbSettings};
pub use error::Error;
pub use page::{Page, PageRequest};

/// Everything a use case needs to touch the outside world. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    /// Connections for requests (every statement counted in `sql_statements`).
    pub db: Db,
    /// The same pool for background jobs (the outbox relay), uncounted, so that a request's statement
    /// count is the request's own.
    pub jobs_db: Db,
    pub cache: Cache,
    /// How many SQL statements this instance has run: for metrics, and for tests that prove a list costs
    /// a fixed number of queries whatever its length.
    pub sql_statements: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Deputies and units as lists show them, kept briefly in memory.
    pub directory: std::sync::Arc<memo::DirectoryMemo>,
    /// Live delivery to subscribers (in process, or across instances through Redis).
    pub bus: bus::Bus,
    /// Rung after each commit that wrote to the outbox, so the relay publishes at once.
    pub doorbell: std::sync::Arc<outbox::Doorbell>,
    /// Revocations this instance could not yet record in the cache (Redis was unreachable).
    pub unrecorded_revocations: std::sync::Arc<sessions::Unrecorded>,
    /// Whether this instance owes the shared data epoch a move ([`epoch`]).
    pub epoch: std::sync::Arc<epoch::Epoch>,
}

impl Store {
    pub fn new(mut db: Db, cache: Cache) -> Self {
        let jobs_db = db.clone();
        let sql_statements = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = sql_statements.clone();
        db.set_metric_callback(move |_| {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        Self {
            db,
            jobs_db,
            cache,
            sql_statements,
            directory: Default::default(),
            bus: bus::Bus::local(),
            doorbell: Default::default(),
            unrecorded_revocations: Default::default(),
            epoch: Default::default(),
        }
    }

    /// The same store publishing through `bus`.
    pub fn with_bus(self, bus: bus::Bus) -> Self {
        Self { bus, ..self }
    }

    /// SQL statements run so far.
    pub fn statements_run(&self) -> u64 {
        self.sql_statements.load(std::sync::atomic::Ordering::Relaxed)
    }
}
pub mod selections;
