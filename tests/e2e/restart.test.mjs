// End to end: the service worker is stopped (as Chrome does after 30 s idle) and rebuilds activation, stand-down and settings from storage.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
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

before(async () => {
  ext = await launch();
});

after(async () => {
  await ext?.close();
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
