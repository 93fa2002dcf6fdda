//! When an opinion's contact details were erased (issue 21, personal data as PIPL asks): the retention job
//! takes the closed opinions past their period that are not erased yet, from an index.

use super::util::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::timestamp_with_time_zone_null;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000033_contact_retention"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("opinions")
                .add_column(timestamp_with_time_zone_null("contact_erased_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "opinions",
            "ix_opinions_contact_retention",
            &["contact_erased_at", "closed_at"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().table("opinions").name("ix_opinions_contact_retention").to_owned())
            .await?;
        m.alter_table(Table::alter().table("opinions").drop_column("contact_erased_at").to_owned()).await
    }
}
