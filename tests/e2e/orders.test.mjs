// End to end: the cart as today's AliExpress renders it (lines appear after a spinner, only ticked lines count, lines grouped by the store header before them) and the checkout's lines with their shipping kept apart, as the Engine reads them in the real extension.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURE_PAGES, MESSAGES, TEST_TIMEOUT_MS, launch, openPopup, tabIdOf } from './helpers.mjs';

let ext;
/** An extension page, to ask the worker as the popup does. */
let asker;

before(async () => {
  ext = await launch();
  asker = await ext.context.newPage();
  await asker.goto(`chrome-extension://${ext.extensionId}/options.html`);
});

after(async () => {
  await ext?.close();
});

/** The tab's coupon report, as the popup gets it. */
async function report(tabId) {
  const answer = await asker.evaluate((id) => chrome.runtime.sendMessage({ kind: 'get_tab_coupons', tabId: id }), tabId);
  assert.equal(answer.ok, true, JSON.stringify(answer));
  return answer.report;
}

async function open(url) {
  const page = await ext.context.newPage();
  await page.goto(url);
  return { page, tabId: await tabIdOf(ext, page) };
}

/** The popup's notes and listed coupon ids. */
function shown(popup) {
  return popup.evaluate(() => ({
    notes: [...document.querySelectorAll('#notes li')].map((li) => li.textContent),
    ids: [...document.querySelectorAll('#coupon-list > li')].map((li) => li.dataset.id),
  }));
}

test('a cart still loading says "not yet", never "empty", and shows its coupons once its lines are there, without reopening the popup', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page, tabId } = await open(`${FIXTURE_PAGES.cart}?loading=3000`);
  const early = await report(tabId);
  assert.deepEqual(early.notes, ['still_loading']);
  assert.deepEqual(early.page.items, []);
  assert.ok(early.page.notes.includes('still_loading'));
  const popup = await openPopup(ext, tabId);
  const before = await shown(popup);
  assert.deepEqual(before.notes, [MESSAGES.noteStillLoading.message]);
  assert.ok(!before.notes.includes(MESSAGES.noteNothingToMatch.message));
  // The lines arrive; the popup asks again by itself while the Engine says "still loading".
  await popup.locator('#coupon-list > li').first().waitFor({ timeout: 15_000 });
  const after = await shown(popup);
  assert.ok(!after.notes.includes(MESSAGES.noteStillLoading.message), JSON.stringify(after));
  assert.ok(after.ids.includes('demo-store-912345-earbuds'), JSON.stringify(after));
  await popup.close();
  const loaded = await report(tabId);
  // Three stores, each line's store the header's before it; the two unticked lines are listed
  // and not counted.
  assert.deepEqual(
    loaded.page.items.map((i) => [i.product_id, i.store_id, i.selected]),
    [
      ['1005001234567890', '912345', true],
      ['1005001111111113', '912345', false],
      ['1005002222222299', '1101234567', false],
      ['1005003333333301', '2203344556', true],
      ['1005003333333302', '2203344556', true],
    ],
  );
  assert.equal(loaded.total, 109628);
  await page.close();
});

test('a cart whose lines never come keeps saying it is loading', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page, tabId } = await open(`${FIXTURE_PAGES.cart}?loading=never`);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const seen = await report(tabId);
  assert.deepEqual(seen.notes, ['still_loading']);
  assert.deepEqual(seen.coupons, []);
  await page.close();
});

test('the checkout: lines and stores from its item blocks, a shipping fee never read as an item\'s price', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page, tabId } = await open(FIXTURE_PAGES.checkout);
  const seen = await report(tabId);
  assert.deepEqual(
    seen.page.items.map((i) => [i.product_id, i.store_id, i.price, i.quantity]),
    [
      ['1005001234567890', '912345', 1299, 2],
      ['1005003333333301', '2203344556', 104900, 1],
      ['1005003333333302', '2203344556', 710, 3],
    ],
  );
  // Items only: the shipping fees (US $1.99 and US $4.50) are in no line and not in the total.
  assert.equal(seen.total, 109628);
  await page.close();
});
