//! The notification inbox: what concerns the viewer, newest first, with read marks.

use super::connection::{Conn, connection, page_request};
use super::error::{ApiError, ApiResult};
use super::{ContextExt, ids};
use crate::graphql::ids::NodeKind;
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use edaibiao_infra::notifications;

/// Something that happened and concerns the viewer.
pub struct Notification(pub notifications::Notification);

/// Something that happened and concerns the viewer (a step of their suggestion, a deadline, a request).
#[Object]
impl Notification {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Notification, self.0.id)
    }
    /// What happened.
    async fn kind(&self) -> super::kinds::NotificationKind {
        super::kinds::NotificationKind::from_stored(&self.0.kind)
    }
    /// The group its kind belongs to, as muted in the push preferences.
    async fn category(&self) -> super::device::NotificationCategory {
        edaibiao_domain::notification::Category::of(&self.0.kind).into()
    }
    /// A short title for the inbox.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// More detail, e.g. the suggestion's number and title.
    async fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }
    /// The type of the thing it is about (e.g. Suggestion).
    async fn subject_kind(&self) -> &str {
        &self.0.subject_kind
    }
    /// The global ID of the thing it is about; fetch it with `node(id:)`.
    async fn subject_id(&self) -> Option<ID> {
        // Every subject kind the store writes is the type name of a node; any other would have no ID.
        let kind = NodeKind::parse(&self.0.subject_kind)?;
        self.0.subject_id.map(|id| ids::encode(kind, id))
    }
    /// When it happened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the viewer read it; null while unread.
    async fn read_at(&self) -> Option<DateTime<Utc>> {
        self.0.read_at
    }
}

/// A notification for `node(id)`: only its recipient's; null for anyone else.
pub async fn node(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<Notification>> {
    let actor = ctx.actor()?;
    Ok(notifications::find_for(&ctx.services()?.store, actor.user_id, id).await?.map(Notification))
}

#[derive(Default)]
pub struct NotificationQuery;

#[Object]
impl NotificationQuery {
    /// The viewer's notifications, newest first.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(default, desc = "Only notifications not read yet.")] unread_only: bool,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<Notification>> {
        let actor = ctx.actor()?;
        let request = page_request(first, after)?;
        let page = notifications::inbox(&ctx.services()?.store, actor.user_id, unread_only, request).await?;
        Ok(connection(page, request, |n| n.id, Notification))
    }

    /// How many of the viewer's notifications are unread (the badge).
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> ApiResult<u64> {
        let actor = ctx.actor()?;
        Ok(notifications::unread_count(&ctx.services()?.store, actor.user_id).await?)
    }
}

#[derive(Default)]
pub struct NotificationMutation;

#[Object]
impl NotificationMutation {
    /// Marks the given notifications of the viewer read; returns how many changed. Others' IDs change
    /// nothing.
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global IDs of the viewer's notifications to mark read.")] ids: Vec<ID>,
    ) -> ApiResult<u64> {
        let actor = ctx.actor()?;
        if ids.len() > 500 {
            return Err(ApiError::bad_input("ids", "at most 500 at a time"));
        }
        let ids = ids
            .iter()
            .map(|id| ids::decode(NodeKind::Notification, "ids", id))
            .collect::<ApiResult<Vec<_>>>()?;
        Ok(notifications::mark_read(&ctx.services()?.store, actor.user_id, Some(&ids)).await?)
    }

    /// Marks every notification of the viewer read; returns how many changed.
    async fn mark_all_notifications_read(&self, ctx: &Context<'_>) -> ApiResult<u64> {
        let actor = ctx.actor()?;
        Ok(notifications::mark_read(&ctx.services()?.store, actor.user_id, None).await?)
    }
}
