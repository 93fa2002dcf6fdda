//! Deputies' own reports of constituents' views (代表反映社情民意) in storage. Each step is one transaction
//! that locks the report, lets the domain decide, appends the events to the timeline, saves the new state
//! with a compare-and-set on the version, writes the notices (outbox) and records the idempotency key.

use crate::entity::{deputy_report, deputy_report_event, handling_unit, liaison_station};
use crate::error::Result;
use crate::idempotency::Idempotency;
use crate::notifications::{self, Message};
use crate::transaction::{self, Key, Once};
use crate::{Error, Page, PageRequest, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::deputy_report::{
    Command, DeputyReport, DeputyReportEventKind, DeputyReportState, Event, ReportInput, may_view,
    notice_for, reporting_deputy,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

/// A step as the timeline shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportStep {
    pub kind: DeputyReportEventKind,
    pub actor_account_id: Option<Uuid>,
    pub actor_role: String,
    pub from_state: Option<DeputyReportState>,
    pub to_state: DeputyReportState,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// What a staff step asks for, before storage looks up what the domain needs (the unit's congress).
#[derive(Debug, Clone)]
pub enum Step {
    Accept,
    Forward { unit_id: Uuid, note: Option<String> },
    Answer { text: String },
    Compile { note: String },
    Decline { reason: String },
}

fn aggregate(row: &deputy_report::Model) -> Result<DeputyReport> {
    serde_json::from_str(&row.snapshot).map_err(|e| Error::Internal(format!("deputy report snapshot: {e}")))
}

fn version(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn row(r: &DeputyReport) -> Result<deputy_report::ActiveModel> {
    let snapshot = serde_json::to_string(r).map_err(|e| Error::Internal(format!("snapshot: {e}")))?;
    Ok(deputy_report::ActiveModel {
        id: Set(r.id),
        congress_id: Set(r.congress_id),
        deputy_id: Set(r.deputy_id),
        title: Set(r.title.clone()),
        category: Set(r.category.as_str().to_owned()),
        station_id: Set(r.station_id),
        state: Set(r.state.as_str().to_owned()),
        version: Set(version(r.version)),
        forwarded_unit_id: Set(r.forwarded_unit()),
        snapshot: Set(snapshot),
        submitted_at: Set(r.submitted_at),
        updated_at: Set(r.updated_at),
    })
}

fn event_row(
    r: &DeputyReport,
    actor: &Actor,
    event: &Event,
    from: Option<DeputyReportState>,
) -> Result<deputy_report_event::ActiveModel> {
    Ok(deputy_report_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        report_id: Set(r.id),
        seq: Set(version(r.version)),
        kind: Set(event.event_kind().as_str().to_owned()),
        actor_account_id: Set(Some(actor.user_id)),
        actor_role: Set(actor.role.as_str().to_owned()),
        from_state: Set(from.map(|s| s.as_str().to_owned())),
        to_state: Set(r.state.as_str().to_owned()),
        note: Set(event.note().map(str::to_owned)),
        payload: Set(serde_json::to_string(event).map_err(|e| Error::Internal(format!("event: {e}")))?),
        at: Set(event.at()),
    })
}

/// Writes the notices of `events`; the person who acted is not told of their own step.
async fn notify(db: &impl ConnectionTrait, actor: &Actor, r: &DeputyReport, events: &[Event]) -> Result<()> {
    let mut messages = Vec::new();
    for event in events {
        let notice = notice_for(r, event);
        let recipients = notifications::accounts_of(db, &notice.audience).await?;
        let message = Message {
            kind: notice.kind,
            title: notice.title,
            body: Some(format!("【{}】{}", r.category.label(), r.title)),
            subject_kind: "DeputyReport",
            subject_id: Some(r.id),
        };
        messages.push((recipients, message));
    }
    notifications::write_all(db, &messages, Some(actor.user_id)).await?;
    Ok(())
}

/// `submitDeputyReport`: a deputy submits a report to their congress's staff, who are told in the same
/// transaction. A retry with the same idempotency key returns the report the first request made.
pub async fn submit(
    store: &Store,
    actor: &Actor,
    input: ReportInput,
    idempotency_key: Option<&str>,
) -> Result<DeputyReport> {
    // Who asks comes first: a non-deputy learns nothing about the station they name.
    reporting_deputy(actor)?;
    let station_congress = match input.station_id {
        Some(id) => Some(
            liaison_station::Entity::find_by_id(id)
                .one(&store.db)
                .await?
                .ok_or("liaison station")?
                .congress_id,
        ),
        None => None,
    };
    let id = Uuid::now_v7();
    let event = DeputyReport::submit(actor, &input, station_congress, id, Utc::now())?;
    let report = DeputyReport::from_submitted(&event).ok_or_else(|| Error::Internal("submitted".into()))?;
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "submitDeputyReport" });
    let key = idem.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: id });
    let done = transaction::run_once(store, key, async |txn| {
        deputy_report::Entity::insert(row(&report)?).exec_without_returning(txn).await?;
        deputy_report_event::Entity::insert(event_row(&report, actor, &event, None)?)
            .exec_without_returning(txn)
            .await?;
        notify(txn, actor, &report, std::slice::from_ref(&event)).await
    })
    .await?;
    match done {
        Once::Done(()) => Ok(report),
        Once::Replayed(first) => load(&store.db, first).await,
    }
}

async fn load(db: &impl ConnectionTrait, id: Uuid) -> Result<DeputyReport> {
    let row = deputy_report::Entity::find_by_id(id).one(db).await?.ok_or("deputy report")?;
    aggregate(&row)
}

/// A staff or unit step on report `id`: one transaction under the report's row lock; CONFLICT when the
/// state does not allow it (a concurrent step won). A retry with the same idempotency key does not act
/// twice and answers with the report as it is.
pub async fn act(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    step: Step,
    idempotency: Option<Idempotency<'_>>,
) -> Result<DeputyReport> {
    let command = match step {
        Step::Accept => Command::Accept,
        Step::Forward { unit_id, note } => {
            // An unknown unit is reported only to those who may forward; others learn nothing from it.
            let unit = handling_unit::Entity::find_by_id(unit_id).one(&store.db).await?;
            let unit_congress_id = match unit {
                Some(u) => u.congress_id,
                None => Uuid::nil(),
            };
            Command::Forward { unit_id, unit_congress_id, note }
        }
        Step::Answer { text } => Command::Answer { text },
        Step::Compile { note } => Command::Compile { note },
        Step::Decline { reason } => Command::Decline { reason },
    };
    let key = idempotency.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: id });
    let done = transaction::run_once(store, key, async |txn| {
        let locked = transaction::lock::<deputy_report::Entity>(txn, id).await?;
        let mut report = aggregate(&locked)?;
        let events = report.decide(actor, &command, Utc::now())?;
        let read_version = report.version;
        let mut rows = Vec::with_capacity(events.len());
        for event in &events {
            let from = report.state;
            report.apply(event);
            rows.push(event_row(&report, actor, event, Some(from))?);
        }
        let mut saved = row(&report)?;
        saved.version = NotSet;
        let update = deputy_report::Entity::update_many().set(saved);
        transaction::save(txn, id, version(read_version), version(report.version), update).await?;
        deputy_report_event::Entity::insert_many(rows).exec_without_returning(txn).await.map_err(|e| {
            Error::unique_as_conflict(e, "the report was changed meanwhile; reload and try again")
        })?;
        notify(txn, actor, &report, &events).await?;
        Ok(report)
    })
    .await?;
    match done {
        Once::Done(report) => Ok(report),
        Once::Replayed(first) => find_for(&store.db, actor, first)
            .await?
            .ok_or_else(|| DomainError::NotFound("deputy report").into()),
    }
}

/// The report for those who may see it (its deputy, its congress's staff, the unit it was forwarded to);
/// `None` for anyone else, as for a report that does not exist.
pub async fn find_for(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> Result<Option<DeputyReport>> {
    let Some(row) = deputy_report::Entity::find_by_id(id).one(db).await? else { return Ok(None) };
    let report = aggregate(&row)?;
    Ok(may_view(actor, &report).then_some(report))
}

/// Narrows `deputyReports`.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    /// For admins (staff see their own congress only): the congress whose reports to list.
    pub congress_id: Option<Uuid>,
    pub state: Option<DeputyReportState>,
}

/// `deputyReports`: the reports the caller handles, oldest first: a congress's staff those of their
/// congress, a deputy their own, a unit's staff those forwarded to their unit. Anyone else is FORBIDDEN.
pub async fn list(
    store: &Store,
    actor: &Actor,
    filter: ReportFilter,
    request: PageRequest,
) -> Result<Page<DeputyReport>> {
    let scope = match (actor.role, actor.congress_id, actor.deputy_id, actor.unit_id) {
        (Role::Admin, _, _, _) => match filter.congress_id {
            Some(c) => Condition::all().add(deputy_report::Column::CongressId.eq(c)),
            None => Condition::all(),
        },
        (Role::CongressStaff, Some(c), _, _) => {
            if filter.congress_id.is_some_and(|f| f != c) {
                return Err(DomainError::forbidden("staff see the reports of their own congress").into());
            }
            Condition::all().add(deputy_report::Column::CongressId.eq(c))
        }
        (Role::Deputy, _, Some(d), _) => Condition::all().add(deputy_report::Column::DeputyId.eq(d)),
        (Role::UnitStaff, _, _, Some(u)) => {
            Condition::all().add(deputy_report::Column::ForwardedUnitId.eq(u))
        }
        _ => {
            return Err(DomainError::forbidden(
                "reports of constituents' views are for their deputies, the staff and the units they go to",
            )
            .into());
        }
    };
    let mut query = deputy_report::Entity::find().filter(scope);
    if let Some(state) = filter.state {
        query = query.filter(deputy_report::Column::State.eq(state.as_str()));
    }
    let total_count = query.clone().count(&store.db).await?;
    if let Some(after) = request.after {
        query = query.filter(deputy_report::Column::Id.gt(after));
    }
    let rows = query.order_by_asc(deputy_report::Column::Id).limit(request.first + 1).all(&store.db).await?;
    Page::from_overfetch(rows, request, total_count).try_map(|r| aggregate(&r))
}

/// The report's timeline, oldest step first, for those who may see the report (checked by the caller).
pub async fn timeline(db: &impl ConnectionTrait, report_id: Uuid) -> Result<Vec<ReportStep>> {
    let rows = deputy_report_event::Entity::find()
        .filter(deputy_report_event::Column::ReportId.eq(report_id))
        .order_by_asc(deputy_report_event::Column::Seq)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|r| {
            let parse = |what, raw: &str| crate::error::stored(what, r.id, DeputyReportState::parse(raw));
            Ok(ReportStep {
                kind: crate::error::stored("report step kind", r.id, DeputyReportEventKind::parse(&r.kind))?,
                actor_account_id: r.actor_account_id,
                actor_role: r.actor_role.clone(),
                from_state: r.from_state.as_deref().map(|s| parse("report state", s)).transpose()?,
                to_state: parse("report state", &r.to_state)?,
                note: r.note.clone(),
                at: r.at,
            })
        })
        .collect()
}

/// The reports of a congress's deputies (or of one deputy) submitted in `[from, to)` that count in the
/// archive (not declined): `(deputy, report, title, submitted at)`.
pub(crate) async fn archive_rows(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    all: bool,
) -> Result<Vec<(Uuid, Uuid, String, DeputyReportState, DateTime<Utc>)>> {
    let mut query = deputy_report::Entity::find()
        .select_only()
        .column(deputy_report::Column::DeputyId)
        .column(deputy_report::Column::Id)
        .column(deputy_report::Column::Title)
        .column(deputy_report::Column::State)
        .column(deputy_report::Column::SubmittedAt)
        .filter(deputy_report::Column::CongressId.eq(congress_id))
        .filter(deputy_report::Column::SubmittedAt.gte(from))
        .filter(deputy_report::Column::SubmittedAt.lt(to));
    if let Some(d) = deputy {
        query = query.filter(deputy_report::Column::DeputyId.eq(d));
    }
    if !all {
        query = query.filter(deputy_report::Column::State.ne(DeputyReportState::Declined.as_str()));
    }
    let rows: Vec<(Uuid, Uuid, String, String, DateTime<Utc>)> = query.into_tuple().all(db).await?;
    rows.into_iter()
        .map(|(deputy_id, id, title, state, at)| {
            Ok((
                deputy_id,
                id,
                title,
                crate::error::stored("report state", id, DeputyReportState::parse(&state))?,
                at,
            ))
        })
        .collect()
}
