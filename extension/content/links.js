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

import { BATCH_SIZE, LIMITS } from '../shared/protocol.js';

/** Batches waiting for the worker's answer at once: enough to keep the worker busy. */
const MAX_IN_FLIGHT = 4;

// A page script that keeps resetting an href we rewrote would make us rewrite it forever;
// after this many rewrites of one element we leave it to the page.
const MAX_REWRITES_PER_LINK = 3;

// How many units of work run between two looks at the clock (performance.now() is not free).
const CLOCK_EVERY = 32;

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
 * @property {string[]} attrs each element's href attribute when sent
 * @property {string[]} hrefs what was sent: the href attribute (the page's own, if rewritten)
 * @property {boolean} again every link in it was counted before (rescan or href changed)
 * @property {number} epoch the rescan it was sent under
 */

/**
 * @param {{send: (hrefs: string[]) => Promise<{lines: string[], counts: object}|null>,
 *          beforeWrites: () => void, afterWrites: () => void, wake: () => void}} io
 *   `beforeWrites`/`afterWrites` bracket our own href writes in a slice, so that the observer
 *   does not report them back to us.
 */
export function createLinkWork(io) {
  /** @type {WeakMap<Element, LinkRecord>} */
  const records = new WeakMap();
  /** Roots waiting to be walked: `self` roots are single elements from href changes. */
  let roots = [];
  let rootsHead = 0;
  /** Bumped by each rescan; a batch decided under an older policy is looked at again. */
  let epoch = 0;
  /** The root being walked, across slices. */
  let cursor = null;
  let fresh = newBatch(false);
  let again = newBatch(true);
  /** @type {Batch[]} full batches waiting for a free slot */
  const ready = [];
  let inFlight = 0;
  /** Answers being applied: {batch, lines, i}. */
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
    return { els: [], records: [], attrs: [], hrefs: [], again: isAgain, epoch };
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

  /** Runs until `deadline`; returns whether work remains. */
  function run(deadline) {
    if (stopped) return false;
    let writing = false;
    let units = 0;
    try {
      for (;;) {
        if (++units % CLOCK_EVERY === 0 && performance.now() >= deadline) break;
        if (answers.length > 0) {
          if (!writing) {
            io.beforeWrites();
            writing = true;
          }
          applyOne();
          continue;
        }
        if (collectOne()) continue;
        // Nothing left to walk: send what was gathered, even if the batch is not full.
        flush(fresh);
        fresh = newBatch(false);
        flush(again);
        again = newBatch(true);
        break;
      }
    } finally {
      if (writing) io.afterWrites();
    }
    pump();
    return hasWork();
  }

  /** Does one step of the walk; returns false when there is nothing left to walk. */
  function collectOne() {
    if (cursor !== null) {
      if (cursor.i < cursor.list.length) {
        consider(cursor.list[cursor.i++], cursor.rescan);
        return true;
      }
      cursor = null;
    }
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
    batch.attrs.push(attr);
    batch.hrefs.push(href);
    if (batch.els.length >= BATCH_SIZE) {
      flush(batch);
      if (isAgain) again = newBatch(true);
      else fresh = newBatch(false);
    }
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
      io.send(batch.hrefs).then(
        (answer) => received(batch, answer),
        () => received(batch, null),
      );
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
      answers.push({ batch, lines: answer.lines, i: 0 });
    }
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

  /** Applies one line of the oldest answer. */
  function applyOne() {
    const answer = answers[0];
    const { batch, lines } = answer;
    const i = answer.i++;
    if (answer.i >= lines.length) answers.shift();
    const el = batch.els[i];
    const sent = batch.attrs[i];
    const line = lines[i];
    const record = batch.records[i];
    record.pending = false;
    if (record.changed) {
      // The page changed the href while the batch was out (the observer said): decide the new one.
      record.changed = false;
      queueRoot(el, true, false);
      return;
    }
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
        record.original = batch.hrefs[i];
        record.rewritten = true;
        record.rewrites += 1;
        counts.rewritten += 1;
      }
      if (line !== sent) el.setAttribute('href', line);
      record.attr = line;
    }
    // Decided under a policy that has changed since: a rescan walked past it while it was out.
    if (batch.epoch !== epoch) queueRoot(el, true, true);
  }

  return {
    observe,
    run,
    /** Walks the whole document (the first scan). */
    queueDocument() {
      queueRoot(document.documentElement, false, false);
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
    /** The counts so far, and whether any work is still queued or out. */
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
    state() {
      return { ...counts, idle: idle() };
    },
    stop() {
      stopped = true;
    },
  };
}
