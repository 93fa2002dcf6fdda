//! Opinions as the city publishes them for civic tools (the Open311 read endpoint): `domain::opinion::publish`
//! decides what of each is shown; this reads a bounded page of them and who is handling each.

use super::record::aggregate;
use crate::Store;
use crate::entity::{congress, liaison_station, opinion};
use crate::error::Result;
use chrono::{DateTime, Utc};
use edaibiao_domain::opinion::{OpinionCategory, OpinionState, PublishedOpinion, publish};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// Which published opinions to read; every given condition must hold.
#[derive(Debug, Clone, Default)]
pub struct PublishedFilter {
    /// These opinions only.
    pub ids: Vec<Uuid>,
    pub categories: Vec<OpinionCategory>,
    pub congress_id: Option<Uuid>,
    /// Submitted at or after.
    pub from: Option<DateTime<Utc>>,
    /// Submitted at or before.
    pub to: Option<DateTime<Utc>>,
    /// Closed (true) or open (false).
    pub closed: Option<bool>,
    /// At most this many, newest first.
    pub limit: u64,
}

/// A published opinion and who is handling it (the station's name, else the congress's).
#[derive(Debug, Clone)]
pub struct Published {
    pub opinion: PublishedOpinion,
    pub agency: String,
}

pub async fn list(store: &Store, filter: &PublishedFilter) -> Result<Vec<Published>> {
    let mut select = opinion::Entity::find();
    if !filter.ids.is_empty() {
        select = select.filter(opinion::Column::Id.is_in(filter.ids.iter().copied()));
    }
    if !filter.categories.is_empty() {
        select = select.filter(opinion::Column::Category.is_in(filter.categories.iter().map(|c| c.as_str())));
    }
    if let Some(c) = filter.congress_id {
        select = select.filter(opinion::Column::CongressId.eq(c));
    }
    if let Some(from) = filter.from {
        select = select.filter(opinion::Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(opinion::Column::CreatedAt.lte(to));
    }
    match filter.closed {
        Some(true) => select = select.filter(opinion::Column::State.eq(OpinionState::Closed.as_str())),
        Some(false) => select = select.filter(opinion::Column::State.ne(OpinionState::Closed.as_str())),
        None => {}
    }
    let rows: Vec<(String, DateTime<Utc>, Option<Uuid>, Uuid)> = select
        .select_only()
        .column(opinion::Column::Snapshot)
        .column(opinion::Column::UpdatedAt)
        .column(opinion::Column::StationId)
        .column(opinion::Column::CongressId)
        .order_by_desc(opinion::Column::Id)
        .limit(filter.limit)
        .into_tuple()
        .all(&store.db)
        .await?;
    let station_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.2).collect();
    let congress_ids: Vec<Uuid> = rows.iter().map(|r| r.3).collect();
    let stations: HashMap<Uuid, String> = liaison_station::Entity::find()
        .select_only()
        .columns([liaison_station::Column::Id, liaison_station::Column::Name])
        .filter(liaison_station::Column::Id.is_in(station_ids))
        .into_tuple()
        .all(&store.db)
        .await?
        .into_iter()
        .collect();
    let congresses: HashMap<Uuid, String> = congress::Entity::find()
        .select_only()
        .columns([congress::Column::Id, congress::Column::Name])
        .filter(congress::Column::Id.is_in(congress_ids))
        .into_tuple()
        .all(&store.db)
        .await?
        .into_iter()
        .collect();
    rows.into_iter()
        .map(|(snapshot, updated_at, station, congress)| {
            let agency = station
                .and_then(|s| stations.get(&s))
                .or_else(|| congresses.get(&congress))
                .cloned()
                .unwrap_or_default();
            Ok(Published { opinion: publish(&aggregate(&snapshot)?, updated_at), agency })
        })
        .collect()
}
