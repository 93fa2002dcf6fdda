//! The opinion table: per liaison station, category or month, and in total.
//!
//! An opinion belongs to the window when it was submitted between `from` and `to` (CST days, both
//! included). It counts once in `received`, in `accepted` once someone took it, in the path it took
//! (resolved directly, forwarded, converted: one each, the paths exclude each other), and in `closed` when
//! closed. An opinion addressed to a deputy has no station: by STATION it is in a row without key.

use super::{check_access, count, statement, sum_if, sum_seconds};
use crate::entity::liaison_station;
use crate::error::Result;
use chrono::NaiveDate;
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::opinion::{Month, OpinionCategory};
use edaibiao_domain::statistics::OpinionCounts;
use edaibiao_domain::time::cst_days;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Value};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// The longest window: about five years, so a table by MONTH stays readable.
pub const MAX_WINDOW_DAYS: i64 = 5 * 366;

/// How the opinion table is split into rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpinionGroupBy {
    Station,
    Category,
    Month,
}

/// One row: the group's key (the station id as text, the category name, or the month `YYYY-MM`; `None`
/// for opinions without a station) and what people read.
#[derive(Debug, Clone, PartialEq)]
pub struct OpinionStatRow {
    pub key: Option<String>,
    pub label: String,
    pub counts: OpinionCounts,
}

/// The table and its total row.
#[derive(Debug, Clone, PartialEq)]
pub struct OpinionStatistics {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group_by: OpinionGroupBy,
    pub rows: Vec<OpinionStatRow>,
    pub total: OpinionCounts,
}

/// The opinion table of `congress_id` for the CST days `from..=to`, for the congress's staff.
pub async fn opinion_statistics(
    db: &impl ConnectionTrait,
    actor: &Actor,
    congress_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    group_by: OpinionGroupBy,
) -> Result<OpinionStatistics> {
    if to < from {
        return Err(DomainError::invalid("to", "must not be before from").into());
    }
    if (to - from).num_days() > MAX_WINDOW_DAYS {
        return Err(DomainError::invalid("to", "the window is at most five years").into());
    }
    check_access(db, actor, congress_id).await?;
    let backend = db.get_database_backend();
    let (start, end) = cst_days(from, to);

    // The months of the window as a CASE over their boundaries: the same SQL on both backends.
    let mut values: Vec<Value> = Vec::new();
    let key = match group_by {
        OpinionGroupBy::Station => "o.station_id".to_owned(),
        OpinionGroupBy::Category => "o.category".to_owned(),
        OpinionGroupBy::Month => {
            let mut case = String::from("CASE");
            let mut month = Month::of(start);
            while month.start() < end {
                case.push_str(&format!(" WHEN o.created_at < ? THEN '{month}'"));
                values.push(month.end().into());
                month = Month::of(month.end());
            }
            case.push_str(" END");
            case
        }
    };
    let satisfied = "('SATISFIED', 'BASICALLY_SATISFIED')";
    let sql = format!(
        "SELECT {key} AS k, COUNT(*) AS received, {}, {}, COUNT(o.forwarded_unit_id) AS forwarded, \
         COUNT(o.suggestion_id) AS converted, {}, COUNT(o.feedback_at) AS with_feedback, {}, \
         COUNT(o.satisfaction) AS rated, {} \
         FROM opinions o WHERE o.congress_id = ? AND o.created_at >= ? AND o.created_at < ? GROUP BY 1",
        sum_if("o.state <> 'RECEIVED'", "accepted"),
        sum_if(
            "o.state = 'RESOLVED_DIRECTLY' OR (o.state IN ('FEEDBACK_GIVEN', 'CLOSED') \
             AND o.forwarded_unit_id IS NULL AND o.suggestion_id IS NULL)",
            "resolved_directly"
        ),
        sum_if("o.state = 'CLOSED'", "closed"),
        sum_seconds(backend, "o.created_at", "o.feedback_at", "feedback_seconds"),
        sum_if(&format!("o.satisfaction IN {satisfied}"), "satisfied"),
    );
    // Grouped by the first column, so the CASE and its values appear once.
    let mut bound = values;
    bound.extend([congress_id.into(), start.into(), end.into()]);
    let mut grouped: BTreeMap<Option<String>, OpinionCounts> = BTreeMap::new();
    for row in db.query_all_raw(statement(backend, &sql, bound)).await? {
        let key = match group_by {
            OpinionGroupBy::Station => row.try_get::<Option<Uuid>>("", "k")?.map(|u| u.to_string()),
            OpinionGroupBy::Category | OpinionGroupBy::Month => row.try_get::<Option<String>>("", "k")?,
        };
        let c = OpinionCounts {
            received: count(&row, "received")?,
            accepted: count(&row, "accepted")?,
            resolved_directly: count(&row, "resolved_directly")?,
            forwarded: count(&row, "forwarded")?,
            converted: count(&row, "converted")?,
            closed: count(&row, "closed")?,
            with_feedback: count(&row, "with_feedback")?,
            feedback_seconds: row.try_get::<Option<f64>>("", "feedback_seconds")?.unwrap_or(0.0),
            rated: count(&row, "rated")?,
            satisfied: count(&row, "satisfied")?,
        };
        grouped.insert(key, c);
    }

    let labels: HashMap<String, String> = match group_by {
        OpinionGroupBy::Station => liaison_station::Entity::find()
            .select_only()
            .columns([liaison_station::Column::Id, liaison_station::Column::Name])
            .filter(liaison_station::Column::CongressId.eq(congress_id))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect(),
        _ => HashMap::new(),
    };
    let mut total = OpinionCounts::default();
    let mut rows: Vec<OpinionStatRow> = grouped
        .into_iter()
        .map(|(key, counts)| {
            total.add(&counts);
            let label = match (&key, group_by) {
                (None, _) => "代表直接收到".to_owned(),
                (Some(k), OpinionGroupBy::Station) => labels.get(k).cloned().unwrap_or_else(|| k.clone()),
                (Some(k), OpinionGroupBy::Category) => {
                    OpinionCategory::parse(k).map_or_else(|_| k.clone(), |c| c.label().to_owned())
                }
                (Some(k), OpinionGroupBy::Month) => k.clone(),
            };
            OpinionStatRow { key, label, counts }
        })
        .collect();
    match group_by {
        OpinionGroupBy::Month => rows.sort_by(|a, b| a.key.cmp(&b.key)),
        _ => rows.sort_by(|a, b| (a.key.is_none(), &a.label).cmp(&(b.key.is_none(), &b.label))),
    }
    Ok(OpinionStatistics { from, to, group_by, rows, total })
}
