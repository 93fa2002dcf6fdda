use sea_orm::entity::prelude::*;

/// A stored file, named by the SHA-256 of its stored bytes (its key in the object store too).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "blobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub checksum: String,
    pub media_type: String,
    pub size: i64,
    /// Pictures only: the object-store key of the JPEG thumbnail.
    pub thumbnail_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
