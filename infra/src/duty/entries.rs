//! Self-reported entries: a deputy adds what happened outside the system; staff of the deputy's congress
//! verify or reject it once, and the deputy is told in the same transaction.

use crate::entity::duty_entry;
use crate::error::{Result, stored};
use crate::idempotency::Idempotency;
use crate::notifications::{self, Message};
use crate::transaction::{self, Key, Once};
use crate::{Page, PageRequest, Store};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::duty::points::EntryKind;
use edaibiao_domain::duty::record::{EntryStatus, NewDutyEntry, check_staff, decide, reporting_deputy};
use edaibiao_domain::notification::Audience;
use edaibiao_domain::time::cst_date;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// What a deputy reports.
#[derive(Debug, Clone)]
pub struct NewEntryInput {
    pub title: String,
    pub note: String,
    pub happened_on: NaiveDate,
    pub attachment_url: Option<String>,
}

/// A self-reported entry as read: its status is the domain's, read when the row is loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyEntry {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub deputy_id: Uuid,
    pub title: String,
    pub note: String,
    pub happened_on: NaiveDate,
    pub attachment_url: Option<String>,
    pub status: EntryStatus,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Why staff rejected it.
    pub reason: Option<String>,
    /// What it counts as once verified: VERIFIED_OTHER for a deputy's own entry, SESSION_SPEECH for a
    /// speech staff recorded.
    pub kind: EntryKind,
}

impl DutyEntry {
    fn from_row(row: duty_entry::Model) -> Result<Self> {
        Ok(Self {
            status: stored("duty entry status", row.id, EntryStatus::parse(&row.status))?,
            id: row.id,
            congress_id: row.congress_id,
            deputy_id: row.deputy_id,
            title: row.title,
            note: row.note,
            happened_on: row.happened_on,
            attachment_url: row.attachment_url,
            created_by: row.created_by,
            created_at: row.created_at,
            decided_by: row.decided_by,
            decided_at: row.decided_at,
            reason: row.reason,
            kind: match row.kind.as_deref() {
                Some(kind) => stored("duty entry kind", row.id, EntryKind::parse(kind))?,
                None => EntryKind::VerifiedOther,
            },
        })
    }
}

/// The notification kind telling a deputy that staff decided their entry.
pub const ENTRY_DECIDED: &str = "DUTY_ENTRY_DECIDED";

pub async fn load_entry(store: &Store, id: Uuid) -> Result<Option<DutyEntry>> {
    duty_entry::Entity::find_by_id(id).one(&store.db).await?.map(DutyEntry::from_row).transpose()
}

/// One entry, for those who read the deputy's archive (the deputy, staff of the congress); NOT_FOUND for
/// anyone else.
pub async fn entry_for(store: &Store, actor: &Actor, id: Uuid) -> Result<DutyEntry> {
    let entry = load_entry(store, id).await?.ok_or("duty entry")?;
    if edaibiao_domain::duty::record::may_read_record(actor, entry.deputy_id, entry.congress_id) {
        Ok(entry)
    } else {
        Err("duty entry".into())
    }
}

/// A new archive entry's row. Without a `kind` it is the deputy's own report, PENDING until staff decide;
/// with one, staff recorded it (the actor decides it at once), VERIFIED as that kind.
fn new_row(
    id: Uuid,
    (congress_id, deputy_id): (Uuid, Uuid),
    entry: NewDutyEntry,
    actor: &Actor,
    kind: Option<EntryKind>,
    now: DateTime<Utc>,
) -> duty_entry::ActiveModel {
    let decided = kind.is_some();
    let status = if decided { EntryStatus::Verified } else { EntryStatus::Pending };
    duty_entry::ActiveModel {
        id: Set(id),
        congress_id: Set(congress_id),
        deputy_id: Set(deputy_id),
        title: Set(entry.title),
        note: Set(entry.note),
        happened_on: Set(entry.happened_on),
        attachment_url: Set(entry.attachment_url),
        status: Set(status.as_str().to_owned()),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        decided_by: Set(decided.then_some(actor.user_id)),
        decided_at: Set(decided.then_some(now)),
        reason: Set(None),
        version: Set(1),
        kind: Set(kind.map(|k| k.as_str().to_owned())),
    }
}

/// `addDutyEntry`: a deputy adds an entry to their own archive, PENDING until staff decide. A retry with the
/// same idempotency key returns the entry the first request made.
pub async fn add_entry(
    store: &Store,
    actor: &Actor,
    input: NewEntryInput,
    idempotency_key: Option<&str>,
) -> Result<DutyEntry> {
    let (deputy_id, congress_id) = reporting_deputy(actor)?;
    let entry = NewDutyEntry::parse(
        &input.title,
        &input.note,
        input.happened_on,
        input.attachment_url.as_deref(),
        cst_date(Utc::now()),
    )?;
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "addDutyEntry" });
    let id = Uuid::now_v7();
    let row = new_row(id, (congress_id, deputy_id), entry, actor, None, Utc::now());
    let key = idem.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: id });
    let added = transaction::run_once(store, key, async |txn| {
        Ok(duty_entry::Entity::insert(row).exec_with_returning(txn).await?)
    })
    .await?;
    match added {
        Once::Done(saved) => DutyEntry::from_row(saved),
        // A retry of a request that is done (or finishing): answer with its result.
        Once::Replayed(done) => load_entry(store, done).await?.ok_or_else(|| "duty entry".into()),
    }
}

/// The notification kind telling a deputy that staff recorded a session speech in their archive.
pub const SPEECH_RECORDED: &str = "DUTY_SPEECH_RECORDED";

/// `recordSessionSpeech`: staff of the deputy's congress record a speech at a session (大会发言) in the
/// deputy's archive, verified at once, as SESSION_SPEECH; the deputy is told in the same transaction. A
/// retry with the same idempotency key returns the entry the first request made.
pub async fn record_speech(
    store: &Store,
    actor: &Actor,
    deputy_id: Uuid,
    input: NewEntryInput,
    idempotency_key: Option<&str>,
) -> Result<DutyEntry> {
    let congress_id = crate::entity::deputy::Entity::find_by_id(deputy_id)
        .one(&store.db)
        .await?
        .ok_or("deputy")?
        .congress_id;
    check_staff(actor, congress_id)?;
    let entry = NewDutyEntry::parse(
        &input.title,
        &input.note,
        input.happened_on,
        input.attachment_url.as_deref(),
        cst_date(Utc::now()),
    )?;
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "recordSessionSpeech" });
    let id = Uuid::now_v7();
    let now = Utc::now();
    let title = format!("大会发言已记入履职档案：{}", entry.title);
    let row = new_row(id, (congress_id, deputy_id), entry, actor, Some(EntryKind::SessionSpeech), now);
    let key = idem.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: id });
    let added = transaction::run_once(store, key, async |txn| {
        let saved = duty_entry::Entity::insert(row).exec_with_returning(txn).await?;
        let audience = [Audience::Deputy(deputy_id)];
        let subject = ("DutyEntry", id);
        notifications::tell_about(
            txn,
            &audience,
            SPEECH_RECORDED,
            &title,
            None,
            subject,
            Some(actor.user_id),
        )
        .await?;
        Ok(saved)
    })
    .await?;
    match added {
        Once::Done(saved) => DutyEntry::from_row(saved),
        Once::Replayed(done) => load_entry(store, done).await?.ok_or_else(|| "duty entry".into()),
    }
}

/// `decideDutyEntry`: staff of the deputy's congress verify or reject a pending entry; CONFLICT when it was
/// already decided (or a concurrent decision won). The deputy is notified in the same transaction.
pub async fn decide_entry(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    verify: bool,
    reason: Option<&str>,
) -> Result<DutyEntry> {
    let decided = transaction::run(store, async |txn| {
        let row = transaction::lock::<duty_entry::Entity>(txn, id).await?;
        check_staff(actor, row.congress_id)?;
        let current = stored("duty entry status", row.id, EntryStatus::parse(&row.status))?;
        let (status, reason) = decide(current, verify, reason)?;
        let now = Utc::now();
        let update = duty_entry::Entity::update_many()
            .col_expr(duty_entry::Column::Status, Expr::value(status.as_str()))
            .col_expr(duty_entry::Column::DecidedBy, Expr::value(actor.user_id))
            .col_expr(duty_entry::Column::DecidedAt, Expr::value(now))
            .col_expr(duty_entry::Column::Reason, Expr::value(reason.clone()));
        transaction::save(txn, id, row.version, row.version + 1, update).await?;
        let recipients = notifications::accounts_of(txn, &[Audience::Deputy(row.deputy_id)]).await?;
        let title = if status == EntryStatus::Verified {
            format!("履职记录已核实：{}", row.title)
        } else {
            format!("履职记录未通过：{}", row.title)
        };
        notifications::write(
            txn,
            &recipients,
            &Message {
                kind: ENTRY_DECIDED,
                title: &title,
                body: reason.clone(),
                subject_kind: "DutyEntry",
                subject_id: Some(id),
            },
            Some(actor.user_id),
        )
        .await?;
        Ok(duty_entry::Model {
            status: status.as_str().to_owned(),
            decided_by: Some(actor.user_id),
            decided_at: Some(now),
            reason,
            version: row.version + 1,
            ..row
        })
    })
    .await?;
    DutyEntry::from_row(decided)
}

/// `dutyEntries`: the congress's self-reported entries (of one status, if given), oldest first, for its
/// staff (to find what waits for a decision).
pub async fn list_entries(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    status: Option<EntryStatus>,
    request: PageRequest,
) -> Result<Page<DutyEntry>> {
    check_staff(actor, congress_id)?;
    let mut query = duty_entry::Entity::find().filter(duty_entry::Column::CongressId.eq(congress_id));
    if let Some(status) = status {
        query = query.filter(duty_entry::Column::Status.eq(status.as_str()));
    }
    let total_count = query.clone().count(&store.db).await?;
    if let Some(after) = request.after {
        query = query.filter(duty_entry::Column::Id.gt(after));
    }
    let items = query.order_by_asc(duty_entry::Column::Id).limit(request.first + 1).all(&store.db).await?;
    Page::from_overfetch(items, request, total_count).try_map(DutyEntry::from_row)
}
