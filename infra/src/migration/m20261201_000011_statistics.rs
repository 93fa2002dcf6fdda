//! Statistics (issue 7): each answering part's answer class, answer time, official rating and B-class result
//! rating become columns of `suggestion_units` (written with every change, see `suggestions::record`), so the
//! suggestion tables count them with GROUP BY instead of reading every suggestion's JSON. The suggestions
//! that already exist get them from their stored aggregate.
//!
//! Two covering indexes, because the statistics read a whole congress-year: without them PostgreSQL scans
//! the whole heap of `suggestions` (about 2 KB a row with its content and JSON aggregate: 190 MB for
//! 100,000 suggestions) and of `opinions`. With them the counts are index-only scans (see BENCHMARKS.md):
//! - `ix_suggestions_statistics` (congress_id, created_at, state, category, lead_deputy_id, due_at, id): the
//!   suggestion table by state, category and deputy group, the join to the answering parts, and the
//!   deputy table's suggestions led.
//! - `ix_opinions_statistics` (congress_id, created_at, state, station_id, category, forwarded_unit_id,
//!   suggestion_id, feedback_at, satisfaction, deputy_id, responsible_account_id): the opinion table and the
//!   deputy table's opinions.

use super::util::index;
use crate::statistics::PartOutcome;
use edaibiao_domain::suggestion::Suggestion;
use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_null, timestamp_with_time_zone_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000011_statistics"
    }
}

const COLUMNS: [&str; 4] = ["answer_class", "answered_at", "rating", "result_rating"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            let mut def = if column == "answered_at" {
                timestamp_with_time_zone_null(column)
            } else {
                string_null(column)
            };
            m.alter_table(Table::alter().table("suggestion_units").add_column(&mut def).to_owned()).await?;
        }
        backfill(m).await?;
        m.create_index(index(
            "suggestions",
            "ix_suggestions_statistics",
            &["congress_id", "created_at", "state", "category", "lead_deputy_id", "due_at", "id"],
        ))
        .await?;
        m.create_index(index(
            "opinions",
            "ix_opinions_statistics",
            &[
                "congress_id",
                "created_at",
                "state",
                "station_id",
                "category",
                "forwarded_unit_id",
                "suggestion_id",
                "feedback_at",
                "satisfaction",
                "deputy_id",
                "responsible_account_id",
            ],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, name) in
            [("suggestions", "ix_suggestions_statistics"), ("opinions", "ix_opinions_statistics")]
        {
            m.drop_index(Index::drop().table(table).name(name).to_owned()).await?;
        }
        for column in COLUMNS {
            m.alter_table(Table::alter().table("suggestion_units").drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

/// Fills the columns of the parts that have an answer.
async fn backfill(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let backend = db.get_database_backend();
    let select = Query::select()
        .column("snapshot")
        .from("suggestions")
        .and_where(Expr::col("state").is_in(["HANDLED", "ANSWERED", "RATED"]))
        .to_owned();
    for row in db.query_all_raw(backend.build(&select)).await? {
        let snapshot: String = row.try_get("", "snapshot")?;
        let s: Suggestion = serde_json::from_str(&snapshot).map_err(|e| DbErr::Custom(e.to_string()))?;
        let Some(a) = &s.assignment else { continue };
        for part in &a.units {
            let o = PartOutcome::of(a, part);
            if o.answer_class.is_none() && o.rating.is_none() {
                continue;
            }
            let update = Query::update()
                .table("suggestion_units")
                .value("answer_class", o.answer_class)
                .value("answered_at", o.answered_at)
                .value("rating", o.rating)
                .value("result_rating", o.result_rating)
                .and_where(Expr::col("suggestion_id").eq(s.id))
                .and_where(Expr::col("unit_id").eq(part.unit_id))
                .to_owned();
            let stmt: Statement = backend.build(&update);
            db.execute_raw(stmt).await?;
        }
    }
    Ok(())
}
