//! Suggestions: the current state of each (with the domain aggregate as JSON), the projections that lists
//! filter on, the timeline of events, gap-free serial counters and idempotency keys.

use super::util::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, boolean, integer, integer_null, pk_uuid, string, string_null, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000002_suggestions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("suggestions")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("sitting_key"))
                .col(integer_null("session_number"))
                .col(integer_null("recess_year"))
                .col(uuid("lead_deputy_id"))
                .col(string("title"))
                .col(text("content"))
                .col(string("category"))
                .col(string("state"))
                .col(integer("version"))
                .col(string_null("serial"))
                .col(string_null("mode"))
                .col(uuid_null("lead_unit_id"))
                .col(timestamp_with_time_zone_null("assigned_at"))
                .col(timestamp_with_time_zone_null("due_at"))
                .col(boolean("key_supervised"))
                .col(boolean("flagged"))
                .col(boolean("has_public_answer"))
                .col(timestamp_with_time_zone_null("reminded_due_soon_for"))
                .col(timestamp_with_time_zone_null("reminded_overdue_for"))
                .col(text("snapshot"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("suggestions", "congress_id", "congresses"))
                .foreign_key(&mut fk("suggestions", "lead_deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("suggestion_units")
                .col(uuid("suggestion_id"))
                .col(uuid("unit_id"))
                .col(string("role"))
                .primary_key(Index::create().col("suggestion_id").col("unit_id"))
                .foreign_key(&mut fk("suggestion_units", "suggestion_id", "suggestions"))
                .foreign_key(&mut fk("suggestion_units", "unit_id", "handling_units"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("suggestion_co_signers")
                .col(uuid("suggestion_id"))
                .col(uuid("deputy_id"))
                .col(string("status"))
                .primary_key(Index::create().col("suggestion_id").col("deputy_id"))
                .foreign_key(&mut fk("suggestion_co_signers", "suggestion_id", "suggestions"))
                .foreign_key(&mut fk("suggestion_co_signers", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("suggestion_events")
                .col(pk_uuid("id"))
                .col(uuid("suggestion_id"))
                .col(integer("seq"))
                .col(string("kind"))
                .col(uuid_null("actor_account_id"))
                .col(string("actor_role"))
                .col(string_null("from_state"))
                .col(string("to_state"))
                .col(text_null("note"))
                .col(text("payload"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("suggestion_events", "suggestion_id", "suggestions"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("serial_counters")
                .col(uuid("congress_id"))
                .col(string("sitting_key"))
                .col(big_integer("last_value"))
                .primary_key(Index::create().col("congress_id").col("sitting_key"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("idempotency_keys")
                .col(uuid("account_id"))
                .col(string("key"))
                .col(string("operation"))
                .col(uuid("result_id"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("account_id").col("key"))
                .to_owned(),
        )
        .await?;

        let unique_serial = Index::create()
            .name("ux_suggestions_serial")
            .table("suggestions")
            .col("congress_id")
            .col("serial")
            .unique()
            .to_owned();
        let unique_seq = Index::create()
            .name("ux_suggestion_events_seq")
            .table("suggestion_events")
            .col("suggestion_id")
            .col("seq")
            .unique()
            .to_owned();
        for stmt in [
            unique_serial,
            unique_seq,
            index("suggestions", "ix_suggestions_lead_deputy", &["lead_deputy_id", "id"]),
            index("suggestions", "ix_suggestions_congress_state", &["congress_id", "state"]),
            index("suggestions", "ix_suggestions_lead_unit", &["lead_unit_id"]),
            index("suggestions", "ix_suggestions_due", &["state", "due_at"]),
            index("suggestion_units", "ix_suggestion_units_unit", &["unit_id", "suggestion_id"]),
            index(
                "suggestion_co_signers",
                "ix_suggestion_co_signers_deputy",
                &["deputy_id", "suggestion_id"],
            ),
        ] {
            m.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "idempotency_keys",
            "serial_counters",
            "suggestion_events",
            "suggestion_co_signers",
            "suggestion_units",
            "suggestions",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
