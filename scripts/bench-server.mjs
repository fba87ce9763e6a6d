#!/usr/bin/env node
// Load benchmark of the companion server (issue 10, "Bad input and load"): wrk on loopback
// against the release binary, with a 10,000-coupon market imported into a temporary data dir and
// the fake AliExpress API behind search, and against the floor (crates/server/examples/
// bench_floor.rs, the simplest server that could answer a feed request) with the same tool, in
// the same run. Figures, not pass/fail.
//
// Usage: node scripts/bench-server.mjs [--seconds N] [--runs N] [--connections N] [--threads N]
//                                       [--only SCENARIO,...] [--perf]
//   (after the release builds of shopper-server, its example bench_floor and aliexpress-fake,
//   which `scripts/bench server` makes). Prints one JSON line per run of each scenario, then a
//   table and one JSON line of each scenario's medians.
//
// Each scenario runs --runs times (3; the scenarios in turn, so each floor is measured beside
// the server it is the floor of), and the table gives the median of its runs with their range.
//
// Scenarios, each bounded by wrk's -d, by a cap on the requests each wrk thread sends, and by
// `timeout`; every request goes to 127.0.0.1:
//   floor_304   the floor's fixed 304
//   feed_304    GET /v1/feeds/US-USD with If-None-Match: its Brotli ETag     target 20,000/s
//   floor_full  the floor's copy of the full feed's Brotli bytes
//   feed_full   GET /v1/feeds/US-USD, Accept-Encoding as Chrome sends it     target  2,000/s
//   search      POST /v1/search, six requests in turn, the fake API behind   target  2,000/s
//   events      POST /v1/events, a batch with a new anonymous id each time   target  5,000/s
//               ("not served by this build" when the endpoint answers 404)
// Every scenario: p99 under 20 ms and no error (a socket error, a timeout, a status over 399, or
// a status other than the one the scenario expects).
//
// Beside each figure: the 1-minute load average before and after (the machine is shared), and
// where the CPU went during the run: each process of ours (server, fake API, floor, wrk) and the
// rest of the machine, in cores.

import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bigFeed, report } from './lib/bench-plain.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    threads: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string', default: '' },
    perf: { type: 'boolean', default: false },
  },
});
const SECONDS = Math.min(60, Math.max(1, Number(values.seconds) || 10));
const CONNECTIONS = Math.min(512, Math.max(1, Number(values.connections) || 32));
const THREADS = Math.min(CONNECTIONS, Math.max(1, Number(values.threads) || 2));
const RUNS = Math.min(20, Math.max(1, Number(values.runs) || 3));
const ONLY = values.only ? new Set(values.only.split(',')) : null;
const PERF = values.perf;
const WARMUP_SECONDS = 1;
const COUPONS = 10_000;
const MARKET = 'US-USD';
const P99_TARGET_MS = 20;
/** What Chrome's fetch sends, as the extension's requests carry it. */
const ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RELEASE = join(ROOT, 'target', 'release');
const SERVER = join(RELEASE, 'shopper-server');
const FAKE = join(RELEASE, 'aliexpress-fake');
const FLOOR = join(RELEASE, 'examples', 'bench_floor');
const WRK_SCRIPT = join(ROOT, 'scripts', 'lib', 'bench-server.lua');
const FAKE_CREDENTIALS = { key: 'bench-app-key', secret: 'bench-app-secret', tracking: 'bench-tracking-id' };

/** Search requests in the shopper's words, each naming products of the fake's catalogue. */
const SEARCHES = [
  'bluetooth speaker under $30',
  'usb-c charger 65w 4+ stars',
  'smart watch fitness tracker',
  'mechanical keyboard sorted by price low to high',
  'desk lamp under 25 dollars',
  'wireless earbuds bluetooth',
].map((query) => JSON.stringify({ query, country: 'US', currency: 'USD', locale: 'en-US' }));

/**
 * Usage batches as crates/core/src/events/mod.rs documents them (schema 1), a few profiles in
 * turn; `{{uuid}}` becomes a new anonymous id at every request, as every shopper has their own.
 */
const BATCHES = [
  { browser: 'chrome', browser_major: 131, os: 'windows', country: 'US', language: 'en', utc_offset: -300, counts: { popup_opened: 3, coupon_copied: 1 } },
  { browser: 'chrome', browser_major: 130, os: 'macos', country: 'BR', language: 'pt_BR', utc_offset: -180, counts: { popup_opened: 1, link_rewritten: 12 } },
  { browser: 'edge', browser_major: 131, os: 'windows', country: 'ES', language: 'es', utc_offset: 60, counts: { search_submitted: 2, search_result_opened: 1 } },
  { browser: 'chrome', browser_major: 129, os: 'linux', country: 'DE', language: 'de', utc_offset: 60, counts: { popup_opened: 5, deals_activated: 1 } },
].map((profile) => JSON.stringify({ schema: 1, id: '{{uuid}}', ...profile, extension_version: '1.4.2' }));

const children = [];
const work = mkdtempSync(join(tmpdir(), 'smart-shopper-bench-server-'));
process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/** Starts a program of ours and waits for its `listening on http://ADDRESS` line. */
function start(name, command, args, env = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 30_000);
    const look = (chunk) => {
      output += chunk;
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        // Keep reading what it says, so a full pipe never stops it.
        child.stdout.resume();
        child.stderr.resume();
        resolve({ name, pid: child.pid, url: found[1] });
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}):\n${output}`)));
  });
}

/** One request, its status, headers and body bytes as they came (nothing decoded). */
function ask(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.setTimeout(10_000, () => request.destroy(new Error(`no answer from ${url}`)));
    request.on('error', reject);
    request.end(body);
  });
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds a process has used so far (user and system), or null once it is gone. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine has been busy so far (every core, every process). */
function machineBusySeconds() {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = ticks[3] + ticks[4];
  return (ticks.slice(0, 8).reduce((a, b) => a + b, 0) - idle) / TICKS_PER_SECOND;
}

const loadAverage = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

/**
 * Runs wrk for one scenario: `seconds` long, each thread capped at `cap` requests, under
 * `timeout`; its JSON figures, and the CPU seconds wrk itself used (bash's `times`).
 */
function wrk({ url, method, headers, bodiesFile, expect, cap, seconds }) {
  const args = ['-t', String(THREADS), '-c', String(CONNECTIONS), '-d', `${seconds}s`, '--timeout', '2s', '-s', WRK_SCRIPT];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  args.push(url, '--', method, String(Math.ceil(cap / THREADS)), String(expect));
  if (bodiesFile) args.push(bodiesFile);
  const script = 'timeout "$0" wrk "$@"; status=$?; times; exit $status';
  const out = execFileSync('bash', ['-c', script, String(seconds + 30), ...args], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`wrk printed no figures:\n${out}`);
  // `times` prints the shell's own times, then its children's: "0m1.234s 0m0.567s".
  const childTimes = out.trim().split('\n').at(-1).match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
  const wrkCpu = childTimes ? Number(childTimes[1]) * 60 + Number(childTimes[2]) + Number(childTimes[3]) * 60 + Number(childTimes[4]) : null;
  return { figures: JSON.parse(line), wrkCpu };
}

/**
 * With --perf: where the serving process's time goes during a scenario's measured run (perf's
 * cpu-clock samples with call graphs), in target/bench-server/SCENARIO.perf.data, for
 * `perf report -i`. Returns what stops it.
 */
function startPerf(scenario, processes) {
  const serving = processes.find((p) => scenario.url.startsWith(p.url));
  const dir = join(ROOT, 'target', 'bench-server');
  mkdirSync(dir, { recursive: true });
  const output = join(dir, `${scenario.name}.perf.data`);
  const perf = spawn('perf', ['record', '-q', '-e', 'cpu-clock', '-g', '-p', String(serving.pid), '-o', output], { stdio: 'ignore' });
  return () =>
    new Promise((resolve) => {
      perf.on('exit', () => {
        process.stderr.write(`bench-server: ${scenario.name}: perf report -i ${output}\n`);
        resolve();
      });
      perf.kill('SIGINT');
    });
}

/** Runs one scenario (a warm-up, then the measured run) and reports its figures. */
async function run(scenario, processes) {
  const { name, target } = scenario;
  wrk({ ...scenario, seconds: WARMUP_SECONDS, cap: scenario.cap });
  const loadBefore = loadAverage();
  const cpuBefore = processes.map((p) => cpuSeconds(p.pid));
  const busyBefore = machineBusySeconds();
  const profile = PERF ? startPerf(scenario, processes) : null;
  const { figures: f, wrkCpu } = wrk({ ...scenario, seconds: SECONDS });
  if (profile) await profile();
  const busy = machineBusySeconds() - busyBefore;
  const seconds = f.duration_us / 1e6;
  const cores = (cpu) => Math.round((cpu / seconds) * 100) / 100;
  const cpu = Object.fromEntries(processes.map((p, i) => [p.name, cores(cpuSeconds(p.pid) - cpuBefore[i])]));
  cpu.wrk = wrkCpu === null ? null : cores(wrkCpu);
  const ours = Object.values(cpu).reduce((a, b) => a + (b ?? 0), 0);
  // CPU per request hardly moves with the machine's load, where requests/s does: it is the
  // figure to compare changes with on a shared machine.
  const perRequest = Object.fromEntries(
    Object.entries(cpu)
      .filter(([, v]) => v)
      .map(([k, v]) => [k, Math.round(((v * seconds) / f.requests) * 1e7) / 10]),
  );
  cpu.others = Math.max(0, Math.round((busy / seconds - ours) * 100) / 100);
  const errors = f.connect_errors + f.read_errors + f.write_errors + f.status_errors + f.timeouts + f.unexpected_status;
  const rps = Math.round(f.requests / seconds);
  const figure = {
    scenario: name,
    requests_per_s: rps,
    target_per_s: target,
    p50_ms: f.p50_us / 1000,
    p99_ms: f.p99_us / 1000,
    max_ms: f.max_us / 1000,
    errors,
    error_kinds: { connect: f.connect_errors, read: f.read_errors, write: f.write_errors, status: f.status_errors, timeout: f.timeouts, unexpected_status: f.unexpected_status },
    met: target === null ? null : rps >= target && f.p99_us / 1000 < P99_TARGET_MS && errors === 0,
    requests: f.requests,
    mb_per_s: Math.round(f.bytes / seconds / 1e5) / 10,
    capped: f.capped,
    cpu_cores: cpu,
    cpu_us_per_request: perRequest,
    load_average: [loadBefore, loadAverage()],
    connections: CONNECTIONS,
    wrk_threads: THREADS,
    seconds: Math.round(seconds * 10) / 10,
  };
  report(figure);
  return figure;
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return Math.round(m * 1000) / 1000;
};
const range = (xs, digits = 0) => {
  const f = (x) => x.toFixed(digits);
  return xs.length > 1 ? `${f(median(xs))} (${f(Math.min(...xs))}-${f(Math.max(...xs))})` : f(xs[0]);
};

/** A scenario's runs in one line of figures: medians and ranges. */
function summary(runs) {
  const first = runs[0];
  if (first.not_served) return first;
  const of = (key) => runs.map((r) => r[key]);
  const processes = Object.keys(first.cpu_us_per_request);
  return {
    scenario: first.scenario,
    summary_of_runs: runs.length,
    requests_per_s: median(of('requests_per_s')),
    requests_per_s_range: [Math.min(...of('requests_per_s')), Math.max(...of('requests_per_s'))],
    target_per_s: first.target_per_s,
    p50_ms: median(of('p50_ms')),
    p99_ms: median(of('p99_ms')),
    p99_ms_range: [Math.min(...of('p99_ms')), Math.max(...of('p99_ms'))],
    max_ms: Math.max(...of('max_ms')),
    errors: of('errors').reduce((a, b) => a + b, 0),
    runs_met: first.met === null ? null : runs.filter((r) => r.met).length,
    cpu_us_per_request: Object.fromEntries(processes.map((p) => [p, median(runs.map((r) => r.cpu_us_per_request[p] ?? 0))])),
    load_average_range: [Math.min(...runs.flatMap((r) => r.load_average)), Math.max(...runs.flatMap((r) => r.load_average))],
  };
}

function table(byScenario) {
  const rows = [...byScenario.values()].map((runs) => ({ runs, s: summary(runs) }));
  const head = ['scenario', 'req/s', 'target', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'met', 'CPU µs per request', 'load'];
  const body = rows.map(({ runs, s }) => {
    if (s.not_served) return [s.scenario, `not served by this build (${s.not_served})`];
    const of = (key) => runs.map((r) => r[key]);
    // A run that reached its request cap stopped early: its requests/s is a floor, marked `+`.
    const capped = runs.some((r) => r.capped) ? '+' : '';
    const cpu = Object.entries(s.cpu_us_per_request).map(([k, v]) => `${k} ${v}`).join(', ');
    return [
      s.scenario,
      range(of('requests_per_s')) + capped,
      s.target_per_s ?? '-',
      range(of('p50_ms'), 2),
      range(of('p99_ms'), 1),
      s.max_ms.toFixed(1),
      String(s.errors),
      s.runs_met === null ? '-' : `${s.runs_met}/${runs.length}`,
      cpu,
      `${s.load_average_range[0]}-${s.load_average_range[1]}`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.filter((r) => r.length > 2).map((r) => String(r[i]).length)));
  const line = (r) => (r.length === 2 ? `${r[0].padEnd(widths[0])}  ${r[1]}` : r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd());
  const lines = [line(head), ...body.map(line)];
  // Each run's server against the floor measured just before it, then their median and range.
  const ratio = (floor, server) => {
    const a = byScenario.get(floor);
    const b = byScenario.get(server);
    if (!a || !b || a[0].not_served || b[0].not_served) return null;
    const ratios = b.map((r, i) => (100 * r.requests_per_s) / a[i].requests_per_s);
    return `${server} is ${range(ratios)}% of ${floor}`;
  };
  const ratios = [ratio('floor_304', 'feed_304'), ratio('floor_full', 'feed_full')].filter(Boolean);
  if (ratios.length) lines.push(`floor: ${ratios.join('; ')} (requests/s, run by run)`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
  for (const { s } of rows) if (!s.not_served) report(s);
}

async function main() {
  const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
  process.stderr.write(`bench-server: ${uptime()}\n`);

  // A 10,000-coupon market: the extension benches' big feed, its US dollar coupons only.
  const feed = bigFeed(Math.ceil(COUPONS * 1.3));
  feed.coupons = feed.coupons.filter((c) => c.currency === 'USD').slice(0, COUPONS);
  if (feed.coupons.length !== COUPONS) throw new Error(`made ${feed.coupons.length} coupons, not ${COUPONS}`);
  const feedFile = join(work, 'feed.json');
  writeFileSync(feedFile, JSON.stringify(feed));
  const data = join(work, 'data');
  const serverEnv = { SHOPPER_DATA_DIR: data, SHOPPER_LISTEN: '127.0.0.1:0', SHOPPER_MARKETS: MARKET, RUST_LOG: process.env.RUST_LOG ?? 'warn' };
  execFileSync(SERVER, ['coupons', 'import', feedFile], { env: { ...process.env, ...serverEnv }, stdio: ['ignore', 'ignore', 'inherit'] });

  const c = FAKE_CREDENTIALS;
  const fake = await start('fake_api', FAKE, ['--app-key', c.key, '--app-secret', c.secret, '--tracking-id', c.tracking]);
  const server = await start('server', SERVER, ['serve'], {
    ...serverEnv,
    SHOPPER_ALIEXPRESS_APP_KEY: c.key,
    SHOPPER_ALIEXPRESS_APP_SECRET: c.secret,
    SHOPPER_ALIEXPRESS_TRACKING_ID: c.tracking,
    SHOPPER_ALIEXPRESS_API_URL: `${fake.url}/sync`,
    // Every batch comes from 127.0.0.1 here: the per-address limit is for a shopper's machine,
    // not for a load test (each batch has its own id, so the per-id limit stands).
    SHOPPER_EVENTS_PER_ADDRESS_PER_MINUTE: '1000000000',
  });

  // What the scenarios ask, checked once by hand first.
  const feedUrl = `${server.url}/v1/feeds/${MARKET}`;
  const index = JSON.parse((await ask(`${server.url}/v1/feeds`)).body);
  const entry = index.markets.find((m) => m.market === MARKET);
  if (entry?.coupons !== COUPONS) throw new Error(`${MARKET} serves ${entry?.coupons} coupons, not ${COUPONS}`);
  const full = await ask(feedUrl, { headers: { 'accept-encoding': ACCEPT_ENCODING } });
  if (full.status !== 200 || full.headers['content-encoding'] !== 'br') {
    throw new Error(`the feed answered ${full.status} ${full.headers['content-encoding']}, not 200 br`);
  }
  const etag = full.headers.etag;
  const notModified = await ask(feedUrl, { headers: { 'accept-encoding': ACCEPT_ENCODING, 'if-none-match': etag } });
  if (notModified.status !== 304) throw new Error(`If-None-Match ${etag} answered ${notModified.status}, not 304`);
  for (const body of SEARCHES) {
    const answer = await ask(`${server.url}/v1/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const products = answer.status === 200 ? JSON.parse(answer.body).products?.length : 0;
    if (!products) throw new Error(`search ${body} answered ${answer.status} with no products: ${answer.body}`);
  }
  const batch = await ask(`${server.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BATCHES[0].replace('{{uuid}}', randomUUID()),
  });
  process.stderr.write(
    `bench-server: ${MARKET} feed ${entry.bytes} bytes, ${full.body.length} in Brotli (${etag}); ` +
      `search answers ${SEARCHES.length} requests; POST /v1/events answers ${batch.status}\n`,
  );

  const brotliFile = join(work, 'feed.br');
  writeFileSync(brotliFile, full.body);
  const floor = await start('floor', FLOOR, [brotliFile]);
  const write = (name, lines) => {
    const file = join(work, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };
  const get = { method: 'GET', bodiesFile: null };
  const json = { 'Content-Type': 'application/json', 'Accept-Encoding': ACCEPT_ENCODING };
  const scenarios = [
    { name: 'floor_304', ...get, url: `${floor.url}/not-modified`, headers: { 'If-None-Match': '"floor"' }, expect: 304, target: null, cap: 400_000 * SECONDS },
    { name: 'feed_304', ...get, url: feedUrl, headers: { 'Accept-Encoding': ACCEPT_ENCODING, 'If-None-Match': etag }, expect: 304, target: 20_000, cap: 400_000 * SECONDS },
    // The full feed's answers are not looked at by wrk's script (a copy of each megabyte would
    // cost wrk more than the server): they were checked above, and a status over 399 still counts.
    { name: 'floor_full', ...get, url: `${floor.url}/body`, headers: {}, expect: 0, target: null, cap: 80_000 * SECONDS },
    { name: 'feed_full', ...get, url: feedUrl, headers: { 'Accept-Encoding': ACCEPT_ENCODING }, expect: 0, target: 2_000, cap: 80_000 * SECONDS },
    { name: 'search', method: 'POST', url: `${server.url}/v1/search`, headers: json, bodiesFile: write('search.txt', SEARCHES), expect: 200, target: 2_000, cap: 80_000 * SECONDS },
    { name: 'events', method: 'POST', url: `${server.url}/v1/events`, headers: json, bodiesFile: write('events.txt', BATCHES), expect: batch.status, target: 5_000, cap: 80_000 * SECONDS },
  ].filter((s) => !ONLY || ONLY.has(s.name));

  const processes = [server, fake, floor];
  if (batch.status !== 404 && (batch.status < 200 || batch.status > 299)) {
    throw new Error(`POST /v1/events answered ${batch.status}: ${batch.body}`);
  }
  const byScenario = new Map(scenarios.map((s) => [s.name, []]));
  for (let round = 0; round < RUNS; round++) {
    for (const scenario of scenarios) {
      if (scenario.name === 'events' && batch.status === 404) {
        if (round === 0) {
          const figure = { scenario: 'events', not_served: 'POST /v1/events answered 404', target_per_s: scenario.target };
          report(figure);
          byScenario.get('events').push(figure);
        }
        continue;
      }
      byScenario.get(scenario.name).push(await run(scenario, processes));
    }
  }
  table(byScenario);
  process.stderr.write(`bench-server: ${uptime()}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench-server: ${error.stack ?? error}\n`);
    process.exit(1);
  },
);
