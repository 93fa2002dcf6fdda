//! The contact rate per unit (沟通率, issue 19): each answered part of `suggestion_units` records whether its
//! unit recorded a contact with the deputy (`RecordContact`) made on or before its answer — `contacted`,
//! written with every change like the other statistics columns (see `suggestions::record`), null while the
//! part has no answer. The parts already answered get it from their stored aggregate.

use crate::statistics::PartOutcome;
use edaibiao_domain::suggestion::Suggestion;
use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::boolean_null;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000026_contact_rate"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table("suggestion_units").add_column(boolean_null("contacted")).to_owned(),
        )
        .await?;
        backfill(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("suggestion_units").drop_column("contacted").to_owned()).await
    }
}

/// Fills the column of the parts that have an answer.
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
            let Some(contacted) = PartOutcome::of(a, part).contacted else { continue };
            let update = Query::update()
                .table("suggestion_units")
                .value("contacted", contacted)
                .and_where(Expr::col("suggestion_id").eq(s.id))
                .and_where(Expr::col("unit_id").eq(part.unit_id))
                .to_owned();
            let stmt: Statement = backend.build(&update);
            db.execute_raw(stmt).await?;
        }
    }
    Ok(())
}
