//! Selections (评选: 优秀建议, 优秀代表) in storage. Every step is one transaction that locks the selection's
//! row, lets the domain decide, writes the change with a compare-and-set on the version and writes its notices
//! in the same transaction. Committee ballots go to the shared ballot box (kind [`SELECTION_BOX`]): only the
//! register of who voted and the counts are kept, never who chose what. A published win is read into the
//! winner's duty archive from here ([`archive_rows`]); nothing is copied.

use crate::ballots::{self, BallotBox, Voter};
use crate::entity::{deputy, deputy_group, selection, selection_candidate, selection_member, suggestion};
use crate::error::{Result, stored};
use crate::idempotency::Idempotency;
use crate::notifications;
use crate::transaction::{self, Key, Once};
use crate::{Error, Page, PageRequest, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::ballot::{self, Verdict};
use edaibiao_domain::duty::points::EntryKind;
use edaibiao_domain::notification::Audience;
use edaibiao_domain::selection::{
    self as rules, Action, DecisionMethod, Nominee, OpenFacts, Selection as Rules, SelectionKind,
    SelectionState, kinds,
};
use edaibiao_domain::suggestion::SuggestionState;
use edaibiao_domain::text::{Label, Note};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// The ballot box of a selection's committee vote (its id is the selection's).
pub const SELECTION_BOX: &str = "SELECTION";

fn selection_box(id: Uuid) -> BallotBox {
    BallotBox { kind: SELECTION_BOX, id }
}

fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn to_u32(n: i32) -> u32 {
    u32::try_from(n).unwrap_or_default()
}

/// What staff give to open a selection.
#[derive(Debug, Clone)]
pub struct OpenInput {
    pub congress_id: Uuid,
    pub kind: SelectionKind,
    pub method: DecisionMethod,
    pub year: i32,
    pub title: Label,
    pub places: u32,
    /// The committee's deputies (COMMITTEE_VOTE).
    pub committee: Vec<Uuid>,
}

/// What a nomination names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NomineeInput {
    Suggestion(Uuid),
    Deputy(Uuid),
}

/// A candidate's result, once the viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateResult {
    /// Committee members who chose it (COMMITTEE_VOTE).
    pub votes: Option<u32>,
    pub rank: Option<u32>,
    pub verdict: Verdict,
    /// Why staff chose it (STAFF_DECISION).
    pub reason: Option<String>,
}

/// One nominee of a selection.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: Uuid,
    pub selection_id: Uuid,
    pub kind: SelectionKind,
    /// The selection's year: the duty archive year of a deputy's supporting record.
    pub year: i32,
    pub position: u32,
    pub suggestion_id: Option<Uuid>,
    /// The deputy nominated, or the suggestion's lead deputy.
    pub deputy_id: Uuid,
    /// The deputy group on whose behalf staff nominated, if any.
    pub group_id: Option<Uuid>,
    pub reason: String,
    pub nominated_at: DateTime<Utc>,
    pub result: Option<CandidateResult>,
}

/// A selection as one viewer may see it.
#[derive(Debug, Clone)]
pub struct Selection {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub kind: SelectionKind,
    pub method: DecisionMethod,
    pub year: i32,
    pub title: String,
    pub places: u32,
    pub state: SelectionState,
    /// The committee's size: the electorate of quorum and majority.
    pub electorate: u32,
    /// Ballots cast so far (while voting) or in all (closed).
    pub turnout: u32,
    /// Whether more than half of the committee voted: once the viewer sees the results.
    pub quorum: Option<bool>,
    pub committee: Vec<Uuid>,
    pub candidates: Vec<Candidate>,
    pub opened_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    /// Whether the viewer is a committee member who may vote now, and whether they have voted.
    pub may_vote: bool,
    pub has_voted: bool,
}

fn rules_of(m: &selection::Model, committee: Vec<Uuid>) -> Result<Rules> {
    Ok(Rules {
        id: m.id,
        congress_id: m.congress_id,
        kind: stored("selection kind", m.id, SelectionKind::parse(&m.kind))?,
        method: stored("selection method", m.id, DecisionMethod::parse(&m.method))?,
        places: to_u32(m.places),
        state: stored("selection state", m.id, SelectionState::parse(&m.state))?,
        committee,
    })
}

async fn committees(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Uuid>>> {
    let rows = selection_member::Entity::find()
        .filter(selection_member::Column::SelectionId.is_in(ids.iter().copied()))
        .order_by_asc(selection_member::Column::DeputyId)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for r in rows {
        out.entry(r.selection_id).or_default().push(r.deputy_id);
    }
    Ok(out)
}

async fn candidate_rows(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<selection_candidate::Model>>> {
    let rows = selection_candidate::Entity::find()
        .filter(selection_candidate::Column::SelectionId.is_in(ids.iter().copied()))
        .order_by_asc(selection_candidate::Column::Position)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<selection_candidate::Model>> = HashMap::new();
    for r in rows {
        out.entry(r.selection_id).or_default().push(r);
    }
    Ok(out)
}

async fn locked(txn: &DatabaseTransaction, id: Uuid) -> Result<(selection::Model, Rules)> {
    let row = transaction::lock::<selection::Entity>(txn, id).await?;
    let committee = committees(txn, &[id]).await?.remove(&id).unwrap_or_default();
    let rules = rules_of(&row, committee)?;
    Ok((row, rules))
}

/// Saves the new state (and `extra` columns) over the version read.
async fn save_state(
    txn: &DatabaseTransaction,
    row: &selection::Model,
    state: SelectionState,
    extra: impl FnOnce(sea_orm::UpdateMany<selection::Entity>) -> sea_orm::UpdateMany<selection::Entity>,
) -> Result<()> {
    let update = selection::Entity::update_many()
        .col_expr(selection::Column::State, Expr::value(state.as_str()))
        .col_expr(selection::Column::UpdatedAt, Expr::value(Utc::now()));
    transaction::save(txn, row.id, row.version, row.version + 1, extra(update)).await
}

async fn tell(
    txn: &DatabaseTransaction,
    audience: &[Audience],
    row: &selection::Model,
    kind: &'static str,
    title: &'static str,
    detail: &str,
    except: Option<Uuid>,
) -> Result<()> {
    let body = format!("{}（{}年）：{detail}", row.title, row.year);
    notifications::tell_about(txn, audience, kind, title, Some(body), ("Selection", row.id), except).await
}

/// `openSelection`: staff of the congress open a selection (NOMINATING).
pub async fn open(store: &Store, actor: &Actor, input: OpenInput) -> Result<Selection> {
    if !actor.is_staff_of(input.congress_id) {
        return Err(DomainError::forbidden("only staff of the congress open a selection").into());
    }
    if input.committee.len() > rules::MAX_MEMBERS {
        return Err(DomainError::invalid("committeeDeputyIds", "too many members").into());
    }
    let id = transaction::run(store, async |txn| {
        let found =
            deputy::Entity::find().filter(deputy::Column::Id.is_in(input.committee.clone())).all(txn).await?;
        let mut committee = Vec::with_capacity(input.committee.len());
        for d in &input.committee {
            let row = found
                .iter()
                .find(|r| r.id == *d)
                .ok_or_else(|| DomainError::invalid("committeeDeputyIds", "names an unknown deputy"))?;
            committee.push((row.id, row.congress_id));
        }
        let facts = OpenFacts {
            congress_id: input.congress_id,
            kind: input.kind,
            method: input.method,
            year: input.year,
            places: input.places,
            committee,
        };
        let s = Rules::open(actor, Uuid::now_v7(), &facts)?;
        let now = Utc::now();
        let row = selection::ActiveModel {
            id: Set(s.id),
            congress_id: Set(s.congress_id),
            kind: Set(s.kind.as_str().to_owned()),
            method: Set(s.method.as_str().to_owned()),
            year: Set(input.year),
            title: Set(input.title.as_str().to_owned()),
            places: Set(to_i32(s.places)),
            state: Set(s.state.as_str().to_owned()),
            electorate: Set(i32::try_from(s.committee.len()).unwrap_or(i32::MAX)),
            turnout: Set(None),
            quorum: Set(None),
            created_by: Set(actor.user_id),
            version: Set(1),
            opened_at: Set(now),
            decided_at: Set(None),
            published_at: Set(None),
            updated_at: Set(now),
        };
        selection::Entity::insert(row).exec_without_returning(txn).await?;
        if !s.committee.is_empty() {
            let members: Vec<selection_member::ActiveModel> = s
                .committee
                .iter()
                .map(|d| selection_member::ActiveModel { selection_id: Set(s.id), deputy_id: Set(*d) })
                .collect();
            selection_member::Entity::insert_many(members).exec_without_returning(txn).await?;
        }
        Ok(s.id)
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// The facts of a nominee, looked up in the nominating transaction.
async fn nominee(txn: &DatabaseTransaction, input: NomineeInput) -> Result<Nominee> {
    let group_of = async |d: Uuid| -> Result<Option<Uuid>> {
        Ok(deputy::Entity::find_by_id(d).one(txn).await?.and_then(|r| r.deputy_group_id))
    };
    match input {
        NomineeInput::Suggestion(id) => {
            let s = suggestion::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| DomainError::invalid("suggestionId", "names an unknown suggestion"))?;
            Ok(Nominee::Suggestion {
                id,
                congress_id: s.congress_id,
                state: stored("suggestion state", id, SuggestionState::parse(&s.state))?,
                lead_deputy_id: s.lead_deputy_id,
                group_id: group_of(s.lead_deputy_id).await?,
            })
        }
        NomineeInput::Deputy(id) => {
            let d = deputy::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| DomainError::invalid("deputyId", "names an unknown deputy"))?;
            Ok(Nominee::Deputy { id, congress_id: d.congress_id, group_id: d.deputy_group_id })
        }
    }
}

/// `nominateSelectionCandidate`: staff nominate a suggestion or a deputy, themselves or on behalf of a deputy
/// group of the congress, with the reason. The same nominee twice is a CONFLICT; a retry with the same
/// idempotency key nominates once.
pub async fn nominate(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    input: NomineeInput,
    group_id: Option<Uuid>,
    reason: Note,
    idem: Option<Idempotency<'_>>,
) -> Result<Candidate> {
    let candidate_id = Uuid::now_v7();
    let key =
        idem.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: candidate_id });
    let done = transaction::run_once(store, key, async |txn| {
        let (_, rules) = locked(txn, id).await?;
        rules.check(Some(actor), Action::Nominate)?;
        let nominee = nominee(txn, input).await?;
        let group = match group_id {
            Some(g) => {
                let row = deputy_group::Entity::find_by_id(g)
                    .one(txn)
                    .await?
                    .ok_or_else(|| DomainError::invalid("groupId", "names an unknown deputy group"))?;
                Some((row.id, row.congress_id))
            }
            None => None,
        };
        let existing = selection_candidate::Entity::find()
            .filter(selection_candidate::Column::SelectionId.eq(id))
            .count(txn)
            .await?;
        let existing = usize::try_from(existing).unwrap_or(usize::MAX);
        rules::check_nomination(&rules, &nominee, group, existing)?;
        let row = selection_candidate::ActiveModel {
            id: Set(candidate_id),
            selection_id: Set(id),
            position: Set(i32::try_from(existing + 1).unwrap_or(i32::MAX)),
            subject_id: Set(nominee.subject_id()),
            suggestion_id: Set(match nominee {
                Nominee::Suggestion { id, .. } => Some(id),
                Nominee::Deputy { .. } => None,
            }),
            deputy_id: Set(nominee.credited_deputy()),
            nominated_by: Set(actor.user_id),
            group_id: Set(group_id),
            reason: Set(reason.as_str().to_owned()),
            votes: Set(None),
            rank: Set(None),
            verdict: Set(None),
            decision_reason: Set(None),
            nominated_at: Set(Utc::now()),
        };
        selection_candidate::Entity::insert(row).exec_without_returning(txn).await.map_err(|e| {
            Error::unique_as_conflict(e, "this nominee is a candidate of the selection already")
        })?;
        Ok(())
    })
    .await?;
    let found = match done {
        Once::Done(()) => candidate_id,
        Once::Replayed(first) => first,
    };
    candidate_for(store, Some(actor), found).await
}

/// `startSelectionVote`: staff close nominations and open the committee's vote (VOTING); the committee's
/// members are told. CONFLICT without more candidates than places.
pub async fn start_voting(store: &Store, actor: &Actor, id: Uuid) -> Result<Selection> {
    transaction::run(store, async |txn| {
        let (row, rules) = locked(txn, id).await?;
        let next = rules.check(Some(actor), Action::StartVoting)?;
        let candidates: Vec<Uuid> =
            candidate_rows(txn, &[id]).await?.remove(&id).unwrap_or_default().iter().map(|c| c.id).collect();
        let n = candidates.len();
        rules.question(candidates)?;
        save_state(txn, &row, next, |u| u).await?;
        let audience: Vec<Audience> = rules.committee.iter().copied().map(Audience::Deputy).collect();
        let detail = format!("请从{n}个候选中选出不超过{}个", rules.places);
        tell(txn, &audience, &row, kinds::VOTING_OPENED, "评选投票已开始", &detail, Some(actor.user_id)).await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// `castSelectionBallot`: a committee member casts their secret ballot while VOTING: the candidates they
/// choose, 1 to the number of places. One per member (CONFLICT on a second); a retry with the same
/// idempotency key counts once.
pub async fn vote(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    chosen: Vec<Uuid>,
    idem: Option<Idempotency<'_>>,
) -> Result<Selection> {
    let key = idem.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: id });
    transaction::run_once(store, key, async |txn| {
        let (_, rules) = locked(txn, id).await?;
        rules.check(Some(actor), Action::Vote)?;
        let candidates: Vec<Uuid> =
            candidate_rows(txn, &[id]).await?.remove(&id).unwrap_or_default().iter().map(|c| c.id).collect();
        let question = rules.question(candidates)?;
        let member = actor.deputy_id.ok_or_else(|| DomainError::forbidden("only committee members vote"))?;
        ballots::cast_choice(txn, selection_box(id), member, &question, &chosen).await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// `closeSelectionVote`: staff close the vote (DECIDED): the counts are read once and each candidate's votes,
/// rank and verdict kept, with the turnout and whether it made a quorum. Without a quorum nobody wins.
pub async fn close_vote(store: &Store, actor: &Actor, id: Uuid) -> Result<Selection> {
    transaction::run(store, async |txn| {
        let (row, rules) = locked(txn, id).await?;
        let next = rules.check(Some(actor), Action::CloseVote)?;
        let candidates: Vec<Uuid> =
            candidate_rows(txn, &[id]).await?.remove(&id).unwrap_or_default().iter().map(|c| c.id).collect();
        let question = rules.question(candidates)?;
        let electorate = to_u32(row.electorate);
        let (turnout, outcomes) = ballots::count(txn, selection_box(id), &question, electorate).await?;
        for o in outcomes {
            selection_candidate::Entity::update_many()
                .col_expr(selection_candidate::Column::Votes, Expr::value(to_i32(o.tally.chosen)))
                .col_expr(selection_candidate::Column::Rank, Expr::value(to_i32(o.rank)))
                .col_expr(selection_candidate::Column::Verdict, Expr::value(o.verdict.as_str()))
                .filter(selection_candidate::Column::Id.eq(o.candidate))
                .exec(txn)
                .await?;
        }
        let quorum = ballot::quorum(turnout, electorate);
        save_state(txn, &row, next, |u| {
            u.col_expr(selection::Column::Turnout, Expr::value(to_i32(turnout)))
                .col_expr(selection::Column::Quorum, Expr::value(quorum))
                .col_expr(selection::Column::DecidedAt, Expr::value(Utc::now()))
        })
        .await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// `decideSelection`: staff decide the winners of a STAFF_DECISION selection, each with its reason
/// (DECIDED); every other candidate fails.
pub async fn decide(store: &Store, actor: &Actor, id: Uuid, winners: Vec<(Uuid, Note)>) -> Result<Selection> {
    transaction::run(store, async |txn| {
        let (row, rules) = locked(txn, id).await?;
        let next = rules.check(Some(actor), Action::Decide)?;
        let candidates: Vec<Uuid> =
            candidate_rows(txn, &[id]).await?.remove(&id).unwrap_or_default().iter().map(|c| c.id).collect();
        let chosen: Vec<Uuid> = winners.iter().map(|(c, _)| *c).collect();
        rules::check_winners(&rules, &candidates, &chosen)?;
        for c in &candidates {
            let (verdict, reason) = match winners.iter().find(|(w, _)| w == c) {
                Some((_, reason)) => (Verdict::Passed, Some(reason.as_str().to_owned())),
                None => (Verdict::Failed, None),
            };
            selection_candidate::Entity::update_many()
                .col_expr(selection_candidate::Column::Verdict, Expr::value(verdict.as_str()))
                .col_expr(selection_candidate::Column::DecisionReason, Expr::value(reason))
                .filter(selection_candidate::Column::Id.eq(*c))
                .exec(txn)
                .await?;
        }
        save_state(txn, &row, next, |u| u.col_expr(selection::Column::DecidedAt, Expr::value(Utc::now())))
            .await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// `publishSelection`: staff publish the results (PUBLISHED): each winner's deputy is told, the congress's
/// deputies and staff are told the results are out, and from now each win is in its deputy's duty archive.
/// CONFLICT without a winner, and for all but one of concurrent publications.
pub async fn publish(store: &Store, actor: &Actor, id: Uuid) -> Result<Selection> {
    transaction::run(store, async |txn| {
        let (row, rules) = locked(txn, id).await?;
        let next = rules.check(Some(actor), Action::Publish)?;
        let winners: Vec<selection_candidate::Model> = candidate_rows(txn, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.verdict.as_deref() == Some(Verdict::Passed.as_str()))
            .collect();
        rules::check_publishable(winners.len())?;
        save_state(txn, &row, next, |u| u.col_expr(selection::Column::PublishedAt, Expr::value(Utc::now())))
            .await?;
        let mut credited: Vec<Uuid> = winners.iter().map(|w| w.deputy_id).collect();
        credited.sort_unstable();
        credited.dedup();
        let audience: Vec<Audience> = credited.into_iter().map(Audience::Deputy).collect();
        let won = match rules.kind {
            SelectionKind::BestSuggestion => "您的建议被评为优秀建议",
            SelectionKind::ModelDeputy => "您被评为优秀代表",
        };
        tell(txn, &audience, &row, kinds::WON, won, "评选结果已公布", Some(actor.user_id)).await?;
        let everyone = [Audience::Deputies(row.congress_id), Audience::Staff(row.congress_id)];
        let detail = format!("共{}项当选", winners.len());
        tell(txn, &everyone, &row, kinds::PUBLISHED, "评选结果公布", &detail, Some(actor.user_id)).await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// `cancelSelection`: staff cancel a selection before it is published.
pub async fn cancel(store: &Store, actor: &Actor, id: Uuid) -> Result<Selection> {
    transaction::run(store, async |txn| {
        let (row, rules) = locked(txn, id).await?;
        let next = rules.check(Some(actor), Action::Cancel)?;
        save_state(txn, &row, next, |u| u).await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// Assembles the selections of `rows` as `viewer` sees them, in a fixed number of queries (plus one count
/// and one register look-up per selection being voted on); those the viewer may not see are left out.
async fn views(
    db: &impl ConnectionTrait,
    viewer: Option<&Actor>,
    rows: Vec<selection::Model>,
) -> Result<Vec<Selection>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut members = committees(db, &ids).await?;
    let mut candidates = candidate_rows(db, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let rules = rules_of(&row, members.remove(&row.id).unwrap_or_default())?;
        if !rules.visible_to(viewer) {
            continue;
        }
        let results = rules.results_visible_to(viewer);
        let kind = rules.kind;
        let mut list = Vec::new();
        for m in candidates.remove(&row.id).unwrap_or_default() {
            let result = match (results, m.verdict.as_deref()) {
                (true, Some(verdict)) => Some(CandidateResult {
                    votes: m.votes.map(to_u32),
                    rank: m.rank.map(to_u32),
                    verdict: stored("selection verdict", m.id, Verdict::parse(verdict))?,
                    reason: m.decision_reason.clone(),
                }),
                _ => None,
            };
            list.push(Candidate {
                id: m.id,
                selection_id: m.selection_id,
                kind,
                year: row.year,
                position: to_u32(m.position),
                suggestion_id: m.suggestion_id,
                deputy_id: m.deputy_id,
                group_id: m.group_id,
                reason: m.reason,
                nominated_at: m.nominated_at,
                result,
            });
        }
        let voting = rules.state == SelectionState::Voting;
        let turnout = match row.turnout {
            Some(t) => to_u32(t),
            None if voting => ballots::turnout(db, selection_box(row.id)).await?,
            None => 0,
        };
        let me = viewer.and_then(|a| a.deputy_id).filter(|d| rules.committee.contains(d));
        let has_voted = match me {
            Some(d) if rules.method == DecisionMethod::CommitteeVote => {
                ballots::has_voted(db, selection_box(row.id), &Voter::Deputy(d)).await?
            }
            _ => false,
        };
        out.push(Selection {
            id: row.id,
            congress_id: row.congress_id,
            kind,
            method: rules.method,
            year: row.year,
            title: row.title,
            places: rules.places,
            state: rules.state,
            electorate: to_u32(row.electorate),
            turnout,
            quorum: if results { row.quorum } else { None },
            candidates: list,
            opened_at: row.opened_at,
            decided_at: row.decided_at,
            published_at: row.published_at,
            may_vote: me.is_some() && voting && !has_voted,
            has_voted,
            committee: rules.committee,
        });
    }
    Ok(out)
}

/// The selection as `viewer` may see it: staff and deputies of its congress; NOT_FOUND for anyone else.
pub async fn find_for(store: &Store, viewer: Option<&Actor>, id: Uuid) -> Result<Selection> {
    let row = selection::Entity::find_by_id(id).one(&store.db).await?.ok_or("selection")?;
    views(&store.db, viewer, vec![row]).await?.pop().ok_or_else(|| DomainError::NotFound("selection").into())
}

/// One candidate, for a viewer who may see its selection.
pub async fn candidate_for(store: &Store, viewer: Option<&Actor>, id: Uuid) -> Result<Candidate> {
    let row =
        selection_candidate::Entity::find_by_id(id).one(&store.db).await?.ok_or("selection candidate")?;
    let s = find_for(store, viewer, row.selection_id).await.map_err(|e| match e {
        Error::Domain(DomainError::NotFound(_)) => DomainError::NotFound("selection candidate").into(),
        other => other,
    })?;
    s.candidates
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| DomainError::NotFound("selection candidate").into())
}

/// `selections`: a congress's selections, oldest first, for its staff and deputies; FORBIDDEN for anyone
/// else.
pub async fn list(
    store: &Store,
    viewer: &Actor,
    congress_id: Uuid,
    request: PageRequest,
) -> Result<Page<Selection>> {
    let member = viewer.role == Role::Deputy && viewer.congress_id == Some(congress_id);
    if !viewer.is_staff_of(congress_id) && !member {
        return Err(DomainError::forbidden("selections are for the congress's staff and deputies").into());
    }
    let mut query = selection::Entity::find().filter(selection::Column::CongressId.eq(congress_id));
    let total_count = query.clone().count(&store.db).await?;
    if let Some(after) = request.after {
        query = query.filter(selection::Column::Id.gt(after));
    }
    let rows = query.order_by_asc(selection::Column::Id).limit(request.first + 1).all(&store.db).await?;
    let page = Page::from_overfetch(rows, request, total_count);
    let has_next_page = page.has_next_page;
    let items = views(&store.db, Some(viewer), page.items).await?;
    Ok(Page { items, has_next_page, total_count })
}

/// The published wins of a congress's deputies (or of one deputy) published in `[from, to)`, in one
/// statement: `(deputy, candidate, archive kind, the selection's title, published at)`.
pub(crate) async fn archive_rows(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(Uuid, Uuid, EntryKind, String, DateTime<Utc>)>> {
    use selection::Column as S;
    use selection_candidate::Column as C;
    let mut query = Query::select()
        .column((selection_candidate::Entity, C::DeputyId))
        .column((selection_candidate::Entity, C::Id))
        .column((selection::Entity, S::Kind))
        .column((selection::Entity, S::Title))
        .column((selection::Entity, S::PublishedAt))
        .from(selection_candidate::Entity)
        .inner_join(
            selection::Entity,
            Expr::col((selection::Entity, S::Id)).equals((selection_candidate::Entity, C::SelectionId)),
        )
        .and_where(Expr::col((selection::Entity, S::CongressId)).eq(congress_id))
        .and_where(Expr::col((selection::Entity, S::State)).eq(SelectionState::Published.as_str()))
        .and_where(Expr::col((selection::Entity, S::PublishedAt)).gte(from))
        .and_where(Expr::col((selection::Entity, S::PublishedAt)).lt(to))
        .and_where(Expr::col((selection_candidate::Entity, C::Verdict)).eq(Verdict::Passed.as_str()))
        .to_owned();
    if let Some(d) = deputy {
        query.and_where(Expr::col((selection_candidate::Entity, C::DeputyId)).eq(d));
    }
    let mut out = Vec::new();
    for row in db.query_all(&query).await? {
        let id: Uuid = row.try_get("", "id")?;
        let kind: String = row.try_get("", "kind")?;
        let kind = match stored("selection kind", id, SelectionKind::parse(&kind))? {
            SelectionKind::BestSuggestion => EntryKind::SuggestionSelected,
            SelectionKind::ModelDeputy => EntryKind::DeputySelected,
        };
        out.push((
            row.try_get("", "deputy_id")?,
            id,
            kind,
            row.try_get("", "title")?,
            row.try_get("", "published_at")?,
        ));
    }
    Ok(out)
}
