#!/usr/bin/env bash
# Benchmark of live updates (issue 5): N WebSocket subscribers (graphql-transport-ws) of one inbox on one
# instance; the latency from a committed action (a deputy submits a suggestion, congress staff are told) to
# delivery at every subscriber (p50/p90/p99/max), and the server's memory per idle subscriber.
# Every subscriber is the same staff account, so one notification fans out to all N: the worst case for
# one instance (in real use each person's inbox is its own topic).
# For each N the server is started afresh (so the RSS before connecting is a clean baseline), on PostgreSQL
# (fresh database edaibiao_wsbench with the demo data) and Redis, in production mode.
# Usage: bench/ws.sh [N ...]   (default 1000 5000 10000; ROUNDS=30 GAP_MS=300 BATCH=200 SETTLE_S=5;
#        BENCH_BIN=path runs that server binary instead of building one; RECIPIENTS=K tells only K of the N;
#        LOADGEN=node runs the Node load generator (bench/ws_subscribers.mjs) instead of the Rust one)
# The load generator runs on the same two cores as the server. The default one (tests/src/bin/ws_bench.rs)
# costs a few microseconds of CPU per delivery; the Node one about 14, which at 10,000 subscribers is most
# of a round's spread. Both print the same JSON.
# Needs PostgreSQL and Redis on localhost; LOADGEN=node also needs Node 20 and the `ws` package in
# tests/js/node_modules (`npm ci --prefix tests/js`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -gt 0 ]; then SIZES=("$@"); else SIZES=(1000 5000 10000); fi
ROUNDS="${ROUNDS:-30}"
GAP_MS="${GAP_MS:-300}"
BATCH="${BATCH:-200}"
SETTLE_S="${SETTLE_S:-5}"
# RECIPIENTS=K: only K of the N subscribers are told each round, the rest idle on another inbox (the
# realistic case: many phones connected, one action tells a few people). Unset: all N (worst case).
RECIPIENTS="${RECIPIENTS:-}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
DB="edaibiao_wsbench"
WORK=/tmp/edaibiao-wsbench
PORT=18089
BIN="${BENCH_BIN:-${CARGO_TARGET_DIR:-target}/release/edaibiao}"
LOADGEN="${LOADGEN:-rust}"
LOADGEN_BIN="${CARGO_TARGET_DIR:-target}/release/ws_bench"
mkdir -p "$WORK"

if [ "$LOADGEN" = node ]; then
  command -v node >/dev/null || { echo "node (20 or later) is needed"; exit 1; }
  [ -d tests/js/node_modules/ws ] || { echo "== installing tests/js dependencies"; npm ci --prefix tests/js --silent; }
fi

# File descriptors: the server and the load generator each hold one per subscriber. Both inherit this limit.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
FDS=$(ulimit -n)
MAX_N=0
for n in "${SIZES[@]}"; do [ "$n" -gt "$MAX_N" ] && MAX_N=$n; done
if [ "$FDS" != unlimited ] && [ "$FDS" -lt $((MAX_N + 1000)) ]; then
  echo "open files limit is $FDS (hard limit $(ulimit -Hn)); $MAX_N subscribers need about $((MAX_N + 1000))"
  exit 1
fi
# Ephemeral ports: every subscriber is one client port towards the same server port.
read -r PORT_LO PORT_HI < /proc/sys/net/ipv4/ip_local_port_range
if [ $((PORT_HI - PORT_LO)) -lt $((MAX_N * 2)) ]; then
  echo "== widening net.ipv4.ip_local_port_range ($PORT_LO-$PORT_HI is too narrow for $MAX_N connections)"
  sysctl -qw net.ipv4.ip_local_port_range="10240 65000"
fi

if [ -z "${BENCH_BIN:-}" ]; then
  echo "== building (release)"
  cargo build --release -q -p edaibiao-api --bin edaibiao
fi
if [ "$LOADGEN" = rust ] && [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  echo "== building the load generator (release)"
  cargo build --release -q -p edaibiao-tests --bin ws_bench
fi

echo "== fresh database $DB"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
if command -v redis-cli >/dev/null; then
  redis-cli -u redis://127.0.0.1:6379 --scan --pattern 'wsbench:*' | xargs -r redis-cli -u redis://127.0.0.1:6379 del >/dev/null
fi

SERVER=""
stop_server() {
  [ -n "$SERVER" ] || return 0
  kill -TERM "$SERVER" 2>/dev/null || true
  # Graceful shutdown waits for in-flight work up to 20 s; then it is stopped hard.
  for _ in $(seq 1 250); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
}
trap stop_server EXIT

start_server() {
  # SEED_DEMO_DATA=true loads the demo accounts into the empty database even in production (the first start).
  APP_ENV=production SEED_DEMO_DATA=true JWT_SECRET=wsbench-secret-wsbench-secret-wsbench-secret \
    DATA_ENCRYPTION_KEY=wsbench-data-key-wsbench-data-key-wsbench \
    DATABASE_URL="$PG/$DB" REDIS_URL=redis://127.0.0.1:6379 REDIS_PREFIX=wsbench BIND=127.0.0.1:$PORT \
    LOG_LEVEL=warn REMINDER_INTERVAL_SECS=0 "$BIN" >> "$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "the server did not become healthy; see $WORK/server.log"
  tail -20 "$WORK/server.log"
  exit 1
}

: > "$WORK/server.log"
: > "$WORK/results.jsonl"
# Latency depends on the CPU being free: the server, the load generator, PostgreSQL and Redis share it.
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (the 'other' CPU column shows what else ran)"
# The first start migrates and seeds (hashing the demo passwords); measured starts find the data in place.
echo "== migrating and seeding"
start_server
stop_server
for n in "${SIZES[@]}"; do
  echo "== $n subscribers: starting the server"
  start_server
  echo "== $n subscribers, $ROUNDS rounds ${GAP_MS} ms apart (server pid $SERVER, open files limit $FDS)"
  if [ "$LOADGEN" = node ]; then LOAD=(node bench/ws_subscribers.mjs); else LOAD=("$LOADGEN_BIN"); fi
  "${LOAD[@]}" --url "http://127.0.0.1:$PORT" --n "$n" --rounds "$ROUNDS" --gap-ms "$GAP_MS" \
    --batch "$BATCH" --settle-s "$SETTLE_S" --server-pid "$SERVER" ${RECIPIENTS:+--recipients "$RECIPIENTS"} \
    | tee -a "$WORK/results.jsonl"
  kill -0 "$SERVER" 2>/dev/null || { echo "the server died; see $WORK/server.log"; exit 1; }
  stop_server
  sleep 2
done

echo "== results (server log: $WORK/server.log; raw: $WORK/results.jsonl)"
python3 - "$WORK/results.jsonl" <<'PY'
import json, os, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
print("| subscribers | connect | RSS before → after | per idle subscriber | delivery p50 / p90 / p99 / max "
      "| first delivery p50 | missing / dup | submit p50 / p99 | CPU in rounds: server / client / other |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    lat, sub = r["latencyMs"], r["submitMs"]
    print(f"| {r['n']:,} ({r['connected']:,} ok) | {r['connectSeconds']:.1f} s "
          f"| {r['rssBeforeKb'] / 1024:.1f} → {r['rssAfterKb'] / 1024:.1f} MiB | {r['kbPerIdleSubscriber']:.1f} KiB "
          f"| {lat['p50']} / {lat['p90']} / {lat['p99']} / {lat['max']} ms "
          f"| {r['firstDeliveryMs']['p50']} ms | {r['missing']} / {r['duplicates']} | {sub['p50']} / {sub['p99']} ms "
          f"| {r['serverCpuSecondsDuringRounds']} / {r['clientCpuSecondsDuringRounds']} / "
          f"{r['otherCpuSecondsDuringRounds']} s of {os.cpu_count() * r['roundsSeconds']:.0f} |")
bad = [r for r in rows if r["missing"] or r["duplicates"] or r["unexpected"] or r["protocolErrors"]
       or r["connectFailures"] or r["closedEarly"]]
for r in bad:
    print(f"!! n={r['n']}: missing {r['missing']}, duplicates {r['duplicates']}, unexpected {r['unexpectedKinds']}, "
          f"protocol errors {r['protocolErrors']} {r['errorSamples']}, connect failures {r['connectFailures']} "
          f"{r['connectFailureSamples']}, closed early {r['closedEarly']} {r['closeCodes']}")
sys.exit(1 if bad else 0)
PY
