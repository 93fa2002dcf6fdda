#!/usr/bin/env bash
# Benchmark of the statistics queries (issue 7): seeds a city's volume into a fresh PostgreSQL database
# (bench_seed: 100,000 suggestions, 2,000 deputies, 200 units; then bench/statistics.sql: 20 deputy groups,
# 50 liaison stations, 100,000 opinions and a staff account), starts the release server and runs each
# statistics query N times in a row (one client), reporting p50 / p95 / max per query and grouping, and the
# same for the two exports.
# Usage: bench/statistics.sh [runs]   (needs PostgreSQL and Redis on localhost; default 100 runs;
#        BENCH_SKIP_BUILD=1 uses the release binaries already built, BENCH_SKIP_SEED=1 the database seeded before)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-100}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
DB="edaibiao_bench_stats"
WORK=/tmp/edaibiao-bench-stats
PORT=18089
. bench/common.sh
mkdir -p "$WORK"

build_release
if seed_fresh "$PG" "$DB"; then
  time psql "$PG/$DB" -q -v ON_ERROR_STOP=1 -f bench/statistics.sql
fi

echo "== starting the server"
APP_ENV=production JWT_SECRET=bench-secret-bench-secret-bench-secret DATA_ENCRYPTION_KEY=bench-data-key-bench-data-key-bench-data DATABASE_URL="$PG/$DB" DB_MAX_CONNECTIONS=8 \
  REDIS_URL=redis://127.0.0.1:6379 REDIS_PREFIX=benchstats BIND=127.0.0.1:$PORT LOG_LEVEL=warn REMINDER_INTERVAL_SECS=0 \
  "$TARGET/release/edaibiao" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

echo "== timing $RUNS runs of each query"
python3 - "$PORT" "$RUNS" <<'PY'
import json, sys, time, urllib.request, datetime
port, runs = sys.argv[1], int(sys.argv[2])
base = f"http://127.0.0.1:{port}"

def post(query, variables=None, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    return json.load(urllib.request.urlopen(urllib.request.Request(base + "/graphql", body, headers)))

login = post('mutation{login(phone:"13800009999",password:"bench1234"){accessToken}}')
token = login["data"]["login"]["accessToken"]
congress = post("{congresses(first:1){nodes{id}}}", token=token)["data"]["congresses"]["nodes"][0]["id"]
cst = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
year = cst.year
frm, to = (cst - datetime.timedelta(days=364)).date().isoformat(), cst.date().isoformat()

S = "suggestions proposed answeringParts answers answerRate onTimeRate classAShare satisfactionRate resultSatisfiedRate overdue contactRate"
O = "received accepted resolvedDirectly forwarded converted closed meanDaysToFeedback satisfactionRate"
cases = []
for g in ["UNIT", "CATEGORY", "DEPUTY_GROUP"]:
    cases.append((f"suggestionStatistics {g}",
        "query($c:ID!,$y:Int!,$g:SuggestionGroupBy!){s:suggestionStatistics(congressId:$c,year:$y,groupBy:$g){rows{label " + S + "} total{" + S + "}}}",
        {"c": congress, "y": year, "g": g}))
for g in ["STATION", "CATEGORY", "MONTH"]:
    cases.append((f"opinionStatistics {g} (365 days)",
        "query($c:ID!,$f:NaiveDate!,$t:NaiveDate!,$g:OpinionGroupBy!){s:opinionStatistics(congressId:$c,from:$f,to:$t,groupBy:$g){rows{label " + O + "} total{" + O + "}}}",
        {"c": congress, "f": frm, "t": to, "g": g}))
cases.append(("deputyStatistics",
    "query($c:ID!,$y:Int!){s:deputyStatistics(congressId:$c,year:$y){name points attendanceRate suggestionsLed suggestionsCoSigned opinionsReceived opinionsClosed receptionsServed}}",
    {"c": congress, "y": year}))

A = "label month scheduledDays heldDays heldRate records visitors matters opinionsReceived opinionsAccepted meanHoursToAcceptance inactive"
cases.append(("stationActivity (year, every station and month)",
    "query($c:ID!,$y:Int!){s:stationActivity(congressId:$c,year:$y){inactiveCount rows{" + A + "} total{" + A + "}}}",
    {"c": congress, "y": year}))
cases.append(("stationActivity (one month)",
    "query($c:ID!,$y:Int!,$m:Int){s:stationActivity(congressId:$c,year:$y,month:$m){inactiveCount rows{" + A + "} total{" + A + "}}}",
    {"c": congress, "y": year, "m": cst.month}))
cases.append(("contactCoverage (10 committees, 100 members, 20,000 contacts)",
    "query($c:ID!,$y:Int!){s:contactCoverage(congressId:$c,year:$y){coveredCommittees coveredMembers "
    "committees{name linkedDeputies contactedDeputies contacts covered} members{name linkedDeputies contactedDeputies contacts covered} "
    "rows:deputies{name contacts}}}",
    {"c": congress, "y": year}))
busiest = post("query($c:ID!,$y:Int!){s:deputyStatistics(congressId:$c,year:$y){deputyId receptionsServed suggestionsLed}}",
               {"c": congress, "y": year}, token)["data"]["s"]
deputy = max(busiest, key=lambda r: r["receptionsServed"] + r["suggestionsLed"])["deputyId"]
cases.append(("dutyTrail (the busiest deputy's year, first 100)",
    "query($d:ID!,$y:Int!){s:dutyTrail(deputyId:$d,year:$y,first:100){totalCount rows:nodes{date kind title}}}",
    {"d": deputy, "y": year}))

def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]

print(f"year {year}, opinions {frm}..{to}, {runs} runs each, one client")
print("| query | rows | p50 ms | p95 ms | max ms |")
print("|---|---|---|---|---|")
for name, query, variables in cases:
    first = post(query, variables, token)
    assert "errors" not in first, first
    data = first["data"]["s"]
    rows = len(data["rows"]) if isinstance(data, dict) else len(data)
    if isinstance(data, dict) and "total" in data:
        t = data["total"]
        check = {k: t[k] for k in ("suggestions", "answers", "overdue", "received", "closed") if k in t}
        print(f"<!-- {name}: total {check} -->", file=sys.stderr)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        res = post(query, variables, token)
        times.append((time.perf_counter() - start) * 1000)
        assert "errors" not in res, res
    print(f"| {name} | {rows} | {pct(times, 0.5):.1f} | {pct(times, 0.95):.1f} | {max(times):.1f} |")

for path in [f"/exports/suggestion-statistics.xlsx?congressId={congress}&year={year}&groupBy=UNIT",
             f"/exports/deputy-statistics.csv?congressId={congress}&year={year}",
             f"/exports/station-activity.xlsx?congressId={congress}&year={year}",
             f"/exports/duty-trail.csv?deputyId={deputy}&year={year}",
             f"/exports/contact-coverage.csv?congressId={congress}&year={year}"]:
    times = []
    for _ in range(max(10, runs // 5)):
        start = time.perf_counter()
        req = urllib.request.Request(base + path, headers={"authorization": "Bearer " + token})
        body = urllib.request.urlopen(req).read()
        times.append((time.perf_counter() - start) * 1000)
    print(f"| GET {path.split('?')[0]} ({len(body):,} bytes) | | {pct(times, 0.5):.1f} | {pct(times, 0.95):.1f} | {max(times):.1f} |")
PY
