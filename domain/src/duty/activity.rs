//! Activities (履职活动) and who takes part: registration, leave requests (请假), check-in (签到) and the
//! attendance that results. Each rule takes the current time and the facts it needs; none stores anything.

use crate::DomainError;
use crate::account::{Actor, Role};
use crate::one_time_code::{CodePolicy, SMS_CODE};
use crate::rate_limit::RateLimit;
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

/// The longest title and place kept.
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_PLACE_CHARS: usize = 200;

/// The most deputies one activity takes (a plenary session of a large congress fits).
pub const MAX_PARTICIPANTS: usize = 1000;

/// The longest an activity lasts: a session meeting runs for days, not months.
pub const MAX_DURATION: Duration = Duration::days(31);

/// How long the rotating check-in code stays the same, in seconds. The current and the previous code are
/// accepted, so a code scanned just before it turns still works.
pub const CHECK_IN_CODE_PERIOD_SECS: i64 = 60;

/// How long after a report to voters ends voters may still rate it.
pub const VOTER_RATING_PERIOD: Duration = Duration::days(7);

/// The one-time code sent to a voter's phone: six digits, valid 10 minutes, five tries.
pub const VOTER_CODE: CodePolicy = SMS_CODE;

/// Codes one phone may ask for per rating link within 10 minutes.
pub const VOTER_CODE_REQUESTS_PER_PHONE: RateLimit = RateLimit::new(3, 10 * 60);

/// Codes one client address may ask for within an hour (a polling station's shared Wi-Fi stays usable).
pub const VOTER_CODE_REQUESTS_PER_ADDRESS: RateLimit = RateLimit::new(30, 60 * 60);

/// Check-in codes one deputy may try for one activity within 10 minutes: a mistyped or stale scan is
/// retried a few times, but the 10^8 codes cannot be walked through (each period's code would take
/// millions of tries).
pub const CHECK_IN_ATTEMPTS: RateLimit = RateLimit::new(10, 10 * 60);

/// A new activity, checked: title and place trimmed and bounded, a schedule that has not ended and lasts at
/// most [`MAX_DURATION`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    pub kind: ActivityKind,
    pub title: String,
    pub place: String,
    pub schedule: Schedule,
    pub participation: Participation,
}

impl NewActivity {
    pub fn parse(
        kind: ActivityKind,
        title: &str,
        place: &str,
        schedule: Schedule,
        participation: Participation,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        let title = crate::text::bounded("title", title, 1, MAX_TITLE_CHARS)?;
        let place = crate::text::bounded("place", place, 1, MAX_PLACE_CHARS)?;
        if schedule.has_ended(now) {
            return Err(DomainError::invalid("endsAt", "the activity would already be over"));
        }
        if schedule.ends_at - schedule.starts_at > MAX_DURATION {
            return Err(DomainError::invalid("endsAt", "an activity lasts at most 31 days"));
        }
        Ok(Self { kind, title, place, schedule, participation })
    }
}

/// Who organises an activity of a congress: its staff (an admin too), or for a deputy group's activity the
/// group's leader (`group_leader`, when the activity belongs to a group that has one).
pub fn check_organiser(
    actor: &Actor,
    congress_id: Uuid,
    group_leader: Option<Uuid>,
) -> Result<(), DomainError> {
    let leads = actor.role == Role::Deputy
        && actor.congress_id == Some(congress_id)
        && group_leader.is_some()
        && actor.deputy_id == group_leader;
    if actor.is_staff_of(congress_id) || leads {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "only staff of the congress, or a deputy group's leader for the group's activities, organise them",
        ))
    }
}

/// Who sees a congress's activities: its staff and its deputies.
pub fn may_see(actor: &Actor, congress_id: Uuid) -> bool {
    actor.is_staff_of(congress_id)
        || (actor.role == Role::Deputy && actor.deputy_id.is_some() && actor.congress_id == Some(congress_id))
}

/// A leave reason is personal: staff of the congress and the deputy concerned see it.
pub fn may_see_leave_reason(actor: &Actor, congress_id: Uuid, deputy_id: Uuid) -> bool {
    actor.is_staff_of(congress_id) || (actor.role == Role::Deputy && actor.deputy_id == Some(deputy_id))
}

/// The deputy acting for themselves at an activity of `congress_id` (registering, asking for leave,
/// checking in): a deputy of that congress.
pub fn acting_deputy(actor: &Actor, congress_id: Uuid) -> Result<Uuid, DomainError> {
    match actor.deputy_id {
        Some(deputy_id) if actor.role == Role::Deputy && actor.congress_id == Some(congress_id) => {
            Ok(deputy_id)
        }
        _ => Err(DomainError::forbidden("only deputies of the congress take part in its activities")),
    }
}

/// Staff assign participants to an activity whose participants are assigned, until it ends.
pub fn check_assignment(
    participation: Participation,
    schedule: &Schedule,
    deputies: usize,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    if participation != Participation::Assigned {
        return Err(DomainError::conflict("deputies register for this activity themselves"));
    }
    if schedule.has_ended(now) {
        return Err(DomainError::conflict("the activity has ended"));
    }
    if deputies > MAX_PARTICIPANTS {
        return Err(DomainError::invalid("deputyIds", format!("at most {MAX_PARTICIPANTS} deputies")));
    }
    Ok(())
}

/// Whether check-in is open: from [`CHECK_IN_GRACE`] before the start until the end. The rotating code is
/// issued, and accepted, only then.
pub fn check_in_open(schedule: &Schedule, now: DateTime<Utc>) -> bool {
    now >= schedule.starts_at - CHECK_IN_GRACE && !schedule.has_ended(now)
}

/// The number of the check-in code period that `now` falls in.
pub fn check_in_code_window(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(CHECK_IN_CODE_PERIOD_SECS)
}

/// The code periods whose code is accepted at `now`: the current one and the one before.
pub fn accepted_check_in_windows(now: DateTime<Utc>) -> [i64; 2] {
    let current = check_in_code_window(now);
    [current, current - 1]
}

/// When the current code turns.
pub fn check_in_code_expires_at(now: DateTime<Utc>) -> DateTime<Utc> {
    let next = (check_in_code_window(now) + 1) * CHECK_IN_CODE_PERIOD_SECS;
    DateTime::from_timestamp(next, 0).unwrap_or(now)
}

/// Voters rate a report to voters from its start until [`VOTER_RATING_PERIOD`] after its end.
pub fn check_voter_rating_open(
    kind: ActivityKind,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    if kind != ActivityKind::ReportToVoters {
        return Err(DomainError::NotFound("report to voters"));
    }
    if now < schedule.starts_at {
        return Err(DomainError::conflict("rating opens when the report begins"));
    }
    if now >= schedule.ends_at + VOTER_RATING_PERIOD {
        return Err(DomainError::conflict("rating closed 7 days after the report"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const CONGRESS: Uuid = Uuid::from_u128(1);
    const OTHER_CONGRESS: Uuid = Uuid::from_u128(2);

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 20, h, m, 0).single().unwrap_or_default()
    }

    /// 09:00–11:00.
    fn schedule() -> Schedule {
        Schedule::new(at(9, 0), at(11, 0)).unwrap()
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
        let open = Participation::open(2).unwrap();
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

    fn deputy(congress_id: Uuid, deputy: u128) -> Actor {
        Actor { deputy_id: Some(Uuid::from_u128(deputy)), ..actor(Role::Deputy, Some(congress_id)) }
    }

    #[test]
    fn a_new_activity_has_a_title_a_place_and_a_future_end() {
        let s = schedule();
        let ok = NewActivity::parse(
            ActivityKind::Training,
            " 培训 ",
            "会议室",
            s,
            Participation::Assigned,
            at(8, 0),
        );
        assert_eq!(ok.as_ref().map(|a| a.title.as_str()), Ok("培训"));
        assert!(
            NewActivity::parse(ActivityKind::Training, " ", "x", s, Participation::Assigned, at(8, 0))
                .is_err()
        );
        assert!(
            NewActivity::parse(ActivityKind::Training, "t", "", s, Participation::Assigned, at(8, 0))
                .is_err()
        );
        let long = "题".repeat(MAX_TITLE_CHARS + 1);
        assert!(
            NewActivity::parse(ActivityKind::Training, &long, "x", s, Participation::Assigned, at(8, 0))
                .is_err()
        );
        assert!(
            NewActivity::parse(ActivityKind::Training, "t", "x", s, Participation::Assigned, at(11, 0))
                .is_err(),
            "over"
        );
        assert!(
            NewActivity::parse(ActivityKind::Training, "t", "x", s, Participation::Assigned, at(10, 0))
                .is_ok()
        );
        let month = Schedule::new(at(9, 0), at(9, 0) + Duration::days(32)).unwrap();
        assert!(
            NewActivity::parse(
                ActivityKind::SessionMeeting,
                "t",
                "x",
                month,
                Participation::Assigned,
                at(8, 0)
            )
            .is_err()
        );
    }

    #[test]
    fn staff_organise_staff_and_deputies_of_the_congress_see() {
        let staff = actor(Role::CongressStaff, Some(CONGRESS));
        let member = deputy(CONGRESS, 5);
        assert_eq!(check_organiser(&staff, CONGRESS, None), Ok(()));
        assert_eq!(check_organiser(&actor(Role::Admin, None), CONGRESS, None), Ok(()));
        // A group's leader organises the group's activities, and only as a deputy of that congress.
        let leader = Some(Uuid::from_u128(5));
        assert_eq!(check_organiser(&member, CONGRESS, leader), Ok(()));
        assert!(check_organiser(&deputy(CONGRESS, 6), CONGRESS, leader).is_err());
        assert!(check_organiser(&deputy(OTHER_CONGRESS, 5), CONGRESS, leader).is_err());
        for other in [
            member.clone(),
            actor(Role::CongressStaff, Some(OTHER_CONGRESS)),
            actor(Role::UnitStaff, Some(CONGRESS)),
            actor(Role::Citizen, None),
        ] {
            assert!(matches!(check_organiser(&other, CONGRESS, None), Err(DomainError::Forbidden(_))));
        }
        assert!(may_see(&staff, CONGRESS) && may_see(&member, CONGRESS));
        assert!(!may_see(&deputy(OTHER_CONGRESS, 6), CONGRESS));
        assert!(!may_see(&actor(Role::UnitStaff, Some(CONGRESS)), CONGRESS));
        assert!(!may_see(&actor(Role::Citizen, None), CONGRESS));
        assert!(may_see_leave_reason(&staff, CONGRESS, Uuid::from_u128(5)));
        assert!(may_see_leave_reason(&member, CONGRESS, Uuid::from_u128(5)));
        assert!(!may_see_leave_reason(&deputy(CONGRESS, 6), CONGRESS, Uuid::from_u128(5)));
        assert_eq!(acting_deputy(&member, CONGRESS), Ok(Uuid::from_u128(5)));
        assert!(acting_deputy(&deputy(OTHER_CONGRESS, 6), CONGRESS).is_err());
        assert!(acting_deputy(&staff, CONGRESS).is_err());
    }

    #[test]
    fn staff_assign_only_where_participants_are_assigned_until_the_end() {
        let s = schedule();
        assert_eq!(check_assignment(Participation::Assigned, &s, 3, at(10, 0)), Ok(()));
        assert!(is_conflict(check_assignment(Participation::Assigned, &s, 3, at(11, 0))));
        let open = Participation::open(3).unwrap();
        assert!(is_conflict(check_assignment(open, &s, 1, at(8, 0))));
        assert!(check_assignment(Participation::Assigned, &s, MAX_PARTICIPANTS + 1, at(8, 0)).is_err());
    }

    #[test]
    fn the_check_in_code_rotates_every_period_and_the_previous_one_is_accepted() {
        let s = schedule();
        assert!(!check_in_open(&s, at(8, 29)));
        assert!(check_in_open(&s, at(8, 30)) && check_in_open(&s, at(10, 59)));
        assert!(!check_in_open(&s, at(11, 0)));
        let t = at(9, 0);
        assert_eq!(check_in_code_window(t), check_in_code_window(t + Duration::seconds(59)));
        assert_ne!(check_in_code_window(t), check_in_code_window(t + Duration::seconds(60)));
        let later = t + Duration::seconds(61);
        assert!(accepted_check_in_windows(later).contains(&check_in_code_window(t)));
        assert!(!accepted_check_in_windows(t + Duration::seconds(120)).contains(&check_in_code_window(t)));
        assert_eq!(check_in_code_expires_at(t + Duration::seconds(10)), t + Duration::seconds(60));
    }

    #[test]
    fn voters_rate_a_report_from_its_start_until_a_week_after_it() {
        let s = schedule();
        let r = ActivityKind::ReportToVoters;
        assert!(is_conflict(check_voter_rating_open(r, &s, at(8, 59))));
        assert_eq!(check_voter_rating_open(r, &s, at(9, 0)), Ok(()));
        assert_eq!(
            check_voter_rating_open(r, &s, at(11, 0) + Duration::days(7) - Duration::seconds(1)),
            Ok(())
        );
        assert!(is_conflict(check_voter_rating_open(r, &s, at(11, 0) + Duration::days(7))));
        assert!(matches!(
            check_voter_rating_open(ActivityKind::Training, &s, at(10, 0)),
            Err(DomainError::NotFound(_))
        ));
    }

    #[test]
    fn check_in_guesses_are_bounded_far_below_the_code_space() {
        // Two codes of 10^8 are accepted at a time: a deputy guessing all day long has less than one
        // chance in a thousand.
        const PER_DAY: u64 = CHECK_IN_ATTEMPTS.max * (24 * 3600 / CHECK_IN_ATTEMPTS.window_secs);
        const { assert!(PER_DAY * 2 * 1000 < 100_000_000) };
        assert_eq!(CHECK_IN_ATTEMPTS.admit(CHECK_IN_ATTEMPTS.max, 600), Ok(()));
        assert!(CHECK_IN_ATTEMPTS.admit(CHECK_IN_ATTEMPTS.max + 1, 600).is_err());
    }
}
