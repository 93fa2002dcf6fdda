use sea_orm::entity::prelude::*;

/// A large file announced for a presigned upload: where it goes, what it must be, until when.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "file_uploads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_kind: String,
    pub owner_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    /// The announced size in bytes.
    pub size: i64,
    /// The announced SHA-256 of the bytes sent, lower-case hex.
    pub checksum: String,
    /// Where the client puts the bytes before they are checked.
    pub staging_key: String,
    pub requested_by: Uuid,
    pub expires_at: DateTimeUtc,
    /// Set once completed: the attachment it became.
    pub attachment_id: Option<Uuid>,
    /// Set once completed: the checksum of the stored (cleaned) bytes.
    pub stored_checksum: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
