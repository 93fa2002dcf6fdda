//! The public card a deputy's QR code opens (`deputyByQrToken`, the `/d/{token}` page): who the deputy is,
//! where and when they receive the public, and their recent public work. Never the phone number: the card
//! is built from named public fields only, so nothing private can ride along.
//!
//! **Cache.** Cards are kept in the [`crate::Cache`] (Redis when configured, in process otherwise) under
//! the token's digest, for at most [`CARD_TTL`] and never past the end of the first reception day they
//! list. Each token also has a *stamp* key: every change a card shows (the deputy's profile, the token,
//! the deputy's station, that station's reception days) writes a fresh random stamp after it commits. A
//! card is stored with the stamp that was current when its reading began and served only while that stamp
//! is still current, so a reading that raced with a change can never be served after the change returns,
//! and both keys are read in one round trip. Names of the congress and deputy group and newly published
//! answers reach cards within [`CARD_TTL`]. When the cache is unreachable cards are built from the
//! database every time.
//!
//! **Timing.** Every lookup, hit or miss, cached or not, is held until a whole multiple of
//! [`LOOKUP_QUANTUM`] after it began (see [`lookup_padding`]), so the answer's timing does not tell
//! whether a token exists.

use super::deputies;
use crate::entity::{
    congress, deputy, deputy_group, deputy_qr, liaison_station, reception_day, reception_day_deputy,
    suggestion,
};
use crate::error::{Result, stored};
use crate::{Error, Store, secrets};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::directory::{CongressLevel, LOOKUP_QUANTUM, QrToken, StationKind, lookup_padding};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long a card is served from the cache at most.
pub const CARD_TTL: Duration = Duration::from_secs(300);
/// How long a stamp is kept: far longer than any card, so that a card never outlives the stamp it was
/// checked against.
const STAMP_TTL: Duration = Duration::from_secs(24 * 3600);
/// Upcoming reception days a card lists.
pub const CARD_RECEPTION_DAYS: u64 = 3;
/// Recent public suggestions a card lists.
pub const CARD_RECENT_WORK: usize = 5;

/// What anyone may know about a deputy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeputyCard {
    pub deputy_id: Uuid,
    pub name: String,
    pub photo_url: Option<String>,
    pub bio: Option<String>,
    pub expertise: Vec<String>,
    pub congress_name: String,
    /// Cached as its name (`CongressLevel::as_str`), as when it was a string.
    pub congress_level: CongressLevel,
    pub deputy_group: Option<String>,
    pub station: Option<CardStation>,
    pub recent_work: Vec<PublicWork>,
}

/// The deputy's liaison station as the card shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardStation {
    pub id: Uuid,
    pub name: String,
    /// Cached as its name (`StationKind::as_str`), as when it was a string.
    pub kind: StationKind,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub opening_hours: Option<String>,
    /// The next reception days, earliest first.
    pub reception_days: Vec<CardReceptionDay>,
}

/// An upcoming reception day at the deputy's station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardReceptionDay {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub note: Option<String>,
    /// Names of the deputies on duty.
    pub deputies: Vec<String>,
}

/// A suggestion the deputy led that has a public answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicWork {
    pub title: String,
    pub serial: String,
    /// When its latest public answer was given.
    pub answered_at: DateTime<Utc>,
}

impl DeputyCard {
    /// When the card stops being right by itself: the end of the first reception day it lists.
    fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.station.as_ref().and_then(|s| s.reception_days.iter().map(|d| d.ends_at).min())
    }
}

/// A card as the cache holds it, with the stamp its reading began under.
#[derive(Serialize, Deserialize)]
struct Cached {
    stamp: Option<String>,
    card: DeputyCard,
}

fn keys(token: &str) -> (String, String) {
    let digest = secrets::token_digest(token);
    (format!("qr:card:{digest}"), format!("qr:stamp:{digest}"))
}

/// The public card of the deputy holding `token`, or NOT_FOUND for a malformed, unknown or rotated
/// token. Takes a whole multiple of [`LOOKUP_QUANTUM`] either way.
pub async fn by_token(store: &Store, token: &str) -> Result<DeputyCard> {
    let started = Instant::now();
    let found = find(store, token).await;
    tokio::time::sleep(lookup_padding(started.elapsed(), LOOKUP_QUANTUM)).await;
    found
}

async fn find(store: &Store, raw: &str) -> Result<DeputyCard> {
    let now = Utc::now();
    let Ok(token) = QrToken::parse(raw) else {
        return Err(DomainError::NotFound("deputy").into());
    };
    match cached(store, &token, now).await {
        Lookup::Hit(card) => Ok(*card),
        Lookup::Miss { stamp } => {
            let card = build(store, &token, now).await?;
            remember(store, &token, stamp, &card, now).await;
            Ok(card)
        }
        Lookup::Unavailable => build(store, &token, now).await,
    }
}

/// What the cache says about a token.
enum Lookup {
    /// A card built under the current stamp, still right.
    Hit(Box<DeputyCard>),
    /// No usable card; a reading that starts now begins under `stamp`.
    Miss { stamp: Option<String> },
    /// The cache did not answer: read the database and store nothing.
    Unavailable,
}

/// The card and the stamp of `token`, in one round trip.
async fn cached(store: &Store, token: &QrToken, now: DateTime<Utc>) -> Lookup {
    let (card_key, stamp_key) = keys(token.as_str());
    match store.cache.get_many(&[card_key, stamp_key]).await {
        Ok(mut values) => {
            let stamp = values.get_mut(1).and_then(Option::take);
            let cached = values
                .first()
                .and_then(Option::as_deref)
                .and_then(|raw| serde_json::from_str::<Cached>(raw).ok());
            match cached {
                Some(cached)
                    if cached.stamp == stamp && cached.card.expires_at().is_none_or(|end| end > now) =>
                {
                    Lookup::Hit(Box::new(cached.card))
                }
                _ => Lookup::Miss { stamp },
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "cache unreachable; building the deputy card from the database");
            Lookup::Unavailable
        }
    }
}

/// Stores a card read under `stamp`, for at most [`CARD_TTL`] and not past its first reception day.
async fn remember(
    store: &Store,
    token: &QrToken,
    stamp: Option<String>,
    card: &DeputyCard,
    now: DateTime<Utc>,
) {
    let ttl = match card.expires_at() {
        Some(end) => (end - now).to_std().unwrap_or_default().min(CARD_TTL),
        None => CARD_TTL,
    };
    if ttl < Duration::from_secs(1) {
        return;
    }
    let (card_key, _) = keys(token.as_str());
    let value = match serde_json::to_string(&Cached { stamp, card: card.clone() }) {
        Ok(value) => value,
        Err(e) => {
            tracing::error!(error = %e, "cannot serialise a deputy card");
            return;
        }
    };
    if let Err(e) = store.cache.set_ex(&card_key, &value, ttl).await {
        tracing::warn!(error = %e, "cannot cache a deputy card");
    }
}

/// Reads the card of the deputy holding `token` from the database.
async fn build(store: &Store, token: &QrToken, now: DateTime<Utc>) -> Result<DeputyCard> {
    let db = &store.db;
    let deputy = deputy::Entity::find()
        .filter(deputy_qr::Column::QrToken.eq(token.as_str()))
        .one(db)
        .await?
        .ok_or("deputy")?;
    let congress = congress::Entity::find_by_id(deputy.congress_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::Internal("a deputy's congress is missing".into()))?;
    let group = match deputy.deputy_group_id {
        Some(id) => deputy_group::Entity::find_by_id(id).one(db).await?.map(|g| g.name),
        None => None,
    };
    let expertise = deputies::expertise(store, &[deputy.id]).await?.remove(&deputy.id).unwrap_or_default();
    let station = match deputy.liaison_station_id {
        Some(id) => match liaison_station::Entity::find_by_id(id).one(db).await? {
            Some(station) => Some(card_station(store, station, now).await?),
            None => None,
        },
        None => None,
    };
    Ok(DeputyCard {
        deputy_id: deputy.id,
        name: deputy.name,
        photo_url: deputy.photo_url,
        bio: deputy.bio,
        expertise,
        congress_name: congress.name,
        congress_level: stored("congress level", congress.id, CongressLevel::parse(&congress.level))?,
        deputy_group: group,
        station,
        recent_work: recent_work(store, deputy.id).await?,
    })
}

async fn card_station(
    store: &Store,
    station: liaison_station::Model,
    now: DateTime<Utc>,
) -> Result<CardStation> {
    let days = super::receptions::upcoming(store, &[station.id], CARD_RECEPTION_DAYS, now)
        .await?
        .remove(&station.id)
        .unwrap_or_default();
    let day_ids: Vec<Uuid> = days.iter().map(|d| d.id).collect();
    let duty = super::receptions::duty(store, &day_ids).await?;
    // Names straight from the table, not the directory memo: a renamed deputy must not linger on a card
    // that was marked stale because of the rename.
    let on_duty: Vec<Uuid> = duty.values().flatten().copied().collect();
    let names: HashMap<Uuid, String> = deputy::Entity::find()
        .filter(deputy::Column::Id.is_in(on_duty))
        .select_only()
        .column(deputy::Column::Id)
        .column(deputy::Column::Name)
        .into_tuple::<(Uuid, String)>()
        .all(&store.db)
        .await?
        .into_iter()
        .collect();
    let reception_days = days
        .into_iter()
        .map(|d| {
            let mut deputies: Vec<String> = duty
                .get(&d.id)
                .map(|ids| ids.iter().filter_map(|id| names.get(id).cloned()).collect())
                .unwrap_or_default();
            deputies.sort();
            CardReceptionDay { id: d.id, starts_at: d.starts_at, ends_at: d.ends_at, note: d.note, deputies }
        })
        .collect();
    Ok(CardStation {
        id: station.id,
        name: station.name,
        kind: stored("station kind", station.id, StationKind::parse(&station.kind))?,
        address: station.address,
        latitude: station.latitude,
        longitude: station.longitude,
        opening_hours: station.opening_hours,
        reception_days,
    })
}

/// The deputy's latest led suggestions with a public answer, newest answer first.
async fn recent_work(store: &Store, deputy_id: Uuid) -> Result<Vec<PublicWork>> {
    let rows: Vec<(Option<String>, String, String)> = suggestion::Entity::find()
        .filter(suggestion::Column::LeadDeputyId.eq(deputy_id))
        .filter(suggestion::Column::HasPublicAnswer.eq(true))
        .order_by_desc(suggestion::Column::UpdatedAt)
        .limit(4 * CARD_RECENT_WORK as u64)
        .select_only()
        .column(suggestion::Column::Serial)
        .column(suggestion::Column::Title)
        .column(suggestion::Column::Snapshot)
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut work: Vec<PublicWork> = rows
        .into_iter()
        .filter_map(|(serial, title, snapshot)| {
            let s: edaibiao_domain::suggestion::Suggestion = serde_json::from_str(&snapshot).ok()?;
            let answered_at = s
                .assignment?
                .units
                .iter()
                .filter_map(|part| part.answer.as_ref().filter(|a| a.public).map(|a| a.at))
                .max()?;
            Some(PublicWork { title, serial: serial?, answered_at })
        })
        .collect();
    work.sort_by_key(|w| std::cmp::Reverse(w.answered_at));
    work.truncate(CARD_RECENT_WORK);
    Ok(work)
}

/// Marks the card of `token` stale (after a change it shows has committed).
pub(super) async fn forget_token(store: &Store, token: &str) {
    let (card_key, stamp_key) = keys(token);
    let stamp = Uuid::new_v4().to_string();
    if let Err(e) = store.cache.set_ex(&stamp_key, &stamp, STAMP_TTL).await {
        tracing::error!(error = %e, "cannot mark a deputy card stale; it may be served for up to 5 minutes");
    }
    if let Err(e) = store.cache.del(&card_key).await {
        tracing::warn!(error = %e, "cannot drop a stale deputy card");
    }
}

/// Marks the cards a deputy's profile shows on stale after it changed: their own, and those of the
/// stations where they are on duty at an upcoming reception day (those cards list their name).
pub(super) async fn forget_deputy(store: &Store, deputy_id: Uuid) {
    forget_where(store, deputy_qr::Column::Id.eq(deputy_id)).await;
    let on_duty = sea_orm::sea_query::Query::select()
        .column(reception_day_deputy::Column::ReceptionDayId)
        .from(reception_day_deputy::Entity)
        .and_where(reception_day_deputy::Column::DeputyId.eq(deputy_id))
        .to_owned();
    let stations: std::result::Result<Vec<Uuid>, _> = reception_day::Entity::find()
        .select_only()
        .column(reception_day::Column::StationId)
        .distinct()
        .filter(reception_day::Column::Id.in_subquery(on_duty))
        .filter(reception_day::Column::CancelledAt.is_null())
        .filter(reception_day::Column::EndsAt.gt(Utc::now()))
        .into_tuple()
        .all(&store.db)
        .await;
    match stations {
        Ok(stations) => {
            for station in stations {
                forget_station(store, station).await;
            }
        }
        Err(e) => tracing::error!(error = %e, "cannot find the stations whose cards name a deputy"),
    }
}

/// Marks the cards of a station's deputies stale after the station or its reception days changed.
pub(super) async fn forget_station(store: &Store, station_id: Uuid) {
    forget_where(store, deputy_qr::Column::LiaisonStationId.eq(station_id)).await;
}

async fn forget_where(store: &Store, condition: sea_orm::sea_query::SimpleExpr) {
    let tokens: std::result::Result<Vec<Option<String>>, _> = deputy_qr::Entity::find()
        .filter(condition)
        .filter(deputy_qr::Column::QrToken.is_not_null())
        .select_only()
        .column(deputy_qr::Column::QrToken)
        .into_tuple()
        .all(&store.db)
        .await;
    match tokens {
        Ok(tokens) => {
            for token in tokens.into_iter().flatten() {
                forget_token(store, &token).await;
            }
        }
        Err(e) => tracing::error!(error = %e, "cannot find the deputy cards to mark stale"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::deputies::{self, DeputyLinks};
    use crate::{Cache, DbSettings, seed};
    use edaibiao_domain::account::{Actor, Role};
    use edaibiao_domain::directory::{DeputyDraft, DeputyInput, Gender, OccupationCategory};

    /// A migrated, seeded SQLite store of its own, with the in-process cache.
    async fn store() -> (Store, std::path::PathBuf) {
        let file = std::env::temp_dir().join(format!("edaibiao-card-{}.db", Uuid::new_v4().simple()));
        let url = format!("sqlite://{}?mode=rwc", file.display());
        let settings = DbSettings { url, max_connections: 2, schema: None };
        settings.migrate().await.unwrap_or_else(|e| panic!("migrate: {e}"));
        let store =
            Store::new(settings.connect().await.unwrap_or_else(|e| panic!("connect: {e}")), Cache::local());
        seed::seed_if_empty(&store).await.unwrap_or_else(|e| panic!("seed: {e}"));
        (store, file)
    }

    fn admin() -> Actor {
        Actor {
            user_id: Uuid::nil(),
            role: Role::Admin,
            congress_id: None,
            unit_id: None,
            deputy_id: None,
            station_id: None,
        }
    }

    async fn zhang(store: &Store) -> (deputy::Model, QrToken) {
        let found = deputy::Entity::find().filter(deputy::Column::Name.eq("张明")).one(&store.db).await;
        let zhang = found.ok().flatten().unwrap_or_else(|| panic!("the seed has 张明"));
        let row = deputy_qr::Entity::find_by_id(zhang.id).one(&store.db).await.ok().flatten();
        let raw = row.and_then(|r| r.qr_token).unwrap_or_else(|| panic!("new deputies get a token"));
        (zhang, QrToken::parse(&raw).unwrap_or_else(|e| panic!("{e}")))
    }

    #[tokio::test]
    async fn a_reading_that_races_an_edit_is_never_served_after_it() {
        let (store, file) = store().await;
        let (zhang, token) = zhang(&store).await;
        let now = Utc::now();

        // A reading begins and reads the profile...
        let Lookup::Miss { stamp } = cached(&store, &token, now).await else { panic!("nothing cached yet") };
        let before = build(&store, &token, now).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(before.name, "张明");
        // ...an edit commits and marks the card stale...
        let admin = admin();
        let input = DeputyInput { name: "张明远", ..Default::default() };
        let draft = DeputyDraft::parse(&input, Gender::Male, OccupationCategory::Professional)
            .unwrap_or_else(|e| panic!("{e}"));
        let links = DeputyLinks {
            deputy_group_id: zhang.deputy_group_id,
            professional_group_id: zhang.professional_group_id,
            liaison_station_id: zhang.liaison_station_id,
        };
        deputies::update(&store, &admin, zhang.id, draft, links).await.unwrap_or_else(|e| panic!("{e}"));
        // ...and only then does the reading store what it read before the edit.
        remember(&store, &token, stamp, &before, now).await;

        let after = by_token(&store, token.as_str()).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(after.name, "张明远", "the card read before the edit is not served");
        assert!(
            matches!(cached(&store, &token, Utc::now()).await, Lookup::Hit(card) if card.name == "张明远")
        );
        let _ = std::fs::remove_file(file);
    }

    #[tokio::test]
    async fn a_card_is_not_served_past_its_first_reception_day() {
        let (store, file) = store().await;
        let (_, token) = zhang(&store).await;
        let now = Utc::now();
        let Lookup::Miss { stamp } = cached(&store, &token, now).await else { panic!("nothing cached yet") };
        let mut card = build(&store, &token, now).await.unwrap_or_else(|e| panic!("{e}"));
        let day = CardReceptionDay {
            id: Uuid::nil(),
            starts_at: now - chrono::Duration::hours(1),
            ends_at: now + chrono::Duration::seconds(30),
            note: None,
            deputies: Vec::new(),
        };
        if let Some(station) = card.station.as_mut() {
            station.reception_days = vec![day];
        }
        remember(&store, &token, stamp, &card, now).await;
        assert!(matches!(cached(&store, &token, now + chrono::Duration::seconds(29)).await, Lookup::Hit(_)));
        assert!(matches!(
            cached(&store, &token, now + chrono::Duration::seconds(30)).await,
            Lookup::Miss { .. }
        ));
        let _ = std::fs::remove_file(file);
    }

    #[tokio::test]
    async fn a_deputy_older_than_qr_codes_gets_one_token_on_first_use() {
        let (store, file) = store().await;
        let (zhang, _) = zhang(&store).await;
        deputy_qr::Entity::update_many()
            .col_expr(deputy_qr::Column::QrToken, sea_orm::sea_query::Expr::value(Option::<String>::None))
            .filter(deputy_qr::Column::Id.eq(zhang.id))
            .exec(&store.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let admin = admin();
        // Two first uses at once agree on one token, the one stored.
        let (a, b) = tokio::join!(
            super::super::qr::for_viewer(&store, &admin, zhang.id),
            super::super::qr::for_viewer(&store, &admin, zhang.id)
        );
        let (a, b) = (a.unwrap_or_else(|e| panic!("{e}")), b.unwrap_or_else(|e| panic!("{e}")));
        assert_eq!(a.token, b.token);
        assert_eq!(a.rotated_at, None);
        let card = by_token(&store, a.token.as_str()).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(card.deputy_id, zhang.id);
        let _ = std::fs::remove_file(file);
    }

    /// Cards cached before the level and the kind were typed read the same, and are written the same.
    #[test]
    fn typed_values_are_cached_as_their_names() {
        for level in CongressLevel::ALL {
            let json = serde_json::to_string(&level).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(json, format!("\"{}\"", level.as_str()));
            assert_eq!(serde_json::from_str::<CongressLevel>(&json).ok(), Some(level));
        }
        for kind in StationKind::ALL {
            let json = serde_json::to_string(&kind).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<StationKind>(&json).ok(), Some(kind));
        }
        let cached = r#"{"deputy_id":"00000000-0000-0000-0000-000000000000","name":"张明","photo_url":null,
            "bio":null,"expertise":[],"congress_name":"某市人大","congress_level":"CITY","deputy_group":null,
            "station":{"id":"00000000-0000-0000-0000-000000000000","name":"联络站","kind":"CONTACT_POINT",
            "address":"路1号","latitude":null,"longitude":null,"opening_hours":null,"reception_days":[]},
            "recent_work":[]}"#;
        let card: DeputyCard = serde_json::from_str(cached).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(card.congress_level, CongressLevel::City);
        assert_eq!(card.station.as_ref().map(|s| s.kind), Some(StationKind::ContactPoint));
        let written = serde_json::to_value(&card).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(written["congress_level"], "CITY");
        assert_eq!(written["station"]["kind"], "CONTACT_POINT");
    }

    #[tokio::test]
    async fn unknown_and_malformed_tokens_are_not_found_after_a_whole_quantum() {
        let (store, file) = store().await;
        for token in ["A".repeat(QrToken::LEN), "nope".to_owned()] {
            let started = Instant::now();
            let found = by_token(&store, &token).await;
            assert!(matches!(found, Err(Error::Domain(DomainError::NotFound(_)))), "{token}");
            assert!(started.elapsed() >= LOOKUP_QUANTUM);
        }
        let _ = std::fs::remove_file(file);
    }
}
