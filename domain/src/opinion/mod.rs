//! Citizens' opinions (社情民意): a matter raised by a member of the public through a deputy's QR code, at a
//! liaison station, or at a reception, and its closed loop RECEIVED → ACCEPTED → RESOLVED_DIRECTLY |
//! FORWARDED | CONVERTED → FEEDBACK_GIVEN → CLOSED. Also the reception records (接待记录) kept at stations.
//!
//! As with suggestions, an opinion changes only by events: [`Opinion::decide`] turns a command into events
//! or a refusal, [`Opinion::apply`] applies an event, and replaying the timeline rebuilds the opinion.
//!
//! The contact phone number is not part of the aggregate: it carries only the masked form
//! (138****5678); storage keeps the number itself encrypted beside it, for the people who must call back
//! ([`may_call_back`]).

mod aggregate;
mod command;
mod decide;
mod erasure;
mod event;
mod input;
mod kinds;
mod month;
mod notice;
mod policy;
mod published;
mod reception;
#[cfg(test)]
mod tests;
mod tracking;
mod visibility;
mod waiting;

pub use aggregate::{Closure, Forwarding, Note, Opinion, OpinionRating, Responsible, UnitReply};
pub use command::{Action, Command, RatingInput, note, text};
pub use decide::{Caller, Party, allowed, states};
pub use event::Event;
pub use input::{Addressee, ContactPhone, MAX_CONTENT, OpinionInput};
pub use kinds::{ClosedBy, ErasureReason, OpinionCategory, OpinionEventKind, OpinionSource, OpinionState};
pub use month::Month;
pub use notice::{Audience, Notice, notice_for};
pub use policy::OpinionPolicy;
pub use published::{PUBLISHED_DECIMALS, PublishedOpinion, publish};
pub use reception::{MatterInput, ReceptionInput, may_record_reception};
pub use tracking::{TRACKING_MISSES_PER_ADDRESS, TrackingCode};
pub use visibility::{Scope, Sight, may_call_back, may_view};
pub use waiting::{WaitKind, overdue};
