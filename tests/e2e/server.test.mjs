// End to end against the companion server: the real shopper-server binary, started here on loopback with a temporary database (and the fake AliExpress API behind it), serves the coupons the popup lists, the products Smart Search shows and the affiliate API's link for the product a shopper activates deals on; the worker fetches the feed of the shopper's market and switches when a page names another; and while the shopper browses, nothing but feed requests reach the server.
//
// The build under test talks to its configured server origin; every request to that origin is
// passed on, unchanged, to the server started here (Playwright's route.fetch), which answers it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FIXTURE_PAGES,
  MESSAGES,
  PRODUCT_PAGE,
  ROOT,
  STORE_PAGE,
  TEST_TIMEOUT_MS,
  defaultKey,
  isOurDeepLink,
  launch,
  openPopup,
  serverOfBuild,
  tabIdOf,
  waitIdle,
} from './helpers.mjs';

const SERVER = join(ROOT, 'target', 'release', 'shopper-server');
// The fake affiliate API (crates/aliexpress, feature `fake`), which scripts/test builds.
const FAKE_API = join(ROOT, 'target', 'release', 'aliexpress-fake');
// The development build trusts this key (scripts/package.mjs made it): the server signs with it.
const DEV_KEY = join(ROOT, 'target', 'dev-publisher-key.json');
const DAY_MS = 24 * 3600 * 1000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

let ext;
let work;
let server;
let fakeApi;
let address;
/** Every request the extension sent to its server: method and path. */
let received = [];
/** The bodies of the link requests it sent, parsed. */
let linkBodies = [];

function coupon(id, currency, fields = {}) {
  return {
    id,
    kind: 'select',
    title: `${currency} coupon ${id}`,
    currency,
    min_spend: 0,
    discount: { type: 'fixed', amount: 100 },
    countries: [],
    starts_at: iso(Date.now() - DAY_MS),
    expires_at: iso(Date.now() + 30 * DAY_MS),
    ...fields,
  };
}

/** Starts a program that says `listening on http://127.0.0.1:PORT...`; resolves with that address. */
function start(program, args, env) {
  const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${program} did not start: ${output}`)), 30_000);
    const read = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\S*)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, address: match[1], output: () => output });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`${program} exited (${code}): ${output}`)));
  });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'smart-shopper-server-e2e-'));
  fakeApi = await start(FAKE_API, ['--port', '0', '--app-key', 'k', '--app-secret', 's', '--tracking-id', 't'], {});
  const env = {
    SHOPPER_ALIEXPRESS_APP_KEY: 'k',
    SHOPPER_ALIEXPRESS_APP_SECRET: 's',
    SHOPPER_ALIEXPRESS_TRACKING_ID: 't',
    SHOPPER_ALIEXPRESS_API_URL: fakeApi.address,
    SHOPPER_DATA_DIR: join(work, 'data'),
    SHOPPER_SIGNING_KEY_FILE: DEV_KEY,
    SHOPPER_LISTEN: '127.0.0.1:0',
    SHOPPER_MARKETS: 'US-USD,JP-JPY',
  };
  const coupons = join(work, 'coupons.json');
  writeFileSync(coupons, JSON.stringify([coupon('server-usd-1', 'USD'), coupon('server-usd-2', 'USD'), coupon('server-jpy-1', 'JPY')]));
  execFileSync(SERVER, ['coupons', 'import', coupons], { env: { ...process.env, ...env }, stdio: 'pipe' });
  // The day's rates, which every feed carries: a dollar buys half a euro (round, to read the URL).
  const rates = join(work, 'rates.json');
  writeFileSync(rates, JSON.stringify({ base: 'USD', per_base: { EUR: 0.5, JPY: 150 } }));
  execFileSync(SERVER, ['rates', 'import', rates], { env: { ...process.env, ...env }, stdio: 'pipe' });
  server = await start(SERVER, ['serve'], env);
  address = server.address;
  ext = await launch();
  // Registered after the helpers' catch-all refusal, so it answers first for the server origin.
  await ext.context.route(`${serverOfBuild()}/**`, async (route) => {
    const url = new URL(route.request().url());
    received.push(`${route.request().method()} ${url.pathname}`);
    if (url.pathname === '/v1/links') linkBodies.push(JSON.parse(route.request().postData() ?? 'null'));
    const response = await route.fetch({ url: `${address}${url.pathname}${url.search}` });
    await route.fulfill({ response });
  });
});

after(async () => {
  await ext?.close();
  server?.child.kill('SIGTERM');
  fakeApi?.child.kill('SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
});

async function worker() {
  return ext.worker();
}

/** Waits until the worker's feed meta satisfies `ok`; the meta. */
async function feedMeta(ok) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const meta = (await (await worker()).evaluate(() => chrome.storage.local.get('feed'))).feed ?? {};
    if (ok(meta) || Date.now() > deadline) return meta;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function listedIds(tabId) {
  const popup = await openPopup(ext, tabId);
  await popup.locator('main[data-ready]').waitFor({ state: 'attached' });
  const ids = await popup.evaluate(() => [...document.querySelectorAll('#coupon-list > li')].map((li) => li.dataset.id));
  const feedLine = await popup.locator('#feed-status').textContent();
  await popup.close();
  return { ids, feedLine };
}

test('the extension takes its coupons from the server: the feed of the browser\'s market, signed and verified', { timeout: TEST_TIMEOUT_MS }, async () => {
  // The install's own first fetch may run before this test's route to the server is in place
  // (then it failed, and waits for its retry): ask for the feed as "Update now" does.
  const page0 = await ext.context.newPage();
  await page0.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await page0.evaluate(() => chrome.runtime.sendMessage({ kind: 'refresh_feed' }));
  await page0.close();
  const meta = await feedMeta((m) => m.source === 'server');
  assert.equal(meta.source, 'server', JSON.stringify(meta));
  assert.equal(meta.market, 'US-USD');
  assert.ok(meta.etag, 'the server gave an ETag');
  const page = await ext.context.newPage();
  await page.goto(FIXTURE_PAGES.cart);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId);
  const { ids, feedLine } = await listedIds(tabId);
  assert.deepEqual(ids.sort(), ['server-usd-1', 'server-usd-2']);
  // Not the demo feed, and no failure line.
  assert.doesNotMatch(feedLine, new RegExp(MESSAGES.feedDemo.message));
  await page.close();
});

test('a page that names another market switches to its feed; an unchanged feed is answered 304', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  // Its settings cookie says Japan, yen.
  await page.goto(FIXTURE_PAGES['product-runparams']);
  await waitIdle(ext, await tabIdOf(ext, page), { atLeast: 0 });
  const meta = await feedMeta((m) => m.market === 'JP-JPY');
  assert.equal(meta.market, 'JP-JPY');
  assert.equal((await (await worker()).evaluate(() => chrome.storage.local.get('market'))).market, 'JP-JPY');
  // Back on a US page: the US feed again, and asking again finds it unchanged.
  await page.goto(FIXTURE_PAGES.cart);
  await waitIdle(ext, await tabIdOf(ext, page), { atLeast: 0 });
  await feedMeta((m) => m.market === 'US-USD');
  received = [];
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await options.locator('#feed-summary').filter({ hasText: /\S/ }).waitFor();
  await options.locator('#feed-refresh').click();
  await options.locator('#feed-result').filter({ hasText: MESSAGES.feedRefreshed.message }).waitFor();
  assert.deepEqual(received, ['GET /v1/feeds/US-USD']);
  assert.equal((await feedMeta(() => true)).failures, 0);
  await options.close();
  await page.close();
});

test('while the shopper browses, nothing but feed requests reach the server', { timeout: TEST_TIMEOUT_MS }, async () => {
  received = [];
  for (const url of [PRODUCT_PAGE, STORE_PAGE, ...Object.values(FIXTURE_PAGES)]) {
    const page = await ext.context.newPage();
    await page.goto(url);
    const tabId = await tabIdOf(ext, page);
    await waitIdle(ext, tabId, { atLeast: 0 });
    const popup = await openPopup(ext, tabId);
    await popup.locator('main[data-ready]').waitFor({ state: 'attached' });
    await popup.close();
    await page.close();
  }
  assert.ok(received.every((r) => r.startsWith('GET /v1/feeds/')), JSON.stringify(received));
});

test('Smart Search shows the products the server found through the affiliate API, each with its promotion link', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(FIXTURE_PAGES.cart);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId, { atLeast: 0 });
  const popup = await openPopup(ext, tabId);
  received = [];
  await popup.locator('#search-input').fill('wireless earbuds under 50 dollars');
  await popup.locator('#search-input').press('Enter');
  await popup.locator('#search-results:not([hidden])').waitFor();
  assert.deepEqual(received, ['POST /v1/search']);
  const links = await popup.locator('#result-list .result').evaluateAll((as) => as.map((a) => a.href));
  assert.ok(links.length > 0);
  for (const link of links) assert.match(link, /^https:\/\/s\.click\.aliexpress\.com\//);
  await popup.close();
  await page.close();
});

test('a price typed in another currency is converted with the feed\'s rates into the site\'s, in the search it opens', { timeout: TEST_TIMEOUT_MS }, async () => {
  await feedMeta((m) => m.source === 'server' && m.market === 'US-USD');
  const page = await ext.context.newPage();
  // The cart page shows US dollars.
  await page.goto(FIXTURE_PAGES.cart);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId, { atLeast: 0 });
  // Product results off for this test, so that the search opens as a link and its URL is seen.
  const w = await worker();
  const settings = (await w.evaluate(() => chrome.storage.local.get('settings'))).settings;
  await w.evaluate(() => chrome.storage.local.set({ settings: { mode: 'ask', search_results: false } }));
  // The worker stops (as Chrome stops it when idle) and starts again from its snapshot: the
  // rates come back with the coupons, not only with the next download.
  await ext.stopWorker();
  const popup = await openPopup(ext, tabId);
  try {
    await popup.locator('#search-input').fill('bike light up to €20');
    // 20 euros at 0.5 euros to the dollar: 40 dollars, said on the chip and under it.
    await popup.waitForFunction(
      (want) => document.querySelector('#search-chips .chip')?.textContent === want,
      'up to €20.00 · ≈ $40.00',
    );
    assert.equal(
      await popup.locator('#search-note').textContent(),
      MESSAGES.searchNoteConverted.message.replaceAll('$CURRENCY$', 'USD'),
    );
    const opened = ext.context.waitForEvent('page');
    await popup.locator('#search-input').press('Enter');
    const tab = await opened;
    await tab.waitForURL(/^https:/);
    const url = new URL(tab.url());
    assert.equal(url.searchParams.get('SearchText'), 'bike light');
    assert.equal(url.searchParams.get('maxPrice'), '40', tab.url());
    await tab.close();
  } finally {
    await popup.close();
    await (await worker()).evaluate(
      (value) => (value ? chrome.storage.local.set({ settings: value }) : chrome.storage.local.remove('settings')),
      settings,
    );
    await page.close();
  }
});

test('Activate deals on a product page asks the server for that one product\'s link, and the page\'s links to it become the affiliate API\'s', { timeout: TEST_TIMEOUT_MS }, async () => {
  // Every /item/ page is the product fixture, which links to this product among others.
  const id = '1005001111111111';
  const page = await ext.context.newPage();
  await page.goto(`https://www.aliexpress.com/item/${id}.html?spm=a2g0o.home.0`);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId);
  const popup = await openPopup(ext, tabId);
  received = [];
  linkBodies = [];
  const activate = popup.locator('#activate');
  await activate.waitFor({ state: 'visible' });
  await activate.click();
  await activate.waitFor({ state: 'hidden' });
  const self = page.locator(`a[data-id="${id}"]`);
  await page.waitForFunction(
    (selector) => document.querySelector(selector)?.getAttribute('href').startsWith('https://s.click.aliexpress.com/e/_fake'),
    `a[data-id="${id}"]`,
    { timeout: 30_000 },
  );
  assert.deepEqual(received, ['POST /v1/links']);
  // One URL: the product's canonical page, tracking dropped; nothing else of the page.
  assert.deepEqual(linkBodies, [{ urls: [`https://www.aliexpress.com/item/${id}.html`] }]);
  // The other products' links are our deep links, as activation made them.
  const other = await page.locator('a[data-id="1005001111111113"]').getAttribute('href');
  assert.ok(isOurDeepLink(other, '1005001111111113', defaultKey()), other);
  assert.match(await self.getAttribute('href'), /^https:\/\/s\.click\.aliexpress\.com\/e\/_fake[0-9a-f]+$/);
  await popup.close();
  await page.close();
});

test('a market the server has no feed for is said so, not as a failed update, and the coupons in use stay', { timeout: TEST_TIMEOUT_MS }, async () => {
  // Germany, euros: a market this server does not serve (it serves US-USD and JP-JPY).
  await ext.context.addCookies([
    { name: 'aep_usuc_f', value: 'site=deu&c_tp=EUR&region=DE&b_locale=de_DE', domain: 'es.aliexpress.com', path: '/' },
  ]);
  const page = await ext.context.newPage();
  try {
    await page.goto(FIXTURE_PAGES['product-meta']);
    const tabId = await tabIdOf(ext, page);
    await waitIdle(ext, tabId, { atLeast: 0 });
    const meta = await feedMeta((m) => m.unserved === 'DE-EUR');
    assert.equal(meta.unserved, 'DE-EUR', JSON.stringify(meta));
    assert.equal(meta.failures, 0, 'not counted as a failure');
    assert.equal(meta.last_error, null);
    assert.equal(meta.retry_at, 0, 'no retry: the daily check asks again');
    assert.equal(meta.source, 'server', 'the coupons in use stay');
    assert.ok(meta.market, 'the feed in use keeps its market');
    const popup = await openPopup(ext, tabId);
    await popup.locator('main[data-ready]').waitFor({ state: 'attached' });
    const line = await popup.locator('#feed-status').textContent();
    assert.ok(line.includes(MESSAGES.feedMarketNotServed.message.replace('$MARKET$', 'DE-EUR')), line);
    assert.ok(line.includes(MESSAGES.feedUpdatedMarket.message.split('$MARKET$')[0]), line);
    assert.ok(!line.includes(MESSAGES.feedStale.message), line);
    await popup.close();
  } finally {
    await page.close();
    await ext.context.clearCookies();
  }
});
