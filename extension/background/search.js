// Smart Search's products in the service worker: a request the shopper submitted in the popup, sent to the companion server, and its answer checked by the Engine before the popup shows it.
//
// Only what the shopper typed and chose to submit leaves the device, with the country, currency
// and language the products should be in; never a URL, a page or anything the shopper browses.
// The server is asked only when the shopper's settings allow it (on until turned off).

import { SERVER_URL } from '../config.js';
import { CONTRACT } from '../shared/contract.js';
import { problem, problemOf } from '../shared/problem.js';
import { textCapped } from './answer.js';
import * as engine from './engine.js';
import { logOnce } from './log.js';

/** Where requests go (POST): the server's search path, as the Engine's contract names it. */
const SEARCH_URL = SERVER_URL ? `${SERVER_URL}${CONTRACT.server_paths.search}` : null;

/** A search that takes longer is abandoned: the popup opens the AliExpress search instead. */
const SEARCH_TIMEOUT_MS = 8_000;

/**
 * The products for `{query, country, currency, locale}`, or why there are none.
 * @returns {Promise<{ok: true, answer: object} | {ok: false, error: {code: string, params: string[]}}>}
 */
export async function searchProducts(request, settings) {
  if (!settings.search_results || !SEARCH_URL) return { ok: true, answer: null };
  let response;
  try {
    response = await fetch(SEARCH_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(SEARCH_TIMEOUT_MS),
    });
  } catch (error) {
    logOnce('search', error);
    return { ok: false, error: problem('search_unreachable') };
  }
  if (!response.ok) return { ok: false, error: problem('search_server_status', response.status) };
  try {
    const text = await textCapped(response, CONTRACT.search_answer_max_bytes, (size, max) =>
      problem('search_answer_too_large', size, max),
    );
    engine.checkProducts(text);
    return { ok: true, answer: JSON.parse(text) };
  } catch (error) {
    const { code, params } = problemOf(error);
    return { ok: false, error: { code, params } };
  }
}
