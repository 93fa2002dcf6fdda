//! A calendar month in China Standard Time, for monthly counts and ledgers.

use crate::DomainError;
use crate::time::{CHINA_STANDARD_TIME, cst_start_of};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::fmt;

/// A month such as 2026-11, from its first moment to the first moment of the next (China Standard Time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// Reads `YYYY-MM` (years 2000–2100).
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let refuse = || DomainError::invalid("month", "must be a month like 2026-11");
        let (y, m) = raw.trim().split_once('-').ok_or_else(refuse)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(refuse());
        }
        let year: i32 = y.parse().map_err(|_| refuse())?;
        let month: u32 = m.parse().map_err(|_| refuse())?;
        if !(2000..=2100).contains(&year) || !(1..=12).contains(&month) {
            return Err(refuse());
        }
        Ok(Self { year, month })
    }

    /// The month `at` falls in, in China Standard Time.
    pub fn of(at: DateTime<Utc>) -> Self {
        let local = at.with_timezone(&CHINA_STANDARD_TIME);
        Self { year: local.year(), month: local.month() }
    }

    fn first_moment(year: i32, month: u32) -> DateTime<Utc> {
        cst_start_of(NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default())
    }

    /// The first moment of the month.
    pub fn start(self) -> DateTime<Utc> {
        Self::first_moment(self.year, self.month)
    }

    /// The first moment of the next month (the end, exclusive).
    pub fn end(self) -> DateTime<Utc> {
        if self.month == 12 {
            Self::first_moment(self.year + 1, 1)
        } else {
            Self::first_moment(self.year, self.month + 1)
        }
    }

    /// Whether `at` falls in the month.
    pub fn contains(self, at: DateTime<Utc>) -> bool {
        self.start() <= at && at < self.end()
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn months_run_in_china_standard_time() {
        let nov = Month::parse("2026-11").unwrap();
        assert_eq!(nov.to_string(), "2026-11");
        assert_eq!(nov.start().to_rfc3339(), "2026-10-31T16:00:00+00:00");
        assert_eq!(nov.end().to_rfc3339(), "2026-11-30T16:00:00+00:00");
        let dec = Month::parse("2026-12").unwrap();
        assert_eq!(dec.end().to_rfc3339(), "2026-12-31T16:00:00+00:00");
        // 23:30 UTC on 31 October is 07:30 on 1 November in Beijing.
        let at = Utc.with_ymd_and_hms(2026, 10, 31, 23, 30, 0).single().unwrap_or_default();
        assert_eq!(Month::of(at), nov);
        assert!(nov.contains(at));
    }

    #[test]
    fn refuses_what_is_not_a_month() {
        for raw in ["", "2026", "2026-13", "2026-00", "26-11", "2026-1", "1999-12", "abcd-ef"] {
            assert!(Month::parse(raw).is_err(), "{raw}");
        }
    }
}
