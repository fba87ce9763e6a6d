// End to end: a tab reached through someone else's affiliate link stands down for the whole visit, and the popup says so.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch,
  openPopup,
  readLinks,
  setMode,
  tabIdOf,
  waitIdle,
  MESSAGES,
  TEST_TIMEOUT_MS,
  PRODUCT_PAGE as PRODUCT,
} from './helpers.mjs';

let ext;

before(async () => {
  ext = await launch();
  // Auto mode: without stand-down every product link would change on load.
  await setMode(ext, 'auto');
});

after(async () => {
  await ext?.close();
});

function assertUntouched(links) {
  assert.ok(links.some((l) => l.expect === 'rewrite'), 'the page has product links');
  for (const link of links) assert.equal(link.href, link.original, `"${link.label}" must not change`);
}

async function assertStoodDown(page, message) {
  const tabId = await tabIdOf(ext, page);
  const state = await waitIdle(ext, tabId);
  assert.equal(state.rewritten, 0);
  assert.equal(state.held_back, 'stand_down');
  assertUntouched(await readLinks(page));

  const popup = await openPopup(ext, tabId);
  const standDown = popup.locator('#stand-down');
  assert.ok(await standDown.isVisible(), 'the popup shows the stand-down');
  assert.equal((await standDown.textContent()).trim(), MESSAGES[message].message);
  assert.equal(await popup.locator('#activate').isVisible(), false, 'no activation while standing down');
  await popup.close();
  return tabId;
}

test('landing URL with affiliate parameters stands down', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(`${PRODUCT}?aff_fcid=4f5e6d&aff_trace_key=abc-123&aff_platform=portals-tool&sk=_dVh4Z2b&terminal_id=t1`);
  const tabId = await assertStoodDown(page, 'standDownLanding');

  // The whole visit: later pages in the same tab, without any affiliate trace, stay untouched.
  await page.goto('https://www.aliexpress.com/store/912345');
  await waitIdle(ext, tabId);
  assertUntouched(await readLinks(page));
  await page.close();
});

test('landing URL cleaned by the page script still stands down', { timeout: TEST_TIMEOUT_MS }, async () => {
  // Stores drop tracking parameters with history.replaceState; the landing URL is what counts.
  const page = await ext.context.newPage();
  await page.addInitScript(() => {
    if (location.search) history.replaceState(null, '', location.pathname);
  });
  await page.goto(`${PRODUCT}?aff_fcid=cleaned&aff_trace_key=xyz`);
  assert.equal(page.url(), PRODUCT);
  await assertStoodDown(page, 'standDownLanding');
  await page.close();
});

test('referrer s.click.aliexpress.com (page.goto referer) stands down', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(PRODUCT, { referer: 'https://s.click.aliexpress.com/e/_DlAbc12' });
  assert.match(await page.evaluate(() => document.referrer), /^https:\/\/s\.click\.aliexpress\.com\//);
  await assertStoodDown(page, 'standDownReferrer');
  await page.close();
});

test('arriving through an s.click redirect page stands down', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(`https://s.click.aliexpress.com/e/_oFz9Ab1?to=${encodeURIComponent(PRODUCT)}`);
  await page.waitForURL(PRODUCT);
  await assertStoodDown(page, 'standDownReferrer');
  await page.close();
});

test('a plain visit in another tab is not affected', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(PRODUCT);
  const tabId = await tabIdOf(ext, page);
  const state = await waitIdle(ext, tabId);
  assert.ok(state.rewritten > 0);
  const popup = await openPopup(ext, tabId);
  assert.equal(await popup.locator('#stand-down').isVisible(), false);
  await popup.close();
  await page.close();
});

test('closing a tab clears its session state', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(`${PRODUCT}?aff_fcid=closing`);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId);
  const worker = await ext.worker();
  const key = `tab:${tabId}`;
  const stored = await worker.evaluate((k) => chrome.storage.session.get(k), key);
  assert.equal(stored[key]?.stood_down, 'affiliate_landing');
  await page.close();
  await assert.doesNotReject(async () => {
    for (let i = 0; i < 50; i++) {
      const left = await worker.evaluate((k) => chrome.storage.session.get(k), key);
      if (!(key in left)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${key} still stored after the tab closed`);
  });
});
