//! Writing an opinion: the row with its current state, aggregate and projections, the timeline events, and
//! the notices of each step, all in the caller's transaction.

use crate::Error;
use crate::entity::{opinion, opinion_event};
use crate::error::Result;
use chrono::{DateTime, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::opinion::{Event, Opinion, OpinionState, WaitKind, notice_for};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// Who took a step, as the timeline records it.
#[derive(Debug, Clone, Copy)]
pub(super) struct StepBy {
    pub account_id: Option<Uuid>,
    pub role: &'static str,
}

impl StepBy {
    pub fn actor(actor: &Actor) -> Self {
        Self { account_id: Some(actor.user_id), role: actor.role.as_str() }
    }

    /// A member of the public (a submission through the form, a rating): no account on the timeline, so the
    /// citizen's account never shows to those handling the opinion.
    pub const PUBLIC: StepBy = StepBy { account_id: None, role: "PUBLIC" };

    /// The server itself (the timeout).
    pub const SYSTEM: StepBy = StepBy { account_id: None, role: "SYSTEM" };
}

/// The contact phone as stored: sealed, and as a keyed digest.
pub(super) struct StoredPhone {
    pub sealed: String,
    pub digest: String,
}

/// Reads a stored aggregate.
pub(crate) fn aggregate(snapshot: &str) -> Result<Opinion> {
    serde_json::from_str(snapshot).map_err(|e| Error::Internal(format!("opinion snapshot: {e}")))
}

/// The row of `o`; the phone columns are left as they are (they are written once, at submission).
fn row(o: &Opinion, now: DateTime<Utc>) -> Result<opinion::ActiveModel> {
    let snapshot = serde_json::to_string(o).map_err(|e| Error::Internal(format!("snapshot: {e}")))?;
    let waiting = WaitKind::of(o);
    Ok(opinion::ActiveModel {
        id: Set(o.id),
        tracking_code: Set(o.tracking_code.as_str().to_owned()),
        congress_id: Set(o.congress_id),
        station_id: Set(o.station_id),
        deputy_id: Set(o.deputy_id),
        source: Set(o.source.as_str().to_owned()),
        category: Set(o.category.as_str().to_owned()),
        state: Set(o.state.as_str().to_owned()),
        version: Set(i32::try_from(o.version).unwrap_or(i32::MAX)),
        submitter_account_id: Set(o.submitter_account_id),
        responsible_account_id: Set(o.responsible.map(|r| r.account_id)),
        forwarded_unit_id: Set(o.forwarded_unit()),
        suggestion_id: Set(o.suggestion_id),
        unit_replied: Set(o.unit_replied()),
        satisfaction: Set(o.rating.as_ref().map(|r| r.satisfaction.as_str().to_owned())),
        waiting_on: Set(waiting.map(|w| w.as_str().to_owned())),
        waiting_since: Set(waiting.map(|_| o.stage_at)),
        contact_phone_sealed: NotSet,
        contact_phone_masked: Set(o.contact_phone_masked.clone()),
        contact_phone_digest: NotSet,
        snapshot: Set(snapshot),
        created_at: Set(o.created_at),
        feedback_at: Set(o.feedback.as_ref().map(|f| f.at)),
        closed_at: Set(o.closure.map(|c| c.at)),
        updated_at: Set(now),
        // Kept by [`append`] from the events, never from the aggregate.
        accepted_at: NotSet,
        // Written by `erasure` alone.
        contact_erased_at: NotSet,
        latitude: Set(o.position.map(|p| p.latitude())),
        longitude: Set(o.position.map(|p| p.longitude())),
        division_code: Set(o.division_code.as_ref().map(|d| d.as_str().to_owned())),
    })
}

fn event_row(
    opinion_id: Uuid,
    seq: u32,
    by: StepBy,
    event: &Event,
    from: Option<&str>,
    to: &str,
) -> Result<opinion_event::ActiveModel> {
    Ok(opinion_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        opinion_id: Set(opinion_id),
        seq: Set(i32::try_from(seq).unwrap_or(i32::MAX)),
        kind: Set(event.kind().to_owned()),
        actor_account_id: Set(by.account_id),
        actor_role: Set(by.role.to_owned()),
        from_state: Set(from.map(str::to_owned)),
        to_state: Set(to.to_owned()),
        note: Set(event.note().map(str::to_owned)),
        public: Set(event.is_public()),
        payload: Set(serde_json::to_string(event).map_err(|e| Error::Internal(format!("event: {e}")))?),
        at: Set(event.at()),
    })
}

/// Stores a new opinion, its `Submitted` event and the notice of it.
pub(super) async fn insert(
    db: &impl ConnectionTrait,
    by: StepBy,
    o: &Opinion,
    submitted: &Event,
    phone: Option<StoredPhone>,
) -> Result<()> {
    let mut model = row(o, o.created_at)?;
    model.contact_phone_sealed = Set(phone.as_ref().map(|p| p.sealed.clone()));
    model.contact_phone_digest = Set(phone.map(|p| p.digest));
    // Recorded at a reception, an opinion starts accepted.
    model.accepted_at = Set((o.state == OpinionState::Accepted).then(|| submitted.at()));
    opinion::Entity::insert(model)
        .exec(db)
        .await
        .map_err(|e| Error::unique_as_conflict(e, "tracking code clash; submit again"))?;
    let event = event_row(o.id, o.version, by, submitted, None, o.state.as_str())?;
    opinion_event::Entity::insert(event).exec(db).await?;
    index(db, o).await?;
    notify(db, by, o, std::slice::from_ref(submitted)).await
}

/// Indexes an opinion for search: its category as the title and its content as the body. Never its
/// contact (name, phone) nor its location. The content does not change after submission.
pub(crate) async fn index(db: &impl ConnectionTrait, o: &Opinion) -> Result<()> {
    let title = edaibiao_domain::search::opinion_title(o.category.label());
    let doc = crate::search::Indexed {
        kind: edaibiao_domain::search::SearchKind::Opinion,
        item_id: o.id,
        congress_id: o.congress_id,
        title: &title,
        body: &o.content,
        at: o.created_at,
    };
    crate::search::index(db, doc).await
}

/// Applies `events` to `o`, appends them to the timeline and saves the new state, only if nobody changed the
/// opinion since it was read (compare-and-set on the version); writes the notices of the steps.
pub(super) async fn append(
    db: &impl ConnectionTrait,
    by: StepBy,
    o: &mut Opinion,
    events: Vec<Event>,
    now: DateTime<Utc>,
) -> Result<()> {
    let read_version = o.version;
    let mut rows = Vec::with_capacity(events.len());
    let mut accepted_at: Option<DateTime<Utc>> = None;
    for event in &events {
        let from = o.state;
        o.apply(event);
        rows.push(event_row(o.id, o.version, by, event, Some(from.as_str()), o.state.as_str())?);
        if o.state == OpinionState::Accepted {
            accepted_at = accepted_at.or(Some(event.at()));
        }
    }
    let mut saved = row(o, now)?;
    saved.version = NotSet;
    let version = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let update = opinion::Entity::update_many().set(saved);
    crate::transaction::save(db, o.id, version(read_version), version(o.version), update).await?;
    if !rows.is_empty() {
        opinion_event::Entity::insert_many(rows).exec(db).await.map_err(|e| {
            Error::unique_as_conflict(e, "the opinion was changed meanwhile; reload and try again")
        })?;
    }
    if let Some(at) = accepted_at {
        keep_accepted_at(db, o.id, at).await?;
    }
    notify(db, by, o, &events).await
}

/// Keeps when the opinion was first accepted (the earliest event that left it ACCEPTED), for the station
/// activity table: one narrow column instead of grouping the acceptance events per request.
async fn keep_accepted_at(db: &impl ConnectionTrait, id: Uuid, at: DateTime<Utc>) -> Result<()> {
    opinion::Entity::update_many()
        .col_expr(opinion::Column::AcceptedAt, sea_orm::sea_query::Expr::value(at))
        .filter(opinion::Column::Id.eq(id))
        .filter(
            sea_orm::Condition::any()
                .add(opinion::Column::AcceptedAt.is_null())
                .add(opinion::Column::AcceptedAt.gt(at)),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Recounts every opinion's first acceptance from its timeline: the migration that introduced the column,
/// and a repair after timeline rows were written by hand.
pub(crate) async fn rebuild_accepted_at(db: &impl ConnectionTrait) -> Result<()> {
    db.execute_unprepared(
        "UPDATE opinions SET accepted_at = (SELECT MIN(e.at) FROM opinion_events e \
         WHERE e.opinion_id = opinions.id AND e.to_state = 'ACCEPTED')",
    )
    .await?;
    Ok(())
}

/// Writes the notices of `events` (outbox included, so live subscribers and pushes follow). The person who
/// acted is not told about their own step. The body names the category and the start of the content: no
/// contact details.
async fn notify(db: &impl ConnectionTrait, by: StepBy, o: &Opinion, events: &[Event]) -> Result<()> {
    let mut messages = Vec::new();
    for notice in events.iter().filter_map(|e| notice_for(o, e)) {
        let recipients = crate::notifications::accounts_of(db, &notice.audience).await?;
        let excerpt: String = o.content.chars().take(40).collect();
        let ellipsis = if o.content.chars().count() > 40 { "…" } else { "" };
        let message = crate::notifications::Message {
            kind: notice.kind,
            title: notice.title,
            body: Some(format!("【{}】{excerpt}{ellipsis}", o.category.label())),
            subject_kind: "Opinion",
            subject_id: Some(o.id),
        };
        messages.push((recipients, message));
    }
    if !messages.is_empty() {
        crate::notifications::write_all(db, &messages, by.account_id).await?;
    }
    Ok(())
}
