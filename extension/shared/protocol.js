// The one message protocol between content script, extension pages and service worker: every kind, who may send it, and the checks on its fields.
//
// Anything a content script sends is untrusted input: it runs beside pages we do not control, so
// its messages are checked for kind, sender, types and sizes before the worker acts on them. A
// message is a plain object `{ kind, ...fields }`; extra fields are refused so that a typo or a
// forged field never passes silently.

import { CONTRACT } from './contract.js';

/** Every message kind. */
export const Kind = Object.freeze({
  /**
   * content → worker: a page loaded; `{ url, referrer, cookies }` for stand-down (`cookies`: the
   * values of the visit's affiliate cookies only, see `visitCookies`).
   */
  PAGE_OPENED: 'page_opened',
  /**
   * content → worker: a batch of href attributes as the page wrote them, one per line, with the
   * page's base URL and the visit (landing, referrer and affiliate cookies, for stand-down);
   * answered with one rewrite line per href.
   */
  LINKS_FOUND: 'links_found',
  /**
   * content → worker: the shopper followed a link the content script rewrote, `{ href, opens }`
   * (`this_tab` or `new_tab`): a visit of ours is under way, which the Engine must not mistake
   * for someone else's affiliate visit.
   */
  OUR_LINK_FOLLOWED: 'our_link_followed',
  /** extension page → worker: the state of a tab for the popup. */
  GET_TAB_STATE: 'get_tab_state',
  /** extension page → worker: the shopper activated deals on a tab. */
  ACTIVATE_DEALS: 'activate_deals',
  /** extension page → worker: the settings, for the options page. */
  GET_SETTINGS: 'get_settings',
  /** extension page → worker: new settings from the options page. */
  SET_SETTINGS: 'set_settings',
  /** worker → content: decide every link again (the tab's policy or the key changed). */
  RESCAN: 'rescan',
  /** worker → content: report the page's link counts. */
  PAGE_STATE: 'page_state',
  /**
   * content → worker: what the page shows (product, cart, checkout), as raw facts in one JSON
   * string that the Engine reads; sent at load and when the page changes. Answered with the
   * number of coupons that apply.
   */
  PAGE_SEEN: 'page_seen',
  /** extension page → worker: the coupons that apply to a tab, best stack first. */
  GET_TAB_COUPONS: 'get_tab_coupons',
  /** extension page → worker: fill a coupon's code into the checkout page of a tab. */
  FILL_CODE: 'fill_code',
  /** worker → content: put this promo code in the checkout page's promo-code field. */
  FILL_PROMO_CODE: 'fill_promo_code',
  /** worker → content: read the page's facts now; answered with `{ ok, facts }`. */
  GET_PAGE_FACTS: 'get_page_facts',
  /** extension page → worker: the coupon feed's state. */
  GET_FEED: 'get_feed',
  /** extension page → worker: ask the feed server for a newer feed now. */
  REFRESH_FEED: 'refresh_feed',
  /**
   * extension page → worker: Smart Search's products for a request the shopper submitted,
   * `{ query, country, currency, locale }`; answered with the server's checked answer, or null
   * when the shopper turned product results off.
   */
  SEARCH_PRODUCTS: 'search_products',
});

/** Who sent a message, as far as the receiver can tell from the browser's `sender`. */
export const Role = Object.freeze({
  CONTENT: 'content',
  EXTENSION_PAGE: 'extension_page',
  WORKER: 'worker',
});

/** The rewrite modes the settings carry: the Engine's list (their meaning lives there too). */
export const MODES = CONTRACT.rewrite_modes;

/** Size limits on untrusted input. */
export const LIMITS = Object.freeze({
  /** hrefs in one `links_found` batch. */
  MAX_HREFS_PER_BATCH: 1000,
  /** characters in one href; longer ones are not sent at all by the content script. */
  MAX_HREF_LENGTH: 4096,
  /** characters in a page URL or referrer. */
  MAX_URL_LENGTH: 8192,
  /** characters in one of our links: the longest href sent, percent-encoded as its target. */
  MAX_OUR_LINK_LENGTH: 16 * 1024,
  /** characters in an affiliate key as typed (the Engine has the real rule). */
  MAX_KEY_INPUT_LENGTH: 256,
  /** characters of a page's facts as JSON: the most the Engine reads (the content script caps each fact well below). */
  MAX_FACTS_LENGTH: CONTRACT.page_facts.max_length,
  /** characters of a Smart Search request: what the Engine's parser reads. */
  MAX_QUERY_LENGTH: CONTRACT.search_query_max_length,
  /** characters in a coupon id or a promo code: the longest the Engine fills, which takes every code its feed does. */
  MAX_CODE_LENGTH: CONTRACT.promo_code_max_length,
  /** characters of the feed's exchange rates as the Engine writes them (ASCII). */
  MAX_RATES_LENGTH: CONTRACT.feed_rates_max_length,
  /** characters of the visit's affiliate cookies as `visitCookies` writes them. */
  MAX_COOKIES_LENGTH: CONTRACT.visit_cookies.max_length,
});

/** The visit's affiliate cookies: the only names read, and their limits (the Engine's). */
const COOKIES = CONTRACT.visit_cookies;

/**
 * Each `[name, value]` of a `document.cookie` text, both trimmed (none when it is no string):
 * the one reader of the cookie jar, for the settings cookie and the visit's affiliate cookies.
 * @param {unknown} cookieText
 * @returns {Generator<[string, string]>}
 */
export function* cookieEntries(cookieText) {
  if (typeof cookieText !== 'string') return;
  for (const pair of cookieText.split(';')) {
    const at = pair.indexOf('=');
    if (at !== -1) yield [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
  }
}

/**
 * The visit's affiliate cookies out of `document.cookie`, for stand-down: the values of the
 * cookies the Engine names (`CONTRACT.visit_cookies.names`) and of no other, each at most
 * `max_value_length` long (a longer value is left out, never cut), at most `max_values` of a
 * name, as `name=value; name=value`. No other cookie's name or value is ever in what it returns.
 * @param {unknown} cookieText what `document.cookie` reads
 * @returns {string}
 */
export function visitCookies(cookieText) {
  const kept = [];
  const counts = new Map();
  for (const [name, value] of cookieEntries(cookieText)) {
    if (!COOKIES.names.includes(name)) continue;
    const count = (counts.get(name) ?? 0) + 1;
    counts.set(name, count);
    if (count > COOKIES.max_values || value.length > COOKIES.max_value_length) continue;
    kept.push(`${name}=${value}`);
  }
  return kept.join('; ');
}

/**
 * The batch size the content script sends: the limit itself. Each message costs a round trip
 * through the browser process (measured here: about 1 ms to open the channel, 1.5 ms per 1,000
 * hrefs), so fewer, fuller batches finish a page sooner.
 */
export const BATCH_SIZE = LIMITS.MAX_HREFS_PER_BATCH;

// Field checks: each returns an error string, or undefined when the value is acceptable.
const isString = (max) => (value) => {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length > max) return `must be at most ${max} characters (got ${value.length})`;
  return undefined;
};

const isBoolean = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');

const isTabId = (value) =>
  Number.isSafeInteger(value) && value >= 0 ? undefined : 'must be a non-negative integer tab id';

const isOneOf = (allowed) => (value) =>
  allowed.includes(value) ? undefined : `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`;

// One string rather than an array: a thousand strings cost more to clone between processes
// than one, and the Engine takes them joined anyway.
const isHrefLines = (value) => {
  if (typeof value !== 'string') return 'must be a string of lines';
  let lines = 0;
  let start = 0;
  for (;;) {
    const end = value.indexOf('\n', start);
    const length = (end === -1 ? value.length : end) - start;
    lines += 1;
    if (lines > LIMITS.MAX_HREFS_PER_BATCH) {
      return `must hold at most ${LIMITS.MAX_HREFS_PER_BATCH} hrefs per batch`;
    }
    if (length > LIMITS.MAX_HREF_LENGTH) {
      return `line ${lines} must be at most ${LIMITS.MAX_HREF_LENGTH} characters (got ${length})`;
    }
    if (end === -1) return undefined;
    start = end + 1;
  }
};

// What `visitCookies` writes and nothing else: a worker never takes another cookie from a page.
const isVisitCookies = (value) => {
  const error = isString(COOKIES.max_length)(value);
  if (error !== undefined || value === '') return error;
  const counts = new Map();
  for (const pair of value.split('; ')) {
    const at = pair.indexOf('=');
    const name = at === -1 ? pair : pair.slice(0, at);
    if (!COOKIES.names.includes(name)) return `must hold only the cookies ${COOKIES.names.join(', ')}`;
    const count = (counts.get(name) ?? 0) + 1;
    counts.set(name, count);
    if (count > COOKIES.max_values) return `must hold at most ${COOKIES.max_values} values of ${name}`;
    const length = pair.length - at - 1;
    if (at === -1 || pair.includes(';') || length > COOKIES.max_value_length) {
      return `must hold values of at most ${COOKIES.max_value_length} characters`;
    }
  }
  return undefined;
};

const optional = (check) => {
  const wrapped = (value) => (value === undefined ? undefined : check(value));
  wrapped.optional = true;
  return wrapped;
};

/** For each kind: the roles allowed to send it and the checks on its fields. */
const SCHEMAS = Object.freeze({
  [Kind.PAGE_OPENED]: {
    from: [Role.CONTENT],
    fields: {
      url: isString(LIMITS.MAX_URL_LENGTH),
      referrer: isString(LIMITS.MAX_URL_LENGTH),
      cookies: isVisitCookies,
    },
  },
  [Kind.LINKS_FOUND]: {
    from: [Role.CONTENT],
    fields: {
      landing: isString(LIMITS.MAX_URL_LENGTH),
      referrer: isString(LIMITS.MAX_URL_LENGTH),
      cookies: isVisitCookies,
      base: isString(LIMITS.MAX_URL_LENGTH),
      hrefs: isHrefLines,
    },
  },
  [Kind.OUR_LINK_FOLLOWED]: {
    from: [Role.CONTENT],
    fields: { href: isString(LIMITS.MAX_OUR_LINK_LENGTH), opens: isOneOf(['this_tab', 'new_tab']) },
  },
  [Kind.GET_TAB_STATE]: { from: [Role.EXTENSION_PAGE], fields: { tabId: isTabId } },
  [Kind.ACTIVATE_DEALS]: { from: [Role.EXTENSION_PAGE], fields: { tabId: isTabId } },
  [Kind.GET_SETTINGS]: { from: [Role.EXTENSION_PAGE], fields: {} },
  [Kind.SET_SETTINGS]: {
    from: [Role.EXTENSION_PAGE],
    fields: {
      mode: isOneOf(MODES),
      affiliate_key: optional(isString(LIMITS.MAX_KEY_INPUT_LENGTH)),
      new_user: optional(isBoolean),
      search_results: optional(isBoolean),
    },
  },
  [Kind.RESCAN]: { from: [Role.WORKER], fields: {} },
  [Kind.PAGE_STATE]: { from: [Role.WORKER], fields: {} },
  [Kind.PAGE_SEEN]: { from: [Role.CONTENT], fields: { facts: isString(LIMITS.MAX_FACTS_LENGTH) } },
  [Kind.GET_TAB_COUPONS]: { from: [Role.EXTENSION_PAGE], fields: { tabId: isTabId } },
  [Kind.FILL_CODE]: {
    from: [Role.EXTENSION_PAGE],
    fields: { tabId: isTabId, couponId: isString(LIMITS.MAX_CODE_LENGTH) },
  },
  [Kind.FILL_PROMO_CODE]: { from: [Role.WORKER], fields: { code: isString(LIMITS.MAX_CODE_LENGTH) } },
  [Kind.GET_PAGE_FACTS]: { from: [Role.WORKER], fields: {} },
  [Kind.GET_FEED]: { from: [Role.EXTENSION_PAGE], fields: {} },
  [Kind.REFRESH_FEED]: { from: [Role.EXTENSION_PAGE], fields: {} },
  [Kind.SEARCH_PRODUCTS]: {
    from: [Role.EXTENSION_PAGE],
    fields: {
      query: isString(LIMITS.MAX_QUERY_LENGTH),
      country: optional(isString(2)),
      currency: optional(isString(3)),
      locale: isString(35),
    },
  },
});

const ROLE_NAMES = Object.freeze({
  [Role.CONTENT]: 'a content script',
  [Role.EXTENSION_PAGE]: 'an extension page',
  [Role.WORKER]: 'the service worker',
});

/**
 * Checks a received message against the protocol.
 * @param {unknown} message what arrived
 * @param {string|null} role the sender's Role, or null when the sender is not ours at all
 * @returns {{ok: true, message: object} | {ok: false, error: string}}
 */
export function checkMessage(message, role) {
  if (role === null || !Object.values(Role).includes(role)) {
    return refuse('message refused: it does not come from this extension');
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    return refuse('message refused: not an object');
  }
  const { kind } = message;
  if (typeof kind !== 'string' || !Object.hasOwn(SCHEMAS, kind)) {
    return refuse(`message refused: unknown kind ${describe(kind)}`);
  }
  const schema = SCHEMAS[kind];
  if (!schema.from.includes(role)) {
    return refuse(`message refused: '${kind}' is not accepted from ${ROLE_NAMES[role]}`);
  }
  for (const key of Object.keys(message)) {
    if (key !== 'kind' && !Object.hasOwn(schema.fields, key)) {
      return refuse(`message refused: '${kind}' has no field ${describe(key)}`);
    }
  }
  const clean = { kind };
  for (const [name, check] of Object.entries(schema.fields)) {
    const value = message[name];
    if (value === undefined && !check.optional) {
      return refuse(`message refused: '${kind}.${name}' is missing`);
    }
    const error = check(value);
    if (error !== undefined) return refuse(`message refused: '${kind}.${name}' ${error}`);
    if (value !== undefined) clean[name] = value;
  }
  return { ok: true, message: clean };
}

/**
 * Tells who sent a message from the browser's `sender`, which a page cannot forge.
 * Content scripts and extension pages opened in a tab both have `sender.tab`; what tells them
 * apart is the document URL: extension pages live under the extension's own origin.
 * @param {{id?: string, url?: string, tab?: object, frameId?: number}} sender
 * @param {string} extensionId `chrome.runtime.id`
 * @param {string} extensionBase `chrome.runtime.getURL('')`, e.g. `chrome-extension://ID/`
 * @returns {string|null} a Role, or null for anything that is not this extension
 */
export function senderRole(sender, extensionId, extensionBase) {
  if (!sender || sender.id !== extensionId) return null;
  const url = typeof sender.url === 'string' ? sender.url : '';
  if (url.startsWith(extensionBase)) return Role.EXTENSION_PAGE;
  // Only the top frame runs the content script (all_frames is false); anything else is not ours.
  if (sender.tab && Number.isSafeInteger(sender.tab.id) && sender.frameId === 0) {
    return Role.CONTENT;
  }
  return null;
}

// Checks of answers. An answer is `{ ok: true, ...fields }` or `{ ok: false, error }`, `error`
// being a problem (`{code, params}`, shared/problem.js). Answers come from our own worker or
// content script, but a content script lives beside a page we do not control, so every answer is
// read through these checks rather than trusted field by field where it is used.
const isCount = (value) =>
  Number.isSafeInteger(value) && value >= 0 ? undefined : 'must be a non-negative integer';
const isNumber = (value) => (Number.isFinite(value) ? undefined : 'must be a number');
const isObject = (value) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? undefined : 'must be an object';
const nullable = (check) => (value) => (value === null ? undefined : check(value));
const isObjectOf = (fields) => (value) => {
  const error = isObject(value);
  if (error !== undefined) return error;
  for (const [name, check] of Object.entries(fields)) {
    const fieldError = check(value[name]);
    if (fieldError !== undefined) return `'${name}' ${fieldError}`;
  }
  return undefined;
};
const isList = (value) => (Array.isArray(value) ? undefined : 'must be a list');
const isProblem = isObjectOf({ code: isString(64), params: isList });

/** The link counts a `links_found` answer and a `page_state` answer carry. */
const COUNTS = {
  found: isCount,
  aliexpress: isCount,
  products: isCount,
  attributed: isCount,
  rewritten: isCount,
  held_back: nullable(isString(32)),
};

const TAB_STATE = {
  tabId: isTabId,
  aliexpress: isBoolean,
  host: isString(LIMITS.MAX_URL_LENGTH),
  mode: isOneOf(MODES),
  activated: isBoolean,
  stood_down: nullable(isString(64)),
  held_back: nullable(isString(32)),
  note: nullable(isString(64)),
  can_activate: isBoolean,
  page: nullable(isObjectOf({ ...COUNTS, idle: isBoolean })),
};

const SETTINGS = {
  mode: isOneOf(MODES),
  affiliate_key: isString(LIMITS.MAX_KEY_INPUT_LENGTH),
  default_affiliate_key: isString(LIMITS.MAX_KEY_INPUT_LENGTH),
  new_user: isBoolean,
  search_results: isBoolean,
};

const FEED = isObjectOf({
  coupons: isCount,
  invalid: isCount,
  generated_at: isNumber,
  checked_at: isNumber,
  source: nullable(isOneOf(['server', 'demo'])),
  // Markets (`US-USD`): the feed in use's, and the shopper's when the server has none for it.
  market: nullable(isString(16)),
  unserved: nullable(isString(16)),
  // The feed's exchange rates as the Engine wrote them (its JSON; the Engine reads it back).
  rates: isString(LIMITS.MAX_RATES_LENGTH),
  last_error: nullable(isProblem),
});

/** For each kind: the fields of its successful answer, each checked. */
const ANSWERS = Object.freeze({
  [Kind.PAGE_OPENED]: { stood_down: nullable(isString(64)), read_facts: isBoolean },
  [Kind.LINKS_FOUND]: { rewrites: isString(Number.MAX_SAFE_INTEGER), ...COUNTS },
  [Kind.OUR_LINK_FOLLOWED]: { ours: isBoolean },
  [Kind.GET_TAB_STATE]: TAB_STATE,
  [Kind.ACTIVATE_DEALS]: TAB_STATE,
  [Kind.GET_SETTINGS]: SETTINGS,
  [Kind.SET_SETTINGS]: SETTINGS,
  [Kind.RESCAN]: {},
  [Kind.PAGE_STATE]: { ...COUNTS, idle: isBoolean },
  [Kind.PAGE_SEEN]: { coupons: isCount, watch: isBoolean },
  [Kind.GET_TAB_COUPONS]: {
    tabId: isTabId,
    aliexpress: isBoolean,
    // The Engine's report, written by its one JSON writer: its shape is the Engine's.
    report: nullable(isObjectOf({ coupons: isList, notes: isList, fillable: isList, best: isObject })),
    feed: FEED,
  },
  [Kind.FILL_CODE]: { filled: isBoolean, code: isString(LIMITS.MAX_CODE_LENGTH) },
  [Kind.FILL_PROMO_CODE]: { filled: isBoolean },
  [Kind.GET_PAGE_FACTS]: { facts: isString(LIMITS.MAX_FACTS_LENGTH) },
  [Kind.GET_FEED]: { feed: FEED },
  [Kind.REFRESH_FEED]: { feed: FEED },
  // The server's answer, which the Engine checked in the worker (or null: results are off).
  [Kind.SEARCH_PRODUCTS]: { answer: nullable(isObjectOf({ products: isList })) },
});

/**
 * Checks an answer to a message of `kind`: `{ok: true, ...fields}` with every field of its kind
 * well formed (extra fields are allowed, and dropped), or `{ok: false, error: problem}` (a
 * refusal the other side gave, or `reply_malformed` for an answer that is neither, such as none).
 * @returns {{ok: true} & object | {ok: false, error: {code: string, params: string[]}, field?: string}}
 */
export function checkAnswer(kind, reply) {
  if (reply !== null && typeof reply === 'object' && reply.ok === false) {
    const error = isProblem(reply.error) === undefined ? reply.error : { code: 'unexpected', params: [] };
    const refused = { ok: false, error };
    if (typeof reply.field === 'string') refused.field = reply.field;
    return refused;
  }
  if (reply === null || typeof reply !== 'object' || reply.ok !== true || !Object.hasOwn(ANSWERS, kind)) {
    return malformed(kind, 'no answer');
  }
  const clean = { ok: true };
  for (const [name, check] of Object.entries(ANSWERS[kind])) {
    const error = check(reply[name]);
    if (error !== undefined) return malformed(kind, `'${name}' ${error}`);
    clean[name] = reply[name];
  }
  return clean;
}

function malformed(kind, detail) {
  return { ok: false, error: { code: 'reply_malformed', params: [`${kind}: ${detail}`] } };
}

/** Builders for every message, so senders never spell a kind themselves. */
export const message = Object.freeze({
  /** `cookies` as `visitCookies` writes them ('' for none). */
  pageOpened: (url, referrer, cookies = '') => ({ kind: Kind.PAGE_OPENED, url, referrer, cookies }),
  /**
   * `visit` is `{landing, referrer, cookies}` (`cookies` as `visitCookies` writes them, '' when
   * left out); `hrefs` an array of href attributes (not empty).
   */
  linksFound: (visit, base, hrefs) => ({
    kind: Kind.LINKS_FOUND,
    landing: visit.landing,
    referrer: visit.referrer,
    cookies: visit.cookies ?? '',
    base,
    hrefs: hrefs.map(oneLine).join('\n'),
  }),
  /** `opens` is 'this_tab' or 'new_tab'. */
  ourLinkFollowed: (href, opens) => ({ kind: Kind.OUR_LINK_FOLLOWED, href, opens }),
  getTabState: (tabId) => ({ kind: Kind.GET_TAB_STATE, tabId }),
  activateDeals: (tabId) => ({ kind: Kind.ACTIVATE_DEALS, tabId }),
  getSettings: () => ({ kind: Kind.GET_SETTINGS }),
  /** The mode, and any of `affiliate_key`, `new_user`, `search_results` to change (the others stay). */
  setSettings: (mode, changes = {}) => {
    const msg = { kind: Kind.SET_SETTINGS, mode };
    for (const name of ['affiliate_key', 'new_user', 'search_results']) {
      if (changes[name] !== undefined) msg[name] = changes[name];
    }
    return msg;
  },
  rescan: () => ({ kind: Kind.RESCAN }),
  pageState: () => ({ kind: Kind.PAGE_STATE }),
  /** `facts` is the object the content script collected; it crosses as one JSON string. */
  pageSeen: (facts) => ({ kind: Kind.PAGE_SEEN, facts: JSON.stringify(facts) }),
  getTabCoupons: (tabId) => ({ kind: Kind.GET_TAB_COUPONS, tabId }),
  fillCode: (tabId, couponId) => ({ kind: Kind.FILL_CODE, tabId, couponId }),
  fillPromoCode: (code) => ({ kind: Kind.FILL_PROMO_CODE, code }),
  getPageFacts: () => ({ kind: Kind.GET_PAGE_FACTS }),
  getFeed: () => ({ kind: Kind.GET_FEED }),
  refreshFeed: () => ({ kind: Kind.REFRESH_FEED }),
  /** `country` and `currency` are left out when the popup does not know them. */
  searchProducts: (query, { country, currency, locale }) => {
    const msg = { kind: Kind.SEARCH_PRODUCTS, query, locale };
    if (country) msg.country = country;
    if (currency) msg.currency = currency;
    return msg;
  },
});

// One line must be one link: the batch is split on '\n'. Browsers strip tabs and newlines from
// URLs anyway (WHATWG), so dropping them changes nothing a link points to.
function oneLine(href) {
  return href.includes('\n') || href.includes('\r')
    ? href.replaceAll('\n', '').replaceAll('\r', '')
    : href;
}

/**
 * Checks the worker's answer to `links_found`: one rewrite line per href sent.
 * @returns {string[]|null} the lines, or null when the answer is malformed
 */
export function rewriteLines(reply, sentCount) {
  if (!reply || reply.ok !== true || typeof reply.rewrites !== 'string') return null;
  const lines = sentCount === 0 ? [] : reply.rewrites.split('\n');
  return lines.length === sentCount ? lines : null;
}

function refuse(error) {
  return { ok: false, error };
}

function describe(value) {
  if (typeof value === 'string') return `'${value.slice(0, 40)}'`;
  return typeof value;
}
