// The service worker's one link Engine (Rust compiled to WASM): loading it and asking it questions.
//
// Every rule (which link is a product, attribution, stand-down, what a mode allows) is the
// Engine's; this module only moves strings and booleans across and frees what it is given.

import init, { Engine } from '../wasm/shopper_wasm.js';
import { DEFAULT_AFFILIATE_KEY } from './settings.js';
import { logOnce } from './log.js';

/** @type {Engine|null} */
let engine = null;

/** A User Timing name: DevTools shows it, and scripts/bench-e2e.mjs reads it from the worker. */
export const DECIDE_MEASURE = 'smart-shopper:decide_links';
// Measures pile up in the worker's performance timeline; clear them now and then so a long-lived
// worker does not keep them all.
const MAX_MEASURES = 1000;
let measures = 0;

/** Loads the WASM and creates the Engine with `key` (the build default if `key` is invalid). */
export async function loadEngine(key) {
  await init({ module_or_path: chrome.runtime.getURL('wasm/shopper_wasm_bg.wasm') });
  try {
    engine = new Engine(key);
  } catch (error) {
    logOnce('affiliate key', error);
    engine = new Engine(DEFAULT_AFFILIATE_KEY);
  }
}

/** Uses `key` from now on; an invalid key is logged and the build default used instead. */
export function useKey(key) {
  try {
    engine.set_affiliate_key(key);
  } catch (error) {
    logOnce('affiliate key', error);
    engine.set_affiliate_key(DEFAULT_AFFILIATE_KEY);
  }
}

/** Why a key is invalid, or undefined when it is fine (the Engine decides). */
export function checkKey(key) {
  return Engine.check_affiliate_key(key);
}

/** Why a page load stands the visit down, or null. */
export function standDown(url, referrer) {
  return engine.stand_down(url, referrer) ?? null;
}

/** Whether a URL is an AliExpress page. */
export function isAliexpress(url) {
  return engine.is_aliexpress(url);
}

/** Why a tab's product links are held back ('ask_first', 'mode_off', 'stand_down'), or null. */
export function heldBack(mode, activated, stoodDown) {
  return Engine.held_back(mode, activated, stoodDown) ?? null;
}

/**
 * Decides a batch of href attributes (one per line, as the page wrote them, resolved against
 * `base`) found on the page at `pageUrl` under a tab's policy.
 * @param {string} hrefs
 * @returns {{rewrites: string, found: number, aliexpress: number, products: number,
 *   attributed: number, rewritten: number, held_back: string|null}}
 */
export function decideLinks(hrefs, base, pageUrl, mode, activated, stoodDown) {
  const start = performance.now();
  const batch = engine.decide_links(hrefs, base, pageUrl, mode, activated, stoodDown);
  let found = 0;
  try {
    found = batch.found;
    return {
      rewrites: batch.take_rewrites(),
      found,
      aliexpress: batch.aliexpress,
      products: batch.products,
      attributed: batch.attributed,
      rewritten: batch.rewritten,
      held_back: batch.held_back ?? null,
    };
  } finally {
    batch.free();
    if (++measures > MAX_MEASURES) {
      performance.clearMeasures(DECIDE_MEASURE);
      measures = 1;
    }
    performance.measure(DECIDE_MEASURE, { start, detail: found });
  }
}
