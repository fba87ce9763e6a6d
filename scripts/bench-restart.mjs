#!/usr/bin/env node
// Benchmarks a service-worker restart with a 100,000-coupon snapshot stored: how long the popup waits for its coupons after the first message, and the floor under that figure.
//
// Usage: node scripts/bench-restart.mjs [--runs N] [--coupons N]   (after scripts/build; figures,
// not pass/fail). Prints one JSON line per figure:
//
// 1. restart_tab_coupons: the worker is stopped (as Chrome does after 30 s idle), then an
//    extension page sends it `get_tab_coupons` for a product tab, as the popup does on opening:
//    the time from that first message to the answer with the tab's coupons, and where the
//    worker's own time went (its marks: the Engine ready, the snapshot's bytes read, the
//    snapshot loaded into the coupon book), measured from the worker's start.
// 2. restart_settings: the same, with `get_settings` (needs the Engine, not the coupons): the
//    worker's start and the WASM's instantiation, the floor of any first answer.
// 0. fresh_feed_load: the signed feed verified, read and indexed in the worker ("Update now").
// 3. restart_floor: in an extension page, the parts a restart cannot avoid: reading the
//    snapshot's bytes from Cache Storage, instantiating the WASM, and copying the bytes into it.
//
// The feed is shaped as scripts/bench-e2e.mjs's (store coupons over 20,000 stores, a few order-wide
// ones), each coupon with its terms page on AliExpress, as a publisher's would have.

import { parseArgs } from 'node:util';
import { launch, PRODUCT_PAGE, tabIdOf, waitIdle } from '../tests/e2e/helpers.mjs';
import { bigFeed, freshLoadFigures, freshLoads, LOAD_SNAPSHOT_MEASURE, median, report, round, serveEnvelope, signedEnvelope } from './lib/bench.mjs';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, coupons: { type: 'string', default: '100000' } },
});
const RUNS = Math.max(1, Number(values.runs) || 7);
const COUPONS = Math.max(1, Number(values.coupons) || 100_000);
const CACHE_NAME = 'smart-shopper-feed';
const SNAPSHOT_KEY = 'https://smart-shopper.invalid/feed/current.snapshot';
const MARKS = ['smart-shopper:engine_ready', 'smart-shopper:snapshot_read'];

/** The worker's marks and its snapshot measure, from its start (its time origin). */
async function workerTimes(ext) {
  const worker = await ext.worker();
  return worker.evaluate(
    ({ marks, measure }) => {
      const at = Object.fromEntries(marks.map((name) => [name, performance.getEntriesByName(name)[0] ?? null]));
      const load = performance.getEntriesByName(measure)[0] ?? null;
      return {
        engine_ready_ms: at[marks[0]]?.startTime ?? null,
        snapshot_read_ms: at[marks[1]]?.startTime ?? null,
        snapshot_bytes: at[marks[1]]?.detail ?? null,
        snapshot_loaded_ms: load ? load.startTime + load.duration : null,
        snapshot_load_ms: load?.duration ?? null,
        snapshot_steps: load?.detail?.steps ?? null,
        snapshot_longest_step_ms: load?.detail?.longest_step_ms ?? null,
      };
    },
    { marks: MARKS, measure: LOAD_SNAPSHOT_MEASURE },
  );
}

/** Stops the worker, then times the first message an extension page sends it. */
async function firstAnswer(ext, page, message) {
  await ext.stopWorker();
  return page.evaluate(async (msg) => {
    const start = performance.now();
    const reply = await chrome.runtime.sendMessage(msg);
    return { ms: performance.now() - start, reply };
  }, message);
}

/** In an extension page: reading the snapshot, compiling and instantiating the WASM, copying the bytes into it. */
async function floor(page) {
  return page.evaluate(
    async ({ cacheName, key, runs }) => {
      const glue = await import(chrome.runtime.getURL('wasm/shopper_wasm.js'));
      const wasmUrl = chrome.runtime.getURL('wasm/shopper_wasm_bg.wasm');
      const out = { cache_read_ms: [], wasm_compile_ms: [], wasm_instantiate_ms: 0, copy_in_ms: [], bytes: 0 };
      let exports = null;
      for (let r = 0; r < runs; r++) {
        let t = performance.now();
        const cache = await caches.open(cacheName);
        const response = await cache.match(key);
        const bytes = new Uint8Array(await response.arrayBuffer());
        out.cache_read_ms.push(performance.now() - t);
        out.bytes = bytes.byteLength;
        t = performance.now();
        const module = await WebAssembly.compileStreaming(fetch(wasmUrl));
        out.wasm_compile_ms.push(performance.now() - t);
        if (exports === null) {
          // The glue keeps one instance: instantiated once.
          t = performance.now();
          exports = await glue.default({ module_or_path: module });
          out.wasm_instantiate_ms = performance.now() - t;
        }
        // What any call taking the snapshot does first: room in the module's memory (grown the
        // first time), and the bytes copied there.
        t = performance.now();
        const at = exports.__wbindgen_malloc(bytes.byteLength, 1);
        new Uint8Array(exports.memory.buffer, at, bytes.byteLength).set(bytes);
        out.copy_in_ms.push(performance.now() - t);
        exports.__wbindgen_free(at, bytes.byteLength, 1);
      }
      return out;
    },
    { cacheName: CACHE_NAME, key: SNAPSHOT_KEY, runs: RUNS },
  );
}

async function main() {
  const ext = await launch();
  try {
    const feed = bigFeed(COUPONS);
    const envelope = signedEnvelope(feed);
    const unroute = await serveEnvelope(ext, envelope);
    // The fresh feed, verified, read and indexed in the worker (what `Update now` does), three
    // times; its snapshot is what the restarts read.
    const fresh = await freshLoads(ext, 3);
    const result = fresh.at(-1).result;
    await unroute();
    report({
      bench: 'fresh_feed_load',
      coupons: feed.coupons.length,
      envelope_bytes: envelope.length,
      ...freshLoadFigures(fresh),
    });

    const product = await ext.context.newPage();
    await product.goto(PRODUCT_PAGE);
    const tabId = await tabIdOf(ext, product);
    await waitIdle(ext, tabId);
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await page.locator('#feed-summary').filter({ hasText: /\S/ }).waitFor();

    const coupons = [];
    const phases = [];
    for (let r = 0; r < RUNS; r++) {
      const { ms, reply } = await firstAnswer(ext, page, { kind: 'get_tab_coupons', tabId });
      if (reply?.ok !== true || !reply.report?.coupons?.some((c) => c.id === 'fixture-store')) {
        throw new Error(`no coupons in the answer: ${JSON.stringify(reply).slice(0, 300)} (update: ${result})`);
      }
      if (reply.feed?.coupons !== feed.coupons.length) throw new Error(`${reply.feed?.coupons} coupons in use, not ${feed.coupons.length}`);
      coupons.push(ms);
      phases.push(await workerTimes(ext));
    }
    const pick = (name) => phases.map((p) => p[name]).filter((x) => x !== null);
    report({
      bench: 'restart_tab_coupons',
      coupons: feed.coupons.length,
      runs: RUNS,
      first_message_to_coupons_ms: coupons.map(round),
      median_ms: round(median(coupons)),
      target_ms: 60,
      snapshot_bytes: phases[0].snapshot_bytes,
      // From the worker's start:
      median_engine_ready_ms: round(median(pick('engine_ready_ms'))),
      median_snapshot_read_ms: round(median(pick('snapshot_read_ms'))),
      median_snapshot_loaded_ms: round(median(pick('snapshot_loaded_ms'))),
      median_snapshot_load_ms: round(median(pick('snapshot_load_ms'))),
      snapshot_steps: phases[0].snapshot_steps,
      median_snapshot_longest_step_ms: round(median(pick('snapshot_longest_step_ms'))),
    });

    const settings = [];
    for (let r = 0; r < RUNS; r++) settings.push((await firstAnswer(ext, page, { kind: 'get_settings' })).ms);
    report({
      bench: 'restart_settings',
      runs: RUNS,
      first_message_to_settings_ms: settings.map(round),
      median_ms: round(median(settings)),
    });

    const parts = await floor(page);
    report({
      bench: 'restart_floor',
      runs: RUNS,
      snapshot_bytes: parts.bytes,
      median_cache_read_ms: round(median(parts.cache_read_ms)),
      median_wasm_compile_ms: round(median(parts.wasm_compile_ms)),
      wasm_instantiate_ms: round(parts.wasm_instantiate_ms),
      first_copy_into_wasm_ms: round(parts.copy_in_ms[0]),
      median_copy_into_wasm_ms: round(median(parts.copy_in_ms)),
    });
  } finally {
    await ext.close();
  }
}

await main();
