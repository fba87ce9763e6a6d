// The shopper's settings in chrome.storage.local: reading them safely, writing them, defaults.
//
// Stored shape: `settings: { mode: 'ask' | 'auto' | 'off', affiliate_key?: string, new_user?: true,
// search_results?: boolean }`. new_user says the shopper has not ordered on AliExpress yet
// (first-order coupons apply). search_results says whether a Smart Search the shopper submits
// also asks our server for products (the Engine's default until the shopper chooses). No
// affiliate_key means the build-time default from config.js. Anything unreadable falls back to
// the defaults, so a damaged store never stops the extension.

import { DEFAULT_AFFILIATE_KEY } from '../config.js';
import { CONTRACT } from '../shared/contract.js';
import { MODES } from '../shared/protocol.js';
import { logOnce } from './log.js';

export const SETTINGS_KEY = 'settings';

/** The mode before the shopper chooses one (the Engine's default: nothing is rewritten without asking). */
export const DEFAULT_MODE = CONTRACT.default_rewrite_mode;

/**
 * Settings as the worker uses them, from whatever storage held.
 * @returns {{mode: string, affiliate_key: string|undefined, new_user: boolean, search_results: boolean}}
 */
export function normalise(stored) {
  const value = stored && typeof stored === 'object' ? stored : {};
  let mode = DEFAULT_MODE;
  if (MODES.includes(value.mode)) {
    mode = value.mode;
  } else if (value.mode !== undefined) {
    logOnce('settings', `stored mode ${JSON.stringify(value.mode)} is not a mode; using '${DEFAULT_MODE}'`);
  }
  const key =
    typeof value.affiliate_key === 'string' && value.affiliate_key !== ''
      ? value.affiliate_key
      : undefined;
  const searchResults =
    typeof value.search_results === 'boolean' ? value.search_results : CONTRACT.search_results_by_default;
  return { mode, affiliate_key: key, new_user: value.new_user === true, search_results: searchResults };
}

/** The key links are written with: the shopper's own, or the build default. */
export function effectiveKey(settings) {
  return settings.affiliate_key ?? DEFAULT_AFFILIATE_KEY;
}

export async function loadSettings() {
  const stored = await chrome.storage.local.get(SETTINGS_KEY);
  return normalise(stored[SETTINGS_KEY]);
}

export async function saveSettings(settings) {
  const value = { mode: settings.mode };
  if (settings.affiliate_key !== undefined) value.affiliate_key = settings.affiliate_key;
  if (settings.new_user) value.new_user = true;
  // Kept only once chosen, so that the Engine's default holds until then.
  if (settings.search_results !== undefined && settings.search_results !== CONTRACT.search_results_by_default) {
    value.search_results = settings.search_results;
  }
  await chrome.storage.local.set({ [SETTINGS_KEY]: value });
}

export { DEFAULT_AFFILIATE_KEY };
