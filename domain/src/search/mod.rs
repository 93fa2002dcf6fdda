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
    /// The kinds of item the index holds.
    SearchKind {
        /// 代表建议.
        Suggestion = "SUGGESTION",
        /// 代表议案.
        Bill = "BILL",
        /// 社情民意 (a citizen's opinion): its category and content, never the contact.
        Opinion = "OPINION",
        /// 法规草案 (a draft law open for comment): its title, description and current articles.
        DraftLaw = "DRAFT_LAW",
        /// A public comment on a draft law (its text, never who made it).
        DraftComment = "DRAFT_COMMENT",
        /// 立法规划建议项目 (a proposal for the legislative plan).
        LegislativeProposal = "LEGISLATIVE_PROPOSAL",
        /// 学习资料 (a learning material; a withdrawn one is removed).
        LearningMaterial = "LEARNING_MATERIAL",
        /// 人大工作动态 (a news item).
        NewsItem = "NEWS_ITEM",
        /// 资料 (a document to look up).
        Document = "DOCUMENT",
    }
);

/// The title an opinion is indexed and shown under: its category (an opinion has no title of its own, and
/// its contact never enters the index).
pub fn opinion_title(category_label: &str) -> String {
    format!("社情民意：{category_label}")
}

/// The body a draft law is indexed by: its description, then each article of its current version as
/// printed ("第一条 …"), one a line.
pub fn draft_body<'a>(description: &str, articles: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut body = description.to_owned();
    for (number, text) in articles {
        body.push('\n');
        body.push_str(number);
        body.push(' ');
        body.push_str(text);
    }
    body
}

/// The title a comment on a draft law is indexed and shown under.
pub fn comment_title(draft_title: &str) -> String {
    format!("对《{draft_title}》的意见")
}

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
