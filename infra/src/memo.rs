//! A short-lived in-process copy of directory records that nearly every list shows (deputies' and units'
//! names): data loaders read them from memory instead of one query per relation per request. Edits made
//! through this instance forget the copy at once; other instances see them within the time to live.

use crate::directory::{Deputy, HandlingUnit};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long a copy is served before it is read again.
pub const TIME_TO_LIVE: Duration = Duration::from_secs(30);

/// Records by id, each with the moment it stops being served.
pub struct Memo<V> {
    entries: Mutex<HashMap<Uuid, (V, Instant)>>,
}

impl<V: Clone> Default for Memo<V> {
    fn default() -> Self {
        Self { entries: Mutex::new(HashMap::new()) }
    }
}

impl<V: Clone> Memo<V> {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, (V, Instant)>> {
        // A panic under this lock cannot leave the map half-written.
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The fresh copies of `ids`, and the ids that must be read.
    pub fn get_many(&self, ids: &[Uuid]) -> (HashMap<Uuid, V>, Vec<Uuid>) {
        let now = Instant::now();
        let map = self.lock();
        let mut found = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match map.get(id) {
                Some((value, until)) if *until > now => {
                    found.insert(*id, value.clone());
                }
                _ => missing.push(*id),
            }
        }
        (found, missing)
    }

    pub fn put_all(&self, values: impl IntoIterator<Item = (Uuid, V)>) {
        let until = Instant::now() + TIME_TO_LIVE;
        let mut map = self.lock();
        if map.len() > 50_000 {
            let now = Instant::now();
            map.retain(|_, (_, u)| *u > now);
        }
        map.extend(values.into_iter().map(|(id, v)| (id, (v, until))));
    }

    pub fn forget(&self, id: Uuid) {
        self.lock().remove(&id);
    }
}

/// The memos the directory keeps.
#[derive(Default)]
pub struct DirectoryMemo {
    pub deputies: Memo<Deputy>,
    pub units: Memo<HandlingUnit>,
}

impl DirectoryMemo {
    /// Forgets a record of any kind (ids are unique across tables).
    pub fn forget(&self, id: Uuid) {
        self.deputies.forget(id);
        self.units.forget(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_what_it_holds_and_forgets_on_request() {
        let memo: Memo<&str> = Memo::default();
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        memo.put_all([(a, "甲")]);
        let (found, missing) = memo.get_many(&[a, b]);
        assert_eq!(found.get(&a), Some(&"甲"));
        assert_eq!(missing, vec![b]);
        memo.forget(a);
        assert_eq!(memo.get_many(&[a]).1, vec![a]);
    }
}
