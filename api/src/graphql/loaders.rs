//! Per-request data loaders: every relation a list can touch is fetched in one `WHERE id IN (...)` query
//! per type, whatever the page size.

use super::error::ApiError;
use async_graphql::dataloader::{DataLoader, Loader};
use edaibiao_domain::attachment::OwnerKind;
use edaibiao_infra::Store;
use edaibiao_infra::accounts::Account;
use edaibiao_infra::directory::{self as dir, deputies, lookup, named};
use edaibiao_infra::files;
use edaibiao_infra::suggestions;
use std::collections::HashMap;
use uuid::Uuid;

/// Loads records of every type by id; keyed by one newtype per type.
pub struct StoreLoader(pub Store);

/// The request's loaders: batched loads of every type, and the directory's in-process memo first.
///
/// async-graphql's `DataLoader` starts each batch after a timer (`tokio::time::sleep`, even of zero, which
/// tokio rounds up to its next 1 ms tick), so every level of relations waited about a millisecond even when
/// the answer was already in memory: the list's lead deputies and units cost two such waits per request
/// (measured in BENCHMARKS.md, issue 20). Deputies and units that this instance remembers
/// ([`edaibiao_infra::memo`]) are now answered at once; everything else is batched as before.
pub struct Loaders {
    batched: DataLoader<StoreLoader>,
    store: Store,
}

/// A fresh set for one request. A batch fires once the resolvers of one level have all asked (they are
/// polled together before the load task runs), so it needs no delay of its own: the default 1 ms added a
/// timer wake-up per relation and showed up as system CPU under load.
pub fn loaders(store: Store) -> Loaders {
    let batched = DataLoader::new(StoreLoader(store.clone()), tokio::spawn).delay(std::time::Duration::ZERO);
    Loaders { batched, store }
}

impl Loaders {
    /// One record by key, from the memo when it holds it, else in the batch of its level.
    pub async fn load_one<K>(&self, key: K) -> Result<Option<<StoreLoader as Loader<K>>::Value>, ApiError>
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        StoreLoader: Loader<K, Error = ApiError>,
    {
        if let Some(found) = self.remembered(std::slice::from_ref(&key)).and_then(|mut m| m.remove(&key)) {
            return Ok(Some(found));
        }
        self.batched.load_one(key).await
    }

    /// Records by key, from the memo when it holds them all, else in the batch of their level.
    pub async fn load_many<K, I>(
        &self,
        keys: I,
    ) -> Result<HashMap<K, <StoreLoader as Loader<K>>::Value>, ApiError>
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        I: IntoIterator<Item = K>,
        StoreLoader: Loader<K, Error = ApiError>,
    {
        let keys: Vec<K> = keys.into_iter().collect();
        if let Some(found) = self.remembered(&keys) {
            return Ok(found);
        }
        self.batched.load_many(keys).await
    }

    /// The deputies of `ids` in that order, without any that no longer exist: the lists of people a record
    /// names (committees, voters, groups, deputies on duty).
    pub async fn deputies_in_order(&self, ids: &[Uuid]) -> Result<Vec<dir::Deputy>, ApiError> {
        let found = self.load_many(ids.iter().copied().map(DeputyKey)).await?;
        Ok(ids.iter().filter_map(|id| found.get(&DeputyKey(*id)).cloned()).collect())
    }

    /// All of `keys` from the directory memo, if they are deputy or unit keys and every one is fresh there.
    /// The key type is only known generically here, so it is matched at run time (`Any`); for other
    /// types this is one failed type check.
    fn remembered<K, V>(&self, keys: &[K]) -> Option<HashMap<K, V>>
    where
        K: std::hash::Hash + Eq + Clone + 'static,
        V: 'static,
    {
        use std::any::Any;
        fn all<M: Clone + 'static>(
            memo: &edaibiao_infra::memo::Memo<M>,
            ids: &[Uuid],
        ) -> Option<Vec<Box<dyn Any>>> {
            let (mut found, missing) = memo.get_many(ids);
            if !missing.is_empty() {
                return None;
            }
            ids.iter().map(|id| found.remove(id).map(|v| Box::new(v) as Box<dyn Any>)).collect()
        }
        let ids = |key: &K| -> Option<Uuid> {
            let key = key as &dyn Any;
            key.downcast_ref::<DeputyKey>()
                .map(|k| k.0)
                .or_else(|| key.downcast_ref::<HandlingUnitKey>().map(|k| k.0))
        };
        let first = keys.first()?;
        let memo = &self.store.directory;
        let values = if (first as &dyn Any).is::<DeputyKey>() {
            all(&memo.deputies, &keys.iter().map(ids).collect::<Option<Vec<_>>>()?)?
        } else if (first as &dyn Any).is::<HandlingUnitKey>() {
            all(&memo.units, &keys.iter().map(ids).collect::<Option<Vec<_>>>()?)?
        } else {
            return None;
        };
        keys.iter().cloned().zip(values).map(|(k, v)| v.downcast::<V>().ok().map(|v| (k, *v))).collect()
    }
}

macro_rules! by_id {
    ($key:ident, $model:ty, $lookup:path) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub Uuid);

        impl Loader<$key> for StoreLoader {
            type Value = $model;
            type Error = ApiError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, $model>, ApiError> {
                let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                let found = $lookup(&self.0, &ids).await?;
                Ok(found.into_iter().map(|(id, model)| ($key(id), model)).collect())
            }
        }
    };
}

by_id!(CongressKey, dir::Congress, lookup::congresses);
by_id!(DeputyKey, dir::Deputy, lookup::deputies);
by_id!(DeputyGroupKey, dir::DeputyGroup, lookup::deputy_groups);
by_id!(CommitteeKey, dir::Committee, lookup::committees);
by_id!(ProfessionalGroupKey, dir::ProfessionalGroup, lookup::professional_groups);
by_id!(HandlingUnitKey, dir::HandlingUnit, lookup::handling_units);
by_id!(LiaisonStationKey, dir::LiaisonStation, lookup::liaison_stations);
by_id!(AccountKey, Account, lookup::accounts);

/// The attachments of an item: its kind and the id they are stored under (`files::Owner::key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttachmentsKey(pub OwnerKind, pub Uuid);

impl Loader<AttachmentsKey> for StoreLoader {
    type Value = Vec<files::Attachment>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[AttachmentsKey],
    ) -> Result<HashMap<AttachmentsKey, Vec<files::Attachment>>, ApiError> {
        let mut by_kind: HashMap<OwnerKind, Vec<Uuid>> = HashMap::new();
        for key in keys {
            by_kind.entry(key.0).or_default().push(key.1);
        }
        let mut found = HashMap::new();
        for (kind, ids) in by_kind {
            for (id, list) in files::of_owners(&self.0, kind, &ids).await? {
                found.insert(AttachmentsKey(kind, id), list);
            }
        }
        Ok(found)
    }
}

/// A suggestion's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimelineKey(pub Uuid);

impl Loader<TimelineKey> for StoreLoader {
    type Value = Vec<suggestions::SuggestionEvent>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[TimelineKey],
    ) -> Result<HashMap<TimelineKey, Vec<suggestions::SuggestionEvent>>, ApiError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = suggestions::timeline(&self.0, &ids).await?;
        Ok(found.into_iter().map(|(id, entries)| (TimelineKey(id), entries)).collect())
    }
}

/// A deputy's expertise tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExpertiseKey(pub Uuid);

impl Loader<ExpertiseKey> for StoreLoader {
    type Value = Vec<String>;
    type Error = ApiError;

    async fn load(&self, keys: &[ExpertiseKey]) -> Result<HashMap<ExpertiseKey, Vec<String>>, ApiError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = deputies::expertise(&self.0, &ids).await?;
        Ok(ids
            .into_iter()
            .map(|id| (ExpertiseKey(id), found.get(&id).cloned().unwrap_or_default()))
            .collect())
    }
}

/// The deputies linked to a committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommitteeMembersKey(pub Uuid);

impl Loader<CommitteeMembersKey> for StoreLoader {
    type Value = Vec<Uuid>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[CommitteeMembersKey],
    ) -> Result<HashMap<CommitteeMembersKey, Vec<Uuid>>, ApiError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut map: HashMap<CommitteeMembersKey, Vec<Uuid>> =
            ids.iter().map(|id| (CommitteeMembersKey(*id), Vec::new())).collect();
        for (committee_id, deputy_id) in named::committee_members(&self.0, &ids).await? {
            map.entry(CommitteeMembersKey(committee_id)).or_default().push(deputy_id);
        }
        Ok(map)
    }
}
