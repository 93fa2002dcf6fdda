//! Every object a client may cache is a `Node`: `node(id:)` gives back each of them, by the ID the normal
//! queries hand out, to whoever may see it there, masked the same way, and null to anyone else (FORBIDDEN
//! only for someone else's account). A new `Node` type without a sample here fails the test.

use edaibiao_tests::time::{self, rfc3339, unix_now};
use edaibiao_tests::world::{self, World, ok, step};
use edaibiao_tests::{TestApp, e2e, str_of};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id } }";

/// One ID of a `Node` type, who must get it back from `node(id:)` and who must get null.
struct Sample {
    id: String,
    seen_by: Vec<(&'static str, String)>,
    hidden_from: Vec<(&'static str, String)>,
}

#[derive(Default)]
struct Samples(BTreeMap<String, Vec<Sample>>);

impl Samples {
    fn add(
        &mut self,
        ty: &str,
        id: &Value,
        seen_by: &[(&'static str, &str)],
        hidden_from: &[(&'static str, &str)],
    ) {
        let own =
            |list: &[(&'static str, &str)]| list.iter().map(|(who, t)| (*who, (*t).to_owned())).collect();
        let sample =
            Sample { id: str_of(id).to_owned(), seen_by: own(seen_by), hidden_from: own(hidden_from) };
        self.0.entry(ty.to_owned()).or_default().push(sample);
    }
}

/// The names of the types implementing `Node`, by introspection.
async fn node_types(app: &TestApp) -> BTreeSet<String> {
    let data = ok(app, None, "{ __type(name: \"Node\") { possibleTypes { name } } }", json!({})).await;
    let types: BTreeSet<String> = data["__type"]["possibleTypes"]
        .as_array()
        .unwrap_or_else(|| panic!("no Node interface: {data}"))
        .iter()
        .map(|t| str_of(&t["name"]).to_owned())
        .collect();
    assert!(types.len() > 10, "Node has only {types:?}");
    types
}

/// A suggestion of 张明 with 李华 (A) invited and confirmed as co-signer, submitted.
async fn co_signed(app: &TestApp, w: &World) -> String {
    let draft = json!({ "title": "节点联名建议", "content": "关于节点联名的建议", "category": "交通", "sessionNumber": 1 });
    let created = ok(
        app,
        Some(&w.a.deputy),
        "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }",
        json!({ "i": draft }),
    )
    .await;
    let id = str_of(&created["createSuggestion"]["id"]).to_owned();
    let invite = "mutation($id: ID!, $d: ID!) { inviteCoSigner(id: $id, deputyId: $d) { id } }";
    ok(app, Some(&w.a.deputy), invite, json!({ "id": id, "d": w.a_deputy2_id })).await;
    let accept = "mutation($id: ID!) { answerCoSignInvitation(id: $id, accept: true) { id } }";
    ok(app, Some(&w.a_deputy2), accept, json!({ "id": id })).await;
    step(app, &w.a.deputy, "submitSuggestion", "", json!({ "id": id })).await;
    id
}

/// The suggestion with the IDs of its parts, as `token` sees it.
async fn suggestion(app: &TestApp, token: &str, id: &str) -> Value {
    let q = "query($id: ID!) { node(id: $id) { ... on Suggestion { id
        coSigners { id deputy { name } }
        units { id unit { id } answer { id public } earlierAnswers { id } }
        timeline { id kind note } } } }";
    ok(app, Some(token), q, json!({ "id": id })).await["node"].clone()
}

/// Samples of the suggestion types: the suggestion, a co-signer, both units' parts, the public and the
/// private answer, and a timeline event.
async fn suggestion_samples(app: &TestApp, w: &World, s: &mut Samples) {
    let parallel = w.parallel_answered(app, "节点并行建议").await;
    let full = suggestion(app, &w.a.deputy, &parallel).await;
    let (zhang, li, staff, unit, unit2) = (
        ("张明", w.a.deputy.as_str()),
        ("李华 (public face)", w.a_deputy2.as_str()),
        ("A staff", w.a.staff.as_str()),
        ("A unit", w.a.unit_staff.as_str()),
        ("A unit 2", w.a_unit2_staff.as_str()),
    );
    // A citizen, like 李华, reads the public face of a suggestion answered in public (to follow it).
    let citizen = ("citizen (public face)", w.citizen.as_str());
    let strangers = [("B staff", w.b.staff.as_str()), ("B unit", w.b.unit_staff.as_str())];
    s.add("Suggestion", &full["id"], &[zhang, staff, unit, li, citizen], &strangers);

    let units = full["units"].as_array().unwrap_or_else(|| panic!("no units: {full}"));
    let part = |unit_id: &str| {
        units
            .iter()
            .find(|p| p["unit"]["id"] == unit_id)
            .unwrap_or_else(|| panic!("no part of {unit_id}: {full}"))
    };
    let (public, private) = (part(&w.a.unit_id), part(&w.a_unit2_id));
    assert_eq!((&public["answer"]["public"], &private["answer"]["public"]), (&json!(true), &json!(false)));
    // Every viewer of the suggestion sees its units (the other deputies its public face of them).
    for p in [public, private] {
        s.add("HandlingPart", &p["id"], &[zhang, staff, unit, unit2, li, citizen], &strangers);
    }
    s.add("Answer", &public["answer"]["id"], &[zhang, staff, unit, unit2, li, citizen], &strangers);
    // A private answer is not on the public face.
    let mut hidden = strangers.to_vec();
    hidden.extend([li, citizen]);
    s.add("Answer", &private["answer"]["id"], &[zhang, staff, unit, unit2], &hidden);

    // A timeline event, with its note only for those with the whole suggestion (as on the timeline).
    let timeline = full["timeline"].as_array().unwrap_or_else(|| panic!("no timeline: {full}"));
    let noted = timeline.iter().find(|e| e["note"].is_string()).unwrap_or_else(|| panic!("no note: {full}"));
    s.add("TimelineEvent", &noted["id"], &[zhang, staff, unit, li, citizen], &strangers);
    let note = "query($id: ID!) { node(id: $id) { ... on TimelineEvent { id kind note } } }";
    let as_zhang = ok(app, Some(&w.a.deputy), note, json!({ "id": noted["id"] })).await;
    assert_eq!(as_zhang["node"], *noted);
    let as_li = ok(app, Some(&w.a_deputy2), note, json!({ "id": noted["id"] })).await;
    assert_eq!(as_li["node"]["note"], Value::Null, "the note is masked as on 李华's timeline");
    let li_view = suggestion(app, &w.a_deputy2, &parallel).await;
    let on_li_timeline =
        li_view["timeline"].as_array().and_then(|t| t.iter().find(|e| e["id"] == noted["id"]));
    assert_eq!(on_li_timeline, Some(&as_li["node"]));
    // And the parts as 李华 gets them match the suggestion as 李华 sees it.
    let parts = "query($id: ID!) { node(id: $id) { ... on HandlingPart {
        id unit { id } answer { id public } earlierAnswers { id } } } }";
    for p in li_view["units"].as_array().into_iter().flatten() {
        assert_eq!(ok(app, Some(&w.a_deputy2), parts, json!({ "id": p["id"] })).await["node"], *p);
    }

    let co = co_signed(app, w).await;
    let full = suggestion(app, &w.a.deputy, &co).await;
    let co_signer = &full["coSigners"][0];
    assert_eq!(co_signer["deputy"]["name"], "李华");
    // Not yet assigned: no unit sees it.
    s.add(
        "CoSigner",
        &co_signer["id"],
        &[zhang, li, staff],
        &[unit, strangers[0], ("citizen", w.citizen.as_str())],
    );
}

/// Samples of a participant of `activity` (张明, who asked for leave): for staff and deputies of the
/// congress, as the activity's `participants`, the leave reason masked the same way; and a made-up
/// participant (李华 does not take part) is null.
async fn participant_samples(app: &TestApp, w: &World, activity: &Value, s: &mut Samples) {
    let leave = "mutation($a: ID!) { requestLeave(activityId: $a, reason: \"外地出差\") { id } }";
    ok(app, Some(&w.a.deputy), leave, json!({ "a": activity })).await;
    let fields = "id deputy { id } joined attendance leaveStatus leaveReason";
    let list = format!("query($id: ID!) {{ activity(id: $id) {{ participants {{ {fields} }} }} }}");
    let one = format!("query($id: ID!) {{ node(id: $id) {{ ... on ActivityParticipant {{ {fields} }} }} }}");
    let as_staff = ok(app, Some(&w.a.staff), &list, json!({ "id": activity })).await;
    let zhang = &as_staff["activity"]["participants"][0];
    assert_eq!((&zhang["deputy"]["id"], &zhang["leaveReason"]), (&json!(w.a.deputy_id), &json!("外地出差")));
    for (who, token) in [("A staff", &w.a.staff), ("张明", &w.a.deputy), ("李华", &w.a_deputy2)] {
        let listed = ok(app, Some(token), &list, json!({ "id": activity })).await;
        let listed = &listed["activity"]["participants"][0];
        let fetched = ok(app, Some(token), &one, json!({ "id": zhang["id"] })).await;
        assert_eq!(fetched["node"], *listed, "{who} gets the participant as the activity lists it");
    }
    let as_li = ok(app, Some(&w.a_deputy2), &one, json!({ "id": zhang["id"] })).await;
    assert_eq!(as_li["node"]["leaveReason"], Value::Null, "the leave reason is masked for 李华");
    s.add(
        "ActivityParticipant",
        &zhang["id"],
        &[("A staff", w.a.staff.as_str()), ("张明", w.a.deputy.as_str()), ("李华", w.a_deputy2.as_str())],
        &[
            ("B staff", w.b.staff.as_str()),
            ("B deputy", w.b.deputy.as_str()),
            ("citizen", w.citizen.as_str()),
        ],
    );
    // The key with a deputy who does not take part, under a suggestion's part type, or with a time: null.
    let uuid_of = |id: &str| decoded(id).split(':').nth(1).unwrap_or_default().to_owned();
    let key = decoded(str_of(&zhang["id"]));
    let activity_uuid = uuid_of(str_of(activity));
    assert_eq!(key, format!("ActivityParticipant:{activity_uuid}:{}", uuid_of(&w.a.deputy_id)));
    for made_up in [
        format!("ActivityParticipant:{activity_uuid}:{}", uuid_of(&w.a_deputy2_id)),
        key.replace("ActivityParticipant:", "CoSigner:"),
        format!("{key}:1"),
    ] {
        let res = ok(app, Some(&w.admin), NODE, json!({ "id": encoded(&made_up) })).await;
        assert_eq!(res["node"], Value::Null, "{made_up}");
    }
}

/// The evaluation published (every deputy unqualified): 张明's rectification report, for staff and 张明 (as
/// `DutyEvaluationResult.rectification`), and a reminder talk staff record with him, for staff only.
async fn rectification_samples(
    app: &TestApp,
    w: &World,
    evaluation: &str,
    staff_only: &[(&'static str, &str)],
    s: &mut Samples,
) {
    ok(
        app,
        Some(&w.a.staff),
        "mutation($id: ID!) { r: publishDutyEvaluation(id: $id) { id } }",
        json!({ "id": evaluation }),
    )
    .await;
    let mine = ok(
        app,
        Some(&w.a.deputy),
        "query($y: Int!) { r: myEvaluationResult(year: $y) { grade rectification { id deadline } } }",
        json!({ "y": time::this_year() }),
    )
    .await;
    assert_eq!(mine["r"]["grade"], "UNQUALIFIED", "{mine}");
    let report = &mine["r"]["rectification"];
    let fetched = ok(
        app,
        Some(&w.a.deputy),
        "query($id: ID!) { node(id: $id) { ... on RectificationReport { id deadline } } }",
        json!({ "id": report["id"] }),
    )
    .await;
    assert_eq!(fetched["node"], *report);
    s.add(
        "RectificationReport",
        &report["id"],
        &[("A staff", w.a.staff.as_str()), ("张明", w.a.deputy.as_str())],
        &[
            ("李华", w.a_deputy2.as_str()),
            ("B staff", w.b.staff.as_str()),
            ("A unit", w.a.unit_staff.as_str()),
            ("citizen", w.citizen.as_str()),
        ],
    );
    let talk = ok(
        app,
        Some(&w.a.staff),
        "mutation($e: ID!, $d: ID!, $t: DateTime!) {
            r: recordReminderTalk(evaluationId: $e, deputyId: $d, talkedAt: $t, note: \"提醒按时提交整改报告\") { id } }",
        json!({ "e": evaluation, "d": w.a.deputy_id, "t": rfc3339(unix_now()) }),
    )
    .await;
    // Reminder talks are for staff only, as `RectificationFollowUp.talks`.
    s.add("ReminderTalk", &talk["r"]["id"], &[("A staff", w.a.staff.as_str())], staff_only);
}

fn decoded(id: &str) -> String {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(id).unwrap_or_default();
    String::from_utf8(raw).unwrap_or_default()
}

fn encoded(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

async fn me(app: &TestApp, token: &str) -> Value {
    ok(app, Some(token), "{ me { id } }", json!({})).await["me"]["id"].clone()
}

e2e!(every_node_type_is_fetched_back_by_its_id_for_those_who_may_see_it, |app| {
    let w = world::build(&app).await;
    let mut s = Samples::default();
    let anyone: &[(&'static str, &str)] = &[("张明", w.a.deputy.as_str()), ("B staff", w.b.staff.as_str())];

    // The directory: public.
    s.add("Congress", &json!(w.a.congress), anyone, &[]);
    s.add("Deputy", &json!(w.a.deputy_id), anyone, &[]);
    s.add("DeputyGroup", &json!(w.a.deputy_group_id), anyone, &[]);
    s.add("Committee", &json!(w.a.committee_id), anyone, &[]);
    s.add("HandlingUnit", &json!(w.a.unit_id), anyone, &[]);
    s.add("LiaisonStation", &json!(w.a.station_id), anyone, &[]);
    let group = ok(
        &app,
        Some(&w.admin),
        "mutation($c: ID!, $i: ProfessionalGroupInput!) {
            r: createProfessionalGroup(congressId: $c, input: $i) { id } }",
        json!({ "c": w.a.congress, "i": { "name": "节点专业小组", "committeeId": w.a.committee_id } }),
    )
    .await;
    s.add("ProfessionalGroup", &group["r"]["id"], anyone, &[]);

    // Accounts: the holder and admins; FORBIDDEN for others (checked below).
    s.add(
        "Account",
        &me(&app, &w.a.deputy).await,
        &[("张明", w.a.deputy.as_str()), ("admin", w.admin.as_str())],
        &[("李华", w.a_deputy2.as_str())],
    );

    suggestion_samples(&app, &w, &mut s).await;

    // A notification: only its recipient (李华 was invited to co-sign).
    let inbox =
        ok(&app, Some(&w.a_deputy2), "{ notifications(first: 10) { nodes { id } } }", json!({})).await;
    s.add(
        "Notification",
        &inbox["notifications"]["nodes"][0]["id"],
        &[("李华", w.a_deputy2.as_str())],
        &[("张明", w.a.deputy.as_str()), ("admin", w.admin.as_str()), ("A staff", w.a.staff.as_str())],
    );

    // An opinion through the station's form, and a step of it: the station and the congress's staff.
    let input = json!({ "stationId": w.a.station_id, "category": "TRANSPORT", "content": "路口信号灯太短",
        "contactPhone": "13912345678", "privacyConsent": edaibiao_tests::PRIVACY_NOTICE_VERSION });
    ok(
        &app,
        None,
        "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }",
        json!({ "i": input }),
    )
    .await;
    let opinions =
        ok(&app, Some(&w.a.staff), "{ opinions(first: 5) { nodes { id timeline { id } } } }", json!({}))
            .await;
    let opinion = &opinions["opinions"]["nodes"][0];
    let handlers: &[(&'static str, &str)] =
        &[("A staff", w.a.staff.as_str()), ("A station", w.a.station_staff.as_str())];
    let outsiders: &[(&'static str, &str)] = &[
        ("B staff", w.b.staff.as_str()),
        ("A unit", w.a.unit_staff.as_str()),
        ("citizen", w.citizen.as_str()),
    ];
    s.add("Opinion", &opinion["id"], handlers, outsiders);
    s.add("OpinionStep", &opinion["timeline"][0]["id"], handlers, outsiders);

    // Rules and quotas: the congress's staff and deputies.
    let readers: &[(&'static str, &str)] = &[("A staff", w.a.staff.as_str()), ("张明", w.a.deputy.as_str())];
    let others: &[(&'static str, &str)] = &[
        ("B staff", w.b.staff.as_str()),
        ("B deputy", w.b.deputy.as_str()),
        ("A unit", w.a.unit_staff.as_str()),
        ("citizen", w.citizen.as_str()),
    ];
    let quota = ok(
        &app,
        Some(&w.a.staff),
        "mutation($i: DutyQuotaInput!) { r: setDutyQuota(input: $i) { id } }",
        json!({ "i": { "congressId": w.a.congress, "item": "每月报送一条履职记录", "period": "MONTH",
            "required": 1, "counts": ["VERIFIED_OTHER"] } }),
    )
    .await;
    s.add("DutyQuota", &quota["r"]["id"], readers, others);
    let rules = ok(
        &app,
        Some(&w.a.staff),
        "query($c: ID!) { pointRules(congressId: $c) { id } }",
        json!({ "c": w.a.congress }),
    )
    .await;
    s.add("PointRule", &rules["pointRules"][0]["id"], readers, others);

    // The duty record and the rest, each as its own tests make it.
    let entry = ok(
        &app,
        Some(&w.a.deputy),
        "mutation($i: DutyEntryInput!) { r: addDutyEntry(input: $i) { id } }",
        json!({ "i": { "title": "节点大会发言", "note": "在市人代会上发言", "happenedOn": time::date_in(-1) } }),
    )
    .await;
    s.add(
        "DutyEntry",
        &entry["r"]["id"],
        &[("张明", w.a.deputy.as_str()), ("A staff", w.a.staff.as_str())],
        &[],
    );
    let now = unix_now();
    let activity = ok(
        &app,
        Some(&w.a.staff),
        "mutation($i: CreateActivityInput!) { r: createActivity(input: $i) { id } }",
        json!({ "i": { "congressId": w.a.congress, "kind": "TRAINING", "title": "节点培训", "place": "市人大常委会",
            "startsAt": rfc3339(now + 600), "endsAt": rfc3339(now + 7800), "participation": "ASSIGNED",
            "deputyIds": [w.a.deputy_id] } }),
    )
    .await;
    s.add(
        "Activity",
        &activity["r"]["id"],
        readers,
        &[("B staff", w.b.staff.as_str()), ("citizen", w.citizen.as_str())],
    );
    participant_samples(&app, &w, &activity["r"]["id"], &mut s).await;
    let day = ok(
        &app,
        Some(&w.a.station_staff),
        "mutation($i: ScheduleReceptionDayInput!) { r: scheduleReceptionDay(input: $i) { id } }",
        json!({ "i": { "stationId": w.a.station_id, "startsAt": rfc3339(now + 48 * 3600),
            "endsAt": rfc3339(now + 51 * 3600), "deputyIds": [w.a.deputy_id], "note": "节点接待" } }),
    )
    .await;
    s.add("ReceptionDay", &day["r"]["id"], anyone, &[]);
    let record = ok(
        &app,
        Some(&w.a.deputy),
        "mutation($i: RecordReceptionInput!) { r: recordReception(input: $i) { id } }",
        json!({ "i": { "stationId": w.a.station_id, "receivedAt": rfc3339(now - 3600), "visitors": 1,
            "matters": [{ "category": "OTHER", "content": "咨询社保政策，已当场解答" }] } }),
    )
    .await;
    s.add(
        "ReceptionRecord",
        &record["r"]["id"],
        &[("张明", w.a.deputy.as_str()), ("A staff", w.a.staff.as_str())],
        &[],
    );
    let evaluation = ok(
        &app,
        Some(&w.a.staff),
        "mutation($i: OpenDutyEvaluationInput!) { r: openDutyEvaluation(input: $i) { id } }",
        json!({ "i": { "congressId": w.a.congress, "year": time::this_year(),
            "weights": { "points": 40, "voterRating": 30, "groupAssessment": 30 }, "fullMark": 100,
            "rectificationDeadline": rfc3339(now + 30 * 86_400) } }),
    )
    .await;
    let evaluation = str_of(&evaluation["r"]["id"]).to_owned();
    s.add("DutyEvaluation", &json!(evaluation), &[("A staff", w.a.staff.as_str())], &[]);
    let assess = "mutation($e: ID!, $d: ID!) {
        r: setGroupAssessment(evaluationId: $e, deputyId: $d, score: 80, note: \"小组评议\") { id } }";
    let staff_only: &[(&'static str, &str)] = &[
        ("张明", w.a.deputy.as_str()),
        ("B staff", w.b.staff.as_str()),
        ("A unit", w.a.unit_staff.as_str()),
        ("citizen", w.citizen.as_str()),
    ];
    for name in ["张明", "李华", "王芳", "赵强", "陈静"] {
        let deputy = app.id_by_name("deputies", name).await;
        let assessed = ok(&app, Some(&w.a.staff), assess, json!({ "e": evaluation, "d": deputy })).await;
        if name == "张明" {
            // Group assessments are for staff only, as `DutyEvaluation.groupAssessments`.
            s.add("GroupAssessment", &assessed["r"]["id"], &[("A staff", w.a.staff.as_str())], staff_only);
        }
    }
    ok(
        &app,
        Some(&w.a.staff),
        "mutation($id: ID!) { r: reviewDutyEvaluation(id: $id) { id } }",
        json!({ "id": evaluation }),
    )
    .await;
    let results = ok(
        &app,
        Some(&w.a.staff),
        "query($id: ID!) { dutyEvaluation(id: $id) { results(first: 1) { nodes { id } } } }",
        json!({ "id": evaluation }),
    )
    .await;
    s.add(
        "DutyEvaluationResult",
        &results["dutyEvaluation"]["results"]["nodes"][0]["id"],
        &[("A staff", w.a.staff.as_str())],
        &[],
    );
    rectification_samples(&app, &w, &evaluation, staff_only, &mut s).await;
    // An item of last year's evaluation's scheme, for those who read the evaluation (its staff while OPEN).
    let last_year = ok(
        &app,
        Some(&w.a.staff),
        "mutation($i: OpenDutyEvaluationInput!) { r: openDutyEvaluation(input: $i) { id } }",
        json!({ "i": { "congressId": w.a.congress, "year": time::this_year() - 1,
            "weights": { "points": 100, "voterRating": 0, "groupAssessment": 0 }, "fullMark": 100,
            "rectificationDeadline": rfc3339(now + 30 * 86_400) } }),
    )
    .await;
    let scheme = ok(
        &app,
        Some(&w.a.staff),
        "mutation($e: ID!) { r: setEvaluationScheme(evaluationId: $e, scheme: { categories: [{ name: \"其他\",
            items: [{ name: \"综合评价\", source: MANUAL, cap: 10 }] }] }) { scheme { categories { items { id } } } } }",
        json!({ "e": last_year["r"]["id"] }),
    )
    .await;
    s.add(
        "EvaluationItem",
        &scheme["r"]["scheme"]["categories"][0]["items"][0]["id"],
        &[("A staff", w.a.staff.as_str())],
        staff_only,
    );

    // Livelihood projects: A's open round and its parts, and A's major project, for A's staff, deputies
    // and responsible unit; hidden from congress B, another unit of A and citizens.
    let pf = edaibiao_tests::projects::fixture(&app, &w).await;
    let inside = [
        ("A staff", w.a.staff.as_str()),
        ("A deputy", w.a.deputy.as_str()),
        ("A unit", w.a.unit_staff.as_str()),
    ];
    let outside = [
        ("B staff", w.b.staff.as_str()),
        ("B deputy", w.b.deputy.as_str()),
        ("A's other unit", w.a_unit2_staff.as_str()),
        ("citizen", w.citizen.as_str()),
    ];
    for (ty, id) in [
        ("ProjectRound", &pf.round),
        ("ProjectCandidate", &pf.candidate),
        ("ProjectQuestion", &pf.question),
        ("LivelihoodProject", &pf.project),
        ("Milestone", &pf.milestone),
        ("ProgressReport", &pf.progress),
        ("ProjectInspection", &pf.inspection),
    ] {
        s.add(ty, &json!(id), &inside, &outside);
    }
    appraisal_samples(&app, &w, &mut s).await;

    // Bills: 张明's bill, tabled and assigned to A's unit, for its lead sponsor, A's staff and the unit;
    // hidden from A's other deputy and unit, congress B and citizens.
    let bf = edaibiao_tests::bills::fixture(&app, &w).await;
    s.add(
        "Bill",
        &json!(bf.bill),
        &[
            ("A staff", w.a.staff.as_str()),
            ("A deputy", w.a.deputy.as_str()),
            ("A unit", w.a.unit_staff.as_str()),
        ],
        &[
            ("A deputy2", w.a_deputy2.as_str()),
            ("A's other unit", w.a_unit2_staff.as_str()),
            ("B staff", w.b.staff.as_str()),
            ("B deputy", w.b.deputy.as_str()),
            ("citizen", w.citizen.as_str()),
        ],
    );
    // Deputies' reports: 张明's forwarded report for him, A's staff and the unit it went to; hidden from
    // A's other deputy and unit, congress B and citizens (a report not forwarded: from A's unit too).
    let rf = edaibiao_tests::reports::fixture(&app, &w).await;
    let report_outsiders = [
        ("A deputy2", w.a_deputy2.as_str()),
        ("A's other unit", w.a_unit2_staff.as_str()),
        ("B staff", w.b.staff.as_str()),
        ("B deputy", w.b.deputy.as_str()),
        ("B unit", w.b.unit_staff.as_str()),
        ("citizen", w.citizen.as_str()),
        ("A station", w.a.station_staff.as_str()),
    ];
    s.add(
        "DeputyReport",
        &json!(rf.forwarded),
        &[
            ("A staff", w.a.staff.as_str()),
            ("A deputy", w.a.deputy.as_str()),
            ("A unit", w.a.unit_staff.as_str()),
        ],
        &report_outsiders,
    );
    let mut not_forwarded = report_outsiders.to_vec();
    not_forwarded.push(("A unit", w.a.unit_staff.as_str()));
    s.add(
        "DeputyReport",
        &json!(rf.accepted),
        &[("A staff", w.a.staff.as_str()), ("A deputy", w.a.deputy.as_str()), ("admin", w.admin.as_str())],
        &not_forwarded,
    );
    // A contact (联系代表) of the member 李华 with 张明, linked to him by A's staff: for both of them, A's
    // staff and admins; hidden from everyone else.
    ok(
        &app,
        Some(&w.a.staff),
        "mutation($m: ID!, $d: ID!) { linkDeputyToMember(memberId: $m, deputyId: $d) { id } }",
        json!({ "m": w.a_deputy2_id, "d": w.a.deputy_id }),
    )
    .await;
    let contact = ok(
        &app,
        Some(&w.a_deputy2),
        "mutation($i: RecordDeputyContactInput!) { recordDeputyContact(input: $i) { id } }",
        json!({ "i": { "memberId": w.a_deputy2_id, "deputyId": w.a.deputy_id, "contactedOn": time::date_in(0),
            "method": "PHONE", "content": "电话联系" } }),
    )
    .await;
    s.add(
        "DeputyContact",
        &contact["recordDeputyContact"]["id"],
        &[
            ("A staff", w.a.staff.as_str()),
            ("张明", w.a.deputy.as_str()),
            ("李华", w.a_deputy2.as_str()),
            ("admin", w.admin.as_str()),
        ],
        &[
            ("B staff", w.b.staff.as_str()),
            ("B deputy", w.b.deputy.as_str()),
            ("A unit", w.a.unit_staff.as_str()),
            ("A station", w.a.station_staff.as_str()),
            ("citizen", w.citizen.as_str()),
        ],
    );
    // Open legislation: calls, drafts, articles and comments for anyone (anonymous readers too); a
    // proposal for staff of the congress and its proposer only.
    let lf = edaibiao_tests::legislation::fixture(&app, &w).await;
    for (ty, id) in [
        ("LegislativeCall", &lf.call),
        ("DraftLaw", &lf.draft),
        ("DraftArticle", &lf.article),
        ("DraftComment", &lf.comment),
    ] {
        s.add(ty, &json!(id), anyone, &[]);
    }
    // Moderation: 李华's comment on the whole draft, removed by A's staff: the comment for its author and
    // A's staff only; its moderation item for A's staff and admins only.
    let removed = ok(
        &app,
        Some(&w.a_deputy2),
        edaibiao_tests::legislation::COMMENT,
        json!({ "i": { "draftId": lf.draft, "content": "将被删除的意见" } }),
    )
    .await;
    let removed = removed["r"]["id"].clone();
    let item = ok(
        &app,
        Some(&w.a.staff),
        "mutation($c: ID!) { r: moderateContent(contentId: $c, decision: REMOVE, reason: \"广告\") { id } }",
        json!({ "c": removed }),
    )
    .await;
    s.add(
        "DraftComment",
        &removed,
        &[("李华", w.a_deputy2.as_str()), ("A staff", w.a.staff.as_str()), ("admin", w.admin.as_str())],
        &[("citizen", w.citizen.as_str()), ("B staff", w.b.staff.as_str()), ("张明", w.a.deputy.as_str())],
    );
    s.add(
        "ModerationItem",
        &item["r"]["id"],
        &[("A staff", w.a.staff.as_str()), ("admin", w.admin.as_str())],
        &[("李华", w.a_deputy2.as_str()), ("citizen", w.citizen.as_str()), ("B staff", w.b.staff.as_str())],
    );
    s.add(
        "LegislativeProposal",
        &json!(lf.proposal),
        &[("张明", w.a.deputy.as_str()), ("A staff", w.a.staff.as_str())],
        &[("李华", w.a_deputy2.as_str()), ("B staff", w.b.staff.as_str()), ("citizen", w.citizen.as_str())],
    );

    // Learning: a course for A's deputies and staff; a material assigned to 张明 for him and staff; a news item and a document of A for A's
    // staff and deputies; a public document for anyone.
    let learn = edaibiao_tests::learning::fixture(&app, &w).await;
    let outsiders: &[(&'static str, &str)] = &[
        ("B staff", w.b.staff.as_str()),
        ("B deputy", w.b.deputy.as_str()),
        ("citizen", w.citizen.as_str()),
        ("A unit", w.a.unit_staff.as_str()),
    ];
    let members: &[(&'static str, &str)] =
        &[("张明", w.a.deputy.as_str()), ("李华", w.a_deputy2.as_str()), ("A staff", w.a.staff.as_str())];
    s.add("LearningMaterial", &json!(learn.course), members, outsiders);
    s.add(
        "LearningMaterial",
        &json!(learn.assigned),
        &[("张明", w.a.deputy.as_str()), ("A staff", w.a.staff.as_str())],
        &[("李华", w.a_deputy2.as_str()), ("B staff", w.b.staff.as_str())],
    );
    s.add("NewsItem", &json!(learn.news), members, outsiders);
    s.add("Document", &json!(learn.document), members, outsiders);
    s.add("Document", &json!(learn.public_document), anyone, &[]);

    // An attachment: whoever sees its item (here 张明's learning material: staff and its audience).
    let pdf = edaibiao_tests::files::pdf("节点附件");
    let attached =
        edaibiao_tests::files::attach(&app, Some(&w.a.staff), &learn.assigned, &[("讲义.pdf", &pdf)]).await;
    s.add(
        "Attachment",
        &attached.data()["attachFiles"][0]["id"],
        &[("A staff", w.a.staff.as_str()), ("张明", w.a.deputy.as_str())],
        &[("李华", w.a_deputy2.as_str()), ("B staff", w.b.staff.as_str()), ("citizen", w.citizen.as_str())],
    );

    // Every Node type has a sample: a new one without coverage here fails.
    let types = node_types(&app).await;
    let sampled: BTreeSet<String> = s.0.keys().cloned().collect();
    let missing: Vec<_> = types.difference(&sampled).collect();
    assert!(missing.is_empty(), "Node types without a sample in nodes.rs: {missing:?}");
    let unknown: Vec<_> = sampled.difference(&types).collect();
    assert!(unknown.is_empty(), "sampled types that are not Nodes: {unknown:?}");

    for (ty, samples) in &s.0 {
        for sample in samples {
            for (who, token) in &sample.seen_by {
                let res = ok(&app, Some(token), NODE, json!({ "id": sample.id })).await;
                assert_eq!(
                    res["node"],
                    json!({ "__typename": ty, "id": sample.id }),
                    "{ty} {} for {who}",
                    sample.id
                );
            }
            for (who, token) in &sample.hidden_from {
                let res = app.gql(NODE, json!({ "id": sample.id }), Some(token)).await;
                if ty == "Account" {
                    res.assert_code("FORBIDDEN");
                } else {
                    assert_eq!(res.data()["node"], Value::Null, "{ty} {} leaked to {who}", sample.id);
                }
            }
            // Nobody anonymous gets anything but the public directory.
            let anonymous = app.gql(NODE, json!({ "id": sample.id }), None).await;
            if anonymous.body.get("errors").is_none() {
                assert!(
                    anonymous.data()["node"].is_null() || sample.hidden_from.is_empty(),
                    "{ty} {} leaked to an anonymous caller",
                    sample.id
                );
            }
        }
    }
});

e2e!(ids_of_parts_that_are_gone_or_made_up_answer_null, |app| {
    let w = world::build(&app).await;
    let id = w.parallel_answered(&app, "节点伪造").await;
    let full = suggestion(&app, &w.a.deputy, &id).await;
    let answer = str_of(&full["units"][0]["answer"]["id"]).to_owned();
    let part = str_of(&full["units"][0]["id"]).to_owned();
    // The same key under another type, a part of a unit that has none, an answer at another time.
    let b64 = |text: String| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
    };
    let decode = |id: &str| {
        use base64::Engine;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(id).unwrap_or_default();
        String::from_utf8(raw).unwrap_or_default()
    };
    let answer_key = decode(&answer);
    let pieces: Vec<&str> = answer_key.split(':').collect();
    assert_eq!(pieces.len(), 4, "{answer_key}");
    let (suggestion_uuid, unit_uuid) = (pieces[1], pieces[2]);
    let b_unit = decode(&w.b.unit_id);
    let b_unit_uuid = b_unit.split(':').nth(1).unwrap_or_default();
    for made_up in [
        b64(format!("CoSigner:{suggestion_uuid}:{unit_uuid}")),
        b64(format!("HandlingPart:{suggestion_uuid}:{b_unit_uuid}")),
        b64(format!("Answer:{suggestion_uuid}:{unit_uuid}:1")),
        b64(format!("HandlingPart:{unit_uuid}:{unit_uuid}")),
        b64(format!("Notification:{suggestion_uuid}")),
        b64(format!("TimelineEvent:{suggestion_uuid}")),
    ] {
        let res = ok(&app, Some(&w.admin), NODE, json!({ "id": made_up })).await;
        assert_eq!(res["node"], Value::Null, "{}", decode(&made_up));
    }
    // The real ones for the same caller, for contrast.
    for real in [&answer, &part] {
        assert!(ok(&app, Some(&w.admin), NODE, json!({ "id": real })).await["node"].is_object());
    }
    // Garbage is still BAD_USER_INPUT.
    app.gql(NODE, json!({ "id": b64("Answer:x:y".to_owned()) }), Some(&w.admin))
        .await
        .assert_code("BAD_USER_INPUT");
});

/// An appraisal of A's unit with 张明 in its group, reported and with its list issued: it and its item are
/// for A's staff, deputies and the unit; hidden from B and citizens while unpublished.
async fn appraisal_samples(app: &TestApp, w: &World, s: &mut Samples) {
    let today = time::date_in(0);
    let input = json!({ "congressId": w.a.congress, "year": time::this_year(), "unitId": w.a.unit_id,
        "subject": { "unitWork": "优化营商环境" }, "groupDeputyIds": [w.a.deputy_id],
        "reportDue": today, "rectificationDue": time::date_in(5), "votingFrom": time::date_in(6),
        "votingUntil": time::date_in(9) });
    let opened = ok(
        app,
        Some(&w.a.staff),
        "mutation($i: OpenAppraisalInput!) { r: openAppraisal(input: $i) { id } }",
        json!({ "i": input }),
    )
    .await;
    let id = str_of(&opened["r"]["id"]).to_owned();
    ok(
        app,
        Some(&w.a.unit_staff),
        "mutation($a: ID!) { r: submitAppraisalReport(appraisalId: $a, report: \"述职\") { id } }",
        json!({ "a": id }),
    )
    .await;
    let found = ok(
        app,
        Some(&w.a.deputy),
        "mutation($a: ID!) { r: addAppraisalFinding(appraisalId: $a, source: INSPECTION, text: \"发现的问题\") { id } }",
        json!({ "a": id }),
    )
    .await;
    let issued = ok(
        app,
        Some(&w.a.staff),
        "mutation($a: ID!) { r: issueAppraisalItems(appraisalId: $a, problems: [\"问题\"]) { items { id } } }",
        json!({ "a": id }),
    )
    .await;
    let insiders = [
        ("A staff", w.a.staff.as_str()),
        ("张明", w.a.deputy.as_str()),
        ("李华", w.a_deputy2.as_str()),
        ("A unit", w.a.unit_staff.as_str()),
    ];
    let outsiders = [
        ("B staff", w.b.staff.as_str()),
        ("B deputy", w.b.deputy.as_str()),
        ("A's other unit", w.a_unit2_staff.as_str()),
        ("citizen", w.citizen.as_str()),
    ];
    s.add("Appraisal", &json!(id), &insiders, &outsiders);
    s.add("AppraisalItem", &issued["r"]["items"][0]["id"], &insiders, &outsiders);
    s.add("AppraisalFinding", &found["r"]["id"], &insiders, &outsiders);

    // A vote on whom to appraise: A's staff and deputies see it and its candidates; its unit does not.
    let choice = ok(
        app,
        Some(&w.a.staff),
        "mutation($i: OpenAppraisalChoiceInput!) { r: openAppraisalChoice(input: $i) { id candidates { id } } }",
        json!({ "i": { "congressId": w.a.congress, "year": time::this_year(), "title": "评议对象票决",
            "chooseUpTo": 1, "voterDeputyIds": [w.a.deputy_id], "candidates": [
                { "unitId": w.a.unit_id, "subject": { "unitWork": "甲" } },
                { "unitId": w.a.unit_id, "subject": { "unitWork": "乙" } } ] } }),
    )
    .await;
    let congress =
        [("A staff", w.a.staff.as_str()), ("张明", w.a.deputy.as_str()), ("李华", w.a_deputy2.as_str())];
    let beyond = [
        ("A unit", w.a.unit_staff.as_str()),
        ("B staff", w.b.staff.as_str()),
        ("B deputy", w.b.deputy.as_str()),
        ("citizen", w.citizen.as_str()),
    ];
    s.add("AppraisalChoice", &choice["r"]["id"], &congress, &beyond);
    s.add("AppraisalCandidate", &choice["r"]["candidates"][0]["id"], &congress, &beyond);
    // A selection (评选): A's staff and deputies see it and its candidates; nobody beyond the congress.
    let sf = edaibiao_tests::selections::fixture(app, w).await;
    s.add("Selection", &json!(sf.selection), &congress, &beyond);
    s.add("SelectionCandidate", &json!(sf.candidate), &congress, &beyond);
}
