//! China Standard Time (UTC+8 all year, no daylight saving), the one clock of every calendar rule: quota
//! periods, statistics years and days, opinion months, digest times, dates shown to people.

use chrono::{DateTime, Days, FixedOffset, NaiveDate, TimeZone, Utc};

/// China Standard Time, UTC+8.
pub const CHINA_STANDARD_TIME: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// An instant on the China Standard Time clock.
pub fn in_cst(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&CHINA_STANDARD_TIME)
}

/// The calendar day of an instant in China Standard Time: 16:30 UTC on 31 March is already 1 April.
pub fn cst_date(at: DateTime<Utc>) -> NaiveDate {
    in_cst(at).date_naive()
}

/// The first moment of a CST calendar day, if the day can be represented.
pub fn cst_midnight(day: NaiveDate) -> Option<DateTime<Utc>> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| CHINA_STANDARD_TIME.from_local_datetime(&t).single())
        .map(|t| t.with_timezone(&Utc))
}

/// The first moment of a CST calendar day.
pub fn cst_start_of(day: NaiveDate) -> DateTime<Utc> {
    cst_midnight(day).unwrap_or_default()
}

/// A CST calendar year as the instants `[start, end)`.
pub fn cst_year(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
    (cst_start_of(first(year)), cst_start_of(first(year + 1)))
}

/// The CST days `from..=to` as the instants `[start, end)`.
pub fn cst_days(from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    (cst_start_of(from), cst_start_of(to.checked_add_days(Days::new(1)).unwrap_or(to)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_days_run_in_china_standard_time() {
        let (start, end) = cst_year(2026);
        assert_eq!(start.to_rfc3339(), "2025-12-31T16:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-12-31T16:00:00+00:00");
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        let (from, to) = cst_days(day(3, 1), day(3, 31));
        assert_eq!(from.to_rfc3339(), "2026-02-28T16:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-03-31T16:00:00+00:00");
    }

    #[test]
    fn a_day_turns_at_midnight_in_beijing() {
        let at = |h| Utc.with_ymd_and_hms(2026, 3, 31, h, 30, 0).single().unwrap_or_default();
        assert_eq!(cst_date(at(15)), NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default());
        assert_eq!(cst_date(at(16)), NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default());
    }
}
