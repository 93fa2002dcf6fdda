//! Attachments (附件): uploading files to any item that takes them (suggestion drafts, units' answers,
//! opinions, reception records, duty entries, rectification reports, appraisal items, progress reports,
//! learning materials) through the GraphQL multipart request spec (`Upload`), reading them back with
//! short-lived signed download links, and removing them.

use super::ids::{self, NodeKind};
use super::loaders::AttachmentsKey;
use super::{ApiResult, ContextExt};
use crate::graphql::error::{ApiError, ErrorCode};
use async_graphql::{Context, ID, Object, Upload};
use edaibiao_domain::DomainError;
use edaibiao_domain::attachment::{MAX_FILE_BYTES, OwnerKind};
use edaibiao_infra::files::{self, Link, Owner};
use std::io::Read;

/// How long a download link works.
pub const LINK_LIFETIME_SECS: i64 = 300;

/// A file attached to an item: a photo (re-encoded without EXIF, with a thumbnail) or a PDF.
pub struct Attachment(pub files::Attachment);

/// Attachments of suggestions.
#[derive(Default)]
pub struct AttachmentQuery;

/// Where and how to send the bytes of a large file announced with `requestUpload`.
#[derive(async_graphql::SimpleObject)]
pub struct UploadTicket {
    /// The upload's ID, for `completeUpload` (not a global ID: an upload is no object to fetch).
    pub upload_id: ID,
    /// Send the file's bytes, unchanged, as the body of one request to this URL before `expiresAt`.
    pub url: String,
    /// The request's method: `PUT`.
    pub method: String,
    /// Headers to send with it (may be none).
    pub headers: Vec<UploadHeader>,
    /// When the URL stops working (15 minutes after the request).
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// One header to send with an upload.
#[derive(async_graphql::SimpleObject)]
pub struct UploadHeader {
    /// The header's name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// Uploading attachments.
#[derive(Default)]
pub struct AttachmentMutation;

fn link(ctx: &Context<'_>, a: &files::Attachment, thumbnail: bool) -> ApiResult<String> {
    let services = ctx.services()?;
    let expires_at = chrono::Utc::now().timestamp() + LINK_LIFETIME_SECS;
    let token = services.files.links.sign(Link { attachment_id: a.id, thumbnail, expires_at });
    Ok(format!("{}/files/{token}", services.public_base_url))
}

/// The attachments of the owner stored under `key`, in order, through the request's data loader (one
/// query per kind for a whole list). The caller has shown the owner to the viewer already.
pub async fn of(ctx: &Context<'_>, kind: OwnerKind, key: uuid::Uuid) -> ApiResult<Vec<Attachment>> {
    let found = ctx.loader()?.load_one(AttachmentsKey(kind, key)).await?;
    Ok(found.unwrap_or_default().into_iter().map(Attachment).collect())
}

/// The item a global ID names, if it is one that takes attachments: a Suggestion, a HandlingPart (a lead
/// unit's answer, 答复函) or an Answer (its part), an Opinion, a ReceptionRecord, a DutyEntry, a
/// RectificationReport, an AppraisalItem, a ProgressReport or a LearningMaterial.
pub fn owner(field: &'static str, id: &ID) -> ApiResult<Owner> {
    if let Some((Some(NodeKind::HandlingPart | NodeKind::Answer), key)) = ids::decode_part(id) {
        return Ok(Owner::Answer { suggestion_id: key.owner, unit_id: key.member });
    }
    let refused = || ApiError::bad_input(field, "is not the ID of an item that takes attachments");
    let (kind, uuid) = ids::decode_any(id).ok_or_else(refused)?;
    Ok(match kind {
        NodeKind::Suggestion => Owner::Suggestion(uuid),
        NodeKind::Opinion => Owner::Opinion(uuid),
        NodeKind::ReceptionRecord => Owner::ReceptionRecord(uuid),
        NodeKind::DutyEntry => Owner::DutyEntry(uuid),
        NodeKind::RectificationReport => Owner::RectificationReport(uuid),
        NodeKind::AppraisalItem => Owner::AppraisalItem(uuid),
        NodeKind::ProgressReport => Owner::ProgressReport(uuid),
        NodeKind::LearningMaterial => Owner::LearningMaterial(uuid),
        _ => return Err(refused()),
    })
}

/// One attachment for `node(id)`: null when the viewer may not see its item.
pub async fn node(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<Attachment>> {
    let services = ctx.services()?;
    match files::attachment_for(&services.store, &services.opinions, ctx.actor_opt(), id).await {
        Ok(found) => Ok(Some(Attachment(found))),
        Err(edaibiao_infra::Error::Domain(DomainError::NotFound(_))) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// A file attached to an item: a photo (re-encoded without EXIF, with a thumbnail) or a PDF.
#[Object]
impl Attachment {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Attachment, self.0.id)
    }

    /// 1, 2, … in the order the item shows its attachments.
    async fn position(&self) -> u32 {
        self.0.position
    }

    /// The name the uploader gave the file (shown and offered as the download name only).
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The media type, judged from the content: image/jpeg, image/png, image/webp or application/pdf.
    async fn media_type(&self) -> &'static str {
        self.0.kind.media_type()
    }

    /// Size of the stored file in bytes.
    async fn size(&self) -> u64 {
        self.0.size
    }

    /// SHA-256 of the stored bytes, lower-case hex.
    async fn checksum(&self) -> &str {
        &self.0.checksum
    }

    /// When it was attached.
    async fn created_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.created_at
    }

    /// A download link valid for five minutes; ask again for a fresh one.
    async fn url(&self, ctx: &Context<'_>) -> ApiResult<String> {
        link(ctx, &self.0, false)
    }

    /// A link to a small JPEG thumbnail (pictures only), valid for five minutes.
    async fn thumbnail_url(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        if !self.0.has_thumbnail {
            return Ok(None);
        }
        link(ctx, &self.0, true).map(Some)
    }
}

#[Object]
impl AttachmentQuery {
    /// The attachments of a suggestion, in order, for whoever may see the suggestion.
    async fn suggestion_attachments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion.")] suggestion_id: ID,
    ) -> ApiResult<Vec<Attachment>> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::Suggestion, "suggestionId", &suggestion_id)?;
        let found = files::of_suggestion(&ctx.services()?.store, actor, id).await?;
        Ok(found.into_iter().map(Attachment).collect())
    }
}

/// Reads an uploaded file, refusing one over [`MAX_FILE_BYTES`] (the multipart reader stops larger ones
/// before this; this is the second fence).
fn read_upload(ctx: &Context<'_>, upload: &Upload) -> ApiResult<files::Upload> {
    let value =
        upload.value(ctx).map_err(|_| ApiError::from(DomainError::invalid("files", "upload missing")))?;
    let name = value.filename.clone();
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_FILE_BYTES).unwrap_or(u64::MAX) + 1;
    value
        .into_read()
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("reading an upload: {e}")))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(edaibiao_domain::attachment::too_large().into());
    }
    Ok(files::Upload { name, bytes })
}

/// Reads every file of a request (the multipart reader lets at most `MAX_FILES_PER_REQUEST` through;
/// how many an item takes is checked after the permission, with the rest of the input).
pub fn read_uploads(ctx: &Context<'_>, files: &[Upload]) -> ApiResult<Vec<files::Upload>> {
    files.iter().map(|f| read_upload(ctx, f)).collect()
}

#[Object]
impl AttachmentMutation {
    /// Attaches photos or PDFs to an item (multipart request, one to nine files of at most 10 MiB each):
    /// a suggestion draft (its lead deputy), a lead unit's answer while it is due (the unit's staff; the
    /// ID of its HandlingPart), an opinion not yet taken (the citizen who raised it), a reception record or
    /// a progress report within 7 days (who wrote it), a duty entry not yet decided (its deputy), a
    /// rectification report not yet handed in (its deputy), an open or returned appraisal item (the
    /// appraised unit), a learning material (staff of its congress). Pictures are re-encoded without
    /// their EXIF data and get a thumbnail; the same file sent twice is stored once. Someone who may not
    /// see the item gets NOT_FOUND. A retry with the same idempotency key gets the first result and
    /// attaches nothing again. Returns the new attachments, in order.
    async fn attach_files(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the item the files belong to.")] owner_id: ID,
        #[graphql(desc = "The files, as multipart uploads.")] files: Vec<Upload>,
        #[graphql(desc = "Optional key (8–100 characters): a retry with the same key attaches once.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<Vec<Attachment>> {
        let actor = ctx.actor()?;
        let owner = owner("ownerId", &owner_id)?;
        let uploads = read_uploads(ctx, &files)?;
        let s = ctx.services()?;
        let done = files::attach(
            &s.store,
            &s.files.storage,
            &s.opinions,
            actor,
            owner,
            uploads,
            idempotency_key.as_deref(),
        )
        .await?;
        Ok(done.into_iter().map(Attachment).collect())
    }

    /// The lead deputy attaches photos or PDFs to a suggestion draft (as `attachFiles` does).
    #[graphql(deprecation = "Use attachFiles(ownerId:, files:), which takes every item with attachments.")]
    async fn attach_files_to_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion draft.")] suggestion_id: ID,
        #[graphql(desc = "The files, as multipart uploads.")] files: Vec<Upload>,
    ) -> ApiResult<Vec<Attachment>> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::Suggestion, "suggestionId", &suggestion_id)?;
        let uploads = read_uploads(ctx, &files)?;
        let s = ctx.services()?;
        let owner = Owner::Suggestion(id);
        let done =
            files::attach(&s.store, &s.files.storage, &s.opinions, actor, owner, uploads, None).await?;
        Ok(done.into_iter().map(Attachment).collect())
    }

    /// Announces a large file (up to 50 MiB; a PDF, or a picture) for an item, as `attachFiles` takes it and
    /// for the same people, and returns a short-lived URL to send its bytes to (straight to the object
    /// store where it can sign one). Then `completeUpload` checks and attaches it. Retry-safe: the same
    /// file is stored once, whatever the number of tickets.
    async fn request_upload(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the item the file belongs to.")] owner_id: ID,
        #[graphql(desc = "The file's name as shown (1–120 characters, no path).")] name: String,
        #[graphql(desc = "The file's size in bytes, 1 to 52,428,800 (50 MiB).")] size: i32,
        #[graphql(desc = "SHA-256 of the file's bytes, 64 lower-case hex digits.")] checksum: String,
    ) -> ApiResult<UploadTicket> {
        let actor = ctx.actor()?;
        let owner = owner("ownerId", &owner_id)?;
        let s = ctx.services()?;
        let (storage, opinions) = (&s.files.storage, &s.opinions);
        let ticket = files::uploads::request(
            &s.store,
            storage,
            opinions,
            actor,
            owner,
            &name,
            i64::from(size),
            &checksum,
        )
        .await?;
        let url = match ticket.presigned_url {
            Some(url) => url,
            None => {
                let token = s.files.links.sign_upload(ticket.id, ticket.expires_at.timestamp());
                format!("{}/files/uploads/{token}", s.public_base_url)
            }
        };
        Ok(UploadTicket {
            upload_id: ID(ticket.id.to_string()),
            url,
            method: "PUT".into(),
            headers: Vec::new(),
            expires_at: ticket.expires_at,
        })
    }

    /// Checks the bytes sent for an upload (the announced size and SHA-256: BAD_USER_INPUT otherwise;
    /// CONFLICT when nothing was sent yet or the ticket expired), cleans them as `attachFiles` does and
    /// attaches the file to its item. Only who requested the upload; completing again returns the same
    /// attachment and attaches nothing more.
    async fn complete_upload(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The `uploadId` from `requestUpload`.")] upload_id: ID,
    ) -> ApiResult<Attachment> {
        let actor = ctx.actor()?;
        let id = uuid::Uuid::parse_str(upload_id.as_str())
            .map_err(|_| ApiError::from(DomainError::NotFound("upload")))?;
        let s = ctx.services()?;
        let done = files::uploads::complete(&s.store, &s.files.storage, &s.opinions, actor, id).await?;
        Ok(Attachment(done))
    }

    /// Removes one attachment: who may attach to its item, while they may (as `attachFiles` says). The
    /// stored file stays while anything else links to it. Returns the removed attachment's ID.
    async fn remove_attachment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the attachment.")] id: ID,
    ) -> ApiResult<ID> {
        let actor = ctx.actor()?;
        let uuid = ids::decode(NodeKind::Attachment, "id", &id)?;
        let s = ctx.services()?;
        let removed = files::remove(&s.store, &s.opinions, actor, uuid).await?;
        Ok(ids::encode(NodeKind::Attachment, removed.id))
    }
}
