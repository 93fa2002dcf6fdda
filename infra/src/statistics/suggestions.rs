//! The suggestion table: per unit, category or deputy group, and in total.
//!
//! - A suggestion belongs to the China Standard Time calendar year in which it was created. Drafts are not
//!   counted (nobody but their deputies sees them); every other state is.
//! - By UNIT, a suggestion counts under each unit that answers it: the lead unit (主办) in LEAD_WITH_CO mode,
//!   every unit in PARALLEL mode (分办). Co-handling units (协办) give an opinion, not an answer, so they have
//!   no figures of their own. A suggestion not yet assigned is under no unit, and a PARALLEL one under
//!   several, so by UNIT the total row's suggestions by state are counted separately, not summed. Each
//!   answering part is under exactly one unit, so the part figures of the total are always the rows' sum.
//! - By DEPUTY_GROUP, a suggestion counts under its lead deputy's group (no group: a row without key), read
//!   from the group kept on the suggestion (`suggestions::lead_group`), not joined per request.

use super::{check_access, count, statement, sum_if};
use crate::entity::{deputy_group, handling_unit};
use crate::error::Result;
use chrono::{DateTime, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::statistics::SuggestionCounts;
use edaibiao_domain::time::cst_year;
use edaibiao_domain::{DomainError, suggestion::SuggestionState};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Value};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// How the suggestion table is split into rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionGroupBy {
    Unit,
    Category,
    DeputyGroup,
}

/// One row: the group's key (the unit or deputy group id as text, or the category; `None` for deputies
/// without a group and for the total) and what people read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionStatRow {
    pub key: Option<String>,
    pub label: String,
    pub counts: SuggestionCounts,
}

/// The table and its total row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionStatistics {
    pub year: i32,
    pub group_by: SuggestionGroupBy,
    pub rows: Vec<SuggestionStatRow>,
    pub total: SuggestionCounts,
}

/// The suggestion table of `congress_id` for `year`, for the congress's staff.
pub async fn suggestion_statistics(
    db: &impl ConnectionTrait,
    actor: &Actor,
    congress_id: Uuid,
    year: i32,
    group_by: SuggestionGroupBy,
    now: DateTime<Utc>,
) -> Result<SuggestionStatistics> {
    if !(2000..=2100).contains(&year) {
        return Err(DomainError::invalid("year", "must be between 2000 and 2100").into());
    }
    check_access(db, actor, congress_id).await?;
    // The answering parts, the suggestions by state and the labels do not depend on each other: asked at
    // once, each on a connection of its own from the pool.
    let states_by = (group_by != SuggestionGroupBy::Unit).then_some(group_by);
    let (mut grouped, mut states, labels) = tokio::try_join!(
        counts(db, congress_id, year, group_by, now),
        state_counts(db, congress_id, year, states_by),
        labels(db, congress_id, group_by),
    )?;
    // By UNIT the rows count each unit's suggestions by state themselves (only assigned suggestions have
    // parts), and the total counts every suggestion once. Otherwise the rows take their groups' states.
    let all = match group_by {
        SuggestionGroupBy::Unit => states.remove(&None),
        _ => {
            for (k, st) in states {
                let c = grouped.entry(k).or_default();
                (c.proposed, c.assigned, c.handled) = (st.proposed, st.assigned, st.handled);
                (c.answered_state, c.rated_state, c.withdrawn) =
                    (st.answered_state, st.rated_state, st.withdrawn);
            }
            None
        }
    };
    // Every answering part is in exactly one row, so the part figures of the total are the rows' sum.
    let mut total = grouped.values().fold(SuggestionCounts::default(), |mut sum, c| {
        sum.add(c);
        sum
    });
    if group_by == SuggestionGroupBy::Unit {
        let all = all.unwrap_or_default();
        (total.proposed, total.assigned, total.handled) = (all.proposed, all.assigned, all.handled);
        (total.answered_state, total.rated_state, total.withdrawn) =
            (all.answered_state, all.rated_state, all.withdrawn);
    }
    let mut rows: Vec<SuggestionStatRow> = grouped
        .into_iter()
        .map(|(key, counts)| {
            let label = match (&key, group_by) {
                (Some(k), SuggestionGroupBy::Category) => k.clone(),
                (Some(k), _) => labels.get(k).cloned().unwrap_or_else(|| k.clone()),
                (None, _) => "未分组".to_owned(),
            };
            SuggestionStatRow { key, label, counts }
        })
        .collect();
    rows.sort_by(|a, b| (a.key.is_none(), &a.label).cmp(&(b.key.is_none(), &b.label)));
    Ok(SuggestionStatistics { year, group_by, rows, total })
}

/// Names of the units or deputy groups by id (as text).
async fn labels(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    group_by: SuggestionGroupBy,
) -> Result<HashMap<String, String>> {
    let pairs: Vec<(Uuid, String)> = match group_by {
        SuggestionGroupBy::Unit => {
            handling_unit::Entity::find()
                .select_only()
                .columns([handling_unit::Column::Id, handling_unit::Column::Name])
                .filter(handling_unit::Column::CongressId.eq(congress_id))
                .into_tuple()
                .all(db)
                .await?
        }
        SuggestionGroupBy::DeputyGroup => {
            deputy_group::Entity::find()
                .select_only()
                .columns([deputy_group::Column::Id, deputy_group::Column::Name])
                .filter(deputy_group::Column::CongressId.eq(congress_id))
                .into_tuple()
                .all(db)
                .await?
        }
        SuggestionGroupBy::Category => Vec::new(),
    };
    Ok(pairs.into_iter().map(|(id, name)| (id.to_string(), name)).collect())
}

type Grouped = BTreeMap<Option<String>, SuggestionCounts>;

/// The column a grouping reads, and the join it needs besides the answering parts.
fn key_of(group_by: Option<SuggestionGroupBy>) -> (&'static str, &'static str) {
    match group_by {
        Some(SuggestionGroupBy::Unit) => ("su.unit_id", ""),
        Some(SuggestionGroupBy::Category) => ("s.category", ""),
        Some(SuggestionGroupBy::DeputyGroup) => ("s.lead_group_id", ""),
        None => ("", ""),
    }
}

fn read_key(row: &sea_orm::QueryResult, group_by: Option<SuggestionGroupBy>) -> Result<Option<String>> {
    Ok(match group_by {
        Some(SuggestionGroupBy::Unit | SuggestionGroupBy::DeputyGroup) => {
            row.try_get::<Option<Uuid>>("", "k")?.map(|u| u.to_string())
        }
        Some(SuggestionGroupBy::Category) => row.try_get::<Option<String>>("", "k")?,
        None => None,
    })
}

const FILTER: &str = "s.congress_id = ? AND s.created_at >= ? AND s.created_at < ?";

/// Suggestions by state, per category or deputy group (or in all): one statement, read from the covering
/// index `ix_suggestions_statistics` alone.
async fn state_counts(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    year: i32,
    group_by: Option<SuggestionGroupBy>,
) -> Result<Grouped> {
    let (start, end) = cst_year(year);
    let (key, join) = key_of(group_by);
    let (select_key, group_key) = if key.is_empty() {
        (String::new(), String::new())
    } else {
        (format!("{key} AS k, "), format!("{key}, "))
    };
    let sql = format!(
        "SELECT {select_key}s.state AS state, COUNT(*) AS n FROM suggestions s{join} \
         WHERE {FILTER} AND s.state <> 'DRAFT' GROUP BY {group_key}s.state"
    );
    let values: Vec<Value> = vec![congress_id.into(), start.into(), end.into()];
    let mut out = Grouped::new();
    for row in db.query_all_raw(statement(db.get_database_backend(), &sql, values)).await? {
        let c = out.entry(read_key(&row, group_by)?).or_default();
        let n = count(&row, "n")?;
        let state: String = row.try_get("", "state")?;
        match SuggestionState::parse(&state) {
            Ok(SuggestionState::Proposed) => c.proposed += n,
            Ok(SuggestionState::Assigned) => c.assigned += n,
            Ok(SuggestionState::Handled) => c.handled += n,
            Ok(SuggestionState::Answered) => c.answered_state += n,
            Ok(SuggestionState::Rated) => c.rated_state += n,
            Ok(SuggestionState::Withdrawn) => c.withdrawn += n,
            Ok(SuggestionState::Draft) | Err(_) => {}
        }
    }
    Ok(out)
}

/// The answering parts per group, in one statement; by UNIT also each unit's suggestions by state (only
/// assigned suggestions have parts).
async fn counts(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    year: i32,
    group_by: SuggestionGroupBy,
    now: DateTime<Utc>,
) -> Result<Grouped> {
    let backend = db.get_database_backend();
    let (start, end) = cst_year(year);
    let (key, join) = key_of(Some(group_by));
    let satisfied = "('SATISFIED', 'BASICALLY_SATISFIED')";
    let b = "su.answer_class = 'IN_PROGRESS'";
    let sql = format!(
        "SELECT {key} AS k, COUNT(*) AS parts, COUNT(su.answer_class) AS answered, {}, {}, {}, {}, {}, \
         COUNT(su.rating) AS rated, {}, {}, {}, {}, {}, {}, {}, {}, {}, {} \
         FROM suggestions s JOIN suggestion_units su ON su.suggestion_id = s.id AND su.role = 'LEAD'{join} \
         WHERE {FILTER} AND s.state IN ('ASSIGNED', 'HANDLED', 'ANSWERED', 'RATED') GROUP BY {key}",
        sum_if("su.answered_at <= s.due_at", "on_time"),
        sum_if("su.answer_class = 'SOLVED'", "class_a"),
        sum_if(b, "class_b"),
        sum_if("su.answer_class = 'DEFERRED'", "class_c"),
        sum_if("su.answer_class = 'FOR_REFERENCE'", "class_d"),
        sum_if("su.rating = 'SATISFIED'", "satisfied"),
        sum_if("su.rating = 'BASICALLY_SATISFIED'", "basically_satisfied"),
        sum_if(&format!("{b} AND su.result_rating IS NOT NULL"), "result_rated"),
        sum_if(&format!("{b} AND su.result_rating IN {satisfied}"), "result_satisfied"),
        sum_if("su.answer_class IS NULL AND s.state IN ('ASSIGNED', 'HANDLED') AND s.due_at < ?", "overdue"),
        sum_if("s.state = 'ASSIGNED'", "s_assigned"),
        sum_if("s.state = 'HANDLED'", "s_handled"),
        sum_if("s.state = 'ANSWERED'", "s_answered"),
        sum_if("s.state = 'RATED'", "s_rated"),
        sum_if("su.answer_class IS NOT NULL AND su.contacted", "contacted"),
    );
    // The `now` placeholder comes first in the text (in the SELECT list).
    let values: Vec<Value> = vec![now.into(), congress_id.into(), start.into(), end.into()];
    let mut out = Grouped::new();
    for row in db.query_all_raw(statement(backend, &sql, values)).await? {
        let c = out.entry(read_key(&row, Some(group_by))?).or_default();
        c.parts = count(&row, "parts")?;
        c.answered = count(&row, "answered")?;
        c.on_time = count(&row, "on_time")?;
        c.class_a = count(&row, "class_a")?;
        c.class_b = count(&row, "class_b")?;
        c.class_c = count(&row, "class_c")?;
        c.class_d = count(&row, "class_d")?;
        c.rated = count(&row, "rated")?;
        c.satisfied = count(&row, "satisfied")?;
        c.basically_satisfied = count(&row, "basically_satisfied")?;
        c.result_rated = count(&row, "result_rated")?;
        c.result_satisfied = count(&row, "result_satisfied")?;
        c.overdue = count(&row, "overdue")?;
        c.contacted = count(&row, "contacted")?;
        if group_by == SuggestionGroupBy::Unit {
            c.assigned = count(&row, "s_assigned")?;
            c.handled = count(&row, "s_handled")?;
            c.answered_state = count(&row, "s_answered")?;
            c.rated_state = count(&row, "s_rated")?;
        }
    }
    Ok(out)
}
