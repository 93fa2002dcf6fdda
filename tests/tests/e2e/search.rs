//! 检索 end to end: Chinese text found across every kind and ranked, each role finding exactly what it may
//! see (each item's own visibility rule), the result a Relay connection whose nodes are the items, hostile
//! queries refused or harmless, similar matters (suggestions and opinions) while drafting and unit
//! recommendation for staff.

use edaibiao_tests::legislation::{COMMENT, PROPOSE, PUBLISH_CALL, PUBLISH_DRAFT, call_input, draft_input};
use edaibiao_tests::world::{self, World, ok};
use edaibiao_tests::{TestApp, e2e, str_of};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const SEARCH: &str = "query($q: String!, $kinds: [SearchKind!], $first: Int, $after: String) {
    search(query: $q, kinds: $kinds, first: $first, after: $after) {
        pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor kind score highlightedTitle snippet node { __typename id } }
        nodes { id }
    }
}";

/// The edges `token` gets for `query` (all kinds, or `kinds`), first page of 50.
async fn edges(app: &TestApp, token: Option<&str>, query: &str, kinds: Option<&[&str]>) -> Vec<Value> {
    let vars = json!({ "q": query, "first": 50, "kinds": kinds });
    let data = ok(app, token, SEARCH, vars).await;
    data["search"]["edges"].as_array().cloned().unwrap_or_default()
}

/// The IDs `token` finds for `query`, among `ours`, in rank order.
async fn found(app: &TestApp, token: Option<&str>, query: &str, ours: &[&str]) -> Vec<String> {
    edges(app, token, query, None)
        .await
        .iter()
        .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned))
        .filter(|id| ours.contains(&id.as_str()))
        .collect()
}

e2e!(search_finds_chinese_text_as_each_role_may_see_it, |app| {
    let w = world::build(&app).await;
    let jam = w.proposed(&app, "缓解早高峰交通拥堵").await;
    let plan = w.proposed(&app, "新区规划同步考虑交通").await;
    let public = w.parallel_answered(&app, "学校周边交通拥堵").await;
    let ours = [jam.as_str(), plan.as_str(), public.as_str()];

    let all = found(&app, Some(&w.a.deputy), "交通拥堵", &ours).await;
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(all.last(), Some(&plan), "one mention of 交通 ranks last");
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let everything = sorted(ours.iter().map(|s| (*s).to_owned()).collect());
    let only_public = vec![public.clone()];
    let cases: [(&str, Option<&str>, Vec<String>); 10] = [
        ("staff of A", Some(&w.a.staff), everything.clone()),
        ("admin", Some(&w.admin), everything.clone()),
        ("deputy 张明", Some(&w.a.deputy), everything.clone()),
        ("another deputy of A", Some(&w.a_deputy2), only_public.clone()),
        ("a deputy of B", Some(&w.b.deputy), only_public.clone()),
        ("unit of A", Some(&w.a.unit_staff), only_public.clone()),
        ("staff of B", Some(&w.b.staff), vec![]),
        ("citizen", Some(&w.citizen), vec![]),
        ("station staff", Some(&w.a.station_staff), vec![]),
        ("anonymous", None, vec![]),
    ];
    for (who, token, expected) in cases {
        assert_eq!(sorted(found(&app, token, "交通拥堵", &ours).await), expected, "{who}");
    }

    // The match is marked; the node is the suggestion; the cursor pages on.
    let vars = json!({ "q": "早高峰交通拥堵", "first": 1, "kinds": ["SUGGESTION"] });
    let data = ok(&app, Some(&w.a.staff), SEARCH, vars).await;
    let edge = &data["search"]["edges"][0];
    assert_eq!(edge["node"]["id"], json!(jam));
    assert_eq!(edge["node"]["__typename"], json!("Suggestion"));
    assert_eq!(data["search"]["nodes"][0]["id"], json!(jam));
    assert_eq!(edge["highlightedTitle"], json!("缓解【早高峰交通拥堵】"));
    assert_eq!(edge["kind"], json!("SUGGESTION"));
    let page = &data["search"]["pageInfo"];
    assert_eq!(page["hasNextPage"], json!(true));
    assert_eq!(page["hasPreviousPage"], json!(false));
    assert_eq!(page["endCursor"], edge["cursor"]);
    let next = str_of(&page["endCursor"]).to_owned();
    let vars = json!({ "q": "早高峰交通拥堵", "first": 1, "after": next, "kinds": ["SUGGESTION"] });
    let page2 = ok(&app, Some(&w.a.staff), SEARCH, vars).await;
    assert_ne!(page2["search"]["edges"][0]["node"]["id"], json!(jam));
    assert_eq!(page2["search"]["pageInfo"]["hasPreviousPage"], json!(true));

    // Hostile input: bounded, and full-text syntax is only text.
    let every_kind: Vec<&str> = vec!["SUGGESTION"; 10];
    for (vars, code) in [
        (json!({ "q": "交".repeat(10_000) }), "BAD_USER_INPUT"),
        (json!({ "q": "" }), "BAD_USER_INPUT"),
        (json!({ "q": "交通", "first": 51 }), "BAD_USER_INPUT"),
        (json!({ "q": "交通", "first": 0 }), "BAD_USER_INPUT"),
        (json!({ "q": "交通", "after": "bogus" }), "BAD_USER_INPUT"),
        (json!({ "q": "交通", "after": "c2VhcmNoOjk5OTk5" }), "BAD_USER_INPUT"),
        (json!({ "q": "交通", "kinds": every_kind }), "BAD_USER_INPUT"),
    ] {
        app.gql(SEARCH, vars, Some(&w.a.staff)).await.assert_code(code);
    }
    for q in ["\"", "*", "NEAR(交通 拥堵)", "交通\" OR \"x", "'; DROP TABLE search_documents; --", "！？。"]
    {
        ok(&app, Some(&w.a.staff), SEARCH, json!({ "q": q })).await;
    }

    // Similar matters while drafting: the existing one first, with its score; nothing for the public.
    const SIMILAR: &str = "query($c: ID!, $t: String!) {
        similarMatters(congressId: $c, text: $t, first: 5) { kind score node { id } suggestion { id } } }";
    let vars = json!({ "c": w.a.congress, "t": "关于缓解早高峰交通拥堵的建议" });
    let data = ok(&app, Some(&w.a.deputy), SIMILAR, vars.clone()).await;
    let top: &Value = &data["similarMatters"][0];
    assert_eq!(top["suggestion"]["id"], json!(jam));
    assert_eq!(top["node"]["id"], json!(jam));
    assert!(top["score"].as_f64().unwrap() > 0.5);
    let data = ok(&app, None, SIMILAR, vars).await;
    assert_eq!(data["similarMatters"], json!([]));

    // Unit recommendation: a new suggestion like the one the two units answered proposes them, with a reason.
    let new = w.proposed(&app, "学校周边交通拥堵治理").await;
    const RECOMMEND: &str = "query($id: ID!) {
        recommendUnits(suggestionId: $id) { lead score similarCount reason unit { id } } }";
    let data = ok(&app, Some(&w.a.staff), RECOMMEND, json!({ "id": new })).await;
    let proposed = data["recommendUnits"].as_array().unwrap();
    let leads: Vec<&Value> =
        proposed.iter().filter(|r| r["lead"] == json!(true)).map(|r| &r["unit"]["id"]).collect();
    assert!(leads.contains(&&json!(w.a.unit_id)), "{proposed:?}");
    assert!(proposed[0]["reason"].as_str().unwrap().contains("件相似建议由该单位主办"));
    app.gql(RECOMMEND, json!({ "id": new }), Some(&w.a.deputy)).await.assert_code("NOT_FOUND");
    app.gql(RECOMMEND, json!({ "id": new }), Some(&w.b.staff)).await.assert_code("NOT_FOUND");
});

/// The phrase every item of the role test carries, found in no demo data.
const PHRASE: &str = "萤火虫公园";
/// The citizen's contact, which must never appear in a search result.
const CONTACT_PHONE: &str = "13912345678";
const CONTACT_NAME: &str = "孙女士";

/// One item of every kind, each with [`PHRASE`], by kind.
struct Items {
    suggestion: String,
    bill: String,
    opinion: String,
    draft: String,
    comment: String,
    proposal: String,
    material: String,
    news: String,
    document: String,
    public_document: String,
}

impl Items {
    fn all(&self) -> [(&'static str, &str); 10] {
        [
            ("suggestion", &self.suggestion),
            ("bill", &self.bill),
            ("opinion", &self.opinion),
            ("draft", &self.draft),
            ("comment", &self.comment),
            ("proposal", &self.proposal),
            ("material", &self.material),
            ("news", &self.news),
            ("document", &self.document),
            ("public document", &self.public_document),
        ]
    }
}

/// Builds the items through the API: 张明's suggestion (assigned to A's transport unit) and bill draft; a
/// citizen's opinion (signed in, with a contact) to 张明's QR code, which he takes and forwards to the
/// transport unit; A's draft law with the citizen's comment; 张明's proposal for a call of A; a material
/// assigned to 张明 alone; a news item of A; a document of A and a public one.
async fn items(app: &TestApp, w: &World) -> Items {
    let a = &w.a;
    let suggestion = w.proposed(app, &format!("{PHRASE}夜间照明")).await;
    let units = json!({ "mode": "LEAD_WITH_CO", "units": [{ "unitId": a.unit_id, "role": "LEAD" }] });
    world::step(
        app,
        &a.staff,
        "assignSuggestion",
        ", $input: AssignmentInput!",
        json!({ "id": suggestion, "input": units }),
    )
    .await;

    let bill = json!({ "i": { "title": format!("关于保护{PHRASE}的议案"), "reason": format!("{PHRASE}生态脆弱"),
        "provisions": "划定保护范围" } });
    let bill =
        ok(app, Some(&a.deputy), "mutation($i: BillInput!) { draftBill(input: $i) { id } }", bill).await;
    let bill = str_of(&bill["draftBill"]["id"]).to_owned();

    let qr = ok(
        app,
        Some(&a.deputy),
        "query($d: ID!) { deputyQrCode(deputyId: $d) { token } }",
        json!({ "d": a.deputy_id }),
    )
    .await;
    let opinion = json!({ "input": { "qrToken": qr["deputyQrCode"]["token"], "category": "ENVIRONMENT",
        "content": format!("{PHRASE}晚上太暗，孩子们看不清路"), "location": "和平路88号",
        "contactName": CONTACT_NAME, "contactPhone": CONTACT_PHONE,
        "privacyConsent": edaibiao_tests::PRIVACY_NOTICE_VERSION } });
    ok(
        app,
        Some(&w.citizen),
        "mutation($input: SubmitOpinionInput!) { submitOpinion(input: $input) { trackingCode } }",
        opinion,
    )
    .await;
    let listed =
        ok(app, Some(&a.staff), "{ opinions(first: 100) { nodes { id content } } }", json!({})).await;
    let opinion = listed["opinions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["content"].as_str().is_some_and(|c| c.contains(PHRASE)))
        .map(|o| str_of(&o["id"]).to_owned())
        .expect("the opinion is listed for staff");
    ok(
        app,
        Some(&a.deputy),
        "mutation($id: ID!) { acceptOpinion(id: $id) { id } }",
        json!({ "id": opinion }),
    )
    .await;
    ok(
        app,
        Some(&a.deputy),
        "mutation($id: ID!, $u: ID!) { forwardOpinion(id: $id, unitId: $u) { id } }",
        json!({ "id": opinion, "u": a.unit_id }),
    )
    .await;

    let mut input = draft_input(&a.congress, &format!("示例市{PHRASE}管理条例（草案）"), 1, &[]);
    input["description"] = json!(format!("{PHRASE}的管理"));
    let draft = ok(app, Some(&a.staff), PUBLISH_DRAFT, json!({ "i": input })).await;
    let article = str_of(&draft["r"]["articles"][0]["id"]).to_owned();
    let draft = str_of(&draft["r"]["id"]).to_owned();
    let comment = json!({ "i": { "draftId": draft, "articleId": article, "content": format!("{PHRASE}应当夜间开放") } });
    let comment = ok(app, Some(&w.citizen), COMMENT, comment).await;
    let comment = str_of(&comment["r"]["id"]).to_owned();

    let call =
        ok(app, Some(&a.staff), PUBLISH_CALL, json!({ "i": call_input(&a.congress, "年度立法计划征集") }))
            .await;
    let proposal = json!({ "i": { "callId": call["r"]["id"], "lawTitle": format!("{PHRASE}保护条例"), "kind": "MAKE",
        "reason": "保护萤火虫栖息地" } });
    let proposal = ok(app, Some(&a.deputy), PROPOSE, proposal).await;
    let proposal = str_of(&proposal["r"]["id"]).to_owned();

    let material = json!({ "i": { "congressId": a.congress, "title": format!("{PHRASE}调研材料"), "body": "正文",
        "kind": "ARTICLE", "category": "WORK_REPORTS", "audience": "ASSIGNED", "deputyIds": [a.deputy_id] } });
    let material = ok(app, Some(&a.staff), edaibiao_tests::learning::PUBLISH, material).await;
    let news =
        json!({ "i": { "congressId": a.congress, "title": format!("{PHRASE}视察"), "body": "代表视察" } });
    let news = ok(app, Some(&a.staff), edaibiao_tests::learning::PUBLISH_NEWS, news).await;
    let doc = |public: bool| {
        json!({ "i": { "congressId": a.congress, "title": if public { "公园管理办法" } else { "内部规程" },
            "body": format!("{PHRASE}的规定"), "category": "CONGRESS_RULES", "public": public } })
    };
    let document = ok(app, Some(&a.staff), edaibiao_tests::learning::PUBLISH_DOCUMENT, doc(false)).await;
    let public_document =
        ok(app, Some(&a.staff), edaibiao_tests::learning::PUBLISH_DOCUMENT, doc(true)).await;
    Items {
        suggestion,
        bill,
        opinion,
        draft,
        comment,
        proposal,
        material: str_of(&material["r"]["id"]).to_owned(),
        news: str_of(&news["r"]["id"]).to_owned(),
        document: str_of(&document["r"]["id"]).to_owned(),
        public_document: str_of(&public_document["r"]["id"]).to_owned(),
    }
}

e2e!(search_shows_every_kind_to_exactly_who_may_see_it, |app| {
    let w = world::build(&app).await;
    let it = items(&app, &w).await;
    let names: std::collections::HashMap<String, &str> =
        it.all().iter().map(|(name, id)| ((*id).to_owned(), *name)).collect();
    let ours: Vec<&str> = it.all().iter().map(|(_, id)| *id).collect();

    // What each caller finds, by item name: public items (the draft law, its comment, the public
    // document) for everyone; the rest as each item's own query shows it.
    let public = ["comment", "draft", "public document"];
    let with =
        |more: &[&'static str]| -> BTreeSet<&'static str> { public.iter().chain(more).copied().collect() };
    let a_staff = with(&["suggestion", "opinion", "proposal", "material", "news", "document"]);
    let cases: Vec<(&str, Option<&str>, BTreeSet<&str>)> = vec![
        (
            "deputy 张明 (lead, addressee, proposer, audience)",
            Some(&w.a.deputy),
            with(&["suggestion", "bill", "opinion", "proposal", "material", "news", "document"]),
        ),
        ("another deputy of A", Some(&w.a_deputy2), with(&["news", "document"])),
        ("staff of A (a draft bill is its sponsors' own)", Some(&w.a.staff), a_staff.clone()),
        ("admin", Some(&w.admin), a_staff),
        ("staff of B", Some(&w.b.staff), with(&[])),
        ("a deputy of B", Some(&w.b.deputy), with(&[])),
        (
            "unit of A (assigned the suggestion, forwarded the opinion)",
            Some(&w.a.unit_staff),
            with(&["suggestion", "opinion"]),
        ),
        ("another unit of A", Some(&w.a_unit2_staff), with(&[])),
        ("unit of B", Some(&w.b.unit_staff), with(&[])),
        ("station staff of A (the opinion's station)", Some(&w.a.station_staff), with(&["opinion"])),
        ("station staff of B", Some(&w.b.station_staff), with(&[])),
        ("the citizen (who submitted the opinion)", Some(&w.citizen), with(&["opinion"])),
        ("anonymous", None, with(&[])),
    ];
    for (who, token, expected) in cases {
        let got = edges(&app, token, PHRASE, None).await;
        let seen: BTreeSet<&str> = got
            .iter()
            .filter_map(|e| e["node"]["id"].as_str())
            .filter_map(|id| names.get(id).copied())
            .collect();
        assert_eq!(seen, expected, "{who}");
        for e in &got {
            let text = format!("{}{}", e["highlightedTitle"], e["snippet"]);
            assert!(
                !text.contains(CONTACT_PHONE) && !text.contains(CONTACT_NAME) && !text.contains("和平路"),
                "{who}: a citizen's contact in a result: {text}"
            );
            if names.contains_key(str_of(&e["node"]["id"])) {
                assert!(text.contains("【萤火虫公园】"), "{who}: the match is marked: {text}");
            }
        }
    }

    // Each node is the item's own type, with the kind saying which.
    let got = edges(&app, Some(&w.a.deputy), PHRASE, None).await;
    let typed: BTreeSet<(String, String)> = got
        .iter()
        .filter(|e| ours.contains(&str_of(&e["node"]["id"])))
        .map(|e| (str_of(&e["kind"]).to_owned(), str_of(&e["node"]["__typename"]).to_owned()))
        .collect();
    let want: BTreeSet<(String, String)> = [
        ("SUGGESTION", "Suggestion"),
        ("BILL", "Bill"),
        ("OPINION", "Opinion"),
        ("DRAFT_LAW", "DraftLaw"),
        ("DRAFT_COMMENT", "DraftComment"),
        ("LEGISLATIVE_PROPOSAL", "LegislativeProposal"),
        ("LEARNING_MATERIAL", "LearningMaterial"),
        ("NEWS_ITEM", "NewsItem"),
        ("DOCUMENT", "Document"),
    ]
    .iter()
    .map(|(k, t)| ((*k).to_owned(), (*t).to_owned()))
    .collect();
    assert_eq!(typed, want);

    // `kinds` filters.
    let only = edges(&app, Some(&w.a.deputy), PHRASE, Some(&["OPINION", "BILL"])).await;
    let kinds: BTreeSet<&str> = only.iter().map(|e| str_of(&e["kind"])).collect();
    assert_eq!(kinds, BTreeSet::from(["BILL", "OPINION"]));
    let ids: BTreeSet<&str> = only.iter().filter_map(|e| e["node"]["id"].as_str()).collect();
    assert!(ids.contains(it.bill.as_str()) && ids.contains(it.opinion.as_str()), "{only:?}");

    // Paging through one result at a time gives the same items in the same order, each once.
    let whole: Vec<String> = got.iter().map(|e| str_of(&e["node"]["id"]).to_owned()).collect();
    let mut walked = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let vars = json!({ "q": PHRASE, "first": 3, "after": after });
        let data = ok(&app, Some(&w.a.deputy), SEARCH, vars).await;
        let page = &data["search"];
        walked.extend(page["edges"].as_array().unwrap().iter().map(|e| str_of(&e["node"]["id"]).to_owned()));
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = Some(str_of(&page["pageInfo"]["endCursor"]).to_owned());
    }
    assert_eq!(walked, whole);

    // The indexed text follows the item: an edited bill is found by its new words only, in its step's
    // own transaction.
    let edit = json!({ "id": it.bill, "i": { "title": "关于保护萤火虫栖息湿地的议案", "reason": "湿地退化",
        "provisions": "划定保护范围" } });
    ok(
        &app,
        Some(&w.a.deputy),
        "mutation($id: ID!, $i: BillInput!) { editBill(id: $id, input: $i) { id } }",
        edit,
    )
    .await;
    let by = |q: &'static str| {
        let app = &app;
        let token = w.a.deputy.clone();
        async move {
            edges(app, Some(&token), q, Some(&["BILL"]))
                .await
                .iter()
                .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        }
    };
    assert!(by("湿地退化").await.contains(&it.bill));
    assert!(!by("生态脆弱").await.contains(&it.bill));

    // Similar matters consider opinions too: staff pre-reviewing a matter like the citizen's see it.
    const SIMILAR: &str = "query($c: ID!, $t: String!, $x: ID) {
        similarMatters(congressId: $c, text: $t, exceptId: $x, first: 10) { kind score node { __typename id } } }";
    let vars = json!({ "c": w.a.congress, "t": format!("{PHRASE}晚上太暗，孩子们看不清路，建议增设路灯") });
    let data = ok(&app, Some(&w.a.staff), SIMILAR, vars).await;
    let similar = data["similarMatters"].as_array().unwrap();
    let opinion = similar
        .iter()
        .find(|m| m["node"]["id"] == json!(it.opinion))
        .unwrap_or_else(|| panic!("the opinion is similar: {similar:?} {}", it.opinion));
    assert_eq!(opinion["kind"], json!("OPINION"));
    assert_eq!(opinion["node"]["__typename"], json!("Opinion"));
    // Leaving the matter itself out (an opinion's ID is accepted), and only what the viewer may see.
    let text = format!("{PHRASE}晚上太暗，孩子们看不清路");
    let vars = json!({ "c": w.a.congress, "t": text, "x": it.opinion });
    let data = ok(&app, Some(&w.a.staff), SIMILAR, vars).await;
    assert!(data["similarMatters"].as_array().unwrap().iter().all(|m| m["node"]["id"] != json!(it.opinion)));
    let vars = json!({ "c": w.a.congress, "t": text });
    let data = ok(&app, Some(&w.a_deputy2), SIMILAR, vars).await;
    assert!(data["similarMatters"].as_array().unwrap().iter().all(|m| m["node"]["id"] != json!(it.opinion)));
    let vars = json!({ "c": w.a.congress, "t": "x", "x": w.a.congress });
    app.gql(SIMILAR, vars, Some(&w.a.staff)).await.assert_code("BAD_USER_INPUT");
});
