//! Deputy QR tokens (代表二维码): issued when a deputy is created (or, for deputies older than QR codes,
//! the first time their code is asked for), shown to the deputy and their staff, and rotated on request,
//! after which the old token finds nothing.

use super::{Changed, forget};
use crate::entity::{deputy, deputy_qr};
use crate::error::Result;
use crate::{Error, Store, secrets};
use chrono::{DateTime, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::directory::{QrAction, QrOwner, QrToken, may_handle_qr};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// A deputy's current QR token.
#[derive(Debug, Clone)]
pub struct DeputyQr {
    pub deputy: super::Deputy,
    pub token: QrToken,
    /// When the token was last renewed; `None` if it is the first one.
    pub rotated_at: Option<DateTime<Utc>>,
}

fn new_token() -> Result<QrToken> {
    let raw = secrets::random_token()?;
    QrToken::parse(&raw).map_err(|e| Error::Internal(format!("random token has the wrong shape: {e}")))
}

fn stored(raw: &str) -> Result<QrToken> {
    QrToken::parse(raw).map_err(|_| Error::Internal("a stored QR token has the wrong shape".into()))
}

/// Gives a deputy that has no token yet its first one (at creation, inside the creating transaction).
pub(crate) async fn issue_first(db: &impl ConnectionTrait, deputy_id: Uuid) -> Result<()> {
    let token = new_token()?;
    deputy_qr::Entity::update_many()
        .col_expr(deputy_qr::Column::QrToken, Expr::value(token.as_str()))
        .filter(deputy_qr::Column::Id.eq(deputy_id))
        .filter(deputy_qr::Column::QrToken.is_null())
        .exec(db)
        .await?;
    Ok(())
}

async fn row(store: &Store, deputy_id: Uuid) -> Result<deputy_qr::Model> {
    Ok(deputy_qr::Entity::find_by_id(deputy_id).one(&store.db).await?.ok_or("deputy")?)
}

fn owner(row: &deputy_qr::Model) -> QrOwner {
    QrOwner { deputy_id: row.id, congress_id: row.congress_id, station_id: row.liaison_station_id }
}

/// The token of `row`, issuing the first one if the deputy has none. Two requests racing to issue both
/// end up with the one that was written first.
async fn current(store: &Store, row: deputy_qr::Model) -> Result<(QrToken, Option<DateTime<Utc>>)> {
    if let Some(token) = &row.qr_token {
        return Ok((stored(token)?, row.qr_rotated_at));
    }
    issue_first(&store.db, row.id).await?;
    let row = self::row(store, row.id).await?;
    let token = row.qr_token.as_deref().ok_or_else(|| Error::Internal("QR token was not issued".into()))?;
    Ok((stored(token)?, row.qr_rotated_at))
}

async fn with_deputy(
    store: &Store,
    id: Uuid,
    token: QrToken,
    rotated_at: Option<DateTime<Utc>>,
) -> Result<DeputyQr> {
    let deputy = deputy::Entity::find_by_id(id).one(&store.db).await?.ok_or("deputy")?;
    Ok(DeputyQr { deputy: super::Deputy::from_row(deputy)?, token, rotated_at })
}

/// The deputy's QR token, for those who may see the code: the deputy, the congress's staff, admins and the
/// workers of the deputy's station.
pub async fn for_viewer(store: &Store, actor: &Actor, deputy_id: Uuid) -> Result<DeputyQr> {
    let row = row(store, deputy_id).await?;
    may_handle_qr(actor, owner(&row), QrAction::View)?;
    let (token, rotated_at) = current(store, row).await?;
    with_deputy(store, deputy_id, token, rotated_at).await
}

/// Replaces the deputy's token with a new one: printed codes and shared links stop working, and the
/// public card of the old token is forgotten at once. The deputy, the congress's staff or an admin.
pub async fn rotate(store: &Store, actor: &Actor, deputy_id: Uuid) -> Result<DeputyQr> {
    let row = row(store, deputy_id).await?;
    may_handle_qr(actor, owner(&row), QrAction::Rotate)?;
    let token = new_token()?;
    let now = Utc::now();
    deputy_qr::Entity::update_many()
        .col_expr(deputy_qr::Column::QrToken, Expr::value(token.as_str()))
        .col_expr(deputy_qr::Column::QrRotatedAt, Expr::value(now))
        .filter(deputy_qr::Column::Id.eq(deputy_id))
        .exec(&store.db)
        .await?;
    if let Some(old) = &row.qr_token {
        forget(store, Changed::QrToken(old)).await;
    }
    with_deputy(store, deputy_id, token, Some(now)).await
}
