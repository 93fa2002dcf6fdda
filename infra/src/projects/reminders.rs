//! The milestone job: reminds the responsible unit 7 days before a project milestone is due, and the unit,
//! the congress's staff and the supervision group when it is past due and not done; once each. Safe with
//! several instances: each reminder is claimed by a compare-and-set on the milestone's `reminded` marker,
//! and only the instance whose update changed the row writes the notifications, in the same transaction.

use crate::Store;
use crate::entity::{livelihood_project, project_milestone};
use crate::error::{Result, stored};
use crate::transaction;
use chrono::{DateTime, Duration, Utc};
use edaibiao_domain::notification::Audience;
use edaibiao_domain::project::{DUE_SOON_DAYS, MilestoneReminder, MilestoneState};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// How many milestones one run looks at; the next run takes the rest.
const BATCH: u64 = 200;

/// Sends the milestone reminders due at `now`; returns how many were sent.
pub async fn send_due(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let rows = project_milestone::Entity::find()
        .filter(project_milestone::Column::State.eq(MilestoneState::Pending.as_str()))
        .filter(project_milestone::Column::DueAt.lte(now + Duration::days(DUE_SOON_DAYS)))
        .filter(
            Condition::any()
                .add(project_milestone::Column::Reminded.is_null())
                .add(project_milestone::Column::Reminded.ne(MilestoneReminder::Overdue.marker())),
        )
        .order_by_asc(project_milestone::Column::DueAt)
        .limit(BATCH)
        .all(&store.db)
        .await?;
    let mut sent = 0;
    for m in rows {
        let state = stored("milestone state", m.id, MilestoneState::parse(&m.state))?;
        if let Some(reminder) = MilestoneReminder::due(state, m.due_at, now, m.reminded.as_deref())
            && remind(store, reminder, &m).await?
        {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Claims and sends one reminder; `false` when another instance (or the unit's report) got there first.
async fn remind(store: &Store, reminder: MilestoneReminder, m: &project_milestone::Model) -> Result<bool> {
    transaction::run(store, async |txn| {
        let mut claim = project_milestone::Entity::update_many()
            .col_expr(project_milestone::Column::Reminded, sea_orm::sea_query::Expr::value(reminder.marker()))
            .filter(project_milestone::Column::Id.eq(m.id))
            .filter(project_milestone::Column::State.eq(MilestoneState::Pending.as_str()));
        claim = match m.reminded.as_deref() {
            Some(previous) => claim.filter(project_milestone::Column::Reminded.eq(previous)),
            None => claim.filter(project_milestone::Column::Reminded.is_null()),
        };
        if claim.exec(txn).await?.rows_affected != 1 {
            return Ok(false);
        }
        let project = livelihood_project::Entity::find_by_id(m.project_id)
            .one(txn)
            .await?
            .ok_or("livelihood project")?;
        let mut audience = vec![Audience::Unit(project.unit_id)];
        let title = match reminder {
            MilestoneReminder::DueSoon => "民生实事项目节点即将到期",
            MilestoneReminder::Overdue => {
                audience.push(Audience::Staff(project.congress_id));
                for d in super::query::group_of(txn, project.id).await? {
                    audience.push(Audience::Deputy(d));
                }
                "民生实事项目节点已逾期"
            }
        };
        let message = crate::notifications::Message {
            kind: reminder.kind(),
            title,
            body: Some(format!("「{}」{}：{}", project.title, m.title, m.due_at.format("%Y-%m-%d"))),
            subject_kind: super::PROJECT_SUBJECT,
            subject_id: Some(project.id),
        };
        crate::notifications::tell(txn, &audience, &message, None).await?;
        Ok(true)
    })
    .await
}

/// Runs the job every `every` until the task is dropped, logging failures and carrying on.
pub async fn run_forever(store: Store, every: std::time::Duration) {
    crate::job::repeat("milestone reminders", every, || send_due(&store, Utc::now())).await;
}
