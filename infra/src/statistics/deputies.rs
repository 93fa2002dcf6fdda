//! The deputy table: one row per deputy of the congress for a CST calendar year.
//!
//! - Points and rank: the deputy's ledger total (`duty::ledger_totals`).
//! - Attendance: over the activities starting in the year whose attendance is settled (`activities::attendance_of`).
//! - Suggestions led and co-signed (confirmed): as the duty record counts them, first submitted in the year
//!   and neither a draft again nor withdrawn (the ledger's own counts, `duty::RankedTotal::entries`).
//! - Opinions received: submitted in the year, addressed to the deputy or taken by them; closed: of those.
//! - Receptions served: reception days of the congress's stations in the year, not cancelled, already begun.

use super::{check_access, count, statement, sum_if};
use crate::duty::RankedTotal;
use crate::entity::deputy;
use crate::error::Result;
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::duty::points::EntryKind;
use edaibiao_domain::statistics::AttendanceCounts;
use edaibiao_domain::time::cst_year;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Value};
use std::collections::HashMap;
use uuid::Uuid;

/// One deputy's year in numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct DeputyStatRow {
    pub deputy_id: Uuid,
    pub name: String,
    pub deputy_group_id: Option<Uuid>,
    /// The ledger's total and the rank in the congress (`None` without a ledger).
    pub points: Option<i64>,
    pub congress_rank: Option<u32>,
    pub attendance: AttendanceCounts,
    pub suggestions_led: u64,
    pub suggestions_co_signed: u64,
    pub opinions_received: u64,
    pub opinions_closed: u64,
    pub receptions_served: u64,
}

/// The deputy table of `congress_id` for `year`, ordered by name, for the congress's staff.
pub async fn deputy_statistics(
    db: &impl ConnectionTrait,
    actor: &Actor,
    congress_id: Uuid,
    year: i32,
    now: DateTime<Utc>,
) -> Result<Vec<DeputyStatRow>> {
    if !(2000..=2100).contains(&year) {
        return Err(DomainError::invalid("year", "must be between 2000 and 2100").into());
    }
    check_access(db, actor, congress_id).await?;
    let backend = db.get_database_backend();
    let (start, end) = cst_year(year);
    let values = || -> Vec<Value> { vec![congress_id.into(), start.into(), end.into()] };
    let by_deputy = |rows: Vec<sea_orm::QueryResult>, columns: &[&str]| -> Result<HashMap<Uuid, Vec<u64>>> {
        let mut out = HashMap::new();
        for row in rows {
            let Some(id) = row.try_get::<Option<Uuid>>("", "deputy_id")? else { continue };
            let counts = columns.iter().map(|c| count(&row, c)).collect::<Result<Vec<_>>>()?;
            out.insert(id, counts);
        }
        Ok(out)
    };
    let opinions = format!(
        "SELECT COALESCE(o.deputy_id, a.deputy_id) AS deputy_id, COUNT(*) AS n, {} \
         FROM opinions o LEFT JOIN accounts a ON a.id = o.responsible_account_id \
         WHERE o.congress_id = ? AND o.created_at >= ? AND o.created_at < ? \
         GROUP BY COALESCE(o.deputy_id, a.deputy_id)",
        sum_if("o.state = 'CLOSED'", "closed")
    );
    let receptions = "SELECT rd.deputy_id AS deputy_id, COUNT(*) AS n FROM reception_day_deputies rd \
               JOIN reception_days r ON r.id = rd.reception_day_id \
               JOIN liaison_stations ls ON ls.id = r.station_id \
               WHERE ls.congress_id = ? AND r.starts_at >= ? AND r.starts_at < ? \
               AND r.cancelled_at IS NULL AND r.starts_at <= ? GROUP BY rd.deputy_id";
    let mut received_by = values();
    received_by.push(now.into());
    // The sources are independent: their statements run at once, on separate pool connections. The
    // ledger's come first, since they are the longest chain (boxed: a dozen sources' futures).
    let (ledgers, opinions, receptions, attended, deputies) = tokio::try_join!(
        Box::pin(crate::duty::ledger_totals(db, congress_id, year)),
        raw(db, statement(backend, &opinions, values())),
        raw(db, statement(backend, receptions, received_by)),
        crate::activities::attendance_of(db, congress_id, start, end, None),
        async {
            deputy::Entity::find()
                .select_only()
                .columns([deputy::Column::Id, deputy::Column::Name, deputy::Column::DeputyGroupId])
                .filter(deputy::Column::CongressId.eq(congress_id))
                .order_by_asc(deputy::Column::Name)
                .order_by_asc(deputy::Column::Id)
                .into_tuple::<(Uuid, String, Option<Uuid>)>()
                .all(db)
                .await
                .map_err(crate::Error::from)
        },
    )?;
    let opinions = by_deputy(opinions, &["n", "closed"])?;
    let receptions = by_deputy(receptions, &["n"])?;
    let mut attendance: HashMap<Uuid, AttendanceCounts> = HashMap::new();
    for record in attended {
        if let Some(a) = record.attendance {
            attendance.entry(record.deputy_id).or_default().count(a);
        }
    }
    let ledgers: HashMap<Uuid, RankedTotal> = ledgers.into_iter().map(|l| (l.deputy_id, l)).collect();

    let first = |m: &HashMap<Uuid, Vec<u64>>, id: &Uuid, i: usize| m.get(id).and_then(|v| v.get(i)).copied();
    Ok(deputies
        .into_iter()
        .map(|(id, name, deputy_group_id)| DeputyStatRow {
            deputy_id: id,
            name,
            deputy_group_id,
            points: ledgers.get(&id).map(|l| l.total),
            congress_rank: ledgers.get(&id).map(|l| l.congress_rank),
            attendance: attendance.get(&id).copied().unwrap_or_default(),
            suggestions_led: ledgers.get(&id).map_or(0, |l| l.entries_of(EntryKind::SuggestionLed)),
            suggestions_co_signed: ledgers
                .get(&id)
                .map_or(0, |l| l.entries_of(EntryKind::SuggestionCoSigned)),
            opinions_received: first(&opinions, &id, 0).unwrap_or(0),
            opinions_closed: first(&opinions, &id, 1).unwrap_or(0),
            receptions_served: first(&receptions, &id, 0).unwrap_or(0),
        })
        .collect())
}

async fn raw(db: &impl ConnectionTrait, statement: sea_orm::Statement) -> Result<Vec<sea_orm::QueryResult>> {
    Ok(db.query_all_raw(statement).await?)
}
