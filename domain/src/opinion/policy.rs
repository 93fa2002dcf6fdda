//! The configurable numbers of opinion handling.

use crate::rate_limit::RateLimit;

/// How opinions are handled. Defaults: closed 15 days after the feedback if the citizen does not rate;
/// at most 10 public submissions an hour from one client address and 5 a day with one phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpinionPolicy {
    pub close_after_feedback_days: i64,
    /// Days after closing that the citizen's contact name and phone are kept (for a call about the
    /// outcome), then erased by the retention job (PIPL: no longer than the purpose needs).
    pub contact_retention_days: i64,
    pub per_address: RateLimit,
    pub per_phone: RateLimit,
}

impl Default for OpinionPolicy {
    fn default() -> Self {
        Self {
            close_after_feedback_days: 15,
            contact_retention_days: 180,
            per_address: RateLimit { max: 10, window_secs: 3600 },
            per_phone: RateLimit { max: 5, window_secs: 24 * 3600 },
        }
    }
}
