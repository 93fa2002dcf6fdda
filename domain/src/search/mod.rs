//! 检索: search that understands Chinese without a dictionary, similar matters (相似事项) and unit
//! recommendation. Pure: the index stores [`tokens`], the database returns candidates that share a token
//! with the query, and everything that decides an order (BM25, cosine similarity, the units' votes) is
//! computed here, so both database backends give the same results.
//!
//! Chinese text has no spaces, so CJK runs are cut into overlapping character bigrams ("交通拥堵" →
//! 交通 通拥 拥堵; a one-character run stays one token) and ASCII runs into lowercase words. A query for a
//! phrase then matches every bigram of it, and an item containing the whole phrase outranks one that
//! shares a single bigram.

mod rank;
mod recommend;
#[cfg(test)]
mod tests;

pub use rank::{Candidate, Corpus, Ranked, highlight, rank, similar};
pub use recommend::{PastAssignment, UnitRecommendation, recommend_units};

use crate::DomainError;

/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// The most results one page may ask for.
pub const MAX_FIRST: usize = 50;
/// The most draft text a similar-matters request may send, in characters.
pub const MAX_DRAFT_CHARS: usize = 5_000;
/// The most distinct tokens of a query or draft used for retrieval (the rarest are not chosen: the first
/// ones are, so that a long draft costs a bounded query).
pub const MAX_QUERY_TOKENS: usize = 64;

vocabulary!(
    /// The kinds of item the index holds. Bills, opinions, documents and learning materials are to join.
    SearchKind {
        /// 代表建议.
        Suggestion = "SUGGESTION",
    }
);

/// Whether `c` is written with CJK ideographs (the unified blocks and their extensions).
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// The index tokens of `text`: CJK runs as overlapping bigrams (one-character runs as that character),
/// ASCII letters and digits as lowercase words; everything else separates. In text order, repeated.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_cjk = |run: &mut Vec<char>, out: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 => out.push(run[0].to_string()),
            _ => out.extend(run.windows(2).map(|pair| pair.iter().collect::<String>())),
        }
        run.clear();
    };
    let flush_word = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.push(std::mem::take(word));
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            cjk.push(c);
        } else if c.is_ascii_alphanumeric() {
            flush_cjk(&mut cjk, &mut out);
            word.push(c.to_ascii_lowercase());
        } else {
            flush_cjk(&mut cjk, &mut out);
            flush_word(&mut word, &mut out);
        }
    }
    flush_cjk(&mut cjk, &mut out);
    flush_word(&mut word, &mut out);
    out
}

/// The token string the index stores: [`tokens`] joined by spaces. Tokens contain only CJK ideographs or
/// ASCII letters and digits, so the string needs no escaping in any full-text engine.
pub fn token_string(text: &str) -> String {
    tokens(text).join(" ")
}

/// Distinct tokens in first-seen order, at most `max`.
pub fn distinct_tokens(text: &str, max: usize) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    tokens(text).into_iter().filter(|t| seen.insert(t.clone())).take(max).collect()
}

/// A search query as typed: trimmed, 1 to [`MAX_QUERY_CHARS`] characters. A query of punctuation only
/// is valid and finds nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    text: String,
    tokens: Vec<String>,
}

impl SearchQuery {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        let text = crate::text::bounded(field, raw, 1, MAX_QUERY_CHARS)?;
        let tokens = distinct_tokens(&text, MAX_QUERY_TOKENS);
        Ok(Self { text, tokens })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The distinct tokens the query looks for; empty when it has no letters, digits or ideographs.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }
}

/// Draft text to compare with existing matters: trimmed, 1 to [`MAX_DRAFT_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftProbe {
    text: String,
    tokens: Vec<String>,
}

impl DraftProbe {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        let text = crate::text::bounded(field, raw, 1, MAX_DRAFT_CHARS)?;
        let tokens = distinct_tokens(&text, MAX_QUERY_TOKENS * 4);
        Ok(Self { text, tokens })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Distinct tokens of the draft, bounded.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }
}

/// How many results a page returns: 1 to [`MAX_FIRST`], 20 when not given.
pub fn page_size(field: &'static str, first: Option<i32>) -> Result<usize, DomainError> {
    match first {
        None => Ok(20),
        Some(n) if (1..=MAX_FIRST as i32).contains(&n) => Ok(n as usize),
        Some(_) => Err(DomainError::invalid(field, format!("must be between 1 and {MAX_FIRST}"))),
    }
}
