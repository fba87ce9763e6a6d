// End to end: the checkout whose promo code field is behind the control that reveals it, in English, Spanish and Russian: the popup offers Fill, Fill presses that control once and fills the best code (as the native rules choose it), the page sees it, and nothing is submitted or paid; where no field appears, the popup says so and the copy still works.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEMO_FEED, FIXTURE_PAGES, MESSAGES, TEST_TIMEOUT_MS, expectedOf, launch, nativeCoupons, openPopup, tabIdOf, waitIdle } from './helpers.mjs';

// The demo feed has a code for each fixture's currency.
const LANGUAGES = ['en', 'es', 'ru'];
// The control each fixture reveals its field with, as its click log names it (see its comment).
const OPENER_CLICKED = {
  en: 'span.pl-summary__item-content-text',
  es: 'button.comet-v2-btn.comet-v2-btn-text',
  ru: 'div.pl-summary__item-content-text',
};

let ext;

before(async () => {
  ext = await launch();
});

after(async () => {
  await ext?.close();
});

/** The code coupon the native rules put in the best stack for a fixture's order, from the demo feed. */
function bestCode(name) {
  const { best } = nativeCoupons(DEMO_FEED, expectedOf(name));
  const coupons = JSON.parse(readFileSync(DEMO_FEED, 'utf8')).coupons;
  const codes = best.applied.map((id) => coupons.find((c) => c.id === id)).filter((c) => c.kind === 'code');
  assert.equal(codes.length, 1, `one code in the best stack of ${name}: ${JSON.stringify(best)}`);
  return codes[0];
}

async function openFixture(url) {
  const page = await ext.context.newPage();
  await page.goto(url);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId);
  return { page, tabId };
}

/** What the checkout recorded: its field's value, changes, every click, key, submit and pay press. */
function checkoutRecord(page) {
  return page.evaluate(() => ({ ...window.__checkout, value: document.getElementById('promo-input')?.value ?? null }));
}

/** The popup's coupons that offer Fill. */
async function fillable(popup) {
  await popup.locator('main[data-ready]').waitFor({ state: 'attached' });
  return popup.locator('#coupon-list > li:has(button.fill)').evaluateAll((items) => items.map((li) => li.dataset.id));
}

for (const lang of LANGUAGES) {
  const name = `checkout-promo-${lang}`;
  test(`${name}: Fill reveals the field, fills the best code, and submits and pays nothing`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const best = bestCode(name);
    const { page, tabId } = await openFixture(FIXTURE_PAGES[name]);
    const popup = await openPopup(ext, tabId);
    const offered = await fillable(popup);
    assert.ok(offered.includes(best.id), `Fill offered for the best code ${best.id}: ${offered.join()}`);
    const item = popup.locator(`#coupon-list > li[data-id="${best.id}"]`);
    assert.ok(await item.evaluate((li) => li.classList.contains('in-best')), 'the code is in the best stack');
    assert.equal((await checkoutRecord(page)).clicks.length, 0, 'nothing pressed before Fill');

    await item.locator('button.fill').click();
    await popup.locator('#copy-status').filter({ hasText: MESSAGES.filledCode.message.replace('$CODE$', best.code) }).waitFor();
    const record = await checkoutRecord(page);
    assert.equal(record.value, best.code);
    assert.ok(record.changes.includes(best.code), 'the page noticed the new value');
    assert.ok(record.inputs >= 1 && record.changeEvents >= 1, 'input and change events');
    assert.deepEqual(record.clicks, [OPENER_CLICKED[lang]], 'one press, of the control that reveals the field');
    assert.equal(record.reveals, 1);
    assert.equal(record.submitted, 0, 'nothing submitted');
    assert.equal(record.payClicks, 0, 'Pay now never pressed');
    assert.deepEqual(record.keys, [], 'no key pressed in the page (no Enter)');
    await popup.close();
    await page.close();
  });
}

test('checkout-promo-en, a control that reveals no field: Fill says no field was found, and the copy works', { timeout: TEST_TIMEOUT_MS }, async () => {
  const best = bestCode('checkout-promo-en');
  const { page, tabId } = await openFixture(`${FIXTURE_PAGES['checkout-promo-en']}&promo=never`);
  const popup = await openPopup(ext, tabId);
  assert.ok((await fillable(popup)).includes(best.id), 'the control is there, so Fill is offered');
  const item = popup.locator(`#coupon-list > li[data-id="${best.id}"]`);
  await item.locator('button.fill').click();
  await popup.locator('#copy-status').filter({ hasText: MESSAGES.fillFailed.message }).waitFor();
  const record = await checkoutRecord(page);
  assert.deepEqual([record.value, record.clicks.length, record.submitted, record.payClicks, record.keys], [null, 1, 0, 0, []]);

  await item.locator('button.copy').click();
  await popup.locator('#copy-status').filter({ hasText: MESSAGES.copiedCode.message.replace('$CODE$', best.code) }).waitFor();
  // Pasted by the keyboard, as the shopper would (reading the clipboard needs a permission the
  // extension does not ask for).
  await popup.evaluate(() => {
    const field = document.createElement('textarea');
    field.id = 'paste-here';
    document.body.append(field);
    field.focus();
  });
  await popup.keyboard.press('ControlOrMeta+V');
  assert.equal(await popup.locator('#paste-here').inputValue(), best.code);
  await popup.close();
  await page.close();
});

test('checkout-promo-ru without a promo row: no Fill is offered, the copy is, and nothing is pressed', { timeout: TEST_TIMEOUT_MS }, async () => {
  const best = bestCode('checkout-promo-ru');
  const { page, tabId } = await openFixture(`${FIXTURE_PAGES['checkout-promo-ru']}&promo=none`);
  const popup = await openPopup(ext, tabId);
  assert.deepEqual(await fillable(popup), []);
  const copy = popup.locator(`#coupon-list > li[data-id="${best.id}"] button.copy`);
  assert.equal(await copy.isVisible(), true, 'the code can still be copied');
  const record = await checkoutRecord(page);
  assert.deepEqual([record.clicks, record.submitted, record.payClicks], [[], 0, 0]);
  await popup.close();
  await page.close();
});
