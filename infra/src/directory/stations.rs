//! Liaison stations (代表联络站, 代表之家, 联系点) and finding the ones near a citizen.

use super::{keyset_page, managed_congress};
use crate::Store;
use crate::entity::liaison_station;
use crate::error::{Result, stored};
use crate::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::directory::{StationDraft, StationKind};
use edaibiao_domain::geo::Coordinates;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

/// A place where deputies meet the public: a liaison station (联络站), a home (代表之家) or a contact point.
#[derive(Debug, Clone, PartialEq)]
pub struct LiaisonStation {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub name: String,
    pub kind: StationKind,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub opening_hours: Option<String>,
    /// 行政区划代码, if set.
    pub division_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl LiaisonStation {
    pub(crate) fn from_row(row: liaison_station::Model) -> Result<Self> {
        Ok(Self {
            kind: stored("station kind", row.id, StationKind::parse(&row.kind))?,
            id: row.id,
            congress_id: row.congress_id,
            name: row.name,
            address: row.address,
            latitude: row.latitude,
            longitude: row.longitude,
            opening_hours: row.opening_hours,
            division_code: row.division_code,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

fn apply(model: &mut liaison_station::ActiveModel, draft: StationDraft) {
    model.name = Set(draft.name);
    model.kind = Set(draft.kind.as_str().to_owned());
    model.address = Set(draft.address);
    model.latitude = Set(draft.position.map(Coordinates::latitude));
    model.longitude = Set(draft.position.map(Coordinates::longitude));
    model.opening_hours = Set(draft.opening_hours);
    model.division_code = Set(draft.division_code.map(|d| d.as_str().to_owned()));
    model.updated_at = Set(Utc::now());
}

pub async fn create(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    draft: StationDraft,
) -> Result<LiaisonStation> {
    managed_congress(&store.db, actor, congress_id).await?;
    let mut model = liaison_station::ActiveModel {
        id: Set(Uuid::now_v7()),
        congress_id: Set(congress_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut model, draft);
    LiaisonStation::from_row(liaison_station::Entity::insert(model).exec_with_returning(&store.db).await?)
}

pub async fn update(store: &Store, actor: &Actor, id: Uuid, draft: StationDraft) -> Result<LiaisonStation> {
    let current = liaison_station::Entity::find_by_id(id).one(&store.db).await?.ok_or("liaison station")?;
    managed_congress(&store.db, actor, current.congress_id).await?;
    let mut model: liaison_station::ActiveModel = current.into();
    apply(&mut model, draft);
    let updated = model.update(&store.db).await?;
    super::forget(store, super::Changed::Station(id)).await;
    LiaisonStation::from_row(updated)
}

/// A page of stations, optionally of one congress and one kind.
pub async fn list(
    store: &Store,
    congress_id: Option<Uuid>,
    kind: Option<StationKind>,
    request: PageRequest,
) -> Result<Page<LiaisonStation>> {
    let mut select = liaison_station::Entity::find();
    if let Some(congress_id) = congress_id {
        select = select.filter(liaison_station::Column::CongressId.eq(congress_id));
    }
    if let Some(kind) = kind {
        select = select.filter(liaison_station::Column::Kind.eq(kind.as_str()));
    }
    keyset_page(&store.db, select, liaison_station::Column::Id, request)
        .await?
        .try_map(LiaisonStation::from_row)
}

/// Stations within `radius_km` of `centre`, nearest first, at most `limit`, each with its distance in km.
/// The database narrows by a bounding box (indexed); the exact distance is computed here.
pub async fn near(
    store: &Store,
    centre: Coordinates,
    radius_km: f64,
    kind: Option<StationKind>,
    limit: u64,
) -> Result<Vec<(LiaisonStation, f64)>> {
    let bbox = centre.bounding_box(radius_km);
    let mut longitudes = Condition::any();
    for (west, east) in &bbox.longitudes {
        longitudes = longitudes.add(liaison_station::Column::Longitude.between(*west, *east));
    }
    let mut select = liaison_station::Entity::find()
        .filter(liaison_station::Column::Latitude.between(bbox.min_lat, bbox.max_lat))
        .filter(longitudes);
    if let Some(kind) = kind {
        select = select.filter(liaison_station::Column::Kind.eq(kind.as_str()));
    }
    // A box around a city holds at most a few thousand stations; cap the scan all the same.
    let candidates = select.limit(5000).all(&store.db).await?;
    let mut found: Vec<(liaison_station::Model, f64)> = candidates
        .into_iter()
        .filter_map(|s| {
            let position = Coordinates::parse(s.latitude?, s.longitude?).ok()?;
            let distance = centre.distance_km(position);
            (distance <= radius_km).then_some((s, distance))
        })
        .collect();
    found.sort_by(|a, b| a.1.total_cmp(&b.1));
    found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    found.into_iter().map(|(s, distance)| Ok((LiaisonStation::from_row(s)?, distance))).collect()
}
