//! Mobile push: the phones people register, their push preferences, and the dispatcher that hands each
//! notification to an HTTP push gateway (which speaks to APNs, FCM, HarmonyOS Push Kit…).
//!
//! Every notification is written PENDING. The dispatcher ([`dispatcher::run_forever`]) runs only when a
//! gateway is configured; without one, notifications stay PENDING, and once a gateway is configured
//! those older than [`MAX_PUSH_AGE`](edaibiao_domain::notification::MAX_PUSH_AGE) are marked EXPIRED
//! instead of buzzing phones about old news. The inbox is never affected: it shows every notification
//! whatever happens to its push.

pub mod devices;
pub mod digest;
pub mod dispatcher;
pub mod gateway;
pub mod preferences;

pub use dispatcher::{Stats, dispatch_due, run_forever};
pub use gateway::{Gateway, Outcome, PushMessage};

use crate::entity::notification;
use chrono::{DateTime, Utc};

/// How long a claimed notification is left alone by other dispatchers while this one sends it. Sends
/// run at most [`SEND_CONCURRENCY`] at a time with the gateway's timeout, so a batch finishes well within
/// it; a dispatcher that dies mid-batch leaves its claims to be retried when the lease ends.
pub const LEASE: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// Gateway requests in flight at once per dispatcher.
pub const SEND_CONCURRENCY: usize = 8;

/// Whether a stored notification is past the time its push was due (a claim ended, a retry came due).
pub(crate) fn due(n: &notification::Model, now: DateTime<Utc>) -> bool {
    n.push_next_at.is_none_or(|at| at <= now)
}
