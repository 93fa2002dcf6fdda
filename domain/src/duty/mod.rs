//! Duty performance (履职): activities and attendance, points, quotas and the yearly evaluation.
//!
//! Pure rules only. The duty archive (`DutyArchive`) that feeds them is assembled by callers from the
//! system's own records (suggestions, opinions, activities, reception days) and handed in as
//! [`points::PointEntry`] values; nothing here reads or stores anything.

pub mod activity;
pub mod evaluation;
pub mod points;
pub mod quota;
pub mod record;
pub mod scheme;
