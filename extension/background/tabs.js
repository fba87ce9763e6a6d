// Per-tab state in chrome.storage.session: whether deals were activated and why the tab stands down.
//
// chrome.storage.session lives as long as the browser session and survives the service worker
// being stopped, which happens after 30 s idle. The worker reads all of it once as it starts
// (`loadTabs`, a few bytes a tab) and then answers from memory: a storage read per new tab went
// through the browser's UI thread, which on a big page is busy with the page's own work, and
// held up that page's first links by 10–20 ms (measured here). Changes are kept in memory at
// once and written through in order.

const PREFIX = 'tab:';

/** @typedef {{activated: boolean, stood_down: string|null}} TabState */

const EMPTY = Object.freeze({ activated: false, stood_down: null });

/** @type {Map<number, TabState>} */
const tabs = new Map();

function storageKey(tabId) {
  return `${PREFIX}${tabId}`;
}

function readStored(value) {
  if (!value || typeof value !== 'object') return EMPTY;
  return Object.freeze({
    activated: value.activated === true,
    stood_down: typeof value.stood_down === 'string' ? value.stood_down : null,
  });
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
  if (updated.activated === current.activated && updated.stood_down === current.stood_down) {
    return { state: current, stored: Promise.resolve() };
  }
  tabs.set(tabId, updated);
  return { state: updated, stored: chrome.storage.session.set({ [storageKey(tabId)]: updated }) };
}

/** Forgets a closed tab. */
export async function forgetTab(tabId) {
  tabs.delete(tabId);
  await chrome.storage.session.remove(storageKey(tabId));
}
