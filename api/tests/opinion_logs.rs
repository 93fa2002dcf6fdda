//! The real `edaibiao` binary logging at its most verbose (`LOG_LEVEL=trace`, which includes debug): a
//! citizen's contact phone, submitted through the public form and then read by the station worker who calls
//! back, never reaches the log.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_edaibiao");
const PHONE: &str = "13987654321";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(18098)
}

/// A minimal HTTP/1.1 request, to keep this test free of client crates. Returns the whole response.
fn http(port: u16, method: &str, path: &str, body: &str, token: Option<&str>) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n\
         {auth}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    Some(String::from_utf8_lossy(&response).into_owned())
}

/// Posts a GraphQL operation and returns the JSON body.
fn gql(port: u16, query: &str, variables: serde_json::Value, token: Option<&str>) -> serde_json::Value {
    let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
    let response = http(port, "POST", "/graphql", &body, token).unwrap_or_default();
    let json = response.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    serde_json::from_str(json).unwrap_or_else(|_| panic!("not JSON: {response}"))
}

fn text<'a>(value: &'a serde_json::Value, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(|v| v.as_str()).unwrap_or_else(|| panic!("no {pointer} in {value}"))
}

#[test]
fn a_contact_phone_never_reaches_the_log_even_at_trace_level() {
    let dir = std::env::temp_dir().join(format!("edaibiao-logs-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let port = free_port();
    let mut child = Command::new(BIN)
        .current_dir(&dir)
        .env_clear()
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("LOG_LEVEL", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {BIN}: {e}"));
    // Drain both pipes while the server runs, so a chatty debug log cannot block it.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut out = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut out);
            }
            out
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));

    let deadline = Instant::now() + Duration::from_secs(60);
    let mut healthy = false;
    while Instant::now() < deadline && !healthy {
        std::thread::sleep(Duration::from_millis(200));
        healthy = http(port, "GET", "/healthz", "", None).is_some_and(|r| r.starts_with("HTTP/1.1 200"));
    }
    assert!(healthy, "server did not become healthy");

    let stations =
        gql(port, "{ liaisonStations(first: 10) { nodes { id name } } }", serde_json::json!({}), None);
    let station = text(&stations, "/data/liaisonStations/nodes/0/id").to_owned();
    let submit = "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }";
    let input = serde_json::json!({ "stationId": station, "category": "TRANSPORT", "content": "公交站台缺少遮雨棚",
                                    "contactName": "孙女士", "contactPhone": PHONE,
                                    "privacyConsent": edaibiao_domain::privacy::PRIVACY_NOTICE_VERSION });
    let submitted = gql(port, submit, serde_json::json!({ "i": input }), None);
    let code = text(&submitted, "/data/submitOpinion/trackingCode").to_owned();
    // Refused submissions carry the phone too: input errors and an unknown QR token.
    let too_long = serde_json::json!({ "stationId": station, "category": "OTHER", "content": "字".repeat(2001),
                                       "contactPhone": PHONE });
    let refused = gql(port, submit, serde_json::json!({ "i": too_long }), None);
    assert_eq!(text(&refused, "/errors/0/extensions/code"), "BAD_USER_INPUT");
    let unknown = serde_json::json!({ "qrToken": "A".repeat(43), "category": "OTHER", "content": "x",
                                      "contactPhone": PHONE,
                                      "privacyConsent": edaibiao_domain::privacy::PRIVACY_NOTICE_VERSION });
    let refused = gql(port, submit, serde_json::json!({ "i": unknown }), None);
    assert_eq!(text(&refused, "/errors/0/extensions/code"), "NOT_FOUND");

    // The station worker takes it and reads the number to call back.
    let login = gql(
        port,
        "mutation { login(phone: \"13900000007\", password: \"demo1234\") { accessToken } }",
        serde_json::json!({}),
        None,
    );
    let token = text(&login, "/data/login/accessToken").to_owned();
    let list = gql(port, "{ opinions { nodes { id trackingCode } } }", serde_json::json!({}), Some(&token));
    let id = list
        .pointer("/data/opinions/nodes")
        .and_then(|n| n.as_array())
        .and_then(|n| n.iter().find(|n| n["trackingCode"] == code.as_str()))
        .and_then(|n| n["id"].as_str())
        .unwrap_or_else(|| panic!("opinion not listed: {list}"))
        .to_owned();
    let accepted = gql(
        port,
        "mutation($id: ID!) { acceptOpinion(id: $id) { contactPhone } }",
        serde_json::json!({ "id": id }),
        Some(&token),
    );
    assert_eq!(text(&accepted, "/data/acceptOpinion/contactPhone"), PHONE, "the worker calls back");

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    assert!(killed.is_ok_and(|s| s.success()));
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline && !matches!(child.try_wait(), Ok(Some(_))) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let log = format!("{}{}", stdout.join().unwrap_or_default(), stderr.join().unwrap_or_default());
    let _ = std::fs::remove_dir_all(&dir);
    assert!(log.contains("DEBUG"), "the log should be at debug level:\n{log}");
    for form in [PHONE, "139 8765 4321", "8765 4321", "87654321"] {
        assert!(!log.contains(form), "the log shows the phone ({form}):\n{log}");
    }
}
