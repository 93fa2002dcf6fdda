//! The duty record (履职档案): self-reported entries, the points rule table, quotas and quota reminders.
//!
//! `duty_entries` holds what a deputy did outside the system (a speech, a visit), which staff verify or
//! reject; only verified entries count. `point_rules` is the congress's rule table: one row per version of
//! the points for one kind of entry, never edited or deleted, unique per kind and effective day.
//! `duty_quotas` are the "十个一" items (retired, not deleted); `quota_reminders` records each reminder
//! sent, unique per quota, deputy and period, so a deputy is reminded at most once per period.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    date, integer, integer_null, pk_uuid, string, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000009_duty_records"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("duty_entries")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(uuid("deputy_id"))
                .col(string("title"))
                .col(text("note"))
                .col(date("happened_on"))
                .col(text_null("attachment_url"))
                .col(string("status"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(uuid_null("decided_by"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(text_null("reason"))
                .col(integer("version"))
                .foreign_key(&mut fk("duty_entries", "congress_id", "congresses"))
                .foreign_key(&mut fk("duty_entries", "deputy_id", "deputies"))
                .foreign_key(&mut fk("duty_entries", "created_by", "accounts"))
                .foreign_key(&mut fk("duty_entries", "decided_by", "accounts"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("point_rules")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("kind"))
                .col(integer("points"))
                .col(integer_null("yearly_cap"))
                .col(date("effective_from"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("point_rules", "congress_id", "congresses"))
                .foreign_key(&mut fk("point_rules", "created_by", "accounts"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("duty_quotas")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("item"))
                .col(string("period"))
                .col(integer("required"))
                .col(string("counts"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("retired_at"))
                .foreign_key(&mut fk("duty_quotas", "congress_id", "congresses"))
                .foreign_key(&mut fk("duty_quotas", "created_by", "accounts"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("quota_reminders")
                .col(pk_uuid("id"))
                .col(uuid("quota_id"))
                .col(uuid("deputy_id"))
                .col(date("period_start"))
                .col(timestamp_with_time_zone("sent_at"))
                .foreign_key(&mut fk("quota_reminders", "quota_id", "duty_quotas"))
                .foreign_key(&mut fk("quota_reminders", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        for stmt in [
            index("duty_entries", "ix_duty_entries_deputy", &["deputy_id", "happened_on"]),
            index("duty_entries", "ix_duty_entries_congress", &["congress_id", "status", "happened_on"]),
            unique_index("point_rules", "ux_point_rules_version", &["congress_id", "kind", "effective_from"]),
            index("duty_quotas", "ix_duty_quotas_congress", &["congress_id"]),
            // The archive reads suggestions' first submissions and ratings of a year by event kind and time;
            // with the suggestion id the first submissions are an index-only scan (see BENCHMARKS.md).
            index("suggestion_events", "ix_suggestion_events_kind_at", &["kind", "at", "suggestion_id"]),
            unique_index(
                "quota_reminders",
                "ux_quota_reminders_once",
                &["quota_id", "deputy_id", "period_start"],
            ),
        ] {
            m.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop().name("ix_suggestion_events_kind_at").table("suggestion_events").to_owned(),
        )
        .await?;
        for table in ["quota_reminders", "duty_quotas", "point_rules", "duty_entries"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
