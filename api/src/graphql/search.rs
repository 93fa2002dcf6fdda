//! 检索 over GraphQL: one search across kinds, similar matters while drafting, and unit recommendation for
//! staff assigning a suggestion. Every result passes the item's own visibility rule in the use case.

use crate::graphql::ContextExt;
use crate::graphql::directory::{HandlingUnit, required};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::loaders::HandlingUnitKey;
use crate::graphql::node::Node;
use crate::graphql::suggestion::Suggestion;
use async_graphql::connection::{Connection, ConnectionNameType, Edge, EdgeNameType, EmptyFields};
use async_graphql::{Context, Enum, ID, Object, OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edaibiao_domain::search::{self as dom, DraftProbe, SearchQuery};
use edaibiao_infra::search;

/// The most kinds one search may list (every kind, once).
const MAX_KINDS: usize = dom::SearchKind::ALL.len();
/// The deepest a search may page: results past this position are not reachable (refine the query).
const MAX_OFFSET: usize = 1_000;

/// A kind of item search covers.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::search::SearchKind")]
pub enum SearchKind {
    /// 代表建议 (`Suggestion`).
    Suggestion,
    /// 代表议案 (`Bill`).
    Bill,
    /// 社情民意 (`Opinion`): its category and content, never the citizen's contact.
    Opinion,
    /// 法规草案 (`DraftLaw`): its title, description and current articles.
    DraftLaw,
    /// A public comment on a draft law (`DraftComment`).
    DraftComment,
    /// 立法规划建议项目 (`LegislativeProposal`).
    LegislativeProposal,
    /// 学习资料 (`LearningMaterial`); a withdrawn one is not found.
    LearningMaterial,
    /// 人大工作动态 (`NewsItem`).
    NewsItem,
    /// 资料 (`Document`).
    Document,
}

/// How a search result matched: its kind, relevance and text with the matches marked 【…】.
#[derive(SimpleObject)]
pub struct SearchMatch {
    /// What kind of item the node is.
    pub kind: SearchKind,
    /// Relevance (BM25 over character bigrams, the title weighted double); higher is better. Only the
    /// order within one result list means anything.
    pub score: f64,
    /// The title, matches marked 【…】. Plain text: escape it as any other text.
    pub highlighted_title: String,
    /// Up to 80 characters of the body around the first match, matches marked 【…】, cut ends shown as ….
    pub snippet: String,
}

/// Names the search connection `SearchConnection`.
pub struct SearchConnectionName;

impl ConnectionNameType for SearchConnectionName {
    fn type_name<T: OutputType>() -> String {
        "SearchConnection".to_owned()
    }
}

/// Names a search edge `SearchEdge`.
pub struct SearchEdgeName;

impl EdgeNameType for SearchEdgeName {
    fn type_name<T: OutputType>() -> String {
        "SearchEdge".to_owned()
    }
}

/// A page of search results, best first: each edge has the item (`node`) and how it matched.
pub type SearchConnection =
    Connection<String, Node, EmptyFields, SearchMatch, SearchConnectionName, SearchEdgeName>;

/// The edge type of [`SearchConnection`].
pub type SearchEdge = Edge<String, Node, SearchMatch, SearchEdgeName>;

/// The item as a `Node`, wrapped in its own GraphQL type.
fn node_of(item: search::Item) -> Node {
    use search::Item;
    match item {
        Item::Suggestion(s) => Node::Suggestion(Box::new(Suggestion(s))),
        Item::Bill(b) => Node::Bill(Box::new(crate::graphql::bill::Bill(b))),
        Item::Opinion(o) => Node::Opinion(Box::new(crate::graphql::opinion::Opinion(o))),
        Item::DraftLaw(d) => Node::DraftLaw(Box::new(crate::graphql::legislation::DraftLaw(d))),
        Item::DraftComment(c) => Node::DraftComment(Box::new(crate::graphql::legislation::DraftComment(c))),
        Item::LegislativeProposal(p) => {
            Node::LegislativeProposal(Box::new(crate::graphql::legislation::LegislativeProposal(p)))
        }
        Item::LearningMaterial(m) => {
            Node::LearningMaterial(Box::new(crate::graphql::learning::LearningMaterial(m)))
        }
        Item::NewsItem(n) => Node::NewsItem(Box::new(crate::graphql::learning::NewsItem(n))),
        Item::Document(d) => Node::Document(Box::new(crate::graphql::learning::Document(d))),
    }
}

/// An opaque cursor: the position after an edge in the viewer's ranked list.
fn cursor_of(position: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("search:{position}"))
}

fn offset_of(after: Option<&str>) -> ApiResult<usize> {
    let Some(after) = after else { return Ok(0) };
    URL_SAFE_NO_PAD
        .decode(after)
        .ok()
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|text| text.strip_prefix("search:").and_then(|n| n.parse::<usize>().ok()))
        .filter(|n| *n <= MAX_OFFSET)
        .ok_or_else(|| ApiError::bad_input("after", "is not a cursor from this search"))
}

/// An existing matter like the text being drafted, to merge (并案) or co-sign instead of filing again.
pub struct SimilarMatter(search::SimilarMatter);

/// An existing matter like the text being drafted, to merge (并案) or co-sign instead of filing again.
#[Object]
impl SimilarMatter {
    /// What kind of item it is: SUGGESTION or OPINION.
    async fn kind(&self) -> SearchKind {
        self.0.kind.into()
    }
    /// Cosine similarity of the two texts' bigram TF-IDF vectors, 0 (unrelated) to 1 (the same words).
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// The matter (a `Suggestion` or an `Opinion`), as the viewer may see it.
    async fn node(&self) -> Node {
        node_of(self.0.item.clone())
    }
    /// The suggestion, when the matter is one, as the viewer may see it.
    async fn suggestion(&self) -> Option<Suggestion> {
        match &self.0.item {
            search::Item::Suggestion(s) => Some(Suggestion(s.clone())),
            _ => None,
        }
    }
}

/// A unit proposed for a suggestion, with why.
pub struct UnitRecommendation(dom::UnitRecommendation);

/// A unit proposed for a suggestion, with why.
#[Object]
impl UnitRecommendation {
    /// The proposed unit.
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<HandlingUnit> {
        required(ctx.loader()?.load_one(HandlingUnitKey(self.0.unit_id)).await?, "unit").map(HandlingUnit)
    }
    /// Proposed as lead unit (主办, true) or co-unit (协办, false).
    async fn lead(&self) -> bool {
        self.0.lead
    }
    /// The sum of the similar suggestions' votes (similarity × a weight for how their answer was rated).
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// How many similar past suggestions the unit handled in this role.
    async fn similar_count(&self) -> u32 {
        self.0.similar_count
    }
    /// Of those whose lead deputy rated the answer, how many were (basically) satisfied.
    async fn satisfied_count(&self) -> u32 {
        self.0.satisfied
    }
    /// How many of those were rated.
    async fn rated_count(&self) -> u32 {
        self.0.rated
    }
    /// The reason shown to staff, e.g. "3 件相似建议由该单位主办，满意 2 件（共评价 2 件）".
    async fn reason(&self) -> &str {
        &self.0.reason
    }
}

#[derive(Default)]
pub struct SearchQueryRoot;

#[Object]
impl SearchQueryRoot {
    /// 检索: the items the viewer may see whose text matches `query`, best first, each shown exactly as its
    /// own query shows it to the viewer (`suggestion`, `bill`, `opinion`, `draftLaw`, `draftComment`,
    /// `legislativeProposal`, `learningMaterial`, `newsItem`, `document`); what the viewer may not see is
    /// never returned, paged over or highlighted. Anonymous visitors find public documents, draft laws and their
    /// comments.
    #[graphql(complexity = "first.map_or(20, |n| n.clamp(0, 50) as usize) * child_complexity")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Words or a phrase, 1–100 characters; Chinese needs no spaces.")] query: String,
        #[graphql(desc = "Only these kinds; all kinds when left out or empty.")] kinds: Option<
            Vec<SearchKind>,
        >,
        #[graphql(desc = "Page size, 1–50 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "Continue after this cursor (an edge's `cursor` or `pageInfo.endCursor`); at most \
                          1,000 results deep."
        )]
        after: Option<String>,
    ) -> ApiResult<SearchConnection> {
        let kinds = kinds.unwrap_or_default();
        if kinds.len() > MAX_KINDS {
            return Err(ApiError::bad_input("kinds", format!("at most {MAX_KINDS}")));
        }
        let query = SearchQuery::parse("query", &query)?;
        let mut kinds: Vec<dom::SearchKind> = kinds.into_iter().map(Into::into).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let first = dom::page_size("first", first)?;
        let offset = offset_of(after.as_deref())?;
        let services = ctx.services()?;
        let who = search::Searcher { actor: ctx.actor_opt(), vault: &services.opinions.vault };
        let (hits, more) = search::search(&services.store, who, &query, &kinds, first, offset).await?;
        let mut connection = SearchConnection::new(offset > 0, more);
        connection.edges.extend(hits.into_iter().enumerate().map(|(i, hit)| {
            let matched = SearchMatch {
                kind: hit.kind.into(),
                score: hit.score,
                highlighted_title: hit.title,
                snippet: hit.snippet,
            };
            SearchEdge::with_additional_fields(cursor_of(offset + i + 1), node_of(hit.item), matched)
        }));
        Ok(connection)
    }

    /// 相似事项: the existing suggestions and opinions of the congress most like `text`, with a score, while a
    /// deputy drafts a suggestion, a citizen writes an opinion or staff pre-review one; only those the
    /// viewer may see, as their own queries show them.
    async fn similar_matters(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The congress the new matter is for.")] congress_id: ID,
        #[graphql(desc = "The draft's title and text, 1–5,000 characters.")] text: String,
        #[graphql(desc = "Leave out this suggestion or opinion (the one being drafted or pre-reviewed).")]
        except_id: Option<ID>,
        #[graphql(desc = "How many, 1–50 (default 20).")] first: Option<i32>,
    ) -> ApiResult<Vec<SimilarMatter>> {
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let except = match except_id.as_ref() {
            None => None,
            Some(id) => match ids::decode_any(id) {
                Some((NodeKind::Suggestion | NodeKind::Opinion, uuid)) => Some(uuid),
                _ => return Err(ApiError::bad_input("exceptId", "is not a Suggestion or Opinion ID")),
            },
        };
        let probe = DraftProbe::parse("text", &text)?;
        let first = dom::page_size("first", first)?;
        let services = ctx.services()?;
        let who = search::Searcher { actor: ctx.actor_opt(), vault: &services.opinions.vault };
        let found = search::similar_matters(&services.store, who, congress, &probe, first, except).await?;
        Ok(found.into_iter().map(SimilarMatter).collect())
    }

    /// 承办单位推荐, for staff of the suggestion's congress: lead and co-units ranked by how the most similar
    /// past suggestions were assigned and how satisfied their deputies were, with the reason.
    async fn recommend_units(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The suggestion to assign.")] suggestion_id: ID,
    ) -> ApiResult<Vec<UnitRecommendation>> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::Suggestion, "suggestionId", &suggestion_id)?;
        let found = search::recommend_for(&ctx.services()?.store, actor, id).await?;
        Ok(found.into_iter().map(UnitRecommendation).collect())
    }
}
