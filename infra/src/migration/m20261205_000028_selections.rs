//! Selections (评选: 优秀建议, 优秀代表).
//!
//! `selections` keeps each selection's state and, for a committee vote, the electorate (the committee's size,
//! fixed when it opens) and, once closed, the turnout and whether it made a quorum. Its ballots go to the
//! shared ballot box (`ballot_register` / `ballot_tally`, kind `SELECTION`), which never joins a voter to a
//! choice. `selection_members` is the committee.
//!
//! `selection_candidates` holds one row per nominee: the suggestion (BEST_SUGGESTION) or the deputy
//! (MODEL_DEPUTY) as `subject_id`, unique per selection so a second nomination of the same is a CONFLICT;
//! `deputy_id` is the deputy a win is credited to (the suggestion's lead deputy, or the deputy), so a
//! deputy's archive reads their published wins by an index; who nominated (an account, and the deputy group
//! on whose behalf); and once decided, the votes, rank, verdict and, for a staff decision, the reason.
//! A published PASSED candidate is an archive entry (SUGGESTION_SELECTED or DEPUTY_SELECTED) dated by the
//! publication: nothing is copied into the archive.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean_null, integer, integer_null, pk_uuid, string, string_null, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000028_selections"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("selections")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("kind"))
                .col(string("method"))
                .col(integer("year"))
                .col(string("title"))
                .col(integer("places"))
                .col(string("state"))
                .col(integer("electorate"))
                .col(integer_null("turnout"))
                .col(boolean_null("quorum"))
                .col(uuid("created_by"))
                .col(integer("version"))
                .col(timestamp_with_time_zone("opened_at"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("selections", "congress_id", "congresses"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("selections", "selections_congress", &["congress_id", "id"])).await?;

        m.create_table(
            Table::create()
                .table("selection_members")
                .col(uuid("selection_id"))
                .col(uuid("deputy_id"))
                .primary_key(Index::create().col("selection_id").col("deputy_id"))
                .foreign_key(&mut fk("selection_members", "selection_id", "selections"))
                .foreign_key(&mut fk("selection_members", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("selection_candidates")
                .col(pk_uuid("id"))
                .col(uuid("selection_id"))
                .col(integer("position"))
                .col(uuid("subject_id"))
                .col(uuid_null("suggestion_id"))
                .col(uuid("deputy_id"))
                .col(uuid("nominated_by"))
                .col(uuid_null("group_id"))
                .col(text("reason"))
                .col(integer_null("votes"))
                .col(integer_null("rank"))
                .col(string_null("verdict"))
                .col(text_null("decision_reason"))
                .col(timestamp_with_time_zone("nominated_at"))
                .foreign_key(&mut fk("selection_candidates", "selection_id", "selections"))
                .foreign_key(&mut fk("selection_candidates", "suggestion_id", "suggestions"))
                .foreign_key(&mut fk("selection_candidates", "deputy_id", "deputies"))
                .foreign_key(&mut fk("selection_candidates", "group_id", "deputy_groups"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "selection_candidates",
            "selection_candidates_subject",
            &["selection_id", "subject_id"],
        ))
        .await?;
        m.create_index(index(
            "selection_candidates",
            "selection_candidates_deputy",
            &["deputy_id", "verdict"],
        ))
        .await?;
        Ok(())
    }
}
