//! Reading suggestions: one by id, lists filtered within what the reader may see, and timelines.

use super::record::{aggregate, from_snapshot};
use crate::Store;
use crate::directory::contains_pattern;
use crate::entity::{suggestion, suggestion_co_signer, suggestion_event, suggestion_unit};
use crate::error::Result;
use crate::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::suggestion::{CoSignStatus, Scope, Sight, Suggestion, SuggestionState, sight};
use edaibiao_domain::text::SearchText;
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::collections::HashMap;
use uuid::Uuid;

/// List filters; all given filters must match.
#[derive(Debug, Clone, Default)]
pub struct SuggestionFilter {
    pub states: Vec<SuggestionState>,
    pub congress_id: Option<Uuid>,
    /// `S2` for the second session, `R2026` for the 2026 recess.
    pub sitting_key: Option<String>,
    pub category: Option<String>,
    pub lead_unit_id: Option<Uuid>,
    pub overdue: Option<bool>,
    pub key_supervised: Option<bool>,
    /// Words in the title or content.
    pub text: Option<SearchText>,
    /// Only the reader's own: a deputy's led or co-signed, a unit's assigned.
    pub mine: bool,
}

impl SuggestionFilter {
    /// `mine` and nothing else: a deputy's home list, whose total is kept rather than counted.
    fn is_mine_only(&self) -> bool {
        let Self {
            states,
            congress_id,
            sitting_key,
            category,
            lead_unit_id,
            overdue,
            key_supervised,
            text,
            mine,
        } = self;
        *mine
            && states.is_empty()
            && congress_id.is_none()
            && sitting_key.is_none()
            && category.is_none()
            && lead_unit_id.is_none()
            && overdue.is_none()
            && key_supervised.is_none()
            && text.is_none()
    }
}

pub async fn find(store: &Store, id: Uuid) -> Result<Option<Suggestion>> {
    suggestion::Entity::find_by_id(id).one(&store.db).await?.as_ref().map(aggregate).transpose()
}

/// The deputy's own suggestions: led, or co-signing (invited or confirmed). One `IN` over a `UNION` of two
/// indexed lookups, so the planner can start from the deputy's few rows instead of scanning by date.
fn own_by(deputy_id: Uuid) -> Condition {
    let mut led = Query::select()
        .column(suggestion::Column::Id)
        .from(suggestion::Entity)
        .and_where(suggestion::Column::LeadDeputyId.eq(deputy_id))
        .to_owned();
    let co_signed = Query::select()
        .column(suggestion_co_signer::Column::SuggestionId)
        .from(suggestion_co_signer::Entity)
        .and_where(suggestion_co_signer::Column::DeputyId.eq(deputy_id))
        .and_where(suggestion_co_signer::Column::Status.ne(CoSignStatus::Declined.as_str()))
        .to_owned();
    led.union(sea_orm::sea_query::UnionType::All, co_signed);
    Condition::all().add(suggestion::Column::Id.in_subquery(led))
}

fn assigned_to(unit_id: Uuid) -> Condition {
    Condition::all().add(
        suggestion::Column::Id.in_subquery(
            Query::select()
                .column(suggestion_unit::Column::SuggestionId)
                .from(suggestion_unit::Entity)
                .and_where(suggestion_unit::Column::UnitId.eq(unit_id))
                .to_owned(),
        ),
    )
}

/// The rows a reader may see, as a condition; `None` when they may see none.
fn visible(actor: &Actor, mine: bool) -> Option<Condition> {
    let submitted = suggestion::Column::Serial.is_not_null();
    match Scope::of(actor) {
        Scope::AllSubmitted => Some(Condition::all().add(submitted)),
        Scope::CongressSubmitted(c) => {
            Some(Condition::all().add(submitted).add(suggestion::Column::CongressId.eq(c)))
        }
        Scope::Unit(u) => Some(assigned_to(u)),
        Scope::Deputy(d) if mine => Some(own_by(d)),
        Scope::Deputy(d) => {
            Some(Condition::any().add(own_by(d)).add(suggestion::Column::HasPublicAnswer.eq(true)))
        }
        Scope::Nothing => None,
    }
}

fn filtered(
    actor: &Actor,
    filter: &SuggestionFilter,
    now: DateTime<Utc>,
) -> Option<Select<suggestion::Entity>> {
    let mut select =
        suggestion::Entity::find().filter(visible(actor, filter.mine && actor.role == Role::Deputy)?);
    if !filter.states.is_empty() {
        select = select.filter(suggestion::Column::State.is_in(filter.states.iter().map(|s| s.as_str())));
    }
    if let Some(c) = filter.congress_id {
        select = select.filter(suggestion::Column::CongressId.eq(c));
    }
    if let Some(key) = &filter.sitting_key {
        select = select.filter(suggestion::Column::SittingKey.eq(key.as_str()));
    }
    if let Some(category) = &filter.category {
        select = select.filter(suggestion::Column::Category.eq(category.as_str()));
    }
    if let Some(unit) = filter.lead_unit_id {
        select = select.filter(suggestion::Column::LeadUnitId.eq(unit));
    }
    if let Some(flag) = filter.key_supervised {
        select = select.filter(suggestion::Column::KeySupervised.eq(flag));
    }
    if let Some(overdue) = filter.overdue {
        let open = [SuggestionState::Assigned.as_str(), SuggestionState::Handled.as_str()];
        let late = Condition::all()
            .add(suggestion::Column::State.is_in(open))
            .add(suggestion::Column::DueAt.lt(now));
        select = select.filter(if overdue { late } else { late.not() });
    }
    if let Some(text) = &filter.text {
        select = select.filter(
            Condition::any()
                .add(suggestion::Column::Title.like(contains_pattern(text)))
                .add(suggestion::Column::Content.like(contains_pattern(text))),
        );
    }
    Some(select)
}

/// A page of suggestions the actor may see, newest first. The total is counted only when `with_total`
/// (a count is the most expensive part of a small page).
pub async fn list(
    store: &Store,
    actor: &Actor,
    filter: &SuggestionFilter,
    request: PageRequest,
    with_total: bool,
) -> Result<Page<Suggestion>> {
    let Some(select) = filtered(actor, filter, Utc::now()) else {
        return Ok(Page { items: Vec::new(), has_next_page: false, total_count: 0 });
    };
    let total = match (with_total, actor.deputy_id) {
        (false, _) => 0,
        // The deputy's own list: the kept count ([`super::own_counts`]), one row instead of a count.
        (true, Some(deputy_id)) if actor.role == Role::Deputy && filter.is_mine_only() => {
            super::own_counts::total(&store.db, deputy_id).await?
        }
        (true, _) => select.clone().count(&store.db).await?,
    };
    let mut query = select.order_by_desc(suggestion::Column::Id).limit(request.first + 1);
    if let Some(after) = request.after {
        query = query.filter(suggestion::Column::Id.lt(after));
    }
    // The aggregate is all a reader needs; the other columns exist for filtering.
    let snapshots: Vec<String> =
        query.select_only().column(suggestion::Column::Snapshot).into_tuple().all(&store.db).await?;
    let items = snapshots.iter().map(|s| from_snapshot(s)).collect::<Result<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, request, total))
}

/// One step of a suggestion's timeline. The timeline is a log kept across versions: a kind this build does
/// not name stays as stored (the API shows it as OTHER) and a state it cannot read is `None`, rather than
/// failing the whole timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestionEvent {
    pub id: Uuid,
    pub suggestion_id: Uuid,
    /// 1 for the first step, then 2, 3… without gaps.
    pub seq: i32,
    pub kind: String,
    /// `None` for the system.
    pub actor_account_id: Option<Uuid>,
    /// The actor's role at the time.
    pub actor_role: String,
    pub from_state: Option<SuggestionState>,
    pub to_state: Option<SuggestionState>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

impl From<suggestion_event::Model> for SuggestionEvent {
    fn from(row: suggestion_event::Model) -> Self {
        Self {
            id: row.id,
            suggestion_id: row.suggestion_id,
            seq: row.seq,
            kind: row.kind,
            actor_account_id: row.actor_account_id,
            actor_role: row.actor_role,
            from_state: row.from_state.as_deref().and_then(|s| SuggestionState::parse(s).ok()),
            to_state: SuggestionState::parse(&row.to_state).ok(),
            note: row.note,
            at: row.at,
        }
    }
}

/// One step of a suggestion's timeline with how much of its suggestion `actor` sees (the reader masks the
/// step for that sight, as on the timeline); `None` when there is no such step or `actor` may not see its
/// suggestion.
pub async fn timeline_event_for(
    store: &Store,
    actor: &Actor,
    id: Uuid,
) -> Result<Option<(SuggestionEvent, Sight)>> {
    let Some(event) = suggestion_event::Entity::find_by_id(id).one(&store.db).await? else {
        return Ok(None);
    };
    let sight = find(store, event.suggestion_id).await?.map_or(Sight::Hidden, |s| sight(actor, &s));
    Ok((sight != Sight::Hidden).then(|| (event.into(), sight)))
}

/// The timelines of several suggestions in one query, oldest entry first.
pub async fn timeline(store: &Store, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<SuggestionEvent>>> {
    let rows = suggestion_event::Entity::find()
        .filter(suggestion_event::Column::SuggestionId.is_in(ids.iter().copied()))
        .order_by_asc(suggestion_event::Column::SuggestionId)
        .order_by_asc(suggestion_event::Column::Seq)
        .all(&store.db)
        .await?;
    let mut map: HashMap<Uuid, Vec<SuggestionEvent>> = ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        map.entry(row.suggestion_id).or_default().push(row.into());
    }
    Ok(map)
}
