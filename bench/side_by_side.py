"""bench/run.sh's summary: the runs of one invocation side by side, with the goal ratios of issue 20.

Usage: side_by_side.py WORK  (reads the wrk-*.txt, pgbench-*.txt and pgbench-latency-*.txt run.sh wrote)
"""
import re
import sys

work = sys.argv[1]


def ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(name, conns):
    text = open(f"{work}/wrk-{name}-{conns}.txt").read()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", text, re.M))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    count, size, unit = re.search(r"(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read", text).groups()
    read = float(size) * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[unit]
    return rate, ms(lat["50"]), ms(lat["99"]), int(bad.group(1)) if bad else 0, read / int(count)


RUNS = [("list", "ours: the list"), ("list-total", "ours: the list + totalCount"),
        ("list-total-fresh", "ours: the list + totalCount, fresh (no-cache: the query runs)"),
        ("list-total-writes", "ours: the list + totalCount, a write every 100 ms"),
        ("revalidate-304", "ours: conditional GET of the list + totalCount (304)"),
        ("postgraphile-total", "PostGraphile 4.14.1: the list + totalCount")]
print("| what | conns | req/s | p50 ms | p99 ms | bytes per response | non-2xx/3xx |")
print("|---|---|---|---|---|---|---|")
ratios = []
for conns in (32, 4):
    rows = {}
    for name, label in RUNS:
        rows[name] = wrk(name, conns)
        rate, p50, p99, bad, size = rows[name]
        print(f"| {label} | {conns} | {rate:,.0f} | {p50:.1f} | {p99:.1f} | {size:,.0f} | {bad} |")
    tps = float(re.search(r"tps = ([\d.]+)", open(f"{work}/pgbench-{conns}.txt").read()).group(1))
    p50, p99 = open(f"{work}/pgbench-latency-{conns}.txt").read().split()
    print(f"| pgbench: bench/list.sql | {conns} | {tps:,.0f} tps | {ms(p50):.1f} | {ms(p99):.1f} | | |")
    ours, peer = rows["list-total"], rows["postgraphile-total"]
    ratios.append(f"{conns} connections: list + totalCount at {ours[0] / peer[0]:.2f}x PostGraphile "
                  f"and {ours[0] / tps:.2f}x pgbench; our p99 {ours[2]:.1f} ms vs PostGraphile's p50 {peer[1]:.1f} ms; "
                  f"the 304 path at {rows['revalidate-304'][0] / peer[0]:.2f}x PostGraphile; "
                  f"fresh at {rows['list-total-fresh'][0] / peer[0]:.2f}x, with writes at "
                  f"{rows['list-total-writes'][0] / peer[0]:.2f}x PostGraphile")
print()
for line in ratios:
    print("- " + line)
for conns in (32, 4):
    try:
        before = open(f"{work}/cache-before-writes-{conns}.txt").read().split(": ", 1)[1].split()
        after = open(f"{work}/cache-after-writes-{conns}.txt").read().split(": ", 1)[1].split()
    except (OSError, IndexError):
        continue
    count = lambda pairs: {k: float(v) for k, v in (p.split("=") for p in pairs)}
    b, a = count(before), count(after)
    hits, misses = a.get("hit", 0) - b.get("hit", 0), a.get("miss", 0) - b.get("miss", 0)
    if hits + misses:
        print(f"- with writes, {conns} connections: {hits / (hits + misses):.1%} of pages from the cache "
              f"({hits:,.0f} hits, {misses:,.0f} misses)")
