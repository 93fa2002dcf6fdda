//! Secret ballots as GraphQL types, shared by every vote (the livelihood-project round, the choice of whom to
//! appraise, satisfaction votes). Results are counts only: no type here or anywhere names what one voter
//! chose.

use async_graphql::{Enum, InputObject, SimpleObject};
use edaibiao_domain::ballot as dom;

/// How a ballot is filled in.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::ballot::BallotForm")]
pub enum BallotForm {
    /// 差额票决: choose at most the number of seats; a `CHOSEN` mark on each chosen candidate.
    ChooseUpTo,
    /// `FOR`, `AGAINST` or `ABSTAIN` on every candidate.
    ForAgainstAbstain,
    /// 满意度测评: `SATISFIED`, `BASICALLY_SATISFIED` or `DISSATISFIED` on every subject.
    Satisfaction,
}

/// A mark against one candidate.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::ballot::Mark")]
pub enum Mark {
    /// Chosen (CHOOSE_UP_TO).
    Chosen,
    /// 赞成.
    For,
    /// 反对.
    Against,
    /// 弃权.
    Abstain,
    /// 满意.
    Satisfied,
    /// 基本满意.
    BasicallySatisfied,
    /// 不满意.
    Dissatisfied,
}

/// One mark of a ballot being cast.
#[derive(InputObject, Debug, Clone)]
pub struct MarkInput {
    /// The candidate (or subject) marked: its global ID.
    pub candidate: async_graphql::ID,
    /// The mark put against it; it must fit the ballot's form.
    pub mark: Mark,
}

/// What became of a candidate when the vote closed.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Chosen or adopted (or, in a satisfaction vote, satisfactory).
    Passed,
    /// Short of a majority of the whole electorate, outranked, or without a quorum.
    Failed,
    /// Tied at the last seat: staff decide, e.g. by a further round.
    Tied,
}

impl From<dom::Verdict> for Verdict {
    fn from(v: dom::Verdict) -> Self {
        match v {
            dom::Verdict::Passed => Verdict::Passed,
            dom::Verdict::Failed => Verdict::Failed,
            dom::Verdict::Tied => Verdict::Tied,
        }
    }
}

/// The counts of one candidate's marks: sums over all ballots, never one ballot.
#[derive(SimpleObject, Debug, Clone)]
pub struct Tally {
    /// CHOSEN marks.
    pub chosen: u32,
    /// FOR marks.
    #[graphql(name = "for")]
    pub for_: u32,
    /// AGAINST marks.
    pub against: u32,
    /// ABSTAIN marks.
    pub abstain: u32,
    /// SATISFIED marks.
    pub satisfied: u32,
    /// BASICALLY_SATISFIED marks.
    pub basically_satisfied: u32,
    /// DISSATISFIED marks.
    pub dissatisfied: u32,
    /// 满意率: satisfied and basically satisfied among satisfaction marks, in percent (two decimals); null
    /// without satisfaction marks.
    pub satisfaction_rate: Option<f64>,
}

impl From<&dom::Tally> for Tally {
    fn from(t: &dom::Tally) -> Self {
        Self {
            chosen: t.chosen,
            for_: t.for_,
            against: t.against,
            abstain: t.abstain,
            satisfied: t.satisfied,
            basically_satisfied: t.basically_satisfied,
            dissatisfied: t.dissatisfied,
            satisfaction_rate: dom::satisfaction_rate(t),
        }
    }
}
