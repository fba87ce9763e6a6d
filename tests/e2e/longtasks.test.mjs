// End to end: a page with 50,000 product links is processed in auto mode without blocking the main thread (no long task over 50 ms after load).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, setMode, tabIdOf, waitIdle } from './helpers.mjs';

const LINKS = 50_000;
const BULK = `https://www.aliexpress.com/w/wholesale-bulk.html?n=${LINKS}`;
const LONG_TASK_MS = 50;

let ext;

before(async () => {
  ext = await launch();
  await setMode(ext, 'auto');
});

after(async () => {
  await ext?.close();
});

/**
 * Runs in the page's own world before its scripts: records long tasks, and counts the links
 * that became our deep links (an observer, so finding out costs the page nothing).
 */
function watchPage() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
  window.__rewritten = 0;
  window.__firstRewrite = 0;
  window.__lastRewrite = 0;
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.target.getAttribute('href').startsWith('https://s.click.aliexpress.com/deep_link.htm')) {
        window.__rewritten += 1;
      }
    }
    window.__lastRewrite = performance.now();
    if (window.__firstRewrite === 0) window.__firstRewrite = window.__lastRewrite;
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['href'] });
}

/** One load of the big page: the long tasks after load, and when the rewrites landed. */
async function measure() {
  const page = await ext.context.newPage();
  await page.addInitScript(watchPage);
  await page.goto(BULK, { waitUntil: 'load', timeout: 60_000 });
  const loadEnd = await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd);

  // Polled with plain evaluate calls: waitForFunction would install Playwright's injected script
  // in the page, itself a long task on this machine.
  const deadline = Date.now() + 90_000;
  while ((await page.evaluate(() => window.__rewritten)) < LINKS) {
    assert.ok(Date.now() < deadline, 'all links rewritten within 90 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const tabId = await tabIdOf(ext, page);
  const state = await waitIdle(ext, tabId, { atLeast: LINKS });
  assert.equal(state.found, LINKS);
  assert.equal(state.rewritten, LINKS);

  const { tasks, firstRewrite, lastRewrite } = await page.evaluate(() => ({
    tasks: window.__longTasks,
    firstRewrite: window.__firstRewrite,
    lastRewrite: window.__lastRewrite,
  }));
  await page.close();
  const afterLoad = tasks.filter((task) => task.start >= loadEnd);
  return {
    over: afterLoad.filter((task) => task.duration > LONG_TASK_MS),
    summary:
      `load ended at ${Math.round(loadEnd)} ms; links rewritten from ${Math.round(firstRewrite - loadEnd)} ` +
      `to ${Math.round(lastRewrite - loadEnd)} ms after load; long tasks after load: ` +
      `${JSON.stringify(afterLoad.map((task) => Math.round(task.duration)))} ms; ` +
      `${tasks.length - afterLoad.length} before load (the page parsing 50,000 links)`,
  };
}

// Long tasks are wall-clock time: on a 2-core machine another busy process can stretch any task
// past 50 ms. Another load in a fresh tab tells such noise from a real stall, which shows every
// time; every attempt is reported.
const ATTEMPTS = 3;

test(`${LINKS} links: all rewritten, no long task over ${LONG_TASK_MS} ms after load`, { timeout: 240_000 }, async (t) => {
  let result;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    result = await measure();
    t.diagnostic(`attempt ${attempt}: ${result.summary}`);
    if (result.over.length === 0) break;
  }
  assert.deepEqual(result.over, [], `long tasks over ${LONG_TASK_MS} ms after load, in every attempt`);
});
