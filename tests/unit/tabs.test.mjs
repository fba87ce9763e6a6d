// Unit tests of extension/background/tabs.js: how long a visit of ours stays under way, in the tab it started in, in a tab it opened, and on the page it landed on.

import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';

// The session storage tabs.js writes through to: a map, enough for these tests.
const stored = new Map();
globalThis.chrome = {
  storage: {
    session: {
      get: async () => Object.fromEntries(stored),
      set: async (items) => {
        for (const [key, value] of Object.entries(items)) stored.set(key, value);
      },
      remove: async (key) => {
        stored.delete(key);
      },
    },
  },
};

const tabs = await import('../../extension/background/tabs.js');
const { OUR_VISIT_MS, forgetTab, getTab, ourLinkFollowed, ourVisitUnderWay, recordVerdict } = tabs;

const NOW = 1_000_000;
const ON_THE_WAY = { stand_down: null, ours_landed: false };
const LANDED = { stand_down: null, ours_landed: true };
let next = 100;

beforeEach(() => {
  next += 10;
});

/** A page load in `tab` at `now`, judged as the Engine would have: returns whether it was ours. */
function load(tab, page, verdict, now, opener) {
  const ours = ourVisitUnderWay(tab, page, opener, now);
  recordVerdict(tab, page, verdict, ours);
  return ours.underWay;
}

test('no visit of ours without a click on our link', () => {
  assert.equal(ourVisitUnderWay(next, 'doc-a', undefined, NOW).underWay, false);
});

test('a click on our link: the redirect and the landing are ours, and the landing stays ours', () => {
  const tab = next;
  ourLinkFollowed(tab, false, NOW);
  assert.equal(load(tab, 'redirect', ON_THE_WAY, NOW + 100), true);
  assert.equal(load(tab, 'landing', LANDED, NOW + 900), true);
  // The landing's later batches, long after the mark would have run out, are still ours.
  assert.equal(ourVisitUnderWay(tab, 'landing', undefined, NOW + 10 * OUR_VISIT_MS).underWay, true);
  // The journey ended there: the next page (someone else's redirect) is judged on its own.
  assert.equal(ourVisitUnderWay(tab, 'next-page', undefined, NOW + 1_000).underWay, false);
});

test('the mark of a click runs out', () => {
  const tab = next;
  ourLinkFollowed(tab, false, NOW);
  assert.equal(ourVisitUnderWay(tab, 'late', undefined, NOW + OUR_VISIT_MS - 1).underWay, true);
  assert.equal(ourVisitUnderWay(tab, 'late', undefined, NOW + OUR_VISIT_MS).underWay, false);
});

test('a link of ours opened in a new tab: that tab takes the mark over for its first pages', () => {
  const opener = next;
  const opened = next + 1;
  ourLinkFollowed(opener, true, NOW);
  // The opener itself is not on a visit of ours.
  assert.equal(ourVisitUnderWay(opener, 'opener-page', undefined, NOW + 10).underWay, false);
  assert.equal(load(opened, 'redirect', ON_THE_WAY, NOW + 100, opener), true);
  assert.equal(load(opened, 'landing', LANDED, NOW + 900, opener), true);
  // A tab that has shown pages already does not take an opener's mark.
  const older = next + 2;
  load(older, 'older-page', ON_THE_WAY, NOW - 5_000, undefined);
  assert.equal(ourVisitUnderWay(older, 'older-next', opener, NOW + 200).underWay, false);
});

test('the state survives a worker restart and a closed tab is forgotten', async () => {
  const tab = next;
  ourLinkFollowed(tab, false, NOW);
  await recordVerdict(tab, 'landing', LANDED, { underWay: true, until: NOW + OUR_VISIT_MS }).stored;
  stored.set('tab:not-a-number', { activated: true });
  // A restarted worker is a fresh module reading session storage back.
  const restarted = await import('../../extension/background/tabs.js?restarted');
  await restarted.loadTabs();
  assert.equal(restarted.getTab(tab).ours_page, 'landing');
  assert.equal(restarted.getTab(tab).seen, true);
  assert.equal(restarted.ourVisitUnderWay(tab, 'landing', undefined, NOW + 10 * OUR_VISIT_MS).underWay, true);
  await forgetTab(tab);
  assert.equal(getTab(tab).ours_page, null);
  assert.equal(stored.has(`tab:${tab}`), false);
});
