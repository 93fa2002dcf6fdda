//! The evaluation scheme (考评细则, e.g. Xuzhou's 五大项二十六小项): a tree of categories and items that
//! staff define for one year's evaluation, and the pure scoring of one deputy by it.
//!
//! An item takes its figure from one source:
//! - `KINDS`: the deputy's archive entries of the year whose kind is in the item's set, each worth the item's
//!   `points` (negative points are a deduction, 扣分项);
//! - `MANUAL`: a score staff give each deputy by hand, from 0 to the item's cap;
//! - `POINTS`: the points ledger total (from the rule table), scaled to the cap by the evaluation's full mark;
//! - `VOTER_RATING` / `GROUP_ASSESSMENT`: the voters' rating / the group's assessment (0–100), scaled to
//!   the cap.
//!
//! So the weighted evaluation (points 60 %, voters 20 %, group 20 %) is the tree of one category with a
//! POINTS item capped at 60, a VOTER_RATING item at 20 and a GROUP_ASSESSMENT item at 20.
//!
//! Scoring:
//! - an item scores `count × points`, held within `[-cap, cap]` (a deduction never costs more than its
//!   cap); computed and manual items score between 0 and their cap;
//! - a category scores the sum of its items, held within `[0, category cap]` (no cap: the sum of the item
//!   caps): a deduction takes from its own category only, never from the others;
//! - the total is the sum of the categories; the tree's maximum is the sum of what each category can reach
//!   (`min(cap, Σ item caps)`);
//! - the score that is graded and ranked is the total scaled to 0–100 by that maximum (`total × 100 /
//!   maximum`), so the evaluation's thresholds (EXCELLENT ≥ 90, QUALIFIED ≥ 80) mean the same with any
//!   tree; a tree whose maximum is 100, as Xuzhou's is, grades its total as it stands.
//!
//! An entry counts in at most one item: a kind may appear in one item only. An entry of a finer activity
//! kind (e.g. INSPECTION_ATTENDED) counts in the item of its coarser kind (ACTIVITY_ATTENDED, see
//! [`EntryKind::general`]) when no item names the finer kind, as the points rules do.

use super::evaluation::{DutyEvaluation, EvaluationState, FullMark, Grade, Score};
use super::points::{EntryKind, PointEntry};
use crate::DomainError;
use crate::account::Actor;
use chrono::Datelike;
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

vocabulary!(
    /// Where an item of an evaluation scheme takes its figure from.
    ItemSource {
        /// Counted from the deputy's archive entries of the item's kinds.
        Kinds = "KINDS",
        /// Scored by staff, deputy by deputy.
        Manual = "MANUAL",
        /// The points ledger total, scaled to the cap by the evaluation's full mark.
        Points = "POINTS",
        /// The voters' rating of the deputy's reports to voters, scaled to the cap.
        VoterRating = "VOTER_RATING",
        /// The deputy group's assessment, scaled to the cap.
        GroupAssessment = "GROUP_ASSESSMENT",
    }
);

/// At most this many categories in a scheme.
pub const MAX_CATEGORIES: usize = 20;
/// At most this many items in a scheme, over all categories.
pub const MAX_ITEMS: usize = 100;
/// Caps and points per entry lie within ±this.
pub const MAX_MARK: f64 = 1000.0;
/// Names have 1–this many characters.
pub const MAX_NAME: usize = 50;

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A cap: 0–1000 points, two decimals.
fn cap(field: &'static str, value: f64) -> Result<f64, DomainError> {
    if !value.is_finite() || !(0.0..=MAX_MARK).contains(&value) {
        return Err(DomainError::invalid(field, format!("must be between 0 and {MAX_MARK}")));
    }
    Ok(round2(value))
}

/// An item as staff enter it.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemDraft {
    pub name: String,
    /// Per counted entry (KINDS only; negative for a deduction); ignored for the other sources.
    pub points: f64,
    pub cap: f64,
    pub source: ItemSource,
    /// The kinds counted (KINDS only, at least one).
    pub kinds: Vec<EntryKind>,
}

/// A category as staff enter it.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryDraft {
    pub name: String,
    /// No cap: the category can reach the sum of its items' caps.
    pub cap: Option<f64>,
    pub items: Vec<ItemDraft>,
}

/// One item of a valid scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeItem {
    pub id: Uuid,
    pub name: String,
    /// Per counted entry for KINDS (never 0; negative for a deduction); 0 for the other sources.
    pub points: f64,
    pub cap: f64,
    pub source: ItemSource,
    /// Sorted, without repeats; empty unless the source is KINDS.
    pub kinds: Vec<EntryKind>,
}

/// One category of a valid scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeCategory {
    pub id: Uuid,
    pub name: String,
    pub cap: Option<f64>,
    pub items: Vec<SchemeItem>,
}

impl SchemeCategory {
    /// The most the category can score: its cap, or the sum of its items' caps when that is lower.
    pub fn max(&self) -> f64 {
        let items: f64 = self.items.iter().map(|i| i.cap).sum();
        round2(self.cap.map_or(items, |c| c.min(items)))
    }
}

/// A valid evaluation scheme: 1–20 categories with 1–100 items in all, each category with at least one item;
/// names 1–50 characters, unique among the categories and within a category; caps 0–1000; a KINDS item
/// counts at least one kind, with non-zero points, and no kind is counted by two items; the tree's maximum is
/// above 0.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheme {
    categories: Vec<SchemeCategory>,
}

impl Scheme {
    /// Checks drafts; `id` gives each new category and item its id, in order.
    pub fn new(drafts: Vec<CategoryDraft>, mut id: impl FnMut() -> Uuid) -> Result<Self, DomainError> {
        if drafts.is_empty() || drafts.len() > MAX_CATEGORIES {
            return Err(DomainError::invalid(
                "categories",
                format!("must have 1–{MAX_CATEGORIES} categories"),
            ));
        }
        let items: usize = drafts.iter().map(|c| c.items.len()).sum();
        if items > MAX_ITEMS {
            return Err(DomainError::invalid("items", format!("must have at most {MAX_ITEMS} items in all")));
        }
        let mut category_names = BTreeSet::new();
        let mut counted: HashMap<EntryKind, String> = HashMap::new();
        let mut categories = Vec::with_capacity(drafts.len());
        for draft in drafts {
            let name = crate::text::bounded("categories.name", &draft.name, 1, MAX_NAME)?;
            if !category_names.insert(name.clone()) {
                return Err(DomainError::invalid("categories.name", format!("{name} appears twice")));
            }
            if draft.items.is_empty() {
                return Err(DomainError::invalid("items", format!("category {name} has no item")));
            }
            let category_cap = draft.cap.map(|c| cap("categories.cap", c)).transpose()?;
            let mut item_names = BTreeSet::new();
            let mut items = Vec::with_capacity(draft.items.len());
            for item in draft.items {
                let item_name = crate::text::bounded("items.name", &item.name, 1, MAX_NAME)?;
                if !item_names.insert(item_name.clone()) {
                    return Err(DomainError::invalid(
                        "items.name",
                        format!("{item_name} appears twice in {name}"),
                    ));
                }
                let item_cap = cap("items.cap", item.cap)?;
                let (points, kinds) = if item.source == ItemSource::Kinds {
                    if !item.points.is_finite() || item.points.abs() > MAX_MARK || round2(item.points) == 0.0
                    {
                        return Err(DomainError::invalid(
                            "items.points",
                            format!("of {item_name} must be non-zero, between -{MAX_MARK} and {MAX_MARK}"),
                        ));
                    }
                    let kinds: BTreeSet<EntryKind> = item.kinds.into_iter().collect();
                    if kinds.is_empty() {
                        return Err(DomainError::invalid(
                            "items.kinds",
                            format!("{item_name} counts entries and needs at least one kind"),
                        ));
                    }
                    for kind in &kinds {
                        if let Some(other) = counted.insert(*kind, item_name.clone()) {
                            return Err(DomainError::invalid(
                                "items.kinds",
                                format!("{} is counted by both {other} and {item_name}", kind.as_str()),
                            ));
                        }
                    }
                    (round2(item.points), kinds.into_iter().collect())
                } else {
                    if !item.kinds.is_empty() {
                        return Err(DomainError::invalid(
                            "items.kinds",
                            format!("{item_name} is not counted from entries and takes no kinds"),
                        ));
                    }
                    (0.0, Vec::new())
                };
                items.push(SchemeItem {
                    id: id(),
                    name: item_name,
                    points,
                    cap: item_cap,
                    source: item.source,
                    kinds,
                });
            }
            categories.push(SchemeCategory { id: id(), name, cap: category_cap, items });
        }
        let scheme = Self { categories };
        if scheme.max() <= 0.0 {
            return Err(DomainError::invalid("categories", "the scheme's maximum must be above 0"));
        }
        Ok(scheme)
    }

    /// A scheme as stored, checked again (a stored scheme that no longer checks is a defect).
    pub fn stored(categories: Vec<SchemeCategory>) -> Result<Self, DomainError> {
        let mut ids = Vec::new();
        let drafts = categories
            .iter()
            .map(|c| {
                let items = c
                    .items
                    .iter()
                    .map(|i| {
                        ids.push(i.id);
                        ItemDraft {
                            name: i.name.clone(),
                            points: i.points,
                            cap: i.cap,
                            source: i.source,
                            kinds: i.kinds.clone(),
                        }
                    })
                    .collect();
                ids.push(c.id);
                CategoryDraft { name: c.name.clone(), cap: c.cap, items }
            })
            .collect();
        let mut next = ids.into_iter();
        Self::new(drafts, || next.next().unwrap_or_default())
    }

    pub fn categories(&self) -> &[SchemeCategory] {
        &self.categories
    }

    /// The most a deputy can score: the sum of what each category can reach.
    pub fn max(&self) -> f64 {
        round2(self.categories.iter().map(SchemeCategory::max).sum())
    }

    fn items(&self) -> impl Iterator<Item = &SchemeItem> {
        self.categories.iter().flat_map(|c| c.items.iter())
    }

    /// Whether an item takes the group's assessment (then every deputy needs one before review).
    pub fn uses(&self, source: ItemSource) -> bool {
        self.items().any(|i| i.source == source)
    }

    /// The manual items.
    pub fn manual_items(&self) -> impl Iterator<Item = &SchemeItem> {
        self.items().filter(|i| i.source == ItemSource::Manual)
    }

    /// A score staff give on a manual item: the item must be in the scheme and MANUAL, the score between 0
    /// and its cap.
    pub fn check_manual(&self, item_id: Uuid, score: f64) -> Result<f64, DomainError> {
        let item = self
            .items()
            .find(|i| i.id == item_id)
            .ok_or_else(|| DomainError::invalid("itemId", "is not an item of the evaluation's scheme"))?;
        if item.source != ItemSource::Manual {
            return Err(DomainError::invalid(
                "itemId",
                format!("{} is {}, not scored by hand", item.name, item.source.as_str()),
            ));
        }
        if !score.is_finite() || !(0.0..=item.cap).contains(&score) {
            return Err(DomainError::invalid(
                "score",
                format!("must be between 0 and the cap of {}, {}", item.name, item.cap),
            ));
        }
        Ok(round2(score))
    }

    /// The item counting entries of `kind`: the one naming it, else the one naming its coarser kind.
    fn item_counting(&self, kind: EntryKind) -> Option<Uuid> {
        let naming = |k: EntryKind| self.items().find(|i| i.kinds.contains(&k)).map(|i| i.id);
        naming(kind).or_else(|| kind.general().and_then(naming))
    }

    /// Scores one deputy.
    pub fn score(&self, facts: &DeputyFacts<'_>) -> SchemeScore {
        let mut counts: HashMap<Uuid, i64> = HashMap::new();
        for entry in facts.entries.iter().filter(|e| e.date.year() == facts.year) {
            if let Some(item) = self.item_counting(entry.kind) {
                *counts.entry(item).or_insert(0) += 1;
            }
        }
        let scaled = |value: f64, cap: f64| round2(value.clamp(0.0, 100.0) * cap / 100.0);
        let categories: Vec<CategoryScore> = self
            .categories
            .iter()
            .map(|category| {
                let items: Vec<ItemScore> = category
                    .items
                    .iter()
                    .map(|item| match item.source {
                        ItemSource::Kinds => {
                            let count = counts.get(&item.id).copied().unwrap_or(0);
                            // count ≤ entries of a year; exact in f64.
                            let raw = count as f64 * item.points;
                            ItemScore { count, score: round2(raw.clamp(-item.cap, item.cap)) }
                        }
                        ItemSource::Manual => match facts.manual.get(&item.id) {
                            Some(s) => ItemScore { count: 1, score: round2(s.clamp(0.0, item.cap)) },
                            None => ItemScore { count: 0, score: 0.0 },
                        },
                        ItemSource::Points => ItemScore {
                            count: facts.points_total,
                            score: scaled(facts.full_mark.scale(facts.points_total).value(), item.cap),
                        },
                        ItemSource::VoterRating => ItemScore {
                            count: i64::from(facts.voter_count),
                            score: facts.voter_rating.map_or(0.0, |r| scaled(r.value(), item.cap)),
                        },
                        ItemSource::GroupAssessment => ItemScore {
                            count: i64::from(facts.group_assessment.is_some()),
                            score: facts.group_assessment.map_or(0.0, |a| scaled(a.value(), item.cap)),
                        },
                    })
                    .collect();
                let sum: f64 = items.iter().map(|i| i.score).sum();
                CategoryScore { score: round2(sum.clamp(0.0, category.max())), items }
            })
            .collect();
        let total = round2(categories.iter().map(|c| c.score).sum());
        let max = self.max();
        // `max` is above 0 in a valid scheme.
        let score = Score::clamped(if max > 0.0 { total * 100.0 / max } else { 0.0 });
        SchemeScore { categories, total, score }
    }
}

/// What the review reads for one deputy of an evaluation with a scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeReviewInput<'a> {
    pub deputy_id: Uuid,
    /// For the refusal that names who still lacks a score.
    pub name: String,
    pub facts: DeputyFacts<'a>,
}

/// One deputy's result by the scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeReviewed {
    pub deputy_id: Uuid,
    pub score: SchemeScore,
    pub grade: Grade,
    /// By score within the congress, highest first: equal scores share a rank (1, 2, 2, 4).
    pub rank: u32,
}

impl DutyEvaluation {
    /// Staff set or replace the scheme, or score a manual item: only while OPEN.
    pub fn change_scheme(&self, actor: &Actor) -> Result<(), DomainError> {
        self.ensure_staff(actor)?;
        if self.state != EvaluationState::Open {
            return Err(DomainError::conflict(format!(
                "the evaluation is {}; reopen it to change its scheme or scores",
                self.state.as_str()
            )));
        }
        Ok(())
    }

    /// OPEN → REVIEWED by the scheme, with every deputy's result.
    ///
    /// As with the weighted review, a judgement staff must make is never defaulted: while a deputy lacks
    /// the group's assessment (and an item takes it) or a score on a manual item, the review is refused
    /// (CONFLICT naming them). Nobody rating a report to voters scores 0 on a VOTER_RATING item.
    pub fn review_by_scheme(
        &mut self,
        actor: &Actor,
        scheme: &Scheme,
        inputs: &[SchemeReviewInput<'_>],
    ) -> Result<Vec<SchemeReviewed>, DomainError> {
        self.ensure_staff(actor)?;
        if self.state != EvaluationState::Open {
            return Err(DomainError::conflict(format!(
                "the evaluation is {}, not OPEN",
                self.state.as_str()
            )));
        }
        let missing = |what: &str, lacks: &dyn Fn(&SchemeReviewInput<'_>) -> bool| {
            let names: Vec<&str> = inputs.iter().filter(|i| lacks(i)).map(|i| i.name.as_str()).collect();
            if names.is_empty() {
                Ok(())
            } else {
                Err(DomainError::conflict(format!(
                    "{what} are missing for {} deputies: {}",
                    names.len(),
                    names.join(", ")
                )))
            }
        };
        if scheme.uses(ItemSource::GroupAssessment) {
            missing("group assessments", &|i| i.facts.group_assessment.is_none())?;
        }
        let manual: Vec<Uuid> = scheme.manual_items().map(|i| i.id).collect();
        missing("manual item scores", &|i| manual.iter().any(|m| !i.facts.manual.contains_key(m)))?;
        let scored: Vec<(Uuid, SchemeScore)> =
            inputs.iter().map(|i| (i.deputy_id, scheme.score(&i.facts))).collect();
        // Scores have two decimals: ranking their hundredths ranks them exactly.
        let centi: Vec<(Uuid, i64)> =
            scored.iter().map(|(id, s)| (*id, (s.score.value() * 100.0).round() as i64)).collect();
        let ranks: HashMap<Uuid, u32> =
            super::points::rank(&centi).into_iter().map(|(id, _, rank)| (id, rank)).collect();
        let mut reviewed: Vec<SchemeReviewed> = scored
            .into_iter()
            .map(|(deputy_id, score)| SchemeReviewed {
                deputy_id,
                grade: self.thresholds.grade(score.score),
                rank: ranks.get(&deputy_id).copied().unwrap_or(0),
                score,
            })
            .collect();
        reviewed.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.deputy_id.cmp(&b.deputy_id)));
        self.state = EvaluationState::Reviewed;
        Ok(reviewed)
    }
}

/// What the scoring reads about one deputy.
#[derive(Debug, Clone, PartialEq)]
pub struct DeputyFacts<'a> {
    pub year: i32,
    /// The deputy's archive entries (those of other years are left out).
    pub entries: &'a [PointEntry],
    /// The points ledger total of the year.
    pub points_total: i64,
    pub full_mark: FullMark,
    /// The voters' rating, `None` when nobody rated.
    pub voter_rating: Option<Score>,
    /// How many voters rated.
    pub voter_count: u32,
    pub group_assessment: Option<Score>,
    /// The manual scores, by item.
    pub manual: HashMap<Uuid, f64>,
}

/// One item's figure for a deputy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemScore {
    /// What was counted: entries for KINDS, voters for VOTER_RATING, the ledger total for POINTS, 1 when
    /// scored (0 when not) for MANUAL and GROUP_ASSESSMENT.
    pub count: i64,
    /// Two decimals, within `[-cap, cap]`.
    pub score: f64,
}

/// One category's figure for a deputy, with its items in the scheme's order.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryScore {
    pub score: f64,
    pub items: Vec<ItemScore>,
}

/// A deputy's figures by the scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeScore {
    /// In the scheme's order.
    pub categories: Vec<CategoryScore>,
    /// The sum of the categories.
    pub total: f64,
    /// The total scaled to 0–100 by the scheme's maximum: what is graded and ranked.
    pub score: Score,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Role;
    use crate::duty::evaluation::{Thresholds, Weights};
    use chrono::NaiveDate;

    fn ok<T>(r: Result<T, DomainError>) -> T {
        r.unwrap()
    }

    fn ids() -> impl FnMut() -> Uuid {
        let mut n = 0u128;
        move || {
            n += 1;
            Uuid::from_u128(n)
        }
    }

    fn kinds(name: &str, points: f64, cap: f64, kinds: &[EntryKind]) -> ItemDraft {
        ItemDraft { name: name.into(), points, cap, source: ItemSource::Kinds, kinds: kinds.to_vec() }
    }

    fn computed(name: &str, cap: f64, source: ItemSource) -> ItemDraft {
        ItemDraft { name: name.into(), points: 0.0, cap, source, kinds: Vec::new() }
    }

    fn category(name: &str, cap: Option<f64>, items: Vec<ItemDraft>) -> CategoryDraft {
        CategoryDraft { name: name.into(), cap, items }
    }

    fn entry(n: u128, kind: EntryKind, year: i32) -> PointEntry {
        PointEntry {
            kind,
            date: NaiveDate::from_ymd_opt(year, 3, 1).unwrap_or_default(),
            source_id: Uuid::from_u128(1000 + n),
            note: String::new(),
        }
    }

    fn actor(role: Role, congress: u128) -> Actor {
        Actor {
            user_id: Uuid::from_u128(99),
            role,
            congress_id: Some(Uuid::from_u128(congress)),
            unit_id: None,
            deputy_id: None,
            station_id: None,
        }
    }

    fn evaluation(weights: Weights, full_mark: FullMark) -> DutyEvaluation {
        ok(DutyEvaluation::open(
            &actor(Role::CongressStaff, 1),
            Uuid::from_u128(7),
            Uuid::from_u128(1),
            2026,
            weights,
            full_mark,
            Thresholds::default(),
        ))
    }

    fn facts(entries: &[PointEntry]) -> DeputyFacts<'_> {
        DeputyFacts {
            year: 2026,
            entries,
            points_total: 0,
            full_mark: ok(FullMark::new(100)),
            voter_rating: None,
            voter_count: 0,
            group_assessment: None,
            manual: HashMap::new(),
        }
    }

    /// 闭会期间履职 (cap 30): inspections 2 each up to 6, research 3 each up to 6, absences −2 each up to 4;
    /// 联系群众 (no cap): receptions 1 each up to 5, a manual item up to 5; 大会期间履职 (cap 10): suggestions
    /// 5 each up to 20.
    fn xuzhou_like() -> Scheme {
        ok(Scheme::new(
            vec![
                category(
                    "闭会期间履职",
                    Some(30.0),
                    vec![
                        kinds("参加视察", 2.0, 6.0, &[EntryKind::InspectionAttended]),
                        kinds("参加调研", 3.0, 6.0, &[EntryKind::ResearchAttended]),
                        kinds("无故缺席", -2.0, 4.0, &[EntryKind::ActivityAbsentUnexcused]),
                    ],
                ),
                category(
                    "联系群众",
                    None,
                    vec![
                        kinds("接待选民", 1.0, 5.0, &[EntryKind::ReceptionServed, EntryKind::VotersReceived]),
                        computed("走访评价", 5.0, ItemSource::Manual),
                    ],
                ),
                category(
                    "大会期间履职",
                    Some(10.0),
                    vec![kinds("提出建议", 5.0, 20.0, &[EntryKind::SuggestionLed])],
                ),
            ],
            ids(),
        ))
    }

    #[test]
    fn the_maximum_is_what_each_category_can_reach() {
        let s = xuzhou_like();
        // 闭会: min(30, 16) = 16; 联系群众: 10; 大会: min(10, 20) = 10.
        assert_eq!(s.max(), 36.0);
        assert_eq!(s.categories()[0].max(), 16.0);
        assert!(s.uses(ItemSource::Manual));
        assert!(!s.uses(ItemSource::GroupAssessment));
        assert_eq!(s.manual_items().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["走访评价"]);
    }

    #[test]
    fn items_count_entries_of_the_year_up_to_their_cap_and_categories_up_to_theirs() {
        let s = xuzhou_like();
        let mut entries = vec![
            entry(1, EntryKind::InspectionAttended, 2026),
            entry(2, EntryKind::InspectionAttended, 2026),
            entry(3, EntryKind::InspectionAttended, 2026),
            entry(4, EntryKind::InspectionAttended, 2026),
            entry(5, EntryKind::InspectionAttended, 2025),
            entry(6, EntryKind::ResearchAttended, 2026),
            entry(7, EntryKind::ReceptionServed, 2026),
            entry(8, EntryKind::VotersReceived, 2026),
            entry(9, EntryKind::OpinionClosed, 2026),
        ];
        entries.extend((10..13).map(|n| entry(n, EntryKind::SuggestionLed, 2026)));
        let mut f = facts(&entries);
        let manual = s.manual_items().map(|i| i.id).collect::<Vec<_>>();
        f.manual.insert(manual[0], 4.5);
        let r = s.score(&f);
        let got: Vec<Vec<(i64, f64)>> =
            r.categories.iter().map(|c| c.items.iter().map(|i| (i.count, i.score)).collect()).collect();
        assert_eq!(
            got,
            vec![
                // 4 inspections × 2 = 8, capped at 6; last year's is not counted.
                vec![(4, 6.0), (1, 3.0), (0, 0.0)],
                vec![(2, 2.0), (1, 4.5)],
                // 3 suggestions × 5 = 15 within the item's 20.
                vec![(3, 15.0)],
            ]
        );
        // …but the category is capped at 10.
        assert_eq!(r.categories.iter().map(|c| c.score).collect::<Vec<_>>(), vec![9.0, 6.5, 10.0]);
        assert_eq!(r.total, 25.5);
        // 25.5 of 36 → 70.83.
        assert_eq!(r.score.value(), 70.83);
    }

    #[test]
    fn deductions_are_capped_and_take_only_from_their_own_category() {
        let s = xuzhou_like();
        let entries: Vec<PointEntry> =
            (0..5).map(|n| entry(n, EntryKind::ActivityAbsentUnexcused, 2026)).collect();
        let mut with_research = entries.clone();
        with_research.push(entry(9, EntryKind::ResearchAttended, 2026));
        let r = s.score(&facts(&entries));
        assert_eq!(r.categories[0].items[2], ItemScore { count: 5, score: -4.0 }, "−10 capped at −4");
        assert_eq!(r.categories[0].score, 0.0, "a category never goes below 0");
        assert_eq!(r.total, 0.0);
        let r = s.score(&facts(&with_research));
        assert_eq!(r.categories[0].score, 0.0, "3 − 4 held at 0");
        assert_eq!(r.categories[1].score, 0.0);
    }

    #[test]
    fn a_finer_activity_kind_counts_in_the_item_of_its_coarser_kind_unless_named() {
        let s = ok(Scheme::new(
            vec![category(
                "闭会期间履职",
                None,
                vec![
                    kinds("参加活动", 1.0, 10.0, &[EntryKind::ActivityAttended]),
                    kinds("参加视察", 2.0, 10.0, &[EntryKind::InspectionAttended]),
                ],
            )],
            ids(),
        ));
        let entries = [
            entry(1, EntryKind::ResearchAttended, 2026),
            entry(2, EntryKind::ActivityAttended, 2026),
            entry(3, EntryKind::InspectionAttended, 2026),
        ];
        let r = s.score(&facts(&entries));
        assert_eq!(
            r.categories[0].items,
            vec![ItemScore { count: 2, score: 2.0 }, ItemScore { count: 1, score: 2.0 }]
        );
    }

    #[test]
    fn the_weighted_evaluation_is_a_tree_of_three_computed_items() {
        let s = ok(Scheme::new(
            vec![category(
                "综合评价",
                None,
                vec![
                    computed("履职积分", 50.0, ItemSource::Points),
                    computed("述职测评", 30.0, ItemSource::VoterRating),
                    computed("代表小组评议", 20.0, ItemSource::GroupAssessment),
                ],
            )],
            ids(),
        ));
        let full_mark = ok(FullMark::new(40));
        let weighted = evaluation(ok(Weights::new(50, 30, 20)), full_mark);
        for (points, rating, group) in
            [(30, 70.0, 95.0), (40, 100.0, 100.0), (-5, 0.0, 50.0), (13, 80.0, 33.3)]
        {
            let mut f = facts(&[]);
            f.points_total = points;
            f.full_mark = full_mark;
            f.voter_rating = Some(ok(Score::new(rating)));
            f.voter_count = 3;
            f.group_assessment = Some(ok(Score::new(group)));
            let by_tree = s.score(&f);
            let by_weights = weighted.evaluate(points, ok(Score::new(rating)), ok(Score::new(group)));
            assert!(
                (by_tree.score.value() - by_weights.combined.value()).abs() <= 0.011,
                "{points} {rating} {group}: {by_tree:?} vs {by_weights:?}"
            );
        }
        let mut f = facts(&[]);
        f.voter_count = 0;
        let r = s.score(&f);
        assert_eq!(r.categories[0].items[1], ItemScore { count: 0, score: 0.0 }, "nobody rated: 0");
    }

    #[test]
    fn a_scheme_is_refused_when_it_breaks_a_rule() {
        let one = |items| vec![category("其他", None, items)];
        let bad = |drafts: Vec<CategoryDraft>, field: &str| match Scheme::new(drafts, ids()) {
            Err(DomainError::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected {field} to be refused, got {other:?}"),
        };
        bad(vec![], "categories");
        bad(
            (0..21)
                .map(|n| category(&format!("类{n}"), None, vec![computed("项", 1.0, ItemSource::Manual)]))
                .collect(),
            "categories",
        );
        bad(
            (0..11)
                .map(|n| {
                    category(
                        &format!("类{n}"),
                        None,
                        (0..10).map(|m| computed(&format!("项{m}"), 1.0, ItemSource::Manual)).collect(),
                    )
                })
                .collect(),
            "items",
        );
        bad(vec![category("其他", None, vec![])], "items");
        bad(vec![category(" ", None, vec![computed("项", 1.0, ItemSource::Manual)])], "categories.name");
        bad(
            vec![
                category("其他", None, vec![computed("项", 1.0, ItemSource::Manual)]),
                category("其他", None, vec![computed("项", 1.0, ItemSource::Manual)]),
            ],
            "categories.name",
        );
        bad(
            vec![category("其他", Some(-1.0), vec![computed("项", 1.0, ItemSource::Manual)])],
            "categories.cap",
        );
        bad(one(vec![computed("项", -1.0, ItemSource::Manual)]), "items.cap");
        bad(one(vec![computed("项", f64::NAN, ItemSource::Manual)]), "items.cap");
        bad(one(vec![computed("项", 1001.0, ItemSource::Manual)]), "items.cap");
        bad(one(vec![computed(" ", 1.0, ItemSource::Manual)]), "items.name");
        bad(
            one(vec![computed("项", 1.0, ItemSource::Manual), computed("项", 1.0, ItemSource::Points)]),
            "items.name",
        );
        bad(one(vec![kinds("项", 1.0, 5.0, &[])]), "items.kinds");
        bad(one(vec![kinds("项", 0.0, 5.0, &[EntryKind::SuggestionLed])]), "items.points");
        bad(
            one(vec![
                kinds("领衔", 1.0, 5.0, &[EntryKind::SuggestionLed]),
                kinds("建议", 1.0, 5.0, &[EntryKind::SuggestionLed, EntryKind::BillLed]),
            ]),
            "items.kinds",
        );
        let mut manual_with_kinds = computed("项", 1.0, ItemSource::Manual);
        manual_with_kinds.kinds = vec![EntryKind::SuggestionLed];
        bad(one(vec![manual_with_kinds]), "items.kinds");
        bad(one(vec![computed("项", 0.0, ItemSource::Manual)]), "categories");
        // The largest allowed: 20 categories, 100 items.
        let largest: Vec<CategoryDraft> = (0..20)
            .map(|n| {
                category(
                    &format!("类{n}"),
                    Some(5.0),
                    (0..5).map(|m| computed(&format!("项{m}"), 1.0, ItemSource::Manual)).collect(),
                )
            })
            .collect();
        assert_eq!(ok(Scheme::new(largest, ids())).max(), 100.0);
    }

    #[test]
    fn manual_scores_lie_between_0_and_the_items_cap() {
        let s = xuzhou_like();
        let manual = s.manual_items().map(|i| i.id).next().unwrap_or_default();
        let counted = s.categories()[0].items[0].id;
        assert_eq!(s.check_manual(manual, 5.0), Ok(5.0));
        assert_eq!(s.check_manual(manual, 0.0), Ok(0.0));
        assert!(matches!(s.check_manual(manual, 5.01), Err(DomainError::Invalid { field: "score", .. })));
        assert!(matches!(s.check_manual(manual, -1.0), Err(DomainError::Invalid { field: "score", .. })));
        assert!(matches!(s.check_manual(counted, 1.0), Err(DomainError::Invalid { field: "itemId", .. })));
        assert!(matches!(
            s.check_manual(Uuid::from_u128(999), 1.0),
            Err(DomainError::Invalid { field: "itemId", .. })
        ));
    }

    #[test]
    fn a_stored_scheme_reads_back_the_same() {
        let s = xuzhou_like();
        assert_eq!(ok(Scheme::stored(s.categories().to_vec())), s);
        for source in ItemSource::ALL {
            assert_eq!(ItemSource::parse(source.as_str()), Ok(*source));
        }
    }

    #[test]
    fn the_review_waits_for_manual_scores_then_grades_and_ranks_the_scaled_score() {
        let s = ok(Scheme::new(
            vec![
                category(
                    "大会期间履职",
                    None,
                    vec![kinds("提出建议", 10.0, 60.0, &[EntryKind::SuggestionLed])],
                ),
                category("其他", None, vec![computed("综合表现", 40.0, ItemSource::Manual)]),
            ],
            ids(),
        ));
        let manual = s.manual_items().map(|i| i.id).next().unwrap_or_default();
        let five: Vec<PointEntry> = (0..5).map(|n| entry(n, EntryKind::SuggestionLed, 2026)).collect();
        let six: Vec<PointEntry> = (0..6).map(|n| entry(n, EntryKind::SuggestionLed, 2026)).collect();
        let input = |n: u128, name: &str, entries, manual_score: Option<f64>| {
            let mut f = facts(entries);
            if let Some(m) = manual_score {
                f.manual.insert(manual, m);
            }
            SchemeReviewInput { deputy_id: Uuid::from_u128(n), name: name.into(), facts: f }
        };
        let mut e = evaluation(ok(Weights::new(100, 0, 0)), ok(FullMark::new(100)));
        let waiting = [input(1, "张明", &six, Some(40.0)), input(2, "李华", &five, None)];
        match e.review_by_scheme(&actor(Role::CongressStaff, 1), &s, &waiting) {
            Err(DomainError::Conflict(m)) => assert!(m.contains("李华") && !m.contains("张明"), "{m}"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(e.state, EvaluationState::Open);
        let inputs = [
            input(1, "张明", &six, Some(40.0)),
            input(2, "李华", &five, Some(25.0)),
            input(3, "王芳", &six, Some(30.0)),
            input(4, "赵强", &[], Some(30.0)),
        ];
        assert!(matches!(
            e.review_by_scheme(&actor(Role::CongressStaff, 2), &s, &inputs),
            Err(DomainError::Forbidden(_))
        ));
        let reviewed = ok(e.review_by_scheme(&actor(Role::CongressStaff, 1), &s, &inputs));
        let got: Vec<(u128, f64, Grade, u32)> = reviewed
            .iter()
            .map(|r| (r.deputy_id.as_u128(), r.score.score.value(), r.grade, r.rank))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, 100.0, Grade::Excellent, 1),
                (3, 90.0, Grade::Excellent, 2),
                (2, 75.0, Grade::Unqualified, 3),
                (4, 30.0, Grade::Unqualified, 4),
            ]
        );
        assert_eq!(e.state, EvaluationState::Reviewed);
        assert!(matches!(
            e.review_by_scheme(&actor(Role::CongressStaff, 1), &s, &inputs),
            Err(DomainError::Conflict(_))
        ));
    }
}
