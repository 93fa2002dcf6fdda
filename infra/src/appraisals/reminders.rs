//! The rectification reminder: once the rectification date of an appraisal has passed, the unit is
//! reminded of each item not accepted yet, once per item. Safe with several instances: each reminder is
//! claimed with a conditional update of the item's marker (`reminded_at`, set only where it is null), and
//! only the instance whose update changed the row writes the notification, in the same transaction.

use crate::Store;
use crate::entity::{appraisal, appraisal_item};
use crate::error::Result;
use crate::notifications::{self, Message};
use crate::transaction;
use chrono::{DateTime, Utc};
use edaibiao_domain::appraisal::{self as dom, AppraisalState, ItemState, kinds};
use edaibiao_domain::notification::Audience;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

/// How many appraisals one run looks at; the next run takes the rest.
const BATCH: u64 = 100;

/// Sends the reminders due at `now`; returns how many items were reminded.
pub async fn send_due(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let today = dom::today(now);
    let due = appraisal::Entity::find()
        .filter(appraisal::Column::State.eq(AppraisalState::Rectifying.as_str()))
        .filter(appraisal::Column::RectificationDue.lt(today))
        .limit(BATCH)
        .all(&store.db)
        .await?;
    let mut sent = 0;
    for a in due {
        let items = appraisal_item::Entity::find()
            .filter(appraisal_item::Column::AppraisalId.eq(a.id))
            .filter(appraisal_item::Column::State.ne(ItemState::Accepted.as_str()))
            .filter(appraisal_item::Column::RemindedAt.is_null())
            .all(&store.db)
            .await?;
        for item in items {
            if remind(store, &a, &item, now).await? {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

/// Claims and sends one item's reminder; `false` when another instance got there first (or the item was
/// accepted meanwhile).
async fn remind(
    store: &Store,
    a: &appraisal::Model,
    item: &appraisal_item::Model,
    now: DateTime<Utc>,
) -> Result<bool> {
    transaction::run(store, async |txn| {
        let claimed = appraisal_item::Entity::update_many()
            .col_expr(appraisal_item::Column::RemindedAt, Expr::value(now))
            .filter(appraisal_item::Column::Id.eq(item.id))
            .filter(appraisal_item::Column::RemindedAt.is_null())
            .filter(appraisal_item::Column::State.ne(ItemState::Accepted.as_str()))
            .exec(txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Ok(false);
        }
        let message = Message {
            kind: kinds::ITEM_OVERDUE,
            title: "评议问题整改逾期",
            body: Some(format!(
                "{}年评议问题清单第{}项「{}」整改期限{}已过，尚未通过验收。",
                a.year, item.number, item.problem, a.rectification_due
            )),
            subject_kind: "Appraisal",
            subject_id: Some(a.id),
        };
        notifications::tell(txn, &[Audience::Unit(a.unit_id)], &message, None).await?;
        Ok(true)
    })
    .await
}

/// Runs the job every `every` until the task is dropped, logging failures and carrying on.
pub async fn run_forever(store: Store, every: std::time::Duration) {
    crate::job::repeat("appraisal item reminders", every, || send_due(&store, Utc::now())).await;
}
