//! Selections (评选): staff of a congress choose the year's best suggestions (优秀建议) or model deputies
//! (优秀代表). Candidates are nominated by staff, or on behalf of a deputy group, each with a reason and the
//! record that supports it (the suggestion itself, or the deputy's duty archive of the year, linked and never
//! copied). The winners are then either voted by a selection committee, or decided by staff with a reason per
//! winner, and the published results enter the winners' duty archives.
//!
//! ```text
//! NOMINATING ─startVoting─▶ VOTING ─closeVote─▶ DECIDED ─publish─▶ PUBLISHED      (COMMITTEE_VOTE)
//! NOMINATING ─────────────decide──────────────▶ DECIDED ─publish─▶ PUBLISHED      (STAFF_DECISION)
//! NOMINATING | VOTING | DECIDED ─cancel─▶ CANCELLED
//! ```
//!
//! The committee vote uses the shared ballot rules ([`crate::ballot`]) with a ChooseUpTo ballot of the number
//! of places: a selection picks at most that many of more candidates (差额), so each member marks up to the
//! number of places, and a candidate wins with the marks of more than half of the whole committee, in order
//! of marks, with a quorum of the committee; a tie across the last place leaves the tied candidates TIED and
//! winning nothing. (FOR_AGAINST_ABSTAIN would judge each candidate alone and could pass more winners than
//! places.)
//!
//! Checks run in a fixed order: whether the caller may see the selection at all (NOT_FOUND), whether the step
//! is theirs (FORBIDDEN), whether it fits the decision method and the state (CONFLICT), then the particulars.

#[cfg(test)]
mod tests;

use crate::DomainError;
use crate::account::{Actor, Role};
use crate::ballot::{BallotForm, Question};
use crate::suggestion::SuggestionState;
use std::collections::HashSet;
use uuid::Uuid;

/// The most places one selection awards.
pub const MAX_PLACES: u32 = 50;
/// The most members one selection committee has.
pub const MAX_MEMBERS: usize = 200;
/// The most candidates one selection holds (a ballot's bound).
pub const MAX_CANDIDATES: usize = crate::ballot::MAX_CANDIDATES;

/// The notices a selection writes; each starts with `DUTY_` (the DUTY category: it enters the archive).
pub mod kinds {
    /// The committee vote opened (the members).
    pub const VOTING_OPENED: &str = "DUTY_SELECTION_VOTING_OPENED";
    /// The deputy's suggestion, or the deputy, was selected (the winner).
    pub const WON: &str = "DUTY_SELECTION_WON";
    /// The results were published (the congress's deputies).
    pub const PUBLISHED: &str = "DUTY_SELECTION_PUBLISHED";
}

vocabulary!(
    /// What a selection chooses.
    SelectionKind {
        /// 优秀建议: the best suggestions of the year.
        BestSuggestion = "BEST_SUGGESTION",
        /// 优秀代表: model deputies of the year.
        ModelDeputy = "MODEL_DEPUTY",
    }
);

vocabulary!(
    /// How the winners are decided.
    DecisionMethod {
        /// The selection committee votes by secret ballot.
        CommitteeVote = "COMMITTEE_VOTE",
        /// Staff decide, with a recorded reason per winner.
        StaffDecision = "STAFF_DECISION",
    }
);

vocabulary!(
    /// Where a selection stands.
    SelectionState {
        /// 推荐: candidates are nominated.
        Nominating = "NOMINATING",
        /// 投票: the committee votes.
        Voting = "VOTING",
        /// 已决定: the winners are known to staff, not yet published.
        Decided = "DECIDED",
        /// 已公布: the results are public to the congress; the wins are in the winners' archives.
        Published = "PUBLISHED",
        /// 已取消.
        Cancelled = "CANCELLED",
    }
);

/// What the rules need to know of one selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub kind: SelectionKind,
    pub method: DecisionMethod,
    pub places: u32,
    pub state: SelectionState,
    /// The committee's deputies (COMMITTEE_VOTE; empty for STAFF_DECISION).
    pub committee: Vec<Uuid>,
}

/// What staff give to open a selection, with each committee member's congress looked up by storage.
#[derive(Debug, Clone)]
pub struct OpenFacts {
    pub congress_id: Uuid,
    pub kind: SelectionKind,
    pub method: DecisionMethod,
    pub year: i32,
    pub places: u32,
    /// `(deputy, their congress)` of each member named.
    pub committee: Vec<(Uuid, Uuid)>,
}

/// How a viewer stands to a selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// Staff of the congress (or an admin).
    Staff,
    /// A deputy of the congress on the selection committee.
    Member,
    /// Another deputy of the congress.
    Deputy,
    /// Anyone else: the selection does not exist for them.
    Outsider,
}

impl Party {
    pub fn of(viewer: Option<&Actor>, s: &Selection) -> Self {
        let Some(actor) = viewer else { return Party::Outsider };
        if actor.is_staff_of(s.congress_id) {
            return Party::Staff;
        }
        match (actor.role, actor.deputy_id) {
            (Role::Deputy, Some(d)) if actor.congress_id == Some(s.congress_id) => {
                if s.committee.contains(&d) { Party::Member } else { Party::Deputy }
            }
            _ => Party::Outsider,
        }
    }
}

/// The steps of a selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Nominate,
    StartVoting,
    Vote,
    CloseVote,
    Decide,
    Publish,
    Cancel,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Nominate,
        Action::StartVoting,
        Action::Vote,
        Action::CloseVote,
        Action::Decide,
        Action::Publish,
        Action::Cancel,
    ];
}

/// The "who" column: committee members vote; everything else is the staff's.
pub fn allowed(action: Action, party: Party) -> bool {
    match action {
        Action::Vote => party == Party::Member,
        _ => party == Party::Staff,
    }
}

/// The decision method an action belongs to; `None` for those of both.
pub fn method_of(action: Action) -> Option<DecisionMethod> {
    match action {
        Action::StartVoting | Action::Vote | Action::CloseVote => Some(DecisionMethod::CommitteeVote),
        Action::Decide => Some(DecisionMethod::StaffDecision),
        Action::Nominate | Action::Publish | Action::Cancel => None,
    }
}

/// The states an action may start from.
pub fn states(action: Action) -> &'static [SelectionState] {
    use SelectionState as S;
    match action {
        Action::Nominate | Action::StartVoting | Action::Decide => &[S::Nominating],
        Action::Vote | Action::CloseVote => &[S::Voting],
        Action::Publish => &[S::Decided],
        Action::Cancel => &[S::Nominating, S::Voting, S::Decided],
    }
}

/// The state an action leads to.
pub fn next_state(action: Action, from: SelectionState) -> SelectionState {
    use SelectionState as S;
    match action {
        Action::Nominate | Action::Vote => from,
        Action::StartVoting => S::Voting,
        Action::CloseVote | Action::Decide => S::Decided,
        Action::Publish => S::Published,
        Action::Cancel => S::Cancelled,
    }
}

impl Selection {
    /// Staff of the congress open a selection: 1 to [`MAX_PLACES`] places, a year between 2000 and 2100, and
    /// for a committee vote 1 to [`MAX_MEMBERS`] distinct deputies of the congress as the committee (none for
    /// a staff decision).
    pub fn open(actor: &Actor, id: Uuid, facts: &OpenFacts) -> Result<Self, DomainError> {
        if !actor.is_staff_of(facts.congress_id) {
            return Err(DomainError::forbidden("only staff of the congress open a selection"));
        }
        if !(2000..=2100).contains(&facts.year) {
            return Err(DomainError::invalid("year", "must be between 2000 and 2100"));
        }
        if !(1..=MAX_PLACES).contains(&facts.places) {
            return Err(DomainError::invalid("places", format!("must be 1 to {MAX_PLACES}")));
        }
        let mut committee = Vec::with_capacity(facts.committee.len());
        match facts.method {
            DecisionMethod::CommitteeVote => {
                if facts.committee.is_empty() || facts.committee.len() > MAX_MEMBERS {
                    return Err(DomainError::invalid(
                        "committeeDeputyIds",
                        format!("a committee vote names 1 to {MAX_MEMBERS} members"),
                    ));
                }
                for (deputy, congress) in &facts.committee {
                    if *congress != facts.congress_id {
                        return Err(DomainError::invalid(
                            "committeeDeputyIds",
                            "names a deputy of another congress",
                        ));
                    }
                    if committee.contains(deputy) {
                        return Err(DomainError::invalid("committeeDeputyIds", "names a member twice"));
                    }
                    committee.push(*deputy);
                }
            }
            DecisionMethod::StaffDecision => {
                if !facts.committee.is_empty() {
                    return Err(DomainError::invalid(
                        "committeeDeputyIds",
                        "a staff decision has no committee",
                    ));
                }
            }
        }
        Ok(Self {
            id,
            congress_id: facts.congress_id,
            kind: facts.kind,
            method: facts.method,
            places: facts.places,
            state: SelectionState::Nominating,
            committee,
        })
    }

    /// Whether `viewer` may know of the selection at all: staff and deputies of the congress.
    pub fn visible_to(&self, viewer: Option<&Actor>) -> bool {
        Party::of(viewer, self) != Party::Outsider
    }

    /// Whether `viewer` sees the results (counts, ranks, verdicts, decision reasons): staff once decided,
    /// the congress's deputies (committee members included) once published.
    pub fn results_visible_to(&self, viewer: Option<&Actor>) -> bool {
        match Party::of(viewer, self) {
            Party::Staff => !matches!(self.state, SelectionState::Nominating | SelectionState::Voting),
            Party::Member | Party::Deputy => self.state == SelectionState::Published,
            Party::Outsider => false,
        }
    }

    /// Whether `viewer` may take `action` now: NOT_FOUND for outsiders, FORBIDDEN when the step is not
    /// theirs, CONFLICT when it does not fit the decision method or the state. Returns the state it leads to.
    pub fn check(&self, viewer: Option<&Actor>, action: Action) -> Result<SelectionState, DomainError> {
        let party = Party::of(viewer, self);
        if party == Party::Outsider {
            return Err(DomainError::NotFound("selection"));
        }
        if !allowed(action, party) {
            return Err(DomainError::forbidden(format!("{action:?} is not yours to do on this selection")));
        }
        if let Some(method) = method_of(action)
            && method != self.method
        {
            return Err(DomainError::conflict(format!(
                "{action:?} does not fit a selection decided by {}",
                self.method.as_str()
            )));
        }
        if !states(action).contains(&self.state) {
            return Err(DomainError::conflict(format!(
                "cannot {action:?} a selection in state {}",
                self.state.as_str()
            )));
        }
        Ok(next_state(action, self.state))
    }

    /// The question on the committee's ballot: choose up to the places among `candidates` (more candidates
    /// than places, else CONFLICT).
    pub fn question(&self, candidates: Vec<Uuid>) -> Result<Question, DomainError> {
        Question::new(BallotForm::ChooseUpTo, candidates, self.places)
    }
}

/// What a nomination names, with the facts storage looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nominee {
    /// A suggestion: its congress, state and lead deputy (with the lead deputy's group).
    Suggestion {
        id: Uuid,
        congress_id: Uuid,
        state: SuggestionState,
        lead_deputy_id: Uuid,
        group_id: Option<Uuid>,
    },
    /// A deputy: their congress and group.
    Deputy { id: Uuid, congress_id: Uuid, group_id: Option<Uuid> },
}

impl Nominee {
    /// The suggestion or deputy nominated: what may be nominated only once per selection.
    pub fn subject_id(&self) -> Uuid {
        match self {
            Nominee::Suggestion { id, .. } | Nominee::Deputy { id, .. } => *id,
        }
    }

    /// The deputy whose archive a win enters: the lead deputy of a suggestion, or the deputy.
    pub fn credited_deputy(&self) -> Uuid {
        match self {
            Nominee::Suggestion { lead_deputy_id, .. } => *lead_deputy_id,
            Nominee::Deputy { id, .. } => *id,
        }
    }

    fn congress_id(&self) -> Uuid {
        match self {
            Nominee::Suggestion { congress_id, .. } | Nominee::Deputy { congress_id, .. } => *congress_id,
        }
    }

    fn group_id(&self) -> Option<Uuid> {
        match self {
            Nominee::Suggestion { group_id, .. } | Nominee::Deputy { group_id, .. } => *group_id,
        }
    }
}

/// The states a suggestion may be nominated in: answered, or rated by its lead deputy.
pub fn nominable(state: SuggestionState) -> bool {
    matches!(state, SuggestionState::Answered | SuggestionState::Rated)
}

/// Checks a nomination on a selection the caller may nominate on (see [`Selection::check`]): the nominee
/// fits the selection's kind and congress (a suggestion answered or rated); a nominating group is a deputy
/// group of the congress and the nominee its own (the deputy, or the suggestion's lead deputy, is in it);
/// and the selection holds fewer than [`MAX_CANDIDATES`] candidates. A duplicate is refused by storage.
pub fn check_nomination(
    s: &Selection,
    nominee: &Nominee,
    group: Option<(Uuid, Uuid)>,
    candidates: usize,
) -> Result<(), DomainError> {
    match (s.kind, nominee) {
        (SelectionKind::BestSuggestion, Nominee::Suggestion { state, .. }) => {
            if !nominable(*state) {
                return Err(DomainError::invalid(
                    "suggestionId",
                    "only an answered or rated suggestion may be nominated",
                ));
            }
        }
        (SelectionKind::ModelDeputy, Nominee::Deputy { .. }) => {}
        (SelectionKind::BestSuggestion, Nominee::Deputy { .. }) => {
            return Err(DomainError::invalid(
                "suggestionId",
                "a best-suggestion selection nominates suggestions",
            ));
        }
        (SelectionKind::ModelDeputy, Nominee::Suggestion { .. }) => {
            return Err(DomainError::invalid("deputyId", "a model-deputy selection nominates deputies"));
        }
    }
    if nominee.congress_id() != s.congress_id {
        let field = match nominee {
            Nominee::Suggestion { .. } => "suggestionId",
            Nominee::Deputy { .. } => "deputyId",
        };
        return Err(DomainError::invalid(field, "is not of the selection's congress"));
    }
    if let Some((group_id, group_congress)) = group {
        if group_congress != s.congress_id {
            return Err(DomainError::invalid("groupId", "is a deputy group of another congress"));
        }
        if nominee.group_id() != Some(group_id) {
            return Err(DomainError::invalid("groupId", "a deputy group nominates its own deputies' work"));
        }
    }
    if candidates >= MAX_CANDIDATES {
        return Err(DomainError::conflict(format!("a selection holds at most {MAX_CANDIDATES} candidates")));
    }
    Ok(())
}

/// Checks the staff's winners: 1 to the number of places, each a candidate of the selection named once.
pub fn check_winners(s: &Selection, candidates: &[Uuid], winners: &[Uuid]) -> Result<(), DomainError> {
    if winners.is_empty() {
        return Err(DomainError::invalid("winners", "name at least one winner"));
    }
    if winners.len() > usize::try_from(s.places).unwrap_or(usize::MAX) {
        return Err(DomainError::invalid("winners", format!("at most {} places", s.places)));
    }
    let mut seen = HashSet::with_capacity(winners.len());
    for w in winners {
        if !candidates.contains(w) {
            return Err(DomainError::invalid("winners", "names a candidate of another selection"));
        }
        if !seen.insert(*w) {
            return Err(DomainError::invalid("winners", "names a candidate twice"));
        }
    }
    Ok(())
}

/// Publishing needs a winner: a vote without a quorum, or with every place tied, has none (cancel it).
pub fn check_publishable(winners: usize) -> Result<(), DomainError> {
    if winners == 0 {
        return Err(DomainError::conflict("no candidate was chosen: there is nothing to publish; cancel it"));
    }
    Ok(())
}
