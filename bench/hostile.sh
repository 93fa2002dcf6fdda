#!/usr/bin/env bash
# Benchmark of the hostile-input corpus (issue 13): starts the release server on the embedded default
# (SQLite, in-process cache; the guard does its work before any storage is touched) and sends every
# generated request (tests/src/hostile.rs: deep nesting of each kind, fragment fan-out, thousands of
# aliases, huge strings, NUL bytes, invalid UTF-8, wrong types, 300 randomly damaged operations) ROUNDS
# times, one at a time, reporting per family the p50 / p99 / max answer time as seen by the client.
# The server's own CPU time for the whole run is printed last (from /proc), to compare with the wall time.
# Usage: bench/hostile.sh [rounds]   (default 5; BENCH_SKIP_BUILD=1 uses the release binaries already built)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-5}"
WORK=/tmp/edaibiao-bench-hostile
PORT=18091
TARGET="$(realpath -m "${CARGO_TARGET_DIR:-target}")"
rm -rf "$WORK" && mkdir -p "$WORK"

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  echo "== building (release)"
  cargo build --release -q -p edaibiao-api --bin edaibiao
  cargo build --release -q -p edaibiao-tests --bin hostile_bench
fi

echo "== starting the server"
(cd "$WORK" && APP_ENV=production JWT_SECRET=bench-secret-bench-secret-bench-secret \
  DATA_ENCRYPTION_KEY=bench-data-key-bench-data-key-bench-data SEED_DEMO_DATA=true BIND=127.0.0.1:$PORT \
  LOG_LEVEL=error REMINDER_INTERVAL_SECS=0 "$TARGET/release/edaibiao" > "$WORK/server.log" 2>&1) &
sleep 0.5
SERVER=$(pgrep -f "release/edaibiao$" | head -1 || true)
trap 'pkill -f "release/edaibiao$" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

echo "== $ROUNDS rounds of the corpus"
"$TARGET/release/hostile_bench" "http://127.0.0.1:$PORT" "$ROUNDS"
if [ -n "$SERVER" ] && [ -r "/proc/$SERVER/stat" ]; then
  TICKS=$(getconf CLK_TCK)
  read -r UTIME STIME < <(awk '{print $14, $15}' "/proc/$SERVER/stat")
  echo "server CPU: $(( (UTIME + STIME) * 1000 / TICKS )) ms in all"
fi
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && echo "server still healthy"
