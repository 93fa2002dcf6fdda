//! Time as the tests write it: RFC 3339 timestamps in UTC, calendar dates and the current year.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use serde_json::Value;

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Unix seconds now.
pub fn unix_now() -> i64 {
    Utc::now().timestamp()
}

/// `secs` (Unix time) as an RFC 3339 UTC timestamp, to the second: `2026-12-05T06:48:26Z`.
pub fn rfc3339(secs: i64) -> String {
    let at = DateTime::from_timestamp(secs, 0).unwrap_or_else(|| panic!("{secs} is out of range"));
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The RFC 3339 UTC timestamp `secs` seconds from now.
pub fn in_seconds(secs: i64) -> String {
    rfc3339(unix_now() + secs)
}

/// Unix seconds of an RFC 3339 UTC timestamp (fractions dropped).
#[track_caller]
pub fn secs_of(value: &Value) -> i64 {
    let text = value.as_str().unwrap_or_else(|| panic!("not a timestamp: {value}"));
    assert!(text.ends_with('Z') || text.ends_with("+00:00"), "not UTC: {text}");
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("not a timestamp: {text}: {e}")).timestamp()
}

/// The calendar date `days` from today in China Standard Time, `YYYY-MM-DD`: the server judges dates
/// ("not in the past") by that calendar, which is a day ahead of UTC's from 16:00 UTC.
pub fn date_in(days: i64) -> String {
    (cst_today() + chrono::Duration::days(days)).to_string()
}

/// The current UTC year.
pub fn this_year() -> i32 {
    Utc::now().year()
}

/// Today in China Standard Time (UTC+8), the calendar the server counts years and months in.
pub fn cst_today() -> NaiveDate {
    (Utc::now() + chrono::Duration::hours(8)).date_naive()
}
