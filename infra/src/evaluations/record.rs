//! Writing the review's snapshot: one row per deputy with the part scores and, as JSON, what cost points.

use super::query::{StoredCosts, StoredDeduction, StoredShortfall};
use crate::Error;
use crate::entity::{deputy, evaluation_result};
use crate::error::Result;
use chrono::{DateTime, Utc};
use edaibiao_domain::duty::evaluation::{FullMark, Reviewed, Thresholds, VoterRatings, Weights, costs};
use edaibiao_domain::duty::points::Ledger;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

/// The thresholds as stored.
pub(super) fn thresholds(t: &Thresholds) -> (f64, f64) {
    (t.excellent(), t.qualified())
}

pub(super) fn full_mark(f: &FullMark) -> i32 {
    i32::try_from(f.points()).unwrap_or(i32::MAX)
}

fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The snapshot row of one reviewed deputy.
pub(super) fn result_row(
    evaluation_id: Uuid,
    deputy: &deputy::Model,
    ledger: &Ledger,
    weights: &Weights,
    reviewed: &Reviewed,
    ratings: VoterRatings,
    now: DateTime<Utc>,
) -> Result<evaluation_result::ActiveModel> {
    let c = costs(ledger, weights, &reviewed.result);
    let stored = StoredCosts {
        deductions: c
            .deductions
            .iter()
            .map(|l| StoredDeduction {
                kind: l.entry.kind.as_str().to_owned(),
                date: l.entry.date,
                source_id: l.entry.source_id,
                note: l.entry.note.clone(),
                points: l.awarded,
                rule_id: l.rule.as_ref().map(|r| r.id),
            })
            .collect(),
        shortfalls: c
            .shortfalls
            .iter()
            .map(|(component, lost)| StoredShortfall { component: *component, lost: *lost })
            .collect(),
    };
    let costs = serde_json::to_string(&stored).map_err(|e| Error::Internal(format!("costs: {e}")))?;
    let r = &reviewed.result;
    Ok(evaluation_result::ActiveModel {
        id: Set(Uuid::now_v7()),
        evaluation_id: Set(evaluation_id),
        deputy_id: Set(deputy.id),
        deputy_name: Set(deputy.name.clone()),
        deputy_group_id: Set(deputy.deputy_group_id),
        points_total: Set(ledger.total),
        points_score: Set(r.points.value()),
        voter_rating_score: Set(r.voter_rating.value()),
        no_voter_rating: Set(reviewed.no_voter_rating),
        voters_satisfied: Set(count(ratings.satisfied)),
        voters_basically_satisfied: Set(count(ratings.basically_satisfied)),
        voters_dissatisfied: Set(count(ratings.dissatisfied)),
        group_assessment_score: Set(r.group_assessment.value()),
        combined: Set(r.combined.value()),
        grade: Set(r.grade.as_str().to_owned()),
        congress_rank: Set(i32::try_from(reviewed.rank).unwrap_or(i32::MAX)),
        costs: Set(costs),
        created_at: Set(now),
    })
}

/// The snapshot row of one deputy reviewed by a scheme: the part scores as read (for reference), the scheme's
/// scaled score as the combined score, and no costs (the categories and items tell where points were lost).
#[allow(clippy::too_many_arguments, reason = "the row has that many sources")]
pub(super) fn scheme_result_row(
    id: Uuid,
    evaluation_id: Uuid,
    deputy: &deputy::Model,
    points: (i64, f64),
    ratings: VoterRatings,
    group_assessment: f64,
    reviewed: &edaibiao_domain::duty::scheme::SchemeReviewed,
    now: DateTime<Utc>,
) -> Result<evaluation_result::ActiveModel> {
    let none = StoredCosts { deductions: Vec::new(), shortfalls: Vec::new() };
    let costs = serde_json::to_string(&none).map_err(|e| Error::Internal(format!("costs: {e}")))?;
    let rating = ratings.score();
    Ok(evaluation_result::ActiveModel {
        id: Set(id),
        evaluation_id: Set(evaluation_id),
        deputy_id: Set(deputy.id),
        deputy_name: Set(deputy.name.clone()),
        deputy_group_id: Set(deputy.deputy_group_id),
        points_total: Set(points.0),
        points_score: Set(points.1),
        voter_rating_score: Set(rating.map_or(0.0, |r| r.value())),
        no_voter_rating: Set(rating.is_none()),
        voters_satisfied: Set(count(ratings.satisfied)),
        voters_basically_satisfied: Set(count(ratings.basically_satisfied)),
        voters_dissatisfied: Set(count(ratings.dissatisfied)),
        group_assessment_score: Set(group_assessment),
        combined: Set(reviewed.score.score.value()),
        grade: Set(reviewed.grade.as_str().to_owned()),
        congress_rank: Set(i32::try_from(reviewed.rank).unwrap_or(i32::MAX)),
        costs: Set(costs),
        created_at: Set(now),
    })
}
