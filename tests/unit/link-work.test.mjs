// The content script's link work (extension/content/links.js with slicer.js), run in Chromium on pages built here, its worker replaced by the test: what is sent, when, and what is written back.
//
// The harness wires the link work to a MutationObserver the way content/main.js does (the
// observer only queues; our own writes happen with it off), and holds every batch until the test
// answers it, so the order of events is the test's, not the machine's.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { contentBundle, launchChromium, TIMEOUT_MS } from './in-chromium.mjs';

const OURS = 'https://s.click.aliexpress.com/deep_link.htm?aff_short_key=k&dl_target_url=';


let browser;
let bundle;

before(async () => {
  bundle = await contentBundle(
    `export { createLinkWork } from './links.js'; export { createSlicer } from './slicer.js';`,
    'globalThis.SmartShopperLinks',
  );
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

const product = (i) => `https://www.aliexpress.com/item/${1005000000000000 + i}.html`;

/** In the page: the link work started as main.js starts it, with batches held for the test. */
function startHarness() {
  const { createLinkWork, createSlicer } = globalThis.SmartShopperLinks;
  const OBSERVED = { childList: true, subtree: true, attributes: true, attributeFilter: ['href'] };
  const sent = [];
  let work = null;
  const slicer = createSlicer((deadline) => work.run(deadline));
  const observer = new MutationObserver((mutations) => {
    work.observe(mutations);
    slicer.wake();
  });
  work = createLinkWork({
    send: (hrefs) => new Promise((answer) => sent.push({ hrefs: [...hrefs], answer })),
    beforeWrites() {
      const held = observer.takeRecords();
      observer.disconnect();
      if (held.length > 0) work.observe(held);
    },
    afterWrites() {
      observer.observe(document, OBSERVED);
    },
    wake: () => slicer.wake(),
  });
  observer.observe(document, OBSERVED);
  work.start();
  slicer.wake();
  window.harness = {
    work,
    /** What each batch sent, in order. */
    batches: () => sent.map((s) => s.hrefs),
    /** Answers batch `n` as the worker would: `rewrite(href)` is our link, or '' to leave it. */
    answer(n, ours) {
      const lines = sent[n].hrefs.map((href) => (ours.includes(href) ? `${ours.prefix}${href}` : ''));
      const rewritten = lines.filter((line) => line !== '').length;
      sent[n].answer({
        lines,
        counts: { found: lines.length, aliexpress: lines.length, products: rewritten, attributed: 0, rewritten, held_back: null },
      });
    },
  };
}

/** A page of `html` at 800×600 with the link work running on it. */
async function open(html) {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.setContent(html);
  await page.evaluate(bundle);
  await page.evaluate(startHarness);
  return page;
}

/** Waits (in the page, a few ms at a time) until `count` batches were sent. */
async function batchesSent(page, count) {
  await page.waitForFunction((n) => window.harness.batches().length >= n, count, { polling: 10, timeout: 10_000 });
  return page.evaluate(() => window.harness.batches());
}

/** Answers batch `n`, rewriting the hrefs in `hrefs` into our link. */
function answer(page, n, hrefs) {
  return page.evaluate(
    ({ n, hrefs, prefix }) => {
      const ours = Object.assign([...hrefs], { prefix });
      window.harness.answer(n, ours);
    },
    { n, hrefs, prefix: OURS },
  );
}

const hrefsOf = (page) => page.evaluate(() => [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')));
const settle = (page) => page.evaluate(() => new Promise((done) => setTimeout(done, 50)));

test('a 5,000-link page: every batch goes out at once, the links on screen first, none waits for an answer', { timeout: TIMEOUT_MS }, async () => {
  const links = [];
  for (let i = 0; i < 5000; i++) links.push(`<p style="margin:0;height:20px"><a href="${product(i)}">${i}</a></p>`);
  const page = await open(`<body style="margin:0">${links.join('')}</body>`);
  // 600 px of 20 px rows: the first 30 links are on screen.
  const batches = await batchesSent(page, 6);
  await settle(page);
  const again = await page.evaluate(() => window.harness.batches());
  assert.equal(again.length, 6, 'the links on screen, then five full batches, and nothing more');
  assert.deepEqual(batches[0], links.slice(0, 30).map((_, i) => product(i)));
  const all = batches.flat();
  assert.equal(all.length, 5000);
  assert.equal(new Set(all).size, 5000, 'each link sent once');
  assert.ok(batches.every((b) => b.length <= 1000));
  await page.close();
});

test('an answer is written as it arrives; a link the page changed while out keeps its new href and is sent again', { timeout: TIMEOUT_MS }, async () => {
  const page = await open(
    `<body>${[0, 1, 2].map((i) => `<a href="${product(i)}">${i}</a>`).join(' ')}</body>`,
  );
  const [first] = await batchesSent(page, 1);
  assert.deepEqual(first, [product(0), product(1), product(2)]);
  // The page changes link 1 while its batch is out.
  await page.evaluate((href) => document.querySelectorAll('a')[1].setAttribute('href', href), product(7));
  await settle(page);
  await answer(page, 0, first);
  assert.deepEqual(await hrefsOf(page), [`${OURS}${product(0)}`, product(7), `${OURS}${product(2)}`]);
  const batches = await batchesSent(page, 2);
  assert.deepEqual(batches[1], [product(7)], 'the page\'s new href is decided');
  await answer(page, 1, [product(7)]);
  assert.deepEqual(await hrefsOf(page), [`${OURS}${product(0)}`, `${OURS}${product(7)}`, `${OURS}${product(2)}`]);
  const state = await page.evaluate(() => window.harness.work.state());
  assert.equal(state.rewritten, 3);
  assert.equal(state.found, 3, 'a link sent again is not counted twice');
  assert.equal(state.idle, true);
  await page.close();
});

test('a rescan asks about the page\'s own hrefs and puts them back when our link is no longer allowed', { timeout: TIMEOUT_MS }, async () => {
  const page = await open(`<body><a href="${product(0)}">0</a> <a href="/help">help</a></body>`);
  const [first] = await batchesSent(page, 1);
  await answer(page, 0, [product(0)]);
  assert.deepEqual(await hrefsOf(page), [`${OURS}${product(0)}`, '/help']);
  await page.evaluate(() => window.harness.work.rescan());
  await page.evaluate(() => window.harness.work.run(performance.now() + 50));
  const batches = await batchesSent(page, 2);
  assert.deepEqual(batches[1], first, 'the page\'s own hrefs, never ours');
  await answer(page, 1, []);
  assert.deepEqual(await hrefsOf(page), [product(0), '/help']);
  const state = await page.evaluate(() => window.harness.work.state());
  assert.equal(state.rewritten, 0);
  assert.equal(state.found, 2);
  await page.close();
});

test('an SVG link is never sent, in the first walk or when added later', { timeout: TIMEOUT_MS }, async () => {
  const svg = (i) => `<svg width="40" height="20"><a href="${product(i)}"><text y="15">${i}</text></a></svg>`;
  const page = await open(`<body><a href="${product(0)}">0</a> ${svg(1)}</body>`);
  const [first] = await batchesSent(page, 1);
  assert.deepEqual(first, [product(0)]);
  await page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), `${svg(2)} <a href="${product(3)}">3</a>`);
  const batches = await batchesSent(page, 2);
  assert.deepEqual(batches[1], [product(3)]);
  await settle(page);
  assert.equal((await page.evaluate(() => window.harness.batches())).length, 2);
  await page.close();
});
