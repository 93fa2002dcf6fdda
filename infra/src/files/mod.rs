//! Attachments (附件): files and photos on the items they belong to.
//!
//! Uploading sniffs the bytes (only JPEG, PNG, WebP pictures and PDF documents), re-encodes pictures so no
//! EXIF block survives and draws a thumbnail, stores the bytes under their SHA-256 (the same file twice is
//! stored once; a retried upload writes nothing new) and links the stored file to its owner at the next
//! position. Who may see an owner may see its attachments: the owner's own visibility rule decides, never
//! a copy of it here. Deleting an attachment removes the link only; blobs nobody links to any more are
//! removed by [`sweep_orphans`].

pub mod links;
pub mod picture;
pub mod storage;

use crate::Store;
use crate::entity::{attachment, blob};
use crate::error::{Error, Result};
use crate::transaction;
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::attachment::{
    FileKind, FileName, MAX_ATTACHMENTS_PER_OWNER, MAX_FILES_PER_REQUEST, OwnerKind,
    may_attach_to_suggestion, sniff,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub use links::{Link, LinkSigner};
pub use storage::{Storage, StorageSettings};

/// A file attached to an item, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: Uuid,
    pub owner_kind: OwnerKind,
    pub owner_id: Uuid,
    /// 1, 2, … in the order shown.
    pub position: u32,
    pub name: String,
    pub kind: FileKind,
    pub size: u64,
    /// SHA-256 of the stored bytes, lower-case hex.
    pub checksum: String,
    pub has_thumbnail: bool,
    pub uploaded_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// A file as uploaded: the name the client gave and the bytes (at most the request's file limit).
#[derive(Debug)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A stored file's bytes, ready to serve.
#[derive(Debug)]
pub struct Opened {
    pub bytes: Vec<u8>,
    /// Never HTML: one of the accepted kinds, or JPEG for a thumbnail.
    pub media_type: &'static str,
    pub name: String,
    pub is_image: bool,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sniffs, cleans and stores `upload`; returns the blob's checksum, kind, size and thumbnail key. Writing
/// is idempotent: the bytes land under their own hash.
async fn store_blob(store: &Store, storage: &Storage, upload: &Upload) -> Result<blob::Model> {
    let kind = sniff(&upload.bytes)?;
    let (bytes, kind, thumbnail) = if kind.is_image() {
        let raw = upload.bytes.clone();
        let cleaned = tokio::task::spawn_blocking(move || picture::clean(&raw, kind))
            .await
            .map_err(|e| Error::Internal(format!("picture cleaning stopped: {e}")))??;
        (cleaned.bytes, cleaned.kind, Some(cleaned.thumbnail))
    } else {
        (upload.bytes.clone(), kind, None)
    };
    let checksum = hex(&Sha256::digest(&bytes));
    let size = i64::try_from(bytes.len()).map_err(|_| edaibiao_domain::attachment::too_large())?;
    let thumbnail_key = match thumbnail {
        Some(thumb) => {
            let key = storage::thumbnail_key(&checksum);
            storage.put_once(&key, thumb).await?;
            Some(key)
        }
        None => None,
    };
    storage.put_once(&storage::blob_key(&checksum), bytes).await?;
    let row = blob::Model {
        checksum,
        media_type: kind.media_type().to_owned(),
        size,
        thumbnail_key,
        created_at: Utc::now(),
    };
    blob::Entity::insert(blob::ActiveModel::from(row.clone()))
        .on_conflict(OnConflict::column(blob::Column::Checksum).do_nothing().to_owned())
        .exec_without_returning(&store.db)
        .await?;
    Ok(row)
}

fn to_attachment(row: attachment::Model, blob: &blob::Model) -> Result<Attachment> {
    let kind = FileKind::from_media_type(&blob.media_type)
        .ok_or_else(|| Error::Internal(format!("stored media type of {} is {}", row.id, blob.media_type)))?;
    Ok(Attachment {
        id: row.id,
        owner_kind: OwnerKind::Suggestion,
        owner_id: row.owner_id,
        position: u32::try_from(row.position).unwrap_or(0),
        name: row.name,
        kind,
        size: u64::try_from(blob.size).unwrap_or(0),
        checksum: row.checksum,
        has_thumbnail: blob.thumbnail_key.is_some(),
        uploaded_by: row.uploaded_by,
        created_at: row.created_at,
    })
}

/// Attaches `uploads` to suggestion `suggestion_id` after the ones it has, in order. Only its lead
/// deputy, while it is a draft; a suggestion the actor may not see is NOT_FOUND.
pub async fn attach_to_suggestion(
    store: &Store,
    storage: &Storage,
    actor: &Actor,
    suggestion_id: Uuid,
    uploads: Vec<Upload>,
) -> Result<Vec<Attachment>> {
    let suggestion = crate::suggestions::find_for(store, actor, suggestion_id).await?;
    may_attach_to_suggestion(actor, &suggestion)?;
    if uploads.is_empty() || uploads.len() > MAX_FILES_PER_REQUEST {
        return Err(DomainError::invalid("files", format!("send 1 to {MAX_FILES_PER_REQUEST} files")).into());
    }
    let mut named = Vec::with_capacity(uploads.len());
    for upload in &uploads {
        named.push(FileName::parse(&upload.name)?);
    }
    let mut blobs = Vec::with_capacity(uploads.len());
    for upload in &uploads {
        blobs.push(store_blob(store, storage, upload).await?);
    }
    let owner = OwnerKind::Suggestion;
    let actor_id = actor.user_id;
    let rows = transaction::run(store, async |txn| {
        let existing = attachment::Entity::find()
            .filter(attachment::Column::OwnerKind.eq(owner.as_str()))
            .filter(attachment::Column::OwnerId.eq(suggestion_id))
            .order_by_desc(attachment::Column::Position)
            .all(txn)
            .await?;
        if existing.len() + blobs.len() > MAX_ATTACHMENTS_PER_OWNER {
            return Err(DomainError::invalid(
                "files",
                format!("an item has at most {MAX_ATTACHMENTS_PER_OWNER} attachments"),
            )
            .into());
        }
        let first = existing.first().map_or(0, |a| a.position) + 1;
        let mut rows = Vec::with_capacity(blobs.len());
        for (position, (name, blob)) in (first..).zip(named.iter().zip(&blobs)) {
            let row = attachment::Model {
                id: Uuid::now_v7(),
                owner_kind: owner.as_str().to_owned(),
                owner_id: suggestion_id,
                position,
                name: name.as_str().to_owned(),
                checksum: blob.checksum.clone(),
                uploaded_by: actor_id,
                created_at: Utc::now(),
            };
            attachment::Entity::insert(attachment::ActiveModel::from(row.clone()))
                .exec_without_returning(txn)
                .await
                .map_err(|e| Error::unique_as_conflict(e, "another upload to this item came first; retry"))?;
            rows.push(row);
        }
        Ok(rows)
    })
    .await?;
    rows.into_iter().zip(&blobs).map(|(row, blob)| to_attachment(row, blob)).collect()
}

/// The attachments of suggestion `suggestion_id`, in order, for whoever may see the suggestion.
pub async fn of_suggestion(store: &Store, actor: &Actor, suggestion_id: Uuid) -> Result<Vec<Attachment>> {
    crate::suggestions::find_for(store, actor, suggestion_id).await?;
    of_owner(store, OwnerKind::Suggestion, suggestion_id).await
}

async fn of_owner(store: &Store, owner: OwnerKind, owner_id: Uuid) -> Result<Vec<Attachment>> {
    let rows = attachment::Entity::find()
        .filter(attachment::Column::OwnerKind.eq(owner.as_str()))
        .filter(attachment::Column::OwnerId.eq(owner_id))
        .order_by_asc(attachment::Column::Position)
        .all(&store.db)
        .await?;
    let checksums: Vec<String> = rows.iter().map(|r| r.checksum.clone()).collect();
    let blobs = blob::Entity::find().filter(blob::Column::Checksum.is_in(checksums)).all(&store.db).await?;
    rows.into_iter()
        .map(|row| {
            let blob = blobs
                .iter()
                .find(|b| b.checksum == row.checksum)
                .ok_or_else(|| Error::Internal(format!("attachment {} has no blob", row.id)))?;
            to_attachment(row, blob)
        })
        .collect()
}

/// Removes attachment `id` from its suggestion draft (its lead deputy only). The stored file stays while
/// anything else links to it; the sweep removes it once nothing does.
pub async fn remove_from_suggestion(store: &Store, actor: &Actor, id: Uuid) -> Result<Uuid> {
    let row = attachment::Entity::find_by_id(id).one(&store.db).await?.ok_or("attachment")?;
    if row.owner_kind != OwnerKind::Suggestion.as_str() {
        return Err(DomainError::NotFound("attachment").into());
    }
    let suggestion = crate::suggestions::find_for(store, actor, row.owner_id)
        .await
        .map_err(|_| Error::from(DomainError::NotFound("attachment")))?;
    may_attach_to_suggestion(actor, &suggestion)?;
    attachment::Entity::delete_by_id(id).exec(&store.db).await?;
    Ok(row.owner_id)
}

/// The bytes a valid link opens: the file itself or its thumbnail. `None` when the attachment or its
/// bytes are gone.
pub async fn open(store: &Store, storage: &Storage, link: Link) -> Result<Option<Opened>> {
    let Some(row) = attachment::Entity::find_by_id(link.attachment_id).one(&store.db).await? else {
        return Ok(None);
    };
    let Some(blob) = blob::Entity::find_by_id(row.checksum.clone()).one(&store.db).await? else {
        return Ok(None);
    };
    let kind = FileKind::from_media_type(&blob.media_type)
        .ok_or_else(|| Error::Internal(format!("stored media type of {} is {}", row.id, blob.media_type)))?;
    let (key, media_type) = match (link.thumbnail, &blob.thumbnail_key) {
        (false, _) => (storage::blob_key(&blob.checksum), kind.media_type()),
        (true, Some(key)) => (key.clone(), FileKind::Jpeg.media_type()),
        (true, None) => return Ok(None),
    };
    Ok(storage.get(&key).await?.map(|bytes| Opened {
        bytes,
        media_type,
        name: row.name,
        is_image: kind.is_image() || link.thumbnail,
    }))
}

/// Removes blobs stored before `stored_before` that no attachment links to, bytes first, and returns how
/// many. Safe to run on several instances at once (deleting twice is harmless).
pub async fn sweep_orphans(store: &Store, storage: &Storage, stored_before: DateTime<Utc>) -> Result<usize> {
    let old =
        blob::Entity::find().filter(blob::Column::CreatedAt.lt(stored_before)).all(&store.jobs_db).await?;
    let mut swept = 0;
    for blob in old {
        let linked = attachment::Entity::find()
            .filter(attachment::Column::Checksum.eq(&blob.checksum))
            .count(&store.jobs_db)
            .await?;
        if linked > 0 {
            continue;
        }
        // Row first, then bytes: an upload racing the sweep re-inserts the row and re-puts the bytes.
        let gone = transaction::run_job(store, async |txn| {
            let still = attachment::Entity::find()
                .filter(attachment::Column::Checksum.eq(&blob.checksum))
                .count(txn)
                .await?;
            if still > 0 {
                return Ok(false);
            }
            blob::Entity::delete_by_id(blob.checksum.clone()).exec(txn).await?;
            Ok(true)
        })
        .await?;
        if gone {
            if let Some(key) = &blob.thumbnail_key {
                storage.delete(key).await?;
            }
            storage.delete(&storage::blob_key(&blob.checksum)).await?;
            swept += 1;
        }
    }
    Ok(swept)
}

/// Sweeps orphaned blobs older than an hour every `every`.
pub async fn sweep_forever(store: Store, storage: Storage, every: std::time::Duration) {
    crate::job::repeat("attachment orphan sweep", every, || {
        sweep_orphans(&store, &storage, Utc::now() - chrono::Duration::hours(1))
    })
    .await;
}
