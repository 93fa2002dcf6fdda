//! The count of each deputy's own suggestions, kept in the step's own transaction: the deputy's list shows
//! it as `totalCount` on every refresh, and reading one row costs less than counting the deputy's led and
//! co-signed suggestions per request. The domain says whose count changes
//! ([`edaibiao_domain::suggestion::own_count_changes`]); every write of a suggestion applies it here.

use crate::Error;
use crate::entity::own_suggestion_count;
use crate::error::Result;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

/// Adds each change to its deputy's count. Rows are touched in deputy order, so two transactions changing
/// the same deputies cannot wait on each other in a cycle.
pub(super) async fn apply(db: &impl ConnectionTrait, changes: &[(Uuid, i64)]) -> Result<()> {
    let mut changes: Vec<(Uuid, i64)> = changes.iter().copied().filter(|(_, n)| *n != 0).collect();
    if changes.is_empty() {
        return Ok(());
    }
    changes.sort_unstable();
    let mut insert = Query::insert()
        .into_table(own_suggestion_count::Entity)
        .columns([own_suggestion_count::Column::DeputyId, own_suggestion_count::Column::Total])
        .on_conflict(
            OnConflict::column(own_suggestion_count::Column::DeputyId)
                .value(
                    own_suggestion_count::Column::Total,
                    Expr::cust("own_suggestion_counts.total + excluded.total"),
                )
                .to_owned(),
        )
        .to_owned();
    for (deputy_id, n) in changes {
        insert
            .values([deputy_id.into(), n.into()])
            .map_err(|e| Error::Internal(format!("own suggestion counts: {e}")))?;
    }
    db.execute_raw(db.get_database_backend().build(&insert)).await?;
    Ok(())
}

/// How many suggestions are the deputy's own.
pub(super) async fn total(db: &impl ConnectionTrait, deputy_id: Uuid) -> Result<u64> {
    let row = own_suggestion_count::Entity::find_by_id(deputy_id).one(db).await?;
    Ok(row.map_or(0, |r| u64::try_from(r.total).unwrap_or(0)))
}
