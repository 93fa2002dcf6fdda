//! Suggestions in storage: every action is one transaction that locks the suggestion, lets the domain
//! decide, appends the events to the timeline, updates the current state (compare-and-set on the version)
//! and its projections, and records the idempotency key. It reaches only the lists holding the suggestion
//! before or after ([`Reach::Lists`]), so the lists the API keeps of everyone else stay good.

pub mod duty_facts;
pub mod follow;
mod import;
pub mod lead_group;
mod own_counts;
mod query;
mod record;
pub mod reminders;
mod serial;

pub use import::import;
pub use query::{SuggestionEvent, SuggestionFilter, find, list, timeline, timeline_event_for};
pub(crate) use serial::next_value as next_serial;

use crate::entity::{deputy, handling_unit, suggestion};
use crate::epoch::Reach;
use crate::error::Result;
use crate::transaction::{self, Key, Once};
use crate::{Error, Store};
use chrono::Utc;
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::suggestion::{
    Command, DraftText, HandlingRole, ListPart, Sitting, Suggestion, SuggestionPolicy, UnitChoice,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

pub use crate::idempotency::Idempotency;

/// A deputy starts a draft.
pub async fn create(
    store: &Store,
    actor: &Actor,
    sitting: Sitting,
    text: DraftText,
    idempotency: Option<Idempotency<'_>>,
) -> Result<Suggestion> {
    let id = Uuid::now_v7();
    let created = Suggestion::start(actor, sitting, text, id, Utc::now())?;
    let suggestion = Suggestion::from_created(&created).ok_or_else(|| Error::Internal("created".into()))?;
    let key = idempotency.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: id });
    match transaction::run_once_reaching(store, key, async |txn| {
        Ok(((), Reach::Lists(record::insert(txn, actor, &suggestion, &created).await?)))
    })
    .await?
    {
        Once::Done(()) => Ok(suggestion),
        // A retry of a request that is done (or finishing): answer with its result.
        Once::Replayed(done) => find_for(store, actor, done).await,
    }
}

/// Stores the suggestion a bill becomes (作为建议处理), in the caller's transaction: `created` (the creation
/// and the carried-over co-signers, told to nobody), then `submitted`, numbered from the suggestions' own
/// serials and told as any submission. The events come from `edaibiao_domain::bill::conversion_events`.
pub(crate) async fn insert_converted(
    txn: &DatabaseTransaction,
    actor: &Actor,
    created: Vec<edaibiao_domain::suggestion::Event>,
    submitted: edaibiao_domain::suggestion::Event,
) -> Result<Suggestion> {
    let now = Utc::now();
    let mut events = created.into_iter();
    let first = events.next().ok_or_else(|| Error::Internal("no creation event".into()))?;
    let mut suggestion = Suggestion::from_created(&first).ok_or_else(|| Error::Internal("created".into()))?;
    record::insert(txn, actor, &suggestion, &first).await?;
    let rest: Vec<_> = events.collect();
    if !rest.is_empty() {
        record::append_telling(txn, actor, &mut suggestion, rest, now, false).await?;
    }
    let mut submitted = vec![submitted];
    if suggestion.needs_serial(&submitted) {
        Suggestion::number(
            &mut submitted,
            serial::next(txn, suggestion.congress_id, suggestion.sitting).await?,
        );
    }
    record::append(txn, actor, &mut suggestion, submitted, now).await?;
    Ok(suggestion)
}

/// Performs `command` on suggestion `id` as `actor`.
pub async fn act(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    command: Command,
    idempotency: Option<Idempotency<'_>>,
    policy: &SuggestionPolicy,
) -> Result<Suggestion> {
    let key = idempotency.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: id });
    match transaction::run_once_reaching(store, key, async |txn| {
        act_in(txn, actor, id, &command, policy).await
    })
    .await?
    {
        Once::Done(suggestion) => Ok(suggestion),
        Once::Replayed(done) => find_for(store, actor, done).await,
    }
}

async fn act_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: Uuid,
    command: &Command,
    policy: &SuggestionPolicy,
) -> Result<(Suggestion, Reach)> {
    // Concurrent actions on one suggestion queue on its row lock, and each decides on the state the
    // previous one left.
    let mut current = record::aggregate(&transaction::lock::<suggestion::Entity>(txn, id).await?)?;
    let now = Utc::now();
    let mut events = current.decide(actor, command, now, policy)?;
    if current.needs_serial(&events) {
        // Taken only once the submission is allowed, so a refused one does not consume a number.
        Suggestion::number(&mut events, serial::next(txn, current.congress_id, current.sitting).await?);
    }
    let mut reached = record::append(txn, actor, &mut current, events, now).await?;
    if command.action().follows_merge() {
        reached.extend(follow_merge(txn, actor, &current, command, now, policy).await?);
    }
    Ok((current, Reach::Lists(reached)))
}

/// Suggestions merged into `primary` follow what units and staff do to it, in the same transaction. A
/// member that cannot follow (its deputy withdrew it, or its own part is ahead after re-handling) is left
/// as it is. Returns the list parts the members' steps reached.
async fn follow_merge(
    txn: &DatabaseTransaction,
    actor: &Actor,
    primary: &Suggestion,
    command: &Command,
    now: chrono::DateTime<Utc>,
    policy: &SuggestionPolicy,
) -> Result<BTreeSet<ListPart>> {
    let mut reached = BTreeSet::new();
    for member_id in &primary.merged {
        let Some(row) = transaction::try_lock::<suggestion::Entity>(txn, *member_id).await? else { continue };
        let mut member = record::aggregate(&row)?;
        if member.merged_into != Some(primary.id) {
            continue;
        }
        match member.decide_as_merged(actor, command, now, policy) {
            Ok(events) => reached.extend(record::append(txn, actor, &mut member, events, now).await?),
            Err(DomainError::Conflict(reason) | DomainError::Forbidden(reason)) => {
                tracing::info!(member = %member_id, reason, "merged suggestion did not follow its primary");
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(reached)
}

/// Staff merge `member_id` into `primary_id` (并案): both must be proposed, in one congress. The primary is
/// locked first, as every action on it does, so merges and actions never wait on each other in a circle.
pub async fn merge(
    store: &Store,
    actor: &Actor,
    member_id: Uuid,
    primary_id: Uuid,
    idempotency: Option<Idempotency<'_>>,
    policy: &SuggestionPolicy,
) -> Result<Suggestion> {
    let key =
        idempotency.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: member_id });
    let merged = transaction::run_once_reaching(store, key, async |txn| {
        let mut primary =
            record::aggregate(&transaction::lock::<suggestion::Entity>(txn, primary_id).await?)?;
        let mut member = record::aggregate(&transaction::lock::<suggestion::Entity>(txn, member_id).await?)?;
        let now = Utc::now();
        let target = edaibiao_domain::suggestion::MergeTarget {
            id: primary.id,
            congress_id: primary.congress_id,
            state: primary.state,
            merged_into: primary.merged_into,
        };
        let member_events = member.decide(actor, &Command::MergeInto { primary: target }, now, policy)?;
        let primary_events = primary.absorb(member.id)?;
        let mut reached = record::append(txn, actor, &mut member, member_events, now).await?;
        reached.extend(record::append(txn, actor, &mut primary, primary_events, now).await?);
        Ok((member, Reach::Lists(reached)))
    })
    .await?;
    match merged {
        Once::Done(member) => Ok(member),
        Once::Replayed(done) => find_for(store, actor, done).await,
    }
}

/// A suggestion `actor` may see, or NOT_FOUND.
pub async fn find_for(store: &Store, actor: &Actor, id: Uuid) -> Result<Suggestion> {
    let found = find(store, id).await?;
    match found {
        Some(s) if edaibiao_domain::suggestion::may_view(actor, &s) => Ok(s),
        _ => Err(DomainError::NotFound("suggestion").into()),
    }
}

/// The congress of each deputy, for co-signing invitations.
pub async fn deputy_congress(db: &impl ConnectionTrait, deputy_id: Uuid) -> Result<Uuid> {
    Ok(deputy::Entity::find_by_id(deputy_id).one(db).await?.ok_or("deputy")?.congress_id)
}

/// Turns chosen units into the facts the assignment rule needs (their congresses); unknown units are
/// NOT_FOUND.
pub async fn unit_choices(store: &Store, units: &[(Uuid, HandlingRole)]) -> Result<Vec<UnitChoice>> {
    let ids: Vec<Uuid> = units.iter().map(|(id, _)| *id).collect();
    let found: HashMap<Uuid, Uuid> = handling_unit::Entity::find()
        .filter(handling_unit::Column::Id.is_in(ids))
        .all(&store.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.congress_id))
        .collect();
    units
        .iter()
        .map(|(unit_id, role)| {
            let congress_id = *found.get(unit_id).ok_or(DomainError::NotFound("handling unit"))?;
            Ok(UnitChoice { unit_id: *unit_id, role: *role, congress_id })
        })
        .collect()
}
