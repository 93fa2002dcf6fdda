//! Livelihood projects (民生实事项目): the year's candidate projects put to the deputies' secret vote
//! (`ProjectRound`, 票决), the projects that pass tracked to the end (`LivelihoodProject`: milestones,
//! progress reports, a supervision group's inspections and rectifications), and the year-end satisfaction
//! rating. Major projects (重大项目网上监督) are created directly by staff and tracked the same way.
//!
//! Who may do what is one table per aggregate ([`decide_round`], [`decide_project`]): the actor's standing
//! is checked first (FORBIDDEN), then the state (CONFLICT). Who sees what is [`RoundView`].

use crate::DomainError;
use crate::account::{Actor, Role};
use crate::ballot::{Outcome, Verdict};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

vocabulary!(
    /// Where a round (票决) is.
    RoundState {
        /// Staff add and edit candidates; deputies ask questions.
        Open = "OPEN",
        /// Deputies cast their ballots; questions still open. No counts are readable.
        Voting = "VOTING",
        /// The vote is closed and counted; staff see the results and publish them.
        Closed = "CLOSED",
        /// The results are public and the passed candidates are projects.
        Published = "PUBLISHED",
    }
);

vocabulary!(
    /// Where the year-end satisfaction rating (满意度测评) of a round's projects is.
    RatingState {
        NotOpened = "NOT_OPENED",
        Open = "OPEN",
        Closed = "CLOSED",
        Published = "PUBLISHED",
    }
);

vocabulary!(
    /// How a project came to be followed.
    ProjectKind {
        /// Chosen by the deputies' vote in a round (民生实事项目).
        Voted = "VOTED",
        /// Created by staff for online supervision (重大项目网上监督), no vote.
        Major = "MAJOR",
    }
);

vocabulary!(
    /// A dated step of a project's plan.
    MilestoneState {
        Pending = "PENDING",
        Done = "DONE",
    }
);

vocabulary!(
    /// What a candidate may cite as having asked for it.
    SourceKind {
        /// A deputy's suggestion (代表建议).
        Suggestion = "SUGGESTION",
        /// A citizen's opinion (社情民意).
        Opinion = "OPINION",
    }
);

/// The ballot box kinds of this capability (see `infra::ballots`).
pub const ROUND_BOX: &str = "PROJECT_ROUND";
pub const RATING_BOX: &str = "PROJECT_RATING";

/// Who the actor is to a round or a project of a congress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Staff of the congress (or an admin).
    Staff,
    /// A deputy of the congress in the project's supervision group.
    GroupMember(Uuid),
    /// A deputy of the congress.
    Deputy(Uuid),
    /// Staff of the responsible unit (of the candidate, the project, or, for a round, of any candidate).
    ResponsibleUnit,
    /// Anyone else: other congresses, other units, citizens, station workers, anonymous.
    Outsider,
}

impl Standing {
    pub const SAMPLES: [Standing; 5] = [
        Standing::Staff,
        Standing::GroupMember(Uuid::from_u128(7)),
        Standing::Deputy(Uuid::from_u128(8)),
        Standing::ResponsibleUnit,
        Standing::Outsider,
    ];

    /// The actor's standing towards a record of `congress_id` whose responsible units are `units` and
    /// whose supervision group is `group` (empty for a round).
    pub fn of(actor: Option<&Actor>, congress_id: Uuid, units: &[Uuid], group: &[Uuid]) -> Self {
        let Some(actor) = actor else { return Standing::Outsider };
        if actor.is_staff_of(congress_id) {
            return Standing::Staff;
        }
        match actor.role {
            Role::Deputy if actor.congress_id == Some(congress_id) => match actor.deputy_id {
                Some(d) if group.contains(&d) => Standing::GroupMember(d),
                Some(d) => Standing::Deputy(d),
                None => Standing::Outsider,
            },
            Role::UnitStaff if actor.unit_id.is_some_and(|u| units.contains(&u)) => Standing::ResponsibleUnit,
            _ => Standing::Outsider,
        }
    }

    fn is_deputy(self) -> bool {
        matches!(self, Standing::Deputy(_) | Standing::GroupMember(_))
    }

    /// Whether the actor belongs to the congress side (staff or its deputies).
    fn is_congress(self) -> bool {
        self == Standing::Staff || self.is_deputy()
    }
}

/// What someone asks to do with a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoundAction {
    AddCandidate,
    EditCandidate,
    Ask,
    /// Answer a question on a candidate: the standing is towards that candidate's unit.
    Answer,
    OpenVoting,
    Cast,
    CloseVoting,
    Publish,
    OpenRating,
    Rate,
    CloseRating,
    PublishRating,
}

impl RoundAction {
    pub const ALL: [RoundAction; 12] = [
        RoundAction::AddCandidate,
        RoundAction::EditCandidate,
        RoundAction::Ask,
        RoundAction::Answer,
        RoundAction::OpenVoting,
        RoundAction::Cast,
        RoundAction::CloseVoting,
        RoundAction::Publish,
        RoundAction::OpenRating,
        RoundAction::Rate,
        RoundAction::CloseRating,
        RoundAction::PublishRating,
    ];

    /// Who may: staff run the round, deputies ask and vote, the candidate's unit answers.
    fn allowed(self, who: Standing) -> bool {
        match self {
            RoundAction::Ask | RoundAction::Cast | RoundAction::Rate => who.is_deputy(),
            RoundAction::Answer => who == Standing::ResponsibleUnit,
            _ => who == Standing::Staff,
        }
    }

    /// In which states (of the round, and of its rating).
    fn fits(self, state: RoundState, rating: RatingState) -> bool {
        use RoundState::*;
        match self {
            RoundAction::AddCandidate | RoundAction::EditCandidate | RoundAction::OpenVoting => state == Open,
            RoundAction::Ask | RoundAction::Answer => matches!(state, Open | Voting),
            RoundAction::Cast | RoundAction::CloseVoting => state == Voting,
            RoundAction::Publish => state == Closed,
            RoundAction::OpenRating => state == Published && rating == RatingState::NotOpened,
            RoundAction::Rate | RoundAction::CloseRating => state == Published && rating == RatingState::Open,
            RoundAction::PublishRating => state == Published && rating == RatingState::Closed,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            RoundAction::AddCandidate | RoundAction::EditCandidate => {
                "candidates change only while the round is OPEN"
            }
            RoundAction::Ask | RoundAction::Answer => {
                "questions are asked and answered while the round is OPEN or VOTING"
            }
            RoundAction::OpenVoting => "voting opens only from OPEN",
            RoundAction::Cast => "ballots are cast only while the round is VOTING",
            RoundAction::CloseVoting => "only a VOTING round closes",
            RoundAction::Publish => "only a CLOSED round is published",
            RoundAction::OpenRating => "the rating opens once, after the round is PUBLISHED",
            RoundAction::Rate | RoundAction::CloseRating => "the rating is not open",
            RoundAction::PublishRating => "only a closed rating is published",
        }
    }
}

/// The round table: FORBIDDEN for the wrong person, CONFLICT for the wrong state.
pub fn decide_round(
    action: RoundAction,
    state: RoundState,
    rating: RatingState,
    who: Standing,
) -> Result<(), DomainError> {
    if !action.allowed(who) {
        return Err(DomainError::forbidden(match action {
            RoundAction::Ask | RoundAction::Cast | RoundAction::Rate => "only deputies of the congress may",
            RoundAction::Answer => "only the candidate's responsible unit answers",
            _ => "only staff of the congress may",
        }));
    }
    if !action.fits(state, rating) {
        return Err(DomainError::conflict(action.describe()));
    }
    Ok(())
}

/// Publishing needs every seat settled: a tie at the last seat must be settled by staff first (for
/// example by a further round on the tied candidates), never by the system.
pub fn check_publishable(outcomes: &[(Uuid, Verdict)]) -> Result<(), DomainError> {
    if outcomes.iter().any(|(_, v)| *v == Verdict::Tied) {
        return Err(DomainError::conflict(
            "the vote is tied at the last seat: staff must settle it (e.g. a further round) before publishing",
        ));
    }
    Ok(())
}

/// The candidates that become projects when the round is published.
pub fn passed(outcomes: &[Outcome]) -> Vec<Uuid> {
    outcomes.iter().filter(|o| o.verdict == Verdict::Passed).map(|o| o.candidate).collect()
}

/// What a viewer sees of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundView {
    /// The round, its candidates (and, once published, its projects).
    pub round: bool,
    /// The questions and answers on its candidates.
    pub questions: bool,
    /// The counts and verdicts of the vote.
    pub results: bool,
    /// The counts of the year-end rating.
    pub rating_results: bool,
}

impl RoundView {
    /// Staff and deputies of the congress and the responsible units see the round, its candidates and its
    /// questions; staff see the results once the vote is closed, everyone once published (anonymous users
    /// included); nothing else of an unpublished round is visible outside the congress. Counts are never
    /// readable while voting, not even by staff.
    pub fn of(who: Standing, state: RoundState, rating: RatingState) -> Self {
        let inside = who.is_congress() || who == Standing::ResponsibleUnit;
        let published = state == RoundState::Published;
        Self {
            round: inside || published,
            questions: inside,
            results: published || (who == Standing::Staff && state == RoundState::Closed),
            rating_results: (inside || published)
                && (rating == RatingState::Published
                    || (who == Standing::Staff && rating == RatingState::Closed)),
        }
    }
}

/// What someone asks to do with a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectAction {
    /// Appoint (replace) the supervision group.
    AppointGroup,
    /// Report progress, optionally marking a milestone done.
    ReportProgress,
    /// Inspect (视察) and record findings, optionally asking for rectification.
    Inspect,
    /// Answer a rectification request.
    Rectify,
}

impl ProjectAction {
    pub const ALL: [ProjectAction; 4] = [
        ProjectAction::AppointGroup,
        ProjectAction::ReportProgress,
        ProjectAction::Inspect,
        ProjectAction::Rectify,
    ];
}

/// The project table: staff appoint the group, the responsible unit reports and rectifies, the group's
/// deputies inspect. Projects have no state of their own that refuses these (a finished project still
/// takes a late report); rectification answers are checked against their request by [`check_rectify`].
pub fn decide_project(action: ProjectAction, who: Standing) -> Result<(), DomainError> {
    let ok = match action {
        ProjectAction::AppointGroup => who == Standing::Staff,
        ProjectAction::ReportProgress | ProjectAction::Rectify => who == Standing::ResponsibleUnit,
        ProjectAction::Inspect => matches!(who, Standing::GroupMember(_)),
    };
    if ok {
        Ok(())
    } else {
        Err(DomainError::forbidden(match action {
            ProjectAction::AppointGroup => "only staff of the congress appoint the supervision group",
            ProjectAction::ReportProgress | ProjectAction::Rectify => "only the responsible unit may",
            ProjectAction::Inspect => "only deputies of the project's supervision group inspect",
        }))
    }
}

/// What a viewer sees of a project: staff, deputies and the responsible unit everything; anyone else,
/// anonymous included, a VOTED project of a published round with its milestones and progress, never its
/// inspections; a MAJOR project stays inside the congress.
pub fn project_visible(who: Standing, kind: ProjectKind) -> (bool, bool) {
    let inside = who.is_congress() || who == Standing::ResponsibleUnit;
    (inside || kind == ProjectKind::Voted, inside)
}

/// A citizen follows a project they can read — a VOTED project (public once its round is published) — to
/// hear its progress reports and the deputies' rating in their inbox. Deputies, units and staff hear of
/// their work already: FORBIDDEN; a MAJOR project stays inside the congress: NOT_FOUND for a citizen.
pub fn may_follow(actor: &Actor, kind: ProjectKind) -> Result<(), DomainError> {
    may_unfollow(actor)?;
    if kind != ProjectKind::Voted {
        return Err(DomainError::NotFound("livelihood project"));
    }
    Ok(())
}

/// Only citizens follow, so only citizens unfollow.
pub fn may_unfollow(actor: &Actor) -> Result<(), DomainError> {
    if actor.role == Role::Citizen {
        Ok(())
    } else {
        Err(DomainError::forbidden("citizens follow projects; the others hear of their own work"))
    }
}

/// A rectification request is answered once.
pub fn check_rectify(requested: bool, answered: bool) -> Result<(), DomainError> {
    if !requested {
        return Err(DomainError::conflict("this inspection asked for no rectification"));
    }
    if answered {
        return Err(DomainError::conflict("the rectification was answered already"));
    }
    Ok(())
}

/// A budget in fen (分, 1/100 yuan), never negative. The API takes and shows fen so that no amount is
/// rounded; 1 万元 = 1,000,000 fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Budget(i64);

impl Budget {
    /// At most 10^15 fen (10 trillion yuan), a bound far above any congress's budget.
    pub const MAX_FEN: i64 = 1_000_000_000_000_000;

    pub fn from_fen(fen: i64) -> Result<Self, DomainError> {
        if !(0..=Self::MAX_FEN).contains(&fen) {
            return Err(DomainError::invalid("budgetFen", "must be between 0 and 10^15 fen"));
        }
        Ok(Self(fen))
    }

    pub fn fen(self) -> i64 {
        self.0
    }
}

/// A progress percentage, 0–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(u8);

impl Percent {
    pub fn new(value: i32) -> Result<Self, DomainError> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= 100)
            .map(Self)
            .ok_or_else(|| DomainError::invalid("percent", "must be between 0 and 100"))
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

/// The year of a round: 2000 up to next year (rounds are prepared the year before).
pub fn check_year(year: i32, now: DateTime<Utc>) -> Result<(), DomainError> {
    use chrono::Datelike;
    let next = (now + Duration::hours(8)).year() + 1;
    if !(2000..=next).contains(&year) {
        return Err(DomainError::invalid("year", format!("must be between 2000 and {next}")));
    }
    Ok(())
}

/// A candidate's or project's plan: 1–50 milestones.
pub const MAX_MILESTONES: usize = 50;

pub fn check_milestones(count: usize) -> Result<(), DomainError> {
    if count > MAX_MILESTONES {
        return Err(DomainError::invalid("milestones", format!("at most {MAX_MILESTONES}")));
    }
    Ok(())
}

/// A rectification deadline lies ahead.
pub fn check_deadline(deadline: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), DomainError> {
    if deadline <= now || deadline > now + Duration::days(366) {
        return Err(DomainError::invalid("rectificationDeadline", "must lie ahead, within a year"));
    }
    Ok(())
}

/// Days before a milestone's due date its unit is reminded.
pub const DUE_SOON_DAYS: i64 = 7;

/// The reminders of a milestone, each sent once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MilestoneReminder {
    /// Due within [`DUE_SOON_DAYS`] (the unit).
    DueSoon,
    /// Past due and not done (the unit, staff and the supervision group).
    Overdue,
}

impl MilestoneReminder {
    /// The notification kind.
    pub fn kind(self) -> &'static str {
        match self {
            MilestoneReminder::DueSoon => "PROJECT_MILESTONE_DUE",
            MilestoneReminder::Overdue => "PROJECT_MILESTONE_OVERDUE",
        }
    }

    /// The stored marker: a milestone reminded of `Overdue` is never reminded of `DueSoon` after.
    pub fn marker(self) -> &'static str {
        match self {
            MilestoneReminder::DueSoon => "DUE_SOON",
            MilestoneReminder::Overdue => "OVERDUE",
        }
    }

    /// Which reminder a PENDING milestone due at `due_at` owes at `now`, given the last one sent.
    pub fn due(
        state: MilestoneState,
        due_at: DateTime<Utc>,
        now: DateTime<Utc>,
        sent: Option<&str>,
    ) -> Option<Self> {
        if state == MilestoneState::Done {
            return None;
        }
        if due_at <= now {
            return (sent != Some("OVERDUE")).then_some(MilestoneReminder::Overdue);
        }
        if due_at <= now + Duration::days(DUE_SOON_DAYS) && sent.is_none() {
            return Some(MilestoneReminder::DueSoon);
        }
        None
    }
}

/// The notification kinds of this capability (mirrored in `NotificationKind`).
pub mod kinds {
    pub const ROUND_OPENED: &str = "PROJECT_ROUND_OPENED";
    pub const QUESTION_ANSWERED: &str = "PROJECT_QUESTION_ANSWERED";
    pub const VOTING_OPENED: &str = "PROJECT_VOTING_OPENED";
    pub const VOTING_CLOSED: &str = "PROJECT_VOTING_CLOSED";
    pub const RESULTS_PUBLISHED: &str = "PROJECT_RESULTS_PUBLISHED";
    pub const RECTIFICATION_REQUESTED: &str = "PROJECT_RECTIFICATION_REQUESTED";
    pub const RECTIFIED: &str = "PROJECT_RECTIFIED";
    pub const RATING_OPENED: &str = "PROJECT_RATING_OPENED";
    /// The responsible unit reported progress (the project's followers).
    pub const PROGRESS_REPORTED: &str = "PROJECT_PROGRESS_REPORTED";
    /// The deputies' rating of the round's projects was published (the projects' followers).
    pub const RATING_PUBLISHED: &str = "PROJECT_RATING_PUBLISHED";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballot::Tally;

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

    #[test]
    fn standing_follows_the_congress_the_unit_and_the_group() {
        let (c, other, u, d) =
            (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3), Uuid::from_u128(4));
        let of = |a: &Actor| Standing::of(Some(a), c, &[u], &[d]);
        assert_eq!(of(&actor(Role::CongressStaff, Some(c), None, None)), Standing::Staff);
        assert_eq!(of(&actor(Role::Admin, None, None, None)), Standing::Staff);
        assert_eq!(of(&actor(Role::CongressStaff, Some(other), None, None)), Standing::Outsider);
        assert_eq!(of(&actor(Role::Deputy, Some(c), None, Some(d))), Standing::GroupMember(d));
        let d2 = Uuid::from_u128(5);
        assert_eq!(of(&actor(Role::Deputy, Some(c), None, Some(d2))), Standing::Deputy(d2));
        assert_eq!(of(&actor(Role::Deputy, Some(other), None, Some(d2))), Standing::Outsider);
        assert_eq!(of(&actor(Role::UnitStaff, None, Some(u), None)), Standing::ResponsibleUnit);
        assert_eq!(of(&actor(Role::UnitStaff, None, Some(other), None)), Standing::Outsider);
        assert_eq!(of(&actor(Role::Citizen, None, None, None)), Standing::Outsider);
        assert_eq!(of(&actor(Role::StationStaff, Some(c), None, None)), Standing::Outsider);
        assert_eq!(Standing::of(None, c, &[u], &[d]), Standing::Outsider);
    }

    /// The whole table, written out once more as the rule reads: every action × round state × rating
    /// state × standing.
    #[test]
    fn the_round_table_holds_for_every_action_state_and_standing() {
        use RoundAction as A;
        use RoundState as S;
        for action in RoundAction::ALL {
            for state in RoundState::ALL {
                for rating in RatingState::ALL {
                    for who in Standing::SAMPLES {
                        let deputy = matches!(who, Standing::Deputy(_) | Standing::GroupMember(_));
                        let who_ok = match action {
                            A::Ask | A::Cast | A::Rate => deputy,
                            A::Answer => who == Standing::ResponsibleUnit,
                            _ => who == Standing::Staff,
                        };
                        let state_ok = match action {
                            A::AddCandidate | A::EditCandidate | A::OpenVoting => *state == S::Open,
                            A::Ask | A::Answer => matches!(state, S::Open | S::Voting),
                            A::Cast | A::CloseVoting => *state == S::Voting,
                            A::Publish => *state == S::Closed,
                            A::OpenRating => *state == S::Published && *rating == RatingState::NotOpened,
                            A::Rate | A::CloseRating => {
                                *state == S::Published && *rating == RatingState::Open
                            }
                            A::PublishRating => *state == S::Published && *rating == RatingState::Closed,
                        };
                        let got = decide_round(action, *state, *rating, who);
                        match (who_ok, state_ok) {
                            (false, _) => assert!(
                                matches!(got, Err(DomainError::Forbidden(_))),
                                "{action:?} {state:?} {rating:?} {who:?}"
                            ),
                            (true, false) => assert!(
                                matches!(got, Err(DomainError::Conflict(_))),
                                "{action:?} {state:?} {rating:?} {who:?}"
                            ),
                            (true, true) => {
                                assert_eq!(got, Ok(()), "{action:?} {state:?} {rating:?} {who:?}")
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_project_table_holds_for_every_action_and_standing() {
        for action in ProjectAction::ALL {
            for who in Standing::SAMPLES {
                let ok = match action {
                    ProjectAction::AppointGroup => who == Standing::Staff,
                    ProjectAction::ReportProgress | ProjectAction::Rectify => {
                        who == Standing::ResponsibleUnit
                    }
                    ProjectAction::Inspect => matches!(who, Standing::GroupMember(_)),
                };
                let got = decide_project(action, who);
                assert_eq!(got.is_ok(), ok, "{action:?} {who:?}");
                if !ok {
                    assert!(matches!(got, Err(DomainError::Forbidden(_))));
                }
            }
        }
    }

    #[test]
    fn outsiders_see_only_published_results_and_nobody_sees_counts_while_voting() {
        for state in RoundState::ALL {
            for rating in RatingState::ALL {
                for who in Standing::SAMPLES {
                    let v = RoundView::of(who, *state, *rating);
                    let inside = who != Standing::Outsider;
                    assert_eq!(v.round, inside || *state == RoundState::Published);
                    assert_eq!(v.questions, inside);
                    if matches!(state, RoundState::Open | RoundState::Voting) {
                        assert!(!v.results, "no counts before the vote is closed: {who:?}");
                    }
                    if *state == RoundState::Closed {
                        assert_eq!(v.results, who == Standing::Staff);
                    }
                    if *state == RoundState::Published {
                        assert!(v.results);
                    }
                    if *rating == RatingState::Open {
                        assert!(!v.rating_results);
                    }
                    if *rating == RatingState::Published {
                        assert_eq!(v.rating_results, v.round);
                    }
                }
            }
        }
    }

    #[test]
    fn projects_show_inspections_only_inside_the_congress() {
        assert_eq!(project_visible(Standing::Outsider, ProjectKind::Voted), (true, false));
        assert_eq!(project_visible(Standing::Outsider, ProjectKind::Major), (false, false));
        assert_eq!(project_visible(Standing::ResponsibleUnit, ProjectKind::Major), (true, true));
        assert_eq!(project_visible(Standing::Deputy(Uuid::nil()), ProjectKind::Major), (true, true));
    }

    #[test]
    fn a_tie_cannot_be_published() {
        let a = Uuid::from_u128(1);
        assert!(check_publishable(&[(a, Verdict::Passed), (a, Verdict::Failed)]).is_ok());
        assert!(matches!(check_publishable(&[(a, Verdict::Tied)]), Err(DomainError::Conflict(_))));
        for v in [Verdict::Passed, Verdict::Failed, Verdict::Tied] {
            assert_eq!(Verdict::parse(v.as_str()), Ok(v));
        }
        let o = |c: u128, verdict| Outcome {
            candidate: Uuid::from_u128(c),
            tally: Tally::default(),
            rank: 1,
            verdict,
        };
        assert_eq!(passed(&[o(1, Verdict::Passed), o(2, Verdict::Failed)]), vec![Uuid::from_u128(1)]);
    }

    #[test]
    fn values_prove_themselves() {
        assert!(Budget::from_fen(-1).is_err());
        assert_eq!(Budget::from_fen(1_000_000).map(Budget::fen), Ok(1_000_000));
        assert!(Budget::from_fen(Budget::MAX_FEN + 1).is_err());
        assert!(Percent::new(-1).is_err());
        assert!(Percent::new(101).is_err());
        assert_eq!(Percent::new(100).map(Percent::value), Ok(100));
        let now = Utc::now();
        assert!(check_year(1999, now).is_err());
        assert!(check_year(2026, now).is_ok());
        assert!(check_deadline(now, now).is_err());
        assert!(check_deadline(now + Duration::days(3), now).is_ok());
        assert!(check_milestones(MAX_MILESTONES + 1).is_err());
        assert!(check_rectify(false, false).is_err());
        assert!(check_rectify(true, true).is_err());
        assert!(check_rectify(true, false).is_ok());
    }

    #[test]
    fn a_milestone_is_reminded_once_before_and_once_after_its_due_date() {
        let now = Utc::now();
        let pending = MilestoneState::Pending;
        let soon = now + Duration::days(3);
        let far = now + Duration::days(30);
        let past = now - Duration::days(1);
        assert_eq!(MilestoneReminder::due(pending, far, now, None), None);
        assert_eq!(MilestoneReminder::due(pending, soon, now, None), Some(MilestoneReminder::DueSoon));
        assert_eq!(MilestoneReminder::due(pending, soon, now, Some("DUE_SOON")), None);
        assert_eq!(
            MilestoneReminder::due(pending, past, now, Some("DUE_SOON")),
            Some(MilestoneReminder::Overdue)
        );
        assert_eq!(MilestoneReminder::due(pending, past, now, None), Some(MilestoneReminder::Overdue));
        assert_eq!(MilestoneReminder::due(pending, past, now, Some("OVERDUE")), None);
        assert_eq!(MilestoneReminder::due(MilestoneState::Done, past, now, None), None);
    }
}
