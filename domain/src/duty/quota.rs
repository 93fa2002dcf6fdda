//! Quotas (履职任务, e.g. "十个一"): how many entries of which kinds a deputy owes per month, quarter or year,
//! how far along they are, and when to remind them.
//!
//! Periods are calendar periods in China Standard Time (UTC+8, no daylight saving): what matters is the
//! Beijing calendar day, so 16:30 UTC on 31 March already belongs to April.

use super::points::{EntryKind, PointEntry};
use crate::DomainError;
use crate::time::cst_date;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use uuid::Uuid;

vocabulary!(
    /// How often a quota falls due.
    PeriodKind {
        Month = "MONTH",
        Quarter = "QUARTER",
        Year = "YEAR",
    }
);

/// How close to the end of a period a deputy who is behind gets reminded.
pub const REMINDER_WINDOW_DAYS: u64 = 7;

impl PeriodKind {
    fn months(self) -> u32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }
}

/// One month, quarter or year, as the CST days `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    pub year: i32,
    /// 1-based: the month (1–12), the quarter (1–4) or 1 for the year.
    pub index: u32,
    pub start: NaiveDate,
    /// The first day after the period.
    pub end: NaiveDate,
}

impl Period {
    /// The period of `kind` containing the CST calendar day `date`.
    pub fn containing_date(kind: PeriodKind, date: NaiveDate) -> Period {
        let index = date.month0() / kind.months() + 1;
        Period::nth(kind, date.year(), index)
    }

    /// The period of `kind` containing the instant `at`, read in China Standard Time.
    pub fn containing(kind: PeriodKind, at: DateTime<Utc>) -> Period {
        Period::containing_date(kind, cst_date(at))
    }

    fn nth(kind: PeriodKind, year: i32, index: u32) -> Period {
        let first_month = (index - 1) * kind.months() + 1;
        let start = NaiveDate::from_ymd_opt(year, first_month, 1).unwrap_or_default();
        let end = start.checked_add_months(Months::new(kind.months())).unwrap_or(NaiveDate::MAX);
        Period { kind, year, index, start, end }
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end
    }

    /// The last day of the period.
    pub fn last_day(&self) -> NaiveDate {
        self.end.pred_opt().unwrap_or(self.end)
    }
}

/// The periods of `kind` in `year`, in order: 12 months, 4 quarters or the year.
pub fn periods(kind: PeriodKind, year: i32) -> Vec<Period> {
    (1..=12 / kind.months()).map(|index| Period::nth(kind, year, index)).collect()
}

/// What a congress or township asks of each deputy, e.g. "one reception a month".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyQuota {
    pub id: Uuid,
    pub item: String,
    pub period: PeriodKind,
    pub required: u32,
    /// The archive entries that count toward it.
    pub counts: Vec<EntryKind>,
}

impl DutyQuota {
    /// A quota needs a name, something to count and at least one required entry (zero is no quota).
    pub fn new(
        id: Uuid,
        item: &str,
        period: PeriodKind,
        required: u32,
        counts: Vec<EntryKind>,
    ) -> Result<Self, DomainError> {
        let item = item.trim();
        if item.is_empty() {
            return Err(DomainError::invalid("item", "a quota needs a name"));
        }
        if required == 0 {
            return Err(DomainError::invalid("required", "must be at least 1"));
        }
        if counts.is_empty() {
            return Err(DomainError::invalid("counts", "name at least one kind of entry that counts"));
        }
        let mut counts = counts;
        counts.sort();
        counts.dedup();
        Ok(Self { id, item: item.to_owned(), period, required, counts })
    }
}

impl DutyQuota {
    /// Whether an entry of `kind` counts toward the quota: one of its kinds, or a kind whose
    /// [`EntryKind::general`] kind is one of them (a quota of ACTIVITY_ATTENDED counts every attended
    /// activity, as it did before the activity kinds were told apart).
    pub fn counts_kind(&self, kind: EntryKind) -> bool {
        self.counts.contains(&kind) || kind.general().is_some_and(|g| self.counts.contains(&g))
    }
}

/// A deputy's standing on one quota in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u32,
    pub required: u32,
    pub behind: bool,
}

/// Counts the deputy's entries of the quota's kinds dated within `period`.
pub fn progress(quota: &DutyQuota, entries: &[PointEntry], period: &Period) -> Progress {
    let done = entries.iter().filter(|e| quota.counts_kind(e.kind) && period.contains(e.date)).count();
    let done = u32::try_from(done).unwrap_or(u32::MAX);
    Progress { done, required: quota.required, behind: done < quota.required }
}

/// A reminder is due when the deputy is still behind and `now` falls within the last
/// [`REMINDER_WINDOW_DAYS`] days of the period (CST): early enough to act, late enough not to nag.
pub fn reminder_due(progress: &Progress, period: &Period, now: DateTime<Utc>) -> bool {
    let today = cst_date(now);
    let window_start = period.end.checked_sub_days(Days::new(REMINDER_WINDOW_DAYS)).unwrap_or(period.start);
    progress.behind && period.contains(today) && today >= window_start
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap_or_default()
    }

    fn entry(n: u128, kind: EntryKind, date: NaiveDate) -> PointEntry {
        PointEntry { kind, date, source_id: Uuid::from_u128(n), note: String::new() }
    }

    fn reception_a_month() -> DutyQuota {
        DutyQuota::new(
            Uuid::from_u128(1),
            " 每月接待一次 ",
            PeriodKind::Month,
            1,
            vec![EntryKind::ReceptionServed],
        )
        .unwrap()
    }

    #[test]
    fn a_quota_needs_a_name_a_count_and_kinds() {
        let id = Uuid::from_u128(1);
        assert!(DutyQuota::new(id, " ", PeriodKind::Year, 1, vec![EntryKind::SuggestionLed]).is_err());
        assert!(DutyQuota::new(id, "建议", PeriodKind::Year, 0, vec![EntryKind::SuggestionLed]).is_err());
        assert!(DutyQuota::new(id, "建议", PeriodKind::Year, 1, vec![]).is_err());
        assert_eq!(reception_a_month().item, "每月接待一次");
        let deduped = DutyQuota::new(
            id,
            "x",
            PeriodKind::Year,
            1,
            vec![EntryKind::SuggestionLed, EntryKind::SuggestionLed],
        )
        .unwrap();
        assert_eq!(deduped.counts, vec![EntryKind::SuggestionLed]);
    }

    #[test]
    fn a_year_splits_into_twelve_months_four_quarters_or_one_year() {
        let months = periods(PeriodKind::Month, 2028);
        assert_eq!(months.len(), 12);
        assert_eq!((months[1].start, months[1].end), (day(2028, 2, 1), day(2028, 3, 1)));
        assert_eq!(months[1].last_day(), day(2028, 2, 29), "leap year");
        assert_eq!(months[11].end, day(2029, 1, 1));
        let quarters = periods(PeriodKind::Quarter, 2026);
        assert_eq!(
            quarters.iter().map(|q| (q.index, q.start)).collect::<Vec<_>>(),
            vec![(1, day(2026, 1, 1)), (2, day(2026, 4, 1)), (3, day(2026, 7, 1)), (4, day(2026, 10, 1))]
        );
        assert_eq!(
            periods(PeriodKind::Year, 2026),
            vec![Period {
                kind: PeriodKind::Year,
                year: 2026,
                index: 1,
                start: day(2026, 1, 1),
                end: day(2027, 1, 1)
            }]
        );
        for kind in PeriodKind::ALL {
            let ps = periods(*kind, 2026);
            assert!(ps.windows(2).all(|w| w[0].end == w[1].start), "periods tile the year");
        }
    }

    #[test]
    fn the_period_of_an_instant_is_read_in_china_standard_time() {
        // 16:30 UTC on 31 March is 00:30 on 1 April in Beijing.
        let p = Period::containing(PeriodKind::Month, utc(2026, 3, 31, 16, 30));
        assert_eq!((p.year, p.index), (2026, 4));
        let q = Period::containing(PeriodKind::Quarter, utc(2026, 3, 31, 15, 59));
        assert_eq!((q.year, q.index), (2026, 1));
        let y = Period::containing(PeriodKind::Year, utc(2026, 12, 31, 16, 0));
        assert_eq!(y.year, 2027);
        assert_eq!(Period::containing_date(PeriodKind::Quarter, day(2026, 9, 30)).index, 3);
        assert_eq!(Period::containing_date(PeriodKind::Quarter, day(2026, 10, 1)).index, 4);
    }

    #[test]
    fn progress_counts_only_the_quota_kinds_within_the_period() {
        let quota = reception_a_month();
        let may = Period::containing_date(PeriodKind::Month, day(2026, 5, 10));
        let entries = [
            entry(1, EntryKind::ReceptionServed, day(2026, 4, 30)),
            entry(2, EntryKind::OpinionClosed, day(2026, 5, 3)),
            entry(3, EntryKind::ReceptionServed, day(2026, 6, 1)),
        ];
        assert_eq!(progress(&quota, &entries, &may), Progress { done: 0, required: 1, behind: true });
        let served = [entry(4, EntryKind::ReceptionServed, day(2026, 5, 31))];
        assert_eq!(progress(&quota, &served, &may), Progress { done: 1, required: 1, behind: false });
        let twice = [served[0].clone(), entry(5, EntryKind::ReceptionServed, day(2026, 5, 1))];
        assert_eq!(progress(&quota, &twice, &may).done, 2);
    }

    #[test]
    fn each_item_counts_its_own_kind_and_activity_attended_still_counts_every_activity() {
        let month = Period::containing_date(PeriodKind::Month, day(2026, 5, 10));
        let visits = DutyQuota::new(
            Uuid::from_u128(2),
            "每月走访选区一次",
            PeriodKind::Month,
            1,
            vec![EntryKind::ConstituencyVisited],
        )
        .unwrap();
        let any = DutyQuota::new(
            Uuid::from_u128(3),
            "参加活动",
            PeriodKind::Month,
            2,
            vec![EntryKind::ActivityAttended],
        )
        .unwrap();
        let entries = [
            entry(1, EntryKind::VotersReceived, day(2026, 5, 3)),
            entry(2, EntryKind::ActivityAttended, day(2026, 5, 4)),
        ];
        assert_eq!(progress(&visits, &entries, &month).done, 0, "a reception is not a visit");
        assert_eq!(progress(&any, &entries, &month).done, 2);
        let visited = [entry(3, EntryKind::ConstituencyVisited, day(2026, 5, 5))];
        assert_eq!(progress(&visits, &visited, &month), Progress { done: 1, required: 1, behind: false });
        assert!(!any.counts_kind(EntryKind::TrainingAttended));
    }

    #[test]
    fn a_reminder_is_due_in_the_last_seven_days_while_behind() {
        let may = Period::containing_date(PeriodKind::Month, day(2026, 5, 1));
        let behind = Progress { done: 0, required: 1, behind: true };
        let done = Progress { done: 1, required: 1, behind: false };
        // 25 May 00:00 in Beijing is 24 May 16:00 UTC: the window (25–31 May) opens.
        assert!(!reminder_due(&behind, &may, utc(2026, 5, 24, 15, 59)));
        assert!(reminder_due(&behind, &may, utc(2026, 5, 24, 16, 0)));
        assert!(reminder_due(&behind, &may, utc(2026, 5, 31, 15, 59)));
        assert!(!reminder_due(&behind, &may, utc(2026, 5, 31, 16, 0)), "June in Beijing");
        assert!(!reminder_due(&done, &may, utc(2026, 5, 28, 0, 0)));
    }
}
