// Per-tab state in chrome.storage.session: whether deals were activated, and the tab's visit (its stand-down verdict, and whether a visit of ours is under way) as the Engine keeps it.
//
// chrome.storage.session lives as long as the browser session and survives the service worker
// being stopped, which happens after 30 s idle. The worker reads all of it once as it starts
// (`loadTabs`, a few bytes a tab) and then answers from memory: a storage read per new tab went
// through the browser's UI thread, which on a big page is busy with the page's own work, and
// held up that page's first links by 10–20 ms (measured here). Changes are kept in memory at
// once and written through in order.
//
// The visit is the Engine's (crates/core/src/tab_visit.rs: the first verdict sticks, how long a
// followed link of ours stays under way, which page it landed on, what a new tab takes over from
// its opener): this module only stores what the Engine hands back, and reads its `stood_down`.

const PREFIX = 'tab:';

/**
 * @typedef {object} TabState
 * @property {boolean} activated the shopper activated deals on this tab
 * @property {object|null} visit the tab's visit as the Engine wrote it (`{stood_down, ...}`)
 */

const EMPTY = Object.freeze({ activated: false, visit: null });

/** @type {Map<number, TabState>} */
const tabs = new Map();

function storageKey(tabId) {
  return `${PREFIX}${tabId}`;
}

function readStored(value) {
  if (!value || typeof value !== 'object') return EMPTY;
  return Object.freeze({
    activated: value.activated === true,
    visit: value.visit && typeof value.visit === 'object' ? value.visit : null,
  });
}

function same(a, b) {
  return a.activated === b.activated && JSON.stringify(a.visit) === JSON.stringify(b.visit);
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

/** Why the tab's visit stands down (the Engine's verdict), or null. */
export function stoodDown(tab) {
  return typeof tab.visit?.stood_down === 'string' ? tab.visit.stood_down : null;
}

/** The tab's visit as the Engine reads it back (JSON; '' for none). */
export function visitJson(tab) {
  return tab.visit ? JSON.stringify(tab.visit) : '';
}

/** Forgets a closed tab. */
export async function forgetTab(tabId) {
  tabs.delete(tabId);
  await chrome.storage.session.remove(storageKey(tabId));
}
