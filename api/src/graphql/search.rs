//! 检索 over GraphQL: one search across kinds, similar matters while drafting, and unit recommendation for
//! staff assigning a suggestion. Every result passes the item's own visibility rule in the use case.

use crate::graphql::ContextExt;
use crate::graphql::directory::{HandlingUnit, required};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::{self, NodeKind};
use crate::graphql::loaders::HandlingUnitKey;
use crate::graphql::suggestion::Suggestion;
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use edaibiao_domain::search::{self as dom, DraftProbe, SearchQuery};
use edaibiao_infra::search;

/// The most kinds one search may list.
const MAX_KINDS: usize = 8;

/// A kind of item search covers.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::search::SearchKind")]
pub enum SearchKind {
    /// 代表建议.
    Suggestion,
}

/// One search result: the item, how well it matched, and its text with the matches marked 【…】.
pub struct SearchHit(search::Hit);

/// One search result: the item, how well it matched, and its text with the matches marked 【…】.
#[Object]
impl SearchHit {
    /// What kind of item it is.
    async fn kind(&self) -> SearchKind {
        self.0.kind.into()
    }
    /// Relevance (BM25 over character bigrams, the title weighted double); higher is better. Only the
    /// order within one result list means anything.
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// The title, matches marked 【…】. Plain text: escape it as any other text.
    async fn highlighted_title(&self) -> &str {
        &self.0.title
    }
    /// Up to 80 characters of the body around the first match, matches marked 【…】, cut ends shown as ….
    async fn snippet(&self) -> &str {
        &self.0.snippet
    }
    /// The suggestion, when the item is one, as the viewer may see it.
    async fn suggestion(&self) -> Option<Suggestion> {
        self.0.suggestion.clone().map(Suggestion)
    }
}

/// A page of search results, best first.
#[derive(SimpleObject)]
pub struct SearchResults {
    /// The results on this page.
    pub hits: Vec<SearchHit>,
    /// Whether more results follow.
    pub has_next_page: bool,
    /// Pass as `after` for the next page; null on the last page.
    pub end_cursor: Option<String>,
}

/// An existing matter like the text being drafted, to merge (并案) or co-sign instead of filing again.
pub struct SimilarMatter(search::SimilarMatter);

/// An existing matter like the text being drafted, to merge (并案) or co-sign instead of filing again.
#[Object]
impl SimilarMatter {
    /// What kind of item it is.
    async fn kind(&self) -> SearchKind {
        self.0.kind.into()
    }
    /// Cosine similarity of the two texts' bigram TF-IDF vectors, 0 (unrelated) to 1 (the same words).
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// The suggestion, as the viewer may see it.
    async fn suggestion(&self) -> Suggestion {
        Suggestion(self.0.suggestion.clone())
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

fn offset_of(after: Option<&str>) -> ApiResult<usize> {
    let Some(after) = after else { return Ok(0) };
    after
        .strip_prefix("o:")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n <= 1_000)
        .ok_or_else(|| ApiError::bad_input("after", "is not a cursor from this search"))
}

#[derive(Default)]
pub struct SearchQueryRoot;

#[Object]
impl SearchQueryRoot {
    /// 检索: the items the viewer may see whose text matches `query`, best first (anonymous visitors and
    /// citizens see no suggestions).
    #[graphql(complexity = "first.map_or(20, |n| n.clamp(0, 50) as usize) * child_complexity")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Words or a phrase, 1–100 characters; Chinese needs no spaces.")] query: String,
        #[graphql(desc = "Only these kinds (at most 8); all kinds when left out.")] kinds: Option<
            Vec<SearchKind>,
        >,
        #[graphql(desc = "Page size, 1–50 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (an `endCursor`).")] after: Option<String>,
    ) -> ApiResult<SearchResults> {
        let query = SearchQuery::parse("query", &query)?;
        let kinds: Vec<dom::SearchKind> = kinds.unwrap_or_default().into_iter().map(Into::into).collect();
        if kinds.len() > MAX_KINDS {
            return Err(ApiError::bad_input("kinds", format!("at most {MAX_KINDS}")));
        }
        let first = dom::page_size("first", first)?;
        let offset = offset_of(after.as_deref())?;
        let store = &ctx.services()?.store;
        let (hits, more) = search::search(store, ctx.actor_opt(), &query, &kinds, first, offset).await?;
        let end = offset + hits.len();
        Ok(SearchResults {
            hits: hits.into_iter().map(SearchHit).collect(),
            has_next_page: more,
            end_cursor: more.then(|| format!("o:{end}")),
        })
    }

    /// 相似事项: existing matters of the congress most like `text`, with a score, while a deputy drafts a
    /// suggestion, a citizen writes an opinion or staff pre-review; only those the viewer may see.
    async fn similar_matters(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The congress the new matter is for.")] congress_id: ID,
        #[graphql(desc = "The draft's title and text, 1–5,000 characters.")] text: String,
        #[graphql(desc = "Leave out this suggestion (the one being drafted).")] except_id: Option<ID>,
        #[graphql(desc = "How many, 1–50 (default 20).")] first: Option<i32>,
    ) -> ApiResult<Vec<SimilarMatter>> {
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let except = ids::decode_opt(NodeKind::Suggestion, "exceptId", except_id.as_ref())?;
        let probe = DraftProbe::parse("text", &text)?;
        let first = dom::page_size("first", first)?;
        let store = &ctx.services()?.store;
        let found = search::similar_matters(store, ctx.actor_opt(), congress, &probe, first, except).await?;
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
