//! Moderation of public content in storage (the rules are the domain's `moderation` module).
//!
//! A piece gets its item (`moderation_items`, one per piece by a unique index) with its first report or
//! staff's first decision, created under that index so two first reports make one item. Every change then
//! runs on the one path: lock the item, ask the domain, save over the version read, append the step
//! (`moderation_events`) and tell the author (and, when reports hide a piece, the congress's staff), all in
//! one transaction. Reports are one per account per piece (a unique index); a decision closes the open
//! ones, so a restored piece is hidden again only by accounts that had not reported it.
//!
//! Readers never see what is not VISIBLE: the content's own reads ask [`not_visible`] (a subquery for
//! lists) and [`states_among`] (for loaded rows), so lists, `node(id)`, search and the content's field
//! leave it out for everyone but staff of the congress and its author.

use crate::entity::{content_report, draft_comment, draft_law, moderation_event, moderation_item};
use crate::error::{Result, stored};
use crate::idempotency::Idempotency;
use crate::notifications::tell_about as tell;
use crate::page::{Page, PageRequest};
use crate::throttle::Throttle;
use crate::transaction::{self, Key, Once};
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::moderation::{
    self as dom, ContentKind, Decision, ModerationPolicy, ModerationState, Report, ReportReason, kinds,
};
use edaibiao_domain::notification::Audience;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, OnConflict, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// The subject kind of the notices (the GraphQL type they are about).
pub const ITEM_SUBJECT: &str = "ModerationItem";

/// A moderated piece, as staff of its congress see it.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: Uuid,
    pub kind: ContentKind,
    pub content_id: Uuid,
    pub congress_id: Uuid,
    pub state: ModerationState,
    pub open_reports: u32,
    pub total_reports: u32,
    pub hidden_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A report as staff read it (without who made it: reporters are not exposed to the author's side).
#[derive(Debug, Clone)]
pub struct ReportView {
    pub id: Uuid,
    pub reason: ReportReason,
    pub note: Option<String>,
    /// Not closed by a decision yet.
    pub open: bool,
    pub created_at: DateTime<Utc>,
}

/// A step of a piece: the state it went to, why, and when (staff's reason; none for hiding by reports).
#[derive(Debug, Clone)]
pub struct Step {
    pub state: ModerationState,
    pub reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub at: DateTime<Utc>,
}

/// A piece's state and the reason of the last decision, as its author and staff read them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    pub state: Option<ModerationState>,
    pub reason: Option<String>,
}

impl Standing {
    pub fn state(&self) -> ModerationState {
        self.state.unwrap_or(ModerationState::Visible)
    }
}

fn item_of(row: moderation_item::Model) -> Result<Item> {
    Ok(Item {
        id: row.id,
        kind: stored("content kind", row.id, ContentKind::parse(&row.content_kind))?,
        content_id: row.content_id,
        congress_id: row.congress_id,
        state: stored("moderation state", row.id, ModerationState::parse(&row.state))?,
        open_reports: u32::try_from(row.open_reports).unwrap_or(0),
        total_reports: u32::try_from(row.total_reports).unwrap_or(0),
        hidden_at: row.hidden_at,
        decided_at: row.decided_at,
        decision_reason: row.decision_reason,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Where a piece belongs and who wrote it.
struct Subject {
    congress_id: Uuid,
    author_account: Option<Uuid>,
    author_station: Option<Uuid>,
}

impl Subject {
    /// Who is told of decisions: the contact point's workers for what a contact point entered, otherwise the
    /// author's account; a phone commenter has none.
    fn audience(&self) -> Vec<Audience> {
        match (self.author_station, self.author_account) {
            (Some(station), _) => vec![Audience::Station(station)],
            (None, Some(account)) => vec![Audience::Account(account)],
            (None, None) => Vec::new(),
        }
    }
}

async fn subject(db: &impl ConnectionTrait, kind: ContentKind, content_id: Uuid) -> Result<Subject> {
    match kind {
        ContentKind::DraftComment => {
            let comment =
                draft_comment::Entity::find_by_id(content_id).one(db).await?.ok_or("draft comment")?;
            let draft = draft_law::Entity::find_by_id(comment.draft_id).one(db).await?.ok_or("draft law")?;
            Ok(Subject {
                congress_id: draft.congress_id,
                author_account: comment.account_id,
                author_station: comment.station_id,
            })
        }
    }
}

/// The piece's item, created VISIBLE if it has none (two first reports racing make one), locked.
async fn locked_item(
    txn: &DatabaseTransaction,
    kind: ContentKind,
    content_id: Uuid,
    subject: &Subject,
) -> Result<moderation_item::Model> {
    let now = Utc::now();
    moderation_item::Entity::insert(moderation_item::ActiveModel {
        id: Set(Uuid::now_v7()),
        content_kind: Set(kind.as_str().to_owned()),
        content_id: Set(content_id),
        congress_id: Set(subject.congress_id),
        author_account_id: Set(subject.author_account),
        author_station_id: Set(subject.author_station),
        state: Set(ModerationState::Visible.as_str().to_owned()),
        open_reports: Set(0),
        total_reports: Set(0),
        hidden_at: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(0),
    })
    .on_conflict(
        OnConflict::columns([moderation_item::Column::ContentKind, moderation_item::Column::ContentId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    let id: Uuid = moderation_item::Entity::find()
        .select_only()
        .column(moderation_item::Column::Id)
        .filter(moderation_item::Column::ContentKind.eq(kind.as_str()))
        .filter(moderation_item::Column::ContentId.eq(content_id))
        .into_tuple()
        .one(txn)
        .await?
        .ok_or("moderation item")?;
    transaction::lock::<moderation_item::Entity>(txn, id).await
}

async fn step(
    txn: &DatabaseTransaction,
    item_id: Uuid,
    state: ModerationState,
    actor: Option<Uuid>,
    reason: Option<&str>,
) -> Result<()> {
    moderation_event::Entity::insert(moderation_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        item_id: Set(item_id),
        kind: Set(state.as_str().to_owned()),
        actor_account_id: Set(actor),
        reason: Set(reason.map(str::to_owned)),
        at: Set(Utc::now()),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// A signed-in reader reports a piece they may read (not their own). The report that reaches the policy's
/// threshold hides the piece, tells its author and asks the congress's staff to decide. One report per
/// account per piece (CONFLICT after); 30 an hour per account. A retry with the same idempotency key
/// answers with the first report.
pub async fn report(
    store: &Store,
    policy: ModerationPolicy,
    actor: &Actor,
    kind: ContentKind,
    content_id: Uuid,
    report: Report,
    idempotency_key: Option<&str>,
) -> Result<ReportView> {
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "reportContent" });
    let key = idem.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: id });
    let done = transaction::run_once(store, key, async |txn| {
        let subject = subject(txn, kind, content_id).await?;
        let item = locked_item(txn, kind, content_id, &subject).await?;
        let state = stored("moderation state", item.id, ModerationState::parse(&item.state))?;
        dom::may_report(actor, subject.congress_id, subject.author_account, state)?;
        Throttle::new("moderation-report", &actor.user_id.to_string(), dom::REPORTS_PER_ACCOUNT)
            .hit(&store.cache)
            .await?;
        let inserted = content_report::Entity::insert(content_report::ActiveModel {
            id: Set(id),
            item_id: Set(item.id),
            reporter_account_id: Set(actor.user_id),
            reason: Set(report.reason.as_str().to_owned()),
            note: Set(report.note.clone()),
            open: Set(true),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([content_report::Column::ItemId, content_report::Column::ReporterAccountId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        if inserted == 0 {
            return Err(DomainError::conflict("you have reported this already").into());
        }
        let open = item.open_reports + 1;
        let next = policy.after_report(state, u32::try_from(open).unwrap_or(u32::MAX));
        let now = Utc::now();
        let mut update = moderation_item::Entity::update_many()
            .col_expr(moderation_item::Column::OpenReports, Expr::value(open))
            .col_expr(moderation_item::Column::TotalReports, Expr::value(item.total_reports + 1))
            .col_expr(moderation_item::Column::UpdatedAt, Expr::value(now));
        if next != state {
            update = update
                .col_expr(moderation_item::Column::State, Expr::value(next.as_str()))
                .col_expr(moderation_item::Column::HiddenAt, Expr::value(now));
        }
        transaction::save(txn, item.id, item.version, item.version + 1, update).await?;
        if next == ModerationState::Hidden && state != ModerationState::Hidden {
            step(txn, item.id, next, None, None).await?;
            tell(
                txn,
                &subject.audience(),
                kinds::HIDDEN,
                "您发布的内容被多次举报，已暂时隐藏，等待审核",
                None,
                (ITEM_SUBJECT, item.id),
                None,
            )
            .await?;
            tell(
                txn,
                &[Audience::Staff(subject.congress_id)],
                kinds::REVIEW_NEEDED,
                "有公开内容因被举报而隐藏，请审核",
                None,
                (ITEM_SUBJECT, item.id),
                None,
            )
            .await?;
        }
        Ok(id)
    })
    .await?;
    let id = match done {
        Once::Done(id) | Once::Replayed(id) => id,
    };
    let row = content_report::Entity::find_by_id(id).one(&store.db).await?.ok_or("content report")?;
    report_of(row)
}

fn report_of(row: content_report::Model) -> Result<ReportView> {
    Ok(ReportView {
        id: row.id,
        reason: stored("report reason", row.id, ReportReason::parse(&row.reason))?,
        note: row.note,
        open: row.open,
        created_at: row.created_at,
    })
}

/// Staff of the piece's congress restore or remove it, with a reason the author reads; the open reports
/// are closed and the author is told. The same decision twice (two staff at once included) is a CONFLICT
/// for the later one. A retry with the same idempotency key answers as the first.
pub async fn moderate(
    store: &Store,
    actor: &Actor,
    kind: ContentKind,
    content_id: Uuid,
    decision: Decision,
    reason: &str,
    idempotency_key: Option<&str>,
) -> Result<Item> {
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "moderateContent" });
    let key = idem.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: content_id });
    transaction::run_once(store, key, async |txn| {
        let subject = subject(txn, kind, content_id).await?;
        if !actor.is_staff_of(subject.congress_id) {
            // Before the item is created: someone who may not moderate leaves nothing behind.
            return Err(DomainError::forbidden("only staff of the congress moderate its content").into());
        }
        let item = locked_item(txn, kind, content_id, &subject).await?;
        let state = stored("moderation state", item.id, ModerationState::parse(&item.state))?;
        let (next, reason) = dom::decide(actor, subject.congress_id, state, decision, reason)?;
        let now = Utc::now();
        let update = moderation_item::Entity::update_many()
            .col_expr(moderation_item::Column::State, Expr::value(next.as_str()))
            .col_expr(moderation_item::Column::OpenReports, Expr::value(0))
            .col_expr(moderation_item::Column::DecidedBy, Expr::value(actor.user_id))
            .col_expr(moderation_item::Column::DecidedAt, Expr::value(now))
            .col_expr(moderation_item::Column::DecisionReason, Expr::value(reason.clone()))
            .col_expr(moderation_item::Column::UpdatedAt, Expr::value(now));
        transaction::save(txn, item.id, item.version, item.version + 1, update).await?;
        content_report::Entity::update_many()
            .col_expr(content_report::Column::Open, Expr::value(false))
            .filter(content_report::Column::ItemId.eq(item.id))
            .filter(content_report::Column::Open.eq(true))
            .exec(txn)
            .await?;
        step(txn, item.id, next, Some(actor.user_id), Some(&reason)).await?;
        let (what, title) = match decision {
            Decision::Restore => (kinds::RESTORED, "您发布的内容经审核已恢复显示"),
            Decision::Remove => (kinds::REMOVED, "您发布的内容经审核已被删除"),
        };
        tell(
            txn,
            &subject.audience(),
            what,
            title,
            Some(reason),
            (ITEM_SUBJECT, item.id),
            Some(actor.user_id),
        )
        .await?;
        Ok::<_, Error>(())
    })
    .await?;
    let row = moderation_item::Entity::find()
        .filter(moderation_item::Column::ContentKind.eq(kind.as_str()))
        .filter(moderation_item::Column::ContentId.eq(content_id))
        .one(&store.db)
        .await?
        .ok_or("moderation item")?;
    item_of(row)
}

/// The moderation queue of a congress for its staff: the pieces in `state` (HIDDEN, waiting for a
/// decision, unless asked otherwise), oldest first.
pub async fn queue(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    state: ModerationState,
    page: PageRequest,
) -> Result<Page<Item>> {
    dom::may_review(actor, congress_id)?;
    let query = moderation_item::Entity::find()
        .filter(moderation_item::Column::CongressId.eq(congress_id))
        .filter(moderation_item::Column::State.eq(state.as_str()));
    let total = query.clone().count(&store.db).await?;
    let mut query = query.order_by_asc(moderation_item::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(moderation_item::Column::Id.gt(after));
    }
    let rows = query.limit(page.first + 1).all(&store.db).await?;
    let items = rows.into_iter().map(item_of).collect::<Result<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page, total))
}

/// One item: staff of its congress only, NOT_FOUND for anyone else (the author reads the state on the
/// content itself).
pub async fn item_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<Item> {
    let row = moderation_item::Entity::find_by_id(id).one(&store.db).await?.ok_or("moderation item")?;
    if !actor.is_some_and(|a| a.is_staff_of(row.congress_id)) {
        return Err(DomainError::NotFound("moderation item").into());
    }
    item_of(row)
}

/// An item's reports, newest first (at most 100), for staff who already hold the item.
pub async fn reports(store: &Store, item: &Item) -> Result<Vec<ReportView>> {
    let rows = content_report::Entity::find()
        .filter(content_report::Column::ItemId.eq(item.id))
        .order_by_desc(content_report::Column::Id)
        .limit(100)
        .all(&store.db)
        .await?;
    rows.into_iter().map(report_of).collect()
}

/// An item's steps, oldest first, for staff who already hold the item.
pub async fn history(store: &Store, item: &Item) -> Result<Vec<Step>> {
    let rows = moderation_event::Entity::find()
        .filter(moderation_event::Column::ItemId.eq(item.id))
        .order_by_asc(moderation_event::Column::Id)
        .all(&store.db)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Step {
                state: stored("moderation step", row.id, ModerationState::parse(&row.kind))?,
                reason: row.reason,
                decided_by: row.actor_account_id,
                at: row.at,
            })
        })
        .collect()
}

/// The ids of the pieces of `kind` that are not VISIBLE, as a subquery for the content's lists.
pub(crate) fn not_visible(kind: ContentKind) -> SelectStatement {
    Query::select()
        .column(moderation_item::Column::ContentId)
        .from(moderation_item::Entity)
        .and_where(moderation_item::Column::ContentKind.eq(kind.as_str()))
        .and_where(moderation_item::Column::State.ne(ModerationState::Visible.as_str()))
        .to_owned()
}

/// The standing of the pieces of `kind` among `ids` that have an item (the others are VISIBLE).
pub(crate) async fn states_among(
    db: &impl ConnectionTrait,
    kind: ContentKind,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Standing>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, Uuid, String, Option<String>)> = moderation_item::Entity::find()
        .select_only()
        .column(moderation_item::Column::ContentId)
        .column(moderation_item::Column::Id)
        .column(moderation_item::Column::State)
        .column(moderation_item::Column::DecisionReason)
        .filter(moderation_item::Column::ContentKind.eq(kind.as_str()))
        .filter(moderation_item::Column::ContentId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(content, item, state, reason)| {
            let state = stored("moderation state", item, ModerationState::parse(&state))?;
            Ok((content, Standing { state: Some(state), reason }))
        })
        .collect()
}
