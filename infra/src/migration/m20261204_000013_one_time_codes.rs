//! One-time codes (issue 13): one table for every code sent by SMS (a voter's rating, a citizen's sign-up,
//! a password reset), replacing `voter_rating_codes`. `scope` says what the code is for (and for voters,
//! which rating link), `subject` is the phone's keyed digest, `code_hash` the code's keyed digest;
//! `attempts` counts tries, raised before each comparison. One waiting code per scope and subject.
//! Waiting voters' codes are dropped with the old table: they live 10 minutes and can be asked for again.

use super::util::unique_index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer, pk_uuid, string, timestamp_with_time_zone};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000013_one_time_codes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("one_time_codes")
                .col(pk_uuid("id"))
                .col(string("scope"))
                .col(string("subject"))
                .col(string("code_hash"))
                .col(integer("attempts"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index("one_time_codes", "ux_one_time_codes_subject", &["scope", "subject"]))
            .await?;
        m.drop_table(Table::drop().table("voter_rating_codes").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("voter_rating_codes")
                .col(pk_uuid("id"))
                .col(string("rating_token"))
                .col(string("phone_digest"))
                .col(string("code_hash"))
                .col(integer("attempts"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "voter_rating_codes",
            "ux_voter_rating_codes_phone",
            &["rating_token", "phone_digest"],
        ))
        .await?;
        m.drop_table(Table::drop().table("one_time_codes").to_owned()).await
    }
}
