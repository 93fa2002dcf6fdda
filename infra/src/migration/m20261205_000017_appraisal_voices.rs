//! The voices an appraisal gathers beyond its group: the vote that chooses whom to appraise, citizens'
//! opinions tagged to an appraisal, and citizens invited to its satisfaction vote.
//!
//! `appraisal_choices` is a vote of named members (`appraisal_choice_voters`) on candidate subjects
//! (`appraisal_choice_candidates`, each with its counts, rank and verdict copied from the closed ballot box;
//! the ballots themselves live in the shared ballot box tables, kind `APPRAISAL_CHOICE`). An appraisal opened
//! for a chosen candidate names it (`appraisals.choice_candidate_id`, at most one appraisal per candidate).
//! `appraisal_opinions` tags a citizens' opinion to the appraisal it was raised for. `appraisal_invitees`
//! holds the keyed digests of invited citizens' phones (never the phones); their ballots go to the ballot box
//! kind `APPRAISAL_CITIZEN_SATISFACTION`, reached through the appraisal's `citizen_token` link, and the
//! counts are copied onto the appraisal when it is published.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    double_null, integer, integer_null, pk_uuid, string, string_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000017_appraisal_voices"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("appraisal_choices")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(integer("year"))
                .col(string("title"))
                .col(integer("seats"))
                .col(string("state"))
                .col(integer("electorate"))
                .col(integer_null("turnout"))
                .col(timestamp_with_time_zone("opened_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .col(uuid("created_by"))
                .col(integer("version"))
                .foreign_key(&mut fk("appraisal_choices", "congress_id", "congresses"))
                .foreign_key(&mut fk("appraisal_choices", "created_by", "accounts"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "appraisal_choices",
            "appraisal_choices_congress_year",
            &["congress_id", "year"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("appraisal_choice_candidates")
                .col(pk_uuid("id"))
                .col(uuid("choice_id"))
                .col(integer("position"))
                .col(uuid("unit_id"))
                .col(string("subject_kind"))
                .col(string_null("topic"))
                .col(string_null("official_name"))
                .col(string_null("official_post"))
                .col(integer_null("votes"))
                .col(integer_null("rank"))
                .col(string_null("verdict"))
                .foreign_key(&mut fk("appraisal_choice_candidates", "choice_id", "appraisal_choices"))
                .foreign_key(&mut fk("appraisal_choice_candidates", "unit_id", "handling_units"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "appraisal_choice_candidates",
            "appraisal_choice_candidates_position",
            &["choice_id", "position"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("appraisal_choice_voters")
                .col(uuid("choice_id"))
                .col(uuid("deputy_id"))
                .primary_key(Index::create().col("choice_id").col("deputy_id"))
                .foreign_key(&mut fk("appraisal_choice_voters", "choice_id", "appraisal_choices"))
                .foreign_key(&mut fk("appraisal_choice_voters", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("appraisal_opinions")
                .col(uuid("opinion_id").primary_key())
                .col(uuid("appraisal_id"))
                .col(timestamp_with_time_zone("tagged_at"))
                .foreign_key(&mut fk("appraisal_opinions", "opinion_id", "opinions"))
                .foreign_key(&mut fk("appraisal_opinions", "appraisal_id", "appraisals"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("appraisal_opinions", "appraisal_opinions_appraisal", &["appraisal_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("appraisal_invitees")
                .col(uuid("appraisal_id"))
                .col(string("phone_digest"))
                .col(timestamp_with_time_zone("invited_at"))
                .primary_key(Index::create().col("appraisal_id").col("phone_digest"))
                .foreign_key(&mut fk("appraisal_invitees", "appraisal_id", "appraisals"))
                .to_owned(),
        )
        .await?;

        // One ALTER per statement: SQLite takes one change at a time.
        let add = |column: ColumnDef| Table::alter().table("appraisals").add_column(column).to_owned();
        m.alter_table(add(uuid_null("choice_candidate_id"))).await?;
        m.alter_table(add(string_null("citizen_token"))).await?;
        m.alter_table(add(integer_null("citizen_turnout"))).await?;
        m.alter_table(add(integer_null("citizen_satisfied"))).await?;
        m.alter_table(add(integer_null("citizen_basically_satisfied"))).await?;
        m.alter_table(add(integer_null("citizen_dissatisfied"))).await?;
        m.alter_table(add(double_null("citizen_score"))).await?;
        m.create_index(unique_index("appraisals", "appraisals_choice_candidate", &["choice_candidate_id"]))
            .await?;
        m.create_index(unique_index("appraisals", "appraisals_citizen_token", &["citizen_token"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["appraisals_citizen_token", "appraisals_choice_candidate"] {
            m.drop_index(Index::drop().name(name).table("appraisals").to_owned()).await?;
        }
        for column in [
            "citizen_score",
            "citizen_dissatisfied",
            "citizen_basically_satisfied",
            "citizen_satisfied",
            "citizen_turnout",
            "citizen_token",
            "choice_candidate_id",
        ] {
            m.alter_table(Table::alter().table("appraisals").drop_column(column).to_owned()).await?;
        }
        for table in [
            "appraisal_invitees",
            "appraisal_opinions",
            "appraisal_choice_voters",
            "appraisal_choice_candidates",
            "appraisal_choices",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
