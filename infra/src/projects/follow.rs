//! Citizens following livelihood projects (`domain::project::may_follow`): they hear the responsible
//! unit's progress reports and the deputies' published rating in their inbox, through
//! `Audience::ProjectFollowers` in the project's own notices.

use super::{Project, project_for};
use crate::entity::project_follower;
use crate::error::Result;
use crate::{Error, Store, transaction};
use chrono::Utc;
use edaibiao_domain::account::Actor;
use edaibiao_domain::project::{may_follow, may_unfollow};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashSet;
use uuid::Uuid;

/// `actor` follows project `id` (one they can read); following twice is following. Returns the project.
pub async fn follow(store: &Store, actor: &Actor, id: Uuid) -> Result<Project> {
    // Only citizens follow: everyone else is told so before anything about the project.
    may_unfollow(actor)?;
    let project = project_for(store, Some(actor), id).await?;
    may_follow(actor, project.kind)?;
    transaction::run(store, async |txn| {
        project_follower::Entity::insert(project_follower::ActiveModel {
            project_id: Set(id),
            account_id: Set(actor.user_id),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([project_follower::Column::ProjectId, project_follower::Column::AccountId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        Ok::<_, Error>(())
    })
    .await?;
    Ok(project)
}

/// `actor` stops following project `id` (whether they did or not). Returns the project if they may still
/// see it.
pub async fn unfollow(store: &Store, actor: &Actor, id: Uuid) -> Result<Project> {
    may_unfollow(actor)?;
    transaction::run(store, async |txn| {
        project_follower::Entity::delete_many()
            .filter(project_follower::Column::ProjectId.eq(id))
            .filter(project_follower::Column::AccountId.eq(actor.user_id))
            .exec(txn)
            .await?;
        Ok::<_, Error>(())
    })
    .await?;
    project_for(store, Some(actor), id).await
}

/// Which of `ids` `account` follows.
pub async fn followed_among(store: &Store, account: Uuid, ids: &[Uuid]) -> Result<HashSet<Uuid>> {
    let rows: Vec<Uuid> = project_follower::Entity::find()
        .select_only()
        .column(project_follower::Column::ProjectId)
        .filter(project_follower::Column::AccountId.eq(account))
        .filter(project_follower::Column::ProjectId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(&store.db)
        .await?;
    Ok(rows.into_iter().collect())
}
