//! Erasing a citizen's contact details from an opinion (PIPL: kept no longer than the purpose needs, and
//! gone with the account that gave them). The matter itself stays, for the record: what was raised, where,
//! and how it was handled.

use super::aggregate::Opinion;
use super::event::Event;
use super::kinds::{ErasureReason, OpinionState};
use super::policy::OpinionPolicy;
use crate::DomainError;
use chrono::{DateTime, Duration, Utc};

impl Opinion {
    /// Whether it still holds anything [`Opinion::erase_contact`] would erase for `reason`.
    pub fn holds_contact(&self, reason: ErasureReason) -> bool {
        self.contact_name.is_some()
            || self.contact_phone_masked.is_some()
            || (reason == ErasureReason::AccountDeleted && self.submitter_account_id.is_some())
    }

    /// When the retention period of its contact details ends: `contact_retention_days` after closing;
    /// `None` while it is open (the responsible person may still have to call back).
    pub fn contact_kept_until(&self, policy: &OpinionPolicy) -> Option<DateTime<Utc>> {
        match (self.state, self.closure) {
            (OpinionState::Closed, Some(closure)) => {
                Some(closure.at + Duration::days(policy.contact_retention_days))
            }
            _ => None,
        }
    }

    /// The system erases the contact details: for RETENTION once [`Opinion::contact_kept_until`] has
    /// passed (CONFLICT before), for ACCOUNT_DELETED at any time. Nothing to erase gives no event.
    pub fn erase_contact(
        &self,
        reason: ErasureReason,
        now: DateTime<Utc>,
        policy: &OpinionPolicy,
    ) -> Result<Vec<Event>, DomainError> {
        if reason == ErasureReason::Retention
            && self.contact_kept_until(policy).is_none_or(|until| until > now)
        {
            return Err(DomainError::conflict("the contact details are still within their retention period"));
        }
        if !self.holds_contact(reason) {
            return Ok(Vec::new());
        }
        Ok(vec![Event::ContactErased { reason, at: now }])
    }
}
