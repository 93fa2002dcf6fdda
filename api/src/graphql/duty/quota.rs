//! Quotas ("十个一") and each deputy's progress.

use super::enums::{EntryKind, PeriodKind};
use crate::graphql::directory::Deputy;
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::DeputyKey;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_domain::duty::quota::{Period, Progress};
use edaibiao_domain::duty::record::check_rules_reader;
use edaibiao_domain::time::cst_date;
use edaibiao_infra::duty::quotas::{self, DeputyProgress, QuotaInput, StoredQuota};

/// A quota (履职任务, e.g. "十个一"): how many entries of which kinds each deputy owes per period.
pub struct DutyQuota(StoredQuota);

/// A quota (履职任务, e.g. "十个一"): how many entries of which kinds each deputy owes per period.
#[Object]
impl DutyQuota {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::DutyQuota, self.0.quota.id)
    }
    /// What is asked, e.g. 每月接待选民一次.
    async fn item(&self) -> &str {
        &self.0.quota.item
    }
    /// How often it falls due.
    async fn period(&self) -> PeriodKind {
        self.0.quota.period.into()
    }
    /// Entries owed per period.
    async fn required(&self) -> u32 {
        self.0.quota.required
    }
    /// The archive entries that count toward it.
    async fn counts(&self) -> Vec<EntryKind> {
        self.0.quota.counts.iter().map(|k| (*k).into()).collect()
    }
    /// When it was set.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was retired; null while in force.
    async fn retired_at(&self) -> Option<DateTime<Utc>> {
        self.0.retired_at
    }
}

/// A new quota.
#[derive(InputObject)]
pub struct DutyQuotaInput {
    /// The congress.
    pub congress_id: ID,
    /// What is asked, 1–100 characters.
    pub item: String,
    /// How often it falls due.
    pub period: PeriodKind,
    /// Entries owed per period, 1–1,000.
    pub required: u32,
    /// The archive entries that count toward it (at least one).
    pub counts: Vec<EntryKind>,
}

/// One calendar period (China Standard Time).
#[derive(SimpleObject)]
pub struct QuotaPeriod {
    /// Month, quarter or year.
    pub kind: PeriodKind,
    /// The calendar year.
    pub year: i32,
    /// 1-based: the month (1–12), the quarter (1–4) or 1 for the year.
    pub index: u32,
    /// The first day.
    pub start: NaiveDate,
    /// The last day.
    pub end: NaiveDate,
}

impl From<&Period> for QuotaPeriod {
    fn from(p: &Period) -> Self {
        Self { kind: p.kind.into(), year: p.year, index: p.index, start: p.start, end: p.last_day() }
    }
}

/// A quota in the period that contains the day asked about.
pub struct QuotaInPeriod {
    quota: StoredQuota,
    period: Period,
}

/// A quota in the period that contains the day asked about.
#[Object]
impl QuotaInPeriod {
    /// The quota.
    async fn quota(&self) -> DutyQuota {
        DutyQuota(self.quota.clone())
    }
    /// Its period containing the day.
    async fn period(&self) -> QuotaPeriod {
        (&self.period).into()
    }
}

/// A deputy's standing on one quota.
#[derive(SimpleObject)]
pub struct QuotaItemProgress {
    /// The quota's global ID.
    pub quota_id: ID,
    /// What is asked.
    pub item: String,
    /// Entries that count, within the period.
    pub done: u32,
    /// Entries owed.
    pub required: u32,
    /// Fewer done than owed.
    pub behind: bool,
}

/// A deputy's standing on every quota.
pub struct DeputyQuotaProgress {
    row: DeputyProgress,
    items: Vec<QuotaItemProgress>,
}

/// A deputy's standing on every quota.
#[Object]
impl DeputyQuotaProgress {
    /// The deputy.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.row.deputy_id)).await?.map(Deputy))
    }
    /// The deputy's name.
    async fn name(&self) -> &str {
        &self.row.name
    }
    /// One per quota, in the order of `QuotaProgress.quotas`.
    async fn items(&self) -> &[QuotaItemProgress] {
        &self.items
    }
    /// Behind on at least one quota.
    async fn behind(&self) -> bool {
        self.row.behind()
    }
}

/// Where a congress's deputies stand on its quotas on one day, each quota in its period containing the day.
pub struct QuotaProgress(quotas::QuotaProgress);

impl QuotaProgress {
    fn deputy_rows(&self, only_behind: bool) -> Vec<DeputyQuotaProgress> {
        self.0
            .deputies
            .iter()
            .filter(|d| !only_behind || d.behind())
            .map(|d| DeputyQuotaProgress {
                row: d.clone(),
                items: self
                    .0
                    .quotas
                    .iter()
                    .zip(&d.items)
                    .map(|((q, _), p): (&(StoredQuota, Period), &Progress)| QuotaItemProgress {
                        quota_id: ids::encode(NodeKind::DutyQuota, q.quota.id),
                        item: q.quota.item.clone(),
                        done: p.done,
                        required: p.required,
                        behind: p.behind,
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Where a congress's deputies stand on its quotas on one day, each quota in its period containing the day.
#[Object]
impl QuotaProgress {
    /// The day asked about.
    async fn on(&self) -> NaiveDate {
        self.0.on
    }
    /// The quotas in force, each in its period containing the day.
    async fn quotas(&self) -> Vec<QuotaInPeriod> {
        self.0
            .quotas
            .iter()
            .map(|(quota, period)| QuotaInPeriod { quota: quota.clone(), period: *period })
            .collect()
    }
    /// Every deputy of the congress, by name.
    async fn deputies(&self) -> Vec<DeputyQuotaProgress> {
        self.deputy_rows(false)
    }
    /// The deputies behind on at least one quota, by name.
    async fn behind(&self) -> Vec<DeputyQuotaProgress> {
        self.deputy_rows(true)
    }
}

/// A quota for `node(id)` (in force or retired): for its congress's staff and deputies, as `dutyQuotas`;
/// null for everyone else.
pub async fn quota_node(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<DutyQuota>> {
    let actor = ctx.actor()?;
    Ok(quotas::quota_for(&ctx.services()?.store.db, actor, id).await?.map(DutyQuota))
}

#[derive(Default)]
pub struct QuotaQuery;

#[Object]
impl QuotaQuery {
    /// A congress's quotas in force; for its staff and deputies.
    async fn duty_quotas(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
    ) -> ApiResult<Vec<DutyQuota>> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        check_rules_reader(actor, congress_id)?;
        let found = quotas::live_quotas(&ctx.services()?.store.db, congress_id).await?;
        Ok(found.into_iter().map(DutyQuota).collect())
    }

    /// Per deputy, done vs required on each quota in force, each in its period containing `on` (default:
    /// today in China Standard Time), and who is behind; for the congress's staff.
    async fn quota_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "The day whose periods count; today in China Standard Time when omitted.")]
        on: Option<NaiveDate>,
    ) -> ApiResult<QuotaProgress> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let on = on.unwrap_or_else(|| cst_date(Utc::now()));
        Ok(QuotaProgress(quotas::quota_progress(&ctx.services()?.store, actor, congress_id, on).await?))
    }
}

#[derive(Default)]
pub struct QuotaMutation;

#[Object]
impl QuotaMutation {
    /// Staff set a quota for the congress's deputies.
    async fn set_duty_quota(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `DutyQuotaInput` describes them.")] input: DutyQuotaInput,
    ) -> ApiResult<DutyQuota> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &input.congress_id)?;
        let input = QuotaInput {
            congress_id,
            item: input.item,
            period: input.period.into(),
            required: input.required,
            counts: input.counts.into_iter().map(Into::into).collect(),
        };
        Ok(DutyQuota(quotas::set_quota(&ctx.services()?.store, actor, input).await?))
    }

    /// Staff retire a quota: it no longer counts or reminds. CONFLICT when already retired.
    async fn retire_duty_quota(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the duty quota.")] id: ID,
    ) -> ApiResult<DutyQuota> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::DutyQuota, "id", &id)?;
        Ok(DutyQuota(quotas::retire_quota(&ctx.services()?.store, actor, id).await?))
    }
}
