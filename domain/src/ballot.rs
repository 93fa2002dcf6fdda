//! Secret ballots (票决, 满意度测评): the vote on a year's livelihood projects, the choice of whom to
//! appraise, and satisfaction votes on projects and appraised subjects all follow these rules.
//!
//! A ballot is secret: what is kept is the count of each mark on each candidate and the register of who
//! voted, never who chose what. So a ballot exists only between being cast and being counted: storage adds
//! its marks to the counts and its voter to the register in one transaction, and keeps nothing that joins the
//! two. Exactly one ballot per voter and ballot box.
//!
//! Results are decided against the electorate (all deputies of the congress, or all members of the body
//! that votes), not against the ballots cast: a vote counts only with a quorum (more than half of the
//! electorate voted), and a candidate passes with the marks of more than half of the whole electorate.

use crate::DomainError;
use crate::suggestion::Satisfaction;
use std::collections::HashSet;
use uuid::Uuid;

vocabulary!(
    /// How a ballot is filled in.
    BallotForm {
        /// Choose at most the round's number of candidates (差额票决): a mark on each chosen one.
        ChooseUpTo = "CHOOSE_UP_TO",
        /// For, against or abstain on every candidate.
        ForAgainstAbstain = "FOR_AGAINST_ABSTAIN",
        /// Satisfied, basically satisfied or dissatisfied with every subject (满意度测评).
        Satisfaction = "SATISFACTION",
    }
);

vocabulary!(
    /// A mark a voter puts against one candidate.
    Mark {
        /// Chosen (ChooseUpTo).
        Chosen = "CHOSEN",
        For = "FOR",
        Against = "AGAINST",
        Abstain = "ABSTAIN",
        Satisfied = "SATISFIED",
        BasicallySatisfied = "BASICALLY_SATISFIED",
        Dissatisfied = "DISSATISFIED",
    }
);

impl From<Satisfaction> for Mark {
    fn from(s: Satisfaction) -> Self {
        match s {
            Satisfaction::Satisfied => Mark::Satisfied,
            Satisfaction::BasicallySatisfied => Mark::BasicallySatisfied,
            Satisfaction::Dissatisfied => Mark::Dissatisfied,
        }
    }
}

impl Mark {
    /// Whether the mark belongs on a ballot of `form`.
    pub fn fits(self, form: BallotForm) -> bool {
        match form {
            BallotForm::ChooseUpTo => self == Mark::Chosen,
            BallotForm::ForAgainstAbstain => matches!(self, Mark::For | Mark::Against | Mark::Abstain),
            BallotForm::Satisfaction => {
                matches!(self, Mark::Satisfied | Mark::BasicallySatisfied | Mark::Dissatisfied)
            }
        }
    }
}

/// The most candidates one ballot box holds: a bound on the work one ballot costs.
pub const MAX_CANDIDATES: usize = 100;

/// What a ballot box asks: its form, its candidates, and for ChooseUpTo how many may be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    form: BallotForm,
    candidates: Vec<Uuid>,
    /// ChooseUpTo: the most candidates one ballot may choose, and the most that pass.
    seats: u32,
}

impl Question {
    /// `seats` matters for ChooseUpTo only: at least one, and fewer than the candidates (差额: more
    /// candidates than will be chosen).
    pub fn new(form: BallotForm, candidates: Vec<Uuid>, seats: u32) -> Result<Self, DomainError> {
        if candidates.is_empty() {
            return Err(DomainError::conflict("a vote needs at least one candidate"));
        }
        if candidates.len() > MAX_CANDIDATES {
            return Err(DomainError::invalid("candidates", format!("at most {MAX_CANDIDATES}")));
        }
        let distinct: HashSet<&Uuid> = candidates.iter().collect();
        if distinct.len() != candidates.len() {
            return Err(DomainError::invalid("candidates", "a candidate is listed twice"));
        }
        if form == BallotForm::ChooseUpTo {
            if seats == 0 {
                return Err(DomainError::invalid("seats", "choose at least one"));
            }
            if usize::try_from(seats).unwrap_or(usize::MAX) >= candidates.len() {
                return Err(DomainError::conflict("a choosing vote needs more candidates than seats (差额)"));
            }
        }
        Ok(Self { form, candidates, seats })
    }

    pub fn form(&self) -> BallotForm {
        self.form
    }

    pub fn candidates(&self) -> &[Uuid] {
        &self.candidates
    }

    pub fn seats(&self) -> u32 {
        self.seats
    }
}

/// A filled-in ballot, checked against its question: every mark fits the form and names a candidate once;
/// ChooseUpTo chooses at least one and at most the seats; the other forms mark every candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    marks: Vec<(Uuid, Mark)>,
}

impl Ballot {
    pub fn parse(question: &Question, marks: Vec<(Uuid, Mark)>) -> Result<Self, DomainError> {
        let known: HashSet<&Uuid> = question.candidates.iter().collect();
        let mut seen = HashSet::with_capacity(marks.len());
        for (candidate, mark) in &marks {
            if !known.contains(candidate) {
                return Err(DomainError::invalid("marks", "names a candidate that is not on the ballot"));
            }
            if !seen.insert(*candidate) {
                return Err(DomainError::invalid("marks", "marks a candidate twice"));
            }
            if !mark.fits(question.form) {
                return Err(DomainError::invalid(
                    "marks",
                    format!("{} does not belong on a {} ballot", mark.as_str(), question.form.as_str()),
                ));
            }
        }
        match question.form {
            BallotForm::ChooseUpTo => {
                if marks.is_empty() {
                    return Err(DomainError::invalid("marks", "choose at least one candidate"));
                }
                if marks.len() > usize::try_from(question.seats).unwrap_or(usize::MAX) {
                    return Err(DomainError::invalid(
                        "marks",
                        format!("choose at most {} candidates", question.seats),
                    ));
                }
            }
            BallotForm::ForAgainstAbstain | BallotForm::Satisfaction => {
                if marks.len() != question.candidates.len() {
                    return Err(DomainError::invalid("marks", "mark every candidate"));
                }
            }
        }
        Ok(Self { marks })
    }

    pub fn marks(&self) -> &[(Uuid, Mark)] {
        &self.marks
    }
}

/// The counts of one candidate's marks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub chosen: u32,
    pub for_: u32,
    pub against: u32,
    pub abstain: u32,
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub dissatisfied: u32,
}

impl Tally {
    /// Adds `count` marks of `mark`.
    pub fn add(&mut self, mark: Mark, count: u32) {
        let slot = match mark {
            Mark::Chosen => &mut self.chosen,
            Mark::For => &mut self.for_,
            Mark::Against => &mut self.against,
            Mark::Abstain => &mut self.abstain,
            Mark::Satisfied => &mut self.satisfied,
            Mark::BasicallySatisfied => &mut self.basically_satisfied,
            Mark::Dissatisfied => &mut self.dissatisfied,
        };
        *slot = slot.saturating_add(count);
    }

    /// The marks that count in favour under `form`.
    pub fn in_favour(&self, form: BallotForm) -> u32 {
        match form {
            BallotForm::ChooseUpTo => self.chosen,
            BallotForm::ForAgainstAbstain => self.for_,
            BallotForm::Satisfaction => self.satisfied.saturating_add(self.basically_satisfied),
        }
    }

    /// Satisfaction ballots on this candidate.
    pub fn rated(&self) -> u32 {
        self.satisfied.saturating_add(self.basically_satisfied).saturating_add(self.dissatisfied)
    }
}

/// Whether `turnout` ballots from an electorate of `electorate` make a quorum: more than half voted.
pub fn quorum(turnout: u32, electorate: u32) -> bool {
    electorate > 0 && u64::from(turnout) * 2 > u64::from(electorate)
}

/// Whether `votes` are more than half of the whole electorate.
fn majority_of(votes: u32, electorate: u32) -> bool {
    electorate > 0 && u64::from(votes) * 2 > u64::from(electorate)
}

/// What became of one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Chosen (ChooseUpTo) or adopted (ForAgainstAbstain).
    Passed,
    /// Short of a majority of the electorate, or outranked.
    Failed,
    /// Tied at the last seat: the rule cannot choose; staff must decide (a further round).
    Tied,
}

impl Verdict {
    /// The verdict's stored and published name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Passed => "PASSED",
            Verdict::Failed => "FAILED",
            Verdict::Tied => "TIED",
        }
    }

    /// A stored verdict name back to the verdict.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        match raw {
            "PASSED" => Ok(Verdict::Passed),
            "FAILED" => Ok(Verdict::Failed),
            "TIED" => Ok(Verdict::Tied),
            other => Err(DomainError::invalid("verdict", format!("unknown value {other:?}"))),
        }
    }
}

/// The result of one candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub candidate: Uuid,
    pub tally: Tally,
    /// 1 for the most marks in favour; candidates with equal marks share a rank.
    pub rank: u32,
    pub verdict: Verdict,
}

/// The results of a closed vote. Without a quorum nothing passes (every candidate `Failed`). ChooseUpTo:
/// candidates with a majority of the electorate, in order of marks, fill the seats; a tie across the last
/// seat leaves the tied candidates `Tied`. ForAgainstAbstain: each candidate with a majority passes.
/// Satisfaction: no verdict of passing, see [`satisfaction`]; every outcome is `Failed` unless satisfied.
pub fn results(
    question: &Question,
    tallies: &[(Uuid, Tally)],
    turnout: u32,
    electorate: u32,
) -> Vec<Outcome> {
    let form = question.form;
    let tally_of =
        |c: &Uuid| tallies.iter().find(|(id, _)| id == c).map(|(_, t)| t.clone()).unwrap_or_default();
    let mut outcomes: Vec<Outcome> = question
        .candidates
        .iter()
        .map(|c| Outcome { candidate: *c, tally: tally_of(c), rank: 0, verdict: Verdict::Failed })
        .collect();
    outcomes.sort_by_key(|o| std::cmp::Reverse(o.tally.in_favour(form)));
    let mut rank = 0;
    let mut previous = None;
    for (i, o) in outcomes.iter_mut().enumerate() {
        let votes = o.tally.in_favour(form);
        if previous != Some(votes) {
            rank = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1);
            previous = Some(votes);
        }
        o.rank = rank;
    }
    if !quorum(turnout, electorate) {
        return outcomes;
    }
    match form {
        BallotForm::ForAgainstAbstain => {
            for o in &mut outcomes {
                if majority_of(o.tally.for_, electorate) {
                    o.verdict = Verdict::Passed;
                }
            }
        }
        BallotForm::Satisfaction => {
            for o in &mut outcomes {
                if satisfaction(&o.tally) == SatisfactionVerdict::Satisfactory {
                    o.verdict = Verdict::Passed;
                }
            }
        }
        BallotForm::ChooseUpTo => {
            let seats = usize::try_from(question.seats).unwrap_or(usize::MAX);
            let eligible: Vec<usize> =
                (0..outcomes.len()).filter(|&i| majority_of(outcomes[i].tally.chosen, electorate)).collect();
            if eligible.len() <= seats {
                for i in eligible {
                    outcomes[i].verdict = Verdict::Passed;
                }
            } else {
                // The marks of the last seat: those above pass, those at it tie unless all fit.
                let cut = outcomes[eligible[seats - 1]].tally.chosen;
                let above = eligible.iter().filter(|&&i| outcomes[i].tally.chosen > cut).count();
                let at_cut: Vec<usize> =
                    eligible.iter().copied().filter(|&i| outcomes[i].tally.chosen == cut).collect();
                for &i in &eligible {
                    if outcomes[i].tally.chosen > cut {
                        outcomes[i].verdict = Verdict::Passed;
                    }
                }
                let verdict = if above + at_cut.len() <= seats { Verdict::Passed } else { Verdict::Tied };
                for i in at_cut {
                    outcomes[i].verdict = verdict;
                }
            }
        }
    }
    outcomes
}

/// How a subject fared in a satisfaction vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SatisfactionVerdict {
    /// At least 60% of its ballots say satisfied or basically satisfied.
    Satisfactory,
    /// Below 60%: the subject owes a further rectification report.
    Unsatisfactory,
}

/// The share of satisfied and basically satisfied ballots a subject needs (满意率 ≥ 60%).
pub const SATISFACTORY_PERCENT: u32 = 60;

/// The satisfaction rate in percent, two decimals (满意率 = (满意 + 基本满意) / 有效票); `None` without ballots.
pub fn satisfaction_rate(t: &Tally) -> Option<f64> {
    let rated = t.rated();
    if rated == 0 {
        return None;
    }
    let rate = f64::from(t.in_favour(BallotForm::Satisfaction)) * 100.0 / f64::from(rated);
    Some((rate * 100.0).round() / 100.0)
}

/// A subject's verdict; no ballots at all is unsatisfactory (nobody vouched for it).
pub fn satisfaction(t: &Tally) -> SatisfactionVerdict {
    let rated = u64::from(t.rated());
    let favour = u64::from(t.in_favour(BallotForm::Satisfaction));
    if rated > 0 && favour * 100 >= rated * u64::from(SATISFACTORY_PERCENT) {
        SatisfactionVerdict::Satisfactory
    } else {
        SatisfactionVerdict::Unsatisfactory
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: u128) -> Vec<Uuid> {
        (1..=n).map(Uuid::from_u128).collect()
    }

    fn chosen(n: u32) -> Tally {
        Tally { chosen: n, ..Tally::default() }
    }

    #[test]
    fn a_choosing_vote_needs_more_candidates_than_seats() {
        assert!(Question::new(BallotForm::ChooseUpTo, ids(3), 3).is_err());
        assert!(Question::new(BallotForm::ChooseUpTo, ids(3), 0).is_err());
        assert!(Question::new(BallotForm::ChooseUpTo, ids(4), 3).is_ok());
        assert!(Question::new(BallotForm::ChooseUpTo, vec![Uuid::from_u128(1); 2], 1).is_err());
        assert!(Question::new(BallotForm::ForAgainstAbstain, Vec::new(), 0).is_err());
    }

    #[test]
    fn a_ballot_is_checked_against_its_question() {
        let q = Question::new(BallotForm::ChooseUpTo, ids(4), 2).unwrap();
        let c = ids(4);
        assert!(Ballot::parse(&q, vec![(c[0], Mark::Chosen), (c[1], Mark::Chosen)]).is_ok());
        assert!(Ballot::parse(&q, vec![]).is_err(), "an empty choice");
        assert!(
            Ballot::parse(&q, c.iter().take(3).map(|c| (*c, Mark::Chosen)).collect()).is_err(),
            "too many"
        );
        assert!(Ballot::parse(&q, vec![(c[0], Mark::Chosen), (c[0], Mark::Chosen)]).is_err(), "twice");
        assert!(Ballot::parse(&q, vec![(c[0], Mark::For)]).is_err(), "wrong mark");
        assert!(Ballot::parse(&q, vec![(Uuid::from_u128(99), Mark::Chosen)]).is_err(), "unknown");
        let q = Question::new(BallotForm::ForAgainstAbstain, ids(2), 0).unwrap();
        assert!(Ballot::parse(&q, vec![(c[0], Mark::For)]).is_err(), "every candidate is marked");
        assert!(Ballot::parse(&q, vec![(c[0], Mark::For), (c[1], Mark::Abstain)]).is_ok());
    }

    #[test]
    fn without_a_quorum_nothing_passes() {
        let q = Question::new(BallotForm::ChooseUpTo, ids(3), 1).unwrap();
        let c = ids(3);
        // 5 of 10 voted: half is not more than half.
        let out = results(&q, &[(c[0], chosen(5))], 5, 10);
        assert!(out.iter().all(|o| o.verdict == Verdict::Failed));
        let out = results(&q, &[(c[0], chosen(6))], 6, 10);
        assert_eq!(out[0].verdict, Verdict::Passed);
    }

    #[test]
    fn a_candidate_needs_a_majority_of_the_whole_electorate() {
        let q = Question::new(BallotForm::ChooseUpTo, ids(3), 2).unwrap();
        let c = ids(3);
        // 8 of 10 voted; 5 marks is not more than half of 10, even though it is most of the ballots.
        let out = results(&q, &[(c[0], chosen(6)), (c[1], chosen(5)), (c[2], chosen(5))], 8, 10);
        let verdict = |id: Uuid| out.iter().find(|o| o.candidate == id).map(|o| o.verdict);
        assert_eq!(verdict(c[0]), Some(Verdict::Passed));
        assert_eq!(verdict(c[1]), Some(Verdict::Failed));
        assert_eq!(out[0].rank, 1);
        assert_eq!(out[1].rank, 2);
        assert_eq!(out[2].rank, 2, "equal marks share a rank");
    }

    #[test]
    fn seats_go_by_rank_and_a_tie_at_the_last_seat_is_left_to_staff() {
        let q = Question::new(BallotForm::ChooseUpTo, ids(4), 2).unwrap();
        let c = ids(4);
        let t = [(c[0], chosen(9)), (c[1], chosen(8)), (c[2], chosen(7)), (c[3], chosen(7))];
        let out = results(&q, &t, 10, 10);
        let verdict = |id: Uuid| out.iter().find(|o| o.candidate == id).map(|o| o.verdict);
        assert_eq!(verdict(c[0]), Some(Verdict::Passed));
        assert_eq!(verdict(c[1]), Some(Verdict::Passed));
        assert_eq!(verdict(c[2]), Some(Verdict::Failed));
        let t = [(c[0], chosen(9)), (c[1], chosen(8)), (c[2], chosen(8)), (c[3], chosen(7))];
        let out = results(&q, &t, 10, 10);
        let verdict = |id: Uuid| out.iter().find(|o| o.candidate == id).map(|o| o.verdict);
        assert_eq!(verdict(c[0]), Some(Verdict::Passed));
        assert_eq!(verdict(c[1]), Some(Verdict::Tied));
        assert_eq!(verdict(c[2]), Some(Verdict::Tied));
        assert_eq!(verdict(c[3]), Some(Verdict::Failed));
    }

    #[test]
    fn for_against_passes_each_candidate_on_its_own() {
        let q = Question::new(BallotForm::ForAgainstAbstain, ids(2), 0).unwrap();
        let c = ids(2);
        let yes = Tally { for_: 6, against: 1, ..Tally::default() };
        let no = Tally { for_: 4, against: 2, abstain: 1, ..Tally::default() };
        let out = results(&q, &[(c[0], yes), (c[1], no)], 7, 10);
        assert_eq!(out[0].verdict, Verdict::Passed);
        assert_eq!(out[1].verdict, Verdict::Failed);
    }

    #[test]
    fn satisfaction_needs_sixty_percent() {
        let t = Tally { satisfied: 4, basically_satisfied: 2, dissatisfied: 4, ..Tally::default() };
        assert_eq!(satisfaction_rate(&t), Some(60.0));
        assert_eq!(satisfaction(&t), SatisfactionVerdict::Satisfactory);
        let t = Tally { satisfied: 4, basically_satisfied: 1, dissatisfied: 4, ..Tally::default() };
        assert_eq!(satisfaction(&t), SatisfactionVerdict::Unsatisfactory);
        assert_eq!(satisfaction(&Tally::default()), SatisfactionVerdict::Unsatisfactory);
        assert_eq!(satisfaction_rate(&Tally::default()), None);
    }
}
