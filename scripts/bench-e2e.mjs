#!/usr/bin/env node
// Benchmarks the built extension in Chromium and prints one JSON line per figure: big pages end to end against a floor, the Engine deciding 5,000 links, a 100,000-coupon feed.
//
// Usage: node scripts/bench-e2e.mjs [--runs N] [--only page,links,feed]
//        (after scripts/build; figures, not pass/fail; nothing here is a test)
//
// 1. page_links (one line per page shape, then page_links_summary): issue 9's two figures for a
//    5,000-link page in auto mode.
//    - first_viewport_ms: from the content script's start to the moment the last link of the
//      first viewport (1280×720, not scrolled) carries its decision; the target is ≤ 30 ms.
//    - end_ms: from the content script's start to the last rewrite on the page, for our content
//      script and for the floor, the least a content script can do for the same page (no
//      slicing, no bookkeeping, every batch sent at once, each answer applied as it arrives),
//      built here from the same protocol module and loaded as its own copy of dist/chrome, never
//      shipped. The target: the median of ours ≤ 1.25 × the floor's median, measured in the same
//      run. The two browsers run side by side and their page loads alternate, so both see the
//      same machine (this 2-core VM varies up to twofold from minute to minute).
//    The content script's start comes from a Chromium trace (its EvaluateScript); when each link
//    changed comes from a MutationObserver in the page's own world that only keeps the records
//    (the same cost for both scripts); the clocks are joined by a User Timing mark. Each line
//    also has the page's main-thread busy and CPU time over the same span, the longest task,
//    and worker_decide_links_ms, the service worker's Engine time for our script's batches (the
//    worker records each decide_links call as a User Timing measure, visible in DevTools too).
//    The summary gives the machine's load average: figures stretch with it, the floor's less
//    than ours (it does everything in one task, which other processes interrupt less often).
// 2. page_decide_links: one decide_links call on 5,000 product links, in an extension page that
//    loads the same glue and WASM (a single 5,000-link batch cannot be sent as messages: the
//    protocol caps a batch at 1,000).
// 3. worker_load_feed: a signed feed of 100,000 coupons (about 38 MB) verified, parsed and
//    indexed in the service worker, as fetched from the feed URL ("Update now"): its total time,
//    how many steps (tasks) it took and the longest of them; then the
//    coupons' snapshot read back from Cache Storage after a worker restart. The worker records
//    each load as a User Timing measure.

import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { DIST, launch, ROOT, setMode, sleep } from '../tests/e2e/helpers.mjs';
import {
  bigFeed,
  freshLoadFigures,
  freshLoads,
  LOAD_SNAPSHOT_MEASURE,
  median,
  report,
  round,
  serveEnvelope,
  signedEnvelope,
  spread,
  workerEntries,
} from './lib/bench.mjs';

const LINKS = 5_000;
const DECIDE_MEASURE = 'smart-shopper:decide_links';
const FEED_COUPONS = 100_000;
const ORIGIN_MARK = 'smart-shopper-bench:origin';
/** Loads of each page by each script before the measured ones: the JIT and the worker warm up. */
const WARM_UP = 2;

const BENCHES = ['page', 'links', 'feed'];
/** Measured loads of each page by each script (set from --runs). */
let RUNS = 10;

function productHref(i) {
  return `https://www.aliexpress.com/item/${1005000000000000 + i}.html?spm=a2g0o.productlist.${i}`;
}

const PAGE_HEAD =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bulk results - AliExpress</title>' +
  '<style>body{font:13px sans-serif;margin:0}ul{list-style:none;margin:0;padding:8px;display:grid;' +
  'grid-template-columns:repeat(5,1fr);gap:4px}li{border:1px solid #ddd;padding:4px}' +
  'header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:4px 8px}' +
  '.menu{display:none}.cards li a{display:block}</style></head><body>';

/**
 * The page shapes, each with 5,000 product links (so "done" is every link rewritten, whatever
 * the Engine's rules for other pages become).
 * - grid: results in document order, as tests/e2e's bulk page (the viewport's links come first).
 * - menu_first: a header whose category menu holds 600 product links hidden until hovered (as
 *   AliExpress's own), before a grid of cards with an image link and a title link each: the
 *   first links in document order are not on screen.
 */
export const SHAPES = {
  grid() {
    const parts = [PAGE_HEAD, `<h1>${LINKS} results</h1><ul>`];
    for (let i = 0; i < LINKS; i++) parts.push(`<li><a href="${productHref(i)}">Item ${i}</a></li>`);
    parts.push('</ul></body></html>');
    return parts.join('');
  },
  menu_first() {
    const menu = 600;
    const parts = [PAGE_HEAD, '<header><b>AliExpress</b> <span>Categories</span><div class="menu">'];
    for (let i = 0; i < menu; i++) parts.push(`<a href="${productHref(i)}">Top pick ${i}</a>`);
    parts.push(`</div></header><h1>${LINKS - menu} results</h1><ul class="cards">`);
    for (let i = menu; i < LINKS; i += 2) {
      parts.push(`<li><a href="${productHref(i)}">[image]</a><a href="${productHref(i + 1)}">Item ${i}</a></li>`);
    }
    parts.push('</ul></body></html>');
    return parts.join('');
  },
};
const shapeUrl = (shape) => `https://www.aliexpress.com/w/wholesale-bench-${shape.replace('_', '-')}.html`;

/** Serves the bench's pages (routes registered last are matched first). */
export async function serveShapes(context) {
  for (const [shape, html] of Object.entries(SHAPES)) {
    const body = html();
    await context.route(shapeUrl(shape), (route) =>
      route.fulfill({ headers: { 'content-type': 'text/html; charset=utf-8' }, body }),
    );
  }
}

// The floor content script: the least that does the job through the same worker and protocol.
// Bundled here into a copy of dist/chrome; the extension never contains it.
const FLOOR_SOURCE = `
import { BATCH_SIZE, message, rewriteLines } from './shared/protocol.js';
const navigation = performance.getEntriesByType('navigation')[0];
const visit = { landing: navigation?.name || location.href, referrer: document.referrer };
const links = document.querySelectorAll('a[href]');
for (let start = 0; start < links.length; start += BATCH_SIZE) {
  const els = [];
  const hrefs = [];
  for (let i = start; i < Math.min(links.length, start + BATCH_SIZE); i++) {
    els.push(links[i]);
    hrefs.push(links[i].getAttribute('href'));
  }
  chrome.runtime.sendMessage(message.linksFound(visit, document.baseURI, hrefs)).then((reply) => {
    const lines = rewriteLines(reply, hrefs.length) ?? [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] !== '' && lines[i] !== hrefs[i]) els[i].setAttribute('href', lines[i]);
    }
  });
}
`;

/** A copy of dist/chrome whose content script is the floor; returns its directory. */
export async function buildFloor(dir) {
  cpSync(DIST, dir, { recursive: true });
  await build({
    stdin: { contents: FLOOR_SOURCE, resolveDir: join(ROOT, 'extension'), sourcefile: 'floor.js' },
    outfile: join(dir, 'content', 'content.js'),
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    logLevel: 'warning',
  });
  return dir;
}

/**
 * In the page's own world, before its scripts: keeps every href change record with its time
 * (nothing else, so the cost is the same for any content script), and a User Timing mark that
 * joins the page's clock to the trace's.
 */
function watchRewrites(expected) {
  const bench = { log: [], count: 0, origin: 0, done: null };
  window.__bench = bench;
  bench.origin = performance.mark('smart-shopper-bench:origin').startTime;
  new MutationObserver((records) => {
    bench.log.push(performance.now(), records);
    bench.count += records.length;
    if (bench.count >= expected && bench.done) bench.done();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['href'] });
}

/** In the page, once every link changed: when the viewport's last link and the page's last link changed. */
function readRewrites() {
  const bench = window.__bench;
  const changed = new Map();
  for (let i = 0; i < bench.log.length; i += 2) {
    for (const record of bench.log[i + 1]) {
      if (!changed.has(record.target)) changed.set(record.target, bench.log[i]);
    }
  }
  let viewportLinks = 0;
  let viewportLast = 0;
  let viewportUnchanged = 0;
  for (const a of document.querySelectorAll('a[href]')) {
    const r = a.getBoundingClientRect();
    const visible = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
    if (!visible) continue;
    viewportLinks += 1;
    const at = changed.get(a);
    if (at === undefined) viewportUnchanged += 1;
    else viewportLast = Math.max(viewportLast, at);
  }
  let last = 0;
  for (const at of changed.values()) last = Math.max(last, at);
  const navigation = performance.getEntriesByType('navigation')[0];
  return {
    origin: bench.origin,
    viewportLinks,
    viewportUnchanged,
    viewportLast,
    last,
    changed: changed.size,
    domContentLoaded: navigation.domContentLoadedEventEnd,
    load: navigation.loadEventEnd,
  };
}

async function readTrace(cdp, handle) {
  let out = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle, size: 1 << 20 });
    out += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle });
  return JSON.parse(out).traceEvents;
}

/** One traced load of `shape` by the content script of `ext`: its figures in ms. */
export async function loadPage(ext, shape) {
  const page = await ext.context.newPage();
  await page.addInitScript(watchRewrites, LINKS);
  const cdp = await ext.context.newCDPSession(page);
  const complete = new Promise((resolve) => cdp.on('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'blink.user_timing', 'toplevel'] },
    transferMode: 'ReturnAsStream',
  });
  await page.goto(shapeUrl(shape), { waitUntil: 'load' });
  // One evaluate that the page's observer answers: no polling in the page while it works.
  const all = page.evaluate(
    (n) => new Promise((resolve) => (window.__bench.count >= n ? resolve() : (window.__bench.done = resolve))),
    LINKS,
  );
  await Promise.race([
    all,
    sleep(30_000).then(() => {
      throw new Error(`${shape}: the page was not fully rewritten in 30 s`);
    }),
  ]);
  // The content script's last tasks (applying, then going idle) land in the trace too.
  await sleep(300);
  const seen = await page.evaluate(readRewrites);
  await cdp.send('Tracing.end');
  const events = await readTrace(cdp, (await complete).stream);
  await page.close();

  const evaluate = events.filter(
    (e) => e.name === 'EvaluateScript' && JSON.stringify(e.args ?? {}).includes('/content/content.js'),
  );
  if (evaluate.length === 0) throw new Error(`${shape}: no content script in the trace`);
  const mark = events.find((e) => e.name === ORIGIN_MARK);
  if (!mark) throw new Error(`${shape}: no ${ORIGIN_MARK} mark in the trace`);
  const first = evaluate.reduce((a, b) => (a.ts <= b.ts ? a : b));
  // The content script's start on the page's clock.
  const toPage = (ts) => (ts - mark.ts) / 1000 + seen.origin;
  const start = toPage(first.ts);
  if (seen.viewportUnchanged > 0) throw new Error(`${shape}: ${seen.viewportUnchanged} links on screen not rewritten`);
  // The page's main thread from the script's start to the last rewrite: every task on it (ours,
  // answers arriving, the page's rendering of our writes, Chromium's own anchor report), as
  // wall time and as thread (CPU) time, which other processes on this VM stretch less. Our
  // work runs partly in microtasks and message handlers that the trace does not name after
  // the script, so the whole thread is the fair measure of both scripts.
  const tasks = events.filter(
    (e) =>
      e.ph === 'X' &&
      e.name === 'ThreadControllerImpl::RunTask' &&
      e.pid === first.pid &&
      e.tid === first.tid &&
      toPage(e.ts + e.dur) > start &&
      toPage(e.ts) <= seen.last,
  );
  const busy = tasks.reduce((sum, e) => sum + e.dur, 0);
  const cpu = tasks.reduce((sum, e) => sum + (e.tdur ?? 0), 0);
  const longest = tasks.reduce((most, e) => Math.max(most, e.dur), 0);
  return {
    firstViewport: seen.viewportLast - start,
    viewportLinks: seen.viewportLinks,
    end: seen.last - start,
    startAfterLoad: start - seen.load,
    startAfterDcl: start - seen.domContentLoaded,
    busy: busy / 1000,
    cpu: cpu / 1000,
    longestTask: longest / 1000,
  };
}

async function pageBench() {
  const work = mkdtempSync(join(tmpdir(), 'smart-shopper-bench-floor-'));
  const ours = await launch();
  let floor = null;
  try {
    floor = await launch({ dist: await buildFloor(join(work, 'chrome')) });
    for (const ext of [ours, floor]) {
      await serveShapes(ext.context);
      await setMode(ext, 'auto');
    }
    const worker = await ours.worker();
    const loadBefore = loadavg()[0];
    const summary = { ours: { viewport: [], end: [] }, floor: { end: [] }, ratios: [] };
    for (const shape of Object.keys(SHAPES)) {
      const got = { ours: [], floor: [] };
      const decide = [];
      for (let run = 0; run < WARM_UP + RUNS; run++) {
        // Alternate which script goes first, so neither always follows the other.
        const order = run % 2 === 0 ? ['ours', 'floor'] : ['floor', 'ours'];
        for (const which of order) {
          if (which === 'ours') await worker.evaluate((name) => performance.clearMeasures(name), DECIDE_MEASURE);
          const figures = await loadPage(which === 'ours' ? ours : floor, shape);
          if (run < WARM_UP) continue;
          got[which].push(figures);
          if (which === 'ours') {
            decide.push(
              await worker.evaluate(
                (name) => performance.getEntriesByName(name).map((m) => [m.duration, m.detail]),
                DECIDE_MEASURE,
              ),
            );
          }
        }
      }
      const oursEnd = got.ours.map((f) => f.end);
      const floorEnd = got.floor.map((f) => f.end);
      const viewport = got.ours.map((f) => f.firstViewport);
      const ratios = oursEnd.map((end, i) => end / floorEnd[i]);
      summary.ours.viewport.push(...viewport);
      summary.ours.end.push(...oursEnd);
      summary.floor.end.push(...floorEnd);
      summary.ratios.push(...ratios);
      report({
        bench: 'page_links',
        page: shape,
        links: LINKS,
        runs: RUNS,
        viewport_links: got.ours[0].viewportLinks,
        first_viewport_ms: spread(viewport),
        floor_first_viewport_ms: spread(got.floor.map((f) => f.firstViewport)),
        end_ms: spread(oursEnd),
        floor_end_ms: spread(floorEnd),
        end_over_floor: round(median(oursEnd) / median(floorEnd)),
        paired_end_over_floor: spread(ratios),
        start_after_load_ms: spread(got.ours.map((f) => f.startAfterLoad)),
        main_thread_busy_ms: spread(got.ours.map((f) => f.busy)),
        floor_main_thread_busy_ms: spread(got.floor.map((f) => f.busy)),
        main_thread_cpu_ms: spread(got.ours.map((f) => f.cpu)),
        floor_main_thread_cpu_ms: spread(got.floor.map((f) => f.cpu)),
        longest_task_ms: spread(got.ours.map((f) => f.longestTask)),
        floor_longest_task_ms: spread(got.floor.map((f) => f.longestTask)),
        worker_decide_links_ms: spread(decide.map((m) => m.reduce((sum, [d]) => sum + d, 0))),
        worker_batches: spread(decide.map((m) => m.length)),
      });
    }
    report({
      bench: 'page_links_summary',
      pages: Object.keys(SHAPES),
      runs: summary.ratios.length,
      first_viewport_ms: spread(summary.ours.viewport),
      first_viewport_target_ms: 30,
      end_ms: spread(summary.ours.end),
      floor_end_ms: spread(summary.floor.end),
      end_over_floor: round(median(summary.ours.end) / median(summary.floor.end)),
      end_over_floor_target: 1.25,
      paired_end_over_floor: spread(summary.ratios),
      runs_first_viewport_within_target: summary.ours.viewport.filter((ms) => ms <= 30).length,
      runs_end_within_target: summary.ratios.filter((r) => r <= 1.25).length,
      // This VM's 2 cores are shared: a load average well above 2 stretches every figure.
      load_average_1min: [round(loadBefore), round(loadavg()[0])],
    });
  } finally {
    await floor?.close();
    await ours.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function pageDecide(ext) {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
  const result = await page.evaluate(
    async ({ n, runs }) => {
      const glue = await import(chrome.runtime.getURL('wasm/shopper_wasm.js'));
      await glue.default({ module_or_path: chrome.runtime.getURL('wasm/shopper_wasm_bg.wasm') });
      const { DEFAULT_AFFILIATE_KEY } = await import(chrome.runtime.getURL('config.js'));
      const engine = new glue.Engine(DEFAULT_AFFILIATE_KEY);
      const hrefs = [];
      for (let i = 0; i < n; i++) {
        hrefs.push(`https://www.aliexpress.com/item/${1005000000000000 + i}.html?spm=a2g0o.productlist.${i}`);
      }
      const joined = hrefs.join('\n');
      const times = [];
      let rewritten = 0;
      for (let r = 0; r < runs + 3; r++) {
        const t0 = performance.now();
        const batch = engine.decide_links(joined, '', '', 'auto', false, false);
        const lines = batch.take_rewrites().split('\n').length;
        rewritten = batch.rewritten;
        batch.free();
        const dt = performance.now() - t0;
        if (lines !== n) throw new Error(`${lines} lines for ${n} links`);
        if (r >= 3) times.push(dt); // the first calls warm the WASM tiers up
      }
      engine.free();
      return { times, rewritten };
    },
    { n: LINKS, runs: RUNS },
  );
  await page.close();
  return result;
}

async function feedBench(ext) {
  const feed = bigFeed(FEED_COUPONS);
  const envelope = signedEnvelope(feed);
  const unroute = await serveEnvelope(ext, envelope);
  const fresh = await freshLoads(ext, 3);
  await unroute();
  const restarted = [];
  for (let r = 0; r < 3; r++) {
    await ext.stopWorker();
    // The restarted worker reads the stored feed on start; wait for its measure.
    const deadline = Date.now() + 60_000;
    let measures = [];
    while (measures.length === 0 && Date.now() < deadline) {
      measures = await workerEntries(ext, LOAD_SNAPSHOT_MEASURE);
      if (measures.length === 0) await sleep(200);
    }
    restarted.push(measures[0]);
  }
  report({
    bench: 'worker_load_feed',
    coupons: feed.coupons.length,
    envelope_bytes: envelope.length,
    ...freshLoadFigures(fresh),
    snapshot_after_restart_ms: restarted.map((m) => round(m.ms)),
    median_snapshot_ms: round(median(restarted.map((m) => m.ms))),
    snapshot_longest_step_ms: restarted.map((m) => round(m.detail.longest_step_ms)),
  });
}

async function main() {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: String(RUNS) }, only: { type: 'string', default: BENCHES.join(',') } },
  });
  RUNS = Math.max(1, Number(values.runs) || RUNS);
  const ONLY = new Set(values.only.split(','));
  if (ONLY.has('page')) await pageBench();
  if (!ONLY.has('links') && !ONLY.has('feed')) return;
  const ext = await launch();
  try {
    if (ONLY.has('links')) {
      const single = await pageDecide(ext);
      report({
        bench: 'page_decide_links',
        links: LINKS,
        batches: 1,
        runs: single.times.length,
        rewritten: single.rewritten,
        median_ms: round(median(single.times)),
        min_ms: round(Math.min(...single.times)),
        max_ms: round(Math.max(...single.times)),
      });
    }
    if (ONLY.has('feed')) await feedBench(ext);
  } finally {
    await ext.close();
  }
}

// Run as a script (other scripts may import the page bench's pieces to compare builds).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
