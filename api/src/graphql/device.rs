//! Mobile push over GraphQL: the viewer's phones and push preferences. What a push is and when it goes
//! out is decided in `domain::notification`; the dispatcher in `infra::push` sends it.

use super::ContextExt;
use super::error::{ApiError, ApiResult};
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use edaibiao_domain::notification::{self as push, DeviceToken, DigestTime, Preferences};
use edaibiao_infra::push::{devices, preferences};

/// A phone's operating system, which decides the vendor push service used.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::notification::Platform")]
pub enum Platform {
    /// Apple iOS (APNs).
    Ios,
    /// Android (FCM or a vendor channel).
    Android,
    /// Huawei HarmonyOS (Push Kit).
    Harmony,
}

/// A group of notification kinds, the unit in which pushes are muted.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::notification::Category")]
pub enum NotificationCategory {
    /// Requests that wait on the reader: SUBMITTED, REASSIGNMENT_REQUESTED, EXTENSION_REQUESTED,
    /// REHANDLING, FLAGGED, SUPERVISED.
    Work,
    /// News about a suggestion the reader takes part in: CO_SIGN_INVITED, RETURNED_FOR_REVISION, ASSIGNED,
    /// REASSIGNMENT_REJECTED, EXTENSION_RESOLVED, ANSWERED, RATED, IMPLEMENTATION_DONE.
    Progress,
    /// Deadline reminders: DEADLINE_NEAR, OVERDUE.
    Reminder,
    /// Citizens' opinions (社情民意).
    Opinion,
    /// Duty record (履职管理): activities, leave, quotas and the yearly evaluation.
    Duty,
    /// Anything else.
    Other,
}

/// A phone registered for push notifications.
pub struct Device(devices::Device);

/// A phone registered for push notifications.
#[Object]
impl Device {
    /// The phone's operating system.
    async fn platform(&self) -> Platform {
        self.0.platform.into()
    }
    /// The push token, as the phone registered it.
    async fn token(&self) -> &str {
        &self.0.token
    }
    /// When the phone first registered this token.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the token was last registered (the app registers it at each start).
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// How the viewer wants to be pushed. The in-app inbox always gets every notification.
#[derive(SimpleObject)]
pub struct NotificationPreferences {
    /// Categories never pushed (they still reach the inbox).
    pub muted_categories: Vec<NotificationCategory>,
    /// One push a day summing up, instead of one push per notification.
    pub daily_digest: bool,
    /// When the daily digest goes out: `HH:MM` in China Standard Time (UTC+8).
    pub digest_time: String,
}

impl From<Preferences> for NotificationPreferences {
    fn from(p: Preferences) -> Self {
        Self {
            muted_categories: p.push_muted.iter().copied().map(NotificationCategory::from).collect(),
            daily_digest: p.daily_digest,
            digest_time: p.digest_time.to_string(),
        }
    }
}

/// Changes to the viewer's push preferences; a field left out keeps its value.
#[derive(InputObject)]
pub struct NotificationPreferencesInput {
    /// The categories not to push, replacing the current list (an empty list pushes everything).
    pub muted_categories: Option<Vec<NotificationCategory>>,
    /// One push a day summing up, instead of one push per notification.
    pub daily_digest: Option<bool>,
    /// When the daily digest goes out: `HH:MM` in China Standard Time on a quarter hour, e.g. `20:00`.
    pub digest_time: Option<String>,
}

#[derive(Default)]
pub struct DeviceQuery;

#[Object]
impl DeviceQuery {
    /// The viewer's phones registered for push, most recently registered first.
    async fn devices(&self, ctx: &Context<'_>) -> ApiResult<Vec<Device>> {
        let actor = ctx.actor()?;
        let list = devices::list(&ctx.services()?.store, actor.user_id).await?;
        Ok(list.into_iter().map(Device).collect())
    }

    /// The viewer's push preferences (the defaults until changed: everything pushed one by one).
    async fn notification_preferences(&self, ctx: &Context<'_>) -> ApiResult<NotificationPreferences> {
        let actor = ctx.actor()?;
        Ok(preferences::get(&ctx.services()?.store, actor.user_id).await?.into())
    }
}

#[derive(Default)]
pub struct DeviceMutation;

#[Object]
impl DeviceMutation {
    /// Registers the viewer's phone for push (the app calls it after each login and whenever the vendor
    /// issues a new token). A token registered by someone else before moves to the viewer.
    async fn register_device(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The phone's push platform.")] platform: Platform,
        #[graphql(desc = "The push token the vendor issued to the phone.")] token: String,
    ) -> ApiResult<Device> {
        let actor = ctx.actor()?;
        let token = DeviceToken::parse(&token)?;
        let store = &ctx.services()?.store;
        Ok(Device(devices::register(store, actor.user_id, platform.into(), &token, Utc::now()).await?))
    }

    /// Stops pushes to the viewer's phone with this token (the app calls it at logout). Returns whether
    /// the viewer had such a phone; another person's token changes nothing.
    async fn unregister_device(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The push token to stop sending to.")] token: String,
    ) -> ApiResult<bool> {
        let actor = ctx.actor()?;
        if token.len() > DeviceToken::MAX_LEN {
            return Err(ApiError::bad_input(
                "token",
                format!("must have at most {} characters", DeviceToken::MAX_LEN),
            ));
        }
        Ok(devices::unregister(&ctx.services()?.store, actor.user_id, &token).await?)
    }

    /// Changes the viewer's push preferences and returns them.
    async fn update_notification_preferences(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `NotificationPreferencesInput` describes them.")]
        input: NotificationPreferencesInput,
    ) -> ApiResult<NotificationPreferences> {
        let actor = ctx.actor()?;
        let store = &ctx.services()?.store;
        let digest_time = input.digest_time.as_deref().map(DigestTime::parse).transpose()?;
        let mut prefs = preferences::get(store, actor.user_id).await?;
        if let Some(muted) = input.muted_categories {
            prefs.push_muted = muted.into_iter().map(push::Category::from).collect();
        }
        if let Some(daily_digest) = input.daily_digest {
            prefs.daily_digest = daily_digest;
        }
        if let Some(digest_time) = digest_time {
            prefs.digest_time = digest_time;
        }
        Ok(preferences::set(store, actor.user_id, &prefs, Utc::now()).await?.into())
    }
}
