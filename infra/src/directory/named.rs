//! Directory records known by a name and a description within one congress: deputy groups (代表团/代表小组),
//! committees (专工委) and handling units (承办单位). Professional groups add a linked committee.

use super::{Changed, contains_pattern, forget, keyset_page, managed_congress};
use crate::Store;
use crate::entity::{committee, committee_member, deputy, deputy_group, handling_unit, professional_group};
use crate::error::Result;
use crate::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::directory::{NamedDraft, same_congress};
use edaibiao_domain::text::SearchText;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// Which filters a list of named records takes.
#[derive(Debug, Clone, Default)]
pub struct NamedFilter {
    pub congress_id: Option<Uuid>,
    pub name_contains: Option<SearchText>,
}

macro_rules! named_record {
    ($(#[$doc:meta])* $record:ident, $module:ident, $entity:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $record {
            pub id: Uuid,
            pub congress_id: Uuid,
            pub name: String,
            pub description: Option<String>,
            pub created_at: DateTime<Utc>,
            pub updated_at: DateTime<Utc>,
        }

        impl From<$entity::Model> for $record {
            fn from(row: $entity::Model) -> Self {
                let $entity::Model { id, congress_id, name, description, created_at, updated_at } = row;
                Self { id, congress_id, name, description, created_at, updated_at }
            }
        }

        pub mod $module {
            use super::*;

            /// Creates one in `congress_id`.
            pub async fn create(
                store: &Store,
                actor: &Actor,
                congress_id: Uuid,
                draft: NamedDraft,
            ) -> Result<$record> {
                managed_congress(&store.db, actor, congress_id).await?;
                let now = Utc::now();
                let model = $entity::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    congress_id: Set(congress_id),
                    name: Set(draft.name),
                    description: Set(draft.description),
                    created_at: Set(now),
                    updated_at: Set(now),
                };
                Ok($entity::Entity::insert(model).exec_with_returning(&store.db).await?.into())
            }

            /// Replaces name and description.
            pub async fn update(
                store: &Store,
                actor: &Actor,
                id: Uuid,
                draft: NamedDraft,
            ) -> Result<$record> {
                let current = $entity::Entity::find_by_id(id).one(&store.db).await?.ok_or($what)?;
                managed_congress(&store.db, actor, current.congress_id).await?;
                let mut model: $entity::ActiveModel = current.into();
                model.name = Set(draft.name);
                model.description = Set(draft.description);
                model.updated_at = Set(Utc::now());
                let updated = model.update(&store.db).await?;
                forget(store, Changed::Named(id)).await;
                Ok(updated.into())
            }

            /// A page, filtered by congress and name.
            pub async fn list(
                store: &Store,
                filter: &NamedFilter,
                request: PageRequest,
            ) -> Result<Page<$record>> {
                let mut select = $entity::Entity::find();
                if let Some(congress_id) = filter.congress_id {
                    select = select.filter($entity::Column::CongressId.eq(congress_id));
                }
                if let Some(name) = &filter.name_contains {
                    select = select.filter($entity::Column::Name.like(contains_pattern(name)));
                }
                let page = keyset_page(&store.db, select, $entity::Column::Id, request).await?;
                page.try_map(|row| Ok(row.into()))
            }
        }
    };
}

named_record!(
    /// A delegation or deputy group (代表团 / 代表小组).
    DeputyGroup, deputy_groups, deputy_group, "deputy group"
);
named_record!(
    /// A congress committee (专门委员会 / 工作委员会).
    Committee, committees, committee, "committee"
);
named_record!(
    /// A government department or body that handles suggestions (承办单位).
    HandlingUnit, handling_units, handling_unit, "handling unit"
);

/// Deputies grouped by expertise (专业小组), optionally linked to a committee.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfessionalGroup {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub name: String,
    pub committee_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<professional_group::Model> for ProfessionalGroup {
    fn from(row: professional_group::Model) -> Self {
        let professional_group::Model { id, congress_id, name, committee_id, created_at, updated_at } = row;
        Self { id, congress_id, name, committee_id, created_at, updated_at }
    }
}

pub mod professional_groups {
    use super::*;

    /// Creates one in `congress_id`, optionally linked to a committee of the same congress.
    pub async fn create(
        store: &Store,
        actor: &Actor,
        congress_id: Uuid,
        name: NamedDraft,
        committee_id: Option<Uuid>,
    ) -> Result<ProfessionalGroup> {
        managed_congress(&store.db, actor, congress_id).await?;
        check_committee(store, congress_id, committee_id).await?;
        let now = Utc::now();
        let model = professional_group::ActiveModel {
            id: Set(Uuid::now_v7()),
            congress_id: Set(congress_id),
            name: Set(name.name),
            committee_id: Set(committee_id),
            created_at: Set(now),
            updated_at: Set(now),
        };
        Ok(professional_group::Entity::insert(model).exec_with_returning(&store.db).await?.into())
    }

    /// Replaces the name and the linked committee.
    pub async fn update(
        store: &Store,
        actor: &Actor,
        id: Uuid,
        name: NamedDraft,
        committee_id: Option<Uuid>,
    ) -> Result<ProfessionalGroup> {
        let current =
            professional_group::Entity::find_by_id(id).one(&store.db).await?.ok_or("professional group")?;
        managed_congress(&store.db, actor, current.congress_id).await?;
        check_committee(store, current.congress_id, committee_id).await?;
        let mut model: professional_group::ActiveModel = current.into();
        model.name = Set(name.name);
        model.committee_id = Set(committee_id);
        model.updated_at = Set(Utc::now());
        Ok(model.update(&store.db).await?.into())
    }

    async fn check_committee(store: &Store, congress_id: Uuid, committee_id: Option<Uuid>) -> Result<()> {
        if let Some(id) = committee_id {
            let committee = committee::Entity::find_by_id(id).one(&store.db).await?.ok_or("committee")?;
            same_congress("committeeId", congress_id, Some(committee.congress_id))?;
        }
        Ok(())
    }

    pub async fn list(
        store: &Store,
        filter: &NamedFilter,
        request: PageRequest,
    ) -> Result<Page<ProfessionalGroup>> {
        let mut select = professional_group::Entity::find();
        if let Some(congress_id) = filter.congress_id {
            select = select.filter(professional_group::Column::CongressId.eq(congress_id));
        }
        if let Some(name) = &filter.name_contains {
            select = select.filter(professional_group::Column::Name.like(contains_pattern(name)));
        }
        let page = keyset_page(&store.db, select, professional_group::Column::Id, request).await?;
        page.try_map(|row| Ok(row.into()))
    }
}

/// Links a deputy to a committee (对口联系) or unlinks them. Both must be of the same congress.
pub async fn set_committee_link(
    store: &Store,
    actor: &Actor,
    committee_id: Uuid,
    deputy_id: Uuid,
    linked: bool,
) -> Result<Committee> {
    let committee = committee::Entity::find_by_id(committee_id).one(&store.db).await?.ok_or("committee")?;
    managed_congress(&store.db, actor, committee.congress_id).await?;
    let deputy = deputy::Entity::find_by_id(deputy_id).one(&store.db).await?.ok_or("deputy")?;
    same_congress("deputyId", committee.congress_id, Some(deputy.congress_id))?;
    let existing = committee_member::Entity::find_by_id((committee_id, deputy_id)).one(&store.db).await?;
    match (linked, existing) {
        (true, None) => {
            let row =
                committee_member::ActiveModel { committee_id: Set(committee_id), deputy_id: Set(deputy_id) };
            committee_member::Entity::insert(row).exec(&store.db).await?;
        }
        (false, Some(row)) => {
            committee_member::Entity::delete_by_id((row.committee_id, row.deputy_id)).exec(&store.db).await?;
        }
        _ => {}
    }
    Ok(committee.into())
}

/// The deputies linked to each of `committee_ids`, in one query.
pub async fn committee_members(store: &Store, committee_ids: &[Uuid]) -> Result<Vec<(Uuid, Uuid)>> {
    let rows = committee_member::Entity::find()
        .filter(committee_member::Column::CommitteeId.is_in(committee_ids.iter().copied()))
        .order_by_asc(committee_member::Column::DeputyId)
        .all(&store.db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.committee_id, r.deputy_id)).collect())
}

/// A handling unit by id, for checks that need its congress.
pub async fn unit(store: &Store, id: Uuid) -> Result<HandlingUnit> {
    let row = handling_unit::Entity::find_by_id(id).one(&store.db).await?;
    row.map(Into::into).ok_or_else(|| DomainError::NotFound("handling unit").into())
}
