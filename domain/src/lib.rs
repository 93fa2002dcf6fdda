//! The business rules of e代表, pure: states, who may do what, validated values.
//!
//! Nothing here performs I/O. Callers pass in the current time and the facts a rule needs, and get back a
//! decision or a [`DomainError`]. Values that exist are valid: parse at the edge, carry the proof in the type.

#[macro_use]
mod vocabulary;

pub mod account;
pub mod appraisal;
pub mod attachment;
pub mod ballot;
pub mod bill;
pub mod deputy_contact;
pub mod deputy_report;
pub mod directory;
pub mod duty;
pub mod error;
pub mod geo;
pub mod learning;
pub mod legislation;
pub mod moderation;
pub mod notification;
pub mod one_time_code;
pub mod opinion;
pub mod privacy;
pub mod project;
pub mod rate_limit;
pub mod reception_day;
pub mod search;
pub mod statistics;
pub mod suggestion;
pub mod text;
pub mod time;

pub use error::DomainError;
pub mod selection;
