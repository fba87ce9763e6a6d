// Shared end-to-end helpers: launch Chromium with the built extension, serve fixtures on real AliExpress URLs, talk to the worker and popup.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectedOf, FIXTURES } from '../expected.mjs';


/** A test that hangs fails instead, with its name. */
export const TEST_TIMEOUT_MS = 60_000;

/** Fixture pages, served on their real AliExpress URLs. */
export const PRODUCT_PAGE = 'https://www.aliexpress.com/item/1005001234567890.html';
export const STORE_PAGE = 'https://www.aliexpress.com/store/912345';
export const SEARCH_PAGE = 'https://www.aliexpress.com/w/wholesale-phone-case.html';
/** The page-context fixtures (tests/fixtures/<name>.html), each on the URL it imitates. */
export const FIXTURE_PAGES = Object.freeze({
  'product-jsonld': 'https://www.aliexpress.com/item/1005005555555501.html',
  'product-meta': 'https://es.aliexpress.com/item/1005005555555502.html',
  'product-dom': 'https://pl.aliexpress.com/item/1005005555555503.html',
  'product-runparams': 'https://ja.aliexpress.com/item/1005005555555504.html',
  cart: 'https://www.aliexpress.com/p/shoppingcart/index.html',
  checkout: 'https://www.aliexpress.com/p/trade/confirm.html?objectId=1005001234567890&from=aliexpress&countryCode=US',
  // The checkout whose promo code field is behind the control that reveals it, in three languages.
  'checkout-promo-en': 'https://www.aliexpress.com/p/trade/confirm.html?shopCartIds=10000001,10000002,10000003&from=aliexpress&countryCode=US',
  'checkout-promo-es': 'https://www.aliexpress.com/p/trade/confirm.html?shopCartIds=20000001,20000002,20000003&from=aliexpress&countryCode=ES',
  'checkout-promo-ru': 'https://www.aliexpress.com/p/trade/confirm.html?shopCartIds=30000001,30000002,30000003&from=aliexpress&countryCode=RU',
  // Product pages of each generation, whose data the main-world reader copies (issue 11).
  'product-csr': 'https://www.aliexpress.com/item/1005010026778896.html',
  'product-2023': 'https://www.aliexpress.com/item/1005005555555505.html',
  'product-2021': 'https://www.aliexpress.com/item/4000123456789.html',
  'product-hostile': 'https://www.aliexpress.com/item/1005010000000001.html',
  // aliexpress.us, where a product's id is its global id plus 2^51.
  'product-us': 'https://www.aliexpress.us/item/3256801048253138.html',
});

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = join(ROOT, 'dist', 'chrome');

/** The built extension's English messages, to compare what pages show with the locale text. */
export const MESSAGES = JSON.parse(readFileSync(join(DIST, '_locales', 'en', 'messages.json'), 'utf8'));
export { expectedOf, FIXTURES };
export const ARTIFACTS = join(ROOT, 'tests', '.artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The native command line, whose coupon rules the popup's must equal. */
export const SHOPPER = join(ROOT, 'target', 'release', 'shopper');
/** A fresh install's coupons: the demo feed as the build dated it (scripts/package.mjs). */
export const DEMO_FEED = join(ROOT, 'target', 'demo-feed.json');

/**
 * What the native rules say of the order a fixture expects (its counted lines), from the coupons
 * of `feedFile` (a plain feed): `{matched: [...coupons match's lines], best: coupons best's answer}`.
 */
export function nativeCoupons(feedFile, expected, now = Date.now()) {
  const cart = {
    currency: expected.currency,
    country: expected.country,
    now: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    items: expected.items
      .filter((item) => item.selected !== false)
      .map(({ product_id, store_id, category_ids, price, quantity }) => ({ product_id, store_id, category_ids, price, quantity })),
  };
  const dir = mkdtempSync(join(tmpdir(), 'smart-shopper-native-'));
  try {
    const cartFile = join(dir, 'cart.json');
    writeFileSync(cartFile, JSON.stringify(cart));
    const run = (what) => execFileSync(SHOPPER, ['coupons', what, '--feed', feedFile, '--cart', cartFile], { encoding: 'utf8' });
    const matched = run('match').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
    return { matched, best: JSON.parse(run('best')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const DEEP_LINK_PREFIX = 'https://s.click.aliexpress.com/deep_link.htm?aff_short_key=';

/** The companion server the build talks to, read from the built config.js. */
export function serverOfBuild() {
  const text = readFileSync(join(DIST, 'config.js'), 'utf8');
  const match = /SERVER_URL = ("[^"]*"|null)/.exec(text);
  if (!match || match[1] === 'null') throw new Error('dist/chrome/config.js has no SERVER_URL');
  return JSON.parse(match[1]);
}

/** The build's contract with the Engine (the server's paths among it). */
function contractOfBuild() {
  const text = readFileSync(join(DIST, 'shared', 'contract.js'), 'utf8');
  return JSON.parse(/Object\.freeze\(([\s\S]*)\);/.exec(text)[1]);
}

/** Where the build fetches a market's coupon feed (the browser's English and the fixtures' US pages: US-USD). */
export function feedUrlOfBuild(market = 'US-USD') {
  return `${serverOfBuild()}${contractOfBuild().server_paths.feed_prefix}${market}`;
}

/** Where the build asks for Smart Search's products. */
export function searchUrlOfBuild() {
  return `${serverOfBuild()}${contractOfBuild().server_paths.search}`;
}

/** The build's default affiliate key, read from the built config.js. */
export function defaultKey() {
  const text = readFileSync(join(DIST, 'config.js'), 'utf8');
  const match = /DEFAULT_AFFILIATE_KEY = ("[^"]*")/.exec(text);
  if (!match) throw new Error('dist/chrome/config.js has no DEFAULT_AFFILIATE_KEY');
  return JSON.parse(match[1]);
}

/**
 * Launches Chromium with dist/chrome loaded (or another unpacked build: `dist`, for the
 * benchmark's floor), in a fresh profile, exactly as DESIGN.md says; `locale` (`fr`, `pt-BR`...)
 * sets the browser's UI language.
 * @returns {Promise<{context, extensionId: string, worker: () => Promise<import('playwright-core').Worker>,
 *   stopWorker: () => Promise<void>, close: () => Promise<void>}>}
 */
export async function launch({ dist = DIST, locale } = {}) {
  if (!existsSync(join(dist, 'manifest.json'))) {
    throw new Error(`${dist} is not built: run scripts/build first`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'smart-shopper-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      `--disable-extensions-except=${dist}`,
      `--load-extension=${dist}`,
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // The browser's UI language, which chrome.i18n and so the extension's pages follow.
      ...(locale ? [`--lang=${locale}`] : []),
    ],
    ...(locale ? { env: { ...process.env, LANGUAGE: locale } } : {}),
  });
  await serveFixtures(context);
  let first = context.serviceWorkers()[0];
  if (!first) first = await context.waitForEvent('serviceworker', { timeout: 15_000 });
  const extensionId = new URL(first.url()).host;

  // Playwright keeps one Worker per service worker target; after Chrome stops the worker and
  // starts it again, the same object reaches the new instance once it runs.
  let live = first;
  context.on('serviceworker', (w) => {
    if (w.url().startsWith(`chrome-extension://${extensionId}/`)) live = w;
  });
  let stopped = false;

  /** The extension's worker, started again by an extension page if a test stopped it. */
  async function worker() {
    if (!stopped) return live;
    const waker = await context.newPage();
    await waker.goto(`chrome-extension://${extensionId}/options.html`);
    // Playwright reaches the new instance through the same Worker once it runs (or reports a
    // new one); an evaluate on a worker that is not back yet may never answer, so each try is
    // bounded.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const candidate = live;
      const answered = await Promise.race([
        candidate.evaluate(() => true).then(
          () => true,
          () => false,
        ),
        sleep(1_000).then(() => false),
      ]);
      if (answered) break;
      if (Date.now() > deadline) throw new Error('the service worker did not start again in 15 s');
    }
    await waker.close();
    stopped = false;
    return live;
  }

  /** Stops the service worker, as Chrome does after 30 s idle (DevTools' "Stop" does the same). */
  async function stopWorker() {
    await worker();
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/icons/icon-16.png`);
    const cdp = await context.newCDPSession(page);
    const status = (want) =>
      new Promise((resolve) => {
        cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
          for (const v of versions) {
            if (!v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) continue;
            if (v.runningStatus === want) resolve(v.versionId);
          }
        });
      });
    const running = status('running');
    const hasStopped = status('stopped');
    await cdp.send('ServiceWorker.enable');
    const versionId = await within(running, 10_000, 'the service worker is not running');
    await cdp.send('ServiceWorker.stopWorker', { versionId });
    await within(hasStopped, 10_000, 'the service worker did not stop');
    stopped = true;
    await cdp.detach();
    await page.close();
  }

  async function close() {
    await within(context.close(), 20_000, 'closing Chromium').catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }

  return { context, extensionId, worker, stopWorker, close };
}

const HTML = { 'content-type': 'text/html; charset=utf-8' };

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`, or an error saying `what` after `ms`. */
export function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (after ${ms} ms)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function fixture(name) {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** A search results page with `n` product links (for the big-page tests and the benchmark). */
export function bulkPage(n) {
  const parts = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bulk results - AliExpress</title>',
    '<style>body{font:13px sans-serif;margin:0}ul{list-style:none;margin:0;padding:8px;display:grid;',
    'grid-template-columns:repeat(5,1fr);gap:4px}li{border:1px solid #ddd;padding:4px}</style></head><body>',
    `<h1>${n} results</h1><ul id="results">`,
  ];
  for (let i = 0; i < n; i++) {
    const id = 1005000000000000 + i;
    parts.push(`<li><a href="https://www.aliexpress.com/item/${id}.html?spm=a2g0o.productlist.${i}">Item ${i}</a></li>`);
  }
  parts.push('</ul></body></html>');
  return parts.join('');
}

/**
 * The fixture page served at `url`: of those on its host and path, the one whose URL's query
 * parameters `url` carries most of (several fixtures share the checkout's path), else the first.
 */
function fixtureAt(url) {
  let best = null;
  let bestScore = -1;
  for (const [name, page] of Object.entries(FIXTURE_PAGES)) {
    const at = new URL(page);
    if (url.host !== at.host || url.pathname !== at.pathname) continue;
    const wanted = [...at.searchParams];
    const score = wanted.every(([k, v]) => url.searchParams.get(k) === v) ? wanted.length : 0;
    if (score > bestScore) [best, bestScore] = [name, score];
  }
  return best;
}

/**
 * Serves the fixture pages on their real AliExpress URLs, so the manifest's real matches apply.
 * Every other request is refused: the tests never touch the network.
 */
export async function serveFixtures(context) {
  await context.route(/^https?:\/\//, (route) => route.abort('blockedbyclient'));
  const handler = (route) => {
    const url = new URL(route.request().url());
    const path = url.pathname;
    if (url.host === 's.click.aliexpress.com') {
      // An affiliate redirect, as a page that sends the shopper on by script, as AliExpress's
      // does (so the referrer is the bare https://s.click.aliexpress.com/): to a deep link's
      // target, to `to`, or to the product fixture.
      const to =
        url.searchParams.get('dl_target_url') ||
        url.searchParams.get('to') ||
        'https://www.aliexpress.com/item/1005001234567890.html';
      return route.fulfill({
        headers: HTML,
        body: `<!doctype html><title>Redirecting</title><script>location.replace(${JSON.stringify(to)})</script>`,
      });
    }
    const name = fixtureAt(url);
    if (name) return route.fulfill({ headers: HTML, body: fixture(`${name}.html`) });
    if (path.startsWith('/item/')) return route.fulfill({ headers: HTML, body: fixture('product.html') });
    if (path === '/w/wholesale-bulk.html') {
      const n = Number(url.searchParams.get('n') || '5000');
      return route.fulfill({ headers: HTML, body: bulkPage(n) });
    }
    if (path.startsWith('/w/') || path === '/wholesale') return route.fulfill({ headers: HTML, body: fixture('search.html') });
    if (path.startsWith('/store/')) return route.fulfill({ headers: HTML, body: fixture('store.html') });
    return route.fulfill({ status: 404, headers: HTML, body: '<!doctype html><title>Not found</title>' });
  };
  await context.route('https://*.aliexpress.com/**', handler);
  await context.route('https://*.aliexpress.us/**', handler);
}

/** The tab id of `page`, asked of the worker (tab URLs are visible on AliExpress hosts). */
export async function tabIdOf(ext, page) {
  const url = page.url();
  const worker = await ext.worker();
  const id = await worker.evaluate(async (want) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((t) => t.url === want)?.id ?? null;
  }, url);
  if (id === null) throw new Error(`no tab found for ${url}`);
  return id;
}

/** The content script's counts for a tab, through the worker (as the popup gets them). */
export async function pageState(ext, tabId) {
  const worker = await ext.worker();
  const asked = worker.evaluate(
    (id) => chrome.tabs.sendMessage(id, { kind: 'page_state' }, { frameId: 0 }).catch(() => null),
    tabId,
  );
  return within(asked, 5_000, 'page_state').catch(() => null);
}

/** Waits until the content script of `tabId` has no work left and has seen `atLeast` links. */
export async function waitIdle(ext, tabId, { atLeast = 1, timeout = 20_000 } = {}) {
  const end = Date.now() + timeout;
  let state = null;
  while (Date.now() < end) {
    state = await pageState(ext, tabId);
    if (state && state.idle && state.found >= atLeast) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tab ${tabId} not idle in ${timeout} ms; last state ${JSON.stringify(state)}`);
}

/** Sets the rewrite mode the way a shopper does: on the options page. */
export async function setMode(ext, mode) {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
  const radio = page.locator(`input[name="mode"][value="${mode}"]`);
  await radio.waitFor();
  // Wait for the stored settings to be shown before changing them.
  await page.waitForFunction(() => document.querySelector('input[name="mode"]:checked') !== null);
  if (!(await radio.isChecked())) {
    await radio.check();
    // Automatic deals are saved only once the shopper confirms them in the dialog.
    if (mode === 'auto') await page.locator('#auto-confirm-yes').click();
    await page.locator('#mode-status').filter({ hasText: /\S/ }).waitFor();
  }
  await page.close();
}

/** Opens the popup as a page for `tabId`. */
export async function openPopup(ext, tabId, options = {}) {
  const page = await ext.context.newPage();
  if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html?tabId=${tabId}`);
  // The popup marks its main once the worker's first answers are shown.
  await page.locator('main[data-ready]').waitFor({ state: 'attached' });
  return page;
}

/** Every fixture link with its expectation, as the page holds it now. */
export function readLinks(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('a[data-expect]')].map((a) => ({
      expect: a.dataset.expect,
      id: a.dataset.id ?? null,
      original: a.dataset.original,
      href: a.getAttribute('href'),
      label: a.textContent.trim(),
    })),
  );
}

/**
 * Whether `href` is our deep link with `key` to a page of product `id`: its product page, or the
 * page about it the link pointed at (`productId`/`productIds`); the rule itself is the Engine's.
 */
export function isOurDeepLink(href, id, key) {
  if (!href.startsWith(`${DEEP_LINK_PREFIX}${key}&dl_target_url=`)) return false;
  const target = new URL(href).searchParams.get('dl_target_url');
  if (target === null || !target.startsWith('https://')) return false;
  const url = new URL(target);
  if (url.pathname.endsWith(`/item/${id}.html`)) return true;
  return ['productId', 'productIds'].some((key) => (url.searchParams.get(key) ?? '').split(/[:,]/)[0] === id);
}
