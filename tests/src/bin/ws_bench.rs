//! Load generator for live updates, in Rust: N WebSocket subscribers (graphql-transport-ws) of one inbox,
//! and the latency from a committed action to delivery at every one of them. The same measurement, the
//! same command line and the same one-line JSON result as `bench/ws_subscribers.mjs`, at a fraction of its
//! CPU per delivery: on a two-core machine the load generator shares the CPU with the server, so a
//! cheaper client leaves the fan-out itself to be measured (see `bench/ws.sh`).
//!
//! Each connection is a task on a two-thread runtime speaking WebSocket over a plain TCP stream with
//! actix-http's frame codec (client mode); delivery time is taken when a frame is decoded, before its JSON
//! is parsed. The few GraphQL requests over HTTP (log in, create and submit a suggestion) use a minimal
//! HTTP/1.1 client on their own connections.
//!
//! Usage: ws_bench --url http://127.0.0.1:8080 --n 1000 [--rounds 30] [--gap-ms 300] [--batch 200]
//!        [--settle-s 5] [--server-pid PID] [--round-timeout-s 15] [--recipients K]

use actix_codec::{Decoder, Encoder};
use actix_http::ws::{Codec, Frame, Message};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Notify;

type Failure = Box<dyn std::error::Error + Send + Sync>;

struct Options {
    host: String,
    n: usize,
    rounds: usize,
    gap_ms: u64,
    batch: usize,
    settle_s: u64,
    server_pid: Option<u32>,
    round_timeout_s: u64,
    recipients: Option<usize>,
    staff: String,
    idle: String,
    deputy: String,
    password: String,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str| {
        args.iter().position(|a| a == &format!("--{name}")).and_then(|i| args.get(i + 1)).cloned()
    };
    let num = |name: &str, default: u64| get(name).and_then(|v| v.parse().ok()).unwrap_or(default);
    let url = get("url").unwrap_or_else(|| "http://127.0.0.1:8080".into());
    Options {
        host: url.trim_start_matches("http://").trim_end_matches('/').to_owned(),
        n: num("n", 1000) as usize,
        rounds: num("rounds", 30) as usize,
        gap_ms: num("gap-ms", 300),
        batch: num("batch", 200) as usize,
        settle_s: num("settle-s", 5),
        server_pid: get("server-pid").and_then(|v| v.parse().ok()),
        round_timeout_s: num("round-timeout-s", 15),
        recipients: get("recipients").and_then(|v| v.parse().ok()),
        staff: get("staff").unwrap_or_else(|| "13900000002".into()),
        idle: get("idle").unwrap_or_else(|| "13900000004".into()),
        deputy: get("deputy").unwrap_or_else(|| "13900000003".into()),
        password: get("password").unwrap_or_else(|| "demo1234".into()),
    }
}

fn log(opt: &Options, message: &str) {
    eprintln!("[ws_bench n={}] {message}", opt.n);
}

// ---- HTTP: one request per connection, `Connection: close`.

async fn graphql(host: &str, query: &str, variables: Value, token: Option<&str>) -> Result<Value, Failure> {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let auth = token.map(|t| format!("authorization: Bearer {t}\r\n")).unwrap_or_default();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\n{auth}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(host).await?;
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no HTTP head")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let mut body = raw[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body).ok_or("bad chunked body")?;
    }
    let value: Value = serde_json::from_slice(&body)?;
    if value.get("errors").is_some() {
        return Err(format!("{}…: {}", &query[..query.len().min(40)], value["errors"]).into());
    }
    Ok(value["data"].clone())
}

fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(std::str::from_utf8(&raw[..line_end]).ok()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(raw.get(line_end + 2..line_end + 2 + size)?);
        raw = raw.get(line_end + 4 + size..)?;
    }
}

async fn login(opt: &Options, phone: &str) -> Result<String, Failure> {
    let q = "mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { accessToken } }";
    let data = graphql(&opt.host, q, json!({ "p": phone, "w": opt.password }), None).await?;
    Ok(data["login"]["accessToken"].as_str().ok_or("no token")?.to_owned())
}

// ---- /proc

fn proc_kb(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with(&format!("{field}:")))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU seconds (user + system) of a process so far.
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
    Some((fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?) / 100.0)
}

/// CPU seconds the whole machine has been busy (all cores).
fn machine_busy_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    [0, 1, 2, 5, 6, 7].iter().filter_map(|&i| ticks.get(i)).sum::<f64>() / 100.0
}

// ---- subscribers

/// What every connection task shares with the rounds.
struct Shared {
    start: Instant,
    n: usize,
    /// Microseconds since `start` (+1, so 0 means "not delivered") of round r's delivery at connection i,
    /// at `r * n + i`.
    delivered_at: Vec<AtomicU64>,
    round_by_subject: RwLock<HashMap<String, usize>>,
    delivered: Vec<AtomicUsize>,
    expected: Vec<AtomicUsize>,
    round_done: Notify,
    duplicates: AtomicUsize,
    unexpected: AtomicUsize,
    protocol_errors: AtomicUsize,
    closed_early: AtomicUsize,
    samples: Mutex<Vec<String>>,
    open: AtomicUsize,
}

impl Shared {
    fn sample(&self, what: String) {
        let mut samples = self.samples.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if samples.len() < 5 {
            samples.push(what);
        }
    }
}

const QUERY: &str = "subscription { notificationAdded { id kind createdAt subjectId } }";

struct Ws {
    stream: TcpStream,
    codec: Codec,
    buf: bytes::BytesMut,
}

impl Ws {
    async fn connect(host: &str) -> Result<Self, Failure> {
        let mut stream = TcpStream::connect(host).await?;
        stream.set_nodelay(true)?;
        let request = format!(
            "GET /graphql HTTP/1.1\r\nhost: {host}\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\nsec-websocket-protocol: graphql-transport-ws\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await?;
        let mut buf = bytes::BytesMut::with_capacity(1024);
        let end = loop {
            if stream.read_buf(&mut buf).await? == 0 {
                return Err("closed during the handshake".into());
            }
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
        };
        if !buf.starts_with(b"HTTP/1.1 101") {
            return Err(format!("handshake refused: {}", String::from_utf8_lossy(&buf[..end])).into());
        }
        let _ = buf.split_to(end + 4);
        Ok(Self { stream, codec: Codec::new().client_mode(), buf })
    }

    async fn send(&mut self, message: Message) -> Result<(), Failure> {
        let mut frame = bytes::BytesMut::new();
        self.codec.encode(message, &mut frame)?;
        self.stream.write_all(&frame).await?;
        Ok(())
    }

    async fn text(&mut self, value: Value) -> Result<(), Failure> {
        self.send(Message::Text(value.to_string().into())).await
    }

    async fn next(&mut self) -> Result<Option<Frame>, Failure> {
        loop {
            if let Some(frame) = self.codec.decode(&mut self.buf)? {
                return Ok(Some(frame));
            }
            if self.stream.read_buf(&mut self.buf).await? == 0 {
                return Ok(None);
            }
        }
    }
}

/// Connection `i`: acknowledged and subscribed (reported through `ready`), then counts deliveries.
async fn subscriber(
    i: usize,
    host: String,
    token: String,
    shared: Arc<Shared>,
    ready: tokio::sync::oneshot::Sender<bool>,
) {
    let mut ready = Some(ready);
    let result: Result<(), Failure> = async {
        let mut ws = Ws::connect(&host).await?;
        ws.text(
            json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } }),
        )
        .await?;
        loop {
            let Some(frame) = ws.next().await? else {
                if ready.is_none() {
                    shared.closed_early.fetch_add(1, Ordering::Relaxed);
                }
                return Err("closed".into());
            };
            let at = shared.start.elapsed().as_micros() as u64 + 1;
            let text = match frame {
                Frame::Text(text) => text,
                Frame::Ping(data) => {
                    ws.send(Message::Pong(data)).await?;
                    continue;
                }
                Frame::Close(reason) => {
                    shared.closed_early.fetch_add(1, Ordering::Relaxed);
                    shared.sample(format!("closed {reason:?}"));
                    return Err("closed".into());
                }
                _ => continue,
            };
            let message: Value = serde_json::from_slice(&text).unwrap_or_default();
            match message["type"].as_str() {
                Some("next") => {
                    let subject = message["payload"]["data"]["notificationAdded"]["subjectId"]
                        .as_str()
                        .unwrap_or_default();
                    let round = shared.round_by_subject.read().ok().and_then(|m| m.get(subject).copied());
                    let Some(round) = round else {
                        shared.unexpected.fetch_add(1, Ordering::Relaxed);
                        continue;
                    };
                    if shared.delivered_at[round * shared.n + i]
                        .compare_exchange(0, at, Ordering::Relaxed, Ordering::Relaxed)
                        .is_err()
                    {
                        shared.duplicates.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    let delivered = shared.delivered[round].fetch_add(1, Ordering::Relaxed) + 1;
                    if delivered >= shared.expected[round].load(Ordering::Relaxed) {
                        shared.round_done.notify_one();
                    }
                }
                Some("connection_ack") => {
                    ws.text(json!({ "id": "1", "type": "subscribe", "payload": { "query": QUERY } })).await?;
                    shared.open.fetch_add(1, Ordering::Relaxed);
                    if let Some(ready) = ready.take() {
                        let _ = ready.send(true);
                    }
                }
                Some("ping") => ws.text(json!({ "type": "pong" })).await?,
                Some("pong") => {}
                _ => {
                    shared.protocol_errors.fetch_add(1, Ordering::Relaxed);
                    shared.sample(message.to_string());
                }
            }
        }
    }
    .await;
    if let Err(e) = result
        && let Some(ready) = ready.take()
    {
        shared.sample(format!("connect: {e}"));
        let _ = ready.send(false);
    }
}

/// Nearest-rank percentiles of milliseconds.
fn summary(mut values: Vec<f64>) -> Value {
    values.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        values
            .get(((q * values.len() as f64).ceil() as usize).max(1) - 1)
            .map(|v| (v * 100.0).round() / 100.0)
    };
    let mean = if values.is_empty() {
        None
    } else {
        Some((values.iter().sum::<f64>() / values.len() as f64 * 100.0).round() / 100.0)
    };
    json!({
        "count": values.len(), "min": values.first(), "p50": pick(0.5), "p90": pick(0.9), "p99": pick(0.99),
        "max": values.last(), "mean": mean,
    })
}

async fn run(opt: Options) -> Result<Value, Failure> {
    log(&opt, "logging in");
    let staff = login(&opt, &opt.staff).await?;
    let deputy = login(&opt, &opt.deputy).await?;
    let k = opt.recipients.unwrap_or(opt.n).min(opt.n);
    let idle = if k < opt.n { Some(login(&opt, &opt.idle).await?) } else { None };
    let (n, rounds) = (opt.n, opt.rounds);
    let shared = Arc::new(Shared {
        start: Instant::now(),
        n,
        delivered_at: (0..n * rounds).map(|_| AtomicU64::new(0)).collect(),
        round_by_subject: RwLock::default(),
        delivered: (0..rounds).map(|_| AtomicUsize::new(0)).collect(),
        expected: (0..rounds).map(|_| AtomicUsize::new(usize::MAX)).collect(),
        round_done: Notify::new(),
        duplicates: AtomicUsize::new(0),
        unexpected: AtomicUsize::new(0),
        protocol_errors: AtomicUsize::new(0),
        closed_early: AtomicUsize::new(0),
        samples: Mutex::default(),
        open: AtomicUsize::new(0),
    });
    let pid = opt.server_pid;
    let before = pid.and_then(|p| proc_kb(p, "VmRSS"));
    log(&opt, &format!("server RSS before: {before:?} kB; opening {n} connections, {} at a time", opt.batch));
    let connect_start = Instant::now();
    let mut connected = 0;
    for start in (0..n).step_by(opt.batch.max(1)) {
        let mut batch = Vec::new();
        for i in start..n.min(start + opt.batch.max(1)) {
            let token = if i < k { staff.clone() } else { idle.clone().unwrap_or_default() };
            let (tx, rx) = tokio::sync::oneshot::channel();
            tokio::spawn(subscriber(i, opt.host.clone(), token, shared.clone(), tx));
            batch.push(rx);
        }
        for rx in batch {
            connected += usize::from(rx.await.unwrap_or(false));
        }
    }
    let connect_seconds = connect_start.elapsed().as_secs_f64();
    log(&opt, &format!("{connected}/{n} subscribed in {connect_seconds:.1} s; idle {} s", opt.settle_s));
    tokio::time::sleep(Duration::from_secs(opt.settle_s)).await;
    let after = pid.and_then(|p| proc_kb(p, "VmRSS"));
    let alive = shared.open.load(Ordering::Relaxed) - shared.closed_early.load(Ordering::Relaxed);

    let pid_text = pid.map(|p| p.to_string()).unwrap_or_default();
    let (server_before, client_before, machine_before) =
        (cpu_seconds(&pid_text), cpu_seconds("self"), machine_busy_seconds());
    let rounds_start = Instant::now();
    let mut submit_ms = Vec::new();
    let mut first_ms = Vec::new();
    let mut t0s = Vec::new();
    for r in 0..rounds {
        let create = "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }";
        let input = json!({ "i": { "title": format!("基准测试建议 {}-{}", std::process::id(), r + 1), "content": "内容", "category": "交通", "sessionNumber": 1 } });
        let created = graphql(&opt.host, create, input, Some(&deputy)).await?;
        let subject = created["createSuggestion"]["id"].as_str().ok_or("no id")?.to_owned();
        let expected = k.min(alive);
        shared.expected[r].store(expected, Ordering::Relaxed);
        if let Ok(mut map) = shared.round_by_subject.write() {
            map.insert(subject.clone(), r);
        }
        let t0 = shared.start.elapsed().as_micros() as u64 + 1;
        t0s.push(t0);
        let submit = "mutation($id: ID!) { submitSuggestion(id: $id) { id } }";
        graphql(&opt.host, submit, json!({ "id": subject }), Some(&deputy)).await?;
        submit_ms.push((shared.start.elapsed().as_micros() as u64 + 1 - t0) as f64 / 1000.0);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(opt.round_timeout_s);
        while shared.delivered[r].load(Ordering::Relaxed) < expected {
            if tokio::time::timeout_at(deadline, shared.round_done.notified()).await.is_err() {
                log(
                    &opt,
                    &format!(
                        "round {}: only {}/{expected} delivered",
                        r + 1,
                        shared.delivered[r].load(Ordering::Relaxed)
                    ),
                );
                break;
            }
        }
        let firsts =
            (0..n).map(|i| shared.delivered_at[r * n + i].load(Ordering::Relaxed)).filter(|&at| at > 0).min();
        if let Some(first) = firsts {
            first_ms.push(first.saturating_sub(t0) as f64 / 1000.0);
        }
        tokio::time::sleep(Duration::from_millis(opt.gap_ms)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rounds_seconds = rounds_start.elapsed().as_secs_f64();
    let server_cpu = cpu_seconds(&pid_text).zip(server_before).map(|(a, b)| a - b);
    let client_cpu = cpu_seconds("self").zip(client_before).map(|(a, b)| a - b).unwrap_or_default();
    let machine = machine_busy_seconds() - machine_before;

    let mut latency = Vec::new();
    let mut missing = 0;
    for (r, t0) in t0s.iter().enumerate() {
        let delivered = shared.delivered[r].load(Ordering::Relaxed);
        missing += shared.expected[r].load(Ordering::Relaxed).saturating_sub(delivered);
        latency.extend(
            (0..n)
                .map(|i| shared.delivered_at[r * n + i].load(Ordering::Relaxed))
                .filter(|&at| at > 0)
                .map(|at| at.saturating_sub(*t0) as f64 / 1000.0),
        );
    }
    let round2 = |x: f64| (x * 100.0).round() / 100.0;
    let per_idle = before.zip(after).map(|(b, a)| round2((a as f64 - b as f64) / alive.max(1) as f64));
    Ok(json!({
        "loadGenerator": "rust",
        "n": n, "recipients": k, "rounds": rounds, "gapMs": opt.gap_ms,
        "connected": connected, "connectFailures": n - connected,
        "connectFailureSamples": [], "connectSeconds": round2(connect_seconds), "openAtRounds": alive,
        "rssBeforeKb": before, "rssAfterKb": after, "kbPerIdleSubscriber": per_idle,
        "expectedDeliveries": shared.expected.iter().map(|e| e.load(Ordering::Relaxed).min(n)).sum::<usize>(),
        "deliveries": latency.len(), "missing": missing,
        "duplicates": shared.duplicates.load(Ordering::Relaxed),
        "unexpected": shared.unexpected.load(Ordering::Relaxed), "unexpectedKinds": {},
        "protocolErrors": shared.protocol_errors.load(Ordering::Relaxed),
        "errorSamples": *shared.samples.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
        "closedEarly": shared.closed_early.load(Ordering::Relaxed), "closeCodes": {},
        "latencyMs": summary(latency), "submitMs": summary(submit_ms), "firstDeliveryMs": summary(first_ms),
        "serverCpuSecondsDuringRounds": server_cpu.map(round2),
        "clientCpuSecondsDuringRounds": round2(client_cpu),
        "otherCpuSecondsDuringRounds": round2(machine - server_cpu.unwrap_or_default() - client_cpu),
        "roundsSeconds": round2(rounds_seconds),
    }))
}

fn main() {
    let opt = options();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
    let Ok(runtime) = runtime else {
        eprintln!("cannot start a runtime");
        std::process::exit(1);
    };
    let n = opt.n;
    match runtime.block_on(run(opt)) {
        Ok(result) => println!("{result}"),
        Err(e) => {
            eprintln!("[ws_bench n={n}] failed: {e}");
            std::process::exit(1);
        }
    }
    // The sockets close with the process.
    runtime.shutdown_background();
}
