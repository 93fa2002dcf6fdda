//! Reception days (接待日) at liaison stations: scheduling, changing and cancelling them, and reading the
//! upcoming ones. Every change forgets the public cards of the station's deputies, which list them.

use super::{Changed, forget};
use crate::entity::{deputy, liaison_station, reception_day, reception_day_deputy};
use crate::error::Result;
use crate::page::{Page, PageRequest};
use crate::transaction;
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::reception_day::{
    MAX_DEPUTIES, ReceptionChange, ReceptionDayDraft, ReceptionDayState, ReceptionSlot,
    check_no_double_booking, may_change_reception, may_schedule_reception,
};
use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Func, Order, Query, WindowStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A reception day as staff enter it, before it is checked.
#[derive(Debug, Clone)]
pub struct ReceptionDayInput {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub deputy_ids: Vec<Uuid>,
    pub note: Option<String>,
}

/// A day on which deputies receive the public at a station (接待日).
#[derive(Debug, Clone, PartialEq)]
pub struct ReceptionDay {
    pub id: Uuid,
    pub station_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub note: Option<String>,
    /// Who scheduled it; `None` when the system did.
    pub created_by: Option<Uuid>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<reception_day::Model> for ReceptionDay {
    fn from(row: reception_day::Model) -> Self {
        let reception_day::Model {
            id,
            station_id,
            starts_at,
            ends_at,
            note,
            created_by,
            cancelled_at,
            created_at,
            updated_at,
        } = row;
        Self { id, station_id, starts_at, ends_at, note, created_by, cancelled_at, created_at, updated_at }
    }
}

/// The most upcoming reception days one station lists at once.
pub const MAX_UPCOMING: u64 = 20;

async fn station(db: &impl ConnectionTrait, id: Uuid) -> Result<liaison_station::Model> {
    Ok(liaison_station::Entity::find_by_id(id).one(db).await?.ok_or("liaison station")?)
}

async fn day(db: &impl ConnectionTrait, id: Uuid) -> Result<reception_day::Model> {
    Ok(reception_day::Entity::find_by_id(id).one(db).await?.ok_or("reception day")?)
}

fn state_of(day: &reception_day::Model) -> ReceptionDayState {
    ReceptionDayState {
        slot: ReceptionSlot { starts_at: day.starts_at, ends_at: day.ends_at },
        cancelled: day.cancelled_at.is_some(),
    }
}

/// Checks the input against the rules: the slot, the deputies (loaded to know their congress), the note,
/// and that no deputy is on duty elsewhere at that time (`except` is the day being changed).
async fn draft(
    db: &impl ConnectionTrait,
    station: &liaison_station::Model,
    input: &ReceptionDayInput,
    except: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<ReceptionDayDraft> {
    let slot = ReceptionSlot::parse(input.starts_at, input.ends_at, now)?;
    // Loads at most one more distinct deputy than the rule allows: enough for it to refuse too many.
    let mut wanted: Vec<Uuid> = Vec::new();
    for id in &input.deputy_ids {
        if !wanted.contains(id) {
            wanted.push(*id);
        }
        if wanted.len() > MAX_DEPUTIES {
            break;
        }
    }
    let congresses: HashMap<Uuid, Uuid> = deputy::Entity::find()
        .filter(deputy::Column::Id.is_in(wanted))
        .select_only()
        .column(deputy::Column::Id)
        .column(deputy::Column::CongressId)
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let draft = ReceptionDayDraft::parse(
        slot,
        &input.deputy_ids,
        input.note.as_deref(),
        station.congress_id,
        &congresses,
    )?;
    let mut overlapping = reception_day_deputy::Entity::find()
        .select_only()
        .column(reception_day_deputy::Column::DeputyId)
        .column(reception_day::Column::StartsAt)
        .column(reception_day::Column::EndsAt)
        .join(
            sea_orm::JoinType::InnerJoin,
            reception_day_deputy::Entity::belongs_to(reception_day::Entity)
                .from(reception_day_deputy::Column::ReceptionDayId)
                .to(reception_day::Column::Id)
                .into(),
        )
        .filter(reception_day_deputy::Column::DeputyId.is_in(draft.deputy_ids.iter().copied()))
        .filter(reception_day::Column::CancelledAt.is_null())
        .filter(reception_day::Column::StartsAt.lt(draft.slot.ends_at))
        .filter(reception_day::Column::EndsAt.gt(draft.slot.starts_at));
    if let Some(id) = except {
        overlapping = overlapping.filter(reception_day::Column::Id.ne(id));
    }
    let booked: Vec<(Uuid, ReceptionSlot)> = overlapping
        .into_tuple::<(Uuid, DateTime<Utc>, DateTime<Utc>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(deputy, starts_at, ends_at)| (deputy, ReceptionSlot { starts_at, ends_at }))
        .collect();
    check_no_double_booking(&draft, &booked)?;
    Ok(draft)
}

async fn put_duty(db: &impl ConnectionTrait, day_id: Uuid, deputy_ids: &[Uuid]) -> Result<()> {
    reception_day_deputy::Entity::delete_many()
        .filter(reception_day_deputy::Column::ReceptionDayId.eq(day_id))
        .exec(db)
        .await?;
    let rows = deputy_ids
        .iter()
        .map(|d| reception_day_deputy::ActiveModel { reception_day_id: Set(day_id), deputy_id: Set(*d) });
    reception_day_deputy::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Schedules a reception day at `station_id`: staff of its congress, admins, or the station's workers.
pub async fn schedule(
    store: &Store,
    actor: &Actor,
    station_id: Uuid,
    input: ReceptionDayInput,
) -> Result<ReceptionDay> {
    let now = Utc::now();
    let station = station(&store.db, station_id).await?;
    may_schedule_reception(actor, station.id, station.congress_id)?;
    let created = transaction::run(store, async |txn| {
        let draft = draft(txn, &station, &input, None, now).await?;
        let model = reception_day::ActiveModel {
            id: Set(Uuid::now_v7()),
            station_id: Set(station.id),
            starts_at: Set(draft.slot.starts_at),
            ends_at: Set(draft.slot.ends_at),
            note: Set(draft.note),
            created_by: Set(Some(actor.user_id).filter(|id| !id.is_nil())),
            cancelled_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        };
        let created = reception_day::Entity::insert(model).exec_with_returning(txn).await?;
        put_duty(txn, created.id, &draft.deputy_ids).await?;
        Ok(created)
    })
    .await?;
    forget(store, Changed::Station(station.id)).await;
    Ok(created.into())
}

/// Replaces a reception day's times, deputies and note, before it starts.
pub async fn update(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    input: ReceptionDayInput,
) -> Result<ReceptionDay> {
    let now = Utc::now();
    let current = day(&store.db, id).await?;
    let station = station(&store.db, current.station_id).await?;
    may_schedule_reception(actor, station.id, station.congress_id)?;
    may_change_reception(state_of(&current), ReceptionChange::Update, now)?;
    let updated = transaction::run(store, async |txn| {
        let draft = draft(txn, &station, &input, Some(id), now).await?;
        // Compare-and-set on the version read above, so that a change racing with this one (or a
        // cancellation) is not silently overwritten.
        let changed = reception_day::Entity::update_many()
            .col_expr(reception_day::Column::StartsAt, Expr::value(draft.slot.starts_at))
            .col_expr(reception_day::Column::EndsAt, Expr::value(draft.slot.ends_at))
            .col_expr(reception_day::Column::Note, Expr::value(draft.note.clone()))
            .col_expr(reception_day::Column::UpdatedAt, Expr::value(now))
            .filter(reception_day::Column::Id.eq(id))
            .filter(reception_day::Column::CancelledAt.is_null())
            .filter(reception_day::Column::UpdatedAt.eq(current.updated_at))
            .exec(txn)
            .await?;
        if changed.rows_affected != 1 {
            return Err(DomainError::conflict("the reception day was changed meanwhile; reload it").into());
        }
        put_duty(txn, id, &draft.deputy_ids).await?;
        day(txn, id).await
    })
    .await?;
    forget(store, Changed::Station(station.id)).await;
    Ok(updated.into())
}

/// Calls a reception day off, until it ends.
pub async fn cancel(store: &Store, actor: &Actor, id: Uuid) -> Result<ReceptionDay> {
    let now = Utc::now();
    let current = day(&store.db, id).await?;
    let station = station(&store.db, current.station_id).await?;
    may_schedule_reception(actor, station.id, station.congress_id)?;
    may_change_reception(state_of(&current), ReceptionChange::Cancel, now)?;
    let changed = reception_day::Entity::update_many()
        .col_expr(reception_day::Column::CancelledAt, Expr::value(now))
        .col_expr(reception_day::Column::UpdatedAt, Expr::value(now))
        .filter(reception_day::Column::Id.eq(id))
        .filter(reception_day::Column::CancelledAt.is_null())
        .exec(&store.db)
        .await?;
    if changed.rows_affected != 1 {
        return Err(DomainError::conflict("the reception day is cancelled").into());
    }
    forget(store, Changed::Station(station.id)).await;
    Ok(day(&store.db, id).await?.into())
}

/// Reception days by id, in one query.
pub async fn by_ids(store: &Store, ids: &[Uuid]) -> Result<HashMap<Uuid, ReceptionDay>> {
    let rows = reception_day::Entity::find()
        .filter(reception_day::Column::Id.is_in(ids.iter().copied()))
        .all(&store.db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.into())).collect())
}

/// The deputies on duty at each reception day, in one query, in a stable order.
pub async fn duty(store: &Store, day_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Uuid>>> {
    let rows = reception_day_deputy::Entity::find()
        .filter(reception_day_deputy::Column::ReceptionDayId.is_in(day_ids.iter().copied()))
        .order_by_asc(reception_day_deputy::Column::DeputyId)
        .all(&store.db)
        .await?;
    let mut map: HashMap<Uuid, Vec<Uuid>> = day_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        map.entry(row.reception_day_id).or_default().push(row.deputy_id);
    }
    Ok(map)
}

/// For each station, its next `limit` (at most [`MAX_UPCOMING`]) reception days that are not cancelled
/// and have not ended at `now`, earliest first: one query for all stations, numbering each station's
/// rows with a window function so that a station with a long schedule costs no more than `limit` rows.
pub async fn upcoming(
    store: &Store,
    station_ids: &[Uuid],
    limit: u64,
    now: DateTime<Utc>,
) -> Result<HashMap<Uuid, Vec<ReceptionDay>>> {
    let mut map: HashMap<Uuid, Vec<ReceptionDay>> = station_ids.iter().map(|id| (*id, Vec::new())).collect();
    if station_ids.is_empty() {
        return Ok(map);
    }
    let limit = limit.clamp(1, MAX_UPCOMING);
    let rank = Alias::new("station_rank");
    let inner = Query::select()
        .column(Asterisk)
        .expr_window_as(
            Func::cust(Alias::new("ROW_NUMBER")),
            WindowStatement::partition_by(reception_day::Column::StationId)
                .order_by(reception_day::Column::StartsAt, Order::Asc)
                .order_by(reception_day::Column::Id, Order::Asc)
                .to_owned(),
            rank.clone(),
        )
        .from(reception_day::Entity)
        .and_where(reception_day::Column::StationId.is_in(station_ids.iter().copied()))
        .and_where(reception_day::Column::CancelledAt.is_null())
        .and_where(reception_day::Column::EndsAt.gt(now))
        .to_owned();
    let outer = Query::select()
        .column(Asterisk)
        .from_subquery(inner, Alias::new("ranked"))
        .and_where(Expr::col(rank).lte(limit))
        .order_by(reception_day::Column::StartsAt, Order::Asc)
        .order_by(reception_day::Column::Id, Order::Asc)
        .to_owned();
    let statement = store.db.get_database_backend().build(&outer);
    for row in reception_day::Entity::find().from_raw_sql(statement).all(&store.db).await? {
        map.entry(row.station_id).or_default().push(row.into());
    }
    Ok(map)
}

/// Which reception days of a station a list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReceptionFilter {
    /// Days that end after this moment.
    pub from: Option<DateTime<Utc>>,
    /// Days that start before this moment.
    pub to: Option<DateTime<Utc>>,
    pub include_cancelled: bool,
}

/// A page of a station's reception days in the order they take place. The cursor is a day's id; the
/// page continues after that day's place in the (start, id) order.
pub async fn list(
    store: &Store,
    station_id: Uuid,
    filter: ReceptionFilter,
    request: PageRequest,
) -> Result<Page<ReceptionDay>> {
    station(&store.db, station_id).await?;
    let mut select = reception_day::Entity::find().filter(reception_day::Column::StationId.eq(station_id));
    if let Some(from) = filter.from {
        select = select.filter(reception_day::Column::EndsAt.gt(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(reception_day::Column::StartsAt.lt(to));
    }
    if !filter.include_cancelled {
        select = select.filter(reception_day::Column::CancelledAt.is_null());
    }
    let total = select.clone().count(&store.db).await?;
    let mut query = select
        .order_by_asc(reception_day::Column::StartsAt)
        .order_by_asc(reception_day::Column::Id)
        .limit(request.first + 1);
    if let Some(after) = request.after {
        let after = reception_day::Entity::find_by_id(after)
            .filter(reception_day::Column::StationId.eq(station_id))
            .one(&store.db)
            .await?
            .ok_or_else(|| Error::from(DomainError::invalid("after", "is not a cursor from this list")))?;
        query = query.filter(
            Condition::any().add(reception_day::Column::StartsAt.gt(after.starts_at)).add(
                Condition::all()
                    .add(reception_day::Column::StartsAt.eq(after.starts_at))
                    .add(reception_day::Column::Id.gt(after.id)),
            ),
        );
    }
    Page::from_overfetch(query.all(&store.db).await?, request, total).try_map(|row| Ok(row.into()))
}
