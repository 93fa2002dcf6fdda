//! Mobile push against a real database and a fake push gateway started by each test: the right phones get
//! each notification, a failing gateway is retried with backoff until it recovers or the bound is reached,
//! preferences mute and batch, and a token belongs to whoever registered it last. Time is driven by
//! passing `now` in, never by sleeping. Runs on SQLite, and on PostgreSQL + Redis when
//! `TEST_DATABASE_URL` and `TEST_REDIS_URL` are set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use chrono::{DateTime, Duration, SubsecRound, Utc};
use edaibiao_domain::account::Phone;
use edaibiao_domain::notification::{Category, DeviceToken, DigestTime, Platform, Preferences, PushRetry};
use edaibiao_domain::time::CHINA_STANDARD_TIME;
use edaibiao_infra::Store;
use edaibiao_infra::entity::{account, notification, notification_preference};
use edaibiao_infra::notifications::{self, Message};
use edaibiao_infra::push::{self, Gateway, Stats, devices, digest, preferences};
use fake::{FakeGateway, Reply};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

/// A tiny HTTP/1.1 server standing in for the push gateway: records every body it receives and answers
/// as scripted (then with a fixed status once the script is used up).
mod fake {
    use serde_json::Value;
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex, MutexGuard};
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    /// One scripted answer.
    #[derive(Debug, Clone, Copy)]
    pub enum Reply {
        Status(u16),
        /// Answers 200, but only after this long.
        Slow(Duration),
    }

    struct State {
        script: VecDeque<Reply>,
        then: u16,
        received: Vec<Value>,
    }

    #[derive(Clone)]
    pub struct FakeGateway {
        pub url: String,
        state: Arc<Mutex<State>>,
    }

    impl FakeGateway {
        /// Answers `script` in order, then `then` to every further request.
        pub async fn start(script: &[Reply], then: u16) -> Self {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let port = listener.local_addr().expect("addr").port();
            let state = Arc::new(Mutex::new(State {
                script: script.iter().copied().collect(),
                then,
                received: Vec::new(),
            }));
            let shared = state.clone();
            tokio::spawn(async move {
                while let Ok((socket, _)) = listener.accept().await {
                    tokio::spawn(answer(socket, shared.clone()));
                }
            });
            Self { url: format!("http://127.0.0.1:{port}/push"), state }
        }

        fn state(&self) -> MutexGuard<'_, State> {
            self.state.lock().unwrap_or_else(|e| e.into_inner())
        }

        /// Every body received so far, in order.
        pub fn received(&self) -> Vec<Value> {
            self.state().received.clone()
        }
    }

    fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
        state.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn answer(mut socket: TcpStream, state: Arc<Mutex<State>>) {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        let (head_end, length) = loop {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                break (end + 4, length);
            }
        };
        while buf.len() < head_end + length {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = serde_json::from_slice(&buf[head_end..head_end + length]).unwrap_or(Value::Null);
        let reply = {
            let mut state = lock(&state);
            state.received.push(body);
            let then = state.then;
            state.script.pop_front().unwrap_or(Reply::Status(then))
        };
        let status = match reply {
            Reply::Status(status) => status,
            Reply::Slow(delay) => {
                tokio::time::sleep(delay).await;
                200
            }
        };
        let text = if status < 300 { "{}" } else { "{\"error\":\"scripted\"}" };
        let response = format!(
            "HTTP/1.1 {status} Scripted\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{text}",
            text.len()
        );
        let _ = socket.write_all(response.as_bytes()).await;
        let _ = socket.shutdown().await;
    }
}

mod common;
use common::store;

async fn account_id(store: &Store, phone: &str) -> Uuid {
    let phone = Phone::parse(phone).unwrap();
    let found =
        account::Entity::find().filter(account::Column::Phone.eq(phone.as_str())).one(&store.db).await;
    found.ok().flatten().unwrap_or_else(|| panic!("no account {}", phone.as_str())).id
}

const DEPUTY: &str = "13900000003";
const DEPUTY2: &str = "13900000004";

fn token(raw: &str) -> DeviceToken {
    DeviceToken::parse(raw).unwrap()
}

async fn register(store: &Store, account: Uuid, platform: Platform, raw: &str) {
    devices::register(store, account, platform, &token(raw), Utc::now()).await.expect("register");
}

/// Writes one notification of `kind` for `account` the way the lifecycle does; returns its id.
async fn notify(store: &Store, account: Uuid, kind: &str, title: &str) -> Uuid {
    let message = Message {
        kind,
        title,
        body: Some("第1次会议第0001号「关于夜间公交的建议」".to_owned()),
        subject_kind: "Suggestion",
        subject_id: Some(Uuid::now_v7()),
    };
    notifications::write(&store.db, &[account], &message, None).await.expect("write");
    let rows = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account))
        .filter(notification::Column::Kind.eq(kind))
        .all(&store.db)
        .await
        .unwrap();
    rows.iter().map(|n| n.id).max().expect("no notification written")
}

async fn row(store: &Store, id: Uuid) -> notification::Model {
    let found = notification::Entity::find_by_id(id).one(&store.db).await;
    found.ok().flatten().unwrap_or_else(|| panic!("no notification {id}"))
}

async fn dispatch(store: &Store, gateway: &Gateway, now: DateTime<Utc>) -> Stats {
    push::dispatch_due(store, gateway, &PushRetry::default(), now).await.expect("dispatch")
}

fn gateway(fake: &FakeGateway) -> Gateway {
    Gateway::new(&fake.url, std::time::Duration::from_secs(5))
}

fn tokens(body: &Value) -> Vec<String> {
    let mut tokens: Vec<String> = body["devices"]
        .as_array()
        .map(|d| d.iter().filter_map(|d| d["token"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    tokens.sort();
    tokens
}

/// A minute from now, to microseconds (PostgreSQL keeps no more).
fn at_least_a_minute_later() -> DateTime<Utc> {
    (Utc::now() + Duration::minutes(1)).trunc_subsecs(6)
}

/// Defines the test on SQLite and on PostgreSQL + Redis.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(store) = super::store(false).await {
                    super::$name(store).await;
                }
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(store) = super::store(true).await {
                    super::$name(store).await;
                }
            })*
        }
    };
}

on_both!(
    a_notification_reaches_the_persons_phones_and_no_one_elses,
    a_failing_gateway_is_retried_with_backoff_until_it_recovers,
    the_dispatcher_gives_up_after_the_bound_and_records_why,
    a_client_error_is_final,
    a_slow_or_absent_gateway_is_retried,
    muted_categories_and_people_without_phones_are_skipped,
    old_notifications_expire_instead_of_buzzing,
    the_digest_collects_and_goes_out_once_at_the_digest_time,
    turning_the_digest_off_sends_what_waits,
    a_reregistered_token_moves_to_its_new_owner,
    two_dispatchers_send_each_push_once,
    preferences_default_and_round_trip,
);

async fn a_notification_reaches_the_persons_phones_and_no_one_elses(store: Store) {
    let fake = FakeGateway::start(&[], 200).await;
    let (zhang, li) = (account_id(&store, DEPUTY).await, account_id(&store, DEPUTY2).await);
    register(&store, zhang, Platform::Ios, "zhang-iphone").await;
    register(&store, zhang, Platform::Harmony, "zhang-mate").await;
    register(&store, li, Platform::Android, "li-phone").await;
    let id = notify(&store, zhang, "ASSIGNED", "建议已交办").await;

    let stats = dispatch(&store, &gateway(&fake), at_least_a_minute_later()).await;
    assert_eq!(stats, Stats { sent: 1, ..Stats::default() });
    let received = fake.received();
    assert_eq!(received.len(), 1);
    let body = &received[0];
    assert_eq!(body["notificationId"], id.to_string());
    assert_eq!(body["accountId"], zhang.to_string());
    assert_eq!(tokens(body), ["zhang-iphone", "zhang-mate"]);
    let platforms: Vec<&str> =
        body["devices"].as_array().into_iter().flatten().filter_map(|d| d["platform"].as_str()).collect();
    assert!(platforms.contains(&"IOS") && platforms.contains(&"HARMONY"), "{body}");
    assert_eq!(body["title"], "建议已交办");
    assert_eq!(body["kind"], "ASSIGNED");
    assert_eq!(body["category"], "PROGRESS");
    assert_eq!(body["subjectKind"], "Suggestion");
    assert!(body["subjectId"].is_string());
    assert_eq!(body["badge"], 1);
    assert!(body.get("digestOf").is_none());

    let sent = row(&store, id).await;
    assert_eq!((sent.push_state.as_str(), sent.push_attempts, sent.push_error), ("SENT", 1, None));
    // Sent once: the next run has nothing to do.
    assert_eq!(dispatch(&store, &gateway(&fake), at_least_a_minute_later()).await, Stats::default());
    assert_eq!(fake.received().len(), 1);
}

async fn a_failing_gateway_is_retried_with_backoff_until_it_recovers(store: Store) {
    let fake = FakeGateway::start(&[Reply::Status(500), Reply::Status(429)], 200).await;
    let gw = gateway(&fake);
    let zhang = account_id(&store, DEPUTY).await;
    register(&store, zhang, Platform::Android, "zhang-phone").await;
    let id = notify(&store, zhang, "ANSWERED", "建议已答复").await;

    let t0 = at_least_a_minute_later();
    assert_eq!(dispatch(&store, &gw, t0).await, Stats { retried: 1, ..Stats::default() });
    let first = row(&store, id).await;
    assert_eq!((first.push_state.as_str(), first.push_attempts), ("PENDING", 1));
    assert_eq!(first.push_next_at, Some(t0 + Duration::seconds(2)));
    assert!(first.push_error.as_deref().is_some_and(|e| e.contains("HTTP 500")), "{:?}", first.push_error);

    // Not before the backoff has passed.
    assert_eq!(dispatch(&store, &gw, t0 + Duration::seconds(1)).await, Stats::default());
    let t1 = t0 + Duration::seconds(2);
    assert_eq!(dispatch(&store, &gw, t1).await, Stats { retried: 1, ..Stats::default() });
    let second = row(&store, id).await;
    assert_eq!(second.push_attempts, 2);
    assert_eq!(second.push_next_at, Some(t1 + Duration::seconds(4)), "the backoff doubles");
    assert!(second.push_error.as_deref().is_some_and(|e| e.contains("HTTP 429")));

    let t2 = t1 + Duration::seconds(4);
    assert_eq!(dispatch(&store, &gw, t2).await, Stats { sent: 1, ..Stats::default() });
    let sent = row(&store, id).await;
    assert_eq!((sent.push_state.as_str(), sent.push_attempts, sent.push_error), ("SENT", 3, None));
    let received = fake.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|b| b["notificationId"] == id.to_string()));
}

async fn the_dispatcher_gives_up_after_the_bound_and_records_why(store: Store) {
    let fake = FakeGateway::start(&[], 503).await;
    let gw = gateway(&fake);
    let retry = PushRetry::default();
    let zhang = account_id(&store, DEPUTY).await;
    register(&store, zhang, Platform::Ios, "zhang-iphone").await;
    let id = notify(&store, zhang, "RATED", "代表已评价答复").await;

    let mut now = at_least_a_minute_later();
    for attempt in 1..retry.max_attempts {
        assert_eq!(dispatch(&store, &gw, now).await, Stats { retried: 1, ..Stats::default() });
        let pending = row(&store, id).await;
        assert_eq!(pending.push_attempts, i32::try_from(attempt).unwrap_or_default());
        now = pending.push_next_at.expect("a retry time");
    }
    assert_eq!(dispatch(&store, &gw, now).await, Stats { failed: 1, ..Stats::default() });
    let failed = row(&store, id).await;
    assert_eq!(failed.push_state, "FAILED");
    assert_eq!(failed.push_attempts, 6);
    assert_eq!(failed.push_next_at, None);
    let error = failed.push_error.unwrap_or_default();
    assert!(error.contains("gave up after 6 attempts") && error.contains("HTTP 503"), "{error}");
    assert_eq!(fake.received().len(), 6);
    // Nothing more is tried, however late.
    assert_eq!(dispatch(&store, &gw, now + Duration::hours(1)).await, Stats::default());
    assert_eq!(fake.received().len(), 6);
}

async fn a_client_error_is_final(store: Store) {
    let fake = FakeGateway::start(&[], 400).await;
    let gw = gateway(&fake);
    let zhang = account_id(&store, DEPUTY).await;
    register(&store, zhang, Platform::Ios, "zhang-iphone").await;
    let id = notify(&store, zhang, "ANSWERED", "建议已答复").await;

    let now = at_least_a_minute_later();
    assert_eq!(dispatch(&store, &gw, now).await, Stats { failed: 1, ..Stats::default() });
    let failed = row(&store, id).await;
    assert_eq!((failed.push_state.as_str(), failed.push_attempts), ("FAILED", 1));
    assert!(
        failed.push_error.as_deref().is_some_and(|e| e.starts_with("HTTP 400")),
        "{:?}",
        failed.push_error
    );
    assert_eq!(dispatch(&store, &gw, now + Duration::hours(1)).await, Stats::default());
    assert_eq!(fake.received().len(), 1);
}

async fn a_slow_or_absent_gateway_is_retried(store: Store) {
    let fake = FakeGateway::start(&[Reply::Slow(std::time::Duration::from_secs(3))], 200).await;
    let impatient = Gateway::new(&fake.url, std::time::Duration::from_millis(300));
    let zhang = account_id(&store, DEPUTY).await;
    register(&store, zhang, Platform::Ios, "zhang-iphone").await;
    let id = notify(&store, zhang, "ANSWERED", "建议已答复").await;

    let now = at_least_a_minute_later();
    assert_eq!(dispatch(&store, &impatient, now).await, Stats { retried: 1, ..Stats::default() });
    let slow = row(&store, id).await;
    assert!(slow.push_error.as_deref().is_some_and(|e| e.contains("imeout")), "{:?}", slow.push_error);

    // Nobody listens on a closed port.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let absent = Gateway::new(format!("http://127.0.0.1:{closed}/push"), std::time::Duration::from_secs(2));
    let later = now + Duration::seconds(2);
    assert_eq!(dispatch(&store, &absent, later).await, Stats { retried: 1, ..Stats::default() });
    let unreachable = row(&store, id).await;
    assert_eq!(unreachable.push_attempts, 2);
    assert!(unreachable.push_error.as_deref().is_some_and(|e| e.contains("unreachable")));

    // Back, and answering in time.
    let recovered = now + Duration::seconds(6);
    assert_eq!(dispatch(&store, &gateway(&fake), recovered).await, Stats { sent: 1, ..Stats::default() });
    assert_eq!(row(&store, id).await.push_state, "SENT");
}

async fn muted_categories_and_people_without_phones_are_skipped(store: Store) {
    let fake = FakeGateway::start(&[], 200).await;
    let (zhang, li) = (account_id(&store, DEPUTY).await, account_id(&store, DEPUTY2).await);
    register(&store, zhang, Platform::Ios, "zhang-iphone").await;
    let prefs = Preferences { push_muted: [Category::Progress].into(), ..Preferences::default() };
    preferences::set(&store, zhang, &prefs, Utc::now()).await.unwrap();
    let muted = notify(&store, zhang, "ANSWERED", "建议已答复").await;
    let reminder = notify(&store, zhang, "OVERDUE", "建议办理已超期").await;
    // 李华 has no phone: nothing of hers goes anywhere.
    let phoneless = notify(&store, li, "ANSWERED", "建议已答复").await;

    let stats = dispatch(&store, &gateway(&fake), at_least_a_minute_later()).await;
    assert_eq!(stats, Stats { sent: 1, skipped: 2, ..Stats::default() });
    let skipped = row(&store, muted).await;
    assert_eq!((skipped.push_state.as_str(), skipped.push_error.as_deref()), ("SKIPPED", Some("muted")));
    let nobody = row(&store, phoneless).await;
    assert_eq!((nobody.push_state.as_str(), nobody.push_error.as_deref()), ("SKIPPED", Some("no device")));
    assert_eq!(row(&store, reminder).await.push_state, "SENT");
    let received = fake.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["notificationId"], reminder.to_string());
    assert_eq!(received[0]["category"], "REMINDER");
    // The inbox still has all of them.
    let inbox = notifications::unread_count(&store, zhang).await.unwrap_or_default();
    assert_eq!(inbox, 2);
}

async fn old_notifications_expire_instead_of_buzzing(store: Store) {
    let fake = FakeGateway::start(&[], 200).await;
    let zhang = account_id(&store, DEPUTY).await;
    register(&store, zhang, Platform::Ios, "zhang-iphone").await;
    let id = notify(&store, zhang, "ANSWERED", "建议已答复").await;
    let stats = dispatch(&store, &gateway(&fake), Utc::now() + Duration::hours(25)).await;
    assert_eq!(stats, Stats { expired: 1, ..Stats::default() });
    assert_eq!(row(&store, id).await.push_state, "EXPIRED");
    assert!(fake.received().is_empty());
}

fn digest_at(time: &str) -> Preferences {
    let digest_time = DigestTime::parse(time).unwrap();
    Preferences { daily_digest: true, digest_time, ..Preferences::default() }
}

async fn the_digest_collects_and_goes_out_once_at_the_digest_time(store: Store) {
    let fake = FakeGateway::start(&[Reply::Status(200), Reply::Status(502)], 200).await;
    let gw = gateway(&fake);
    let retry = PushRetry::default();
    let (zhang, li) = (account_id(&store, DEPUTY).await, account_id(&store, DEPUTY2).await);
    register(&store, zhang, Platform::Ios, "zhang-iphone").await;
    register(&store, li, Platform::Android, "li-phone").await;
    preferences::set(&store, zhang, &digest_at("20:00"), Utc::now()).await.unwrap();
    let assigned = notify(&store, zhang, "ASSIGNED", "建议已交办").await;
    let answered = notify(&store, zhang, "ANSWERED", "建议已答复").await;
    // Someone without a digest is pushed at once as usual.
    let li_answered = notify(&store, li, "ANSWERED", "建议已答复").await;

    let now = at_least_a_minute_later();
    assert_eq!(dispatch(&store, &gw, now).await, Stats { sent: 1, digest: 2, ..Stats::default() });
    assert_eq!(fake.received().len(), 1);
    assert_eq!(fake.received()[0]["notificationId"], li_answered.to_string());
    let waiting = row(&store, assigned).await;
    assert_eq!(waiting.push_state, "DIGEST");
    let due = waiting.push_next_at.expect("a digest time");
    let local = due.with_timezone(&CHINA_STANDARD_TIME);
    assert_eq!(local.format("%H:%M").to_string(), "20:00", "the digest time is in Beijing time");
    assert!(due > waiting.created_at && due <= waiting.created_at + Duration::days(1));

    // Not before the digest time.
    let send = |at: DateTime<Utc>| {
        let (store, gw) = (store.clone(), gw.clone());
        async move { digest::send_digests(&store, &gw, &retry, at).await.expect("digest") }
    };
    assert_eq!(send(due - Duration::minutes(1)).await, 0);
    assert_eq!(fake.received().len(), 1);

    // At it the gateway fails once; the digest is retried after the backoff.
    assert_eq!(send(due).await, 0);
    assert_eq!(fake.received().len(), 2);
    let retrying = row(&store, answered).await;
    assert_eq!((retrying.push_state.as_str(), retrying.push_attempts), ("DIGEST", 1));
    assert_eq!(send(due + Duration::seconds(1)).await, 0, "backing off");
    assert_eq!(send(due + Duration::seconds(2)).await, 1);
    let received = fake.received();
    assert_eq!(received.len(), 3);
    let digest = &received[2];
    assert_eq!(digest["kind"], "DIGEST");
    assert_eq!(digest["title"], "您有 2 条新通知");
    assert_eq!(digest["body"], "建议已答复；建议已交办");
    assert_eq!(tokens(digest), ["zhang-iphone"]);
    let mut ids: Vec<String> = digest["digestOf"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    ids.sort();
    let mut expected = vec![assigned.to_string(), answered.to_string()];
    expected.sort();
    assert_eq!(ids, expected);
    assert_eq!(digest["notificationId"], answered.to_string(), "the newest");
    for id in [assigned, answered] {
        assert_eq!(row(&store, id).await.push_state, "DIGESTED");
    }
    let stored = notification_preference::Entity::find_by_id(zhang).one(&store.db).await.ok().flatten();
    assert_eq!(stored.and_then(|p| p.last_digest_at), Some(due + Duration::seconds(2)));

    // Once: nothing more that day, and the next notification waits for the next day's digest.
    assert_eq!(send(due + Duration::hours(1)).await, 0);
    assert_eq!(fake.received().len(), 3);
    let next = notify(&store, zhang, "RATED", "代表已评价答复").await;
    assert_eq!(dispatch(&store, &gw, Utc::now() + Duration::seconds(1)).await.digest, 1);
    let tomorrow = row(&store, next).await.push_next_at.expect("a digest time");
    assert!(tomorrow > due, "{tomorrow} after {due}");
}

async fn turning_the_digest_off_sends_what_waits(store: Store) {
    let fake = FakeGateway::start(&[], 200).await;
    let zhang = account_id(&store, DEPUTY).await;
    register(&store, zhang, Platform::Ios, "zhang-iphone").await;
    preferences::set(&store, zhang, &digest_at("08:00"), Utc::now()).await.unwrap();
    let id = notify(&store, zhang, "ANSWERED", "建议已答复").await;
    let now = at_least_a_minute_later();
    assert_eq!(dispatch(&store, &gateway(&fake), now).await.digest, 1);

    preferences::set(&store, zhang, &Preferences::default(), now).await.unwrap();
    let sent =
        digest::send_digests(&store, &gateway(&fake), &PushRetry::default(), now + Duration::seconds(1))
            .await
            .unwrap();
    assert_eq!(sent, 1);
    assert_eq!(row(&store, id).await.push_state, "DIGESTED");
    assert_eq!(fake.received().len(), 1);
}

async fn a_reregistered_token_moves_to_its_new_owner(store: Store) {
    let fake = FakeGateway::start(&[], 200).await;
    let (zhang, li) = (account_id(&store, DEPUTY).await, account_id(&store, DEPUTY2).await);
    register(&store, zhang, Platform::Android, "shared-phone").await;
    // The phone changes hands: 李华 logs in on it and registers the same token.
    register(&store, li, Platform::Android, "shared-phone").await;
    let listed = |account| {
        let store = store.clone();
        async move {
            let list = devices::list(&store, account).await.unwrap();
            list.into_iter().map(|d| d.token).collect::<Vec<_>>()
        }
    };
    assert!(listed(zhang).await.is_empty());
    assert_eq!(listed(li).await, ["shared-phone"]);
    // 张明 cannot remove it any more; 李华 can.
    assert!(!devices::unregister(&store, zhang, "shared-phone").await.unwrap_or(true));
    assert_eq!(listed(li).await, ["shared-phone"]);

    let for_zhang = notify(&store, zhang, "ANSWERED", "建议已答复").await;
    let for_li = notify(&store, li, "ANSWERED", "建议已答复").await;
    let stats = dispatch(&store, &gateway(&fake), at_least_a_minute_later()).await;
    assert_eq!(stats, Stats { sent: 1, skipped: 1, ..Stats::default() });
    assert_eq!(row(&store, for_zhang).await.push_error.as_deref(), Some("no device"));
    let received = fake.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["notificationId"], for_li.to_string());
    assert_eq!(tokens(&received[0]), ["shared-phone"]);

    assert!(devices::unregister(&store, li, "shared-phone").await.unwrap_or(false));
    assert!(listed(li).await.is_empty());

    // Old phones make way for new ones.
    for i in 0..12 {
        register(&store, zhang, Platform::Ios, &format!("phone-{i:02}")).await;
    }
    let kept = listed(zhang).await;
    assert_eq!(kept.len(), 10);
    assert!(!kept.contains(&"phone-00".to_owned()) && kept.contains(&"phone-11".to_owned()));
}

async fn two_dispatchers_send_each_push_once(store: Store) {
    let fake = FakeGateway::start(&[], 200).await;
    let zhang = account_id(&store, DEPUTY).await;
    register(&store, zhang, Platform::Ios, "zhang-iphone").await;
    for i in 0..5 {
        notify(&store, zhang, &format!("KIND_{i}"), "通知").await;
    }
    let (a, b) = (gateway(&fake), gateway(&fake));
    let now = at_least_a_minute_later();
    let (x, y) = tokio::join!(dispatch(&store, &a, now), dispatch(&store, &b, now));
    assert_eq!(x.sent + y.sent, 5);
    let mut ids: Vec<String> =
        fake.received().iter().filter_map(|b| b["notificationId"].as_str().map(str::to_owned)).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((ids.len(), fake.received().len()), (5, 5));
}

async fn preferences_default_and_round_trip(store: Store) {
    let zhang = account_id(&store, DEPUTY).await;
    let defaults = preferences::get(&store, zhang).await.unwrap();
    assert_eq!(defaults, Preferences::default());
    let mut prefs = digest_at("07:45");
    prefs.push_muted = [Category::Work, Category::Other].into();
    preferences::set(&store, zhang, &prefs, Utc::now()).await.unwrap();
    assert_eq!(preferences::get(&store, zhang).await.ok(), Some(prefs.clone()));
    prefs.push_muted.clear();
    prefs.daily_digest = false;
    preferences::set(&store, zhang, &prefs, Utc::now()).await.unwrap();
    assert_eq!(preferences::get(&store, zhang).await.ok(), Some(prefs));
    let li = account_id(&store, DEPUTY2).await;
    assert_eq!(preferences::get(&store, li).await.ok(), Some(Preferences::default()));
}
