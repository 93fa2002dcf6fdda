//! Measures 检索 on the labelled set `bench/search/labelled.json` and its speed on a large index:
//! - search: precision@5 and recall@10 of each labelled query (relevant = the items of its topic, of every
//!   kind), the easy queries (the topic's own phrases) and the hard ones (everyday words) apart;
//! - similar matters, among suggestions and opinions as the API looks: for each reworded suggestion draft,
//!   whether the item it rewords is the top candidate; for it and each citizen's opinion probe, whether the
//!   top candidate is of its topic and the precision of the (up to 3) candidates shown;
//! - unit recommendation: leave-one-out over the 60 past assignments, top-1 and top-3 accuracy of the lead;
//! - latency: retrieval and ranking (`search::ranked`) over `N` indexed items (default 100,000, the
//!   labelled texts with their kinds) on the database given (SQLite file by default), median and p95.
//!
//! Ranking, similarity and votes are the domain functions the API uses; with 108 items every candidate
//! set is complete, so scoring them in memory is the same as through the index.
//!
//! `cargo run --release -p edaibiao-infra --example search_quality -- [N] [database url]`

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "benchmark example: a panic is a failed run")]

use chrono::Utc;
use edaibiao_domain::search::{
    Candidate, Corpus, PastAssignment, SearchKind, SearchQuery, rank, recommend_units, similar, tokens,
};
use edaibiao_infra::search::{self, Indexed};
use edaibiao_infra::{Cache, DbSettings, Store};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::time::Instant;
use uuid::Uuid;

fn suggestion() -> String {
    "SUGGESTION".to_owned()
}

#[derive(Deserialize)]
struct Item {
    id: u128,
    title: String,
    body: String,
    lead_units: Vec<String>,
    co_units: Vec<String>,
    satisfied: bool,
    /// A `SearchKind` name.
    #[serde(default = "suggestion")]
    kind: String,
}

#[derive(Deserialize)]
struct Query {
    query: String,
    relevant: Vec<u128>,
    /// Words the items rarely or never use (a synonym, everyday speech).
    #[serde(default)]
    hard: bool,
}

#[derive(Deserialize)]
struct Duplicate {
    draft: String,
    /// The item a suggestion draft rewords; none for a citizen's opinion probe.
    duplicate_of: Option<u128>,
    same_topic: Vec<u128>,
    #[serde(default = "suggestion")]
    kind: String,
}

#[derive(Deserialize)]
struct Labelled {
    items: Vec<Item>,
    queries: Vec<Query>,
    duplicates: Vec<Duplicate>,
}

fn corpus(candidates: &[Candidate]) -> Corpus {
    let mut c = Corpus { documents: candidates.len() as u64, ..Default::default() };
    let mut total = 0usize;
    for cand in candidates {
        let t: HashSet<String> = tokens(&format!("{}\n{}", cand.title, cand.body)).into_iter().collect();
        total += t.len();
        for token in t {
            *c.document_frequency.entry(token).or_insert(0) += 1;
        }
    }
    c.average_tokens = total as f64 / candidates.len().max(1) as f64;
    c
}

fn quality(set: &Labelled) {
    let candidate =
        |i: &Item| Candidate { id: Uuid::from_u128(i.id), title: i.title.clone(), body: i.body.clone() };
    let candidates: Vec<Candidate> = set.items.iter().map(candidate).collect();
    let all = corpus(&candidates);

    for hard in [false, true] {
        let queries: Vec<&Query> = set.queries.iter().filter(|q| q.hard == hard).collect();
        let (mut p5, mut r10) = (0.0, 0.0);
        for q in &queries {
            let parsed = SearchQuery::parse("query", &q.query).expect("labelled query");
            let ranked = rank(parsed.tokens(), &candidates, &all);
            let relevant: HashSet<u128> = q.relevant.iter().copied().collect();
            let hits =
                |k: usize| ranked.iter().take(k).filter(|r| relevant.contains(&r.id.as_u128())).count();
            p5 += hits(5) as f64 / 5.0;
            r10 += hits(10) as f64 / relevant.len().min(10) as f64;
        }
        let nq = queries.len().max(1) as f64;
        println!(
            "search ({} queries, {} items of {} kinds): {} {} queries, precision@5 {:.3}, recall@10 {:.3}",
            set.queries.len(),
            set.items.len(),
            set.items.iter().map(|i| i.kind.as_str()).collect::<HashSet<_>>().len(),
            queries.len(),
            if hard { "hard" } else { "easy" },
            p5 / nq,
            r10 / nq
        );
    }

    // Similar matters look among suggestions and opinions, as `search::SIMILAR_KINDS`.
    let matters: Vec<Candidate> =
        set.items.iter().filter(|i| i.kind == "SUGGESTION" || i.kind == "OPINION").map(candidate).collect();
    let matters_corpus = corpus(&matters);
    for kind in ["SUGGESTION", "OPINION"] {
        let probes: Vec<&Duplicate> = set.duplicates.iter().filter(|d| d.kind == kind).collect();
        let (mut top1, mut same_topic_first, mut p3, mut shown) = (0, 0, 0.0, 0);
        let mut scores = Vec::new();
        for d in &probes {
            let ranked = similar(&d.draft, &matters, &matters_corpus, 0.15);
            scores.push(ranked.first().map_or(0.0, |r| r.score));
            top1 += usize::from(ranked.first().is_some_and(|r| Some(r.id.as_u128()) == d.duplicate_of));
            let topic: HashSet<u128> = d.same_topic.iter().copied().collect();
            same_topic_first += usize::from(ranked.first().is_some_and(|r| topic.contains(&r.id.as_u128())));
            let top: Vec<_> = ranked.iter().take(3).collect();
            shown += top.len();
            let relevant = top.iter().filter(|r| topic.contains(&r.id.as_u128())).count();
            p3 += relevant as f64 / top.len().max(1) as f64;
        }
        let nd = probes.len().max(1) as f64;
        scores.sort_by(f64::total_cmp);
        let reworded = if kind == "SUGGESTION" { format!("{top1}") } else { "-".to_owned() };
        println!(
            "similar matters, {} {kind} probes: the reworded item first {reworded}, same topic first {}/{}, \
             precision of the (up to 3) shown {:.3}, {:.1} shown on average, median top score {:.2}",
            probes.len(),
            same_topic_first,
            probes.len(),
            p3 / nd,
            shown as f64 / nd,
            scores.get(scores.len() / 2).copied().unwrap_or_default()
        );
    }

    // Leave one out: every other item is a past assignment; recommend for this one.
    let unit_ids: HashMap<&str, Uuid> = set
        .items
        .iter()
        .flat_map(|i| i.lead_units.iter().chain(&i.co_units))
        .enumerate()
        .map(|(n, name)| (name.as_str(), Uuid::from_u128(n as u128 + 1)))
        .collect::<Vec<_>>()
        .into_iter()
        .fold(HashMap::new(), |mut m, (name, id)| {
            m.entry(name).or_insert(id);
            m
        });
    let (mut t1, mut t3) = (0, 0);
    // Only suggestions were assigned to units.
    let assigned: Vec<&Item> = set.items.iter().filter(|i| i.kind == "SUGGESTION").collect();
    for item in &assigned {
        let others: Vec<Candidate> =
            assigned.iter().filter(|i| i.id != item.id).map(|i| candidate(i)).collect();
        let by_id: HashMap<u128, &Item> = set.items.iter().map(|i| (i.id, i)).collect();
        let text = format!("{}\n{}", item.title, item.body);
        let past: Vec<PastAssignment> = similar(&text, &others, &corpus(&others), 0.15)
            .into_iter()
            .take(10)
            .map(|r| {
                let p = by_id[&r.id.as_u128()];
                PastAssignment {
                    similarity: r.score,
                    lead_units: p.lead_units.iter().map(|u| unit_ids[u.as_str()]).collect(),
                    co_units: p.co_units.iter().map(|u| unit_ids[u.as_str()]).collect(),
                    satisfied: Some(p.satisfied),
                }
            })
            .collect();
        let leads: Vec<Uuid> =
            recommend_units(&past, 3, 0).into_iter().filter(|r| r.lead).map(|r| r.unit_id).collect();
        let truth = unit_ids[item.lead_units[0].as_str()];
        t1 += usize::from(leads.first() == Some(&truth));
        t3 += usize::from(leads.iter().take(3).any(|u| *u == truth));
    }
    let n = assigned.len();
    println!(
        "unit recommendation (leave-one-out, {n} assignments): top-1 {:.3}, top-3 {:.3}",
        t1 as f64 / n as f64,
        t3 as f64 / n as f64
    );
}

async fn latency(set: &Labelled, n: usize, url: Option<String>) -> Result<(), Box<dyn std::error::Error>> {
    let url = url.unwrap_or_else(|| {
        let file = std::env::temp_dir().join(format!("edaibiao-search-bench-{}.db", Uuid::new_v4().simple()));
        format!("sqlite://{}?mode=rwc", file.display())
    });
    let settings = DbSettings { url: url.clone(), max_connections: 4, schema: None };
    settings.migrate().await?;
    let store = Store::new(settings.connect().await?, Cache::local());
    let congress = Uuid::now_v7();
    let now = Utc::now();
    // The labelled items, varied: each copy names another place and a running number.
    let started = Instant::now();
    let texts: Vec<(Uuid, SearchKind, String, String)> = (0..n)
        .map(|k| {
            let item = &set.items[k % set.items.len()];
            let tag = format!("第{}号", k);
            let kind = SearchKind::parse(&item.kind).expect("a search kind");
            (Uuid::now_v7(), kind, format!("{}{}", item.title, tag), format!("{}（{}）", item.body, tag))
        })
        .collect();
    for chunk in texts.chunks(5_000) {
        let docs: Vec<Indexed<'_>> = chunk
            .iter()
            .map(|(id, kind, title, body)| Indexed {
                kind: *kind,
                item_id: *id,
                congress_id: congress,
                title,
                body,
                at: now,
            })
            .collect();
        search::index_many(&store.db, &docs).await?;
    }
    println!(
        "indexed {n} items (the labelled set's kinds) in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        url.split(':').next().unwrap_or("")
    );
    let mut times = Vec::new();
    for round in 0..3 {
        for q in &set.queries {
            let parsed = SearchQuery::parse("query", &q.query)?;
            let t = Instant::now();
            let (found, ranked) = search::ranked(&store, &parsed, &[]).await?;
            if round > 0 {
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            assert!(found.len() <= 600 && (q.hard || !ranked.is_empty()), "{}", q.query);
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "query latency over {n}: {} queries, median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        times.len(),
        times[times.len() / 2],
        times[times.len() * 95 / 100],
        times[times.len() - 1]
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/search/labelled.json");
    let set: Labelled = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    quality(&set);
    let n = std::env::args().nth(1).map(|n| n.parse()).transpose()?.unwrap_or(100_000);
    latency(&set, n, std::env::args().nth(2)).await
}
