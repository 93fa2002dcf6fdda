//! What happened to a suggestion. Events are facts: decided valid once, stored on the timeline, and
//! applied in order to rebuild the suggestion.

use super::aggregate::{Answer, Contact, ImplementationNote, Rating, Sitting};
use super::kinds::{HandlingMode, HandlingRole, Satisfaction, SuggestionEventKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Event {
    Created {
        id: Uuid,
        congress_id: Uuid,
        sitting: Sitting,
        lead_deputy_id: Uuid,
        title: String,
        content: String,
        category: String,
        at: DateTime<Utc>,
    },
    DraftEdited {
        title: String,
        content: String,
        category: String,
    },
    CoSignerInvited {
        deputy_id: Uuid,
    },
    CoSignAnswered {
        deputy_id: Uuid,
        accepted: bool,
    },
    /// `serial` is set on the first submission; a resubmission keeps the number it had.
    Submitted {
        serial: Option<String>,
    },
    ReturnedForRevision {
        reason: String,
    },
    Withdrawn,
    /// A (re)assignment: replaces any earlier one.
    Assigned {
        mode: HandlingMode,
        units: Vec<(Uuid, HandlingRole)>,
        assigned_at: DateTime<Utc>,
        due_at: DateTime<Utc>,
    },
    ReassignmentRequested {
        unit_id: Uuid,
        reason: String,
        at: DateTime<Utc>,
    },
    ReassignmentRejected {
        reason: String,
    },
    ExtensionRequested {
        unit_id: Uuid,
        reason: String,
        due_at: DateTime<Utc>,
        at: DateTime<Utc>,
    },
    /// `approved_due_at` is the new deadline, or `None` when rejected.
    ExtensionResolved {
        approved_due_at: Option<DateTime<Utc>>,
        reason: Option<String>,
    },
    Accepted {
        unit_id: Uuid,
    },
    CoOpinionGiven {
        unit_id: Uuid,
        text: String,
        at: DateTime<Utc>,
        late: bool,
    },
    ContactRecorded {
        contact: Contact,
    },
    Answered {
        unit_id: Uuid,
        answer: Answer,
    },
    /// `official` is the lead deputy's rating; co-signers' ratings are kept for statistics only.
    Rated {
        unit_id: Uuid,
        rating: Rating,
        official: bool,
    },
    /// A dissatisfied rating re-opens the unit's part (重新办理) with a new deadline.
    Rehandling {
        unit_id: Uuid,
        due_at: DateTime<Utc>,
    },
    /// Dissatisfied again after re-handling: staff must look at it.
    Flagged {
        unit_id: Uuid,
    },
    ImplementationReported {
        unit_id: Uuid,
        note: ImplementationNote,
    },
    ResultRated {
        unit_id: Uuid,
        satisfaction: Satisfaction,
    },
    /// Merged (并案) into another suggestion, which is handled for both.
    MergedInto {
        primary_id: Uuid,
    },
    /// Another suggestion was merged into this one.
    Absorbed {
        member_id: Uuid,
    },
    Supervised {
        supervisor: String,
        note: Option<String>,
        by: Uuid,
        at: DateTime<Utc>,
    },
}

impl Event {
    /// A stable name for the timeline and notifications, e.g. `ASSIGNED`.
    pub fn kind(&self) -> &'static str {
        self.event_kind().as_str()
    }

    /// What kind of step it is, as the timeline names it.
    pub fn event_kind(&self) -> SuggestionEventKind {
        match self {
            Event::Created { .. } => SuggestionEventKind::Created,
            Event::DraftEdited { .. } => SuggestionEventKind::DraftEdited,
            Event::CoSignerInvited { .. } => SuggestionEventKind::CoSignerInvited,
            Event::CoSignAnswered { .. } => SuggestionEventKind::CoSignAnswered,
            Event::Submitted { .. } => SuggestionEventKind::Submitted,
            Event::ReturnedForRevision { .. } => SuggestionEventKind::ReturnedForRevision,
            Event::Withdrawn => SuggestionEventKind::Withdrawn,
            Event::Assigned { .. } => SuggestionEventKind::Assigned,
            Event::ReassignmentRequested { .. } => SuggestionEventKind::ReassignmentRequested,
            Event::ReassignmentRejected { .. } => SuggestionEventKind::ReassignmentRejected,
            Event::ExtensionRequested { .. } => SuggestionEventKind::ExtensionRequested,
            Event::ExtensionResolved { .. } => SuggestionEventKind::ExtensionResolved,
            Event::Accepted { .. } => SuggestionEventKind::Accepted,
            Event::CoOpinionGiven { .. } => SuggestionEventKind::CoOpinionGiven,
            Event::ContactRecorded { .. } => SuggestionEventKind::ContactRecorded,
            Event::Answered { .. } => SuggestionEventKind::Answered,
            Event::Rated { .. } => SuggestionEventKind::Rated,
            Event::Rehandling { .. } => SuggestionEventKind::Rehandling,
            Event::Flagged { .. } => SuggestionEventKind::Flagged,
            Event::ImplementationReported { .. } => SuggestionEventKind::ImplementationReported,
            Event::ResultRated { .. } => SuggestionEventKind::ResultRated,
            Event::MergedInto { .. } => SuggestionEventKind::MergedInto,
            Event::Absorbed { .. } => SuggestionEventKind::Absorbed,
            Event::Supervised { .. } => SuggestionEventKind::Supervised,
        }
    }

    /// The free-text note worth showing on the timeline, if the event has one.
    pub fn note(&self) -> Option<&str> {
        match self {
            Event::ReturnedForRevision { reason }
            | Event::ReassignmentRequested { reason, .. }
            | Event::ReassignmentRejected { reason }
            | Event::ExtensionRequested { reason, .. } => Some(reason),
            Event::ExtensionResolved { reason, .. } => reason.as_deref(),
            Event::CoOpinionGiven { text, .. } => Some(text),
            Event::ContactRecorded { contact } => Some(&contact.summary),
            Event::Rated { rating, .. } => rating.comment.as_deref(),
            Event::ImplementationReported { note, .. } => Some(&note.note),
            Event::Supervised { note, .. } => note.as_deref(),
            _ => None,
        }
    }
}
