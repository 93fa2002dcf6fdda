//! The data epochs: numbers that move after every committed change a cached answer could show, shared by
//! every instance (Redis counters; in process without Redis). An instance that keeps finished answers
//! (the API's page cache) stamps each with the epochs read *before* running the query and serves it only
//! while they still read the same. Because the epochs move *after* the commit and before the change's own
//! response is sent, a client that reads after its own action never gets an answer from before it, on any
//! instance.
//!
//! There is one global epoch, which every change moves unless it says exactly what it reached, and one per
//! [`ListPart`] of the suggestions: a suggestion's step names the parts holding it before and after
//! ([`Reach::Lists`]), so one deputy's draft moves that deputy's part and leaves the other deputies' kept
//! lists good; sessions reach nothing ([`Reach::NOTHING`]). A page is stamped with the global epoch and
//! the epochs of the parts it read ([`edaibiao_domain::suggestion::Scope::parts`]).
//!
//! When Redis cannot be reached the epochs are unknown and nothing cached may be served: a move that could
//! not be recorded is remembered here and paid, by moving the global epoch, before this instance reads
//! the epochs again.

use crate::Store;
use edaibiao_domain::suggestion::ListPart;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};

/// The cache key of the global counter.
const KEY: &str = "data-epoch";

/// The cache key of a part's counter.
fn part_key(part: &ListPart) -> String {
    match part {
        ListPart::Submitted => format!("{KEY}:submitted"),
        ListPart::Congress(id) => format!("{KEY}:congress:{id}"),
        ListPart::Unit(id) => format!("{KEY}:unit:{id}"),
        ListPart::Deputy(id) => format!("{KEY}:deputy:{id}"),
        ListPart::Public => format!("{KEY}:public"),
    }
}

/// Microseconds since 1970: the least a move of the global epoch takes it to, so that after Redis lost it
/// the global epoch still only grows (it moves far less than once a microsecond).
fn clock() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_micros()).unwrap_or_default()
}

/// What a committed change may have altered of the answers kept from before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Anything: every kept answer is forgotten. The default, so a change that says nothing is safe.
    Everything,
    /// Only lists reading these parts, and nothing else a kept answer shows.
    Lists(BTreeSet<ListPart>),
}

impl Reach {
    /// No kept answer: for changes to what no cacheable field shows (sessions and their tokens).
    pub const NOTHING: Reach = Reach::Lists(BTreeSet::new());
}

/// The epochs an answer was computed at: the global one first, then one per part, in the order asked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stamp(Vec<u64>);

impl From<Vec<u64>> for Stamp {
    /// A stamp of these epochs, the global one first.
    fn from(epochs: Vec<u64>) -> Self {
        Self(epochs)
    }
}

impl Stamp {
    /// The global epoch: a stamp with an older one is useless everywhere.
    pub fn global(&self) -> u64 {
        self.0.first().copied().unwrap_or_default()
    }

    /// This stamp of `asked` (the parts it was read for, in order) as a stamp of `kept` alone, in that
    /// order; `None` when a kept part was not asked for.
    pub fn narrowed(&self, asked: &[ListPart], kept: &[ListPart]) -> Option<Stamp> {
        let epochs = self.0.get(1..)?;
        let mut narrowed = vec![self.global()];
        for part in kept {
            let at = asked.iter().position(|p| p == part)?;
            narrowed.push(*epochs.get(at)?);
        }
        Some(Stamp(narrowed))
    }
}

/// This instance's side of the epochs: how many moves failed since the global counter last moved after
/// them (any number is paid by one move; what matters is that none is outstanding).
#[derive(Default)]
pub struct Epoch {
    owed: AtomicU64,
}

impl Store {
    /// The epochs of `parts` now, after the global one; `None` when they cannot be known (Redis
    /// unreachable, or a move this instance owes could not be recorded yet): then no cached answer may be
    /// used.
    pub async fn data_stamp(&self, parts: &[ListPart]) -> Option<Stamp> {
        self.settle_epoch().await;
        if self.epoch.owed.load(Ordering::Acquire) > 0 {
            return None;
        }
        let keys: Vec<String> = std::iter::once(KEY.to_owned()).chain(parts.iter().map(part_key)).collect();
        let read = async || {
            let mut epochs = self.cache.counters(&keys).await?;
            if epochs.first() == Some(&0) {
                // Redis lost the counters (it keeps nothing across a restart) or never had them: the global
                // one starts from the clock, above every number it held before, so no answer stamped
                // before the loss matches again (the parts' counters start again from nothing).
                self.cache.start_counter(KEY, clock()).await?;
                epochs = self.cache.counters(&keys).await?;
            }
            Ok::<_, crate::Error>(Stamp(epochs))
        };
        match read().await {
            Ok(stamp) => Some(stamp),
            Err(e) => {
                tracing::warn!(error = %e, "cache unreachable; answers are not served from the page cache");
                None
            }
        }
    }

    /// Makes the move this instance owes, if any. The outbox relay calls it every round, so that other
    /// instances stop serving answers from before this instance's change as soon as Redis answers it
    /// again, even when no request comes here. Only a move that starts after the debt was seen pays it:
    /// another change's move still in flight may have reached Redis before the unrecorded commit.
    pub async fn settle_epoch(&self) {
        let owed = self.epoch.owed.load(Ordering::Acquire);
        if owed > 0 && self.cache.bump_to_at_least(KEY, clock()).await.is_ok() {
            // Paid, unless another move failed meanwhile: then that one is still owed.
            let _ = self.epoch.owed.compare_exchange(owed, 0, Ordering::AcqRel, Ordering::Acquire);
        }
    }

    /// Moves the global epoch on: called after a change commits that may have altered anything.
    pub async fn advance_epoch(&self) {
        self.advance_epochs(&Reach::Everything).await;
    }

    /// Moves on the epochs of what a committed change reached. A failure is remembered and paid with a
    /// move of the global epoch (a part's move may have been lost).
    pub async fn advance_epochs(&self, reach: &Reach) {
        let moved = match reach {
            Reach::Everything => self.cache.bump_to_at_least(KEY, clock()).await.map(drop),
            Reach::Lists(parts) if parts.is_empty() => Ok(()),
            Reach::Lists(parts) => {
                self.cache.bump_many(&parts.iter().map(part_key).collect::<Vec<_>>()).await
            }
        };
        if let Err(e) = moved {
            self.epoch.owed.fetch_add(1, Ordering::AcqRel);
            tracing::warn!(error = %e, "cache unreachable; the data epoch will move when it is back");
        }
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, reason = "a panic is a failed test")]
mod tests {
    use super::*;
    use crate::cache::Cache;
    use uuid::Uuid;

    #[tokio::test]
    async fn moves_on_after_each_change_only_where_it_reached() {
        let db = sea_orm::Database::connect("sqlite::memory:").await.expect("an in-memory database");
        let store = Store::new(db, Cache::local());
        let (mine, theirs) = (ListPart::Deputy(Uuid::from_u128(1)), ListPart::Deputy(Uuid::from_u128(2)));
        let stamp = async |part: ListPart| store.data_stamp(&[part, ListPart::Public]).await.expect("known");
        let (first_mine, first_theirs) = (stamp(mine).await, stamp(theirs).await);

        store.advance_epochs(&Reach::Lists([mine].into())).await;
        assert_ne!(stamp(mine).await, first_mine, "my part moved");
        assert_eq!(stamp(theirs).await, first_theirs, "theirs did not");
        assert_eq!(stamp(mine).await, stamp(mine).await, "reading moves nothing");

        let before = (stamp(mine).await, stamp(theirs).await);
        store.advance_epoch().await;
        let after = (stamp(mine).await, stamp(theirs).await);
        assert!(after.0.global() > before.0.global() && after.1.global() > before.1.global(), "all moved");
    }

    #[test]
    fn a_stamp_narrows_to_the_parts_an_answer_read() {
        let (mine, public) = (ListPart::Deputy(Uuid::from_u128(1)), ListPart::Public);
        let stamp = Stamp(vec![9, 4, 7]);
        assert_eq!(stamp.narrowed(&[mine, public], &[mine]), Some(Stamp(vec![9, 4])));
        assert_eq!(stamp.narrowed(&[mine, public], &[public, mine]), Some(Stamp(vec![9, 7, 4])));
        assert_eq!(stamp.narrowed(&[mine, public], &[]), Some(Stamp(vec![9])));
        assert_eq!(stamp.narrowed(&[mine], &[public]), None, "a part not read before the query");
    }

    #[tokio::test]
    async fn a_lost_global_epoch_starts_again_above_every_number_it_held() {
        let db = sea_orm::Database::connect("sqlite::memory:").await.expect("an in-memory database");
        let store = Store::new(db, Cache::local());
        let first = store.data_stamp(&[]).await.expect("known").global();
        assert!(first >= super::clock() - 60_000_000, "started from the clock: {first}");
        store.advance_epoch().await;
        let held = store.data_stamp(&[]).await.expect("known").global();
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        store.cache.del(KEY).await.expect("forgotten");
        let again = store.data_stamp(&[]).await.expect("known").global();
        assert!(again > held, "{again} after {held}");
        store.cache.del(KEY).await.expect("forgotten");
        store.advance_epoch().await;
        assert!(store.data_stamp(&[]).await.expect("known").global() > again, "a move after a loss");
    }
}
