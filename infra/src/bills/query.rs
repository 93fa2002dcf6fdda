//! Reading bills: one by id, lists within what the reader may see, settings, meetings and timelines.

use crate::Store;
use crate::entity::{
    bill, bill_co_sponsor, bill_event, bill_meeting, bill_unit, congress, congress_bill_setting, deputy_group,
};
use crate::error::{Result, stored};
use crate::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::bill::{
    self as dom, BillEventKind, BillState, CoSponsorThreshold, DecidingBody, Disposition, Standing,
};
use edaibiao_domain::directory::CongressLevel;
use edaibiao_domain::suggestion::{CoSignStatus, Satisfaction};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, UnionType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A congress's bill settings.
#[derive(Debug, Clone, PartialEq)]
pub struct BillSettings {
    pub congress_id: Uuid,
    /// The threshold in force: the congress's own, or its level's default.
    pub threshold: CoSponsorThreshold,
    /// Whether the congress set its own threshold.
    pub custom_threshold: bool,
    /// The session in progress; `None` in recess.
    pub session: Option<u32>,
}

/// The settings of `congress_id` (NOT_FOUND for no congress).
pub async fn settings_for(db: &impl ConnectionTrait, congress_id: Uuid) -> Result<BillSettings> {
    let c = congress::Entity::find_by_id(congress_id).one(db).await?.ok_or("congress")?;
    let level = stored("congress level", c.id, CongressLevel::parse(&c.level))?;
    let row = congress_bill_setting::Entity::find_by_id(congress_id).one(db).await?;
    let own = row.as_ref().and_then(|r| r.co_sponsor_threshold);
    let threshold = match own {
        Some(n) => stored("co-sponsor threshold", congress_id, CoSponsorThreshold::parse(n))?,
        None => CoSponsorThreshold::default_for(level),
    };
    Ok(BillSettings {
        congress_id,
        threshold,
        custom_threshold: own.is_some(),
        session: row.and_then(|r| r.session_number).and_then(|n| u32::try_from(n).ok()),
    })
}

/// An invited co-sponsor.
#[derive(Debug, Clone, PartialEq)]
pub struct CoSponsor {
    pub deputy_id: Uuid,
    pub status: CoSignStatus,
    pub invited_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The lead sponsor's rating of the handling.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    pub attitude: Satisfaction,
    pub result: Satisfaction,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

/// A bill as its reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bill {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub lead_deputy_id: Uuid,
    pub delegation_id: Option<Uuid>,
    pub title: String,
    pub reason: String,
    pub provisions: String,
    pub state: BillState,
    pub version: i32,
    pub serial: Option<String>,
    pub session: Option<u32>,
    pub tabled_at: Option<DateTime<Utc>>,
    pub decided_by: Option<DecidingBody>,
    pub disposition: Option<Disposition>,
    pub decision_note: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub suggestion_id: Option<Uuid>,
    pub committee_id: Option<Uuid>,
    pub unit_ids: Vec<Uuid>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub review_report: Option<String>,
    pub review_decision: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub close_note: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub rating: Option<Rating>,
    pub co_sponsors: Vec<CoSponsor>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The reader's standing towards it.
    pub standing: Standing,
}

impl Bill {
    /// How many co-sponsors confirmed.
    pub fn confirmed(&self) -> usize {
        self.co_sponsors.iter().filter(|c| c.status == CoSignStatus::Confirmed).count()
    }

    /// Whether the handling finished by the deadline (null until closed).
    pub fn on_time(&self) -> Option<bool> {
        dom::on_time(self.due_at, self.closed_at)
    }
}

pub(super) fn state_of(row: &bill::Model) -> Result<BillState> {
    stored("bill state", row.id, BillState::parse(&row.state))
}

fn bill_of(
    row: bill::Model,
    co_sponsors: Vec<CoSponsor>,
    unit_ids: Vec<Uuid>,
    standing: Standing,
) -> Result<Bill> {
    let id = row.id;
    let rating = match (&row.rating_attitude, &row.rating_result, row.rated_at) {
        (Some(a), Some(r), Some(at)) => Some(Rating {
            attitude: stored("rating", id, Satisfaction::parse(a))?,
            result: stored("rating", id, Satisfaction::parse(r))?,
            comment: row.rating_comment.clone(),
            at,
        }),
        _ => None,
    };
    Ok(Bill {
        state: state_of(&row)?,
        decided_by: row
            .decided_by
            .as_deref()
            .map(DecidingBody::parse)
            .transpose()
            .map_err(|e| crate::Error::Internal(format!("stored deciding body of {id}: {e}")))?,
        disposition: row
            .disposition
            .as_deref()
            .map(Disposition::parse)
            .transpose()
            .map_err(|e| crate::Error::Internal(format!("stored disposition of {id}: {e}")))?,
        id,
        congress_id: row.congress_id,
        lead_deputy_id: row.lead_deputy_id,
        delegation_id: row.delegation_id,
        title: row.title,
        reason: row.reason,
        provisions: row.provisions,
        version: row.version,
        serial: row.serial,
        session: row.session_number.and_then(|n| u32::try_from(n).ok()),
        tabled_at: row.tabled_at,
        decision_note: row.decision_note,
        decided_at: row.decided_at,
        suggestion_id: row.suggestion_id,
        committee_id: row.committee_id,
        unit_ids,
        assigned_at: row.assigned_at,
        due_at: row.due_at,
        review_report: row.review_report,
        review_decision: row.review_decision,
        reviewed_at: row.reviewed_at,
        close_note: row.close_note,
        closed_at: row.closed_at,
        rating,
        co_sponsors,
        created_at: row.created_at,
        updated_at: row.updated_at,
        standing,
    })
}

fn co_sponsor_of(row: bill_co_sponsor::Model) -> Result<CoSponsor> {
    Ok(CoSponsor {
        status: stored("co-sponsor status", row.bill_id, CoSignStatus::parse(&row.status))?,
        deputy_id: row.deputy_id,
        invited_at: row.invited_at,
        answered_at: row.answered_at,
    })
}

/// The co-sponsors (with their answers) and units of one bill, for the table.
pub(super) async fn parties_of(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<(Vec<(Uuid, CoSignStatus)>, Vec<Uuid>)> {
    let mut all = load_parties(db, &[id]).await?;
    let (co, units) = all.remove(&id).unwrap_or_default();
    Ok((co.into_iter().map(|c| (c.deputy_id, c.status)).collect(), units))
}

/// The co-sponsors and units of several bills, in two queries.
pub(super) async fn load_parties(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, (Vec<CoSponsor>, Vec<Uuid>)>> {
    let mut out: HashMap<Uuid, (Vec<CoSponsor>, Vec<Uuid>)> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let co = bill_co_sponsor::Entity::find()
        .filter(bill_co_sponsor::Column::BillId.is_in(ids.iter().copied()))
        .order_by_asc(bill_co_sponsor::Column::InvitedAt)
        .order_by_asc(bill_co_sponsor::Column::DeputyId)
        .all(db)
        .await?;
    for row in co {
        out.entry(row.bill_id).or_default().0.push(co_sponsor_of(row)?);
    }
    let units = bill_unit::Entity::find()
        .filter(bill_unit::Column::BillId.is_in(ids.iter().copied()))
        .order_by_asc(bill_unit::Column::UnitId)
        .all(db)
        .await?;
    for row in units {
        out.entry(row.bill_id).or_default().1.push(row.unit_id);
    }
    Ok(out)
}

fn standing(actor: &Actor, row: &bill::Model, co: &[CoSponsor], units: &[Uuid]) -> Standing {
    let pairs: Vec<(Uuid, CoSignStatus)> = co.iter().map(|c| (c.deputy_id, c.status)).collect();
    Standing::of(actor, row.congress_id, row.lead_deputy_id, &pairs, units)
}

/// A bill `actor` may see, or NOT_FOUND.
pub(super) async fn find_for(store: &Store, actor: &Actor, id: Uuid) -> Result<Bill> {
    visible_among(store, actor, &[id]).await?.remove(&id).ok_or_else(|| "bill".into())
}

/// The bills among `ids` that `actor` may see (the rule of `bill(id)`: the domain's [`dom::visible`] for
/// the actor's standing, the leader of a tabling delegation included), by id; the others left out. The
/// bills and their parties in three queries (a delegation's leader is looked up only for a bill the actor
/// would not otherwise see).
pub async fn visible_among(store: &Store, actor: &Actor, ids: &[Uuid]) -> Result<HashMap<Uuid, Bill>> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows =
        bill::Entity::find().filter(bill::Column::Id.is_in(ids.iter().copied())).all(&store.db).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut parties = load_parties(&store.db, &ids).await?;
    for row in rows {
        let (co, units) = parties.remove(&row.id).unwrap_or_default();
        let mut who = standing(actor, &row, &co, &units);
        let state = state_of(&row)?;
        if !dom::visible(who, state)
            && let (Some(group), Some(deputy)) = (row.delegation_id, actor.deputy_id)
            && actor.congress_id == Some(row.congress_id)
            && crate::activities::group_of(&store.db, group)
                .await?
                .is_some_and(|(_, leader)| leader == Some(deputy))
        {
            who = Standing::DelegationLeader;
        }
        if dom::visible(who, state) {
            out.insert(row.id, bill_of(row, co, units, who)?);
        }
    }
    Ok(out)
}

/// The bill a suggestion was converted from, if `actor` may see it.
pub async fn from_suggestion(store: &Store, actor: &Actor, suggestion_id: Uuid) -> Result<Option<Bill>> {
    let Some(row) =
        bill::Entity::find().filter(bill::Column::SuggestionId.eq(suggestion_id)).one(&store.db).await?
    else {
        return Ok(None);
    };
    match find_for(store, actor, row.id).await {
        Ok(b) => Ok(Some(b)),
        Err(crate::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
        Err(other) => Err(other),
    }
}

/// List filters; all given filters must match.
#[derive(Debug, Clone, Default)]
pub struct BillFilter {
    pub congress_id: Option<Uuid>,
    pub states: Vec<BillState>,
    pub committee_id: Option<Uuid>,
}

/// The bills `actor` may see, oldest first: a deputy's own (led, or co-sponsoring and not declined) and
/// those tabled by a delegation they lead, a unit's assigned, staff's tabled bills of their congress, an
/// admin's tabled bills; nothing for anyone else.
pub async fn list_for(
    store: &Store,
    actor: &Actor,
    filter: &BillFilter,
    page: PageRequest,
) -> Result<Page<Bill>> {
    let scope = match actor.role {
        Role::Admin => Condition::all().add(bill::Column::State.ne(BillState::Draft.as_str())),
        Role::CongressStaff => match actor.congress_id {
            Some(c) => Condition::all()
                .add(bill::Column::CongressId.eq(c))
                .add(bill::Column::State.ne(BillState::Draft.as_str())),
            None => return Ok(Page::from_overfetch(Vec::new(), page, 0)),
        },
        Role::Deputy => match (actor.deputy_id, actor.congress_id) {
            (Some(d), Some(c)) => {
                let mut led = Query::select()
                    .column(bill::Column::Id)
                    .from(bill::Entity)
                    .and_where(bill::Column::LeadDeputyId.eq(d))
                    .to_owned();
                let co = Query::select()
                    .column(bill_co_sponsor::Column::BillId)
                    .from(bill_co_sponsor::Entity)
                    .and_where(bill_co_sponsor::Column::DeputyId.eq(d))
                    .and_where(bill_co_sponsor::Column::Status.ne(CoSignStatus::Declined.as_str()))
                    .to_owned();
                // Tabled by a delegation the deputy leads (组长); the leader column belongs to activities.
                let leads = Query::select()
                    .column(Alias::new("id"))
                    .from(deputy_group::Entity)
                    .and_where(Expr::col(Alias::new("leader_deputy_id")).eq(d))
                    .to_owned();
                let by_delegation = Query::select()
                    .column(bill::Column::Id)
                    .from(bill::Entity)
                    .and_where(bill::Column::DelegationId.in_subquery(leads))
                    .and_where(bill::Column::State.ne(BillState::Draft.as_str()))
                    .to_owned();
                led.union(UnionType::All, co).union(UnionType::All, by_delegation);
                Condition::all().add(bill::Column::CongressId.eq(c)).add(bill::Column::Id.in_subquery(led))
            }
            _ => return Ok(Page::from_overfetch(Vec::new(), page, 0)),
        },
        Role::UnitStaff => match actor.unit_id {
            Some(u) => Condition::all().add(
                bill::Column::Id.in_subquery(
                    Query::select()
                        .column(bill_unit::Column::BillId)
                        .from(bill_unit::Entity)
                        .and_where(bill_unit::Column::UnitId.eq(u))
                        .to_owned(),
                ),
            ),
            None => return Ok(Page::from_overfetch(Vec::new(), page, 0)),
        },
        Role::Citizen | Role::StationStaff => return Ok(Page::from_overfetch(Vec::new(), page, 0)),
    };
    let mut cond = scope;
    if let Some(c) = filter.congress_id {
        cond = cond.add(bill::Column::CongressId.eq(c));
    }
    if !filter.states.is_empty() {
        cond = cond.add(bill::Column::State.is_in(filter.states.iter().map(|s| s.as_str())));
    }
    if let Some(c) = filter.committee_id {
        cond = cond.add(bill::Column::CommitteeId.eq(c));
    }
    let total = bill::Entity::find().filter(cond.clone()).count(&store.db).await?;
    let mut query = bill::Entity::find().filter(cond).order_by_asc(bill::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(bill::Column::Id.gt(after));
    }
    let rows = query.limit(page.first + 1).all(&store.db).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut parties = load_parties(&store.db, &ids).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let (co, units) = parties.remove(&row.id).unwrap_or_default();
        let mut who = standing(actor, &row, &co, &units);
        if !dom::visible(who, state_of(&row)?) && actor.role == Role::Deputy {
            // In a deputy's list only through a delegation they lead.
            who = Standing::DelegationLeader;
        }
        items.push(bill_of(row, co, units, who)?);
    }
    Ok(Page::from_overfetch(items, page, total))
}

/// A meeting the lead sponsor was invited to.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub number: i32,
    pub title: String,
    pub held_at: DateTime<Utc>,
    pub attended: Option<bool>,
    pub recorded_at: Option<DateTime<Utc>>,
}

/// The meetings of a bill the reader sees, in order.
pub async fn meetings(store: &Store, bill: &Bill) -> Result<Vec<Meeting>> {
    Ok(bill_meeting::Entity::find()
        .filter(bill_meeting::Column::BillId.eq(bill.id))
        .order_by_asc(bill_meeting::Column::Number)
        .all(&store.db)
        .await?
        .into_iter()
        .map(|m| Meeting {
            number: m.number,
            title: m.title,
            held_at: m.held_at,
            attended: m.attended,
            recorded_at: m.recorded_at,
        })
        .collect())
}

/// One step of a bill's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct BillEvent {
    pub seq: i32,
    pub kind: BillEventKind,
    pub actor_role: String,
    pub from_state: Option<BillState>,
    pub to_state: BillState,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// The timeline of a bill the reader sees, oldest first.
pub async fn timeline(store: &Store, bill: &Bill) -> Result<Vec<BillEvent>> {
    let rows = bill_event::Entity::find()
        .filter(bill_event::Column::BillId.eq(bill.id))
        .order_by_asc(bill_event::Column::Seq)
        .all(&store.db)
        .await?;
    rows.into_iter()
        .map(|e| {
            Ok(BillEvent {
                seq: e.seq,
                kind: stored("bill event", e.id, BillEventKind::parse(&e.kind))?,
                actor_role: e.actor_role,
                from_state: e
                    .from_state
                    .as_deref()
                    .map(|s| stored("bill event", e.id, BillState::parse(s)))
                    .transpose()?,
                to_state: stored("bill event", e.id, BillState::parse(&e.to_state))?,
                note: e.note,
                at: e.at,
            })
        })
        .collect()
}
