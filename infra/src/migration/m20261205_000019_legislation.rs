//! Open legislation (开门立法).
//!
//! `legislative_calls` are calls for the legislative plan with their period; `legislative_proposals` the
//! laws deputies and citizens propose, each with its outcome and reason. `draft_laws` are drafts published
//! for comment (the current version and its period, a version for compare-and-set); `draft_versions` the
//! history of versions and periods; `draft_articles` each version's numbered articles (a later version's
//! article names the one it continues and what changed); `draft_comments` the comments, on an article or the
//! whole draft of one version, unique per version, article and commenter (`commenter_key`: the account or
//! the confirmed phone's digest; a contact point's offline entries each have their own key). A phone is
//! kept sealed (AES-GCM) with a keyed digest, never in clear. `draft_law_links` are the deputies linked to a
//! draft (挂钩联系); `legislation_events` the timeline of calls and drafts.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer, pk_uuid, string, string_null, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000019_legislation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("legislative_calls")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("title"))
                .col(text("description"))
                .col(timestamp_with_time_zone("opens_at"))
                .col(timestamp_with_time_zone("closes_at"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(integer("version"))
                .foreign_key(&mut fk("legislative_calls", "congress_id", "congresses"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("legislative_calls", "legislative_calls_congress", &["congress_id"])).await?;

        m.create_table(
            Table::create()
                .table("legislative_proposals")
                .col(pk_uuid("id"))
                .col(uuid("call_id"))
                .col(uuid("congress_id"))
                .col(string("source_kind"))
                .col(uuid("account_id"))
                .col(uuid_null("deputy_id"))
                .col(string("law_title"))
                .col(string("kind"))
                .col(text("reason"))
                .col(string("outcome"))
                .col(text_null("outcome_reason"))
                .col(uuid_null("decided_by"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(integer("version"))
                .foreign_key(&mut fk("legislative_proposals", "call_id", "legislative_calls"))
                .foreign_key(&mut fk("legislative_proposals", "account_id", "accounts"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "legislative_proposals",
            "legislative_proposals_call",
            &["call_id", "outcome", "source_kind"],
        ))
        .await?;
        m.create_index(index("legislative_proposals", "legislative_proposals_account", &["account_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("draft_laws")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("title"))
                .col(text("description"))
                .col(integer("current_version"))
                .col(timestamp_with_time_zone("opens_at"))
                .col(timestamp_with_time_zone("closes_at"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(integer("version"))
                .foreign_key(&mut fk("draft_laws", "congress_id", "congresses"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("draft_laws", "draft_laws_congress", &["congress_id"])).await?;

        m.create_table(
            Table::create()
                .table("draft_versions")
                .col(uuid("draft_id"))
                .col(integer("number"))
                .col(timestamp_with_time_zone("opens_at"))
                .col(timestamp_with_time_zone("closes_at"))
                .col(uuid("published_by"))
                .col(timestamp_with_time_zone("published_at"))
                .primary_key(Index::create().col("draft_id").col("number"))
                .foreign_key(&mut fk("draft_versions", "draft_id", "draft_laws"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("draft_articles")
                .col(pk_uuid("id"))
                .col(uuid("draft_id"))
                .col(integer("draft_version"))
                .col(integer("position"))
                .col(string("chapter"))
                .col(string("number"))
                .col(text("text"))
                .col(text_null("change_note"))
                .col(uuid_null("based_on"))
                .foreign_key(&mut fk("draft_articles", "draft_id", "draft_laws"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "draft_articles",
            "draft_articles_position",
            &["draft_id", "draft_version", "position"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("draft_comments")
                .col(pk_uuid("id"))
                .col(uuid("draft_id"))
                .col(integer("draft_version"))
                .col(uuid_null("article_id"))
                .col(string("scope_key"))
                .col(string("commenter_key"))
                .col(string("source_kind"))
                .col(uuid_null("account_id"))
                .col(uuid_null("deputy_id"))
                .col(uuid_null("station_id"))
                .col(text_null("phone_sealed"))
                .col(string_null("phone_digest"))
                .col(text("content"))
                .col(integer("offline_count"))
                .col(string_null("offline_source"))
                .col(string("outcome"))
                .col(text_null("outcome_reason"))
                .col(uuid_null("decided_by"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(integer("version"))
                .foreign_key(&mut fk("draft_comments", "draft_id", "draft_laws"))
                .foreign_key(&mut fk("draft_comments", "article_id", "draft_articles"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "draft_comments",
            "draft_comments_one_per_commenter",
            &["draft_id", "draft_version", "scope_key", "commenter_key"],
        ))
        .await?;
        m.create_index(index(
            "draft_comments",
            "draft_comments_counts",
            &["draft_id", "draft_version", "article_id", "source_kind", "outcome"],
        ))
        .await?;
        m.create_index(index("draft_comments", "draft_comments_account", &["account_id"])).await?;

        m.create_table(
            Table::create()
                .table("draft_law_links")
                .col(uuid("draft_id"))
                .col(uuid("deputy_id"))
                .primary_key(Index::create().col("draft_id").col("deputy_id"))
                .foreign_key(&mut fk("draft_law_links", "draft_id", "draft_laws"))
                .foreign_key(&mut fk("draft_law_links", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("legislation_events")
                .col(pk_uuid("id"))
                .col(uuid("subject_id"))
                .col(string("kind"))
                .col(uuid_null("actor_id"))
                .col(text_null("note"))
                .col(timestamp_with_time_zone("at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("legislation_events", "legislation_events_subject", &["subject_id", "id"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "legislation_events",
            "draft_law_links",
            "draft_comments",
            "draft_articles",
            "draft_versions",
            "draft_laws",
            "legislative_proposals",
            "legislative_calls",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
