//! The project vocabularies as GraphQL enums.

use async_graphql::Enum;

/// Where a round of livelihood projects (票决) is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::project::RoundState")]
pub enum ProjectRoundState {
    /// Staff add and edit candidates; deputies ask questions.
    Open,
    /// Deputies cast their ballots (questions still open); no counts are readable.
    Voting,
    /// Closed and counted; staff see the results and publish them.
    Closed,
    /// Results public; the passed candidates are projects.
    Published,
}

/// Where the year-end satisfaction rating of a round's projects is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::project::RatingState")]
pub enum ProjectRatingState {
    /// Not opened yet (opens once the round is PUBLISHED).
    NotOpened,
    /// Deputies rate each project once.
    Open,
    /// Closed; staff see the counts and publish them.
    Closed,
    /// Counts public.
    Published,
}

/// How a project came to be followed.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::project::ProjectKind")]
pub enum LivelihoodProjectKind {
    /// Chosen by the deputies' vote (民生实事项目).
    Voted,
    /// Created by staff for online supervision (重大项目网上监督), no vote.
    Major,
}

/// Where a milestone is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::project::MilestoneState")]
pub enum MilestoneState {
    /// Not done yet.
    Pending,
    /// Reported done by the unit.
    Done,
}

/// What asked for a candidate.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::project::SourceKind")]
pub enum ProjectSourceKind {
    /// A deputy's suggestion.
    Suggestion,
    /// A citizen's opinion.
    Opinion,
}
