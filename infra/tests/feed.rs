//! Live feeds against a real database: a subscriber gets every record of its topic once and in order,
//! whatever the bus loses, repeats or reorders, and the relay publishes only what was committed.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use edaibiao_infra::entity::{account, notification};
use edaibiao_infra::feed::{self, Topic};
use edaibiao_infra::notifications::{self, Message};
use edaibiao_infra::{Store, outbox};
use futures_util::StreamExt;
use sea_orm::{EntityTrait, TransactionTrait};
use std::time::Duration;
use uuid::Uuid;

mod common;

async fn some_account(store: &Store) -> Uuid {
    let found = account::Entity::find().one(&store.db).await.ok().flatten();
    found.expect("the seed has accounts").id
}

/// Writes `titles` to the account's inbox in one committed transaction, without publishing.
async fn notify(store: &Store, account: Uuid, titles: &[&str]) {
    let txn = store.db.begin().await.unwrap();
    let messages: Vec<(Vec<Uuid>, Message<'_>)> = titles
        .iter()
        .map(|title| {
            let message =
                Message { kind: "TEST", title, body: None, subject_kind: "Suggestion", subject_id: None };
            (vec![account], message)
        })
        .collect();
    notifications::write_all(&txn, &messages, None).await.unwrap();
    txn.commit().await.unwrap();
}

async fn next_title(
    stream: &mut (impl futures_util::Stream<Item = Result<notification::Model, edaibiao_infra::Error>> + Unpin),
) -> Option<String> {
    match tokio::time::timeout(Duration::from_millis(500), stream.next()).await {
        Ok(Some(Ok(n))) => Some(n.title),
        Ok(Some(Err(e))) => panic!("feed failed: {e}"),
        Ok(None) => panic!("feed ended"),
        Err(_) => None,
    }
}

#[tokio::test]
async fn a_subscriber_gets_each_record_once_in_order_whatever_the_bus_does() {
    for postgres in [false, true] {
        if let Some(store) = common::store(postgres).await {
            each_record_once_in_order(store).await;
        }
    }
}

async fn each_record_once_in_order(store: Store) {
    let account = some_account(&store).await;
    let topic = Topic::Inbox(account);
    notify(&store, account, &["before"]).await;
    let mut live = Box::pin(feed::follow::<notification::Model>(store.clone(), topic, None));
    // Starting from now: nothing old, and nothing until something is published.
    assert_eq!(next_title(&mut live).await, None);

    notify(&store, account, &["one", "two", "three"]).await;
    let payload = |seq: i64| format!("{{\"seq\":{seq}}}");
    // The inbox now holds 1..4 ("before", "one", "two", "three"). The bus skips 2 and delivers 3 before 2,
    // neither as a readable record: the gap sends the feed to the database for everything after 1, and the
    // late 2 is dropped as already given.
    let key = topic.key();
    let _ = store.bus.publish(&[(&key, 3, &payload(3)), (&key, 2, &payload(2))]).await;
    assert_eq!(next_title(&mut live).await.as_deref(), Some("one"));
    assert_eq!(next_title(&mut live).await.as_deref(), Some("two"));
    assert_eq!(next_title(&mut live).await.as_deref(), Some("three"));
    assert_eq!(next_title(&mut live).await, None, "the second message adds nothing");

    // The relay publishes what is committed (all four rows); the feed drops what it already gave.
    notify(&store, account, &["four"]).await;
    let published = outbox::relay_once(&store, &store.bus).await.unwrap();
    assert_eq!(published, 5);
    assert_eq!(next_title(&mut live).await.as_deref(), Some("four"));
    assert_eq!(next_title(&mut live).await, None);
    assert_eq!(outbox::relay_once(&store, &store.bus).await.ok(), Some(0), "published rows are marked");

    // Resuming after "one" (number 2) gives the rest; a lagging subscriber is told to resync and catches up.
    let mut resumed = Box::pin(feed::follow::<notification::Model>(store.clone(), topic, Some(2)));
    for title in ["two", "three", "four"] {
        assert_eq!(next_title(&mut resumed).await.as_deref(), Some(title));
    }
    store.bus.hub().resync_all();
    assert_eq!(next_title(&mut resumed).await, None);
}

#[tokio::test]
async fn inbox_numbers_are_gap_free_per_account() {
    let Some(store) = common::store(false).await else { return };
    let account = some_account(&store).await;
    for _ in 0..3 {
        notify(&store, account, &["a", "b"]).await;
    }
    let mut seqs: Vec<i64> = notification::Entity::find()
        .all(&store.db)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|n| n.seq)
        .collect();
    seqs.sort_unstable();
    assert_eq!(seqs, [1, 2, 3, 4, 5, 6]);
}
