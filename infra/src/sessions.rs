//! Sessions: start, refresh-token rotation with reuse detection, revocation, and the check every request
//! makes.
//!
//! The `sessions` table is the authority. The cache only remembers its answer for a short while, so a
//! Redis outage or restart changes how often the database is asked, never the answer:
//! - [`is_active`] reads the cache first and asks the database when the cache misses or fails;
//! - every cache write is best-effort (logged, never the user's error);
//! - revocation writes `sessions.revoked_at`, the refresh tokens and an outbox message for the session's
//!   live sockets in one transaction, then marks the cache.
//!
//! Two cache keys per session, so a stale "active" can never mask a revocation: a reader that read the
//! database just before a revocation committed may store "active" after the revoker stored "revoked",
//! and the "revoked" key is read first.
//!
//! A revocation made while Redis is unreachable cannot clear the "active" mark other requests left
//! there. The instance keeps it in [`Unrecorded`]: it refuses the session itself at once, and writes the
//! mark as soon as the cache answers again, so other instances honour such a token at most until then
//! (and never longer than the "active" mark's minute).

use crate::entity::{account, outbox, refresh_token, session};
use crate::epoch::Reach;
use crate::error::Result;
use crate::feed::Topic;
use crate::secrets::{random_token, token_digest};
use crate::transaction;
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{RefreshOutcome, SessionPolicy};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::time::Duration;
use uuid::Uuid;

/// A started or renewed session. The API turns it into an access token; the refresh token goes to the
/// client once and is stored only as a digest.
#[derive(Debug, Clone)]
pub struct IssuedSession {
    pub account: crate::accounts::Account,
    /// The session, which is also the chain of refresh tokens (the "family"); access tokens carry it so
    /// that ending the session ends them too.
    pub session_id: Uuid,
    pub refresh_token: String,
}

/// How long the cache remembers that a session holds. A revocation the cache could not record (Redis
/// unreachable at that moment) is seen by every instance at most this much later.
const ACTIVE_TTL: Duration = Duration::from_secs(60);

fn active_key(session_id: Uuid) -> String {
    format!("session:active:{session_id}")
}

fn revoked_key(session_id: Uuid) -> String {
    format!("session:revoked:{session_id}")
}

/// Revocations committed while the cache was unreachable, not yet marked there. Per instance.
#[derive(Default)]
pub struct Unrecorded(std::sync::Mutex<std::collections::HashMap<Uuid, std::time::Instant>>);

impl Unrecorded {
    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<Uuid, std::time::Instant>> {
        // A plain map: consistent whatever panicked while it was held.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn add(&self, id: Uuid) {
        self.lock().insert(id, std::time::Instant::now() + revoked_ttl());
    }

    fn contains(&self, id: Uuid) -> bool {
        self.lock().get(&id).is_some_and(|until| *until > std::time::Instant::now())
    }

    fn remove(&self, id: Uuid) {
        self.lock().remove(&id);
    }

    /// The entries still worth recording (the expired ones are dropped).
    fn pending(&self) -> Vec<Uuid> {
        let now = std::time::Instant::now();
        let mut map = self.lock();
        map.retain(|_, until| *until > now);
        map.keys().copied().collect()
    }

    fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }
}

/// How long the cache remembers a revocation: until the session's last access token has expired anyway.
fn revoked_ttl() -> Duration {
    SessionPolicy::default().access_ttl.to_std().unwrap_or(Duration::from_secs(900)) + ACTIVE_TTL
}

/// Starts a session for an account that just proved who it is, with its first refresh token.
pub(crate) async fn start(store: &Store, account: account::Model) -> Result<IssuedSession> {
    let session_id = Uuid::now_v7();
    let row = session::ActiveModel {
        id: Set(session_id),
        account_id: Set(account.id),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
    };
    let refresh_token = transaction::run_reaching(store, Reach::NOTHING, async |txn| {
        session::Entity::insert(row).exec(txn).await?;
        insert_refresh_token(txn, account.id, session_id).await
    })
    .await?;
    remember(store, &active_key(session_id), ACTIVE_TTL).await;
    Ok(IssuedSession { account: crate::accounts::Account::from_row(account)?, session_id, refresh_token })
}

async fn insert_refresh_token(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    family_id: Uuid,
) -> Result<String> {
    let token = random_token()?;
    let now = Utc::now();
    let row = refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        account_id: Set(account_id),
        token_hash: Set(token_digest(&token)),
        expires_at: Set(now + SessionPolicy::default().refresh_ttl),
        rotated_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
    };
    refresh_token::Entity::insert(row).exec(db).await?;
    Ok(token)
}

/// Exchanges a refresh token for a new one of the same session. A token that was already exchanged is a
/// replay: the whole session is revoked.
pub async fn refresh(store: &Store, token: &str) -> Result<IssuedSession> {
    let refused = || Error::from(DomainError::Unauthenticated("refresh token is invalid or expired".into()));
    let row = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_digest(token)))
        .one(&store.db)
        .await?
        .ok_or_else(refused)?;
    let now = Utc::now();
    let outcome = SessionPolicy::default().on_refresh(
        now,
        row.expires_at,
        row.rotated_at.is_some(),
        row.revoked_at.is_some(),
    );
    match outcome {
        RefreshOutcome::Refuse => Err(refused()),
        RefreshOutcome::RevokeFamily => {
            revoke(store, row.family_id).await?;
            tracing::warn!(session = %row.family_id, "refresh token reused; session revoked");
            Err(DomainError::Unauthenticated("refresh token was already used; the session is revoked".into())
                .into())
        }
        RefreshOutcome::Rotate => {
            // Compare-and-set: of two concurrent refreshes with one token, one rotates and the other is
            // treated as the replay it is (the revocation is kept, so it commits).
            let rotated = transaction::run_reaching(store, Reach::NOTHING, async |txn| {
                let rotated = refresh_token::Entity::update_many()
                    .col_expr(refresh_token::Column::RotatedAt, Expr::value(now))
                    .filter(refresh_token::Column::Id.eq(row.id))
                    .filter(refresh_token::Column::RotatedAt.is_null())
                    .filter(refresh_token::Column::RevokedAt.is_null())
                    .exec(txn)
                    .await?;
                if rotated.rows_affected != 1 {
                    return Ok(Err(revoke_in(txn, &[row.family_id], now).await?));
                }
                Ok(Ok(insert_refresh_token(txn, row.account_id, row.family_id).await?))
            })
            .await?;
            let refresh_token = match rotated {
                Ok(token) => token,
                Err(ended) => {
                    after_revoke(store, &ended).await;
                    return Err(refused());
                }
            };
            let account =
                account::Entity::find_by_id(row.account_id).one(&store.db).await?.ok_or("account")?;
            let account = crate::accounts::Account::from_row(account)?;
            Ok(IssuedSession { account, session_id: row.family_id, refresh_token })
        }
    }
}

/// Ends a session (logout, refresh-token reuse): its refresh tokens stop working, its access tokens are
/// refused and its live sockets close, on every instance.
pub async fn revoke(store: &Store, session_id: Uuid) -> Result<()> {
    let ended = transaction::run_reaching(store, Reach::NOTHING, async |txn| {
        revoke_in(txn, &[session_id], Utc::now()).await
    })
    .await?;
    after_revoke(store, &ended).await;
    Ok(())
}

/// Ends, in the caller's transaction, every session of `account_id` but `keep`. Returns the sessions
/// ended, for [`after_revoke`] once the transaction has committed.
pub async fn revoke_others_in(
    txn: &impl ConnectionTrait,
    account_id: Uuid,
    keep: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>> {
    let others: Vec<Uuid> = session::Entity::find()
        .select_only()
        .column(session::Column::Id)
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::Id.ne(keep))
        .into_tuple()
        .all(txn)
        .await?;
    revoke_in(txn, &others, now).await
}

/// Ends sessions in the caller's transaction: the rows, their refresh tokens, and one outbox message per
/// session for its sockets. Returns the sessions it ended.
pub async fn revoke_in(txn: &impl ConnectionTrait, ids: &[Uuid], now: DateTime<Utc>) -> Result<Vec<Uuid>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::Id.is_in(ids.iter().copied()))
        .filter(session::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::FamilyId.is_in(ids.iter().copied()))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    let messages: Vec<outbox::ActiveModel> = ids
        .iter()
        .map(|id| {
            let ended = serde_json::json!({ "sessionId": id, "revokedAt": now });
            crate::outbox::message(&Topic::Session(*id), 1, &ended, now)
        })
        .collect::<Result<_>>()?;
    crate::outbox::add(txn, messages).await?;
    Ok(ids.to_vec())
}

/// After a revocation committed: wakes the relay (so sockets close at once) and marks the cache.
pub async fn after_revoke(store: &Store, ended: &[Uuid]) {
    if ended.is_empty() {
        return;
    }
    store.doorbell.ring();
    for id in ended {
        mark_revoked(store, *id).await;
    }
}

/// Records a revocation in the cache, or keeps it for later when the cache is unreachable.
async fn mark_revoked(store: &Store, id: Uuid) {
    let marked = store.cache.set_ex(&revoked_key(id), "1", revoked_ttl()).await;
    let cleared = match &marked {
        Ok(()) => store.cache.del(&active_key(id)).await,
        Err(_) => Ok(()),
    };
    match marked.and(cleared) {
        Ok(()) => store.unrecorded_revocations.remove(id),
        Err(e) => {
            tracing::warn!(error = %e, session = %id, "cache unreachable; revocation kept to mark later");
            store.unrecorded_revocations.add(id);
        }
    }
}

/// Writes the revocations the cache missed, now that it answers.
async fn record_unrecorded(store: &Store) {
    for id in store.unrecorded_revocations.pending() {
        mark_revoked(store, id).await;
    }
}

/// Whether access tokens of this session are still honoured. The cache answers when it knows; otherwise
/// (a miss, or the cache unreachable) the database does.
pub async fn is_active(store: &Store, session_id: Uuid) -> Result<bool> {
    let unrecorded = store.unrecorded_revocations.contains(session_id);
    let cached = store.cache.get_many(&[revoked_key(session_id), active_key(session_id)]).await;
    if cached.is_ok() && !store.unrecorded_revocations.is_empty() {
        record_unrecorded(store).await;
    }
    if unrecorded {
        return Ok(false);
    }
    let reachable = match cached.as_deref() {
        Ok([Some(_), _]) => return Ok(false),
        Ok([None, Some(_)]) => return Ok(true),
        Ok(_) => true,
        Err(e) => {
            tracing::warn!(error = %e, "cache unreachable; checking the session in the database");
            false
        }
    };
    let active = is_active_in_db(&store.db, session_id).await?;
    if reachable {
        if active {
            remember(store, &active_key(session_id), ACTIVE_TTL).await;
        } else {
            remember(store, &revoked_key(session_id), revoked_ttl()).await;
        }
    }
    Ok(active)
}

/// Listens for the end of a session: a message arrives when it is revoked (on any instance), and
/// [`crate::bus::Signal::Resync`] when messages may have been lost, after which [`is_active_in_db`] tells.
pub fn watch(store: &Store, session_id: Uuid) -> crate::bus::Subscription {
    store.bus.watch(&Topic::Session(session_id).key())
}

/// The database's answer alone: the session exists and has not ended.
pub async fn is_active_in_db(db: &impl ConnectionTrait, session_id: Uuid) -> Result<bool> {
    let revoked: Option<Option<DateTime<Utc>>> = session::Entity::find_by_id(session_id)
        .select_only()
        .column(session::Column::RevokedAt)
        .into_tuple()
        .one(db)
        .await?;
    Ok(matches!(revoked, Some(None)))
}

async fn remember(store: &Store, key: &str, ttl: Duration) {
    if let Err(e) = store.cache.set_ex(key, "1", ttl).await {
        tracing::warn!(error = %e, "cache unreachable; session state not cached");
    }
}
