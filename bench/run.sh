#!/usr/bin/env bash
# Benchmark of the deputy's list page (issues 4 and 20): seeds 100,000 suggestions, 2,000 deputies and 200
# units into a fresh PostgreSQL database, then measures side by side, at 32 and at 4 connections:
#   - the mobile list query (a deputy's latest 20 suggestions with lead deputy and units), by wrk;
#   - the same with totalCount, as a list screen shows it (answered from the page cache when unchanged);
#   - the same asked fresh (Cache-Control: no-cache): the query runs every time, as on a cache miss;
#   - the same while a deputy creates a suggestion every 100 ms (each write moves the epoch of the lists it
#     reaches: the writer's own; the global data epoch before 2026-12-06, so every deputy's next read missed);
#   - the app's refresh of that screen by conditional GET (persisted query, If-None-Match: the 304 path);
#   - PostGraphile 4.14.1 (npm, bench/postgraphile) over the same tables, the same page with totalCount;
#   - pgbench running bench/list.sql, the SQL the server runs for the page.
# Usage: bench/run.sh [seconds]   (needs PostgreSQL, Redis and Node.js on localhost; installs wrk if missing;
#        BENCH_SKIP_BUILD=1 uses the release binaries already built, BENCH_SKIP_SEED=1 the database seeded before)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SECONDS_PER_RUN="${1:-30}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
DB="edaibiao_bench"
WORK=/tmp/edaibiao-bench
PORT=18088
PEER_PORT=18090
METRICS_TOKEN=bench-metrics-token-0123456789
. bench/common.sh
mkdir -p "$WORK"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v pgbench >/dev/null || { echo "pgbench is needed (postgresql-client)"; exit 1; }
command -v node >/dev/null || { echo "Node.js is needed (PostGraphile)"; exit 1; }
npm ci --prefix bench/postgraphile --no-audit --no-fund --loglevel=error

build_release
if seed_fresh "$PG" "$DB"; then
  psql "$PG/$DB" -qc "CREATE TABLE bench_deputy AS SELECT row_number() OVER (ORDER BY phone) AS n, deputy_id AS id FROM accounts WHERE deputy_id IS NOT NULL" \
    -c "CREATE UNIQUE INDEX ON bench_deputy (n)" -c "VACUUM ANALYZE"
fi
psql "$PG/$DB" -qAt -c "SELECT id FROM bench_deputy ORDER BY n LIMIT 100" > "$WORK/deputies"

echo "== starting the server and the peer"
APP_ENV=production JWT_SECRET=bench-secret-bench-secret-bench-secret DATA_ENCRYPTION_KEY=bench-data-key-bench-data-key-bench-data DATABASE_URL="$PG/$DB" DB_MAX_CONNECTIONS=32 \
  METRICS_TOKEN="$METRICS_TOKEN" REDIS_URL=redis://127.0.0.1:6379 REDIS_PREFIX=bench BIND=127.0.0.1:$PORT LOG_LEVEL=warn REMINDER_INTERVAL_SECS=0 \
  "$TARGET/release/edaibiao" > "$WORK/server.log" 2>&1 &
SERVER=$!
# The peer: PostGraphile in production mode, one worker per core and as many pool connections as ours.
NODE_ENV=production bench/postgraphile/node_modules/.bin/postgraphile -c "$PG/$DB" --schema public \
  --host 127.0.0.1 --port "$PEER_PORT" --max-pool-size 32 --cluster-workers 2 --disable-query-log \
  > "$WORK/postgraphile.log" 2>&1 &
PEER=$!
trap 'kill $SERVER $PEER 2>/dev/null || true; pkill -f "postgraphile.*$PEER_PORT" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PEER_PORT/graphql" -H 'content-type: application/json' -d '{"query":"{__typename}"}' >/dev/null && break
  sleep 0.3
done

echo "== logging in 100 deputies"
login_bench_deputies "$PORT" "$WORK/tokens"
# One response of each checked in full (20 suggestions, no errors), then the tag each deputy's app holds
# after a refresh of the persisted GET, and one 304 with it.
python3 bench/check_pages.py "$PORT" "$PEER_PORT" "$WORK"

# One suggestion created every $1 seconds by the last bench deputy (in a session of its own), until killed:
# writes during reads.
writer() {
  local token
  token=$(curl -fs "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' \
    -d '{"query":"mutation{login(phone:\"13800000099\",password:\"bench1234\"){accessToken}}"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')
  while sleep "$1"; do
    curl -fs "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' -H "authorization: Bearer $token" \
      -d '{"query":"mutation{createSuggestion(input:{title:\"压测期间的写入\",content:\"基准测试期间每100毫秒一次的写入\",category:\"交通\",sessionNumber:1}){id}}"}' \
      >/dev/null || true
  done
}

# The page cache's answers so far, from /metrics: "hit=… miss=…".
cache_answers() {
  curl -fs "http://127.0.0.1:$PORT/metrics" -H "authorization: Bearer $METRICS_TOKEN" \
    | awk '/^page_cache_answers_total/ { split($1, a, "\""); printf "%s=%s ", a[2], $2 } END { print "" }'
}

wrk_run() { # name, connections, then wrk's script and URL
  local name=$1 conns=$2
  shift 2
  echo "== wrk: $name, $conns connections, ${SECONDS_PER_RUN}s"
  wrk -t2 -c"$conns" -d"${SECONDS_PER_RUN}s" --latency "$@" | tee "$WORK/wrk-$name-$conns.txt"
}

for CONNS in 32 4; do
  TOKENS_FILE="$WORK/tokens" QUERY_FILE=bench/list.graphql \
    wrk_run list "$CONNS" -s bench/list.lua "http://127.0.0.1:$PORT/graphql"
  TOKENS_FILE="$WORK/tokens" QUERY_FILE=bench/list_total.graphql \
    wrk_run list-total "$CONNS" -s bench/list.lua "http://127.0.0.1:$PORT/graphql"
  FRESH=1 TOKENS_FILE="$WORK/tokens" QUERY_FILE=bench/list_total.graphql \
    wrk_run list-total-fresh "$CONNS" -s bench/list.lua "http://127.0.0.1:$PORT/graphql"
  echo "page cache before the run with writes: $(cache_answers)" | tee "$WORK/cache-before-writes-$CONNS.txt"
  writer 0.1 &
  WRITER=$!
  TOKENS_FILE="$WORK/tokens" QUERY_FILE=bench/list_total.graphql \
    wrk_run list-total-writes "$CONNS" -s bench/list.lua "http://127.0.0.1:$PORT/graphql"
  kill "$WRITER" 2>/dev/null || true
  wait "$WRITER" 2>/dev/null || true
  echo "page cache after the run with writes: $(cache_answers)" | tee "$WORK/cache-after-writes-$CONNS.txt"
  ETAGS_FILE="$WORK/etags" GET_PATH="$(cat "$WORK/get_path")" \
    wrk_run revalidate-304 "$CONNS" -s bench/revalidate.lua "http://127.0.0.1:$PORT"
  DEPUTIES_FILE="$WORK/deputies" \
    wrk_run postgraphile-total "$CONNS" -s bench/postgraphile/list.lua "http://127.0.0.1:$PEER_PORT/graphql"

  # Prepared statements, as sqlx uses them in the server.
  echo "== pgbench: the same SQL, $CONNS clients, ${SECONDS_PER_RUN}s"
  rm -f "$WORK"/pgbench_log*
  (cd "$WORK" && pgbench -n -M prepared -c "$CONNS" -j 2 -T "$SECONDS_PER_RUN" -f "$OLDPWD/bench/list.sql" --log --log-prefix=pgbench_log "$PG/$DB") | tee "$WORK/pgbench-$CONNS.txt"
  python3 - "$WORK" "$CONNS" <<'PY'
import glob, sys
lat = sorted(int(line.split()[2]) for f in glob.glob(sys.argv[1] + "/pgbench_log*") for line in open(f))
pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] / 1000
summary = f"pgbench latency p50 {pick(0.50):.2f} ms, p99 {pick(0.99):.2f} ms over {len(lat)} transactions"
print(summary)
open(f"{sys.argv[1]}/pgbench-latency-{sys.argv[2]}.txt", "w").write(f"{pick(0.50):.2f}ms {pick(0.99):.2f}ms\n")
PY
done

echo "== side by side"
python3 bench/side_by_side.py "$WORK"
