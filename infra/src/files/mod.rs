//! Attachments (附件): files and photos on the items they belong to.
//!
//! Uploading sniffs the bytes (only JPEG, PNG, WebP pictures and PDF documents), re-encodes pictures so no
//! EXIF block survives and draws a thumbnail, stores the bytes under their SHA-256 (the same file twice is
//! stored once; a retried upload writes nothing new) and links the stored file to its owner at the next
//! position. Who may see an owner may see its attachments: the owner's own visibility rule decides, never
//! a copy of it here. Deleting an attachment removes the link only; blobs nobody links to any more are
//! removed by [`sweep_orphans`].

pub mod links;
pub mod owners;
pub mod picture;
pub mod storage;
pub mod uploads;

use crate::Store;
use crate::entity::{attachment, blob};
use crate::error::{Error, Result};
use crate::idempotency::Idempotency;
use crate::opinions::OpinionSettings;
use crate::transaction::{self, Key, Once};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::attachment::{
    FileKind, FileName, MAX_ATTACHMENTS_PER_OWNER, MAX_FILE_BYTES, MAX_FILES_PER_REQUEST, OwnerKind,
    sniff_within,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use uuid::Uuid;

pub use links::{Link, LinkSigner};
pub use owners::{Owner, Want};
pub use storage::{Storage, StorageSettings};

/// A file attached to an item, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: Uuid,
    pub owner_kind: OwnerKind,
    /// The id the owner's attachments are stored under ([`Owner::key`]).
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

/// A stored file ready to be linked to its owner: its shown name and its blob.
#[derive(Debug, Clone)]
pub struct Prepared {
    name: FileName,
    blob: blob::Model,
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

/// Sniffs, cleans and stores `bytes`; returns the blob row. Writing is idempotent: the bytes land under
/// their own hash. A blob stored again is touched (its `created_at` renewed), so the orphan sweep does not
/// take it from under the link about to be written.
pub(crate) async fn store_blob(
    store: &Store,
    storage: &Storage,
    raw: &[u8],
    limit: usize,
) -> Result<blob::Model> {
    let kind = sniff_within(raw, limit)?;
    let (bytes, kind, thumbnail) = if kind.is_image() {
        let raw = raw.to_vec();
        let cleaned = tokio::task::spawn_blocking(move || picture::clean(&raw, kind))
            .await
            .map_err(|e| Error::Internal(format!("picture cleaning stopped: {e}")))??;
        (cleaned.bytes, cleaned.kind, Some(cleaned.thumbnail))
    } else {
        (raw.to_vec(), kind, None)
    };
    let checksum = hex(&Sha256::digest(&bytes));
    let size = i64::try_from(bytes.len()).map_err(|_| edaibiao_domain::attachment::too_large())?;
    let row = blob::Model {
        checksum: checksum.clone(),
        media_type: kind.media_type().to_owned(),
        size,
        thumbnail_key: thumbnail.as_ref().map(|_| storage::thumbnail_key(&checksum)),
        created_at: Utc::now(),
    };
    // The row first (touching an old one), then the bytes: a sweep that runs in between sees a fresh row.
    blob::Entity::insert(blob::ActiveModel::from(row.clone()))
        .on_conflict(
            OnConflict::column(blob::Column::Checksum).update_column(blob::Column::CreatedAt).to_owned(),
        )
        .exec_without_returning(&store.db)
        .await?;
    if let (Some(thumb), Some(key)) = (thumbnail, &row.thumbnail_key) {
        storage.put_once(key, thumb).await?;
    }
    storage.put_once(&storage::blob_key(&checksum), bytes).await?;
    Ok(row)
}

/// Checks the shown names and the count of `uploads` and stores their bytes (content-addressed: the same
/// file twice is stored once), ready for [`link`]. Nothing is linked yet: a request refused later leaves
/// only blobs nobody links to, which the sweep removes.
pub async fn prepare(store: &Store, storage: &Storage, uploads: &[Upload]) -> Result<Vec<Prepared>> {
    if uploads.is_empty() || uploads.len() > MAX_FILES_PER_REQUEST {
        return Err(DomainError::invalid("files", format!("send 1 to {MAX_FILES_PER_REQUEST} files")).into());
    }
    let mut names = Vec::with_capacity(uploads.len());
    for upload in uploads {
        names.push(FileName::parse(&upload.name)?);
    }
    let mut prepared = Vec::with_capacity(uploads.len());
    for (name, upload) in names.into_iter().zip(uploads) {
        prepared
            .push(Prepared { name, blob: store_blob(store, storage, &upload.bytes, MAX_FILE_BYTES).await? });
    }
    Ok(prepared)
}

/// Links `files` to `owner` after the attachments it has, in order, inside the caller's transaction (so
/// they come and go with the step that makes them). At most [`MAX_ATTACHMENTS_PER_OWNER`] per owner; a
/// concurrent upload to the same owner is a CONFLICT.
pub async fn link(
    txn: &impl ConnectionTrait,
    owner: Owner,
    uploaded_by: Uuid,
    files: &[Prepared],
) -> Result<Vec<Attachment>> {
    link_from(txn, owner, uploaded_by, files, Uuid::now_v7()).await
}

/// [`link`], the first new attachment taking id `first` (an idempotency key's result).
pub(crate) async fn link_from(
    txn: &impl ConnectionTrait,
    owner: Owner,
    uploaded_by: Uuid,
    files: &[Prepared],
    first: Uuid,
) -> Result<Vec<Attachment>> {
    let kind = owner.kind();
    let existing = attachment::Entity::find()
        .filter(attachment::Column::OwnerKind.eq(kind.as_str()))
        .filter(attachment::Column::OwnerId.eq(owner.key()))
        .order_by_desc(attachment::Column::Position)
        .all(txn)
        .await?;
    if existing.len() + files.len() > MAX_ATTACHMENTS_PER_OWNER {
        return Err(DomainError::invalid(
            "files",
            format!("an item has at most {MAX_ATTACHMENTS_PER_OWNER} attachments"),
        )
        .into());
    }
    let first_position = existing.first().map_or(0, |a| a.position) + 1;
    let now = Utc::now();
    let mut done = Vec::with_capacity(files.len());
    for (i, (position, file)) in (first_position..).zip(files).enumerate() {
        let row = attachment::Model {
            id: if i == 0 { first } else { Uuid::now_v7() },
            owner_kind: kind.as_str().to_owned(),
            owner_id: owner.key(),
            parent_id: owner.parent(),
            position,
            name: file.name.as_str().to_owned(),
            checksum: file.blob.checksum.clone(),
            uploaded_by,
            created_at: now,
        };
        attachment::Entity::insert(attachment::ActiveModel::from(row.clone()))
            .exec_without_returning(txn)
            .await
            .map_err(|e| Error::unique_as_conflict(e, "another upload to this item came first; retry"))?;
        done.push(to_attachment(row, &file.blob)?);
    }
    Ok(done)
}

fn to_attachment(row: attachment::Model, blob: &blob::Model) -> Result<Attachment> {
    let kind = FileKind::from_media_type(&blob.media_type)
        .ok_or_else(|| Error::Internal(format!("stored media type of {} is {}", row.id, blob.media_type)))?;
    let owner_kind = OwnerKind::parse(&row.owner_kind)
        .ok_or_else(|| Error::Internal(format!("stored owner kind of {} is {}", row.id, row.owner_kind)))?;
    Ok(Attachment {
        id: row.id,
        owner_kind,
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

/// Attaches `uploads` to `owner` after the ones it has, in order, for someone who may: they must see the
/// owner (NOT_FOUND otherwise) and be the one who writes it while it can change (the domain's rule for
/// the kind: FORBIDDEN or CONFLICT otherwise). A retry with the same idempotency key answers with the
/// first request's attachments and attaches nothing again.
pub async fn attach(
    store: &Store,
    storage: &Storage,
    opinions: &OpinionSettings,
    actor: &Actor,
    owner: Owner,
    uploads: Vec<Upload>,
    idempotency_key: Option<&str>,
) -> Result<Vec<Attachment>> {
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "attachFiles" });
    if let Some(idem) = &idem {
        crate::idempotency::check(idem)?;
        if let Some(first) = crate::idempotency::find(&store.db, actor.user_id, idem).await? {
            return batch(store, first).await;
        }
    }
    owners::check(store, opinions, Some(actor), owner, Want::Attach).await?;
    let prepared = prepare(store, storage, &uploads).await?;
    let first = Uuid::now_v7();
    let key = idem.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: first });
    // The key's result names the batch: its first attachment, whose id is chosen here.
    let done = transaction::run_once(store, key, async |txn| {
        // Asked again once the transaction holds its first write (on SQLite the write lock), so a step that
        // fixed the item while the files were being cleaned wins over them.
        owners::check(store, opinions, Some(actor), owner, Want::Attach).await?;
        link_from(txn, owner, actor.user_id, &prepared, first).await
    })
    .await?;
    match done {
        Once::Done(done) => Ok(done),
        Once::Replayed(first) => batch(store, first).await,
    }
}

/// The attachments one request made: the one `first` names and those linked with it.
async fn batch(store: &Store, first: Uuid) -> Result<Vec<Attachment>> {
    let head = attachment::Entity::find_by_id(first).one(&store.db).await?.ok_or("attachment")?;
    let rows = attachment::Entity::find()
        .filter(attachment::Column::OwnerKind.eq(&head.owner_kind))
        .filter(attachment::Column::OwnerId.eq(head.owner_id))
        .filter(attachment::Column::UploadedBy.eq(head.uploaded_by))
        .filter(attachment::Column::CreatedAt.eq(head.created_at))
        .order_by_asc(attachment::Column::Position)
        .all(&store.db)
        .await?;
    with_blobs(store, rows).await
}

pub(crate) async fn with_blobs(store: &Store, rows: Vec<attachment::Model>) -> Result<Vec<Attachment>> {
    let mut checksums: Vec<String> = rows.iter().map(|r| r.checksum.clone()).collect();
    checksums.sort_unstable();
    checksums.dedup();
    let blobs: HashMap<String, blob::Model> = blob::Entity::find()
        .filter(blob::Column::Checksum.is_in(checksums))
        .all(&store.db)
        .await?
        .into_iter()
        .map(|b| (b.checksum.clone(), b))
        .collect();
    rows.into_iter()
        .map(|row| {
            let blob = blobs
                .get(&row.checksum)
                .ok_or_else(|| Error::Internal(format!("attachment {} has no blob", row.id)))?;
            to_attachment(row, blob)
        })
        .collect()
}

/// The attachments of suggestion `suggestion_id`, in order, for whoever may see the suggestion.
pub async fn of_suggestion(store: &Store, actor: &Actor, suggestion_id: Uuid) -> Result<Vec<Attachment>> {
    crate::suggestions::find_for(store, actor, suggestion_id).await?;
    Ok(of_owners(store, OwnerKind::Suggestion, &[suggestion_id])
        .await?
        .remove(&suggestion_id)
        .unwrap_or_default())
}

/// The attachments of owners of one kind (by [`Owner::key`]), each in order, in one query (for data
/// loaders: the caller has shown each owner to its viewer already).
pub async fn of_owners(
    store: &Store,
    kind: OwnerKind,
    keys: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Attachment>>> {
    let rows = attachment::Entity::find()
        .filter(attachment::Column::OwnerKind.eq(kind.as_str()))
        .filter(attachment::Column::OwnerId.is_in(keys.iter().copied()))
        .order_by_asc(attachment::Column::Position)
        .all(&store.db)
        .await?;
    let mut by_owner: HashMap<Uuid, Vec<Attachment>> = HashMap::new();
    for a in with_blobs(store, rows).await? {
        by_owner.entry(a.owner_id).or_default().push(a);
    }
    Ok(by_owner)
}

pub(crate) fn stored_owner(row: &attachment::Model) -> Result<owners::Stored> {
    let kind = OwnerKind::parse(&row.owner_kind)
        .ok_or_else(|| Error::Internal(format!("stored owner kind of {} is {}", row.id, row.owner_kind)))?;
    Ok(owners::Stored { kind, owner_id: row.owner_id, parent_id: row.parent_id })
}

/// One attachment, for those who may see its owner; NOT_FOUND otherwise.
pub async fn attachment_for(
    store: &Store,
    opinions: &OpinionSettings,
    actor: Option<&Actor>,
    id: Uuid,
) -> Result<Attachment> {
    let row = attachment::Entity::find_by_id(id).one(&store.db).await?.ok_or("attachment")?;
    let owner = owners::resolve(store, actor, stored_owner(&row)?).await?;
    owners::check(store, opinions, actor, owner, Want::See)
        .await
        .map_err(|_| Error::from(DomainError::NotFound("attachment")))?;
    Ok(with_blobs(store, vec![row]).await?.pop().ok_or("attachment")?)
}

/// Removes attachment `id` (who may attach to its owner, while they may: the owner's rule). The stored
/// file stays while anything else links to it; the sweep removes it once nothing does. The positions of
/// the others stay as they are (gaps are harmless: the order is what counts). Returns what was removed.
pub async fn remove(
    store: &Store,
    opinions: &OpinionSettings,
    actor: &Actor,
    id: Uuid,
) -> Result<Attachment> {
    let removed = attachment_for(store, opinions, Some(actor), id).await?;
    let row = attachment::Entity::find_by_id(id).one(&store.db).await?.ok_or("attachment")?;
    let owner = owners::resolve(store, Some(actor), stored_owner(&row)?).await?;
    owners::check(store, opinions, Some(actor), owner, Want::Attach).await?;
    let gone = attachment::Entity::delete_by_id(id).exec(&store.db).await?;
    if gone.rows_affected == 0 {
        return Err(DomainError::conflict("the attachment was removed by another request").into());
    }
    Ok(removed)
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
            // Only if it was not stored again meanwhile (a new upload touches `created_at`).
            let deleted = blob::Entity::delete_many()
                .filter(blob::Column::Checksum.eq(&blob.checksum))
                .filter(blob::Column::CreatedAt.lt(stored_before))
                .exec(txn)
                .await?;
            Ok(deleted.rows_affected > 0)
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
    crate::job::repeat("attachment orphan sweep", every, || async {
        let expired =
            uploads::sweep_expired(&store, &storage, Utc::now() - chrono::Duration::days(1)).await?;
        let orphans = sweep_orphans(&store, &storage, Utc::now() - chrono::Duration::hours(1)).await?;
        Ok(expired + orphans)
    })
    .await;
}
