// The content script's link work: which links to send, batching them, and applying the rewrites the worker returns.
//
// Each link is remembered in a WeakMap (invisible to the page, gone with the element), so it is
// sent once; it is sent again only if the page changes its href, or after a rescan (the tab's
// policy changed). A rewritten link remembers the page's own href: a rescan asks about that one,
// and puts it back if our link is no longer allowed (deals turned off). All decisions come from
// the worker's Engine; nothing here looks inside a URL.
//
// The href attribute is sent as the page wrote it, with the page's base URL, and the Engine
// resolves it: reading `a.href` instead makes the browser resolve and serialise every URL, about
// 4.6 µs a link (23 ms for a 5,000-link page, measured in Chromium here).
//
// What the shopper sees first is decided first: the links on screen go out in a small batch of
// their own as soon as the script starts, and their answer is written the moment it arrives.
// The rest of the page follows in full batches, each sent the moment it fills; their answers
// are written whole (at most 1,000 links, a few ms each) once no link is left to walk, so that
// every batch is out while the worker decides the first ones. Measured with scripts/bench (a
// 5,000-link page against the least a content script can do there): see bench-e2e.mjs.

import { logOnce } from '../shared/log.js';
import { BATCH_SIZE, LIMITS } from '../shared/protocol.js';

// Batches waiting for the worker's answer at once: a 5,000-link page's batches and the links on
// screen all go out as soon as they are gathered (the worker answers them in order), while a
// page of 50,000 links does not queue all 50 in the worker ahead of anyone else.
const MAX_IN_FLIGHT = 8;

// A page script that keeps resetting an href we rewrote would make us rewrite it forever;
// after this many rewrites of one element we leave it to the page.
const MAX_REWRITES_PER_LINK = 3;

// How many links (or roots) the walk handles between two looks at the clock (performance.now()
// is not free).
const CLOCK_EVERY = 32;

// Finding the links on screen: they are looked for in document order, which is roughly the
// order of the page from the top, among the first links only, and the search stops once this
// many visible links in a row lie below the screen (the page's order has left the screen).
const ON_SCREEN_LOOKED_AT = 2000;
const BELOW_IN_A_ROW = 50;

/**
 * @typedef {object} LinkRecord
 * @property {string} attr the href attribute as we last sent or wrote it
 * @property {boolean} rewritten whether the element carries our link now
 * @property {boolean} pending whether a batch holding it is out
 * @property {number} rewrites how many times we wrote our link into it
 * @property {string|null} original the page's own href attribute, while rewritten
 * @property {boolean} changed the page changed its href while a batch holding it was out
 *
 * @typedef {object} Batch
 * @property {Element[]} els
 * @property {LinkRecord[]} records each element's record (saves a WeakMap lookup when applying)
 * @property {string[]} hrefs what was sent: the href attribute (the page's own, if rewritten)
 * @property {boolean} again every link in it was counted before (rescan or href changed)
 * @property {number} epoch the rescan it was sent under
 * @property {boolean} onScreen it holds the links on screen at the start, written on arrival
 */

/**
 * @param {{send: (hrefs: string[]) => Promise<{lines: string[], counts: object}|null>,
 *          beforeWrites: () => void, afterWrites: () => void, wake: () => void}} io
 *   `beforeWrites`/`afterWrites` bracket our own href writes, so that the observer does not
 *   report them back to us; `wake` asks for a slice of `run`.
 */
export function createLinkWork(io) {
  /** @type {WeakMap<Element, LinkRecord>} */
  const records = new WeakMap();
  /** Roots waiting to be walked: `self` roots are single elements from href changes. */
  let roots = [];
  let rootsHead = 0;
  /** Bumped by each rescan; a batch decided under an older policy is looked at again. */
  let epoch = 0;
  /** The root being walked, across slices: a static list of its links and where we are. */
  let cursor = null;
  let fresh = newBatch(false);
  let again = newBatch(true);
  /** @type {Batch[]} full batches waiting for a free slot */
  const ready = [];
  let inFlight = 0;
  /** Answers held while links are still being walked: {batch, lines}. */
  const answers = [];
  let stopped = false;

  // found, aliexpress, products, attributed: the Engine's counts over every link sent once.
  // rewritten: links carrying our link now, as the Engine's answers were applied.
  const counts = {
    found: 0,
    aliexpress: 0,
    products: 0,
    attributed: 0,
    rewritten: 0,
    held_back: null,
  };

  function newBatch(isAgain) {
    return { els: [], records: [], hrefs: [], again: isAgain, epoch, onScreen: false };
  }

  function queueRoot(node, self, rescan) {
    roots.push({ node, self, rescan });
  }

  /** Queues what a MutationObserver saw; cheap, as observers must be. */
  function observe(mutations) {
    for (const m of mutations) {
      if (m.type === 'childList') {
        for (const node of m.addedNodes) {
          if (node.nodeType === 1) queueRoot(node, false, false);
        }
      } else {
        const el = m.target;
        const record = records.get(el);
        // Out in a batch: the answer is for the old href, so it will be decided again once the
        // answer comes back, instead of being written. (Our own writes happen with the observer
        // off, so every record here is the page's.)
        if (record?.pending) {
          record.changed = true;
          continue;
        }
        // Changes that leave the attribute as we recorded it need nothing.
        if (record && record.attr === el.getAttribute('href')) continue;
        queueRoot(el, true, false);
      }
    }
  }

  function hasWork() {
    return (
      answers.length > 0 ||
      cursor !== null ||
      rootsHead < roots.length ||
      fresh.els.length > 0 ||
      again.els.length > 0 ||
      (ready.length > 0 && inFlight < MAX_IN_FLIGHT)
    );
  }

  function idle() {
    return !hasWork() && inFlight === 0 && ready.length === 0;
  }

  /** Walks queued links, then writes held answers, until `deadline`; returns whether work remains. */
  function run(deadline) {
    if (stopped) return false;
    let taken = 0;
    for (;;) {
      if (cursor !== null) {
        if (walk(deadline)) break;
        continue;
      }
      if (!nextRoot()) {
        // Nothing left to walk: send what was gathered, even if the batch is not full, then
        // write what the answers held.
        flush(fresh);
        fresh = newBatch(false);
        flush(again);
        again = newBatch(true);
        pump();
        while (answers.length > 0) {
          const { batch, lines } = answers.shift();
          write(batch, lines);
          if (performance.now() >= deadline) break;
        }
        break;
      }
      if (++taken % CLOCK_EVERY === 0 && performance.now() >= deadline) break;
    }
    pump();
    return hasWork();
  }

  /** Walks the cursor's links until `deadline`; returns true if the deadline stopped it. */
  function walk(deadline) {
    const { list, rescan } = cursor;
    const end = list.length;
    let i = cursor.i;
    // A link never seen, the case of nearly every link on a first walk, is handled inline,
    // straight into the fresh batch's arrays: this code starts cold on every page, and each step
    // per link counts (the walk's own time in a CPU profile of the 5,000-link page: 33 ms
    // through consider, 24 ms so).
    const maxHref = LIMITS.MAX_HREF_LENGTH;
    let els = fresh.els;
    let batchRecords = fresh.records;
    let hrefs = fresh.hrefs;
    while (i < end) {
      const el = list[i];
      i += 1;
      if (rescan || records.get(el) !== undefined) {
        consider(el, rescan);
        // consider may have sent the fresh batch and started another.
        els = fresh.els;
        batchRecords = fresh.records;
        hrefs = fresh.hrefs;
      } else if (el instanceof HTMLAnchorElement) {
        const attr = el.getAttribute('href');
        if (attr !== null) {
          const sendable = attr.length <= maxHref;
          // newRecord's shape; pending if it goes out.
          const record = { attr, rewritten: false, pending: sendable, rewrites: 0, original: null, changed: false };
          records.set(el, record);
          if (sendable) {
            els.push(el);
            batchRecords.push(record);
            hrefs.push(attr);
            if (els.length >= BATCH_SIZE) {
              sendFresh();
              els = fresh.els;
              batchRecords = fresh.records;
              hrefs = fresh.hrefs;
            }
          }
        }
      }
      if (i % CLOCK_EVERY === 0 && performance.now() >= deadline) {
        cursor.i = i;
        return i < end;
      }
    }
    cursor = null;
    return false;
  }

  /** Takes the next queued root; returns false when there is none. */
  function nextRoot() {
    if (rootsHead >= roots.length) {
      roots = [];
      rootsHead = 0;
      return false;
    }
    const root = roots[rootsHead++];
    // Compact the queue now and then, so a long infinite scroll does not keep every root.
    if (rootsHead > 1024 && rootsHead * 2 > roots.length) {
      roots = roots.slice(rootsHead);
      rootsHead = 0;
    }
    const node = root.node;
    // Removed before we got to it (virtual lists do this): nothing to do.
    if (!node.isConnected) return true;
    if (root.self || node.localName === 'a') consider(node, root.rescan);
    if (!root.self && node.firstElementChild !== null) {
      // One static list per root, walked across as many slices as it takes.
      cursor = { list: node.querySelectorAll('a[href]'), i: 0, rescan: root.rescan };
    }
    return true;
  }

  /** Puts one link in a batch if it needs deciding. */
  function consider(el, rescan) {
    // Only HTML links: an SVG <a> is no link the shopper follows to a product.
    if (!(el instanceof HTMLAnchorElement)) return;
    const attr = el.getAttribute('href');
    if (attr === null) return;
    let record = records.get(el);
    let isAgain = false;
    if (record) {
      if (record.pending) return;
      if (record.attr !== attr) {
        // The page changed the href since we handled it: our link, if any, is gone.
        if (record.rewritten) counts.rewritten -= 1;
        record.rewritten = false;
        record.original = null;
        record.attr = attr;
        if (record.rewrites >= MAX_REWRITES_PER_LINK) return;
        isAgain = true;
      } else if (rescan) {
        isAgain = true;
      } else {
        return;
      }
    }
    // A rewritten link is decided again on the page's own href, never on ours.
    const href = record?.rewritten ? record.original : attr;
    if (href.length > LIMITS.MAX_HREF_LENGTH) {
      // Too long to be a link we would send; remembered so it is not looked at again.
      if (!record) records.set(el, newRecord(attr));
      return;
    }
    if (!record) {
      record = newRecord(attr);
      records.set(el, record);
    }
    record.pending = true;
    record.changed = false;
    const batch = isAgain ? again : fresh;
    batch.els.push(el);
    batch.records.push(record);
    batch.hrefs.push(href);
    if (batch.els.length < BATCH_SIZE) return;
    if (isAgain) {
      flush(again);
      again = newBatch(true);
      pump();
    } else {
      sendFresh();
    }
  }

  /** Sends the batch of fresh links now (if a slot is free): the worker starts on it at once. */
  function sendFresh() {
    flush(fresh);
    fresh = newBatch(false);
    pump();
  }

  function newRecord(attr) {
    return { attr, rewritten: false, pending: false, rewrites: 0, original: null, changed: false };
  }

  function flush(batch) {
    if (batch.els.length > 0) ready.push(batch);
  }

  /** Sends ready batches while slots are free. */
  function pump() {
    while (!stopped && inFlight < MAX_IN_FLIGHT && ready.length > 0) {
      const batch = ready.shift();
      inFlight += 1;
      io.send(batch.hrefs)
        .then(
          (answer) => received(batch, answer),
          () => received(batch, null),
        )
        .catch((error) => logOnce('link work', error));
    }
  }

  function received(batch, answer) {
    inFlight -= 1;
    if (stopped) return;
    if (answer === null) {
      // No answer (the worker failed or the extension went away): the links stay as they are,
      // not pending, and a later rescan may pick them up.
      for (const record of batch.records) record.pending = false;
    } else {
      addCounts(batch, answer.counts);
      // While links are still being walked, the walk goes first: every batch is out sooner and
      // the worker decides them while this page writes (the answers, and the page's rendering
      // of our writes, would otherwise take turns with the walk). What is on screen is written
      // at once.
      if (batch.onScreen || (cursor === null && rootsHead >= roots.length)) write(batch, answer.lines);
      else answers.push({ batch, lines: answer.lines });
    }
    pump();
    // A slice for what the answer queued again, and for the caller to see the work idle.
    io.wake();
  }

  function addCounts(batch, got) {
    if (!batch.again) {
      counts.found += got.found;
      counts.aliexpress += got.aliexpress;
      counts.products += got.products;
      counts.attributed += got.attributed;
    }
    if (got.held_back) counts.held_back = got.held_back;
    else if (got.rewritten > 0) counts.held_back = null;
  }

  /** Writes an answer into the page, with the observer off. */
  function write(batch, lines) {
    io.beforeWrites();
    try {
      apply(batch, lines);
    } finally {
      io.afterWrites();
    }
  }

  /** Applies an answer: one line per link of the batch, '' for "the page's own href". */
  function apply(batch, lines) {
    const { els, records: batchRecords } = batch;
    // Decided under a policy that has changed since: a rescan walked past these while out.
    const stale = batch.epoch !== epoch;
    for (let i = 0; i < lines.length; i++) {
      const el = els[i];
      const line = lines[i];
      const record = batchRecords[i];
      record.pending = false;
      if (record.changed) {
        // The page changed the href while the batch was out (the observer said): decide the new one.
        record.changed = false;
        queueRoot(el, true, false);
        continue;
      }
      // What was sent and is on the element now (the page's own href, or our link on a rescan).
      const sent = record.attr;
      if (line === '') {
        if (record.rewritten) {
          // Our link is no longer allowed here (deals turned off): the page's own goes back.
          el.setAttribute('href', record.original);
          record.attr = record.original;
          record.original = null;
          record.rewritten = false;
          counts.rewritten -= 1;
        }
      } else {
        if (!record.rewritten) {
          record.original = sent;
          record.rewritten = true;
          record.rewrites += 1;
          counts.rewritten += 1;
        }
        if (line !== sent) el.setAttribute('href', line);
        record.attr = line;
      }
      if (stale) queueRoot(el, true, true);
    }
  }

  /**
   * Sends the links on screen now, in a batch of their own (the shopper looks there first),
   * and queues `list`, every link of the document, for the walk, which skips those already out.
   * Hidden links (a closed menu) are passed over cheaply with checkVisibility; a visible one
   * costs a getBoundingClientRect, about 1.6 µs here with the layout clean, as it is by the
   * time a document_idle script runs.
   */
  function sendOnScreen(list) {
    const width = innerWidth;
    const height = innerHeight;
    const end = Math.min(list.length, ON_SCREEN_LOOKED_AT);
    let below = 0;
    for (let i = 0; i < end; i++) {
      const el = list[i];
      if (!el.checkVisibility()) continue;
      const box = el.getBoundingClientRect();
      if (box.top >= height) {
        below += 1;
        if (below >= BELOW_IN_A_ROW) break;
        continue;
      }
      if (box.bottom > 0 && box.right > 0 && box.left < width && box.width > 0) {
        below = 0;
        consider(el, false);
      }
    }
    fresh.onScreen = true;
    sendFresh();
    cursor = { list, i: 0, rescan: false };
  }

  return {
    observe,
    run,
    /** The first scan: the links on screen are sent at once, the whole document is queued. */
    start() {
      sendOnScreen(document.querySelectorAll('a[href]'));
    },
    /** Whether `el` carries a link we wrote into it (clicks.js asks, for the visit it starts). */
    isRewritten(el) {
      const record = records.get(el);
      return record !== undefined && record.rewritten && record.attr === el.getAttribute('href');
    },
    /** Decides every link again: the tab's policy changed. */
    rescan() {
      epoch += 1;
      // Nothing gathered but not yet sent has been decided: it will be, under the new policy.
      fresh.epoch = epoch;
      again.epoch = epoch;
      for (const batch of ready) batch.epoch = epoch;
      queueRoot(document.documentElement, false, true);
    },
    /** Whether nothing is queued, out or waiting to be applied. */
    idle,
    /**
     * A link's own href as the page wrote it: for a link carrying our rewrite, the page's href
     * from before; otherwise its href attribute (null without one). The page-facts collector
     * reads links through this.
     */
    pageHref(el) {
      const attr = el.getAttribute('href');
      const record = records.get(el);
      return record?.rewritten && record.attr === attr ? record.original : attr;
    },
    /** The counts so far, and whether any work is still queued or out. */
    state() {
      return { ...counts, idle: idle() };
    },
    stop() {
      stopped = true;
    },
  };
}
