//! The appraisal rectification reminder against a real database: once the rectification date has passed,
//! the unit's staff are reminded of each item not accepted, once per item, even when two instances run the
//! job at the same moment; an accepted item is not reminded of. Runs on SQLite, and on PostgreSQL + Redis
//! when `TEST_DATABASE_URL` and `TEST_REDIS_URL` are set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use chrono::{Duration, Utc};
use edaibiao_domain::appraisal::{FindingSource, kinds};
use edaibiao_domain::text::{Body, Label, Statement};
use edaibiao_infra::appraisals::{self, ItemStep, OpenInput, SubjectInput};
use edaibiao_infra::entity::{deputy, notification};
use edaibiao_infra::{Store, appraisals::reminders};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

mod common;
use common::{actor, store};

async fn reminders_for(store: &Store, account_id: Uuid) -> usize {
    notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account_id))
        .filter(notification::Column::Kind.eq(kinds::ITEM_OVERDUE))
        .all(&store.db)
        .await
        .map(|rows| rows.len())
        .unwrap_or_default()
}

async fn overdue_items_are_reminded_once(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let staff = actor(&store, "13900000002").await;
    let zhang = actor(&store, "13900000003").await;
    let unit = actor(&store, "13900000005").await;
    let congress_id = staff.congress_id.unwrap();
    let group = deputy::Entity::find()
        .filter(deputy::Column::Id.eq(zhang.deputy_id.unwrap()))
        .all(&store.db)
        .await
        .unwrap();
    let today = edaibiao_domain::appraisal::today(Utc::now());
    let input = OpenInput {
        congress_id,
        year: chrono::Datelike::year(&today),
        unit_id: unit.unit_id.unwrap(),
        subject: SubjectInput::UnitWork { topic: Label::parse("topic", "优化营商环境").unwrap() },
        group: group.iter().map(|d| d.id).collect(),
        report_due: today,
        rectification_due: today + Duration::days(3),
        voting_from: today + Duration::days(4),
        voting_until: today + Duration::days(10),
        choice_candidate: None,
    };
    let a = appraisals::open(&store, &staff, input).await.unwrap();
    appraisals::submit_report(&store, &unit, a.id, Body::parse("report", "述职报告").unwrap(), None)
        .await
        .unwrap();
    let text = Statement::parse("text", "问题").unwrap();
    appraisals::add_finding(&store, &zhang, a.id, text, FindingSource::Inspection, None, None).await.unwrap();
    let problems = ["问题一", "问题二", "问题三"].map(|p| Statement::parse("problems", p).unwrap()).to_vec();
    appraisals::issue_items(&store, &staff, a.id, problems).await.unwrap();
    let items = appraisals::items_of(&store, &[a.id]).await.unwrap().remove(&a.id).unwrap();
    // Item 1 is accepted; item 2 answered but not accepted; item 3 not even answered.
    for item in &items[..2] {
        let answer =
            ItemStep::Answer { text: Statement::parse("answer", "已整改").unwrap(), done_by: today };
        appraisals::step_item(&store, &unit, item.id, answer, None).await.unwrap();
    }
    appraisals::step_item(&store, &staff, items[0].id, ItemStep::Accept, None).await.unwrap();

    // Before the date passes nobody is reminded.
    assert_eq!(reminders::send_due(&store, Utc::now()).await.unwrap(), 0);
    // After it, two instances at once remind of the two open items, once each.
    let later = Utc::now() + Duration::days(5);
    let (first, second) =
        tokio::join!(reminders::send_due(&store, later), reminders::send_due(&store, later));
    assert_eq!(first.unwrap() + second.unwrap(), 2);
    assert_eq!(reminders_for(&store, unit.user_id).await, 2);
    // Running again sends nothing more.
    assert_eq!(reminders::send_due(&store, later + Duration::days(1)).await.unwrap(), 0);
    assert_eq!(reminders_for(&store, unit.user_id).await, 2);
}

#[tokio::test]
async fn appraisal_reminders_on_sqlite() {
    overdue_items_are_reminded_once(false).await;
}

#[tokio::test]
async fn appraisal_reminders_on_postgres() {
    overdue_items_are_reminded_once(true).await;
}
