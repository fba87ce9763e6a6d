// Keeps the worker told what the page shows (product, cart, checkout): facts sent once the links are done, and again when they change, at most once a second.
//
// Cart pages change without navigating (quantities, selected items), so the page's facts are
// read again a moment after the DOM or a form field changes, and sent only if they differ from
// the last ones sent (our own rewrites change no fact: links are read as the page wrote them): the worker turns them into the badge's coupon count. Reading the facts
// scans the page (about 10 ms on a 5,000-link page), so it waits for the links, and it keeps
// watching only where the worker's Engine says the page can change what applies (a search page
// scrolling forever does not).

import { collectPageFacts } from './page.js';

/** Quiet time after a change before the facts are read again. */
const SETTLE_MS = 1000;

/**
 * @param {(facts: object) => Promise<unknown>} send delivers facts to the worker
 * @param {(where: string, error: unknown) => void} logOnce
 * @param {(link: Element) => string|null} pageHref a link's own href (see collectPageFacts)
 * @returns {{changed: () => void}} `changed` schedules a new look
 */
export function createPageWatch(send, logOnce, pageHref) {
  let lastSent = '';
  let timer = null;
  let watching = true;

  function look() {
    timer = null;
    let facts;
    try {
      facts = collectPageFacts(document, location, pageHref);
    } catch (error) {
      logOnce('page facts', error);
      return;
    }
    const text = JSON.stringify(facts);
    if (text === lastSent) return;
    lastSent = text;
    send(facts).then(
      (reply) => {
        // The protocol's checked answer: `watch` is false where the page cannot change what applies.
        if (reply.ok && reply.watch === false) stop();
      },
      (error) => logOnce('page_seen', error),
    );
  }

  function changed() {
    if (!watching) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(look, SETTLE_MS);
  }

  function stop() {
    watching = false;
    if (timer !== null) clearTimeout(timer);
    document.removeEventListener('change', changed, { capture: true });
  }

  // Form fields (quantity boxes, item checkboxes) change without a DOM mutation.
  document.addEventListener('change', changed, { capture: true, passive: true });
  look();
  return { changed };
}
