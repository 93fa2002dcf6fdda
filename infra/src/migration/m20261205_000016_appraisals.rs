//! Appraisal of units and officials (评议).
//!
//! `appraisals` holds one appraisal: its congress and year, its subject (a unit's special work, or an
//! official with the unit that answers for them), its schedule, its state with a version for
//! compare-and-set, the unit's reports and, once published, the result (the counts copied from the closed
//! ballot box, turnout, electorate, score and verdict). `appraisal_group_members` are the deputies of the
//! appraisal group; `appraisal_findings` the problems they recorded; `appraisal_items` the numbered list
//! of problems the unit rectifies one by one, each with its own version and the marker of the overdue
//! reminder. The satisfaction ballots live in the shared ballot box tables (kind
//! `APPRAISAL_SATISFACTION`), never here.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, date, date_null, double_null, integer, integer_null, pk_uuid, string, string_null, text,
    text_null, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000016_appraisals"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("appraisals")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(integer("year"))
                .col(string("subject_kind"))
                .col(uuid("unit_id"))
                .col(string_null("topic"))
                .col(string_null("official_name"))
                .col(string_null("official_post"))
                .col(string("state"))
                .col(date("report_due"))
                .col(date("rectification_due"))
                .col(date("voting_from"))
                .col(date("voting_until"))
                .col(text_null("written_report"))
                .col(timestamp_with_time_zone_null("reported_at"))
                .col(date_null("oral_report_on"))
                .col(timestamp_with_time_zone_null("items_issued_at"))
                .col(timestamp_with_time_zone_null("voting_opened_at"))
                .col(integer_null("electorate"))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(integer_null("turnout"))
                .col(integer_null("satisfied"))
                .col(integer_null("basically_satisfied"))
                .col(integer_null("dissatisfied"))
                .col(double_null("score"))
                .col(boolean("satisfactory").default(false))
                .col(boolean("further_required").default(false))
                .col(text_null("further_report"))
                .col(timestamp_with_time_zone_null("further_submitted_at"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(integer("version"))
                .foreign_key(&mut fk("appraisals", "congress_id", "congresses"))
                .foreign_key(&mut fk("appraisals", "unit_id", "handling_units"))
                .foreign_key(&mut fk("appraisals", "created_by", "accounts"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("appraisals", "appraisals_congress_year", &["congress_id", "year"])).await?;
        m.create_index(index("appraisals", "appraisals_unit", &["unit_id"])).await?;

        m.create_table(
            Table::create()
                .table("appraisal_group_members")
                .col(uuid("appraisal_id"))
                .col(uuid("deputy_id"))
                .primary_key(Index::create().col("appraisal_id").col("deputy_id"))
                .foreign_key(&mut fk("appraisal_group_members", "appraisal_id", "appraisals"))
                .foreign_key(&mut fk("appraisal_group_members", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("appraisal_findings")
                .col(pk_uuid("id"))
                .col(uuid("appraisal_id"))
                .col(uuid("deputy_id"))
                .col(text("text"))
                .col(string("source"))
                .col(uuid_null("opinion_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("appraisal_findings", "appraisal_id", "appraisals"))
                .foreign_key(&mut fk("appraisal_findings", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("appraisal_findings", "appraisal_findings_appraisal", &["appraisal_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("appraisal_items")
                .col(pk_uuid("id"))
                .col(uuid("appraisal_id"))
                .col(integer("number"))
                .col(text("problem"))
                .col(string("state"))
                .col(text_null("answer"))
                .col(date_null("done_by"))
                .col(timestamp_with_time_zone_null("answered_at"))
                .col(text_null("return_reason"))
                .col(integer("returns").default(0))
                .col(timestamp_with_time_zone_null("accepted_at"))
                .col(uuid_null("decided_by"))
                .col(timestamp_with_time_zone_null("reminded_at"))
                .col(integer("version"))
                .foreign_key(&mut fk("appraisal_items", "appraisal_id", "appraisals"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index("appraisal_items", "appraisal_items_number", &["appraisal_id", "number"]))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["appraisal_items", "appraisal_findings", "appraisal_group_members", "appraisals"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
