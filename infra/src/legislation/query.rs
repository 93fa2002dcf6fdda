//! Reads of calls, proposals, drafts, articles and comments, as the viewer may see them. Each read model is
//! built once at load time with the viewer's standing: a commenter's or proposer's identity is not loaded
//! for anyone but staff of the congress.

use crate::Store;
use crate::entity::{
    account, deputy, draft_article, draft_comment, draft_law, draft_law_link, draft_version,
    legislation_event, legislative_call, legislative_proposal, liaison_station,
};
use crate::error::{Result, stored};
use crate::moderation;
use crate::page::{Page, PageRequest};
use crate::vault::Vault;
use chrono::{DateTime, Utc};
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::directory::StationKind;
use edaibiao_domain::legislation::{
    self as dom, CommentOutcome, CommentView, OutcomeCounts, Period, Phase, ProposalKind, ProposalOutcome,
    SourceKind, Standing,
};
use edaibiao_domain::moderation::{ContentKind, readable};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A call for the legislative plan.
#[derive(Debug, Clone)]
pub struct Call {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub title: String,
    pub description: String,
    pub period: Period,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The viewer's standing towards the call's congress.
    pub who: Standing,
    /// The viewer's account, if signed in (to find their own proposals).
    pub viewer: Option<Uuid>,
}

impl Call {
    pub fn phase(&self, now: DateTime<Utc>) -> Phase {
        self.period.phase(now)
    }
}

/// Who a proposal or comment comes from: shown to staff of the congress only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The deputy's or citizen's name, the contact point's name, or the masked phone.
    pub name: String,
    pub deputy_id: Option<Uuid>,
    pub station_id: Option<Uuid>,
    /// The full phone of a PHONE commenter.
    pub phone: Option<String>,
}

/// A proposal for a call's plan.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub id: Uuid,
    pub call_id: Uuid,
    pub source: SourceKind,
    pub law_title: String,
    pub kind: ProposalKind,
    pub reason: String,
    pub outcome: ProposalOutcome,
    pub outcome_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The viewer made it.
    pub mine: bool,
    /// Staff only.
    pub identity: Option<Identity>,
}

/// A draft law.
#[derive(Debug, Clone)]
pub struct Draft {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub title: String,
    pub description: String,
    pub current_version: i32,
    /// The current version's period.
    pub period: Period,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub who: Standing,
    pub viewer: Option<Uuid>,
}

/// One published version of a draft and its period.
#[derive(Debug, Clone)]
pub struct Version {
    pub draft_id: Uuid,
    pub number: i32,
    pub period: Period,
    pub published_at: DateTime<Utc>,
}

/// An article of one version.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: Uuid,
    pub draft_id: Uuid,
    pub version: i32,
    pub position: i32,
    pub chapter: String,
    pub number: String,
    pub text: String,
    pub change_note: Option<String>,
    pub based_on: Option<Uuid>,
}

impl From<draft_article::Model> for Article {
    fn from(m: draft_article::Model) -> Self {
        Self {
            id: m.id,
            draft_id: m.draft_id,
            version: m.draft_version,
            position: m.position,
            chapter: m.chapter,
            number: m.number,
            text: m.text,
            change_note: m.change_note,
            based_on: m.based_on,
        }
    }
}

/// A comment on a draft.
#[derive(Debug, Clone)]
pub struct Comment {
    pub id: Uuid,
    pub draft_id: Uuid,
    pub version: i32,
    pub article_id: Option<Uuid>,
    pub source: SourceKind,
    pub content: String,
    pub offline_count: i32,
    pub offline_source: Option<String>,
    pub outcome: CommentOutcome,
    pub outcome_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub mine: bool,
    /// Staff only.
    pub identity: Option<Identity>,
    /// Where moderation has it; anyone but staff and its author reads only VISIBLE comments.
    pub moderation: moderation::Standing,
}

/// A step on a call's or draft's timeline.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: Uuid,
    pub kind: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// Whether the actor works at a legislative contact point of `congress_id`.
pub(super) async fn contact_point(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    congress_id: Uuid,
) -> Result<bool> {
    let Some(station) = actor.filter(|a| a.role == Role::StationStaff).and_then(|a| a.station_id) else {
        return Ok(false);
    };
    let row = liaison_station::Entity::find_by_id(station).one(db).await?;
    Ok(row.is_some_and(|s| {
        s.congress_id == congress_id && s.kind == StationKind::LegislativeContactPoint.as_str()
    }))
}

pub(super) async fn standing(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    congress_id: Uuid,
) -> Result<Standing> {
    let cp = contact_point(db, actor, congress_id).await?;
    Ok(Standing::of(actor, congress_id, cp))
}

pub(super) fn call_of(row: legislative_call::Model, who: Standing, viewer: Option<Uuid>) -> Call {
    Call {
        id: row.id,
        congress_id: row.congress_id,
        title: row.title,
        description: row.description,
        period: Period { opens_at: row.opens_at, closes_at: row.closes_at },
        created_at: row.created_at,
        updated_at: row.updated_at,
        who,
        viewer,
    }
}

pub(super) fn draft_of(row: draft_law::Model, who: Standing, viewer: Option<Uuid>) -> Draft {
    Draft {
        id: row.id,
        congress_id: row.congress_id,
        title: row.title,
        description: row.description,
        current_version: row.current_version,
        period: Period { opens_at: row.opens_at, closes_at: row.closes_at },
        created_at: row.created_at,
        updated_at: row.updated_at,
        who,
        viewer,
    }
}

/// The account, deputy, station and sealed phone of a proposer or commenter.
type WhoKeys<'a> = (Option<Uuid>, Option<Uuid>, Option<Uuid>, Option<&'a str>);

/// One group of the draft statistics: article, source kind, outcome, comments, people.
type CommentGroup = (Option<Uuid>, String, String, i64, Option<i64>);

/// Identities of proposers and commenters, in a fixed number of queries.
async fn identities(
    db: &impl ConnectionTrait,
    vault: Option<&Vault>,
    rows: &[WhoKeys<'_>],
) -> Result<Vec<Identity>> {
    let accounts: Vec<Uuid> = rows.iter().filter_map(|r| r.0).collect();
    let deputies: Vec<Uuid> = rows.iter().filter_map(|r| r.1).collect();
    let stations: Vec<Uuid> = rows.iter().filter_map(|r| r.2).collect();
    let names = |pairs: Vec<(Uuid, String)>| pairs.into_iter().collect::<HashMap<_, _>>();
    let account_names = if accounts.is_empty() {
        HashMap::new()
    } else {
        names(
            account::Entity::find()
                .select_only()
                .column(account::Column::Id)
                .column(account::Column::Name)
                .filter(account::Column::Id.is_in(accounts))
                .into_tuple()
                .all(db)
                .await?,
        )
    };
    let deputy_names = if deputies.is_empty() {
        HashMap::new()
    } else {
        names(
            deputy::Entity::find()
                .select_only()
                .column(deputy::Column::Id)
                .column(deputy::Column::Name)
                .filter(deputy::Column::Id.is_in(deputies))
                .into_tuple()
                .all(db)
                .await?,
        )
    };
    let station_names = if stations.is_empty() {
        HashMap::new()
    } else {
        names(
            liaison_station::Entity::find()
                .select_only()
                .column(liaison_station::Column::Id)
                .column(liaison_station::Column::Name)
                .filter(liaison_station::Column::Id.is_in(stations))
                .into_tuple()
                .all(db)
                .await?,
        )
    };
    let mut out = Vec::with_capacity(rows.len());
    for (account_id, deputy_id, station_id, sealed) in rows {
        let phone = match (vault, sealed) {
            (Some(vault), Some(sealed)) => Some(vault.open(sealed)?),
            _ => None,
        };
        let name = station_id
            .and_then(|s| station_names.get(&s).cloned())
            .or_else(|| deputy_id.and_then(|d| deputy_names.get(&d).cloned()))
            .or_else(|| account_id.and_then(|a| account_names.get(&a).cloned()))
            .or_else(|| {
                phone
                    .as_deref()
                    .and_then(|p| edaibiao_domain::account::Phone::parse(p).ok())
                    .map(|p| p.masked())
            })
            .unwrap_or_default();
        out.push(Identity { name, deputy_id: *deputy_id, station_id: *station_id, phone });
    }
    Ok(out)
}

async fn proposals_of(
    db: &impl ConnectionTrait,
    who: Standing,
    viewer: Option<Uuid>,
    rows: Vec<legislative_proposal::Model>,
) -> Result<Vec<Proposal>> {
    let ids = if CommentView::of(who).identity {
        let keys: Vec<_> = rows.iter().map(|r| (Some(r.account_id), r.deputy_id, None, None)).collect();
        identities(db, None, &keys).await?.into_iter().map(Some).collect()
    } else {
        vec![None; rows.len()]
    };
    let mut out = Vec::with_capacity(rows.len());
    for (row, identity) in rows.into_iter().zip(ids) {
        out.push(Proposal {
            id: row.id,
            call_id: row.call_id,
            source: stored("source kind", row.id, SourceKind::parse(&row.source_kind))?,
            law_title: row.law_title,
            kind: stored("proposal kind", row.id, ProposalKind::parse(&row.kind))?,
            reason: row.reason,
            outcome: stored("outcome", row.id, ProposalOutcome::parse(&row.outcome))?,
            outcome_reason: row.outcome_reason,
            decided_at: row.decided_at,
            created_at: row.created_at,
            mine: viewer == Some(row.account_id),
            identity,
        });
    }
    Ok(out)
}

pub(super) async fn comments_of(
    db: &impl ConnectionTrait,
    vault: &Vault,
    who: Standing,
    viewer: Option<Uuid>,
    rows: Vec<draft_comment::Model>,
) -> Result<Vec<Comment>> {
    let ids = if CommentView::of(who).identity {
        let keys: Vec<_> = rows
            .iter()
            .map(|r| (r.account_id, r.deputy_id, r.station_id, r.phone_sealed.as_deref()))
            .collect();
        identities(db, Some(vault), &keys).await?.into_iter().map(Some).collect()
    } else {
        vec![None; rows.len()]
    };
    let row_ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut states = moderation::states_among(db, ContentKind::DraftComment, &row_ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, identity) in rows.into_iter().zip(ids) {
        let mine = viewer.is_some() && viewer == row.account_id;
        let standing = states.remove(&row.id).unwrap_or_default();
        if !readable(standing.state(), who == Standing::Staff, mine) {
            continue;
        }
        out.push(Comment {
            id: row.id,
            draft_id: row.draft_id,
            version: row.draft_version,
            article_id: row.article_id,
            source: stored("source kind", row.id, SourceKind::parse(&row.source_kind))?,
            content: row.content,
            offline_count: row.offline_count,
            offline_source: row.offline_source,
            outcome: stored("outcome", row.id, CommentOutcome::parse(&row.outcome))?,
            outcome_reason: row.outcome_reason,
            decided_at: row.decided_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
            mine,
            identity,
            moderation: standing,
        });
    }
    Ok(out)
}

/// One call: every call is public (anonymous readers included).
pub async fn call_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<Call> {
    let row = legislative_call::Entity::find_by_id(id).one(&store.db).await?.ok_or("legislative call")?;
    let who = standing(&store.db, actor, row.congress_id).await?;
    Ok(call_of(row, who, actor.map(|a| a.user_id)))
}

/// A congress's calls, in the order they were published.
pub async fn calls(
    store: &Store,
    actor: Option<&Actor>,
    congress_id: Uuid,
    page: PageRequest,
) -> Result<Page<Call>> {
    let who = standing(&store.db, actor, congress_id).await?;
    let filter = legislative_call::Column::CongressId.eq(congress_id);
    let total = legislative_call::Entity::find().filter(filter.clone()).count(&store.db).await?;
    let mut query =
        legislative_call::Entity::find().filter(filter).order_by_asc(legislative_call::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(legislative_call::Column::Id.gt(after));
    }
    let rows = query.limit(page.first + 1).all(&store.db).await?;
    let viewer = actor.map(|a| a.user_id);
    let items = rows.into_iter().map(|r| call_of(r, who, viewer)).collect();
    Ok(Page::from_overfetch(items, page, total))
}

/// A call's proposals: all for staff, the viewer's own for anyone else (none for anonymous readers).
pub async fn proposals(store: &Store, call: &Call, page: PageRequest) -> Result<Page<Proposal>> {
    let mut query =
        legislative_proposal::Entity::find().filter(legislative_proposal::Column::CallId.eq(call.id));
    if call.who != Standing::Staff {
        let Some(viewer) = call.viewer else {
            return Ok(Page { items: Vec::new(), has_next_page: false, total_count: 0 });
        };
        query = query.filter(legislative_proposal::Column::AccountId.eq(viewer));
    }
    let total = query.clone().count(&store.db).await?;
    let mut query = query.order_by_asc(legislative_proposal::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(legislative_proposal::Column::Id.gt(after));
    }
    let rows = query.limit(page.first + 1).all(&store.db).await?;
    let items = proposals_of(&store.db, call.who, call.viewer, rows).await?;
    Ok(Page::from_overfetch(items, page, total))
}

/// How many proposals a call gathered (public).
pub async fn proposal_count(store: &Store, call_id: Uuid) -> Result<u64> {
    Ok(legislative_proposal::Entity::find()
        .filter(legislative_proposal::Column::CallId.eq(call_id))
        .count(&store.db)
        .await?)
}

/// One proposal: for staff of the congress and the proposer; NOT_FOUND for anyone else.
pub async fn proposal_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<Proposal> {
    proposals_among(store, actor, &[id]).await?.remove(&id).ok_or_else(|| "legislative proposal".into())
}

/// The viewer's standing towards each of `congresses`, one lookup each.
async fn standings(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    congresses: Vec<Uuid>,
) -> Result<HashMap<Uuid, Standing>> {
    let mut out = HashMap::new();
    for congress in congresses {
        if let std::collections::hash_map::Entry::Vacant(e) = out.entry(congress) {
            e.insert(standing(db, actor, congress).await?);
        }
    }
    Ok(out)
}

/// The proposals among `ids` the viewer may see ([`dom::sees_proposal`]: staff of the congress and the
/// proposer), by id; the others left out.
pub async fn proposals_among(
    store: &Store,
    actor: Option<&Actor>,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Proposal>> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = legislative_proposal::Entity::find()
        .filter(legislative_proposal::Column::Id.is_in(ids.iter().copied()))
        .all(&store.db)
        .await?;
    let who = standings(&store.db, actor, rows.iter().map(|r| r.congress_id).collect()).await?;
    let viewer = actor.map(|a| a.user_id);
    for row in rows {
        let Some(&who) = who.get(&row.congress_id) else { continue };
        if !dom::sees_proposal(who, viewer == Some(row.account_id)) {
            continue;
        }
        if let Some(p) = proposals_of(&store.db, who, viewer, vec![row]).await?.pop() {
            out.insert(p.id, p);
        }
    }
    Ok(out)
}

/// One draft: public.
pub async fn draft_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<Draft> {
    drafts_among(store, actor, &[id]).await?.remove(&id).ok_or_else(|| "draft law".into())
}

/// The drafts among `ids` (all public), as the viewer reads them, by id.
pub async fn drafts_among(
    store: &Store,
    actor: Option<&Actor>,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Draft>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = draft_law::Entity::find()
        .filter(draft_law::Column::Id.is_in(ids.iter().copied()))
        .all(&store.db)
        .await?;
    let who = standings(&store.db, actor, rows.iter().map(|r| r.congress_id).collect()).await?;
    let viewer = actor.map(|a| a.user_id);
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let who = *who.get(&r.congress_id)?;
            Some((r.id, draft_of(r, who, viewer)))
        })
        .collect())
}

/// A congress's drafts, in the order they were published.
pub async fn drafts(
    store: &Store,
    actor: Option<&Actor>,
    congress_id: Uuid,
    page: PageRequest,
) -> Result<Page<Draft>> {
    let who = standing(&store.db, actor, congress_id).await?;
    let filter = draft_law::Column::CongressId.eq(congress_id);
    let total = draft_law::Entity::find().filter(filter.clone()).count(&store.db).await?;
    let mut query = draft_law::Entity::find().filter(filter).order_by_asc(draft_law::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(draft_law::Column::Id.gt(after));
    }
    let rows = query.limit(page.first + 1).all(&store.db).await?;
    let viewer = actor.map(|a| a.user_id);
    let items = rows.into_iter().map(|r| draft_of(r, who, viewer)).collect();
    Ok(Page::from_overfetch(items, page, total))
}

/// A draft's versions, oldest first.
pub async fn versions(db: &impl ConnectionTrait, draft_id: Uuid) -> Result<Vec<Version>> {
    let rows = draft_version::Entity::find()
        .filter(draft_version::Column::DraftId.eq(draft_id))
        .order_by_asc(draft_version::Column::Number)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Version {
            draft_id: r.draft_id,
            number: r.number,
            period: Period { opens_at: r.opens_at, closes_at: r.closes_at },
            published_at: r.published_at,
        })
        .collect())
}

/// The articles of one version of a draft, in order.
pub async fn articles(db: &impl ConnectionTrait, draft_id: Uuid, version: i32) -> Result<Vec<Article>> {
    let rows = draft_article::Entity::find()
        .filter(draft_article::Column::DraftId.eq(draft_id))
        .filter(draft_article::Column::DraftVersion.eq(version))
        .order_by_asc(draft_article::Column::Position)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Article::from).collect())
}

/// One article (public).
pub async fn article_for(store: &Store, id: Uuid) -> Result<Article> {
    Ok(draft_article::Entity::find_by_id(id).one(&store.db).await?.ok_or("draft article")?.into())
}

/// A filter on a draft's comments.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommentFilter {
    /// Only this version (default: all).
    pub version: Option<i32>,
    /// Only comments on this article.
    pub article_id: Option<Uuid>,
    /// Only comments on the whole draft.
    pub whole: bool,
    /// Only the viewer's own.
    pub mine: bool,
}

/// A draft's comments, as the viewer may see them (text and outcome public, identity to staff).
pub async fn comments(
    store: &Store,
    vault: &Vault,
    draft: &Draft,
    filter: CommentFilter,
    page: PageRequest,
) -> Result<Page<Comment>> {
    let mut query = draft_comment::Entity::find().filter(draft_comment::Column::DraftId.eq(draft.id));
    if let Some(v) = filter.version {
        query = query.filter(draft_comment::Column::DraftVersion.eq(v));
    }
    if let Some(a) = filter.article_id {
        query = query.filter(draft_comment::Column::ArticleId.eq(a));
    }
    if filter.whole {
        query = query.filter(draft_comment::Column::ArticleId.is_null());
    }
    if filter.mine {
        let Some(viewer) = draft.viewer else {
            return Ok(Page { items: Vec::new(), has_next_page: false, total_count: 0 });
        };
        query = query.filter(draft_comment::Column::AccountId.eq(viewer));
    }
    if draft.who != Standing::Staff {
        let mut readable = Condition::any().add(
            draft_comment::Column::Id.not_in_subquery(moderation::not_visible(ContentKind::DraftComment)),
        );
        if let Some(viewer) = draft.viewer {
            readable = readable.add(draft_comment::Column::AccountId.eq(viewer));
        }
        query = query.filter(readable);
    }
    let total = query.clone().count(&store.db).await?;
    let mut query = query.order_by_asc(draft_comment::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(draft_comment::Column::Id.gt(after));
    }
    let rows = query.limit(page.first + 1).all(&store.db).await?;
    let items = comments_of(&store.db, vault, draft.who, draft.viewer, rows).await?;
    Ok(Page::from_overfetch(items, page, total))
}

/// One comment (public, identity to staff).
pub async fn comment_for(store: &Store, vault: &Vault, actor: Option<&Actor>, id: Uuid) -> Result<Comment> {
    comments_among(store, vault, actor, &[id]).await?.remove(&id).ok_or_else(|| "draft comment".into())
}

/// The comments among `ids` (their text is public; the commenter's identity only for staff of the
/// congress), by id.
pub async fn comments_among(
    store: &Store,
    vault: &Vault,
    actor: Option<&Actor>,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Comment>> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = draft_comment::Entity::find()
        .filter(draft_comment::Column::Id.is_in(ids.iter().copied()))
        .all(&store.db)
        .await?;
    let drafts: HashMap<Uuid, Uuid> = draft_law::Entity::find()
        .select_only()
        .column(draft_law::Column::Id)
        .column(draft_law::Column::CongressId)
        .filter(draft_law::Column::Id.is_in(rows.iter().map(|r| r.draft_id)))
        .into_tuple::<(Uuid, Uuid)>()
        .all(&store.db)
        .await?
        .into_iter()
        .collect();
    let who = standings(&store.db, actor, drafts.values().copied().collect()).await?;
    let mut by_standing: HashMap<Uuid, Vec<draft_comment::Model>> = HashMap::new();
    for row in rows {
        if let Some(congress) = drafts.get(&row.draft_id) {
            by_standing.entry(*congress).or_default().push(row);
        }
    }
    let viewer = actor.map(|a| a.user_id);
    for (congress, rows) in by_standing {
        let Some(&who) = who.get(&congress) else { continue };
        for c in comments_of(&store.db, vault, who, viewer, rows).await? {
            out.insert(c.id, c);
        }
    }
    Ok(out)
}

/// The deputies linked to a draft: for staff and the congress's deputies; empty for anyone else.
pub async fn linked(store: &Store, draft: &Draft) -> Result<Vec<Uuid>> {
    if !dom::sees_links(draft.who) {
        return Ok(Vec::new());
    }
    linked_ids(&store.db, draft.id).await
}

pub(super) async fn linked_ids(db: &impl ConnectionTrait, draft_id: Uuid) -> Result<Vec<Uuid>> {
    Ok(draft_law_link::Entity::find()
        .select_only()
        .column(draft_law_link::Column::DeputyId)
        .filter(draft_law_link::Column::DraftId.eq(draft_id))
        .order_by_asc(draft_law_link::Column::DeputyId)
        .into_tuple()
        .all(db)
        .await?)
}

/// The timeline of a call or draft (public: it records the staff's steps, never who commented).
pub async fn timeline(store: &Store, subject_id: Uuid) -> Result<Vec<Event>> {
    let rows = legislation_event::Entity::find()
        .filter(legislation_event::Column::SubjectId.eq(subject_id))
        .order_by_asc(legislation_event::Column::Id)
        .limit(1000)
        .all(&store.db)
        .await?;
    Ok(rows.into_iter().map(|r| Event { id: r.id, kind: r.kind, note: r.note, at: r.at }).collect())
}

/// A call's statistics: proposals by outcome, per source kind and per proposal kind.
#[derive(Debug, Clone, Default)]
pub struct CallStatistics {
    pub total: OutcomeCounts,
    pub by_source: Vec<(SourceKind, OutcomeCounts)>,
    pub by_kind: Vec<(ProposalKind, OutcomeCounts)>,
}

/// Staff of the call's congress only.
pub async fn call_statistics(store: &Store, actor: &Actor, call_id: Uuid) -> Result<(Call, CallStatistics)> {
    let call = call_for(store, Some(actor), call_id).await?;
    dom::check_statistics(call.who)?;
    let rows: Vec<(String, String, String, i64)> = legislative_proposal::Entity::find()
        .select_only()
        .column(legislative_proposal::Column::SourceKind)
        .column(legislative_proposal::Column::Kind)
        .column(legislative_proposal::Column::Outcome)
        .column_as(Expr::expr(Func::count(Expr::col(legislative_proposal::Column::Id))), "n")
        .filter(legislative_proposal::Column::CallId.eq(call_id))
        .group_by(legislative_proposal::Column::SourceKind)
        .group_by(legislative_proposal::Column::Kind)
        .group_by(legislative_proposal::Column::Outcome)
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut stats = CallStatistics::default();
    let mut by_source: HashMap<SourceKind, OutcomeCounts> = HashMap::new();
    let mut by_kind: HashMap<ProposalKind, OutcomeCounts> = HashMap::new();
    for (source, kind, outcome, n) in rows {
        let n = u64::try_from(n).unwrap_or_default();
        let source = stored("source kind", call_id, SourceKind::parse(&source))?;
        let kind = stored("proposal kind", call_id, ProposalKind::parse(&kind))?;
        let outcome = stored("outcome", call_id, ProposalOutcome::parse(&outcome))?;
        stats.total.add_proposal(outcome, n);
        by_source.entry(source).or_default().add_proposal(outcome, n);
        by_kind.entry(kind).or_default().add_proposal(outcome, n);
    }
    stats.by_source = SourceKind::ALL.iter().filter_map(|s| by_source.get(s).map(|c| (*s, *c))).collect();
    stats.by_kind = ProposalKind::ALL.iter().filter_map(|k| by_kind.get(k).map(|c| (*k, *c))).collect();
    Ok((call, stats))
}

/// A draft's statistics: comments by outcome, per source kind and per article (the whole draft as an
/// article of its own), with the people a contact point's entries stand for.
#[derive(Debug, Clone, Default)]
pub struct DraftStatistics {
    pub total: OutcomeCounts,
    /// People the comments stand for (a contact point's entry counts its `offlineCount`).
    pub people: u64,
    pub by_source: Vec<(SourceKind, OutcomeCounts, u64)>,
    /// `None` is the whole draft.
    pub by_article: Vec<(Option<Article>, OutcomeCounts)>,
}

/// Staff of the draft's congress only. `version` narrows to one version.
pub async fn draft_statistics(
    store: &Store,
    actor: &Actor,
    draft_id: Uuid,
    version: Option<i32>,
) -> Result<(Draft, DraftStatistics)> {
    let draft = draft_for(store, Some(actor), draft_id).await?;
    dom::check_statistics(draft.who)?;
    let mut query = draft_comment::Entity::find()
        .select_only()
        .column(draft_comment::Column::ArticleId)
        .column(draft_comment::Column::SourceKind)
        .column(draft_comment::Column::Outcome)
        .column_as(Expr::expr(Func::count(Expr::col(draft_comment::Column::Id))), "n")
        .column_as(Expr::expr(Func::sum(Expr::col(draft_comment::Column::OfflineCount))), "people")
        .filter(draft_comment::Column::DraftId.eq(draft_id));
    if let Some(v) = version {
        query = query.filter(draft_comment::Column::DraftVersion.eq(v));
    }
    let rows: Vec<CommentGroup> = query
        .group_by(draft_comment::Column::ArticleId)
        .group_by(draft_comment::Column::SourceKind)
        .group_by(draft_comment::Column::Outcome)
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut stats = DraftStatistics::default();
    let mut by_source: HashMap<SourceKind, (OutcomeCounts, u64)> = HashMap::new();
    let mut by_article: HashMap<Option<Uuid>, OutcomeCounts> = HashMap::new();
    for (article, source, outcome, n, people) in rows {
        let n = u64::try_from(n).unwrap_or_default();
        let people = people.and_then(|p| u64::try_from(p).ok()).unwrap_or(n);
        let source = stored("source kind", draft_id, SourceKind::parse(&source))?;
        let outcome = stored("outcome", draft_id, CommentOutcome::parse(&outcome))?;
        stats.total.add_comment(outcome, n);
        stats.people += people;
        let entry = by_source.entry(source).or_default();
        entry.0.add_comment(outcome, n);
        entry.1 += people;
        by_article.entry(article).or_default().add_comment(outcome, n);
    }
    stats.by_source =
        SourceKind::ALL.iter().filter_map(|s| by_source.get(s).map(|(c, p)| (*s, *c, *p))).collect();
    let ids: Vec<Uuid> = by_article.keys().filter_map(|a| *a).collect();
    let mut found: Vec<Article> = if ids.is_empty() {
        Vec::new()
    } else {
        draft_article::Entity::find()
            .filter(draft_article::Column::Id.is_in(ids))
            .all(&store.db)
            .await?
            .into_iter()
            .map(Article::from)
            .collect()
    };
    found.sort_by_key(|a| (a.version, a.position));
    if let Some(whole) = by_article.get(&None) {
        stats.by_article.push((None, *whole));
    }
    for article in found {
        let counts = by_article.get(&Some(article.id)).copied().unwrap_or_default();
        stats.by_article.push((Some(article), counts));
    }
    Ok((draft, stats))
}
