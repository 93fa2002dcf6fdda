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
    /// Attended an activity of a kind none of the other values tells apart (a session meeting, another
    /// activity). As a point rule it also scores attended activities of the kinds told apart (reception,
    /// visit, inspection, research, policy talk, deputies' meeting, exchange) while their kind has no rule
    /// of its own, and as a quota it counts every attended activity.
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
    /// Attended an activity of the kind RECEPTION (接待选民).
    VotersReceived,
    /// Attended an activity of the kind CONSTITUENCY_VISIT (走访选区).
    ConstituencyVisited,
    /// Attended an inspection (视察, law-enforcement checks included).
    InspectionAttended,
    /// Attended research (调研).
    ResearchAttended,
    /// Attended a policy talk (政策宣讲).
    PolicyTalkGiven,
    /// Attended a deputies' meeting (代表会议, an activity of the kind DEPUTY_GROUP_MEETING).
    DeputyMeetingAttended,
    /// Attended an exchange of experience (履职交流).
    ExperienceExchanged,
    /// Reported constituents' views to the staff (代表反映社情民意), counted from the submission unless
    /// the staff declined the report.
    DeputyReportSubmitted,
    /// Spoke at a session of the congress (大会发言), recorded by staff.
    SessionSpeech,
    /// The deputy's suggestion was selected a best suggestion (优秀建议), for its lead deputy, counted from
    /// the publication of the selection's results.
    SuggestionSelected,
    /// The deputy was selected a model deputy (优秀代表), counted from the publication of the results.
    DeputySelected,
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
