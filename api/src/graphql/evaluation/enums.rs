//! Evaluation enums, mirrored from the domain.

use async_graphql::Enum;

/// Where a yearly evaluation is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::duty::evaluation::EvaluationState")]
pub enum DutyEvaluationState {
    /// Staff enter assessments; results are not computed yet.
    Open,
    /// Results computed and frozen for checking; reopen to correct, or publish.
    Reviewed,
    /// Made known (公开通报): every deputy has their feedback notice.
    Published,
}

/// 优秀 / 合格 / 不合格.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::duty::evaluation::Grade")]
pub enum DutyGrade {
    /// 优秀: at or above the excellent threshold (default 90).
    Excellent,
    /// 合格: at or above the qualified threshold (default 80).
    Qualified,
    /// 不合格: below the qualified threshold; a rectification report is due.
    Unqualified,
}

/// The parts of the combined score.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::duty::evaluation::Component")]
pub enum DutyEvaluationComponent {
    /// The points (积分).
    Points,
    /// The voters' rating of the reports to voters (述职测评).
    VoterRating,
    /// The deputy group's assessment (代表小组评议).
    GroupAssessment,
}
