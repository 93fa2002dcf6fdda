//! Live updates over WebSocket (`graphql-transport-ws`): the viewer's new notifications and one
//! suggestion's timeline. Each resumes after the last item the client has, so a phone that drops off the
//! network misses nothing and sees nothing twice.

use super::error::{ApiError, ApiResult};
use super::notification::Notification;
use super::suggestion::types::TimelineEvent;
use super::{ContextExt, ids};
use crate::graphql::ids::NodeKind;
use async_graphql::{Context, ID, Subscription};
use edaibiao_infra::feed;
use edaibiao_infra::suggestions;
use futures_util::{Stream, StreamExt};
use std::pin::Pin;

#[derive(Default)]
pub struct Subscription;

/// Live updates over WebSocket (`graphql-transport-ws`); each resumes after the last item the app has.
#[Subscription]
impl Subscription {
    /// The viewer's notifications as they arrive. With `after` (the ID of the last notification the app
    /// has), first those it missed, oldest first, then live ones; without it, only what arrives from now.
    /// Ends with UNAUTHENTICATED when the connection's access token expires: reconnect with a fresh one
    /// and resume with `after`. Sockets of one account that ask the same share one execution.
    async fn notification_added(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Global ID of the last notification the app has: the ones after it are sent first. Omit to get only new ones."
        )]
        after: Option<ID>,
    ) -> async_graphql::Result<Boxed<Notification>> {
        Ok(notifications(ctx, after).await?)
    }

    /// Steps of one suggestion the viewer may see, as they happen (NOT_FOUND otherwise). With `after` (the
    /// ID of the last timeline event the app has), first the steps it missed, then live ones.
    async fn suggestion_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the suggestion to follow.")] suggestion_id: ID,
        #[graphql(
            desc = "Global ID of the last timeline event the app has: the steps after it are sent first. Omit to get only new ones."
        )]
        after: Option<ID>,
    ) -> async_graphql::Result<Boxed<TimelineEvent>> {
        Ok(timeline(ctx, suggestion_id, after).await?)
    }
}

/// The viewer's inbox feed, resumed after the notification `after`.
async fn notifications(ctx: &Context<'_>, after: Option<ID>) -> ApiResult<Boxed<Notification>> {
    let actor = ctx.actor()?;
    let store = ctx.services()?.store.clone();
    let resume_after = match ids::decode_opt(NodeKind::Notification, "after", after.as_ref())? {
        Some(id) => Some(
            feed::inbox_position(&store, actor.user_id, id)
                .await?
                .ok_or_else(|| ApiError::bad_input("after", "is not one of your notifications"))?,
        ),
        None => None,
    };
    if resume_after.is_some() {
        replaying(ctx);
    }
    let items = feed::inbox(store, actor.user_id, resume_after)
        .map(|item| item.map(Notification).map_err(|e| ApiError::from(e).into()));
    Ok(Box::pin(items))
}

/// One suggestion's timeline feed, resumed after the event `after`.
async fn timeline(
    ctx: &Context<'_>,
    suggestion_id: ID,
    after: Option<ID>,
) -> ApiResult<Boxed<TimelineEvent>> {
    let actor = ctx.actor()?;
    let store = ctx.services()?.store.clone();
    let id = ids::decode(NodeKind::Suggestion, "suggestionId", &suggestion_id)?;
    let sight = edaibiao_domain::suggestion::sight(actor, &suggestions::find_for(&store, actor, id).await?);
    let resume_after = match ids::decode_opt(NodeKind::TimelineEvent, "after", after.as_ref())? {
        Some(event) => Some(
            feed::timeline_position(&store, id, event)
                .await?
                .ok_or_else(|| ApiError::bad_input("after", "is not a step of this suggestion"))?,
        ),
        None => None,
    };
    if resume_after.is_some() {
        replaying(ctx);
    }
    let items = feed::timeline(store, id, resume_after)
        .map(move |item| item.map(|e| TimelineEvent::seen(e, sight)).map_err(|e| ApiError::from(e).into()));
    Ok(Box::pin(items))
}

/// A subscription's items, boxed so resolvers can name the type.
pub type Boxed<T> = Pin<Box<dyn Stream<Item = async_graphql::Result<T>> + Send>>;

/// Tells the socket layer that this execution begins with history, so that no socket joins it once it
/// has sent something (the joiner would miss the history).
fn replaying(ctx: &Context<'_>) {
    if let Some(replay) = ctx.data_opt::<crate::ws::Replay>() {
        replay.mark();
    }
}
