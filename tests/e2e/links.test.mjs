// End to end: which links change, and when (ask before and after activation, auto on load, infinite scroll), and that our link lands where the page's pointed, in Chromium with the built extension.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEEP_LINK_PREFIX,
  FIXTURES,
  defaultKey,
  isOurDeepLink,
  launch,
  openPopup,
  readLinks,
  setMode,
  tabIdOf,
  waitIdle,
  TEST_TIMEOUT_MS,
  PRODUCT_PAGE,
  STORE_PAGE,
  SEARCH_PAGE,
} from './helpers.mjs';

let ext;
let key;

/** Where the deals fixture (links to pages about products and to the shopper's own pages) is served. */
const DEALS_PAGE = 'https://www.aliexpress.com/gcp/300000999/deals-of-the-day';

before(async () => {
  ext = await launch();
  key = defaultKey();
  const deals = readFileSync(join(FIXTURES, 'deals.html'), 'utf8');
  const html = { 'content-type': 'text/html; charset=utf-8' };
  // The fixture on its URL, and a plain page for each page about products it links to, so that
  // following a link shows where the shopper lands.
  await ext.context.route(
    (url) => url.href.startsWith(DEALS_PAGE) || url.pathname.startsWith('/__pc/') || url.pathname.startsWith('/ssr/'),
    (route) =>
      route.fulfill({
        headers: html,
        body: route.request().url().startsWith(DEALS_PAGE) ? deals : '<!doctype html><title>Deals</title><h1>Deals</h1>',
      }),
  );
});

after(async () => {
  await ext?.close();
});

/** Asserts every fixture link: `rewrite` ones are (or are not yet) our deep links, `keep` ones are untouched. */
function assertLinks(links, { rewritten }) {
  assert.ok(links.length > 0, 'the fixture has links');
  for (const link of links) {
    if (link.expect === 'rewrite' && rewritten) {
      assert.ok(
        isOurDeepLink(link.href, link.id, key),
        `"${link.label}" should be our deep link to ${link.id}, is ${link.href}`,
      );
    } else {
      assert.equal(link.href, link.original, `"${link.label}" must not change`);
    }
  }
}

async function openAndSettle(url) {
  const page = await ext.context.newPage();
  await page.goto(url);
  const tabId = await tabIdOf(ext, page);
  const state = await waitIdle(ext, tabId);
  return { page, tabId, state };
}

describe('ask mode (the default)', () => {
  test('nothing changes before activation; product links change after Activate in the popup', { timeout: TEST_TIMEOUT_MS }, async () => {
    await setMode(ext, 'ask');
    const { page, tabId, state } = await openAndSettle(PRODUCT_PAGE);
    const before = await readLinks(page);
    assertLinks(before, { rewritten: false });
    const products = before.filter((l) => l.expect === 'rewrite').length;
    assert.equal(state.rewritten, 0);
    assert.equal(state.held_back, 'ask_first');
    assert.ok(state.products >= products, `${state.products} product links counted`);

    const popup = await openPopup(ext, tabId);
    const activate = popup.locator('#activate');
    await activate.waitFor({ state: 'visible' });
    assert.equal(await popup.locator('#links-rewritten').textContent(), '0');
    await activate.click();
    await activate.waitFor({ state: 'hidden' });

    await page.waitForFunction(
      (n) => document.querySelectorAll('a[href^="https://s.click.aliexpress.com/deep_link.htm"]').length === n,
      products,
    );
    assertLinks(await readLinks(page), { rewritten: true });
    const after = await waitIdle(ext, tabId);
    assert.equal(after.rewritten, products);
    assert.equal(after.found, state.found, 'a rescan does not count links twice');

    // The popup now reports the rewritten links and the activation.
    await popup.locator('#links-rewritten').filter({ hasText: String(products) }).waitFor();
    assert.ok(await popup.locator('#tab-policy').isVisible());
    await popup.close();

    // Activation lasts for the tab's visit: the next page in the same tab is rewritten on load.
    await page.goto(STORE_PAGE);
    await waitIdle(ext, tabId);
    assertLinks(await readLinks(page), { rewritten: true });
    await page.close();
  });

  test('another tab in ask mode is still left alone', { timeout: TEST_TIMEOUT_MS }, async () => {
    await setMode(ext, 'ask');
    const { page } = await openAndSettle(STORE_PAGE);
    assertLinks(await readLinks(page), { rewritten: false });
    await page.close();
  });
});

describe('auto mode', () => {
  test('product links are rewritten on load; attributed and non-AliExpress links never change', { timeout: TEST_TIMEOUT_MS }, async () => {
    await setMode(ext, 'auto');
    for (const url of [PRODUCT_PAGE, STORE_PAGE, SEARCH_PAGE]) {
      const { page, state } = await openAndSettle(url);
      const links = await readLinks(page);
      assertLinks(links, { rewritten: true });
      assert.equal(state.rewritten, links.filter((l) => l.expect === 'rewrite').length, url);
      assert.equal(state.held_back, null);
      await page.close();
    }
  });

  test('links added later by infinite scroll are processed', { timeout: TEST_TIMEOUT_MS }, async () => {
    await setMode(ext, 'auto');
    const { page, tabId } = await openAndSettle(SEARCH_PAGE);
    for (let round = 0; round < 3; round++) {
      await page.evaluate(() => window.loadMore(120));
      await page.waitForTimeout(50);
    }
    // A card whose link the page itself changes later is decided again.
    await page.evaluate(() => {
      const a = document.querySelector('#results a[data-expect="rewrite"]');
      a.setAttribute('href', 'https://www.aliexpress.com/item/1005005555559999.html');
      a.dataset.id = '1005005555559999';
    });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('a[data-expect="rewrite"]')].every((a) =>
        a.href.startsWith('https://s.click.aliexpress.com/deep_link.htm'),
      ),
    );
    const links = await readLinks(page);
    assert.ok(links.length >= 360);
    assertLinks(links, { rewritten: true });
    const state = await waitIdle(ext, tabId);
    assert.equal(state.rewritten, links.filter((l) => l.expect === 'rewrite').length);
    await page.close();
  });
});

describe('off mode', () => {
  test('turning deals off puts the page\'s own links back on open tabs', { timeout: TEST_TIMEOUT_MS }, async () => {
    await setMode(ext, 'auto');
    const { page, tabId } = await openAndSettle(STORE_PAGE);
    assertLinks(await readLinks(page), { rewritten: true });
    await setMode(ext, 'off');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('a[data-expect]')].every((a) => a.getAttribute('href') === a.dataset.original),
    );
    assertLinks(await readLinks(page), { rewritten: false });
    const state = await waitIdle(ext, tabId);
    assert.equal(state.rewritten, 0);
    assert.equal(state.held_back, 'mode_off');
    // And on again: the same links are rewritten once more.
    await setMode(ext, 'auto');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('a[data-expect="rewrite"]')].every((a) =>
        a.href.startsWith('https://s.click.aliexpress.com/deep_link.htm'),
      ),
    );
    assertLinks(await readLinks(page), { rewritten: true });
    const links = await readLinks(page);
    assert.equal((await waitIdle(ext, tabId)).rewritten, links.filter((l) => l.expect === 'rewrite').length);
    await page.close();
  });

  test('nothing is rewritten and the popup offers no activation', { timeout: TEST_TIMEOUT_MS }, async () => {
    await setMode(ext, 'off');
    const { page, tabId, state } = await openAndSettle(PRODUCT_PAGE);
    assertLinks(await readLinks(page), { rewritten: false });
    assert.equal(state.held_back, 'mode_off');
    const popup = await openPopup(ext, tabId);
    assert.equal(await popup.locator('#activate').isVisible(), false);
    assert.ok(await popup.locator('#tab-policy').isVisible());
    await popup.close();
    await page.close();
    await setMode(ext, 'ask');
  });
});

describe('pages about products and the shopper\'s own pages', () => {
  test('our link leads to the page itself, tracking dropped; the shopper\'s own pages are never rewritten', { timeout: TEST_TIMEOUT_MS }, async () => {
    await setMode(ext, 'auto');
    const page = await ext.context.newPage();
    await page.goto(DEALS_PAGE);
    const tabId = await tabIdOf(ext, page);
    const state = await waitIdle(ext, tabId);
    const links = await page.evaluate(() =>
      [...document.querySelectorAll('a[data-expect]')].map((a) => ({
        expect: a.dataset.expect,
        target: a.dataset.target ?? null,
        original: a.dataset.original,
        href: a.getAttribute('href'),
        label: a.textContent.trim(),
      })),
    );
    const rewritten = links.filter((l) => l.expect === 'rewrite');
    assert.equal(state.rewritten, rewritten.length);
    for (const link of rewritten) {
      assert.ok(link.href.startsWith(`${DEEP_LINK_PREFIX}${key}&dl_target_url=`), `"${link.label}": ${link.href}`);
      assert.equal(new URL(link.href).searchParams.get('dl_target_url'), link.target, link.label);
    }
    for (const link of links.filter((l) => l.expect === 'keep')) {
      assert.equal(link.href, link.original, `"${link.label}" must not change`);
    }

    // Followed, our link lands on the campaign page the page linked to, not on a product page.
    await page.locator('a', { hasText: 'Campaign' }).click();
    const campaign = rewritten.find((l) => l.label === 'Campaign').target;
    await page.waitForURL(campaign);
    assert.equal(page.url(), campaign);
    await page.close();
  });
});
