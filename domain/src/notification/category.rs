//! Categories of notifications, the unit in which people mute pushes.

use crate::suggestion::Reminder;

/// A group of notification kinds. Each kind belongs to exactly one category (see [`Category::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// A request that waits on the reader: a suggestion to pre-review, a reassignment or extension to
    /// decide, a part to handle again, a flagged or supervised suggestion.
    Work,
    /// News about a suggestion the reader takes part in: an invitation to co-sign, a return for revision,
    /// the assignment, an answer, a rating, a decided request, a promise kept.
    Progress,
    /// Deadline reminders (seven days before, and when it has passed).
    Reminder,
    /// Citizens' opinions (社情民意): every kind named `OPINION_…`.
    Opinion,
    /// Duty record (履职管理): activities, leave, quotas, the yearly evaluation; every kind named `DUTY_…`.
    Duty,
    /// Anything else.
    Other,
}

impl Category {
    /// Every category, in a stable order.
    pub const ALL: [Category; 6] = [
        Category::Work,
        Category::Progress,
        Category::Reminder,
        Category::Opinion,
        Category::Duty,
        Category::Other,
    ];

    /// The category of a notification kind. Unknown kinds are [`Category::Other`], so a kind added later
    /// is pushed (unless OTHER is muted) until it is given its category here.
    ///
    /// | category | kinds |
    /// |---|---|
    /// | WORK | SUBMITTED, REASSIGNMENT_REQUESTED, EXTENSION_REQUESTED, REHANDLING, FLAGGED, SUPERVISED |
    /// | PROGRESS | CO_SIGN_INVITED, RETURNED_FOR_REVISION, ASSIGNED, REASSIGNMENT_REJECTED, EXTENSION_RESOLVED, ANSWERED, RATED, IMPLEMENTATION_DONE |
    /// | REMINDER | DEADLINE_NEAR, OVERDUE, PROJECT_MILESTONE_DUE, PROJECT_MILESTONE_OVERDUE |
    /// | WORK (projects) | PROJECT_RECTIFICATION_REQUESTED |
    /// | PROGRESS (projects) | every other PROJECT_* |
    /// | OPINION | OPINION_* |
    /// | DUTY | DUTY_* |
    /// | WORK (bills) | BILL_TABLED, BILL_ASSIGNED, BILL_SUPERVISED |
    /// | PROGRESS (bills) | every other BILL_* |
    /// | DUTY (learning) | LEARNING_MATERIAL_PUBLISHED |
    /// | PROGRESS (news) | NEWS_IMPORTANT |
    ///
    /// ASSIGNED is PROGRESS for everyone it reaches, units included: one kind, one category.
    pub fn of(kind: &str) -> Self {
        match kind {
            "SUBMITTED"
            | "REASSIGNMENT_REQUESTED"
            | "EXTENSION_REQUESTED"
            | "REHANDLING"
            | "FLAGGED"
            | "SUPERVISED" => Category::Work,
            "CO_SIGN_INVITED"
            | "RETURNED_FOR_REVISION"
            | "ASSIGNED"
            | "REASSIGNMENT_REJECTED"
            | "EXTENSION_RESOLVED"
            | "ANSWERED"
            | "RATED"
            | "IMPLEMENTATION_DONE" => Category::Progress,
            k if k == Reminder::DueSoon.kind() || k == Reminder::Overdue.kind() => Category::Reminder,
            "PROJECT_MILESTONE_DUE" | "PROJECT_MILESTONE_OVERDUE" => Category::Reminder,
            "PROJECT_RECTIFICATION_REQUESTED" => Category::Work,
            k if k.starts_with("PROJECT_") => Category::Progress,
            k if k.starts_with("OPINION_") => Category::Opinion,
            k if k.starts_with("DUTY_") => Category::Duty,
            "APPRAISAL_ITEM_OVERDUE" => Category::Reminder,
            k if k.starts_with("APPRAISAL_") => Category::Work,
            "BILL_TABLED" | "BILL_ASSIGNED" | "BILL_SUPERVISED" => Category::Work,
            k if k.starts_with("BILL_") => Category::Progress,
            k if k.starts_with("LEGISLATION_") => Category::Progress,
            // Study counts in the duty record; news of the congress's work is progress to follow.
            "LEARNING_MATERIAL_PUBLISHED" => Category::Duty,
            "NEWS_IMPORTANT" => Category::Progress,
            "MODERATION_REVIEW_NEEDED" => Category::Work,
            k if k.starts_with("MODERATION_") => Category::Progress,
            _ => Category::Other,
        }
    }

    /// The stored and published name, e.g. `WORK`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Work => "WORK",
            Category::Progress => "PROGRESS",
            Category::Reminder => "REMINDER",
            Category::Opinion => "OPINION",
            Category::Duty => "DUTY",
            Category::Other => "OTHER",
        }
    }

    /// The category named `name` (as [`Category::as_str`] writes it).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_the_lifecycle_writes_has_a_category() {
        // The kinds of `suggestion::notice_for` and of the deadline job.
        let work = ["SUBMITTED", "REASSIGNMENT_REQUESTED", "EXTENSION_REQUESTED", "REHANDLING", "FLAGGED"];
        for kind in work.into_iter().chain(["SUPERVISED"]) {
            assert_eq!(Category::of(kind), Category::Work, "{kind}");
        }
        let progress = [
            "CO_SIGN_INVITED",
            "RETURNED_FOR_REVISION",
            "ASSIGNED",
            "REASSIGNMENT_REJECTED",
            "EXTENSION_RESOLVED",
            "ANSWERED",
            "RATED",
            "IMPLEMENTATION_DONE",
        ];
        for kind in progress {
            assert_eq!(Category::of(kind), Category::Progress, "{kind}");
        }
        assert_eq!(Category::of(Reminder::DueSoon.kind()), Category::Reminder);
        assert_eq!(Category::of(Reminder::Overdue.kind()), Category::Reminder);
    }

    #[test]
    fn opinions_are_named_by_prefix_and_the_rest_is_other() {
        assert_eq!(Category::of("OPINION_FORWARDED"), Category::Opinion);
        assert_eq!(Category::of("DUTY_LEAVE_DECIDED"), Category::Duty);
        assert_eq!(Category::of("SOMETHING_NEW"), Category::Other);
        assert_eq!(Category::of(""), Category::Other);
        assert_eq!(Category::of("submitted"), Category::Other, "kinds are upper case");
    }

    #[test]
    fn names_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        assert_eq!(Category::parse("work"), None);
    }
}
