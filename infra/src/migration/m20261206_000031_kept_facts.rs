//! Facts the statistics read, kept with each change instead of found in the timelines per request (issue
//! 20, statistics from kept facts). Existing timelines are read once here.
//! - What the duty record counts of a suggestion: the first submission's time on the row
//!   (`suggestions.first_submitted_at`) and each official rating of SATISFIED
//!   (`suggestion_satisfied_ratings`). Before, every ledger of a congress-year grouped every SUBMITTED event
//!   and parsed every RATED event's JSON (about 300 ms and 20,000 heap pages for 100,000 suggestions).
//! - When an opinion was first accepted (`opinions.accepted_at`), which the station activity table waits
//!   on; before, it grouped every acceptance event of the congress (about 170 ms for 75,000 opinions).

use super::util::{fk, index};
use crate::suggestions::duty_facts;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000031_kept_facts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("suggestions")
                .add_column(timestamp_with_time_zone_null("first_submitted_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("suggestion_satisfied_ratings")
                .col(uuid("suggestion_id"))
                .col(integer("seq"))
                .col(uuid("congress_id"))
                .col(uuid("deputy_id"))
                .col(timestamp_with_time_zone("rated_at"))
                .primary_key(Index::create().col("suggestion_id").col("seq"))
                .foreign_key(&mut fk("suggestion_satisfied_ratings", "suggestion_id", "suggestions"))
                .to_owned(),
        )
        .await?;
        duty_facts::rebuild_all(m.get_connection()).await.map_err(|e| DbErr::Custom(e.to_string()))?;
        m.alter_table(
            Table::alter()
                .table("opinions")
                .add_column(timestamp_with_time_zone_null("accepted_at"))
                .to_owned(),
        )
        .await?;
        crate::opinions::record::rebuild_accepted_at(m.get_connection())
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        m.create_index(index(
            "opinions",
            "ix_opinions_station_acceptance",
            &["congress_id", "created_at", "station_id", "accepted_at"],
        ))
        .await?;
        // The ledger's suggestions led and co-signed: index-only by congress and first submission.
        m.create_index(index(
            "suggestions",
            "ix_suggestions_first_submitted",
            &["congress_id", "first_submitted_at", "state", "lead_deputy_id", "id"],
        ))
        .await?;
        // The whole congress's year, and one deputy's (the duty trail).
        m.create_index(index(
            "suggestion_satisfied_ratings",
            "ix_satisfied_ratings_congress",
            &["congress_id", "rated_at", "deputy_id", "suggestion_id"],
        ))
        .await?;
        m.create_index(index(
            "suggestion_satisfied_ratings",
            "ix_satisfied_ratings_deputy",
            &["deputy_id", "rated_at"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().table("opinions").name("ix_opinions_station_acceptance").to_owned())
            .await?;
        m.alter_table(Table::alter().table("opinions").drop_column("accepted_at").to_owned()).await?;
        m.drop_table(Table::drop().table("suggestion_satisfied_ratings").to_owned()).await?;
        m.drop_index(Index::drop().table("suggestions").name("ix_suggestions_first_submitted").to_owned())
            .await?;
        m.alter_table(Table::alter().table("suggestions").drop_column("first_submitted_at").to_owned()).await
    }
}
