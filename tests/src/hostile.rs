//! Generated hostile requests: what an attacker (or a broken client) sends to `POST /graphql`. Shared by the
//! hostile-input test, which asserts each gets a coded error and the server lives, and by the benchmark
//! (`bench/hostile.sh`), which times them.
//!
//! Deterministic: the same seed gives the same corpus, so a failure names a case that can be replayed.

use serde_json::{Value, json};

/// The seed the suite and the benchmark share, so a failure names a case the benchmark replays.
pub const SEED: u64 = 0x13_2026_1204;
/// Randomly damaged operations in the corpus.
pub const MUTATIONS: usize = 300;

/// One request body and what kind of attack it is.
#[derive(Debug, Clone)]
pub struct Case {
    pub family: &'static str,
    pub name: String,
    /// The raw body (not always valid JSON, not always UTF-8).
    pub body: Vec<u8>,
    /// Whether the server may run it successfully (an ordinary request among the hostile ones).
    pub may_succeed: bool,
}

/// A small xorshift generator: enough to vary the corpus, no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Ordinary operations of the app, the seeds that mutations start from.
pub const VALID: &[&str] = &[
    "{ congresses(first: 5) { nodes { id name level } totalCount } }",
    "query($n: String) { deputies(first: 10, filter: {nameContains: $n}) { nodes { id name expertise } } }",
    "{ handlingUnits(first: 10) { nodes { id name } pageInfo { hasNextPage endCursor } } }",
    "{ liaisonStations(first: 3) { nodes { id name latitude longitude } } }",
    "query($id: ID!) { node(id: $id) { id ... on Deputy { name } } }",
    "mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { accessToken } }",
    "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }",
    "mutation($p: String!) { requestRegistrationCode(phone: $p) }",
    "mutation($p: String!, $w: String!) { registerCitizen(input: {phone: $p, code: $w, name: $p, password: $w}) { accessToken } }",
    "mutation($p: String!) { requestPasswordReset(phone: $p) }",
    "mutation($p: String!, $w: String!) { resetPassword(phone: $p, code: $w, newPassword: $w) }",
    "{ __typename }",
];

fn body(query: &str, variables: Value) -> Vec<u8> {
    json!({ "query": query, "variables": variables }).to_string().into_bytes()
}

fn case(family: &'static str, name: impl Into<String>, body: Vec<u8>) -> Case {
    Case { family, name: name.into(), body, may_succeed: false }
}

/// A case that is odd but harmless, which the server may answer with data.
fn harmless(family: &'static str, name: impl Into<String>, body: Vec<u8>) -> Case {
    Case { may_succeed: true, ..case(family, name, body) }
}

/// Nesting of every kind, at depths around and far beyond the limits.
fn nesting(out: &mut Vec<Case>) {
    for depth in [13, 65, 200, 1500, 20_000] {
        let list = format!(
            "{{ deputies(filter: {{expertise: {}\"x\"{}}}) {{ nodes {{ id }} }} }}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        out.push(case("nesting", format!("list literal {depth}"), body(&list, json!({}))));
        let object = format!(
            "{{ deputies(filter: {}1{}) {{ nodes {{ id }} }} }}",
            "{a: ".repeat(depth),
            "}".repeat(depth)
        );
        out.push(case("nesting", format!("object literal {depth}"), body(&object, json!({}))));
        let fields = format!("{}{}", "{ a ".repeat(depth), "}".repeat(depth));
        out.push(case("nesting", format!("selection sets {depth}"), body(&fields, json!({}))));
        let inline = format!("{{ {}__typename{} }}", "... on Query { ".repeat(depth), " }".repeat(depth));
        // Inline fragments add no depth to the result; within the bracket limit they are fine.
        let inline_case = if depth <= 30 { harmless } else { case };
        out.push(inline_case("nesting", format!("inline fragments {depth}"), body(&inline, json!({}))));
        let parens = format!("{{ a{}", "(".repeat(depth));
        out.push(case("nesting", format!("unclosed parens {depth}"), body(&parens, json!({}))));
        let directive = format!("{{ a @skip(if: {}true{}) }}", "[".repeat(depth), "]".repeat(depth));
        out.push(case("nesting", format!("directive argument {depth}"), body(&directive, json!({}))));
        // Variables: serde_json stops at 128 levels, the guard far earlier.
        let mut value = json!("x");
        for _ in 0..depth.min(120) {
            value = json!([value]);
        }
        let q = "query($e: String) { deputies(filter: {expertise: $e}) { nodes { id } } }";
        out.push(case("nesting", format!("variable {}", depth.min(120)), body(q, json!({ "e": value }))));
        // JSON itself nested beyond serde_json's limit.
        let json_deep = format!(
            "{{\"query\":\"{{ a }}\",\"variables\":{{\"v\":{}1{}}}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        out.push(case("nesting", format!("json {depth}"), json_deep.into_bytes()));
    }
}

/// Fragments that spread each other: exponential once expanded, a few hundred bytes written.
fn fragments(out: &mut Vec<Case>) {
    for (n, fan) in [(10, 2), (24, 2), (60, 2), (12, 4), (8, 10)] {
        let mut q = String::from("query { ...F0 }");
        for i in 0..n {
            q.push_str(&format!(" fragment F{i} on Query {{"));
            for _ in 0..fan {
                q.push_str(&format!(" ...F{}", i + 1));
            }
            q.push('}');
        }
        q.push_str(&format!(" fragment F{n} on Query {{ __typename congresses {{ totalCount }} }}"));
        out.push(case("fragments", format!("fan-out {fan}^{n}"), body(&q, json!({}))));
    }
    // A long chain, cycles, and a fragment spread from inside itself.
    let mut chain = String::from("query { ...F0 }");
    for i in 0..3000 {
        chain.push_str(&format!(" fragment F{i} on Query {{ ...F{} }}", i + 1));
    }
    chain.push_str(" fragment F3000 on Query { __typename }");
    out.push(case("fragments", "chain 3000", body(&chain, json!({}))));
    let cycle = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
    out.push(case("fragments", "cycle", body(cycle, json!({}))));
    let own = "query { ...A } fragment A on Query { a: __typename ...A }";
    out.push(case("fragments", "self spread", body(own, json!({}))));
}

/// Breadth: aliases, repeated fields and arguments, many operations.
fn breadth(out: &mut Vec<Case>) {
    for n in [1000, 5000, 20_000] {
        let aliases: String = (0..n).map(|i| format!(" a{i}: __typename")).collect();
        // A thousand `__typename`s cost next to nothing; past the expansion limit they are refused.
        let aliases_case = if n <= 1000 { harmless } else { case };
        out.push(aliases_case(
            "breadth",
            format!("{n} aliases"),
            body(&format!("{{{aliases} }}"), json!({})),
        ));
    }
    let lists: String =
        (0..500).map(|i| format!(" l{i}: congresses(first: 100) {{ nodes {{ id }} }}")).collect();
    out.push(case("breadth", "500 list aliases", body(&format!("{{{lists} }}"), json!({}))));
    let args: String = (0..2000).map(|i| format!("a{i}: 1, ")).collect();
    out.push(case(
        "breadth",
        "2000 arguments",
        body(&format!("{{ congresses({args}) {{ totalCount }} }}"), json!({})),
    ));
    let ops: String = (0..2000).map(|i| format!(" query Q{i} {{ __typename }}")).collect();
    out.push(case("breadth", "2000 operations", body(&ops, json!({}))));
    let directives: String = (0..2000).map(|_| " @include(if: true)").collect();
    out.push(case("breadth", "2000 directives", body(&format!("{{ __typename{directives} }}"), json!({}))));
    let logins: String = (0..40)
        .map(|i| format!(" l{i}: login(phone: \"1390000000{}\", password: \"x\") {{ accessToken }}", i % 10))
        .collect();
    out.push(case("breadth", "40 login aliases", body(&format!("mutation {{{logins} }}"), json!({}))));
    let long_name = format!("{{ {} }}", "a".repeat(60_000));
    out.push(case("breadth", "60k-character name", body(&long_name, json!({}))));
}

/// Strings: huge, with NUL and control characters, escapes that do not decode.
fn strings(out: &mut Vec<Case>) {
    let q = "query($n: String) { deputies(filter: {nameContains: $n}) { nodes { id } } }";
    for s in [
        "a".repeat(60_000),
        "张".repeat(20_000),
        "\u{0}".into(),
        "a\u{1b}[2J".into(),
        "%".repeat(40),
        "\\".into(),
    ] {
        let name = format!("variable {} chars starting {:?}", s.chars().count(), s.chars().next());
        let mut c = case("strings", name, body(q, json!({ "n": s })));
        c.may_succeed = s == "%".repeat(40) || s == "\\";
        out.push(c);
    }
    for literal in [r#""\u0000""#, r#""\uD800""#, r#""\u{110000}""#, r#""unterminated"#, r#""\x41""#] {
        let q = format!("{{ deputies(filter: {{nameContains: {literal}}}) {{ nodes {{ id }} }} }}");
        out.push(case("strings", format!("literal {literal}"), body(&q, json!({}))));
    }
    // A block string takes escapes literally: this is six ordinary characters, not NUL.
    let block = r#"{ deputies(filter: {nameContains: """\u0000"""}) { nodes { id } } }"#;
    out.push(harmless("strings", "block string with an escape", body(block, json!({}))));
    let opinion = json!({ "i": { "stationId": "x", "category": "OTHER", "content": "x".repeat(60_000) } });
    out.push(case(
        "strings",
        "60k opinion",
        body("mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }", opinion),
    ));
}

/// Bodies that are not what they claim: invalid UTF-8, NUL bytes, not JSON, wrong JSON shapes.
fn bodies(out: &mut Vec<Case>) {
    let raw: Vec<(&str, Vec<u8>)> = vec![
        ("invalid utf-8", b"{\"query\":\"{ a\xff\xfe }\"}".to_vec()),
        ("invalid utf-8 in variables", b"{\"query\":\"{ a }\",\"variables\":{\"v\":\"\xc3\x28\"}}".to_vec()),
        ("raw NUL", b"{\"query\":\"{ \x00 }\"}".to_vec()),
        ("empty", Vec::new()),
        ("not json", b"query { a }".to_vec()),
        ("array", b"[1,2,3]".to_vec()),
        ("query is a number", b"{\"query\":1}".to_vec()),
        ("variables is a string", b"{\"query\":\"{ __typename }\",\"variables\":\"x\"}".to_vec()),
        ("operationName is an object", b"{\"query\":\"{ __typename }\",\"operationName\":{}}".to_vec()),
        (
            "extensions garbage",
            b"{\"query\":\"{ __typename }\",\"extensions\":{\"persistedQuery\":[[[]]]}}".to_vec(),
        ),
        ("duplicate keys", b"{\"query\":\"{ a }\",\"query\":\"{ b }\"}".to_vec()),
        ("truncated", b"{\"query\":\"{ congresses { nodes".to_vec()),
        ("BOM", b"\xef\xbb\xbf{\"query\":\"{ __typename }\"}".to_vec()),
    ];
    for (name, bytes) in raw {
        // Unknown extensions are ignored, as the GraphQL-over-HTTP spec asks.
        let body_case = if name == "extensions garbage" { harmless } else { case };
        out.push(body_case("bodies", name, bytes));
    }
}

/// Well-formed documents that are wrong: unknown fields, wrong types, missing and extra variables, unknown
/// operations.
fn wrong(out: &mut Vec<Case>) {
    let docs: &[(&str, Value)] = &[
        ("{ nope }", json!({})),
        ("{ congresses(first: \"ten\") { totalCount } }", json!({})),
        ("{ congresses(first: -1) { totalCount } }", json!({})),
        ("{ congresses(first: 99999999999) { totalCount } }", json!({})),
        ("query($f: Int!) { congresses(first: $f) { totalCount } }", json!({})),
        ("query($f: Int!) { congresses(first: $f) { totalCount } }", json!({ "f": "x" })),
        ("query($f: Int!) { congresses(first: $f) { totalCount } }", json!({ "f": 1.5 })),
        ("query($id: ID!) { node(id: $id) { id } }", json!({ "id": "not-a-global-id" })),
        ("query($id: ID!) { node(id: $id) { id } }", json!({ "id": "RGVwdXR5OnRvdGFsbHktbm90LWEtdXVpZA==" })),
        ("query($id: ID!) { node(id: $id) { id } }", json!({ "id": "x".repeat(10_000) })),
        ("subscription { nope }", json!({})),
        ("mutation { login }", json!({})),
        ("{ congresses { nodes { id } } } { again }", json!({})),
        ("fragment F on Nope { a } { ...F }", json!({})),
        ("{ ...Missing }", json!({})),
        ("query($v: [[[[String]]]]) { __typename }", json!({ "v": [[[["x"]]]] })),
    ];
    for (q, v) in docs {
        out.push(case("wrong", format!("{q} {v}"), body(q, v.clone())));
    }
    let named = json!({ "query": "query A { __typename }", "operationName": "B" }).to_string().into_bytes();
    out.push(case("wrong", "unknown operation name", named));
}

/// Random damage to valid operations: deleted, repeated and swapped bytes, and brackets inserted.
fn mutated(out: &mut Vec<Case>, rng: &mut Rng, count: usize) {
    const NOISE: &[&str] =
        &["{", "}", "[", "]", "(", ")", "\"", "\\", "...", "@", "$", "#", ":", "\u{0}", "\u{feff}", "é"];
    for i in 0..count {
        let mut text: Vec<char> = rng.pick(VALID).chars().collect();
        for _ in 0..1 + rng.below(6) {
            let at = rng.below(text.len() + 1);
            match rng.below(4) {
                0 if !text.is_empty() => {
                    text.remove(at.min(text.len() - 1));
                }
                1 => {
                    let noise: Vec<char> = rng.pick(NOISE).chars().collect();
                    let times = 1 + rng.below(300);
                    for _ in 0..times {
                        for c in noise.iter().rev() {
                            text.insert(at, *c);
                        }
                    }
                }
                2 if at + 1 < text.len() => text.swap(at, at + 1),
                _ => text.insert(at, *rng.pick(&['{', '[', '(', '"'])),
            }
        }
        let q: String = text.into_iter().collect();
        let mut c =
            case("mutated", format!("mutation {i}"), body(&q, json!({ "n": "张", "p": "1", "w": "x" })));
        c.may_succeed = true;
        out.push(c);
    }
}

/// The citizen's side: positions, districts, consents, tracking codes, follows and deletion, sent as no
/// phone would send them.
fn citizens_side(out: &mut Vec<Case>) {
    let submit = "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }";
    let opinion = |extra: Value| {
        let mut input = json!({ "stationId": "x", "category": "OTHER", "content": "x" });
        if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
            input.extend(extra.clone());
        }
        json!({ "i": input })
    };
    for (name, extra) in [
        ("a latitude of 1e308", json!({ "position": { "latitude": 1e308, "longitude": 0.0 } })),
        ("a latitude that is text", json!({ "position": { "latitude": "north", "longitude": 0.0 } })),
        (
            "an unknown datum",
            json!({ "position": { "latitude": 30.0, "longitude": 120.0, "datum": "MARS" } }),
        ),
        ("a 50k division code", json!({ "divisionCode": "1".repeat(50_000) })),
        ("a division code of control characters", json!({ "divisionCode": "\u{0}\u{1b}[2J11" })),
        ("a 50k consent", json!({ "contactPhone": "13912345678", "privacyConsent": "2".repeat(50_000) })),
    ] {
        out.push(case("citizens", name, body(submit, opinion(extra))));
    }
    out.push(case(
        "citizens",
        "a latitude past f64",
        format!(
            r#"{{"query":"{submit}","variables":{{"i":{{"position":{{"latitude":1e400,"longitude":0}}}}}}}}"#
        )
        .into_bytes(),
    ));
    let lookups = [
        (
            "a 50k tracking code",
            "query($c: String!) { opinionByTrackingCode(code: $c) { state } }",
            json!({ "c": "K".repeat(50_000) }),
        ),
        (
            "following a made-up id",
            "mutation($c: ID!) { followSuggestion(id: $c) { id } }",
            json!({ "c": "\u{0}".repeat(10) }),
        ),
        (
            "deleting with a 50k password",
            "mutation($c: String!) { deleteMyAccount(password: $c) }",
            json!({ "c": "p".repeat(50_000) }),
        ),
        (
            "a circle of 1e300 km",
            "query($c: Float!) { opinions(first: 1, filter: {near: {latitude: 30, longitude: 120, radiusKm: $c}}) { totalCount } }",
            json!({ "c": 1e300 }),
        ),
        (
            "a report with a 50k note",
            "mutation($i: ReportContentInput!) { reportContent(input: $i) { open } }",
            json!({ "i": { "contentId": "RHJhZnRDb21tZW50Ong", "reason": "OTHER", "note": "n".repeat(50_000) } }),
        ),
        (
            "a report of an unknown reason",
            "mutation($i: ReportContentInput!) { reportContent(input: $i) { open } }",
            json!({ "i": { "contentId": "\u{0}", "reason": "HATE" } }),
        ),
        (
            "a code request with a 50k consent",
            "mutation($c: String!) { requestVoterRatingCode(token: \"t\", phone: \"13912345678\", privacyConsent: $c) { expiresAt } }",
            json!({ "c": "2".repeat(50_000) }),
        ),
        (
            "a notice for an unknown purpose",
            "query($p: PrivacyPurpose!) { privacyNotice(purpose: $p) { text } }",
            json!({ "p": "EVERYTHING" }),
        ),
        (
            "a moderation queue of a made-up congress in a made-up state",
            "query($c: ID!) { moderationQueue(congressId: $c, state: GONE) { totalCount } }",
            json!({ "c": "\u{0}".repeat(100) }),
        ),
        (
            "following a project with a 10k id",
            "mutation($c: ID!) { followLivelihoodProject(id: $c) { id } }",
            json!({ "c": "x".repeat(10_000) }),
        ),
        (
            "moderating with a 50k reason",
            "mutation($c: ID!, $r: String!) { moderateContent(contentId: $c, decision: REMOVE, reason: $r) { id } }",
            json!({ "c": "x".repeat(10_000), "r": "r".repeat(50_000) }),
        ),
    ];
    for (name, query, variables) in lookups {
        out.push(case("citizens", name, body(query, variables)));
    }
}

/// The whole corpus for `seed`, with `mutations` randomly damaged operations.
pub fn corpus(seed: u64, mutations: usize) -> Vec<Case> {
    let mut out = Vec::new();
    nesting(&mut out);
    fragments(&mut out);
    breadth(&mut out);
    strings(&mut out);
    bodies(&mut out);
    wrong(&mut out);
    citizens_side(&mut out);
    mutated(&mut out, &mut Rng::new(seed), mutations);
    // Everything must fit the body limit to reach the parser; larger bodies are refused before it.
    out.retain(|c| c.body.len() <= 64 * 1024);
    out
}
