//! What activities hand to the duty record, against a real database: the attendance of a congress's
//! participants over a period (PRESENT, EXCUSED, ABSENT, or open), and the voters' ratings of reports to
//! voters per deputy and CST year, each in a fixed number of queries. Runs on SQLite, and on PostgreSQL +
//! Redis when `TEST_DATABASE_URL` and `TEST_REDIS_URL` are set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use chrono::{DateTime, Duration, TimeZone, Utc};
use edaibiao_domain::duty::activity::{ActivityKind, Attendance};
use edaibiao_domain::duty::evaluation::VoterRatings;
use edaibiao_infra::Store;
use edaibiao_infra::activities::{attendance_of, voter_ratings};
use edaibiao_infra::entity::{account, activity, activity_participant, deputy, voter_rating};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

mod common;
use common::store;

fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().unwrap_or_default()
}

struct Setup {
    congress_id: Uuid,
    staff_account: Uuid,
    deputies: Vec<Uuid>,
}

async fn setup(store: &Store) -> Setup {
    let staff = account::Entity::find()
        .filter(account::Column::Role.eq("CONGRESS_STAFF"))
        .one(&store.db)
        .await
        .ok()
        .flatten()
        .expect("no staff account");
    let congress_id = staff.congress_id.unwrap_or_default();
    let deputies = deputy::Entity::find()
        .filter(deputy::Column::CongressId.eq(congress_id))
        .order_by_asc(deputy::Column::Id)
        .all(&store.db)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    Setup { congress_id, staff_account: staff.id, deputies }
}

async fn add_activity(
    store: &Store,
    s: &Setup,
    kind: ActivityKind,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> Uuid {
    let id = Uuid::now_v7();
    let row = activity::ActiveModel {
        id: Set(id),
        congress_id: Set(s.congress_id),
        kind: Set(kind.as_str().to_owned()),
        title: Set(format!("{} {starts_at}", kind.as_str())),
        place: Set("会议室".into()),
        starts_at: Set(starts_at),
        ends_at: Set(ends_at),
        organiser_account_id: Set(s.staff_account),
        deputy_group_id: Set(None),
        participation: Set("ASSIGNED".into()),
        capacity: Set(None),
        check_in_secret: Set("secret".into()),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
        version: Set(1),
        professional_group_id: Set(None),
    };
    activity::Entity::insert(row).exec_without_returning(&store.db).await.unwrap();
    id
}

async fn add_participant(
    store: &Store,
    activity_id: Uuid,
    deputy_id: Uuid,
    checked_in_at: Option<DateTime<Utc>>,
    leave: Option<&str>,
) {
    let row = activity_participant::ActiveModel {
        activity_id: Set(activity_id),
        deputy_id: Set(deputy_id),
        joined: Set("ASSIGNED".into()),
        checked_in_at: Set(checked_in_at),
        checked_in_by: Set(None),
        leave_status: Set(leave.map(str::to_owned)),
        leave_reason: Set(leave.map(|_| "出差".to_owned())),
        leave_requested_at: Set(None),
        leave_decided_at: Set(None),
        leave_decided_by: Set(None),
        rating_token: Set(Some(Uuid::new_v4().simple().to_string())),
        created_at: Set(Utc::now()),
    };
    activity_participant::Entity::insert(row).exec_without_returning(&store.db).await.unwrap();
}

async fn add_rating(store: &Store, activity_id: Uuid, deputy_id: Uuid, rating: &str) {
    let row = voter_rating::ActiveModel {
        id: Set(Uuid::now_v7()),
        activity_id: Set(activity_id),
        deputy_id: Set(deputy_id),
        rating_token: Set(format!("t-{activity_id}-{deputy_id}")),
        phone_digest: Set(Uuid::new_v4().to_string()),
        rating: Set(rating.to_owned()),
        created_at: Set(Utc::now()),
    };
    voter_rating::Entity::insert(row).exec_without_returning(&store.db).await.unwrap();
}

async fn attendance_and_ratings_feed_the_record(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let s = setup(&store).await;
    let [zhang, li, wang, ..] = s.deputies[..] else { panic!("three deputies") };

    // A training in May 2026: one present, one excused, one absent.
    let training =
        add_activity(&store, &s, ActivityKind::Training, utc(2026, 5, 20, 1), utc(2026, 5, 20, 3)).await;
    add_participant(&store, training, zhang, Some(utc(2026, 5, 20, 1)), None).await;
    add_participant(&store, training, li, None, Some("APPROVED")).await;
    add_participant(&store, training, wang, None, Some("PENDING")).await;
    // One still to come: open.
    let now = Utc::now();
    let future =
        add_activity(&store, &s, ActivityKind::Inspection, now + Duration::days(1), now + Duration::days(2))
            .await;
    add_participant(&store, future, zhang, None, None).await;
    // Outside the period asked for.
    let old = add_activity(&store, &s, ActivityKind::Research, utc(2024, 3, 1, 1), utc(2024, 3, 1, 3)).await;
    add_participant(&store, old, zhang, None, None).await;

    let from = utc(2025, 12, 31, 16);
    let to = now + Duration::days(30);
    let before = store.statements_run();
    let all = attendance_of(&store.db, s.congress_id, from, to, None).await.unwrap();
    assert!(store.statements_run() - before <= 2, "a fixed number of queries");
    let of = |activity_id: Uuid, deputy_id: Uuid| {
        all.iter()
            .find(|r| r.activity_id == activity_id && r.deputy_id == deputy_id)
            .map(|r| r.attendance)
            .expect("no record")
    };
    assert_eq!(all.len(), 4);
    assert_eq!(of(training, zhang), Some(Attendance::Present));
    assert_eq!(of(training, li), Some(Attendance::Excused));
    assert_eq!(of(training, wang), Some(Attendance::Absent));
    assert_eq!(of(future, zhang), None);
    assert!(all.iter().all(|r| r.activity_id != old));
    assert_eq!(all.first().map(|r| r.kind), Some(ActivityKind::Training), "by start time");
    let zhangs = attendance_of(&store.db, s.congress_id, from, to, Some(zhang)).await.unwrap_or_default();
    assert_eq!(zhangs.len(), 2);
    assert!(zhangs.iter().all(|r| r.deputy_id == zhang));
    let elsewhere = attendance_of(&store.db, Uuid::now_v7(), from, to, None).await.unwrap_or_default();
    assert!(elsewhere.is_empty());

    // Reports to voters: counted per deputy in the CST year of their start.
    let report =
        add_activity(&store, &s, ActivityKind::ReportToVoters, utc(2026, 6, 1, 1), utc(2026, 6, 1, 3)).await;
    // 1 January 2027 00:30 in Beijing is still 2026 in UTC: it counts for 2027.
    let new_year =
        add_activity(&store, &s, ActivityKind::ReportToVoters, utc(2026, 12, 31, 16), utc(2026, 12, 31, 18))
            .await;
    for rating in ["SATISFIED", "SATISFIED", "BASICALLY_SATISFIED", "DISSATISFIED"] {
        add_rating(&store, report, zhang, rating).await;
    }
    add_rating(&store, report, li, "BASICALLY_SATISFIED").await;
    add_rating(&store, new_year, zhang, "DISSATISFIED").await;
    let before = store.statements_run();
    let y2026 = voter_ratings(&store.db, s.congress_id, 2026).await.unwrap();
    assert_eq!(store.statements_run() - before, 1, "one query");
    assert_eq!(
        y2026.get(&zhang),
        Some(&VoterRatings { satisfied: 2, basically_satisfied: 1, dissatisfied: 1 })
    );
    assert_eq!(y2026.get(&li), Some(&VoterRatings { satisfied: 0, basically_satisfied: 1, dissatisfied: 0 }));
    assert_eq!(y2026.get(&wang), None);
    let y2027 = voter_ratings(&store.db, s.congress_id, 2027).await.unwrap_or_default();
    assert_eq!(
        y2027.get(&zhang),
        Some(&VoterRatings { satisfied: 0, basically_satisfied: 0, dissatisfied: 1 })
    );
    assert!(voter_ratings(&store.db, Uuid::now_v7(), 2026).await.unwrap_or_default().is_empty());
}

#[tokio::test]
async fn attendance_and_ratings_feed_the_record_on_sqlite() {
    attendance_and_ratings_feed_the_record(false).await;
}

#[tokio::test]
async fn attendance_and_ratings_feed_the_record_on_postgres() {
    attendance_and_ratings_feed_the_record(true).await;
}
