// The coupon feed in the service worker: the last good signed feed kept locally, loaded into the Engine's coupon book at start, and refreshed daily.
//
// Only a feed whose publisher signature verifies (in the Engine, against keys built into the
// extension) replaces the one in use, and only then is it stored: a failed download, a bad
// signature or a broken feed is logged and changes nothing, so the shopper never loses their
// coupons to a bad day on the server. The feed's bytes live in Cache Storage (no 10 MB cap as in
// chrome.storage.local, and no JS object per coupon): the signed envelope as it came, and beside
// it the Engine's snapshot of the coupons it held, which a restarted worker reads back in a
// fraction of the time verifying and parsing the feed again takes. What the refresh schedule
// needs lives in chrome.storage.local under FEED_META_KEY.
//
// The server has a feed per market (a ship-to country and a currency): the worker fetches the
// shopper's, which the pages they visit say (their AliExpress settings) and, until one has, the
// browser's language guesses (the Engine's rule, shopper_region). When a page names another
// market, its feed is fetched at once; the coupons in use stay until it verifies.

import { DEMO_FEED_PATH, SERVER_URL } from '../config.js';
import { CONTRACT } from '../shared/contract.js';
import { problem, problemOf } from '../shared/problem.js';
import * as engine from './engine.js';
import { logOnce } from './log.js';

export const FEED_META_KEY = 'feed';
/** The shopper's market in chrome.storage.local (`US-USD`), as the Engine named it from a page. */
export const MARKET_KEY = 'market';
/** A mark when the stored snapshot's bytes are read (scripts/bench-restart.mjs reads it). */
export const SNAPSHOT_READ_MARK = 'smart-shopper:snapshot_read';
export const REFRESH_ALARM = 'feed-refresh';
export const RETRY_ALARM = 'feed-retry';

const CACHE_NAME = 'smart-shopper-feed';
/** Cache keys must be URLs; these are never fetched. */
const ENVELOPE_KEY = 'https://smart-shopper.invalid/feed/current';
const SNAPSHOT_KEY = 'https://smart-shopper.invalid/feed/current.snapshot';
/** How long after start the stored coupons are all checked: the first answers come first. */
const CHECK_DELAY_MS = 1_000;
/** A download that takes longer is abandoned and retried later. */
const FETCH_TIMEOUT_MS = 60_000;

/**
 * @typedef {object} FeedMeta
 * @property {'server'|'demo'|null} source where the feed in use came from
 * @property {string|null} market the market of the feed in use, when it came from the server
 * @property {string|null} unserved the shopper's market when the server has no feed for it (the
 *   coupons in use stay; not a failure: checked again on the daily schedule, not retried)
 * @property {string|null} etag the server's ETag for it, for a conditional GET
 * @property {number} checked_at when the server last answered (ms since the epoch), 0 if never
 * @property {number} failures failed refreshes in a row
 * @property {{code: string, params: string[]}|null} last_error why the last refresh failed (a
 *   problem, worded per locale by shared/problem.js)
 * @property {number} retry_at when a failed refresh is tried again (ms), 0 when none failed
 * @property {number} snapshot_bytes the stored snapshot's size, to make room for it at start
 */

/** A stored `last_error`: a problem, or (stored by an older version as English text) `unexpected`. */
function lastError(value) {
  if (value === null || value === undefined) return null;
  const { code, params } = problemOf(value);
  return { code, params };
}

function readMeta(value) {
  const v = value && typeof value === 'object' ? value : {};
  return {
    source: v.source === 'server' || v.source === 'demo' ? v.source : null,
    market: typeof v.market === 'string' ? v.market : null,
    unserved: typeof v.unserved === 'string' ? v.unserved : null,
    etag: typeof v.etag === 'string' ? v.etag : null,
    checked_at: Number.isFinite(v.checked_at) ? v.checked_at : 0,
    failures: Number.isSafeInteger(v.failures) && v.failures > 0 ? v.failures : 0,
    last_error: lastError(v.last_error),
    retry_at: Number.isFinite(v.retry_at) ? v.retry_at : 0,
    snapshot_bytes: Number.isSafeInteger(v.snapshot_bytes) && v.snapshot_bytes > 0 ? v.snapshot_bytes : 0,
  };
}

async function loadMeta() {
  const stored = await chrome.storage.local.get(FEED_META_KEY);
  return readMeta(stored[FEED_META_KEY]);
}

async function saveMeta(meta) {
  await chrome.storage.local.set({ [FEED_META_KEY]: meta });
}

/** Stored bytes under `key`, or null. */
async function stored(key) {
  const cache = await caches.open(CACHE_NAME);
  const response = await cache.match(key);
  return response ? new Uint8Array(await response.arrayBuffer()) : null;
}

async function store(key, bytes) {
  const cache = await caches.open(CACHE_NAME);
  await cache.put(key, new Response(bytes));
}

/** Stores the Engine's snapshot of the coupons in use; its size in bytes. */
async function storeSnapshot() {
  const snapshot = engine.feedSnapshot();
  await store(SNAPSHOT_KEY, snapshot);
  return snapshot.byteLength;
}

/** Stores the envelope whose coupons are now in use, and the Engine's snapshot of them; the snapshot's size. */
async function storeFeed(envelope) {
  await store(ENVELOPE_KEY, envelope);
  return storeSnapshot();
}

async function demoEnvelope() {
  const response = await fetch(chrome.runtime.getURL(DEMO_FEED_PATH));
  if (!response.ok) throw new Error(`the demo feed is missing (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

// Read as the worker starts, while the WASM compiles: a restarted worker's first answer waits
// for both, so neither should wait for the other.
const storedSnapshot = stored(SNAPSHOT_KEY).then(
  (bytes) => {
    performance.mark(SNAPSHOT_READ_MARK, { detail: bytes?.byteLength ?? 0 });
    return bytes;
  },
  (error) => {
    logOnce('stored coupons', error);
    return null;
  },
);

/** Reads the signed envelope kept beside the snapshot into the Engine, and stores its snapshot again. */
async function loadStoredEnvelope() {
  const envelope = await stored(ENVELOPE_KEY);
  if (!envelope) return false;
  await engine.loadFeed(envelope);
  const snapshotBytes = await storeSnapshot();
  await saveMeta({ ...(await loadMeta()), snapshot_bytes: snapshotBytes });
  return true;
}

/** The refusal of the snapshot in use under way, so that several faults read the envelope once. */
let refusing = null;

/**
 * A coupon of the snapshot in use failed the checks a feed's coupons pass (it was never shown):
 * the snapshot is not trusted any more, and the coupons of the signed envelope it was made from,
 * the last good ones, are read again (the demo feed when there is none).
 */
function refuseSnapshot(why) {
  logOnce('stored coupons refused', [why.code, ...why.params].join(' '));
  refusing ??= (async () => {
    try {
      if (!(await loadStoredEnvelope())) await loadDemoFeed(await loadMeta());
    } catch (error) {
      logOnce('stored feed', error);
    } finally {
      refusing = null;
    }
  })();
  return refusing;
}

engine.whenStoredFault(refuseSnapshot);

async function loadDemoFeed(meta) {
  if (!DEMO_FEED_PATH) return;
  await engine.loadFeed(await demoEnvelope());
  if (meta.source === null) await saveMeta({ ...meta, source: 'demo' });
}

/**
 * Puts the last good feed in the Engine at worker start: the stored snapshot (its checksum and
 * layout checked; every coupon checked as a feed's are, those a page looks at first and the rest
 * in the background), or the stored signed envelope when the snapshot is missing or refused, or
 * the demo feed that ships with the extension when none was ever stored (or the stored one no
 * longer verifies).
 * @returns {Promise<void>} once the coupons can be asked for (the background check goes on)
 */
export async function loadStoredFeed() {
  const meta = await loadMeta();
  // While the snapshot is still being read: its room in the WASM's memory, made now.
  engine.makeRoom(meta.snapshot_bytes);
  const snapshot = await storedSnapshot;
  try {
    if (snapshot) {
      await engine.loadSnapshot(snapshot);
      // After the first answers: a restarted worker was woken by a message that waits for them.
      setTimeout(() => engine.checkStored().catch((error) => refuseSnapshot(problemOf(error))), CHECK_DELAY_MS);
      return;
    }
  } catch (error) {
    // Damaged, or written by another version of the extension: the envelope rebuilds it.
    logOnce('stored coupons', error);
  }
  try {
    if (await loadStoredEnvelope()) return;
  } catch (error) {
    logOnce('stored feed', error);
  }
  try {
    await loadDemoFeed(meta);
  } catch (error) {
    logOnce('demo feed', error);
  }
}

/** A market's feed on the server, at the path the Engine's contract names. */
function feedUrl(market) {
  return `${SERVER_URL}${CONTRACT.server_paths.feed_prefix}${encodeURIComponent(market)}`;
}

function browserTag() {
  return chrome.i18n.getUILanguage() || '';
}

/** The shopper's market once read or set: pages report often, storage is read once a worker. */
let knownMarket = null;

/** The shopper's market: the last one a page said, else the Engine's guess from the browser's language. */
async function shopperMarket() {
  if (knownMarket === null) {
    const stored = (await chrome.storage.local.get(MARKET_KEY))[MARKET_KEY];
    knownMarket = typeof stored === 'string' ? stored : engine.shopperRegion('', '', browserTag()).market;
  }
  return knownMarket;
}

/**
 * A page said the shopper's ship-to country or currency (either may be null): when that makes
 * another market than the one whose feed the worker fetches, it becomes theirs and its feed is
 * fetched now. The coupons in use stay until the new market's feed verifies.
 */
export async function pageRegion(country, currency) {
  if (!SERVER_URL || (!country && !currency)) return;
  const { market } = engine.shopperRegion(country ?? '', currency ?? '', browserTag());
  if (market === (await shopperMarket())) return;
  knownMarket = market;
  await chrome.storage.local.set({ [MARKET_KEY]: market });
  await refreshFeed();
}

/**
 * At worker start (install, browser start, or any wake-up): makes sure the daily alarm exists,
 * and refreshes now when the Engine says it is due (a day since the last check, and no failed
 * refresh waiting for its retry: the retry alarm brings that one).
 */
export async function scheduleRefresh() {
  if (!SERVER_URL) return;
  const existing = await chrome.alarms.get(REFRESH_ALARM);
  if (!existing) {
    const every = CONTRACT.feed_refresh_minutes;
    await chrome.alarms.create(REFRESH_ALARM, { periodInMinutes: every, delayInMinutes: every });
  }
  const meta = await loadMeta();
  if (engine.feedRefreshDue(Date.now(), meta.checked_at, meta.retry_at)) await refreshFeed();
}

/** The refresh under way, so an alarm and a click at the same moment fetch once. */
let refreshing = null;

/**
 * Asks the server for a newer feed (conditional on the ETag of the one in use). A verified new
 * feed replaces the one in use and is stored; anything else leaves it in place and schedules a
 * retry with backoff.
 * @returns {Promise<FeedMeta>} the schedule's state afterwards
 */
export function refreshFeed() {
  if (!SERVER_URL) return loadMeta();
  refreshing ??= fetchFeed().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/**
 * The body of a response, refused once it passes `max` bytes: the Engine refuses such a feed
 * anyway, and reading a runaway body whole first could exhaust the worker's memory.
 */
async function readCapped(response, max) {
  const declared = Number(response.headers.get('Content-Length'));
  if (Number.isFinite(declared) && declared > max) throw problem('feed_too_large', max);
  const chunks = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > max) throw problem('feed_too_large', max);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

async function fetchFeed() {
  const meta = await loadMeta();
  const market = await shopperMarket();
  try {
    const headers = {};
    // Only the feed in use, from the server and of this market, may be revalidated: the demo
    // feed has no ETag there, and another market's is another feed.
    if (meta.source === 'server' && meta.etag && meta.market === market) headers['If-None-Match'] = meta.etag;
    let response;
    try {
      response = await fetch(feedUrl(market), {
        headers,
        cache: 'no-store',
        credentials: 'omit',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch (error) {
      logOnce('feed download', error);
      throw problem('feed_download_failed');
    }
    if (response.status === 304) {
      return await succeeded({ ...meta, unserved: null });
    }
    // No feed for this market (the server answers `market_not_served`; a static copy of the
    // feeds has no such file): the server is fine and has nothing for this shopper yet. Saying
    // "the update failed" every day would be untrue, and retrying sooner would not help.
    if (response.status === 404) {
      return await succeeded({ ...meta, unserved: market });
    }
    if (!response.ok) throw problem('feed_server_status', response.status);
    const bytes = await readCapped(response, engine.MAX_FEED_BYTES);
    // Throws, with the Engine's reason, unless the signature and the feed are good; the feed in
    // use stays untouched until then.
    await engine.loadFeed(bytes);
    const snapshotBytes = await storeFeed(bytes);
    return await succeeded({
      ...meta,
      source: 'server',
      market,
      unserved: null,
      etag: response.headers.get('ETag'),
      snapshot_bytes: snapshotBytes,
    });
  } catch (error) {
    return failed(meta, error);
  }
}

async function succeeded(meta) {
  const next = { ...meta, checked_at: Date.now(), failures: 0, last_error: null, retry_at: 0 };
  await saveMeta(next);
  await chrome.alarms.clear(RETRY_ALARM);
  return next;
}

async function failed(meta, error) {
  const { code, params, text } = problemOf(error);
  const why = { code, params };
  logOnce('feed refresh', text ?? code);
  const failures = meta.failures + 1;
  const delay = engine.feedRetryMinutes(failures);
  const next = { ...meta, failures, last_error: why, retry_at: Date.now() + delay * 60_000 };
  await saveMeta(next);
  await chrome.alarms.create(RETRY_ALARM, { delayInMinutes: delay });
  return next;
}

/** What the popup and options show about the feed. */
export async function feedStatus() {
  const meta = await loadMeta();
  return { ...meta, ...engine.feedSummary() };
}
