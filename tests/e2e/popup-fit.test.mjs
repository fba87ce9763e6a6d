// End to end: the popup fits Chrome's popup (360 × 600) on a product page, the cart and the checkout, in light and dark and in the longest locale: the saving, the Activate button with its disclosure, the first coupon and Smart Search are in view without scrolling, the search placeholder is not cut, and the demo feed's coupons say they are demo.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARTIFACTS,
  DIST,
  FIXTURE_PAGES,
  launch,
  openPopup,
  tabIdOf,
  waitIdle,
  PRODUCT_PAGE,
} from './helpers.mjs';

const WIDTH = 360;
const HEIGHT = 600;
// French has the longest popup text of the six locales (counted over the popup's messages).
const RUNS = [
  { locale: 'en', scheme: 'light' },
  { locale: 'en', scheme: 'dark' },
  { locale: 'fr', scheme: 'light' },
];
const PAGES = { product: PRODUCT_PAGE, cart: FIXTURE_PAGES.cart, checkout: FIXTURE_PAGES.checkout };

function messages(locale) {
  return JSON.parse(readFileSync(join(DIST, '_locales', locale, 'messages.json'), 'utf8'));
}

/** Every locale's search placeholder, as Chrome shows it (`$$` is a literal dollar sign). */
function placeholders() {
  return readdirSync(join(DIST, '_locales')).map((locale) => [
    locale,
    messages(locale).searchPlaceholder.message.replaceAll('$$', '$'),
  ]);
}

/** Where the parts a shopper came for sit in the popup, and whether the placeholder fits its box. */
function layout(popup) {
  return popup.evaluate((others) => {
    const box = (selector) => {
      const el = document.querySelector(selector);
      if (!el || el.offsetParent === null) return null;
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    const input = document.getElementById('search-input');
    const style = getComputedStyle(input);
    const context = document.createElement('canvas').getContext('2d');
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {
      page: { height: document.scrollingElement.scrollHeight, width: document.scrollingElement.scrollWidth },
      best: box('#best-stack'),
      activate: box('#activate'),
      disclosure: box('#disclosure'),
      firstCoupon: box('#coupon-list > li'),
      search: box('#search-input'),
      placeholder: { width: context.measureText(input.placeholder).width, room },
      // Every locale's placeholder, measured in the same box and font.
      placeholders: others.map(([locale, text]) => ({ locale, width: context.measureText(text).width })),
      feedLine: box('#feed-status'),
      coupons: document.querySelectorAll('#coupon-list > li').length,
      demoTags: document.querySelectorAll('#coupon-list > li .demo-tag').length,
      notes: [...document.querySelectorAll('#notes li')].map((li) => li.textContent),
    };
  }, placeholders());
}

for (const { locale, scheme } of RUNS) {
  test(`the popup fits ${WIDTH}×${HEIGHT} in ${locale}, ${scheme}: saving, action, disclosure, coupons and search in view`, { timeout: 120_000 }, async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const ext = await launch({ locale });
    const text = messages(locale);
    try {
      for (const [name, url] of Object.entries(PAGES)) {
        const page = await ext.context.newPage();
        await page.goto(url);
        const tabId = await tabIdOf(ext, page);
        await waitIdle(ext, tabId);
        const popup = await openPopup(ext, tabId, { colorScheme: scheme });
        await popup.setViewportSize({ width: WIDTH, height: HEIGHT });
        assert.equal(await popup.evaluate(() => chrome.i18n.getUILanguage().slice(0, 2)), locale);
        const at = await layout(popup);
        await popup.screenshot({ path: join(ARTIFACTS, `popup-fit-${locale}-${scheme}-${name}.png`) });
        const where = `${locale} ${scheme} ${name}`;
        assert.ok(at.page.height <= HEIGHT, `${where}: the popup is ${at.page.height} px high`);
        assert.ok(at.page.width <= WIDTH, `${where}: the popup is ${at.page.width} px wide`);
        for (const part of ['best', 'activate', 'disclosure', 'firstCoupon', 'search']) {
          assert.ok(at[part], `${where}: ${part} is shown`);
          assert.ok(at[part].bottom <= HEIGHT && at[part].top >= 0, `${where}: ${part} at ${JSON.stringify(at[part])}`);
        }
        // The activation button is never without its disclosure right beside it.
        assert.ok(at.disclosure.top - at.activate.bottom < 16, `${where}: the disclosure is beside the button`);
        assert.ok(
          at.placeholder.width <= at.placeholder.room,
          `${where}: the placeholder needs ${Math.ceil(at.placeholder.width)} px, the box has ${at.placeholder.room}`,
        );
        for (const other of at.placeholders) {
          assert.ok(other.width <= at.placeholder.room, `${where}: the ${other.locale} placeholder needs ${Math.ceil(other.width)} px of ${at.placeholder.room}`);
        }
        // The development build's demo feed: said above the list and on every coupon.
        assert.ok(at.feedLine && at.feedLine.bottom <= HEIGHT, `${where}: the feed line is in view`);
        assert.ok((await popup.locator('#feed-status').textContent()).startsWith(text.feedDemo.message), `${where}: it says what demo coupons are`);
        assert.ok(at.coupons > 0, `${where}: coupons listed`);
        assert.equal(at.demoTags, at.coupons, `${where}: every coupon is tagged demo`);
        await popup.close();
        await page.close();
      }
    } finally {
      await ext.close();
    }
  });
}
