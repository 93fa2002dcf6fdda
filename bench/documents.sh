#!/usr/bin/env bash
# What the parsed-document cache and persisted queries give the suggestion-list benchmark (issue 14): on the
# database bench/run.sh seeds (run it first, or let this script seed), the release server runs the mobile
# list query (bench/list.graphql) with wrk, three ways, each at 4 and 32 connections:
#   off   the full text, GRAPHQL_DOCUMENT_CACHE_BYTES=0 (every request scanned, parsed and measured)
#   on    the full text, the cache on (the default)
#   apq   Apollo's persisted query: the hash alone, the cache on
# and reports requests per second, latency, and the server's CPU time per request (from /proc), which is
# where the parse shows: the database and wrk share the same two cores.
# Usage: bench/documents.sh [seconds]   (default 20; BENCH_SKIP_BUILD=1, BENCH_SKIP_SEED=1 as in run.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SECONDS_PER_RUN="${1:-20}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
DB="edaibiao_bench"
WORK=/tmp/edaibiao-bench-documents
PORT=18092
. bench/common.sh
mkdir -p "$WORK"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

build_release
if seed_fresh "$PG" "$DB"; then
  psql "$PG/$DB" -qc "VACUUM ANALYZE"
fi

# The bodies: the query text on one line, and the same text's hash alone.
python3 - "$WORK" <<'PY'
import hashlib, json, sys
work = sys.argv[1]
query = " ".join(line.strip() for line in open("bench/list.graphql") if line.strip())
sha = hashlib.sha256(query.encode()).hexdigest()
ext = {"persistedQuery": {"version": 1, "sha256Hash": sha}}
open(f"{work}/full.json", "w").write(json.dumps({"operationName": "DeputyLatest", "query": query}))
open(f"{work}/register.json", "w").write(json.dumps({"operationName": "DeputyLatest", "query": query, "extensions": ext}))
open(f"{work}/apq.json", "w").write(json.dumps({"operationName": "DeputyLatest", "extensions": ext}))
PY

SERVER=""
stop() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; SERVER=""; }
trap stop EXIT
start() { # $1: document cache bytes
  APP_ENV=production JWT_SECRET=bench-secret-bench-secret-bench-secret DATA_ENCRYPTION_KEY=bench-data-key-bench-data-key-bench-data \
    DATABASE_URL="$PG/$DB" DB_MAX_CONNECTIONS=32 REDIS_URL=redis://127.0.0.1:6379 REDIS_PREFIX=benchdoc BIND=127.0.0.1:$PORT \
    LOG_LEVEL=warn REMINDER_INTERVAL_SECS=0 GRAPHQL_DOCUMENT_CACHE_BYTES="$1" "$TARGET/release/edaibiao" > "$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
}
cpu_ms() { awk -v t="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / t)}' "/proc/$SERVER/stat"; }

start 2097152
echo "== logging in 100 deputies"
login_bench_deputies "$PORT" "$WORK/tokens"
stop

echo "| mode | conns | req/s | p50 | p99 | server CPU per request |" | tee "$WORK/results.md"
echo "|---|---|---|---|---|---|" | tee -a "$WORK/results.md"
for MODE in off on apq; do
  start "$([ "$MODE" = off ] && echo 0 || echo 2097152)"
  TOKEN=$(head -1 "$WORK/tokens")
  curl -fs "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
    -d @"$WORK/register.json" | python3 -c 'import json,sys; b=json.load(sys.stdin); assert "errors" not in b, b'
  BODY="$WORK/$([ "$MODE" = apq ] && echo apq || echo full).json"
  for CONNS in 4 32; do
    BEFORE=$(cpu_ms)
    TOKENS_FILE="$WORK/tokens" BODY_FILE="$BODY" wrk -t2 -c"$CONNS" -d"${SECONDS_PER_RUN}s" --latency \
      -s bench/documents.lua "http://127.0.0.1:$PORT/graphql" > "$WORK/wrk-$MODE-$CONNS.txt"
    AFTER=$(cpu_ms)
    python3 - "$WORK/wrk-$MODE-$CONNS.txt" "$MODE" "$CONNS" "$((AFTER - BEFORE))" <<'PY' | tee -a "$WORK/results.md"
import re, sys
text, mode, conns, cpu = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3], int(sys.argv[4])
total = int(re.search(r"(\d+) requests in", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
assert not errors, f"{errors.group(1)} failed responses"
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", text, re.M))
print(f"| {mode} | {conns} | {rps:,.0f} | {lat['50']} | {lat['99']} | {cpu * 1000 / total:.0f} µs |")
PY
  done
  stop
done

echo "== what one cache hit saves (in-process, release)"
cargo test --release -q -p edaibiao-api --lib parsed::tests::cost_of_a_miss_and_a_hit -- --ignored --nocapture 2>&1 | grep "list query"
