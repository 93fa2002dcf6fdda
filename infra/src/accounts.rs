//! Accounts: registration, login with throttling and password change. Sessions themselves (start,
//! refresh, revocation, the per-request check) are in [`crate::sessions`].

use crate::entity::{
    account, congress, deputy, device, handling_unit, inbox_counter, liaison_station, notification,
    notification_preference, opinion, project_follower, suggestion_follower,
};
use crate::error::{Result, stored};
use crate::one_time_code::{self, CodeKind};
use crate::opinions::erasure;
use crate::secrets::{dummy_hash, hash_password, verify_password};
use crate::sms::SmsSender;
use crate::throttle::{self, Throttle};
use crate::transaction;
use crate::vault::Vault;
use crate::{Error, Store, sessions};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::verification::{
    ACCOUNT_CODE, CODE_REQUESTS_PER_ADDRESS, CODE_REQUESTS_PER_PHONE, CodePurpose,
};
use edaibiao_domain::account::{
    Actor, Affiliation, DELETED_ACCOUNT_NAME, LOGIN_ATTEMPTS_PER_ADDRESS, LOGIN_ATTEMPTS_PER_PHONE,
    NewPassword, Phone, Role, may_create_account, may_delete_own_account,
};
use edaibiao_domain::opinion::{ErasureReason, OpinionPolicy};
use edaibiao_domain::privacy::{Consent, PrivacyPurpose};
use edaibiao_domain::text::PersonName;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

pub use crate::sessions::IssuedSession;

/// An account as the rest of the system reads it: who the person is and what they are tied to. The
/// password hash stays in this crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: Uuid,
    /// The login phone as stored; the API masks it for everyone but the holder and admins.
    pub phone: String,
    pub name: String,
    pub role: Role,
    pub congress_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub deputy_id: Option<Uuid>,
    pub station_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl Account {
    pub(crate) fn from_row(row: account::Model) -> Result<Self> {
        Ok(Self {
            role: stored("account role", row.id, Role::parse(&row.role))?,
            id: row.id,
            phone: row.phone,
            name: row.name,
            congress_id: row.congress_id,
            unit_id: row.unit_id,
            deputy_id: row.deputy_id,
            station_id: row.station_id,
            created_at: row.created_at,
        })
    }
}

/// What a new account needs.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub phone: Phone,
    pub name: PersonName,
    pub password: NewPassword,
    pub role: Role,
    pub affiliation: Affiliation,
}

const UNAUTHENTICATED_LOGIN: &str = "wrong phone number or password";

/// Wrong passwords tried for one phone (login and password change), keyed by the phone's digest.
fn login_phone_throttle(vault: &Vault, phone: &str) -> Throttle {
    Throttle::new("login:phone", &vault.phone_digest(phone), LOGIN_ATTEMPTS_PER_PHONE)
}

/// Wrong passwords tried from one client address, over every phone.
fn login_address_throttle(vault: &Vault, client_address: &str) -> Throttle {
    Throttle::new("login:address", &vault.address_digest(client_address), LOGIN_ATTEMPTS_PER_ADDRESS)
}

/// Turns an account into the actor that rules look at.
pub fn actor_of(account: &Account, deputy_congress: Option<Uuid>) -> Result<Actor> {
    Ok(Actor {
        user_id: account.id,
        role: account.role,
        congress_id: account.congress_id.or(deputy_congress),
        unit_id: account.unit_id,
        deputy_id: account.deputy_id,
        station_id: account.station_id,
    })
}

/// The congress a deputy account belongs to, through its deputy profile.
pub async fn deputy_congress(db: &impl ConnectionTrait, account: &Account) -> Result<Option<Uuid>> {
    let Some(deputy_id) = account.deputy_id else { return Ok(None) };
    Ok(deputy::Entity::find_by_id(deputy_id).one(db).await?.map(|d| d.congress_id))
}

pub async fn find(store: &Store, id: Uuid) -> Result<Account> {
    let row = account::Entity::find_by_id(id).one(&store.db).await?;
    Account::from_row(row.ok_or("account")?)
}

/// The account that logs in with `phone`, if there is one.
pub async fn with_phone(store: &Store, phone: &Phone) -> Result<Option<Account>> {
    find_by_phone(&store.db, phone).await?.map(Account::from_row).transpose()
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
        name: Set(name.into_string()),
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
pub async fn create(store: &Store, actor: &Actor, new: NewAccount) -> Result<Account> {
    new.affiliation.check_for(new.role)?;
    // The congress of whatever the account is tied to, so the rule can compare it with the creator's.
    let a = &new.affiliation;
    let linked_congress = if let Some(id) = a.deputy_id {
        Some(deputy::Entity::find_by_id(id).one(&store.db).await?.ok_or("deputy")?.congress_id)
    } else if let Some(id) = a.station_id {
        Some(
            liaison_station::Entity::find_by_id(id)
                .one(&store.db)
                .await?
                .ok_or("liaison station")?
                .congress_id,
        )
    } else if let Some(id) = a.unit_id {
        Some(handling_unit::Entity::find_by_id(id).one(&store.db).await?.ok_or("handling unit")?.congress_id)
    } else if let Some(id) = a.congress_id {
        Some(congress::Entity::find_by_id(id).one(&store.db).await?.ok_or("congress")?.id)
    } else {
        None
    };
    may_create_account(actor, new.role, &new.affiliation, linked_congress)?;
    Account::from_row(insert_account(&store.db, new).await?)
}

/// A citizen signs up with the code sent to `phone` by [`request_code`] (`CodePurpose::Registration`),
/// and is logged in at once. A wrong, expired or missing code is a bad input on `code`, whether or not the
/// phone has an account; tries are bounded by the code's policy and counted before the comparison. The
/// password is hashed only once the code matched.
pub async fn register_citizen(
    store: &Store,
    vault: &Vault,
    phone: Phone,
    code: &str,
    name: PersonName,
    password: NewPassword,
    consent: Consent,
) -> Result<IssuedSession> {
    let code = ACCOUNT_CODE.parse(code)?;
    let kind = account_code_kind(CodePurpose::Registration);
    let subject = vault.phone_digest(phone.as_str());
    let matched = one_time_code::attempt(&store.db, vault, &kind, &subject, &code, Utc::now()).await?;
    let new = NewAccount { phone, name, password, role: Role::Citizen, affiliation: Affiliation::default() };
    let account = transaction::run(store, async |txn| {
        one_time_code::consume(txn, &kind, matched).await?;
        let account = insert_account(txn, new).await?;
        let by = crate::consents::GivenBy { account: Some(account.id), phone_digest: None };
        crate::consents::record(txn, &consent, PrivacyPurpose::Account, account.id, by, Utc::now()).await?;
        Ok(account)
    })
    .await?;
    sessions::start(store, account).await
}

/// Logs in with phone and password. Every attempt is counted before the password is checked, per
/// phone and per client address ([`LOGIN_ATTEMPTS_PER_PHONE`], [`LOGIN_ATTEMPTS_PER_ADDRESS`]); past
/// either limit the answer is RATE_LIMITED without a check. A successful login clears the phone's count
/// and gives back the address's.
pub async fn login(
    store: &Store,
    vault: &Vault,
    phone: &str,
    password: &str,
    client_address: &str,
) -> Result<IssuedSession> {
    let unauthenticated = || Error::from(DomainError::Unauthenticated(UNAUTHENTICATED_LOGIN.into()));
    let per_address = login_address_throttle(vault, client_address);
    let Ok(phone) = Phone::parse(phone) else {
        // Not a phone number: a wrong login like any other, counted against the address.
        per_address.hit(&store.cache).await?;
        return Err(unauthenticated());
    };
    let per_phone = login_phone_throttle(vault, phone.as_str());
    throttle::hit_all(&store.cache, &[&per_address, &per_phone]).await?;

    let account = find_by_phone(&store.db, &phone).await?;
    let stored = account.as_ref().map_or_else(|| dummy_hash().to_owned(), |a| a.password_hash.clone());
    let matches = verify_blocking(password.to_owned(), stored).await?;
    match account {
        Some(account) if matches => {
            per_phone.clear(&store.cache).await;
            per_address.refund(&store.cache).await;
            sessions::start(store, account).await
        }
        _ => Err(unauthenticated()),
    }
}

async fn find_by_phone(db: &impl ConnectionTrait, phone: &Phone) -> Result<Option<account::Model>> {
    Ok(account::Entity::find().filter(account::Column::Phone.eq(phone.as_str())).one(db).await?)
}

/// Changes the password after checking the current one, and ends every other session of the account.
///
/// The current password is guessed no faster than at login: each check counts against the phone's login
/// throttle first.
pub async fn change_password(
    store: &Store,
    vault: &Vault,
    actor: &Actor,
    current_session: Uuid,
    current_password: &str,
    new_password: NewPassword,
) -> Result<()> {
    let account = account::Entity::find_by_id(actor.user_id).one(&store.db).await?.ok_or("account")?;
    confirm_password(store, vault, &account, current_password, "currentPassword").await?;
    let hash = hash_blocking(new_password).await?;
    let now = Utc::now();
    let ended = transaction::run(store, async |txn| {
        set_password_hash(txn, account.id, hash, now).await?;
        sessions::revoke_others_in(txn, account.id, current_session, now).await
    })
    .await?;
    sessions::after_revoke(store, &ended).await;
    Ok(())
}

/// Checks the password of a logged-in account before a change that needs it (BAD_USER_INPUT on `field` when
/// wrong). It is guessed no faster than at login: each check counts against the phone's login throttle first,
/// and a right one clears it.
async fn confirm_password(
    store: &Store,
    vault: &Vault,
    account: &account::Model,
    password: &str,
    field: &'static str,
) -> Result<()> {
    let per_phone = login_phone_throttle(vault, &account.phone);
    per_phone.hit(&store.cache).await?;
    if !verify_blocking(password.to_owned(), account.password_hash.clone()).await? {
        return Err(DomainError::invalid(field, "is wrong").into());
    }
    per_phone.clear(&store.cache).await;
    Ok(())
}

fn account_code_kind(purpose: CodePurpose) -> CodeKind {
    CodeKind { policy: ACCOUNT_CODE, scope: purpose.as_str().to_owned() }
}

/// The text message a code request sends: the code, or a note for a phone the code would be useless for
/// (sign-up with an account, reset without one). Notes hold no digits a client could take for a code.
fn code_text(purpose: CodePurpose, code: Option<&str>) -> String {
    let minutes = ACCOUNT_CODE.ttl.num_minutes();
    match (purpose, code) {
        (CodePurpose::Registration, Some(code)) => {
            format!("【e代表】您正在注册e代表账号，验证码 {code}，{minutes}分钟内有效。如非本人操作请忽略。")
        }
        (CodePurpose::Registration, None) => {
            "【e代表】该手机号已注册e代表账号，无需再次注册；如忘记密码，请在登录页选择“找回密码”。如非本人操作请忽略。"
                .to_owned()
        }
        (CodePurpose::PasswordReset, Some(code)) => format!(
            "【e代表】您正在重置e代表账号密码，验证码 {code}，{minutes}分钟内有效。请勿将验证码告诉他人。"
        ),
        (CodePurpose::PasswordReset, None) => {
            "【e代表】该手机号尚未注册e代表账号，无法重置密码；如需使用，请先注册。如非本人操作请忽略。".to_owned()
        }
    }
}

/// Asks for a code by SMS to sign up (`Registration`) or to reset the password (`PasswordReset`). The
/// answer is the same whether or not the phone has an account: a malformed phone is a bad input, too many
/// requests (per phone and purpose, and per client address) are RATE_LIMITED, and otherwise the phone
/// gets one text message: the code where it can be used, a note where it cannot. Both ways do the same
/// work (a lookup, a write to the codes, one SMS), so the answer's time does not tell either.
pub async fn request_code(
    store: &Store,
    vault: &Vault,
    sms: &dyn SmsSender,
    purpose: CodePurpose,
    phone: &str,
    client_address: &str,
) -> Result<()> {
    let phone = Phone::parse(phone)?;
    let subject = vault.phone_digest(phone.as_str());
    let per_address = Throttle::new(
        "account-code:address",
        &vault.address_digest(client_address),
        CODE_REQUESTS_PER_ADDRESS,
    );
    let per_phone =
        Throttle::new(&format!("account-code:{}", purpose.as_str()), &subject, CODE_REQUESTS_PER_PHONE);
    throttle::hit_all(&store.cache, &[&per_address, &per_phone]).await?;
    let kind = account_code_kind(purpose);
    let has_account = find_by_phone(&store.db, &phone).await?.is_some();
    let text = if purpose.sends_code(has_account) {
        let (code, _) = one_time_code::issue(&store.db, vault, &kind, &subject, Utc::now()).await?;
        code_text(purpose, Some(&code))
    } else {
        one_time_code::discard(&store.db, &kind, &subject).await?;
        code_text(purpose, None)
    };
    sms.send(&phone, &text).await
}

/// Sets a new password with the code sent to `phone` by [`request_code`] (`PasswordReset`), and ends every
/// session of the account: whoever knew the old password is logged out everywhere. A wrong, expired or
/// missing code is a bad input on `code` whether or not the phone has an account. The phone's login
/// throttle is cleared, so the holder can log in at once.
pub async fn reset_password(
    store: &Store,
    vault: &Vault,
    phone: Phone,
    code: &str,
    new_password: NewPassword,
) -> Result<()> {
    let code = ACCOUNT_CODE.parse(code)?;
    let kind = account_code_kind(CodePurpose::PasswordReset);
    let subject = vault.phone_digest(phone.as_str());
    let matched = one_time_code::attempt(&store.db, vault, &kind, &subject, &code, Utc::now()).await?;
    let account =
        find_by_phone(&store.db, &phone).await?.ok_or_else(|| Error::from(ACCOUNT_CODE.no_code()))?;
    let hash = hash_blocking(new_password).await?;
    let now = Utc::now();
    let ended = transaction::run(store, async |txn| {
        one_time_code::consume(txn, &kind, matched).await?;
        set_password_hash(txn, account.id, hash, now).await?;
        revoke_all_for_account(txn, account.id, now).await
    })
    .await?;
    sessions::after_revoke(store, &ended).await;
    login_phone_throttle(vault, phone.as_str()).clear(&store.cache).await;
    Ok(())
}

/// A citizen deletes their own account (PIPL art. 47), after giving the password (checked as in
/// [`change_password`]). In one transaction: every opinion it submitted loses its contact details and its
/// link to the account (`opinions::erasure`, ACCOUNT_DELETED on each timeline), its devices, inbox and
/// notification settings go, every session ends, and the account keeps only its id, role and dates: the
/// phone becomes a placeholder no login can match and the name [`DELETED_ACCOUNT_NAME`]. What it wrote in
/// public (comments on draft laws, proposals) stays, under that name.
pub async fn delete_citizen(
    store: &Store,
    vault: &Vault,
    policy: &OpinionPolicy,
    actor: &Actor,
    password: &str,
) -> Result<()> {
    may_delete_own_account(actor)?;
    let account = account::Entity::find_by_id(actor.user_id).one(&store.db).await?.ok_or("account")?;
    confirm_password(store, vault, &account, password, "password").await?;
    let now = Utc::now();
    let ended = transaction::run(store, async |txn| {
        let submitted: Vec<Uuid> = opinion::Entity::find()
            .select_only()
            .column(opinion::Column::Id)
            .filter(opinion::Column::SubmitterAccountId.eq(account.id))
            .into_tuple()
            .all(txn)
            .await?;
        for id in submitted {
            erasure::erase(txn, id, ErasureReason::AccountDeleted, policy, now).await?;
        }
        device::Entity::delete_many().filter(device::Column::AccountId.eq(account.id)).exec(txn).await?;
        suggestion_follower::Entity::delete_many()
            .filter(suggestion_follower::Column::AccountId.eq(account.id))
            .exec(txn)
            .await?;
        project_follower::Entity::delete_many()
            .filter(project_follower::Column::AccountId.eq(account.id))
            .exec(txn)
            .await?;
        notification::Entity::delete_many()
            .filter(notification::Column::AccountId.eq(account.id))
            .exec(txn)
            .await?;
        notification_preference::Entity::delete_many()
            .filter(notification_preference::Column::AccountId.eq(account.id))
            .exec(txn)
            .await?;
        inbox_counter::Entity::delete_many()
            .filter(inbox_counter::Column::AccountId.eq(account.id))
            .exec(txn)
            .await?;
        account::Entity::update_many()
            .col_expr(account::Column::Phone, Expr::value(format!("deleted:{}", account.id)))
            .col_expr(account::Column::Name, Expr::value(DELETED_ACCOUNT_NAME))
            // Not a hash: no password verifies against it.
            .col_expr(account::Column::PasswordHash, Expr::value("!deleted"))
            .col_expr(account::Column::UpdatedAt, Expr::value(now))
            .filter(account::Column::Id.eq(account.id))
            .exec(txn)
            .await?;
        revoke_all_for_account(txn, account.id, now).await
    })
    .await?;
    sessions::after_revoke(store, &ended).await;
    Ok(())
}

/// Ends, in the caller's transaction, every session of the account. Returns them for
/// [`sessions::after_revoke`] once committed.
pub async fn revoke_all_for_account(
    txn: &impl ConnectionTrait,
    account_id: Uuid,
    now: chrono::DateTime<Utc>,
) -> Result<Vec<Uuid>> {
    // No session has the nil id, so "all but nil" is all.
    sessions::revoke_others_in(txn, account_id, Uuid::nil(), now).await
}

/// Stores a new password hash (the caller ends the sessions the change must end, in the same transaction).
async fn set_password_hash(
    txn: &impl ConnectionTrait,
    account_id: Uuid,
    hash: String,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(hash))
        .col_expr(account::Column::UpdatedAt, Expr::value(now))
        .filter(account::Column::Id.eq(account_id))
        .exec(txn)
        .await?;
    Ok(())
}
