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

pub type Loaders = DataLoader<StoreLoader>;

/// A fresh set for one request. The loader fires as soon as the resolvers of one level have all asked
/// (they are polled together before the load task runs), so it needs no timer delay: the default 1 ms delay
/// cost a timer wake-up per relation and showed up as system CPU under load.
pub fn loaders(store: Store) -> Loaders {
    DataLoader::new(StoreLoader(store), tokio::spawn).delay(std::time::Duration::ZERO)
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
