// Per-tab state in chrome.storage.session: whether deals were activated, why the tab stands down, and whether a visit of ours is under way in it.
//
// chrome.storage.session lives as long as the browser session and survives the service worker
// being stopped, which happens after 30 s idle. The worker reads all of it once as it starts
// (`loadTabs`, a few bytes a tab) and then answers from memory: a storage read per new tab went
// through the browser's UI thread, which on a big page is busy with the page's own work, and
// held up that page's first links by 10–20 ms (measured here). Changes are kept in memory at
// once and written through in order.
//
// "A visit of ours under way" is what the Engine needs to tell our own affiliate redirect from
// someone else's: when the shopper follows one of our links, AliExpress's redirect page sends
// them on by script, and the landing's referrer is then the bare `https://s.click.aliexpress.com/`
// (browsers cut a cross-site referrer to its origin), the same as after anyone's link. So the
// content script reports the click, and the tab remembers it for at most `OUR_VISIT_MS`, long
// enough for the redirect to load. The page it lands on (the Engine says when a page is past the
// redirect) is remembered by its document, so that page's later batches of links (an infinite
// scroll, minutes on) are still part of our visit, and the journey ends there: a redirect after
// it (someone else's link, typed or clicked) is judged on its own. A link opened in a new tab
// marks the tab it was opened from; the new tab, whose opener that is, takes the mark over for
// its first pages.

const PREFIX = 'tab:';

/** How long after the shopper follows one of our links its redirect may take to land. */
export const OUR_VISIT_MS = 60_000;

/**
 * @typedef {object} TabState
 * @property {boolean} activated the shopper activated deals on this tab
 * @property {string|null} stood_down why the visit stands down (the Engine's verdict)
 * @property {number} ours_until until when (ms since the epoch) a visit of ours is on its way here
 * @property {number} ours_opened_until until when a tab opened from this one follows our link
 * @property {string|null} ours_page the page (document id) a visit of ours landed on
 * @property {boolean} seen a page of this tab has reported itself
 */

const EMPTY = Object.freeze({
  activated: false,
  stood_down: null,
  ours_until: 0,
  ours_opened_until: 0,
  ours_page: null,
  seen: false,
});

/** @type {Map<number, TabState>} */
const tabs = new Map();

function storageKey(tabId) {
  return `${PREFIX}${tabId}`;
}

const time = (value) => (Number.isSafeInteger(value) && value > 0 ? value : 0);

function readStored(value) {
  if (!value || typeof value !== 'object') return EMPTY;
  return Object.freeze({
    activated: value.activated === true,
    stood_down: typeof value.stood_down === 'string' ? value.stood_down : null,
    ours_until: time(value.ours_until),
    ours_opened_until: time(value.ours_opened_until),
    ours_page: typeof value.ours_page === 'string' ? value.ours_page : null,
    seen: value.seen === true,
  });
}

function same(a, b) {
  return Object.keys(EMPTY).every((key) => a[key] === b[key]);
}

/** Reads every tab's state from session storage; the worker waits for this before answering. */
export async function loadTabs() {
  const stored = await chrome.storage.session.get(null);
  for (const [key, value] of Object.entries(stored)) {
    if (!key.startsWith(PREFIX)) continue;
    const tabId = Number(key.slice(PREFIX.length));
    if (Number.isSafeInteger(tabId)) tabs.set(tabId, readStored(value));
  }
}

/** The state of a tab (after `loadTabs`). */
export function getTab(tabId) {
  return tabs.get(tabId) ?? EMPTY;
}

/**
 * Changes a tab's state; `change` gets a copy of the current state and returns the new one.
 * The new state holds at once; `stored` settles once it is written (writes keep their order).
 * @returns {{state: TabState, stored: Promise<void>}}
 */
export function updateTab(tabId, change) {
  const current = getTab(tabId);
  const updated = readStored(change({ ...current }));
  if (same(updated, current)) {
    return { state: current, stored: Promise.resolve() };
  }
  tabs.set(tabId, updated);
  return { state: updated, stored: chrome.storage.session.set({ [storageKey(tabId)]: updated }) };
}

/**
 * Remembers that the shopper followed one of our links in a tab: in it (`newTab` false), or
 * into a tab opened from it.
 */
export function ourLinkFollowed(tabId, newTab, now = Date.now()) {
  const until = now + OUR_VISIT_MS;
  return updateTab(tabId, (current) =>
    newTab ? { ...current, ours_opened_until: until } : { ...current, ours_until: until },
  );
}

/**
 * Whether a visit of ours is under way for a page that reports itself from `tabId`: the shopper
 * followed one of our links in the tab a moment ago (or, for a tab's first pages, in the tab that
 * opened it), or this very page is where such a visit landed.
 * @param {number} tabId
 * @param {string} page the reporting document (its id, or its landing URL where there is none)
 * @param {number|undefined} openerTabId the tab this one was opened from, if any
 * @returns {{underWay: boolean, until: number}} and until when the mark holds
 */
export function ourVisitUnderWay(tabId, page, openerTabId, now = Date.now()) {
  const tab = getTab(tabId);
  if (tab.ours_page === page) return { underWay: true, until: 0 };
  if (tab.ours_until > now) return { underWay: true, until: tab.ours_until };
  if (!tab.seen && Number.isSafeInteger(openerTabId) && openerTabId !== tabId) {
    const until = getTab(openerTabId).ours_opened_until;
    if (until > now) return { underWay: true, until };
  }
  return { underWay: false, until: 0 };
}

/**
 * Stores the Engine's verdict after a page load: the stand-down reason, and, when a visit of
 * ours landed on this page, the page (the journey ends); a visit of ours still on its way keeps
 * its mark in this tab (taken over from the opener, for a new tab).
 * @param {{stand_down: string|null, ours_landed: boolean}} verdict
 * @param {{underWay: boolean, until: number}} ours what `ourVisitUnderWay` said
 */
export function recordVerdict(tabId, page, verdict, ours) {
  return updateTab(tabId, (current) => {
    const next = { ...current, stood_down: verdict.stand_down, seen: true };
    if (verdict.ours_landed) {
      next.ours_page = page;
      next.ours_until = 0;
    } else if (ours.underWay && ours.until > next.ours_until) {
      next.ours_until = ours.until;
    }
    return next;
  });
}

/** Forgets a closed tab. */
export async function forgetTab(tabId) {
  tabs.delete(tabId);
  await chrome.storage.session.remove(storageKey(tabId));
}
