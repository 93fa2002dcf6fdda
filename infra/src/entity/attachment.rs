use sea_orm::entity::prelude::*;

/// A stored file attached to an item (a suggestion, an opinion, …) at a position, under a shown name.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What kind of item owns it (`OwnerKind::as_str`).
    pub owner_kind: String,
    pub owner_id: Uuid,
    /// For an owner that is part of another record (a unit's answer: the suggestion), that record.
    pub parent_id: Option<Uuid>,
    /// 1, 2, … per owner, in the order shown.
    pub position: i32,
    pub name: String,
    /// The blob's checksum.
    pub checksum: String,
    pub uploaded_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
