//! The duty record against a real database: the quota reminder job (once per quota, deputy and period, even
//! with two instances running it at once; only near the end of the period; not for who is done), and the
//! archive and ledgers of a whole congress in a fixed number of queries. Runs on SQLite, and on
//! PostgreSQL + Redis when `TEST_DATABASE_URL` and `TEST_REDIS_URL` are set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use chrono::{NaiveDate, TimeZone, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::duty::points::EntryKind;
use edaibiao_domain::duty::quota::PeriodKind;
use edaibiao_domain::suggestion::{
    Command, DraftText, Event, Rating, Satisfaction, Sitting, SuggestionPolicy,
};
use edaibiao_domain::time::cst_date;
use edaibiao_infra::Store;
use edaibiao_infra::duty::quotas::{self, QuotaInput};
use edaibiao_infra::duty::{self, NewEntryInput};
use edaibiao_infra::entity::{
    activity, activity_participant, deputy, liaison_station, notification, opinion, reception_day,
    reception_day_deputy, suggestion_event,
};
use edaibiao_infra::{Error, suggestions};
use sea_orm::ActiveValue::Set;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

mod common;
use common::{actor, store};

async fn reminders_for(store: &Store, account_id: Uuid) -> usize {
    notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account_id))
        .filter(notification::Column::Kind.eq(quotas::QUOTA_BEHIND))
        .count(&store.db)
        .await
        .map(|n| n as usize)
        .unwrap_or_default()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn utc(y: i32, m: u32, d: u32, h: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().unwrap_or_default()
}

async fn quota_reminders_go_out_once_per_period(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let staff = actor(&store, "13900000002").await;
    let zhang = actor(&store, "13900000003").await;
    let li = actor(&store, "13900000004").await;
    let congress_id = staff.congress_id.unwrap_or_default();
    let deputies = deputy::Entity::find()
        .filter(deputy::Column::CongressId.eq(congress_id))
        .count(&store.db)
        .await
        .unwrap_or_default() as usize;
    assert!(deputies >= 2);

    let input = QuotaInput {
        congress_id,
        item: "每月报送一条履职记录".into(),
        period: PeriodKind::Month,
        required: 1,
        counts: vec![EntryKind::VerifiedOther],
    };
    quotas::set_quota(&store, &staff, input).await.unwrap();
    // A retired quota reminds nobody.
    let old = QuotaInput {
        congress_id,
        item: "已停用的任务".into(),
        period: PeriodKind::Month,
        required: 3,
        counts: vec![EntryKind::ReceptionServed],
    };
    let old = quotas::set_quota(&store, &staff, old).await.unwrap();
    quotas::retire_quota(&store, &staff, old.quota.id).await.unwrap();

    // 张明 did his part in May 2026 (verified); nobody else did.
    let entry = NewEntryInput {
        title: "走访选区".into(),
        note: "走访东城街道选民".into(),
        happened_on: day(2026, 5, 10),
        attachment_url: None,
    };
    let entry = duty::add_entry(&store, &zhang, entry, None).await.unwrap();
    duty::decide_entry(&store, &staff, entry.id, true, None).await.unwrap();

    // 20 May (Beijing): too early in the month.
    assert_eq!(quotas::remind_due(&store, utc(2026, 5, 20, 4)).await.ok(), Some(0));
    // 24 May 16:00 UTC is 25 May in Beijing: the window opens. Two instances at once: one reminder each.
    let now = utc(2026, 5, 24, 16);
    let (a, b) = tokio::join!(quotas::remind_due(&store, now), quotas::remind_due(&store, now));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a + b, deputies - 1, "everyone behind, once");
    assert_eq!(reminders_for(&store, li.user_id).await, 1);
    assert_eq!(reminders_for(&store, zhang.user_id).await, 0, "done: not reminded");
    assert_eq!(quotas::remind_due(&store, utc(2026, 5, 30, 4)).await.ok(), Some(0), "once per period");

    // June: a new period; 张明 is behind now too.
    assert_eq!(quotas::remind_due(&store, utc(2026, 6, 29, 4)).await.ok(), Some(deputies));
    assert_eq!(reminders_for(&store, zhang.user_id).await, 1);
    assert_eq!(reminders_for(&store, li.user_id).await, 2);
}

async fn a_congress_is_scored_in_a_fixed_number_of_queries(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let staff = actor(&store, "13900000002").await;
    let zhang = actor(&store, "13900000003").await;
    let congress_id = staff.congress_id.unwrap_or_default();
    for (n, date) in [(1, day(2026, 3, 1)), (2, day(2026, 4, 1)), (3, day(2025, 4, 1))] {
        let entry = NewEntryInput {
            title: format!("大会发言{n}"),
            note: "发言".into(),
            happened_on: date,
            attachment_url: Some("https://example.cn/a.pdf".into()),
        };
        let entry = duty::add_entry(&store, &zhang, entry, None).await.unwrap();
        duty::decide_entry(&store, &staff, entry.id, true, None).await.unwrap();
    }
    let before = store.statements_run();
    let entries = duty::archive_entries(&store.db, congress_id, 2026, None).await.unwrap();
    // One statement per source (deputies' reports are the ninth, selections the tenth; suggestions take
    // two, led and co-signed), whatever the number of deputies.
    assert!(store.statements_run() - before <= 11, "{} statements", store.statements_run() - before);
    let zhang_id = zhang.deputy_id.unwrap_or_default();
    assert_eq!(entries.get(&zhang_id).map(Vec::len), Some(2), "only 2026");

    let all = duty::ledgers(&store.db, congress_id, 2026).await.unwrap();
    let mine = all.iter().find(|l| l.deputy_id == zhang_id).expect("no ledger");
    assert_eq!(mine.ledger.total, 4, "2 points each under the default rules");
    assert_eq!(mine.congress_rank, 1);
    assert!(
        all.iter().filter(|l| l.deputy_id != zhang_id).all(|l| l.congress_rank == 2 && l.ledger.total == 0)
    );
    let before = store.statements_run();
    let totals = duty::ledger_totals(&store.db, congress_id, 2026).await.unwrap();
    // The rules, the deputies, the five tallied sources per stretch of the rules (one here) and the few.
    assert!(store.statements_run() - before <= 16, "{} statements", store.statements_run() - before);
    assert_eq!(totals.iter().find(|t| t.deputy_id == zhang_id).map(|t| t.total), Some(4));
    let one = duty::ledger(&store.db, zhang_id, 2026).await.unwrap();
    assert_eq!(one.map(|l| l.ledger.total), Some(4));
    assert!(duty::ledger(&store.db, Uuid::now_v7(), 2026).await.unwrap().is_none());
}

async fn every_source_makes_its_entries(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let staff = actor(&store, "13900000002").await;
    let zhang = actor(&store, "13900000003").await;
    let li = actor(&store, "13900000004").await;
    let congress_id = staff.congress_id.unwrap_or_default();
    let (zhang_id, li_id) = (zhang.deputy_id.unwrap_or_default(), li.deputy_id.unwrap_or_default());
    let now = Utc::now();
    let hours = |h: i64| now - chrono::Duration::hours(h);

    // A suggestion 张明 led and submitted, with three ratings: only the official, fully satisfied one counts.
    let text = DraftText::parse("关于公交站台遮雨棚的建议", "建议增设遮雨棚。", "交通").unwrap();
    let s = suggestions::create(&store, &zhang, Sitting::Session { number: 1 }, text, None).await.unwrap();
    let submit = Command::Submit;
    suggestions::act(&store, &zhang, s.id, submit, None, &SuggestionPolicy::default()).await.unwrap();
    let ratings = [
        (Satisfaction::Satisfied, Satisfaction::Satisfied, true),
        (Satisfaction::Satisfied, Satisfaction::Satisfied, false),
        (Satisfaction::Satisfied, Satisfaction::BasicallySatisfied, true),
    ];
    for (seq, (attitude, result, official)) in (100..).zip(ratings) {
        let rating = Rating { deputy_id: zhang_id, attitude, result, comment: None, at: now };
        let event = Event::Rated { unit_id: Uuid::now_v7(), rating, official };
        let row = suggestion_event::ActiveModel {
            id: Set(Uuid::now_v7()),
            suggestion_id: Set(s.id),
            seq: Set(seq),
            kind: Set("RATED".into()),
            actor_account_id: Set(Some(zhang.user_id)),
            actor_role: Set("DEPUTY".into()),
            from_state: Set(Some("ANSWERED".into())),
            to_state: Set("RATED".into()),
            note: Set(None),
            payload: Set(serde_json::to_string(&event).unwrap_or_default()),
            at: Set(now),
        };
        suggestion_event::Entity::insert(row).exec_without_returning(&store.db).await.unwrap();
    }
    // Written by hand, not through the use case: the kept facts are recounted from the timelines.
    suggestions::duty_facts::rebuild_all(&store.db).await.unwrap();

    // Reception days: one served (over), one cancelled, one still to come.
    let station = liaison_station::Entity::find()
        .filter(liaison_station::Column::CongressId.eq(congress_id))
        .one(&store.db)
        .await
        .ok()
        .flatten()
        .expect("no station");
    for (from, to, cancelled) in [(3, 2, false), (5, 4, true), (-2, -3, false)] {
        let id = Uuid::now_v7();
        let row = reception_day::ActiveModel {
            id: Set(id),
            station_id: Set(station.id),
            starts_at: Set(hours(from)),
            ends_at: Set(hours(to)),
            note: Set(None),
            created_by: Set(None),
            cancelled_at: Set(cancelled.then_some(now)),
            created_at: Set(now),
            updated_at: Set(now),
        };
        reception_day::Entity::insert(row).exec_without_returning(&store.db).await.unwrap();
        let on_duty =
            reception_day_deputy::ActiveModel { reception_day_id: Set(id), deputy_id: Set(zhang_id) };
        reception_day_deputy::Entity::insert(on_duty).exec_without_returning(&store.db).await.unwrap();
    }

    // Opinions addressed to 张明: one closed, one still open.
    for (n, closed) in [(1, true), (2, false)] {
        let row = opinion::ActiveModel {
            id: Set(Uuid::now_v7()),
            tracking_code: Set(format!("TEST-{n}-{}", Uuid::now_v7().simple())),
            congress_id: Set(congress_id),
            station_id: Set(None),
            deputy_id: Set(Some(zhang_id)),
            source: Set("QR_CODE".into()),
            category: Set("TRANSPORT".into()),
            state: Set(if closed { "CLOSED" } else { "ACCEPTED" }.into()),
            version: Set(1),
            submitter_account_id: Set(None),
            responsible_account_id: Set(None),
            forwarded_unit_id: Set(None),
            suggestion_id: Set(None),
            unit_replied: Set(false),
            satisfaction: Set(None),
            waiting_on: Set(None),
            waiting_since: Set(None),
            contact_phone_sealed: Set(None),
            contact_phone_masked: Set(None),
            contact_phone_digest: Set(None),
            snapshot: Set("{}".into()),
            created_at: Set(hours(30)),
            feedback_at: Set(None),
            closed_at: Set(closed.then_some(hours(1))),
            updated_at: Set(now),
            accepted_at: Set(Some(hours(29))),
            contact_erased_at: Set(None),
            latitude: Set(None),
            longitude: Set(None),
            division_code: Set(None),
        };
        opinion::Entity::insert(row).exec_without_returning(&store.db).await.unwrap();
    }

    // An inspection that is over: 张明 never checked in (absent), 李华 had leave (excused).
    let activity_id = Uuid::now_v7();
    let row = activity::ActiveModel {
        id: Set(activity_id),
        congress_id: Set(congress_id),
        kind: Set("INSPECTION".into()),
        title: Set("城市交通视察".into()),
        place: Set("市交通运输局".into()),
        starts_at: Set(hours(6)),
        ends_at: Set(hours(5)),
        organiser_account_id: Set(staff.user_id),
        deputy_group_id: Set(None),
        participation: Set("ASSIGNED".into()),
        capacity: Set(None),
        check_in_secret: Set("secret".into()),
        created_at: Set(hours(30)),
        updated_at: Set(hours(30)),
        version: Set(1),
        professional_group_id: Set(None),
    };
    activity::Entity::insert(row).exec_without_returning(&store.db).await.unwrap();
    for (deputy_id, leave) in [(zhang_id, None), (li_id, Some("APPROVED"))] {
        let p = activity_participant::ActiveModel {
            activity_id: Set(activity_id),
            deputy_id: Set(deputy_id),
            joined: Set("ASSIGNED".into()),
            checked_in_at: Set(None),
            checked_in_by: Set(None),
            leave_status: Set(leave.map(str::to_owned)),
            leave_reason: Set(leave.map(|_| "出差".to_owned())),
            leave_requested_at: Set(leave.map(|_| hours(20))),
            leave_decided_at: Set(leave.map(|_| hours(19))),
            leave_decided_by: Set(leave.map(|_| staff.user_id)),
            rating_token: Set(None),
            created_at: Set(hours(30)),
        };
        activity_participant::Entity::insert(p).exec_without_returning(&store.db).await.unwrap();
    }

    let year = chrono::Datelike::year(&cst_date(now));
    let kinds = |entries: &[edaibiao_domain::duty::points::PointEntry]| {
        let mut kinds: Vec<EntryKind> = entries.iter().map(|e| e.kind).collect();
        kinds.sort();
        kinds
    };
    let all = duty::archive_entries(&store.db, congress_id, year, None).await.unwrap();
    let expected = vec![
        EntryKind::SuggestionLed,
        EntryKind::SuggestionRatedSatisfied,
        EntryKind::ActivityAbsentUnexcused,
        EntryKind::OpinionClosed,
        EntryKind::ReceptionServed,
    ];
    assert_eq!(kinds(all.get(&zhang_id).map(Vec::as_slice).unwrap_or_default()), expected);
    assert!(!all.contains_key(&li_id), "an excused absence counts nothing");
    let one = duty::archive_entries(&store.db, congress_id, year, Some(zhang_id)).await.unwrap();
    assert_eq!(
        kinds(one.get(&zhang_id).map(Vec::as_slice).unwrap_or_default()),
        expected,
        "one deputy, same entries"
    );

    // The archive shows the excused absence too, to those who may read it.
    let archive = duty::duty_archive(&store.db, &staff, li_id, year).await.unwrap();
    let missed: Vec<_> =
        archive.items.iter().filter(|i| i.section == duty::Section::ActivitiesMissed).collect();
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].kind, None);
    assert_eq!(missed[0].source, duty::Source::Activity(activity_id));
    let refused = duty::duty_archive(&store.db, &li, zhang_id, year).await;
    assert!(matches!(refused, Err(Error::Domain(DomainError::Forbidden(_)))));

    // The deputy table's totals, tallied in the database by stretches of the rule table, are the full
    // ledgers' totals and ranks: under the default rules, and after versions taking effect today split
    // the year in two.
    let totals_match = || async {
        let tallied = duty::ledger_totals(&store.db, congress_id, year).await.unwrap();
        let full = duty::ledgers(&store.db, congress_id, year).await.unwrap();
        let tallied: Vec<_> =
            tallied.iter().map(|t| (t.deputy_id, t.total, t.congress_rank, t.group_rank)).collect();
        let full: Vec<_> =
            full.iter().map(|l| (l.deputy_id, l.ledger.total, l.congress_rank, l.group_rank)).collect();
        assert_eq!(tallied, full);
        full.iter().find(|t| t.0 == zhang_id).map(|t| t.1)
    };
    let before = totals_match().await;
    let (today, tomorrow) = (cst_date(now), cst_date(now + chrono::Duration::days(1)));
    for (kind, points, cap, from) in [
        (EntryKind::SuggestionLed, 97, None, today),
        (EntryKind::OpinionClosed, 5, Some(3), today),
        (EntryKind::ReceptionServed, -2, Some(1), today),
        // A third stretch, still empty: nothing may be counted twice.
        (EntryKind::SuggestionLed, 1, None, tomorrow),
    ] {
        let input = duty::PointRuleInput { congress_id, kind, points, yearly_cap: cap, effective_from: from };
        duty::set_point_rule(&store, &staff, input).await.unwrap();
    }
    let after = totals_match().await;
    assert_ne!(before, after, "the suggestion submitted today scores under the new version");
}

#[tokio::test]
async fn sources_on_sqlite() {
    every_source_makes_its_entries(false).await;
}

#[tokio::test]
async fn sources_on_postgres() {
    every_source_makes_its_entries(true).await;
}

#[tokio::test]
async fn quota_reminders_on_sqlite() {
    quota_reminders_go_out_once_per_period(false).await;
}

#[tokio::test]
async fn quota_reminders_on_postgres() {
    quota_reminders_go_out_once_per_period(true).await;
}

#[tokio::test]
async fn ledgers_on_sqlite() {
    a_congress_is_scored_in_a_fixed_number_of_queries(false).await;
}

#[tokio::test]
async fn ledgers_on_postgres() {
    a_congress_is_scored_in_a_fixed_number_of_queries(true).await;
}
