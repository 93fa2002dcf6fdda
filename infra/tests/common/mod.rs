//! Shared set-up of the infra integration tests: a migrated, seeded store of its own per test.

use edaibiao_infra::{Cache, DbSettings, Store, seed};
use uuid::Uuid;

/// A fresh store with demo data: a SQLite file, or (with `postgres`) a PostgreSQL schema and a Redis
/// prefix of its own; `None` when PostgreSQL and Redis are not configured.
pub async fn store(postgres: bool) -> Option<Store> {
    let id = Uuid::new_v4().simple().to_string();
    let (settings, cache) = if postgres {
        let (Ok(db), Ok(redis)) = (std::env::var("TEST_DATABASE_URL"), std::env::var("TEST_REDIS_URL"))
        else {
            eprintln!("skipped: TEST_DATABASE_URL and TEST_REDIS_URL are not set");
            return None;
        };
        let cache = Cache::connect(Some(&redis), &format!("t_{id}")).await.ok()?;
        (DbSettings { url: db, max_connections: 5, schema: Some(format!("t_{id}")) }, cache)
    } else {
        let file = std::env::temp_dir().join(format!("edaibiao-infra-{id}.db"));
        let url = format!("sqlite://{}?mode=rwc", file.display());
        (DbSettings { url, max_connections: 5, schema: None }, Cache::local())
    };
    settings.migrate().await.unwrap_or_else(|e| panic!("migrate: {e}"));
    let store = Store::new(settings.connect().await.unwrap_or_else(|e| panic!("connect: {e}")), cache);
    seed::seed_if_empty(&store).await.unwrap_or_else(|e| panic!("seed: {e}"));
    Some(store)
}
