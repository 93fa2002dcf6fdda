//! Reading appraisals as each viewer may see them: staff and deputies of the congress and the unit see every
//! step; anyone else only a published result; an unpublished appraisal does not exist for them.

use crate::entity::{appraisal, appraisal_finding, appraisal_group_member, appraisal_item};
use crate::error::{Result, stored};
use crate::{Page, PageRequest, Store};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::appraisal::{
    self as dom, Access, AppraisalState, FindingSource, ItemState, Party, Schedule, SubjectKind,
};
use edaibiao_domain::ballot::Tally;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// What is appraised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A handling unit's special work on `topic`.
    UnitWork { topic: String },
    /// An official appointed by the congress, answered for by the unit.
    Official { name: String, post: String },
}

impl Subject {
    pub fn kind(&self) -> SubjectKind {
        match self {
            Subject::UnitWork { .. } => SubjectKind::UnitWork,
            Subject::Official { .. } => SubjectKind::Official,
        }
    }
}

/// A published result.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub at: DateTime<Utc>,
    pub tally: Tally,
    pub turnout: u32,
    pub electorate: u32,
    /// The satisfaction rate in percent; `None` without ballots.
    pub score: Option<f64>,
    pub quorum: bool,
    pub satisfactory: bool,
    /// Among the congress's published appraisals of the same year.
    pub rank: u32,
    /// The invited citizens' vote, shown beside the deputies' (which alone decides the verdict).
    pub citizens: CitizenResult,
}

/// The invited citizens' satisfaction vote.
#[derive(Debug, Clone, PartialEq)]
pub struct CitizenResult {
    pub tally: Tally,
    pub turnout: u32,
    /// The satisfaction rate in percent; `None` without ballots.
    pub score: Option<f64>,
}

/// An appraisal as one viewer sees it: `access` says how much of it they may read.
#[derive(Debug, Clone)]
pub struct Appraisal {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub year: i32,
    pub subject: Subject,
    pub unit_id: Uuid,
    pub state: AppraisalState,
    pub schedule: Schedule,
    pub group: Vec<Uuid>,
    pub written_report: Option<String>,
    pub reported_at: Option<DateTime<Utc>>,
    pub oral_report_on: Option<NaiveDate>,
    pub items_issued_at: Option<DateTime<Utc>>,
    pub voting_opened_at: Option<DateTime<Utc>>,
    pub electorate: Option<u32>,
    pub published: Option<Published>,
    pub further_required: bool,
    pub further_report: Option<String>,
    pub further_submitted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The candidate of the vote on whom to appraise that chose this subject.
    pub choice_candidate_id: Option<Uuid>,
    /// The link token of the citizens' vote (for staff to hand out), once citizens were invited.
    pub citizen_token: Option<String>,
    /// How much the viewer may see.
    pub access: Access,
    /// How the viewer stands to it.
    pub party: Party,
}

/// One numbered problem and the unit's latest answer.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: Uuid,
    pub appraisal_id: Uuid,
    pub number: u32,
    pub problem: String,
    pub state: ItemState,
    pub answer: Option<String>,
    pub done_by: Option<NaiveDate>,
    pub answered_at: Option<DateTime<Utc>>,
    pub return_reason: Option<String>,
    pub returns: u32,
    pub accepted_at: Option<DateTime<Utc>>,
}

/// A problem a group deputy recorded.
#[derive(Debug, Clone)]
pub struct Finding {
    pub id: Uuid,
    pub appraisal_id: Uuid,
    pub deputy_id: Uuid,
    pub text: String,
    pub source: FindingSource,
    pub opinion_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// A stored count (never negative) as the read models carry it.
pub(super) fn count(v: Option<i32>) -> u32 {
    v.and_then(|v| u32::try_from(v).ok()).unwrap_or_default()
}

/// A subject from its stored columns (an appraisal's or a candidate's): the kind, then its texts.
pub(super) fn stored_subject(
    id: Uuid,
    kind: &str,
    topic: &Option<String>,
    name: &Option<String>,
    post: &Option<String>,
) -> Result<Subject> {
    match stored("appraisal subject", id, SubjectKind::parse(kind))? {
        SubjectKind::UnitWork => Ok(Subject::UnitWork { topic: topic.clone().unwrap_or_default() }),
        SubjectKind::Official => Ok(Subject::Official {
            name: name.clone().unwrap_or_default(),
            post: post.clone().unwrap_or_default(),
        }),
    }
}

pub(super) fn subject_of(m: &appraisal::Model) -> Result<Subject> {
    stored_subject(m.id, &m.subject_kind, &m.topic, &m.official_name, &m.official_post)
}

/// The rules' view of a stored appraisal.
pub(super) fn aggregate(m: &appraisal::Model, group: Vec<Uuid>) -> Result<dom::Appraisal> {
    Ok(dom::Appraisal {
        id: m.id,
        congress_id: m.congress_id,
        unit_id: m.unit_id,
        state: stored("appraisal state", m.id, AppraisalState::parse(&m.state))?,
        group,
        further_report_owed: m.further_required && m.further_submitted_at.is_none(),
    })
}

pub(super) async fn group_of(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Uuid>>> {
    let mut groups: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if ids.is_empty() {
        return Ok(groups);
    }
    let rows = appraisal_group_member::Entity::find()
        .filter(appraisal_group_member::Column::AppraisalId.is_in(ids.to_vec()))
        .order_by_asc(appraisal_group_member::Column::DeputyId)
        .all(db)
        .await?;
    for r in rows {
        groups.entry(r.appraisal_id).or_default().push(r.deputy_id);
    }
    Ok(groups)
}

/// The published scores of each (congress, year) among `rows`, for ranks.
async fn published_scores(
    db: &impl ConnectionTrait,
    rows: &[appraisal::Model],
) -> Result<HashMap<(Uuid, i32), Vec<Option<f64>>>> {
    let mut keys: Vec<(Uuid, i32)> =
        rows.iter().filter(|r| r.published_at.is_some()).map(|r| (r.congress_id, r.year)).collect();
    keys.sort();
    keys.dedup();
    let mut scores = HashMap::new();
    for (congress, year) in keys {
        let found: Vec<Option<f64>> = appraisal::Entity::find()
            .select_only()
            .column(appraisal::Column::Score)
            .filter(appraisal::Column::CongressId.eq(congress))
            .filter(appraisal::Column::Year.eq(year))
            .filter(appraisal::Column::State.eq(AppraisalState::Published.as_str()))
            .into_tuple()
            .all(db)
            .await?;
        scores.insert((congress, year), found);
    }
    Ok(scores)
}

/// Builds the read models of `rows` for `viewer`, leaving out those the viewer may not know of.
pub(super) async fn views(
    db: &impl ConnectionTrait,
    viewer: Option<&Actor>,
    rows: Vec<appraisal::Model>,
) -> Result<Vec<Appraisal>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut groups = group_of(db, &ids).await?;
    let scores = published_scores(db, &rows).await?;
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let group = groups.remove(&m.id).unwrap_or_default();
        let a = aggregate(&m, group)?;
        let party = Party::of(viewer, &a);
        let access = dom::access(party, a.state);
        if access == Access::None {
            continue;
        }
        let published = match m.published_at {
            Some(at) if a.state == AppraisalState::Published => {
                let tally = Tally {
                    satisfied: count(m.satisfied),
                    basically_satisfied: count(m.basically_satisfied),
                    dissatisfied: count(m.dissatisfied),
                    ..Tally::default()
                };
                let (turnout, electorate) = (count(m.turnout), count(m.electorate));
                let all = scores.get(&(m.congress_id, m.year)).cloned().unwrap_or_default();
                Some(Published {
                    at,
                    tally,
                    turnout,
                    electorate,
                    score: m.score,
                    quorum: edaibiao_domain::ballot::quorum(turnout, electorate),
                    satisfactory: m.satisfactory,
                    rank: dom::rank(m.score, &all),
                    citizens: CitizenResult {
                        tally: Tally {
                            satisfied: count(m.citizen_satisfied),
                            basically_satisfied: count(m.citizen_basically_satisfied),
                            dissatisfied: count(m.citizen_dissatisfied),
                            ..Tally::default()
                        },
                        turnout: count(m.citizen_turnout),
                        score: m.citizen_score,
                    },
                })
            }
            _ => None,
        };
        out.push(Appraisal {
            id: m.id,
            congress_id: m.congress_id,
            year: m.year,
            subject: subject_of(&m)?,
            unit_id: m.unit_id,
            state: a.state,
            schedule: Schedule::stored(m.report_due, m.rectification_due, m.voting_from, m.voting_until),
            group: a.group,
            written_report: m.written_report,
            reported_at: m.reported_at,
            oral_report_on: m.oral_report_on,
            items_issued_at: m.items_issued_at,
            voting_opened_at: m.voting_opened_at,
            electorate: m.electorate.map(|e| count(Some(e))),
            published,
            further_required: m.further_required,
            further_report: m.further_report,
            further_submitted_at: m.further_submitted_at,
            created_at: m.created_at,
            choice_candidate_id: m.choice_candidate_id,
            citizen_token: m.citizen_token,
            access,
            party,
        });
    }
    Ok(out)
}

/// One appraisal as `viewer` may see it; NOT_FOUND when there is none or the viewer may not know of it.
pub async fn find_for(store: &Store, viewer: Option<&Actor>, id: Uuid) -> Result<Appraisal> {
    let row = appraisal::Entity::find_by_id(id).one(&store.db).await?.ok_or("appraisal")?;
    views(&store.db, viewer, vec![row]).await?.pop().ok_or_else(|| DomainError::NotFound("appraisal").into())
}

/// What a list of appraisals is filtered by.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub congress_id: Uuid,
    pub year: Option<i32>,
    pub unit_id: Option<Uuid>,
    pub state: Option<AppraisalState>,
}

/// A congress's appraisals the viewer may see, oldest first, a page at a time: every one for its staff and
/// deputies; a unit's staff their own unit's; anyone else the published ones.
pub async fn list(
    store: &Store,
    viewer: Option<&Actor>,
    filter: Filter,
    page: PageRequest,
) -> Result<Page<Appraisal>> {
    let mut cond = Condition::all().add(appraisal::Column::CongressId.eq(filter.congress_id));
    if let Some(year) = filter.year {
        cond = cond.add(appraisal::Column::Year.eq(year));
    }
    if let Some(unit) = filter.unit_id {
        cond = cond.add(appraisal::Column::UnitId.eq(unit));
    }
    if let Some(state) = filter.state {
        cond = cond.add(appraisal::Column::State.eq(state.as_str()));
    }
    let insider = viewer.is_some_and(|a| {
        a.is_staff_of(filter.congress_id)
            || (a.role == Role::Deputy && a.congress_id == Some(filter.congress_id))
    });
    if !insider {
        let published = Condition::all().add(appraisal::Column::State.eq(AppraisalState::Published.as_str()));
        cond = match viewer.and_then(|a| a.unit_id.filter(|_| a.role == Role::UnitStaff)) {
            Some(unit) => cond.add(Condition::any().add(published).add(appraisal::Column::UnitId.eq(unit))),
            None => cond.add(published),
        };
    }
    let total = appraisal::Entity::find().filter(cond.clone()).count(&store.db).await?;
    let mut query = appraisal::Entity::find().filter(cond);
    if let Some(after) = page.after {
        query = query.filter(appraisal::Column::Id.gt(after));
    }
    let rows = query.order_by_asc(appraisal::Column::Id).limit(page.first + 1).all(&store.db).await?;
    let page_rows = Page::from_overfetch(rows, page, total);
    let has_next_page = page_rows.has_next_page;
    let items = views(&store.db, viewer, page_rows.items).await?;
    Ok(Page { items, has_next_page, total_count: total })
}

pub(super) fn item_of(m: appraisal_item::Model) -> Result<Item> {
    Ok(Item {
        id: m.id,
        appraisal_id: m.appraisal_id,
        number: count(Some(m.number)),
        problem: m.problem,
        state: stored("appraisal item state", m.id, ItemState::parse(&m.state))?,
        answer: m.answer,
        done_by: m.done_by,
        answered_at: m.answered_at,
        return_reason: m.return_reason,
        returns: count(Some(m.returns)),
        accepted_at: m.accepted_at,
    })
}

/// The numbered items of the appraisals `ids`, in order (for those the caller may see in full).
pub async fn items_of(store: &Store, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Item>>> {
    let mut out: HashMap<Uuid, Vec<Item>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = appraisal_item::Entity::find()
        .filter(appraisal_item::Column::AppraisalId.is_in(ids.to_vec()))
        .order_by_asc(appraisal_item::Column::Number)
        .all(&store.db)
        .await?;
    for r in rows {
        out.entry(r.appraisal_id).or_default().push(item_of(r)?);
    }
    Ok(out)
}

/// The findings of the appraisals `ids`, oldest first (for those the caller may see in full).
pub async fn findings_of(store: &Store, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Finding>>> {
    let mut out: HashMap<Uuid, Vec<Finding>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = appraisal_finding::Entity::find()
        .filter(appraisal_finding::Column::AppraisalId.is_in(ids.to_vec()))
        .order_by_asc(appraisal_finding::Column::Id)
        .all(&store.db)
        .await?;
    for r in rows {
        out.entry(r.appraisal_id).or_default().push(finding_of(r)?);
    }
    Ok(out)
}

pub(super) fn finding_of(m: appraisal_finding::Model) -> Result<Finding> {
    Ok(Finding {
        id: m.id,
        appraisal_id: m.appraisal_id,
        deputy_id: m.deputy_id,
        source: stored("finding source", m.id, FindingSource::parse(&m.source))?,
        text: m.text,
        opinion_id: m.opinion_id,
        created_at: m.created_at,
    })
}

/// One item, for a viewer who may see its appraisal in full; NOT_FOUND otherwise.
pub async fn item_for(store: &Store, viewer: Option<&Actor>, id: Uuid) -> Result<Item> {
    let row = appraisal_item::Entity::find_by_id(id).one(&store.db).await?.ok_or("appraisal item")?;
    let a = find_for(store, viewer, row.appraisal_id).await?;
    if a.access != Access::Full {
        return Err(DomainError::NotFound("appraisal item").into());
    }
    item_of(row)
}

/// One finding, for a viewer who may see its appraisal in full; NOT_FOUND otherwise.
pub async fn finding_for(store: &Store, viewer: Option<&Actor>, id: Uuid) -> Result<Finding> {
    let row = appraisal_finding::Entity::find_by_id(id).one(&store.db).await?.ok_or("appraisal finding")?;
    let a = find_for(store, viewer, row.appraisal_id).await?;
    if a.access != Access::Full {
        return Err(DomainError::NotFound("appraisal finding").into());
    }
    finding_of(row)
}
