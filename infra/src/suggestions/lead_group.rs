//! The lead deputy's group, kept on each suggestion (`suggestions.lead_group_id`) so that the suggestion
//! table by DEPUTY_GROUP groups one table's rows like the one by CATEGORY, instead of joining the year's
//! suggestions with the deputies on every request (issue 20, goal 4).
//!
//! A suggestion counts under its lead deputy's *current* group, so the kept value follows the deputy: it is
//! written with the suggestion (created or imported) and rewritten for all their suggestions when the
//! deputy's group changes, each in that change's own transaction. [`mismatches`] recomputes it from the
//! deputies for the tests.

use crate::entity::{deputy, suggestion};
use crate::error::Result;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

/// Sets the kept group of suggestions `ids` from their lead deputies, in the caller's transaction.
pub(crate) async fn keep(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<()> {
    for chunk in ids.chunks(500) {
        let group_of_lead = Query::select()
            .column((deputy::Entity, deputy::Column::DeputyGroupId))
            .from(deputy::Entity)
            .and_where(
                Expr::col((deputy::Entity, deputy::Column::Id))
                    .equals((suggestion::Entity, suggestion::Column::LeadDeputyId)),
            )
            .to_owned();
        suggestion::Entity::update_many()
            .col_expr(suggestion::Column::LeadGroupId, Expr::SubQuery(None, Box::new(group_of_lead.into())))
            .filter(suggestion::Column::Id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Deputy `deputy_id` is now in `group`: their suggestions follow, in the caller's transaction.
pub(crate) async fn follow_deputy(
    db: &impl ConnectionTrait,
    deputy_id: Uuid,
    group: Option<Uuid>,
) -> Result<()> {
    suggestion::Entity::update_many()
        .col_expr(suggestion::Column::LeadGroupId, Expr::value(group))
        .filter(suggestion::Column::LeadDeputyId.eq(deputy_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The suggestions whose kept group is not their lead deputy's group now (none, when kept right): id,
/// kept, actual.
pub async fn mismatches(db: &impl ConnectionTrait) -> Result<Vec<(Uuid, Option<Uuid>, Option<Uuid>)>> {
    let kept: Vec<(Uuid, Uuid, Option<Uuid>)> = suggestion::Entity::find()
        .select_only()
        .columns([suggestion::Column::Id, suggestion::Column::LeadDeputyId, suggestion::Column::LeadGroupId])
        .into_tuple()
        .all(db)
        .await?;
    let groups: std::collections::HashMap<Uuid, Option<Uuid>> = deputy::Entity::find()
        .select_only()
        .columns([deputy::Column::Id, deputy::Column::DeputyGroupId])
        .into_tuple::<(Uuid, Option<Uuid>)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(kept
        .into_iter()
        .filter_map(|(id, lead, group)| {
            let actual = groups.get(&lead).copied().flatten();
            (group != actual).then_some((id, group, actual))
        })
        .collect())
}
