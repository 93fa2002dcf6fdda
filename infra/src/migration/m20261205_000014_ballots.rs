//! Secret ballots (issue 16): the register of who voted in which ballot box, and the count of each mark on
//! each candidate. Nothing joins the two: a ballot is added to the counts and its voter to the register in
//! one transaction, and no row records a single ballot's marks.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer, string, timestamp_with_time_zone, uuid};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000014_ballots"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("ballot_register")
                .col(string("box_kind"))
                .col(uuid("box_id"))
                .col(string("voter"))
                .col(timestamp_with_time_zone("cast_at"))
                .primary_key(Index::create().col("box_kind").col("box_id").col("voter"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("ballot_tallies")
                .col(string("box_kind"))
                .col(uuid("box_id"))
                .col(uuid("candidate_id"))
                .col(string("mark"))
                .col(integer("votes"))
                .primary_key(Index::create().col("box_kind").col("box_id").col("candidate_id").col("mark"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("ballot_tallies").to_owned()).await?;
        m.drop_table(Table::drop().table("ballot_register").to_owned()).await
    }
}
