//! Shared set-up of the infra integration tests: a migrated, seeded store of its own per test.

use edaibiao_domain::account::{Actor, Phone};
use edaibiao_infra::{Cache, DbSettings, Store, accounts, seed};
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
    settings.migrate().await.expect("migrate");
    let store = Store::new(settings.connect().await.expect("connect"), cache);
    seed::seed_if_empty(&store).await.expect("seed");
    Some(store)
}

/// The demo account with `phone`, as the use cases see it.
#[allow(dead_code, reason = "each test crate compiles this module; not all of them act as an account")]
pub async fn actor(store: &Store, phone: &str) -> Actor {
    let phone = Phone::parse(phone).unwrap();
    let found = accounts::with_phone(store, &phone).await;
    let account = found.ok().flatten().unwrap_or_else(|| panic!("no account {}", phone.as_str()));
    let congress = accounts::deputy_congress(&store.db, &account).await.unwrap();
    accounts::actor_of(&account, congress).unwrap()
}
