//! Citizens following suggestions with a public answer (`domain::suggestion::may_follow`): they hear its
//! later answers, the deputies' ratings and new rounds of handling in their inbox, through
//! `Audience::Followers` in the suggestion's own notices.

use super::find;
use crate::entity::suggestion_follower;
use crate::error::Result;
use crate::{Error, Store, transaction};
use chrono::Utc;
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::suggestion::{Suggestion, may_follow, may_unfollow};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashSet;
use uuid::Uuid;

/// `actor` follows suggestion `id`; following twice is following. Returns the suggestion.
pub async fn follow(store: &Store, actor: &Actor, id: Uuid) -> Result<Suggestion> {
    let s = find(store, id).await?.ok_or(DomainError::NotFound("suggestion"))?;
    may_follow(actor, &s)?;
    transaction::run(store, async |txn| {
        suggestion_follower::Entity::insert(suggestion_follower::ActiveModel {
            suggestion_id: Set(id),
            account_id: Set(actor.user_id),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([
                suggestion_follower::Column::SuggestionId,
                suggestion_follower::Column::AccountId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        Ok::<_, Error>(())
    })
    .await?;
    Ok(s)
}

/// `actor` stops following suggestion `id` (whether they did or not). Returns the suggestion if they may
/// still see it.
pub async fn unfollow(store: &Store, actor: &Actor, id: Uuid) -> Result<Suggestion> {
    may_unfollow(actor)?;
    transaction::run(store, async |txn| {
        suggestion_follower::Entity::delete_many()
            .filter(suggestion_follower::Column::SuggestionId.eq(id))
            .filter(suggestion_follower::Column::AccountId.eq(actor.user_id))
            .exec(txn)
            .await?;
        Ok::<_, Error>(())
    })
    .await?;
    super::find_for(store, actor, id).await
}

/// Which of `ids` `account` follows.
pub async fn followed_among(store: &Store, account: Uuid, ids: &[Uuid]) -> Result<HashSet<Uuid>> {
    let rows: Vec<Uuid> = suggestion_follower::Entity::find()
        .select_only()
        .column(suggestion_follower::Column::SuggestionId)
        .filter(suggestion_follower::Column::AccountId.eq(account))
        .filter(suggestion_follower::Column::SuggestionId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(&store.db)
        .await?;
    Ok(rows.into_iter().collect())
}
