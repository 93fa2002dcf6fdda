//! A stand-in for the outside gateways the server posts to (mobile push, SMS): an HTTP endpoint that answers
//! 200 to every request and keeps each JSON body. Plain threads, so it serves whatever the test's runtime is
//! doing.

use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A gateway that answers 200 to everything and remembers every body.
#[derive(Debug, Clone)]
pub struct WebhookSink {
    /// Where to point the server (`http://127.0.0.1:{port}{path}`).
    pub url: String,
    received: Arc<Mutex<Vec<Value>>>,
}

impl WebhookSink {
    /// Listens on a free local port; `path` only names the URL.
    pub fn start(path: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let shared = received.clone();
        std::thread::spawn(move || {
            for socket in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || answer(socket, &shared));
            }
        });
        Self { url: format!("http://127.0.0.1:{port}{path}"), received }
    }

    /// Every body received so far, oldest first.
    pub fn received(&self) -> Vec<Value> {
        self.received.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// How many requests arrived.
    pub fn count(&self) -> usize {
        self.received.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// The six-digit one-time code of the last text message (`{"phone", "text"}`) to `phone`.
    pub fn last_code(&self, phone: &str) -> String {
        let received = self.received();
        let text = received
            .iter()
            .rev()
            .find(|b| b["phone"] == phone)
            .and_then(|b| b["text"].as_str().map(str::to_owned))
            .unwrap_or_else(|| panic!("no SMS to {phone}: {received:?}"));
        let chars: Vec<char> = text.chars().collect();
        chars
            .windows(6)
            .find(|w| w.iter().all(char::is_ascii_digit))
            .map(|w| w.iter().collect())
            .unwrap_or_else(|| panic!("no code in {text}"))
    }
}

/// Reads one request (head, then as much body as its content-length says), keeps the body, answers `{}`.
fn answer(mut socket: TcpStream, received: &Mutex<Vec<Value>>) {
    let _ = socket.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let (head_end, length) = loop {
        match socket.read(&mut chunk) {
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
        match socket.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let body = serde_json::from_slice(&buf[head_end..head_end + length]).unwrap_or(Value::Null);
    received.lock().unwrap_or_else(|e| e.into_inner()).push(body);
    let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}");
}
