//! The notification inbox: notices written in the transaction of what caused them (an outbox), and each
//! person's reading of them.

use crate::Store;
use crate::entity::{account, notification};
use crate::error::Result;
use crate::page::{Page, PageRequest};
use chrono::Utc;
use edaibiao_domain::account::Role;
use edaibiao_domain::suggestion::Audience;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
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
    let now = Utc::now();
    let rows: Vec<notification::ActiveModel> = recipients
        .iter()
        .filter(|id| Some(**id) != except)
        .map(|account_id| notification::ActiveModel {
            id: Set(Uuid::now_v7()),
            account_id: Set(*account_id),
            kind: Set(message.kind.to_owned()),
            title: Set(message.title.to_owned()),
            body: Set(message.body.clone()),
            subject_kind: Set(message.subject_kind.to_owned()),
            subject_id: Set(message.subject_id),
            created_at: Set(now),
            read_at: Set(None),
        })
        .collect();
    let written = rows.len();
    if written > 0 {
        notification::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(written)
}

/// A page of the account's inbox, newest first.
pub async fn inbox(
    store: &Store,
    account_id: Uuid,
    unread_only: bool,
    request: PageRequest,
) -> Result<Page<notification::Model>> {
    let mut select = notification::Entity::find().filter(notification::Column::AccountId.eq(account_id));
    if unread_only {
        select = select.filter(notification::Column::ReadAt.is_null());
    }
    let total = select.clone().count(&store.db).await?;
    let mut query = select.order_by_desc(notification::Column::Id).limit(request.first + 1);
    if let Some(after) = request.after {
        query = query.filter(notification::Column::Id.lt(after));
    }
    Ok(Page::from_overfetch(query.all(&store.db).await?, request, total))
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
