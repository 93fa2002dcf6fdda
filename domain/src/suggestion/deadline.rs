//! Deadlines (按期办结): when a unit is reminded. Seven days before the deadline and when it passes, once
//! each per deadline; an extension sets a new deadline and so new reminders.

use super::kinds::SuggestionState;
use chrono::{DateTime, Duration, Utc};

/// Days before the deadline the first reminder goes out.
pub const DUE_SOON_DAYS: i64 = 7;

/// A reminder to the answering units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    DueSoon,
    Overdue,
}

impl Reminder {
    pub fn kind(self) -> &'static str {
        match self {
            Reminder::DueSoon => "DEADLINE_NEAR",
            Reminder::Overdue => "OVERDUE",
        }
    }

    /// What the unit staff read.
    pub fn title(self) -> &'static str {
        match self {
            Reminder::DueSoon => "建议办理期限将至",
            Reminder::Overdue => "建议办理已超期",
        }
    }
}

/// Which reminder, if any, is due now for a suggestion in `state` with deadline `due_at`.
pub fn reminder_due(state: SuggestionState, due_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<Reminder> {
    if !matches!(state, SuggestionState::Assigned | SuggestionState::Handled) {
        return None;
    }
    if due_at <= now {
        Some(Reminder::Overdue)
    } else if due_at <= now + Duration::days(DUE_SOON_DAYS) {
        Some(Reminder::DueSoon)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminds_a_week_before_and_after_the_deadline_while_an_answer_is_owed() {
        let now = Utc::now();
        let s = SuggestionState::Handled;
        assert_eq!(reminder_due(s, now + Duration::days(8), now), None);
        assert_eq!(reminder_due(s, now + Duration::days(7), now), Some(Reminder::DueSoon));
        assert_eq!(reminder_due(s, now + Duration::hours(1), now), Some(Reminder::DueSoon));
        assert_eq!(reminder_due(s, now, now), Some(Reminder::Overdue));
        assert_eq!(
            reminder_due(SuggestionState::Assigned, now - Duration::days(3), now),
            Some(Reminder::Overdue)
        );
        for done in [SuggestionState::Answered, SuggestionState::Rated, SuggestionState::Withdrawn] {
            assert_eq!(reminder_due(done, now - Duration::days(3), now), None);
        }
    }
}
