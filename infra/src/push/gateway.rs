//! The HTTP push gateway client. The gateway is a service of the operator's that speaks to the phone
//! vendors' push services; this server POSTs it one JSON document per push:
//!
//! ```json
//! {"notificationId": "…", "accountId": "…", "devices": [{"platform": "IOS", "token": "…"}],
//!  "title": "建议已交办", "body": "…", "kind": "ASSIGNED", "category": "PROGRESS",
//!  "subjectKind": "Suggestion", "subjectId": "…", "badge": 3}
//! ```
//!
//! A daily digest has kind `DIGEST`, the newest summed-up notification's id as `notificationId`, and
//! all of them in `digestOf`. Any 2xx answer means delivered; 5xx, 429, a refused connection or a timeout
//! mean "try again later"; any other answer is final.

use crate::entity::device;
use serde::Serialize;
use uuid::Uuid;

/// One phone to push to. Its `Debug` output shortens the token.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub platform: String,
    pub token: String,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let token = edaibiao_domain::notification::DeviceToken::mask(&self.token);
        f.debug_struct("Target").field("platform", &self.platform).field("token", &token).finish()
    }
}

impl From<&device::Model> for Target {
    fn from(d: &device::Model) -> Self {
        Self { platform: d.platform.clone(), token: d.token.clone() }
    }
}

/// The JSON body sent to the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushMessage {
    pub notification_id: Uuid,
    pub account_id: Uuid,
    pub devices: Vec<Target>,
    pub title: String,
    pub body: Option<String>,
    pub kind: String,
    pub category: String,
    pub subject_kind: String,
    pub subject_id: Option<Uuid>,
    /// The person's unread notifications, for the app icon's badge.
    pub badge: u64,
    /// For a digest: every notification it sums up.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub digest_of: Vec<Uuid>,
}

/// The gateway client: the JSON webhook client the SMS sender uses too.
pub type Gateway = crate::webhook::Webhook;
pub use crate::webhook::Outcome;
