//! Activities (履职活动) and who takes part: registration, leave requests (请假), check-in (签到) and the
//! attendance that results. Each rule takes the current time and the facts it needs; none stores anything.

use crate::DomainError;
use crate::account::Actor;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

vocabulary!(
    /// What kind of duty an activity is.
    ActivityKind {
        /// 大会会议.
        SessionMeeting = "SESSION_MEETING",
        /// 代表小组活动.
        DeputyGroupMeeting = "DEPUTY_GROUP_MEETING",
        /// 视察 (including law-enforcement checks).
        Inspection = "INSPECTION",
        /// 调研.
        Research = "RESEARCH",
        /// 培训.
        Training = "TRAINING",
        /// 接待选民.
        Reception = "RECEPTION",
        /// 走访选区.
        ConstituencyVisit = "CONSTITUENCY_VISIT",
        /// 政策宣讲.
        PolicyTalk = "POLICY_TALK",
        /// 述职: voters rate it, which feeds the yearly evaluation.
        ReportToVoters = "REPORT_TO_VOTERS",
        /// 履职交流.
        Exchange = "EXCHANGE",
        Other = "OTHER",
    }
);

vocabulary!(
    /// How a participant ended up at an activity.
    Attendance {
        /// Checked in (by QR code or by staff).
        Present = "PRESENT",
        /// Leave approved.
        Excused = "EXCUSED",
        /// Neither: counts against the deputy.
        Absent = "ABSENT",
    }
);

vocabulary!(
    /// A leave request's answer.
    LeaveStatus {
        Pending = "PENDING",
        Approved = "APPROVED",
        Rejected = "REJECTED",
    }
);

/// How early before the start check-in opens: people arrive before the meeting begins.
pub const CHECK_IN_GRACE: Duration = Duration::minutes(30);

/// The longest leave reason kept; enough for a paragraph, short enough for a list view.
pub const MAX_LEAVE_REASON_CHARS: usize = 500;

/// When an activity takes place. Exists only with `starts_at < ends_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

impl Schedule {
    pub fn new(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<Self, DomainError> {
        if ends_at <= starts_at {
            return Err(DomainError::invalid("endsAt", "must be after the start"));
        }
        Ok(Self { starts_at, ends_at })
    }

    pub fn starts_at(&self) -> DateTime<Utc> {
        self.starts_at
    }

    pub fn ends_at(&self) -> DateTime<Utc> {
        self.ends_at
    }

    pub fn has_ended(&self, now: DateTime<Utc>) -> bool {
        now >= self.ends_at
    }
}

/// Who may join: a list staff assign (点名), or anyone of the congress up to a capacity (报名).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Participation {
    Assigned,
    OpenRegistration { capacity: u32 },
}

impl Participation {
    /// Open registration; a capacity of zero would be an activity nobody can join.
    pub fn open(capacity: u32) -> Result<Self, DomainError> {
        if capacity == 0 {
            return Err(DomainError::invalid("capacity", "must be at least 1"));
        }
        Ok(Self::OpenRegistration { capacity })
    }
}

/// What is known about one participant of one activity.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Participant {
    pub checked_in_at: Option<DateTime<Utc>>,
    pub leave: Option<LeaveStatus>,
}

/// A deputy registers for an activity with open registration.
///
/// `registered` is how many are registered now; `already_registered` whether this deputy is one of them.
pub fn check_registration(
    participation: Participation,
    schedule: &Schedule,
    registered: u32,
    already_registered: bool,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let Participation::OpenRegistration { capacity } = participation else {
        return Err(DomainError::forbidden("participants of this activity are assigned by staff"));
    };
    if now >= schedule.starts_at {
        return Err(DomainError::conflict("registration closed: the activity has started"));
    }
    if already_registered {
        return Err(DomainError::conflict("already registered"));
    }
    if registered >= capacity {
        return Err(DomainError::conflict("the activity is full"));
    }
    Ok(())
}

/// Why a deputy cannot come: trimmed, not empty, at most [`MAX_LEAVE_REASON_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaveReason(String);

impl LeaveReason {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let reason = raw.trim();
        if reason.is_empty() {
            return Err(DomainError::invalid("reason", "a leave request needs a reason"));
        }
        if reason.chars().count() > MAX_LEAVE_REASON_CHARS {
            return Err(DomainError::invalid(
                "reason",
                format!("at most {MAX_LEAVE_REASON_CHARS} characters"),
            ));
        }
        Ok(Self(reason.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A participant asks for leave. Possible until the activity ends (illness on the day is still leave);
/// not after checking in, and not twice unless the earlier request was rejected.
pub fn check_leave_request(
    schedule: &Schedule,
    participant: &Participant,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    if schedule.has_ended(now) {
        return Err(DomainError::conflict("the activity has ended"));
    }
    if participant.checked_in_at.is_some() {
        return Err(DomainError::conflict("already checked in"));
    }
    match participant.leave {
        Some(LeaveStatus::Pending) => Err(DomainError::conflict("a leave request is already pending")),
        Some(LeaveStatus::Approved) => Err(DomainError::conflict("leave is already approved")),
        Some(LeaveStatus::Rejected) | None => Ok(()),
    }
}

/// Staff of the activity's congress approve or reject a pending leave request.
pub fn decide_leave(
    actor: &Actor,
    congress_id: Uuid,
    current: LeaveStatus,
    approve: bool,
) -> Result<LeaveStatus, DomainError> {
    if !actor.is_staff_of(congress_id) {
        return Err(DomainError::forbidden("only staff of the congress decide leave requests"));
    }
    if current != LeaveStatus::Pending {
        return Err(DomainError::conflict("the leave request is already decided"));
    }
    Ok(if approve { LeaveStatus::Approved } else { LeaveStatus::Rejected })
}

/// A participant checks in: from [`CHECK_IN_GRACE`] before the start until the end, once.
/// Someone on approved leave who turns up anyway may check in; being there wins.
pub fn check_check_in(
    schedule: &Schedule,
    participant: &Participant,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    if now < schedule.starts_at - CHECK_IN_GRACE {
        return Err(DomainError::conflict("check-in is not open yet"));
    }
    if schedule.has_ended(now) {
        return Err(DomainError::conflict("the activity has ended"));
    }
    if participant.checked_in_at.is_some() {
        return Err(DomainError::conflict("already checked in"));
    }
    Ok(())
}

/// The participant's attendance, or `None` while it is still open (not checked in, not excused, not ended).
pub fn attendance(schedule: &Schedule, participant: &Participant, now: DateTime<Utc>) -> Option<Attendance> {
    if participant.checked_in_at.is_some() {
        Some(Attendance::Present)
    } else if participant.leave == Some(LeaveStatus::Approved) {
        Some(Attendance::Excused)
    } else if schedule.has_ended(now) {
        Some(Attendance::Absent)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Role;
    use chrono::TimeZone;

    const CONGRESS: Uuid = Uuid::from_u128(1);
    const OTHER_CONGRESS: Uuid = Uuid::from_u128(2);

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 20, h, m, 0).single().unwrap_or_default()
    }

    /// 09:00–11:00.
    fn schedule() -> Schedule {
        Schedule::new(at(9, 0), at(11, 0)).unwrap_or_else(|e| panic!("{e}"))
    }

    fn actor(role: Role, congress_id: Option<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::from_u128(99),
            role,
            congress_id,
            unit_id: None,
            deputy_id: None,
            station_id: None,
        }
    }

    fn checked_in() -> Participant {
        Participant { checked_in_at: Some(at(8, 50)), leave: None }
    }

    fn on_leave(status: LeaveStatus) -> Participant {
        Participant { checked_in_at: None, leave: Some(status) }
    }

    fn is_conflict<T>(r: Result<T, DomainError>) -> bool {
        matches!(r, Err(DomainError::Conflict(_)))
    }

    #[test]
    fn vocabularies_round_trip_through_their_names() {
        assert_eq!(ActivityKind::ALL.len(), 11);
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(kind.as_str()), Ok(*kind));
        }
        for a in Attendance::ALL {
            assert_eq!(Attendance::parse(a.as_str()), Ok(*a));
        }
        assert_eq!(ActivityKind::parse("REPORT_TO_VOTERS"), Ok(ActivityKind::ReportToVoters));
        assert!(ActivityKind::parse("inspection").is_err());
        assert!(Attendance::parse("LATE").is_err());
    }

    #[test]
    fn a_schedule_ends_after_it_starts() {
        assert!(Schedule::new(at(9, 0), at(9, 0)).is_err());
        assert!(Schedule::new(at(10, 0), at(9, 0)).is_err());
        assert!(Schedule::new(at(9, 0), at(9, 1)).is_ok());
    }

    #[test]
    fn open_registration_needs_a_capacity() {
        assert!(Participation::open(0).is_err());
        assert_eq!(Participation::open(3), Ok(Participation::OpenRegistration { capacity: 3 }));
    }

    #[test]
    fn registration_is_open_until_the_start_while_places_remain() {
        let open = Participation::open(2).unwrap_or_else(|e| panic!("{e}"));
        let s = schedule();
        assert_eq!(check_registration(open, &s, 1, false, at(8, 59)), Ok(()));
        assert!(is_conflict(check_registration(open, &s, 2, false, at(8, 0))), "full");
        assert!(is_conflict(check_registration(open, &s, 0, false, at(9, 0))), "started");
        assert!(is_conflict(check_registration(open, &s, 1, true, at(8, 0))), "twice");
        assert!(matches!(
            check_registration(Participation::Assigned, &s, 0, false, at(8, 0)),
            Err(DomainError::Forbidden(_))
        ));
    }

    #[test]
    fn a_leave_reason_is_required_and_bounded() {
        assert!(LeaveReason::parse("   ").is_err());
        assert_eq!(LeaveReason::parse("  出差 ").map(|r| r.as_str().to_owned()), Ok("出差".to_owned()));
        assert!(LeaveReason::parse(&"病".repeat(MAX_LEAVE_REASON_CHARS)).is_ok());
        assert!(LeaveReason::parse(&"病".repeat(MAX_LEAVE_REASON_CHARS + 1)).is_err());
    }

    #[test]
    fn leave_may_be_asked_until_the_end_once_at_a_time() {
        let s = schedule();
        let fresh = Participant::default();
        assert_eq!(check_leave_request(&s, &fresh, at(10, 59)), Ok(()));
        assert!(is_conflict(check_leave_request(&s, &fresh, at(11, 0))), "ended");
        assert!(is_conflict(check_leave_request(&s, &checked_in(), at(9, 30))));
        assert!(is_conflict(check_leave_request(&s, &on_leave(LeaveStatus::Pending), at(8, 0))));
        assert!(is_conflict(check_leave_request(&s, &on_leave(LeaveStatus::Approved), at(8, 0))));
        assert_eq!(check_leave_request(&s, &on_leave(LeaveStatus::Rejected), at(8, 0)), Ok(()));
    }

    #[test]
    fn only_staff_of_the_congress_decide_a_pending_leave() {
        let staff = actor(Role::CongressStaff, Some(CONGRESS));
        assert_eq!(decide_leave(&staff, CONGRESS, LeaveStatus::Pending, true), Ok(LeaveStatus::Approved));
        assert_eq!(decide_leave(&staff, CONGRESS, LeaveStatus::Pending, false), Ok(LeaveStatus::Rejected));
        assert_eq!(
            decide_leave(&actor(Role::Admin, None), CONGRESS, LeaveStatus::Pending, true),
            Ok(LeaveStatus::Approved)
        );
        assert!(is_conflict(decide_leave(&staff, CONGRESS, LeaveStatus::Approved, false)));
        assert!(is_conflict(decide_leave(&staff, CONGRESS, LeaveStatus::Rejected, true)));
        for other in [
            actor(Role::CongressStaff, Some(OTHER_CONGRESS)),
            actor(Role::Deputy, Some(CONGRESS)),
            actor(Role::StationStaff, Some(CONGRESS)),
            actor(Role::Citizen, None),
        ] {
            assert!(matches!(
                decide_leave(&other, CONGRESS, LeaveStatus::Pending, true),
                Err(DomainError::Forbidden(_))
            ));
        }
    }

    #[test]
    fn check_in_is_open_from_the_grace_before_start_until_the_end() {
        let s = schedule();
        let fresh = Participant::default();
        assert!(is_conflict(check_check_in(&s, &fresh, at(8, 29))));
        assert_eq!(check_check_in(&s, &fresh, at(8, 30)), Ok(()));
        assert_eq!(check_check_in(&s, &fresh, at(10, 59)), Ok(()));
        assert!(is_conflict(check_check_in(&s, &fresh, at(11, 0))));
        assert!(is_conflict(check_check_in(&s, &checked_in(), at(9, 30))), "twice");
        assert_eq!(check_check_in(&s, &on_leave(LeaveStatus::Approved), at(9, 30)), Ok(()));
    }

    #[test]
    fn attendance_follows_check_in_then_leave_then_the_end() {
        let s = schedule();
        let present_and_excused =
            Participant { checked_in_at: Some(at(9, 0)), leave: Some(LeaveStatus::Approved) };
        assert_eq!(attendance(&s, &present_and_excused, at(12, 0)), Some(Attendance::Present));
        assert_eq!(attendance(&s, &checked_in(), at(9, 0)), Some(Attendance::Present));
        assert_eq!(attendance(&s, &on_leave(LeaveStatus::Approved), at(8, 0)), Some(Attendance::Excused));
        assert_eq!(attendance(&s, &on_leave(LeaveStatus::Pending), at(12, 0)), Some(Attendance::Absent));
        assert_eq!(attendance(&s, &on_leave(LeaveStatus::Rejected), at(12, 0)), Some(Attendance::Absent));
        assert_eq!(attendance(&s, &Participant::default(), at(10, 59)), None);
        assert_eq!(attendance(&s, &Participant::default(), at(11, 0)), Some(Attendance::Absent));
    }
}
