use chrono::{DateTime, Duration, Utc};

/// How long credentials live. Access tokens are short so that a stolen one is soon useless; refresh
/// tokens rotate on every use, and a reused (already rotated) refresh token revokes its whole family,
/// because only a thief or a replay would present it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self { access_ttl: Duration::minutes(15), refresh_ttl: Duration::days(30) }
    }
}

/// What presenting a stored refresh token leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// Valid: rotate it and issue a new pair.
    Rotate,
    /// Expired or the session was logged out: refuse.
    Refuse,
    /// Already rotated once: a replay. Refuse and revoke the whole family.
    RevokeFamily,
}

impl SessionPolicy {
    /// Decides on a refresh token from its stored state.
    pub fn on_refresh(
        &self,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        rotated: bool,
        revoked: bool,
    ) -> RefreshOutcome {
        if revoked {
            RefreshOutcome::Refuse
        } else if rotated {
            RefreshOutcome::RevokeFamily
        } else if now >= expires_at {
            RefreshOutcome::Refuse
        } else {
            RefreshOutcome::Rotate
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decides_refresh_from_stored_state() {
        let policy = SessionPolicy::default();
        let now = Utc::now();
        let later = now + Duration::days(1);
        assert_eq!(policy.on_refresh(now, later, false, false), RefreshOutcome::Rotate);
        assert_eq!(policy.on_refresh(now, later, true, false), RefreshOutcome::RevokeFamily);
        assert_eq!(policy.on_refresh(now, later, true, true), RefreshOutcome::Refuse);
        assert_eq!(policy.on_refresh(later, now, false, false), RefreshOutcome::Refuse);
    }
}
