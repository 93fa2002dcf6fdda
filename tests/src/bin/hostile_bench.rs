//! Times the hostile-input corpus against a running server: `hostile_bench <base-url> [rounds]`.
//! Prints, per family of attack, how many requests, and the median, 99th percentile and slowest answer
//! in milliseconds, as a Markdown table (see `bench/hostile.sh`, results in BENCHMARKS.md).

use edaibiao_tests::hostile::{MUTATIONS, SEED, corpus};
use std::collections::BTreeMap;
use std::time::Instant;

#[actix_web::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let base = args.next().unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let client = awc::Client::builder().timeout(std::time::Duration::from_secs(60)).finish();
    let cases = corpus(SEED, MUTATIONS);
    let mut times: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut slowest = (0.0f64, String::new());
    for _ in 0..rounds {
        for case in &cases {
            let started = Instant::now();
            let sent = client
                .post(format!("{base}/graphql"))
                .insert_header(("content-type", "application/json"))
                .send_body(case.body.clone())
                .await;
            let Ok(mut response) = sent else {
                eprintln!("no answer to {} / {}: the server is down?", case.family, case.name);
                std::process::exit(1);
            };
            let _ = response.body().limit(16 << 20).await;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            if ms > slowest.0 {
                slowest = (ms, format!("{} / {}", case.family, case.name));
            }
            times.entry(case.family).or_default().push(ms);
        }
    }
    println!("| family | requests | p50 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|");
    for (family, mut t) in times {
        t.sort_by(f64::total_cmp);
        let at = |q: f64| t[((t.len() - 1) as f64 * q).round() as usize];
        println!("| {family} | {} | {:.2} | {:.2} | {:.2} |", t.len(), at(0.5), at(0.99), at(1.0));
    }
    println!("\nslowest: {:.2} ms ({})", slowest.0, slowest.1);
}
