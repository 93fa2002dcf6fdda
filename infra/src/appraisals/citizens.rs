//! Citizens' part in an appraisal: opinions raised for it on the public form, and the invited citizens'
//! satisfaction vote.
//!
//! Invited citizens vote without an account, as voters rate a report to voters: staff name their phones;
//! only the keyed digests are kept ([`crate::vault::Vault::phone_digest`]), and each gets an SMS with the
//! vote's link. On the link's page a citizen asks for a one-time code for their phone and votes with it,
//! once per phone. A phone that was not invited is answered exactly like an invited one but gets no SMS, so
//! the page does not tell who was invited. Their ballots go to their own box ([`CITIZEN_BOX`]), kept apart
//! from the deputies' (whose result alone decides the verdict) and counted when staff publish.

use super::{locked, subject_title, to_i32};
use crate::ballots::{self, BallotBox, Voter};
use crate::consents;
use crate::entity::{appraisal, appraisal_invitee, appraisal_opinion, handling_unit, opinion};
use crate::error::Result;
use crate::one_time_code::{self, CodeKind};
use crate::sms::SmsSender;
use crate::throttle::{self, Throttle};
use crate::vault::Vault;
use crate::{Store, secrets, transaction};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Phone};
use edaibiao_domain::appraisal::{self as dom, Action, AppraisalState, Party};
use edaibiao_domain::ballot::{Ballot, BallotForm, Mark, Question};
use edaibiao_domain::duty::activity::{
    VOTER_CODE, VOTER_CODE_REQUESTS_PER_ADDRESS, VOTER_CODE_REQUESTS_PER_PHONE,
};
use edaibiao_domain::privacy::{Consent, PrivacyPurpose};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

/// The most rows one of these public or staff lists returns.
const SHOWN: u64 = 500;
use uuid::Uuid;

/// The ballot box of the invited citizens' satisfaction vote (its id is the appraisal's).
pub const CITIZEN_BOX: &str = "APPRAISAL_CITIZEN_SATISFACTION";

fn citizen_box(id: Uuid) -> BallotBox {
    BallotBox { kind: CITIZEN_BOX, id }
}

/// How many invited citizens, after an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invitation {
    /// Phones newly invited by this call (a phone invited before is not counted again).
    pub added: u32,
    /// Every phone invited to the appraisal.
    pub invited: u32,
}

async fn invited(db: &impl ConnectionTrait, id: Uuid) -> Result<u64> {
    Ok(appraisal_invitee::Entity::find()
        .filter(appraisal_invitee::Column::AppraisalId.eq(id))
        .count(db)
        .await?)
}

/// How many citizens were invited to the appraisal's vote.
pub async fn invited_count(store: &Store, id: Uuid) -> Result<u32> {
    Ok(u32::try_from(invited(&store.db, id).await?).unwrap_or(u32::MAX))
}

/// How many invited citizens have voted so far.
pub async fn citizen_turnout(store: &Store, id: Uuid) -> Result<u32> {
    ballots::turnout(&store.db, citizen_box(id)).await
}

/// Staff invite citizens to the satisfaction vote by their phones (while rectifying or voting). The link
/// token is made on the first invitation; each phone named gets an SMS with the link
/// (`{link_base}/a/{token}`) after the commit
/// (a failed SMS is logged; staff can invite the phone again, which sends it again).
pub async fn invite(
    store: &Store,
    vault: &Vault,
    sms: &dyn SmsSender,
    actor: &Actor,
    id: Uuid,
    phones: &[String],
    link_base: &str,
) -> Result<Invitation> {
    dom::check_invites(phones.len(), 0)?;
    let mut parsed: Vec<Phone> = Vec::with_capacity(phones.len());
    for raw in phones {
        let phone = Phone::parse(raw)
            .map_err(|_| DomainError::invalid("phones", "names a number that is not a mobile phone"))?;
        if !parsed.contains(&phone) {
            parsed.push(phone);
        }
    }
    let (invitation, token, title) = transaction::run(store, async |txn| {
        let (row, a) = locked(txn, id).await?;
        a.check(Some(actor), Action::InviteCitizens)?;
        let before = invited(txn, id).await?;
        dom::check_invites(parsed.len(), before)?;
        let token = match &row.citizen_token {
            Some(t) => t.clone(),
            None => {
                let t = secrets::random_token()?;
                appraisal::Entity::update_many()
                    .col_expr(appraisal::Column::CitizenToken, Expr::value(t.clone()))
                    .filter(appraisal::Column::Id.eq(id))
                    .exec(txn)
                    .await?;
                t
            }
        };
        let now = Utc::now();
        let rows: Vec<appraisal_invitee::ActiveModel> = parsed
            .iter()
            .map(|p| appraisal_invitee::ActiveModel {
                appraisal_id: Set(id),
                phone_digest: Set(vault.phone_digest(p.as_str())),
                invited_at: Set(now),
            })
            .collect();
        appraisal_invitee::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    appraisal_invitee::Column::AppraisalId,
                    appraisal_invitee::Column::PhoneDigest,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        let after = invited(txn, id).await?;
        let unit = handling_unit::Entity::find_by_id(row.unit_id)
            .one(txn)
            .await?
            .map(|u| u.name)
            .unwrap_or_default();
        let invitation = Invitation {
            added: u32::try_from(after.saturating_sub(before)).unwrap_or(u32::MAX),
            invited: u32::try_from(after).unwrap_or(u32::MAX),
        };
        Ok((invitation, token, subject_title(&row, &unit)))
    })
    .await?;
    for phone in &parsed {
        let text = format!(
            "【e代表】诚邀您参加{title}满意度测评：{link_base}/a/{token} ，凭本机号码获取验证码后投票。"
        );
        if let Err(e) = sms.send(phone, &text).await {
            tracing::warn!(error = %e, "an appraisal invitation SMS was not sent");
        }
    }
    Ok(invitation)
}

/// What the public page of an appraisal's citizen vote shows.
#[derive(Debug, Clone)]
pub struct PublicVote {
    pub appraisal_id: Uuid,
    pub title: String,
    pub year: i32,
    pub voting_until: NaiveDate,
    /// Whether citizens may vote now.
    pub open: bool,
}

async fn by_token(db: &impl ConnectionTrait, token: &str) -> Result<appraisal::Model> {
    let token = token.trim();
    if token.is_empty() || token.len() > 100 {
        return Err("appraisal vote".into());
    }
    Ok(appraisal::Entity::find()
        .filter(appraisal::Column::CitizenToken.eq(token))
        .one(db)
        .await?
        .ok_or("appraisal vote")?)
}

fn open_now(row: &appraisal::Model, now: DateTime<Utc>) -> bool {
    row.state == AppraisalState::Voting.as_str()
        && dom::check_ballot_window(row.voting_until, dom::today(now)).is_ok()
}

/// The appraisal behind a vote link, for its public page.
pub async fn public_vote(store: &Store, token: &str) -> Result<PublicVote> {
    let row = by_token(&store.db, token).await?;
    let unit = handling_unit::Entity::find_by_id(row.unit_id)
        .one(&store.db)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    Ok(PublicVote {
        appraisal_id: row.id,
        title: subject_title(&row, &unit),
        year: row.year,
        voting_until: row.voting_until,
        open: open_now(&row, Utc::now()),
    })
}

fn code_kind(vault: &Vault, token: &str) -> CodeKind {
    CodeKind { policy: VOTER_CODE, scope: format!("appraisal-vote:{}", vault.digest("token", token)) }
}

async fn is_invited(db: &impl ConnectionTrait, id: Uuid, digest: &str) -> Result<bool> {
    Ok(appraisal_invitee::Entity::find_by_id((id, digest.to_owned())).one(db).await?.is_some())
}

fn closed() -> DomainError {
    DomainError::conflict("the satisfaction vote is not open")
}

/// Sends a one-time code for the vote behind `token` to an invited `phone`; an uninvited phone gets the
/// same answer and no SMS. Throttled per phone and per client address; CONFLICT once the phone has voted.
///
/// The citizen must have agreed to the appraisal vote's privacy notice (`privacy_consent`, its version),
/// recorded with the code.
pub async fn request_code(
    store: &Store,
    vault: &Vault,
    sms: &dyn SmsSender,
    token: &str,
    phone: &str,
    privacy_consent: Option<&str>,
    client_address: &str,
) -> Result<DateTime<Utc>> {
    let phone = Phone::parse(phone)?;
    let consent = Consent::for_phone_code(privacy_consent)?;
    let row = by_token(&store.db, token).await?;
    let now = Utc::now();
    if !open_now(&row, now) {
        return Err(closed().into());
    }
    let digest = vault.phone_digest(phone.as_str());
    let kind = code_kind(vault, token.trim());
    let per_address = Throttle::new(
        "appraisal-code:address",
        &vault.address_digest(client_address),
        VOTER_CODE_REQUESTS_PER_ADDRESS,
    );
    let per_phone = Throttle::new(
        "appraisal-code:phone",
        &format!("{}:{digest}", kind.scope),
        VOTER_CODE_REQUESTS_PER_PHONE,
    );
    throttle::hit_all(&store.cache, &[&per_address, &per_phone]).await?;
    if ballots::has_voted(&store.db, citizen_box(row.id), &Voter::Phone(digest.clone())).await? {
        return Err(DomainError::conflict("this phone has voted already").into());
    }
    if !is_invited(&store.db, row.id, &digest).await? {
        return Ok(VOTER_CODE.expires_at(now));
    }
    let (code, expires_at) = transaction::run(store, async |txn| {
        let by = consents::GivenBy { account: None, phone_digest: Some(&digest) };
        consents::record(txn, &consent, PrivacyPurpose::AppraisalVote, row.id, by, now).await?;
        one_time_code::issue(txn, vault, &kind, &digest, now).await
    })
    .await?;
    let text =
        format!("【e代表】您正在参加评议满意度测评，验证码 {code}，10分钟内有效。如非本人操作请忽略。");
    sms.send(&phone, &text).await?;
    Ok(expires_at)
}

/// An invited citizen votes with the code sent to their phone: once per phone (CONFLICT the second time); a
/// wrong, expired or never-sent code is BAD_USER_INPUT.
pub async fn cast(
    store: &Store,
    vault: &Vault,
    token: &str,
    phone: &str,
    code: &str,
    mark: Mark,
) -> Result<()> {
    let phone = Phone::parse(phone)?;
    let code = VOTER_CODE.parse(code)?;
    let row = by_token(&store.db, token).await?;
    let id = row.id;
    let question = Question::new(BallotForm::Satisfaction, vec![id], 0)?;
    let ballot = Ballot::parse(&question, vec![(id, mark)]).map_err(|_| {
        DomainError::invalid(
            "mark",
            "a satisfaction ballot is SATISFIED, BASICALLY_SATISFIED or DISSATISFIED",
        )
    })?;
    let now = Utc::now();
    if !open_now(&row, now) {
        return Err(closed().into());
    }
    let digest = vault.phone_digest(phone.as_str());
    let kind = code_kind(vault, token.trim());
    // The try is counted (and kept) before the code is compared; the code is used up with the ballot.
    let matched = one_time_code::attempt(&store.db, vault, &kind, &digest, &code, now).await?;
    transaction::run(store, async |txn| {
        let (row, _) = locked(txn, id).await?;
        if !open_now(&row, now) {
            return Err(closed().into());
        }
        one_time_code::consume(txn, &kind, matched).await?;
        ballots::cast(txn, citizen_box(id), &Voter::Phone(digest.clone()), &ballot, now).await
    })
    .await
}

/// The citizens' counts, read when staff publish (in the publishing transaction).
pub(super) async fn counts(
    txn: &DatabaseTransaction,
    id: Uuid,
) -> Result<(u32, edaibiao_domain::ballot::Tally)> {
    let turnout = ballots::turnout(txn, citizen_box(id)).await?;
    let tally = ballots::tallies(txn, citizen_box(id))
        .await?
        .into_iter()
        .find(|(c, _)| *c == id)
        .map(|(_, t)| t)
        .unwrap_or_default();
    Ok((turnout, tally))
}

/// Tags an opinion just submitted on the public form to the appraisal it was raised for, in the
/// submission's transaction: the appraisal gathers opinions now and belongs to the form's congress.
pub async fn tag_opinion(
    txn: &DatabaseTransaction,
    appraisal_id: Uuid,
    opinion_id: Uuid,
    form_congress: Uuid,
) -> Result<()> {
    let row = appraisal::Entity::find_by_id(appraisal_id)
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::invalid("appraisalId", "is not an appraisal gathering opinions here"))?;
    let state = crate::error::stored("appraisal state", row.id, AppraisalState::parse(&row.state))?;
    dom::check_open_for_opinions(state, row.congress_id, form_congress)?;
    appraisal_opinion::Entity::insert(appraisal_opinion::ActiveModel {
        opinion_id: Set(opinion_id),
        appraisal_id: Set(appraisal_id),
        tagged_at: Set(Utc::now()),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// An opinion raised for an appraisal, as staff and the group read it: the matter, not who raised it.
#[derive(Debug, Clone)]
pub struct TaggedOpinion {
    pub opinion_id: Uuid,
    pub content: String,
    pub category: edaibiao_domain::opinion::OpinionCategory,
    pub tagged_at: DateTime<Utc>,
}

/// The opinions raised for an appraisal, oldest first, for staff and the group (FORBIDDEN for others who
/// may see the appraisal).
pub async fn tagged_opinions(store: &Store, party: Party, id: Uuid) -> Result<Vec<TaggedOpinion>> {
    if !dom::reads_tagged_opinions(party) {
        return Err(
            DomainError::forbidden("only staff and the appraisal group read the citizens' opinions").into()
        );
    }
    let tags = appraisal_opinion::Entity::find()
        .filter(appraisal_opinion::Column::AppraisalId.eq(id))
        .order_by_asc(appraisal_opinion::Column::TaggedAt)
        .limit(SHOWN)
        .all(&store.db)
        .await?;
    let ids: Vec<Uuid> = tags.iter().map(|t| t.opinion_id).collect();
    let rows = opinion::Entity::find().filter(opinion::Column::Id.is_in(ids)).all(&store.db).await?;
    let mut out = Vec::with_capacity(tags.len());
    for t in tags {
        if let Some(o) = rows.iter().find(|o| o.id == t.opinion_id) {
            let opinion = crate::opinions::record::aggregate(&o.snapshot)?;
            out.push(TaggedOpinion {
                opinion_id: o.id,
                content: opinion.content,
                category: opinion.category,
                tagged_at: t.tagged_at,
            });
        }
    }
    Ok(out)
}

/// An appraisal citizens may raise opinions for, as the public form lists it.
#[derive(Debug, Clone)]
pub struct OpenForOpinions {
    pub appraisal_id: Uuid,
    pub title: String,
    pub year: i32,
}

/// A congress's appraisals gathering opinions now (OPEN or REPORTED), for the public form.
pub async fn open_for_opinions(store: &Store, congress_id: Uuid) -> Result<Vec<OpenForOpinions>> {
    let rows = appraisal::Entity::find()
        .filter(appraisal::Column::CongressId.eq(congress_id))
        .filter(
            appraisal::Column::State
                .is_in([AppraisalState::Open.as_str(), AppraisalState::Reported.as_str()]),
        )
        .order_by_asc(appraisal::Column::Id)
        .limit(SHOWN)
        .all(&store.db)
        .await?;
    // A public list: the units' names in one query, not one per appraisal.
    let unit_ids: Vec<Uuid> = rows.iter().map(|r| r.unit_id).collect();
    let units = handling_unit::Entity::find()
        .filter(handling_unit::Column::Id.is_in(unit_ids))
        .all(&store.db)
        .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let unit = units.iter().find(|u| u.id == r.unit_id).map_or("", |u| u.name.as_str());
            OpenForOpinions { appraisal_id: r.id, title: subject_title(r, unit), year: r.year }
        })
        .collect())
}

pub(super) fn citizen_columns(
    update: sea_orm::UpdateMany<appraisal::Entity>,
    turnout: u32,
    tally: &edaibiao_domain::ballot::Tally,
) -> sea_orm::UpdateMany<appraisal::Entity> {
    update
        .col_expr(appraisal::Column::CitizenTurnout, Expr::value(to_i32(turnout)))
        .col_expr(appraisal::Column::CitizenSatisfied, Expr::value(to_i32(tally.satisfied)))
        .col_expr(
            appraisal::Column::CitizenBasicallySatisfied,
            Expr::value(to_i32(tally.basically_satisfied)),
        )
        .col_expr(appraisal::Column::CitizenDissatisfied, Expr::value(to_i32(tally.dissatisfied)))
        .col_expr(
            appraisal::Column::CitizenScore,
            Expr::value(edaibiao_domain::ballot::satisfaction_rate(tally)),
        )
}
