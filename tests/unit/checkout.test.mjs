// The checkout's promo code opener and filler (extension/content/checkout.js), run in Chromium on the checkout-promo fixtures and on pages made to trap it: it presses the one control that reveals the field, and never one that could submit or pay.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentBundle, engineReads, launchChromium, ROOT, TIMEOUT_MS } from './in-chromium.mjs';
import { expectedOf, FIXTURES } from '../expected.mjs';

const LANGUAGES = ['en', 'es', 'ru'];
const HTML = { 'content-type': 'text/html; charset=utf-8' };

/** A fixture's key: its URL's query, without the fixtures' own flag (promo=never|none). */
function queryOf(url) {
  const query = new URLSearchParams(url.search);
  query.delete('promo');
  return query.toString();
}

let browser;
let context;
let bundle;
/** Pages served by URL: the fixtures, and the trap pages each test adds. */
const pages = new Map();

before(async () => {
  bundle = await contentBundle(
    `export { collectPageFacts } from './page.js'; export { fillPromoCode, findPromoCodeInput, findPromoCodeOpener, PROMO_WORDS } from './checkout.js';`,
    'globalThis.SmartShopperCheckout',
  );
  for (const lang of LANGUAGES) {
    const name = `checkout-promo-${lang}.html`;
    pages.set(queryOf(new URL(expectedOf(name).url)), readFileSync(join(FIXTURES, name), 'utf8'));
  }
  browser = await launchChromium();
  context = await browser.newContext();
  await context.route(/^https?:\/\//, (route) => route.abort('blockedbyclient'));
  await context.route('https://www.aliexpress.com/**', (route) => {
    const url = new URL(route.request().url());
    const body = pages.get(queryOf(url)) ?? pages.get(url.pathname);
    if (!body) return route.fulfill({ status: 404, headers: HTML, body: '<!doctype html><title>Not found</title>' });
    return route.fulfill({ headers: HTML, body });
  });
});

after(async () => {
  await browser?.close();
});

async function open(url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.evaluate(bundle);
  return page;
}

/** A trap page at `/p/trade/trap-<n>.html` holding `body`, opened. */
let traps = 0;
async function openTrap(body) {
  const path = `/p/trade/trap-${(traps += 1)}.html`;
  pages.set(path, `<!doctype html><html><head><meta charset="utf-8"><title>trap</title></head><body>${body}</body></html>`);
  return open(`https://www.aliexpress.com${path}`);
}

/** What the page recorded, with the field's value and what has focus. */
function pageRecord(page) {
  return page.evaluate(() => ({
    ...window.__checkout,
    value: document.getElementById('promo-input')?.value ?? null,
    focused: document.activeElement?.id || null,
  }));
}

// What each fixture's opener is (see its top comment), as the fixture's click log names it.
const OPENER_CLICKED = {
  en: 'span.pl-summary__item-content-text',
  es: 'button.comet-v2-btn.comet-v2-btn-text',
  ru: 'div.pl-summary__item-content-text',
};

for (const lang of LANGUAGES) {
  const name = `checkout-promo-${lang}.html`;

  test(`${name}: the field is behind its control; the page reads as a checkout that has one`, { timeout: TIMEOUT_MS }, async () => {
    const expected = expectedOf(name);
    const page = await open(expected.url);
    const found = await page.evaluate(() => ({
      input: SmartShopperCheckout.findPromoCodeInput(document) !== null,
      opener: SmartShopperCheckout.findPromoCodeOpener(document)?.outerHTML.slice(0, 120) ?? null,
      facts: SmartShopperCheckout.collectPageFacts(document, location),
    }));
    assert.equal(found.input, false, 'no field until the control is pressed');
    assert.ok(found.opener, 'the control that reveals it is found');
    assert.equal(found.facts.promo_code_input, true);
    const read = await engineReads(found.facts);
    assert.equal(read.page.kind, 'checkout');
    assert.equal(read.page.currency, expected.currency);
    assert.equal(read.page.country, expected.country);
    assert.equal(read.page.promo_code_field, true);
    assert.deepEqual(
      read.page.items.map(({ product_id, store_id, category_ids, price, quantity, selected }) => ({
        product_id,
        store_id,
        category_ids,
        price,
        quantity,
        selected,
      })),
      expected.items,
    );
    assert.equal(read.total, expected.selected_total);
    assert.equal((await pageRecord(page)).clicks.length, 0, 'finding presses nothing');
    await page.close();
  });

  test(`${name}: filling presses the control once, fills the field the page notices, and nothing else`, { timeout: TIMEOUT_MS }, async () => {
    const page = await open(expectedOf(name).url);
    // Two fills at once (a double press in the popup): the control is still pressed once.
    const filled = await page.evaluate(() =>
      Promise.all([SmartShopperCheckout.fillPromoCode('SAVE5'), SmartShopperCheckout.fillPromoCode('SAVE5')]),
    );
    assert.deepEqual(filled, [true, true]);
    let record = await pageRecord(page);
    assert.deepEqual(record.clicks, [OPENER_CLICKED[lang]], 'one press, of the control that reveals the field');
    assert.equal(record.reveals, 1);
    assert.equal(record.value, 'SAVE5');
    assert.equal(record.focused, 'promo-input');
    assert.deepEqual(record.changes, ['SAVE5'], 'the page noticed the new value');
    assert.ok(record.changeEvents >= 1);
    assert.deepEqual([record.submitted, record.payClicks, record.keys], [0, 0, []]);
    // The field is there now: another code goes straight in, with no press.
    assert.equal(await page.evaluate(() => SmartShopperCheckout.fillPromoCode('OTHER7')), true);
    record = await pageRecord(page);
    assert.equal(record.value, 'OTHER7');
    assert.equal(record.clicks.length, 1);
    assert.equal(await page.evaluate(() => document.querySelector('input[name="zip"]').value), '12345');
    await page.close();
  });
}

test('a control that reveals no field: the fill gives up after its timeout, having pressed it once', { timeout: TIMEOUT_MS }, async () => {
  const page = await open(`${expectedOf('checkout-promo-en.html').url}&promo=never`);
  const started = Date.now();
  assert.equal(await page.evaluate(() => SmartShopperCheckout.fillPromoCode('SAVE5', document, { timeoutMs: 500 })), false);
  assert.ok(Date.now() - started < 3000);
  const record = await pageRecord(page);
  assert.deepEqual([record.clicks.length, record.reveals, record.submitted, record.payClicks, record.keys], [1, 1, 0, 0, []]);
  await page.close();
});

test('a checkout without a promo row has neither field nor control, and nothing is pressed', { timeout: TIMEOUT_MS }, async () => {
  for (const lang of LANGUAGES) {
    const page = await open(`${expectedOf(`checkout-promo-${lang}.html`).url}&promo=none`);
    const result = await page.evaluate(async () => ({
      opener: SmartShopperCheckout.findPromoCodeOpener(document) !== null,
      fact: SmartShopperCheckout.collectPageFacts(document, location).promo_code_input,
      filled: await SmartShopperCheckout.fillPromoCode('SAVE5'),
    }));
    assert.deepEqual(result, { opener: false, fact: false, filled: false }, lang);
    const record = await pageRecord(page);
    assert.deepEqual([record.clicks, record.submitted, record.payClicks], [[], 0, 0], lang);
    await page.close();
  }
});

// Pages whose only promo-code control could submit, pay or navigate: it is not found, and a
// fill presses nothing. Each records every click it gets.
const RECORDER = `<script>window.__clicks = []; window.__submits = 0;
document.addEventListener('click', (e) => { window.__clicks.push(e.target.tagName); e.preventDefault(); }, true);
document.addEventListener('submit', (e) => { window.__submits += 1; e.preventDefault(); }, true);</script>`;
const row = (control) =>
  `<div class="pl-summary__item-pc"><div data-pl="pl-summary-title">Promo codes</div><div class="pl-summary__item-content-pc">${control}</div></div>`;
const TRAPS = {
  'a button with no type in a form': `<form action="/p/trade/create.html">${row('<button>Enter promo code</button>')}</form>`,
  'a submit button': row('<button type="submit">Enter</button>'),
  'a reset button': `<form>${row('<button type="reset">Enter</button>')}</form>`,
  'the place-order button': row('<button type="button" class="place-order-primary-btn">Enter promo code</button>'),
  'a control in the place-order box': `<div class="pl-order-toal-container__btn-box"><div role="button">Promo code</div></div>`,
  'a control saying pay': row('<div role="button">Pay now with a promo code</div>'),
  'a control saying pay, in Russian': row('<div role="button">Оплатить с промокодом</div>'),
  'a control whose class says payment': row('<span role="button" class="payment-entry">Enter</span>'),
  'a link': row('<a href="/p/trade/promo.html" role="button">Enter promo code</a>'),
  'a disabled button': row('<button type="button" disabled>Enter promo code</button>'),
  'a hidden part': `<div hidden>${row('<button type="button">Enter promo code</button>')}</div>`,
  'a submit button outside any row': '<button type="submit">Enter promo code</button>',
  'a form button with no type outside any row': '<form><button>Introducir código promocional</button></form>',
};

test('a control that could submit, pay or navigate is never the opener, and a fill presses nothing', { timeout: TIMEOUT_MS }, async () => {
  for (const [what, body] of Object.entries(TRAPS)) {
    const page = await openTrap(`${body}${RECORDER}`);
    const result = await page.evaluate(async () => ({
      opener: SmartShopperCheckout.findPromoCodeOpener(document)?.outerHTML ?? null,
      filled: await SmartShopperCheckout.fillPromoCode('SAVE5', document, { timeoutMs: 200 }),
      clicks: window.__clicks,
      submits: window.__submits,
    }));
    assert.deepEqual(result, { opener: null, filled: false, clicks: [], submits: 0 }, what);
    await page.close();
  }
});

test('controls named in each shipped language are found, in and out of the summary row', { timeout: TIMEOUT_MS }, async () => {
  const labels = {
    'Ingresar código promocional': true,
    'Código promocional': true,
    'Введите промокод': true,
    'Gutscheincode eingeben': true,
    'Saisir un code promo': true,
    'Inserir código promocional': true,
    'Apply coupon': false,
    'Store coupons': false,
  };
  for (const [label, want] of Object.entries(labels)) {
    const page = await openTrap(`<div class="box"><button type="button" id="c">${label}</button></div>`);
    assert.equal(await page.evaluate(() => SmartShopperCheckout.findPromoCodeOpener(document)?.id ?? null), want ? 'c' : null, label);
    await page.close();
  }
  // In the row, an unlabelled arrow is enough.
  const page = await openTrap(row('<span>—</span><i class="pl-summary__item-arrow-pc" id="arrow"></i>'));
  assert.equal(await page.evaluate(() => SmartShopperCheckout.findPromoCodeOpener(document)?.id ?? null), 'arrow');
  await page.close();
});

test('the words cover every language the extension ships, frozen', async () => {
  const { PROMO_WORDS } = await import(pathToFileURL(join(ROOT, 'extension', 'content', 'checkout.js')).href);
  const { readdirSync } = await import('node:fs');
  const shipped = readdirSync(join(ROOT, 'extension', '_locales')).map((locale) => locale.split('_')[0]);
  assert.deepEqual(Object.keys(PROMO_WORDS).sort(), [...shipped].sort());
  assert.ok(Object.isFrozen(PROMO_WORDS));
  for (const words of Object.values(PROMO_WORDS)) {
    assert.ok(Object.isFrozen(words) && Object.isFrozen(words.promo) && Object.isFrozen(words.enter));
    assert.ok(words.promo.length > 0 && words.enter.length > 0);
    assert.ok([...words.promo, ...words.enter].every((w) => w === w.toLowerCase()), 'lower case, as labels are compared');
  }
});

test('the search is bounded on a page of thousands of controls', { timeout: TIMEOUT_MS }, async () => {
  // A promo-code button past the cap of controls looked at is not reached: the cap holds.
  const many = Array.from({ length: 3000 }, (_, i) => `<div role="button">Item ${i}</div>`).join('');
  const page = await openTrap(`${many}<button type="button" id="late">Enter promo code</button>`);
  const result = await page.evaluate(() => {
    const started = performance.now();
    const opener = SmartShopperCheckout.findPromoCodeOpener(document);
    return { opener: opener?.id ?? null, ms: performance.now() - started };
  });
  assert.equal(result.opener, null);
  assert.ok(result.ms < 200, `${result.ms} ms`);
  await page.close();
});
