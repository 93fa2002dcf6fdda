//! Each person's push preferences, and when their daily digest goes out.

use super::Category;
use crate::DomainError;
use crate::time::CHINA_STANDARD_TIME;
use chrono::{DateTime, Days, NaiveTime, TimeDelta, Timelike, Utc};
use std::collections::BTreeSet;
use std::fmt;

/// When the daily digest goes out: a time of day in China Standard Time on a whole quarter hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DigestTime(NaiveTime);

impl DigestTime {
    /// 20:00, the default: after working hours, before bedtime.
    pub const DEFAULT: DigestTime = DigestTime(match NaiveTime::from_hms_opt(20, 0, 0) {
        Some(time) => time,
        None => panic!("20:00 is a valid time"),
    });

    /// Parses `HH:MM` (24-hour clock); the minutes must be 00, 15, 30 or 45.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let raw = raw.trim();
        let time = (raw.len() == 5)
            .then(|| NaiveTime::parse_from_str(raw, "%H:%M").ok())
            .flatten()
            .ok_or_else(|| DomainError::invalid("digestTime", "must be a time like 08:30 (HH:MM)"))?;
        if time.minute() % 15 != 0 {
            return Err(DomainError::invalid("digestTime", "must be on a quarter hour (:00, :15, :30, :45)"));
        }
        Ok(Self(time))
    }

    pub fn time(self) -> NaiveTime {
        self.0
    }
}

impl Default for DigestTime {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for DigestTime {
    /// `HH:MM`, as [`DigestTime::parse`] reads it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

/// How one person wants to be pushed. The in-app inbox gets everything whatever these say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    /// Categories never pushed.
    pub push_muted: BTreeSet<Category>,
    /// One push a day summing up, instead of one push per notification.
    pub daily_digest: bool,
    /// When the digest goes out.
    pub digest_time: DigestTime,
}

impl Preferences {
    /// Whether notifications of `category` go to the phones at all (one by one or in the digest).
    pub fn pushes(&self, category: Category) -> bool {
        !self.push_muted.contains(&category)
    }
}

/// The first digest time strictly after both the last digest and the arrival of the oldest notification
/// waiting for it: a notification that arrives at 10:05 goes out at 20:00 the same day, one that arrives
/// at 20:10 the next day, and no two digests go out for the same digest time.
pub fn next_digest_at(
    prefs: &Preferences,
    last_digest_at: Option<DateTime<Utc>>,
    waiting_since: DateTime<Utc>,
) -> DateTime<Utc> {
    let after = last_digest_at.map_or(waiting_since, |last| last.max(waiting_since));
    let local = after.with_timezone(&CHINA_STANDARD_TIME).naive_local();
    let mut slot = local.date().and_time(prefs.digest_time.time());
    if slot <= local {
        slot = slot.checked_add_days(Days::new(1)).unwrap_or(slot);
    }
    let offset = TimeDelta::seconds(i64::from(CHINA_STANDARD_TIME.local_minus_utc()));
    (slot - offset).and_utc()
}

/// Whether the digest of someone with `prefs` should go out at `now`. When the digest has been turned
/// off, what still waits for it goes out at once.
pub fn digest_due(
    prefs: &Preferences,
    last_digest_at: Option<DateTime<Utc>>,
    waiting_since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    !prefs.daily_digest || next_digest_at(prefs, last_digest_at, waiting_since) <= now
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// A moment given in China Standard Time.
    fn cst(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        CHINA_STANDARD_TIME
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("valid time")
            .with_timezone(&Utc)
    }

    fn at(time: &str) -> Preferences {
        let digest_time = DigestTime::parse(time).unwrap();
        Preferences { daily_digest: true, digest_time, ..Preferences::default() }
    }

    #[test]
    fn digest_times_are_whole_quarter_hours() {
        assert_eq!(DigestTime::parse("08:30").map(|t| t.to_string()), Ok("08:30".to_owned()));
        assert_eq!(DigestTime::parse(" 23:45 ").map(|t| t.to_string()), Ok("23:45".to_owned()));
        assert_eq!(DigestTime::parse("00:00").map(|t| t.to_string()), Ok("00:00".to_owned()));
        for bad in ["08:10", "24:00", "8:30", "08:30:00", "0830", "", "noon", "-1:00"] {
            assert!(
                matches!(DigestTime::parse(bad), Err(DomainError::Invalid { field: "digestTime", .. })),
                "{bad:?} accepted"
            );
        }
        assert_eq!(DigestTime::default().to_string(), "20:00");
    }

    #[test]
    fn defaults_push_everything_one_by_one() {
        let prefs = Preferences::default();
        assert!(!prefs.daily_digest);
        assert!(Category::ALL.iter().all(|c| prefs.pushes(*c)));
        let muted = Preferences { push_muted: [Category::Work].into(), ..prefs };
        assert!(!muted.pushes(Category::Work));
        assert!(muted.pushes(Category::Progress));
    }

    #[test]
    fn the_digest_goes_out_at_the_next_digest_time_in_china_standard_time() {
        let prefs = at("20:00");
        // 10:05 in Beijing is 02:05 UTC; the digest is at 20:00 Beijing, 12:00 UTC the same day.
        assert_eq!(next_digest_at(&prefs, None, cst(2026, 3, 2, 10, 5)), cst(2026, 3, 2, 20, 0));
        assert_eq!(
            cst(2026, 3, 2, 20, 0),
            Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).single().unwrap_or_default()
        );
        // After the digest time: the next day.
        assert_eq!(next_digest_at(&prefs, None, cst(2026, 3, 2, 20, 10)), cst(2026, 3, 3, 20, 0));
        // Exactly at it: that one is gone (or was the one just sent).
        assert_eq!(next_digest_at(&prefs, None, cst(2026, 3, 2, 20, 0)), cst(2026, 3, 3, 20, 0));
        // An early digest time crosses the UTC date line: 07:30 Beijing is 23:30 UTC the day before.
        let morning = at("07:30");
        assert_eq!(next_digest_at(&morning, None, cst(2026, 3, 2, 23, 0)), cst(2026, 3, 3, 7, 30));
        // Across the end of a month and a year.
        assert_eq!(next_digest_at(&prefs, None, cst(2026, 12, 31, 21, 0)), cst(2027, 1, 1, 20, 0));
    }

    #[test]
    fn one_digest_per_digest_time() {
        let prefs = at("20:00");
        let sent = cst(2026, 3, 2, 20, 0) + TimeDelta::seconds(3);
        // Something that arrived before today's digest and was missed by it waits for tomorrow's.
        let waiting = cst(2026, 3, 2, 19, 59);
        assert_eq!(next_digest_at(&prefs, Some(sent), waiting), cst(2026, 3, 3, 20, 0));
        assert!(!digest_due(&prefs, Some(sent), waiting, sent + TimeDelta::minutes(5)));
        assert!(digest_due(&prefs, Some(sent), waiting, cst(2026, 3, 3, 20, 0)));
        // A digest sent long ago does not make a new notification go out at once.
        let long_ago = cst(2026, 1, 1, 20, 0);
        let arrived = cst(2026, 3, 2, 10, 0);
        assert!(!digest_due(&prefs, Some(long_ago), arrived, arrived + TimeDelta::hours(1)));
        assert!(digest_due(&prefs, Some(long_ago), arrived, cst(2026, 3, 2, 20, 0)));
    }

    #[test]
    fn turning_the_digest_off_releases_what_waits() {
        let prefs = Preferences { daily_digest: false, ..at("20:00") };
        let arrived = cst(2026, 3, 2, 10, 0);
        assert!(digest_due(&prefs, None, arrived, arrived));
    }
}
