//! Gap-free serial numbers per congress and sitting (第2次会议第0123号). The counter row is updated inside
//! the submitting transaction: concurrent submissions wait for each other on that row, and a rolled-back
//! submission gives its number back.

use crate::Error;
use crate::error::Result;
use edaibiao_domain::suggestion::Sitting;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement};
use uuid::Uuid;

pub(super) async fn next(txn: &DatabaseTransaction, congress_id: Uuid, sitting: Sitting) -> Result<String> {
    let value = next_value(txn, congress_id, &sitting.key()).await?;
    Ok(sitting.serial(value))
}

/// The next value of the congress's counter `key`, gap-free in the same way (bills count under their own
/// keys, `BILL-S<n>`, so their numbers are distinct from suggestions').
pub(crate) async fn next_value(txn: &DatabaseTransaction, congress_id: Uuid, key: &str) -> Result<u64> {
    let backend = txn.get_database_backend();
    let values = match backend {
        DbBackend::Postgres => "($1, $2, 1)",
        _ => "(?, ?, 1)",
    };
    let sql = format!(
        "INSERT INTO serial_counters (congress_id, sitting_key, last_value) VALUES {values} \
         ON CONFLICT (congress_id, sitting_key) DO UPDATE SET last_value = serial_counters.last_value + 1 \
         RETURNING last_value"
    );
    let statement = Statement::from_sql_and_values(backend, sql, [congress_id.into(), key.into()]);
    let row =
        txn.query_one_raw(statement).await?.ok_or_else(|| Error::Internal("no serial returned".into()))?;
    let value: i64 = row.try_get("", "last_value")?;
    Ok(u64::try_from(value).unwrap_or_default())
}
