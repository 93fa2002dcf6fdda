//! Reception records (接待记录) and the station's monthly ledger (台账). Recording a reception stores the
//! matters raised, and turns each matter marked for it into an opinion taken at once by the recorder, all in
//! one transaction.

use super::query::{OpinionRecord, Viewer};
use super::record::{self, StepBy};
use super::{OpinionSettings, new_tracking_code, stored_phone};
use crate::entity::{
    liaison_station, opinion, reception_day, reception_day_deputy, reception_matter, reception_record,
};
use crate::error::Result;
use crate::idempotency;
use crate::idempotency::Idempotency;
use crate::transaction::{self, Key, Once};
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::opinion::{
    Addressee, Command, Month, Opinion, OpinionCategory, ReceptionInput, may_record_reception,
};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use uuid::Uuid;

pub use super::query::OpinionView;

/// A reception (接待记录) as recorded: where, when, how many came and who recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceptionRecord {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub station_id: Uuid,
    pub reception_day_id: Option<Uuid>,
    pub received_at: DateTime<Utc>,
    pub visitors: i32,
    pub recorded_by_account_id: Uuid,
    pub recorder_deputy_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<reception_record::Model> for ReceptionRecord {
    fn from(row: reception_record::Model) -> Self {
        Self {
            id: row.id,
            congress_id: row.congress_id,
            station_id: row.station_id,
            reception_day_id: row.reception_day_id,
            received_at: row.received_at,
            visitors: row.visitors,
            recorded_by_account_id: row.recorded_by_account_id,
            recorder_deputy_id: row.recorder_deputy_id,
            created_at: row.created_at,
        }
    }
}

/// One matter raised at a reception. A category this build cannot read is `None` (as the API has always
/// shown it: null), not a failed ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceptionMatter {
    pub id: Uuid,
    pub record_id: Uuid,
    /// 1, 2, 3… in the order raised.
    pub seq: i32,
    pub category: Option<OpinionCategory>,
    pub content: String,
    pub contact_name: Option<String>,
    /// The opinion it became, if it did.
    pub opinion_id: Option<Uuid>,
}

impl From<reception_matter::Model> for ReceptionMatter {
    fn from(row: reception_matter::Model) -> Self {
        Self {
            id: row.id,
            record_id: row.record_id,
            seq: row.seq,
            category: OpinionCategory::parse(&row.category).ok(),
            content: row.content,
            contact_name: row.contact_name,
            opinion_id: row.opinion_id,
        }
    }
}

/// A matter raised, with the opinion it became as the reader may see it.
#[derive(Debug, Clone)]
pub struct Matter {
    pub matter: ReceptionMatter,
    pub opinion: Option<OpinionView>,
}

/// A reception record with its matters.
#[derive(Debug, Clone)]
pub struct Entry {
    pub record: ReceptionRecord,
    pub matters: Vec<Matter>,
}

/// The station, if `viewer` keeps its records (`on_duty`: a deputy on duty there on the day recorded).
async fn station(
    store: &Store,
    viewer: &Viewer,
    station_id: Uuid,
    on_duty: bool,
) -> Result<liaison_station::Model> {
    let station =
        liaison_station::Entity::find_by_id(station_id).one(&store.db).await?.ok_or("liaison station")?;
    may_record_reception(&viewer.actor, station.id, station.congress_id, viewer.deputy_station_id, on_duty)?;
    Ok(station)
}

/// Checks that the reception day is the station's, and says whether `viewer` was on duty that day.
async fn on_duty(store: &Store, viewer: &Viewer, station_id: Uuid, day_id: Uuid) -> Result<bool> {
    let day = reception_day::Entity::find_by_id(day_id).one(&store.db).await?.ok_or("reception day")?;
    if day.station_id != station_id {
        return Err(DomainError::invalid("receptionDayId", "is a reception day of another station").into());
    }
    let Some(deputy_id) = viewer.actor.deputy_id else { return Ok(false) };
    Ok(reception_day_deputy::Entity::find_by_id((day_id, deputy_id)).one(&store.db).await?.is_some())
}

/// Records a reception at `station_id` as `viewer` (a deputy of the station, its worker, or congress staff).
pub async fn record(
    store: &Store,
    settings: &OpinionSettings,
    viewer: &Viewer,
    station_id: Uuid,
    input: ReceptionInput,
    idempotency: Option<Idempotency<'_>>,
) -> Result<Entry> {
    let on_duty = match input.reception_day_id {
        Some(day) => on_duty(store, viewer, station_id, day).await?,
        None => false,
    };
    let station = station(store, viewer, station_id, on_duty).await?;
    let owner = viewer.actor.user_id;
    if let Some(idem) = &idempotency {
        idempotency::check(idem)?;
        if let Some(done) = idempotency::find(&store.db, owner, idem).await? {
            return entries(store, settings, viewer, vec![find_record(&store.db, done).await?])
                .await
                .map(first);
        }
    }
    let now = Utc::now();
    let record_id = Uuid::now_v7();
    let to = Addressee::Reception { station_id: station.id, congress_id: station.congress_id };
    let recorder = viewer.caller();
    let by = StepBy::actor(&viewer.actor);

    let row = reception_record::ActiveModel {
        id: Set(record_id),
        congress_id: Set(station.congress_id),
        station_id: Set(station.id),
        reception_day_id: Set(input.reception_day_id),
        received_at: Set(input.received_at),
        visitors: Set(i32::try_from(input.visitors).unwrap_or(i32::MAX)),
        recorded_by_account_id: Set(viewer.actor.user_id),
        recorder_deputy_id: Set(viewer.actor.deputy_id),
        created_at: Set(now),
    };
    let key = idempotency.as_ref().map(|idempotency| Key { owner, idempotency, result: record_id });
    let recorded = transaction::run_once(store, key, async |txn| {
        reception_record::Entity::insert(row).exec(txn).await?;
        let mut matters = Vec::with_capacity(input.matters.len());
        for (seq, matter) in (1..).zip(&input.matters) {
            let opinion_id = if matter.make_opinion {
                let id = Uuid::now_v7();
                let submitted = Opinion::submit(&matter.opinion, to, None, id, new_tracking_code()?, now);
                let mut opinion =
                    Opinion::from_submitted(&submitted).ok_or_else(|| Error::Internal("submitted".into()))?;
                record::insert(txn, by, &opinion, &submitted, stored_phone(settings, &matter.opinion)?)
                    .await?;
                let accepted = opinion.decide(&recorder, &Command::Accept, now)?;
                record::append(txn, by, &mut opinion, accepted, now).await?;
                Some(id)
            } else {
                None
            };
            matters.push(reception_matter::ActiveModel {
                id: Set(Uuid::now_v7()),
                record_id: Set(record_id),
                seq: Set(seq),
                category: Set(matter.opinion.category.as_str().to_owned()),
                content: Set(matter.opinion.content.clone()),
                contact_name: Set(matter.opinion.contact_name.clone()),
                opinion_id: Set(opinion_id),
            });
        }
        if !matters.is_empty() {
            reception_matter::Entity::insert_many(matters).exec(txn).await?;
        }
        Ok(())
    })
    .await?;
    // A retry of a request that is done (or finishing) is answered with its record.
    let done = match recorded {
        Once::Done(()) => record_id,
        Once::Replayed(done) => done,
    };
    entries(store, settings, viewer, vec![find_record(&store.db, done).await?]).await.map(first)
}

fn first(mut entries: Vec<Entry>) -> Entry {
    entries.swap_remove(0)
}

async fn find_record(db: &impl ConnectionTrait, id: Uuid) -> Result<reception_record::Model> {
    Ok(reception_record::Entity::find_by_id(id).one(db).await?.ok_or("reception record")?)
}

/// The station's reception records of `month` (China Standard Time), oldest first, with their matters and
/// opinions: for the station's deputies and workers, and congress staff.
pub async fn ledger(
    store: &Store,
    settings: &OpinionSettings,
    viewer: &Viewer,
    station_id: Uuid,
    month: Month,
) -> Result<Vec<Entry>> {
    let station = station(store, viewer, station_id, false).await?;
    let records = reception_record::Entity::find()
        .filter(reception_record::Column::StationId.eq(station.id))
        .filter(reception_record::Column::ReceivedAt.gte(month.start()))
        .filter(reception_record::Column::ReceivedAt.lt(month.end()))
        .order_by_asc(reception_record::Column::ReceivedAt)
        .order_by_asc(reception_record::Column::Id)
        .all(&store.db)
        .await?;
    entries(store, settings, viewer, records).await
}

/// Records with their matters and opinions, in three queries whatever their number.
async fn entries(
    store: &Store,
    settings: &OpinionSettings,
    viewer: &Viewer,
    records: Vec<reception_record::Model>,
) -> Result<Vec<Entry>> {
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    let matters = reception_matter::Entity::find()
        .filter(reception_matter::Column::RecordId.is_in(ids))
        .order_by_asc(reception_matter::Column::RecordId)
        .order_by_asc(reception_matter::Column::Seq)
        .all(&store.db)
        .await?;
    let opinion_ids: Vec<Uuid> = matters.iter().filter_map(|m| m.opinion_id).collect();
    let mut opinions: HashMap<Uuid, OpinionRecord> = HashMap::new();
    if !opinion_ids.is_empty() {
        for row in
            opinion::Entity::find().filter(opinion::Column::Id.is_in(opinion_ids)).all(&store.db).await?
        {
            opinions.insert(row.id, OpinionRecord::from_row(&row)?);
        }
    }
    let caller = viewer.caller();
    let mut by_record: HashMap<Uuid, Vec<Matter>> = HashMap::new();
    for matter in matters {
        let opinion = matter
            .opinion_id
            .and_then(|id| opinions.get(&id).cloned())
            .and_then(|r| r.view(&caller, &settings.vault));
        by_record.entry(matter.record_id).or_default().push(Matter { matter: matter.into(), opinion });
    }
    Ok(records
        .into_iter()
        .map(|record| {
            let matters = by_record.remove(&record.id).unwrap_or_default();
            Entry { record: record.into(), matters }
        })
        .collect())
}

/// One reception record as `viewer` may see it (those who keep the station's records), or NOT_FOUND.
pub async fn find(store: &Store, settings: &OpinionSettings, viewer: &Viewer, id: Uuid) -> Result<Entry> {
    let record = find_record(&store.db, id).await?;
    let allowed =
        liaison_station::Entity::find_by_id(record.station_id).one(&store.db).await?.is_some_and(|s| {
            may_record_reception(&viewer.actor, s.id, s.congress_id, viewer.deputy_station_id, false).is_ok()
                || viewer.actor.user_id == record.recorded_by_account_id
        });
    if !allowed {
        return Err(DomainError::NotFound("reception record").into());
    }
    entries(store, settings, viewer, vec![record]).await.map(first)
}
