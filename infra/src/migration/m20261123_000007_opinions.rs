//! Citizens' opinions (社情民意) and reception records (接待记录).
//!
//! `opinions` keeps each opinion's current state with the domain aggregate as JSON (`snapshot`) and the
//! projections lists, statistics and jobs filter on. The contact phone is not in the snapshot: it is
//! stored encrypted (`contact_phone_sealed`), masked for display, and as a keyed digest for per-phone
//! rate limits and look-ups. `opinion_events` is the timeline. A reception record lists the matters
//! raised; a matter that became an opinion links to it. `reception_day_id` refers to a reception day
//! without a foreign key, so a record outlives a cancelled or deleted day.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, integer, pk_uuid, string, string_null, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000007_opinions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("opinions")
                .col(pk_uuid("id"))
                .col(string("tracking_code"))
                .col(uuid("congress_id"))
                .col(uuid_null("station_id"))
                .col(uuid_null("deputy_id"))
                .col(string("source"))
                .col(string("category"))
                .col(string("state"))
                .col(integer("version"))
                .col(uuid_null("submitter_account_id"))
                .col(uuid_null("responsible_account_id"))
                .col(uuid_null("forwarded_unit_id"))
                .col(uuid_null("suggestion_id"))
                .col(boolean("unit_replied"))
                .col(string_null("satisfaction"))
                .col(string_null("waiting_on"))
                .col(timestamp_with_time_zone_null("waiting_since"))
                .col(text_null("contact_phone_sealed"))
                .col(string_null("contact_phone_masked"))
                .col(string_null("contact_phone_digest"))
                .col(text("snapshot"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("feedback_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("opinions", "congress_id", "congresses"))
                .foreign_key(&mut fk("opinions", "station_id", "liaison_stations"))
                .foreign_key(&mut fk("opinions", "deputy_id", "deputies"))
                .foreign_key(&mut fk("opinions", "submitter_account_id", "accounts"))
                .foreign_key(&mut fk("opinions", "responsible_account_id", "accounts"))
                .foreign_key(&mut fk("opinions", "forwarded_unit_id", "handling_units"))
                .foreign_key(&mut fk("opinions", "suggestion_id", "suggestions"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("opinion_events")
                .col(pk_uuid("id"))
                .col(uuid("opinion_id"))
                .col(integer("seq"))
                .col(string("kind"))
                .col(uuid_null("actor_account_id"))
                .col(string("actor_role"))
                .col(string_null("from_state"))
                .col(string("to_state"))
                .col(text_null("note"))
                .col(boolean("public"))
                .col(text("payload"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("opinion_events", "opinion_id", "opinions"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("reception_records")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(uuid("station_id"))
                .col(uuid_null("reception_day_id"))
                .col(timestamp_with_time_zone("received_at"))
                .col(integer("visitors"))
                .col(uuid("recorded_by_account_id"))
                .col(uuid_null("recorder_deputy_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("reception_records", "congress_id", "congresses"))
                .foreign_key(&mut fk("reception_records", "station_id", "liaison_stations"))
                .foreign_key(&mut fk("reception_records", "recorded_by_account_id", "accounts"))
                .foreign_key(&mut fk("reception_records", "recorder_deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("reception_matters")
                .col(pk_uuid("id"))
                .col(uuid("record_id"))
                .col(integer("seq"))
                .col(string("category"))
                .col(text("content"))
                .col(string_null("contact_name"))
                .col(uuid_null("opinion_id"))
                .foreign_key(&mut fk("reception_matters", "record_id", "reception_records"))
                .foreign_key(&mut fk("reception_matters", "opinion_id", "opinions"))
                .to_owned(),
        )
        .await?;

        for stmt in [
            unique_index("opinions", "ux_opinions_tracking_code", &["tracking_code"]),
            index("opinions", "ix_opinions_congress_created", &["congress_id", "created_at"]),
            index("opinions", "ix_opinions_station", &["station_id", "id"]),
            index("opinions", "ix_opinions_deputy", &["deputy_id", "id"]),
            index("opinions", "ix_opinions_responsible", &["responsible_account_id", "id"]),
            index("opinions", "ix_opinions_unit", &["forwarded_unit_id", "id"]),
            index("opinions", "ix_opinions_submitter", &["submitter_account_id", "id"]),
            index("opinions", "ix_opinions_suggestion", &["suggestion_id"]),
            index("opinions", "ix_opinions_feedback", &["state", "feedback_at"]),
            index("opinions", "ix_opinions_waiting", &["waiting_on", "waiting_since"]),
            index("opinions", "ix_opinions_phone", &["contact_phone_digest"]),
            unique_index("opinion_events", "ux_opinion_events_seq", &["opinion_id", "seq"]),
            index("reception_records", "ix_reception_records_station", &["station_id", "received_at"]),
            unique_index("reception_matters", "ux_reception_matters_seq", &["record_id", "seq"]),
            index("reception_matters", "ix_reception_matters_opinion", &["opinion_id"]),
        ] {
            m.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["reception_matters", "reception_records", "opinion_events", "opinions"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
