//! Points (积分): a congress's rule table, the entries of a deputy's archive, and the ledger that scores them.
//!
//! Rules are versioned by their effective date and never edited in place: a new version takes over from its
//! date on. Scoring is recomputed from the entries and the whole table, and each ledger line names the rule
//! version it used, so a figure published under old rules stays explainable after the rules change.

use crate::DomainError;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use uuid::Uuid;

vocabulary!(
    /// What an archive entry records, as far as points are concerned.
    EntryKind {
        /// Led a suggestion (领衔).
        SuggestionLed = "SUGGESTION_LED",
        /// Co-signed a suggestion (附议).
        SuggestionCoSigned = "SUGGESTION_CO_SIGNED",
        /// Rated a unit's answer to the deputy's suggestion as satisfied.
        SuggestionRatedSatisfied = "SUGGESTION_RATED_SATISFIED",
        /// Attended an activity none of the kinds below tells apart (a session meeting, another activity).
        /// As a rule or a quota it also stands for every attended activity of a kind below, see
        /// [`EntryKind::general`].
        ActivityAttended = "ACTIVITY_ATTENDED",
        /// Absent from an activity without approved leave: usually a deduction.
        ActivityAbsentUnexcused = "ACTIVITY_ABSENT_UNEXCUSED",
        /// A citizen's opinion the deputy received was closed.
        OpinionClosed = "OPINION_CLOSED",
        /// Served a reception day at a liaison station.
        ReceptionServed = "RECEPTION_SERVED",
        TrainingAttended = "TRAINING_ATTENDED",
        /// 述职.
        ReportToVoters = "REPORT_TO_VOTERS",
        /// Something done outside the system, verified by staff.
        VerifiedOther = "VERIFIED_OTHER",
        /// Led a bill (议案领衔), counted when it was tabled.
        BillLed = "BILL_LED",
        /// Co-sponsored a bill (议案附议), counted when it was tabled.
        BillCoSponsored = "BILL_CO_SPONSORED",
        /// Completed a course (学习培训) of the online learning materials.
        CourseCompleted = "COURSE_COMPLETED",
        /// Received voters at an activity of the kind RECEPTION (接待选民).
        VotersReceived = "VOTERS_RECEIVED",
        /// Visited the constituency (走访选区).
        ConstituencyVisited = "CONSTITUENCY_VISITED",
        /// Took part in an inspection (视察, law-enforcement checks included).
        InspectionAttended = "INSPECTION_ATTENDED",
        /// Took part in research (调研).
        ResearchAttended = "RESEARCH_ATTENDED",
        /// Gave or attended a policy talk (政策宣讲).
        PolicyTalkGiven = "POLICY_TALK_GIVEN",
        /// Attended a deputies' meeting (代表会议, 代表小组活动).
        DeputyMeetingAttended = "DEPUTY_MEETING_ATTENDED",
        /// Took part in an exchange of experience (履职交流).
        ExperienceExchanged = "EXPERIENCE_EXCHANGED",
        /// Reported constituents' views to the staff (代表反映社情民意), counted from the submission.
        DeputyReportSubmitted = "DEPUTY_REPORT_SUBMITTED",
        /// Spoke at a session of the congress (大会发言), recorded by staff.
        SessionSpeech = "SESSION_SPEECH",
        /// The deputy's suggestion was selected a best suggestion (优秀建议, for its lead deputy), counted
        /// from the publication of the selection's results.
        SuggestionSelected = "SUGGESTION_SELECTED",
        /// The deputy was selected a model deputy (优秀代表), counted from the publication of the results.
        DeputySelected = "DEPUTY_SELECTED",
    }
);

impl EntryKind {
    /// The coarser kind an entry of this kind counted as before the kinds were told apart: the activity
    /// kinds of the "十个一" items were all ACTIVITY_ATTENDED. A rule of the coarser kind scores such an
    /// entry while the kind has no rule of its own in force (sharing the coarser kind's cap), and a quota
    /// counting the coarser kind still counts it, so rules and quotas set before stay exactly as they
    /// were.
    pub fn general(self) -> Option<EntryKind> {
        match self {
            EntryKind::VotersReceived
            | EntryKind::ConstituencyVisited
            | EntryKind::InspectionAttended
            | EntryKind::ResearchAttended
            | EntryKind::PolicyTalkGiven
            | EntryKind::DeputyMeetingAttended
            | EntryKind::ExperienceExchanged => Some(EntryKind::ActivityAttended),
            _ => None,
        }
    }
}

/// One version of the points for one kind of entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointRule {
    /// Identifies this version; ledger lines refer to it.
    pub id: Uuid,
    pub kind: EntryKind,
    /// Per entry; negative for a deduction.
    pub points: i32,
    /// The most a deputy gains (or loses, for deductions) from this kind in one year.
    pub yearly_cap: Option<u32>,
    /// In force for entries dated on or after this day, until a later version of the same kind.
    pub effective_from: NaiveDate,
}

/// A congress's rules. Exists only without two versions of one kind taking effect on the same day,
/// which would make the rule in force ambiguous.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleTable {
    rules: Vec<PointRule>,
}

impl RuleTable {
    pub fn new(mut rules: Vec<PointRule>) -> Result<Self, DomainError> {
        rules.sort_by_key(|r| (r.kind, r.effective_from));
        if let Some(pair) =
            rules.windows(2).find(|w| w[0].kind == w[1].kind && w[0].effective_from == w[1].effective_from)
        {
            return Err(DomainError::invalid(
                "rules",
                format!("two rules for {} take effect on {}", pair[0].kind.as_str(), pair[0].effective_from),
            ));
        }
        Ok(Self { rules })
    }

    /// The version that scores an entry of `kind` dated `date`: the kind's own in force, else the one in
    /// force for its [`EntryKind::general`] kind.
    pub fn rule_scoring(&self, kind: EntryKind, date: NaiveDate) -> Option<&PointRule> {
        self.rule_for(kind, date).or_else(|| kind.general().and_then(|g| self.rule_for(g, date)))
    }

    /// The version in force for an entry of `kind` dated `date`: the latest effective on or before it.
    pub fn rule_for(&self, kind: EntryKind, date: NaiveDate) -> Option<&PointRule> {
        self.rules
            .iter()
            .filter(|r| r.kind == kind && r.effective_from <= date)
            .max_by_key(|r| r.effective_from)
    }

    pub fn rules(&self) -> &[PointRule] {
        &self.rules
    }
}

/// One item of a deputy's archive that may earn points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointEntry {
    pub kind: EntryKind,
    /// The day it happened (China Standard Time calendar day).
    pub date: NaiveDate,
    /// The record it comes from (suggestion, activity, opinion, reception day, verified entry).
    pub source_id: Uuid,
    pub note: String,
}

/// Why a line earned less than its rule says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adjustment {
    /// No rule of this kind was in force on the entry's date.
    NoRuleInForce,
    /// The kind's yearly cap was reached; `cut` points were not counted.
    CappedAt { cap: u32, cut: i32 },
}

/// One scored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerLine {
    pub entry: PointEntry,
    /// The rule version applied, if any.
    pub rule: Option<PointRule>,
    /// What counted toward the total.
    pub awarded: i32,
    pub adjustment: Option<Adjustment>,
}

/// A deputy's points for one year, line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    pub year: i32,
    pub lines: Vec<LedgerLine>,
    pub total: i64,
}

/// Scores the entries dated in `year`. Entries are taken in date order (then by source id, so the result does
/// not depend on the order they were loaded in); the cap of the rule applied to an entry bounds the running
/// sum of the rule's kind, so whichever entries come last in the year are the ones cut. An entry scored by
/// its general kind's rule ([`RuleTable::rule_scoring`]) counts toward that kind's cap.
pub fn score(entries: &[PointEntry], rules: &RuleTable, year: i32) -> Ledger {
    let mut in_year: Vec<&PointEntry> = entries.iter().filter(|e| e.date.year() == year).collect();
    in_year.sort_by_key(|e| (e.date, e.source_id));
    let mut per_kind: HashMap<EntryKind, i64> = HashMap::new();
    let mut lines = Vec::with_capacity(in_year.len());
    let mut total = 0i64;
    for entry in in_year {
        let Some(rule) = rules.rule_scoring(entry.kind, entry.date) else {
            lines.push(LedgerLine {
                entry: entry.clone(),
                rule: None,
                awarded: 0,
                adjustment: Some(Adjustment::NoRuleInForce),
            });
            continue;
        };
        let sum = per_kind.entry(rule.kind).or_insert(0);
        let awarded = award(rule, *sum, 1);
        *sum += awarded;
        total += awarded;
        // `awarded` lies between 0 and `rule.points`, so it fits in i32.
        let awarded = i32::try_from(awarded).unwrap_or(rule.points);
        let adjustment = match rule.yearly_cap {
            Some(cap) if awarded != rule.points => {
                Some(Adjustment::CappedAt { cap, cut: rule.points - awarded })
            }
            _ => None,
        };
        lines.push(LedgerLine { entry: entry.clone(), rule: Some(rule.clone()), awarded, adjustment });
    }
    Ledger { year, lines, total }
}

/// What `count` entries scored by `rule` earn when the rule's kind already counts `sum` this year: their
/// points, bounded by the cap's room left. A lower cap in a later version never takes back what was already
/// counted: the room is never below zero. Entry by entry or as one lot, the same.
fn award(rule: &PointRule, sum: i64, count: u64) -> i64 {
    let all = i64::from(rule.points).saturating_mul(i64::try_from(count).unwrap_or(i64::MAX));
    match rule.yearly_cap.map(i64::from) {
        None => all,
        Some(cap) if rule.points >= 0 => all.min((cap - sum).max(0)),
        Some(cap) => all.max((-cap - sum).min(0)),
    }
}

/// Entries of one kind counted together, for a total without lines: `count` entries dated on days that
/// the same rule versions score as `date` (one stretch of [`RuleTable::stretches`], or the entries' own day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub kind: EntryKind,
    pub date: NaiveDate,
    pub count: u64,
}

impl RuleTable {
    /// The first days of the stretches `year` splits into at the days a rule takes effect: every entry of
    /// a kind dated within one stretch is scored by the same version. The first stretch starts on 1 January.
    pub fn stretches(&self, year: i32) -> Vec<NaiveDate> {
        let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else { return Vec::new() };
        let mut days: Vec<NaiveDate> = std::iter::once(first)
            .chain(self.rules.iter().map(|r| r.effective_from).filter(|d| d.year() == year && *d > first))
            .collect();
        days.sort_unstable();
        days.dedup();
        days
    }
}

/// The total [`score`] gives the tallied entries, without its lines: counting a congress's entries by
/// deputy, kind and stretch in the database, a table of every deputy's points loads a few rows per deputy
/// instead of each entry. Within a stretch all entries of one rule score the same, so their order, which
/// [`score`] fixes by source id, cannot change what the cap cuts.
pub fn total(tallies: &[Tally], rules: &RuleTable, year: i32) -> i64 {
    let mut in_year: Vec<&Tally> = tallies.iter().filter(|t| t.date.year() == year).collect();
    in_year.sort_by_key(|t| t.date);
    let mut per_kind: HashMap<EntryKind, i64> = HashMap::new();
    let mut total = 0i64;
    for tally in in_year {
        let Some(rule) = rules.rule_scoring(tally.kind, tally.date) else { continue };
        let sum = per_kind.entry(rule.kind).or_insert(0);
        let awarded = award(rule, *sum, tally.count);
        *sum += awarded;
        total += awarded;
    }
    total
}

/// Ranks totals highest first. Equal totals share a rank and the next rank skips (1, 2, 2, 4); within a tie
/// the order is by id, so it is stable between runs.
pub fn rank(totals: &[(Uuid, i64)]) -> Vec<(Uuid, i64, u32)> {
    let mut sorted = totals.to_vec();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut ranked = Vec::with_capacity(sorted.len());
    let mut rank = 0u32;
    let mut previous: Option<i64> = None;
    for (position, (id, total)) in (1u32..).zip(sorted) {
        if previous != Some(total) {
            rank = position;
            previous = Some(total);
        }
        ranked.push((id, total, rank));
    }
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }

    fn rule(n: u128, kind: EntryKind, points: i32, cap: Option<u32>, from: NaiveDate) -> PointRule {
        PointRule { id: Uuid::from_u128(n), kind, points, yearly_cap: cap, effective_from: from }
    }

    fn entry(n: u128, kind: EntryKind, date: NaiveDate) -> PointEntry {
        PointEntry { kind, date, source_id: Uuid::from_u128(n), note: String::new() }
    }

    fn table(rules: Vec<PointRule>) -> RuleTable {
        RuleTable::new(rules).unwrap()
    }

    #[test]
    fn entry_kinds_round_trip_through_their_names() {
        for kind in EntryKind::ALL {
            assert_eq!(EntryKind::parse(kind.as_str()), Ok(*kind));
        }
        assert!(EntryKind::parse("SUGGESTION").is_err());
    }

    #[test]
    fn two_versions_of_a_kind_cannot_start_the_same_day() {
        let clash = RuleTable::new(vec![
            rule(1, EntryKind::SuggestionLed, 5, None, day(1, 1)),
            rule(2, EntryKind::SuggestionLed, 6, None, day(1, 1)),
        ]);
        assert!(matches!(clash, Err(DomainError::Invalid { field: "rules", .. })));
        assert!(
            RuleTable::new(vec![
                rule(1, EntryKind::SuggestionLed, 5, None, day(1, 1)),
                rule(2, EntryKind::SuggestionCoSigned, 2, None, day(1, 1)),
            ])
            .is_ok()
        );
    }

    #[test]
    fn the_rule_in_force_is_the_latest_effective_on_or_before_the_date() {
        let t = table(vec![
            rule(2, EntryKind::SuggestionLed, 8, None, day(7, 1)),
            rule(1, EntryKind::SuggestionLed, 5, None, day(1, 1)),
            rule(3, EntryKind::SuggestionCoSigned, 2, None, day(3, 1)),
        ]);
        assert_eq!(t.rule_for(EntryKind::SuggestionLed, day(6, 30)).map(|r| r.points), Some(5));
        assert_eq!(t.rule_for(EntryKind::SuggestionLed, day(7, 1)).map(|r| r.points), Some(8));
        assert_eq!(t.rule_for(EntryKind::SuggestionCoSigned, day(2, 28)), None);
        assert_eq!(t.rule_for(EntryKind::TrainingAttended, day(12, 31)), None);
    }

    #[test]
    fn each_line_names_the_rule_version_it_used() {
        let t = table(vec![
            rule(1, EntryKind::SuggestionLed, 5, None, day(1, 1)),
            rule(2, EntryKind::SuggestionLed, 8, None, day(7, 1)),
        ]);
        let ledger = score(
            &[entry(11, EntryKind::SuggestionLed, day(8, 1)), entry(10, EntryKind::SuggestionLed, day(2, 1))],
            &t,
            2026,
        );
        let used: Vec<_> = ledger
            .lines
            .iter()
            .map(|l| (l.entry.source_id, l.rule.as_ref().map(|r| r.id), l.awarded))
            .collect();
        assert_eq!(
            used,
            vec![
                (Uuid::from_u128(10), Some(Uuid::from_u128(1)), 5),
                (Uuid::from_u128(11), Some(Uuid::from_u128(2)), 8)
            ]
        );
        assert_eq!(ledger.total, 13);
    }

    #[test]
    fn changing_the_rules_recomputes_and_the_old_ledger_still_explains_itself() {
        let entries = [
            entry(1, EntryKind::ActivityAttended, day(3, 1)),
            entry(2, EntryKind::ActivityAttended, day(9, 1)),
        ];
        let old =
            score(&entries, &table(vec![rule(1, EntryKind::ActivityAttended, 2, None, day(1, 1))]), 2026);
        let new = score(
            &entries,
            &table(vec![
                rule(1, EntryKind::ActivityAttended, 2, None, day(1, 1)),
                rule(2, EntryKind::ActivityAttended, 3, None, day(6, 1)),
            ]),
            2026,
        );
        assert_eq!((old.total, new.total), (4, 5));
        assert_eq!(old.lines[1].rule.as_ref().map(|r| (r.id, r.points)), Some((Uuid::from_u128(1), 2)));
        assert_eq!(new.lines[1].rule.as_ref().map(|r| (r.id, r.points)), Some((Uuid::from_u128(2), 3)));
    }

    #[test]
    fn only_entries_of_the_year_count_and_unruled_ones_say_why() {
        let t = table(vec![rule(1, EntryKind::ReceptionServed, 3, None, day(1, 1))]);
        let last_year = PointEntry {
            date: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or_default(),
            ..entry(1, EntryKind::ReceptionServed, day(1, 1))
        };
        let ledger = score(
            &[
                last_year,
                entry(2, EntryKind::ReceptionServed, day(1, 1)),
                entry(3, EntryKind::VerifiedOther, day(1, 2)),
            ],
            &t,
            2026,
        );
        assert_eq!(ledger.lines.len(), 2);
        assert_eq!(ledger.total, 3);
        assert_eq!(ledger.lines[1].awarded, 0);
        assert_eq!(ledger.lines[1].adjustment, Some(Adjustment::NoRuleInForce));
        assert_eq!(ledger.lines[0].adjustment, None);
    }

    #[test]
    fn the_yearly_cap_cuts_the_last_entries_of_a_kind_and_says_by_how_much() {
        let t = table(vec![
            rule(1, EntryKind::SuggestionCoSigned, 4, Some(10), day(1, 1)),
            rule(2, EntryKind::OpinionClosed, 1, None, day(1, 1)),
        ]);
        let entries: Vec<_> = (1..=4)
            .map(|n| entry(n, EntryKind::SuggestionCoSigned, day(n as u32, 1)))
            .chain([entry(9, EntryKind::OpinionClosed, day(12, 1))])
            .collect();
        let ledger = score(&entries, &t, 2026);
        let awarded: Vec<_> = ledger.lines.iter().map(|l| (l.awarded, l.adjustment)).collect();
        assert_eq!(
            awarded,
            vec![
                (4, None),
                (4, None),
                (2, Some(Adjustment::CappedAt { cap: 10, cut: 2 })),
                (0, Some(Adjustment::CappedAt { cap: 10, cut: 4 })),
                (1, None),
            ]
        );
        assert_eq!(ledger.total, 11, "the cap of one kind does not touch another");
    }

    #[test]
    fn deductions_count_negative_and_their_cap_bounds_the_loss() {
        let t = table(vec![
            rule(1, EntryKind::ActivityAbsentUnexcused, -3, Some(5), day(1, 1)),
            rule(2, EntryKind::TrainingAttended, 2, None, day(1, 1)),
        ]);
        let entries = [
            entry(1, EntryKind::ActivityAbsentUnexcused, day(2, 1)),
            entry(2, EntryKind::ActivityAbsentUnexcused, day(3, 1)),
            entry(3, EntryKind::TrainingAttended, day(4, 1)),
        ];
        let ledger = score(&entries, &t, 2026);
        assert_eq!(ledger.lines[0].awarded, -3);
        assert_eq!(ledger.lines[1].awarded, -2);
        assert_eq!(ledger.lines[1].adjustment, Some(Adjustment::CappedAt { cap: 5, cut: -1 }));
        assert_eq!(ledger.total, -3);
    }

    #[test]
    fn a_lower_cap_in_a_later_version_never_takes_points_back() {
        let t = table(vec![
            rule(1, EntryKind::VerifiedOther, 5, Some(20), day(1, 1)),
            rule(2, EntryKind::VerifiedOther, 5, Some(5), day(6, 1)),
        ]);
        let entries = [
            entry(1, EntryKind::VerifiedOther, day(2, 1)),
            entry(2, EntryKind::VerifiedOther, day(3, 1)),
            entry(3, EntryKind::VerifiedOther, day(7, 1)),
        ];
        let ledger = score(&entries, &t, 2026);
        assert_eq!(ledger.lines.iter().map(|l| l.awarded).collect::<Vec<_>>(), vec![5, 5, 0]);
        assert_eq!(ledger.total, 10);
    }

    #[test]
    fn a_told_apart_activity_kind_is_scored_by_activity_attended_until_it_has_a_rule_of_its_own() {
        let general = rule(1, EntryKind::ActivityAttended, 2, Some(5), day(1, 1));
        let entries = [
            entry(1, EntryKind::VotersReceived, day(2, 1)),
            entry(2, EntryKind::ConstituencyVisited, day(3, 1)),
            entry(3, EntryKind::ActivityAttended, day(4, 1)),
            entry(4, EntryKind::VotersReceived, day(8, 1)),
        ];
        // Only the coarse rule: scored as before the kinds were told apart, one shared cap.
        let before = score(&entries, &table(vec![general.clone()]), 2026);
        assert_eq!(before.lines.iter().map(|l| l.awarded).collect::<Vec<_>>(), vec![2, 2, 1, 0]);
        assert!(before.lines.iter().all(|l| l.rule.as_ref().map(|r| r.id) == Some(Uuid::from_u128(1))));
        // A rule of its own from July on takes over for that kind only, with its own cap.
        let own = rule(2, EntryKind::VotersReceived, 4, None, day(7, 1));
        let after = score(&entries, &table(vec![general, own]), 2026);
        assert_eq!(after.lines.iter().map(|l| l.awarded).collect::<Vec<_>>(), vec![2, 2, 1, 4]);
        assert_eq!(after.lines[3].rule.as_ref().map(|r| r.id), Some(Uuid::from_u128(2)));
        assert_eq!(after.total, 9);
        // Kinds that were never ACTIVITY_ATTENDED do not fall back to it.
        for kind in [EntryKind::TrainingAttended, EntryKind::ReportToVoters, EntryKind::DeputyReportSubmitted]
        {
            assert_eq!(kind.general(), None);
        }
        let t = table(vec![rule(1, EntryKind::ActivityAttended, 2, None, day(1, 1))]);
        assert_eq!(t.rule_scoring(EntryKind::SessionSpeech, day(5, 1)), None);
    }

    #[test]
    fn ties_share_a_rank_and_the_next_rank_skips() {
        let id = Uuid::from_u128;
        let ranked = rank(&[(id(4), 70), (id(2), 90), (id(3), 90), (id(1), 100), (id(5), -5)]);
        assert_eq!(
            ranked,
            vec![(id(1), 100, 1), (id(2), 90, 2), (id(3), 90, 2), (id(4), 70, 4), (id(5), -5, 5)]
        );
        assert!(rank(&[]).is_empty());
    }

    proptest! {
        #[test]
        fn the_total_is_the_sum_of_the_lines_and_caps_hold(
            raw in proptest::collection::vec((0usize..3, 1u32..=365), 0..40),
        ) {
            let kinds = [EntryKind::SuggestionLed, EntryKind::ActivityAbsentUnexcused, EntryKind::OpinionClosed];
            let t = table(vec![
                rule(1, kinds[0], 7, Some(30), day(1, 1)),
                rule(2, kinds[1], -4, Some(10), day(1, 1)),
                rule(3, kinds[2], 1, None, day(1, 1)),
            ]);
            let start = day(1, 1);
            let entries: Vec<_> = raw.iter().enumerate().map(|(n, (k, d))| {
                entry(n as u128, kinds[*k], start + chrono::Days::new(u64::from(*d - 1)))
            }).collect();
            let ledger = score(&entries, &t, 2026);
            prop_assert_eq!(ledger.total, ledger.lines.iter().map(|l| i64::from(l.awarded)).sum::<i64>());
            let sum_of = |k: EntryKind| ledger.lines.iter().filter(|l| l.entry.kind == k).map(|l| i64::from(l.awarded)).sum::<i64>();
            prop_assert!((0..=30).contains(&sum_of(kinds[0])));
            prop_assert!((-10..=0).contains(&sum_of(kinds[1])));
            let mut shuffled = entries.clone();
            shuffled.reverse();
            prop_assert_eq!(score(&shuffled, &t, 2026), ledger);
        }

        #[test]
        fn tallies_by_stretch_total_what_the_entries_score(
            raw in proptest::collection::vec((0usize..4, 1u32..=365), 0..60),
            versions in proptest::collection::vec((0usize..3, -6i32..9, proptest::option::of(0u32..40), 1u32..=365), 0..8),
        ) {
            // ACTIVITY_ATTENDED also scores VOTERS_RECEIVED until that kind has a rule of its own.
            let kinds = [EntryKind::SuggestionLed, EntryKind::ActivityAttended, EntryKind::VotersReceived, EntryKind::OpinionClosed];
            let start = day(1, 1);
            let on = |d: u32| start + chrono::Days::new(u64::from(d - 1));
            let mut rules = vec![
                rule(100, kinds[0], 5, Some(30), start),
                rule(101, kinds[1], 2, Some(9), start),
            ];
            for (n, (k, points, cap, d)) in versions.iter().enumerate() {
                let r = rule(n as u128, kinds[*k + 1], *points, *cap, on(*d));
                if !rules.iter().any(|o| o.kind == r.kind && o.effective_from == r.effective_from) {
                    rules.push(r);
                }
            }
            let t = table(rules);
            let entries: Vec<_> = raw.iter().enumerate().map(|(n, (k, d))| entry(n as u128, kinds[*k], on(*d))).collect();
            let expected = score(&entries, &t, 2026).total;

            let stretches = t.stretches(2026);
            let mut counted: HashMap<(EntryKind, NaiveDate), u64> = HashMap::new();
            for e in &entries {
                let stretch = stretches.iter().rev().find(|s| **s <= e.date).copied().unwrap_or(start);
                *counted.entry((e.kind, stretch)).or_default() += 1;
            }
            let tallies: Vec<Tally> = counted.into_iter().map(|((kind, date), count)| Tally { kind, date, count }).collect();
            prop_assert_eq!(total(&tallies, &t, 2026), expected);
            let one_each: Vec<Tally> = entries.iter().map(|e| Tally { kind: e.kind, date: e.date, count: 1 }).collect();
            prop_assert_eq!(total(&one_each, &t, 2026), expected);
        }

        #[test]
        fn ranks_count_those_strictly_ahead(totals in proptest::collection::vec(-5i64..5, 0..20)) {
            let with_ids: Vec<_> = totals.iter().enumerate().map(|(n, t)| (Uuid::from_u128(n as u128), *t)).collect();
            for (_, total, r) in rank(&with_ids) {
                let ahead = totals.iter().filter(|t| **t > total).count() as u32;
                prop_assert_eq!(r, ahead + 1);
            }
        }
    }
}
