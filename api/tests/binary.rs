//! The real `edaibiao` binary: start-up with no configuration, a clear line for a bad variable, the schema
//! subcommand, and a graceful stop on SIGTERM.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_edaibiao");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(18099)
}

#[test]
fn a_bad_variable_stops_start_up_with_one_clear_line() {
    let output = Command::new(BIN)
        .env_clear()
        .env("BIND", "not-an-address")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("BIND"), "{stderr}");

    let output = Command::new(BIN).env_clear().env("APP_ENV", "production").output();
    let stderr = output.map(|o| String::from_utf8_lossy(&o.stderr).into_owned()).unwrap_or_default();
    assert!(stderr.contains("JWT_SECRET") && stderr.contains("production"), "{stderr}");
}

#[test]
fn print_schema_prints_the_sdl() {
    let output = Command::new(BIN).arg("print-schema").output().unwrap_or_else(|e| panic!("{e}"));
    assert!(output.status.success());
    let sdl = String::from_utf8_lossy(&output.stdout);
    assert!(sdl.contains("type Query") && sdl.contains("interface Node"));
}

#[test]
fn starts_with_defaults_and_stops_gracefully_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("edaibiao-bin-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let port = free_port();
    let mut child = Command::new(BIN)
        .current_dir(&dir)
        .env_clear()
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("LOG_LEVEL", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {BIN}: {e}"));

    // No configuration: a SQLite file appears under ./data and the health check answers.
    wait_until_healthy(port);
    assert!(dir.join("data/edaibiao.db").exists());

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    assert!(killed.is_ok_and(|s| s.success()));
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_string(&mut out);
    }
    assert!(status.is_some_and(|s| s.success()), "did not stop cleanly on SIGTERM: {status:?}\n{out}");
    assert!(out.contains("GraphiQL"), "start-up should say where GraphiQL is:\n{out}");
    assert!(out.contains("JWT_SECRET"), "a generated secret should be warned about:\n{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Waits (up to a minute: the first start migrates and seeds) until `/healthz` answers 200.
fn wait_until_healthy(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut healthy = false;
    while Instant::now() < deadline && !healthy {
        std::thread::sleep(Duration::from_millis(200));
        healthy = http_get(port, "/healthz").is_some_and(|r| r.starts_with("HTTP/1.1 200"));
    }
    assert!(healthy, "server did not become healthy");
}

/// A minimal HTTP/1.1 GET, to keep this test free of client crates.
fn http_get(port: u16, path: &str) -> Option<String> {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

/// A WebSocket client over a plain TCP stream, enough for this test: the handshake, masked text frames
/// out, and frames in.
struct RawWs(std::net::TcpStream);

impl RawWs {
    fn connect(port: u16) -> Self {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let handshake = format!(
            "GET /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
             Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
        );
        stream.write_all(handshake.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap_or_else(|e| panic!("handshake: {e}"));
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head);
        assert!(head.starts_with("HTTP/1.1 101"), "no upgrade: {head}");
        Self(stream)
    }

    fn send_text(&mut self, text: &str) {
        use std::io::Write;
        let payload = text.as_bytes();
        let mask = [0x12u8, 0x34, 0x56, 0x78];
        let mut frame = vec![0x81];
        match payload.len() {
            n @ 0..=125 => frame.push(0x80 | n as u8),
            n => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
        }
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.0.write_all(&frame).unwrap_or_else(|e| panic!("websocket send: {e}"));
    }

    /// The next frame: opcode and payload; `None` when the connection ends or nothing comes in time.
    fn next(&mut self) -> Option<(u8, Vec<u8>)> {
        let mut head = [0u8; 2];
        self.0.read_exact(&mut head).ok()?;
        let len = match head[1] & 0x7f {
            126 => {
                let mut ext = [0u8; 2];
                self.0.read_exact(&mut ext).ok()?;
                u64::from(u16::from_be_bytes(ext))
            }
            127 => {
                let mut ext = [0u8; 8];
                self.0.read_exact(&mut ext).ok()?;
                u64::from_be_bytes(ext)
            }
            n => u64::from(n),
        };
        let mut payload = vec![0u8; usize::try_from(len).ok()?];
        self.0.read_exact(&mut payload).ok()?;
        Some((head[0] & 0x0f, payload))
    }

    /// The next text message as JSON, skipping pings.
    fn next_json(&mut self) -> serde_json::Value {
        loop {
            match self.next() {
                Some((1, text)) => return serde_json::from_slice(&text).unwrap_or_default(),
                Some((9 | 10, _)) => continue,
                other => panic!("expected a text message, got {other:?}"),
            }
        }
    }
}

/// A minimal HTTP/1.1 POST of a JSON body; returns the response body.
fn http_post_json(port: u16, path: &str, body: &str) -> Option<String> {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned())
}

#[test]
fn sigterm_closes_websockets_with_going_away_at_once() {
    let dir = std::env::temp_dir().join(format!("edaibiao-bin-ws-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let port = free_port();
    let mut child = Command::new(BIN)
        .current_dir(&dir)
        .env_clear()
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("LOG_LEVEL", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {BIN}: {e}"));
    wait_until_healthy(port);

    // The demo deputy, with one subscription open.
    let login =
        r#"{"query":"mutation { login(phone: \"13900000003\", password: \"demo1234\") { accessToken } }"}"#;
    let body = http_post_json(port, "/graphql", login).unwrap_or_default();
    let response: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let token =
        response["data"]["login"]["accessToken"].as_str().unwrap_or_else(|| panic!("no login: {body}"));
    let mut ws = RawWs::connect(port);
    let authorization = format!("Bearer {token}");
    let init =
        serde_json::json!({ "type": "connection_init", "payload": { "authorization": authorization } });
    ws.send_text(&init.to_string());
    assert_eq!(ws.next_json()["type"], "connection_ack");
    let subscribe = serde_json::json!({
        "id": "n", "type": "subscribe", "payload": { "query": "subscription { notificationAdded { id } }" }
    });
    ws.send_text(&subscribe.to_string());
    std::thread::sleep(Duration::from_millis(300));

    // SIGTERM: a 1001 close frame at once, and the process ends within a couple of seconds, although
    // this client neither answers the close nor hangs up.
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    assert!(killed.is_ok_and(|s| s.success()));
    let signalled = Instant::now();
    let _ = ws.0.set_read_timeout(Some(Duration::from_secs(2)));
    let close = loop {
        match ws.next() {
            Some((8, payload)) => break Some(payload),
            Some(_) => continue,
            None => break None,
        }
    };
    let code = close.as_ref().and_then(|p| p.get(..2)).map(|c| u16::from_be_bytes([c[0], c[1]]));
    assert_eq!(code, Some(1001), "expected a 1001 close frame, got {close:?}");
    assert!(signalled.elapsed() < Duration::from_secs(1), "close took {:?}", signalled.elapsed());
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break Some(status);
        }
        if signalled.elapsed() > Duration::from_secs(3) {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.is_some_and(|s| s.success()), "did not exit within 3 s of SIGTERM: {status:?}");
    drop(ws);
    let _ = std::fs::remove_dir_all(&dir);
}
