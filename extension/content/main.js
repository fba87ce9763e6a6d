// The content script's entry (bundled into one classic script): reports the page, watches its links and talks to the worker.
//
// It never loads WASM (a page's Content-Security-Policy would block it here) and holds no rule:
// it sends href attributes as the page wrote them, with the page's base URL, and applies what
// the worker's Engine decides.

import { logOnce } from '../shared/log.js';
import { problem } from '../shared/problem.js';
import { checkAnswer, checkMessage, Kind, message, rewriteLines, Role, visitCookies } from '../shared/protocol.js';
import { fillPromoCode } from './checkout.js';
import { watchOurClicks } from './clicks.js';
import { createLinkWork } from './links.js';
import { onPageModel } from './model.js';
import { collectPageFacts } from './page.js';
import { createSlicer } from './slicer.js';
import { createPageWatch } from './watch.js';

// A send that fails while the worker restarts is tried once more after this pause.
const RETRY_AFTER_MS = 200;

// The page is reported (and its facts read, if worth it) once its links are done, or after this
// long at the latest.
const FACTS_AT_LATEST_MS = 1500;

/** What the MutationObserver watches: added nodes anywhere, and href changes. */
const OBSERVED = Object.freeze({
  childList: true,
  subtree: true,
  attributes: true,
  attributeFilter: ['href'],
});

/** True once the extension was reloaded or removed under this page: nothing works any more. */
function orphaned() {
  return typeof chrome === 'undefined' || !chrome.runtime || !chrome.runtime.id;
}

function start() {
  let stopped = false;

  const work = createLinkWork({ send, beforeWrites, afterWrites, wake: () => slicer.wake() });
  const slicer = createSlicer((deadline) => {
    try {
      const more = work.run(deadline);
      if (!more && work.idle()) {
        if (!opened) reportOpened();
        // A task of its own: reading the facts should not lengthen this slice.
        else if (watch === null && factsWanted) setTimeout(startWatch, 0);
      }
      return more;
    } catch (error) {
      logOnce('link work', error);
      return false;
    }
  });
  const observer = new MutationObserver((mutations) => {
    work.observe(mutations);
    slicer.wake();
    watch?.changed();
  });
  let watch = null;
  // Whether this page's facts are worth reading as it loads (the Engine says, from its URL):
  // null until the worker answers page_opened.
  let factsWanted = null;
  let opened = false;
  let late = false;

  function stop() {
    if (stopped) return;
    stopped = true;
    observer.disconnect();
    work.stop();
  }

  // Our own href writes would come back as thousands of attribute records to filter out; the
  // observer is off while we write instead. An answer is applied in one synchronous task, so the
  // page cannot mutate the DOM in between (short of a custom element reacting to our write, a
  // case we accept).
  // Records not yet delivered are handed over first, so a link the page changed is never written.
  function beforeWrites() {
    const held = observer.takeRecords();
    observer.disconnect();
    if (held.length > 0) work.observe(held);
  }
  function afterWrites() {
    if (stopped) return;
    observer.observe(document, OBSERVED);
  }

  /**
   * Sends a message to the worker and returns its answer as the protocol checked it (shared/
   * protocol.js `checkAnswer`): `{ok: true, ...}` or `{ok: false, error}`. Throws only once the
   * extension is gone from under this page, which stops everything here.
   */
  async function sendMessage(msg) {
    if (orphaned()) {
      stop();
      throw new Error('extension context invalidated');
    }
    let reply;
    try {
      reply = await chrome.runtime.sendMessage(msg);
    } catch (error) {
      if (orphaned()) {
        stop();
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
      try {
        reply = await chrome.runtime.sendMessage(msg);
      } catch {
        return { ok: false, error: problem('worker_unreachable') };
      }
    }
    return checkAnswer(msg.kind, reply);
  }

  // The navigation entry keeps the URL the page was loaded with, even after the page's scripts
  // rewrote the address with history.replaceState (stores do, to drop tracking parameters).
  const navigation = performance.getEntriesByType('navigation')[0];
  const visit = Object.freeze({
    landing:
      navigation && typeof navigation.name === 'string' && navigation.name !== ''
        ? navigation.name
        : location.href,
    referrer: document.referrer,
  });

  // The visit's affiliate cookies, read again for every report (the page's scripts may set them
  // after load); only their values leave this script, never another cookie (visitCookies).
  function visitNow() {
    let cookies = '';
    try {
      cookies = visitCookies(document.cookie);
    } catch {
      // A sandboxed document refuses document.cookie: no cookies to report.
    }
    return { ...visit, cookies };
  }

  // Every batch carries the visit, so the worker knows whether this visit stands down before it
  // decides any link, without a round trip of its own first. page_opened still reports the visit
  // at once, for a page with no links at all.
  async function send(hrefs) {
    try {
      const answer = await sendMessage(message.linksFound(visitNow(), document.baseURI, hrefs));
      const lines = rewriteLines(answer, hrefs.length);
      if (lines === null) {
        logOnce('links_found', answer.ok ? 'one line per href expected' : answer.error.code);
        return null;
      }
      return { lines, counts: answer };
    } catch (error) {
      logOnce('links_found', error);
      return null;
    }
  }

  // The links on screen go out first, before anything else this script has to do.
  observer.observe(document, OBSERVED);
  work.start();
  slicer.wake();

  // page_opened reports the visit (for a page without links: every batch carries it too) and
  // asks whether the page's facts are worth reading, which happens after the links anyway. It
  // waits until the links are done, so that it never queues in the worker ahead of a batch.
  function reportOpened() {
    if (opened || stopped) return;
    opened = true;
    const now = visitNow();
    sendMessage(message.pageOpened(now.landing, now.referrer, now.cookies))
      .then((answer) => {
        if (!answer.ok) throw new Error(answer.error.code);
        factsWanted = answer.read_facts;
        if (factsWanted && (late || work.idle())) startWatch();
      })
      .catch((error) => logOnce('page_opened', error));
  }

  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    // tabs.sendMessage reaches content scripts only from this extension's worker and pages.
    if (sender.id !== chrome.runtime.id) return false;
    const checked = checkMessage(msg, Role.WORKER);
    if (!checked.ok) {
      sendResponse({ ok: false, error: problem('message_refused', checked.error) });
      return false;
    }
    if (checked.message.kind === Kind.RESCAN) {
      work.rescan();
      slicer.wake();
      sendResponse({ ok: true });
    } else if (checked.message.kind === Kind.PAGE_STATE) {
      sendResponse({ ok: true, ...work.state() });
    } else if (checked.message.kind === Kind.GET_PAGE_FACTS) {
      try {
        // Asked for (the popup opened): read now, whatever kind of page this is.
        sendResponse({ ok: true, facts: JSON.stringify(collectPageFacts(document, location, work.pageHref)) });
      } catch (error) {
        logOnce('page facts', error);
        sendResponse({ ok: false, error: problem('page_unreadable') });
      }
    } else if (checked.message.kind === Kind.FILL_PROMO_CODE) {
      // The field may first have to be revealed and rendered by the page: the answer comes
      // later, and `true` keeps the channel open for it.
      fillPromoCode(checked.message.code).then(
        (filled) => sendResponse({ ok: true, filled }),
        () => sendResponse({ ok: true, filled: false }),
      );
      return true;
    }
    return false;
  });

  setTimeout(atLatest, FACTS_AT_LATEST_MS);
  // The page's model arrived or changed (another SKU chosen): the facts are read again.
  onPageModel(() => watch?.changed());

  function startWatch() {
    if (watch !== null || stopped) return;
    watch = createPageWatch((facts) => sendMessage(message.pageSeen(facts)), logOnce, work.pageHref);
  }

  /** Reports the page and reads its facts after all on a page whose links never settle. */
  function atLatest() {
    late = true;
    reportOpened();
    if (factsWanted) startWatch();
  }

  watchOurClicks(work.isRewritten, (href, opens) =>
    sendMessage(message.ourLinkFollowed(href, opens)).catch((error) => logOnce('our_link_followed', error)),
  );
}

start();
