//! The yearly evaluation (年度履职考评): a score per deputy combined from points, the voters' rating of the
//! deputy's report (述职测评) and the deputy group's assessment; a grade; the review → publish lifecycle; and
//! the rectification report (整改报告) an unqualified deputy owes.
//!
//! Scores are numbers from 0 to 100 rounded to two decimals, so a grade at a threshold is never decided by
//! floating-point noise.

use super::points::{Ledger, LedgerLine};
use crate::DomainError;
use crate::account::Actor;
use crate::suggestion::Satisfaction;
use chrono::{DateTime, Utc};
use uuid::Uuid;

vocabulary!(
    /// Where an evaluation is: staff compute and adjust it, review it, then make it known (公开通报).
    EvaluationState {
        Open = "OPEN",
        Reviewed = "REVIEWED",
        Published = "PUBLISHED",
    }
);

vocabulary!(
    /// 优秀 / 合格 / 不合格.
    Grade {
        Excellent = "EXCELLENT",
        Qualified = "QUALIFIED",
        Unqualified = "UNQUALIFIED",
    }
);

vocabulary!(
    /// The parts of the combined score.
    Component {
        Points = "POINTS",
        VoterRating = "VOTER_RATING",
        GroupAssessment = "GROUP_ASSESSMENT",
    }
);

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A score from 0 to 100, rounded to two decimals.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Score(f64);

impl Score {
    pub fn new(value: f64) -> Result<Self, DomainError> {
        if !value.is_finite() || !(0.0..=100.0).contains(&value) {
            return Err(DomainError::invalid("score", "must be between 0 and 100"));
        }
        Ok(Self(round2(value)))
    }

    pub fn value(self) -> f64 {
        self.0
    }

    /// For values the arithmetic here keeps within 0–100.
    fn clamped(value: f64) -> Self {
        Self(round2(value.clamp(0.0, 100.0)))
    }
}

/// How much each part counts, in whole percent. Exists only when they sum to 100 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    points: u32,
    voter_rating: u32,
    group_assessment: u32,
}

impl Weights {
    pub fn new(points: u32, voter_rating: u32, group_assessment: u32) -> Result<Self, DomainError> {
        let sum = u64::from(points) + u64::from(voter_rating) + u64::from(group_assessment);
        if sum != 100 {
            return Err(DomainError::invalid("weights", format!("must sum to 100 %, not {sum} %")));
        }
        Ok(Self { points, voter_rating, group_assessment })
    }

    pub fn of(&self, component: Component) -> u32 {
        match component {
            Component::Points => self.points,
            Component::VoterRating => self.voter_rating,
            Component::GroupAssessment => self.group_assessment,
        }
    }
}

/// The points total worth a full 100: the most attainable under the rule table, or a mark staff configure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FullMark(u32);

impl FullMark {
    pub fn new(points: u32) -> Result<Self, DomainError> {
        if points == 0 {
            return Err(DomainError::invalid("fullMark", "must be at least 1"));
        }
        Ok(Self(points))
    }

    /// Scales a points total to 0–100: a negative total scores 0, anything above the full mark 100.
    pub fn scale(self, total: i64) -> Score {
        let total = total.clamp(0, i64::from(self.0));
        // Both values fit in f64 exactly (|x| ≤ u32::MAX).
        Score::clamped(total as f64 * 100.0 / f64::from(self.0))
    }
}

/// The voters' ratings of a deputy's report to voters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VoterRatings {
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub dissatisfied: u32,
}

/// What one rating is worth: satisfied 100, basically satisfied 80 (the qualified mark: acceptable, not
/// praise), dissatisfied 0. The voters' score is the average over all ratings.
pub fn rating_value(rating: Satisfaction) -> u32 {
    match rating {
        Satisfaction::Satisfied => 100,
        Satisfaction::BasicallySatisfied => 80,
        Satisfaction::Dissatisfied => 0,
    }
}

impl VoterRatings {
    /// The average rating value, or `None` when nobody rated (the caller decides what that means).
    pub fn score(&self) -> Option<Score> {
        let count =
            u64::from(self.satisfied) + u64::from(self.basically_satisfied) + u64::from(self.dissatisfied);
        if count == 0 {
            return None;
        }
        let sum = u64::from(self.satisfied) * u64::from(rating_value(Satisfaction::Satisfied))
            + u64::from(self.basically_satisfied) * u64::from(rating_value(Satisfaction::BasicallySatisfied))
            + u64::from(self.dissatisfied) * u64::from(rating_value(Satisfaction::Dissatisfied));
        Some(Score::clamped(sum as f64 / count as f64))
    }
}

/// The lower bounds of the grades. Exists only when `0 < qualified < excellent ≤ 100`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    excellent: f64,
    qualified: f64,
}

impl Default for Thresholds {
    /// EXCELLENT ≥ 90, QUALIFIED ≥ 80.
    fn default() -> Self {
        Self { excellent: 90.0, qualified: 80.0 }
    }
}

impl Thresholds {
    pub fn new(excellent: f64, qualified: f64) -> Result<Self, DomainError> {
        let valid = excellent.is_finite()
            && qualified.is_finite()
            && 0.0 < qualified
            && qualified < excellent
            && excellent <= 100.0;
        if !valid {
            return Err(DomainError::invalid("thresholds", "need 0 < qualified < excellent ≤ 100"));
        }
        Ok(Self { excellent, qualified })
    }

    pub fn grade(&self, score: Score) -> Grade {
        if score.0 >= self.excellent {
            Grade::Excellent
        } else if score.0 >= self.qualified {
            Grade::Qualified
        } else {
            Grade::Unqualified
        }
    }
}

/// One deputy's result, with each part so the notice can show where the score came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeputyResult {
    pub points: Score,
    pub voter_rating: Score,
    pub group_assessment: Score,
    pub combined: Score,
    pub grade: Grade,
}

impl DeputyResult {
    pub fn of(&self, component: Component) -> Score {
        match component {
            Component::Points => self.points,
            Component::VoterRating => self.voter_rating,
            Component::GroupAssessment => self.group_assessment,
        }
    }
}

/// A congress's evaluation of one year and the settings staff chose for it.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyEvaluation {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub year: i32,
    pub state: EvaluationState,
    pub weights: Weights,
    pub full_mark: FullMark,
    pub thresholds: Thresholds,
}

impl DutyEvaluation {
    /// Staff of the congress (or an admin) open an evaluation.
    pub fn open(
        actor: &Actor,
        id: Uuid,
        congress_id: Uuid,
        year: i32,
        weights: Weights,
        full_mark: FullMark,
        thresholds: Thresholds,
    ) -> Result<Self, DomainError> {
        ensure_staff(actor, congress_id)?;
        Ok(Self { id, congress_id, year, state: EvaluationState::Open, weights, full_mark, thresholds })
    }

    /// Combines the parts by the weights and grades the result.
    pub fn evaluate(&self, points_total: i64, voter_rating: Score, group_assessment: Score) -> DeputyResult {
        let points = self.full_mark.scale(points_total);
        let weighted = f64::from(self.weights.points) * points.0
            + f64::from(self.weights.voter_rating) * voter_rating.0
            + f64::from(self.weights.group_assessment) * group_assessment.0;
        let combined = Score::clamped(weighted / 100.0);
        DeputyResult {
            points,
            voter_rating,
            group_assessment,
            combined,
            grade: self.thresholds.grade(combined),
        }
    }

    /// OPEN → REVIEWED.
    pub fn review(&mut self, actor: &Actor) -> Result<(), DomainError> {
        self.move_to(actor, EvaluationState::Open, EvaluationState::Reviewed)
    }

    /// REVIEWED → PUBLISHED: results are made known and notices go out.
    pub fn publish(&mut self, actor: &Actor) -> Result<(), DomainError> {
        self.move_to(actor, EvaluationState::Reviewed, EvaluationState::Published)
    }

    /// REVIEWED → OPEN, when the review finds something to correct before publishing.
    pub fn reopen(&mut self, actor: &Actor) -> Result<(), DomainError> {
        self.move_to(actor, EvaluationState::Reviewed, EvaluationState::Open)
    }

    fn move_to(
        &mut self,
        actor: &Actor,
        from: EvaluationState,
        to: EvaluationState,
    ) -> Result<(), DomainError> {
        ensure_staff(actor, self.congress_id)?;
        if self.state != from {
            return Err(DomainError::conflict(format!(
                "the evaluation is {}, not {}",
                self.state.as_str(),
                from.as_str()
            )));
        }
        self.state = to;
        Ok(())
    }
}

fn ensure_staff(actor: &Actor, congress_id: Uuid) -> Result<(), DomainError> {
    if actor.is_staff_of(congress_id) {
        Ok(())
    } else {
        Err(DomainError::forbidden("only staff of the congress manage its evaluations"))
    }
}

/// What cost the deputy points, for the feedback notice (履职测评结果反馈通知书).
#[derive(Debug, Clone, PartialEq)]
pub struct Costs<'a> {
    /// Ledger lines that deducted points, the largest deduction first.
    pub deductions: Vec<&'a LedgerLine>,
    /// How much of the combined score each part lost (its weight × what it fell short of 100), largest first;
    /// parts that lost nothing are left out.
    pub shortfalls: Vec<(Component, f64)>,
}

pub fn costs<'a>(ledger: &'a Ledger, weights: &Weights, result: &DeputyResult) -> Costs<'a> {
    let mut deductions: Vec<&LedgerLine> = ledger.lines.iter().filter(|l| l.awarded < 0).collect();
    deductions.sort_by_key(|l| l.awarded);
    let mut shortfalls: Vec<(Component, f64)> = Component::ALL
        .iter()
        .map(|c| (*c, round2(f64::from(weights.of(*c)) * (100.0 - result.of(*c).0) / 100.0)))
        .filter(|(_, lost)| *lost > 0.0)
        .collect();
    shortfalls.sort_by(|a, b| b.1.total_cmp(&a.1));
    Costs { deductions, shortfalls }
}

/// Only an UNQUALIFIED deputy owes a rectification report.
pub fn rectification_required(grade: Grade) -> bool {
    grade == Grade::Unqualified
}

/// The rectification report an unqualified deputy owes, due by a deadline set when the results are published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rectification {
    pub deadline: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

impl Rectification {
    /// Asks for a report from a deputy graded `grade`, due by `deadline` (after `now`).
    pub fn require(grade: Grade, deadline: DateTime<Utc>, now: DateTime<Utc>) -> Result<Self, DomainError> {
        if !rectification_required(grade) {
            return Err(DomainError::conflict("only an unqualified deputy owes a rectification report"));
        }
        if deadline <= now {
            return Err(DomainError::invalid("deadline", "must be in the future"));
        }
        Ok(Self { deadline, submitted_at: None })
    }

    /// The deputy hands it in, once; late is still accepted (and shows as late).
    pub fn submit(&mut self, now: DateTime<Utc>) -> Result<(), DomainError> {
        if self.submitted_at.is_some() {
            return Err(DomainError::conflict("the rectification report is already handed in"));
        }
        self.submitted_at = Some(now);
        Ok(())
    }

    /// Not handed in and the deadline has passed: staff follow up (谈话提醒).
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.submitted_at.is_none() && now > self.deadline
    }

    pub fn was_late(&self) -> bool {
        self.submitted_at.is_some_and(|at| at > self.deadline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Role;
    use crate::duty::points::{EntryKind, PointEntry, PointRule, RuleTable, score};
    use chrono::{Duration, NaiveDate, TimeZone};

    const CONGRESS: Uuid = Uuid::from_u128(1);
    const OTHER_CONGRESS: Uuid = Uuid::from_u128(2);

    fn ok<T>(r: Result<T, DomainError>) -> T {
        r.unwrap_or_else(|e| panic!("{e}"))
    }

    fn s(x: f64) -> Score {
        ok(Score::new(x))
    }

    fn actor(role: Role, congress_id: Option<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::from_u128(99),
            role,
            congress_id,
            unit_id: None,
            deputy_id: None,
            station_id: None,
        }
    }

    fn staff() -> Actor {
        actor(Role::CongressStaff, Some(CONGRESS))
    }

    fn evaluation(points: u32, rating: u32, group: u32, full_mark: u32) -> DutyEvaluation {
        ok(DutyEvaluation::open(
            &staff(),
            Uuid::from_u128(7),
            CONGRESS,
            2026,
            ok(Weights::new(points, rating, group)),
            ok(FullMark::new(full_mark)),
            Thresholds::default(),
        ))
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, 20, 2, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn vocabularies_round_trip_through_their_names() {
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.as_str()), Ok(*g));
        }
        for st in EvaluationState::ALL {
            assert_eq!(EvaluationState::parse(st.as_str()), Ok(*st));
        }
        assert!(Grade::parse("GOOD").is_err());
    }

    #[test]
    fn scores_lie_between_0_and_100() {
        assert!(Score::new(-0.01).is_err());
        assert!(Score::new(100.01).is_err());
        assert!(Score::new(f64::NAN).is_err());
        assert_eq!(s(88.888).value(), 88.89);
    }

    #[test]
    fn weights_must_sum_to_100_percent() {
        assert!(Weights::new(60, 20, 20).is_ok());
        assert!(Weights::new(100, 0, 0).is_ok());
        assert!(matches!(Weights::new(60, 20, 10), Err(DomainError::Invalid { field: "weights", .. })));
        assert!(Weights::new(60, 30, 20).is_err());
        assert!(Weights::new(u32::MAX, 1, 100).is_err(), "no overflow into a false 100");
    }

    #[test]
    fn points_scale_to_100_by_the_full_mark() {
        let full = ok(FullMark::new(80));
        assert_eq!(full.scale(40), s(50.0));
        assert_eq!(full.scale(80), s(100.0));
        assert_eq!(full.scale(120), s(100.0), "above the full mark");
        assert_eq!(full.scale(-6), s(0.0), "net deductions");
        assert_eq!(ok(FullMark::new(3)).scale(1).value(), 33.33);
        assert!(FullMark::new(0).is_err());
    }

    #[test]
    fn voter_ratings_average_100_80_0() {
        let r = |satisfied, basically_satisfied, dissatisfied| {
            VoterRatings { satisfied, basically_satisfied, dissatisfied }.score()
        };
        assert_eq!(r(0, 0, 0), None);
        assert_eq!(r(10, 0, 0), Some(s(100.0)));
        assert_eq!(r(0, 10, 0), Some(s(80.0)));
        assert_eq!(r(0, 0, 10), Some(s(0.0)));
        assert_eq!(r(2, 1, 1), Some(s(70.0)));
        assert_eq!(r(1, 1, 1), Some(s(60.0)));
        assert_eq!(rating_value(Satisfaction::BasicallySatisfied), 80);
    }

    #[test]
    fn thresholds_descend_and_grade_at_their_bounds() {
        let t = Thresholds::default();
        assert_eq!(t.grade(s(100.0)), Grade::Excellent);
        assert_eq!(t.grade(s(90.0)), Grade::Excellent);
        assert_eq!(t.grade(s(89.99)), Grade::Qualified);
        assert_eq!(t.grade(s(80.0)), Grade::Qualified);
        assert_eq!(t.grade(s(79.99)), Grade::Unqualified);
        assert_eq!(t.grade(s(0.0)), Grade::Unqualified);
        let strict = ok(Thresholds::new(95.0, 85.0));
        assert_eq!(strict.grade(s(90.0)), Grade::Qualified);
        assert!(Thresholds::new(80.0, 90.0).is_err());
        assert!(Thresholds::new(90.0, 90.0).is_err());
        assert!(Thresholds::new(101.0, 80.0).is_err());
        assert!(Thresholds::new(90.0, 0.0).is_err());
        assert!(Thresholds::new(f64::NAN, 80.0).is_err());
    }

    #[test]
    fn the_combined_score_weighs_the_parts() {
        let e = evaluation(60, 20, 20, 100);
        let r = e.evaluate(90, s(90.0), s(90.0));
        assert_eq!(r.combined, s(90.0), "exactly at the threshold, no float noise");
        assert_eq!(r.grade, Grade::Excellent);
        let r = e.evaluate(50, s(100.0), s(100.0));
        assert_eq!((r.points, r.combined, r.grade), (s(50.0), s(70.0), Grade::Unqualified));
        let r = evaluation(50, 30, 20, 40).evaluate(30, s(70.0), s(95.0));
        // 50 × 75 + 30 × 70 + 20 × 95 = 7750 → 77.5
        assert_eq!((r.combined, r.grade), (s(77.5), Grade::Unqualified));
    }

    #[test]
    fn only_staff_of_the_congress_open_review_and_publish_in_order() {
        let mut e = evaluation(60, 20, 20, 100);
        assert!(matches!(e.publish(&staff()), Err(DomainError::Conflict(_))), "not reviewed yet");
        for outsider in [
            actor(Role::CongressStaff, Some(OTHER_CONGRESS)),
            actor(Role::Deputy, Some(CONGRESS)),
            actor(Role::UnitStaff, None),
            actor(Role::StationStaff, Some(CONGRESS)),
            actor(Role::Citizen, None),
        ] {
            assert!(matches!(e.review(&outsider), Err(DomainError::Forbidden(_))));
            assert!(matches!(
                DutyEvaluation::open(&outsider, e.id, CONGRESS, 2026, e.weights, e.full_mark, e.thresholds),
                Err(DomainError::Forbidden(_))
            ));
        }
        assert_eq!(e.state, EvaluationState::Open);
        assert_eq!(e.review(&staff()), Ok(()));
        assert!(matches!(e.review(&staff()), Err(DomainError::Conflict(_))));
        assert_eq!(e.reopen(&staff()), Ok(()));
        assert_eq!(e.review(&actor(Role::Admin, None)), Ok(()));
        assert_eq!(e.publish(&staff()), Ok(()));
        assert_eq!(e.state, EvaluationState::Published);
        assert!(matches!(e.publish(&staff()), Err(DomainError::Conflict(_))));
        assert!(matches!(e.reopen(&staff()), Err(DomainError::Conflict(_))), "published stays published");
        assert!(matches!(e.publish(&actor(Role::Deputy, Some(CONGRESS))), Err(DomainError::Forbidden(_))));
    }

    #[test]
    fn the_notice_lists_deductions_and_the_parts_that_lost_most() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        let rules = ok(RuleTable::new(vec![
            PointRule {
                id: Uuid::from_u128(1),
                kind: EntryKind::ActivityAbsentUnexcused,
                points: -2,
                yearly_cap: None,
                effective_from: day(1, 1),
            },
            PointRule {
                id: Uuid::from_u128(2),
                kind: EntryKind::SuggestionLed,
                points: 10,
                yearly_cap: None,
                effective_from: day(1, 1),
            },
            PointRule {
                id: Uuid::from_u128(3),
                kind: EntryKind::VerifiedOther,
                points: -5,
                yearly_cap: None,
                effective_from: day(1, 1),
            },
        ]));
        let entry =
            |n, kind, date| PointEntry { kind, date, source_id: Uuid::from_u128(n), note: String::new() };
        let ledger = score(
            &[
                entry(10, EntryKind::ActivityAbsentUnexcused, day(3, 1)),
                entry(11, EntryKind::SuggestionLed, day(4, 1)),
                entry(12, EntryKind::VerifiedOther, day(5, 1)),
            ],
            &rules,
            2026,
        );
        let e = evaluation(60, 20, 20, 10);
        let result = e.evaluate(ledger.total, s(80.0), s(100.0));
        let c = costs(&ledger, &e.weights, &result);
        assert_eq!(
            c.deductions.iter().map(|l| (l.entry.source_id, l.awarded)).collect::<Vec<_>>(),
            vec![(Uuid::from_u128(12), -5), (Uuid::from_u128(10), -2)]
        );
        // points 3/10 → 30: loses 60 × 0.7 = 42; rating 80: loses 4; group 100: nothing.
        assert_eq!(c.shortfalls, vec![(Component::Points, 42.0), (Component::VoterRating, 4.0)]);
    }

    #[test]
    fn only_an_unqualified_deputy_owes_a_rectification_report() {
        assert!(rectification_required(Grade::Unqualified));
        assert!(!rectification_required(Grade::Qualified));
        assert!(!rectification_required(Grade::Excellent));
        let due = now() + Duration::days(30);
        assert!(matches!(
            Rectification::require(Grade::Qualified, due, now()),
            Err(DomainError::Conflict(_))
        ));
        assert!(Rectification::require(Grade::Unqualified, now(), now()).is_err(), "deadline in the past");
        assert!(Rectification::require(Grade::Unqualified, due, now()).is_ok());
    }

    #[test]
    fn a_report_not_handed_in_by_the_deadline_is_overdue() {
        let due = now() + Duration::days(30);
        let mut r = ok(Rectification::require(Grade::Unqualified, due, now()));
        assert!(!r.is_overdue(due));
        assert!(r.is_overdue(due + Duration::seconds(1)));
        assert_eq!(r.submit(due + Duration::days(1)), Ok(()));
        assert!(!r.is_overdue(due + Duration::days(2)), "handed in, late");
        assert!(r.was_late());
        assert!(matches!(r.submit(due + Duration::days(3)), Err(DomainError::Conflict(_))));
        let mut on_time = ok(Rectification::require(Grade::Unqualified, due, now()));
        assert_eq!(on_time.submit(due), Ok(()));
        assert!(!on_time.was_late());
    }
}
