//! Presigned uploads for large files (up to [`MAX_UPLOAD_BYTES`]): the phone announces the file (owner,
//! name, size, SHA-256) with `requestUpload` and gets a short-lived URL to PUT the bytes to — the S3
//! store's own presigned URL, or on the local file system the API's signed `PUT /files/uploads/{token}`
//! — then `completeUpload` checks size and checksum, sniffs and cleans the bytes exactly as the multipart
//! path does, stores them content-addressed and links them to the owner. Completing twice links once.

use super::owners::{self, Owner, Want};
use super::{Attachment, Storage, link_from, store_blob, with_blobs};
use crate::Store;
use crate::entity::{attachment, file_upload};
use crate::error::{Error, Result};
use crate::opinions::OpinionSettings;
use crate::transaction;
use chrono::{DateTime, Duration, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::attachment::{Checksum, FileName, MAX_UPLOAD_BYTES, OwnerKind, too_large_for};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// How long an upload URL (and the announced upload) lives.
pub const UPLOAD_LIFETIME_MINUTES: i64 = 15;

/// An announced upload: where to PUT the bytes and until when.
#[derive(Debug, Clone)]
pub struct Ticket {
    pub id: Uuid,
    pub expires_at: DateTime<Utc>,
    /// The store's own presigned PUT URL (S3); `None` on the file system, where the API signs its own.
    pub presigned_url: Option<String>,
}

/// The staging key of upload `id`: where the client's bytes wait to be checked.
fn staging_key(id: Uuid) -> String {
    format!("uploads/{id}")
}

/// Announces an upload of `size` bytes whose SHA-256 is `checksum`, to be attached to `owner` under `name`:
/// for someone who may attach to it (as `attachFiles`: NOT_FOUND, FORBIDDEN or CONFLICT otherwise).
#[allow(clippy::too_many_arguments, reason = "one use case, its inputs as they come")]
pub async fn request(
    store: &Store,
    storage: &Storage,
    opinions: &OpinionSettings,
    actor: &Actor,
    owner: Owner,
    name: &str,
    size: i64,
    checksum: &str,
) -> Result<Ticket> {
    owners::check(store, opinions, Some(actor), owner, Want::Attach).await?;
    let name = FileName::parse(name)?;
    let limit = i64::try_from(MAX_UPLOAD_BYTES).unwrap_or(i64::MAX);
    if size < 1 {
        return Err(DomainError::invalid("size", "must be at least 1 byte").into());
    }
    if size > limit {
        return Err(DomainError::invalid("size", too_large_for(MAX_UPLOAD_BYTES).to_string()).into());
    }
    let checksum = Checksum::parse(checksum)?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let expires_at = now + Duration::minutes(UPLOAD_LIFETIME_MINUTES);
    let row = file_upload::ActiveModel {
        id: Set(id),
        owner_kind: Set(owner.kind().as_str().to_owned()),
        owner_id: Set(owner.key()),
        parent_id: Set(owner.parent()),
        name: Set(name.as_str().to_owned()),
        size: Set(size),
        checksum: Set(checksum.as_str().to_owned()),
        staging_key: Set(staging_key(id)),
        requested_by: Set(actor.user_id),
        expires_at: Set(expires_at),
        attachment_id: Set(None),
        stored_checksum: Set(None),
        created_at: Set(now),
    };
    file_upload::Entity::insert(row).exec_without_returning(&store.db).await?;
    let lifetime = std::time::Duration::from_secs(u64::try_from(UPLOAD_LIFETIME_MINUTES * 60).unwrap_or(900));
    let presigned_url = storage.presign(true, &staging_key(id), lifetime).await?;
    Ok(Ticket { id, expires_at, presigned_url })
}

/// The announced size of an open upload `id` (the limit of the body `PUT /files/uploads/{token}` takes);
/// `None` when it is unknown, completed or expired.
pub async fn open_size(store: &Store, id: Uuid) -> Result<Option<usize>> {
    let Some(row) = file_upload::Entity::find_by_id(id).one(&store.db).await? else { return Ok(None) };
    if row.attachment_id.is_some() || row.expires_at < Utc::now() {
        return Ok(None);
    }
    Ok(usize::try_from(row.size).ok())
}

/// Keeps the bytes PUT to the API's own upload URL (file system store) until `completeUpload` checks them.
/// The body was read with the announced size as its limit.
pub async fn receive(store: &Store, storage: &Storage, id: Uuid, bytes: Vec<u8>) -> Result<bool> {
    let Some(size) = open_size(store, id).await? else { return Ok(false) };
    if bytes.len() > size {
        return Err(DomainError::invalid("file", "is larger than announced").into());
    }
    storage.put(&staging_key(id), bytes).await?;
    Ok(true)
}

/// Completes upload `id` (only who requested it: NOT_FOUND for anyone else): checks that the bytes sent
/// have the announced size and SHA-256 (BAD_USER_INPUT otherwise), sniffs and cleans them as the multipart
/// path does, stores them content-addressed and links them to the owner, if the actor still may attach to
/// it. Completing again answers with the same attachment and links nothing more.
pub async fn complete(
    store: &Store,
    storage: &Storage,
    opinions: &OpinionSettings,
    actor: &Actor,
    id: Uuid,
) -> Result<Attachment> {
    let row = file_upload::Entity::find_by_id(id)
        .one(&store.db)
        .await?
        .filter(|r| r.requested_by == actor.user_id)
        .ok_or(DomainError::NotFound("upload"))?;
    if let Some(done) = row.attachment_id {
        return done_attachment(store, done).await;
    }
    if row.expires_at < Utc::now() {
        return Err(DomainError::conflict("the upload expired; request a new one").into());
    }
    let kind = OwnerKind::parse(&row.owner_kind)
        .ok_or_else(|| Error::Internal(format!("stored owner kind of upload {id} is {}", row.owner_kind)))?;
    let stored = owners::Stored { kind, owner_id: row.owner_id, parent_id: row.parent_id };
    let owner = owners::resolve(store, Some(actor), stored).await?;
    owners::check(store, opinions, Some(actor), owner, Want::Attach).await?;
    let Some(bytes) = storage.get(&row.staging_key).await? else {
        // A twin completion may have linked the file (and cleared its staged bytes) meanwhile.
        let now = file_upload::Entity::find_by_id(id).one(&store.db).await?.and_then(|r| r.attachment_id);
        if let Some(done) = now {
            return done_attachment(store, done).await;
        }
        return Err(
            DomainError::conflict("nothing was uploaded yet; PUT the file to the upload URL first").into()
        );
    };
    if i64::try_from(bytes.len()).ok() != Some(row.size) {
        return Err(DomainError::invalid("file", "does not have the announced size").into());
    }
    if super::hex(&Sha256::digest(&bytes)) != row.checksum {
        return Err(DomainError::invalid("file", "does not have the announced checksum").into());
    }
    let blob = store_blob(store, storage, &bytes, MAX_UPLOAD_BYTES).await?;
    let name = FileName::parse(&row.name)?;
    let prepared = super::Prepared { name, blob };
    let attachment_id = Uuid::now_v7();
    let linked = transaction::run(store, async |txn| {
        // Claims the upload: of two completions at once, one links and the other finds it done.
        let claimed = file_upload::Entity::update_many()
            .col_expr(file_upload::Column::AttachmentId, Expr::value(attachment_id))
            .col_expr(file_upload::Column::StoredChecksum, Expr::value(prepared.blob.checksum.clone()))
            .filter(file_upload::Column::Id.eq(id))
            .filter(file_upload::Column::AttachmentId.is_null())
            .exec(txn)
            .await?;
        if claimed.rows_affected == 0 {
            return Ok(None);
        }
        owners::check(store, opinions, Some(actor), owner, Want::Attach).await?;
        let mut done =
            link_from(txn, owner, actor.user_id, std::slice::from_ref(&prepared), attachment_id).await?;
        Ok(done.pop())
    })
    .await?;
    storage.delete(&row.staging_key).await?;
    match linked {
        Some(done) => Ok(done),
        None => {
            let done =
                file_upload::Entity::find_by_id(id).one(&store.db).await?.and_then(|r| r.attachment_id);
            done_attachment(store, done.ok_or("upload")?).await
        }
    }
}

async fn done_attachment(store: &Store, id: Uuid) -> Result<Attachment> {
    let row = attachment::Entity::find_by_id(id)
        .one(&store.db)
        .await?
        .ok_or(DomainError::NotFound("attachment"))?;
    Ok(with_blobs(store, vec![row]).await?.pop().ok_or("attachment")?)
}

/// Removes uploads that expired before `before` (a day after they were announced, completed or not) and
/// the bytes still staged for them. Returns how many.
pub async fn sweep_expired(store: &Store, storage: &Storage, before: DateTime<Utc>) -> Result<usize> {
    let old = file_upload::Entity::find()
        .filter(file_upload::Column::ExpiresAt.lt(before))
        .all(&store.jobs_db)
        .await?;
    for row in &old {
        storage.delete(&row.staging_key).await?;
        file_upload::Entity::delete_by_id(row.id).exec(&store.jobs_db).await?;
    }
    Ok(old.len())
}

/// The key bytes are staged under, for tests that PUT to a presigned URL.
pub fn staged_key(id: Uuid) -> String {
    staging_key(id)
}
