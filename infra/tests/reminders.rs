//! The deadline job against a real database: reminders go to the answering unit's staff once per deadline,
//! even when two instances run the job at the same moment. Runs on SQLite, and on PostgreSQL + Redis when
//! `TEST_DATABASE_URL` and `TEST_REDIS_URL` are set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use chrono::{Duration, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::suggestion::{
    Command, DraftText, HandlingMode, HandlingRole, Sitting, SuggestionPolicy,
};
use edaibiao_domain::text::Note;
use edaibiao_infra::entity::{handling_unit, notification};
use edaibiao_infra::{Store, suggestions};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

mod common;
use common::{actor, store};

async fn reminders_for(store: &Store, account_id: Uuid, kind: &str) -> usize {
    notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account_id))
        .filter(notification::Column::Kind.eq(kind))
        .all(&store.db)
        .await
        .map(|rows| rows.len())
        .unwrap_or_default()
}

async fn reminders_go_out_once_per_deadline(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let policy = SuggestionPolicy::default();
    let deputy = actor(&store, "13900000003").await;
    let staff = actor(&store, "13900000002").await;
    let unit_staff = actor(&store, "13900000005").await;
    let Some(unit_id) = unit_staff.unit_id else { panic!("unit staff without unit") };
    let unit = handling_unit::Entity::find_by_id(unit_id).one(&store.db).await.ok().flatten();
    let congress_id = unit.map(|u| u.congress_id).unwrap_or_default();

    let text = DraftText::parse("关于公交站台遮雨棚的建议", "建议增设遮雨棚。", "交通").unwrap();
    let sitting = Sitting::Session { number: 1 };
    let s = suggestions::create(&store, &deputy, sitting, text, None).await.unwrap();
    let act = |who: Actor, command: Command| {
        let store = store.clone();
        async move { suggestions::act(&store, &who, s.id, command, None, &policy).await.unwrap() }
    };
    act(deputy.clone(), Command::Submit).await;
    let now = Utc::now();
    let units =
        vec![edaibiao_domain::suggestion::UnitChoice { unit_id, role: HandlingRole::Lead, congress_id }];
    let due = now + Duration::days(3);
    act(staff.clone(), Command::Assign { mode: HandlingMode::LeadWithCo, units, due_at: Some(due) }).await;

    // Nothing is due a week before the window opens.
    assert_eq!(suggestions::reminders::send_due(&store, now - Duration::days(5)).await.ok(), Some(0));

    // Two instances run the job at once: one reminder.
    let (a, b) = tokio::join!(
        suggestions::reminders::send_due(&store, now),
        suggestions::reminders::send_due(&store, now)
    );
    assert_eq!(a.unwrap_or_default() + b.unwrap_or_default(), 1);
    assert_eq!(reminders_for(&store, unit_staff.user_id, "DEADLINE_NEAR").await, 1);
    assert_eq!(suggestions::reminders::send_due(&store, now).await.ok(), Some(0), "once per deadline");

    // After the deadline: one overdue reminder, and the suggestion lists as overdue.
    let later = due + Duration::hours(1);
    assert_eq!(suggestions::reminders::send_due(&store, later).await.ok(), Some(1));
    assert_eq!(suggestions::reminders::send_due(&store, later).await.ok(), Some(0));
    assert_eq!(reminders_for(&store, unit_staff.user_id, "OVERDUE").await, 1);
    // Nobody else was notified.
    assert_eq!(reminders_for(&store, deputy.user_id, "OVERDUE").await, 0);

    // An extension sets a new deadline, which gets its own reminder when it nears.
    let new_due = due + Duration::days(20);
    act(
        unit_staff.clone(),
        Command::RequestExtension { reason: Note::parse("reason", "需要协调").unwrap(), due_at: new_due },
    )
    .await;
    act(staff.clone(), Command::ResolveExtension { approve: true, reason: None }).await;
    assert_eq!(suggestions::reminders::send_due(&store, new_due - Duration::days(2)).await.ok(), Some(1));
    assert_eq!(reminders_for(&store, unit_staff.user_id, "DEADLINE_NEAR").await, 2);
}

#[tokio::test]
async fn reminders_on_sqlite() {
    reminders_go_out_once_per_deadline(false).await;
}

#[tokio::test]
async fn reminders_on_postgres() {
    reminders_go_out_once_per_deadline(true).await;
}
