// Load generator for live updates (issue 5): N WebSocket subscribers of one inbox, and the latency from a
// committed action to delivery at every one of them.
//
// 1. Logs in the congress staff account over HTTP and opens N WebSocket connections with it
//    (graphql-transport-ws: connection_init with the bearer token, connection_ack, subscribe to
//    notificationAdded), in batches so the server does not see a SYN storm. Every subscriber listens to the
//    same inbox, so one notification fans out to all N: the worst case for one instance.
// 2. Reads the server's RSS (VmRSS of --server-pid) before the first connection and again once all N are
//    subscribed and have been idle for --settle-s seconds.
// 3. For --rounds rounds, --gap-ms apart, deputy 张明 creates a suggestion and submits it. Submitting tells
//    congress staff (a SUBMITTED notification). t0 is taken just before the submit mutation is sent, so the
//    latency includes the mutation itself. Each delivery is matched to its round by the notification's
//    subjectId (the suggestion just submitted), per connection, so missing and duplicate deliveries are
//    counted exactly.
//
// Prints one JSON object on stdout; progress goes to stderr. The load generator runs on the same machine as
// the server, so its own CPU time (reported) competes with the server's.
//
// Usage: node bench/ws_subscribers.mjs --url http://127.0.0.1:8080 --n 1000 [--rounds 30] [--gap-ms 300]
//        [--batch 200] [--settle-s 5] [--server-pid PID] [--round-timeout-s 15]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

// The `ws` package installed for the end-to-end tests; bench/ has no package.json of its own.
const require = createRequire(new URL('../tests/js/package.json', import.meta.url));
const WebSocket = require('ws');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const opt = {
  url: (args.url ?? 'http://127.0.0.1:8080').replace(/\/$/, ''),
  n: Number(args.n ?? 1000),
  rounds: Number(args.rounds ?? 30),
  gapMs: Number(args['gap-ms'] ?? 300),
  batch: Number(args.batch ?? 200),
  settleS: Number(args['settle-s'] ?? 5),
  serverPid: args['server-pid'] ? Number(args['server-pid']) : null,
  roundTimeoutS: Number(args['round-timeout-s'] ?? 15),
  staff: args.staff ?? '13900000002',
  // How many of the N subscribe as the staff account (and so receive each round); the others subscribe as
  // the idle account, whose inbox nothing in the rounds touches. Default: all N (the fan-out worst case).
  recipients: args.recipients != null ? Number(args.recipients) : null,
  idle: args.idle ?? '13900000004',
  deputy: args.deputy ?? '13900000003',
  password: args.password ?? 'demo1234',
};
const wsUrl = opt.url.replace(/^http/, 'ws') + '/graphql';
const log = (...parts) => process.stderr.write(`[ws_subscribers n=${opt.n}] ${parts.join(' ')}\n`);

// ---- server-side measurements from /proc

function procStatus(pid) {
  if (!pid) return null;
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number((text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm')) ?? [])[1] ?? NaN);
  return { vmRssKb: kb('VmRSS'), rssAnonKb: kb('RssAnon'), threads: Number(text.match(/^Threads:\s+(\d+)/m)?.[1]) };
}

/** The server's CPU seconds (user + system) so far. */
function procCpuSeconds(pid) {
  if (!pid) return null;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** CPU seconds the whole machine has spent busy (all cores, everything but idle and iowait). */
function machineBusySeconds() {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks;
  return (user + nice + system + irq + softirq + steal) / 100;
}

function procFdLimit(pid) {
  if (!pid) return null;
  try {
    return readFileSync(`/proc/${pid}/limits`, 'utf8').match(/^Max open files\s+(\d+)/m)?.[1] ?? null;
  } catch {
    return null;
  }
}

// ---- HTTP GraphQL

async function graphql(query, variables, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${opt.url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function login(phone) {
  const data = await graphql(
    'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { accessToken } }',
    { p: phone, w: opt.password },
  );
  return data.login.accessToken;
}

// ---- statistics

/** Nearest-rank percentile of sorted values. */
const pick = (sorted, q) => (sorted.length ? sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] : null);
const round2 = (x) => (x == null ? null : Math.round(x * 100) / 100);
function summary(values) {
  const sorted = Float64Array.from(values).sort();
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null;
  return {
    count: sorted.length,
    min: round2(sorted.length ? sorted[0] : null),
    p50: round2(pick(sorted, 0.5)),
    p90: round2(pick(sorted, 0.9)),
    p99: round2(pick(sorted, 0.99)),
    max: round2(sorted.length ? sorted[sorted.length - 1] : null),
    mean: round2(mean),
  };
}

// ---- subscribers

const QUERY = 'subscription { notificationAdded { id kind createdAt subjectId } }';
const N = opt.n;
const R = opt.rounds;
/** latency[r * N + i]: ms from round r's t0 to connection i's delivery; NaN until delivered. */
const latency = new Float64Array(N * R).fill(NaN);
/** Rounds by the suggestion they are about; filled before the submit is sent. */
const roundBySubject = new Map();
const counters = {
  duplicates: 0,
  unexpected: 0,
  unexpectedKinds: {},
  protocolErrors: 0,
  errorSamples: [],
  closedEarly: 0,
  closeCodes: {},
  connectFailures: 0,
  connectFailureSamples: [],
};
const sockets = new Array(N).fill(null);
let phase = 'connect';

function sample(list, value) {
  if (list.length < 5) list.push(value);
}

/** Opens connection i and resolves once it is acknowledged and its subscribe is sent. */
function open(i, token) {
  return new Promise((resolve) => {
    let settled = false;
    const done = (ok, why) => {
      if (settled) return;
      settled = true;
      if (!ok) {
        counters.connectFailures += 1;
        sample(counters.connectFailureSamples, why);
      }
      resolve(ok);
    };
    const ws = new WebSocket(wsUrl, 'graphql-transport-ws', { perMessageDeflate: false, handshakeTimeout: 30_000 });
    sockets[i] = ws;
    const timer = setTimeout(() => {
      done(false, 'no connection_ack within 30 s');
      ws.terminate();
    }, 30_000);
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    });
    ws.on('message', (data) => {
      const at = performance.now(); // first, before any parsing
      const message = JSON.parse(data);
      switch (message.type) {
        case 'next': {
          const item = message.payload?.data?.notificationAdded;
          const round = item && roundBySubject.get(item.subjectId);
          if (round === undefined) {
            counters.unexpected += 1;
            const kind = item?.kind ?? 'no data';
            counters.unexpectedKinds[kind] = (counters.unexpectedKinds[kind] ?? 0) + 1;
            if (!item) sample(counters.errorSamples, message.payload);
            return;
          }
          const slot = round.index * N + i;
          if (!Number.isNaN(latency[slot])) {
            counters.duplicates += 1;
            return;
          }
          latency[slot] = at - round.t0;
          round.delivered += 1;
          if (round.delivered >= round.expected) round.resolve?.();
          return;
        }
        case 'connection_ack':
          ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
          clearTimeout(timer);
          done(true);
          return;
        case 'ping':
          ws.send(JSON.stringify({ type: 'pong' }));
          return;
        case 'pong':
          return;
        default: // error, complete
          counters.protocolErrors += 1;
          sample(counters.errorSamples, message);
      }
    });
    ws.on('error', (error) => done(false, error.code ?? error.message));
    ws.on('close', (code) => {
      clearTimeout(timer);
      done(false, `closed ${code} during the handshake`);
      if (phase !== 'done') {
        counters.closedEarly += 1;
        counters.closeCodes[code] = (counters.closeCodes[code] ?? 0) + 1;
      }
      sockets[i] = null;
    });
  });
}

async function main() {
  log(`logging in; server pid ${opt.serverPid ?? 'unknown'} (open files limit ${procFdLimit(opt.serverPid) ?? '?'})`);
  const staffToken = await login(opt.staff);
  const deputyToken = await login(opt.deputy);
  const K = Math.min(N, opt.recipients ?? N);
  const idleToken = K < N ? await login(opt.idle) : null;

  const before = procStatus(opt.serverPid);
  const cpuBeforeConnect = procCpuSeconds(opt.serverPid);
  log(`server RSS before: ${before?.vmRssKb ?? '?'} kB; opening ${N} connections, ${opt.batch} at a time`);
  const connectStart = performance.now();
  let connected = 0;
  for (let start = 0; start < N; start += opt.batch) {
    const batch = [];
    for (let i = start; i < Math.min(N, start + opt.batch); i++) batch.push(open(i, i < K ? staffToken : idleToken));
    connected += (await Promise.all(batch)).filter(Boolean).length;
    if ((start / opt.batch) % 10 === 9) log(`${connected} acknowledged`);
  }
  const connectSeconds = (performance.now() - connectStart) / 1000;
  const cpuConnect = cpuBeforeConnect == null ? null : procCpuSeconds(opt.serverPid) - cpuBeforeConnect;
  log(`all ready: ${connected}/${N} acknowledged and subscribed in ${connectSeconds.toFixed(1)} s; idle ${opt.settleS} s`);
  await sleep(opt.settleS * 1000);
  const after = procStatus(opt.serverPid);
  const alive = sockets.filter((ws) => ws && ws.readyState === WebSocket.OPEN).length;
  log(`server RSS after: ${after?.vmRssKb ?? '?'} kB with ${alive} open; ${R} rounds, ${opt.gapMs} ms apart`);

  phase = 'rounds';
  const submitMs = [];
  const roundStats = [];
  const rounds = [];
  const clientCpuBefore = process.cpuUsage();
  const cpuBeforeRounds = procCpuSeconds(opt.serverPid);
  const machineBeforeRounds = machineBusySeconds();
  const roundsStart = performance.now();
  for (let r = 0; r < R; r++) {
    const created = await graphql(
      'mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }',
      { i: { title: `基准测试建议 ${process.pid}-${r + 1}`, content: '内容', category: '交通', sessionNumber: 1 } },
      deputyToken,
    );
    const subject = created.createSuggestion.id;
    const expected = sockets.slice(0, K).filter((ws) => ws && ws.readyState === WebSocket.OPEN).length;
    const round = { index: r, t0: 0, delivered: 0, expected, resolve: null };
    const allDelivered = new Promise((resolve) => (round.resolve = resolve));
    roundBySubject.set(subject, round);
    rounds.push(round);
    round.t0 = performance.now();
    await graphql('mutation($id: ID!) { submitSuggestion(id: $id) { id } }', { id: subject }, deputyToken);
    submitMs.push(performance.now() - round.t0);
    if (round.delivered < expected) {
      await Promise.race([allDelivered, sleep(opt.roundTimeoutS * 1000)]);
    }
    const done = latency.subarray(r * N, (r + 1) * N).filter((x) => !Number.isNaN(x));
    roundStats.push({ expected, delivered: round.delivered, ...summary(done) });
    if (round.delivered < expected) log(`round ${r + 1}: only ${round.delivered}/${expected} delivered`);
    await sleep(opt.gapMs);
  }
  // Late arrivals and duplicates still on the way.
  await sleep(1000);
  const roundsSeconds = (performance.now() - roundsStart) / 1000;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const cpuRounds = cpuBeforeRounds == null ? null : procCpuSeconds(opt.serverPid) - cpuBeforeRounds;
  const machineRounds = machineBusySeconds() - machineBeforeRounds;
  const atEnd = procStatus(opt.serverPid);
  phase = 'done';

  const delivered = latency.filter((x) => !Number.isNaN(x));
  const result = {
    n: N,
    recipients: K,
    rounds: R,
    gapMs: opt.gapMs,
    connected,
    connectFailures: counters.connectFailures,
    connectFailureSamples: counters.connectFailureSamples,
    connectSeconds: round2(connectSeconds),
    serverCpuSecondsConnecting: round2(cpuConnect),
    openAtRounds: alive,
    rssBeforeKb: before?.vmRssKb ?? null,
    rssAfterKb: after?.vmRssKb ?? null,
    rssAnonBeforeKb: before?.rssAnonKb ?? null,
    rssAnonAfterKb: after?.rssAnonKb ?? null,
    rssAtEndKb: atEnd?.vmRssKb ?? null,
    serverThreads: after?.threads ?? null,
    kbPerIdleSubscriber: before && after ? round2((after.vmRssKb - before.vmRssKb) / Math.max(1, alive)) : null,
    expectedDeliveries: roundStats.reduce((sum, s) => sum + s.expected, 0),
    deliveries: delivered.length,
    // Counted at the end, so a delivery later than --round-timeout-s is late, not missing.
    missing: rounds.reduce((sum, r) => sum + Math.max(0, r.expected - r.delivered), 0),
    duplicates: counters.duplicates,
    unexpected: counters.unexpected,
    unexpectedKinds: counters.unexpectedKinds,
    protocolErrors: counters.protocolErrors,
    errorSamples: counters.errorSamples,
    closedEarly: counters.closedEarly,
    closeCodes: counters.closeCodes,
    latencyMs: summary(delivered),
    submitMs: summary(submitMs),
    // First delivery of each round: commit, outbox relay, Redis and the first subscriber; the rest of a
    // round's spread is the fan-out to the other subscribers (server and load generator sharing the CPU).
    firstDeliveryMs: summary(roundStats.map((s) => s.min ?? NaN).filter((x) => !Number.isNaN(x))),
    worstRoundP99Ms: Math.max(...roundStats.map((s) => s.p99 ?? 0)),
    perRound: roundStats.map((s) => ({ delivered: s.delivered, min: s.min, p50: s.p50, p99: s.p99, max: s.max })),
    serverCpuSecondsDuringRounds: round2(cpuRounds),
    clientCpuSecondsDuringRounds: round2((clientCpu.user + clientCpu.system) / 1e6),
    // Everything else busy meanwhile: PostgreSQL, Redis, the kernel, and anything else on the machine.
    otherCpuSecondsDuringRounds: round2(
      machineRounds - (cpuRounds ?? 0) - (clientCpu.user + clientCpu.system) / 1e6,
    ),
    roundsSeconds: round2(roundsSeconds),
    clientRssKb: Math.round(process.memoryUsage().rss / 1024),
  };
  process.stdout.write(JSON.stringify(result) + '\n');

  for (const ws of sockets) ws?.close(1000);
  await sleep(500);
  for (const ws of sockets) ws?.terminate();
  process.exit(0);
}

main().catch((error) => {
  log(`failed: ${error.stack ?? error}`);
  process.exit(1);
});
