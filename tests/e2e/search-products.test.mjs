// End to end: Smart Search's products in the popup: a submitted request goes to the companion server with only what it needs, the products the Engine accepts are listed with our affiliate link said beside them, an unusable answer or an unreachable server is said in words while the AliExpress search opens, and with product results off nothing is sent.
//
// The server is answered here by the test at the build's search address (the real server's
// search endpoint joins these tests when it lands); what the popup shows and sends is the
// extension's own.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, FIXTURE_PAGES, MESSAGES, TEST_TIMEOUT_MS, launch, openPopup, searchUrlOfBuild, tabIdOf } from './helpers.mjs';

let ext;
/** What the test's server answers: a function of the request, or null for no server at all. */
let server = null;
/** The bodies the extension sent to the search address. */
let sent = [];

function product(i, fields = {}) {
  return {
    id: String(1005006000000000 + i),
    title: `Wireless earbuds model ${i} with charging case and noise cancelling`,
    image: null,
    currency: 'USD',
    price: 1250 + i,
    price_text: ((1250 + i) / 100).toFixed(2),
    original_price: 2500,
    original_price_text: '25.00',
    discount_percent: 50,
    positive_percent: 92.1,
    orders: 1234 + i,
    store: { id: '912345', name: 'Sound Store', url: 'https://www.aliexpress.com/store/912345' },
    link: `https://s.click.aliexpress.com/e/_test${i}`,
    free_shipping: i % 2 === 0,
    ship_from: null,
    ...fields,
  };
}

const answerOf = (products) => ({ keywords: 'wireless earbuds', filters: [], unusable: 0, not_shown: 0, products });

before(async () => {
  ext = await launch();
  await ext.context.route(searchUrlOfBuild(), (route) => {
    sent.push(JSON.parse(route.request().postData() ?? 'null'));
    if (!server) return route.abort('connectionrefused');
    const { status = 200, body } = server(route.request());
    return route.fulfill({ status, headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  });
});

after(async () => {
  await ext?.close();
});

async function popupOnCart() {
  const page = await ext.context.newPage();
  await page.goto(FIXTURE_PAGES.cart);
  const popup = await openPopup(ext, await tabIdOf(ext, page));
  return { page, popup };
}

/** The tabs whose address (or the one they are loading) is an AliExpress search, as the browser lists them. */
async function searchTabs() {
  const worker = await ext.worker();
  return worker.evaluate(async () =>
    (await chrome.tabs.query({}))
      .map((t) => ({ url: t.pendingUrl || t.url || '', active: t.active }))
      .filter((t) => t.url.startsWith('https://www.aliexpress.com/wholesale?')),
  );
}

/** Waits until one AliExpress search tab whose address matches `pattern` is open; it, as listed. */
async function searchTabOpened(pattern) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = (await searchTabs()).filter((t) => pattern.test(t.url));
    if (found.length > 0 || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function submit(popup, query) {
  // Enter reads the text again before it searches: no need to wait for the chips.
  await popup.locator('#search-input').fill(query);
  await popup.locator('#search-input').press('Enter');
}

test('a submitted request shows the products the server found, each opening with our affiliate link, said beside them', { timeout: TEST_TIMEOUT_MS }, async () => {
  server = () => ({ body: answerOf([product(1), product(2), product(3)]) });
  sent = [];
  const { page, popup } = await popupOnCart();
  await popup.setViewportSize({ width: 360, height: 600 });
  await submit(popup, 'wireless earbuds under $20 free shipping');
  await popup.locator('#search-status').filter({ hasText: MESSAGES.searchFound.message.replace('$COUNT$', '3') }).waitFor();
  // Only what the search needs crossed: the words, and where the products should ship and be priced.
  assert.deepEqual(sent, [{ query: 'wireless earbuds under $20 free shipping', country: 'US', currency: 'USD', locale: 'en-US' }]);
  const results = popup.locator('#result-list .result');
  assert.equal(await results.count(), 3);
  assert.deepEqual(
    await results.evaluateAll((links) => links.map((a) => [a.href, a.target, a.dataset.productId])),
    [1, 2, 3].map((i) => [`https://s.click.aliexpress.com/e/_test${i}`, '_blank', String(1005006000000000 + i)]),
  );
  const first = await results.first().textContent();
  assert.match(first, /Wireless earbuds model 1/);
  assert.match(first, /\$12\.51/);
  assert.match(first, /92\.1% positive/);
  assert.match(first, /1,235 sold/);
  // The disclosure is where the action is, and describes the list.
  assert.equal((await popup.locator('#results-disclosure').textContent()).trim(), MESSAGES.resultsDisclosure.message);
  assert.equal(await popup.locator('#result-list').getAttribute('aria-describedby'), 'results-disclosure');
  assert.ok(await popup.locator('#results-disclosure').isVisible());
  // The popup still fits Chrome's 600 px: the list scrolls inside it.
  const bottom = await popup.evaluate(() => document.querySelector('main').getBoundingClientRect().bottom);
  assert.ok(bottom <= 600, `the popup ends at ${bottom}px`);
  await popup.screenshot({ path: join(ARTIFACTS, 'popup-search-products.png') });
  await popup.emulateMedia({ colorScheme: 'dark' });
  await popup.screenshot({ path: join(ARTIFACTS, 'popup-search-products-dark.png') });
  // The products take the coupons' place; closing them (a labelled button) brings the coupons back.
  assert.equal(await popup.locator('#coupons').isVisible(), false);
  await popup.getByRole('button', { name: MESSAGES.resultsClose.message }).click();
  assert.equal(await popup.locator('#search-results').isHidden(), true);
  assert.equal(await popup.locator('#coupons').isVisible(), true);
  assert.equal(await popup.evaluate(() => document.activeElement.id), 'search-input');
  await popup.close();
  await page.close();
});

test('an answer with a product the Engine refuses is not shown: the popup says why and the AliExpress search opens', { timeout: TEST_TIMEOUT_MS }, async () => {
  server = () => ({ body: answerOf([product(1), product(2, { link: 'javascript:alert(1)' })]) });
  const { page, popup } = await popupOnCart();
  const opened = ext.context.waitForEvent('page');
  await submit(popup, 'wireless earbuds');
  const tab = await opened;
  // Opened behind the popup, which stays to say why.
  assert.deepEqual(await searchTabOpened(/SearchText=wireless\+earbuds/), [
    { url: 'https://www.aliexpress.com/wholesale?SearchText=wireless+earbuds', active: false },
  ]);
  const reason = MESSAGES.error_search_answer_bad_product.message.replace('$INDEX$', '2').replace('$FIELD$', 'link');
  await popup.locator('#search-status').filter({ hasText: reason }).waitFor();
  assert.equal(
    (await popup.locator('#search-status').textContent()).trim(),
    MESSAGES.searchProductsFailed.message.replace('$REASON$', reason),
  );
  assert.equal(await popup.locator('#result-list .result').count(), 0);
  assert.equal(await popup.locator('#search-results').isHidden(), true);
  await tab.close();
  await popup.close();
  await page.close();
});

test('an unreachable server or an error status is said in words, and the AliExpress search opens', { timeout: TEST_TIMEOUT_MS }, async () => {
  for (const [answer, reason] of [
    [null, MESSAGES.error_search_unreachable.message],
    [() => ({ status: 503, body: 'down' }), MESSAGES.error_search_server_status.message.replace('$STATUS$', '503')],
  ]) {
    server = answer;
    const { page, popup } = await popupOnCart();
    const opened = ext.context.waitForEvent('page');
    await submit(popup, 'phone case');
    const tab = await opened;
    assert.equal((await searchTabOpened(/SearchText=phone\+case/)).length, 1);
    await popup.locator('#search-status').filter({ hasText: reason }).waitFor();
    await tab.close();
    await popup.close();
    await page.close();
  }
});

test('with product results off, a submitted request is sent nowhere and the search opens', { timeout: TEST_TIMEOUT_MS }, async () => {
  const worker = await ext.worker();
  await worker.evaluate(() => chrome.storage.local.set({ settings: { mode: 'ask', search_results: false } }));
  server = () => ({ body: answerOf([product(1)]) });
  sent = [];
  const { page, popup } = await popupOnCart();
  const opened = ext.context.waitForEvent('page');
  await submit(popup, 'phone case');
  const tab = await opened;
  await tab.waitForURL(/^https:\/\/www\.aliexpress\.com\/wholesale\?SearchText=phone\+case/);
  assert.deepEqual(sent, []);
  assert.equal(await popup.locator('#result-list .result').count(), 0);
  await worker.evaluate(() => chrome.storage.local.remove('settings'));
  await tab.close();
  await popup.close();
  await page.close();
});
