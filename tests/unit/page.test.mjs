// The page-facts collector (extension/content/page.js) and the promo code filler (checkout.js), run in Chromium on the fixture pages, and what the built Engine makes of the facts.
//
// The collector's output for each fixture is kept in crates/core/src/page/fixtures/<name>.json,
// which the Rust tests of `read_page` read: this test fails when the collector and those
// snapshots disagree, so the Rust tests always interpret what the real collector produces.
// After a deliberate change to the collector or a fixture, refresh them with
//   UPDATE_PAGE_FACTS=1 node --test tests/unit/page.test.mjs
// The collector runs in the page here (not in an extension's isolated world), which reads the
// same DOM and cookies.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentBundle, engineReads, launchChromium, ROOT, TIMEOUT_MS } from './in-chromium.mjs';
import { expectedOf, FIXTURES } from '../expected.mjs';

const SNAPSHOTS = join(ROOT, 'crates', 'core', 'src', 'page', 'fixtures');
const UPDATE = process.env.UPDATE_PAGE_FACTS === '1';

const PAGES = [
  'product-jsonld.html',
  'product-meta.html',
  'product-dom.html',
  'product-runparams.html',
  'cart.html',
  'checkout.html',
];

// Pages whose data is the page model, which the main-world reader (world.js, run in the page
// from its start as the manifest runs it) copies: their facts carry the copy, as in the extension.
const MODEL_PAGES = ['product-csr.html', 'product-2023.html', 'product-2021.html', 'product-us.html'];

const HTML = { 'content-type': 'text/html; charset=utf-8' };

let browser;
let context;
let bundle;
/** The main-world reader, as a script for the page's world. */
let world;
/** Extra pages served by URL, for the hostile-page tests. */
const extraPages = new Map();

before(async () => {
  bundle = await contentBundle(
    `export { collectPageFacts, FACT_LIMITS, FACTS_VERSION } from './page.js'; export { fillPromoCode, MAX_PROMO_CODE_LENGTH } from './checkout.js'; export { pageModel } from './model.js';`,
    'globalThis.SmartShopperPage',
  );
  world = await contentBundle(`import './world.js';`, 'SmartShopperWorld');
  browser = await launchChromium();
  context = await browser.newContext();
  const byUrl = new Map([...PAGES, ...MODEL_PAGES].map((name) => [expectedOf(name).url, name]));
  await context.route(/^https?:\/\//, (route) => route.abort('blockedbyclient'));
  await context.route(/^https:\/\/[^/]*\.aliexpress\.(com|us)\//, (route) => {
    const url = route.request().url();
    if (extraPages.has(url)) return route.fulfill({ headers: HTML, body: extraPages.get(url) });
    const name = byUrl.get(url);
    if (!name) return route.fulfill({ status: 404, headers: HTML, body: '<!doctype html><title>Not found</title>' });
    return route.fulfill({ headers: HTML, body: readFileSync(join(FIXTURES, name), 'utf8') });
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

function collect(page) {
  return page.evaluate(() => SmartShopperPage.collectPageFacts(document, location));
}

/** A model page's facts once the main-world reader's copy of its model has arrived. */
async function collectWithModel(url) {
  const page = await context.newPage();
  await page.addInitScript(world);
  await page.goto(url);
  await page.evaluate(bundle);
  // The 2025-26 page fills its model in after first paint, and the reader looks every 250 ms:
  // the copy is taken once it has held still for a second.
  let last = '';
  let since = Date.now();
  for (const end = Date.now() + 10_000; Date.now() < end; ) {
    const now = await page.evaluate(() => SmartShopperPage.pageModel());
    if (now !== last) [last, since] = [now, Date.now()];
    else if (now.length > 2 && Date.now() - since >= 1000) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const facts = await collect(page);
  await page.close();
  return facts;
}

for (const name of MODEL_PAGES) {
  test(`${name}: the collector's facts, with the main-world reader's copy, are the snapshot the Rust tests read`, { timeout: TIMEOUT_MS }, async () => {
    const expected = expectedOf(name);
    const facts = await collectWithModel(expected.url);
    assert.equal(typeof facts.model, 'string', 'the copy is among the facts');
    const file = join(SNAPSHOTS, name.replace(/\.html$/, '.json'));
    const snapshot = { fixture: name, expected, facts };
    if (UPDATE) writeFileSync(file, `${JSON.stringify(snapshot, null, 2)}\n`);
    assert.ok(existsSync(file), `${file} is missing: run with UPDATE_PAGE_FACTS=1`);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), snapshot, 'stale snapshot: run with UPDATE_PAGE_FACTS=1');
    // And the built Engine reads them as the fixture expects, each fact from its source.
    const read = await engineReads(facts);
    assert.deepEqual(read.page.items[0].from, expected.from);
    assert.equal(read.page.country_from, expected.country_from);
  });
}

for (const name of PAGES) {
  test(`${name}: the collector's facts are the snapshot the Rust tests read`, { timeout: TIMEOUT_MS }, async () => {
    const expected = expectedOf(name);
    const page = await open(expected.url);
    const facts = await collect(page);
    await page.close();
    const file = join(SNAPSHOTS, name.replace(/\.html$/, '.json'));
    const snapshot = { fixture: name, expected, facts };
    if (UPDATE) writeFileSync(file, `${JSON.stringify(snapshot, null, 2)}\n`);
    assert.ok(existsSync(file), `${file} is missing: run with UPDATE_PAGE_FACTS=1`);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), snapshot, 'stale snapshot: run with UPDATE_PAGE_FACTS=1');
    assert.equal(facts.url, expected.url);
    assert.ok(!JSON.stringify(facts).includes('not-for-extensions'), 'no cookie but aep_usuc_f is read');
  });
}

test('the collector finds what each layout shows', { timeout: TIMEOUT_MS }, async () => {
  const facts = {};
  for (const name of PAGES) {
    const page = await open(expectedOf(name).url);
    facts[name] = await collect(page);
    await page.close();
  }
  const jsonld = facts['product-jsonld.html'];
  assert.equal(jsonld.cookie, 'site=glo&c_tp=USD&region=US&b_locale=en_US');
  assert.equal(jsonld.json_ld.length, 1);
  assert.deepEqual(jsonld.product.prices.slice(0, 1), ['US $12.99']);
  assert.equal(jsonld.product.store_links[0], '//www.aliexpress.com/store/1101234567');
  assert.deepEqual(jsonld.ship_to, { text: '/EN/USD', flag: 'ship-to--flag--3tuR6Xo country-flag-y2023 US' });
  assert.deepEqual(jsonld.items, []);
  assert.equal(jsonld.promo_code_input, false);

  const meta = facts['product-meta.html'];
  assert.equal(meta.cookie, '');
  assert.deepEqual(meta.json_ld, []);
  assert.ok(meta.meta.some(([k, v]) => k === 'product:price:amount' && v === '24.99'));
  assert.ok(!meta.meta.some(([k]) => k === 'description'), 'only product meta tags');
  assert.equal(meta.product.category_links.length, 3);

  const dom = facts['product-dom.html'];
  assert.equal(dom.product.prices[0], '1\u00a0299,00 zł'.replace(/\s+/g, ' '));
  assert.equal(dom.ship_to.flag, 'css_flag css_pl');
  assert.deepEqual(dom.meta, []);

  const runParams = facts['product-runparams.html'];
  assert.deepEqual(Object.keys(runParams.script).sort(), ['categoryId', 'categoryPaths', 'currencyCode', 'storeNum', 'userCountryCode']);
  assert.match(runParams.script.storeNum, /^: 1103344556,/);

  const cart = facts['cart.html'];
  assert.equal(cart.items.length, 5);
  assert.deepEqual(
    cart.items.map((i) => [i.price, i.quantity, i.selected]),
    [
      ['US $12.99', '2', true],
      ['US $5.49', '1', false],
      ['US $30.00', '1', false],
      ['US $1,049.00', '1', true],
      ['US $7.10', '3', true],
    ],
  );
  assert.equal(cart.items[2].store_link, '//www.aliexpress.com/store/1101234567?spm=a2g0o.cart.0.0');

  const checkout = facts['checkout.html'];
  assert.equal(checkout.promo_code_input, true);
  assert.deepEqual(
    checkout.items.map((i) => [i.quantity, i.selected, i.store_link]),
    [
      ['x2', null, 'https://www.aliexpress.com/store/912345'],
      ['x1', null, 'https://www.aliexpress.com/store/2203344556'],
      ['x3', null, 'https://www.aliexpress.com/store/2203344556'],
    ],
  );
});

test('fillPromoCode fills the field a React-style page notices, focuses it, and submits nothing', { timeout: TIMEOUT_MS }, async () => {
  const page = await open(expectedOf('checkout.html').url);
  const filled = await page.evaluate(() => SmartShopperPage.fillPromoCode('SAVE5'));
  assert.equal(filled, true);
  const state = await page.evaluate(() => ({
    ...window.__checkout,
    value: document.getElementById('promo-input').value,
    focused: document.activeElement?.id ?? null,
  }));
  assert.deepEqual(state, { changes: ['SAVE5'], inputs: 1, changeEvents: 1, submitted: 0, value: 'SAVE5', focused: 'promo-input' });
  assert.equal(await page.evaluate(() => document.querySelector('input[name="zip"]').value), '12345');
  const max = await page.evaluate(() => SmartShopperPage.MAX_PROMO_CODE_LENGTH);
  // A code the feed accepts but longer than AliExpress's usual ones (the filler once stopped at 64).
  const long = 'LONG'.repeat(25);
  assert.equal(await page.evaluate((code) => SmartShopperPage.fillPromoCode(code), long), true, 'a 100-character code');
  assert.equal(await page.evaluate(() => document.getElementById('promo-input').value), long);
  for (const bad of ['', '   ', 'X'.repeat(max + 1), 42, null]) {
    assert.equal(await page.evaluate((code) => SmartShopperPage.fillPromoCode(code), bad), false, String(bad));
  }
  await page.close();

  const product = await open(expectedOf('product-jsonld.html').url);
  assert.equal(await product.evaluate(() => SmartShopperPage.fillPromoCode('SAVE5')), false, 'no field, nothing filled');
  await product.close();
});

test('the collector stays within its caps and never throws on a hostile page', { timeout: TIMEOUT_MS }, async () => {
  const url = 'https://www.aliexpress.com/p/shoppingcart/hostile.html';
  const line = (i) =>
    `<div class="cart-product-wrap"><a href="/item/${1005000000000000 + i}.html">x</a><span class="price-current">US $${'9'.repeat(i % 3 === 0 ? 100 : 2)}</span><input type="checkbox" ${i % 2 ? 'checked' : ''}></div>`;
  const huge = 'x'.repeat(4_100_000);
  extraPages.set(
    url,
    [
      '<!doctype html><html><head><title>hostile</title>',
      `<script>document.cookie = 'aep_usuc_f=${'a'.repeat(600)}; path=/';</script>`,
      ...Array.from({ length: 8 }, () => `<script type="application/ld+json">{"@type": "Product", "x": "${'y'.repeat(20_000)}"}</script>`),
      '<script type="application/ld+json">{not json</script>',
      ...Array.from({ length: 60 }, (_, i) => `<meta property="og:x${i}" content="${'c'.repeat(i === 0 ? 600 : 5)}">`),
      `<script>window.runParams = {}; var s = "${huge}"; var t = {"storeNum": 42};</script>`,
      '</head><body>',
      `<div class="breadcrumb">${Array.from({ length: 30 }, (_, i) => `<a href="/category/${i + 1}/c.html">c</a>`).join('')}</div>`,
      `<a href="/store/${'9'.repeat(2000)}">long store</a>`,
      Array.from({ length: 1500 }, (_, i) => line(i)).join(''),
      '</body></html>',
    ].join(''),
  );
  const page = await open(url);
  const facts = await collect(page);
  await page.close();
  const L = await (async () => {
    const p = await open(expectedOf('cart.html').url);
    const limits = await p.evaluate(() => SmartShopperPage.FACT_LIMITS);
    await p.close();
    return limits;
  })();
  assert.equal(facts.cookie, '', 'an over-long cookie is dropped, not cut');
  assert.deepEqual(facts.json_ld, ['{not json'], 'over-long JSON-LD blocks are dropped; bad JSON is the Engine to judge');
  assert.ok(facts.meta.length <= L.META_PAIRS);
  assert.ok(facts.meta.every(([k, v]) => k.length <= L.META_NAME && v.length <= L.META_CONTENT));
  assert.equal(facts.product.category_links.length, L.CATEGORY_LINKS);
  assert.ok(facts.product.store_links.every((h) => h.length <= L.HREF));
  assert.equal(facts.items.length, L.ITEMS);
  assert.equal(facts.items_cut, true, 'the lines past the cap are said to be there');
  assert.ok(facts.items.every((i) => i.price.length <= L.PRICE_TEXT && i.links.length <= L.ITEM_LINKS));
  assert.equal(facts.items[0].price, '', 'a price over its cap is dropped');
  assert.deepEqual(facts.script, {}, 'a script over its cap is not read');
  assert.ok(JSON.stringify(facts).length < 600_000, `facts of ${JSON.stringify(facts).length} characters`);

  // A document whose every read throws still gives facts.
  const broken = await open(expectedOf('cart.html').url);
  const degraded = await broken.evaluate(() => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('hostile');
        },
      },
    );
    return { facts: SmartShopperPage.collectPageFacts(hostile, hostile), version: SmartShopperPage.FACTS_VERSION };
  });
  await broken.close();
  assert.equal(degraded.facts.version, degraded.version);
  assert.ok(Number.isSafeInteger(degraded.version) && degraded.version > 0);
  assert.equal(degraded.facts.url, '');
  assert.deepEqual(degraded.facts.items, []);
});

test('a cart longer than the collector reads is read as cut short by the Engine', { timeout: TIMEOUT_MS }, async () => {
  const url = 'https://www.aliexpress.com/p/shoppingcart/long.html';
  const line = (i) =>
    `<div class="cart-product-wrap"><a href="/item/${1005000000000000 + i}.html">Item ${i}</a>` +
    `<span class="price-current">US $1.00</span><input type="checkbox" checked></div>`;
  const cart = (lines) =>
    [
      '<!doctype html><html><head><title>cart</title>',
      "<script>document.cookie = 'aep_usuc_f=site=glo&c_tp=USD&region=US; path=/';</script>",
      '</head><body>',
      Array.from({ length: lines }, (_, i) => line(i)).join(''),
      '</body></html>',
    ].join('');
  extraPages.set(url, cart(150));
  const page = await open(url);
  const facts = await collect(page);
  const { ITEMS } = await page.evaluate(() => SmartShopperPage.FACT_LIMITS);
  await page.close();
  assert.ok(ITEMS < 150, `the collector reads ${ITEMS} lines`);
  assert.equal(facts.items.length, ITEMS);
  const read = await engineReads(facts);
  assert.equal(read.page.kind, 'cart');
  assert.ok(read.page.notes.includes('too_many_items'), JSON.stringify(read.page.notes));

  // Exactly as many lines as are read: a whole cart, no note.
  const whole = 'https://www.aliexpress.com/p/shoppingcart/whole.html';
  extraPages.set(whole, cart(ITEMS));
  const again = await open(whole);
  const complete = await collect(again);
  await again.close();
  assert.equal(complete.items.length, ITEMS);
  assert.equal(complete.items_cut, false);
  assert.deepEqual((await engineReads(complete)).page.notes, []);
});

test("links the extension rewrote are read as the page's own", { timeout: TIMEOUT_MS }, async () => {
  for (const name of ['cart.html', 'checkout.html']) {
    const expected = expectedOf(name);
    const page = await open(expected.url);
    const own = await collect(page);
    // What the link work does: every product link carries our link, and it remembers the page's.
    const facts = await page.evaluate(() => {
      const original = new WeakMap();
      for (const a of document.querySelectorAll('a[href*="/item/"]')) {
        original.set(a, a.getAttribute('href'));
        a.setAttribute('href', 'https://s.click.aliexpress.com/e/_DlAbc12');
      }
      const pageHref = (a) => (original.has(a) ? original.get(a) : a.getAttribute('href'));
      return {
        through: SmartShopperPage.collectPageFacts(document, location, pageHref),
        attributes: SmartShopperPage.collectPageFacts(document, location),
      };
    });
    await page.close();
    assert.deepEqual(facts.through, own, `${name}: the same facts as before our links`);
    // Read from the attributes, an affiliate-API link says nothing of its product (and the
    // checkout's lines, found by their product links, are not found at all).
    const lost = await engineReads(facts.attributes);
    assert.ok(lost.page.items.every((i) => i.product_id === null), `${name}: ${JSON.stringify(lost.page.items)}`);
    if (name === 'cart.html') assert.ok(lost.page.unknown.includes('product'), JSON.stringify(lost.page.unknown));
    const kept = await engineReads(facts.through);
    assert.deepEqual(
      kept.page.items.map((i) => i.product_id),
      expected.items.map((i) => i.product_id),
      name,
    );
  }
});
