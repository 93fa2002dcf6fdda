//! Mobile push of the notification inbox: which notifications go to a person's phones, when, and how
//! often the push gateway is retried. The in-app inbox always gets everything; these rules only decide
//! about the push.

mod audience;
mod category;
mod device;
mod kind;
mod preferences;
mod push;

pub use audience::Audience;
pub use category::Category;
pub use device::{DeviceToken, Platform};
pub use kind::NotificationKind;
pub use preferences::{DigestTime, Preferences, digest_due, next_digest_at};
pub use push::{MAX_PUSH_AGE, PushDecision, PushRetry, SkipReason, decide};
