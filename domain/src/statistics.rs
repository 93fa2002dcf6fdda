//! Statistics for staff (统计): the formulas behind the suggestion, opinion, deputy and station activity
//! tables. Counting
//! happens in the database; the rates, shares and means are computed here from the counts, so every table
//! (GraphQL or export) states them the same way.
//!
//! A rate is `None` when its denominator is 0: "no data" is not the same as 0 %.

use crate::DomainError;
use crate::duty::activity::Attendance;
use crate::opinion::Month;
use crate::suggestion::Satisfaction;
use chrono::{DateTime, Utc};

/// `numerator / denominator`, or `None` when there is nothing to divide by.
pub fn rate(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// One satisfaction for a rating given on attitude (办理态度) and result (办理结果): the worse of the two, so
/// "satisfied" means satisfied with both, and a dissatisfied rating is one the deputy can re-open.
pub fn overall_satisfaction(attitude: Satisfaction, result: Satisfaction) -> Satisfaction {
    fn rank(s: Satisfaction) -> u8 {
        match s {
            Satisfaction::Satisfied => 2,
            Satisfaction::BasicallySatisfied => 1,
            Satisfaction::Dissatisfied => 0,
        }
    }
    if rank(attitude) <= rank(result) { attitude } else { result }
}

/// The counts behind one row of the suggestion table.
///
/// Suggestions are counted by state. The answer figures count answering parts (the lead unit of a
/// LEAD_WITH_CO suggestion, each unit of a PARALLEL one), since each such part gets its own answer and rating.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuggestionCounts {
    pub proposed: u64,
    pub assigned: u64,
    pub handled: u64,
    pub answered_state: u64,
    pub rated_state: u64,
    pub withdrawn: u64,
    /// Answering parts of assigned suggestions.
    pub parts: u64,
    /// Parts with a current answer.
    pub answered: u64,
    /// Parts answered on or before the deadline.
    pub on_time: u64,
    /// Answers by class: A (solved), B (in progress), C (deferred), D (for reference).
    pub class_a: u64,
    pub class_b: u64,
    pub class_c: u64,
    pub class_d: u64,
    /// Answers the lead deputy rated, and how.
    pub rated: u64,
    pub satisfied: u64,
    pub basically_satisfied: u64,
    /// B answers whose implemented result the deputy rated, and of them satisfied or basically satisfied.
    pub result_rated: u64,
    pub result_satisfied: u64,
    /// Parts still owing an answer after the deadline.
    pub overdue: u64,
    /// Answers whose unit recorded a contact with the deputy (`RecordContact`) on or before answering (沟通).
    pub contacted: u64,
}

impl SuggestionCounts {
    /// Every suggestion counted (all states but drafts).
    pub fn total(&self) -> u64 {
        self.proposed + self.assigned + self.handled + self.answered_state + self.rated_state + self.withdrawn
    }

    /// Answered parts over answering parts.
    pub fn answer_rate(&self) -> Option<f64> {
        rate(self.answered, self.parts)
    }

    /// Answers given by the deadline over answers given.
    pub fn on_time_rate(&self) -> Option<f64> {
        rate(self.on_time, self.answered)
    }

    /// Answers preceded by a recorded contact with the deputy over answers given (沟通率).
    pub fn contact_rate(&self) -> Option<f64> {
        rate(self.contacted, self.answered)
    }

    /// The share of each answer class among the answers: A, B, C, D.
    pub fn class_shares(&self) -> [Option<f64>; 4] {
        [self.class_a, self.class_b, self.class_c, self.class_d].map(|n| rate(n, self.answered))
    }

    /// (Satisfied + basically satisfied) over rated answers.
    pub fn satisfaction_rate(&self) -> Option<f64> {
        rate(self.satisfied + self.basically_satisfied, self.rated)
    }

    /// Of the B answers whose result was rated, the share rated satisfied or basically satisfied.
    pub fn result_satisfied_rate(&self) -> Option<f64> {
        rate(self.result_satisfied, self.result_rated)
    }

    /// Adds another row's counts (for the total row).
    pub fn add(&mut self, o: &SuggestionCounts) {
        self.proposed += o.proposed;
        self.assigned += o.assigned;
        self.handled += o.handled;
        self.answered_state += o.answered_state;
        self.rated_state += o.rated_state;
        self.withdrawn += o.withdrawn;
        self.parts += o.parts;
        self.answered += o.answered;
        self.on_time += o.on_time;
        self.class_a += o.class_a;
        self.class_b += o.class_b;
        self.class_c += o.class_c;
        self.class_d += o.class_d;
        self.rated += o.rated;
        self.satisfied += o.satisfied;
        self.basically_satisfied += o.basically_satisfied;
        self.result_rated += o.result_rated;
        self.result_satisfied += o.result_satisfied;
        self.overdue += o.overdue;
        self.contacted += o.contacted;
    }
}

/// The counts behind one row of the opinion table. Each opinion received in the window counts once in
/// `received`, and once in each stage it has reached or path it took.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpinionCounts {
    pub received: u64,
    /// Taken by someone (every state after RECEIVED).
    pub accepted: u64,
    pub resolved_directly: u64,
    pub forwarded: u64,
    pub converted: u64,
    pub closed: u64,
    /// Opinions with feedback, and the seconds from submission to feedback summed over them.
    pub with_feedback: u64,
    pub feedback_seconds: f64,
    /// Rated by the citizen, and of them satisfied or basically satisfied.
    pub rated: u64,
    pub satisfied: u64,
}

impl OpinionCounts {
    /// Mean days from submission to feedback, over the opinions with feedback.
    pub fn mean_days_to_feedback(&self) -> Option<f64> {
        (self.with_feedback > 0).then(|| self.feedback_seconds / 86_400.0 / self.with_feedback as f64)
    }

    /// (Satisfied + basically satisfied) over rated.
    pub fn satisfaction_rate(&self) -> Option<f64> {
        rate(self.satisfied, self.rated)
    }

    pub fn add(&mut self, o: &OpinionCounts) {
        self.received += o.received;
        self.accepted += o.accepted;
        self.resolved_directly += o.resolved_directly;
        self.forwarded += o.forwarded;
        self.converted += o.converted;
        self.closed += o.closed;
        self.with_feedback += o.with_feedback;
        self.feedback_seconds += o.feedback_seconds;
        self.rated += o.rated;
        self.satisfied += o.satisfied;
    }
}

/// The counts behind one row of the station activity table (联络站活跃度): one liaison station in one month.
///
/// A reception day counts in the month it starts in. It is *held* when it was not cancelled and has at least
/// one reception record: the record is what shows deputies were there. Visitors and matters are
/// those of the records made in the month (with or without a reception day); opinions are those submitted
/// to the station in the month, accepted once someone took them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StationActivityCounts {
    /// Reception days planned to start in the month, cancelled ones included.
    pub scheduled_days: u64,
    pub cancelled_days: u64,
    pub held_days: u64,
    /// Reception records made in the month, and the visitors and matters they record.
    pub records: u64,
    pub visitors: u64,
    pub matters: u64,
    pub opinions_received: u64,
    /// Of them, accepted, and the seconds from submission to acceptance summed over those.
    pub opinions_accepted: u64,
    pub acceptance_seconds: f64,
}

impl StationActivityCounts {
    /// Held over scheduled and not cancelled: how many of the days the station kept.
    pub fn held_rate(&self) -> Option<f64> {
        rate(self.held_days, self.scheduled_days.saturating_sub(self.cancelled_days))
    }

    /// Mean hours from an opinion's submission to its acceptance, over the accepted ones.
    pub fn mean_hours_to_acceptance(&self) -> Option<f64> {
        (self.opinions_accepted > 0)
            .then(|| self.acceptance_seconds / 3_600.0 / self.opinions_accepted as f64)
    }

    /// Nothing happened: no reception day held, no record, no opinion. Staff follow these stations up.
    pub fn inactive(&self) -> bool {
        self.held_days == 0 && self.records == 0 && self.opinions_received == 0
    }

    pub fn add(&mut self, o: &StationActivityCounts) {
        self.scheduled_days += o.scheduled_days;
        self.cancelled_days += o.cancelled_days;
        self.held_days += o.held_days;
        self.records += o.records;
        self.visitors += o.visitors;
        self.matters += o.matters;
        self.opinions_received += o.opinions_received;
        self.opinions_accepted += o.opinions_accepted;
        self.acceptance_seconds += o.acceptance_seconds;
    }
}

/// The months of the station activity table: `month` of `year`, or every month of `year` (CST) that has
/// begun by `now`. A month not begun yet has nothing to show, so asking for one alone is a bad input.
pub fn activity_months(year: i32, month: Option<u32>, now: DateTime<Utc>) -> Result<Vec<Month>, DomainError> {
    crate::duty::record::year_bounds(year)?;
    let of = |m: u32| Month::parse(&format!("{year:04}-{m:02}"));
    match month {
        Some(m) => {
            if !(1..=12).contains(&m) {
                return Err(DomainError::invalid("month", "must be 1–12"));
            }
            let month = of(m)?;
            if month.start() > now {
                return Err(DomainError::invalid("month", "has not begun yet"));
            }
            Ok(vec![month])
        }
        None => {
            let mut months = Vec::new();
            for m in 1..=12 {
                let month = of(m)?;
                if month.start() > now {
                    break;
                }
                months.push(month);
            }
            Ok(months)
        }
    }
}

/// A deputy's attendance over the activities that have a settled attendance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttendanceCounts {
    pub present: u64,
    pub excused: u64,
    pub absent: u64,
}

impl AttendanceCounts {
    pub fn count(&mut self, attendance: Attendance) {
        match attendance {
            Attendance::Present => self.present += 1,
            Attendance::Excused => self.excused += 1,
            Attendance::Absent => self.absent += 1,
        }
    }

    /// Present over present + excused + absent.
    pub fn rate(&self) -> Option<f64> {
        rate(self.present, self.present + self.excused + self.absent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Satisfaction::*;

    #[test]
    fn a_station_month_is_inactive_only_when_nothing_happened() {
        let mut c = StationActivityCounts { scheduled_days: 2, cancelled_days: 1, ..Default::default() };
        assert!(c.inactive(), "days planned but none held is no activity");
        assert_eq!(c.held_rate(), Some(0.0));
        assert_eq!(c.mean_hours_to_acceptance(), None);
        c.opinions_received = 1;
        assert!(!c.inactive());
        c.opinions_accepted = 2;
        c.acceptance_seconds = 3.0 * 3_600.0;
        assert_eq!(c.mean_hours_to_acceptance(), Some(1.5));
        let none_planned =
            StationActivityCounts { scheduled_days: 1, cancelled_days: 1, ..Default::default() };
        assert_eq!(none_planned.held_rate(), None, "all cancelled: nothing to keep");
    }

    #[test]
    fn the_activity_table_shows_the_months_begun() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-31T16:30:00Z").unwrap().with_timezone(&Utc);
        let months: Vec<String> =
            activity_months(2026, None, now).unwrap().iter().map(ToString::to_string).collect();
        assert_eq!(months, ["2026-01", "2026-02", "2026-03", "2026-04"], "00:30 on 1 April in Beijing");
        assert_eq!(activity_months(2025, None, now).unwrap().len(), 12);
        assert!(activity_months(2027, None, now).unwrap().is_empty());
        assert_eq!(activity_months(2026, Some(2), now).unwrap()[0].to_string(), "2026-02");
        assert!(activity_months(2026, Some(5), now).is_err());
        assert!(activity_months(2026, Some(13), now).is_err());
        assert!(activity_months(1999, None, now).is_err());
    }

    #[test]
    fn a_rate_without_a_denominator_is_none() {
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(1, 4), Some(0.25));
        assert_eq!(rate(0, 3), Some(0.0));
    }

    #[test]
    fn the_overall_satisfaction_is_the_worse_of_attitude_and_result() {
        assert_eq!(overall_satisfaction(Satisfied, Satisfied), Satisfied);
        assert_eq!(overall_satisfaction(Satisfied, BasicallySatisfied), BasicallySatisfied);
        assert_eq!(overall_satisfaction(BasicallySatisfied, Satisfied), BasicallySatisfied);
        assert_eq!(overall_satisfaction(Dissatisfied, Satisfied), Dissatisfied);
        assert_eq!(overall_satisfaction(BasicallySatisfied, Dissatisfied), Dissatisfied);
    }

    #[test]
    fn suggestion_rates_divide_by_their_own_denominators() {
        let c = SuggestionCounts {
            proposed: 1,
            assigned: 1,
            handled: 1,
            answered_state: 1,
            rated_state: 2,
            withdrawn: 1,
            parts: 5,
            answered: 4,
            on_time: 3,
            class_a: 2,
            class_b: 1,
            class_c: 1,
            rated: 2,
            satisfied: 1,
            result_rated: 1,
            result_satisfied: 0,
            overdue: 1,
            contacted: 2,
            ..Default::default()
        };
        assert_eq!(c.total(), 7);
        assert_eq!(c.contact_rate(), Some(0.5));
        assert_eq!(c.answer_rate(), Some(0.8));
        assert_eq!(c.on_time_rate(), Some(0.75));
        assert_eq!(c.class_shares(), [Some(0.5), Some(0.25), Some(0.25), Some(0.0)]);
        assert_eq!(c.satisfaction_rate(), Some(0.5));
        assert_eq!(c.result_satisfied_rate(), Some(0.0));
        let empty = SuggestionCounts::default();
        assert_eq!(empty.answer_rate(), None);
        assert_eq!(empty.class_shares(), [None; 4]);
        assert_eq!(empty.satisfaction_rate(), None);
        assert_eq!(empty.contact_rate(), None);
        let mut sum = c.clone();
        sum.add(&c);
        assert_eq!(sum.total(), 14);
        assert_eq!(sum.answer_rate(), Some(0.8));
        assert_eq!((sum.contacted, sum.contact_rate()), (4, Some(0.5)));
    }

    #[test]
    fn opinion_means_and_rates() {
        let c = OpinionCounts {
            received: 3,
            with_feedback: 2,
            feedback_seconds: 3.0 * 86_400.0,
            rated: 2,
            satisfied: 1,
            ..Default::default()
        };
        assert_eq!(c.mean_days_to_feedback(), Some(1.5));
        assert_eq!(c.satisfaction_rate(), Some(0.5));
        assert_eq!(OpinionCounts::default().mean_days_to_feedback(), None);
    }

    #[test]
    fn attendance_rate_counts_excused_as_not_present() {
        let mut a = AttendanceCounts::default();
        assert_eq!(a.rate(), None);
        for x in [Attendance::Present, Attendance::Present, Attendance::Excused, Attendance::Absent] {
            a.count(x);
        }
        assert_eq!(a.rate(), Some(0.5));
    }
}
