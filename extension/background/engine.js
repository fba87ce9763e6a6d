// The service worker's Engine (Rust compiled to WASM): the link engine and the coupon book, loading them and asking them questions.
//
// Every rule (which link is a product, attribution, stand-down, what a mode allows, which
// coupons apply and the best stack) is the Engine's; this module only moves strings, bytes and
// booleans across and frees what it is given.

import init, {
  check_products,
  CouponBook,
  Engine,
  feed_refresh_due,
  feed_retry_minutes,
  shopper_region,
} from '../wasm/shopper_wasm.js';
import { PUBLISHER_KEYS } from '../config.js';
import { DEFAULT_AFFILIATE_KEY } from './settings.js';
import { logOnce } from './log.js';
import { nextTask } from '../shared/next-task.js';
import { problemOf } from '../shared/problem.js';

/** @type {Engine|null} */
let engine = null;
/** @type {CouponBook|null} the coupons of the last feed that verified */
let book = null;

/** User Timing names: DevTools shows them, and scripts/bench-e2e.mjs reads them from the worker. */
export const DECIDE_MEASURE = 'smart-shopper:decide_links';
export const LOAD_FEED_MEASURE = 'smart-shopper:load_feed';
export const LOAD_SNAPSHOT_MEASURE = 'smart-shopper:load_snapshot';
/** A mark when the WASM is instantiated and the Engine made (scripts/bench-restart.mjs reads it). */
export const ENGINE_READY_MARK = 'smart-shopper:engine_ready';
// Measures pile up in the worker's performance timeline; clear them now and then so a long-lived
// worker does not keep them all.
const MAX_MEASURES = 1000;
let measures = 0;

const WASM_URL = chrome.runtime.getURL('wasm/shopper_wasm_bg.wasm');
// Compiled as the worker starts, while it reads its settings and tabs: a restarted worker's
// first answer waits for this (about 10 ms here), so it should not wait for those reads too.
const compiled = WebAssembly.compileStreaming(fetch(WASM_URL));
compiled.catch(() => {});

/** Loads the WASM and creates the Engine with `key` (the build default if `key` is invalid). */
export async function loadEngine(key) {
  let module = WASM_URL;
  try {
    module = await compiled;
  } catch (error) {
    // Compiled again by init, which then says what is wrong.
    logOnce('compiling the WASM', error);
  }
  await init({ module_or_path: module });
  performance.mark(ENGINE_READY_MARK);
  try {
    engine = new Engine(key);
  } catch (error) {
    logOnce('affiliate key', error);
    engine = new Engine(DEFAULT_AFFILIATE_KEY);
  }
  book = new CouponBook();
  MAX_FEED_BYTES = CouponBook.max_envelope_bytes();
  for (const { key_id: id, public_key: publicKey } of PUBLISHER_KEYS) {
    try {
      book.trust_key(id, publicKey);
    } catch (error) {
      logOnce(`publisher key ${id}`, error);
    }
  }
}

/** The largest signed feed the Engine reads, in bytes (its limit, asked once). */
export let MAX_FEED_BYTES = 0;

/**
 * Verifies a signed feed envelope and, if it is good, makes its coupons the ones in use. Throws
 * the Engine's reason otherwise, and the coupons in use stay.
 * @param {Uint8Array} envelope
 */
export async function loadFeed(envelope) {
  const start = performance.now();
  return finishInSteps(book.start_load(envelope), start, LOAD_FEED_MEASURE, envelope.byteLength);
}

/** The coupons in use as a snapshot (bytes) that `loadSnapshot` reads back quickly. */
export function feedSnapshot() {
  return book.snapshot();
}

/**
 * Makes a snapshot's coupons the ones in use (its checksum and layout checked; its coupons are
 * checked as they are looked at, and all of them by `checkStored`); throws, keeping those in
 * use, if it is damaged or of another layout.
 */
export async function loadSnapshot(bytes) {
  const start = performance.now();
  // Its one step (the checksum and layout of 10 MB: a few milliseconds) runs in the task that
  // copied the bytes in: a restarted worker's first answer waits for no other task.
  return finishInSteps(book.start_snapshot(bytes), start, LOAD_SNAPSHOT_MEASURE, bytes.byteLength, false);
}

/** Makes room in the WASM's memory for a snapshot of `bytes` bytes being read (see CouponBook.make_room). */
export function makeRoom(bytes) {
  if (Number.isSafeInteger(bytes) && bytes > 0) CouponBook.make_room(bytes);
}

/** Coupons the Engine checks in one `checkStored` step: about 10 ms here. */
const CHECK_STEP_COUPONS = 5_000;

/**
 * Checks every coupon of the snapshot in use as a feed's are checked, a bounded step a task;
 * throws the first fault (then the snapshot is not to be trusted). Nothing to do for a feed's.
 */
export async function checkStored() {
  for (;;) {
    await nextTask();
    if (book.check_stored(CHECK_STEP_COUPONS)) return;
  }
}

/** Called with the problem when a stored coupon fails its checks as a page's coupons are found. */
let onStoredFault = () => {};

/** Who hears of a stored coupon that failed its checks (feed.js reads the signed feed again). */
export function whenStoredFault(handler) {
  onStoredFault = handler;
}

/**
 * Runs a load the Engine started, a bounded step a task (10–30 ms each here), then makes its
 * coupons the ones in use: links and popups are answered between the steps, instead of after
 * most of a second for a fresh 100,000-coupon feed. A snapshot opens in one step. Throws the
 * Engine's reason if the load fails, and the coupons in use stay.
 */
async function finishInSteps(loading, start, measure, bytes, yielding = true) {
  let longest = performance.now() - start;
  let steps = 1;
  try {
    for (;;) {
      if (yielding) await nextTask();
      const before = performance.now();
      const done = loading.step();
      longest = Math.max(longest, performance.now() - before);
      steps += 1;
      if (done) break;
    }
  } catch (error) {
    loading.free();
    throw error;
  }
  // The last step built the index (a feed's) or opened it (a snapshot's): making it the one in
  // use only moves it, in the same task.
  book.finish_load(loading);
  // Steps: starting (the envelope, or the snapshot's header and its copy into the WASM), then
  // the Engine's steps.
  performance.measure(measure, { start, detail: { bytes, steps, longest_step_ms: longest } });
}

/** Whether a feed last checked at `checkedAt`, with a retry waiting until `retryAt`, is refreshed at `now` (ms). */
export function feedRefreshDue(now, checkedAt, retryAt) {
  return feed_refresh_due(now, checkedAt, retryAt);
}

/** The shopper's `{country, currency}`: what a page said (either may be ''), else the browser's guess. */
export function shopperRegion(pageCountry, pageCurrency, browserTag) {
  return JSON.parse(shopper_region(pageCountry, pageCurrency, browserTag));
}

/** Throws the Engine's problem unless the server's product answer `text` can be shown; its product count. */
export function checkProducts(text) {
  return check_products(text);
}

/** The pause in minutes before retrying after `failures` failed refreshes in a row. */
export function feedRetryMinutes(failures) {
  return feed_retry_minutes(failures);
}

/** The feed in use: how many coupons, how many were invalid, when it was made (ms; 0: none). */
export function feedSummary() {
  return { coupons: book.coupons, invalid: book.invalid, generated_at: book.generated_at, rates: book.rates };
}

/**
 * The coupons that apply to a page, from the facts its content script read: what the page is,
 * what was understood, every coupon that applies with its saving, and the best stack.
 * @param {string} facts the JSON the content script sent
 * @returns {object} the Engine's report (see CouponBook.for_page)
 */
export function couponsFor(facts, newUser) {
  const report = JSON.parse(book.for_page(facts, Date.now(), newUser));
  // A stored coupon that failed its checks was left out of this answer; the snapshot it came
  // from is not to be trusted any more.
  const fault = book.stored_fault();
  if (fault !== undefined) onStoredFault(problemOf(fault));
  return report;
}

/** Uses `key` from now on; an invalid key is logged and the build default used instead. */
export function useKey(key) {
  try {
    engine.set_affiliate_key(key);
  } catch (error) {
    logOnce('affiliate key', error);
    engine.set_affiliate_key(DEFAULT_AFFILIATE_KEY);
  }
}

/** Why a key is invalid (a problem: `{code, params}`), or null when it is fine (the Engine decides). */
export function checkKey(key) {
  const invalid = Engine.check_affiliate_key(key);
  return invalid === undefined ? null : problemOf(invalid);
}

/**
 * A page of a tab reported itself: the Engine's verdict on the tab's visit (why it stands down,
 * 'affiliate_landing', 'affiliate_referrer', 'affiliate_cookie' or null) and the tab's visit after it, to store. The
 * Engine decides all of it (the first verdict sticking, a visit of ours under way or landed
 * here); this passes what the worker knows.
 * @param {{visit: string, opener: string, page: string, landing: string, senderUrl: string,
 *   referrer: string, cookies: string}} report `visit` and `opener`: the stored visits as JSON
 *   ('' for none); `cookies` the visit's affiliate cookies as the content script sent them
 * @returns {{stand_down: string|null, ours_landed: boolean, visit: object}}
 */
export function pageReported({ visit, opener, page, landing, senderUrl, referrer, cookies }) {
  return JSON.parse(engine.page_reported(visit, opener, page, landing, senderUrl, referrer, cookies, Date.now()));
}

/** A tab's visit (JSON; '' for none) after the shopper followed one of our links from it. */
export function ourLinkFollowed(visit, newTab) {
  return JSON.parse(Engine.our_link_followed(visit, newTab, Date.now()));
}

/** The page to ask the server's links about for the page at `url` (its canonical product page), or null when no API link can stand for it. */
export function apiLinkPage(url) {
  return engine.api_link_page(url) ?? null;
}

/**
 * Remembers `link`, the affiliate API's link for `page` (from `apiLinkPage`): the page's links to
 * that product become it. False when the page names no such product; throws the Engine's
 * problem when `link` is not an API link.
 */
export function rememberApiLink(page, link) {
  return engine.remember_api_link(page, link);
}

/** Whether `href` is one of our links (the Engine knows our keys). */
export function isOurLink(href) {
  return engine.is_our_link(href);
}

/** Whether the page at `url` is one whose facts can name coupons (product, cart, checkout, store). */
export function factsWorthReading(url) {
  return engine.facts_worth_reading(url);
}

/** Whether a URL is an AliExpress page. */
export function isAliexpress(url) {
  return engine.is_aliexpress(url);
}

/**
 * What the popup says about a tab, as the Engine works it out: why its product links are held
 * back ('ask_first', 'mode_off', 'stand_down' or null), the one note to show (a stand-down
 * reason, 'ask_first', 'mode_off', 'activated', 'auto' or null) and whether "Activate deals" is
 * offered.
 * @returns {{held_back: string|null, note: string|null, can_activate: boolean}}
 */
export function tabView(mode, activated, stoodDown, aliexpress, pageSeen) {
  return JSON.parse(Engine.tab_view(mode, activated, stoodDown ?? undefined, aliexpress, pageSeen));
}

/**
 * Decides a batch of href attributes (one per line, as the page wrote them, resolved against
 * `base`) found on the page at `pageUrl` under a tab's policy.
 * @param {string} hrefs
 * @returns {{rewrites: string, found: number, aliexpress: number, products: number,
 *   attributed: number, rewritten: number, held_back: string|null}}
 */
export function decideLinks(hrefs, base, pageUrl, mode, activated, stoodDown) {
  const start = performance.now();
  const batch = engine.decide_links(hrefs, base, pageUrl, mode, activated, stoodDown);
  let found = 0;
  try {
    found = batch.found;
    return {
      rewrites: batch.take_rewrites(),
      found,
      aliexpress: batch.aliexpress,
      products: batch.products,
      attributed: batch.attributed,
      rewritten: batch.rewritten,
      held_back: batch.held_back ?? null,
    };
  } finally {
    batch.free();
    if (++measures > MAX_MEASURES) {
      performance.clearMeasures(DECIDE_MEASURE);
      measures = 1;
    }
    performance.measure(DECIDE_MEASURE, { start, detail: found });
  }
}
