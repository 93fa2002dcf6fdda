//! Bills (代表议案) in storage (see the domain's `bill` module for the rules).
//!
//! Every step is one transaction on the one path (`transaction::run_once`): it locks the bill, reads its
//! sponsors and units, asks the domain's table, writes the change, saves the bill with a compare-and-set on
//! its version, appends the step to the timeline (`bill_events`, numbered by the version) and tells
//! everyone concerned, all in that transaction. Of two concurrent conflicting steps the second finds the
//! new state and is refused (CONFLICT). Converting a bill to a suggestion creates the suggestion with the
//! suggestions' own code (`suggestions::insert_converted`) in the same transaction.

mod query;
mod stats;

pub use query::{
    Bill, BillEvent, BillFilter, BillSettings, CoSponsor, Meeting, Rating, from_suggestion, list_for,
    meetings, settings_for, timeline, visible_among,
};
pub use stats::{BillStatistics, CommitteeRow, bill_statistics};

use crate::entity::{
    bill, bill_co_sponsor, bill_event, bill_meeting, bill_unit, committee, congress_bill_setting, deputy,
    handling_unit,
};
use crate::error::Result;
use crate::idempotency::Idempotency;
use crate::notifications::{self, Message};
use crate::transaction::{self, Key, Once};
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::bill::{
    self as dom, BillAction, BillEventKind, BillState, BillText, CoSponsorThreshold, Conversion,
    DecidingBody, Disposition, Standing, TablingBy, kinds,
};
use edaibiao_domain::notification::Audience;
use edaibiao_domain::suggestion::{CoSignStatus, Satisfaction};
use edaibiao_domain::text::{Label, Note, Statement};
use query::parties_of;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, UpdateMany,
};
use uuid::Uuid;

/// The subject kind of notifications about a bill (its GraphQL type).
pub const SUBJECT: &str = "Bill";

fn key<'a>(actor: &Actor, idempotency: Option<&'a Idempotency<'a>>, result: Uuid) -> Option<Key<'a>> {
    idempotency.map(|idempotency| Key { owner: actor.user_id, idempotency, result })
}

fn idem<'a>(key: Option<&'a str>, operation: &'static str) -> Option<Idempotency<'a>> {
    key.map(|key| Idempotency { key, operation })
}

/// A locked bill with the parties the table looks at.
pub(crate) struct Locked {
    pub row: bill::Model,
    pub state: BillState,
    pub co_sponsors: Vec<(Uuid, CoSignStatus)>,
    pub units: Vec<Uuid>,
}

impl Locked {
    /// The lead sponsor and the confirmed co-sponsors.
    fn sponsors(&self) -> Vec<Audience> {
        std::iter::once(self.row.lead_deputy_id)
            .chain(self.co_sponsors.iter().filter(|(_, s)| *s == CoSignStatus::Confirmed).map(|(d, _)| *d))
            .map(Audience::Deputy)
            .collect()
    }

    fn units(&self) -> Vec<Audience> {
        self.units.iter().copied().map(Audience::Unit).collect()
    }

    fn staff(&self) -> Audience {
        Audience::Staff(self.row.congress_id)
    }
}

/// Locks bill `id` and checks `action` for `actor`: a bill the actor may not see is NOT_FOUND (staff
/// tabling a draft for a delegation act on it without seeing it), then the table decides.
async fn lock(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: Uuid,
    action: BillAction,
) -> Result<(Locked, Standing)> {
    lock_as(txn, actor, id, action, false).await
}

/// [`lock`] for someone who may be the leader of the delegation tabling the bill (`leads_delegation`).
async fn lock_as(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: Uuid,
    action: BillAction,
    leads_delegation: bool,
) -> Result<(Locked, Standing)> {
    let row = transaction::lock::<bill::Entity>(txn, id).await?;
    let state = query::state_of(&row)?;
    let (co_sponsors, units) = parties_of(txn, id).await?;
    let mut who = Standing::of(actor, row.congress_id, row.lead_deputy_id, &co_sponsors, &units);
    if leads_delegation && who != Standing::Staff && actor.congress_id == Some(row.congress_id) {
        who = Standing::DelegationLeader;
    }
    if !dom::visible(who, state) && !action.acts_unseen(who) {
        return Err("bill".into());
    }
    dom::decide(action, state, row.committee_id.is_some() && row.due_at.is_some(), who)?;
    Ok((Locked { row, state, co_sponsors, units }, who))
}

/// Saves the bill's new state over the version read and appends the step to its timeline.
async fn save(
    txn: &DatabaseTransaction,
    actor: &Actor,
    locked: &Locked,
    to: BillState,
    kind: BillEventKind,
    note: Option<String>,
    extra: impl FnOnce(UpdateMany<bill::Entity>) -> UpdateMany<bill::Entity>,
) -> Result<()> {
    let now = Utc::now();
    let read = &locked.row;
    let update = bill::Entity::update_many()
        .col_expr(bill::Column::State, Expr::value(to.as_str()))
        .col_expr(bill::Column::UpdatedAt, Expr::value(now));
    transaction::save(txn, read.id, read.version, read.version + 1, extra(update)).await?;
    event(txn, actor, read.id, read.version + 1, kind, Some(locked.state), to, note, now).await
}

#[allow(clippy::too_many_arguments, reason = "one row of the timeline, field by field")]
async fn event(
    db: &impl ConnectionTrait,
    actor: &Actor,
    bill_id: Uuid,
    seq: i32,
    kind: BillEventKind,
    from: Option<BillState>,
    to: BillState,
    note: Option<String>,
    at: DateTime<Utc>,
) -> Result<()> {
    let row = bill_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        bill_id: Set(bill_id),
        seq: Set(seq),
        kind: Set(kind.as_str().to_owned()),
        actor_account_id: Set(Some(actor.user_id)),
        actor_role: Set(actor.role.as_str().to_owned()),
        from_state: Set(from.map(|s| s.as_str().to_owned())),
        to_state: Set(to.as_str().to_owned()),
        note: Set(note),
        at: Set(at),
    };
    bill_event::Entity::insert(row)
        .exec_without_returning(db)
        .await
        .map_err(|e| Error::unique_as_conflict(e, "the bill was changed meanwhile; reload and try again"))?;
    Ok(())
}

/// Tells `audience` of a step of `bill` (its serial and title as the body), not the actor.
async fn tell(
    db: &impl ConnectionTrait,
    actor: &Actor,
    audience: &[Audience],
    (kind, title): (&str, &str),
    bill: &bill::Model,
) -> Result<()> {
    let body = format!("{}「{}」", bill.serial.as_deref().unwrap_or_default(), bill.title);
    let message = Message { kind, title, body: Some(body), subject_kind: SUBJECT, subject_id: Some(bill.id) };
    notifications::tell(db, audience, &message, Some(actor.user_id)).await
}

/// Answers a step with the bill as the actor now sees it (after a retry, as the first request left it).
async fn answer(store: &Store, actor: &Actor, done: Once<()>, id: Uuid) -> Result<Bill> {
    let id = match done {
        Once::Done(()) => id,
        Once::Replayed(id) => id,
    };
    query::find_for(store, actor, id).await
}

/// A bill `actor` may see, or NOT_FOUND.
pub async fn find_for(store: &Store, actor: &Actor, id: Uuid) -> Result<Bill> {
    query::find_for(store, actor, id).await
}

/// Staff set their congress's bill settings: the co-sponsor threshold (`None`: the level's default) and
/// the session in progress (`None`: the recess).
pub async fn set_settings(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    threshold: Option<CoSponsorThreshold>,
    session: Option<u32>,
) -> Result<BillSettings> {
    if !actor.is_staff_of(congress_id) {
        return Err(DomainError::forbidden("only staff of the congress change its bill settings").into());
    }
    transaction::run(store, async |txn| {
        crate::entity::congress::Entity::find_by_id(congress_id).one(txn).await?.ok_or("congress")?;
        congress_bill_setting::Entity::delete_by_id(congress_id).exec(txn).await?;
        let row = congress_bill_setting::ActiveModel {
            congress_id: Set(congress_id),
            co_sponsor_threshold: Set(threshold.map(|t| i32::try_from(t.get()).unwrap_or(i32::MAX))),
            session_number: Set(session.map(|s| i32::try_from(s).unwrap_or(i32::MAX))),
            updated_at: Set(Utc::now()),
        };
        congress_bill_setting::Entity::insert(row).exec_without_returning(txn).await?;
        Ok(())
    })
    .await?;
    settings_for(&store.db, congress_id).await
}

/// A deputy drafts a bill and becomes its lead sponsor (领衔人).
pub async fn draft(
    store: &Store,
    actor: &Actor,
    text: BillText,
    idempotency_key: Option<&str>,
) -> Result<Bill> {
    let (Some(deputy_id), Some(congress_id)) = (actor.deputy_id, actor.congress_id) else {
        return Err(DomainError::forbidden("only deputies draft bills").into());
    };
    if actor.role != edaibiao_domain::account::Role::Deputy {
        return Err(DomainError::forbidden("only deputies draft bills").into());
    }
    let id = Uuid::now_v7();
    let idem = idem(idempotency_key, "draftBill");
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let now = Utc::now();
        let row = bill::ActiveModel {
            id: Set(id),
            congress_id: Set(congress_id),
            lead_deputy_id: Set(deputy_id),
            delegation_id: Set(None),
            title: Set(text.title.as_str().to_owned()),
            reason: Set(text.reason.clone()),
            provisions: Set(text.provisions.clone()),
            state: Set(BillState::Draft.as_str().to_owned()),
            version: Set(1),
            serial: Set(None),
            session_number: Set(None),
            tabled_at: Set(None),
            decided_by: Set(None),
            disposition: Set(None),
            decision_note: Set(None),
            decided_at: Set(None),
            suggestion_id: Set(None),
            committee_id: Set(None),
            assigned_at: Set(None),
            due_at: Set(None),
            review_report: Set(None),
            review_decision: Set(None),
            reviewed_at: Set(None),
            close_note: Set(None),
            closed_at: Set(None),
            rating_attitude: Set(None),
            rating_result: Set(None),
            rating_comment: Set(None),
            rated_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        };
        bill::Entity::insert(row).exec_without_returning(txn).await?;
        index_text(txn, id, congress_id, &text, now).await?;
        event(txn, actor, id, 1, BillEventKind::Drafted, None, BillState::Draft, None, now).await
    })
    .await?;
    answer(store, actor, done, id).await
}

/// Indexes a bill's text for search (title; the case for it and the provisions as the body), in the
/// step's transaction.
async fn index_text(
    db: &impl ConnectionTrait,
    id: Uuid,
    congress_id: Uuid,
    text: &BillText,
    at: DateTime<Utc>,
) -> Result<()> {
    let body = format!("{}\n\n{}", text.reason, text.provisions);
    let doc = crate::search::Indexed {
        kind: edaibiao_domain::search::SearchKind::Bill,
        item_id: id,
        congress_id,
        title: text.title.as_str(),
        body: &body,
        at,
    };
    crate::search::index(db, doc).await
}

/// The lead sponsor edits the draft's text.
pub async fn edit(store: &Store, actor: &Actor, id: Uuid, text: BillText) -> Result<Bill> {
    transaction::run(store, async |txn| {
        let (locked, _) = lock(txn, actor, id, BillAction::Edit).await?;
        save(txn, actor, &locked, BillState::Draft, BillEventKind::Edited, None, |u| {
            u.col_expr(bill::Column::Title, Expr::value(text.title.as_str()))
                .col_expr(bill::Column::Reason, Expr::value(text.reason.as_str()))
                .col_expr(bill::Column::Provisions, Expr::value(text.provisions.as_str()))
        })
        .await?;
        index_text(txn, id, locked.row.congress_id, &text, Utc::now()).await
    })
    .await?;
    find_for(store, actor, id).await
}

/// The lead sponsor invites deputies of the congress to co-sponsor; each is told.
pub async fn invite(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    deputy_ids: &[Uuid],
    idempotency_key: Option<&str>,
) -> Result<Bill> {
    let idem = idem(idempotency_key, "inviteBillCoSponsors");
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (locked, _) = lock(txn, actor, id, BillAction::InviteCoSponsors).await?;
        let found: Vec<(Uuid, Uuid)> = deputy::Entity::find()
            .filter(deputy::Column::Id.is_in(deputy_ids.iter().copied()))
            .all(txn)
            .await?
            .into_iter()
            .map(|d| (d.id, d.congress_id))
            .collect();
        let invitees: Vec<(Uuid, Uuid)> = deputy_ids
            .iter()
            .map(|d| found.iter().find(|(f, _)| f == d).copied().ok_or(DomainError::NotFound("deputy")))
            .collect::<Result<_, _>>()?;
        let already: Vec<Uuid> = locked.co_sponsors.iter().map(|(d, _)| *d).collect();
        dom::check_invitations(locked.row.congress_id, locked.row.lead_deputy_id, &already, &invitees)?;
        let now = Utc::now();
        let rows = deputy_ids.iter().map(|d| bill_co_sponsor::ActiveModel {
            bill_id: Set(id),
            deputy_id: Set(*d),
            status: Set(CoSignStatus::Invited.as_str().to_owned()),
            invited_at: Set(now),
            answered_at: Set(None),
        });
        bill_co_sponsor::Entity::insert_many(rows).exec_without_returning(txn).await?;
        let note = format!("邀请{}位代表附议", deputy_ids.len());
        save(txn, actor, &locked, BillState::Draft, BillEventKind::CoSponsorInvited, Some(note), |u| u)
            .await?;
        let audience: Vec<Audience> = deputy_ids.iter().copied().map(Audience::Deputy).collect();
        tell(txn, actor, &audience, (kinds::CO_SPONSOR_INVITED, "邀请您附议议案"), &locked.row).await
    })
    .await?;
    answer(store, actor, done, id).await
}

/// An invited co-sponsor accepts or declines (once).
pub async fn answer_invitation(store: &Store, actor: &Actor, id: Uuid, accept: bool) -> Result<Bill> {
    transaction::run(store, async |txn| {
        let (locked, _) = lock(txn, actor, id, BillAction::AnswerInvitation).await?;
        let deputy_id = actor.deputy_id.ok_or("bill")?;
        let status = if accept { CoSignStatus::Confirmed } else { CoSignStatus::Declined };
        bill_co_sponsor::Entity::update_many()
            .col_expr(bill_co_sponsor::Column::Status, Expr::value(status.as_str()))
            .col_expr(bill_co_sponsor::Column::AnsweredAt, Expr::value(Utc::now()))
            .filter(bill_co_sponsor::Column::BillId.eq(id))
            .filter(bill_co_sponsor::Column::DeputyId.eq(deputy_id))
            .exec(txn)
            .await?;
        let note = if accept { "同意附议" } else { "谢绝附议" };
        save(
            txn,
            actor,
            &locked,
            BillState::Draft,
            BillEventKind::CoSponsorshipAnswered,
            Some(note.into()),
            |u| u,
        )
        .await
    })
    .await?;
    // A co-sponsor who declined no longer sees the bill.
    if accept { find_for(store, actor, id).await } else { Err("bill".into()) }
}

/// Tables a draft during a session: by its lead sponsor with enough confirmed co-sponsors, or by staff in
/// the name of the lead sponsor's delegation (`delegation`). The bill gets its serial (议案第N号); the
/// congress's staff are told.
pub async fn table(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    delegation: Option<Uuid>,
    idempotency_key: Option<&str>,
) -> Result<Bill> {
    let idem = idem(idempotency_key, "tableBill");
    let action = if delegation.is_some() { BillAction::TableForDelegation } else { BillAction::Table };
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let group = match delegation {
            Some(group_id) => Some(crate::activities::group_of(txn, group_id).await?.ok_or("deputy group")?),
            None => None,
        };
        let leads = group.is_some_and(|(_, leader)| leader.is_some() && leader == actor.deputy_id);
        let (locked, _) = lock_as(txn, actor, id, action, leads).await?;
        let row = &locked.row;
        let settings = settings_for(txn, row.congress_id).await?;
        let by = match (delegation, group) {
            (Some(group_id), Some((group_congress, _))) => {
                let lead = deputy::Entity::find_by_id(row.lead_deputy_id).one(txn).await?.ok_or("deputy")?;
                dom::check_delegation(group_congress, row.congress_id, group_id, lead.deputy_group_id)?;
                TablingBy::Delegation
            }
            _ => TablingBy::Sponsors,
        };
        let confirmed = locked.co_sponsors.iter().filter(|(_, s)| *s == CoSignStatus::Confirmed).count();
        let session = dom::check_tabling(settings.session, confirmed, settings.threshold, by)?;
        let serial = crate::suggestions::next_serial(txn, row.congress_id, &dom::serial_key(session))
            .await
            .map(|n| dom::serial(session, n))?;
        let now = Utc::now();
        let note = delegation.map(|_| "由代表团提出".to_owned());
        save(txn, actor, &locked, BillState::Tabled, BillEventKind::Tabled, note, |u| {
            u.col_expr(bill::Column::Serial, Expr::value(serial.clone()))
                .col_expr(
                    bill::Column::SessionNumber,
                    Expr::value(i32::try_from(session).unwrap_or(i32::MAX)),
                )
                .col_expr(bill::Column::TabledAt, Expr::value(now))
                .col_expr(bill::Column::DelegationId, Expr::value(delegation))
        })
        .await?;
        let tabled = bill::Model { serial: Some(serial), ..row.clone() };
        let mut audience = vec![locked.staff()];
        audience.extend(locked.sponsors());
        tell(txn, actor, &audience, (kinds::TABLED, "新的代表议案已提出"), &tabled).await
    })
    .await?;
    answer(store, actor, done, id).await
}

/// What the presidium (or the standing committee) decides.
#[derive(Debug, Clone)]
pub struct Decision {
    pub disposition: Disposition,
    /// The special committee a REFERRED bill goes to (required then), of the bill's congress.
    pub committee_id: Option<Uuid>,
    pub note: Option<Note>,
}

/// Staff record what a tabled bill becomes, for the presidium during a session or the standing committee
/// in recess (the body is recorded). CONVERTED creates the suggestion in the same transaction (PROPOSED,
/// same sponsors, a suggestion serial) and links both ways. The sponsors are told.
pub async fn decide(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    decision: Decision,
    idempotency_key: Option<&str>,
) -> Result<Bill> {
    let idem = idem(idempotency_key, "decideBill");
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (locked, _) = lock(txn, actor, id, BillAction::Decide).await?;
        let row = &locked.row;
        let committee_id = match (decision.disposition, decision.committee_id) {
            (Disposition::Referred, None) => {
                return Err(DomainError::invalid("committeeId", "a referred bill names its committee").into());
            }
            (_, Some(c)) => Some(check_committee(txn, row.congress_id, c).await?),
            (_, None) => None,
        };
        let settings = settings_for(txn, row.congress_id).await?;
        let body = DecidingBody::of(settings.session);
        let now = Utc::now();
        let suggestion_id = if decision.disposition == Disposition::Converted {
            let confirmed: Vec<Uuid> = locked
                .co_sponsors
                .iter()
                .filter(|(_, s)| *s == CoSignStatus::Confirmed)
                .map(|(d, _)| *d)
                .collect();
            let session = row.session_number.and_then(|n| u32::try_from(n).ok()).unwrap_or(1);
            let conversion = Conversion {
                congress_id: row.congress_id,
                session,
                lead: row.lead_deputy_id,
                co_sponsors: &confirmed,
                title: &row.title,
                reason: &row.reason,
                provisions: &row.provisions,
            };
            let (created, submitted) = dom::conversion_events(&conversion, Uuid::now_v7(), now);
            Some(crate::suggestions::insert_converted(txn, actor, created, submitted).await?.id)
        } else {
            None
        };
        let to = decision.disposition.state();
        let note = decision.note.as_ref().map(|n| n.as_str().to_owned());
        save(txn, actor, &locked, to, BillEventKind::Decided, note.clone(), |u| {
            u.col_expr(bill::Column::DecidedBy, Expr::value(body.as_str()))
                .col_expr(bill::Column::Disposition, Expr::value(decision.disposition.as_str()))
                .col_expr(bill::Column::DecisionNote, Expr::value(note))
                .col_expr(bill::Column::DecidedAt, Expr::value(now))
                .col_expr(bill::Column::SuggestionId, Expr::value(suggestion_id))
                .col_expr(bill::Column::CommitteeId, Expr::value(committee_id))
        })
        .await?;
        let title = match decision.disposition {
            Disposition::OnAgenda => "议案已列入会议议程",
            Disposition::Referred => "议案已交专门委员会审议",
            Disposition::Converted => "议案已作为建议处理",
        };
        tell(txn, actor, &locked.sponsors(), (kinds::DECIDED, title), row).await
    })
    .await?;
    answer(store, actor, done, id).await
}

async fn check_committee(db: &impl ConnectionTrait, congress_id: Uuid, id: Uuid) -> Result<Uuid> {
    let found = committee::Entity::find_by_id(id).one(db).await?;
    if found.is_none_or(|c| c.congress_id != congress_id) {
        return Err(DomainError::invalid("committeeId", "is not a committee of the bill's congress").into());
    }
    Ok(id)
}

/// An assignment: the committee that reviews, the units that handle, the deadline.
#[derive(Debug, Clone)]
pub struct Assignment {
    pub committee_id: Uuid,
    pub unit_ids: Vec<Uuid>,
    pub due_at: DateTime<Utc>,
}

/// Staff assign a bill on the agenda or referred to its committee and units with a deadline (again, to
/// change it, until it is reviewed). The units and the sponsors are told.
pub async fn assign(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    assignment: Assignment,
    idempotency_key: Option<&str>,
) -> Result<Bill> {
    if assignment.unit_ids.len() > dom::MAX_UNITS {
        return Err(DomainError::invalid("unitIds", format!("at most {} units", dom::MAX_UNITS)).into());
    }
    let idem = idem(idempotency_key, "assignBill");
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (locked, _) = lock(txn, actor, id, BillAction::Assign).await?;
        let row = &locked.row;
        let now = Utc::now();
        dom::check_deadline(assignment.due_at, now)?;
        check_committee(txn, row.congress_id, assignment.committee_id).await?;
        let mut units = assignment.unit_ids.clone();
        units.sort_unstable();
        units.dedup();
        let found = handling_unit::Entity::find()
            .filter(handling_unit::Column::Id.is_in(units.iter().copied()))
            .filter(handling_unit::Column::CongressId.eq(row.congress_id))
            .count(txn)
            .await?;
        if usize::try_from(found).unwrap_or(0) != units.len() {
            return Err(
                DomainError::invalid("unitIds", "names a unit that is not of the bill's congress").into()
            );
        }
        bill_unit::Entity::delete_many().filter(bill_unit::Column::BillId.eq(id)).exec(txn).await?;
        if !units.is_empty() {
            let rows = units.iter().map(|u| bill_unit::ActiveModel { bill_id: Set(id), unit_id: Set(*u) });
            bill_unit::Entity::insert_many(rows).exec_without_returning(txn).await?;
        }
        save(txn, actor, &locked, locked.state, BillEventKind::Assigned, None, |u| {
            u.col_expr(bill::Column::CommitteeId, Expr::value(assignment.committee_id))
                .col_expr(bill::Column::AssignedAt, Expr::value(now))
                .col_expr(bill::Column::DueAt, Expr::value(assignment.due_at))
        })
        .await?;
        let mut audience: Vec<Audience> = units.iter().copied().map(Audience::Unit).collect();
        audience.extend(locked.sponsors());
        tell(txn, actor, &audience, (kinds::ASSIGNED, "议案已交办"), row).await
    })
    .await?;
    answer(store, actor, done, id).await
}

/// Staff invite the lead sponsor to a meeting that considers the bill (邀请领衔人列席); they are told.
pub async fn invite_lead_sponsor(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    title: Label,
    held_at: DateTime<Utc>,
    idempotency_key: Option<&str>,
) -> Result<Bill> {
    let idem = idem(idempotency_key, "inviteBillLeadSponsor");
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (locked, _) = lock(txn, actor, id, BillAction::InviteLeadSponsor).await?;
        let count =
            bill_meeting::Entity::find().filter(bill_meeting::Column::BillId.eq(id)).count(txn).await?;
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        if count >= dom::MAX_MEETINGS {
            return Err(
                DomainError::conflict(format!("at most {} meetings per bill", dom::MAX_MEETINGS)).into()
            );
        }
        let now = Utc::now();
        let row = bill_meeting::ActiveModel {
            id: Set(Uuid::now_v7()),
            bill_id: Set(id),
            number: Set(i32::try_from(count + 1).unwrap_or(i32::MAX)),
            title: Set(title.as_str().to_owned()),
            held_at: Set(held_at),
            attended: Set(None),
            recorded_at: Set(None),
            created_at: Set(now),
        };
        bill_meeting::Entity::insert(row).exec_without_returning(txn).await?;
        let note = Some(title.as_str().to_owned());
        save(txn, actor, &locked, locked.state, BillEventKind::LeadSponsorInvited, note, |u| u).await?;
        let audience = [Audience::Deputy(locked.row.lead_deputy_id)];
        tell(txn, actor, &audience, (kinds::MEETING_INVITED, "邀请您列席审议议案的会议"), &locked.row).await
    })
    .await?;
    answer(store, actor, done, id).await
}

/// Staff record whether the lead sponsor attended meeting `number` of the bill (correctable until the
/// bill is reviewed).
pub async fn record_attendance(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    number: i32,
    attended: bool,
) -> Result<Bill> {
    transaction::run(store, async |txn| {
        let (locked, _) = lock(txn, actor, id, BillAction::RecordAttendance).await?;
        let updated = bill_meeting::Entity::update_many()
            .col_expr(bill_meeting::Column::Attended, Expr::value(attended))
            .col_expr(bill_meeting::Column::RecordedAt, Expr::value(Utc::now()))
            .filter(bill_meeting::Column::BillId.eq(id))
            .filter(bill_meeting::Column::Number.eq(number))
            .exec(txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(DomainError::NotFound("bill meeting").into());
        }
        let note = format!("第{number}次会议：{}", if attended { "领衔人已列席" } else { "领衔人未列席" });
        save(txn, actor, &locked, locked.state, BillEventKind::AttendanceRecorded, Some(note), |u| u).await
    })
    .await?;
    find_for(store, actor, id).await
}

/// Staff record the committee's review report and the standing committee's decision (审议结果); the
/// sponsors and units are told.
pub async fn review(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    report: Statement,
    decision: Note,
    idempotency_key: Option<&str>,
) -> Result<Bill> {
    let idem = idem(idempotency_key, "reviewBill");
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (locked, _) = lock(txn, actor, id, BillAction::Review).await?;
        let now = Utc::now();
        save(
            txn,
            actor,
            &locked,
            BillState::Reviewed,
            BillEventKind::Reviewed,
            Some(decision.as_str().to_owned()),
            |u| {
                u.col_expr(bill::Column::ReviewReport, Expr::value(report.as_str()))
                    .col_expr(bill::Column::ReviewDecision, Expr::value(decision.as_str()))
                    .col_expr(bill::Column::ReviewedAt, Expr::value(now))
            },
        )
        .await?;
        let mut audience = locked.sponsors();
        audience.extend(locked.units());
        tell(txn, actor, &audience, (kinds::REVIEWED, "议案审议结果已确定"), &locked.row).await
    })
    .await?;
    answer(store, actor, done, id).await
}

/// A unit of the bill (or staff) reports on carrying out the decision (落实、报告); staff and the lead
/// sponsor are told.
pub async fn report_follow_up(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    note: Note,
    idempotency_key: Option<&str>,
) -> Result<Bill> {
    let idem = idem(idempotency_key, "reportBillFollowUp");
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (locked, _) = lock(txn, actor, id, BillAction::ReportFollowUp).await?;
        let text = Some(note.as_str().to_owned());
        save(txn, actor, &locked, BillState::FollowUp, BillEventKind::FollowUpReported, text, |u| u).await?;
        let audience = [locked.staff(), Audience::Deputy(locked.row.lead_deputy_id)];
        tell(txn, actor, &audience, (kinds::FOLLOW_UP_REPORTED, "议案落实情况已报告"), &locked.row).await
    })
    .await?;
    answer(store, actor, done, id).await
}

/// Staff press the units on the follow-up (督办); the units are told.
pub async fn supervise(store: &Store, actor: &Actor, id: Uuid, note: Note) -> Result<Bill> {
    transaction::run(store, async |txn| {
        let (locked, _) = lock(txn, actor, id, BillAction::Supervise).await?;
        let text = Some(note.as_str().to_owned());
        save(txn, actor, &locked, locked.state, BillEventKind::Supervised, text, |u| u).await?;
        tell(txn, actor, &locked.units(), (kinds::SUPERVISED, "议案落实情况督办"), &locked.row).await
    })
    .await?;
    find_for(store, actor, id).await
}

/// Staff (for the committee) close the follow-up; the sponsors and units are told, and the lead sponsor
/// may rate the handling.
pub async fn close(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    note: Note,
    idempotency_key: Option<&str>,
) -> Result<Bill> {
    let idem = idem(idempotency_key, "closeBill");
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (locked, _) = lock(txn, actor, id, BillAction::Close).await?;
        let now = Utc::now();
        let text = note.as_str().to_owned();
        save(txn, actor, &locked, BillState::Closed, BillEventKind::Closed, Some(text.clone()), |u| {
            u.col_expr(bill::Column::CloseNote, Expr::value(text))
                .col_expr(bill::Column::ClosedAt, Expr::value(now))
        })
        .await?;
        let mut audience = locked.sponsors();
        audience.extend(locked.units());
        tell(txn, actor, &audience, (kinds::CLOSED, "议案办理已办结，请评价"), &locked.row).await
    })
    .await?;
    answer(store, actor, done, id).await
}

/// The lead sponsor rates the handling once (办理态度, 办理结果), as for suggestions; staff and the units
/// are told.
pub async fn rate(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    attitude: Satisfaction,
    result: Satisfaction,
    comment: Option<Note>,
    idempotency_key: Option<&str>,
) -> Result<Bill> {
    let idem = idem(idempotency_key, "rateBill");
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (locked, _) = lock(txn, actor, id, BillAction::Rate).await?;
        let now = Utc::now();
        let comment = comment.map(Note::into_string);
        let note = format!("办理态度{}，办理结果{}", attitude.as_str(), result.as_str());
        save(txn, actor, &locked, BillState::Rated, BillEventKind::Rated, Some(note), |u| {
            u.col_expr(bill::Column::RatingAttitude, Expr::value(attitude.as_str()))
                .col_expr(bill::Column::RatingResult, Expr::value(result.as_str()))
                .col_expr(bill::Column::RatingComment, Expr::value(comment))
                .col_expr(bill::Column::RatedAt, Expr::value(now))
        })
        .await?;
        let mut audience = vec![locked.staff()];
        audience.extend(locked.units());
        tell(txn, actor, &audience, (kinds::RATED, "领衔人已评价议案办理"), &locked.row).await
    })
    .await?;
    answer(store, actor, done, id).await
}
