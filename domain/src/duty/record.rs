//! The duty archive (履职档案): which of the system's records count as archive entries, the entries a deputy
//! reports themselves (verified by staff), and who may read a deputy's record.

use super::activity::{ActivityKind, Attendance};
use super::points::{EntryKind, PointRule};
use super::quota::{Period, PeriodKind, periods};
use crate::DomainError;
use crate::account::{Actor, Role};
use crate::suggestion::{Rating, Satisfaction, SuggestionState};
use crate::text::{bounded, optional, web_url};
use crate::time::cst_midnight;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

vocabulary!(
    /// Where a self-reported entry stands.
    EntryStatus {
        /// Waiting for staff.
        Pending = "PENDING",
        /// Confirmed by staff: it counts.
        Verified = "VERIFIED",
        /// Refused by staff, with a reason: it does not count.
        Rejected = "REJECTED",
    }
);

/// The longest title and note of a self-reported entry.
pub const MAX_ENTRY_TITLE_CHARS: usize = 200;
pub const MAX_ENTRY_NOTE_CHARS: usize = 2000;
/// The longest reason staff give when deciding.
pub const MAX_REASON_CHARS: usize = 500;

/// A self-reported entry, checked: title and note bounded, an http(s) attachment URL if any, and a day that
/// is not in the future (China Standard Time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDutyEntry {
    pub title: String,
    pub note: String,
    pub happened_on: NaiveDate,
    pub attachment_url: Option<String>,
}

impl NewDutyEntry {
    pub fn parse(
        title: &str,
        note: &str,
        happened_on: NaiveDate,
        attachment_url: Option<&str>,
        today: NaiveDate,
    ) -> Result<Self, DomainError> {
        let title = bounded("title", title, 1, MAX_ENTRY_TITLE_CHARS)?;
        let note = bounded("note", note, 1, MAX_ENTRY_NOTE_CHARS)?;
        if happened_on > today {
            return Err(DomainError::invalid("happenedOn", "must not be in the future"));
        }
        let attachment_url = match optional("attachmentUrl", attachment_url, 2000)? {
            Some(url) => Some(web_url("attachmentUrl", &url)?),
            None => None,
        };
        Ok(Self { title, note, happened_on, attachment_url })
    }
}

/// Staff's decision on a pending entry: VERIFIED, or REJECTED with a reason. Decided once: a decided entry
/// is a CONFLICT.
pub fn decide(
    status: EntryStatus,
    verify: bool,
    reason: Option<&str>,
) -> Result<(EntryStatus, Option<String>), DomainError> {
    if status != EntryStatus::Pending {
        return Err(DomainError::conflict("this entry has already been decided"));
    }
    let reason = optional("reason", reason, MAX_REASON_CHARS)?;
    if !verify && reason.is_none() {
        return Err(DomainError::invalid("reason", "say why the entry is rejected"));
    }
    Ok((if verify { EntryStatus::Verified } else { EntryStatus::Rejected }, reason))
}

/// Who reads a deputy's duty archive and points ledger: the deputy, staff of the deputy's congress, an
/// admin. Others see only the public summary.
pub fn may_read_record(actor: &Actor, deputy_id: Uuid, deputy_congress_id: Uuid) -> bool {
    actor.is_staff_of(deputy_congress_id)
        || (actor.role == Role::Deputy && actor.deputy_id == Some(deputy_id))
}

/// Who sees a congress's point rules and quotas: its staff (admins too) and its deputies.
pub fn check_rules_reader(actor: &Actor, congress_id: Uuid) -> Result<(), DomainError> {
    let deputy_of = actor.role == Role::Deputy && actor.congress_id == Some(congress_id);
    if actor.is_staff_of(congress_id) || deputy_of {
        Ok(())
    } else {
        Err(DomainError::forbidden("only the congress's staff and deputies see its rules and quotas"))
    }
}

/// The deputy adding an entry to their own archive.
pub fn reporting_deputy(actor: &Actor) -> Result<(Uuid, Uuid), DomainError> {
    match (actor.role, actor.deputy_id, actor.congress_id) {
        (Role::Deputy, Some(deputy_id), Some(congress_id)) => Ok((deputy_id, congress_id)),
        _ => Err(DomainError::forbidden("only deputies report entries to their own archive")),
    }
}

/// Staff of the congress set its point rules and quotas and decide self-reported entries.
pub fn check_staff(actor: &Actor, congress_id: Uuid) -> Result<(), DomainError> {
    if actor.is_staff_of(congress_id) {
        Ok(())
    } else {
        Err(DomainError::forbidden("only staff of the congress manage its duty record"))
    }
}

/// A suggestion counts as led (and co-signed) once it was proposed, and as long as it is not a draft again
/// (sent back for revision) or withdrawn.
pub fn suggestion_counts(state: SuggestionState) -> bool {
    !matches!(state, SuggestionState::Draft | SuggestionState::Withdrawn)
}

/// The lead deputy's official rating counts as "rated satisfied" when both the attitude and the result are
/// SATISFIED (basically satisfied is not satisfied).
pub fn rated_satisfied(rating: &Rating, official: bool) -> bool {
    official && rating.attitude == Satisfaction::Satisfied && rating.result == Satisfaction::Satisfied
}

/// The archive entry an activity's attendance makes: each activity kind of the "十个一" items is its own
/// kind (reception, constituency visit, inspection, research, training, policy talk, deputies' meeting,
/// exchange, report to voters), any other activity (a session meeting, OTHER) is ACTIVITY_ATTENDED; an
/// absence without approved leave is a deduction; an excused absence (or one still open) counts nothing.
pub fn activity_entry(kind: ActivityKind, attendance: Option<Attendance>) -> Option<EntryKind> {
    match attendance? {
        Attendance::Present => Some(attended(kind)),
        Attendance::Absent => Some(EntryKind::ActivityAbsentUnexcused),
        Attendance::Excused => None,
    }
}

/// What attending an activity of `kind` counts as.
pub fn attended(kind: ActivityKind) -> EntryKind {
    match kind {
        ActivityKind::Training => EntryKind::TrainingAttended,
        ActivityKind::ReportToVoters => EntryKind::ReportToVoters,
        ActivityKind::Reception => EntryKind::VotersReceived,
        ActivityKind::ConstituencyVisit => EntryKind::ConstituencyVisited,
        ActivityKind::Inspection => EntryKind::InspectionAttended,
        ActivityKind::Research => EntryKind::ResearchAttended,
        ActivityKind::PolicyTalk => EntryKind::PolicyTalkGiven,
        ActivityKind::DeputyGroupMeeting => EntryKind::DeputyMeetingAttended,
        ActivityKind::Exchange => EntryKind::ExperienceExchanged,
        ActivityKind::SessionMeeting | ActivityKind::Other => EntryKind::ActivityAttended,
    }
}

/// The instants `[from, to)` of a CST calendar year.
pub fn year_bounds(year: i32) -> Result<(DateTime<Utc>, DateTime<Utc>), DomainError> {
    let start = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(cst_midnight)
            .ok_or_else(|| DomainError::invalid("year", "out of range"))
    };
    if !(2000..=2100).contains(&year) {
        return Err(DomainError::invalid("year", "must be between 2000 and 2100"));
    }
    Ok((start(year)?, start(year + 1)?))
}

/// The days `[from, to]` of a deputy's activity trail (代表活动轨迹) in `year`: the whole year unless narrowed
/// by `from` and/or `to`, which must lie in the year and not be reversed.
pub fn trail_period(
    year: i32,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate), DomainError> {
    year_bounds(year)?;
    let (first, last) = match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
        (Some(first), Some(last)) => (first, last),
        _ => return Err(DomainError::invalid("year", "out of range")),
    };
    let within = |d: NaiveDate| (first..=last).contains(&d);
    if from.is_some_and(|d| !within(d)) {
        return Err(DomainError::invalid("from", "must be a day of the year asked for"));
    }
    if to.is_some_and(|d| !within(d)) {
        return Err(DomainError::invalid("to", "must be a day of the year asked for"));
    }
    let (from, to) = (from.unwrap_or(first), to.unwrap_or(last));
    if from > to {
        return Err(DomainError::invalid("to", "must not be before `from`"));
    }
    Ok((from, to))
}

/// The `index`-th period of `kind` in `year` (1-based: month 1–12, quarter 1–4, year 1).
pub fn period(kind: PeriodKind, year: i32, index: u32) -> Result<Period, DomainError> {
    year_bounds(year)?;
    index
        .checked_sub(1)
        .and_then(|i| periods(kind, year).get(i as usize).copied())
        .ok_or_else(|| DomainError::invalid("index", "no such period in the year"))
}

/// A new version of a point rule: points within ±100, a cap (if any) of at most 1,000, from a day within
/// the supported years.
pub fn check_rule(rule: &PointRule) -> Result<(), DomainError> {
    if !(-100..=100).contains(&rule.points) {
        return Err(DomainError::invalid("points", "must be between -100 and 100"));
    }
    if rule.yearly_cap.is_some_and(|cap| cap == 0 || cap > 1000) {
        return Err(DomainError::invalid("yearlyCap", "must be between 1 and 1000"));
    }
    year_bounds(chrono::Datelike::year(&rule.effective_from))
        .map_err(|_| DomainError::invalid("effectiveFrom", "must be between 2000 and 2100"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_trail_period_lies_in_its_year() {
        assert_eq!(trail_period(2025, None, None), Ok((day(2025, 1, 1), day(2025, 12, 31))));
        assert_eq!(
            trail_period(2025, Some(day(2025, 3, 1)), Some(day(2025, 3, 31))),
            Ok((day(2025, 3, 1), day(2025, 3, 31)))
        );
        assert_eq!(trail_period(2025, None, Some(day(2025, 6, 30))), Ok((day(2025, 1, 1), day(2025, 6, 30))));
        assert_eq!(
            trail_period(2025, Some(day(2024, 12, 31)), None),
            Err(DomainError::invalid("from", "must be a day of the year asked for"))
        );
        assert_eq!(
            trail_period(2025, None, Some(day(2026, 1, 1))),
            Err(DomainError::invalid("to", "must be a day of the year asked for"))
        );
        assert_eq!(
            trail_period(2025, Some(day(2025, 5, 2)), Some(day(2025, 5, 1))),
            Err(DomainError::invalid("to", "must not be before `from`"))
        );
        assert!(trail_period(1999, None, None).is_err());
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn actor(role: Role, congress: Option<u128>, deputy: Option<u128>) -> Actor {
        Actor {
            user_id: Uuid::from_u128(99),
            role,
            congress_id: congress.map(Uuid::from_u128),
            unit_id: None,
            deputy_id: deputy.map(Uuid::from_u128),
            station_id: None,
        }
    }

    #[test]
    fn an_entry_is_bounded_dated_no_later_than_today_and_links_only_to_the_web() {
        let today = day(2026, 5, 1);
        let ok = NewDutyEntry::parse(" 大会发言 ", "关于教育", today, Some(" https://x.cn/a.pdf "), today);
        assert_eq!(ok.as_ref().map(|e| e.title.as_str()), Ok("大会发言"));
        assert_eq!(ok.map(|e| e.attachment_url), Ok(Some("https://x.cn/a.pdf".to_owned())));
        assert!(
            NewDutyEntry::parse("t", "n", today, Some(""), today).is_ok_and(|e| e.attachment_url.is_none())
        );
        let future = NewDutyEntry::parse("t", "n", day(2026, 5, 2), None, today);
        assert!(matches!(future, Err(DomainError::Invalid { field: "happenedOn", .. })));
        let ftp = NewDutyEntry::parse("t", "n", today, Some("ftp://x.cn/a"), today);
        assert!(matches!(ftp, Err(DomainError::Invalid { field: "attachmentUrl", .. })));
        assert!(NewDutyEntry::parse(" ", "n", today, None, today).is_err());
        assert!(
            NewDutyEntry::parse(&"题".repeat(MAX_ENTRY_TITLE_CHARS + 1), "n", today, None, today).is_err()
        );
        assert!(
            NewDutyEntry::parse("t", &"字".repeat(MAX_ENTRY_NOTE_CHARS + 1), today, None, today).is_err()
        );
    }

    #[test]
    fn an_entry_is_decided_once_and_a_rejection_says_why() {
        assert_eq!(decide(EntryStatus::Pending, true, None), Ok((EntryStatus::Verified, None)));
        assert_eq!(
            decide(EntryStatus::Pending, false, Some(" 无佐证 ")),
            Ok((EntryStatus::Rejected, Some("无佐证".to_owned())))
        );
        assert!(matches!(decide(EntryStatus::Pending, false, Some(" ")), Err(DomainError::Invalid { .. })));
        assert!(matches!(decide(EntryStatus::Verified, true, None), Err(DomainError::Conflict(_))));
        assert!(matches!(decide(EntryStatus::Rejected, true, None), Err(DomainError::Conflict(_))));
    }

    #[test]
    fn the_record_is_read_by_the_deputy_their_staff_and_admins_only() {
        let deputy = Uuid::from_u128(7);
        let congress = Uuid::from_u128(1);
        assert!(may_read_record(&actor(Role::Deputy, Some(1), Some(7)), deputy, congress));
        assert!(!may_read_record(&actor(Role::Deputy, Some(1), Some(8)), deputy, congress));
        assert!(may_read_record(&actor(Role::CongressStaff, Some(1), None), deputy, congress));
        assert!(!may_read_record(&actor(Role::CongressStaff, Some(2), None), deputy, congress));
        assert!(may_read_record(&actor(Role::Admin, None, None), deputy, congress));
        for role in [Role::UnitStaff, Role::Citizen, Role::StationStaff] {
            assert!(!may_read_record(&actor(role, Some(1), None), deputy, congress));
        }
        assert!(reporting_deputy(&actor(Role::CongressStaff, Some(1), None)).is_err());
        assert_eq!(reporting_deputy(&actor(Role::Deputy, Some(1), Some(7))), Ok((deputy, congress)));
        assert!(check_staff(&actor(Role::CongressStaff, Some(2), None), congress).is_err());
        assert!(check_rules_reader(&actor(Role::Deputy, Some(1), Some(8)), congress).is_ok());
        assert!(check_rules_reader(&actor(Role::Deputy, Some(2), Some(8)), congress).is_err());
        assert!(check_rules_reader(&actor(Role::UnitStaff, Some(1), None), congress).is_err());
    }

    #[test]
    fn suggestions_count_from_proposed_on_except_drafts_and_withdrawn() {
        let counted: Vec<_> = SuggestionState::ALL.iter().filter(|s| suggestion_counts(**s)).collect();
        assert_eq!(
            counted,
            vec![
                &SuggestionState::Proposed,
                &SuggestionState::Assigned,
                &SuggestionState::Handled,
                &SuggestionState::Answered,
                &SuggestionState::Rated
            ]
        );
    }

    #[test]
    fn only_an_official_fully_satisfied_rating_counts() {
        let rating = |attitude, result| Rating {
            deputy_id: Uuid::from_u128(1),
            attitude,
            result,
            comment: None,
            at: Utc::now(),
        };
        let s = Satisfaction::Satisfied;
        let b = Satisfaction::BasicallySatisfied;
        assert!(rated_satisfied(&rating(s, s), true));
        assert!(!rated_satisfied(&rating(s, s), false), "a co-signer's rating");
        assert!(!rated_satisfied(&rating(s, b), true));
        assert!(!rated_satisfied(&rating(b, s), true));
    }

    #[test]
    fn attendance_maps_to_entries_by_activity_kind() {
        use ActivityKind as K;
        assert_eq!(activity_entry(K::Training, Some(Attendance::Present)), Some(EntryKind::TrainingAttended));
        assert_eq!(
            activity_entry(K::ReportToVoters, Some(Attendance::Present)),
            Some(EntryKind::ReportToVoters)
        );
        assert_eq!(
            activity_entry(K::Inspection, Some(Attendance::Present)),
            Some(EntryKind::InspectionAttended)
        );
        assert_eq!(
            activity_entry(K::SessionMeeting, Some(Attendance::Present)),
            Some(EntryKind::ActivityAttended)
        );
        assert_eq!(activity_entry(K::Other, Some(Attendance::Present)), Some(EntryKind::ActivityAttended));
        assert_eq!(
            activity_entry(K::Training, Some(Attendance::Absent)),
            Some(EntryKind::ActivityAbsentUnexcused)
        );
        assert_eq!(activity_entry(K::SessionMeeting, Some(Attendance::Excused)), None);
        assert_eq!(activity_entry(K::SessionMeeting, None), None);
    }

    #[test]
    fn every_activity_kind_of_the_ten_items_has_a_kind_of_its_own() {
        let kinds: Vec<EntryKind> = ActivityKind::ALL.iter().map(|k| attended(*k)).collect();
        let own: Vec<&EntryKind> = kinds.iter().filter(|k| **k != EntryKind::ActivityAttended).collect();
        let mut distinct = own.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(own.len(), distinct.len(), "no two activity kinds share an entry kind");
        assert_eq!(own.len(), ActivityKind::ALL.len() - 2, "only SESSION_MEETING and OTHER stay general");
        // Each told-apart kind falls back to ACTIVITY_ATTENDED unless it had a kind of its own before.
        for k in own {
            let before = matches!(k, EntryKind::TrainingAttended | EntryKind::ReportToVoters);
            assert_eq!(k.general().is_none(), before, "{k:?}");
        }
    }

    #[test]
    fn a_year_runs_from_beijing_midnight_to_beijing_midnight() {
        let (from, to) = year_bounds(2026).unwrap();
        assert_eq!(from, Utc.with_ymd_and_hms(2025, 12, 31, 16, 0, 0).single().unwrap_or_default());
        assert_eq!(to, Utc.with_ymd_and_hms(2026, 12, 31, 16, 0, 0).single().unwrap_or_default());
        assert!(year_bounds(1999).is_err());
    }

    #[test]
    fn periods_are_named_by_kind_year_and_index() {
        let q2 = period(PeriodKind::Quarter, 2026, 2).unwrap();
        assert_eq!((q2.start, q2.end), (day(2026, 4, 1), day(2026, 7, 1)));
        assert!(period(PeriodKind::Quarter, 2026, 5).is_err());
        assert!(period(PeriodKind::Month, 2026, 0).is_err());
        assert_eq!(period(PeriodKind::Year, 2026, 1).map(|p| p.end), Ok(day(2027, 1, 1)));
    }

    #[test]
    fn rules_stay_within_sensible_bounds() {
        let rule = |points, cap| PointRule {
            id: Uuid::nil(),
            kind: EntryKind::SuggestionLed,
            points,
            yearly_cap: cap,
            effective_from: day(2026, 1, 1),
        };
        assert!(check_rule(&rule(5, Some(30))).is_ok());
        assert!(check_rule(&rule(-3, None)).is_ok());
        assert!(check_rule(&rule(101, None)).is_err());
        assert!(check_rule(&rule(5, Some(0))).is_err());
    }
}
