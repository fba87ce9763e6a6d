// Problems as the shell shows them: what failed, as a code and parameters (the Engine's or the shell's own), worded from _locales in the shopper's language.
//
// The Engine throws an Error whose message is its problem's JSON (`{"code", "params"}`,
// crates/core/src/problem.rs: its English wording stays out of the WASM); replies between the
// worker and its pages carry the same. Each code has a message `error_<code>` in every locale
// (tests/unit/problems.test.mjs checks); a shell exception's own `text` is for logs only.

/** Codes the shell raises itself; the Engine's are listed by its `problem_codes()`. */
export const SHELL_CODES = Object.freeze([
  // Anything without a code of its own: an exception in the shell, a browser API failing.
  'unexpected',
  // Downloading the coupon feed (background/feed.js): no answer, an error status, too big.
  'feed_download_failed',
  'feed_server_status',
  'feed_too_large',
  // Messages between the parts of the extension (shared/protocol.js, shared/client.js).
  'message_refused',
  'reply_malformed',
  'worker_unreachable',
  'page_unreachable',
  // What the worker answers for a tab: it closed, or the code asked for cannot be filled there.
  'tab_gone',
  'coupon_not_fillable',
  // The content script could not read the page's facts.
  'page_unreadable',
  // Asking the companion server for Smart Search's products (background/search.js).
  'search_unreachable',
  'search_server_status',
]);

/** A problem with a code and its parameters (strings). */
export function problem(code, ...params) {
  return Object.freeze({ code, params: params.map(String) });
}

function isProblem(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof value.code === 'string' &&
    Array.isArray(value.params) &&
    value.params.every((p) => typeof p === 'string')
  );
}

/**
 * The problem behind a thrown value or a reply's `error`: an Engine Error (its message is JSON),
 * a `{code, params}` object, or anything else as `unexpected` with its text for the log.
 * @returns {{code: string, params: string[], text?: string}}
 */
export function problemOf(error) {
  if (isProblem(error)) return error;
  const text = error instanceof Error ? error.message : String(error);
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text);
      if (isProblem(parsed)) return { code: parsed.code, params: parsed.params };
    } catch {
      // Not the Engine's JSON: an ordinary message.
    }
  }
  return { code: 'unexpected', params: [], text };
}

/** A problem (or anything `problemOf` reads) in the shopper's language. */
export function wordProblem(error) {
  const { code, params } = problemOf(error);
  return chrome.i18n.getMessage(`error_${code}`, params) || chrome.i18n.getMessage('error_unexpected');
}
