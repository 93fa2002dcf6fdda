//! The lead deputy's group kept on each suggestion (issue 20, goal 4: the suggestion table by deputy group
//! without a join per request), filled from the deputies for the suggestions there are, and the covering
//! index the table's two statements read alone (by state; the answering parts join on `id` and read
//! `due_at`), as `ix_suggestions_statistics` is for the other groupings.

use super::util::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::uuid_null;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000035_kept_lead_group"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("suggestions").add_column(uuid_null("lead_group_id")).to_owned())
            .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE suggestions SET lead_group_id = \
                 (SELECT deputy_group_id FROM deputies WHERE deputies.id = suggestions.lead_deputy_id)",
            )
            .await?;
        m.create_index(index(
            "suggestions",
            "ix_suggestions_statistics_group",
            &["congress_id", "created_at", "state", "lead_group_id", "due_at", "id"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().table("suggestions").name("ix_suggestions_statistics_group").to_owned())
            .await?;
        m.alter_table(Table::alter().table("suggestions").drop_column("lead_group_id").to_owned()).await
    }
}
