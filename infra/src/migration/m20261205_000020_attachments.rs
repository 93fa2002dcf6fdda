//! Attachments (附件).
//!
//! `blobs` are the stored files, named by the SHA-256 of their stored bytes (`checksum`, also their key in
//! the object store), so the same file sent twice is stored once; with their media type, size and, for
//! pictures, the key of their thumbnail. `attachments` link a blob to the item it belongs to (`owner_kind`
//! and `owner_id`: a suggestion, an opinion, …) at a position, under the name the uploader gave it. A blob
//! that no attachment references any more is an orphan, removed by the sweep job.

use super::util::{index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, integer, pk_uuid, string, string_null, timestamp_with_time_zone, uuid,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000020_attachments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("blobs")
                .col(string("checksum").primary_key())
                .col(string("media_type"))
                .col(big_integer("size"))
                .col(string_null("thumbnail_key"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("attachments")
                .col(pk_uuid("id"))
                .col(string("owner_kind"))
                .col(uuid("owner_id"))
                .col(integer("position"))
                .col(string("name"))
                .col(string("checksum"))
                .col(uuid("uploaded_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    &mut ForeignKey::create()
                        .from("attachments", "checksum")
                        .to("blobs", "checksum")
                        .on_delete(ForeignKeyAction::Restrict)
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "attachments",
            "attachments_owner_position",
            &["owner_kind", "owner_id", "position"],
        ))
        .await?;
        m.create_index(index("attachments", "attachments_checksum", &["checksum"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("attachments").to_owned()).await?;
        m.drop_table(Table::drop().table("blobs").to_owned()).await
    }
}
