use sea_orm::entity::prelude::*;

/// An item of an evaluation's scheme, in its category.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluation_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub evaluation_id: Uuid,
    pub category_id: Uuid,
    pub position: i32,
    pub name: String,
    pub points: f64,
    pub cap: f64,
    /// The `ItemSource` name.
    pub source: String,
    /// JSON array of `EntryKind` names.
    pub kinds: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
