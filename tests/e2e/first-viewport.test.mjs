// End to end: the links on screen are the content script's first batch, sent before the rest of the page, hidden menu links and links below the screen not among them.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, setMode, tabIdOf, waitIdle, TEST_TIMEOUT_MS } from './helpers.mjs';

const PAGE = 'https://www.aliexpress.com/w/wholesale-first-screen.html';
const MENU = 300;
const CARDS = 1500;
/** Card height in px: the 720 px viewport shows the header and the first rows of cards. */
const ROW = 40;
const COLUMNS = 4;
const product = (i) => `https://www.aliexpress.com/item/${1005000000000000 + i}.html`;

// A header whose category menu holds product links hidden until hovered (as AliExpress's own
// does), before a grid of cards: in document order, the first links are not on screen.
function pageHtml() {
  const parts = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>First screen - AliExpress</title>',
    `<style>body{margin:0;font:13px sans-serif}header{height:40px}.menu{display:none}`,
    `ul{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(${COLUMNS},1fr)}`,
    `li{height:${ROW}px;overflow:hidden}</style></head><body><header>Categories<div class="menu">`,
  ];
  for (let i = 0; i < MENU; i++) parts.push(`<a href="${product(i)}">Pick ${i}</a>`);
  parts.push('</div></header><ul>');
  for (let i = MENU; i < MENU + CARDS; i++) parts.push(`<li><a href="${product(i)}">Item ${i}</a></li>`);
  parts.push('</ul></body></html>');
  return parts.join('');
}

let ext;

before(async () => {
  ext = await launch();
  await ext.context.route(PAGE, (route) =>
    route.fulfill({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: pageHtml() }),
  );
  await setMode(ext, 'auto');
});

after(async () => {
  await ext?.close();
});

test('the links on screen go out first, in a batch of their own', { timeout: TEST_TIMEOUT_MS }, async () => {
  // A second listener in the worker, beside the extension's: it only writes down each batch.
  const worker = await ext.worker();
  await worker.evaluate(() => {
    globalThis.__batches = [];
    chrome.runtime.onMessage.addListener((msg) => {
      if (msg?.kind === 'links_found') globalThis.__batches.push(msg.hrefs.split('\n'));
    });
  });
  const page = await ext.context.newPage();
  await page.goto(PAGE);
  const state = await waitIdle(ext, await tabIdOf(ext, page), { atLeast: MENU + CARDS });
  assert.equal(state.rewritten, MENU + CARDS);

  // What the shopper saw: the links whose boxes meet the 1280×720 viewport (read now: our
  // rewrites change no box).
  const onScreen = await page.evaluate(() =>
    [...document.querySelectorAll('a')]
      .filter((a) => {
        const r = a.getBoundingClientRect();
        return r.width > 0 && r.bottom > 0 && r.top < innerHeight && r.left < innerWidth;
      })
      .map((a) => a.textContent),
  );
  const firstRows = Math.ceil((720 - 40) / ROW);
  assert.equal(onScreen.length, firstRows * COLUMNS, 'the fixture shows the first rows of cards');

  const batches = await worker.evaluate(() => globalThis.__batches);
  const first = batches[0].map((href) => Number(/item\/(\d+)/.exec(href)[1]) - 1005000000000000);
  const expected = onScreen.map((label) => Number(label.split(' ')[1]));
  assert.deepEqual(first, expected, 'the first batch is exactly the links on screen, in page order');

  // Every link was sent once in all.
  const all = batches.flat();
  assert.equal(all.length, MENU + CARDS);
  assert.equal(new Set(all).size, MENU + CARDS);
  await page.close();
});
