//! Client libraries the app uses (graphql-js, graphql-ws, Apollo Client, the GraphQL-over-HTTP audit),
//! driven from Node scripts in `tests/js` against a running server.

use std::path::{Path, PathBuf};

/// How a script ended: whether it exited 0, and what it printed (stdout then stderr).
pub struct NodeRun {
    pub success: bool,
    pub output: String,
}

fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("js")
}

/// Runs `tests/js/<script>` with `args`, once `package` is installed there. Without it the test is
/// skipped (`None`, with a note), unless `EDAIBIAO_REQUIRE_NODE_CLIENT` is set (CI), where that is a failure.
pub async fn run_script(script: &str, package: &str, args: Vec<String>) -> Option<NodeRun> {
    let dir = js_dir();
    if !dir.join("node_modules").join(package).exists() {
        assert!(
            std::env::var_os("EDAIBIAO_REQUIRE_NODE_CLIENT").is_none(),
            "{package} is not installed: npm ci --prefix tests/js"
        );
        eprintln!("skipped: run `npm ci --prefix tests/js` to test with {package}");
        return None;
    }
    let script = dir.join(script);
    let output = actix_web::rt::task::spawn_blocking(move || {
        std::process::Command::new("node").arg(script).args(args).output()
    })
    .await
    .unwrap()
    .expect("cannot run node");
    Some(NodeRun {
        success: output.status.success(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    })
}
