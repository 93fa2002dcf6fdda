//! Statistics for staff (统计): the suggestion, opinion, deputy and station activity tables of a
//! congress. Counting is done by the database (GROUP BY, the same SQL on SQLite and PostgreSQL, one
//! expression aside: the seconds between two timestamps); the rates come from `domain::statistics`. The
//! GraphQL queries and the exports both read these functions, so they always show the same rows.

mod deputies;
mod opinions;
mod stations;
mod suggestions;

pub use deputies::{DeputyStatRow, deputy_statistics};
pub use opinions::{OpinionGroupBy, OpinionStatRow, OpinionStatistics, opinion_statistics};
pub use stations::{StationActivity, StationActivityRow, station_activity};
pub use suggestions::{SuggestionGroupBy, SuggestionStatRow, SuggestionStatistics, suggestion_statistics};

use crate::entity::congress;
use crate::error::Result;
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::statistics::overall_satisfaction;
use edaibiao_domain::suggestion::{AnswerClass, Assignment, UnitPart};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement, Value};
use uuid::Uuid;

/// The statistics projection of one unit's part of a suggestion, as `suggestion_units` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartOutcome {
    /// The current answer's class.
    pub answer_class: Option<&'static str>,
    pub answered_at: Option<DateTime<Utc>>,
    /// The lead deputy's rating of the current answer: the worse of attitude and result.
    pub rating: Option<&'static str>,
    /// The rating of an implemented B-class result.
    pub result_rating: Option<&'static str>,
    /// For an answered part: whether its unit recorded a contact with the deputy before answering (沟通).
    pub contacted: Option<bool>,
}

impl PartOutcome {
    pub fn of(assignment: &Assignment, part: &UnitPart) -> Self {
        Self {
            contacted: assignment.contacted_before_answer(part),
            answer_class: part.answer.as_ref().map(|a| a.class.as_str()),
            answered_at: part.answer.as_ref().map(|a| a.at),
            rating: part.rating.as_ref().map(|r| overall_satisfaction(r.attitude, r.result).as_str()),
            result_rating: part
                .answer
                .as_ref()
                .filter(|a| a.class == AnswerClass::InProgress)
                .and(part.result_rating)
                .map(|s| s.as_str()),
        }
    }
}

/// Statistics are for the staff of the congress (and admins); the congress must exist.
async fn check_access(db: &impl ConnectionTrait, actor: &Actor, congress_id: Uuid) -> Result<()> {
    if !actor.is_staff_of(congress_id) {
        return Err(DomainError::forbidden("only the congress's staff see its statistics").into());
    }
    if congress::Entity::find_by_id(congress_id).one(db).await?.is_none() {
        return Err("congress".into());
    }
    Ok(())
}

/// A statement written with `?` placeholders, numbered `$1…` for PostgreSQL.
fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(c);
                }
            }
            out
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// A count read from a row (COUNT and SUM are BIGINT on PostgreSQL, INTEGER on SQLite).
fn count(row: &sea_orm::QueryResult, column: &str) -> Result<u64> {
    let n: Option<i64> = row.try_get("", column)?;
    Ok(n.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

/// `SUM(CASE WHEN cond THEN 1 ELSE 0 END)`.
fn sum_if(cond: &str, alias: &str) -> String {
    format!("SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS {alias}")
}

/// The seconds from `from` to `to` (two timestamp columns), summed: the one expression that differs between
/// the backends.
fn sum_seconds(backend: DbBackend, from: &str, to: &str, alias: &str) -> String {
    match backend {
        DbBackend::Postgres => {
            format!("CAST(SUM(EXTRACT(EPOCH FROM ({to} - {from}))) AS DOUBLE PRECISION) AS {alias}")
        }
        _ => format!("SUM((julianday({to}) - julianday({from})) * 86400.0) AS {alias}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        let s = statement(DbBackend::Postgres, "a = ? AND b < ?", vec![1.into(), 2.into()]);
        assert_eq!(s.sql, "a = $1 AND b < $2");
        let s = statement(DbBackend::Sqlite, "a = ?", vec![1.into()]);
        assert_eq!(s.sql, "a = ?");
    }
}
