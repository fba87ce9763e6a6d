// Keeps the worker told what the page shows (product, cart, checkout): facts sent at start and again when they change, at most once a second.
//
// Cart pages change without navigating (quantities, selected items), so the page's facts are
// read again a moment after the DOM or a form field changes, and sent only if they differ from
// the last ones sent: the worker turns them into the badge's coupon count.

import { collectPageFacts } from './page.js';

/** Quiet time after a change before the facts are read again. */
const SETTLE_MS = 1000;

/**
 * @param {(facts: object) => Promise<unknown>} send delivers facts to the worker
 * @param {(where: string, error: unknown) => void} logOnce
 * @returns {{changed: () => void, now: () => object}} `changed` schedules a new look; `now` reads the facts
 */
export function createPageWatch(send, logOnce) {
  let lastSent = '';
  let timer = null;

  function now() {
    return collectPageFacts();
  }

  function look() {
    timer = null;
    let facts;
    try {
      facts = now();
    } catch (error) {
      logOnce('page facts', error);
      return;
    }
    const text = JSON.stringify(facts);
    if (text === lastSent) return;
    lastSent = text;
    send(facts).catch((error) => logOnce('page_seen', error));
  }

  function changed() {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(look, SETTLE_MS);
  }

  // Form fields (quantity boxes, item checkboxes) change without a DOM mutation.
  document.addEventListener('change', changed, { capture: true, passive: true });
  look();
  return { changed, now };
}
