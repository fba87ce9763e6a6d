// Our affiliate link for one product from the companion server, asked only at the shopper's click on something of ours ("Activate deals" on a product page): the page's canonical product URL, and nothing else, goes to the server, and a link the affiliate API made comes back for the Engine. A failure is silent: the deep link stands.

import { SERVER_URL } from '../config.js';
import { CONTRACT } from '../shared/contract.js';
import { textCapped } from './answer.js';
import { logOnce } from './log.js';

/** Where requests go (POST): the server's links path, as the Engine's contract names it. */
const LINKS_URL = SERVER_URL ? `${SERVER_URL}${CONTRACT.server_paths.links}` : null;

/** A link that takes longer is not waited for: the deep link is in place already. */
const LINK_TIMEOUT_MS = 8_000;

/** The answer for one URL is a few hundred bytes. */
const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * The affiliate API's link for `page` (a page `engine.apiLinkPage` gave), or null: no server,
 * the server unreachable or failing, or only a deep link in its answer.
 * @param {string} page
 * @returns {Promise<string|null>}
 */
export async function apiLinkFromServer(page) {
  if (!LINKS_URL) return null;
  try {
    const response = await fetch(LINKS_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ urls: [page] }),
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(LINK_TIMEOUT_MS),
    });
    if (!response.ok) {
      logOnce('links', `the server answered ${response.status}`);
      return null;
    }
    const text = await textCapped(response, MAX_ANSWER_BYTES, (size, max) => new Error(`an answer of ${size} bytes, over ${max}`));
    const entry = JSON.parse(text)?.links?.[0];
    // Only a link the affiliate API made (now or earlier) stands in for our deep link; the
    // Engine checks its shape before it is used.
    if (!CONTRACT.api_link_sources.includes(entry?.source)) return null;
    return typeof entry.link === 'string' ? entry.link : null;
  } catch (error) {
    logOnce('links', error);
    return null;
  }
}
