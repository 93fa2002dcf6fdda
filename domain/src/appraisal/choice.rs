//! Choosing whom to appraise by a vote (审议票决出被评议单位): staff put candidate subjects (a unit's special
//! work or an appointed official) before the members of the body that decides (the standing committee's
//! members, named by staff), who each cast one secret ballot choosing up to the number of appraisals planned.
//! The ballot rules are the shared ones ([`crate::ballot`]): a quorum of the named members, and a candidate
//! is chosen with the marks of more than half of them, in order of marks; a tie at the last seat is left to
//! staff. An appraisal then opened for a chosen candidate carries the vote's result with it.

use crate::DomainError;
use crate::account::{Actor, Role};
use crate::ballot::{BallotForm, Question};
use uuid::Uuid;

vocabulary!(
    /// Where a vote on whom to appraise is.
    ChoiceState {
        /// The members vote.
        Voting = "VOTING",
        /// Staff closed it: the results are known to the congress.
        Closed = "CLOSED",
    }
);

/// The most members one such vote names.
pub const MAX_VOTERS: usize = 200;

/// The most candidate subjects one such vote holds.
pub const MAX_CANDIDATES: usize = 30;

/// What the rules need to know of one vote on whom to appraise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub state: ChoiceState,
    /// The deputies who vote: the members of the deciding body.
    pub voters: Vec<Uuid>,
}

/// The facts opening checks: the congress, each candidate's unit with its congress, each named voter with
/// theirs, and how many appraisals are planned.
#[derive(Debug, Clone)]
pub struct ChoiceFacts {
    pub congress_id: Uuid,
    pub candidate_units: Vec<(Uuid, Uuid)>,
    pub voters: Vec<(Uuid, Uuid)>,
    pub seats: u32,
}

/// How a viewer stands to a vote on whom to appraise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceParty {
    /// Staff of the congress (or an admin).
    Staff,
    /// A member named to vote.
    Voter,
    /// Another deputy of the congress: sees the vote and, once closed, its results.
    Deputy,
    /// Anyone else: the vote does not exist for them.
    Outsider,
}

impl ChoiceParty {
    pub fn of(viewer: Option<&Actor>, c: &Choice) -> Self {
        let Some(actor) = viewer else { return ChoiceParty::Outsider };
        if actor.is_staff_of(c.congress_id) {
            return ChoiceParty::Staff;
        }
        match (actor.role, actor.deputy_id) {
            (Role::Deputy, Some(d)) if actor.congress_id == Some(c.congress_id) => {
                if c.voters.contains(&d) {
                    ChoiceParty::Voter
                } else {
                    ChoiceParty::Deputy
                }
            }
            _ => ChoiceParty::Outsider,
        }
    }
}

impl Choice {
    /// Staff of the congress open the vote: 2 to [`MAX_CANDIDATES`] candidates of the congress's units, 1
    /// to [`MAX_VOTERS`] distinct members who are deputies of the congress, and fewer appraisals planned
    /// than candidates (差额: the vote must be able to leave some out).
    pub fn open(actor: &Actor, id: Uuid, facts: &ChoiceFacts) -> Result<Self, DomainError> {
        if !actor.is_staff_of(facts.congress_id) {
            return Err(DomainError::forbidden("only staff of the congress put subjects to a vote"));
        }
        let n = facts.candidate_units.len();
        if !(2..=MAX_CANDIDATES).contains(&n) {
            return Err(DomainError::invalid("candidates", format!("name 2 to {MAX_CANDIDATES} subjects")));
        }
        if facts.candidate_units.iter().any(|(_, congress)| *congress != facts.congress_id) {
            return Err(DomainError::invalid("candidates", "names a unit of another congress"));
        }
        if facts.seats == 0 || usize::try_from(facts.seats).unwrap_or(usize::MAX) >= n {
            return Err(DomainError::invalid(
                "chooseUpTo",
                "must be at least 1 and fewer than the candidates",
            ));
        }
        if facts.voters.is_empty() || facts.voters.len() > MAX_VOTERS {
            return Err(DomainError::invalid("voterDeputyIds", format!("name 1 to {MAX_VOTERS} members")));
        }
        let mut voters = Vec::with_capacity(facts.voters.len());
        for (deputy, congress) in &facts.voters {
            if *congress != facts.congress_id {
                return Err(DomainError::invalid("voterDeputyIds", "names a deputy of another congress"));
            }
            if voters.contains(deputy) {
                return Err(DomainError::invalid("voterDeputyIds", "names a member twice"));
            }
            voters.push(*deputy);
        }
        Ok(Self { id, congress_id: facts.congress_id, state: ChoiceState::Voting, voters })
    }

    /// A named member may vote while the vote is open.
    pub fn check_vote(&self, viewer: Option<&Actor>) -> Result<(), DomainError> {
        match ChoiceParty::of(viewer, self) {
            ChoiceParty::Voter => {}
            ChoiceParty::Outsider => return Err(DomainError::NotFound("appraisal choice")),
            ChoiceParty::Staff | ChoiceParty::Deputy => {
                return Err(DomainError::forbidden("only the members named for this vote vote"));
            }
        }
        if self.state != ChoiceState::Voting {
            return Err(DomainError::conflict("the vote is closed"));
        }
        Ok(())
    }

    /// Staff close the vote while it is open.
    pub fn check_close(&self, viewer: Option<&Actor>) -> Result<(), DomainError> {
        match ChoiceParty::of(viewer, self) {
            ChoiceParty::Staff => {}
            ChoiceParty::Outsider => return Err(DomainError::NotFound("appraisal choice")),
            ChoiceParty::Voter | ChoiceParty::Deputy => {
                return Err(DomainError::forbidden("only staff close the vote"));
            }
        }
        if self.state != ChoiceState::Voting {
            return Err(DomainError::conflict("the vote is closed already"));
        }
        Ok(())
    }

    /// Whether `viewer` may know of the vote at all (staff and deputies of the congress).
    pub fn visible_to(&self, viewer: Option<&Actor>) -> bool {
        ChoiceParty::of(viewer, self) != ChoiceParty::Outsider
    }

    /// Results (counts, ranks, verdicts) show only once the vote is closed.
    pub fn results_visible(&self) -> bool {
        self.state == ChoiceState::Closed
    }
}

/// The question on the ballot: choose up to `seats` of `candidates`.
pub fn question(candidates: Vec<Uuid>, seats: u32) -> Result<Question, DomainError> {
    Question::new(BallotForm::ChooseUpTo, candidates, seats)
}

/// An appraisal opened for a candidate of a vote: the candidate was chosen, belongs to the same congress
/// and is not carried by another appraisal already.
pub fn check_carried(
    chosen: bool,
    candidate_congress: Uuid,
    congress_id: Uuid,
    already_carried: bool,
) -> Result<(), DomainError> {
    if candidate_congress != congress_id {
        return Err(DomainError::invalid("choiceCandidateId", "is a candidate of another congress"));
    }
    if !chosen {
        return Err(DomainError::invalid("choiceCandidateId", "was not chosen by the vote"));
    }
    if already_carried {
        return Err(DomainError::conflict("an appraisal was opened for this candidate already"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn congress() -> Uuid {
        Uuid::from_u128(1)
    }

    fn staff() -> Actor {
        Actor {
            user_id: Uuid::from_u128(90),
            role: Role::CongressStaff,
            congress_id: Some(congress()),
            unit_id: None,
            deputy_id: None,
            station_id: None,
        }
    }

    fn deputy(n: u128, of: Uuid) -> Actor {
        Actor {
            user_id: Uuid::from_u128(200 + n),
            role: Role::Deputy,
            congress_id: Some(of),
            unit_id: None,
            deputy_id: Some(Uuid::from_u128(n)),
            station_id: None,
        }
    }

    fn facts(candidates: usize, voters: &[u128], seats: u32) -> ChoiceFacts {
        ChoiceFacts {
            congress_id: congress(),
            candidate_units: (0..candidates)
                .map(|i| (Uuid::from_u128(500 + i as u128), congress()))
                .collect(),
            voters: voters.iter().map(|v| (Uuid::from_u128(*v), congress())).collect(),
            seats,
        }
    }

    #[test]
    fn opening_needs_staff_a_real_choice_and_members_of_the_congress() {
        assert!(Choice::open(&staff(), Uuid::nil(), &facts(3, &[10, 11, 12], 2)).is_ok());
        let refused = |f: &ChoiceFacts| Choice::open(&staff(), Uuid::nil(), f).unwrap_err();
        assert!(matches!(
            Choice::open(&deputy(10, congress()), Uuid::nil(), &facts(3, &[10], 1)),
            Err(DomainError::Forbidden(_))
        ));
        assert!(matches!(refused(&facts(1, &[10], 1)), DomainError::Invalid { field: "candidates", .. }));
        assert!(matches!(refused(&facts(3, &[10], 3)), DomainError::Invalid { field: "chooseUpTo", .. }));
        assert!(matches!(refused(&facts(3, &[10], 0)), DomainError::Invalid { field: "chooseUpTo", .. }));
        assert!(matches!(refused(&facts(3, &[], 1)), DomainError::Invalid { field: "voterDeputyIds", .. }));
        assert!(matches!(
            refused(&facts(3, &[10, 10], 1)),
            DomainError::Invalid { field: "voterDeputyIds", .. }
        ));
        let mut foreign = facts(3, &[10], 1);
        foreign.voters.push((Uuid::from_u128(11), Uuid::from_u128(2)));
        assert!(matches!(refused(&foreign), DomainError::Invalid { field: "voterDeputyIds", .. }));
        let mut foreign_unit = facts(3, &[10], 1);
        foreign_unit.candidate_units[0].1 = Uuid::from_u128(2);
        assert!(matches!(refused(&foreign_unit), DomainError::Invalid { field: "candidates", .. }));
    }

    #[test]
    fn only_named_members_vote_and_only_while_open() {
        let mut c = Choice::open(&staff(), Uuid::nil(), &facts(3, &[10, 11], 1)).unwrap();
        assert!(c.check_vote(Some(&deputy(10, congress()))).is_ok());
        assert!(matches!(c.check_vote(Some(&deputy(12, congress()))), Err(DomainError::Forbidden(_))));
        assert!(matches!(c.check_vote(Some(&staff())), Err(DomainError::Forbidden(_))));
        assert!(matches!(c.check_vote(Some(&deputy(10, Uuid::from_u128(2)))), Err(DomainError::NotFound(_))));
        assert!(matches!(c.check_vote(None), Err(DomainError::NotFound(_))));
        assert!(matches!(c.check_close(Some(&deputy(10, congress()))), Err(DomainError::Forbidden(_))));
        assert!(c.check_close(Some(&staff())).is_ok());
        assert!(!c.results_visible());
        c.state = ChoiceState::Closed;
        assert!(c.results_visible());
        assert!(matches!(c.check_vote(Some(&deputy(10, congress()))), Err(DomainError::Conflict(_))));
        assert!(matches!(c.check_close(Some(&staff())), Err(DomainError::Conflict(_))));
        assert!(c.visible_to(Some(&deputy(12, congress()))));
        assert!(!c.visible_to(Some(&deputy(12, Uuid::from_u128(2)))));
        assert!(!c.visible_to(None));
    }

    #[test]
    fn an_appraisal_carries_only_a_chosen_candidate_of_its_congress_once() {
        assert!(check_carried(true, congress(), congress(), false).is_ok());
        assert!(matches!(
            check_carried(false, congress(), congress(), false),
            Err(DomainError::Invalid { .. })
        ));
        assert!(matches!(
            check_carried(true, Uuid::from_u128(2), congress(), false),
            Err(DomainError::Invalid { .. })
        ));
        assert!(matches!(check_carried(true, congress(), congress(), true), Err(DomainError::Conflict(_))));
    }
}
