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

import { parseArgs } from 'node:util';
import { launch, setMode, tabIdOf, waitIdle } from '../tests/e2e/helpers.mjs';

const LINKS = 5_000;
const PAGE = `https://www.aliexpress.com/w/wholesale-bulk.html?n=${LINKS}`;
const DECIDE_MEASURE = 'smart-shopper:decide_links';

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
  } finally {
    await ext.close();
  }
}

await main();
