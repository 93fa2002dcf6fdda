//! Suggestions (代表建议): the lifecycle DRAFT → PROPOSED → ASSIGNED → HANDLED → ANSWERED → RATED, who may
//! do what in which state, and the events that record it.
//!
//! A suggestion changes only by events. [`Suggestion::decide`] turns a command into events or a refusal;
//! [`Suggestion::apply`] applies an event. Storage keeps the events as the timeline, so replaying them
//! rebuilds the suggestion exactly.

mod aggregate;
mod command;
mod deadline;
mod decide;
mod event;
mod kinds;
mod notice;
mod policy;
#[cfg(test)]
mod tests;
mod visibility;

pub use aggregate::{
    Answer, Assignment, CoOpinion, CoSigner, Contact, ImplementationNote, PendingExtension,
    PendingReassignment, Rating, Sitting, Suggestion, Supervision, SupervisionNote, UnitPart,
};
pub use command::{Action, AnswerInput, Command, DraftText, MergeTarget, RatingInput, UnitChoice};
pub use deadline::{DUE_SOON_DAYS, Reminder, reminder_due};
pub use decide::{Party, allowed, states};
pub use event::Event;
pub use kinds::{
    AnswerClass, CoSignStatus, ContactMethod, HandlingMode, HandlingRole, Satisfaction, SuggestionEventKind,
    SuggestionState,
};
pub use notice::{Audience, Notice, notice_for};
pub use policy::SuggestionPolicy;
pub use visibility::{
    ListPart, Scope, Sight, has_public_answer, may_follow, may_unfollow, may_view, own_count_changes,
    own_deputies, parts_holding, public_face, sight,
};
