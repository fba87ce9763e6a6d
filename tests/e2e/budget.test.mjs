// Size budgets of the build (deterministic, no browser): the WASM gzipped and the store zip.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { DIST, ROOT } from './helpers.mjs';
import { zipName } from '../../scripts/package.mjs';

// Issue 9 re-set the budget to 160 KB (the old 120 KB forced opt-level "z" everywhere).
const WASM_GZIP_BUDGET = 160 * 1024;
const ZIP_BUDGET = 400 * 1024;

test(`WASM is at most ${WASM_GZIP_BUDGET / 1024} KB gzipped`, (t) => {
  const wasm = readFileSync(join(DIST, 'wasm', 'shopper_wasm_bg.wasm'));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  t.diagnostic(`shopper_wasm_bg.wasm: ${wasm.length} bytes, ${gzipped} bytes gzipped`);
  assert.ok(gzipped <= WASM_GZIP_BUDGET, `${gzipped} bytes gzipped`);
});

test(`the build's zip exists, says whether it is for the store, is under ${ZIP_BUDGET / 1024} KB and holds the whole of dist/chrome`, (t) => {
  const config = readFileSync(join(DIST, 'config.js'), 'utf8');
  const release = /DEMO_FEED_PATH = null;/.test(config);
  const zipPath = join(ROOT, 'dist', zipName('chrome', release));
  assert.ok(existsSync(zipPath), zipPath);
  // A development build (demo coupons, the development key) is never left named as a store zip.
  if (!release) assert.equal(existsSync(join(ROOT, 'dist', 'smart-shopper-chrome.zip')), false);
  assert.match(zipPath, release ? /smart-shopper-chrome\.zip$/ : /-development\.zip$/);
  const size = statSync(zipPath).size;
  t.diagnostic(`${zipName('chrome', release)}: ${size} bytes`);
  assert.ok(size <= ZIP_BUDGET, `${size} bytes`);
  const entries = unzipSync(readFileSync(zipPath));
  for (const name of [
    'manifest.json',
    'background/worker.js',
    'content/content.js',
    'content/world.js',
    'config.js',
    'popup.html',
    'options.html',
    'wasm/shopper_wasm.js',
    'wasm/shopper_wasm_bg.wasm',
    '_locales/en/messages.json',
  ]) {
    assert.ok(entries[name], `${name} in the zip`);
  }
  assert.deepEqual(
    JSON.parse(new TextDecoder().decode(entries['manifest.json'])),
    JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')),
  );
});

test('the content script is one classic script (no import or export left)', () => {
  const content = readFileSync(join(DIST, 'content', 'content.js'), 'utf8');
  assert.doesNotMatch(content, /^\s*(import|export)\s/m);
  assert.doesNotMatch(content, /WebAssembly/, 'the content script never loads WASM');
});

// The main-world reader runs in every AliExpress page's own world from its first moment: it
// stays small (most of it is the contract it copies by), and holds no WASM and no chrome API.
const WORLD_BUDGET = 12 * 1024;

test('the main-world reader is one small classic script, without WASM or extension APIs', (t) => {
  const world = readFileSync(join(DIST, 'content', 'world.js'), 'utf8');
  t.diagnostic(`content/world.js: ${Buffer.byteLength(world)} bytes`);
  assert.ok(Buffer.byteLength(world) <= WORLD_BUDGET, `${Buffer.byteLength(world)} bytes`);
  assert.doesNotMatch(world, /^\s*(import|export)\s/m);
  assert.doesNotMatch(world, /WebAssembly|chrome\./);
  const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8'));
  const entry = manifest.content_scripts.find((c) => c.js.includes('content/world.js'));
  assert.equal(entry.world, 'MAIN');
  assert.equal(entry.run_at, 'document_start');
});
