//! Learning materials (在线学习), documents (资料查询) and the news feed (人大工作动态).
//!
//! `learning_materials` are what staff publish to deputies (an article's text, or a PDF's or video's URL),
//! with a category and an audience (all deputies, one deputy group, or the deputies named in
//! `learning_material_deputies`). `course_completions` records each deputy's completion of a course, once
//! per course and deputy (the unique index makes a retry a no-op); each is a COURSE_COMPLETED entry of the
//! deputy's duty archive. `documents` are laws, reports and rules to look up, public or for the congress.
//! `news_items` is the congress's news feed; an important item is pushed. Each table keeps its title and
//! text in plain columns, the read model search indexes.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, integer_null, pk_uuid, string, text, text_null, timestamp_with_time_zone, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000021_learning"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("learning_materials")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("title"))
                .col(text("body"))
                .col(string("kind"))
                .col(string("category"))
                .col(text_null("url"))
                .col(string("audience_kind"))
                .col(uuid_null("deputy_group_id"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("published_at"))
                .foreign_key(&mut fk("learning_materials", "congress_id", "congresses"))
                .foreign_key(&mut fk("learning_materials", "deputy_group_id", "deputy_groups"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("learning_materials", "learning_materials_congress", &["congress_id", "id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("learning_material_deputies")
                .col(pk_uuid("id"))
                .col(uuid("material_id"))
                .col(uuid("deputy_id"))
                .foreign_key(&mut fk("learning_material_deputies", "material_id", "learning_materials"))
                .foreign_key(&mut fk("learning_material_deputies", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "learning_material_deputies",
            "learning_material_deputies_unique",
            &["material_id", "deputy_id"],
        ))
        .await?;
        m.create_index(index(
            "learning_material_deputies",
            "learning_material_deputies_deputy",
            &["deputy_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("course_completions")
                .col(pk_uuid("id"))
                .col(uuid("material_id"))
                .col(uuid("congress_id"))
                .col(uuid("deputy_id"))
                .col(integer_null("seconds_spent"))
                .col(timestamp_with_time_zone("completed_at"))
                .foreign_key(&mut fk("course_completions", "material_id", "learning_materials"))
                .foreign_key(&mut fk("course_completions", "congress_id", "congresses"))
                .foreign_key(&mut fk("course_completions", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "course_completions",
            "course_completions_unique",
            &["material_id", "deputy_id"],
        ))
        .await?;
        m.create_index(index(
            "course_completions",
            "course_completions_archive",
            &["congress_id", "completed_at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("documents")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("title"))
                .col(text("body"))
                .col(string("category"))
                .col(text_null("url"))
                .col(boolean("public"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("published_at"))
                .foreign_key(&mut fk("documents", "congress_id", "congresses"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("documents", "documents_congress", &["congress_id", "id"])).await?;

        m.create_table(
            Table::create()
                .table("news_items")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("title"))
                .col(text("body"))
                .col(boolean("important"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("published_at"))
                .foreign_key(&mut fk("news_items", "congress_id", "congresses"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("news_items", "news_items_congress", &["congress_id", "id"])).await?;
        Ok(())
    }
}
