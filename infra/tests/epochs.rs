//! The data epochs on both caches: a suggestion's step moves only the epochs of the list parts it reached,
//! anything else the global one, and a global epoch the cache lost (Redis keeps nothing across a restart)
//! starts again above every number it held, so no answer stamped before the loss is served after it.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

mod common;

use edaibiao_domain::suggestion::ListPart;
use edaibiao_infra::epoch::Reach;
use std::time::Duration;
use uuid::Uuid;

async fn epochs_move_where_reached_and_survive_a_lost_counter(postgres: bool) {
    let Some(store) = common::store(postgres).await else { return };
    let (mine, theirs) = (ListPart::Deputy(Uuid::now_v7()), ListPart::Deputy(Uuid::now_v7()));
    let stamp = async |part: ListPart| store.data_stamp(&[part, ListPart::Public]).await.expect("known");
    let (mine_before, theirs_before) = (stamp(mine).await, stamp(theirs).await);
    store.advance_epochs(&Reach::Lists([mine].into())).await;
    assert_ne!(stamp(mine).await, mine_before);
    assert_eq!(stamp(theirs).await, theirs_before);
    store.advance_epochs(&Reach::NOTHING).await;
    assert_eq!(stamp(theirs).await, theirs_before, "reaching nothing moves nothing");

    store.advance_epoch().await;
    let held = stamp(theirs).await;
    assert!(held.global() > theirs_before.global());
    // The cache loses every counter; the next read starts the global one above what it held.
    tokio::time::sleep(Duration::from_millis(1)).await;
    store.cache.del("data-epoch").await.expect("forgotten");
    let again = stamp(theirs).await;
    assert!(again.global() > held.global(), "{again:?} after {held:?}");
    // And when a move comes first after the loss.
    tokio::time::sleep(Duration::from_millis(1)).await;
    store.cache.del("data-epoch").await.expect("forgotten");
    store.advance_epoch().await;
    assert!(stamp(theirs).await.global() > again.global());
}

#[tokio::test]
async fn embedded() {
    epochs_move_where_reached_and_survive_a_lost_counter(false).await;
}

#[tokio::test]
async fn postgres_redis() {
    epochs_move_where_reached_and_survive_a_lost_counter(true).await;
}
