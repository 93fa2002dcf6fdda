use sea_orm::entity::prelude::*;

/// One item of one deputy's reviewed result, with its category's figures.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluation_result_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub evaluation_id: Uuid,
    pub result_id: Uuid,
    pub category_position: i32,
    pub category_name: String,
    pub category_cap: Option<f64>,
    pub category_max: f64,
    pub category_score: f64,
    pub item_position: i32,
    pub item_name: String,
    /// The `ItemSource` name.
    pub source: String,
    /// JSON array of `EntryKind` names.
    pub kinds: String,
    pub points: f64,
    pub cap: f64,
    pub count: i64,
    pub score: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
