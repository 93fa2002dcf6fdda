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
use std::time::Duration;
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

/// What the gateway made of a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It took the push (2xx).
    Delivered,
    /// It could not take it now (5xx, 429, unreachable, too slow): try again later. Says why.
    Retry(String),
    /// It refused the push for good (another 4xx, say a malformed request). Says why.
    Permanent(String),
}

/// A client for the push gateway at one URL. Cheap to clone.
#[derive(Clone)]
pub struct Gateway {
    url: String,
    agent: ureq::Agent,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway").field("url", &self.url).finish_non_exhaustive()
    }
}

/// How much of an error answer is kept with the notification.
const ERROR_BODY_CHARS: usize = 200;

impl Gateway {
    /// Requests to the gateway default to giving up after this long.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

    /// A client for the gateway at `url` (http or https) whose requests give up after `timeout`.
    pub fn new(url: impl Into<String>, timeout: Duration) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("edaibiao/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Self { url: url.into(), agent }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Sends one push; never fails, the outcome says what happened.
    pub async fn send(&self, message: &PushMessage) -> Outcome {
        let body = match serde_json::to_vec(message) {
            Ok(body) => body,
            Err(e) => return Outcome::Permanent(format!("cannot encode the push: {e}")),
        };
        let (agent, url) = (self.agent.clone(), self.url.clone());
        // ureq blocks; a blocking thread keeps the async workers free while the gateway answers.
        let sent = tokio::task::spawn_blocking(move || post(&agent, &url, &body)).await;
        sent.unwrap_or_else(|e| Outcome::Retry(format!("push task failed: {e}")))
    }
}

fn post(agent: &ureq::Agent, url: &str, body: &[u8]) -> Outcome {
    let response = agent.post(url).header("content-type", "application/json").send(body);
    let mut response = match response {
        Ok(response) => response,
        Err(ureq::Error::BadUri(e)) => return Outcome::Permanent(format!("bad gateway URL: {e}")),
        Err(e) => return Outcome::Retry(format!("gateway unreachable: {e}")),
    };
    let status = response.status().as_u16();
    if (200..300).contains(&status) {
        return Outcome::Delivered;
    }
    let text = response.body_mut().with_config().limit(4096).read_to_string().unwrap_or_default();
    let text: String = text.trim().chars().take(ERROR_BODY_CHARS).collect();
    let reason = if text.is_empty() { format!("HTTP {status}") } else { format!("HTTP {status}: {text}") };
    if status >= 500 || status == 429 || status == 408 {
        Outcome::Retry(reason)
    } else {
        Outcome::Permanent(reason)
    }
}
