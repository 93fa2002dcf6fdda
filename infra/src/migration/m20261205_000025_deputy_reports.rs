//! Deputies' own reports of constituents' views (代表反映社情民意) and the kind of a staff-recorded duty
//! entry.
//!
//! `deputy_reports` keeps each report's current state with the domain aggregate as JSON (`snapshot`) and
//! the projections lists filter on (congress, deputy, state, the unit it was forwarded to);
//! `deputy_report_events` is its timeline, one row per step, unique per report and sequence number so two
//! concurrent steps cannot both append. A report counts in its deputy's archive as
//! DEPUTY_REPORT_SUBMITTED from `submitted_at`, unless declined.
//!
//! `duty_entries.kind` names the archive kind of an entry staff record themselves (a session speech, 大会
//! 发言: SESSION_SPEECH); null for the entries deputies report, which count as VERIFIED_OTHER once verified.
//!
//! Nothing stored is re-derived or re-scored here: archive entries are not stored but read from their
//! sources each time, so the activity kinds told apart (reception, visit, inspection, …) apply to every
//! year at once, and the rules and quotas of ACTIVITY_ATTENDED keep scoring and counting those activities
//! until a kind is given a rule or quota of its own (`EntryKind::general`).

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer, pk_uuid, string, string_null, text, text_null, timestamp_with_time_zone, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000025_deputy_reports"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("deputy_reports")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(uuid("deputy_id"))
                .col(string("title"))
                .col(string("category"))
                .col(uuid_null("station_id"))
                .col(string("state"))
                .col(integer("version"))
                .col(uuid_null("forwarded_unit_id"))
                .col(text("snapshot"))
                .col(timestamp_with_time_zone("submitted_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("deputy_reports", "congress_id", "congresses"))
                .foreign_key(&mut fk("deputy_reports", "deputy_id", "deputies"))
                .foreign_key(&mut fk("deputy_reports", "station_id", "liaison_stations"))
                .foreign_key(&mut fk("deputy_reports", "forwarded_unit_id", "handling_units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("deputy_reports", "deputy_reports_congress", &["congress_id", "id"])).await?;
        m.create_index(index("deputy_reports", "deputy_reports_deputy", &["deputy_id", "submitted_at"]))
            .await?;
        m.create_index(index("deputy_reports", "deputy_reports_unit", &["forwarded_unit_id", "id"])).await?;

        m.create_table(
            Table::create()
                .table("deputy_report_events")
                .col(pk_uuid("id"))
                .col(uuid("report_id"))
                .col(integer("seq"))
                .col(string("kind"))
                .col(uuid_null("actor_account_id"))
                .col(string("actor_role"))
                .col(string_null("from_state"))
                .col(string("to_state"))
                .col(text_null("note"))
                .col(text("payload"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("deputy_report_events", "report_id", "deputy_reports"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "deputy_report_events",
            "deputy_report_events_seq",
            &["report_id", "seq"],
        ))
        .await?;

        m.alter_table(Table::alter().table("duty_entries").add_column(string_null("kind")).to_owned())
            .await?;
        Ok(())
    }
}
