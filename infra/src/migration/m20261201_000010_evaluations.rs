//! The yearly evaluation (年度履职考评).
//!
//! `duty_evaluations` holds one evaluation per congress and year with the settings staff chose (weights in
//! whole percent, the points worth a full 100, the grade thresholds, the rectification deadline) and a
//! version for compare-and-set. `group_assessments` are the deputy groups' scores (代表小组评议).
//! `evaluation_results` is the snapshot taken at review, one row per deputy: the points total, the three
//! part scores, the combined score, grade and rank, the voter rating counts, and the lines that cost points
//! as JSON, so a published result stays explainable after the point rules change. Reopening deletes it.
//! `rectification_reports` are created at publishing for each unqualified deputy and filled in when the
//! report comes; `reminder_talks` are staff's talks (谈话提醒) with those who owe one.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, boolean, double, integer, pk_uuid, string, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000010_evaluations"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("duty_evaluations")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(integer("year"))
                .col(string("state"))
                .col(integer("weight_points"))
                .col(integer("weight_voter_rating"))
                .col(integer("weight_group_assessment"))
                .col(integer("full_mark"))
                .col(double("threshold_excellent"))
                .col(double("threshold_qualified"))
                .col(timestamp_with_time_zone("rectification_deadline"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("reviewed_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(integer("version"))
                .foreign_key(&mut fk("duty_evaluations", "congress_id", "congresses"))
                .foreign_key(&mut fk("duty_evaluations", "created_by", "accounts"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("group_assessments")
                .col(pk_uuid("id"))
                .col(uuid("evaluation_id"))
                .col(uuid("deputy_id"))
                .col(double("score"))
                .col(text_null("note"))
                .col(uuid("assessed_by"))
                .col(timestamp_with_time_zone("assessed_at"))
                .foreign_key(&mut fk("group_assessments", "evaluation_id", "duty_evaluations"))
                .foreign_key(&mut fk("group_assessments", "deputy_id", "deputies"))
                .foreign_key(&mut fk("group_assessments", "assessed_by", "accounts"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("evaluation_results")
                .col(pk_uuid("id"))
                .col(uuid("evaluation_id"))
                .col(uuid("deputy_id"))
                .col(string("deputy_name"))
                .col(uuid_null("deputy_group_id"))
                .col(big_integer("points_total"))
                .col(double("points_score"))
                .col(double("voter_rating_score"))
                .col(boolean("no_voter_rating"))
                .col(integer("voters_satisfied"))
                .col(integer("voters_basically_satisfied"))
                .col(integer("voters_dissatisfied"))
                .col(double("group_assessment_score"))
                .col(double("combined"))
                .col(string("grade"))
                .col(integer("congress_rank"))
                .col(text("costs"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("evaluation_results", "evaluation_id", "duty_evaluations"))
                .foreign_key(&mut fk("evaluation_results", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("rectification_reports")
                .col(pk_uuid("id"))
                .col(uuid("evaluation_id"))
                .col(uuid("deputy_id"))
                .col(timestamp_with_time_zone("deadline"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .col(text_null("content"))
                .col(text_null("attachment_url"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("rectification_reports", "evaluation_id", "duty_evaluations"))
                .foreign_key(&mut fk("rectification_reports", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("reminder_talks")
                .col(pk_uuid("id"))
                .col(uuid("evaluation_id"))
                .col(uuid("deputy_id"))
                .col(timestamp_with_time_zone("talked_at"))
                .col(text("note"))
                .col(uuid("recorded_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("reminder_talks", "evaluation_id", "duty_evaluations"))
                .foreign_key(&mut fk("reminder_talks", "deputy_id", "deputies"))
                .foreign_key(&mut fk("reminder_talks", "recorded_by", "accounts"))
                .to_owned(),
        )
        .await?;

        for stmt in [
            unique_index("duty_evaluations", "ux_duty_evaluations_year", &["congress_id", "year"]),
            unique_index("group_assessments", "ux_group_assessments_deputy", &["evaluation_id", "deputy_id"]),
            unique_index(
                "evaluation_results",
                "ux_evaluation_results_deputy",
                &["evaluation_id", "deputy_id"],
            ),
            index(
                "evaluation_results",
                "ix_evaluation_results_rank",
                &["evaluation_id", "congress_rank", "id"],
            ),
            index("evaluation_results", "ix_evaluation_results_deputy_id", &["deputy_id"]),
            unique_index(
                "rectification_reports",
                "ux_rectification_reports_deputy",
                &["evaluation_id", "deputy_id"],
            ),
            index("reminder_talks", "ix_reminder_talks_deputy", &["evaluation_id", "deputy_id"]),
        ] {
            m.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "reminder_talks",
            "rectification_reports",
            "evaluation_results",
            "group_assessments",
            "duty_evaluations",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
