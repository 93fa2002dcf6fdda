//! The notification inbox: notices written in the transaction of what caused them (an outbox), and each
//! person's reading of them.

use crate::Error;
use crate::Store;
use crate::entity::{account, deputy, notification, project_follower, suggestion_follower};
use crate::error::Result;
use crate::feed::Topic;
use crate::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use edaibiao_domain::account::Role;
use edaibiao_domain::notification::Audience;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

/// The accounts behind audiences, in one query.
pub async fn accounts_of(db: &impl ConnectionTrait, audience: &[Audience]) -> Result<Vec<Uuid>> {
    if audience.is_empty() {
        return Ok(Vec::new());
    }
    let mut any = Condition::any();
    for a in audience {
        any = any.add(match a {
            Audience::Deputy(d) => Condition::all().add(account::Column::DeputyId.eq(*d)),
            Audience::Unit(u) => Condition::all()
                .add(account::Column::UnitId.eq(*u))
                .add(account::Column::Role.eq(Role::UnitStaff.as_str())),
            Audience::Staff(c) => Condition::all()
                .add(account::Column::CongressId.eq(*c))
                .add(account::Column::Role.eq(Role::CongressStaff.as_str())),
            Audience::Station(s) => Condition::all()
                .add(account::Column::StationId.eq(*s))
                .add(account::Column::Role.eq(Role::StationStaff.as_str())),
            Audience::Account(id) => Condition::all().add(account::Column::Id.eq(*id)),
            Audience::Followers(s) => Condition::all().add(
                account::Column::Id.in_subquery(
                    Query::select()
                        .column(suggestion_follower::Column::AccountId)
                        .from(suggestion_follower::Entity)
                        .and_where(suggestion_follower::Column::SuggestionId.eq(*s))
                        .to_owned(),
                ),
            ),
            Audience::ProjectFollowers(p) => Condition::all().add(
                account::Column::Id.in_subquery(
                    Query::select()
                        .column(project_follower::Column::AccountId)
                        .from(project_follower::Entity)
                        .and_where(project_follower::Column::ProjectId.eq(*p))
                        .to_owned(),
                ),
            ),
            Audience::Deputies(c) => Condition::all().add(
                account::Column::DeputyId.in_subquery(
                    Query::select()
                        .column(deputy::Column::Id)
                        .from(deputy::Entity)
                        .and_where(deputy::Column::CongressId.eq(*c))
                        .to_owned(),
                ),
            ),
        });
    }
    let mut ids: Vec<Uuid> = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(any)
        .into_tuple()
        .all(db)
        .await?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Tells `audience` of `message`, in the caller's transaction: [`accounts_of`] then [`write`].
pub async fn tell(
    db: &impl ConnectionTrait,
    audience: &[Audience],
    message: &Message<'_>,
    except: Option<Uuid>,
) -> Result<()> {
    let recipients = accounts_of(db, audience).await?;
    write(db, &recipients, message, except).await?;
    Ok(())
}

/// Tells `audience` of a notice of `kind` about `subject` (its kind and id), in the caller's transaction:
/// [`tell`] for the capabilities whose notices are a title and an optional body.
pub async fn tell_about(
    db: &impl ConnectionTrait,
    audience: &[Audience],
    kind: &str,
    title: &str,
    body: Option<String>,
    subject: (&str, Uuid),
    except: Option<Uuid>,
) -> Result<()> {
    let message = Message { kind, title, body, subject_kind: subject.0, subject_id: Some(subject.1) };
    tell(db, audience, &message, except).await
}

/// What a notice says and what it is about.
#[derive(Debug, Clone)]
pub struct Message<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub body: Option<String>,
    pub subject_kind: &'a str,
    pub subject_id: Option<Uuid>,
}

/// Writes one notification per account, in the caller's transaction. `except` (the person who acted) is
/// not told about their own action.
pub async fn write(
    db: &impl ConnectionTrait,
    recipients: &[Uuid],
    message: &Message<'_>,
    except: Option<Uuid>,
) -> Result<usize> {
    write_all(db, &[(recipients.to_vec(), message.clone())], except).await
}

/// Writes several messages' notifications in the caller's transaction, each with the next number of its
/// inbox, and puts each in the outbox for live subscribers.
///
/// The inbox counters are row-locked until the transaction ends, so within one inbox numbers commit in
/// order: whoever sees number n can rely on 1..n being there. Counters are taken in account order, so two
/// transactions that tell the same people cannot deadlock each other.
pub async fn write_all(
    db: &impl ConnectionTrait,
    messages: &[(Vec<Uuid>, Message<'_>)],
    except: Option<Uuid>,
) -> Result<usize> {
    let mut per_account: std::collections::BTreeMap<Uuid, Vec<&Message<'_>>> = Default::default();
    for (recipients, message) in messages {
        for account in recipients.iter().filter(|id| Some(**id) != except) {
            per_account.entry(*account).or_default().push(message);
        }
    }
    let now = Utc::now();
    let (mut rows, mut outbox) = (Vec::new(), Vec::new());
    for (account_id, messages) in per_account {
        let count = i64::try_from(messages.len()).unwrap_or(i64::MAX);
        let last = next_seq(db, account_id, count).await?;
        for (seq, message) in (last - count + 1..).zip(messages) {
            let model = notification::Model {
                id: Uuid::now_v7(),
                account_id,
                kind: message.kind.to_owned(),
                title: message.title.to_owned(),
                body: message.body.clone(),
                subject_kind: message.subject_kind.to_owned(),
                subject_id: message.subject_id,
                created_at: now,
                read_at: None,
                seq: Some(seq),
                push_state: PushState::Pending.as_str().to_owned(),
                push_attempts: 0,
                push_next_at: Some(now),
                push_error: None,
            };
            outbox.push(crate::outbox::message(&Topic::Inbox(account_id), seq, &model, now)?);
            rows.push(notification::ActiveModel::from(model).reset_all());
        }
    }
    let written = rows.len();
    if written > 0 {
        notification::Entity::insert_many(rows).exec(db).await?;
        crate::outbox::add(db, outbox).await?;
    }
    Ok(written)
}

/// Reserves the next `count` numbers of an account's inbox and returns the last one.
async fn next_seq(db: &impl ConnectionTrait, account_id: Uuid, count: i64) -> Result<i64> {
    let backend = db.get_database_backend();
    let values = match backend {
        DbBackend::Postgres => "($1, $2)",
        _ => "(?, ?)",
    };
    let sql = format!(
        "INSERT INTO inbox_counters (account_id, last_seq) VALUES {values} ON CONFLICT (account_id) \
         DO UPDATE SET last_seq = inbox_counters.last_seq + excluded.last_seq RETURNING last_seq"
    );
    let statement = Statement::from_sql_and_values(backend, sql, [account_id.into(), count.into()]);
    let row = db.query_one_raw(statement).await?.ok_or_else(|| Error::Internal("no inbox seq".into()))?;
    Ok(row.try_get("", "last_seq")?)
}

/// Where a notification stands on its way to the person's phones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushState {
    /// Waiting for the push dispatcher.
    Pending,
    /// Handed to the push gateway.
    Sent,
    /// Not pushed: no device, the category is muted, or no gateway is configured.
    Skipped,
    /// Waiting for the person's daily digest.
    Digest,
    /// Summed up in a daily digest.
    Digested,
    /// The gateway refused it, or kept failing until the retries ran out.
    Failed,
    /// Too old to be worth pushing by the time the dispatcher saw it.
    Expired,
}

impl PushState {
    pub fn as_str(self) -> &'static str {
        match self {
            PushState::Pending => "PENDING",
            PushState::Sent => "SENT",
            PushState::Skipped => "SKIPPED",
            PushState::Digest => "DIGEST",
            PushState::Digested => "DIGESTED",
            PushState::Failed => "FAILED",
            PushState::Expired => "EXPIRED",
        }
    }
}

/// A notification in an account's inbox, as its recipient reads it (the push delivery state stays here).
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: Uuid,
    /// What happened: an open set of names (e.g. `DUTY_ENTRY_DECIDED`), so a kind this build does not know
    /// is still shown.
    pub kind: String,
    pub title: String,
    pub body: Option<String>,
    /// The GraphQL type of the thing it is about.
    pub subject_kind: String,
    pub subject_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl From<notification::Model> for Notification {
    fn from(row: notification::Model) -> Self {
        Self {
            id: row.id,
            kind: row.kind,
            title: row.title,
            body: row.body,
            subject_kind: row.subject_kind,
            subject_id: row.subject_id,
            created_at: row.created_at,
            read_at: row.read_at,
        }
    }
}

/// A page of the account's inbox, newest first.
pub async fn inbox(
    store: &Store,
    account_id: Uuid,
    unread_only: bool,
    request: PageRequest,
) -> Result<Page<Notification>> {
    let mut select = notification::Entity::find().filter(notification::Column::AccountId.eq(account_id));
    if unread_only {
        select = select.filter(notification::Column::ReadAt.is_null());
    }
    let total = select.clone().count(&store.db).await?;
    let mut query = select.order_by_desc(notification::Column::Id).limit(request.first + 1);
    if let Some(after) = request.after {
        query = query.filter(notification::Column::Id.lt(after));
    }
    Page::from_overfetch(query.all(&store.db).await?, request, total).try_map(|row| Ok(row.into()))
}

/// One notification of the account's inbox; `None` when there is none with that id, or it is someone
/// else's (their existence is not told).
pub async fn find_for(store: &Store, account_id: Uuid, id: Uuid) -> Result<Option<Notification>> {
    Ok(notification::Entity::find_by_id(id)
        .filter(notification::Column::AccountId.eq(account_id))
        .one(&store.db)
        .await?
        .map(Into::into))
}

pub async fn unread_count(store: &Store, account_id: Uuid) -> Result<u64> {
    Ok(notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(&store.db)
        .await?)
}

/// Marks the given notifications of the account read (others' ids are ignored); `None` marks all.
/// Returns how many changed.
pub async fn mark_read(store: &Store, account_id: Uuid, ids: Option<&[Uuid]>) -> Result<u64> {
    let mut update = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::AccountId.eq(account_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(ids) = ids {
        update = update.filter(notification::Column::Id.is_in(ids.iter().copied()));
    }
    Ok(update.exec(&store.db).await?.rows_affected)
}
