//! Duty record enums, mirrored from the domain.

use async_graphql::Enum;

/// What an archive entry counts as, for points and quotas.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "edaibiao_domain::duty::points::EntryKind")]
pub enum EntryKind {
    /// Led a suggestion (领衔), counted from its first submission.
    SuggestionLed,
    /// Co-signed a suggestion (附议), counted from its first submission.
    SuggestionCoSigned,
    /// The deputy rated a unit's answer to their suggestion satisfied (attitude and result).
    SuggestionRatedSatisfied,
    /// Attended an activity (other than a training or a report to voters).
    ActivityAttended,
    /// Absent from an activity without approved leave: usually a deduction.
    ActivityAbsentUnexcused,
    /// A citizen's opinion addressed to the deputy was closed.
    OpinionClosed,
    /// Served a reception day at a liaison station.
    ReceptionServed,
    /// Attended a training (培训).
    TrainingAttended,
    /// Reported to voters (述职).
    ReportToVoters,
    /// Something done outside the system, verified by staff.
    VerifiedOther,
    /// Led a bill (议案领衔), counted from its tabling.
    BillLed,
    /// Co-sponsored a bill (附议), counted from its tabling.
    BillCoSponsored,
    /// Completed a course of the learning materials (学习培训), counted from the completion.
    CourseCompleted,
}

/// Where a self-reported entry stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::duty::record::EntryStatus")]
pub enum DutyEntryStatus {
    /// Waiting for staff.
    Pending,
    /// Verified by staff: it counts.
    Verified,
    /// Rejected by staff, with a reason: it does not count.
    Rejected,
}

/// How often a quota falls due (calendar periods in China Standard Time).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::duty::quota::PeriodKind")]
pub enum PeriodKind {
    /// Every calendar month.
    Month,
    /// Every calendar quarter.
    Quarter,
    /// Every calendar year.
    Year,
}

/// Why a ledger line earned less than its rule says.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerAdjustment {
    /// No rule for this kind was in force on the entry's day: nothing awarded.
    NoRule,
    /// The kind's yearly cap was reached: `cut` points were not counted.
    CapCut,
}
