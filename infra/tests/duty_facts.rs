//! Kept duty facts equal a full recount. The duty record reads when each suggestion was first submitted and
//! its official ratings of SATISFIED from rows kept with every change (`suggestions::duty_facts`), not from
//! the timeline; after a random sequence of actions (many of them refused), the kept facts must equal what
//! the timelines say, and the ledger built on them must count what they hold. Runs on SQLite, and on
//! PostgreSQL + Redis when `TEST_DATABASE_URL` and `TEST_REDIS_URL` are set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use chrono::{Datelike, Duration, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::duty::points::EntryKind;
use edaibiao_domain::suggestion::{
    AnswerClass, AnswerInput, Command, ContactMethod, DraftText, HandlingMode, HandlingRole, RatingInput,
    Satisfaction, Sitting, SuggestionPolicy, UnitChoice,
};
use edaibiao_domain::text::Note;
use edaibiao_domain::time::cst_date;
use edaibiao_infra::suggestions::duty_facts;
use edaibiao_infra::{Store, duty, suggestions};
use uuid::Uuid;

mod common;
use common::{actor, store};

/// A small deterministic generator, so a failing sequence replays the same.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

struct Cast {
    zhang: Actor,
    li: Actor,
    staff: Actor,
    unit: Actor,
    unit_id: Uuid,
    congress_id: Uuid,
}

fn satisfaction(n: usize) -> Satisfaction {
    [
        Satisfaction::Satisfied,
        Satisfaction::Satisfied,
        Satisfaction::BasicallySatisfied,
        Satisfaction::Dissatisfied,
    ][n % 4]
}

/// One random step on suggestion `id`, led by `lead`; whether it was allowed does not matter.
async fn step(store: &Store, cast: &Cast, rng: &mut Lcg, id: Uuid, lead: &Actor) -> bool {
    let other = if lead.user_id == cast.zhang.user_id { &cast.li } else { &cast.zhang };
    let note = |s: &str| Note::parse("note", s).unwrap();
    // Weighted towards the steps that move a suggestion on, so many reach a rating.
    let (who, command) = match rng.below(14) {
        0 => (
            lead,
            Command::InviteCoSigner {
                deputy_id: other.deputy_id.unwrap_or_default(),
                deputy_congress_id: cast.congress_id,
            },
        ),
        1 => (other, Command::AnswerInvitation { accept: rng.below(3) > 0 }),
        2 | 3 => (lead, Command::Submit),
        4 => (&cast.staff, Command::ReturnForRevision { reason: note("请补充调研材料") }),
        5 | 6 => (
            &cast.staff,
            Command::Assign {
                mode: HandlingMode::LeadWithCo,
                units: vec![UnitChoice {
                    unit_id: cast.unit_id,
                    role: HandlingRole::Lead,
                    congress_id: cast.congress_id,
                }],
                due_at: Some(Utc::now() + Duration::days(90)),
            },
        ),
        7 | 8 => (&cast.unit, Command::Accept),
        9 => (
            &cast.unit,
            Command::RecordContact {
                method: ContactMethod::Phone,
                contacted_at: Utc::now(),
                summary: note("电话沟通办理思路"),
            },
        ),
        10 | 11 => (
            &cast.unit,
            Command::Answer(
                AnswerInput::parse("已增设遮雨棚。", AnswerClass::Solved, None, None, "王局长", true)
                    .unwrap(),
            ),
        ),
        // The lead deputy's rating is the official one; the co-signer's is not, and never counts.
        12 | 13 => {
            let who = if rng.below(4) == 0 { other } else { lead };
            let (attitude, result) = (satisfaction(rng.below(4)), satisfaction(rng.below(4)));
            let comment = (attitude == Satisfaction::Dissatisfied || result == Satisfaction::Dissatisfied)
                .then_some("仍有积水");
            (who, Command::Rate(RatingInput::parse(None, attitude, result, comment).unwrap()))
        }
        _ => unreachable!(),
    };
    suggestions::act(store, who, id, command, None, &SuggestionPolicy::default()).await.is_ok()
}

async fn kept_facts_equal_a_recount(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let unit = actor(&store, "13900000005").await;
    let staff = actor(&store, "13900000002").await;
    let cast = Cast {
        zhang: actor(&store, "13900000003").await,
        li: actor(&store, "13900000004").await,
        unit_id: unit.unit_id.expect("unit staff without unit"),
        congress_id: staff.congress_id.unwrap_or_default(),
        staff,
        unit,
    };
    let mut suggestions_led = Vec::new();
    for n in 0..4 {
        let lead = if n == 3 { &cast.li } else { &cast.zhang };
        let text = DraftText::parse(&format!("关于第{n}号路口的建议"), "建议增设信号灯。", "交通").unwrap();
        let s = suggestions::create(&store, lead, Sitting::Session { number: 1 }, text, None).await.unwrap();
        suggestions_led.push((s.id, lead.clone()));
    }
    let mut rng = Lcg(0x000d_0c7f_a17e);
    let mut allowed = 0;
    for _ in 0..240 {
        let (id, lead) = &suggestions_led[rng.below(suggestions_led.len())];
        allowed += usize::from(step(&store, &cast, &mut rng, *id, lead).await);
    }
    // One suggestion all the way to an official rating of SATISFIED, whatever the sequence did.
    let text = DraftText::parse("关于学校门口限速的建议", "建议设置限速标志。", "交通").unwrap();
    let rated =
        suggestions::create(&store, &cast.zhang, Sitting::Session { number: 1 }, text, None).await.unwrap();
    let policy = SuggestionPolicy::default();
    let go = async |who: &Actor, command: Command| {
        suggestions::act(&store, who, rated.id, command, None, &policy).await.unwrap();
    };
    go(&cast.zhang, Command::Submit).await;
    let units =
        vec![UnitChoice { unit_id: cast.unit_id, role: HandlingRole::Lead, congress_id: cast.congress_id }];
    let due_at = Some(Utc::now() + Duration::days(90));
    go(&cast.staff, Command::Assign { mode: HandlingMode::LeadWithCo, units, due_at }).await;
    go(&cast.unit, Command::Accept).await;
    let summary = Note::parse("summary", "上门沟通").unwrap();
    go(
        &cast.unit,
        Command::RecordContact { method: ContactMethod::Visit, contacted_at: Utc::now(), summary },
    )
    .await;
    let answer =
        AnswerInput::parse("已设置限速标志。", AnswerClass::Solved, None, None, "王局长", true).unwrap();
    go(&cast.unit, Command::Answer(answer)).await;
    let rating = RatingInput::parse(None, Satisfaction::Satisfied, Satisfaction::Satisfied, None).unwrap();
    go(&cast.zhang, Command::Rate(rating)).await;

    // Two submissions at once: one wins, and the first submission is kept once.
    let text = DraftText::parse("关于夜间公交的建议", "建议延长末班车。", "交通").unwrap();
    let raced =
        suggestions::create(&store, &cast.zhang, Sitting::Session { number: 1 }, text, None).await.unwrap();
    let submit = || suggestions::act(&store, &cast.zhang, raced.id, Command::Submit, None, &policy);
    let (a, b) = tokio::join!(submit(), submit());
    assert!(a.is_ok() != b.is_ok(), "exactly one concurrent submission wins");

    let kept = duty_facts::kept(&store.db, Some(cast.congress_id)).await.unwrap();
    let recounted = duty_facts::recount(&store.db, Some(cast.congress_id)).await.unwrap();
    assert_eq!(kept, recounted, "kept facts differ from the timelines");
    // Every suggestion keeps its lead deputy's group (the seeded deputies are in groups).
    assert_eq!(suggestions::lead_group::mismatches(&store.db).await.unwrap(), Vec::new());
    // The sequence did something worth checking: submissions, resubmissions and satisfied ratings.
    assert!(allowed >= 20, "only {allowed} steps were allowed");
    assert!(kept.len() >= 4, "only {} suggestions were submitted", kept.len());
    let satisfied: usize = kept.values().map(|f| f.satisfied_ratings.len()).sum();
    assert!(satisfied >= 2, "only the scripted official rating of SATISFIED was made");

    // The ledger counts what the kept facts hold.
    let year = cst_date(Utc::now()).year();
    let entries = duty::archive_entries(&store.db, cast.congress_id, year, None).await.unwrap();
    let count = |kind: EntryKind| entries.values().flatten().filter(|e| e.kind == kind).count();
    assert_eq!(count(EntryKind::SuggestionRatedSatisfied), satisfied);
    assert!(count(EntryKind::SuggestionLed) >= 1);
    // The deputy table's totals, counted by the database, are the ledgers' scored entry by entry.
    let tallied = duty::ledger_totals(&store.db, cast.congress_id, year).await.unwrap();
    let scored = duty::ledgers(&store.db, cast.congress_id, year).await.unwrap();
    let tallied: Vec<_> = tallied.iter().map(|t| (t.deputy_id, t.total, t.congress_rank)).collect();
    let scored: Vec<_> = scored.iter().map(|l| (l.deputy_id, l.ledger.total, l.congress_rank)).collect();
    assert_eq!(tallied, scored);
    assert!(scored.iter().any(|(_, total, _)| *total > 0), "some deputy scored");

    // A repair from the timelines changes nothing.
    duty_facts::rebuild_all(&store.db).await.unwrap();
    assert_eq!(duty_facts::kept(&store.db, Some(cast.congress_id)).await.unwrap(), recounted);
}

#[tokio::test]
async fn kept_facts_on_sqlite() {
    kept_facts_equal_a_recount(false).await;
}

#[tokio::test]
async fn kept_facts_on_postgres() {
    kept_facts_equal_a_recount(true).await;
}
