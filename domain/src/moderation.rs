//! Moderation of public content (内容审核): what the public can read that others wrote can be reported by
//! signed-in readers; after [`ModerationPolicy::hide_after`] reports from different accounts it is hidden
//! for review; staff of its congress restore it or remove it, always with a reason; its author is told
//! each time, and keeps reading it (with its state and the reason) while nobody else does.
//!
//! Only signed-in accounts report, and each account once per piece: reports are counted per account, so a
//! person with many browsers cannot hide what they dislike, and a ring of accounts that hid something
//! restored by staff cannot hide it again (their reports are spent). Staff are the only ones who remove.
//!
//! Moderated now: comments on draft laws ([`ContentKind::DraftComment`]), the only free text of the
//! public that the public reads. Answers to suggestions are official replies of a handling unit, signed by
//! it and supervised through the suggestion itself; they are not moderated here.

use crate::DomainError;
use crate::account::Actor;
use crate::rate_limit::RateLimit;
use crate::text::bounded;
use uuid::Uuid;

vocabulary!(
    /// What kind of public content a moderation item is about.
    ContentKind {
        /// A comment on a draft law (法规草案意见).
        DraftComment = "DRAFT_COMMENT",
    }
);

vocabulary!(
    /// Where a piece of public content stands.
    ModerationState {
        /// Shown to everyone who may read it.
        Visible = "VISIBLE",
        /// Hidden after enough reports, waiting for staff (待审核); its author and staff still read it.
        Hidden = "HIDDEN",
        /// Removed by staff, with a reason; its author and staff still read it.
        Removed = "REMOVED",
    }
);

vocabulary!(
    /// Why a reader reports a piece of content.
    ReportReason {
        /// Against the law (违法).
        Illegal = "ILLEGAL",
        /// Insults or attacks a person (人身攻击).
        Abuse = "ABUSE",
        /// Discloses someone's personal information (泄露个人信息).
        PersonalData = "PERSONAL_DATA",
        /// Advertising or flooding (广告刷屏).
        Spam = "SPAM",
        /// Has nothing to do with the matter (与主题无关).
        OffTopic = "OFF_TOPIC",
        /// Something else, said in the note.
        Other = "OTHER",
    }
);

vocabulary!(
    /// What staff decide on a piece of content.
    Decision {
        /// Show it again; its open reports are closed.
        Restore = "RESTORE",
        /// Take it down for good.
        Remove = "REMOVE",
    }
);

/// The longest note with a report, and the longest reason for a decision.
pub const MAX_NOTE: usize = 500;
/// Reports an account makes: 30 an hour, enough for an honest reader, too few to sweep a page.
pub const REPORTS_PER_ACCOUNT: RateLimit = RateLimit::new(30, 3600);
/// The fewest and most reports a configuration may ask for before hiding.
pub const HIDE_AFTER_RANGE: std::ops::RangeInclusive<u32> = 1..=100;

/// How many reports from different accounts hide a piece for review (`MODERATION_HIDE_AFTER_REPORTS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModerationPolicy {
    pub hide_after: u32,
}

impl Default for ModerationPolicy {
    fn default() -> Self {
        Self { hide_after: 3 }
    }
}

impl ModerationPolicy {
    /// A policy hiding after `hide_after` reports, within [`HIDE_AFTER_RANGE`].
    pub fn new(hide_after: u32) -> Result<Self, DomainError> {
        if HIDE_AFTER_RANGE.contains(&hide_after) {
            Ok(Self { hide_after })
        } else {
            Err(DomainError::invalid("hideAfter", "must be between 1 and 100"))
        }
    }

    /// The state after a report, given the state before and the open reports counting this one: a visible
    /// piece is hidden when they reach the threshold; a hidden or removed one stays as it is.
    pub fn after_report(self, state: ModerationState, open_reports: u32) -> ModerationState {
        if state == ModerationState::Visible && open_reports >= self.hide_after {
            ModerationState::Hidden
        } else {
            state
        }
    }
}

/// A report as the reader filed it: the reason, and a note (required for OTHER).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub reason: ReportReason,
    pub note: Option<String>,
}

impl Report {
    pub fn parse(reason: ReportReason, note: Option<&str>) -> Result<Self, DomainError> {
        let note = match note.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => Some(bounded("note", n, 1, MAX_NOTE)?),
            None => None,
        };
        if reason == ReportReason::Other && note.is_none() {
            return Err(DomainError::invalid("note", "say what is wrong when the reason is OTHER"));
        }
        Ok(Self { reason, note })
    }
}

/// Who reports: any signed-in account that may read the piece ([`readable`]; NOT_FOUND otherwise, so a
/// report tells nobody that hidden content exists) but its author. Removed content is gone: NOT_FOUND.
pub fn may_report(
    reporter: &Actor,
    congress_id: Uuid,
    author: Option<Uuid>,
    state: ModerationState,
) -> Result<(), DomainError> {
    let own = author == Some(reporter.user_id);
    if state == ModerationState::Removed || !readable(state, reporter.is_staff_of(congress_id), own) {
        return Err(DomainError::NotFound("content"));
    }
    if own {
        return Err(DomainError::forbidden("you do not report what you wrote"));
    }
    Ok(())
}

/// Staff of the piece's congress (or an admin) decide; the reason is required (1–500 characters) and the
/// author reads it. RESTORE takes a hidden or removed piece back to VISIBLE; REMOVE takes a visible or
/// hidden one down. Anything else is CONFLICT (someone decided first).
pub fn decide(
    actor: &Actor,
    congress_id: Uuid,
    state: ModerationState,
    decision: Decision,
    reason: &str,
) -> Result<(ModerationState, String), DomainError> {
    if !actor.is_staff_of(congress_id) {
        return Err(DomainError::forbidden("only staff of the congress moderate its content"));
    }
    let reason = bounded("reason", reason, 1, MAX_NOTE)?;
    let next = match (decision, state) {
        (Decision::Restore, ModerationState::Hidden | ModerationState::Removed) => ModerationState::Visible,
        (Decision::Remove, ModerationState::Visible | ModerationState::Hidden) => ModerationState::Removed,
        (Decision::Restore, ModerationState::Visible) => {
            return Err(DomainError::conflict("the content is visible already"));
        }
        (Decision::Remove, ModerationState::Removed) => {
            return Err(DomainError::conflict("the content is removed already"));
        }
    };
    Ok((next, reason))
}

/// Who reads a piece in a given state: everyone who may read it while VISIBLE; otherwise only staff of its
/// congress and its author.
pub fn readable(state: ModerationState, staff: bool, author: bool) -> bool {
    state == ModerationState::Visible || staff || author
}

/// Who reads the moderation queue of a congress: its staff (and admins).
pub fn may_review(actor: &Actor, congress_id: Uuid) -> Result<(), DomainError> {
    if actor.is_staff_of(congress_id) {
        Ok(())
    } else {
        Err(DomainError::forbidden("only staff of the congress read its moderation queue"))
    }
}

/// The notification kinds of this capability (mirrored in `NotificationKind`).
pub mod kinds {
    /// The author's content was hidden after reports (the author).
    pub const HIDDEN: &str = "MODERATION_CONTENT_HIDDEN";
    /// The author's content was restored (the author).
    pub const RESTORED: &str = "MODERATION_CONTENT_RESTORED";
    /// The author's content was removed, with the reason (the author).
    pub const REMOVED: &str = "MODERATION_CONTENT_REMOVED";
    /// Content was hidden and waits for a decision (staff of the congress).
    pub const REVIEW_NEEDED: &str = "MODERATION_REVIEW_NEEDED";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Role;
    use ModerationState::*;

    fn actor(role: Role, congress: Option<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::from_u128(99),
            role,
            congress_id: congress,
            unit_id: None,
            deputy_id: None,
            station_id: None,
        }
    }

    #[test]
    fn a_piece_is_hidden_when_the_reports_reach_the_threshold_and_only_then() {
        let p = ModerationPolicy::new(3).unwrap();
        assert_eq!(p.after_report(Visible, 1), Visible);
        assert_eq!(p.after_report(Visible, 2), Visible);
        assert_eq!(p.after_report(Visible, 3), Hidden);
        assert_eq!(p.after_report(Hidden, 9), Hidden);
        assert_eq!(p.after_report(Removed, 9), Removed);
        assert_eq!(ModerationPolicy::new(1).unwrap().after_report(Visible, 1), Hidden);
        assert!(ModerationPolicy::new(0).is_err());
        assert!(ModerationPolicy::new(101).is_err());
        assert_eq!(ModerationPolicy::default().hide_after, 3);
    }

    #[test]
    fn the_author_does_not_report_and_hidden_or_removed_content_is_not_found() {
        let congress = Uuid::from_u128(5);
        let reader = actor(Role::Citizen, None);
        let staff = actor(Role::CongressStaff, Some(congress));
        assert!(may_report(&reader, congress, Some(Uuid::from_u128(1)), Visible).is_ok());
        assert!(may_report(&reader, congress, None, Visible).is_ok());
        assert!(matches!(
            may_report(&reader, congress, Some(reader.user_id), Visible),
            Err(DomainError::Forbidden(_))
        ));
        assert!(matches!(
            may_report(&reader, congress, Some(reader.user_id), Hidden),
            Err(DomainError::Forbidden(_))
        ));
        assert_eq!(may_report(&reader, congress, None, Hidden), Err(DomainError::NotFound("content")));
        assert_eq!(may_report(&reader, congress, None, Removed), Err(DomainError::NotFound("content")));
        assert!(may_report(&staff, congress, None, Hidden).is_ok());
        assert_eq!(may_report(&staff, congress, None, Removed), Err(DomainError::NotFound("content")));
    }

    #[test]
    fn a_report_needs_a_note_only_for_other() {
        assert_eq!(Report::parse(ReportReason::Spam, Some("  ")).unwrap().note, None);
        assert!(Report::parse(ReportReason::Other, None).is_err());
        assert_eq!(
            Report::parse(ReportReason::Other, Some(" 冒充他人 ")).unwrap().note.as_deref(),
            Some("冒充他人")
        );
        assert!(Report::parse(ReportReason::Abuse, Some(&"长".repeat(MAX_NOTE + 1))).is_err());
    }

    #[test]
    fn staff_of_the_congress_decide_with_a_reason_and_once() {
        let congress = Uuid::from_u128(5);
        let staff = actor(Role::CongressStaff, Some(congress));
        let other = actor(Role::CongressStaff, Some(Uuid::from_u128(6)));
        let admin = actor(Role::Admin, None);
        assert_eq!(
            decide(&staff, congress, Hidden, Decision::Restore, " 未违反规定 ").unwrap(),
            (Visible, "未违反规定".into())
        );
        assert_eq!(decide(&admin, congress, Hidden, Decision::Remove, "人身攻击").unwrap().0, Removed);
        assert_eq!(decide(&staff, congress, Visible, Decision::Remove, "广告").unwrap().0, Removed);
        assert_eq!(decide(&staff, congress, Removed, Decision::Restore, "误删").unwrap().0, Visible);
        assert!(matches!(
            decide(&staff, congress, Visible, Decision::Restore, "x"),
            Err(DomainError::Conflict(_))
        ));
        assert!(matches!(
            decide(&staff, congress, Removed, Decision::Remove, "x"),
            Err(DomainError::Conflict(_))
        ));
        assert!(matches!(
            decide(&staff, congress, Hidden, Decision::Remove, " "),
            Err(DomainError::Invalid { field: "reason", .. })
        ));
        for who in [&other, &actor(Role::Deputy, Some(congress)), &actor(Role::Citizen, None)] {
            assert!(matches!(
                decide(who, congress, Hidden, Decision::Remove, "x"),
                Err(DomainError::Forbidden(_))
            ));
            assert!(may_review(who, congress).is_err());
        }
        assert!(may_review(&staff, congress).is_ok());
    }

    #[test]
    fn only_staff_and_the_author_read_what_is_not_visible() {
        for state in ModerationState::ALL {
            assert!(readable(*state, true, false));
            assert!(readable(*state, false, true));
            assert_eq!(readable(*state, false, false), *state == Visible);
        }
    }
}
