//! The milestone job against a real database: each reminder goes out once, even when two instances run
//! the job at the same moment, a done milestone is not reminded, and an overdue one reaches the unit, staff
//! and the supervision group. Runs on SQLite, and on PostgreSQL + Redis when `TEST_DATABASE_URL` and
//! `TEST_REDIS_URL` are set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use chrono::{Duration, Utc};
use edaibiao_domain::project::{Budget, Percent};
use edaibiao_domain::text::{Body, Note, Title};
use edaibiao_infra::Store;
use edaibiao_infra::entity::notification;
use edaibiao_infra::projects::{self, ProjectDraft, ReportDraft, reminders};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

mod common;
use common::{actor, store};

async fn told(store: &Store, account_id: Uuid, kind: &str) -> u64 {
    notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account_id))
        .filter(notification::Column::Kind.eq(kind))
        .count(&store.db)
        .await
        .unwrap()
}

async fn milestones_are_reminded_once(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let staff = actor(&store, "13900000002").await;
    let deputy = actor(&store, "13900000003").await;
    let unit = actor(&store, "13900000005").await;
    let (congress, unit_id) = (staff.congress_id.unwrap(), unit.unit_id.unwrap());
    let now = Utc::now();
    let title = |t: &str| Title::parse("title", t).unwrap();
    let draft = ProjectDraft {
        title: title("快速路建设"),
        description: Body::parse("description", "说明").unwrap(),
        unit_id,
        budget: Budget::from_fen(100).unwrap(),
        expected_outcome: Note::parse("expectedOutcome", "通车").unwrap(),
        milestones: vec![
            (title("征迁"), now + Duration::days(3)),
            (title("开工"), now + Duration::days(5)),
            (title("通车"), now + Duration::days(300)),
        ],
        sources: Vec::new(),
    };
    let year = chrono::Datelike::year(&now);
    let project = projects::create_major(&store, &staff, congress, year, draft, None).await.unwrap();
    projects::appoint_group(&store, &staff, project.id, vec![deputy.deputy_id.unwrap()]).await.unwrap();
    let milestones = projects::milestones(&store, &project).await.unwrap();
    // The second milestone is done before the job runs: it is never reminded.
    let report = ReportDraft {
        content: Note::parse("content", "已开工").unwrap(),
        percent: Percent::new(20).unwrap(),
        milestone_id: Some(milestones[1].id),
        milestone_done: true,
    };
    projects::report_progress(&store, &unit, project.id, report, None).await.unwrap();

    // Two instances at once: one reminder (the first milestone, due within 7 days) in all.
    let (a, b) = tokio::join!(reminders::send_due(&store, now), reminders::send_due(&store, now));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(reminders::send_due(&store, now).await.unwrap(), 0, "once");
    assert_eq!(told(&store, unit.user_id, "PROJECT_MILESTONE_DUE").await, 1);
    assert_eq!(told(&store, staff.user_id, "PROJECT_MILESTONE_DUE").await, 0, "due soon is for the unit");

    // Past due and not done: the unit, staff and the group, once.
    let later = now + Duration::days(4);
    let (a, b) = tokio::join!(reminders::send_due(&store, later), reminders::send_due(&store, later));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(reminders::send_due(&store, later).await.unwrap(), 0);
    for who in [&unit, &staff, &deputy] {
        assert_eq!(told(&store, who.user_id, "PROJECT_MILESTONE_OVERDUE").await, 1, "{:?}", who.role);
    }
}

#[tokio::test]
async fn milestone_reminders_on_sqlite() {
    milestones_are_reminded_once(false).await;
}

#[tokio::test]
async fn milestone_reminders_on_postgres() {
    milestones_are_reminded_once(true).await;
}
