//! What happened to an opinion. Events are facts: decided valid once, stored on the timeline, and applied
//! in order to rebuild the opinion.

use super::kinds::{ErasureReason, OpinionCategory, OpinionEventKind, OpinionSource};
use super::tracking::TrackingCode;
use crate::geo::{Coordinates, DivisionCode};
use crate::suggestion::Satisfaction;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Event {
    /// The opinion came in. The contact phone is here only masked.
    Submitted {
        id: Uuid,
        tracking_code: TrackingCode,
        congress_id: Uuid,
        station_id: Option<Uuid>,
        deputy_id: Option<Uuid>,
        source: OpinionSource,
        category: OpinionCategory,
        content: String,
        location: Option<String>,
        contact_name: Option<String>,
        contact_phone_masked: Option<String>,
        submitter_account_id: Option<Uuid>,
        at: DateTime<Utc>,
        /// Where, in WGS-84 (absent from submissions stored before positions existed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        position: Option<Coordinates>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        division_code: Option<DivisionCode>,
    },
    /// Someone took it and is responsible until it is closed (首问负责).
    Accepted { account_id: Uuid, deputy_id: Option<Uuid>, at: DateTime<Utc> },
    /// The responsible person resolved it themself; `note` says how.
    ResolvedDirectly { note: String, at: DateTime<Utc> },
    /// Forwarded to a handling unit (转办).
    Forwarded { unit_id: Uuid, note: Option<String>, at: DateTime<Utc> },
    /// The unit's reply to the responsible person.
    UnitReplied { unit_id: Uuid, account_id: Uuid, text: String, at: DateTime<Utc> },
    /// Turned into a suggestion draft of the responsible deputy.
    Converted { suggestion_id: Uuid, at: DateTime<Utc> },
    /// The answer the citizen sees (反馈).
    FeedbackGiven { text: String, at: DateTime<Utc> },
    /// The citizen rated the outcome; this closes the opinion.
    Rated { satisfaction: Satisfaction, comment: Option<String>, at: DateTime<Utc> },
    /// Nobody rated in time after the feedback.
    ClosedByTimeout { at: DateTime<Utc> },
    /// The contact name and phone were erased, here and from the submission (see
    /// [`Event::without_contact`]); for a deleted account also the link to it.
    ContactErased { reason: ErasureReason, at: DateTime<Utc> },
}

impl Event {
    /// A stable name for the timeline, e.g. `FORWARDED`.
    pub fn kind(&self) -> &'static str {
        self.event_kind().as_str()
    }

    /// What kind of step it is, as the timeline names it.
    pub fn event_kind(&self) -> OpinionEventKind {
        match self {
            Event::Submitted { .. } => OpinionEventKind::Submitted,
            Event::Accepted { .. } => OpinionEventKind::Accepted,
            Event::ResolvedDirectly { .. } => OpinionEventKind::ResolvedDirectly,
            Event::Forwarded { .. } => OpinionEventKind::Forwarded,
            Event::UnitReplied { .. } => OpinionEventKind::UnitReplied,
            Event::Converted { .. } => OpinionEventKind::Converted,
            Event::FeedbackGiven { .. } => OpinionEventKind::FeedbackGiven,
            Event::Rated { .. } => OpinionEventKind::Rated,
            Event::ClosedByTimeout { .. } => OpinionEventKind::ClosedByTimeout,
            Event::ContactErased { .. } => OpinionEventKind::ContactErased,
        }
    }

    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::Submitted { at, .. }
            | Event::Accepted { at, .. }
            | Event::ResolvedDirectly { at, .. }
            | Event::Forwarded { at, .. }
            | Event::UnitReplied { at, .. }
            | Event::Converted { at, .. }
            | Event::FeedbackGiven { at, .. }
            | Event::Rated { at, .. }
            | Event::ClosedByTimeout { at }
            | Event::ContactErased { at, .. } => *at,
        }
    }

    /// The note worth showing on the timeline to those who handle the opinion, if any.
    pub fn note(&self) -> Option<&str> {
        match self {
            Event::ResolvedDirectly { note, .. } => Some(note),
            Event::Forwarded { note, .. } => note.as_deref(),
            Event::UnitReplied { text, .. } | Event::FeedbackGiven { text, .. } => Some(text),
            Event::Rated { comment, .. } => comment.as_deref(),
            _ => None,
        }
    }

    /// Whether the step shows on the public timeline (the tracking-code view): every step does, without
    /// its note, except the unit's internal reply.
    pub fn is_public(&self) -> bool {
        !matches!(self, Event::UnitReplied { .. })
    }

    /// The stored submission as it must read once the contact details are erased for `reason`: the
    /// timeline keeps what was raised, not who raised it. Other events carry no contact details.
    pub fn without_contact(&self, reason: ErasureReason) -> Event {
        let mut scrubbed = self.clone();
        if let Event::Submitted { contact_name, contact_phone_masked, submitter_account_id, .. } =
            &mut scrubbed
        {
            *contact_name = None;
            *contact_phone_masked = None;
            if reason == ErasureReason::AccountDeleted {
                *submitter_account_id = None;
            }
        }
        scrubbed
    }
}
