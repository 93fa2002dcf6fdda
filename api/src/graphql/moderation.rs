//! Moderation of public content over GraphQL: signed-in readers report what the public reads that others
//! wrote (comments on draft laws); reports hide it for review; staff of the congress read the queue and
//! restore or remove it with a reason. Resolvers parse arguments and call one use case of
//! `edaibiao_infra::moderation`.

use crate::graphql::ContextExt;
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::legislation::DraftComment;
use crate::graphql::node::Node;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use edaibiao_domain::moderation::{ContentKind, Report};
use edaibiao_infra::legislation as comments;
use edaibiao_infra::moderation as store;
use uuid::Uuid;

/// Where a piece of public content stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::moderation::ModerationState")]
pub enum ModerationState {
    /// Shown to everyone who may read it.
    Visible,
    /// Hidden after enough reports, waiting for staff (待审核); its author and staff still read it.
    Hidden,
    /// Removed by staff, with a reason; its author and staff still read it.
    Removed,
}

/// Why a reader reports a piece of content.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::moderation::ReportReason")]
pub enum ReportReason {
    /// Against the law (违法).
    Illegal,
    /// Insults or attacks a person (人身攻击).
    Abuse,
    /// Discloses someone's personal information (泄露个人信息).
    PersonalData,
    /// Advertising or flooding (广告刷屏).
    Spam,
    /// Has nothing to do with the matter (与主题无关).
    OffTopic,
    /// Something else, said in the note.
    Other,
}

/// What staff decide on a piece of content.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::moderation::Decision")]
pub enum ModerationDecision {
    /// Show it again; its open reports are closed.
    Restore,
    /// Take it down for good.
    Remove,
}

/// What kind of public content a moderation item is about.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::moderation::ContentKind")]
pub enum ModeratedContentKind {
    /// A comment on a draft law.
    DraftComment,
}

/// The kind of a piece of content by its global ID; BAD_USER_INPUT for anything that is not moderated.
fn content(id: &ID) -> ApiResult<(ContentKind, Uuid)> {
    match ids::decode_any(id) {
        Some((NodeKind::DraftComment, uuid)) => Ok((ContentKind::DraftComment, uuid)),
        _ => Err(ApiError::bad_input("contentId", "is not the ID of content that can be reported")),
    }
}

/// A report to file.
#[derive(InputObject)]
pub struct ReportContentInput {
    /// Global ID of the content (a `DraftComment`).
    pub content_id: ID,
    /// Why.
    pub reason: ReportReason,
    /// What is wrong, at most 500 characters; required when the reason is OTHER.
    pub note: Option<String>,
}

/// A report as filed (the reporter's own; staff read them on the item).
#[derive(SimpleObject)]
pub struct ContentReport {
    /// Why.
    pub reason: ReportReason,
    /// What the reporter said.
    pub note: Option<String>,
    /// Whether no decision has closed it yet.
    pub open: bool,
    /// When it was filed.
    pub created_at: DateTime<Utc>,
}

impl From<store::ReportView> for ContentReport {
    fn from(r: store::ReportView) -> Self {
        Self { reason: r.reason.into(), note: r.note, open: r.open, created_at: r.created_at }
    }
}

/// A step of a moderated piece.
#[derive(SimpleObject)]
pub struct ModerationStep {
    /// The state it went to: HIDDEN (by reports), VISIBLE (restored) or REMOVED.
    pub state: ModerationState,
    /// Staff's reason; null when reports hid it.
    pub reason: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

pub struct ModerationItem(pub store::Item);

/// A reported or moderated piece of public content, for staff of its congress: its state, its reports and
/// the decisions on it.
#[Object]
impl ModerationItem {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::ModerationItem, self.0.id)
    }
    /// What kind of content it is.
    async fn content_kind(&self) -> ModeratedContentKind {
        self.0.kind.into()
    }
    /// The comment, with who made it (staff read it in every state).
    async fn draft_comment(&self, ctx: &Context<'_>) -> ApiResult<Option<DraftComment>> {
        let services = ctx.services()?;
        match self.0.kind {
            ContentKind::DraftComment => Ok(Some(DraftComment(
                comments::comment_for(
                    &services.store,
                    &services.opinions.vault,
                    ctx.actor_opt(),
                    self.0.content_id,
                )
                .await?,
            ))),
        }
    }
    /// Where it stands.
    async fn state(&self) -> ModerationState {
        self.0.state.into()
    }
    /// Reports no decision has closed yet.
    async fn open_reports(&self) -> i32 {
        i32::try_from(self.0.open_reports).unwrap_or(i32::MAX)
    }
    /// All reports it ever had.
    async fn total_reports(&self) -> i32 {
        i32::try_from(self.0.total_reports).unwrap_or(i32::MAX)
    }
    /// The reports, newest first (at most 100), without who made them.
    async fn reports(&self, ctx: &Context<'_>) -> ApiResult<Vec<ContentReport>> {
        Ok(store::reports(&ctx.services()?.store, &self.0).await?.into_iter().map(Into::into).collect())
    }
    /// Its steps, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> ApiResult<Vec<ModerationStep>> {
        let steps = store::history(&ctx.services()?.store, &self.0).await?;
        Ok(steps
            .into_iter()
            .map(|s| ModerationStep { state: s.state.into(), reason: s.reason, at: s.at })
            .collect())
    }
    /// When reports last hid it.
    async fn hidden_at(&self) -> Option<DateTime<Utc>> {
        self.0.hidden_at
    }
    /// When staff last decided.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    /// Why (the author reads it too).
    async fn decision_reason(&self) -> Option<&str> {
        self.0.decision_reason.as_deref()
    }
    /// When it was first reported or moderated.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(Default)]
pub struct ModerationQuery;

#[Object]
impl ModerationQuery {
    /// The moderation queue of a congress (its staff only, FORBIDDEN otherwise): the pieces in `state`,
    /// HIDDEN (waiting for a decision) unless asked otherwise, oldest first.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn moderation_queue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Which pieces: HIDDEN (default), REMOVED or VISIBLE (restored or reported).")]
        state: Option<ModerationState>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Conn<ModerationItem>> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let request = page_request(first, after)?;
        let state = state.map_or(edaibiao_domain::moderation::ModerationState::Hidden, Into::into);
        let page = store::queue(&services.store, actor, congress, state, request).await?;
        Ok(connection(page, request, |i| i.id, ModerationItem))
    }
}

#[derive(Default)]
pub struct ModerationMutation;

#[Object]
impl ModerationMutation {
    /// A signed-in reader reports public content they can read, not their own (FORBIDDEN). Each account
    /// reports a piece once (CONFLICT after), at most 30 reports an hour. When the reports reach the
    /// congress's threshold (`MODERATION_HIDE_AFTER_REPORTS`, 3 by default) the piece is hidden for
    /// review: its author is told (`MODERATION_CONTENT_HIDDEN`) and the congress's staff are asked to
    /// decide (`MODERATION_REVIEW_NEEDED`). A retry with the same `idempotencyKey` answers as the first.
    async fn report_content(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to report and why.")] input: ReportContentInput,
        #[graphql(desc = "The phone's key for this request.")] idempotency_key: Option<String>,
    ) -> ApiResult<ContentReport> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let (kind, id) = content(&input.content_id)?;
        let report = Report::parse(input.reason.into(), input.note.as_deref())?;
        let made = store::report(
            &services.store,
            services.moderation,
            actor,
            kind,
            id,
            report,
            idempotency_key.as_deref(),
        )
        .await?;
        Ok(made.into())
    }

    /// Staff of the congress restore (RESTORE) hidden or removed content, or remove (REMOVE) visible or
    /// hidden content, with a reason its author reads (`MODERATION_CONTENT_RESTORED` /
    /// `MODERATION_CONTENT_REMOVED`); open reports are closed. The same decision twice is a CONFLICT. A
    /// retry with the same `idempotencyKey` answers as the first.
    async fn moderate_content(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the content (a `DraftComment`).")] content_id: ID,
        #[graphql(desc = "RESTORE or REMOVE.")] decision: ModerationDecision,
        #[graphql(desc = "Why, 1–500 characters; the author reads it.")] reason: String,
        #[graphql(desc = "The phone's key for this request.")] idempotency_key: Option<String>,
    ) -> ApiResult<ModerationItem> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let (kind, id) = content(&content_id)?;
        let item = store::moderate(
            &services.store,
            actor,
            kind,
            id,
            decision.into(),
            &reason,
            idempotency_key.as_deref(),
        )
        .await?;
        Ok(ModerationItem(item))
    }
}

/// Loads a moderation item for `node(id)`: staff of its congress only; null for anyone else.
pub async fn node(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Node>> {
    match store::item_for(&ctx.services()?.store, ctx.actor_opt(), id).await {
        Ok(item) => Ok(Some(Node::ModerationItem(Box::new(ModerationItem(item))))),
        Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
