//! The station activity table (联络站活跃度): per liaison station and month, the reception days scheduled,
//! cancelled and held, the records, visitors and matters of the month, the opinions submitted to the station
//! and how long they waited to be accepted. What counts as what is `StationActivityCounts`' to say.
//!
//! Four grouped queries run at once whatever the number of stations (days, records, matters, opinions), each keyed by
//! station and month with the months as a CASE over their boundaries, the same SQL on both backends.

use super::{check_access, count, statement, sum_if, sum_seconds};
use crate::entity::liaison_station;
use crate::error::Result;
use chrono::{DateTime, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::opinion::Month;
use edaibiao_domain::statistics::{StationActivityCounts, activity_months};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Value};
use std::collections::HashMap;
use uuid::Uuid;

/// One station in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct StationActivityRow {
    pub station_id: Uuid,
    pub station_name: String,
    pub month: Month,
    pub counts: StationActivityCounts,
}

/// The table: every station of the congress in every month asked for (rows without anything in them
/// included, since those are the ones to follow up), and the sum.
#[derive(Debug, Clone, PartialEq)]
pub struct StationActivity {
    pub year: i32,
    pub months: Vec<Month>,
    pub rows: Vec<StationActivityRow>,
    pub total: StationActivityCounts,
}

impl StationActivity {
    /// The rows in which nothing happened.
    pub fn inactive(&self) -> impl Iterator<Item = &StationActivityRow> {
        self.rows.iter().filter(|r| r.counts.inactive())
    }
}

/// The station activity table of `congress_id` for `month` of `year`, or every month of `year` begun by
/// `now`; for the congress's staff.
pub async fn station_activity(
    db: &impl ConnectionTrait,
    actor: &Actor,
    congress_id: Uuid,
    year: i32,
    month: Option<u32>,
    now: DateTime<Utc>,
) -> Result<StationActivity> {
    let months = activity_months(year, month, now)?;
    check_access(db, actor, congress_id).await?;
    let stations: Vec<(Uuid, String)> = liaison_station::Entity::find()
        .filter(liaison_station::Column::CongressId.eq(congress_id))
        .order_by_asc(liaison_station::Column::Name)
        .order_by_asc(liaison_station::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let (Some(first), Some(last)) = (months.first().copied(), months.last().copied()) else {
        return Ok(StationActivity {
            year,
            months,
            rows: Vec::new(),
            total: StationActivityCounts::default(),
        });
    };
    let window = Window { months: &months, start: first.start(), end: last.end() };
    let mut cells: HashMap<(Uuid, String), StationActivityCounts> = HashMap::new();
    let backend = db.get_database_backend();

    // Reception days, in the month they start in. Held: not cancelled, with a record.
    let (case, mut bound) = window.case("d.starts_at");
    let sql = format!(
        "SELECT d.station_id AS s, {case} AS m, COUNT(*) AS scheduled, {}, {} \
         FROM reception_days d JOIN liaison_stations st ON st.id = d.station_id \
         WHERE st.congress_id = ? AND d.starts_at >= ? AND d.starts_at < ? GROUP BY 1, 2",
        sum_if("d.cancelled_at IS NOT NULL", "cancelled"),
        sum_if(
            "d.cancelled_at IS NULL \
             AND EXISTS (SELECT 1 FROM reception_records r WHERE r.reception_day_id = d.id)",
            "held"
        ),
    );
    bound.extend([congress_id.into(), window.start.into(), window.end.into()]);
    let days = statement(backend, &sql, bound);

    // Records and their visitors, in the month they were made.
    let (case, mut bound) = window.case("r.received_at");
    let sql = format!(
        "SELECT r.station_id AS s, {case} AS m, COUNT(*) AS records, SUM(r.visitors) AS visitors \
         FROM reception_records r WHERE r.congress_id = ? AND r.received_at >= ? AND r.received_at < ? \
         GROUP BY 1, 2"
    );
    bound.extend([congress_id.into(), window.start.into(), window.end.into()]);
    let records = statement(backend, &sql, bound);

    // The matters of those records.
    let (case, mut bound) = window.case("r.received_at");
    let sql = format!(
        "SELECT r.station_id AS s, {case} AS m, COUNT(*) AS matters \
         FROM reception_matters x JOIN reception_records r ON r.id = x.record_id \
         WHERE r.congress_id = ? AND r.received_at >= ? AND r.received_at < ? GROUP BY 1, 2"
    );
    bound.extend([congress_id.into(), window.start.into(), window.end.into()]);
    let matters = statement(backend, &sql, bound);

    // Opinions submitted to the station, and when each was first accepted (kept on the row).
    let (case, mut bound) = window.case("o.created_at");
    let sql = format!(
        "SELECT o.station_id AS s, {case} AS m, COUNT(*) AS received, COUNT(o.accepted_at) AS accepted, {} \
         FROM opinions o \
         WHERE o.congress_id = ? AND o.station_id IS NOT NULL AND o.created_at >= ? AND o.created_at < ? \
         GROUP BY 1, 2",
        sum_seconds(backend, "o.created_at", "o.accepted_at", "acceptance_seconds"),
    );
    bound.extend([congress_id.into(), window.start.into(), window.end.into()]);
    let opinions = statement(backend, &sql, bound);

    // The four are independent: they run at once, on separate pool connections.
    let (days, records, matters, opinions) = tokio::try_join!(
        db.query_all_raw(days),
        db.query_all_raw(records),
        db.query_all_raw(matters),
        db.query_all_raw(opinions)
    )?;
    for row in days {
        let c = cells.entry(key(&row)?).or_default();
        c.scheduled_days = count(&row, "scheduled")?;
        c.cancelled_days = count(&row, "cancelled")?;
        c.held_days = count(&row, "held")?;
    }
    for row in records {
        let c = cells.entry(key(&row)?).or_default();
        c.records = count(&row, "records")?;
        c.visitors = count(&row, "visitors")?;
    }
    for row in matters {
        cells.entry(key(&row)?).or_default().matters = count(&row, "matters")?;
    }
    for row in opinions {
        let c = cells.entry(key(&row)?).or_default();
        c.opinions_received = count(&row, "received")?;
        c.opinions_accepted = count(&row, "accepted")?;
        c.acceptance_seconds = row.try_get::<Option<f64>>("", "acceptance_seconds")?.unwrap_or(0.0);
    }

    let mut total = StationActivityCounts::default();
    let mut rows = Vec::with_capacity(stations.len() * months.len());
    for (station_id, station_name) in &stations {
        for month in &months {
            let counts = cells.remove(&(*station_id, month.to_string())).unwrap_or_default();
            total.add(&counts);
            rows.push(StationActivityRow {
                station_id: *station_id,
                station_name: station_name.clone(),
                month: *month,
                counts,
            });
        }
    }
    Ok(StationActivity { year, months, rows, total })
}

/// The months asked for, as one span of instants.
struct Window<'a> {
    months: &'a [Month],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Window<'_> {
    /// `CASE WHEN col < <end of month 1> THEN 'YYYY-MM' …`: the month of a timestamp inside the window.
    fn case(&self, column: &str) -> (String, Vec<Value>) {
        let mut case = String::from("CASE");
        let mut values = Vec::with_capacity(self.months.len());
        for month in self.months {
            case.push_str(&format!(" WHEN {column} < ? THEN '{month}'"));
            values.push(month.end().into());
        }
        case.push_str(" END");
        (case, values)
    }
}

/// A row's station and month.
fn key(row: &sea_orm::QueryResult) -> Result<(Uuid, String)> {
    let station: Uuid = row.try_get("", "s")?;
    let month: Option<String> = row.try_get("", "m")?;
    Ok((station, month.unwrap_or_default()))
}
