//! 检索 in storage: the shared index (`search_documents`, written in the transaction of each step that
//! changes an item's text), candidate retrieval by token (SQLite FTS5 or a PostgreSQL GIN index, the same
//! tokens on both), and the use cases that rank candidates in the domain and keep only what the viewer
//! may see, through the item's own visibility rule.

use crate::Store;
use crate::entity::{suggestion, suggestion_unit};
use crate::error::Result;
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::search::{
    Candidate, Corpus, DraftProbe, PastAssignment, SearchKind, SearchQuery, UnitRecommendation, highlight,
    rank, recommend_units, similar, token_string, tokens,
};
use edaibiao_domain::suggestion::{HandlingRole, Satisfaction, Sight, Suggestion, public_face, sight};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement, Value};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// How many candidates one query reads from the index at most, per retrieval (all tokens, then any).
const CANDIDATES: u64 = 300;
/// How many past suggestions vote in a unit recommendation.
const NEIGHBOURS: usize = 10;
/// Below this cosine similarity a matter is not shown as similar.
const MIN_SIMILARITY: f64 = 0.15;

/// An item's searchable text, as a step that changed it indexes it.
#[derive(Debug, Clone)]
pub struct Indexed<'a> {
    pub kind: SearchKind,
    pub item_id: Uuid,
    pub congress_id: Uuid,
    pub title: &'a str,
    pub body: &'a str,
    pub at: DateTime<Utc>,
}

/// Writes (or rewrites) `doc` in the index, in the caller's transaction.
pub(crate) async fn index(db: &impl ConnectionTrait, doc: Indexed<'_>) -> Result<()> {
    let backend = db.get_database_backend();
    let delete = match backend {
        DbBackend::Postgres => "DELETE FROM search_documents WHERE item_id = $1",
        _ => "DELETE FROM search_documents WHERE item_id = ?",
    };
    db.execute_raw(Statement::from_sql_and_values(backend, delete, [doc.item_id.into()])).await?;
    let insert = match backend {
        DbBackend::Postgres => {
            "INSERT INTO search_documents (item_id, kind, congress_id, title, body, tokens, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        }
        _ => {
            "INSERT INTO search_documents (item_id, kind, congress_id, title, body, tokens, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)"
        }
    };
    let tokens = token_string(&format!("{}\n{}", doc.title, doc.body));
    let values: [Value; 7] = [
        doc.item_id.into(),
        doc.kind.as_str().into(),
        doc.congress_id.into(),
        doc.title.into(),
        doc.body.into(),
        tokens.into(),
        doc.at.into(),
    ];
    db.execute_raw(Statement::from_sql_and_values(backend, insert, values)).await?;
    Ok(())
}

/// Removes an item from the index (withdrawn or deleted), in the caller's transaction.
pub(crate) async fn remove(db: &impl ConnectionTrait, item_id: Uuid) -> Result<()> {
    let backend = db.get_database_backend();
    let delete = match backend {
        DbBackend::Postgres => "DELETE FROM search_documents WHERE item_id = $1",
        _ => "DELETE FROM search_documents WHERE item_id = ?",
    };
    db.execute_raw(Statement::from_sql_and_values(backend, delete, [item_id.into()])).await?;
    Ok(())
}

/// Writes many new items into the index at once (bulk imports and benchmarks), in the caller's
/// transaction or on a connection.
pub async fn index_many(db: &impl ConnectionTrait, docs: &[Indexed<'_>]) -> Result<()> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let backend = db.get_database_backend();
    for chunk in docs.chunks(200) {
        let ids: Vec<Uuid> = chunk.iter().map(|d| d.item_id).collect();
        let delete = Query::delete()
            .from_table("search_documents")
            .and_where(Expr::col("item_id").is_in(ids))
            .to_owned();
        db.execute_raw(backend.build(&delete)).await?;
        let mut insert = Query::insert()
            .into_table("search_documents")
            .columns(["item_id", "kind", "congress_id", "title", "body", "tokens", "updated_at"])
            .to_owned();
        for d in chunk {
            let tokens = token_string(&format!("{}\n{}", d.title, d.body));
            insert
                .values([
                    d.item_id.into(),
                    d.kind.as_str().into(),
                    d.congress_id.into(),
                    d.title.into(),
                    d.body.into(),
                    tokens.into(),
                    d.at.into(),
                ])
                .map_err(|e| crate::Error::Internal(format!("search index: {e}")))?;
        }
        db.execute_raw(backend.build(&insert)).await?;
    }
    Ok(())
}

/// An indexed item the retrieval found.
#[derive(Debug, Clone)]
pub struct Found {
    pub kind: SearchKind,
    pub candidate: Candidate,
}

/// Reads up to [`CANDIDATES`] items of `kinds` (and `congress`, if given) whose tokens include all of
/// `query` (`all`) or any of them, newest first, leaving out `seen`. The tokens contain only CJK
/// ideographs and ASCII letters and digits, so quoting them is all the escaping either engine needs.
async fn retrieve(
    db: &impl ConnectionTrait,
    kinds: &[SearchKind],
    congress: Option<Uuid>,
    query: &[String],
    all: bool,
    seen: &HashSet<Uuid>,
) -> Result<Vec<Found>> {
    if query.is_empty() || kinds.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let postgres = backend == DbBackend::Postgres;
    let mut values: Vec<Value> = Vec::new();
    let param = |values: &mut Vec<Value>, v: Value| {
        values.push(v);
        if postgres { format!("${}", values.len()) } else { "?".to_owned() }
    };
    let expression = if postgres {
        query.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(if all { " & " } else { " | " })
    } else {
        query.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(if all { " AND " } else { " OR " })
    };
    let matching = param(&mut values, expression.into());
    let mut sql = if postgres {
        format!(
            "SELECT d.item_id, d.kind, d.title, d.body FROM search_documents d \
             WHERE to_tsvector('simple', d.tokens) @@ to_tsquery('simple', {matching})"
        )
    } else {
        format!(
            // The full-text match drives: its row ids are read first, then their documents.
            "SELECT d.item_id, d.kind, d.title, d.body FROM search_documents d \
             WHERE d.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {matching})"
        )
    };
    let kind_params: Vec<String> = kinds.iter().map(|k| param(&mut values, k.as_str().into())).collect();
    sql.push_str(&format!(" AND d.kind IN ({})", kind_params.join(", ")));
    if let Some(congress) = congress {
        let p = param(&mut values, congress.into());
        sql.push_str(&format!(" AND d.congress_id = {p}"));
    }
    let limit = CANDIDATES + seen.len() as u64;
    sql.push_str(&format!(" ORDER BY d.updated_at DESC, d.item_id DESC LIMIT {limit}"));
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        let id: Uuid = row.try_get("", "item_id")?;
        if seen.contains(&id) {
            continue;
        }
        let kind: String = row.try_get("", "kind")?;
        // A kind this build does not know (written by a newer one) is skipped, not an error.
        let Ok(kind) = SearchKind::parse(&kind) else { continue };
        found.push(Found {
            kind,
            candidate: Candidate { id, title: row.try_get("", "title")?, body: row.try_get("", "body")? },
        });
        if found.len() as u64 >= CANDIDATES {
            break;
        }
    }
    Ok(found)
}

/// Candidates containing all query tokens first, then those with any, bounded.
async fn candidates(
    db: &impl ConnectionTrait,
    kinds: &[SearchKind],
    congress: Option<Uuid>,
    query: &[String],
) -> Result<Vec<Found>> {
    let mut found = retrieve(db, kinds, congress, query, true, &HashSet::new()).await?;
    if (found.len() as u64) < CANDIDATES && query.len() > 1 {
        let seen: HashSet<Uuid> = found.iter().map(|f| f.candidate.id).collect();
        found.extend(retrieve(db, kinds, congress, query, false, &seen).await?);
    }
    Ok(found)
}

/// Statistics BM25 and TF-IDF need: the index's size (one count) and, over the candidates, each query
/// token's document frequency and the average length.
async fn corpus(
    db: &impl ConnectionTrait,
    kinds: &[SearchKind],
    query: &[String],
    found: &[Found],
) -> Result<Corpus> {
    let backend = db.get_database_backend();
    let list = kinds.iter().map(|k| format!("'{}'", k.as_str())).collect::<Vec<_>>().join(", ");
    let count = format!("SELECT COUNT(*) AS n FROM search_documents WHERE kind IN ({list})");
    let documents: i64 = match db.query_one_raw(Statement::from_string(backend, count)).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    let mut corpus = Corpus { documents: documents.max(0) as u64, ..Default::default() };
    let mut total = 0usize;
    for f in found {
        let t: HashSet<String> =
            tokens(&format!("{}\n{}", f.candidate.title, f.candidate.body)).into_iter().collect();
        total += t.len();
        for q in query {
            if t.contains(q) {
                *corpus.document_frequency.entry(q.clone()).or_insert(0) += 1;
            }
        }
    }
    corpus.average_tokens = if found.is_empty() { 1.0 } else { total as f64 / found.len() as f64 };
    Ok(corpus)
}

/// An item as the viewer may see it, read through its own capability's rule.
#[derive(Debug, Clone)]
pub enum Item {
    /// As `suggestion(id)` shows it (its public face for a deputy with no part in it).
    Suggestion(Suggestion),
    Bill(crate::bills::Bill),
    /// As `opinion(id)` shows it (the contact phone in full only for those who call back).
    Opinion(crate::opinions::OpinionView),
    DraftLaw(crate::legislation::Draft),
    /// The commenter's identity only for staff of the congress.
    DraftComment(crate::legislation::Comment),
    LegislativeProposal(crate::legislation::Proposal),
    LearningMaterial(crate::learning::Material),
    NewsItem(crate::learning::NewsItem),
    Document(crate::learning::Document),
}

impl Item {
    /// The text the viewer sees, to highlight: a suggestion's as its (possibly public) face shows it, any
    /// other item's as indexed (the same text its own query shows).
    fn text<'a>(&'a self, indexed: &'a Candidate) -> (&'a str, &'a str) {
        match self {
            Item::Suggestion(s) => (&s.title, &s.content),
            _ => (&indexed.title, &indexed.body),
        }
    }
}

/// Who is searching: the account, if signed in, and the key that opens a citizen's phone for those who may
/// call back (an opinion is shown as `opinion(id)` shows it).
#[derive(Clone, Copy)]
pub struct Searcher<'a> {
    pub actor: Option<&'a Actor>,
    pub vault: &'a crate::vault::Vault,
}

/// The items among `found` that `who` may see, each read through its own capability's visibility rule
/// (never a copy of it): one batch per kind present.
async fn visible(
    store: &Store,
    who: Searcher<'_>,
    found: &[(SearchKind, Uuid)],
) -> Result<HashMap<Uuid, Item>> {
    let mut by_kind: HashMap<SearchKind, Vec<Uuid>> = HashMap::new();
    for (kind, id) in found {
        by_kind.entry(*kind).or_default().push(*id);
    }
    let actor = who.actor;
    let mut out = HashMap::new();
    for (kind, ids) in by_kind {
        match kind {
            SearchKind::Suggestion => {
                out.extend(
                    visible_suggestions(store, actor, &ids)
                        .await?
                        .into_iter()
                        .map(|(k, v)| (k, Item::Suggestion(v))),
                );
            }
            SearchKind::Bill => {
                // Anonymous visitors see no bills.
                if let Some(actor) = actor {
                    let bills = crate::bills::visible_among(store, actor, &ids).await?;
                    out.extend(bills.into_iter().map(|(k, v)| (k, Item::Bill(v))));
                }
            }
            SearchKind::Opinion => {
                // Anonymous visitors see opinions only by their tracking code, never in search.
                if let Some(actor) = actor {
                    let viewer = crate::opinions::Viewer::load(&store.db, actor).await?;
                    let found = crate::opinions::visible_among(store, who.vault, &viewer, &ids).await?;
                    out.extend(found.into_iter().map(|(k, v)| (k, Item::Opinion(v))));
                }
            }
            SearchKind::DraftLaw => {
                let found = crate::legislation::drafts_among(store, actor, &ids).await?;
                out.extend(found.into_iter().map(|(k, v)| (k, Item::DraftLaw(v))));
            }
            SearchKind::DraftComment => {
                let found = crate::legislation::comments_among(store, who.vault, actor, &ids).await?;
                out.extend(found.into_iter().map(|(k, v)| (k, Item::DraftComment(v))));
            }
            SearchKind::LegislativeProposal => {
                let found = crate::legislation::proposals_among(store, actor, &ids).await?;
                out.extend(found.into_iter().map(|(k, v)| (k, Item::LegislativeProposal(v))));
            }
            SearchKind::LearningMaterial => {
                let found = crate::learning::materials_among(store, actor, &ids).await?;
                out.extend(
                    found
                        .into_iter()
                        // A withdrawn material has left search (staff still read it by its id).
                        .filter(|(_, m)| m.withdrawn_at.is_none())
                        .map(|(k, v)| (k, Item::LearningMaterial(v))),
                );
            }
            SearchKind::NewsItem => {
                let found = crate::learning::news_among(store, actor, &ids).await?;
                out.extend(found.into_iter().map(|(k, v)| (k, Item::NewsItem(v))));
            }
            SearchKind::Document => {
                let found = crate::learning::documents_among(store, actor, &ids).await?;
                out.extend(found.into_iter().map(|(k, v)| (k, Item::Document(v))));
            }
        }
    }
    Ok(out)
}

/// One result: the item, its score and its highlighted title and snippet.
#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: SearchKind,
    pub item_id: Uuid,
    pub score: f64,
    pub title: String,
    pub snippet: String,
    /// The item as the viewer may see it.
    pub item: Item,
}

/// The suggestions among `ids`, as `viewer` may see them (hidden ones left out). One `IN` query.
async fn visible_suggestions(
    store: &Store,
    viewer: Option<&Actor>,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Suggestion>> {
    // Citizens and anonymous visitors see no suggestions (`suggestion::Scope::Nothing`).
    let Some(actor) = viewer else { return Ok(HashMap::new()) };
    if ids.is_empty() || matches!(actor.role, Role::Citizen | Role::StationStaff) {
        return Ok(HashMap::new());
    }
    let rows =
        suggestion::Entity::find().filter(suggestion::Column::Id.is_in(ids.to_vec())).all(&store.db).await?;
    let mut out = HashMap::new();
    for row in rows {
        let s: Suggestion = serde_json::from_str(&row.snapshot)
            .map_err(|e| crate::Error::Internal(format!("suggestion snapshot: {e}")))?;
        match sight(actor, &s) {
            Sight::Hidden => {}
            Sight::Public => {
                out.insert(s.id, public_face(&s));
            }
            Sight::Full => {
                out.insert(s.id, s);
            }
        }
    }
    Ok(out)
}

/// The candidates of `kinds` for `query` and their BM25 order, before anyone's visibility is applied
/// (what [`search`] filters; public for the benchmark).
pub async fn ranked(
    store: &Store,
    query: &SearchQuery,
    kinds: &[SearchKind],
) -> Result<(Vec<Found>, Vec<edaibiao_domain::search::Ranked>)> {
    let kinds: Vec<SearchKind> = if kinds.is_empty() { SearchKind::ALL.to_vec() } else { kinds.to_vec() };
    let found = candidates(&store.db, &kinds, None, query.tokens()).await?;
    if found.is_empty() {
        return Ok((found, Vec::new()));
    }
    let corpus = corpus(&store.db, &kinds, query.tokens(), &found).await?;
    let all: Vec<Candidate> = found.iter().map(|f| f.candidate.clone()).collect();
    let ranked = rank(query.tokens(), &all, &corpus);
    Ok((found, ranked))
}

/// 检索: the items of `kinds` (all when empty) matching `query` that the searcher may see, best first,
/// `offset` of them skipped, at most `first`; and whether more follow. A query of punctuation only finds
/// nothing.
pub async fn search(
    store: &Store,
    who: Searcher<'_>,
    query: &SearchQuery,
    kinds: &[SearchKind],
    first: usize,
    offset: usize,
) -> Result<(Vec<Hit>, bool)> {
    let (found, ranked) = ranked(store, query, kinds).await?;
    let by_id: HashMap<Uuid, &Found> = found.iter().map(|f| (f.candidate.id, f)).collect();
    let keys: Vec<(SearchKind, Uuid)> =
        ranked.iter().filter_map(|r| by_id.get(&r.id).map(|f| (f.kind, r.id))).collect();
    let mut visible = visible(store, who, &keys).await?;
    let mut hits = Vec::new();
    let mut more = false;
    let mut skipped = 0;
    for r in ranked {
        let Some(f) = by_id.get(&r.id) else { continue };
        let Some(item) = visible.remove(&r.id) else { continue };
        if skipped < offset {
            skipped += 1;
            continue;
        }
        if hits.len() == first {
            more = true;
            break;
        }
        let (title, body) = item.text(&f.candidate);
        hits.push(Hit {
            kind: f.kind,
            item_id: r.id,
            score: r.score,
            title: highlight(title, query.tokens()),
            snippet: highlight(body, query.tokens()),
            item,
        });
    }
    Ok((hits, more))
}

/// The kinds similar matters come from: the suggestions and the citizens' opinions of the congress.
pub const SIMILAR_KINDS: &[SearchKind] = &[SearchKind::Suggestion, SearchKind::Opinion];

/// A similar existing matter with its cosine similarity (0 to 1).
#[derive(Debug, Clone)]
pub struct SimilarMatter {
    pub kind: SearchKind,
    pub item_id: Uuid,
    pub score: f64,
    pub item: Item,
}

/// 相似事项: the existing suggestions and opinions of `congress` most similar to `draft` that the searcher
/// may see, at most `first`, leaving out `except` (the item being drafted or pre-reviewed itself).
pub async fn similar_matters(
    store: &Store,
    who: Searcher<'_>,
    congress: Uuid,
    draft: &DraftProbe,
    first: usize,
    except: Option<Uuid>,
) -> Result<Vec<SimilarMatter>> {
    let kinds = SIMILAR_KINDS;
    let found = candidates(&store.db, kinds, Some(congress), &retrieval_tokens(draft)).await?;
    let found: Vec<Found> = found.into_iter().filter(|f| Some(f.candidate.id) != except).collect();
    let corpus = corpus(&store.db, kinds, draft.tokens(), &found).await?;
    let all: Vec<Candidate> = found.iter().map(|f| f.candidate.clone()).collect();
    let ranked = similar(draft.as_str(), &all, &corpus, MIN_SIMILARITY);
    let kinds: HashMap<Uuid, SearchKind> = found.iter().map(|f| (f.candidate.id, f.kind)).collect();
    let keys: Vec<(SearchKind, Uuid)> =
        ranked.iter().filter_map(|r| kinds.get(&r.id).map(|k| (*k, r.id))).collect();
    let mut visible = visible(store, who, &keys).await?;
    Ok(ranked
        .into_iter()
        .filter_map(|r| {
            let item = visible.remove(&r.id)?;
            Some(SimilarMatter { kind: *kinds.get(&r.id)?, item_id: r.id, score: r.score, item })
        })
        .take(first)
        .collect())
}

/// The tokens a draft is retrieved by: its distinct tokens, the title's first, at most
/// [`edaibiao_domain::search::MAX_QUERY_TOKENS`]. Retrieval by "any" of them, since a duplicate rarely
/// shares every bigram.
fn retrieval_tokens(draft: &DraftProbe) -> Vec<String> {
    draft.tokens().iter().take(edaibiao_domain::search::MAX_QUERY_TOKENS).cloned().collect()
}

/// 承办单位推荐 for suggestion `id`: staff of its congress (or admins) only. The nearest past assigned
/// suggestions vote for their lead and co-units, weighted by similarity and their deputies' satisfaction.
pub async fn recommend_for(store: &Store, actor: &Actor, id: Uuid) -> Result<Vec<UnitRecommendation>> {
    let s = crate::suggestions::find(store, id).await?.ok_or(DomainError::NotFound("suggestion"))?;
    let staff = match actor.role {
        Role::Admin => true,
        Role::CongressStaff => actor.congress_id == Some(s.congress_id),
        _ => false,
    };
    if !staff || !edaibiao_domain::suggestion::may_view(actor, &s) {
        return Err(DomainError::NotFound("suggestion").into());
    }
    let text = format!("{}\n{}", s.title, s.content);
    let probe_tokens =
        edaibiao_domain::search::distinct_tokens(&text, edaibiao_domain::search::MAX_QUERY_TOKENS);
    let found = candidates(&store.db, &[SearchKind::Suggestion], Some(s.congress_id), &probe_tokens).await?;
    let found: Vec<Found> = found.into_iter().filter(|f| f.candidate.id != id).collect();
    let ids: Vec<Uuid> = found.iter().map(|f| f.candidate.id).collect();
    // Only suggestions that were assigned vote: their units, and their lead deputies' rating.
    let parts = suggestion_unit::Entity::find()
        .filter(suggestion_unit::Column::SuggestionId.is_in(ids))
        .all(&store.db)
        .await?;
    let mut assigned: HashMap<Uuid, Vec<&suggestion_unit::Model>> = HashMap::new();
    for p in &parts {
        assigned.entry(p.suggestion_id).or_default().push(p);
    }
    let pool: Vec<Candidate> =
        found.into_iter().filter(|f| assigned.contains_key(&f.candidate.id)).map(|f| f.candidate).collect();
    let pool_found: Vec<Found> =
        pool.iter().map(|c| Found { kind: SearchKind::Suggestion, candidate: c.clone() }).collect();
    let corpus = corpus(&store.db, &[SearchKind::Suggestion], &probe_tokens, &pool_found).await?;
    let past: Vec<PastAssignment> = similar(&text, &pool, &corpus, MIN_SIMILARITY)
        .into_iter()
        .take(NEIGHBOURS)
        .filter_map(|r| {
            let units = assigned.get(&r.id)?;
            let role_units = |role: HandlingRole| {
                units.iter().filter(|u| u.role == role.as_str()).map(|u| u.unit_id).collect()
            };
            let ratings: Vec<bool> = units
                .iter()
                .filter(|u| u.role == HandlingRole::Lead.as_str())
                .filter_map(|u| u.rating.as_deref())
                .map(|r| Satisfaction::parse(r).is_ok_and(|r| r != Satisfaction::Dissatisfied))
                .collect();
            Some(PastAssignment {
                similarity: r.score,
                lead_units: role_units(HandlingRole::Lead),
                co_units: role_units(HandlingRole::Co),
                satisfied: (!ratings.is_empty()).then(|| ratings.iter().all(|x| *x)),
            })
        })
        .collect();
    Ok(recommend_units(&past, 3, 3))
}

/// Indexes a suggestion's current text (`suggestions` calls this when it is created or its text changes).
pub(crate) async fn index_suggestion(
    db: &impl ConnectionTrait,
    s: &Suggestion,
    at: DateTime<Utc>,
) -> Result<()> {
    index(
        db,
        Indexed {
            kind: SearchKind::Suggestion,
            item_id: s.id,
            congress_id: s.congress_id,
            title: &s.title,
            body: &s.content,
            at,
        },
    )
    .await
}
