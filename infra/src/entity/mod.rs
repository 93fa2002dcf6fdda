//! sea-orm entities, hand-written so that both backends read the same Rust types (one chrono type, UUID
//! keys). They stay inside `infra`: the API has its own GraphQL types and the domain its own values.

pub mod account;
pub mod activity;
pub mod activity_participant;
pub mod committee;
pub mod committee_member;
pub mod congress;
pub mod deputy;
pub mod deputy_expertise;
pub mod deputy_group;
pub mod deputy_qr;
pub mod device;
pub mod duty_entry;
pub mod duty_evaluation;
pub mod duty_quota;
pub mod evaluation_result;
pub mod group_assessment;
pub mod handling_unit;
pub mod idempotency_key;
#[allow(dead_code, reason = "written by raw SQL (notifications::write_all); the entity documents the table")]
pub mod inbox_counter;
pub mod liaison_station;
pub mod notification;
pub mod notification_preference;
pub mod one_time_code;
pub mod opinion;
pub mod opinion_event;
pub mod outbox;
pub mod point_rule;
pub mod professional_group;
pub mod quota_reminder;
pub mod reception_day;
pub mod reception_day_deputy;
pub mod reception_matter;
pub mod reception_record;
pub mod rectification_report;
pub mod refresh_token;
pub mod reminder_talk;
pub mod serial_counter;
pub mod session;
pub mod suggestion;
pub mod suggestion_co_signer;
pub mod suggestion_event;
pub mod suggestion_unit;
pub mod voter_rating;
