//! Livelihood projects (民生实事项目, issue 17).
//!
//! `project_rounds` is a year's vote (票决) with its form, seats, state, the electorate counted at close
//! and the state of the year-end rating; a version for compare-and-set. `project_candidates` are its
//! candidates with the planned milestones and linked suggestions or opinions as JSON, and, once closed, the
//! rank and verdict (the counts stay in `ballot_tallies`). `project_questions` are deputies' questions and
//! the units' answers. `livelihood_projects` are the projects followed to the end (VOTED from a round's
//! passed candidate, or MAJOR created by staff) with their `project_milestones` (each with the reminder
//! last sent, the job's compare-and-set marker), `project_group_members` (the supervision group),
//! `project_progress_reports` and `project_inspections` (with the rectification asked and answered).
//! No table holds a ballot: see `ballot_register` and `ballot_tallies`.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, boolean, integer, integer_null, pk_uuid, string, string_null, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000015_livelihood_projects"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("project_rounds")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(integer("year"))
                .col(string("title"))
                .col(string("form"))
                .col(integer("seats"))
                .col(string("state"))
                .col(integer_null("electorate"))
                .col(string("rating_state"))
                .col(integer_null("rating_electorate"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(integer("version"))
                .foreign_key(&mut fk("project_rounds", "congress_id", "congresses"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_rounds", "project_rounds_congress", &["congress_id", "id"])).await?;

        m.create_table(
            Table::create()
                .table("project_candidates")
                .col(pk_uuid("id"))
                .col(uuid("round_id"))
                .col(string("title"))
                .col(text("description"))
                .col(uuid("unit_id"))
                .col(big_integer("budget_fen"))
                .col(text("expected_outcome"))
                .col(text("milestones"))
                .col(text("sources"))
                .col(integer_null("rank"))
                .col(string_null("verdict"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("project_candidates", "round_id", "project_rounds"))
                .foreign_key(&mut fk("project_candidates", "unit_id", "handling_units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_candidates", "project_candidates_round", &["round_id", "id"])).await?;

        m.create_table(
            Table::create()
                .table("project_questions")
                .col(pk_uuid("id"))
                .col(uuid("round_id"))
                .col(uuid("candidate_id"))
                .col(uuid("deputy_id"))
                .col(uuid("asked_by"))
                .col(text("question"))
                .col(text_null("answer"))
                .col(uuid_null("answered_by"))
                .col(timestamp_with_time_zone("asked_at"))
                .col(timestamp_with_time_zone_null("answered_at"))
                .foreign_key(&mut fk("project_questions", "round_id", "project_rounds"))
                .foreign_key(&mut fk("project_questions", "candidate_id", "project_candidates"))
                .foreign_key(&mut fk("project_questions", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_questions", "project_questions_candidate", &["candidate_id", "id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("livelihood_projects")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("kind"))
                .col(integer("year"))
                .col(uuid_null("round_id"))
                .col(uuid_null("candidate_id"))
                .col(string("title"))
                .col(text("description"))
                .col(uuid("unit_id"))
                .col(big_integer("budget_fen"))
                .col(text("expected_outcome"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(integer("version"))
                .foreign_key(&mut fk("livelihood_projects", "congress_id", "congresses"))
                .foreign_key(&mut fk("livelihood_projects", "round_id", "project_rounds"))
                .foreign_key(&mut fk("livelihood_projects", "candidate_id", "project_candidates"))
                .foreign_key(&mut fk("livelihood_projects", "unit_id", "handling_units"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "livelihood_projects",
            "livelihood_projects_candidate",
            &["candidate_id"],
        ))
        .await?;
        m.create_index(index("livelihood_projects", "livelihood_projects_congress", &["congress_id", "id"]))
            .await?;
        m.create_index(index("livelihood_projects", "livelihood_projects_round", &["round_id"])).await?;

        m.create_table(
            Table::create()
                .table("project_milestones")
                .col(pk_uuid("id"))
                .col(uuid("project_id"))
                .col(integer("position"))
                .col(string("title"))
                .col(timestamp_with_time_zone("due_at"))
                .col(string("state"))
                .col(timestamp_with_time_zone_null("done_at"))
                .col(string_null("reminded"))
                .foreign_key(&mut fk("project_milestones", "project_id", "livelihood_projects"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "project_milestones",
            "project_milestones_project",
            &["project_id", "position"],
        ))
        .await?;
        m.create_index(index("project_milestones", "project_milestones_due", &["state", "due_at"])).await?;

        m.create_table(
            Table::create()
                .table("project_group_members")
                .col(uuid("project_id"))
                .col(uuid("deputy_id"))
                .primary_key(Index::create().col("project_id").col("deputy_id"))
                .foreign_key(&mut fk("project_group_members", "project_id", "livelihood_projects"))
                .foreign_key(&mut fk("project_group_members", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("project_progress_reports")
                .col(pk_uuid("id"))
                .col(uuid("project_id"))
                .col(uuid_null("milestone_id"))
                .col(boolean("milestone_done"))
                .col(text("content"))
                .col(integer("percent"))
                .col(uuid("reported_by"))
                .col(timestamp_with_time_zone("reported_at"))
                .foreign_key(&mut fk("project_progress_reports", "project_id", "livelihood_projects"))
                .foreign_key(&mut fk("project_progress_reports", "milestone_id", "project_milestones"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_progress_reports", "project_progress_project", &["project_id", "id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("project_inspections")
                .col(pk_uuid("id"))
                .col(uuid("project_id"))
                .col(uuid("deputy_id"))
                .col(text("findings"))
                .col(boolean("rectification_requested"))
                .col(timestamp_with_time_zone_null("rectification_deadline"))
                .col(text_null("rectification_answer"))
                .col(uuid_null("rectified_by"))
                .col(timestamp_with_time_zone_null("rectified_at"))
                .col(timestamp_with_time_zone("inspected_at"))
                .col(integer("version"))
                .foreign_key(&mut fk("project_inspections", "project_id", "livelihood_projects"))
                .foreign_key(&mut fk("project_inspections", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_inspections", "project_inspections_project", &["project_id", "id"]))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "project_inspections",
            "project_progress_reports",
            "project_group_members",
            "project_milestones",
            "livelihood_projects",
            "project_questions",
            "project_candidates",
            "project_rounds",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
