//! Opinions against a real database, where the API cannot reach: the closing job with an injected clock
//! (also two instances at once), the overdue list once time has passed, and the contact phone at rest.
//! Runs on SQLite, and on PostgreSQL + Redis when `TEST_DATABASE_URL` and `TEST_REDIS_URL` are set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use chrono::{Duration, Utc};
use edaibiao_domain::opinion::{Command, OpinionCategory, OpinionInput, OpinionState};
use edaibiao_infra::entity::{liaison_station, notification, opinion, opinion_event};
use edaibiao_infra::opinions::{self, OpinionFilter, OpinionSettings, Submission, Target, Viewer};
use edaibiao_infra::{PageRequest, Store};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

mod common;
use common::{actor, store};

const PHONE: &str = "13912345678";

async fn viewer(store: &Store, phone: &str) -> Viewer {
    let actor = actor(store, phone).await;
    Viewer::load(&store.db, &actor).await.unwrap()
}

/// A station opinion with a contact phone, taken and answered by the station's worker; returns its id.
async fn answered(store: &Store, settings: &OpinionSettings, worker: &Viewer) -> Uuid {
    let station = liaison_station::Entity::find()
        .filter(liaison_station::Column::Name.eq("东城街道人大代表联络站"))
        .one(&store.db)
        .await
        .ok()
        .flatten()
        .expect("no station");
    let input =
        OpinionInput::parse(OpinionCategory::Environment, "河道有异味", None, Some("孙女士"), Some(PHONE))
            .unwrap();
    let address = Uuid::new_v4().to_string();
    let submission = Submission {
        input,
        target: Target::Station(station.id),
        actor: None,
        client_address: &address,
        idempotency_key: None,
        appraisal: None,
        files: Vec::new(),
        privacy_consent: Some(edaibiao_domain::privacy::PRIVACY_NOTICE_VERSION),
    };
    let o = opinions::submit(store, settings, submission).await.unwrap();
    for command in [Command::Accept, Command::ResolveDirectly { note: "已清理".into() }] {
        opinions::act(store, settings, worker, o.id, command, None).await.unwrap();
    }
    o.id
}

async fn closed_by_the_system_fifteen_days_after_the_feedback(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let settings = OpinionSettings::default();
    let worker = viewer(&store, "13900000007").await;
    let id = answered(&store, &settings, &worker).await;
    let feedback = Command::GiveFeedback { text: "已清理河道".into() };
    opinions::act(&store, &settings, &worker, id, feedback, None).await.unwrap();

    let now = Utc::now();
    let policy = settings.policy;
    assert_eq!(opinions::timeout::close_due(&store, &policy, now + Duration::days(14)).await.ok(), Some(0));
    // Two instances run the job at the same moment: it closes once.
    let later = now + Duration::days(15) + Duration::minutes(1);
    let (a, b) = tokio::join!(
        opinions::timeout::close_due(&store, &policy, later),
        opinions::timeout::close_due(&store, &policy, later)
    );
    assert_eq!(a.unwrap_or_default() + b.unwrap_or_default(), 1);
    assert_eq!(opinions::timeout::close_due(&store, &policy, later).await.ok(), Some(0));

    let view = opinions::find_for(&store, &settings.vault, &worker, id).await.unwrap();
    assert_eq!(view.opinion.state, OpinionState::Closed);
    assert_eq!(view.opinion.closure.map(|c| c.by), Some(edaibiao_domain::opinion::ClosedBy::Timeout));
    let timeline = opinions::timeline(&store, &[id]).await.unwrap();
    let last = timeline.get(&id).and_then(|t| t.last()).expect("no timeline");
    assert_eq!((last.kind.as_str(), last.actor_role.as_str()), ("CLOSED_BY_TIMEOUT", "SYSTEM"));
    assert!(last.actor_account_id.is_none());

    // The first acceptance is kept on the row (the station activity table reads it): the time of the one
    // event that left it ACCEPTED, unchanged by the steps after it.
    let accepted: Vec<_> = opinion_event::Entity::find()
        .filter(opinion_event::Column::OpinionId.eq(id))
        .filter(opinion_event::Column::ToState.eq("ACCEPTED"))
        .all(&store.db)
        .await
        .unwrap();
    assert_eq!(accepted.len(), 1);
    let row = opinion::Entity::find_by_id(id).one(&store.db).await.unwrap().expect("no opinion");
    assert_eq!(row.accepted_at, Some(accepted[0].at));
}

#[tokio::test]
async fn closed_by_the_system_fifteen_days_after_the_feedback_sqlite() {
    closed_by_the_system_fifteen_days_after_the_feedback(false).await;
}

#[tokio::test]
async fn closed_by_the_system_fifteen_days_after_the_feedback_postgres() {
    closed_by_the_system_fifteen_days_after_the_feedback(true).await;
}

async fn waiting_too_long_shows_on_the_overdue_list(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let settings = OpinionSettings::default();
    let worker = viewer(&store, "13900000007").await;
    let staff = viewer(&store, "13900000002").await;
    let id = answered(&store, &settings, &worker).await;
    let overdue = OpinionFilter { overdue: Some(true), ..Default::default() };
    let page = |v: Viewer, f: OpinionFilter| {
        let (store, settings) = (store.clone(), settings.clone());
        async move {
            opinions::list(&store, &settings.vault, &v, &f, PageRequest::new(None, None), true)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|o| o.opinion.id)
                .collect::<Vec<_>>()
        }
    };
    assert!(page(staff.clone(), overdue.clone()).await.is_empty());
    // Resolved directly eight days ago and no feedback yet: past the seven days feedback may take.
    opinion::Entity::update_many()
        .col_expr(opinion::Column::WaitingSince, Expr::value(Utc::now() - Duration::days(8)))
        .filter(opinion::Column::Id.eq(id))
        .exec(&store.db)
        .await
        .unwrap();
    assert_eq!(page(staff.clone(), overdue.clone()).await, vec![id]);
    assert_eq!(page(worker.clone(), overdue.clone()).await, vec![id]);
    let unit = viewer(&store, "13900000005").await;
    assert!(page(unit, overdue.clone()).await.is_empty(), "within what the reader may see");
    let not_overdue = OpinionFilter { overdue: Some(false), ..Default::default() };
    assert!(!page(staff, not_overdue).await.contains(&id));
}

#[tokio::test]
async fn waiting_too_long_shows_on_the_overdue_list_sqlite() {
    waiting_too_long_shows_on_the_overdue_list(false).await;
}

#[tokio::test]
async fn waiting_too_long_shows_on_the_overdue_list_postgres() {
    waiting_too_long_shows_on_the_overdue_list(true).await;
}

async fn the_phone_is_stored_encrypted(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let settings = OpinionSettings::default();
    let worker = viewer(&store, "13900000007").await;
    let id = answered(&store, &settings, &worker).await;
    let row = opinion::Entity::find_by_id(id).one(&store.db).await.ok().flatten().expect("row");
    let sealed = row.contact_phone_sealed.clone().unwrap_or_default();
    assert!(sealed.starts_with("v1:") && !sealed.contains(PHONE));
    assert_eq!(row.contact_phone_masked.as_deref(), Some("139****5678"));
    assert!(!row.snapshot.contains(PHONE) && !row.snapshot.contains("12345678"), "{}", row.snapshot);
    assert!(!row.contact_phone_digest.clone().unwrap_or_default().contains(PHONE));
    assert!(!format!("{row:?}").contains(PHONE));
    assert_eq!(settings.vault.open(&sealed).ok().as_deref(), Some(PHONE));
    // Another key cannot read it: the worker then sees it masked, and the failure is logged, not thrown.
    let other = OpinionSettings { vault: edaibiao_infra::vault::Vault::new(&[9u8; 32]).unwrap(), ..settings };
    let view = opinions::find_for(&store, &other.vault, &worker, id).await.unwrap();
    assert_eq!(view.contact_phone.as_deref(), Some("139****5678"));
    // Nothing else the opinion wrote holds the number: the timeline and the notifications.
    let steps = opinion_event::Entity::find()
        .filter(opinion_event::Column::OpinionId.eq(id))
        .all(&store.db)
        .await
        .unwrap();
    assert!(!steps.is_empty());
    for step in &steps {
        assert!(!step.payload.contains(PHONE), "{}", step.payload);
    }
    let notes = notification::Entity::find().all(&store.db).await.unwrap();
    assert!(notes.iter().all(|n| !n.body.clone().unwrap_or_default().contains(PHONE)));
}

#[tokio::test]
async fn the_phone_is_stored_encrypted_sqlite() {
    the_phone_is_stored_encrypted(false).await;
}

#[tokio::test]
async fn the_phone_is_stored_encrypted_postgres() {
    the_phone_is_stored_encrypted(true).await;
}

/// Every stored text of opinion `id` (its row and its timeline), to search for what must be gone.
async fn stored_texts(store: &Store, id: Uuid) -> String {
    let row = opinion::Entity::find_by_id(id).one(&store.db).await.unwrap().expect("row");
    let steps = opinion_event::Entity::find()
        .filter(opinion_event::Column::OpinionId.eq(id))
        .all(&store.db)
        .await
        .unwrap();
    let mut text = format!(
        "{} {:?} {:?} {:?}",
        row.snapshot, row.contact_phone_sealed, row.contact_phone_masked, row.contact_phone_digest
    );
    for step in steps {
        text.push_str(&format!(" {} {:?}", step.payload, step.note));
    }
    text
}

async fn contact_details_are_erased_after_the_retention_period(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let settings = OpinionSettings::default();
    let worker = viewer(&store, "13900000007").await;
    let id = answered(&store, &settings, &worker).await;
    let open = answered(&store, &settings, &worker).await;
    let feedback = Command::GiveFeedback { text: "已清理河道".into() };
    opinions::act(&store, &settings, &worker, id, feedback, None).await.unwrap();
    let now = Utc::now();
    let policy = settings.policy;
    let closed_at = now + Duration::days(16);
    assert_eq!(opinions::timeout::close_due(&store, &policy, closed_at).await.ok(), Some(1));
    let before = stored_texts(&store, id).await;
    assert!(before.contains("孙女士") && before.contains("139****5678"), "held until then: {before}");

    // Not before the period has run out; then once, though two instances run the job at the same moment.
    let until = closed_at + Duration::days(policy.contact_retention_days);
    assert_eq!(opinions::erasure::erase_due(&store, &policy, until - Duration::days(1)).await.ok(), Some(0));
    let later = until + Duration::minutes(1);
    let (a, b) = tokio::join!(
        opinions::erasure::erase_due(&store, &policy, later),
        opinions::erasure::erase_due(&store, &policy, later)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(opinions::erasure::erase_due(&store, &policy, later).await.ok(), Some(0));

    // Nothing stored can give the name or the phone back, and no reader sees them.
    let after = stored_texts(&store, id).await;
    for gone in ["孙女士", "139****5678", "v1:"] {
        assert!(!after.contains(gone), "{gone} is still stored: {after}");
    }
    let row = opinion::Entity::find_by_id(id).one(&store.db).await.unwrap().expect("row");
    assert!(row.contact_phone_sealed.is_none() && row.contact_phone_digest.is_none());
    assert!(row.contact_erased_at.is_some());
    let view = opinions::find_for(&store, &settings.vault, &worker, id).await.unwrap();
    assert_eq!((view.contact_phone.as_deref(), view.opinion.contact_name.as_deref()), (None, None));
    assert_eq!(view.opinion.content, "河道有异味", "the matter stays for the record");
    assert_eq!(view.opinion.state, OpinionState::Closed);
    let timeline = opinions::timeline(&store, &[id]).await.unwrap();
    let last = timeline.get(&id).and_then(|t| t.last()).expect("no timeline");
    assert_eq!(
        (last.kind.as_str(), last.actor_role.as_str(), last.public),
        ("CONTACT_ERASED", "SYSTEM", true)
    );
    // The scrubbed timeline still rebuilds the opinion as stored.
    let events: Vec<edaibiao_domain::opinion::Event> = opinion_event::Entity::find()
        .filter(opinion_event::Column::OpinionId.eq(id))
        .all(&store.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.seq, serde_json::from_str(&e.payload).unwrap()))
        .collect::<std::collections::BTreeMap<i32, _>>()
        .into_values()
        .collect();
    assert_eq!(edaibiao_domain::opinion::Opinion::replay(&events), Some(view.opinion.clone()));

    // An opinion still open keeps its contact, whatever the date.
    let open_view = opinions::find_for(&store, &settings.vault, &worker, open).await.unwrap();
    assert_eq!(open_view.contact_phone.as_deref(), Some(PHONE));
    assert!(stored_texts(&store, open).await.contains("孙女士"));
}

#[tokio::test]
async fn contact_details_are_erased_after_the_retention_period_sqlite() {
    contact_details_are_erased_after_the_retention_period(false).await;
}

#[tokio::test]
async fn contact_details_are_erased_after_the_retention_period_postgres() {
    contact_details_are_erased_after_the_retention_period(true).await;
}
