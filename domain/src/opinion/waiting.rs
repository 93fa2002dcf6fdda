//! Opinions waiting too long: what each stage owes, and how many days it may take. Staff see the list of
//! those past their limit.

use super::aggregate::Opinion;
use super::kinds::OpinionState;
use chrono::{DateTime, Duration, Utc};

/// What an opinion is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WaitKind {
    /// RECEIVED: someone must take it; 3 days.
    Acceptance,
    /// ACCEPTED: the responsible person must resolve, forward or convert it; 15 days.
    Handling,
    /// FORWARDED: the unit owes its reply; 15 days.
    UnitReply,
    /// Resolved, converted, or replied by the unit: the citizen is owed feedback; 7 days.
    Feedback,
}

impl WaitKind {
    pub const ALL: [WaitKind; 4] =
        [WaitKind::Acceptance, WaitKind::Handling, WaitKind::UnitReply, WaitKind::Feedback];

    /// Days the stage may take before the opinion counts as waiting too long.
    pub fn limit_days(self) -> i64 {
        match self {
            WaitKind::Acceptance => 3,
            WaitKind::Handling | WaitKind::UnitReply => 15,
            WaitKind::Feedback => 7,
        }
    }

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitKind::Acceptance => "ACCEPTANCE",
            WaitKind::Handling => "HANDLING",
            WaitKind::UnitReply => "UNIT_REPLY",
            WaitKind::Feedback => "FEEDBACK",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// What the opinion waits for now, if anything is owed by those handling it (the citizen's rating is
    /// not: the timeout closes that).
    pub fn of(o: &Opinion) -> Option<Self> {
        match o.state {
            OpinionState::Received => Some(WaitKind::Acceptance),
            OpinionState::Accepted => Some(WaitKind::Handling),
            OpinionState::Forwarded if !o.unit_replied() => Some(WaitKind::UnitReply),
            OpinionState::Forwarded | OpinionState::ResolvedDirectly | OpinionState::Converted => {
                Some(WaitKind::Feedback)
            }
            OpinionState::FeedbackGiven | OpinionState::Closed => None,
        }
    }
}

/// What the opinion has waited for too long at `now`, if anything. The wait starts when the stage began
/// (for a replied forwarding: at the reply).
pub fn overdue(o: &Opinion, now: DateTime<Utc>) -> Option<WaitKind> {
    WaitKind::of(o).filter(|kind| o.stage_at + Duration::days(kind.limit_days()) < now)
}
