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
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut healthy = false;
    while Instant::now() < deadline && !healthy {
        std::thread::sleep(Duration::from_millis(200));
        healthy = http_get(port, "/healthz").is_some_and(|r| r.starts_with("HTTP/1.1 200"));
    }
    assert!(healthy, "server did not become healthy");
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
