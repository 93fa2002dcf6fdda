//! Activities (履职活动), who takes part, and the voters' rating of reports to voters (述职测评).
//!
//! `activities` is one activity with its schedule and how people join; `check_in_secret` keys the rotating
//! check-in code. `activity_participants` is one deputy at one activity: how they joined, check-in, leave
//! and, for a report to voters, the token of the public rating link. Voters confirm their phone with a
//! one-time code (`voter_rating_codes`, the code hashed) and rate once per phone (`voter_ratings`); phones
//! are kept only as a keyed digest. `deputy_groups.leader_deputy_id` names the group's leader (组长), who
//! organises the group's activities.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer, integer_null, pk_uuid, string, string_null, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000008_activities"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("activities")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("kind"))
                .col(string("title"))
                .col(string("place"))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(uuid("organiser_account_id"))
                .col(uuid_null("deputy_group_id"))
                .col(string("participation"))
                .col(integer_null("capacity"))
                .col(text("check_in_secret"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(integer("version"))
                .foreign_key(&mut fk("activities", "congress_id", "congresses"))
                .foreign_key(&mut fk("activities", "organiser_account_id", "accounts"))
                .foreign_key(&mut fk("activities", "deputy_group_id", "deputy_groups"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("activity_participants")
                .col(uuid("activity_id"))
                .col(uuid("deputy_id"))
                .col(string("joined"))
                .col(timestamp_with_time_zone_null("checked_in_at"))
                .col(uuid_null("checked_in_by"))
                .col(string_null("leave_status"))
                .col(text_null("leave_reason"))
                .col(timestamp_with_time_zone_null("leave_requested_at"))
                .col(timestamp_with_time_zone_null("leave_decided_at"))
                .col(uuid_null("leave_decided_by"))
                .col(string_null("rating_token"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("activity_id").col("deputy_id"))
                .foreign_key(&mut fk("activity_participants", "activity_id", "activities"))
                .foreign_key(&mut fk("activity_participants", "deputy_id", "deputies"))
                .foreign_key(&mut fk("activity_participants", "checked_in_by", "accounts"))
                .foreign_key(&mut fk("activity_participants", "leave_decided_by", "accounts"))
                .to_owned(),
        )
        .await?;

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

        m.create_table(
            Table::create()
                .table("voter_ratings")
                .col(pk_uuid("id"))
                .col(uuid("activity_id"))
                .col(uuid("deputy_id"))
                .col(string("rating_token"))
                .col(string("phone_digest"))
                .col(string("rating"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("voter_ratings", "activity_id", "activities"))
                .foreign_key(&mut fk("voter_ratings", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        // A deputy group's leader (组长) organises the group's activities.
        m.alter_table(
            Table::alter().table("deputy_groups").add_column(uuid_null("leader_deputy_id")).to_owned(),
        )
        .await?;

        for stmt in [
            index("activities", "ix_activities_congress_starts", &["congress_id", "starts_at"]),
            index("activities", "ix_activities_group", &["deputy_group_id", "starts_at"]),
            index("activity_participants", "ix_activity_participants_deputy", &["deputy_id", "activity_id"]),
            unique_index("activity_participants", "ux_activity_participants_token", &["rating_token"]),
            unique_index(
                "voter_rating_codes",
                "ux_voter_rating_codes_phone",
                &["rating_token", "phone_digest"],
            ),
            unique_index("voter_ratings", "ux_voter_ratings_phone", &["rating_token", "phone_digest"]),
            index("voter_ratings", "ix_voter_ratings_deputy", &["deputy_id", "activity_id"]),
            index("voter_ratings", "ix_voter_ratings_activity", &["activity_id"]),
        ] {
            m.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["voter_ratings", "voter_rating_codes", "activity_participants", "activities"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(Table::alter().table("deputy_groups").drop_column("leader_deputy_id").to_owned())
            .await?;
        Ok(())
    }
}
