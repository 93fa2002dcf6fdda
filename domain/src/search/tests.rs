use super::*;
use uuid::Uuid;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_owned()).collect()
}

fn candidate(n: u128, title: &str, body: &str) -> Candidate {
    Candidate { id: Uuid::from_u128(n), title: title.into(), body: body.into() }
}

fn corpus_of(query: &[String], candidates: &[Candidate]) -> Corpus {
    let mut c = Corpus { documents: candidates.len() as u64, average_tokens: 0.0, ..Default::default() };
    let mut total = 0usize;
    for cand in candidates {
        let t = tokens(&format!("{} {}", cand.title, cand.body));
        total += t.len();
        for q in query {
            if t.contains(q) {
                *c.document_frequency.entry(q.clone()).or_insert(0) += 1;
            }
        }
    }
    c.average_tokens = total as f64 / candidates.len().max(1) as f64;
    c
}

#[test]
fn chinese_runs_become_overlapping_bigrams_and_ascii_lowercase_words() {
    assert_eq!(tokens("交通拥堵"), s(&["交通", "通拥", "拥堵"]));
    assert_eq!(tokens("路，灯"), s(&["路", "灯"]));
    assert_eq!(tokens("G15高速ETC"), s(&["g15", "高速", "etc"]));
    assert!(tokens("“”*NEAR(  \"").iter().all(|t| t.chars().all(|c| c.is_ascii_alphanumeric())));
    assert!(tokens("！？。，").is_empty());
}

#[test]
fn a_query_is_bounded_and_punctuation_only_finds_nothing() {
    assert!(SearchQuery::parse("query", "").is_err());
    assert!(SearchQuery::parse("query", &"路".repeat(101)).is_err());
    assert!(SearchQuery::parse("query", &"路".repeat(100)).is_ok());
    let q = SearchQuery::parse("query", "\"*^ NEAR(").unwrap();
    assert_eq!(q.tokens(), s(&["near"]));
    assert!(SearchQuery::parse("query", "！？“”").unwrap().tokens().is_empty());
    assert_eq!(page_size("first", None), Ok(20));
    assert!(page_size("first", Some(51)).is_err());
    assert!(page_size("first", Some(0)).is_err());
}

#[test]
fn the_whole_phrase_outranks_one_mention_of_part_of_it() {
    let items = vec![
        candidate(1, "关于城市交通规划的建议", "建议完善交通标志。"),
        candidate(2, "缓解早高峰交通拥堵的建议", "早高峰期间主干道拥堵严重。"),
        candidate(3, "加强老旧小区改造", "小区加装电梯。"),
    ];
    let q = SearchQuery::parse("query", "交通拥堵").unwrap();
    let ranked = rank(q.tokens(), &items, &corpus_of(q.tokens(), &items));
    let ids: Vec<u128> = ranked.iter().map(|r| r.id.as_u128()).collect();
    assert_eq!(ids, vec![2, 1]);
}

#[test]
fn matches_are_marked_in_a_plain_snippet() {
    let q = SearchQuery::parse("query", "交通拥堵").unwrap();
    assert_eq!(highlight("缓解早高峰交通拥堵的建议", q.tokens()), "缓解早高峰【交通拥堵】的建议");
    let q = SearchQuery::parse("query", "etc").unwrap();
    assert_eq!(highlight("ETC 通道, etcetera", q.tokens()), "【ETC】 通道, etcetera");
    let long = format!("{}交通{}", "甲".repeat(50), "乙".repeat(100));
    let snippet = highlight(&long, &s(&["交通"]));
    assert!(snippet.starts_with('…') && snippet.ends_with('…') && snippet.contains("【交通】"));
}

#[test]
fn similar_drafts_score_near_one_and_unrelated_ones_are_left_out() {
    let items = vec![
        candidate(1, "缓解早高峰交通拥堵", "建议优化信号灯配时，缓解早高峰交通拥堵。"),
        candidate(2, "加强老旧小区改造", "老旧小区加装电梯，改善居住条件。"),
    ];
    let draft = "关于缓解早高峰交通拥堵的建议：优化信号灯配时";
    let q = distinct_tokens(draft, 256);
    let ranked = similar(draft, &items, &corpus_of(&q, &items), 0.1);
    assert_eq!(ranked.len(), 1);
    assert_eq!(ranked[0].id.as_u128(), 1);
    assert!(ranked[0].score > 0.5 && ranked[0].score <= 1.0 + 1e-9);
}

#[test]
fn units_that_led_similar_well_rated_suggestions_are_proposed_first_with_a_reason() {
    let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
    let past = vec![
        PastAssignment { similarity: 0.9, lead_units: vec![a], co_units: vec![c], satisfied: Some(true) },
        PastAssignment { similarity: 0.8, lead_units: vec![a], co_units: vec![], satisfied: Some(true) },
        PastAssignment { similarity: 0.85, lead_units: vec![b], co_units: vec![a], satisfied: Some(false) },
    ];
    let r = recommend_units(&past, 2, 2);
    assert_eq!(r[0].unit_id, a);
    assert!(r[0].lead);
    assert_eq!(r[0].reason, "2 件相似建议由该单位主办，满意 2 件（共评价 2 件）");
    assert_eq!(r[1].unit_id, b);
    // A is already proposed as lead: only C remains as co-unit.
    assert_eq!(r.iter().filter(|x| !x.lead).map(|x| x.unit_id).collect::<Vec<_>>(), vec![c]);
    assert!(recommend_units(&[], 2, 2).is_empty());
}
