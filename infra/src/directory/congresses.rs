//! Congresses: one per level, region and term.

use super::keyset_page;
use crate::Store;
use crate::entity::congress;
use crate::error::Result;
use crate::page::{Page, PageRequest};
use chrono::Utc;
use edaibiao_domain::account::Actor;
use edaibiao_domain::directory::{CongressDraft, may_manage_directory};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

pub async fn create(store: &Store, actor: &Actor, draft: CongressDraft) -> Result<congress::Model> {
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
    Ok(congress::Entity::insert(model).exec_with_returning(&store.db).await?)
}

pub async fn update(store: &Store, actor: &Actor, id: Uuid, draft: CongressDraft) -> Result<congress::Model> {
    let current = super::managed_congress(&store.db, actor, id).await?;
    let mut model: congress::ActiveModel = current.into();
    model.name = Set(draft.name);
    model.level = Set(draft.level.as_str().to_owned());
    model.region = Set(draft.region);
    model.term = Set(draft.term.get());
    model.updated_at = Set(Utc::now());
    Ok(model.update(&store.db).await?)
}

/// Congresses, optionally of one level.
pub async fn list(store: &Store, level: Option<&str>, request: PageRequest) -> Result<Page<congress::Model>> {
    let mut select = congress::Entity::find();
    if let Some(level) = level {
        select = select.filter(congress::Column::Level.eq(level));
    }
    keyset_page(&store.db, select, congress::Column::Id, request).await
}
