//! Attachments (附件): uploading files to a suggestion draft through the GraphQL multipart request spec
//! (`Upload`), and reading them back with short-lived signed download links.

use super::ids::{self, NodeKind};
use super::{ApiResult, ContextExt};
use crate::graphql::error::{ApiError, ErrorCode};
use async_graphql::{Context, ID, Object, Upload};
use edaibiao_domain::DomainError;
use edaibiao_domain::attachment::MAX_FILE_BYTES;
use edaibiao_infra::files::{self, Link};
use std::io::Read;

/// How long a download link works.
pub const LINK_LIFETIME_SECS: i64 = 300;

/// A file attached to an item: a photo (re-encoded without EXIF, with a thumbnail) or a PDF.
pub struct Attachment(pub files::Attachment);

/// Attachments of suggestions.
#[derive(Default)]
pub struct AttachmentQuery;

/// Uploading attachments.
#[derive(Default)]
pub struct AttachmentMutation;

fn link(ctx: &Context<'_>, a: &files::Attachment, thumbnail: bool) -> ApiResult<String> {
    let services = ctx.services()?;
    let expires_at = chrono::Utc::now().timestamp() + LINK_LIFETIME_SECS;
    let token = services.files.links.sign(Link { attachment_id: a.id, thumbnail, expires_at });
    Ok(format!("{}/files/{token}", services.public_base_url))
}

/// A file attached to an item: a photo (re-encoded without EXIF, with a thumbnail) or a PDF.
#[Object]
impl Attachment {
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

#[Object]
impl AttachmentMutation {
    /// The lead deputy attaches photos or PDFs to a suggestion draft (multipart request, one to nine files
    /// of at most 10 MiB each). Pictures are re-encoded without their EXIF data and get a thumbnail; the
    /// same file sent twice is stored once. Returns the new attachments, in order.
    async fn attach_files_to_suggestion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion draft.")] suggestion_id: ID,
        #[graphql(desc = "The files, as multipart uploads.")] files: Vec<Upload>,
    ) -> ApiResult<Vec<Attachment>> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::Suggestion, "suggestionId", &suggestion_id)?;
        let uploads = files.iter().map(|f| read_upload(ctx, f)).collect::<ApiResult<Vec<_>>>()?;
        let services = ctx.services()?;
        let done =
            files::attach_to_suggestion(&services.store, &services.files.storage, actor, id, uploads).await?;
        Ok(done.into_iter().map(Attachment).collect())
    }
}
