//! Bills (代表议案): a lead sponsor (领衔人) drafts a bill and gathers co-sponsors (附议); it is tabled during a
//! session with enough co-sponsors of the congress (a setting of the congress: ten at county level and
//! above, five at township level) or by a delegation; the presidium (the standing committee between
//! sessions) decides what it becomes: put on the agenda (列入议程), referred to a special committee
//! (交专门委员会审议), or converted to a suggestion (作为建议处理). A bill put forward is assigned to its
//! committee and units with a deadline, the lead sponsor is invited to the meetings that consider it, the
//! review report and decision (审议结果) are recorded, its follow-up is reported until the committee closes
//! it, and the lead sponsor rates the handling.
//!
//! The lifecycle:
//!
//! ```text
//! DRAFT → TABLED → ON_AGENDA ─┐
//!                → REFERRED ──┴→ REVIEWED → FOLLOW_UP → CLOSED → RATED
//!                → CONVERTED (a suggestion from then on)
//! ```
//!
//! Who may do what in which state is one table ([`decide`]): the actor's standing is checked first
//! (FORBIDDEN), then the state (CONFLICT). Who sees what is [`visible`]; the tabling rule is
//! [`check_tabling`].

use crate::DomainError;
use crate::account::{Actor, Role};
use crate::directory::CongressLevel;
use crate::suggestion::{CoSignStatus, Event as SuggestionEvent, Sitting};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[cfg(test)]
mod tests;

vocabulary!(
    /// Where a bill is.
    BillState {
        /// The lead sponsor writes it and gathers co-sponsors; during the recess a draft waits here.
        Draft = "DRAFT",
        /// Tabled with its serial (议案第N号); waits for the presidium's decision.
        Tabled = "TABLED",
        /// Put on the session's agenda (列入会议议程).
        OnAgenda = "ON_AGENDA",
        /// Referred to a special committee for review, with a report back (交专门委员会审议).
        Referred = "REFERRED",
        /// Not a bill: handled as a suggestion (作为建议处理); the suggestion carries on.
        Converted = "CONVERTED",
        /// The review report and the standing committee's decision (审议结果) are recorded.
        Reviewed = "REVIEWED",
        /// The decision is being carried out and reported on (落实、报告、督办).
        FollowUp = "FOLLOW_UP",
        /// The committee closed the follow-up.
        Closed = "CLOSED",
        /// The lead sponsor rated the handling.
        Rated = "RATED",
    }
);

vocabulary!(
    /// What the presidium (or the standing committee) decides a tabled bill becomes.
    Disposition {
        /// Put on the agenda (列入议程).
        OnAgenda = "ON_AGENDA",
        /// Referred to a special committee for review (交专门委员会审议).
        Referred = "REFERRED",
        /// Not a bill: converted to a suggestion (作为建议处理).
        Converted = "CONVERTED",
    }
);

vocabulary!(
    /// The body that decided what a tabled bill becomes.
    DecidingBody {
        /// The session's presidium (主席团), during a session.
        Presidium = "PRESIDIUM",
        /// The standing committee (常委会) between sessions.
        StandingCommittee = "STANDING_COMMITTEE",
    }
);

vocabulary!(
    /// What a step on a bill's timeline records.
    BillEventKind {
        Drafted = "DRAFTED",
        Edited = "EDITED",
        CoSponsorInvited = "CO_SPONSOR_INVITED",
        CoSponsorshipAnswered = "CO_SPONSORSHIP_ANSWERED",
        Tabled = "TABLED",
        Decided = "DECIDED",
        Assigned = "ASSIGNED",
        LeadSponsorInvited = "LEAD_SPONSOR_INVITED",
        AttendanceRecorded = "ATTENDANCE_RECORDED",
        Reviewed = "REVIEWED",
        FollowUpReported = "FOLLOW_UP_REPORTED",
        Supervised = "SUPERVISED",
        Closed = "CLOSED",
        Rated = "RATED",
    }
);

impl Disposition {
    /// The state a bill with this disposition is in.
    pub fn state(self) -> BillState {
        match self {
            Disposition::OnAgenda => BillState::OnAgenda,
            Disposition::Referred => BillState::Referred,
            Disposition::Converted => BillState::Converted,
        }
    }
}

impl DecidingBody {
    /// The presidium decides during a session, the standing committee between sessions.
    pub fn of(session: Option<u32>) -> Self {
        if session.is_some() { DecidingBody::Presidium } else { DecidingBody::StandingCommittee }
    }
}

/// The notification kinds of this capability.
pub mod kinds {
    /// A deputy is invited to co-sponsor a bill (the deputy).
    pub const CO_SPONSOR_INVITED: &str = "BILL_CO_SPONSOR_INVITED";
    /// A bill was tabled (the congress's staff).
    pub const TABLED: &str = "BILL_TABLED";
    /// The presidium decided what a bill becomes (its sponsors).
    pub const DECIDED: &str = "BILL_DECIDED";
    /// A bill was assigned to its committee and units (the units and the sponsors).
    pub const ASSIGNED: &str = "BILL_ASSIGNED";
    /// The lead sponsor is invited to a meeting considering the bill (列席).
    pub const MEETING_INVITED: &str = "BILL_MEETING_INVITED";
    /// The review report and decision were recorded (the sponsors and the units).
    pub const REVIEWED: &str = "BILL_REVIEWED";
    /// A unit reported on the follow-up (staff and the lead sponsor).
    pub const FOLLOW_UP_REPORTED: &str = "BILL_FOLLOW_UP_REPORTED";
    /// Staff pressed the units on the follow-up (督办).
    pub const SUPERVISED: &str = "BILL_SUPERVISED";
    /// The follow-up was closed; the lead sponsor may rate it (the sponsors and the units).
    pub const CLOSED: &str = "BILL_CLOSED";
    /// The lead sponsor rated the handling (staff and the units).
    pub const RATED: &str = "BILL_RATED";

    pub const ALL: [&str; 10] = [
        CO_SPONSOR_INVITED,
        TABLED,
        DECIDED,
        ASSIGNED,
        MEETING_INVITED,
        REVIEWED,
        FOLLOW_UP_REPORTED,
        SUPERVISED,
        CLOSED,
        RATED,
    ];
}

/// How many confirmed co-sponsors a bill needs: a setting of each congress, by default ten at county level
/// and above and five at township level (代表法: 十人以上联名 / 五人以上联名).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CoSponsorThreshold(u32);

impl CoSponsorThreshold {
    /// The largest threshold a congress may set.
    pub const MAX: u32 = 100;

    /// The default of a congress of `level`.
    pub fn default_for(level: CongressLevel) -> Self {
        match level {
            CongressLevel::Township => Self(5),
            _ => Self(10),
        }
    }

    /// A congress's own setting: 1 to [`Self::MAX`].
    pub fn parse(raw: i32) -> Result<Self, DomainError> {
        u32::try_from(raw)
            .ok()
            .filter(|n| (1..=Self::MAX).contains(n))
            .map(Self)
            .ok_or_else(|| DomainError::invalid("coSponsorThreshold", "must be between 1 and 100"))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// A session number set by staff: 1–99.
pub fn parse_session(raw: i32) -> Result<u32, DomainError> {
    u32::try_from(raw)
        .ok()
        .filter(|n| (1..=99).contains(n))
        .ok_or_else(|| DomainError::invalid("sessionNumber", "must be between 1 and 99"))
}

/// How a draft is to be tabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TablingBy {
    /// By its lead sponsor, with enough co-sponsors.
    Sponsors,
    /// By a delegation (代表团), whatever the number of co-sponsors.
    Delegation,
}

/// Whether a draft may be tabled now: only during a session (during the recess the draft waits), and by
/// its sponsors only with at least `threshold` confirmed co-sponsors of the congress. Gives the session.
pub fn check_tabling(
    session: Option<u32>,
    confirmed_co_sponsors: usize,
    threshold: CoSponsorThreshold,
    by: TablingBy,
) -> Result<u32, DomainError> {
    let Some(session) = session else {
        return Err(DomainError::conflict(
            "the congress is in recess: a bill is tabled only during a session, the draft waits",
        ));
    };
    let needed = usize::try_from(threshold.get()).unwrap_or(usize::MAX);
    if by == TablingBy::Sponsors && confirmed_co_sponsors < needed {
        return Err(DomainError::conflict(format!(
            "a bill needs at least {needed} confirmed co-sponsors of the congress (or a delegation); it has \
             {confirmed_co_sponsors}"
        )));
    }
    Ok(session)
}

/// A delegation tables a bill only for a lead sponsor who belongs to it, in the same congress.
pub fn check_delegation(
    delegation_congress: Uuid,
    bill_congress: Uuid,
    delegation_id: Uuid,
    lead_group: Option<Uuid>,
) -> Result<(), DomainError> {
    if delegation_congress != bill_congress || lead_group != Some(delegation_id) {
        return Err(DomainError::invalid(
            "delegationId",
            "is not the delegation of the bill's lead sponsor in its congress",
        ));
    }
    Ok(())
}

/// The serial of a tabled bill, distinct from suggestions': 第2次会议议案第3号.
pub fn serial(session: u32, n: u64) -> String {
    format!("第{session}次会议议案第{n}号")
}

/// The key of a congress's bill serial counter for a session (suggestions use `S2`, `R2026`).
pub fn serial_key(session: u32) -> String {
    format!("BILL-S{session}")
}

/// Who the actor is to a bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Staff of the bill's congress (or an admin): act for the presidium, the standing committee and its
    /// committees.
    Staff,
    /// The lead sponsor (领衔人).
    Lead,
    /// An invited co-sponsor, with where their answer stands.
    CoSponsor(CoSignStatus),
    /// Staff of a unit the bill is assigned to.
    Unit,
    /// The leader (组长) of the delegation a bill is (to be) tabled by; never given by [`Standing::of`]:
    /// storage checks that the actor leads that delegation.
    DelegationLeader,
    /// Anyone else: other deputies, other congresses, other units, citizens, station workers.
    Outsider,
}

impl Standing {
    pub const SAMPLES: [Standing; 8] = [
        Standing::Staff,
        Standing::Lead,
        Standing::CoSponsor(CoSignStatus::Invited),
        Standing::CoSponsor(CoSignStatus::Confirmed),
        Standing::CoSponsor(CoSignStatus::Declined),
        Standing::Unit,
        Standing::DelegationLeader,
        Standing::Outsider,
    ];

    /// The actor's standing towards a bill of `congress_id` led by `lead`, with `co_sponsors` invited and
    /// assigned to `units`.
    pub fn of(
        actor: &Actor,
        congress_id: Uuid,
        lead: Uuid,
        co_sponsors: &[(Uuid, CoSignStatus)],
        units: &[Uuid],
    ) -> Self {
        if actor.is_staff_of(congress_id) {
            return Standing::Staff;
        }
        match actor.role {
            Role::Deputy if actor.congress_id == Some(congress_id) => match actor.deputy_id {
                Some(d) if d == lead => Standing::Lead,
                Some(d) => co_sponsors
                    .iter()
                    .find(|(c, _)| *c == d)
                    .map_or(Standing::Outsider, |(_, status)| Standing::CoSponsor(*status)),
                None => Standing::Outsider,
            },
            Role::UnitStaff if actor.unit_id.is_some_and(|u| units.contains(&u)) => Standing::Unit,
            _ => Standing::Outsider,
        }
    }
}

/// Whether someone of `who` sees a bill in `state`: its lead sponsor always; co-sponsors who did not
/// decline; the congress's staff and the leader of the delegation that tabled it once it is tabled (a
/// draft is the sponsors' own); the units it is assigned to. Nobody else, other deputies included.
pub fn visible(who: Standing, state: BillState) -> bool {
    match who {
        Standing::Lead => true,
        Standing::CoSponsor(status) => status != CoSignStatus::Declined,
        Standing::Staff => state != BillState::Draft,
        Standing::Unit => true,
        Standing::DelegationLeader => state != BillState::Draft,
        Standing::Outsider => false,
    }
}

/// What someone asks to do with a bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BillAction {
    /// Edit the draft's text.
    Edit,
    /// Invite deputies of the congress to co-sponsor.
    InviteCoSponsors,
    /// Accept or decline an invitation.
    AnswerInvitation,
    /// Table it with its co-sponsors.
    Table,
    /// Table it in the name of a delegation (its leader, or staff acting for it).
    TableForDelegation,
    /// Decide what it becomes (presidium / standing committee).
    Decide,
    /// Assign it to its committee and units with a deadline (again, until it is reviewed).
    Assign,
    /// Invite the lead sponsor to a meeting considering it (邀请领衔人列席).
    InviteLeadSponsor,
    /// Record whether the lead sponsor attended.
    RecordAttendance,
    /// Record the review report and the decision (审议结果).
    Review,
    /// Report on carrying out the decision (落实、报告).
    ReportFollowUp,
    /// Press the units on the follow-up (督办).
    Supervise,
    /// Close the follow-up.
    Close,
    /// Rate the handling.
    Rate,
}

impl BillAction {
    pub const ALL: [BillAction; 14] = [
        BillAction::Edit,
        BillAction::InviteCoSponsors,
        BillAction::AnswerInvitation,
        BillAction::Table,
        BillAction::TableForDelegation,
        BillAction::Decide,
        BillAction::Assign,
        BillAction::InviteLeadSponsor,
        BillAction::RecordAttendance,
        BillAction::Review,
        BillAction::ReportFollowUp,
        BillAction::Supervise,
        BillAction::Close,
        BillAction::Rate,
    ];

    /// Who may.
    fn allowed(self, who: Standing) -> bool {
        match self {
            BillAction::Edit | BillAction::InviteCoSponsors | BillAction::Table | BillAction::Rate => {
                who == Standing::Lead
            }
            BillAction::AnswerInvitation => who == Standing::CoSponsor(CoSignStatus::Invited),
            BillAction::ReportFollowUp => matches!(who, Standing::Unit | Standing::Staff),
            BillAction::TableForDelegation => matches!(who, Standing::Staff | Standing::DelegationLeader),
            _ => who == Standing::Staff,
        }
    }

    /// Whether `who` may act on a bill they cannot see: staff and a delegation's leader tabling a draft
    /// in the delegation's name (the draft stays the sponsors' own to read).
    pub fn acts_unseen(self, who: Standing) -> bool {
        self == BillAction::TableForDelegation && matches!(who, Standing::Staff | Standing::DelegationLeader)
    }

    fn refusal(self) -> &'static str {
        match self {
            BillAction::Edit | BillAction::InviteCoSponsors | BillAction::Table | BillAction::Rate => {
                "only the bill's lead sponsor may"
            }
            BillAction::AnswerInvitation => "only an invited co-sponsor who has not answered may",
            BillAction::ReportFollowUp => {
                "only the bill's units or the congress's staff report the follow-up"
            }
            BillAction::TableForDelegation => {
                "only the delegation's leader or the congress's staff table for it"
            }
            _ => "only staff of the congress may",
        }
    }

    /// In which states (and whether the bill must be assigned).
    fn fits(self, state: BillState, assigned: bool) -> bool {
        use BillState::*;
        match self {
            BillAction::Edit
            | BillAction::InviteCoSponsors
            | BillAction::AnswerInvitation
            | BillAction::Table
            | BillAction::TableForDelegation => state == Draft,
            BillAction::Decide => state == Tabled,
            BillAction::Assign => matches!(state, OnAgenda | Referred),
            BillAction::InviteLeadSponsor | BillAction::RecordAttendance | BillAction::Review => {
                matches!(state, OnAgenda | Referred) && assigned
            }
            BillAction::ReportFollowUp | BillAction::Supervise => matches!(state, Reviewed | FollowUp),
            BillAction::Close => state == FollowUp,
            BillAction::Rate => state == Closed,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            BillAction::Edit
            | BillAction::InviteCoSponsors
            | BillAction::AnswerInvitation
            | BillAction::Table
            | BillAction::TableForDelegation => "only a DRAFT bill changes its text, sponsors or is tabled",
            BillAction::Decide => "only a TABLED bill is decided",
            BillAction::Assign => "a bill is assigned once put on the agenda or referred, before its review",
            BillAction::InviteLeadSponsor | BillAction::RecordAttendance | BillAction::Review => {
                "the bill must be on the agenda or referred, and assigned"
            }
            BillAction::ReportFollowUp | BillAction::Supervise => "the bill is not reviewed or in follow-up",
            BillAction::Close => "only a bill in FOLLOW_UP is closed",
            BillAction::Rate => "only a CLOSED bill is rated, once",
        }
    }

    /// The state the action leaves a bill in (a decision's state is its [`Disposition::state`]).
    pub fn next(self, state: BillState) -> BillState {
        match self {
            BillAction::Table | BillAction::TableForDelegation => BillState::Tabled,
            BillAction::Review => BillState::Reviewed,
            BillAction::ReportFollowUp => BillState::FollowUp,
            BillAction::Close => BillState::Closed,
            BillAction::Rate => BillState::Rated,
            _ => state,
        }
    }
}

/// The table: FORBIDDEN for the wrong person, CONFLICT for the wrong state.
pub fn decide(
    action: BillAction,
    state: BillState,
    assigned: bool,
    who: Standing,
) -> Result<(), DomainError> {
    if !action.allowed(who) {
        return Err(DomainError::forbidden(action.refusal()));
    }
    if !action.fits(state, assigned) {
        return Err(DomainError::conflict(action.describe()));
    }
    Ok(())
}

/// The most co-sponsors a bill may invite, and the most units it is assigned to.
pub const MAX_CO_SPONSORS: usize = 200;
pub const MAX_UNITS: usize = 20;
/// The most meetings a lead sponsor is invited to for one bill.
pub const MAX_MEETINGS: usize = 50;

/// Checks invitations: deputies of the bill's congress, not the lead, not invited already, at most
/// [`MAX_CO_SPONSORS`] in all. `invitees` are the deputies with their congresses.
pub fn check_invitations(
    congress_id: Uuid,
    lead: Uuid,
    already: &[Uuid],
    invitees: &[(Uuid, Uuid)],
) -> Result<(), DomainError> {
    if invitees.is_empty() {
        return Err(DomainError::invalid("deputyIds", "name at least one deputy"));
    }
    if already.len() + invitees.len() > MAX_CO_SPONSORS {
        return Err(DomainError::invalid(
            "deputyIds",
            format!("a bill has at most {MAX_CO_SPONSORS} co-sponsors"),
        ));
    }
    for (i, (deputy, congress)) in invitees.iter().enumerate() {
        if *congress != congress_id {
            return Err(DomainError::invalid("deputyIds", "co-sponsors are deputies of the same congress"));
        }
        if *deputy == lead {
            return Err(DomainError::invalid(
                "deputyIds",
                "the lead sponsor does not co-sponsor their own bill",
            ));
        }
        if already.contains(deputy) || invitees[..i].iter().any(|(d, _)| d == deputy) {
            return Err(DomainError::conflict("that deputy is invited already"));
        }
    }
    Ok(())
}

/// A deadline must lie ahead, within two years.
pub fn check_deadline(due_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), DomainError> {
    if due_at <= now || due_at > now + chrono::Duration::days(731) {
        return Err(DomainError::invalid("dueAt", "must be ahead, within two years"));
    }
    Ok(())
}

/// Whether the handling finished on time: closed by the deadline. `None` while it is not closed or had no
/// deadline.
pub fn on_time(due_at: Option<DateTime<Utc>>, closed_at: Option<DateTime<Utc>>) -> Option<bool> {
    Some(closed_at? <= due_at?)
}

/// The facts a conversion to a suggestion carries over.
#[derive(Debug, Clone)]
pub struct Conversion<'a> {
    pub congress_id: Uuid,
    pub session: u32,
    pub lead: Uuid,
    /// The confirmed co-sponsors: they become confirmed co-signers.
    pub co_sponsors: &'a [Uuid],
    pub title: &'a str,
    pub reason: &'a str,
    pub provisions: &'a str,
}

/// The category converted suggestions are filed under.
pub const CONVERTED_CATEGORY: &str = "议案转建议";

/// The suggestion a bill becomes (作为建议处理): created for the lead sponsor in the bill's session, the
/// confirmed co-sponsors invited and confirmed as co-signers, then submitted, so it is PROPOSED and staff
/// assign it through the suggestion lifecycle. The creation and co-signing events come first (told to
/// nobody), the submission last (numbered and told as any submission).
pub fn conversion_events(
    c: &Conversion<'_>,
    suggestion_id: Uuid,
    now: DateTime<Utc>,
) -> (Vec<SuggestionEvent>, SuggestionEvent) {
    let mut events = vec![SuggestionEvent::Created {
        id: suggestion_id,
        congress_id: c.congress_id,
        sitting: Sitting::Session { number: c.session },
        lead_deputy_id: c.lead,
        title: c.title.to_owned(),
        content: format!("{}\n\n{}", c.reason, c.provisions),
        category: CONVERTED_CATEGORY.to_owned(),
        at: now,
    }];
    for d in c.co_sponsors {
        events.push(SuggestionEvent::CoSignerInvited { deputy_id: *d });
        events.push(SuggestionEvent::CoSignAnswered { deputy_id: *d, accepted: true });
    }
    (events, SuggestionEvent::Submitted { serial: None })
}

/// A bill's text as the lead sponsor writes it: title (1–100), the case for it (案由, 1–9,000) and the
/// proposed provisions (案据和方案, 1–10,000), so that a converted suggestion's content fits its bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillText {
    pub title: crate::text::Title,
    pub reason: String,
    pub provisions: String,
}

impl BillText {
    pub const MAX_REASON: usize = 9_000;
    pub const MAX_PROVISIONS: usize = 10_000;

    pub fn parse(title: &str, reason: &str, provisions: &str) -> Result<Self, DomainError> {
        Ok(Self {
            title: crate::text::Title::parse("title", title)?,
            reason: crate::text::bounded("reason", reason, 1, Self::MAX_REASON)?,
            provisions: crate::text::bounded("provisions", provisions, 1, Self::MAX_PROVISIONS)?,
        })
    }
}
