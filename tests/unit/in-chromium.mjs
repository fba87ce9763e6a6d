// What the unit tests that run content-script code in a plain Chromium page share: the code bundled for evaluation in the page, and the browser.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TIMEOUT_MS = 60_000;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * The content script's modules re-exported by `exports` (an ES module source, resolved from
 * extension/content/), bundled as one script that sets `globalName`. Evaluated in the page rather
 * than added as a script element, so that a collector never reads itself.
 */
export async function contentBundle(exports, globalName) {
  const built = await build({
    stdin: { contents: exports, resolveDir: join(ROOT, 'extension', 'content') },
    bundle: true,
    format: 'iife',
    globalName,
    write: false,
  });
  return built.outputFiles[0].text;
}

/** Headless Chromium, as DESIGN.md launches it (no extension). */
export async function launchChromium() {
  // scripts/test installs Chromium first; without it these tests fail rather than pass unrun.
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/test, which installs it`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** The built extension's WASM, whose Engine the tests ask. */
const WASM = join(ROOT, 'dist', 'chrome', 'wasm');

/** What the built Engine makes of a page's facts, with no coupons: `{page, notes, ...}`. */
export async function engineReads(facts) {
  if (!existsSync(join(WASM, 'shopper_wasm_bg.wasm'))) throw new Error(`no WASM in ${WASM}: scripts/build first`);
  const glue = await import(pathToFileURL(join(WASM, 'shopper_wasm.js')).href);
  glue.initSync({ module: readFileSync(join(WASM, 'shopper_wasm_bg.wasm')) });
  const book = new glue.CouponBook();
  try {
    return JSON.parse(book.for_page(JSON.stringify(facts), Date.now(), false));
  } finally {
    book.free();
  }
}
