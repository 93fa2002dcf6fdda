//! The opinion as a whole, and how each event changes it. `apply` is the only place state changes, so
//! replaying an opinion's timeline always rebuilds the same opinion.

use super::event::Event;
use super::kinds::{ClosedBy, ErasureReason, OpinionCategory, OpinionSource, OpinionState};
use super::tracking::TrackingCode;
use crate::geo::{Coordinates, DivisionCode};
use crate::suggestion::Satisfaction;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who took the opinion (首问负责人): an account, and the deputy profile if it is a deputy's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responsible {
    pub account_id: Uuid,
    pub deputy_id: Option<Uuid>,
    pub at: DateTime<Utc>,
}

/// A text with its time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub text: String,
    pub at: DateTime<Utc>,
}

/// The unit's reply to a forwarded opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitReply {
    pub account_id: Uuid,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// A forwarding to a handling unit (转办).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forwarding {
    pub unit_id: Uuid,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
    pub reply: Option<UnitReply>,
}

/// The citizen's rating of the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionRating {
    pub satisfaction: Satisfaction,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

/// How and when the loop closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub by: ClosedBy,
    pub at: DateTime<Utc>,
}

/// A citizen's opinion (社情民意) with everything that happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opinion {
    pub id: Uuid,
    pub tracking_code: TrackingCode,
    pub congress_id: Uuid,
    /// The station it was addressed to, or the addressed deputy's station.
    pub station_id: Option<Uuid>,
    /// The deputy it was addressed to through their QR code.
    pub deputy_id: Option<Uuid>,
    pub source: OpinionSource,
    pub category: OpinionCategory,
    pub content: String,
    pub location: Option<String>,
    /// Where, in WGS-84, if the citizen shared or picked it.
    #[serde(default)]
    pub position: Option<Coordinates>,
    /// The administrative division it is in (行政区划代码), if known.
    #[serde(default)]
    pub division_code: Option<DivisionCode>,
    pub contact_name: Option<String>,
    /// `138****5678`; the number itself is kept encrypted outside the aggregate.
    pub contact_phone_masked: Option<String>,
    /// The citizen's account, when they were logged in.
    pub submitter_account_id: Option<Uuid>,
    pub state: OpinionState,
    /// How many events have been applied; the compare-and-set token for concurrent changes.
    pub version: u32,
    pub responsible: Option<Responsible>,
    /// How the responsible person resolved it directly.
    pub resolution: Option<Note>,
    pub forwarding: Option<Forwarding>,
    /// The suggestion draft it was turned into.
    pub suggestion_id: Option<Uuid>,
    pub feedback: Option<Note>,
    pub rating: Option<OpinionRating>,
    pub closure: Option<Closure>,
    pub created_at: DateTime<Utc>,
    /// When the current stage began: submission, acceptance, resolution, forwarding (or the unit's reply),
    /// conversion, feedback or closure.
    pub stage_at: DateTime<Utc>,
}

impl Opinion {
    /// Rebuilds an opinion from its events, in order. `None` if the first event is not `Submitted`.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Self> {
        let mut events = events.into_iter();
        let mut opinion = Self::from_submitted(events.next()?)?;
        for event in events {
            opinion.apply(event);
        }
        Some(opinion)
    }

    /// The opinion a `Submitted` event starts.
    pub fn from_submitted(event: &Event) -> Option<Self> {
        let Event::Submitted {
            id,
            tracking_code,
            congress_id,
            station_id,
            deputy_id,
            source,
            category,
            content,
            location,
            contact_name,
            contact_phone_masked,
            submitter_account_id,
            at,
            position,
            division_code,
        } = event
        else {
            return None;
        };
        Some(Self {
            id: *id,
            tracking_code: tracking_code.clone(),
            congress_id: *congress_id,
            station_id: *station_id,
            deputy_id: *deputy_id,
            source: *source,
            category: *category,
            content: content.clone(),
            location: location.clone(),
            position: *position,
            division_code: division_code.clone(),
            contact_name: contact_name.clone(),
            contact_phone_masked: contact_phone_masked.clone(),
            submitter_account_id: *submitter_account_id,
            state: OpinionState::Received,
            version: 1,
            responsible: None,
            resolution: None,
            forwarding: None,
            suggestion_id: None,
            feedback: None,
            rating: None,
            closure: None,
            created_at: *at,
            stage_at: *at,
        })
    }

    /// Applies one event. Events were decided valid, so this never fails; an event that does not fit (only
    /// possible with a corrupted timeline) changes nothing but the version.
    pub fn apply(&mut self, event: &Event) {
        self.version += 1;
        match event {
            Event::Submitted { .. } => return,
            Event::Accepted { account_id, deputy_id, at } => {
                self.responsible =
                    Some(Responsible { account_id: *account_id, deputy_id: *deputy_id, at: *at });
                self.state = OpinionState::Accepted;
            }
            Event::ResolvedDirectly { note, at } => {
                self.resolution = Some(Note { text: note.clone(), at: *at });
                self.state = OpinionState::ResolvedDirectly;
            }
            Event::Forwarded { unit_id, note, at } => {
                self.forwarding =
                    Some(Forwarding { unit_id: *unit_id, note: note.clone(), at: *at, reply: None });
                self.state = OpinionState::Forwarded;
            }
            Event::UnitReplied { unit_id, account_id, text, at } => match &mut self.forwarding {
                Some(f) if f.unit_id == *unit_id => {
                    f.reply = Some(UnitReply { account_id: *account_id, text: text.clone(), at: *at });
                }
                _ => return,
            },
            Event::Converted { suggestion_id, .. } => {
                self.suggestion_id = Some(*suggestion_id);
                self.state = OpinionState::Converted;
            }
            Event::FeedbackGiven { text, at } => {
                self.feedback = Some(Note { text: text.clone(), at: *at });
                self.state = OpinionState::FeedbackGiven;
            }
            Event::Rated { satisfaction, comment, at } => {
                self.rating =
                    Some(OpinionRating { satisfaction: *satisfaction, comment: comment.clone(), at: *at });
                self.closure = Some(Closure { by: ClosedBy::Rating, at: *at });
                self.state = OpinionState::Closed;
            }
            Event::ClosedByTimeout { at } => {
                self.closure = Some(Closure { by: ClosedBy::Timeout, at: *at });
                self.state = OpinionState::Closed;
            }
            // Not a step of the loop: the state and how long it has waited stay as they were.
            Event::ContactErased { reason, .. } => {
                self.contact_name = None;
                self.contact_phone_masked = None;
                if *reason == ErasureReason::AccountDeleted {
                    self.submitter_account_id = None;
                }
                return;
            }
        }
        self.stage_at = event.at();
    }

    /// Whether the unit it was forwarded to has replied.
    pub fn unit_replied(&self) -> bool {
        self.forwarding.as_ref().is_some_and(|f| f.reply.is_some())
    }

    /// The unit it is forwarded to.
    pub fn forwarded_unit(&self) -> Option<Uuid> {
        self.forwarding.as_ref().map(|f| f.unit_id)
    }
}
