//! The deadline job: reminds the answering units' staff seven days before the deadline and when it passes,
//! once each per deadline. Safe with several instances: each reminder is claimed with a conditional update,
//! and only the instance whose update changed the row writes the notifications, in the same transaction.

use crate::Store;
use crate::entity::suggestion;
use crate::error::Result;
use crate::transaction;
use chrono::{DateTime, Duration, Utc};
use edaibiao_domain::suggestion::{Audience, DUE_SOON_DAYS, Reminder, SuggestionState};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

/// How many suggestions one run looks at per kind of reminder; the next run takes the rest.
const BATCH: u64 = 200;

/// Sends the reminders due at `now`; returns how many suggestions were reminded.
pub async fn send_due(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let mut sent = 0;
    for reminder in [Reminder::Overdue, Reminder::DueSoon] {
        for candidate in candidates(store, reminder, now).await? {
            if remind(store, reminder, &candidate).await? {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

fn marker(reminder: Reminder) -> suggestion::Column {
    match reminder {
        Reminder::DueSoon => suggestion::Column::RemindedDueSoonFor,
        Reminder::Overdue => suggestion::Column::RemindedOverdueFor,
    }
}

/// Not yet reminded for the current deadline.
fn not_reminded(reminder: Reminder) -> Condition {
    let column = marker(reminder);
    let changed = ExprTrait::ne(Expr::col(column), Expr::col(suggestion::Column::DueAt));
    Condition::any().add(column.is_null()).add(changed)
}

async fn candidates(store: &Store, reminder: Reminder, now: DateTime<Utc>) -> Result<Vec<suggestion::Model>> {
    let open = [SuggestionState::Assigned.as_str(), SuggestionState::Handled.as_str()];
    let window = match reminder {
        Reminder::Overdue => Condition::all().add(suggestion::Column::DueAt.lte(now)),
        Reminder::DueSoon => Condition::all()
            .add(suggestion::Column::DueAt.gt(now))
            .add(suggestion::Column::DueAt.lte(now + Duration::days(DUE_SOON_DAYS))),
    };
    Ok(suggestion::Entity::find()
        .filter(suggestion::Column::State.is_in(open))
        .filter(window)
        .filter(not_reminded(reminder))
        .limit(BATCH)
        .all(&store.db)
        .await?)
}

/// Claims and sends one reminder; `false` when another instance (or an extension) got there first.
async fn remind(store: &Store, reminder: Reminder, s: &suggestion::Model) -> Result<bool> {
    let Some(due_at) = s.due_at else { return Ok(false) };
    transaction::run(store, async |txn| {
        let claimed = suggestion::Entity::update_many()
            .col_expr(marker(reminder), Expr::value(due_at))
            .filter(suggestion::Column::Id.eq(s.id))
            .filter(suggestion::Column::DueAt.eq(due_at))
            .filter(not_reminded(reminder))
            .exec(txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Ok(false);
        }
        let aggregate = super::record::aggregate(s)?;
        let units: Vec<Uuid> = aggregate
            .assignment
            .as_ref()
            .map(|a| a.answering().filter(|p| p.answer.is_none()).map(|p| p.unit_id).collect())
            .unwrap_or_default();
        let audience: Vec<Audience> = units.into_iter().map(Audience::Unit).collect();
        let recipients = crate::notifications::accounts_of(txn, &audience).await?;
        let message = crate::notifications::Message {
            kind: reminder.kind(),
            title: reminder.title(),
            body: Some(format!(
                "{}「{}」办理期限：{}",
                s.serial.as_deref().unwrap_or_default(),
                s.title,
                due_at.format("%Y-%m-%d")
            )),
            subject_kind: "Suggestion",
            subject_id: Some(s.id),
        };
        crate::notifications::write(txn, &recipients, &message, None).await?;
        Ok(true)
    })
    .await
}

/// Runs the job every `every` until the task is dropped, logging failures and carrying on.
pub async fn run_forever(store: Store, every: std::time::Duration) {
    crate::job::repeat("deadline reminders", every, || send_due(&store, Utc::now())).await;
}
