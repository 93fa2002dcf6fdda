//! The count of each deputy's own suggestions (issue 20): what the deputy's list shows as `totalCount`,
//! kept in the step's own transaction (`suggestions::own_counts`) instead of counted per request. Own: led,
//! or co-signing without having declined, whatever the state. Existing suggestions are counted once here.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, uuid};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000030_own_suggestion_counts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("own_suggestion_counts")
                .col(uuid("deputy_id").primary_key())
                .col(big_integer("total"))
                .foreign_key(
                    &mut ForeignKey::create()
                        .from("own_suggestion_counts", "deputy_id")
                        .to("deputies", "id")
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO own_suggestion_counts (deputy_id, total) \
                 SELECT deputy_id, COUNT(*) FROM ( \
                   SELECT lead_deputy_id AS deputy_id, id AS suggestion_id FROM suggestions \
                   UNION \
                   SELECT deputy_id, suggestion_id FROM suggestion_co_signers WHERE status <> 'DECLINED' \
                 ) own GROUP BY deputy_id",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("own_suggestion_counts").to_owned()).await
    }
}
