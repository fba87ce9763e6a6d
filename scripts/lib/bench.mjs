// What the extension's benches share: their figures' arithmetic and output, the big feed they load, and how they make the worker load it.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { feedUrlOfBuild, ROOT } from '../../tests/e2e/helpers.mjs';

export { bigFeed, report } from './bench-plain.mjs';

/** The worker's measure of a fresh feed's load, and of a stored snapshot's (extension/background/feed.js). */
export const LOAD_FEED_MEASURE = 'smart-shopper:load_feed';
export const LOAD_SNAPSHOT_MEASURE = 'smart-shopper:load_snapshot';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
export const round = (x) => Math.round(x * 100) / 100;
export const spread = (xs) => ({ median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)) });

/** The feed signed with the development key by the `shopper` command, as its envelope's bytes. */
export function signedEnvelope(feed) {
  const work = mkdtempSync(join(tmpdir(), 'smart-shopper-bench-'));
  try {
    const plain = join(work, 'feed.json');
    writeFileSync(plain, JSON.stringify(feed));
    return execFileSync(
      join(ROOT, 'target', 'release', 'shopper'),
      ['feed', 'sign', '--key', join(ROOT, 'target', 'dev-publisher-key.json'), plain],
      { maxBuffer: 1 << 30 },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Answers the build's feed URL with this envelope until the returned function is called. */
export async function serveEnvelope(ext, envelope) {
  await ext.context.route(feedUrlOfBuild(), (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'application/json' }, body: envelope }),
  );
  return () => ext.context.unroute(feedUrlOfBuild());
}

/** The worker's measures of one name so far: duration (ms) and detail. */
export async function workerEntries(ext, name) {
  const worker = await ext.worker();
  return worker.evaluate(
    (n) => performance.getEntriesByName(n).map((m) => ({ ms: m.duration, detail: m.detail })),
    name,
  );
}

/** Presses the options page's "Update now" and waits for its result line. */
export async function clickUpdateNow(ext) {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await page.locator('#feed-summary').filter({ hasText: /\S/ }).waitFor();
  await page.locator('#feed-refresh').click();
  await page.locator('#feed-refresh:not([disabled])').waitFor({ timeout: 120_000 });
  const result = await page.locator('#feed-result').textContent();
  await page.close();
  return result;
}

/** "Update now" until the worker has loaded the served feed this many times; their measures. */
export async function freshLoads(ext, times) {
  const loads = [];
  for (let r = 0; r < times; r++) {
    // The worker's own refresh at start may load it too: only the click's load is counted.
    const before = (await workerEntries(ext, LOAD_FEED_MEASURE)).length;
    const result = await clickUpdateNow(ext);
    const after = await workerEntries(ext, LOAD_FEED_MEASURE);
    if (after.length === before) throw new Error(`the feed was not loaded: ${result}`);
    loads.push({ ...after.at(-1), result });
  }
  return loads;
}

/** The figures of fresh loads (from freshLoads): each one's time, their median, its steps and their longest. */
export function freshLoadFigures(loads) {
  return {
    load_ms: loads.map((f) => round(f.ms)),
    median_load_ms: round(median(loads.map((f) => f.ms))),
    // The load runs a bounded step a task: the worker answers pages in between.
    steps: loads.at(-1).detail.steps,
    longest_step_ms: loads.map((f) => round(f.detail.longest_step_ms)),
  };
}
