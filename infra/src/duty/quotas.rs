//! Quotas ("十个一"): what each deputy owes per month, quarter or year, their progress, and the reminder
//! job that tells a deputy who is behind near the end of a period, once per quota, deputy and period.

use super::archive_entries;
use crate::Store;
use crate::entity::{congress, deputy, duty_quota, quota_reminder};
use crate::error::Result;
use crate::notifications::{self, Message};
use crate::transaction;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::duty::points::EntryKind;
use edaibiao_domain::duty::quota::{DutyQuota, Period, PeriodKind, Progress, progress, reminder_due};
use edaibiao_domain::duty::record::{check_rules_reader, check_staff};
use edaibiao_domain::notification::Audience;
use edaibiao_domain::time::cst_date;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The notification kind of a quota reminder.
pub const QUOTA_BEHIND: &str = "DUTY_QUOTA_BEHIND";

/// A quota as stored, with its rule.
#[derive(Debug, Clone)]
pub struct StoredQuota {
    pub congress_id: Uuid,
    pub quota: DutyQuota,
    pub created_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

fn to_quota(row: &duty_quota::Model) -> Result<StoredQuota> {
    let counts = row
        .counts
        .split(',')
        .filter(|s| !s.is_empty())
        .map(EntryKind::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let quota = DutyQuota::new(
        row.id,
        &row.item,
        PeriodKind::parse(&row.period)?,
        u32::try_from(row.required).unwrap_or(1),
        counts,
    )?;
    Ok(StoredQuota {
        congress_id: row.congress_id,
        quota,
        created_at: row.created_at,
        retired_at: row.retired_at,
    })
}

/// What staff ask for.
#[derive(Debug, Clone)]
pub struct QuotaInput {
    pub congress_id: Uuid,
    pub item: String,
    pub period: PeriodKind,
    pub required: u32,
    pub counts: Vec<EntryKind>,
}

/// `setDutyQuota`: staff add a quota.
pub async fn set_quota(store: &Store, actor: &Actor, input: QuotaInput) -> Result<StoredQuota> {
    check_staff(actor, input.congress_id)?;
    if input.required > 1000 {
        return Err(DomainError::invalid("required", "must be at most 1000").into());
    }
    let quota = DutyQuota::new(Uuid::now_v7(), &input.item, input.period, input.required, input.counts)?;
    edaibiao_domain::text::bounded("item", &quota.item, 1, 100)?;
    congress::Entity::find_by_id(input.congress_id).one(&store.db).await?.ok_or("congress")?;
    let row = duty_quota::ActiveModel {
        id: Set(quota.id),
        congress_id: Set(input.congress_id),
        item: Set(quota.item.clone()),
        period: Set(quota.period.as_str().to_owned()),
        required: Set(i32::try_from(quota.required).unwrap_or(i32::MAX)),
        counts: Set(quota.counts.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(Utc::now()),
        retired_at: Set(None),
    };
    let saved = duty_quota::Entity::insert(row).exec_with_returning(&store.db).await?;
    to_quota(&saved)
}

/// `retireDutyQuota`: staff retire a quota; it stops counting and reminding. CONFLICT when already retired.
pub async fn retire_quota(store: &Store, actor: &Actor, id: Uuid) -> Result<StoredQuota> {
    let row = duty_quota::Entity::find_by_id(id).one(&store.db).await?.ok_or("duty quota")?;
    check_staff(actor, row.congress_id)?;
    let now = Utc::now();
    let done = duty_quota::Entity::update_many()
        .col_expr(duty_quota::Column::RetiredAt, Expr::value(now))
        .filter(duty_quota::Column::Id.eq(id))
        .filter(duty_quota::Column::RetiredAt.is_null())
        .exec(&store.db)
        .await?;
    if done.rows_affected == 0 {
        return Err(DomainError::conflict("this quota is already retired").into());
    }
    to_quota(&duty_quota::Model { retired_at: Some(now), ..row })
}

pub async fn load_quota(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<StoredQuota>> {
    duty_quota::Entity::find_by_id(id).one(db).await?.as_ref().map(to_quota).transpose()
}

/// A quota (in force or retired) for those who may read its congress's quotas; `None` when there is no
/// such quota or `actor` may not read them (its existence is not told).
pub async fn quota_for(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> Result<Option<StoredQuota>> {
    Ok(load_quota(db, id).await?.filter(|q| check_rules_reader(actor, q.congress_id).is_ok()))
}

/// The congress's quotas in force (not retired), oldest first.
pub async fn live_quotas(db: &impl ConnectionTrait, congress_id: Uuid) -> Result<Vec<StoredQuota>> {
    duty_quota::Entity::find()
        .filter(duty_quota::Column::CongressId.eq(congress_id))
        .filter(duty_quota::Column::RetiredAt.is_null())
        .order_by_asc(duty_quota::Column::CreatedAt)
        .order_by_asc(duty_quota::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(to_quota)
        .collect()
}

/// One deputy's standing on every quota.
#[derive(Debug, Clone)]
pub struct DeputyProgress {
    pub deputy_id: Uuid,
    pub name: String,
    /// By quota, in the order of [`QuotaProgress::quotas`].
    pub items: Vec<Progress>,
}

impl DeputyProgress {
    pub fn behind(&self) -> bool {
        self.items.iter().any(|p| p.behind)
    }
}

/// Where a congress's deputies stand on its quotas on one day: each quota in its period containing the day.
#[derive(Debug, Clone)]
pub struct QuotaProgress {
    pub on: NaiveDate,
    pub quotas: Vec<(StoredQuota, Period)>,
    pub deputies: Vec<DeputyProgress>,
}

/// `quotaProgress`, for staff of the congress.
pub async fn quota_progress(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    on: NaiveDate,
) -> Result<QuotaProgress> {
    check_staff(actor, congress_id)?;
    edaibiao_domain::duty::record::year_bounds(on.year())?;
    progress_on(&store.db, congress_id, on).await
}

async fn progress_on(db: &impl ConnectionTrait, congress_id: Uuid, on: NaiveDate) -> Result<QuotaProgress> {
    let quotas: Vec<(StoredQuota, Period)> = live_quotas(db, congress_id)
        .await?
        .into_iter()
        .map(|q| {
            let period = Period::containing_date(q.quota.period, on);
            (q, period)
        })
        .collect();
    let deputies = deputy::Entity::find()
        .filter(deputy::Column::CongressId.eq(congress_id))
        .order_by_asc(deputy::Column::Name)
        .order_by_asc(deputy::Column::Id)
        .all(db)
        .await?;
    let entries = if quotas.is_empty() {
        HashMap::new()
    } else {
        archive_entries(db, congress_id, on.year(), None).await?
    };
    let deputies = deputies
        .into_iter()
        .map(|d| {
            let mine = entries.get(&d.id).map(Vec::as_slice).unwrap_or_default();
            DeputyProgress {
                deputy_id: d.id,
                name: d.name,
                items: quotas.iter().map(|(q, period)| progress(&q.quota, mine, period)).collect(),
            }
        })
        .collect();
    Ok(QuotaProgress { on, quotas, deputies })
}

/// Sends the reminders due at `now`: for every quota in force whose period ends within the reminder window,
/// each deputy still behind is told once (the `quota_reminders` row, unique per quota, deputy and period,
/// written with the notification). Returns how many reminders this call sent.
pub async fn remind_due(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let today = cst_date(now);
    let always_behind = Progress { done: 0, required: 1, behind: true };
    let mut by_congress: HashMap<Uuid, Vec<StoredQuota>> = HashMap::new();
    for row in
        duty_quota::Entity::find().filter(duty_quota::Column::RetiredAt.is_null()).all(&store.jobs_db).await?
    {
        let q = to_quota(&row)?;
        let period = Period::containing_date(q.quota.period, today);
        if reminder_due(&always_behind, &period, now) {
            by_congress.entry(q.congress_id).or_default().push(q);
        }
    }
    let mut sent = 0;
    for (congress_id, quotas) in by_congress {
        let standing = progress_on(&store.jobs_db, congress_id, today).await?;
        for (index, (q, period)) in standing.quotas.iter().enumerate() {
            if !quotas.iter().any(|due| due.quota.id == q.quota.id) {
                continue;
            }
            let already: HashSet<Uuid> = quota_reminder::Entity::find()
                .filter(quota_reminder::Column::QuotaId.eq(q.quota.id))
                .filter(quota_reminder::Column::PeriodStart.eq(period.start))
                .all(&store.jobs_db)
                .await?
                .into_iter()
                .map(|r| r.deputy_id)
                .collect();
            for d in &standing.deputies {
                let Some(p) = d.items.get(index) else { continue };
                if already.contains(&d.deputy_id) || !reminder_due(p, period, now) {
                    continue;
                }
                if remind_one(store, &q.quota, period, d.deputy_id, p, now).await? {
                    sent += 1;
                }
            }
        }
    }
    Ok(sent)
}

/// Records and sends one reminder; `false` when another run sent it first.
async fn remind_one(
    store: &Store,
    quota: &DutyQuota,
    period: &Period,
    deputy_id: Uuid,
    progress: &Progress,
    now: DateTime<Utc>,
) -> Result<bool> {
    let row = quota_reminder::ActiveModel {
        id: Set(Uuid::now_v7()),
        quota_id: Set(quota.id),
        deputy_id: Set(deputy_id),
        period_start: Set(period.start),
        sent_at: Set(now),
    };
    transaction::run_job(store, async |txn| {
        // The reminder's row is the claim: a second run (or instance) finds it and sends nothing.
        let claim = OnConflict::columns([
            quota_reminder::Column::QuotaId,
            quota_reminder::Column::DeputyId,
            quota_reminder::Column::PeriodStart,
        ])
        .do_nothing()
        .to_owned();
        let claimed =
            quota_reminder::Entity::insert(row).on_conflict(claim).exec_without_returning(txn).await?;
        if claimed == 0 {
            return Ok(false);
        }
        let recipients = notifications::accounts_of(txn, &[Audience::Deputy(deputy_id)]).await?;
        let title = format!("履职任务提醒：{}", quota.item);
        let body = format!(
            "本期（{} 至 {}）已完成 {} / {}，请在期末前完成。",
            period.start,
            period.last_day(),
            progress.done,
            progress.required
        );
        let message = Message {
            kind: QUOTA_BEHIND,
            title: &title,
            body: Some(body),
            subject_kind: "DutyQuota",
            subject_id: Some(quota.id),
        };
        notifications::write(txn, &recipients, &message, None).await?;
        Ok(true)
    })
    .await
}

/// Runs the reminder job every `every` until the task is dropped, logging failures and carrying on.
pub async fn run_forever(store: Store, every: std::time::Duration) {
    crate::job::repeat("quota reminders", every, || remind_due(&store, Utc::now())).await;
}
