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
use chrono::{DateTime, Datelike, Utc};
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
    pub(crate) fn clamped(value: f64) -> Self {
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

    /// The points total worth 100.
    pub fn points(self) -> u32 {
        self.0
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

    /// The lower bound of EXCELLENT.
    pub fn excellent(&self) -> f64 {
        self.excellent
    }

    /// The lower bound of QUALIFIED.
    pub fn qualified(&self) -> f64 {
        self.qualified
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

/// The notification kinds of the evaluation.
pub const PUBLISHED_KIND: &str = "DUTY_EVALUATION_PUBLISHED";
pub const RECTIFICATION_REQUIRED_KIND: &str = "DUTY_RECTIFICATION_REQUIRED";
pub const RECTIFICATION_SUBMITTED_KIND: &str = "DUTY_RECTIFICATION_SUBMITTED";

/// A year that can be evaluated: from 2000 to the current (China Standard Time) year; the current year may
/// be evaluated before it ends, as congresses do in December.
pub fn check_year(year: i32, now: DateTime<Utc>) -> Result<(), DomainError> {
    let current = crate::time::cst_date(now).year();
    if !(2000..=current).contains(&year) {
        return Err(DomainError::invalid("year", format!("must be between 2000 and {current}")));
    }
    Ok(())
}

/// A rectification deadline must lie ahead when it is set, and within a year.
pub fn check_deadline(
    field: &'static str,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    if deadline <= now {
        return Err(DomainError::invalid(field, "must be in the future"));
    }
    if deadline > now + chrono::Duration::days(366) {
        return Err(DomainError::invalid(field, "must be within a year"));
    }
    Ok(())
}

/// What the review reads for one deputy.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewInput {
    pub deputy_id: Uuid,
    /// For the refusal that names who still lacks a group assessment.
    pub name: String,
    pub points_total: i64,
    /// The ratings of the deputy's reports to voters in the year; `None` when none was held or nobody rated.
    pub voter_ratings: Option<VoterRatings>,
    pub group_assessment: Option<Score>,
}

/// One deputy's reviewed result.
#[derive(Debug, Clone, PartialEq)]
pub struct Reviewed {
    pub deputy_id: Uuid,
    pub result: DeputyResult,
    /// Nobody rated a report to voters of the deputy's: that part scored 0 (and the notice says so).
    pub no_voter_rating: bool,
    /// By combined score within the congress, highest first: equal scores share a rank (1, 2, 2, 4).
    pub rank: u32,
}

impl DutyEvaluation {
    /// Staff assess a deputy for the group (代表小组评议) or change that assessment: only while OPEN.
    pub fn assess(&self, actor: &Actor) -> Result<(), DomainError> {
        ensure_staff(actor, self.congress_id)?;
        if self.state != EvaluationState::Open {
            return Err(DomainError::conflict(format!(
                "the evaluation is {}; reopen it to change assessments",
                self.state.as_str()
            )));
        }
        Ok(())
    }

    /// OPEN → REVIEWED with every deputy's result.
    ///
    /// What is missing decides as follows:
    /// - a deputy without a group assessment while the group's weight is above 0: the review is refused
    ///   (CONFLICT naming them), because the group's verdict is a judgement staff must make, not a default;
    ///   with a weight of 0 the part simply scores 0;
    /// - a deputy whose report to voters nobody rated (or who held none): that part scores 0 and the result
    ///   says so (`no_voter_rating`), since giving no report is itself a shortfall.
    pub fn review_results(
        &mut self,
        actor: &Actor,
        inputs: &[ReviewInput],
    ) -> Result<Vec<Reviewed>, DomainError> {
        ensure_staff(actor, self.congress_id)?;
        if self.state != EvaluationState::Open {
            return Err(DomainError::conflict(format!(
                "the evaluation is {}, not OPEN",
                self.state.as_str()
            )));
        }
        if self.weights.of(Component::GroupAssessment) > 0 {
            let missing: Vec<&str> =
                inputs.iter().filter(|i| i.group_assessment.is_none()).map(|i| i.name.as_str()).collect();
            if !missing.is_empty() {
                return Err(DomainError::conflict(format!(
                    "group assessments are missing for {} deputies: {}",
                    missing.len(),
                    missing.join(", ")
                )));
            }
        }
        let zero = Score(0.0);
        let mut reviewed: Vec<Reviewed> = inputs
            .iter()
            .map(|i| {
                let rating = i.voter_ratings.and_then(|r| r.score());
                Reviewed {
                    deputy_id: i.deputy_id,
                    result: self.evaluate(
                        i.points_total,
                        rating.unwrap_or(zero),
                        i.group_assessment.unwrap_or(zero),
                    ),
                    no_voter_rating: rating.is_none(),
                    rank: 0,
                }
            })
            .collect();
        // Scores have two decimals: ranking their hundredths ranks them exactly.
        let centi: Vec<(Uuid, i64)> =
            reviewed.iter().map(|r| (r.deputy_id, (r.result.combined.0 * 100.0).round() as i64)).collect();
        let ranks: std::collections::HashMap<Uuid, u32> =
            super::points::rank(&centi).into_iter().map(|(id, _, rank)| (id, rank)).collect();
        for r in &mut reviewed {
            r.rank = ranks.get(&r.deputy_id).copied().unwrap_or(0);
        }
        reviewed.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.deputy_id.cmp(&b.deputy_id)));
        self.state = EvaluationState::Reviewed;
        Ok(reviewed)
    }
}

impl DutyEvaluation {
    /// Who reads the evaluation itself (its settings and state): staff of the congress always, its
    /// deputies once it is published. Lists of results stay with staff ([`Self::ensure_staff`]).
    pub fn ensure_readable(&self, actor: &Actor) -> Result<(), DomainError> {
        if actor.is_staff_of(self.congress_id) {
            return Ok(());
        }
        if actor.role == crate::account::Role::Deputy && actor.congress_id == Some(self.congress_id) {
            return self.ensure_published();
        }
        Err(DomainError::forbidden("only staff of the congress and its deputies see its evaluations"))
    }

    /// Staff of the congress (or an admin): lists of results, rectifications, talks.
    pub fn ensure_staff(&self, actor: &Actor) -> Result<(), DomainError> {
        ensure_staff(actor, self.congress_id)
    }

    /// Who reads one deputy's result: staff of the congress once it is computed; the deputy, only their
    /// own and only once published.
    pub fn ensure_result_readable(&self, actor: &Actor, deputy_id: Uuid) -> Result<(), DomainError> {
        if actor.is_staff_of(self.congress_id) {
            return Ok(());
        }
        if actor.deputy_id != Some(deputy_id) {
            return Err(DomainError::forbidden("a deputy sees only their own evaluation result"));
        }
        self.ensure_published()
    }

    fn ensure_published(&self) -> Result<(), DomainError> {
        if self.state == EvaluationState::Published {
            Ok(())
        } else {
            Err(DomainError::forbidden("the evaluation results are not published yet"))
        }
    }
}

impl Rectification {
    /// The report as stored: `submitted_at` set once handed in.
    pub fn stored(deadline: DateTime<Utc>, submitted_at: Option<DateTime<Utc>>) -> Self {
        Self { deadline, submitted_at }
    }
}

/// A rectification report's text: 1–10,000 characters, and an optional http(s) attachment.
pub fn rectification_report(
    content: &str,
    attachment_url: Option<&str>,
) -> Result<(String, Option<String>), DomainError> {
    let content = crate::text::bounded("content", content, 1, 10_000)?;
    let attachment = match attachment_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => Some(crate::text::web_url("attachmentUrl", url)?),
        None => None,
    };
    Ok((content, attachment))
}

/// Only the deputy who owes the report hands it in.
pub fn ensure_own(actor: &Actor, deputy_id: Uuid) -> Result<(), DomainError> {
    if actor.deputy_id == Some(deputy_id) {
        Ok(())
    } else {
        Err(DomainError::forbidden("only the deputy concerned hands in their rectification report"))
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
        r.unwrap()
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

    fn input(
        n: u128,
        name: &str,
        points: i64,
        ratings: Option<VoterRatings>,
        group: Option<f64>,
    ) -> ReviewInput {
        ReviewInput {
            deputy_id: Uuid::from_u128(n),
            name: name.to_owned(),
            points_total: points,
            voter_ratings: ratings,
            group_assessment: group.map(s),
        }
    }

    fn rated(satisfied: u32, basically_satisfied: u32, dissatisfied: u32) -> Option<VoterRatings> {
        Some(VoterRatings { satisfied, basically_satisfied, dissatisfied })
    }

    #[test]
    fn years_run_from_2000_to_the_current_one_in_china_standard_time() {
        assert!(check_year(2026, now()).is_ok());
        assert!(check_year(2027, now()).is_ok(), "now() is 20 January 2027");
        assert!(matches!(check_year(2028, now()), Err(DomainError::Invalid { field: "year", .. })));
        assert!(check_year(1999, now()).is_err());
        // 31 December 2026 16:30 UTC is already 2027 in Beijing.
        let new_year_eve = Utc.with_ymd_and_hms(2026, 12, 31, 16, 30, 0).single().unwrap_or_default();
        assert!(check_year(2027, new_year_eve).is_ok());
    }

    #[test]
    fn a_deadline_lies_ahead_within_a_year() {
        assert!(check_deadline("d", now() + Duration::days(30), now()).is_ok());
        assert!(matches!(check_deadline("d", now(), now()), Err(DomainError::Invalid { field: "d", .. })));
        assert!(check_deadline("d", now() + Duration::days(400), now()).is_err());
    }

    #[test]
    fn assessments_change_only_while_open_and_only_by_staff() {
        let mut e = evaluation(60, 20, 20, 100);
        assert_eq!(e.assess(&staff()), Ok(()));
        assert!(matches!(e.assess(&actor(Role::Deputy, Some(CONGRESS))), Err(DomainError::Forbidden(_))));
        assert_eq!(e.review(&staff()), Ok(()));
        assert!(matches!(e.assess(&staff()), Err(DomainError::Conflict(_))));
    }

    #[test]
    fn the_review_refuses_while_a_group_assessment_that_counts_is_missing() {
        let mut e = evaluation(60, 20, 20, 100);
        let inputs = [
            input(1, "张明", 90, rated(1, 0, 0), Some(90.0)),
            input(2, "李华", 50, rated(1, 0, 0), None),
            input(3, "王芳", 50, rated(1, 0, 0), None),
        ];
        match e.review_results(&staff(), &inputs) {
            Err(DomainError::Conflict(m)) => assert!(m.contains("李华, 王芳"), "{m}"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(e.state, EvaluationState::Open, "nothing moved");
        // With the group's weight at 0 the part scores 0 and nothing is missing.
        let mut e = evaluation(80, 20, 0, 100);
        let reviewed = ok(e.review_results(&staff(), &inputs));
        assert_eq!(reviewed.len(), 3);
        assert!(
            reviewed.iter().all(|r| r.result.group_assessment == s(0.0) || r.deputy_id == Uuid::from_u128(1))
        );
        assert_eq!(e.state, EvaluationState::Reviewed);
    }

    #[test]
    fn no_report_to_voters_scores_0_for_that_part_and_says_so() {
        let mut e = evaluation(60, 20, 20, 100);
        let reviewed = ok(e.review_results(
            &staff(),
            &[input(1, "张明", 100, None, Some(100.0)), input(2, "李华", 100, rated(0, 0, 0), Some(100.0))],
        ));
        for r in &reviewed {
            assert!(r.no_voter_rating);
            assert_eq!(r.result.voter_rating, s(0.0));
            assert_eq!((r.result.combined, r.result.grade), (s(80.0), Grade::Qualified));
        }
    }

    #[test]
    fn the_review_ranks_by_combined_score_with_shared_ranks() {
        let mut e = evaluation(60, 20, 20, 100);
        let reviewed = ok(e.review_results(
            &staff(),
            &[
                input(4, "赵强", 40, rated(0, 0, 1), Some(60.0)),
                input(1, "张明", 90, rated(1, 0, 0), Some(95.0)),
                input(3, "王芳", 80, rated(0, 1, 0), Some(80.0)),
                input(2, "李华", 80, rated(0, 1, 0), Some(80.0)),
            ],
        ));
        let order: Vec<(u128, u32, f64, Grade)> = reviewed
            .iter()
            .map(|r| (r.deputy_id.as_u128(), r.rank, r.result.combined.value(), r.result.grade))
            .collect();
        assert_eq!(
            order,
            vec![
                (1, 1, 93.0, Grade::Excellent),
                (2, 2, 80.0, Grade::Qualified),
                (3, 2, 80.0, Grade::Qualified),
                (4, 4, 36.0, Grade::Unqualified),
            ]
        );
        assert!(matches!(e.review_results(&staff(), &[]), Err(DomainError::Conflict(_))), "already reviewed");
        let mut other = evaluation(60, 20, 20, 100);
        assert!(matches!(
            other.review_results(&actor(Role::UnitStaff, None), &[]),
            Err(DomainError::Forbidden(_))
        ));
    }

    #[test]
    fn staff_read_results_and_a_deputy_only_their_own_once_published() {
        let zhang = Uuid::from_u128(41);
        let deputy = Actor { deputy_id: Some(zhang), ..actor(Role::Deputy, Some(CONGRESS)) };
        let other_deputy =
            Actor { deputy_id: Some(Uuid::from_u128(42)), ..actor(Role::Deputy, Some(CONGRESS)) };
        let mut e = evaluation(60, 20, 20, 100);
        assert_eq!(e.ensure_result_readable(&staff(), zhang), Ok(()));
        assert!(matches!(e.ensure_result_readable(&deputy, zhang), Err(DomainError::Forbidden(_))));
        assert!(matches!(e.ensure_readable(&deputy), Err(DomainError::Forbidden(_))), "before publishing");
        assert_eq!(e.review(&staff()), Ok(()));
        assert_eq!(e.publish(&staff()), Ok(()));
        assert_eq!(e.ensure_result_readable(&deputy, zhang), Ok(()));
        assert_eq!(e.ensure_readable(&deputy), Ok(()));
        assert!(matches!(e.ensure_result_readable(&other_deputy, zhang), Err(DomainError::Forbidden(_))));
        for outsider in [
            actor(Role::UnitStaff, None),
            actor(Role::Citizen, None),
            actor(Role::CongressStaff, Some(OTHER_CONGRESS)),
            Actor { deputy_id: Some(zhang), ..actor(Role::Deputy, Some(OTHER_CONGRESS)) },
        ] {
            assert!(matches!(e.ensure_readable(&outsider), Err(DomainError::Forbidden(_))));
            assert!(matches!(e.ensure_staff(&outsider), Err(DomainError::Forbidden(_))));
        }
        assert!(matches!(e.ensure_staff(&deputy), Err(DomainError::Forbidden(_))));
    }

    #[test]
    fn a_rectification_report_needs_content_and_a_web_attachment() {
        assert_eq!(
            rectification_report("  整改措施如下  ", Some("https://files.example.cn/a.pdf")),
            Ok(("整改措施如下".to_owned(), Some("https://files.example.cn/a.pdf".to_owned())))
        );
        assert_eq!(rectification_report("整改", Some("  ")), Ok(("整改".to_owned(), None)));
        assert!(matches!(
            rectification_report(" ", None),
            Err(DomainError::Invalid { field: "content", .. })
        ));
        assert!(matches!(
            rectification_report("整改", Some("ftp://x")),
            Err(DomainError::Invalid { field: "attachmentUrl", .. })
        ));
        let zhang = Uuid::from_u128(41);
        assert_eq!(ensure_own(&Actor { deputy_id: Some(zhang), ..actor(Role::Deputy, None) }, zhang), Ok(()));
        assert!(ensure_own(&staff(), zhang).is_err());
    }
}
