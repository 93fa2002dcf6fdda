//! Attachments on every owner, and presigned uploads.
//!
//! `attachments.parent_id`: for an owner that is a part of another record and has no id of its own (a
//! unit's answer to a suggestion, keyed by a UUID derived from the suggestion and the unit), that record
//! (the suggestion), so a stored attachment leads back to whose rule decides on it. Null otherwise.
//!
//! `file_uploads`: a large file announced with `requestUpload` (owner, name, size, checksum, who and until
//! when) that the client PUTs straight to the store; `completeUpload` checks the bytes and links them once
//! (`attachment_id` is set then, so completing twice attaches once).

use super::util::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, pk_uuid, string, string_null, timestamp_with_time_zone, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000023_attachment_parts_and_uploads"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("attachments").add_column(uuid_null("parent_id")).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table("file_uploads")
                .col(pk_uuid("id"))
                .col(string("owner_kind"))
                .col(uuid("owner_id"))
                .col(uuid_null("parent_id"))
                .col(string("name"))
                .col(big_integer("size"))
                .col(string("checksum"))
                .col(string("staging_key"))
                .col(uuid("requested_by"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(uuid_null("attachment_id"))
                .col(string_null("stored_checksum"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("file_uploads", "file_uploads_expires_at", &["expires_at"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("file_uploads").to_owned()).await?;
        m.alter_table(Table::alter().table("attachments").drop_column("parent_id").to_owned()).await
    }
}
