//! Appraisal of units and officials (评议): staff open an appraisal of a handling unit's special work or of an
//! official the congress appointed; the unit reports (述职); the appraisal group's deputies record what they
//! found; staff consolidate the findings into a numbered list of problems (问题清单) the unit rectifies item
//! by item (逐条逐项整改), each answer accepted or returned by the group or staff; then every deputy of the
//! congress casts a secret satisfaction ballot (满意度测评), and the result is published with its
//! satisfaction rate (满意率), verdict and rank. An unsatisfactory subject owes a further rectification
//! report (整改报告).
//!
//! Who may do what, in which state, is one table ([`allowed`] and [`states`]); checks run in a fixed order so
//! every refusal gives the most basic reason: the person (FORBIDDEN), then the state (CONFLICT), then the
//! particulars (CONFLICT or BAD_USER_INPUT).

use crate::DomainError;
use crate::account::{Actor, Role};
use crate::ballot::{self, SatisfactionVerdict, Tally};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

pub mod choice;

vocabulary!(
    /// Where an appraisal is.
    AppraisalState {
        /// Opened: the unit owes its report.
        Open = "OPEN",
        /// The unit reported; the group records findings.
        Reported = "REPORTED",
        /// The list of problems was issued; the unit rectifies item by item.
        Rectifying = "RECTIFYING",
        /// Every item accepted; deputies vote on their satisfaction.
        Voting = "VOTING",
        /// The result is public.
        Published = "PUBLISHED",
    }
);

vocabulary!(
    /// What is appraised.
    SubjectKind {
        /// A handling unit's special work (工作评议), e.g. 优化营商环境.
        UnitWork = "UNIT_WORK",
        /// An official the congress appointed (履职评议): 副市长, 局长, 法院院长, 检察院检察长 …
        Official = "OFFICIAL",
    }
);

vocabulary!(
    /// Where one item of the list of problems is.
    ItemState {
        /// Issued; the unit has not answered yet.
        Open = "OPEN",
        /// The unit answered; the group or staff decide.
        Answered = "ANSWERED",
        /// The answer was returned with a reason; the unit answers again.
        Returned = "RETURNED",
        /// The answer was accepted: the item is closed.
        Accepted = "ACCEPTED",
    }
);

vocabulary!(
    /// Where a deputy's finding came from.
    FindingSource {
        /// The deputy's own inspection or survey (视察、调研).
        Inspection = "INSPECTION",
        /// A citizen's opinion (社情民意), named by its id.
        CitizenOpinion = "CITIZEN_OPINION",
    }
);

/// The notification kinds appraisals write (see `notification::NotificationKind`).
pub mod kinds {
    pub const OPENED: &str = "APPRAISAL_OPENED";
    pub const REPORT_SUBMITTED: &str = "APPRAISAL_REPORT_SUBMITTED";
    pub const ITEMS_ISSUED: &str = "APPRAISAL_ITEMS_ISSUED";
    pub const ITEM_ANSWERED: &str = "APPRAISAL_ITEM_ANSWERED";
    pub const ITEM_RETURNED: &str = "APPRAISAL_ITEM_RETURNED";
    pub const ITEM_OVERDUE: &str = "APPRAISAL_ITEM_OVERDUE";
    pub const VOTING_OPENED: &str = "APPRAISAL_VOTING_OPENED";
    pub const RESULT_PUBLISHED: &str = "APPRAISAL_RESULT_PUBLISHED";
    pub const FURTHER_REPORT_SUBMITTED: &str = "APPRAISAL_FURTHER_REPORT_SUBMITTED";
    pub const CHOICE_OPENED: &str = "APPRAISAL_CHOICE_OPENED";
    pub const CHOICE_CLOSED: &str = "APPRAISAL_CHOICE_CLOSED";
}

/// The most items one list of problems holds.
pub const MAX_ITEMS: usize = 100;

/// The steps of an appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The unit submits its written report (述职报告).
    SubmitReport,
    /// Staff record the date of the oral report (述职会议).
    RecordOralReport,
    /// A group deputy records a problem found.
    AddFinding,
    /// Staff issue the numbered list of problems to the unit.
    IssueItems,
    /// The unit answers an item.
    AnswerItem,
    /// The group or staff accept an item's answer.
    AcceptItem,
    /// The group or staff return an item's answer with a reason.
    ReturnItem,
    /// Staff open the satisfaction vote.
    OpenVoting,
    /// Staff invite citizens to the satisfaction vote by their phones (before or during the vote).
    InviteCitizens,
    /// A deputy of the congress casts a satisfaction ballot.
    Vote,
    /// Staff close the vote and publish the result.
    Publish,
    /// The unit submits its further rectification report after an unsatisfactory result.
    SubmitFurtherReport,
}

impl Action {
    pub const ALL: [Action; 12] = [
        Action::SubmitReport,
        Action::RecordOralReport,
        Action::AddFinding,
        Action::IssueItems,
        Action::AnswerItem,
        Action::AcceptItem,
        Action::ReturnItem,
        Action::OpenVoting,
        Action::InviteCitizens,
        Action::Vote,
        Action::Publish,
        Action::SubmitFurtherReport,
    ];
}

/// How the actor stands to one appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// Congress staff of the appraisal's congress, or an admin.
    Staff,
    /// A deputy of the congress in the appraisal group.
    GroupDeputy,
    /// Another deputy of the congress (an elector, not in the group).
    Deputy,
    /// Staff of the unit appraised (or answering for the official).
    Unit,
    /// Staff or deputies of another congress, staff of another unit.
    Outsider,
    /// Citizens, station workers and anonymous viewers.
    Public,
}

impl Party {
    pub const ALL: [Party; 6] =
        [Party::Staff, Party::GroupDeputy, Party::Deputy, Party::Unit, Party::Outsider, Party::Public];

    /// How `viewer` (None: anonymous) stands to `a`.
    pub fn of(viewer: Option<&Actor>, a: &Appraisal) -> Self {
        let Some(actor) = viewer else { return Party::Public };
        if actor.is_staff_of(a.congress_id) {
            return Party::Staff;
        }
        match actor.role {
            Role::Deputy if actor.congress_id == Some(a.congress_id) => {
                if actor.deputy_id.is_some_and(|d| a.group.contains(&d)) {
                    Party::GroupDeputy
                } else {
                    Party::Deputy
                }
            }
            Role::UnitStaff if actor.unit_id == Some(a.unit_id) => Party::Unit,
            Role::Deputy | Role::UnitStaff | Role::CongressStaff | Role::Admin => Party::Outsider,
            Role::Citizen | Role::StationStaff => Party::Public,
        }
    }
}

/// The "who" column of the table.
pub fn allowed(action: Action, party: Party) -> bool {
    use Action as A;
    match action {
        A::SubmitReport | A::AnswerItem | A::SubmitFurtherReport => party == Party::Unit,
        A::RecordOralReport | A::IssueItems | A::OpenVoting | A::InviteCitizens | A::Publish => {
            party == Party::Staff
        }
        A::AddFinding => party == Party::GroupDeputy,
        A::AcceptItem | A::ReturnItem => matches!(party, Party::Staff | Party::GroupDeputy),
        A::Vote => matches!(party, Party::GroupDeputy | Party::Deputy),
    }
}

/// The "when" column: the states an action may start from.
pub fn states(action: Action) -> &'static [AppraisalState] {
    use Action as A;
    use AppraisalState as S;
    match action {
        A::SubmitReport => &[S::Open],
        A::RecordOralReport => &[S::Open, S::Reported],
        A::AddFinding | A::IssueItems => &[S::Reported],
        A::AnswerItem | A::AcceptItem | A::ReturnItem | A::OpenVoting => &[S::Rectifying],
        A::InviteCitizens => &[S::Rectifying, S::Voting],
        A::Vote | A::Publish => &[S::Voting],
        A::SubmitFurtherReport => &[S::Published],
    }
}

/// Who may see how much of an appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Every step: reports, findings, items, turnout.
    Full,
    /// Only the published result: subject, score, verdict, rank.
    ResultOnly,
    /// Nothing: it does not exist for the viewer.
    None,
}

/// What `party` may see of an appraisal in `state`: staff and deputies of the congress and the unit see
/// every step; anyone else only a published result.
pub fn access(party: Party, state: AppraisalState) -> Access {
    match party {
        Party::Staff | Party::GroupDeputy | Party::Deputy | Party::Unit => Access::Full,
        Party::Outsider | Party::Public if state == AppraisalState::Published => Access::ResultOnly,
        Party::Outsider | Party::Public => Access::None,
    }
}

/// The dates staff set at opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// When the unit's written report is due.
    pub report_due: NaiveDate,
    /// When every item should be rectified; the reminder job goes by it.
    pub rectification_due: NaiveDate,
    /// The planned vote window (staff open and close the vote).
    pub voting_from: NaiveDate,
    pub voting_until: NaiveDate,
}

impl Schedule {
    /// The dates in order: report ≤ rectification ≤ voting from ≤ voting until, the report not in the past.
    pub fn new(
        report_due: NaiveDate,
        rectification_due: NaiveDate,
        voting_from: NaiveDate,
        voting_until: NaiveDate,
        today: NaiveDate,
    ) -> Result<Self, DomainError> {
        if report_due < today {
            return Err(DomainError::invalid("reportDue", "must not be in the past"));
        }
        if rectification_due < report_due {
            return Err(DomainError::invalid("rectificationDue", "must not be before the report is due"));
        }
        if voting_from < rectification_due {
            return Err(DomainError::invalid("votingFrom", "must not be before rectification is due"));
        }
        if voting_until < voting_from {
            return Err(DomainError::invalid("votingUntil", "must not be before votingFrom"));
        }
        Ok(Self { report_due, rectification_due, voting_from, voting_until })
    }

    /// A schedule as stored (checked when it was set).
    pub fn stored(
        report_due: NaiveDate,
        rectification_due: NaiveDate,
        voting_from: NaiveDate,
        voting_until: NaiveDate,
    ) -> Self {
        Self { report_due, rectification_due, voting_from, voting_until }
    }
}

/// What the rules need to know of one appraisal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appraisal {
    pub id: Uuid,
    pub congress_id: Uuid,
    /// The unit appraised, or the one answering for the official.
    pub unit_id: Uuid,
    pub state: AppraisalState,
    /// The deputies of the appraisal group.
    pub group: Vec<Uuid>,
    /// Whether the unusual result asks for a further rectification report and it is not in yet.
    pub further_report_owed: bool,
}

/// The facts about the group and the unit that opening checks: each with the congress it belongs to.
#[derive(Debug, Clone)]
pub struct OpeningFacts {
    pub congress_id: Uuid,
    /// The unit and its congress.
    pub unit: (Uuid, Uuid),
    /// Each group deputy and their congress.
    pub group: Vec<(Uuid, Uuid)>,
    pub year: i32,
    pub this_year: i32,
}

/// The most deputies one appraisal group holds.
pub const MAX_GROUP: usize = 50;

impl Appraisal {
    /// Staff of the congress open an appraisal: the unit and every group deputy belong to the congress, the
    /// group has one to [`MAX_GROUP`] distinct deputies, the year is this one or the next.
    pub fn open(actor: &Actor, id: Uuid, facts: &OpeningFacts) -> Result<Self, DomainError> {
        if !actor.is_staff_of(facts.congress_id) {
            return Err(DomainError::forbidden("only staff of the congress open an appraisal"));
        }
        if facts.unit.1 != facts.congress_id {
            return Err(DomainError::invalid("unitId", "is not a handling unit of the congress"));
        }
        if facts.group.is_empty() || facts.group.len() > MAX_GROUP {
            return Err(DomainError::invalid("groupDeputyIds", format!("name 1 to {MAX_GROUP} deputies")));
        }
        let mut group = Vec::with_capacity(facts.group.len());
        for (deputy, congress) in &facts.group {
            if *congress != facts.congress_id {
                return Err(DomainError::invalid("groupDeputyIds", "names a deputy of another congress"));
            }
            if group.contains(deputy) {
                return Err(DomainError::invalid("groupDeputyIds", "names a deputy twice"));
            }
            group.push(*deputy);
        }
        if facts.year < facts.this_year - 1 || facts.year > facts.this_year + 1 {
            return Err(DomainError::invalid("year", "must be last year, this year or next year"));
        }
        Ok(Self {
            id,
            congress_id: facts.congress_id,
            unit_id: facts.unit.0,
            state: AppraisalState::Open,
            group,
            further_report_owed: false,
        })
    }

    /// Checks that `viewer` may take `action` now: FORBIDDEN for the wrong person (outsiders and the public
    /// may take no step at all), CONFLICT for the wrong state.
    pub fn check(&self, viewer: Option<&Actor>, action: Action) -> Result<Party, DomainError> {
        let party = Party::of(viewer, self);
        if !allowed(action, party) {
            return Err(DomainError::forbidden(format!("{action:?} is not yours to do on this appraisal")));
        }
        if !states(action).contains(&self.state) {
            return Err(DomainError::conflict(format!(
                "the appraisal is {}; {action:?} is not possible now",
                self.state.as_str()
            )));
        }
        if action == Action::SubmitFurtherReport && !self.further_report_owed {
            return Err(DomainError::conflict("no further rectification report is owed"));
        }
        Ok(party)
    }

    /// The next state after `action` succeeded (the same state for steps that stay).
    pub fn after(&self, action: Action) -> AppraisalState {
        use AppraisalState as S;
        match action {
            Action::SubmitReport => S::Reported,
            Action::IssueItems => S::Rectifying,
            Action::OpenVoting => S::Voting,
            Action::Publish => S::Published,
            _ => self.state,
        }
    }
}

/// Issuing the list needs at least one problem and at most [`MAX_ITEMS`].
pub fn check_items(count: usize) -> Result<(), DomainError> {
    if count == 0 {
        return Err(DomainError::invalid("items", "list at least one problem"));
    }
    if count > MAX_ITEMS {
        return Err(DomainError::invalid("items", format!("at most {MAX_ITEMS} problems")));
    }
    Ok(())
}

/// Voting opens only when every item is accepted.
pub fn check_all_accepted(open_items: usize) -> Result<(), DomainError> {
    if open_items > 0 {
        return Err(DomainError::conflict(format!(
            "{open_items} item(s) of the list are not accepted yet; voting opens when every item is"
        )));
    }
    Ok(())
}

/// An item's own rule: what an action does to it, or why not.
pub fn item_step(item: ItemState, action: Action) -> Result<ItemState, DomainError> {
    use ItemState as I;
    match (action, item) {
        (Action::AnswerItem, I::Open | I::Returned) => Ok(I::Answered),
        (Action::AnswerItem, I::Answered) => {
            Err(DomainError::conflict("the item's answer awaits a decision"))
        }
        (Action::AcceptItem | Action::ReturnItem, I::Answered) => {
            Ok(if action == Action::AcceptItem { I::Accepted } else { I::Returned })
        }
        (Action::AcceptItem | Action::ReturnItem, I::Open | I::Returned) => {
            Err(DomainError::conflict("the item has no answer to decide on"))
        }
        (_, I::Accepted) => Err(DomainError::conflict("the item is accepted and closed")),
        _ => Err(DomainError::conflict("not a step of an item")),
    }
}

/// The unit's "done by" date of an answer: not in the past.
pub fn check_done_by(done_by: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
    if done_by < today {
        return Err(DomainError::invalid("doneBy", "must not be in the past"));
    }
    Ok(())
}

/// Whether an item is overdue for the reminder: not accepted and the rectification date has passed.
pub fn overdue(item: ItemState, rectification_due: NaiveDate, today: NaiveDate) -> bool {
    item != ItemState::Accepted && today > rectification_due
}

/// Only deputies of the congress when the vote opened vote: the electorate the quorum counts against.
pub fn check_elector(
    deputy_since: DateTime<Utc>,
    voting_opened_at: DateTime<Utc>,
) -> Result<(), DomainError> {
    if deputy_since > voting_opened_at {
        return Err(DomainError::forbidden("only deputies of the congress when the vote opened vote"));
    }
    Ok(())
}

/// Ballots are taken until the last day of the planned vote (China time); after it only staff's publishing
/// remains.
pub fn check_ballot_window(voting_until: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
    if today > voting_until {
        return Err(DomainError::conflict(format!(
            "the vote closed on {voting_until}; staff publish the result"
        )));
    }
    Ok(())
}

/// The most phones one invitation names, and the most citizens one appraisal invites.
pub const MAX_INVITES_PER_CALL: usize = 500;
pub const MAX_INVITEES: u64 = 5_000;

/// An invitation names 1 to [`MAX_INVITES_PER_CALL`] phones and keeps the appraisal within
/// [`MAX_INVITEES`].
pub fn check_invites(named: usize, already: u64) -> Result<(), DomainError> {
    if named == 0 || named > MAX_INVITES_PER_CALL {
        return Err(DomainError::invalid("phones", format!("name 1 to {MAX_INVITES_PER_CALL} phones")));
    }
    if already.saturating_add(u64::try_from(named).unwrap_or(u64::MAX)) > MAX_INVITEES {
        return Err(DomainError::invalid(
            "phones",
            format!("an appraisal invites at most {MAX_INVITEES} citizens"),
        ));
    }
    Ok(())
}

/// Citizens' opinions can be tagged to an appraisal while its findings are gathered (OPEN, REPORTED), and only
/// through the form of a deputy or station of the same congress.
pub fn check_open_for_opinions(
    state: AppraisalState,
    appraisal_congress: Uuid,
    form_congress: Uuid,
) -> Result<(), DomainError> {
    if appraisal_congress != form_congress
        || !matches!(state, AppraisalState::Open | AppraisalState::Reported)
    {
        return Err(DomainError::invalid("appraisalId", "is not an appraisal gathering opinions here"));
    }
    Ok(())
}

/// Who may read the opinions tagged to an appraisal: staff and the group, who turn them into findings. The unit
/// sees the findings and items, not the citizens' own words.
pub fn reads_tagged_opinions(party: Party) -> bool {
    matches!(party, Party::Staff | Party::GroupDeputy)
}

/// The published result of a satisfaction vote.
#[derive(Debug, Clone, PartialEq)]
pub struct AppraisalResult {
    pub tally: Tally,
    pub turnout: u32,
    pub electorate: u32,
    /// The satisfaction rate in percent (两位小数); `None` without ballots.
    pub score: Option<f64>,
    /// More than half of the electorate voted.
    pub quorum: bool,
    pub satisfactory: bool,
}

/// Decides the result: satisfactory with a quorum and a satisfaction rate of at least 60 %; anything
/// else asks the unit for a further rectification report.
pub fn result(tally: Tally, turnout: u32, electorate: u32) -> AppraisalResult {
    let quorum = ballot::quorum(turnout, electorate);
    let satisfactory = quorum && ballot::satisfaction(&tally) == SatisfactionVerdict::Satisfactory;
    AppraisalResult {
        score: ballot::satisfaction_rate(&tally),
        tally,
        turnout,
        electorate,
        quorum,
        satisfactory,
    }
}

/// The rank of `score` among the published scores of a congress's year: 1 + those strictly higher, so
/// equal scores share a rank; no score ranks after every scored one.
pub fn rank(score: Option<f64>, all: &[Option<f64>]) -> u32 {
    let higher = all
        .iter()
        .filter(|other| match (other, score) {
            (Some(o), Some(s)) => o > &s,
            (Some(_), None) => true,
            (None, _) => false,
        })
        .count();
    u32::try_from(higher).unwrap_or(u32::MAX).saturating_add(1)
}

/// When something happened, for rules that take the time.
pub fn today(now: DateTime<Utc>) -> NaiveDate {
    crate::time::cst_date(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use AppraisalState as S;

    fn congress() -> Uuid {
        Uuid::from_u128(1)
    }
    fn unit() -> Uuid {
        Uuid::from_u128(2)
    }
    fn group_deputy() -> Uuid {
        Uuid::from_u128(3)
    }

    fn actor(role: Role, congress: Option<Uuid>, unit: Option<Uuid>, deputy: Option<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::from_u128(99),
            role,
            congress_id: congress,
            unit_id: unit,
            deputy_id: deputy,
            station_id: None,
        }
    }

    /// One actor of each party.
    fn actor_of(party: Party) -> Option<Actor> {
        let other = Some(Uuid::from_u128(50));
        match party {
            Party::Staff => Some(actor(Role::CongressStaff, Some(congress()), None, None)),
            Party::GroupDeputy => Some(actor(Role::Deputy, Some(congress()), None, Some(group_deputy()))),
            Party::Deputy => Some(actor(Role::Deputy, Some(congress()), None, Some(Uuid::from_u128(4)))),
            Party::Unit => Some(actor(Role::UnitStaff, None, Some(unit()), None)),
            Party::Outsider => Some(actor(Role::CongressStaff, other, None, None)),
            Party::Public => None,
        }
    }

    fn appraisal(state: AppraisalState) -> Appraisal {
        Appraisal {
            id: Uuid::from_u128(10),
            congress_id: congress(),
            unit_id: unit(),
            state,
            group: vec![group_deputy()],
            further_report_owed: true,
        }
    }

    #[test]
    fn parties_are_told_apart() {
        let a = appraisal(S::Open);
        for party in Party::ALL {
            assert_eq!(Party::of(actor_of(party).as_ref(), &a), party);
        }
        let other_unit = actor(Role::UnitStaff, None, Some(Uuid::from_u128(7)), None);
        assert_eq!(Party::of(Some(&other_unit), &a), Party::Outsider);
        let other_deputy = actor(Role::Deputy, Some(Uuid::from_u128(8)), None, Some(group_deputy()));
        assert_eq!(Party::of(Some(&other_deputy), &a), Party::Outsider, "a deputy of another congress");
        let citizen = actor(Role::Citizen, None, None, None);
        assert_eq!(Party::of(Some(&citizen), &a), Party::Public);
        let admin = actor(Role::Admin, None, None, None);
        assert_eq!(Party::of(Some(&admin), &a), Party::Staff);
    }

    /// Every action × state × party: the table decides, and the refusal names the most basic reason.
    #[test]
    fn the_table_decides_every_action_in_every_state_for_every_party() {
        for action in Action::ALL {
            for &state in AppraisalState::ALL {
                for party in Party::ALL {
                    let a = appraisal(state);
                    let viewer = actor_of(party);
                    let outcome = a.check(viewer.as_ref(), action);
                    let expected = if !allowed(action, party) {
                        Err("FORBIDDEN")
                    } else if !states(action).contains(&state) {
                        Err("CONFLICT")
                    } else {
                        Ok(party)
                    };
                    let got = match &outcome {
                        Ok(p) => Ok(*p),
                        Err(DomainError::Forbidden(_)) => Err("FORBIDDEN"),
                        Err(DomainError::Conflict(_)) => Err("CONFLICT"),
                        Err(other) => panic!("unexpected {other:?}"),
                    };
                    assert_eq!(got, expected, "{action:?} in {state:?} by {party:?}");
                }
            }
        }
    }

    #[test]
    fn who_does_what() {
        assert!(allowed(Action::SubmitReport, Party::Unit));
        assert!(!allowed(Action::SubmitReport, Party::Staff));
        assert!(allowed(Action::AddFinding, Party::GroupDeputy));
        assert!(!allowed(Action::AddFinding, Party::Deputy), "only the group records findings");
        assert!(allowed(Action::AcceptItem, Party::GroupDeputy));
        assert!(allowed(Action::ReturnItem, Party::Staff));
        assert!(!allowed(Action::AcceptItem, Party::Unit), "the unit does not accept its own answer");
        assert!(allowed(Action::Vote, Party::Deputy), "every deputy of the congress votes");
        assert!(!allowed(Action::Vote, Party::Staff));
        assert!(!allowed(Action::Vote, Party::Unit));
        for action in Action::ALL {
            assert!(!allowed(action, Party::Outsider), "{action:?}");
            assert!(!allowed(action, Party::Public), "{action:?}");
        }
    }

    #[test]
    fn the_happy_path_moves_through_every_state() {
        let mut a = appraisal(S::Open);
        let staff = actor_of(Party::Staff);
        let unit = actor_of(Party::Unit);
        let deputy = actor_of(Party::Deputy);
        for (who, action, next) in [
            (&unit, Action::SubmitReport, S::Reported),
            (&staff, Action::IssueItems, S::Rectifying),
            (&staff, Action::OpenVoting, S::Voting),
            (&deputy, Action::Vote, S::Voting),
            (&staff, Action::Publish, S::Published),
        ] {
            a.check(who.as_ref(), action).unwrap();
            a.state = a.after(action);
            assert_eq!(a.state, next);
        }
        a.check(unit.as_ref(), Action::SubmitFurtherReport).unwrap();
        a.further_report_owed = false;
        assert!(matches!(a.check(unit.as_ref(), Action::SubmitFurtherReport), Err(DomainError::Conflict(_))));
    }

    #[test]
    fn ballots_stop_after_the_last_day_and_invitations_are_bounded() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert!(check_ballot_window(day(10), day(10)).is_ok());
        assert!(matches!(check_ballot_window(day(10), day(11)), Err(DomainError::Conflict(_))));
        assert!(check_invites(1, 0).is_ok());
        assert!(check_invites(MAX_INVITES_PER_CALL, MAX_INVITEES - 500).is_ok());
        assert!(matches!(check_invites(0, 0), Err(DomainError::Invalid { field: "phones", .. })));
        assert!(matches!(check_invites(MAX_INVITES_PER_CALL + 1, 0), Err(DomainError::Invalid { .. })));
        assert!(matches!(check_invites(2, MAX_INVITEES - 1), Err(DomainError::Invalid { .. })));
        assert!(allowed(Action::InviteCitizens, Party::Staff));
        assert!(!allowed(Action::InviteCitizens, Party::GroupDeputy));
    }

    #[test]
    fn opinions_are_tagged_while_findings_are_gathered_within_the_congress() {
        let other = Uuid::from_u128(77);
        for &state in AppraisalState::ALL {
            let open = matches!(state, S::Open | S::Reported);
            assert_eq!(check_open_for_opinions(state, congress(), congress()).is_ok(), open, "{state:?}");
            assert!(check_open_for_opinions(state, congress(), other).is_err());
        }
        assert!(reads_tagged_opinions(Party::Staff));
        assert!(reads_tagged_opinions(Party::GroupDeputy));
        for party in [Party::Deputy, Party::Unit, Party::Outsider, Party::Public] {
            assert!(!reads_tagged_opinions(party), "{party:?}");
        }
    }

    #[test]
    fn what_each_party_sees() {
        for &state in AppraisalState::ALL {
            for party in [Party::Staff, Party::GroupDeputy, Party::Deputy, Party::Unit] {
                assert_eq!(access(party, state), Access::Full);
            }
            let outside = if state == S::Published { Access::ResultOnly } else { Access::None };
            assert_eq!(access(Party::Outsider, state), outside);
            assert_eq!(access(Party::Public, state), outside);
        }
    }

    #[test]
    fn an_item_is_closed_only_when_accepted() {
        use ItemState as I;
        assert_eq!(item_step(I::Open, Action::AnswerItem), Ok(I::Answered));
        assert_eq!(item_step(I::Returned, Action::AnswerItem), Ok(I::Answered));
        assert!(item_step(I::Answered, Action::AnswerItem).is_err());
        assert_eq!(item_step(I::Answered, Action::ReturnItem), Ok(I::Returned));
        assert_eq!(item_step(I::Answered, Action::AcceptItem), Ok(I::Accepted));
        for action in [Action::AcceptItem, Action::ReturnItem] {
            assert!(item_step(I::Open, action).is_err());
            assert!(item_step(I::Returned, action).is_err());
        }
        for action in [Action::AnswerItem, Action::AcceptItem, Action::ReturnItem] {
            assert!(matches!(item_step(I::Accepted, action), Err(DomainError::Conflict(_))));
        }
        assert!(check_all_accepted(0).is_ok());
        let err = check_all_accepted(2).unwrap_err();
        assert!(err.to_string().contains("2 item"), "{err}");
    }

    #[test]
    fn opening_checks_the_congress_of_the_unit_and_the_group() {
        let staff = actor_of(Party::Staff).unwrap();
        let facts = |unit_congress: Uuid, group: Vec<(Uuid, Uuid)>, year: i32| OpeningFacts {
            congress_id: congress(),
            unit: (unit(), unit_congress),
            group,
            year,
            this_year: 2026,
        };
        let good = vec![(group_deputy(), congress())];
        let a = Appraisal::open(&staff, Uuid::from_u128(5), &facts(congress(), good.clone(), 2026)).unwrap();
        assert_eq!(a.state, S::Open);
        let other = Uuid::from_u128(6);
        assert!(Appraisal::open(&staff, other, &facts(other, good.clone(), 2026)).is_err());
        assert!(Appraisal::open(&staff, other, &facts(congress(), vec![], 2026)).is_err());
        assert!(
            Appraisal::open(&staff, other, &facts(congress(), vec![(group_deputy(), other)], 2026)).is_err()
        );
        let twice = vec![(group_deputy(), congress()), (group_deputy(), congress())];
        assert!(Appraisal::open(&staff, other, &facts(congress(), twice, 2026)).is_err());
        assert!(Appraisal::open(&staff, other, &facts(congress(), good.clone(), 2020)).is_err());
        let outsider = actor_of(Party::Outsider).unwrap();
        let refused = Appraisal::open(&outsider, other, &facts(congress(), good, 2026));
        assert!(matches!(refused, Err(DomainError::Forbidden(_))));
    }

    #[test]
    fn the_schedule_is_in_order() {
        let d = |day: u32| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        assert!(Schedule::new(d(10), d(20), d(21), d(25), d(5)).is_ok());
        assert!(Schedule::new(d(4), d(20), d(21), d(25), d(5)).is_err(), "report due in the past");
        assert!(Schedule::new(d(10), d(9), d(21), d(25), d(5)).is_err());
        assert!(Schedule::new(d(10), d(20), d(19), d(25), d(5)).is_err());
        assert!(Schedule::new(d(10), d(20), d(21), d(20), d(5)).is_err());
        assert!(overdue(ItemState::Answered, d(20), d(21)));
        assert!(!overdue(ItemState::Answered, d(20), d(20)));
        assert!(!overdue(ItemState::Accepted, d(20), d(21)));
    }

    #[test]
    fn the_result_needs_a_quorum_and_sixty_percent() {
        let tally = Tally { satisfied: 2, basically_satisfied: 1, dissatisfied: 2, ..Tally::default() };
        let r = result(tally.clone(), 5, 5);
        assert_eq!(r.score, Some(60.0));
        assert!(r.quorum && r.satisfactory);
        let r = result(tally, 5, 10);
        assert!(!r.quorum && !r.satisfactory, "half of the electorate is no quorum");
        let low = Tally { satisfied: 1, basically_satisfied: 1, dissatisfied: 2, ..Tally::default() };
        assert!(!result(low, 4, 5).satisfactory);
        assert_eq!(result(Tally::default(), 0, 5).score, None);
    }

    #[test]
    fn equal_scores_share_a_rank() {
        let all = [Some(90.0), Some(80.0), Some(80.0), None, Some(70.0)];
        assert_eq!(rank(Some(90.0), &all), 1);
        assert_eq!(rank(Some(80.0), &all), 2);
        assert_eq!(rank(Some(70.0), &all), 4);
        assert_eq!(rank(None, &all), 5);
    }

    #[test]
    fn a_deputy_who_joined_after_the_vote_opened_does_not_vote() {
        let opened = DateTime::<Utc>::from_timestamp(1_000, 0).unwrap();
        assert!(check_elector(opened, opened).is_ok());
        assert!(matches!(
            check_elector(opened + chrono::Duration::seconds(1), opened),
            Err(DomainError::Forbidden(_))
        ));
    }

    #[test]
    fn items_are_bounded() {
        assert!(check_items(0).is_err());
        assert!(check_items(1).is_ok());
        assert!(check_items(MAX_ITEMS + 1).is_err());
        assert!(check_done_by(NaiveDate::MIN, NaiveDate::MAX).is_err());
    }
}
