// End to end: a tab reached through someone else's affiliate link stands down for the whole visit, and the popup says so; a visit through our own link never does.

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
  MESSAGES,
  TEST_TIMEOUT_MS,
  PRODUCT_PAGE as PRODUCT,
} from './helpers.mjs';

let ext;

/** A product link of the fixture that we rewrite, and the page it leads to. */
const OUR_ID = '1005001111111111';
const OUR_TARGET = `https://www.aliexpress.com/item/${OUR_ID}.html`;

before(async () => {
  ext = await launch();
  // Auto mode: without stand-down every product link would change on load.
  await setMode(ext, 'auto');
});

after(async () => {
  await ext?.close();
});

function assertUntouched(links) {
  assert.ok(links.some((l) => l.expect === 'rewrite'), 'the page has product links');
  for (const link of links) assert.equal(link.href, link.original, `"${link.label}" must not change`);
}

/** `messages`: the stand-down text the popup must show, or the texts it may show. */
async function assertStoodDown(page, messages) {
  const tabId = await tabIdOf(ext, page);
  const state = await waitIdle(ext, tabId);
  assert.equal(state.rewritten, 0);
  assert.equal(state.held_back, 'stand_down');
  assertUntouched(await readLinks(page));

  const popup = await openPopup(ext, tabId);
  const standDown = popup.locator('#stand-down');
  assert.ok(await standDown.isVisible(), 'the popup shows the stand-down');
  const shown = (await standDown.textContent()).trim();
  const allowed = [messages].flat().map((m) => MESSAGES[m].message);
  assert.ok(allowed.includes(shown), `the popup says: ${shown}`);
  assert.equal(await popup.locator('#activate').isVisible(), false, 'no activation while standing down');
  await popup.close();
  return tabId;
}

test('landing URL with affiliate parameters stands down', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(`${PRODUCT}?aff_fcid=4f5e6d&aff_trace_key=abc-123&aff_platform=portals-tool&sk=_dVh4Z2b&terminal_id=t1`);
  const tabId = await assertStoodDown(page, 'standDownLanding');

  // The whole visit: later pages in the same tab, without any affiliate trace, stay untouched.
  await page.goto('https://www.aliexpress.com/store/912345');
  await waitIdle(ext, tabId);
  assertUntouched(await readLinks(page));
  await page.close();
});

test('landing URL cleaned by the page script still stands down', { timeout: TEST_TIMEOUT_MS }, async () => {
  // Stores drop tracking parameters with history.replaceState; the landing URL is what counts.
  const page = await ext.context.newPage();
  await page.addInitScript(() => {
    if (location.search) history.replaceState(null, '', location.pathname);
  });
  await page.goto(`${PRODUCT}?aff_fcid=cleaned&aff_trace_key=xyz`);
  assert.equal(page.url(), PRODUCT);
  await assertStoodDown(page, 'standDownLanding');
  await page.close();
});

test('referrer s.click.aliexpress.com (page.goto referer) stands down', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(PRODUCT, { referer: 'https://s.click.aliexpress.com/e/_DlAbc12' });
  assert.match(await page.evaluate(() => document.referrer), /^https:\/\/s\.click\.aliexpress\.com\//);
  await assertStoodDown(page, 'standDownReferrer');
  await page.close();
});

test('arriving through an s.click redirect page stands down', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(`https://s.click.aliexpress.com/e/_oFz9Ab1?to=${encodeURIComponent(PRODUCT)}`);
  await page.waitForURL(PRODUCT);
  await assertStoodDown(page, 'standDownReferrer');
  await page.close();
});

test('a plain visit in another tab is not affected', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(PRODUCT);
  const tabId = await tabIdOf(ext, page);
  const state = await waitIdle(ext, tabId);
  assert.ok(state.rewritten > 0);
  const popup = await openPopup(ext, tabId);
  assert.equal(await popup.locator('#stand-down').isVisible(), false);
  await popup.close();
  await page.close();
});

test('closing a tab clears its session state', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(`${PRODUCT}?aff_fcid=closing`);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId);
  const worker = await ext.worker();
  const key = `tab:${tabId}`;
  const stored = await worker.evaluate((k) => chrome.storage.session.get(k), key);
  assert.equal(stored[key]?.visit?.stood_down, 'affiliate_landing');
  await page.close();
  await assert.doesNotReject(async () => {
    for (let i = 0; i < 50; i++) {
      const left = await worker.evaluate((k) => chrome.storage.session.get(k), key);
      if (!(key in left)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${key} still stored after the tab closed`);
  });
});

/** Opens the product fixture, waits for its links, and returns our rewritten link on it. */
async function pageWithOurLink() {
  const page = await ext.context.newPage();
  await page.goto(PRODUCT);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId);
  const link = page.locator(`a[data-id="${OUR_ID}"]`);
  const href = await link.getAttribute('href');
  assert.ok(isOurDeepLink(href, OUR_ID, defaultKey()), `our link: ${href}`);
  return { page, tabId, link };
}

/** The tab landed through our own link: it does not stand down and its links carry our tag. */
async function assertOurs(page, tabId) {
  assert.equal(await page.evaluate(() => document.referrer), 'https://s.click.aliexpress.com/');
  const state = await waitIdle(ext, tabId);
  assert.equal(state.held_back, null, 'no stand-down after our own link');
  const links = await readLinks(page);
  const ours = links.filter((l) => l.expect === 'rewrite');
  assert.equal(state.rewritten, ours.length);
  for (const link of ours) assert.ok(isOurDeepLink(link.href, link.id, defaultKey()), link.href);
  const popup = await openPopup(ext, tabId);
  assert.equal(await popup.locator('#stand-down').isVisible(), false, 'the popup names no other creator');
  await popup.close();
}

test('following our own link through a redirect page does not stand the tab down', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page, tabId, link } = await pageWithOurLink();
  await link.click();
  await page.waitForURL(OUR_TARGET);
  await assertOurs(page, tabId);

  // The journey of our link ends where it landed: someone else's link followed next, from the
  // same tab, still stands it down.
  await page.locator('a[href="https://s.click.aliexpress.com/e/_DlAbc12"]').click();
  await page.waitForURL(PRODUCT);
  // Landing if the redirect page's own content script reported before it sent the shopper on.
  await assertStoodDown(page, ['standDownReferrer', 'standDownLanding']);
  await page.close();
});

test('following our link with the keyboard counts as well', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page, tabId, link } = await pageWithOurLink();
  await link.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(OUR_TARGET);
  await assertOurs(page, tabId);
  await page.close();
});

test('our link opened in a new tab keeps that tab ours', { timeout: TEST_TIMEOUT_MS }, async () => {
  // A link that opens a new tab (target=_blank), as many pages write them. A middle click takes the
  // same way in the content script, but Playwright cannot serve the fixtures to a tab the browser
  // itself opens for a middle click (its requests are not intercepted), so it is not driven here.
  const { page, link } = await pageWithOurLink();
  await link.evaluate((a) => {
    a.target = '_blank';
  });
  const [opened] = await Promise.all([ext.context.waitForEvent('page'), link.click()]);
  try {
    await opened.waitForURL(OUR_TARGET);
    await assertOurs(opened, await tabIdOf(ext, opened));
  } finally {
    await opened.close();
    await page.close();
  }
});

test("someone else's link through the same redirect page still stands the tab down", { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(PRODUCT);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId);
  // A creator's deep link, not rewritten by us: clicking it starts no visit of ours.
  const theirs = `https://s.click.aliexpress.com/deep_link.htm?aff_short_key=_dCreator9&dl_target_url=${encodeURIComponent(OUR_TARGET)}`;
  await page.evaluate((href) => {
    const a = document.createElement('a');
    a.href = href;
    a.id = 'creator-deep-link';
    a.textContent = 'A creator’s deep link';
    document.body.prepend(a);
  }, theirs);
  await page.locator('#creator-deep-link').click();
  await page.waitForURL(OUR_TARGET);
  await assertStoodDown(page, ['standDownReferrer', 'standDownLanding']);
  await page.close();
});

test('in ask mode, activating deals and then following our link keeps the visit ours', { timeout: TEST_TIMEOUT_MS }, async () => {
  await setMode(ext, 'ask');
  try {
    const page = await ext.context.newPage();
    await page.goto(PRODUCT);
    const tabId = await tabIdOf(ext, page);
    await waitIdle(ext, tabId);
    const popup = await openPopup(ext, tabId);
    await popup.locator('#activate').click();
    await popup.locator('#activate').waitFor({ state: 'hidden' });
    await popup.close();
    const link = page.locator(`a[data-id="${OUR_ID}"]`);
    await page.waitForFunction((id) => document.querySelector(`a[data-id="${id}"]`).href.startsWith('https://s.click.'), OUR_ID);
    await link.click();
    await page.waitForURL(OUR_TARGET);
    await assertOurs(page, tabId);
    const again = await openPopup(ext, tabId);
    assert.equal((await again.locator('#tab-policy').textContent()).trim(), MESSAGES.activatedNote.message);
    await again.close();
    await page.close();
  } finally {
    await setMode(ext, 'auto');
  }
});
