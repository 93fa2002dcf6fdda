//! sea-orm entities, hand-written so that both backends read the same Rust types (one chrono type, UUID
//! keys). They stay inside `infra`: the API has its own GraphQL types and the domain its own values.

pub mod account;
pub mod committee;
pub mod committee_member;
pub mod congress;
pub mod deputy;
pub mod deputy_expertise;
pub mod deputy_group;
pub mod deputy_qr;
pub mod device;
pub mod handling_unit;
pub mod idempotency_key;
pub mod inbox_counter;
pub mod liaison_station;
pub mod notification;
pub mod notification_preference;
pub mod opinion;
pub mod opinion_event;
pub mod outbox;
pub mod professional_group;
pub mod reception_day;
pub mod reception_day_deputy;
pub mod reception_matter;
pub mod reception_record;
pub mod refresh_token;
pub mod serial_counter;
pub mod suggestion;
pub mod suggestion_co_signer;
pub mod suggestion_event;
pub mod suggestion_unit;
