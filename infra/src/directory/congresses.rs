//! Congresses: one per level, region and term.

use super::keyset_page;
use crate::Store;
use crate::entity::congress;
use crate::error::{Result, stored};
use crate::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::directory::{CongressDraft, CongressLevel, Term, may_manage_directory};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// A people's congress (人民代表大会): one level, one region, one term.
#[derive(Debug, Clone, PartialEq)]
pub struct Congress {
    pub id: Uuid,
    pub name: String,
    pub level: CongressLevel,
    pub region: String,
    pub term: Term,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Congress {
    pub(crate) fn from_row(row: congress::Model) -> Result<Self> {
        Ok(Self {
            level: stored("congress level", row.id, CongressLevel::parse(&row.level))?,
            term: stored("congress term", row.id, Term::parse(row.term))?,
            id: row.id,
            name: row.name,
            region: row.region,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

pub async fn create(store: &Store, actor: &Actor, draft: CongressDraft) -> Result<Congress> {
    may_manage_directory(actor, None)?;
    let now = Utc::now();
    let model = congress::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(draft.name),
        level: Set(draft.level.as_str().to_owned()),
        region: Set(draft.region),
        term: Set(draft.term.get()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Congress::from_row(congress::Entity::insert(model).exec_with_returning(&store.db).await?)
}

pub async fn update(store: &Store, actor: &Actor, id: Uuid, draft: CongressDraft) -> Result<Congress> {
    let current = super::managed_congress(&store.db, actor, id).await?;
    let mut model: congress::ActiveModel = current.into();
    model.name = Set(draft.name);
    model.level = Set(draft.level.as_str().to_owned());
    model.region = Set(draft.region);
    model.term = Set(draft.term.get());
    model.updated_at = Set(Utc::now());
    Congress::from_row(model.update(&store.db).await?)
}

/// Congresses, optionally of one level.
pub async fn list(
    store: &Store,
    level: Option<CongressLevel>,
    request: PageRequest,
) -> Result<Page<Congress>> {
    let mut select = congress::Entity::find();
    if let Some(level) = level {
        select = select.filter(congress::Column::Level.eq(level.as_str()));
    }
    keyset_page(&store.db, select, congress::Column::Id, request).await?.try_map(Congress::from_row)
}
