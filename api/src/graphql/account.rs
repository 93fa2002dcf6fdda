//! Accounts and sessions over GraphQL: login, refresh, logout, password change, citizen sign-up and
//! password reset (each by a code sent by SMS, answering alike for every phone), and account creation by
//! admins and staff.

use super::directory::{Congress, Deputy, HandlingUnit};
use super::error::{ApiError, ApiResult};
use super::loaders::{CongressKey, DeputyKey, HandlingUnitKey};
use super::{ContextExt, ids};
use crate::auth::ClientAddress;
use crate::graphql::ids::NodeKind;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Duration, Utc};
use edaibiao_domain::account::verification::CodePurpose;
use edaibiao_domain::account::{Affiliation, NewPassword, Phone};
use edaibiao_domain::privacy::Consent;
use edaibiao_domain::text::PersonName;
use edaibiao_infra::accounts::{self, IssuedSession, NewAccount};
use edaibiao_infra::sessions;

/// What a person is in the system.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::account::Role")]
pub enum Role {
    /// A people's congress deputy (代表).
    Deputy,
    /// A member of the public (群众).
    Citizen,
    /// Staff of one handling unit (承办单位).
    UnitStaff,
    /// Staff of one congress (代表工委).
    CongressStaff,
    /// A worker of one liaison station (联络站工作人员).
    StationStaff,
    /// Runs the platform.
    Admin,
}

/// A person's account.
pub struct Account {
    model: accounts::Account,
    /// Whether the viewer is known to be the holder even without a token (a login or sign-up answer).
    to_holder: bool,
}

impl Account {
    pub fn new(model: accounts::Account) -> Self {
        Self { model, to_holder: false }
    }

    /// The account as shown to its holder in a login or sign-up answer.
    fn to_holder(model: accounts::Account) -> Self {
        Self { model, to_holder: true }
    }
}

/// A person's account.
#[Object]
impl Account {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Account, self.model.id)
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.model.name
    }
    /// Login phone number: in full for the account holder and admins, masked (138****5678) for others.
    async fn phone(&self, ctx: &Context<'_>) -> String {
        let full =
            self.to_holder || ctx.actor_opt().is_some_and(|a| a.user_id == self.model.id || a.is_admin());
        match Phone::parse(&self.model.phone) {
            Ok(phone) if !full => phone.masked(),
            _ if full => self.model.phone.clone(),
            _ => "***".to_owned(),
        }
    }
    /// What the person is in the system.
    async fn role(&self) -> Role {
        self.model.role.into()
    }
    /// The deputy profile of a deputy's account.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        let Some(id) = self.model.deputy_id else { return Ok(None) };
        Ok(ctx.loader()?.load_one(DeputyKey(id)).await?.map(Deputy))
    }
    /// The handling unit of a unit's staff.
    async fn handling_unit(&self, ctx: &Context<'_>) -> ApiResult<Option<HandlingUnit>> {
        let Some(id) = self.model.unit_id else { return Ok(None) };
        Ok(ctx.loader()?.load_one(HandlingUnitKey(id)).await?.map(HandlingUnit))
    }
    /// The congress of congress staff.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        let Some(id) = self.model.congress_id else { return Ok(None) };
        Ok(ctx.loader()?.load_one(CongressKey(id)).await?.map(Congress))
    }
    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.model.created_at
    }
}

/// Credentials for a session.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Bearer token for the `Authorization` header; short-lived.
    pub access_token: String,
    /// When the access token expires; refresh before then.
    pub access_token_expires_at: DateTime<Utc>,
    /// Exchange it once for a new pair with `refreshToken`. Using it twice ends the session.
    pub refresh_token: String,
    /// The logged-in account.
    pub account: Account,
}

/// Issues the token pair for a session, looking up a deputy's congress so the token carries it.
async fn session_payload(ctx: &Context<'_>, issued: IssuedSession) -> ApiResult<AuthPayload> {
    let store = &ctx.services()?.store;
    let congress = accounts::deputy_congress(&store.db, &issued.account).await?;
    let keys = &ctx.services()?.keys;
    let actor = accounts::actor_of(&issued.account, congress)?;
    let access_token = keys.issue(&actor, issued.session_id).map_err(|e| {
        tracing::error!(error = %e, "signing an access token failed");
        ApiError::new(crate::graphql::error::ErrorCode::Internal, "internal error; it has been logged")
    })?;
    Ok(AuthPayload {
        access_token,
        access_token_expires_at: Utc::now() + Duration::seconds(keys.access_ttl_secs()),
        refresh_token: issued.refresh_token,
        account: Account::to_holder(issued.account),
    })
}

/// A citizen signing up.
#[derive(InputObject)]
pub struct RegisterCitizenInput {
    /// Mobile number; becomes the login.
    pub phone: String,
    /// The 6-digit code sent to `phone` by `requestRegistrationCode`.
    pub code: String,
    /// Display name, 1–50 characters.
    pub name: String,
    /// 8–128 characters with a letter and a digit.
    pub password: String,
    /// The version of `privacyNotice(purpose: ACCOUNT)` the citizen was shown and agreed to; required
    /// (BAD_USER_INPUT on `privacyConsent` without it or with an older one). Recorded with the account.
    pub privacy_consent: Option<String>,
}

/// An account created by an admin or congress staff.
#[derive(InputObject)]
pub struct CreateAccountInput {
    /// Mobile number; becomes the login.
    pub phone: String,
    /// Display name, 1–50 characters.
    pub name: String,
    /// Initial password, 8–128 characters with a letter and a digit.
    pub password: String,
    /// Any role but CITIZEN (citizens sign up themselves).
    pub role: Role,
    /// Required for CONGRESS_STAFF.
    pub congress_id: Option<ID>,
    /// Required for UNIT_STAFF.
    pub unit_id: Option<ID>,
    /// Required for DEPUTY: the deputy profile this account logs into.
    pub deputy_id: Option<ID>,
    /// Required for STATION_STAFF: the liaison station they work at.
    pub station_id: Option<ID>,
}

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The logged-in account.
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<Account> {
        let actor = ctx.actor()?;
        Ok(Account::new(accounts::find(&ctx.services()?.store, actor.user_id).await?))
    }
}

/// The client's address as the HTTP layer determined it, for per-address throttles.
fn client_address<'a>(ctx: &'a Context<'_>) -> &'a str {
    ctx.data_opt::<ClientAddress>().map_or("unknown", |a| a.0.as_str())
}

/// Sends a sign-up or password-reset code (see `requestRegistrationCode`).
async fn request_code(ctx: &Context<'_>, purpose: CodePurpose, phone: &str) -> ApiResult<bool> {
    let services = ctx.services()?;
    accounts::request_code(
        &services.store,
        &services.opinions.vault,
        services.sms.as_ref(),
        purpose,
        phone,
        client_address(ctx),
    )
    .await?;
    Ok(true)
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Logs in with phone number and password. Attempts are counted before the password is checked: after
    /// 5 wrong passwords for one number, or 30 from one client address, within 15 minutes, every attempt
    /// (even with the right password) is RATE_LIMITED with `retryAfterSeconds`. A successful login clears
    /// the number's count.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's mobile phone number.")] phone: String,
        #[graphql(desc = "The account's password.")] password: String,
    ) -> ApiResult<AuthPayload> {
        let services = ctx.services()?;
        let address = client_address(ctx);
        let issued =
            accounts::login(&services.store, &services.opinions.vault, &phone, &password, address).await?;
        session_payload(ctx, issued).await
    }

    /// Exchanges a refresh token for a new pair. The old refresh token stops working; presenting it again
    /// ends the whole session.
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The refresh token of the current pair.")] refresh_token: String,
    ) -> ApiResult<AuthPayload> {
        let issued = sessions::refresh(&ctx.services()?.store, &refresh_token).await?;
        session_payload(ctx, issued).await
    }

    /// Ends the current session: its refresh token and access tokens stop working.
    async fn logout(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let viewer = ctx.viewer()?;
        sessions::revoke(&ctx.services()?.store, viewer.session_id).await?;
        Ok(true)
    }

    /// Changes the password; every other session of the account ends. A wrong current password counts
    /// against the number's login throttle (RATE_LIMITED past it).
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The password in use now.")] current_password: String,
        #[graphql(desc = "The new password: 8–128 characters with a letter and a digit.")]
        new_password: String,
    ) -> ApiResult<bool> {
        let viewer = ctx.viewer()?;
        let new_password = NewPassword::parse(&new_password)?;
        accounts::change_password(
            &ctx.services()?.store,
            &ctx.services()?.opinions.vault,
            &viewer.actor,
            viewer.session_id,
            &current_password,
            new_password,
        )
        .await?;
        Ok(true)
    }

    /// A citizen deletes their own account (PIPL art. 47), giving its password (a wrong one is
    /// BAD_USER_INPUT on `password` and counts against the number's login throttle). The opinions it
    /// submitted stay for the record without contact details or a link to the account (a CONTACT_ERASED
    /// step on each); its inbox, devices and sessions go; it keeps only its id under the name 已注销用户.
    /// FORBIDDEN for every other role: official accounts are closed by those who opened them. Download a
    /// copy first: `GET /me/personal-data.json`.
    async fn delete_my_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's password, to confirm.")] password: String,
    ) -> ApiResult<bool> {
        let viewer = ctx.viewer()?;
        let services = ctx.services()?;
        accounts::delete_citizen(
            &services.store,
            &services.opinions.vault,
            &services.opinions.policy,
            &viewer.actor,
            &password,
        )
        .await?;
        Ok(true)
    }

    /// Public, no login: first step of a citizen's sign-up. Sends a 6-digit code by SMS to `phone`, valid
    /// 10 minutes, for `registerCitizen`. The answer is `true` whether or not the number already has an
    /// account (then the SMS says so instead of carrying a code), so it tells nobody which numbers are
    /// registered. BAD_USER_INPUT for a malformed number; RATE_LIMITED (`retryAfterSeconds`) after 3
    /// requests for one number in 10 minutes, or 30 code requests from one client address in an hour.
    async fn request_registration_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The citizen's mobile phone number.")] phone: String,
    ) -> ApiResult<bool> {
        request_code(ctx, CodePurpose::Registration, &phone).await
    }

    /// Public, no login: signs a citizen up with the code from `requestRegistrationCode`, and logs them
    /// in. A wrong, expired or missing code is BAD_USER_INPUT on `code` (the same for a number that
    /// already has an account); a code takes 5 tries, then a new one is needed.
    async fn register_citizen(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `RegisterCitizenInput` describes them.")]
        input: RegisterCitizenInput,
    ) -> ApiResult<AuthPayload> {
        let phone = Phone::parse(&input.phone)?;
        let name = PersonName::parse("name", &input.name)?;
        let password = NewPassword::parse(&input.password)?;
        let consent = Consent::for_sign_up(input.privacy_consent.as_deref())?;
        let services = ctx.services()?;
        let issued = accounts::register_citizen(
            &services.store,
            &services.opinions.vault,
            phone,
            &input.code,
            name,
            password,
            consent,
        )
        .await?;
        session_payload(ctx, issued).await
    }

    /// Public, no login: first step of a forgotten password. Sends a 6-digit code by SMS to `phone`,
    /// valid 10 minutes, for `resetPassword`. Answers `true` whether or not the number has an account
    /// (without one the SMS says so instead of carrying a code). BAD_USER_INPUT for a malformed number;
    /// RATE_LIMITED (`retryAfterSeconds`) after 3 requests for one number in 10 minutes, or 30 code
    /// requests from one client address in an hour.
    async fn request_password_reset(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's mobile phone number.")] phone: String,
    ) -> ApiResult<bool> {
        request_code(ctx, CodePurpose::PasswordReset, &phone).await
    }

    /// Public, no login: sets a new password (8–128 characters with a letter and a digit) with the code
    /// from `requestPasswordReset`, and ends every session of the account. A wrong, expired or missing
    /// code is BAD_USER_INPUT on `code`; a code takes 5 tries. Afterwards the number may log in at once.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's mobile phone number.")] phone: String,
        #[graphql(desc = "The 6-digit code sent by `requestPasswordReset`.")] code: String,
        #[graphql(desc = "The new password: 8–128 characters with a letter and a digit.")]
        new_password: String,
    ) -> ApiResult<bool> {
        let phone = Phone::parse(&phone)?;
        let new_password = NewPassword::parse(&new_password)?;
        let services = ctx.services()?;
        accounts::reset_password(&services.store, &services.opinions.vault, phone, &code, new_password)
            .await?;
        Ok(true)
    }

    /// Creates an account for a deputy, unit staff, congress staff or admin.
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `CreateAccountInput` describes them.")] input: CreateAccountInput,
    ) -> ApiResult<Account> {
        let actor = ctx.actor()?;
        let new = NewAccount {
            phone: Phone::parse(&input.phone)?,
            name: PersonName::parse("name", &input.name)?,
            password: NewPassword::parse(&input.password)?,
            role: input.role.into(),
            affiliation: Affiliation {
                congress_id: ids::decode_opt(NodeKind::Congress, "congressId", input.congress_id.as_ref())?,
                unit_id: ids::decode_opt(NodeKind::HandlingUnit, "unitId", input.unit_id.as_ref())?,
                deputy_id: ids::decode_opt(NodeKind::Deputy, "deputyId", input.deputy_id.as_ref())?,
                station_id: ids::decode_opt(
                    NodeKind::LiaisonStation,
                    "stationId",
                    input.station_id.as_ref(),
                )?,
            },
        };
        Ok(Account::new(accounts::create(&ctx.services()?.store, actor, new).await?))
    }
}
