//! Text messages to phones (one-time codes for voters). Pluggable: by default a sender that only logs that
//! a message went out (never the text, which holds the code); with `SMS_GATEWAY_URL` a webhook sender that
//! POSTs `{"phone": "…", "text": "…"}` to the operator's SMS gateway, any 2xx meaning sent.

use crate::Error;
use crate::webhook::{Outcome, Webhook};
use edaibiao_domain::account::Phone;
use futures_util::future::BoxFuture;
use serde::Serialize;
use std::time::Duration;

/// Sends one text message.
pub trait SmsSender: Send + Sync + std::fmt::Debug {
    fn send<'a>(&'a self, phone: &'a Phone, text: &'a str) -> BoxFuture<'a, Result<(), Error>>;
}

/// Logs the masked number and the length of the text; sends nothing. For development and tests.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoggingSender;

impl SmsSender for LoggingSender {
    fn send<'a>(&'a self, phone: &'a Phone, text: &'a str) -> BoxFuture<'a, Result<(), Error>> {
        tracing::info!(phone = %phone.masked(), chars = text.chars().count(), "SMS (logging sender, not sent)");
        Box::pin(std::future::ready(Ok(())))
    }
}

#[derive(Serialize)]
struct Body<'a> {
    phone: &'a str,
    text: &'a str,
}

/// POSTs each message as JSON to a webhook.
#[derive(Debug, Clone)]
pub struct WebhookSender(Webhook);

impl WebhookSender {
    pub const DEFAULT_TIMEOUT: Duration = Webhook::DEFAULT_TIMEOUT;

    pub fn new(url: impl Into<String>, timeout: Duration) -> Self {
        Self(Webhook::new(url, timeout))
    }
}

impl SmsSender for WebhookSender {
    fn send<'a>(&'a self, phone: &'a Phone, text: &'a str) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            match self.0.send(&Body { phone: phone.as_str(), text }).await {
                Outcome::Delivered => Ok(()),
                Outcome::Retry(why) | Outcome::Permanent(why) => {
                    Err(Error::Internal(format!("SMS gateway: {why}")))
                }
            }
        })
    }
}

/// The sender for `SMS_GATEWAY_URL`: the webhook when set, the logging sender otherwise.
pub fn sender(gateway_url: Option<&str>) -> std::sync::Arc<dyn SmsSender> {
    match gateway_url {
        Some(url) => std::sync::Arc::new(WebhookSender::new(url, WebhookSender::DEFAULT_TIMEOUT)),
        None => std::sync::Arc::new(LoggingSender),
    }
}
