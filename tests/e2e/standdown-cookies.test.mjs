// End to end: someone else's affiliate key in the visit's AliExpress cookies (aeu_cid, xman_us_f's x_as_i) stands the tab down and the popup says a referral from another site is active; our own key there does not; no other cookie ever reaches the worker.

import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultKey,
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

const THEIRS = '_DlJ4Oaz';
const HEX = '6e2ba7d9c1f04a3b8f7e2d1c0b9a8f7e';

/** A cookie on every AliExpress host, as AliExpress sets them. */
const cookie = (name, value) => ({ name, value, domain: '.aliexpress.com', path: '/' });
const aeuCid = (key) => cookie('aeu_cid', `${HEX}-1764589123456-04512-${key}`);
const xmanUsF = (key, channel = 'AFFILIATE') =>
  cookie(
    'xman_us_f',
    `x_l=1&x_locale=en_US&x_as_i=${encodeURIComponent(JSON.stringify({ affiliateKey: key, channel, cv: '1', isCookieCache: 'N', ms: '1', pid: '123', tagtime: 1764589123456 }))}&acs_rt=2b8e1c0d9f7a4e3b`,
  );
/** A cookie of the page that is none of ours to read. */
const SECRET = cookie('x_user', 'secret-4f1b9c');

before(async () => {
  ext = await launch();
});

after(async () => {
  await ext?.close();
});

afterEach(async () => {
  await ext.context.clearCookies();
});

async function open(cookies) {
  await ext.context.addCookies(cookies);
  const page = await ext.context.newPage();
  await page.goto(PRODUCT);
  const tabId = await tabIdOf(ext, page);
  return { page, tabId, state: await waitIdle(ext, tabId) };
}

function assertUntouched(links) {
  assert.ok(links.some((l) => l.expect === 'rewrite'), 'the page has product links');
  for (const link of links) assert.equal(link.href, link.original, `"${link.label}" must not change`);
}

/** The tab stands down on its cookies: nothing rewritten, the popup says why and offers nothing. */
async function assertStoodDownOnCookies(page, tabId, state) {
  assert.equal(state.rewritten, 0);
  assert.equal(state.held_back, 'stand_down');
  assertUntouched(await readLinks(page));
  const popup = await openPopup(ext, tabId);
  const standDown = popup.locator('#stand-down');
  assert.ok(await standDown.isVisible(), 'the popup shows the stand-down');
  assert.equal((await standDown.textContent()).trim(), MESSAGES.standDownCookie.message);
  assert.ok(!(await standDown.textContent()).includes(THEIRS), 'the popup never says whose');
  assert.equal(await popup.locator('#activate').isVisible(), false, 'no activation while standing down');
  return popup;
}

test("someone else's key in aeu_cid stands the tab down, even once deals are activated", { timeout: TEST_TIMEOUT_MS }, async () => {
  await setMode(ext, 'ask');
  const { page, tabId, state } = await open([aeuCid(THEIRS), SECRET]);
  const popup = await assertStoodDownOnCookies(page, tabId, state);
  // Activating anyway (the popup offers no button; the message is what it would send).
  const answer = await popup.evaluate((id) => chrome.runtime.sendMessage({ kind: 'activate_deals', tabId: id }), tabId);
  assert.equal(answer.ok, true, JSON.stringify(answer));
  assert.equal(answer.stood_down, 'affiliate_cookie');
  await popup.close();
  const after = await waitIdle(ext, tabId);
  assert.equal(after.rewritten, 0);
  assertUntouched(await readLinks(page));
  // The whole visit: the next page of the tab stays untouched once the cookie is gone.
  await ext.context.clearCookies();
  await page.goto('https://www.aliexpress.com/store/912345');
  const next = await waitIdle(ext, tabId);
  assert.equal(next.held_back, 'stand_down');
  assertUntouched(await readLinks(page));
  await page.close();
});

test("someone else's key in xman_us_f's x_as_i stands the tab down in auto mode", { timeout: TEST_TIMEOUT_MS }, async () => {
  await setMode(ext, 'auto');
  const { page, tabId, state } = await open([xmanUsF(THEIRS)]);
  const popup = await assertStoodDownOnCookies(page, tabId, state);
  await popup.close();
  await page.close();
});

/** The tab is not stood down: in auto mode its product links are ours, the popup says nothing of others. */
async function assertNotStoodDown({ page, tabId, state }) {
  assert.equal(state.held_back, null, 'no stand-down');
  const ours = (await readLinks(page)).filter((l) => l.expect === 'rewrite');
  assert.ok(ours.length > 0);
  assert.equal(state.rewritten, ours.length);
  const popup = await openPopup(ext, tabId);
  assert.equal(await popup.locator('#stand-down').isVisible(), false);
  await popup.close();
  await page.close();
}

test('our own key in the cookies does not stand the tab down', { timeout: TEST_TIMEOUT_MS }, async () => {
  await setMode(ext, 'auto');
  await assertNotStoodDown(await open([aeuCid(defaultKey()), xmanUsF(defaultKey())]));
});

test('without those cookies, or with ones that name no key, nothing changes', { timeout: TEST_TIMEOUT_MS }, async () => {
  await setMode(ext, 'auto');
  await assertNotStoodDown(await open([]));
  await ext.context.clearCookies();
  // A key-less aeu_cid and a channel that is not AFFILIATE name no one's referral.
  await assertNotStoodDown(await open([cookie('aeu_cid', `${HEX}-1764589123456-04512`), xmanUsF(THEIRS, 'NATURAL'), SECRET]));
});

test('no other cookie than those two ever reaches the worker', { timeout: TEST_TIMEOUT_MS }, async () => {
  await setMode(ext, 'auto');
  const worker = await ext.worker();
  // One more listener beside the worker's own: it sees every message a content script sends.
  await worker.evaluate(() => {
    globalThis.__heard = [];
    chrome.runtime.onMessage.addListener((msg) => {
      globalThis.__heard.push(JSON.stringify(msg));
    });
  });
  const { page, tabId, state } = await open([SECRET, cookie('session_token', 'tok-93ad'), aeuCid(THEIRS), xmanUsF(THEIRS)]);
  await assertStoodDownOnCookies(page, tabId, state).then((popup) => popup.close());
  const heard = await worker.evaluate(() => globalThis.__heard);
  const reports = heard.map((m) => JSON.parse(m)).filter((m) => m.kind === 'page_opened' || m.kind === 'links_found');
  assert.ok(reports.length >= 2, `page reports heard: ${reports.length}`);
  for (const report of reports) {
    // Both cookies, and only them, in the order the page lists them.
    const names = report.cookies.split('; ').map((pair) => pair.slice(0, pair.indexOf('=')));
    assert.deepEqual([...names].sort(), ['aeu_cid', 'xman_us_f'], report.cookies);
  }
  for (const message of heard) {
    for (const secret of ['x_user', 'secret-4f1b9c', 'session_token', 'tok-93ad']) {
      assert.ok(!message.includes(secret), `${secret} reached the worker: ${message.slice(0, 200)}`);
    }
  }
  await page.close();
});

test("a page that sets someone else's aeu_cid after our links were written gets its own links back", { timeout: TEST_TIMEOUT_MS }, async () => {
  await setMode(ext, 'auto');
  const { page, tabId, state } = await open([]);
  assert.ok(state.rewritten > 0, 'auto mode: our links first');
  assert.equal(state.held_back, null);
  // The page's own script records someone else's referral, then shows one more product link
  // (whose batch carries the visit's cookies to the worker).
  await page.evaluate(
    ([name, value]) => {
      document.cookie = `${name}=${value}; path=/`;
      const a = document.createElement('a');
      a.href = 'https://www.aliexpress.com/item/1005009999999977.html';
      a.textContent = 'One more';
      document.body.append(a);
    },
    [aeuCid(THEIRS).name, aeuCid(THEIRS).value],
  );
  const deadline = Date.now() + 10_000;
  let now = await waitIdle(ext, tabId);
  while (now.rewritten > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    now = await waitIdle(ext, tabId);
  }
  assert.equal(now.rewritten, 0, JSON.stringify(now));
  assert.equal(now.held_back, 'stand_down');
  assertUntouched(await readLinks(page));
  await page.close();
  await setMode(ext, 'ask');
});
