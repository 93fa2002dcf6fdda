//! The evaluation scheme (考评细则, e.g. 五大项二十六小项): a tree of categories and items staff define for one
//! year's evaluation, the manual scores staff give on its items, and the per-item snapshot of the review.
//!
//! `evaluation_categories` and `evaluation_items` are the tree of one evaluation, in order (`position`,
//! unique per evaluation / category); an item's `kinds` is a JSON array of `EntryKind` names (empty unless
//! its source is KINDS). Replacing the tree deletes and writes all of it, and the manual scores with it.
//! `evaluation_item_scores` are the scores staff give a deputy on a MANUAL item, one per item and deputy.
//! `evaluation_result_items` is the review's snapshot, one row per deputy and item with the figures of the
//! item and of its category (the category's columns repeat on each of its items), so a published result
//! keeps showing every category and item as reviewed even if the tree were changed; reopening deletes it
//! with the results.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, double, double_null, integer, pk_uuid, string, text, timestamp_with_time_zone, uuid,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000027_evaluation_tree"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("evaluation_categories")
                .col(pk_uuid("id"))
                .col(uuid("evaluation_id"))
                .col(integer("position"))
                .col(string("name"))
                .col(double_null("cap"))
                .foreign_key(&mut fk("evaluation_categories", "evaluation_id", "duty_evaluations"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "evaluation_categories",
            "evaluation_categories_position",
            &["evaluation_id", "position"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("evaluation_items")
                .col(pk_uuid("id"))
                .col(uuid("evaluation_id"))
                .col(uuid("category_id"))
                .col(integer("position"))
                .col(string("name"))
                .col(double("points"))
                .col(double("cap"))
                .col(string("source"))
                .col(text("kinds"))
                .foreign_key(&mut fk("evaluation_items", "evaluation_id", "duty_evaluations"))
                .foreign_key(&mut fk("evaluation_items", "category_id", "evaluation_categories"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "evaluation_items",
            "evaluation_items_position",
            &["category_id", "position"],
        ))
        .await?;
        m.create_index(index("evaluation_items", "evaluation_items_evaluation", &["evaluation_id"])).await?;

        m.create_table(
            Table::create()
                .table("evaluation_item_scores")
                .col(pk_uuid("id"))
                .col(uuid("evaluation_id"))
                .col(uuid("item_id"))
                .col(uuid("deputy_id"))
                .col(double("score"))
                .col(uuid("scored_by"))
                .col(timestamp_with_time_zone("scored_at"))
                .foreign_key(&mut fk("evaluation_item_scores", "evaluation_id", "duty_evaluations"))
                .foreign_key(&mut fk("evaluation_item_scores", "item_id", "evaluation_items"))
                .foreign_key(&mut fk("evaluation_item_scores", "deputy_id", "deputies"))
                .foreign_key(&mut fk("evaluation_item_scores", "scored_by", "accounts"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "evaluation_item_scores",
            "evaluation_item_scores_item_deputy",
            &["item_id", "deputy_id"],
        ))
        .await?;
        m.create_index(index(
            "evaluation_item_scores",
            "evaluation_item_scores_evaluation",
            &["evaluation_id", "deputy_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("evaluation_result_items")
                .col(pk_uuid("id"))
                .col(uuid("evaluation_id"))
                .col(uuid("result_id"))
                .col(integer("category_position"))
                .col(string("category_name"))
                .col(double_null("category_cap"))
                .col(double("category_max"))
                .col(double("category_score"))
                .col(integer("item_position"))
                .col(string("item_name"))
                .col(string("source"))
                .col(text("kinds"))
                .col(double("points"))
                .col(double("cap"))
                .col(big_integer("count"))
                .col(double("score"))
                .foreign_key(&mut fk("evaluation_result_items", "evaluation_id", "duty_evaluations"))
                .foreign_key(&mut fk("evaluation_result_items", "result_id", "evaluation_results"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "evaluation_result_items",
            "evaluation_result_items_position",
            &["result_id", "category_position", "item_position"],
        ))
        .await?;
        m.create_index(index(
            "evaluation_result_items",
            "evaluation_result_items_evaluation",
            &["evaluation_id"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in
            ["evaluation_result_items", "evaluation_item_scores", "evaluation_items", "evaluation_categories"]
        {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
