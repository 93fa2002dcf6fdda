#!/usr/bin/env bash
# Benchmark of the suggestion list (issue 4): seeds 100,000 suggestions, 2,000 deputies and 200 units into a
# fresh PostgreSQL database, then drives the mobile list query (a deputy's latest 20 suggestions with lead
# deputy and units) with wrk at 32 connections, and the same SQL with pgbench at 32 clients.
# Usage: bench/run.sh [seconds]   (needs PostgreSQL and Redis on localhost; installs wrk if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SECONDS_PER_RUN="${1:-30}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
DB="edaibiao_bench"
WORK=/tmp/edaibiao-bench
PORT=18088
mkdir -p "$WORK"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v pgbench >/dev/null || { echo "pgbench is needed (postgresql-client)"; exit 1; }

echo "== building (release)"
cargo build --release -q -p edaibiao-api --bin edaibiao
cargo build --release -q -p edaibiao-infra --example bench_seed

echo "== seeding $DB"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
time target/release/examples/bench_seed "$PG/$DB"
psql "$PG/$DB" -qc "CREATE TABLE bench_deputy AS SELECT row_number() OVER (ORDER BY phone) AS n, deputy_id AS id FROM accounts WHERE deputy_id IS NOT NULL" \
  -c "CREATE UNIQUE INDEX ON bench_deputy (n)" -c "VACUUM ANALYZE"

echo "== starting the server"
APP_ENV=production JWT_SECRET=bench-secret-bench-secret-bench-secret DATA_ENCRYPTION_KEY=bench-data-key-bench-data-key-bench-data DATABASE_URL="$PG/$DB" DB_MAX_CONNECTIONS=32 \
  REDIS_URL=redis://127.0.0.1:6379 REDIS_PREFIX=bench BIND=127.0.0.1:$PORT LOG_LEVEL=warn REMINDER_INTERVAL_SECS=0 \
  target/release/edaibiao > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

echo "== logging in 100 deputies"
login_bench_deputies "$PORT" "$WORK/tokens"
# One response checked in full: 20 suggestions, no errors.
python3 - "$PORT" "$WORK/tokens" <<'PY'
import json, sys, urllib.request
port, tokens = sys.argv[1], open(sys.argv[2]).read().split()
query = open("bench/list.graphql").read()
req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", json.dumps({"query": query}).encode(),
                             {"content-type": "application/json", "authorization": "Bearer " + tokens[0]})
body = json.load(urllib.request.urlopen(req))
assert "errors" not in body, body
edges = body["data"]["suggestions"]["edges"]
print(f"check: {len(edges)} suggestions in the first page, first: {edges[0]['node']['serialNumber']}")
PY

for CONNS in 32 4; do
  echo "== wrk: GraphQL list query, $CONNS connections, ${SECONDS_PER_RUN}s"
  TOKENS_FILE="$WORK/tokens" QUERY_FILE=bench/list.graphql \
    wrk -t2 -c"$CONNS" -d"${SECONDS_PER_RUN}s" --latency -s bench/list.lua "http://127.0.0.1:$PORT/graphql" | tee "$WORK/wrk-$CONNS.txt"

  # Prepared statements, as sqlx uses them in the server.
  echo "== pgbench: the same SQL, $CONNS clients, ${SECONDS_PER_RUN}s"
  rm -f "$WORK"/pgbench_log*
  (cd "$WORK" && pgbench -n -M prepared -c "$CONNS" -j 2 -T "$SECONDS_PER_RUN" -f "$OLDPWD/bench/list.sql" --log --log-prefix=pgbench_log "$PG/$DB") | tee "$WORK/pgbench-$CONNS.txt"
  python3 - "$WORK" <<'PY'
import glob, sys
lat = sorted(int(line.split()[2]) for f in glob.glob(sys.argv[1] + "/pgbench_log*") for line in open(f))
pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] / 1000
print(f"pgbench latency p50 {pick(0.50):.2f} ms, p99 {pick(0.99):.2f} ms over {len(lat)} transactions")
PY
done
