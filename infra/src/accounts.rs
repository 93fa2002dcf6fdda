//! Accounts and sessions: registration, login with throttling, refresh-token rotation with reuse
//! detection, logout and password change.

use crate::entity::{account, deputy, liaison_station, refresh_token};
use crate::error::Result;
use crate::secrets::{dummy_hash, hash_password, random_token, token_digest, verify_password};
use crate::{Error, Store};
use chrono::Utc;
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{
    Actor, Affiliation, LoginThrottle, NewPassword, Phone, RefreshOutcome, Role, SessionPolicy,
    may_create_account,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use std::time::Duration;
use uuid::Uuid;

/// A started or renewed session. The API turns it into an access token; the refresh token goes to the
/// client once and is stored only as a digest.
#[derive(Debug, Clone)]
pub struct IssuedSession {
    pub account: account::Model,
    /// Identifies the chain of refresh tokens (the "family"); access tokens carry it so that logging out
    /// ends them too.
    pub session_id: Uuid,
    pub refresh_token: String,
}

/// What a new account needs.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub phone: Phone,
    pub name: String,
    pub password: NewPassword,
    pub role: Role,
    pub affiliation: Affiliation,
}

const UNAUTHENTICATED_LOGIN: &str = "wrong phone number or password";

fn revoked_session_key(session_id: Uuid) -> String {
    format!("session:revoked:{session_id}")
}

fn login_failures_key(phone: &Phone) -> String {
    format!("login:failures:{}", phone.as_str())
}

/// Turns an account into the actor that rules look at.
pub fn actor_of(account: &account::Model, deputy_congress: Option<Uuid>) -> Result<Actor> {
    Ok(Actor {
        user_id: account.id,
        role: Role::parse(&account.role)?,
        congress_id: account.congress_id.or(deputy_congress),
        unit_id: account.unit_id,
        deputy_id: account.deputy_id,
        station_id: account.station_id,
    })
}

/// The congress a deputy account belongs to, through its deputy profile.
pub async fn deputy_congress(db: &impl ConnectionTrait, account: &account::Model) -> Result<Option<Uuid>> {
    let Some(deputy_id) = account.deputy_id else { return Ok(None) };
    Ok(deputy::Entity::find_by_id(deputy_id).one(db).await?.map(|d| d.congress_id))
}

pub async fn find(store: &Store, id: Uuid) -> Result<account::Model> {
    account::Entity::find_by_id(id).one(&store.db).await?.ok_or_else(|| "account".into())
}

async fn hash_blocking(password: NewPassword) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| Error::Internal(format!("hashing task failed: {e}")))?
}

async fn verify_blocking(password: String, stored: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || verify_password(&password, &stored))
        .await
        .map_err(|e| Error::Internal(format!("verify task failed: {e}")))
}

pub(crate) async fn insert_account(db: &impl ConnectionTrait, new: NewAccount) -> Result<account::Model> {
    let NewAccount { phone, name, password, role, affiliation } = new;
    let now = Utc::now();
    let model = account::ActiveModel {
        id: Set(Uuid::now_v7()),
        phone: Set(phone.as_str().to_owned()),
        password_hash: Set(hash_blocking(password).await?),
        name: Set(name),
        role: Set(role.as_str().to_owned()),
        congress_id: Set(affiliation.congress_id),
        unit_id: Set(affiliation.unit_id),
        deputy_id: Set(affiliation.deputy_id),
        station_id: Set(affiliation.station_id),
        created_at: Set(now),
        updated_at: Set(now),
    };
    account::Entity::insert(model)
        .exec_with_returning(db)
        .await
        .map_err(|e| Error::unique_as_conflict(e, "this phone number or deputy already has an account"))
}

/// Creates an account on behalf of `actor` (admins and congress staff; see the domain rule).
pub async fn create(store: &Store, actor: &Actor, new: NewAccount) -> Result<account::Model> {
    new.affiliation.check_for(new.role)?;
    let linked_congress = match (new.affiliation.deputy_id, new.affiliation.station_id) {
        (Some(id), _) => {
            Some(deputy::Entity::find_by_id(id).one(&store.db).await?.ok_or("deputy")?.congress_id)
        }
        (None, Some(id)) => Some(
            liaison_station::Entity::find_by_id(id)
                .one(&store.db)
                .await?
                .ok_or("liaison station")?
                .congress_id,
        ),
        (None, None) => None,
    };
    may_create_account(actor, new.role, &new.affiliation, linked_congress)?;
    insert_account(&store.db, new).await
}

/// A citizen signs up and is logged in at once.
pub async fn register_citizen(
    store: &Store,
    phone: Phone,
    name: String,
    password: NewPassword,
) -> Result<IssuedSession> {
    let new = NewAccount { phone, name, password, role: Role::Citizen, affiliation: Affiliation::default() };
    let account = insert_account(&store.db, new).await?;
    start_session(store, account).await
}

async fn start_session(store: &Store, account: account::Model) -> Result<IssuedSession> {
    let session_id = Uuid::now_v7();
    let refresh_token = insert_refresh_token(&store.db, account.id, session_id).await?;
    Ok(IssuedSession { account, session_id, refresh_token })
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

/// Logs in with phone and password. Failed attempts per phone are counted in the cache and throttled.
pub async fn login(
    store: &Store,
    phone: &str,
    password: &str,
    throttle: LoginThrottle,
) -> Result<IssuedSession> {
    let phone =
        Phone::parse(phone).map_err(|_| DomainError::Unauthenticated(UNAUTHENTICATED_LOGIN.into()))?;
    let key = login_failures_key(&phone);
    let (failures, left) = store.cache.window_count(&key).await?;
    throttle.check(failures, left)?;

    let account =
        account::Entity::find().filter(account::Column::Phone.eq(phone.as_str())).one(&store.db).await?;
    let stored = account.as_ref().map_or_else(|| dummy_hash().to_owned(), |a| a.password_hash.clone());
    let matches = verify_blocking(password.to_owned(), stored).await?;
    match account {
        Some(account) if matches => {
            store.cache.del(&key).await?;
            start_session(store, account).await
        }
        _ => {
            store.cache.window_incr(&key, Duration::from_secs(throttle.window_secs)).await?;
            Err(DomainError::Unauthenticated(UNAUTHENTICATED_LOGIN.into()).into())
        }
    }
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
            revoke_session(store, row.family_id).await?;
            tracing::warn!(session = %row.family_id, "refresh token reused; session revoked");
            Err(DomainError::Unauthenticated("refresh token was already used; the session is revoked".into())
                .into())
        }
        RefreshOutcome::Rotate => {
            let txn = store.db.begin().await?;
            // Compare-and-set: of two concurrent refreshes with one token, one rotates and the other is
            // treated as the replay it is.
            let rotated = refresh_token::Entity::update_many()
                .col_expr(refresh_token::Column::RotatedAt, Expr::value(now))
                .filter(refresh_token::Column::Id.eq(row.id))
                .filter(refresh_token::Column::RotatedAt.is_null())
                .filter(refresh_token::Column::RevokedAt.is_null())
                .exec(&txn)
                .await?;
            if rotated.rows_affected != 1 {
                txn.rollback().await?;
                revoke_session(store, row.family_id).await?;
                return Err(refused());
            }
            let refresh_token = insert_refresh_token(&txn, row.account_id, row.family_id).await?;
            txn.commit().await?;
            let account = find(store, row.account_id).await?;
            Ok(IssuedSession { account, session_id: row.family_id, refresh_token })
        }
    }
}

/// Ends a session: its refresh tokens stop working at once, and its access tokens are refused until
/// they expire.
pub async fn revoke_session(store: &Store, session_id: Uuid) -> Result<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(session_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&store.db)
        .await?;
    let ttl = SessionPolicy::default().access_ttl.to_std().unwrap_or(Duration::from_secs(900));
    store.cache.set_ex(&revoked_session_key(session_id), "1", ttl + Duration::from_secs(60)).await
}

/// Whether access tokens of this session must be refused.
///
/// While the cache is unreachable this answers "not revoked" (and logs): the API keeps serving, and a
/// logged-out session's access token works at most until it expires (15 minutes); its refresh token is
/// revoked in the database regardless.
pub async fn is_session_revoked(store: &Store, session_id: Uuid) -> Result<bool> {
    match store.cache.get_many(&[revoked_session_key(session_id)]).await {
        Ok(found) => Ok(found.first().is_some_and(Option::is_some)),
        Err(e) => {
            tracing::warn!(error = %e, "cannot check session revocation; cache unreachable");
            Ok(false)
        }
    }
}

/// Changes the password after checking the current one, and ends every other session of the account.
pub async fn change_password(
    store: &Store,
    actor: &Actor,
    current_session: Uuid,
    current_password: &str,
    new_password: NewPassword,
) -> Result<()> {
    let account = find(store, actor.user_id).await?;
    if !verify_blocking(current_password.to_owned(), account.password_hash.clone()).await? {
        return Err(DomainError::invalid("currentPassword", "is wrong").into());
    }
    let hash = hash_blocking(new_password).await?;
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(hash))
        .col_expr(account::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(account::Column::Id.eq(account.id))
        .exec(&store.db)
        .await?;
    let families: Vec<Uuid> = refresh_token::Entity::find()
        .select_only()
        .column(refresh_token::Column::FamilyId)
        .distinct()
        .filter(refresh_token::Column::AccountId.eq(account.id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .filter(refresh_token::Column::FamilyId.ne(current_session))
        .into_tuple()
        .all(&store.db)
        .await?;
    for family in families {
        revoke_session(store, family).await?;
    }
    Ok(())
}
