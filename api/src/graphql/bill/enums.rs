//! The bill vocabularies as GraphQL enums.

use async_graphql::Enum;

/// Where a bill (议案) is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::bill::BillState")]
pub enum BillState {
    /// The lead sponsor writes it and gathers co-sponsors; during the recess a draft waits here.
    Draft,
    /// Tabled with its serial; waits for the presidium's (or standing committee's) decision.
    Tabled,
    /// Put on the session's agenda (列入议程).
    OnAgenda,
    /// Referred to a special committee for review, with a report back (交专门委员会审议).
    Referred,
    /// Not a bill: converted to a suggestion (作为建议处理), which carries on (`convertedTo`).
    Converted,
    /// The review report and the decision (审议结果) are recorded.
    Reviewed,
    /// The decision is being carried out and reported on (落实、报告、督办).
    FollowUp,
    /// The committee closed the follow-up; the lead sponsor may rate it.
    Closed,
    /// The lead sponsor rated the handling.
    Rated,
}

/// What the presidium (or the standing committee) decides a tabled bill becomes.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::bill::Disposition")]
pub enum BillDisposition {
    /// Put on the agenda (列入议程).
    OnAgenda,
    /// Referred to a special committee for review (交专门委员会审议); names the committee.
    Referred,
    /// Not a bill: converted to a suggestion (作为建议处理).
    Converted,
}

/// The body that decided what a tabled bill becomes.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::bill::DecidingBody")]
pub enum DecidingBody {
    /// The session's presidium (主席团), during a session.
    Presidium,
    /// The standing committee (常委会), between sessions.
    StandingCommittee,
}

/// What a step on a bill's timeline records.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::bill::BillEventKind")]
pub enum BillEventKind {
    /// The lead sponsor drafted it.
    Drafted,
    /// The lead sponsor edited the draft.
    Edited,
    /// Deputies were invited to co-sponsor.
    CoSponsorInvited,
    /// An invited deputy accepted or declined.
    CoSponsorshipAnswered,
    /// Tabled (by its sponsors or by a delegation).
    Tabled,
    /// The presidium (or standing committee) decided what it becomes.
    Decided,
    /// Assigned to its committee and units with a deadline.
    Assigned,
    /// The lead sponsor was invited to a meeting considering it.
    LeadSponsorInvited,
    /// Whether the lead sponsor attended a meeting was recorded.
    AttendanceRecorded,
    /// The review report and decision were recorded.
    Reviewed,
    /// The follow-up was reported on.
    FollowUpReported,
    /// Staff pressed the units (督办).
    Supervised,
    /// The follow-up was closed.
    Closed,
    /// The lead sponsor rated the handling.
    Rated,
}
