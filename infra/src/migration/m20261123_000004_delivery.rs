//! Delivery of notifications: a gap-free sequence per inbox (so a subscriber can resume without gap or
//! duplicate), the outbox the relay publishes from, devices for mobile push, push state per notification
//! and each person's push preferences.

use super::util::{index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, boolean, integer, pk_auto, pk_uuid, string, string_null, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000004_delivery"
    }
}

fn cascade(from: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from, column).to(to, "id").on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("inbox_counters")
                .col(uuid("account_id").primary_key())
                .col(big_integer("last_seq"))
                .foreign_key(&mut cascade("inbox_counters", "account_id", "accounts"))
                .to_owned(),
        )
        .await?;
        // One ALTER per statement: SQLite takes one change at a time.
        let add = |column: ColumnDef| Table::alter().table("notifications").add_column(column).to_owned();
        m.alter_table(add(big_integer_null("seq"))).await?;
        m.alter_table(add(string("push_state").default("PENDING").to_owned())).await?;
        m.alter_table(add(integer("push_attempts").default(0).to_owned())).await?;
        m.alter_table(add(timestamp_with_time_zone_null("push_next_at"))).await?;
        m.alter_table(add(text_null("push_error"))).await?;
        m.create_index(unique_index("notifications", "ux_notifications_inbox_seq", &["account_id", "seq"]))
            .await?;
        m.create_index(index("notifications", "ix_notifications_push", &["push_state", "push_next_at"]))
            .await?;

        m.create_table(
            Table::create()
                .table("outbox")
                .col(pk_auto("id").big_integer())
                .col(string("topic"))
                .col(big_integer("seq"))
                .col(text("payload"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("outbox", "ix_outbox_pending", &["published_at", "id"])).await?;

        m.create_table(
            Table::create()
                .table("devices")
                .col(pk_uuid("id"))
                .col(uuid("account_id"))
                .col(string("platform"))
                .col(string("token"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut cascade("devices", "account_id", "accounts"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index("devices", "ux_devices_token", &["token"])).await?;
        m.create_index(index("devices", "ix_devices_account", &["account_id"])).await?;

        m.create_table(
            Table::create()
                .table("notification_preferences")
                .col(uuid("account_id").primary_key())
                .col(text("push_muted"))
                .col(boolean("daily_digest"))
                .col(string_null("digest_time"))
                .col(timestamp_with_time_zone_null("last_digest_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut cascade("notification_preferences", "account_id", "accounts"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["notification_preferences", "devices", "outbox", "inbox_counters"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("ix_notifications_push").table("notifications").to_owned()).await?;
        m.drop_index(Index::drop().name("ux_notifications_inbox_seq").table("notifications").to_owned())
            .await?;
        for column in ["push_error", "push_next_at", "push_attempts", "push_state", "seq"] {
            m.alter_table(Table::alter().table("notifications").drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
