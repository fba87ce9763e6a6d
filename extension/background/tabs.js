// Per-tab state in chrome.storage.session: whether deals were activated and why the tab stands down.
//
// chrome.storage.session lives as long as the browser session and survives the service worker
// being stopped, which happens after 30 s idle; the in-memory map is only a cache over it, filled
// lazily after each worker start. Updates to one tab are chained so that two messages arriving
// together (page_opened and activate_deals) never overwrite each other.

const PREFIX = 'tab:';

/** @typedef {{activated: boolean, stood_down: string|null}} TabState */

const EMPTY = Object.freeze({ activated: false, stood_down: null });

/** @type {Map<number, Promise<TabState>>} */
const cache = new Map();

function storageKey(tabId) {
  return `${PREFIX}${tabId}`;
}

function readStored(value) {
  if (!value || typeof value !== 'object') return { ...EMPTY };
  return {
    activated: value.activated === true,
    stood_down: typeof value.stood_down === 'string' ? value.stood_down : null,
  };
}

/** The state of a tab. */
export function getTab(tabId) {
  let state = cache.get(tabId);
  if (!state) {
    const key = storageKey(tabId);
    state = chrome.storage.session.get(key).then((got) => readStored(got[key]));
    cache.set(tabId, state);
    // A failed read must not stick in the cache.
    state.catch(() => cache.delete(tabId));
  }
  return state;
}

/**
 * Changes a tab's state; `change` gets a copy of the current state and returns the new one.
 * @returns {Promise<TabState>} the new state, once stored
 */
export function updateTab(tabId, change) {
  const next = getTab(tabId).then(async (current) => {
    const updated = readStored(change({ ...current }));
    if (updated.activated !== current.activated || updated.stood_down !== current.stood_down) {
      await chrome.storage.session.set({ [storageKey(tabId)]: updated });
    }
    return updated;
  });
  cache.set(tabId, next);
  next.catch(() => cache.delete(tabId));
  return next;
}

/** Forgets a closed tab. */
export async function forgetTab(tabId) {
  cache.delete(tabId);
  await chrome.storage.session.remove(storageKey(tabId));
}
