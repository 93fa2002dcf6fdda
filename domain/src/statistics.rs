//! Statistics for staff (统计): the formulas behind the suggestion, opinion and deputy tables. Counting
//! happens in the database; the rates, shares and means are computed here from the counts, so every table
//! (GraphQL or export) states them the same way.
//!
//! A rate is `None` when its denominator is 0: "no data" is not the same as 0 %.

use crate::duty::activity::Attendance;
use crate::suggestion::Satisfaction;

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
