#!/usr/bin/env node
// Benchmarks the built extension in Chromium and prints one JSON line per figure: the Engine deciding 5,000 links, and a 5,000-link page end to end.
//
// Usage: node scripts/bench-e2e.mjs [--runs N]   (after scripts/build; figures, not pass/fail)
//
// 1. worker_decide_links: the service worker's Engine time for a 5,000-link page in auto mode,
//    through the real links_found messages (10 batches of 500). The worker records each
//    decide_links call as a User Timing measure (visible in DevTools too); read here.
// 2. page_decide_links: one decide_links call on 5,000 product links, in an extension page that
//    loads the same glue and WASM (a single 5,000-link batch cannot be sent as messages: the
//    protocol caps a batch at 1,000).
// 3. page_end_to_end: a 5,000-link page in auto mode, from the load event to the last link
//    rewritten, timed inside the page by a MutationObserver (no polling in the measurement).
// 3b. page_end_to_end_traced: the same page with no observer of ours in it, timed from a
//    Chromium trace: from the content script starting to its last task (the last rewrites
//    applied), from the load event to that, and the content script's own main-thread time.
// 4. worker_load_feed: a signed feed of 100,000 coupons (about 38 MB) verified, parsed and
//    indexed in the service worker, as fetched from the feed URL ("Update now"): its total time,
//    how many steps (tasks) it took and the longest of them; then the
//    coupons' snapshot read back from Cache Storage after a worker restart. The worker records
//    each load as a User Timing measure.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { feedUrlOfBuild, launch, ROOT, setMode, tabIdOf, waitIdle } from '../tests/e2e/helpers.mjs';

const LINKS = 5_000;
const PAGE = `https://www.aliexpress.com/w/wholesale-bulk.html?n=${LINKS}`;
const DECIDE_MEASURE = 'smart-shopper:decide_links';
const LOAD_FEED_MEASURE = 'smart-shopper:load_feed';
const LOAD_SNAPSHOT_MEASURE = 'smart-shopper:load_snapshot';
const FEED_COUPONS = 100_000;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const RUNS = Math.max(1, Number(values.runs) || 7);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round = (x) => Math.round(x * 100) / 100;

function report(figure) {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** In the page's own world, before its scripts: when each of our rewrites lands. */
function watchRewrites(expected) {
  window.__bench = { count: 0, first: 0, last: 0 };
  new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) {
      if (r.target.getAttribute('href').startsWith('https://s.click.aliexpress.com/deep_link.htm')) {
        window.__bench.count += 1;
      }
    }
    if (window.__bench.first === 0) window.__bench.first = now;
    if (window.__bench.count >= expected && window.__bench.last === 0) window.__bench.last = now;
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['href'] });
}

async function endToEnd(ext) {
  const worker = await ext.worker();
  await worker.evaluate((name) => performance.clearMeasures(name), DECIDE_MEASURE);
  const page = await ext.context.newPage();
  await page.addInitScript(watchRewrites, LINKS);
  await page.goto(PAGE, { waitUntil: 'load' });
  const deadline = Date.now() + 30_000;
  while ((await page.evaluate(() => window.__bench.last)) === 0) {
    if (Date.now() > deadline) throw new Error('the page was not fully rewritten in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      domContentLoaded: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd,
      first: window.__bench.first,
      last: window.__bench.last,
    };
  });
  const state = await waitIdle(ext, await tabIdOf(ext, page), { atLeast: LINKS });
  if (state.rewritten !== LINKS) throw new Error(`${state.rewritten} of ${LINKS} links rewritten`);
  const measures = await worker.evaluate(
    (name) => performance.getEntriesByName(name).map((m) => [m.duration, m.detail]),
    DECIDE_MEASURE,
  );
  await page.close();
  return { timing, measures };
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

/** One load of the page, traced: when the content script started, ended, and its busy time. */
async function tracedEndToEnd(ext) {
  const page = await ext.context.newPage();
  const cdp = await ext.context.newCDPSession(page);
  const complete = new Promise((resolve) => cdp.on('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'blink.user_timing', 'v8.execute'] },
    transferMode: 'ReturnAsStream',
  });
  await page.goto(PAGE, { waitUntil: 'load' });
  const deadline = Date.now() + 30_000;
  // Polled from outside, cheaply: the page is not observed, so the trace shows only our work.
  while ((await page.evaluate(() => document.querySelectorAll('a[href^="https://s.click"]').length)) < LINKS) {
    if (Date.now() > deadline) throw new Error('the page was not fully rewritten in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  await cdp.send('Tracing.end');
  const events = await readTrace(cdp, (await complete).stream);
  await page.close();
  const load = events.find((e) => e.name === 'loadEventEnd').ts;
  const ours = events.filter((e) => e.ph === 'X' && JSON.stringify(e.args ?? {}).includes('content/content.js'));
  const start = Math.min(...ours.filter((e) => e.name === 'EvaluateScript').map((e) => e.ts));
  const end = Math.max(...ours.filter((e) => e.name === 'FunctionCall').map((e) => e.ts + e.dur));
  const busy = ours.filter((e) => e.name === 'EvaluateScript' || e.name === 'FunctionCall').reduce((sum, e) => sum + e.dur, 0);
  return { span: (end - start) / 1000, fromLoad: (end - load) / 1000, busy: busy / 1000 };
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

/** A feed shaped like the criterion bench's: store coupons over 20,000 stores, a few order-wide. */
function bigFeed(count) {
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const now = Date.now();
  const coupons = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 200 === 0 ? { kind: 'select' } : i % 200 < 3 ? { kind: 'code', code: `CODE${i}` } : { kind: 'store', store_id: String(900000 + (i % 20000)) };
    coupons.push({
      id: `c${i}`,
      ...kind,
      title: `Coupon number ${i}: save on your order`,
      currency: ['EUR', 'BRL', 'USD'][Math.min(i % 10, 2)],
      min_spend: (i * 131) % 6000,
      discount: i % 3 === 0 ? { type: 'percent', percent: (i % 30) + 1, max: 500 + (i % 2000) } : { type: 'fixed', amount: 100 + ((i * 37) % 1500) },
      countries: [],
      starts_at: iso(now - 86400000),
      expires_at: iso(now + 30 * 86400000),
      new_users_only: false,
    });
  }
  return { version: 1, generated_at: iso(now), coupons };
}

/** The worker's measures of one name so far (ms). */
async function loadMeasures(ext, name = LOAD_FEED_MEASURE) {
  return (await loadEntries(ext, name)).map((m) => m.duration);
}

/** The worker's measures of one name so far: duration (ms) and detail. */
async function loadEntries(ext, name) {
  const worker = await ext.worker();
  return worker.evaluate(
    (n) => performance.getEntriesByName(n).map((m) => ({ duration: m.duration, detail: m.detail })),
    name,
  );
}

async function clickUpdateNow(ext) {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await page.locator('#feed-summary').filter({ hasText: /\S/ }).waitFor();
  await page.locator('#feed-refresh').click();
  await page.locator('#feed-refresh:not([disabled])').waitFor({ timeout: 120_000 });
  const result = await page.locator('#feed-result').textContent();
  await page.close();
  return result;
}

async function feedBench(ext) {
  const work = mkdtempSync(join(tmpdir(), 'smart-shopper-bench-'));
  try {
    const plain = join(work, 'feed.json');
    writeFileSync(plain, JSON.stringify(bigFeed(FEED_COUPONS)));
    const envelope = execFileSync(
      join(ROOT, 'target', 'release', 'shopper'),
      ['feed', 'sign', '--key', join(ROOT, 'target', 'dev-publisher-key.json'), plain],
      { maxBuffer: 1 << 30 },
    );
    await ext.context.route(feedUrlOfBuild(), (route) =>
      route.fulfill({ status: 200, headers: { 'content-type': 'application/json' }, body: envelope }),
    );
    const fetched = [];
    const longestSteps = [];
    let steps = 0;
    for (let r = 0; r < 3; r++) {
      const before = (await loadMeasures(ext)).length;
      const result = await clickUpdateNow(ext);
      const after = await loadEntries(ext, LOAD_FEED_MEASURE);
      if (after.length === before) throw new Error(`the feed was not loaded: ${result}`);
      fetched.push(after.at(-1).duration);
      longestSteps.push(after.at(-1).detail.longest_step_ms);
      steps = after.at(-1).detail.steps;
    }
    await ext.context.unroute(feedUrlOfBuild());
    const restarted = [];
    const restartedSteps = [];
    for (let r = 0; r < 3; r++) {
      await ext.stopWorker();
      // The restarted worker reads the stored feed on start; wait for its measure.
      const deadline = Date.now() + 60_000;
      let measures = [];
      while (measures.length === 0 && Date.now() < deadline) {
        measures = await loadEntries(ext, LOAD_SNAPSHOT_MEASURE);
        if (measures.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      restarted.push(measures[0].duration);
      restartedSteps.push(measures[0].detail.longest_step_ms);
    }
    report({
      bench: 'worker_load_feed',
      coupons: FEED_COUPONS,
      envelope_bytes: envelope.length,
      fetched_ms: fetched.map(round),
      median_fetched_ms: round(median(fetched)),
      // The load runs a bounded step a task: the worker answers pages in between.
      steps,
      longest_step_ms: longestSteps.map(round),
      snapshot_after_restart_ms: restarted.map(round),
      median_snapshot_ms: round(median(restarted)),
      snapshot_longest_step_ms: restartedSteps.map(round),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  const ext = await launch();
  try {
    await setMode(ext, 'auto');
    const runs = [];
    for (let i = 0; i < RUNS + 1; i++) runs.push(await endToEnd(ext));
    const cold = runs[0];
    const warm = runs.slice(1);

    const workerTotals = warm.map((r) => r.measures.reduce((sum, [d]) => sum + d, 0));
    const workerMax = warm.map((r) => Math.max(...r.measures.map(([d]) => d)));
    report({
      bench: 'worker_decide_links',
      links: LINKS,
      batches: warm[0].measures.length,
      batch_size: Math.max(...warm[0].measures.map(([, n]) => n)),
      runs: warm.length,
      median_total_ms: round(median(workerTotals)),
      min_total_ms: round(Math.min(...workerTotals)),
      max_total_ms: round(Math.max(...workerTotals)),
      median_max_batch_ms: round(median(workerMax)),
      first_page_total_ms: round(cold.measures.reduce((sum, [d]) => sum + d, 0)),
    });

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

    const fromLoad = warm.map((r) => r.timing.last - r.timing.load);
    const fromDcl = warm.map((r) => r.timing.last - r.timing.domContentLoaded);
    const firstToLast = warm.map((r) => r.timing.last - r.timing.first);
    report({
      bench: 'page_end_to_end',
      links: LINKS,
      runs: warm.length,
      median_load_to_all_rewritten_ms: round(median(fromLoad)),
      min_load_to_all_rewritten_ms: round(Math.min(...fromLoad)),
      median_dcl_to_all_rewritten_ms: round(median(fromDcl)),
      median_first_to_last_rewrite_ms: round(median(firstToLast)),
      first_page_load_to_all_rewritten_ms: round(cold.timing.last - cold.timing.load),
    });

    const traced = [];
    for (let i = 0; i < RUNS; i++) traced.push(await tracedEndToEnd(ext));
    report({
      bench: 'page_end_to_end_traced',
      links: LINKS,
      runs: traced.length,
      median_content_start_to_last_applied_ms: round(median(traced.map((t) => t.span))),
      min_content_start_to_last_applied_ms: round(Math.min(...traced.map((t) => t.span))),
      median_load_to_last_applied_ms: round(median(traced.map((t) => t.fromLoad))),
      median_content_script_busy_ms: round(median(traced.map((t) => t.busy))),
    });

    await feedBench(ext);
  } finally {
    await ext.close();
  }
}

await main();
