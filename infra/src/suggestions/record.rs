//! Writing a suggestion: the row with its current state and aggregate, the timeline events, and the
//! projections lists filter on (assigned units, co-signers).

use super::duty_facts::DutyFacts;
use crate::Error;
use crate::entity::{suggestion, suggestion_co_signer, suggestion_event, suggestion_unit};
use crate::error::Result;
use crate::transaction;
use chrono::{DateTime, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::suggestion::{
    Event, ListPart, Sitting, Suggestion, has_public_answer, notice_for, own_count_changes, own_deputies,
    parts_holding,
};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TryIntoModel,
};
use std::collections::BTreeSet;
use uuid::Uuid;

/// Reads the aggregate a row stores.
pub(super) fn aggregate(row: &suggestion::Model) -> Result<Suggestion> {
    from_snapshot(&row.snapshot)
}

/// Reads a stored aggregate.
pub(super) fn from_snapshot(snapshot: &str) -> Result<Suggestion> {
    serde_json::from_str(snapshot).map_err(|e| Error::Internal(format!("suggestion snapshot: {e}")))
}

pub(super) fn row(s: &Suggestion, now: DateTime<Utc>) -> Result<suggestion::ActiveModel> {
    let snapshot = serde_json::to_string(s).map_err(|e| Error::Internal(format!("snapshot: {e}")))?;
    let (session_number, recess_year) = match s.sitting {
        Sitting::Session { number } => (i32::try_from(number).ok(), None),
        Sitting::Recess { year } => (None, Some(year)),
    };
    let a = s.assignment.as_ref();
    Ok(suggestion::ActiveModel {
        id: Set(s.id),
        congress_id: Set(s.congress_id),
        sitting_key: Set(s.sitting.key()),
        session_number: Set(session_number),
        recess_year: Set(recess_year),
        lead_deputy_id: Set(s.lead_deputy_id),
        title: Set(s.title.clone()),
        content: Set(s.content.clone()),
        category: Set(s.category.clone()),
        state: Set(s.state.as_str().to_owned()),
        version: Set(i32::try_from(s.version).unwrap_or(i32::MAX)),
        serial: Set(s.serial.clone()),
        mode: Set(a.map(|a| a.mode.as_str().to_owned())),
        lead_unit_id: Set(a.and_then(|a| a.lead_unit())),
        assigned_at: Set(a.map(|a| a.assigned_at)),
        due_at: Set(a.map(|a| a.due_at)),
        key_supervised: Set(s.supervision.is_some()),
        flagged: Set(s.flagged),
        has_public_answer: Set(has_public_answer(s)),
        reminded_due_soon_for: sea_orm::ActiveValue::NotSet,
        reminded_overdue_for: sea_orm::ActiveValue::NotSet,
        // Kept by `duty_facts` from the events, never from the aggregate.
        first_submitted_at: NotSet,
        // Kept by `lead_group` from the deputy, never from the aggregate.
        lead_group_id: NotSet,
        snapshot: Set(snapshot),
        created_at: Set(s.created_at),
        updated_at: Set(now),
    })
}

/// A timeline number as stored.
fn seq(version: u32) -> i32 {
    i32::try_from(version).unwrap_or(i32::MAX)
}

fn event_row(
    suggestion_id: Uuid,
    seq: u32,
    actor: &Actor,
    event: &Event,
    from: Option<&str>,
    to: &str,
    at: DateTime<Utc>,
) -> Result<suggestion_event::ActiveModel> {
    Ok(suggestion_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        suggestion_id: Set(suggestion_id),
        seq: Set(self::seq(seq)),
        kind: Set(event.kind().to_owned()),
        actor_account_id: Set(Some(actor.user_id)),
        actor_role: Set(actor.role.as_str().to_owned()),
        from_state: Set(from.map(str::to_owned)),
        to_state: Set(to.to_owned()),
        note: Set(event.note().map(str::to_owned)),
        payload: Set(serde_json::to_string(event).map_err(|e| Error::Internal(format!("event: {e}")))?),
        at: Set(at),
    })
}

/// Stores a new suggestion and its `Created` event. Returns the list parts it reached (those holding it).
pub(super) async fn insert(
    db: &impl ConnectionTrait,
    actor: &Actor,
    s: &Suggestion,
    created: &Event,
) -> Result<BTreeSet<ListPart>> {
    let now = s.created_at;
    let mut model = row(s, now)?;
    model.reminded_due_soon_for = Set(None);
    model.reminded_overdue_for = Set(None);
    suggestion::Entity::insert(model).exec(db).await?;
    super::lead_group::keep(db, &[s.id]).await?;
    let event = event_row(s.id, s.version, actor, created, None, s.state.as_str(), now)?;
    suggestion_event::Entity::insert(event).exec(db).await?;
    super::own_counts::apply(db, &own_count_changes(&Default::default(), &own_deputies(s))).await?;
    crate::search::index_suggestion(db, s, now).await?;
    Ok(parts_holding(s))
}

/// Applies `events` to `s`, appends them to the timeline and saves the new state, only if nobody changed
/// the suggestion since it was read (compare-and-set on the version). Returns the list parts the change
/// reached: those holding the suggestion before or after it.
pub(super) async fn append(
    db: &impl ConnectionTrait,
    actor: &Actor,
    s: &mut Suggestion,
    events: Vec<Event>,
    now: DateTime<Utc>,
) -> Result<BTreeSet<ListPart>> {
    append_telling(db, actor, s, events, now, true).await
}

/// [`append`], telling the events' audiences only with `tell` (a bill's sponsors carried over to the
/// suggestion it became are not invited again).
pub(super) async fn append_telling(
    db: &impl ConnectionTrait,
    actor: &Actor,
    s: &mut Suggestion,
    events: Vec<Event>,
    now: DateTime<Utc>,
    tell: bool,
) -> Result<BTreeSet<ListPart>> {
    let mut reached = parts_holding(s);
    let read_version = s.version;
    let read_text = (s.title.clone(), s.content.clone());
    let read_owners = own_deputies(s);
    let mut rows = Vec::with_capacity(events.len());
    let (mut units_changed, mut co_signers_changed) = (false, false);
    let mut notices = Vec::new();
    let mut facts = DutyFacts::default();
    for event in &events {
        let from = s.state;
        s.apply(event);
        rows.push(event_row(s.id, s.version, actor, event, Some(from.as_str()), s.state.as_str(), now)?);
        facts.add(seq(s.version), event, now);
        if tell {
            notices.extend(notice_for(s, event));
        }
        // The parts carry the answer and rating projections for statistics, so these rewrite them too.
        units_changed |= matches!(
            event,
            Event::Assigned { .. }
                | Event::Answered { .. }
                | Event::Rated { official: true, .. }
                | Event::Rehandling { .. }
                | Event::ResultRated { .. }
        );
        co_signers_changed |= matches!(event, Event::CoSignerInvited { .. } | Event::CoSignAnswered { .. });
    }
    let mut saved = row(s, now)?;
    saved.version = NotSet;
    if read_text != (s.title.clone(), s.content.clone()) {
        crate::search::index_suggestion(db, s, now).await?;
    }
    let version = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let update = suggestion::Entity::update_many().set(saved);
    transaction::save(db, s.id, version(read_version), version(s.version), update).await?;
    if !rows.is_empty() {
        suggestion_event::Entity::insert_many(rows.clone()).exec(db).await.map_err(|e| {
            Error::unique_as_conflict(e, "the suggestion was changed meanwhile; reload and try again")
        })?;
    }
    // The notices and the timeline go out with the change or not at all (outbox).
    let mut messages = Vec::with_capacity(notices.len());
    for notice in notices {
        let recipients = crate::notifications::accounts_of(db, &notice.audience).await?;
        let message = crate::notifications::Message {
            kind: notice.kind,
            title: notice.title,
            body: Some(format!("{}「{}」", s.serial.as_deref().unwrap_or_default(), s.title)),
            subject_kind: "Suggestion",
            subject_id: Some(s.id),
        };
        messages.push((recipients, message));
    }
    crate::notifications::write_all(db, &messages, Some(actor.user_id)).await?;
    crate::outbox::add(db, timeline_messages(s.id, &rows, now)?).await?;
    if units_changed {
        suggestion_unit::Entity::delete_many()
            .filter(suggestion_unit::Column::SuggestionId.eq(s.id))
            .exec(db)
            .await?;
        let parts = unit_rows(s);
        if !parts.is_empty() {
            suggestion_unit::Entity::insert_many(parts).exec(db).await?;
        }
    }
    super::own_counts::apply(db, &own_count_changes(&read_owners, &own_deputies(s))).await?;
    super::duty_facts::keep(db, s.id, s.congress_id, &facts).await?;
    if co_signers_changed {
        suggestion_co_signer::Entity::delete_many()
            .filter(suggestion_co_signer::Column::SuggestionId.eq(s.id))
            .exec(db)
            .await?;
        if !s.co_signers.is_empty() {
            let rows = s.co_signers.iter().map(|c| suggestion_co_signer::ActiveModel {
                suggestion_id: Set(s.id),
                deputy_id: Set(c.deputy_id),
                status: Set(c.status.as_str().to_owned()),
            });
            suggestion_co_signer::Entity::insert_many(rows).exec(db).await?;
        }
    }
    reached.extend(parts_holding(s));
    Ok(reached)
}

/// The rows of `suggestion_units` for a suggestion's assignment: the units, their roles and the statistics
/// projection of each part's answer and rating.
pub(super) fn unit_rows(s: &Suggestion) -> Vec<suggestion_unit::ActiveModel> {
    let Some(a) = &s.assignment else { return Vec::new() };
    a.units
        .iter()
        .map(|p| {
            let o = crate::statistics::PartOutcome::of(a, p);
            suggestion_unit::ActiveModel {
                suggestion_id: Set(s.id),
                unit_id: Set(p.unit_id),
                role: Set(p.role.as_str().to_owned()),
                answer_class: Set(o.answer_class.map(str::to_owned)),
                answered_at: Set(o.answered_at),
                rating: Set(o.rating.map(str::to_owned)),
                result_rating: Set(o.result_rating.map(str::to_owned)),
                contacted: Set(o.contacted),
            }
        })
        .collect()
}

/// Outbox messages for new timeline rows, so subscribers of the suggestion see them live.
fn timeline_messages(
    suggestion_id: Uuid,
    rows: &[suggestion_event::ActiveModel],
    now: DateTime<Utc>,
) -> Result<Vec<crate::entity::outbox::ActiveModel>> {
    let topic = crate::feed::Topic::Suggestion(suggestion_id);
    rows.iter()
        .map(|row| {
            let model = row.clone().try_into_model()?;
            crate::outbox::message(&topic, i64::from(model.seq), &model, now)
        })
        .collect()
}

/// Timeline rows for an imported history, attributed to nobody (the import), with what they give the duty
/// record.
pub(super) fn event_rows(
    s: &Suggestion,
    history: &[Event],
) -> Result<(Vec<suggestion_event::ActiveModel>, DutyFacts)> {
    let mut facts = DutyFacts::default();
    let Some(first) = history.first() else { return Ok((Vec::new(), facts)) };
    let Some(mut replay) = Suggestion::from_created(first) else { return Ok((Vec::new(), facts)) };
    let at = |e: &Event| match e {
        Event::Created { at, .. }
        | Event::ReassignmentRequested { at, .. }
        | Event::CoOpinionGiven { at, .. } => *at,
        Event::Assigned { assigned_at, .. } => *assigned_at,
        Event::Answered { answer, .. } => answer.at,
        Event::Rated { rating, .. } => rating.at,
        _ => s.created_at,
    };
    let mut rows = Vec::with_capacity(history.len());
    let mut previous: Option<&str> = None;
    for (i, event) in history.iter().enumerate() {
        if i > 0 {
            replay.apply(event);
        }
        let mut row =
            event_row(s.id, replay.version, &IMPORT, event, previous, replay.state.as_str(), at(event))?;
        row.actor_account_id = Set(None);
        rows.push(row);
        facts.add(seq(replay.version), event, at(event));
        previous = Some(replay.state.as_str());
    }
    Ok((rows, facts))
}

/// Stands for "imported" on timelines.
const IMPORT: Actor = Actor {
    user_id: Uuid::nil(),
    role: edaibiao_domain::account::Role::Admin,
    congress_id: None,
    unit_id: None,
    deputy_id: None,
    station_id: None,
};
