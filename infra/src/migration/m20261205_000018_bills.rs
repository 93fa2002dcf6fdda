//! Bills (代表议案).
//!
//! `congress_bill_settings` holds each congress's bill settings: its co-sponsor threshold (null: the default
//! of its level, ten at county level and above, five at township level) and the session in progress (null:
//! the recess, when drafts wait). `bills` holds one bill: its congress, lead sponsor and the delegation that
//! tabled it (if one did), its text, state with a version for compare-and-set, serial and session, the
//! decision (which body, what it became, the suggestion it was converted to), the assignment (committee,
//! deadline), the review report and decision, the close and the lead sponsor's rating. `bill_co_sponsors`
//! are the invited co-sponsors with their answers, `bill_units` the units it is assigned to,
//! `bill_meetings` the meetings the lead sponsor was invited to with whether they attended, and
//! `bill_events` its timeline. Serials come from the shared `serial_counters` under the key `BILL-S<n>`.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean_null, integer, integer_null, pk_uuid, string, string_null, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000018_bills"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("congress_bill_settings")
                .col(uuid("congress_id").primary_key())
                .col(integer_null("co_sponsor_threshold"))
                .col(integer_null("session_number"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("congress_bill_settings", "congress_id", "congresses"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("bills")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(uuid("lead_deputy_id"))
                .col(uuid_null("delegation_id"))
                .col(string("title"))
                .col(text("reason"))
                .col(text("provisions"))
                .col(string("state"))
                .col(integer("version"))
                .col(string_null("serial"))
                .col(integer_null("session_number"))
                .col(timestamp_with_time_zone_null("tabled_at"))
                .col(string_null("decided_by"))
                .col(string_null("disposition"))
                .col(text_null("decision_note"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(uuid_null("suggestion_id"))
                .col(uuid_null("committee_id"))
                .col(timestamp_with_time_zone_null("assigned_at"))
                .col(timestamp_with_time_zone_null("due_at"))
                .col(text_null("review_report"))
                .col(text_null("review_decision"))
                .col(timestamp_with_time_zone_null("reviewed_at"))
                .col(text_null("close_note"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .col(string_null("rating_attitude"))
                .col(string_null("rating_result"))
                .col(text_null("rating_comment"))
                .col(timestamp_with_time_zone_null("rated_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("bills", "congress_id", "congresses"))
                .foreign_key(&mut fk("bills", "lead_deputy_id", "deputies"))
                .foreign_key(&mut fk("bills", "delegation_id", "deputy_groups"))
                .foreign_key(&mut fk("bills", "suggestion_id", "suggestions"))
                .foreign_key(&mut fk("bills", "committee_id", "committees"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("bills", "bills_congress_state", &["congress_id", "state"])).await?;
        m.create_index(index("bills", "bills_lead", &["lead_deputy_id"])).await?;
        m.create_index(index("bills", "bills_suggestion", &["suggestion_id"])).await?;
        m.create_index(index("bills", "bills_committee", &["committee_id"])).await?;

        m.create_table(
            Table::create()
                .table("bill_co_sponsors")
                .col(uuid("bill_id"))
                .col(uuid("deputy_id"))
                .col(string("status"))
                .col(timestamp_with_time_zone("invited_at"))
                .col(timestamp_with_time_zone_null("answered_at"))
                .primary_key(Index::create().col("bill_id").col("deputy_id"))
                .foreign_key(&mut fk("bill_co_sponsors", "bill_id", "bills"))
                .foreign_key(&mut fk("bill_co_sponsors", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("bill_co_sponsors", "bill_co_sponsors_deputy", &["deputy_id"])).await?;

        m.create_table(
            Table::create()
                .table("bill_units")
                .col(uuid("bill_id"))
                .col(uuid("unit_id"))
                .primary_key(Index::create().col("bill_id").col("unit_id"))
                .foreign_key(&mut fk("bill_units", "bill_id", "bills"))
                .foreign_key(&mut fk("bill_units", "unit_id", "handling_units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("bill_units", "bill_units_unit", &["unit_id"])).await?;

        m.create_table(
            Table::create()
                .table("bill_meetings")
                .col(pk_uuid("id"))
                .col(uuid("bill_id"))
                .col(integer("number"))
                .col(string("title"))
                .col(timestamp_with_time_zone("held_at"))
                .col(boolean_null("attended"))
                .col(timestamp_with_time_zone_null("recorded_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("bill_meetings", "bill_id", "bills"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index("bill_meetings", "bill_meetings_number", &["bill_id", "number"])).await?;

        m.create_table(
            Table::create()
                .table("bill_events")
                .col(pk_uuid("id"))
                .col(uuid("bill_id"))
                .col(integer("seq"))
                .col(string("kind"))
                .col(uuid_null("actor_account_id"))
                .col(string("actor_role"))
                .col(string_null("from_state"))
                .col(string("to_state"))
                .col(text_null("note"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("bill_events", "bill_id", "bills"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index("bill_events", "bill_events_seq", &["bill_id", "seq"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "bill_events",
            "bill_meetings",
            "bill_units",
            "bill_co_sponsors",
            "bills",
            "congress_bill_settings",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
