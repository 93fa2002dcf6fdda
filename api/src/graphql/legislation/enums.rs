//! The open-legislation vocabularies as GraphQL enums.

use async_graphql::Enum;
use edaibiao_domain::legislation::Phase;

/// What a legislative proposal asks for.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::legislation::ProposalKind")]
pub enum ProposalKind {
    /// Make a new law or regulation (制定).
    Make,
    /// Amend an existing one (修改).
    Amend,
}

/// What staff made of a legislative proposal.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::legislation::ProposalOutcome")]
pub enum ProposalOutcome {
    /// Not marked yet.
    Pending,
    /// Taken into the plan (列入规划/计划).
    Taken,
    /// Merged into another project (合并研究).
    Merged,
    /// Not taken (不予采纳).
    NotTaken,
}

/// What staff made of a comment on a draft.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::legislation::CommentOutcome")]
pub enum CommentOutcome {
    /// Not marked yet.
    Pending,
    /// Adopted (采纳).
    Adopted,
    /// Partly adopted (部分采纳).
    PartlyAdopted,
    /// Not adopted (未采纳).
    NotAdopted,
}

/// Who a proposal or comment comes from.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::legislation::SourceKind")]
pub enum LegislationSourceKind {
    /// A deputy of the congress.
    Deputy,
    /// A citizen with an account.
    Citizen,
    /// A citizen without an account, with a phone confirmed by a one-time code.
    Phone,
    /// A basic-level legislative contact point (基层立法联系点), entering what it collected offline.
    ContactPoint,
}

/// Where a call's or a draft version's period is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegislationPhase {
    /// Published, not yet taking submissions.
    NotOpen,
    /// Taking proposals or comments.
    Open,
    /// Over: staff mark the outcomes.
    Closed,
}

impl From<Phase> for LegislationPhase {
    fn from(p: Phase) -> Self {
        match p {
            Phase::NotOpen => LegislationPhase::NotOpen,
            Phase::Open => LegislationPhase::Open,
            Phase::Closed => LegislationPhase::Closed,
        }
    }
}
