// Unit tests of extension/background/tabs.js: the worker's per-tab state kept in memory and written through to session storage, read back after a worker restart, forgotten with its tab. (What a visit is, and when one of ours is under way, is the Engine's: crates/core/src/tab_visit.rs.)

import { test } from 'node:test';
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

const { forgetTab, getTab, stoodDown, updateTab, visitJson } = await import('../../extension/background/tabs.js');

const VISIT = { stood_down: 'affiliate_referrer', ours_until: 0, ours_opened_until: 0, ours_page: null, seen: true };

test('a new tab has no visit and stands down for nothing', () => {
  assert.deepEqual(getTab(1), { activated: false, visit: null });
  assert.equal(stoodDown(getTab(1)), null);
  assert.equal(visitJson(getTab(1)), '');
});

test('the Engine’s visit is stored as it came and read back after a worker restart', async () => {
  await updateTab(7, (current) => ({ ...current, activated: true, visit: VISIT })).stored;
  assert.equal(stoodDown(getTab(7)), 'affiliate_referrer');
  assert.deepEqual(JSON.parse(visitJson(getTab(7))), VISIT);
  // Unchanged state is not written again.
  stored.delete('tab:7');
  await updateTab(7, (current) => ({ ...current })).stored;
  assert.equal(stored.has('tab:7'), false);
  await updateTab(7, (current) => ({ ...current, activated: false })).stored;
  stored.set('tab:not-a-number', { activated: true });
  stored.set('tab:8', { activated: 'yes', visit: 'not an object' });
  // A restarted worker is a fresh module reading session storage back.
  const restarted = await import('../../extension/background/tabs.js?restarted');
  await restarted.loadTabs();
  assert.deepEqual(restarted.getTab(7), { activated: false, visit: VISIT });
  assert.deepEqual(restarted.getTab(8), { activated: false, visit: null }, 'damaged state is a fresh tab');
  await forgetTab(7);
  assert.deepEqual(getTab(7), { activated: false, visit: null });
  assert.equal(stored.has('tab:7'), false);
});
