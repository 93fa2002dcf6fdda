//! What people ask to do with an opinion. Constructors validate the free text, so a command that exists
//! is well-formed; `decide` then checks who asks, in which state.

use crate::DomainError;
use crate::suggestion::Satisfaction;
use crate::text::{bounded, optional};
use uuid::Uuid;

/// A required text (a resolution, reply or feedback): 1–2,000 characters.
pub fn text(field: &'static str, raw: &str) -> Result<String, DomainError> {
    bounded(field, raw, 1, 2000)
}

/// An optional note: up to 2,000 characters; blank means none.
pub fn note(field: &'static str, raw: Option<&str>) -> Result<Option<String>, DomainError> {
    optional(field, raw, 2000)
}

/// A citizen's rating of the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingInput {
    pub satisfaction: Satisfaction,
    pub comment: Option<String>,
}

impl RatingInput {
    /// The comment is optional, up to 500 characters.
    pub fn parse(satisfaction: Satisfaction, comment: Option<&str>) -> Result<Self, DomainError> {
        Ok(Self { satisfaction, comment: optional("comment", comment, 500)? })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Take the opinion and become responsible for it (首问负责).
    Accept,
    /// Resolve it directly, saying how.
    ResolveDirectly { note: String },
    /// Forward it to a handling unit; `unit_congress_id` is the unit's congress, looked up by storage.
    Forward { unit_id: Uuid, unit_congress_id: Uuid, note: Option<String> },
    /// The unit replies to the responsible person.
    Reply { text: String },
    /// Record the suggestion draft it was turned into (storage creates the draft).
    Convert { suggestion_id: Uuid },
    /// Give the citizen the answer.
    GiveFeedback { text: String },
    /// The citizen rates the outcome.
    Rate(RatingInput),
}

/// The name of a command, for the permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Accept,
    ResolveDirectly,
    Forward,
    Reply,
    Convert,
    GiveFeedback,
    Rate,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Accept,
        Action::ResolveDirectly,
        Action::Forward,
        Action::Reply,
        Action::Convert,
        Action::GiveFeedback,
        Action::Rate,
    ];
}

impl Command {
    pub fn action(&self) -> Action {
        match self {
            Command::Accept => Action::Accept,
            Command::ResolveDirectly { .. } => Action::ResolveDirectly,
            Command::Forward { .. } => Action::Forward,
            Command::Reply { .. } => Action::Reply,
            Command::Convert { .. } => Action::Convert,
            Command::GiveFeedback { .. } => Action::GiveFeedback,
            Command::Rate(_) => Action::Rate,
        }
    }
}
