//! Public content (issue 21):
//! - moderation: one item per moderated piece (its state, how many open reports it has, the last decision),
//!   the readers' reports (one per account per piece, kept with whether a decision has closed them), and
//!   each item's steps (hidden, restored, removed) with who and why;
//! - the citizens following livelihood projects;
//! - who gave a consent to a privacy notice when it came with a phone and no account (a code request): the
//!   phone's keyed digest.

use super::util::{index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, integer, string, string_null, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid,
    uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000034_public_content"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("moderation_items")
                .col(uuid("id").primary_key())
                .col(string("content_kind"))
                .col(uuid("content_id"))
                .col(uuid("congress_id"))
                .col(uuid_null("author_account_id"))
                .col(uuid_null("author_station_id"))
                .col(string("state"))
                .col(integer("open_reports"))
                .col(integer("total_reports"))
                .col(timestamp_with_time_zone_null("hidden_at"))
                .col(uuid_null("decided_by"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(string_null("decision_reason"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(integer("version"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "moderation_items",
            "ux_moderation_items_content",
            &["content_kind", "content_id"],
        ))
        .await?;
        m.create_index(index(
            "moderation_items",
            "ix_moderation_items_queue",
            &["congress_id", "state", "id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("content_reports")
                .col(uuid("id").primary_key())
                .col(uuid("item_id"))
                .col(uuid("reporter_account_id"))
                .col(string("reason"))
                .col(string_null("note"))
                .col(boolean("open"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "content_reports",
            "ux_content_reports_reporter",
            &["item_id", "reporter_account_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("moderation_events")
                .col(uuid("id").primary_key())
                .col(uuid("item_id"))
                .col(string("kind"))
                .col(uuid_null("actor_account_id"))
                .col(string_null("reason"))
                .col(timestamp_with_time_zone("at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("moderation_events", "ix_moderation_events_item", &["item_id", "id"])).await?;
        m.create_table(
            Table::create()
                .table("project_followers")
                .col(uuid("project_id"))
                .col(uuid("account_id"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("project_id").col("account_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_followers", "ix_project_followers_account", &["account_id"])).await?;
        m.alter_table(
            Table::alter().table("privacy_consents").add_column(string_null("phone_digest")).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("privacy_consents").drop_column("phone_digest").to_owned())
            .await?;
        for table in ["project_followers", "moderation_events", "content_reports", "moderation_items"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
