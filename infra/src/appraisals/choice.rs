//! The vote that chooses whom to appraise (审议票决出被评议单位), in storage: staff open it with its candidates
//! and the members who vote; each member casts one secret ballot into the shared ballot box (kind
//! [`CHOICE_BOX`]); staff close it, and the counts, ranks and verdicts are read once and kept on the
//! candidates. Every step locks the vote's row, so no ballot lands after it closed.

use super::query::count;
use super::{SubjectInput, to_i32};
use crate::Store;
use crate::ballots::{self, BallotBox, Voter};
use crate::entity::{
    appraisal_choice, appraisal_choice_candidate, appraisal_choice_voter, deputy, handling_unit,
};
use crate::error::{Result, stored};
use crate::idempotency::Idempotency;
use crate::notifications;
use crate::transaction::{self, Key};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::appraisal::choice::{self as rules, Choice as Rules, ChoiceFacts, ChoiceState};
use edaibiao_domain::appraisal::kinds;
use edaibiao_domain::ballot::{self, Verdict};
use edaibiao_domain::notification::Audience;
use edaibiao_domain::text::Label;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

/// The ballot box of a vote on whom to appraise (its id is the vote's).
pub const CHOICE_BOX: &str = "APPRAISAL_CHOICE";

fn choice_box(id: Uuid) -> BallotBox {
    BallotBox { kind: CHOICE_BOX, id }
}

/// One candidate subject as staff list it.
#[derive(Debug, Clone)]
pub struct CandidateInput {
    pub unit_id: Uuid,
    pub subject: SubjectInput,
}

/// What staff give when they open the vote.
#[derive(Debug, Clone)]
pub struct OpenChoiceInput {
    pub congress_id: Uuid,
    pub year: i32,
    pub title: Label,
    /// How many subjects a ballot may choose: the appraisals planned.
    pub seats: u32,
    pub candidates: Vec<CandidateInput>,
    pub voters: Vec<Uuid>,
}

/// A candidate's result, once the vote is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateResult {
    pub votes: u32,
    pub rank: u32,
    pub verdict: Verdict,
}

/// One candidate subject.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: Uuid,
    pub choice_id: Uuid,
    pub position: u32,
    pub unit_id: Uuid,
    pub subject: super::Subject,
    /// Only once the vote is closed.
    pub result: Option<CandidateResult>,
}

/// A vote on whom to appraise as one viewer may see it.
#[derive(Debug, Clone)]
pub struct AppraisalChoice {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub year: i32,
    pub title: String,
    pub seats: u32,
    pub state: ChoiceState,
    pub electorate: u32,
    /// Ballots cast so far (while voting) or in all (closed).
    pub turnout: u32,
    pub quorum: Option<bool>,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub voters: Vec<Uuid>,
    pub candidates: Vec<Candidate>,
    /// Whether the viewer is a member named to vote, and has voted.
    pub may_vote: bool,
    pub has_voted: bool,
}

fn candidate_subject(m: &appraisal_choice_candidate::Model) -> Result<super::Subject> {
    super::query::stored_subject(m.id, &m.subject_kind, &m.topic, &m.official_name, &m.official_post)
}

async fn voters_of(db: &impl ConnectionTrait, id: Uuid) -> Result<Vec<Uuid>> {
    Ok(appraisal_choice_voter::Entity::find()
        .filter(appraisal_choice_voter::Column::ChoiceId.eq(id))
        .order_by_asc(appraisal_choice_voter::Column::DeputyId)
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.deputy_id)
        .collect())
}

async fn candidates_of(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Vec<appraisal_choice_candidate::Model>> {
    Ok(appraisal_choice_candidate::Entity::find()
        .filter(appraisal_choice_candidate::Column::ChoiceId.eq(id))
        .order_by_asc(appraisal_choice_candidate::Column::Position)
        .all(db)
        .await?)
}

fn rules_of(m: &appraisal_choice::Model, voters: Vec<Uuid>) -> Result<Rules> {
    Ok(Rules {
        id: m.id,
        congress_id: m.congress_id,
        state: stored("choice state", m.id, ChoiceState::parse(&m.state))?,
        voters,
    })
}

async fn locked(txn: &DatabaseTransaction, id: Uuid) -> Result<(appraisal_choice::Model, Rules)> {
    let row = transaction::lock::<appraisal_choice::Entity>(txn, id).await?;
    let voters = voters_of(txn, id).await?;
    let rules = rules_of(&row, voters)?;
    Ok((row, rules))
}

async fn tell(
    txn: &DatabaseTransaction,
    audience: &[Audience],
    row: &appraisal_choice::Model,
    kind: &'static str,
    title: &'static str,
    detail: &str,
    except: Option<Uuid>,
) -> Result<()> {
    let body = format!("{}（{}年）：{detail}", row.title, row.year);
    notifications::tell_about(txn, audience, kind, title, Some(body), ("AppraisalChoice", row.id), except)
        .await
}

/// Staff open a vote on whom to appraise; the members named are told.
pub async fn open(store: &Store, actor: &Actor, input: OpenChoiceInput) -> Result<AppraisalChoice> {
    if !actor.is_staff_of(input.congress_id) {
        return Err(DomainError::forbidden("only staff of the congress put subjects to a vote").into());
    }
    if input.candidates.len() > rules::MAX_CANDIDATES || input.voters.len() > rules::MAX_VOTERS {
        return Err(DomainError::invalid("candidates", "too many candidates or members").into());
    }
    let id = transaction::run(store, async |txn| {
        let mut units = Vec::with_capacity(input.candidates.len());
        for c in &input.candidates {
            let unit = handling_unit::Entity::find_by_id(c.unit_id)
                .one(txn)
                .await?
                .ok_or_else(|| DomainError::invalid("candidates", "names an unknown handling unit"))?;
            units.push((unit.id, unit.congress_id));
        }
        let found =
            deputy::Entity::find().filter(deputy::Column::Id.is_in(input.voters.clone())).all(txn).await?;
        let mut voters = Vec::with_capacity(input.voters.len());
        for v in &input.voters {
            let d = found
                .iter()
                .find(|d| d.id == *v)
                .ok_or_else(|| DomainError::invalid("voterDeputyIds", "names an unknown deputy"))?;
            voters.push((d.id, d.congress_id));
        }
        let facts = ChoiceFacts {
            congress_id: input.congress_id,
            candidate_units: units,
            voters,
            seats: input.seats,
        };
        let c = Rules::open(actor, Uuid::now_v7(), &facts)?;
        let now = Utc::now();
        let row = appraisal_choice::ActiveModel {
            id: Set(c.id),
            congress_id: Set(c.congress_id),
            year: Set(input.year),
            title: Set(input.title.as_str().to_owned()),
            seats: Set(to_i32(input.seats)),
            state: Set(c.state.as_str().to_owned()),
            electorate: Set(i32::try_from(c.voters.len()).unwrap_or(i32::MAX)),
            turnout: Set(None),
            opened_at: Set(now),
            closed_at: Set(None),
            created_by: Set(actor.user_id),
            version: Set(1),
        }
        .insert(txn)
        .await?;
        let candidates: Vec<appraisal_choice_candidate::ActiveModel> = input
            .candidates
            .iter()
            .enumerate()
            .map(|(i, cand)| {
                let (kind, topic, name, post) = cand.subject.columns();
                appraisal_choice_candidate::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    choice_id: Set(c.id),
                    position: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                    unit_id: Set(cand.unit_id),
                    subject_kind: Set(kind.as_str().to_owned()),
                    topic: Set(topic),
                    official_name: Set(name),
                    official_post: Set(post),
                    votes: Set(None),
                    rank: Set(None),
                    verdict: Set(None),
                }
            })
            .collect();
        appraisal_choice_candidate::Entity::insert_many(candidates).exec_without_returning(txn).await?;
        let members: Vec<appraisal_choice_voter::ActiveModel> = c
            .voters
            .iter()
            .map(|d| appraisal_choice_voter::ActiveModel { choice_id: Set(c.id), deputy_id: Set(*d) })
            .collect();
        appraisal_choice_voter::Entity::insert_many(members).exec_without_returning(txn).await?;
        let audience: Vec<Audience> = c.voters.iter().copied().map(Audience::Deputy).collect();
        let detail = format!("请从{}个候选对象中选出不超过{}个", input.candidates.len(), input.seats);
        tell(txn, &audience, &row, kinds::CHOICE_OPENED, "评议对象票决已开始", &detail, Some(actor.user_id))
            .await?;
        Ok(c.id)
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// A named member casts their secret ballot: the candidates they choose (at most the seats, none allowed:
/// a blank ballot still counts towards the quorum). One per member, CONFLICT for a second; a retry with
/// the same idempotency key counts once.
pub async fn cast(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    chosen: Vec<Uuid>,
    idem: Option<Idempotency<'_>>,
) -> Result<AppraisalChoice> {
    let key = idem.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: id });
    transaction::run_once(store, key, async |txn| {
        let (row, rules) = locked(txn, id).await?;
        rules.check_vote(Some(actor))?;
        let candidates: Vec<Uuid> = candidates_of(txn, id).await?.into_iter().map(|c| c.id).collect();
        let question = rules::question(candidates, count(Some(row.seats)))?;
        let deputy = actor.deputy_id.ok_or_else(|| DomainError::forbidden("only members vote"))?;
        ballots::cast_choice(txn, choice_box(id), deputy, &question, &chosen).await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// Staff close the vote: the counts are read once and each candidate's votes, rank and verdict kept; the
/// members and staff are told which subjects were chosen.
pub async fn close(store: &Store, actor: &Actor, id: Uuid) -> Result<AppraisalChoice> {
    transaction::run(store, async |txn| {
        let (row, rules) = locked(txn, id).await?;
        rules.check_close(Some(actor))?;
        let candidates = candidates_of(txn, id).await?;
        let question = rules::question(candidates.iter().map(|c| c.id).collect(), count(Some(row.seats)))?;
        let electorate = count(Some(row.electorate));
        let (turnout, outcomes) = ballots::count(txn, choice_box(id), &question, electorate).await?;
        for o in &outcomes {
            appraisal_choice_candidate::Entity::update_many()
                .col_expr(appraisal_choice_candidate::Column::Votes, Expr::value(to_i32(o.tally.chosen)))
                .col_expr(appraisal_choice_candidate::Column::Rank, Expr::value(to_i32(o.rank)))
                .col_expr(appraisal_choice_candidate::Column::Verdict, Expr::value(o.verdict.as_str()))
                .filter(appraisal_choice_candidate::Column::Id.eq(o.candidate))
                .exec(txn)
                .await?;
        }
        let now = Utc::now();
        let update = appraisal_choice::Entity::update_many()
            .col_expr(appraisal_choice::Column::State, Expr::value(ChoiceState::Closed.as_str()))
            .col_expr(appraisal_choice::Column::Turnout, Expr::value(to_i32(turnout)))
            .col_expr(appraisal_choice::Column::ClosedAt, Expr::value(now));
        transaction::save(txn, row.id, row.version, row.version + 1, update).await?;
        let chosen = outcomes.iter().filter(|o| o.verdict == Verdict::Passed).count();
        let detail = if ballot::quorum(turnout, electorate) {
            format!("{turnout}/{electorate}人投票，选出{chosen}个评议对象")
        } else {
            format!("{turnout}/{electorate}人投票，未过半数，票决无效")
        };
        let mut audience: Vec<Audience> = rules.voters.iter().copied().map(Audience::Deputy).collect();
        audience.push(Audience::Staff(row.congress_id));
        tell(txn, &audience, &row, kinds::CHOICE_CLOSED, "评议对象票决结果", &detail, Some(actor.user_id))
            .await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// The vote as `viewer` may see it: staff and deputies of the congress; NOT_FOUND for anyone else.
pub async fn find_for(store: &Store, viewer: Option<&Actor>, id: Uuid) -> Result<AppraisalChoice> {
    let row = appraisal_choice::Entity::find_by_id(id).one(&store.db).await?.ok_or("appraisal choice")?;
    let voters = voters_of(&store.db, id).await?;
    let rules = rules_of(&row, voters)?;
    if !rules.visible_to(viewer) {
        return Err(DomainError::NotFound("appraisal choice").into());
    }
    let closed = rules.results_visible();
    let mut candidates = Vec::new();
    for m in candidates_of(&store.db, id).await? {
        let result = match (closed, m.votes, m.rank, m.verdict.as_deref()) {
            (true, Some(votes), Some(rank), Some(verdict)) => Some(CandidateResult {
                votes: count(Some(votes)),
                rank: count(Some(rank)),
                verdict: stored("choice verdict", m.id, Verdict::parse(verdict))?,
            }),
            _ => None,
        };
        candidates.push(Candidate {
            id: m.id,
            choice_id: m.choice_id,
            position: count(Some(m.position)),
            unit_id: m.unit_id,
            subject: candidate_subject(&m)?,
            result,
        });
    }
    let electorate = count(Some(row.electorate));
    let turnout = match row.turnout {
        Some(t) => count(Some(t)),
        None => ballots::turnout(&store.db, choice_box(id)).await?,
    };
    let me = viewer.and_then(|a| a.deputy_id).filter(|d| rules.voters.contains(d));
    let has_voted = match me {
        Some(d) => ballots::has_voted(&store.db, choice_box(id), &Voter::Deputy(d)).await?,
        None => false,
    };
    Ok(AppraisalChoice {
        id: row.id,
        congress_id: row.congress_id,
        year: row.year,
        title: row.title,
        seats: count(Some(row.seats)),
        state: rules.state,
        electorate,
        turnout,
        quorum: closed.then(|| ballot::quorum(turnout, electorate)),
        opened_at: row.opened_at,
        closed_at: row.closed_at,
        voters: rules.voters,
        candidates,
        may_vote: me.is_some() && rules.state == ChoiceState::Voting,
        has_voted,
    })
}

/// One candidate, for a viewer who may see its vote.
pub async fn candidate_for(store: &Store, viewer: Option<&Actor>, id: Uuid) -> Result<Candidate> {
    let row = appraisal_choice_candidate::Entity::find_by_id(id)
        .one(&store.db)
        .await?
        .ok_or("appraisal candidate")?;
    let choice = find_for(store, viewer, row.choice_id).await?;
    choice
        .candidates
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| DomainError::NotFound("appraisal candidate").into())
}

/// A congress's votes on whom to appraise, newest first (staff and deputies of the congress).
pub async fn list(store: &Store, viewer: Option<&Actor>, congress_id: Uuid) -> Result<Vec<AppraisalChoice>> {
    let rows = appraisal_choice::Entity::find()
        .filter(appraisal_choice::Column::CongressId.eq(congress_id))
        .order_by_desc(appraisal_choice::Column::Id)
        .all(&store.db)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        match find_for(store, viewer, r.id).await {
            Ok(c) => out.push(c),
            Err(crate::Error::Domain(DomainError::NotFound(_))) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// The candidate an appraisal is opened for, checked in the opening transaction: chosen, of the congress
/// and of the unit named, not carried by another appraisal (the unique index settles a race).
pub(super) async fn check_carried(
    txn: &DatabaseTransaction,
    candidate: Uuid,
    congress_id: Uuid,
    unit_id: Uuid,
) -> Result<()> {
    use crate::entity::appraisal;
    let c = appraisal_choice_candidate::Entity::find_by_id(candidate)
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::invalid("choiceCandidateId", "is not a candidate of a vote"))?;
    let choice =
        appraisal_choice::Entity::find_by_id(c.choice_id).one(txn).await?.ok_or("appraisal choice")?;
    let carried = appraisal::Entity::find()
        .filter(appraisal::Column::ChoiceCandidateId.eq(candidate))
        .one(txn)
        .await?
        .is_some();
    let chosen = choice.state == ChoiceState::Closed.as_str()
        && c.verdict.as_deref() == Some(Verdict::Passed.as_str());
    rules::check_carried(chosen, choice.congress_id, congress_id, carried)?;
    if c.unit_id != unit_id {
        return Err(DomainError::invalid("choiceCandidateId", "is a candidate of another unit").into());
    }
    Ok(())
}
