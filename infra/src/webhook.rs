//! A client for the operator's HTTP gateways (mobile push, SMS): one JSON document per POST. Any 2xx answer
//! means delivered; 5xx, 429, 408, a refused connection or a timeout mean "try again later"; any other
//! answer is final.

use serde::Serialize;
use std::time::Duration;

/// What the receiver made of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It took the message (2xx).
    Delivered,
    /// It could not take it now (5xx, 429, unreachable, too slow): try again later. Says why.
    Retry(String),
    /// It refused the push for good (another 4xx, say a malformed request). Says why.
    Permanent(String),
}

/// A client for a webhook at one URL. Cheap to clone.
#[derive(Clone)]
pub struct Webhook {
    url: String,
    agent: ureq::Agent,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook").field("url", &self.url).finish_non_exhaustive()
    }
}

/// How much of an error answer is kept with the notification.
const ERROR_BODY_CHARS: usize = 200;

impl Webhook {
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

    /// POSTs `message` as JSON; never fails, the outcome says what happened.
    pub async fn send<T: Serialize>(&self, message: &T) -> Outcome {
        let body = match serde_json::to_vec(message) {
            Ok(body) => body,
            Err(e) => return Outcome::Permanent(format!("cannot encode the message: {e}")),
        };
        let (agent, url) = (self.agent.clone(), self.url.clone());
        // ureq blocks; a blocking thread keeps the async workers free while the gateway answers.
        let sent = tokio::task::spawn_blocking(move || post(&agent, &url, &body)).await;
        sent.unwrap_or_else(|e| Outcome::Retry(format!("webhook task failed: {e}")))
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
