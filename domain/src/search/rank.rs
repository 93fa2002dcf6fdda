//! Ordering candidates: BM25 for a query, cosine similarity of TF-IDF vectors for a draft, and the
//! highlighted snippet a result shows.

use super::tokens;
use std::collections::HashMap;
use uuid::Uuid;

/// BM25's term-frequency saturation.
const K1: f64 = 1.2;
/// BM25's length normalisation.
const B: f64 = 0.75;
/// A query token in the title counts this many times one in the body.
const TITLE_BOOST: f64 = 2.0;
/// Characters of context a snippet keeps before its first match.
const SNIPPET_BEFORE: usize = 20;
/// The longest snippet, in characters (without the marks).
const SNIPPET_CHARS: usize = 80;

/// An item the index returned: its title and body as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: Uuid,
    pub title: String,
    pub body: String,
}

/// What BM25 needs to know of the whole index: how many documents it holds, their average length in
/// tokens, and in how many documents each query token occurs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    pub documents: u64,
    pub average_tokens: f64,
    pub document_frequency: HashMap<String, u64>,
}

impl Corpus {
    fn idf(&self, token: &str) -> f64 {
        let n = self.documents.max(1) as f64;
        let df = self.document_frequency.get(token).copied().unwrap_or(0) as f64;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }
}

/// A candidate with its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub id: Uuid,
    pub score: f64,
}

fn counts(tokens: &[String]) -> HashMap<&str, u32> {
    let mut counts = HashMap::new();
    for t in tokens {
        *counts.entry(t.as_str()).or_insert(0) += 1;
    }
    counts
}

/// Orders `candidates` by BM25 of `query_tokens` (title tokens weighted [`TITLE_BOOST`]), best first;
/// candidates sharing no token are left out. Ties keep the newer (greater v7) id first, so the order is
/// total and the same on every backend.
pub fn rank(query_tokens: &[String], candidates: &[Candidate], corpus: &Corpus) -> Vec<Ranked> {
    let average = corpus.average_tokens.max(1.0);
    let mut ranked: Vec<Ranked> = candidates
        .iter()
        .filter_map(|c| {
            let title = tokens(&c.title);
            let body = tokens(&c.body);
            let (title, body) = (counts(&title), counts(&body));
            let length =
                (title.values().sum::<u32>() as f64) * TITLE_BOOST + body.values().sum::<u32>() as f64;
            let mut score = 0.0;
            for q in query_tokens {
                let tf = f64::from(title.get(q.as_str()).copied().unwrap_or(0)) * TITLE_BOOST
                    + f64::from(body.get(q.as_str()).copied().unwrap_or(0));
                if tf > 0.0 {
                    score += corpus.idf(q) * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length / average));
                }
            }
            (score > 0.0).then_some(Ranked { id: c.id, score })
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.id.cmp(&a.id)));
    ranked
}

/// Orders `candidates` by the cosine similarity of their TF-IDF vectors to `draft`'s, best first, with
/// the similarity (0 to 1); those below `min_score` are left out. IDF comes from `corpus`.
pub fn similar(draft: &str, candidates: &[Candidate], corpus: &Corpus, min_score: f64) -> Vec<Ranked> {
    let vector = |text: &str| -> HashMap<String, f64> {
        let tokens = tokens(text);
        let mut v: HashMap<String, f64> = HashMap::new();
        for (t, n) in counts(&tokens) {
            v.insert(t.to_owned(), (1.0 + f64::from(n).ln()) * corpus.idf(t));
        }
        v
    };
    let norm = |v: &HashMap<String, f64>| v.values().map(|x| x * x).sum::<f64>().sqrt();
    let probe = vector(draft);
    let probe_norm = norm(&probe);
    if probe_norm == 0.0 {
        return Vec::new();
    }
    let mut ranked: Vec<Ranked> = candidates
        .iter()
        .filter_map(|c| {
            let v = vector(&format!("{}\n{}", c.title, c.body));
            let n = norm(&v);
            if n == 0.0 {
                return None;
            }
            let dot: f64 = probe.iter().filter_map(|(t, x)| v.get(t).map(|y| x * y)).sum();
            let score = dot / (probe_norm * n);
            (score >= min_score).then_some(Ranked { id: c.id, score })
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.id.cmp(&a.id)));
    ranked
}

/// A snippet of `text` around the first match of `query_tokens`, with every matched stretch marked as
/// 【…】. Plain text: the client escapes it as any other text. Without a match, the start of the text.
pub fn highlight(text: &str, query_tokens: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let mut marked = vec![false; chars.len()];
    for q in query_tokens {
        let q: Vec<char> = q.chars().collect();
        if q.is_empty() || q.len() > lower.len() {
            continue;
        }
        for start in 0..=lower.len() - q.len() {
            if lower[start..start + q.len()] == q[..] {
                // An ASCII word matches whole words only, as the index does.
                let ascii = q[0].is_ascii_alphanumeric();
                let before_ok = !ascii || start == 0 || !lower[start - 1].is_ascii_alphanumeric();
                let end = start + q.len();
                let after_ok = !ascii || end == lower.len() || !lower[end].is_ascii_alphanumeric();
                if before_ok && after_ok {
                    marked[start..end].iter_mut().for_each(|m| *m = true);
                }
            }
        }
    }
    let first = marked.iter().position(|m| *m).unwrap_or(0);
    let from = first.saturating_sub(SNIPPET_BEFORE);
    let to = (from + SNIPPET_CHARS).min(chars.len());
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut open = false;
    for i in from..to {
        if marked[i] && !open {
            out.push('【');
            open = true;
        } else if !marked[i] && open {
            out.push('】');
            open = false;
        }
        out.push(chars[i]);
    }
    if open {
        out.push('】');
    }
    if to < chars.len() {
        out.push('…');
    }
    out
}
