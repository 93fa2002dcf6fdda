//! Citizens' opinions (社情民意) in storage. Submission is public and rate-limited per client address and
//! per phone; every later step is one transaction that locks the opinion, lets the domain decide, appends
//! the events to the timeline, saves the new state with a compare-and-set on the version, writes the
//! notices (outbox) and records the idempotency key. The contact phone is sealed at submission and opened
//! only for those who may call back.

pub mod erasure;
pub mod published;
mod query;
pub mod reception;
pub(crate) mod record;
pub mod timeout;
pub mod tracking;

pub use query::{
    Counts, MonthlySummary, OpinionEvent, OpinionFilter, OpinionRecord, OpinionView, PublicOpinion, Viewer,
    by_suggestions, by_tracking_code, find_for, list, monthly_summary, step_for, timeline, visible_among,
};

use crate::entity::{deputy_qr, handling_unit, liaison_station, opinion};
use crate::error::Result;
use crate::idempotency::{self, Idempotency};
use crate::suggestions;
use crate::throttle::Throttle;
use crate::transaction::{self, Key, Once};
use crate::vault::Vault;
use crate::{Error, Store};
use chrono::{Datelike, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::directory::QrToken;
use edaibiao_domain::geo::DivisionCode;
use edaibiao_domain::opinion::{
    Addressee, Caller, Command, Opinion, OpinionInput, OpinionPolicy, RatingInput, TrackingCode,
};
use edaibiao_domain::privacy::{Consent, PrivacyPurpose};
use edaibiao_domain::suggestion::{DraftText, Sitting};
use edaibiao_domain::time::CHINA_STANDARD_TIME;
use record::{StepBy, StoredPhone};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

/// What opinion handling needs besides the store: the keys for personal data and the policy.
#[derive(Debug, Clone)]
pub struct OpinionSettings {
    pub vault: Vault,
    pub policy: OpinionPolicy,
}

impl Default for OpinionSettings {
    /// The development key and the default policy (tests and `cargo run`).
    fn default() -> Self {
        Self { vault: Vault::development(), policy: OpinionPolicy::default() }
    }
}

/// Where a public submission goes.
#[derive(Debug, Clone)]
pub enum Target {
    /// The token of a deputy's QR code.
    QrToken(String),
    /// A liaison station.
    Station(Uuid),
}

/// A public submission.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    pub input: OpinionInput,
    pub target: Target,
    /// The logged-in account, if any; a citizen's account is kept as the submitter's.
    pub actor: Option<&'a Actor>,
    /// The client's address, for the per-address limit and anonymous idempotency keys.
    pub client_address: &'a str,
    pub idempotency_key: Option<&'a str>,
    /// The appraisal (评议) the opinion is raised for, if any: one of the addressee's congress gathering
    /// opinions now.
    pub appraisal: Option<Uuid>,
    /// Photos and files sent with the form, already checked and stored ([`crate::files::prepare`]): they
    /// are linked to the opinion in the transaction that records it.
    pub files: Vec<crate::files::Prepared>,
    /// The version of the privacy notice the citizen agreed to, if they did: needed when the form gives
    /// personal data, and recorded with what it covered.
    pub privacy_consent: Option<&'a str>,
}

/// A new tracking code from 80 random bits.
fn new_tracking_code() -> Result<TrackingCode> {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    Ok(TrackingCode::from_random(bytes))
}

/// Finds the addressee: the deputy holding a QR token (an unknown or rotated token finds nothing) or a
/// station.
async fn addressee(store: &Store, target: &Target) -> Result<Addressee> {
    match target {
        Target::QrToken(raw) => {
            let token = QrToken::parse(raw.trim()).map_err(|_| DomainError::NotFound("deputy"))?;
            let deputy = deputy_qr::Entity::find()
                .filter(deputy_qr::Column::QrToken.eq(token.as_str()))
                .one(&store.db)
                .await?
                .ok_or(DomainError::NotFound("deputy"))?;
            Ok(Addressee::Deputy {
                deputy_id: deputy.id,
                congress_id: deputy.congress_id,
                station_id: deputy.liaison_station_id,
            })
        }
        Target::Station(id) => {
            let station =
                liaison_station::Entity::find_by_id(*id).one(&store.db).await?.ok_or("liaison station")?;
            Ok(Addressee::Station { station_id: station.id, congress_id: station.congress_id })
        }
    }
}

/// The district of a station, if it has one set (an opinion addressed there is placed in it unless it says).
async fn station_division(store: &Store, station: Uuid) -> Result<Option<DivisionCode>> {
    let code: Option<Option<String>> = liaison_station::Entity::find_by_id(station)
        .select_only()
        .column(liaison_station::Column::DivisionCode)
        .into_tuple()
        .one(&store.db)
        .await?;
    // A code stored before the rule was tightened is left out rather than failing the submission.
    Ok(code.flatten().and_then(|c| DivisionCode::parse("divisionCode", &c).ok()))
}

/// The stored aggregate of an opinion.
async fn load(db: &impl sea_orm::ConnectionTrait, id: Uuid) -> Result<Opinion> {
    let row = opinion::Entity::find_by_id(id).one(db).await?.ok_or("opinion")?;
    record::aggregate(&row.snapshot)
}

/// Seals the phone for storage.
fn stored_phone(settings: &OpinionSettings, input: &OpinionInput) -> Result<Option<StoredPhone>> {
    input
        .contact_phone
        .as_ref()
        .map(|phone| {
            Ok(StoredPhone {
                sealed: settings.vault.seal(phone.as_str())?,
                digest: settings.vault.phone_digest(phone.as_str()),
            })
        })
        .transpose()
}

/// A citizen submits an opinion, with or without an account. Returns the new opinion (with its tracking
/// code). The same idempotency key from the same client (account, or address when anonymous) returns the
/// first opinion and acts once; a retry is not counted against the limits.
pub async fn submit(store: &Store, settings: &OpinionSettings, mut s: Submission<'_>) -> Result<Opinion> {
    let owner = match s.actor {
        Some(actor) => actor.user_id,
        None => settings.vault.scope_id("client", s.client_address),
    };
    let idem = s.idempotency_key.map(|key| Idempotency { key, operation: "submitOpinion" });
    if let Some(idem) = &idem {
        idempotency::check(idem)?;
        if let Some(done) = idempotency::find(&store.db, owner, idem).await? {
            return load(&store.db, done).await;
        }
    }
    let consent = Consent::for_submission(s.input.personal_data(), s.privacy_consent)?;
    let to = addressee(store, &s.target).await?;
    if s.input.division_code.is_none()
        && let Some(station) = to.station_id()
    {
        s.input.division_code = station_division(store, station).await?;
    }
    let submitter = s.actor.filter(|a| a.role == Role::Citizen).map(|a| a.user_id);
    let id = Uuid::now_v7();
    let event = Opinion::submit(&s.input, to, submitter, id, new_tracking_code()?, Utc::now());
    let opinion = Opinion::from_submitted(&event).ok_or_else(|| Error::Internal("submitted".into()))?;
    let phone = stored_phone(settings, &s.input)?;

    // Counted only inside the transaction, once the key is this request's own: a retry (which replays)
    // costs nothing, and a refusal rolls the key's claim back with the rest.
    let key = idem.as_ref().map(|idempotency| Key { owner, idempotency, result: id });
    let submitted = transaction::run_once(store, key, async |txn| {
        let policy = settings.policy;
        let address = settings.vault.address_digest(s.client_address);
        Throttle::new("opinion-submit-address", &address, policy.per_address).hit(&store.cache).await?;
        if let Some(phone) = &s.input.contact_phone {
            let phone = settings.vault.phone_digest(phone.as_str());
            Throttle::new("opinion-submit-phone", &phone, policy.per_phone).hit(&store.cache).await?;
        }
        record::insert(txn, StepBy::PUBLIC, &opinion, &event, phone).await?;
        if let Some(consent) = &consent {
            let by = crate::consents::GivenBy { account: submitter, phone_digest: None };
            crate::consents::record(txn, consent, PrivacyPurpose::Opinion, opinion.id, by, event.at())
                .await?;
        }
        if !s.files.is_empty() {
            crate::files::link(txn, crate::files::Owner::Opinion(opinion.id), owner, &s.files).await?;
        }
        if let Some(appraisal) = s.appraisal {
            crate::appraisals::citizens::tag_opinion(txn, appraisal, opinion.id, opinion.congress_id).await?;
        }
        Ok(())
    })
    .await?;
    match submitted {
        Once::Done(()) => Ok(opinion),
        // A retry of a request that is done (or finishing): answer with its result.
        Once::Replayed(done) => load(&store.db, done).await,
    }
}

/// Performs `command` on opinion `id` as `viewer` and returns the opinion as they see it afterwards.
pub async fn act(
    store: &Store,
    settings: &OpinionSettings,
    viewer: &Viewer,
    id: Uuid,
    command: Command,
    idempotency: Option<Idempotency<'_>>,
) -> Result<OpinionView> {
    let key =
        idempotency.as_ref().map(|idempotency| Key { owner: viewer.actor.user_id, idempotency, result: id });
    // Done or replayed, the answer is the opinion as the viewer sees it now.
    transaction::run_once(store, key, async |txn| {
        let mut current = record::aggregate(&transaction::lock::<opinion::Entity>(txn, id).await?.snapshot)?;
        let now = Utc::now();
        let events = current.decide(&viewer.caller(), &command, now)?;
        record::append(txn, StepBy::actor(&viewer.actor), &mut current, events, now).await
    })
    .await?;
    find_for(store, &settings.vault, viewer, id).await
}

/// The congress of a handling unit, for forwarding (NOT_FOUND for an unknown unit).
pub async fn unit_congress(store: &Store, unit_id: Uuid) -> Result<Uuid> {
    Ok(handling_unit::Entity::find_by_id(unit_id).one(&store.db).await?.ok_or("handling unit")?.congress_id)
}

/// The responsible deputy turns the opinion into a suggestion draft of theirs (it links back through the
/// opinion's `suggestion_id`). The draft is created first, through the suggestions' own use case under an
/// idempotency key tied to the opinion, so a retried or concurrent conversion makes one draft; then the
/// opinion records it. `title` defaults to one made from the content; `sitting` to this year's recess.
pub async fn convert(
    store: &Store,
    settings: &OpinionSettings,
    viewer: &Viewer,
    id: Uuid,
    title: Option<String>,
    sitting: Option<Sitting>,
    idempotency: Option<Idempotency<'_>>,
) -> Result<OpinionView> {
    if let Some(idem) = &idempotency {
        idempotency::check(idem)?;
        if idempotency::find(&store.db, viewer.actor.user_id, idem).await?.is_some() {
            return find_for(store, &settings.vault, viewer, id).await;
        }
    }
    let opinion = load(&store.db, id).await?;
    // Check first, so a refused conversion makes no draft.
    opinion.decide(&viewer.caller(), &Command::Convert { suggestion_id: Uuid::nil() }, Utc::now())?;
    let text = draft_text(&opinion, title.as_deref())?;
    let now = Utc::now().with_timezone(&CHINA_STANDARD_TIME);
    let sitting = sitting.unwrap_or(Sitting::Recess { year: now.year() });
    let key = format!("opinion:{id}");
    let draft_key = Idempotency { key: &key, operation: "convertOpinion" };
    let draft = suggestions::create(store, &viewer.actor, sitting, text, Some(draft_key)).await?;
    let command = Command::Convert { suggestion_id: draft.id };
    match act(store, settings, viewer, id, command, idempotency).await {
        Err(Error::Domain(DomainError::Conflict(reason))) => {
            // A concurrent twin recorded the same draft first: that is this request's result too.
            let view = find_for(store, &settings.vault, viewer, id).await?;
            if view.opinion.suggestion_id == Some(draft.id) {
                Ok(view)
            } else {
                Err(DomainError::Conflict(reason).into())
            }
        }
        other => other,
    }
}

/// The draft an opinion becomes: its content, where, and when it came in.
fn draft_text(o: &Opinion, title: Option<&str>) -> Result<DraftText> {
    let title = match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(title) => title.to_owned(),
        None => {
            let first_line = o.content.lines().next().unwrap_or_default();
            let excerpt: String = first_line.chars().take(30).collect();
            let more = if first_line.chars().count() > 30 { "…" } else { "" };
            format!("关于{excerpt}{more}的建议")
        }
    };
    let mut content = o.content.clone();
    if let Some(location) = &o.location {
        content.push_str(&format!("\n\n地点：{location}"));
    }
    let received = o.created_at.with_timezone(&CHINA_STANDARD_TIME).format("%Y年%m月%d日");
    content.push_str(&format!("\n\n（由{received}收到的群众意见转为建议）"));
    Ok(DraftText::parse(&title, &content, o.category.label())?)
}

/// Who rates: whoever holds the tracking code, or the submitter's account naming the opinion.
#[derive(Debug, Clone, Copy)]
pub enum Rater<'a> {
    TrackingCode(&'a TrackingCode),
    Account(&'a Viewer, Uuid),
}

/// The citizen rates the outcome, which closes the opinion. Returns the public view.
pub async fn rate(store: &Store, rater: Rater<'_>, input: RatingInput) -> Result<PublicOpinion> {
    let id = match rater {
        Rater::TrackingCode(code) => {
            let found: Option<Uuid> = opinion::Entity::find()
                .select_only()
                .column(opinion::Column::Id)
                .filter(opinion::Column::TrackingCode.eq(code.as_str()))
                .into_tuple()
                .one(&store.db)
                .await?;
            found.ok_or(DomainError::NotFound("opinion"))?
        }
        Rater::Account(_, id) => id,
    };
    let caller = match rater {
        Rater::TrackingCode(_) => Caller::tracking_code_holder(),
        Rater::Account(viewer, _) => viewer.caller(),
    };
    transaction::run(store, async |txn| {
        let mut current = record::aggregate(&transaction::lock::<opinion::Entity>(txn, id).await?.snapshot)?;
        let now = Utc::now();
        let events = current.decide(&caller, &Command::Rate(input), now)?;
        let by = StepBy { account_id: None, role: "CITIZEN" };
        record::append(txn, by, &mut current, events, now).await
    })
    .await?;
    let row = opinion::Entity::find_by_id(id).one(&store.db).await?.ok_or("opinion")?;
    query::public(store, &row).await
}
