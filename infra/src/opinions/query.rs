//! Reading opinions: one by id, lists within what the reader may see, the public view by tracking code,
//! timelines, monthly counts and those waiting too long. Each opinion is handed out as a view for its
//! reader, with the contact phone in full only for those who may call back.

use super::record::aggregate;
use crate::Store;
use crate::directory::LiaisonStation;
use crate::entity::{deputy, liaison_station, opinion, opinion_event};
use crate::error::Result;
use crate::page::{Page, PageRequest};
use crate::vault::Vault;
use chrono::{DateTime, Duration, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::geo::{Circle, DivisionCode};
use edaibiao_domain::opinion::{
    Caller, Month, Opinion, OpinionCategory, OpinionState, Party, Scope, Sight, TrackingCode, WaitKind,
};
use edaibiao_domain::suggestion::Satisfaction;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// The person reading, with the facts the rules need about them.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub actor: Actor,
    /// The liaison station of a deputy's profile.
    pub deputy_station_id: Option<Uuid>,
}

impl Viewer {
    /// Loads what the rules need about `actor` (a deputy's station: one query; none for other roles).
    pub async fn load(db: &impl ConnectionTrait, actor: &Actor) -> Result<Self> {
        let deputy_station_id = match (actor.role, actor.deputy_id) {
            (Role::Deputy, Some(id)) => {
                deputy::Entity::find_by_id(id).one(db).await?.and_then(|d| d.liaison_station_id)
            }
            _ => None,
        };
        Ok(Self { actor: actor.clone(), deputy_station_id })
    }

    pub fn caller(&self) -> Caller<'_> {
        Caller::of(&self.actor, self.deputy_station_id)
    }
}

/// An opinion as one reader may see it. Debug output masks the phone.
#[derive(Clone)]
pub struct OpinionView {
    pub opinion: Opinion,
    pub party: Party,
    pub sight: Sight,
    /// In full for those who may call back, masked (138****5678) for the others; `None` when none was given.
    pub contact_phone: Option<String>,
}

impl std::fmt::Debug for OpinionView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpinionView")
            .field("opinion", &self.opinion)
            .field("party", &self.party)
            .field("sight", &self.sight)
            .field("contact_phone", &self.opinion.contact_phone_masked)
            .finish()
    }
}

/// An opinion as stored: the aggregate and the sealed phone.
#[derive(Clone)]
pub struct OpinionRecord {
    pub opinion: Opinion,
    sealed_phone: Option<String>,
}

impl OpinionRecord {
    pub(super) fn from_row(row: &opinion::Model) -> Result<Self> {
        Ok(Self { opinion: aggregate(&row.snapshot)?, sealed_phone: row.contact_phone_sealed.clone() })
    }

    /// The view of `caller`, or `None` when they may not see the opinion. The phone is decrypted only for
    /// those who may call back; if it does not open (the key was changed), they get it masked and the
    /// failure is logged without the value.
    pub fn view(self, caller: &Caller<'_>, vault: &Vault) -> Option<OpinionView> {
        let party = Party::of(caller, &self.opinion);
        let sight = Sight::of(party);
        if !sight.opinion {
            return None;
        }
        let masked = self.opinion.contact_phone_masked.clone();
        let contact_phone = match (&self.sealed_phone, sight.phone && !caller.holds_tracking_code) {
            (Some(sealed), true) => match vault.open(sealed) {
                Ok(phone) => Some(phone),
                Err(e) => {
                    tracing::error!(opinion = %self.opinion.id, error = %e, "contact phone does not open");
                    masked
                }
            },
            _ => masked,
        };
        Some(OpinionView { opinion: self.opinion, party, sight, contact_phone })
    }
}

async fn record(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<OpinionRecord>> {
    opinion::Entity::find_by_id(id).one(db).await?.as_ref().map(OpinionRecord::from_row).transpose()
}

/// The opinion as `viewer` may see it, or NOT_FOUND.
pub async fn find_for(store: &Store, vault: &Vault, viewer: &Viewer, id: Uuid) -> Result<OpinionView> {
    record(&store.db, id)
        .await?
        .and_then(|r| r.view(&viewer.caller(), vault))
        .ok_or_else(|| DomainError::NotFound("opinion").into())
}

/// The opinions among `ids` that `viewer` may see, each as they see it (the rule of `opinion(id)`:
/// [`OpinionRecord::view`]), by id; the others left out. One query.
pub async fn visible_among(
    store: &Store,
    vault: &Vault,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, OpinionView>> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows =
        opinion::Entity::find().filter(opinion::Column::Id.is_in(ids.iter().copied())).all(&store.db).await?;
    let caller = viewer.caller();
    for row in &rows {
        if let Some(view) = OpinionRecord::from_row(row)?.view(&caller, vault) {
            out.insert(row.id, view);
        }
    }
    Ok(out)
}

/// Opinions that were turned into these suggestions, by suggestion, in one query.
pub async fn by_suggestions(store: &Store, suggestion_ids: &[Uuid]) -> Result<HashMap<Uuid, OpinionRecord>> {
    let rows = opinion::Entity::find()
        .filter(opinion::Column::SuggestionId.is_in(suggestion_ids.iter().copied()))
        .all(&store.db)
        .await?;
    let mut map = HashMap::new();
    for row in rows {
        if let Some(s) = row.suggestion_id {
            map.insert(s, OpinionRecord::from_row(&row)?);
        }
    }
    Ok(map)
}

/// List filters; all given filters must match, within what the reader may see.
#[derive(Debug, Clone, Default)]
pub struct OpinionFilter {
    pub states: Vec<OpinionState>,
    pub categories: Vec<OpinionCategory>,
    pub station_id: Option<Uuid>,
    pub congress_id: Option<Uuid>,
    /// Waiting too long (true) or not (false).
    pub overdue: Option<bool>,
    /// Only the reader's own: a citizen's submitted, anyone else's taken (首问负责).
    pub mine: bool,
    /// Only those placed within this circle (for a map).
    pub near: Option<Circle>,
    /// Only those in this district or any place inside it.
    pub division: Option<DivisionCode>,
}

/// Placed within `circle`: the bounding box for the index, then the circle itself by arithmetic (see
/// [`Circle::contains`]), so that the page holds exactly the opinions inside.
fn within(circle: &Circle) -> Condition {
    let bbox = circle.centre.bounding_box(circle.radius_km);
    let mut longitudes = Condition::any();
    for (west, east) in &bbox.longitudes {
        longitudes = longitudes.add(opinion::Column::Longitude.between(*west, *east));
    }
    let (ky, kx) = circle.scale();
    let dy = Expr::col(opinion::Column::Latitude).sub(circle.centre.latitude()).mul(ky);
    let dx = Expr::col(opinion::Column::Longitude).sub(circle.centre.longitude()).mul(kx);
    let inside = dy.clone().mul(dy).add(dx.clone().mul(dx)).lte(circle.radius_km * circle.radius_km);
    Condition::all()
        .add(opinion::Column::Latitude.between(bbox.min_lat, bbox.max_lat))
        .add(longitudes)
        .add(inside)
}

/// The rows a reader may see, as a condition; `None` when they may see none.
fn visible(viewer: &Viewer) -> Option<Condition> {
    let all = Condition::all();
    match Scope::of(&viewer.actor, viewer.deputy_station_id) {
        Scope::All => Some(all),
        Scope::Congress(c) => Some(all.add(opinion::Column::CongressId.eq(c))),
        Scope::Station(s) => Some(all.add(opinion::Column::StationId.eq(s))),
        Scope::Deputy { deputy_id, account_id, congress_id, station_id } => {
            let mut any = Condition::any()
                .add(opinion::Column::DeputyId.eq(deputy_id))
                .add(opinion::Column::ResponsibleAccountId.eq(account_id));
            if let (Some(station), Some(congress)) = (station_id, congress_id) {
                any = any.add(
                    Condition::all()
                        .add(opinion::Column::DeputyId.is_null())
                        .add(opinion::Column::StationId.eq(station))
                        .add(opinion::Column::CongressId.eq(congress)),
                );
            }
            Some(any)
        }
        Scope::Unit(u) => Some(all.add(opinion::Column::ForwardedUnitId.eq(u))),
        Scope::Submitter(a) => Some(all.add(opinion::Column::SubmitterAccountId.eq(a))),
        Scope::Nothing => None,
    }
}

/// Waiting past the limit of its stage at `now`.
fn overdue_at(now: DateTime<Utc>) -> Condition {
    let mut any = Condition::any();
    for kind in WaitKind::ALL {
        any = any.add(
            Condition::all()
                .add(opinion::Column::WaitingOn.eq(kind.as_str()))
                .add(opinion::Column::WaitingSince.lt(now - Duration::days(kind.limit_days()))),
        );
    }
    any
}

fn filtered(viewer: &Viewer, filter: &OpinionFilter, now: DateTime<Utc>) -> Option<Select<opinion::Entity>> {
    let mut select = opinion::Entity::find().filter(visible(viewer)?);
    if filter.mine {
        select = select.filter(match viewer.actor.role {
            Role::Citizen => opinion::Column::SubmitterAccountId.eq(viewer.actor.user_id),
            _ => opinion::Column::ResponsibleAccountId.eq(viewer.actor.user_id),
        });
    }
    if !filter.states.is_empty() {
        select = select.filter(opinion::Column::State.is_in(filter.states.iter().map(|s| s.as_str())));
    }
    if !filter.categories.is_empty() {
        select = select.filter(opinion::Column::Category.is_in(filter.categories.iter().map(|c| c.as_str())));
    }
    if let Some(s) = filter.station_id {
        select = select.filter(opinion::Column::StationId.eq(s));
    }
    if let Some(c) = filter.congress_id {
        select = select.filter(opinion::Column::CongressId.eq(c));
    }
    if let Some(overdue) = filter.overdue {
        let late = overdue_at(now);
        select = select.filter(if overdue { late } else { late.not() });
    }
    if let Some(circle) = &filter.near {
        select = select.filter(within(circle));
    }
    if let Some(division) = &filter.division {
        select = select.filter(opinion::Column::DivisionCode.starts_with(division.prefix()));
    }
    Some(select)
}

/// A page of opinions the viewer may see, newest first.
pub async fn list(
    store: &Store,
    vault: &Vault,
    viewer: &Viewer,
    filter: &OpinionFilter,
    request: PageRequest,
    with_total: bool,
) -> Result<Page<OpinionView>> {
    let Some(select) = filtered(viewer, filter, Utc::now()) else {
        return Ok(Page { items: Vec::new(), has_next_page: false, total_count: 0 });
    };
    let total = if with_total { select.clone().count(&store.db).await? } else { 0 };
    let mut query = select.order_by_desc(opinion::Column::Id).limit(request.first + 1);
    if let Some(after) = request.after {
        query = query.filter(opinion::Column::Id.lt(after));
    }
    let rows: Vec<(String, Option<String>)> = query
        .select_only()
        .column(opinion::Column::Snapshot)
        .column(opinion::Column::ContactPhoneSealed)
        .into_tuple()
        .all(&store.db)
        .await?;
    let caller = viewer.caller();
    let mut items = Vec::with_capacity(rows.len());
    for (snapshot, sealed_phone) in rows {
        let record = OpinionRecord { opinion: aggregate(&snapshot)?, sealed_phone };
        // The query already keeps to what the viewer may see; the rule has the last word.
        items.extend(record.view(&caller, vault));
    }
    Ok(Page::from_overfetch(items, request, total))
}

/// One step of an opinion's timeline. The timeline is a log kept across versions: a kind this build does
/// not name stays as stored (the API shows it as OTHER) and a state it cannot read is `None`, rather than
/// failing the whole timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct OpinionEvent {
    pub id: Uuid,
    pub opinion_id: Uuid,
    /// 1 for the submission, then 2, 3… without gaps.
    pub seq: i32,
    pub kind: String,
    /// `None` for the public form, the citizen's rating and the system.
    pub actor_account_id: Option<Uuid>,
    /// A role, PUBLIC (the form), CITIZEN (a rating) or SYSTEM (the timeout).
    pub actor_role: String,
    pub from_state: Option<OpinionState>,
    pub to_state: Option<OpinionState>,
    pub note: Option<String>,
    /// Shown to whoever holds the tracking code.
    pub public: bool,
    pub at: DateTime<Utc>,
}

impl From<opinion_event::Model> for OpinionEvent {
    fn from(row: opinion_event::Model) -> Self {
        Self {
            id: row.id,
            opinion_id: row.opinion_id,
            seq: row.seq,
            kind: row.kind,
            actor_account_id: row.actor_account_id,
            actor_role: row.actor_role,
            from_state: row.from_state.as_deref().and_then(|s| OpinionState::parse(s).ok()),
            to_state: OpinionState::parse(&row.to_state).ok(),
            note: row.note,
            public: row.public,
            at: row.at,
        }
    }
}

/// What anyone holding the tracking code sees: the opinion (for its state, category and answer) and the
/// public steps of its timeline. No personal data is handed out from here.
#[derive(Debug, Clone)]
pub struct PublicOpinion {
    pub opinion: Opinion,
    pub steps: Vec<OpinionEvent>,
}

/// The opinion a tracking code opens, or NOT_FOUND.
pub async fn by_tracking_code(store: &Store, code: &TrackingCode) -> Result<PublicOpinion> {
    let row = opinion::Entity::find()
        .filter(opinion::Column::TrackingCode.eq(code.as_str()))
        .one(&store.db)
        .await?
        .ok_or(DomainError::NotFound("opinion"))?;
    public(store, &row).await
}

pub(super) async fn public(store: &Store, row: &opinion::Model) -> Result<PublicOpinion> {
    let steps = opinion_event::Entity::find()
        .filter(opinion_event::Column::OpinionId.eq(row.id))
        .filter(opinion_event::Column::Public.eq(true))
        .order_by_asc(opinion_event::Column::Seq)
        .all(&store.db)
        .await?;
    let steps = steps.into_iter().map(Into::into).collect();
    Ok(PublicOpinion { opinion: aggregate(&row.snapshot)?, steps })
}

/// One step of an opinion's timeline with the opinion as `viewer` may see it; `None` when there is no such
/// step, `viewer` may not see the opinion, or the step is not shown to them (see `Sight::shows_step`).
pub async fn step_for(
    store: &Store,
    vault: &Vault,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<(OpinionEvent, OpinionView)>> {
    let Some(event) = opinion_event::Entity::find_by_id(id).one(&store.db).await? else {
        return Ok(None);
    };
    let view = record(&store.db, event.opinion_id).await?.and_then(|r| r.view(&viewer.caller(), vault));
    Ok(view.filter(|v| v.sight.shows_step(event.public)).map(|v| (event.into(), v)))
}

/// The timelines of several opinions in one query, oldest entry first.
pub async fn timeline(store: &Store, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<OpinionEvent>>> {
    let rows = opinion_event::Entity::find()
        .filter(opinion_event::Column::OpinionId.is_in(ids.iter().copied()))
        .order_by_asc(opinion_event::Column::OpinionId)
        .order_by_asc(opinion_event::Column::Seq)
        .all(&store.db)
        .await?;
    let mut map: HashMap<Uuid, Vec<OpinionEvent>> = ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        map.entry(row.opinion_id).or_default().push(row.into());
    }
    Ok(map)
}

/// Counts of a group of opinions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: u64,
    /// Not closed yet.
    pub open: u64,
    pub closed: u64,
    /// Waiting for someone to take them.
    pub received: u64,
    pub forwarded: u64,
    pub converted: u64,
    pub resolved_directly: u64,
    pub satisfied: u64,
    pub basically_satisfied: u64,
    pub dissatisfied: u64,
}

impl Counts {
    fn add(&mut self, state: Option<OpinionState>, satisfaction: Option<Satisfaction>, n: u64) {
        self.total += n;
        match state {
            Some(OpinionState::Closed) => self.closed += n,
            _ => self.open += n,
        }
        match state {
            Some(OpinionState::Received) => self.received += n,
            Some(OpinionState::Forwarded) => self.forwarded += n,
            Some(OpinionState::Converted) => self.converted += n,
            Some(OpinionState::ResolvedDirectly) => self.resolved_directly += n,
            _ => {}
        }
        match satisfaction {
            Some(Satisfaction::Satisfied) => self.satisfied += n,
            Some(Satisfaction::BasicallySatisfied) => self.basically_satisfied += n,
            Some(Satisfaction::Dissatisfied) => self.dissatisfied += n,
            None => {}
        }
    }
}

/// The month's opinions of a congress (汇总), by when they came in: in all, per station (every station of
/// the congress, then `None` for deputies' QR codes without a station) and per category (all nine).
#[derive(Debug, Clone)]
pub struct MonthlySummary {
    pub month: Month,
    pub congress_id: Uuid,
    pub all: Counts,
    pub by_station: Vec<(Option<LiaisonStation>, Counts)>,
    pub by_category: Vec<(OpinionCategory, Counts)>,
}

/// One group of the monthly count: station, category, state, satisfaction and how many.
type GroupRow = (Option<Uuid>, String, String, Option<String>, i64);

/// The monthly summary, for staff of the congress (and admins).
pub async fn monthly_summary(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    month: Month,
) -> Result<MonthlySummary> {
    if !actor.is_staff_of(congress_id) {
        return Err(DomainError::forbidden("only staff of the congress see its opinion statistics").into());
    }
    let rows: Vec<GroupRow> = opinion::Entity::find()
        .select_only()
        .column(opinion::Column::StationId)
        .column(opinion::Column::Category)
        .column(opinion::Column::State)
        .column(opinion::Column::Satisfaction)
        .column_as(Expr::from(Func::count(Expr::col(opinion::Column::Id))), "n")
        .filter(opinion::Column::CongressId.eq(congress_id))
        .filter(opinion::Column::CreatedAt.gte(month.start()))
        .filter(opinion::Column::CreatedAt.lt(month.end()))
        .group_by(opinion::Column::StationId)
        .group_by(opinion::Column::Category)
        .group_by(opinion::Column::State)
        .group_by(opinion::Column::Satisfaction)
        .into_tuple()
        .all(&store.db)
        .await?;
    let stations = liaison_station::Entity::find()
        .filter(liaison_station::Column::CongressId.eq(congress_id))
        .order_by_asc(liaison_station::Column::Name)
        .all(&store.db)
        .await?;
    let mut all = Counts::default();
    let mut per_station: BTreeMap<Option<Uuid>, Counts> = BTreeMap::new();
    let mut per_category: HashMap<OpinionCategory, Counts> = HashMap::new();
    for (station, category, state, satisfaction, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        let state = OpinionState::parse(&state).ok();
        let satisfaction = satisfaction.as_deref().and_then(|s| Satisfaction::parse(s).ok());
        all.add(state, satisfaction, n);
        per_station.entry(station).or_default().add(state, satisfaction, n);
        if let Ok(category) = OpinionCategory::parse(&category) {
            per_category.entry(category).or_default().add(state, satisfaction, n);
        }
    }
    let mut by_station: Vec<(Option<LiaisonStation>, Counts)> = stations
        .into_iter()
        .map(|s| {
            let counts = per_station.remove(&Some(s.id)).unwrap_or_default();
            Ok((Some(LiaisonStation::from_row(s)?), counts))
        })
        .collect::<Result<_>>()?;
    if let Some(none) = per_station.remove(&None) {
        by_station.push((None, none));
    }
    let by_category =
        OpinionCategory::ALL.iter().map(|c| (*c, per_category.get(c).copied().unwrap_or_default())).collect();
    Ok(MonthlySummary { month, congress_id, all, by_station, by_category })
}
