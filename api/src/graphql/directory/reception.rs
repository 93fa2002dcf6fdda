//! Reception days (接待日) over GraphQL: the type, its data loaders, the station's schedule and the
//! mutations staff schedule with.

use super::{Deputy, LiaisonStation, required};
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{LiaisonStationKey, StoreLoader};
use crate::graphql::{ContextExt, ids};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use edaibiao_infra::directory::receptions::{
    self, MAX_UPCOMING, ReceptionDayInput as StoreInput, ReceptionFilter,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A reception day (接待日): a liaison station opens at a set time and deputies on duty receive the
/// public.
pub struct ReceptionDay(pub receptions::ReceptionDay);

/// Whether a reception day takes place.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceptionDayStatus {
    /// It takes place as scheduled.
    Scheduled,
    /// It was called off.
    Cancelled,
}

/// A reception day (接待日): a liaison station opens at a set time and deputies on duty receive the
/// public.
#[Object]
impl ReceptionDay {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::ReceptionDay, self.0.id)
    }
    /// The station that opens.
    async fn station(&self, ctx: &Context<'_>) -> ApiResult<LiaisonStation> {
        let found = ctx.loader()?.load_one(LiaisonStationKey(self.0.station_id)).await?;
        required(found, "liaison station").map(LiaisonStation)
    }
    /// When it starts.
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }
    /// When it ends (at most 12 hours after the start).
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }
    /// The deputies on duty (1–20, all of the station's congress).
    async fn deputies_on_duty(&self, ctx: &Context<'_>) -> ApiResult<Vec<Deputy>> {
        let loader = ctx.loader()?;
        let ids = loader.load_one(ReceptionDutyKey(self.0.id)).await?.unwrap_or_default();
        Ok(loader.deputies_in_order(&ids).await?.into_iter().map(Deputy).collect())
    }
    /// What visitors should know (e.g. 请携带相关材料).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Whether it takes place.
    async fn status(&self) -> ReceptionDayStatus {
        if self.0.cancelled_at.is_some() {
            ReceptionDayStatus::Cancelled
        } else {
            ReceptionDayStatus::Scheduled
        }
    }
    /// When it was called off, if it was.
    async fn cancelled_at(&self) -> Option<DateTime<Utc>> {
        self.0.cancelled_at
    }
    /// When it was scheduled.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A reception day by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReceptionDayKey(pub Uuid);

impl Loader<ReceptionDayKey> for StoreLoader {
    type Value = receptions::ReceptionDay;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ReceptionDayKey],
    ) -> ApiResult<HashMap<ReceptionDayKey, receptions::ReceptionDay>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = receptions::by_ids(&self.0, &ids).await?;
        Ok(found.into_iter().map(|(id, m)| (ReceptionDayKey(id), m)).collect())
    }
}

/// The deputies on duty at a reception day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReceptionDutyKey(pub Uuid);

impl Loader<ReceptionDutyKey> for StoreLoader {
    type Value = Vec<Uuid>;
    type Error = ApiError;

    async fn load(&self, keys: &[ReceptionDutyKey]) -> ApiResult<HashMap<ReceptionDutyKey, Vec<Uuid>>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = receptions::duty(&self.0, &ids).await?;
        Ok(found.into_iter().map(|(id, deputies)| (ReceptionDutyKey(id), deputies)).collect())
    }
}

/// A station's next reception days (up to the most any list shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UpcomingReceptionKey(pub Uuid);

impl Loader<UpcomingReceptionKey> for StoreLoader {
    type Value = Vec<receptions::ReceptionDay>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[UpcomingReceptionKey],
    ) -> ApiResult<HashMap<UpcomingReceptionKey, Vec<receptions::ReceptionDay>>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = receptions::upcoming(&self.0, &ids, MAX_UPCOMING, Utc::now()).await?;
        Ok(found.into_iter().map(|(id, days)| (UpcomingReceptionKey(id), days)).collect())
    }
}

/// `LiaisonStation.upcomingReceptionDays`: the station's next `first` (1–20, default 3) reception days.
pub(super) async fn upcoming(
    ctx: &Context<'_>,
    station_id: Uuid,
    first: Option<i32>,
) -> ApiResult<Vec<ReceptionDay>> {
    let first = usize::try_from(first.unwrap_or(3).clamp(1, 20)).unwrap_or(3);
    let days = ctx.loader()?.load_one(UpcomingReceptionKey(station_id)).await?.unwrap_or_default();
    Ok(days.into_iter().take(first).map(ReceptionDay).collect())
}

/// A reception day's times, deputies on duty and note. Saving replaces all of them.
#[derive(InputObject)]
pub struct ReceptionDayInput {
    /// When it starts: not in the past, at most a year ahead.
    pub starts_at: DateTime<Utc>,
    /// When it ends: after the start, at most 12 hours later.
    pub ends_at: DateTime<Utc>,
    /// 1–20 deputies of the station's congress, none on duty elsewhere at that time.
    pub deputy_ids: Vec<ID>,
    /// What visitors should know, up to 500 characters.
    pub note: Option<String>,
}

impl ReceptionDayInput {
    fn to_store(&self) -> ApiResult<StoreInput> {
        let deputy_ids = self
            .deputy_ids
            .iter()
            .map(|id| ids::decode(NodeKind::Deputy, "deputyIds", id))
            .collect::<ApiResult<Vec<Uuid>>>()?;
        Ok(StoreInput {
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            deputy_ids,
            note: self.note.clone(),
        })
    }
}

/// A new reception day at a station.
#[derive(InputObject)]
pub struct ScheduleReceptionDayInput {
    /// The station that opens.
    pub station_id: ID,
    /// When it starts: not in the past, at most a year ahead.
    pub starts_at: DateTime<Utc>,
    /// When it ends: after the start, at most 12 hours later.
    pub ends_at: DateTime<Utc>,
    /// 1–20 deputies of the station's congress, none on duty elsewhere at that time.
    pub deputy_ids: Vec<ID>,
    /// What visitors should know, up to 500 characters.
    pub note: Option<String>,
}

#[derive(Default)]
pub struct ReceptionQuery;

#[Object]
impl ReceptionQuery {
    /// A station's reception days in the order they take place; no login needed. `from` (default: now)
    /// keeps the days that end after it, `to` those that start before it; cancelled days only with
    /// `includeCancelled`.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn reception_days(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the liaison station.")] station_id: ID,
        #[graphql(desc = "Only days that end after this time; now when omitted.")] from: Option<
            DateTime<Utc>,
        >,
        #[graphql(desc = "Only days that start before this time.")] to: Option<DateTime<Utc>>,
        #[graphql(default = false, desc = "Also list cancelled days.")] include_cancelled: bool,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<ReceptionDay>> {
        let station_id = ids::decode(NodeKind::LiaisonStation, "stationId", &station_id)?;
        let request = page_request(first, after)?;
        let filter = ReceptionFilter { from: Some(from.unwrap_or_else(Utc::now)), to, include_cancelled };
        let page = receptions::list(&ctx.services()?.store, station_id, filter, request).await?;
        Ok(connection(page, request, |m| m.id, ReceptionDay))
    }

    /// One reception day.
    async fn reception_day(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the reception day.")] id: ID,
    ) -> ApiResult<Option<ReceptionDay>> {
        let id = ids::decode(NodeKind::ReceptionDay, "id", &id)?;
        Ok(ctx.loader()?.load_one(ReceptionDayKey(id)).await?.map(ReceptionDay))
    }
}

#[derive(Default)]
pub struct ReceptionMutation;

#[Object]
impl ReceptionMutation {
    /// Schedules a reception day at a station: staff of the station's congress, admins, or the station's
    /// workers.
    async fn schedule_reception_day(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `ScheduleReceptionDayInput` describes them.")]
        input: ScheduleReceptionDayInput,
    ) -> ApiResult<ReceptionDay> {
        let actor = ctx.actor()?;
        let station_id = ids::decode(NodeKind::LiaisonStation, "stationId", &input.station_id)?;
        let fields = ReceptionDayInput {
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            deputy_ids: input.deputy_ids,
            note: input.note,
        };
        let store_input = fields.to_store()?;
        Ok(ReceptionDay(receptions::schedule(&ctx.services()?.store, actor, station_id, store_input).await?))
    }

    /// Replaces a reception day's times, deputies and note, before it starts. Who may schedule it.
    async fn update_reception_day(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the reception day.")] id: ID,
        #[graphql(desc = "The details, as `ReceptionDayInput` describes them.")] input: ReceptionDayInput,
    ) -> ApiResult<ReceptionDay> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::ReceptionDay, "id", &id)?;
        Ok(ReceptionDay(receptions::update(&ctx.services()?.store, actor, id, input.to_store()?).await?))
    }

    /// Calls a reception day off, until it ends. Who may schedule it.
    async fn cancel_reception_day(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the reception day.")] id: ID,
    ) -> ApiResult<ReceptionDay> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::ReceptionDay, "id", &id)?;
        Ok(ReceptionDay(receptions::cancel(&ctx.services()?.store, actor, id).await?))
    }
}
