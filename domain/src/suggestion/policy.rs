use chrono::Months;

/// The configurable numbers of suggestion handling. Defaults follow common practice of city congresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuggestionPolicy {
    /// Answers are due this many months after assignment unless staff set another date (按期办结).
    pub default_deadline_months: u32,
    /// A unit may ask to be relieved (改办) within this many days of assignment.
    pub reassignment_window_days: i64,
    /// Extensions never push the deadline past this many months after assignment.
    pub max_deadline_months: u32,
    /// Co-units owe their opinion within this many months of assignment.
    pub co_opinion_due_months: u32,
    /// An answer needs at least one recorded contact with the deputy.
    pub contact_required: bool,
    /// How many times a dissatisfied rating re-opens a unit's part (重新办理).
    pub max_rehandles: u32,
    /// How many days a re-opened part gets.
    pub rehandle_days: i64,
}

impl Default for SuggestionPolicy {
    fn default() -> Self {
        Self {
            default_deadline_months: 3,
            reassignment_window_days: 7,
            max_deadline_months: 6,
            co_opinion_due_months: 1,
            contact_required: true,
            max_rehandles: 1,
            rehandle_days: 30,
        }
    }
}

impl SuggestionPolicy {
    pub fn months(n: u32) -> Months {
        Months::new(n)
    }
}
