//! 检索 against a real database: Chinese text found and ranked the same on SQLite (FTS5) and PostgreSQL
//! (GIN), each role finding exactly what it may see, the index kept current by the steps themselves,
//! hostile queries harmless, similar matters and unit recommendation. Runs on PostgreSQL + Redis when
//! `TEST_DATABASE_URL` and `TEST_REDIS_URL` are set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use chrono::{Duration, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::search::{DraftProbe, SearchKind, SearchQuery};
use edaibiao_domain::suggestion::{
    Command, DraftText, HandlingMode, HandlingRole, Sitting, SuggestionPolicy, UnitChoice,
};
use edaibiao_infra::entity::handling_unit;
use edaibiao_infra::vault::Vault;
use edaibiao_infra::{Store, search, suggestions};
use sea_orm::EntityTrait;
use uuid::Uuid;

mod common;
use common::{actor, store};

fn who(actor: Option<&Actor>) -> search::Searcher<'_> {
    static VAULT: std::sync::LazyLock<Vault> = std::sync::LazyLock::new(Vault::development);
    search::Searcher { actor, vault: &VAULT }
}

async fn found(store: &Store, viewer: Option<&Actor>, query: &str, ours: &[Uuid]) -> Vec<Uuid> {
    let q = SearchQuery::parse("query", query).unwrap();
    let (hits, _) = search::search(store, who(viewer), &q, &[SearchKind::Suggestion], 50, 0).await.unwrap();
    hits.into_iter().map(|h| h.item_id).filter(|id| ours.contains(id)).collect()
}

async fn search_walk(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let policy = SuggestionPolicy::default();
    let deputy_a = actor(&store, "13900000003").await;
    let deputy_b = actor(&store, "13900000004").await;
    let staff = actor(&store, "13900000002").await;
    let admin = actor(&store, "13900000001").await;
    let unit_staff = actor(&store, "13900000005").await;
    let citizen = actor(&store, "13900000006").await;
    let station = actor(&store, "13900000007").await;
    let unit_id = unit_staff.unit_id.unwrap();
    let congress_id =
        handling_unit::Entity::find_by_id(unit_id).one(&store.db).await.unwrap().unwrap().congress_id;
    let sitting = Sitting::Session { number: 1 };
    let create = |title: &'static str, content: &'static str| {
        let (store, deputy) = (store.clone(), deputy_a.clone());
        async move {
            let text = DraftText::parse(title, content, "交通").unwrap();
            suggestions::create(&store, &deputy, sitting, text, None).await.unwrap()
        }
    };
    let act = |who: Actor, id: Uuid, command: Command| {
        let store = store.clone();
        async move { suggestions::act(&store, &who, id, command, None, &policy).await.unwrap() }
    };

    let jam = create("缓解早高峰交通拥堵的建议", "早高峰期间主干道交通拥堵严重，建议优化信号灯配时。").await;
    let plan = create("关于城市规划的建议", "建议新区规划时同步考虑交通。").await;
    let draft = create("治理交通拥堵的草稿", "尚未提交。").await;
    act(deputy_a.clone(), jam.id, Command::Submit).await;
    act(deputy_a.clone(), plan.id, Command::Submit).await;
    let units = vec![UnitChoice { unit_id, role: HandlingRole::Lead, congress_id }];
    let due_at = Some(Utc::now() + Duration::days(30));
    act(staff.clone(), jam.id, Command::Assign { mode: HandlingMode::LeadWithCo, units, due_at }).await;
    let ours = [jam.id, plan.id, draft.id];

    // The whole phrase ranks above one mention of 交通; the deputy sees their own draft too.
    let mine = found(&store, Some(&deputy_a), "交通拥堵", &ours).await;
    assert_eq!(mine.len(), 3);
    assert_eq!(mine[2], plan.id, "one mention of 交通 ranks last: {mine:?}");
    // Every role finds exactly what it may see.
    assert_eq!(found(&store, Some(&staff), "交通拥堵", &ours).await, vec![jam.id, plan.id]);
    assert_eq!(found(&store, Some(&admin), "交通拥堵", &ours).await, vec![jam.id, plan.id]);
    assert_eq!(found(&store, Some(&unit_staff), "交通拥堵", &ours).await, vec![jam.id]);
    assert!(found(&store, Some(&deputy_b), "交通拥堵", &ours).await.is_empty());
    assert!(found(&store, Some(&citizen), "交通拥堵", &ours).await.is_empty());
    assert!(found(&store, Some(&station), "交通拥堵", &ours).await.is_empty());
    assert!(found(&store, None, "交通拥堵", &ours).await.is_empty());

    // The snippet marks the match.
    let q = SearchQuery::parse("query", "交通拥堵").unwrap();
    let (hits, _) =
        search::search(&store, who(Some(&staff)), &q, &[SearchKind::Suggestion], 1, 0).await.unwrap();
    assert_eq!(hits[0].item_id, jam.id);
    assert_eq!(hits[0].title, "缓解早高峰【交通拥堵】的建议");

    // An edit is searchable at once (indexed in its own transaction), the old text no longer is.
    let text = DraftText::parse("治理学校周边停车难", "接送学生车辆乱停。", "交通").unwrap();
    act(deputy_a.clone(), draft.id, Command::EditDraft(text)).await;
    assert_eq!(found(&store, Some(&deputy_a), "停车难", &ours).await, vec![draft.id]);
    assert!(!found(&store, Some(&deputy_a), "交通拥堵", &ours).await.contains(&draft.id));

    // Hostile queries: FTS syntax is only text; punctuation finds nothing; length is bounded.
    for hostile in
        ["\"", "*", "NEAR(交通 拥堵)", "交通\" OR \"x", "'; DROP TABLE search_documents; --", "！？。"]
    {
        let q = SearchQuery::parse("query", hostile).unwrap();
        search::search(&store, who(Some(&staff)), &q, &[], 20, 0).await.unwrap();
    }
    assert!(SearchQuery::parse("query", &"交".repeat(10_000)).is_err());

    // Similar matters while drafting: the existing suggestion on the same matter, with a score.
    let probe = DraftProbe::parse("text", "关于早高峰主干道交通拥堵的建议：优化信号灯配时").unwrap();
    let similar =
        search::similar_matters(&store, who(Some(&deputy_a)), congress_id, &probe, 5, None).await.unwrap();
    assert_eq!(similar.first().map(|m| m.item_id), Some(jam.id));
    assert!(similar[0].score > 0.3 && similar[0].score <= 1.0 + 1e-9);
    // Deputy B sees none of these, so gets none of them as similar.
    let for_b =
        search::similar_matters(&store, who(Some(&deputy_b)), congress_id, &probe, 5, None).await.unwrap();
    assert!(for_b.iter().all(|m| !ours.contains(&m.item_id)));

    // Unit recommendation: a new suggestion like the assigned one proposes that suggestion's lead unit.
    let next = create("关于缓解晚高峰交通拥堵的建议", "晚高峰主干道交通拥堵，建议优化信号灯配时。").await;
    act(deputy_a.clone(), next.id, Command::Submit).await;
    let proposed = search::recommend_for(&store, &staff, next.id).await.unwrap();
    assert_eq!(proposed.first().map(|r| (r.unit_id, r.lead)), Some((unit_id, true)));
    assert!(proposed[0].reason.contains("件相似建议由该单位主办"), "{}", proposed[0].reason);
    // Only staff get recommendations.
    assert!(search::recommend_for(&store, &deputy_a, next.id).await.is_err());
    assert!(search::recommend_for(&store, &unit_staff, next.id).await.is_err());
}

#[tokio::test]
async fn search_on_sqlite() {
    search_walk(false).await;
}

#[tokio::test]
async fn search_on_postgres() {
    search_walk(true).await;
}

/// Every indexed item that is not a suggestion: kind, congress, title, body and tokens, by item.
async fn indexed(store: &Store) -> std::collections::BTreeMap<Uuid, (String, Uuid, String, String, String)> {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = store.db.get_database_backend();
    let sql = "SELECT item_id, kind, congress_id, title, body, tokens FROM search_documents \
               WHERE kind <> 'SUGGESTION'";
    let rows = store.db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
    rows.iter()
        .map(|r| {
            let item: Uuid = r.try_get("", "item_id").unwrap();
            let get = |c: &str| r.try_get::<String>("", c).unwrap();
            (
                item,
                (
                    get("kind"),
                    r.try_get("", "congress_id").unwrap(),
                    get("title"),
                    get("body"),
                    get("tokens"),
                ),
            )
        })
        .collect()
}

/// Migration 24 indexes the items that exist exactly as the steps that create them do: the demo data's
/// bill, draft law, materials, news and documents, and an opinion (with a contact), a comment and a
/// proposal made here. Deleting the steps' rows and running the backfill gives the same rows back.
async fn backfill_walk(postgres: bool) {
    use edaibiao_domain::legislation::ProposalKind;
    use edaibiao_domain::opinion::{OpinionCategory, OpinionInput};
    use edaibiao_domain::text::Title;
    use edaibiao_infra::entity::{draft_law, legislative_call, liaison_station};
    use edaibiao_infra::{legislation, opinions};
    let Some(store) = store(postgres).await else { return };
    let deputy = actor(&store, "13900000003").await;
    let citizen = actor(&store, "13900000006").await;
    let station = liaison_station::Entity::find().one(&store.db).await.unwrap().unwrap();
    let input = OpinionInput::parse(
        OpinionCategory::Environment,
        "公园晚上太暗",
        Some("和平路88号"),
        Some("孙女士"),
        Some("13912345678"),
    )
    .unwrap();
    let submission = opinions::Submission {
        input,
        target: opinions::Target::Station(station.id),
        actor: None,
        client_address: "10.1.2.3",
        idempotency_key: None,
        appraisal: None,
        files: Vec::new(),
        privacy_consent: Some(edaibiao_domain::privacy::PRIVACY_NOTICE_VERSION),
    };
    opinions::submit(&store, &opinions::OpinionSettings::default(), submission).await.unwrap();
    let draft = draft_law::Entity::find().one(&store.db).await.unwrap().unwrap();
    let comment = legislation::NewComment {
        draft_id: draft.id,
        article_id: None,
        content: "建议明确遛狗时间".to_owned(),
        offline_count: None,
        offline_source: None,
    };
    legislation::comment(&store, &Vault::development(), &citizen, comment, None).await.unwrap();
    let call = legislative_call::Entity::find().one(&store.db).await.unwrap().unwrap();
    let proposal = legislation::NewProposal {
        call_id: call.id,
        law_title: Title::parse("lawTitle", "示例市公园管理条例").unwrap(),
        kind: ProposalKind::Make,
        reason: "公园夜间照明不足".to_owned(),
    };
    legislation::propose(&store, &deputy, proposal, None).await.unwrap();

    let by_steps = indexed(&store).await;
    let kinds: std::collections::BTreeSet<&str> = by_steps.values().map(|v| v.0.as_str()).collect();
    let want = SearchKind::ALL.iter().filter(|k| **k != SearchKind::Suggestion).map(|k| k.as_str()).collect();
    assert_eq!(kinds, want, "every kind but suggestions is indexed by its steps");
    let contact = by_steps.values().any(|v| {
        [&v.2, &v.3, &v.4]
            .iter()
            .any(|t| t.contains("孙女士") || t.contains("13912345678") || t.contains("和平路"))
    });
    assert!(!contact, "a citizen's contact is never indexed");

    use sea_orm::ConnectionTrait;
    store.db.execute_unprepared("DELETE FROM search_documents WHERE kind <> 'SUGGESTION'").await.unwrap();
    assert!(indexed(&store).await.is_empty());
    edaibiao_infra::migration::backfill_search_24(&store.db).await.unwrap();
    assert_eq!(indexed(&store).await, by_steps);
}

#[tokio::test]
async fn the_backfill_indexes_as_the_steps_do_on_sqlite() {
    backfill_walk(false).await;
}

#[tokio::test]
async fn the_backfill_indexes_as_the_steps_do_on_postgres() {
    backfill_walk(true).await;
}
