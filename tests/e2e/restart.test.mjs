// End to end: the service worker is stopped (as Chrome does after 30 s idle) and rebuilds activation, stand-down, settings and its coupons from storage; a stored snapshot that is damaged, or fails the checks a feed passes, is refused and the last good coupons kept.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FIXTURE_PAGES,
  ROOT,
  feedUrlOfBuild,
  defaultKey,
  isOurDeepLink,
  launch,
  openPopup,
  readLinks,
  setMode,
  tabIdOf,
  waitIdle,
  TEST_TIMEOUT_MS,
  PRODUCT_PAGE as PRODUCT,
} from './helpers.mjs';

const SEARCH = 'https://www.aliexpress.com/w/wholesale-phone-case.html';

let ext;
let work;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'smart-shopper-restart-'));
  ext = await launch();
});

after(async () => {
  await ext?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('activation survives a worker restart: links added afterwards are rewritten', { timeout: TEST_TIMEOUT_MS }, async () => {
  await setMode(ext, 'ask');
  const page = await ext.context.newPage();
  await page.goto(SEARCH);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId);
  const popup = await openPopup(ext, tabId);
  await popup.locator('#activate').click();
  await popup.locator('#activate').waitFor({ state: 'hidden' });
  await popup.close();
  await waitIdle(ext, tabId);

  await ext.stopWorker();
  // The content script's next batch wakes the worker, which reads the tab's state back.
  await page.evaluate(() => window.loadMore(40));
  await page.waitForFunction(() =>
    [...document.querySelectorAll('a[data-expect="rewrite"]')].every((a) =>
      a.href.startsWith('https://s.click.aliexpress.com/deep_link.htm'),
    ),
  );
  const key = defaultKey();
  const links = await readLinks(page);
  for (const link of links.filter((l) => l.expect === 'rewrite')) {
    assert.ok(isOurDeepLink(link.href, link.id, key), link.href);
  }
  const again = await openPopup(ext, tabId);
  assert.equal(await again.locator('#activate').isVisible(), false);
  await again.close();
  await page.close();
});

test('stand-down survives a worker restart for the rest of the visit', { timeout: TEST_TIMEOUT_MS }, async () => {
  await setMode(ext, 'auto');
  const page = await ext.context.newPage();
  await page.goto(`${PRODUCT}?aff_fcid=restart&aff_trace_key=t`);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId);
  await ext.stopWorker();
  await page.goto(PRODUCT);
  const state = await waitIdle(ext, tabId);
  assert.equal(state.rewritten, 0);
  assert.equal(state.held_back, 'stand_down');
  await page.close();
});

test('settings survive a worker restart, and a setting written to storage applies at once', { timeout: TEST_TIMEOUT_MS }, async () => {
  await setMode(ext, 'off');
  await ext.stopWorker();
  const page = await ext.context.newPage();
  await page.goto(PRODUCT);
  const tabId = await tabIdOf(ext, page);
  assert.equal((await waitIdle(ext, tabId)).held_back, 'mode_off');

  // Written straight to storage (as another extension page or a sync would): onChanged applies it.
  const worker = await ext.worker();
  await worker.evaluate(() => chrome.storage.local.set({ settings: { mode: 'auto', affiliate_key: 'from_storage' } }));
  await page.reload();
  const state = await waitIdle(ext, tabId);
  assert.ok(state.rewritten > 0);
  const link = (await readLinks(page)).find((l) => l.expect === 'rewrite');
  assert.ok(isOurDeepLink(link.href, link.id, 'from_storage'), link.href);
  // An invalid stored key falls back to the build default instead of breaking the worker.
  await worker.evaluate(() => chrome.storage.local.set({ settings: { mode: 'auto', affiliate_key: 'bad key!' } }));
  await page.reload();
  await waitIdle(ext, tabId);
  const fallback = (await readLinks(page)).find((l) => l.expect === 'rewrite');
  assert.ok(isOurDeepLink(fallback.href, fallback.id, defaultKey()), fallback.href);
  await page.close();
});

const CACHE_NAME = 'smart-shopper-feed';
const SNAPSHOT_KEY = 'https://smart-shopper.invalid/feed/current.snapshot';
const STORE_URL = 'https://www.aliexpress.com/store/1101234567';
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A feed for the product-jsonld fixture's store, its coupons linking to the store's page, signed with the development key. */
function signedFeed() {
  const day = 24 * 3600 * 1000;
  const coupon = (id, fields) => ({
    id,
    kind: 'store',
    store_id: '1101234567',
    title: `Coupon ${id}`,
    currency: 'USD',
    min_spend: 0,
    starts_at: iso(Date.now() - day),
    expires_at: iso(Date.now() + 30 * day),
    url: STORE_URL,
    ...fields,
  });
  const feed = {
    version: 1,
    generated_at: iso(Date.now()),
    coupons: [
      coupon('good-1', { discount: { type: 'fixed', amount: 300 } }),
      coupon('good-2', { discount: { type: 'percent', percent: 10, max: 500 } }),
      coupon('good-3', { kind: 'select', store_id: undefined, url: undefined, discount: { type: 'fixed', amount: 100 } }),
    ],
  };
  const plain = join(work, 'feed.json');
  writeFileSync(plain, JSON.stringify(feed));
  return execFileSync(join(ROOT, 'target', 'release', 'shopper'), ['feed', 'sign', '--key', join(ROOT, 'target', 'dev-publisher-key.json'), plain], {
    encoding: 'utf8',
  });
}

/**
 * The snapshot's checksum (crates/core/src/coupon/snapshot.rs `checksum`, over every byte after
 * the 16th), so that a test can write a snapshot whose checksum is right but whose coupons are
 * not: what a writer's bug, or someone writing the stored bytes, would leave.
 */
function checksum(bytes) {
  const K = 0x9e3779b97f4a7c15n;
  const MASK = (1n << 64n) - 1n;
  const rotate = (x) => ((x << 23n) | (x >> 41n)) & MASK;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = Math.floor(bytes.length / 8);
  let hash = 0x5353434f55500002n;
  for (let i = 0; i < words; i++) hash = ((rotate(hash) ^ view.getBigUint64(i * 8, true)) * K) & MASK;
  let last = 0n;
  for (let i = words * 8, shift = 0n; i < bytes.length; i++, shift += 8n) last |= BigInt(bytes[i]) << shift;
  hash = ((rotate(hash) ^ last) * K) & MASK;
  return ((hash ^ BigInt(bytes.length)) * K) & MASK;
}

/** The stored snapshot's bytes, as the worker keeps them. */
async function storedSnapshot() {
  const worker = await ext.worker();
  const bytes = await worker.evaluate(
    async ({ cacheName, key }) => {
      const response = await (await caches.open(cacheName)).match(key);
      return response ? [...new Uint8Array(await response.arrayBuffer())] : null;
    },
    { cacheName: CACHE_NAME, key: SNAPSHOT_KEY },
  );
  return bytes && Uint8Array.from(bytes);
}

async function storeSnapshot(bytes) {
  const worker = await ext.worker();
  await worker.evaluate(
    async ({ cacheName, key, bytes }) => {
      await (await caches.open(cacheName)).put(key, new Response(Uint8Array.from(bytes)));
    },
    { cacheName: CACHE_NAME, key: SNAPSHOT_KEY, bytes: [...bytes] },
  );
}

/** The coupons the popup lists for the tab: id and link. */
async function popupCoupons(tabId) {
  const popup = await openPopup(ext, tabId);
  await popup.locator('#coupon-list > li, #no-coupons:not([hidden])').first().waitFor();
  const coupons = await popup.evaluate(() => ({
    listed: [...document.querySelectorAll('#coupon-list > li')].map((li) => ({
      id: li.dataset.id,
      link: li.querySelector('a.coupon-link')?.getAttribute('href') ?? null,
    })),
    scripted: document.querySelectorAll('a[href^="javascript:"]').length,
  }));
  await popup.close();
  return coupons;
}

test('a damaged or forged stored snapshot is refused, and the coupons of the last good feed are kept', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
  const envelope = signedFeed();
  await ext.context.route(feedUrlOfBuild(), (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'application/json' }, body: envelope }),
  );
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await options.locator('#feed-summary').filter({ hasText: /\S/ }).waitFor();
  await options.locator('#feed-refresh').click();
  await options.locator('#feed-refresh:not([disabled])').waitFor();
  await options.close();
  await ext.context.unroute(feedUrlOfBuild());

  const page = await ext.context.newPage();
  await page.goto(FIXTURE_PAGES['product-jsonld']);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId);
  const good = await popupCoupons(tabId);
  const goodIds = good.listed.map((c) => c.id).sort();
  assert.deepEqual(goodIds, ['good-1', 'good-2', 'good-3']);
  assert.ok(good.listed.filter((c) => c.link).every((c) => c.link === STORE_URL), JSON.stringify(good));

  const snapshot = await storedSnapshot();
  assert.ok(snapshot, 'a snapshot is stored');
  const text = Buffer.from(snapshot).toString('latin1');
  assert.equal(text.split(STORE_URL).length - 1, 1, 'the shared url is stored once');

  // 1. A flipped byte: the checksum refuses the snapshot, and the envelope's coupons load.
  const damaged = Uint8Array.from(snapshot);
  damaged[damaged.length - 9] ^= 0x40;
  await storeSnapshot(damaged);
  await ext.stopWorker();
  const afterDamage = await popupCoupons(tabId);
  assert.deepEqual(afterDamage.listed.map((c) => c.id).sort(), goodIds, 'the last good coupons, from the envelope');

  // 2. A javascript: link in place of the store's page, with the checksum made to match: the
  // coupons that carry it fail the checks a feed passes, are never shown, and the envelope's
  // coupons come back.
  const forged = Uint8Array.from(snapshot);
  const hostile = Buffer.from('javascript:alert(document.cookie)//'.padEnd(STORE_URL.length, 'x'), 'latin1');
  forged.set(hostile, text.indexOf(STORE_URL));
  new DataView(forged.buffer).setBigUint64(8, checksum(forged.subarray(16)), true);
  await storeSnapshot(forged);
  await ext.stopWorker();
  const first = await popupCoupons(tabId);
  assert.equal(first.scripted, 0, 'no javascript: link is shown');
  assert.ok(first.listed.every((c) => c.link === null || c.link === STORE_URL), JSON.stringify(first));
  // The worker then reads the signed envelope again, and stores a good snapshot.
  const deadline = Date.now() + 15_000;
  let again = first;
  while (again.listed.map((c) => c.id).sort().join() !== goodIds.join() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    again = await popupCoupons(tabId);
  }
  assert.deepEqual(again.listed.map((c) => c.id).sort(), goodIds, 'the last good coupons are back');
  assert.equal(again.scripted, 0);
  const rewritten = await storedSnapshot();
  assert.ok(!Buffer.from(rewritten).toString('latin1').includes('javascript:'), 'a good snapshot is stored again');
  await page.close();
});
