// Size budgets of the build (deterministic, no browser): the WASM gzipped and the store zip.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { DIST, ROOT } from './helpers.mjs';

const WASM_GZIP_BUDGET = 160 * 1024;
const ZIP_BUDGET = 400 * 1024;

test(`WASM is at most ${WASM_GZIP_BUDGET / 1024} KB gzipped`, (t) => {
  const wasm = readFileSync(join(DIST, 'wasm', 'shopper_wasm_bg.wasm'));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  t.diagnostic(`shopper_wasm_bg.wasm: ${wasm.length} bytes, ${gzipped} bytes gzipped`);
  assert.ok(gzipped <= WASM_GZIP_BUDGET, `${gzipped} bytes gzipped`);
});

test(`the store zip exists, is under ${ZIP_BUDGET / 1024} KB and holds the whole of dist/chrome`, (t) => {
  const zipPath = join(ROOT, 'dist', 'smart-shopper-chrome.zip');
  assert.ok(existsSync(zipPath), zipPath);
  const size = statSync(zipPath).size;
  t.diagnostic(`smart-shopper-chrome.zip: ${size} bytes`);
  assert.ok(size <= ZIP_BUDGET, `${size} bytes`);
  const entries = unzipSync(readFileSync(zipPath));
  for (const name of [
    'manifest.json',
    'background/worker.js',
    'content/content.js',
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
