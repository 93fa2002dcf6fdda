//! Open legislation as the app sees it: calls with their proposals, drafts with their versions, articles
//! and comments. A commenter's or proposer's identity is a field only staff of the congress get a value
//! from; everyone, anonymous readers included, sees the text, the article and the outcome.

use super::enums::{CommentOutcome, LegislationPhase, LegislationSourceKind, ProposalKind, ProposalOutcome};
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::directory::{Congress, Deputy, LiaisonStation};
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{CongressKey, DeputyKey, LiaisonStationKey};
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use edaibiao_domain::legislation::OutcomeCounts as DomCounts;
use edaibiao_infra::legislation as store;

fn int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

async fn congress(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<Congress>> {
    Ok(ctx.loader()?.load_one(CongressKey(id)).await?.map(Congress))
}

/// A step on the timeline of a call or draft: what staff did and when (never who commented).
#[derive(SimpleObject)]
pub struct LegislationEvent {
    /// PUBLISHED, CLOSED, LINKED, VERSION_PUBLISHED, PROPOSAL_MARKED or COMMENT_MARKED.
    pub kind: String,
    /// A version number, an outcome, a law's title, or the number of linked deputies.
    pub note: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

fn events(found: Vec<store::Event>) -> Vec<LegislationEvent> {
    found.into_iter().map(|e| LegislationEvent { kind: e.kind, note: e.note, at: e.at }).collect()
}

pub struct LegislativeCall(pub store::Call);

/// A call for the legislative plan (立法规划/计划建议项目征集): staff publish it with a period; deputies and
/// citizens with an account propose laws to make or amend while it is open; staff mark each proposal.
/// Public: anyone, anonymous readers included, reads it.
#[Object]
impl LegislativeCall {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::LegislativeCall, self.0.id)
    }
    /// The congress that calls.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        congress(ctx, self.0.congress_id).await
    }
    /// Title, e.g. "2027年度立法计划建议项目征集".
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the congress asks for.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// When proposals are first taken.
    async fn opens_at(&self) -> DateTime<Utc> {
        self.0.period.opens_at
    }
    /// When proposals are no longer taken.
    async fn closes_at(&self) -> DateTime<Utc> {
        self.0.period.closes_at
    }
    /// Where the period is now.
    async fn phase(&self) -> LegislationPhase {
        self.0.phase(Utc::now()).into()
    }
    /// How many proposals it gathered (public).
    async fn proposal_count(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        Ok(int(store::proposal_count(&ctx.services()?.store, self.0.id).await?))
    }
    /// The proposals: all for staff of the congress, the viewer's own for anyone else (none for anonymous
    /// readers). In the order they were made.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn proposals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Conn<LegislativeProposal>> {
        let request = page_request(first, after)?;
        let page = store::proposals(&ctx.services()?.store, &self.0, request).await?;
        Ok(connection(page, request, |p| p.id, LegislativeProposal))
    }
    /// The steps staff took, oldest first.
    async fn timeline(&self, ctx: &Context<'_>) -> ApiResult<Vec<LegislationEvent>> {
        Ok(events(store::timeline(&ctx.services()?.store, self.0.id).await?))
    }
    /// When it was published.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Who made a proposal or comment: for staff of the congress only.
pub struct Commenter(pub store::Identity);

/// Who made a proposal or comment (staff of the congress only).
#[Object]
impl Commenter {
    /// The deputy's or citizen's name, the contact point's name, or a phone commenter's masked number.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The deputy, for a deputy's.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        match self.0.deputy_id {
            Some(id) => Ok(ctx.loader()?.load_one(DeputyKey(id)).await?.map(Deputy)),
            None => Ok(None),
        }
    }
    /// The legislative contact point, for a contact point's.
    async fn station(&self, ctx: &Context<'_>) -> ApiResult<Option<LiaisonStation>> {
        match self.0.station_id {
            Some(id) => Ok(ctx.loader()?.load_one(LiaisonStationKey(id)).await?.map(LiaisonStation)),
            None => Ok(None),
        }
    }
    /// The full phone of a citizen who commented without an account (to call back).
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
}

pub struct LegislativeProposal(pub store::Proposal);

/// A law a deputy or citizen proposes for a call's plan, and what staff made of it (the proposer sees the
/// outcome and the reason). Visible to staff of the congress and the proposer.
#[Object]
impl LegislativeProposal {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::LegislativeProposal, self.0.id)
    }
    /// The call it answers.
    async fn call(&self, ctx: &Context<'_>) -> ApiResult<Option<LegislativeCall>> {
        let services = ctx.services()?;
        match store::call_for(&services.store, ctx.actor_opt(), self.0.call_id).await {
            Ok(call) => Ok(Some(LegislativeCall(call))),
            Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
    /// DEPUTY or CITIZEN.
    async fn source_kind(&self) -> LegislationSourceKind {
        self.0.source.into()
    }
    /// The law to make or amend, 1–100 characters.
    async fn law_title(&self) -> &str {
        &self.0.law_title
    }
    /// Make or amend.
    async fn kind(&self) -> ProposalKind {
        self.0.kind.into()
    }
    /// Why, 1–2,000 characters.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// What staff made of it.
    async fn outcome(&self) -> ProposalOutcome {
        self.0.outcome.into()
    }
    /// Why (always for MERGED and NOT_TAKEN).
    async fn outcome_reason(&self) -> Option<&str> {
        self.0.outcome_reason.as_deref()
    }
    /// When it was marked.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    /// Whether the viewer made it.
    async fn mine(&self) -> bool {
        self.0.mine
    }
    /// Who made it: staff of the congress only; null for anyone else.
    async fn proposer(&self) -> Option<Commenter> {
        self.0.identity.clone().map(Commenter)
    }
    /// When it was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// One published version of a draft and its comment period.
#[derive(SimpleObject)]
pub struct DraftLawVersion {
    /// 1 for the first draft, then 2 (二审稿), …
    pub number: i32,
    /// When comments were first taken on it.
    pub opens_at: DateTime<Utc>,
    /// When comments on it were no longer taken.
    pub closes_at: DateTime<Utc>,
    /// When it was published.
    pub published_at: DateTime<Utc>,
}

pub struct DraftLaw(pub store::Draft);

/// A draft law published for comment (法规草案征求意见) as numbered chapters and articles, in versions: staff
/// publish it with a comment period; deputies, citizens (with an account, or with a phone confirmed by a
/// one-time code) and the legislative contact points comment on an article or the whole while it is open;
/// after the period staff mark each comment and may publish a new version with what changed. Public:
/// anyone reads the articles and the comments with their outcomes; who commented only staff.
#[Object]
impl DraftLaw {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::DraftLaw, self.0.id)
    }
    /// The congress whose draft it is.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        congress(ctx, self.0.congress_id).await
    }
    /// Title, e.g. "示例市养犬管理条例（草案）".
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the draft is about and how to comment.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The current version's number.
    async fn current_version(&self) -> i32 {
        self.0.current_version
    }
    /// When the current version's comment period opens.
    async fn opens_at(&self) -> DateTime<Utc> {
        self.0.period.opens_at
    }
    /// When the current version's comment period closes.
    async fn closes_at(&self) -> DateTime<Utc> {
        self.0.period.closes_at
    }
    /// Where the current version's period is now.
    async fn phase(&self) -> LegislationPhase {
        self.0.period.phase(Utc::now()).into()
    }
    /// Every version, oldest first.
    async fn versions(&self, ctx: &Context<'_>) -> ApiResult<Vec<DraftLawVersion>> {
        let found = store::versions(&ctx.services()?.store.db, self.0.id).await?;
        Ok(found
            .into_iter()
            .map(|v| DraftLawVersion {
                number: v.number,
                opens_at: v.period.opens_at,
                closes_at: v.period.closes_at,
                published_at: v.published_at,
            })
            .collect())
    }
    /// The articles of a version (default: the current one), in order (at most 500).
    async fn articles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The version's number; the current one when omitted.")] version: Option<i32>,
    ) -> ApiResult<Vec<DraftArticle>> {
        let version = version.unwrap_or(self.0.current_version);
        let found = store::articles(&ctx.services()?.store.db, self.0.id, version).await?;
        Ok(found.into_iter().map(DraftArticle).collect())
    }
    /// The comments, in the order they were made: their text, article, source kind and outcome for
    /// everyone; who made them for staff of the congress only.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn comments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only comments on this version.")] version: Option<i32>,
        #[graphql(desc = "Only comments on this article.")] article_id: Option<ID>,
        #[graphql(desc = "Only comments on the whole draft (no article).", default)] whole: bool,
        #[graphql(desc = "Only the viewer's own (none for anonymous readers).", default)] mine: bool,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Conn<DraftComment>> {
        let services = ctx.services()?;
        let article_id =
            article_id.as_ref().map(|id| ids::decode(NodeKind::DraftArticle, "articleId", id)).transpose()?;
        let request = page_request(first, after)?;
        let filter = store::CommentFilter { version, article_id, whole, mine };
        let page =
            store::comments(&services.store, &services.opinions.vault, &self.0, filter, request).await?;
        Ok(connection(page, request, |c| c.id, DraftComment))
    }
    /// The deputies linked to it (挂钩联系): for staff and the congress's deputies; empty for anyone else.
    async fn linked_deputies(&self, ctx: &Context<'_>) -> ApiResult<Vec<Deputy>> {
        let ids = store::linked(&ctx.services()?.store, &self.0).await?;
        let loader = ctx.loader()?;
        Ok(loader.deputies_in_order(&ids).await?.into_iter().map(Deputy).collect())
    }
    /// The steps staff took, oldest first.
    async fn timeline(&self, ctx: &Context<'_>) -> ApiResult<Vec<LegislationEvent>> {
        Ok(events(store::timeline(&ctx.services()?.store, self.0.id).await?))
    }
    /// When it was first published.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

pub struct DraftArticle(pub store::Article);

/// A numbered article of one version of a draft (public).
#[Object]
impl DraftArticle {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::DraftArticle, self.0.id)
    }
    /// The version it belongs to.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Its place in the version, from 0.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// The chapter heading it stands under ("第一章 总则"); empty without chapters.
    async fn chapter(&self) -> &str {
        &self.0.chapter
    }
    /// Its number as printed ("第一条").
    async fn number(&self) -> &str {
        &self.0.number
    }
    /// Its text.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// In a later version: what changed from the article it continues ("新增" for a new one).
    async fn change_note(&self) -> Option<&str> {
        self.0.change_note.as_deref()
    }
    /// In a later version: the article of the previous version it continues.
    async fn based_on(&self, ctx: &Context<'_>) -> ApiResult<Option<DraftArticle>> {
        match self.0.based_on {
            Some(id) => Ok(Some(DraftArticle(store::article_for(&ctx.services()?.store, id).await?))),
            None => Ok(None),
        }
    }
}

pub struct DraftComment(pub store::Comment);

/// A comment on an article (or the whole) of one version of a draft, and what staff made of it. Public,
/// except who made it (staff of the congress only). A citizen who commented with a phone finds its outcome
/// here (by the ID `commentOnDraftLawByPhone` returned, or on the draft's page).
#[Object]
impl DraftComment {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::DraftComment, self.0.id)
    }
    /// The version it was made on.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The article it is on; null for a comment on the whole draft.
    async fn article(&self, ctx: &Context<'_>) -> ApiResult<Option<DraftArticle>> {
        match self.0.article_id {
            Some(id) => Ok(Some(DraftArticle(store::article_for(&ctx.services()?.store, id).await?))),
            None => Ok(None),
        }
    }
    /// Who it comes from: DEPUTY, CITIZEN, PHONE or CONTACT_POINT.
    async fn source_kind(&self) -> LegislationSourceKind {
        self.0.source.into()
    }
    /// What it says, 1–2,000 characters.
    async fn content(&self) -> &str {
        &self.0.content
    }
    /// How many people it stands for (a contact point's offline collection; 1 otherwise).
    async fn offline_count(&self) -> i32 {
        self.0.offline_count
    }
    /// Where a contact point collected it ("座谈会", "走访"), if said.
    async fn offline_source(&self) -> Option<&str> {
        self.0.offline_source.as_deref()
    }
    /// What staff made of it.
    async fn outcome(&self) -> CommentOutcome {
        self.0.outcome.into()
    }
    /// Why (always for PARTLY_ADOPTED and NOT_ADOPTED).
    async fn outcome_reason(&self) -> Option<&str> {
        self.0.outcome_reason.as_deref()
    }
    /// When it was marked.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    /// Whether the viewer's account made it.
    async fn mine(&self) -> bool {
        self.0.mine
    }
    /// Where moderation has it: VISIBLE for everyone; HIDDEN (reported, waiting for review) or REMOVED
    /// only the author and staff of the congress read (anyone else does not find it).
    async fn moderation(&self) -> crate::graphql::moderation::ModerationState {
        self.0.moderation.state().into()
    }
    /// Why staff restored or removed it (the author and staff); null before any decision.
    async fn moderation_reason(&self) -> Option<&str> {
        self.0.moderation.reason.as_deref()
    }
    /// Who made it: staff of the congress only; null for anyone else.
    async fn commenter(&self) -> Option<Commenter> {
        self.0.identity.clone().map(Commenter)
    }
    /// When it was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was last edited.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Counts by outcome.
#[derive(SimpleObject, Clone, Copy)]
pub struct LegislationOutcomeCounts {
    /// All.
    pub total: i32,
    /// Not marked yet.
    pub pending: i32,
    /// TAKEN (proposals) or ADOPTED (comments).
    pub positive: i32,
    /// MERGED (proposals) or PARTLY_ADOPTED (comments).
    pub partial: i32,
    /// NOT_TAKEN or NOT_ADOPTED.
    pub negative: i32,
    /// (positive + partial) / marked; null when nothing is marked.
    pub adoption_rate: Option<f64>,
}

impl From<DomCounts> for LegislationOutcomeCounts {
    fn from(c: DomCounts) -> Self {
        Self {
            total: int(c.total),
            pending: int(c.pending),
            positive: int(c.positive),
            partial: int(c.partial),
            negative: int(c.negative),
            adoption_rate: c.adoption_rate(),
        }
    }
}

/// Counts of one source kind.
#[derive(SimpleObject)]
pub struct LegislationSourceCounts {
    /// Deputies, citizens, phone commenters or contact points.
    pub source_kind: LegislationSourceKind,
    /// By outcome.
    pub counts: LegislationOutcomeCounts,
    /// The people they stand for (a contact point's entry counts its `offlineCount`).
    pub people: i32,
}

/// Counts of one proposal kind.
#[derive(SimpleObject)]
pub struct LegislationKindCounts {
    /// Make or amend.
    pub kind: ProposalKind,
    /// By outcome.
    pub counts: LegislationOutcomeCounts,
}

/// A call's statistics (staff of the congress only).
#[derive(SimpleObject)]
pub struct LegislativeCallStatistics {
    /// The call.
    pub call: LegislativeCall,
    /// All proposals by outcome.
    pub total: LegislationOutcomeCounts,
    /// Per source kind (deputies, citizens).
    pub by_source: Vec<LegislationSourceCounts>,
    /// Per kind (make, amend).
    pub by_kind: Vec<LegislationKindCounts>,
}

/// Counts of one article (or the whole draft).
#[derive(SimpleObject)]
pub struct DraftArticleCounts {
    /// The article; null for comments on the whole draft.
    pub article: Option<DraftArticle>,
    /// By outcome.
    pub counts: LegislationOutcomeCounts,
}

/// A draft's statistics (staff of the congress only).
#[derive(SimpleObject)]
pub struct DraftLawStatistics {
    /// The draft.
    pub draft: DraftLaw,
    /// The version counted; null for all versions.
    pub version: Option<i32>,
    /// All comments by outcome.
    pub total: LegislationOutcomeCounts,
    /// The people the comments stand for.
    pub people: i32,
    /// Per source kind.
    pub by_source: Vec<LegislationSourceCounts>,
    /// Per article, the whole draft first, then by version and position.
    pub by_article: Vec<DraftArticleCounts>,
}

impl LegislativeCallStatistics {
    pub fn from_store(call: store::Call, s: store::CallStatistics) -> Self {
        Self {
            call: LegislativeCall(call),
            total: s.total.into(),
            by_source: s
                .by_source
                .into_iter()
                .map(|(k, c)| LegislationSourceCounts {
                    source_kind: k.into(),
                    counts: c.into(),
                    people: int(c.total),
                })
                .collect(),
            by_kind: s
                .by_kind
                .into_iter()
                .map(|(k, c)| LegislationKindCounts { kind: k.into(), counts: c.into() })
                .collect(),
        }
    }
}

impl DraftLawStatistics {
    pub fn from_store(draft: store::Draft, version: Option<i32>, s: store::DraftStatistics) -> Self {
        Self {
            draft: DraftLaw(draft),
            version,
            total: s.total.into(),
            people: int(s.people),
            by_source: s
                .by_source
                .into_iter()
                .map(|(k, c, p)| LegislationSourceCounts {
                    source_kind: k.into(),
                    counts: c.into(),
                    people: int(p),
                })
                .collect(),
            by_article: s
                .by_article
                .into_iter()
                .map(|(a, c)| DraftArticleCounts { article: a.map(DraftArticle), counts: c.into() })
                .collect(),
        }
    }
}
