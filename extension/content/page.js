// Reads what an AliExpress page shows about the product, cart or checkout in front of the shopper, as raw strings for the worker's Engine to interpret.
//
// Nothing here decides anything: which string is a price, which link is a product or a store,
// what a cookie says, all of that is the Engine's (`crates/core/src/page`). This module only
// finds strings, in several places each because AliExpress's layouts differ and change, and
// bounds them: the page is untrusted, so every string and list has a cap, and a string over
// its cap is dropped rather than cut (a cut URL or price would mean something else). It reads
// only small nodes with `textContent`, never `innerText` (which forces a layout), and never
// throws: a source that fails is simply missing.
//
// The facts' format (every field, its cap, the version) is the Engine's, described in
// crates/core/src/page/facts.rs and handed over at build time as CONTRACT.page_facts; this
// module says where on the page each fact is found. Hrefs are the page's own: for a link the
// extension rewrote, the href the page had written (the link work remembers it), so that a
// shopper who accepted our links is told exactly the coupons of one who did not.

import { CONTRACT } from '../shared/contract.js';
import { cookieEntries } from '../shared/protocol.js';
import { findPromoCodeInput, findPromoCodeOpener } from './checkout.js';
import { pageModel } from './model.js';

/** The facts format; the Engine refuses any other. */
export const FACTS_VERSION = CONTRACT.page_facts.version;

/** The Engine's cap on each fact (strings in UTF-16 units, lists in entries), by name. */
export const FACT_LIMITS = CONTRACT.page_facts.limits;

const L = FACT_LIMITS;

// How much of the page the collector looks through: bounds on its own work, which no fact
// depends on (so they are not part of the format).
const WORK = Object.freeze({
  // Inline scripts looked through for runParams, and the longest read (real ones are ~100 KB).
  SCRIPTS: 40,
  SCRIPT_TEXT: 4_000_000,
  // Elements looked at per group of selectors (a line selector can match a store group too).
  CANDIDATES: 400,
});

// The settings cookie: ship-to country (`region`) and currency (`c_tp`). No other cookie is read.
const SETTINGS_COOKIE = 'aep_usuc_f';

// Meta tags worth sending, by `property`, `name` or `itemprop`.
const META_PREFIXES = ['og:', 'product:'];
const META_NAMES = new Set(['price', 'pricecurrency', 'productid']);

// The keys of `window.runParams` data sent on (the content script cannot read the page's
// variables, only its script text).
const SCRIPT_KEYS = CONTRACT.page_facts.script_keys;

// The header's ship-to switcher: today's hashed class, then the older header's id.
const SHIP_TO_SELECTORS = ['[class*="ship-to--menuItem"]', '#switcher-info', '[data-role="ship-to"]'];
const FLAG_SELECTORS = ['[class*="country-flag"]', '.css_flag', '[class*="flag"]'];

// A product page's current price, newest layout first (the hashed `price--currentPriceText`,
// the older `product-price-current`, aliexpress.ru's `SnowPrice`), then broader containers.
const PRICE_SELECTORS = [
  '[data-pl="product-price"] [class*="price--currentPriceText"]',
  '[class*="price--currentPriceText"]',
  '[class*="price-default--current"]',
  '.product-price-current .product-price-value',
  '.product-price-current',
  '[class*="SnowPrice_SnowPrice__mainM"]',
  '[class*="snow-price_SnowPrice__mainS"]',
  '[data-pl="product-price"]',
  '[itemprop="price"]',
];

// Where a product page shows the seller's store link: the link itself or a box holding it. The
// last, broadest one skips store product links, which recommendations of other stores use.
// (Boxes rather than `box a` selectors: a selector ending in `a` walks up from every link of a
// page with thousands, several milliseconds each.) Selectors on an href see the page's own:
// the extension rewrites product links only, never store links.
const STORE_LINK_SELECTORS = [
  'a[data-pl="store-name"]',
  '[class*="store-header--storeName"]',
  '[class*="store-detail--storeName"]',
  // The 2025-26 page's store box, whose `/store/<id>` link is the store (public scrapers' notes).
  '[class*="store-detail--wrap"]',
  '.shop-name',
  '.store-name',
  '[class*="store-info"]',
  'a[href*="/store/"]:not([href*="/store/product/"])',
];

// The breadcrumb's box; its links are read.
const BREADCRUMB_SELECTORS = ['[class*="breadcrumb"]', 'nav[aria-label*="breadcrumb" i]', '[itemtype*="BreadcrumbList"]'];

const QUANTITY_SELECTORS = [
  '[class*="quantity--picker"] input',
  '.product-number-picker input',
  'input.comet-v2-input-number-input',
  'input[name="quantity"]',
];

// One cart or order line, the first selector with any match winning: today's cart names each
// line `div.cart-product` (inside a `cart-product-wrap...` block, the older cart's line); order
// pages name theirs differently.
const ITEM_SELECTORS = [
  'div.cart-product',
  '[class*="cart-product-wrap"]',
  '[class*="cart-item"]',
  '[class*="order-item"]',
  '[class*="product-item"]',
];
// The checkout's item block (one a store), whose lines carry hashed classes only; and how many of
// a block's links are looked at.
const ITEM_BLOCKS = '.pl-block-container';
const BLOCK = Object.freeze({ LINKS: 200, PRODUCT_LINKS: 40 });
// A line's store is named by the store link nearest before it: in a group's header, whatever
// the group's class (the cart's rotate), or in a flat list where headers and lines are siblings.
const GROUP_STORE_LINK = 'a[href*="/store/"]:not([href*="/store/product/"])';
// How far up from a line its store's header is looked for, and how many store links a level may
// hold before it is the whole page rather than a group.
const STORE_LOOKUP = Object.freeze({ LEVELS: 8, LINKS: 200 });
// The line's unit price: the cart's `-s` (sale) price, then older and other pages' classes.
const ITEM_PRICE_SELECTORS = [
  '.cart-product-price-s',
  '[class*="price-current"]',
  '[class*="price--current"]',
  '[class*="product-price"]',
  '[class*="price"]',
];
// A line's shipping fee is printed beside its price (`Shipping: US $1.99`); it is no part of the
// item's price and is never read as one.
const SHIPPING_BOXES = '[class*="shipping" i], [class*="freight" i], [class*="delivery" i]';
// How many matches of one price selector are looked through for one outside a shipping box.
const PRICE_CANDIDATES = 8;
// What a cart or checkout shows while its lines load (the comet kit's spinner box).
const LOADING_SELECTORS = '.comet-v2-loading-wrap, .comet-loading-wrap';
const ITEM_QUANTITY_INPUTS = [
  'input.comet-v2-input-number-input',
  'input[class*="number-input"]',
  'input[type="number"]',
  '[class*="quantity"] input',
];
const ITEM_QUANTITY_TEXTS = ['[class*="quantity"]', '[class*="product-num"]', '[class*="qty"]'];

/** `value` if it is a string of at most `max` units, else ''. */
function capped(value, max) {
  return typeof value === 'string' && value.length <= max ? value : '';
}

/** The text of a small node, with runs of white space as one space; '' if over `max`. */
function smallText(node, max) {
  const text = node && typeof node.textContent === 'string' ? node.textContent : '';
  // A node whose raw text is far over the cap is a container, not the value: skip the work.
  if (text.length > max * 8) return '';
  return capped(text.replace(/\s+/g, ' ').trim(), max);
}

function attr(node, name, max) {
  return capped(node && node.getAttribute ? node.getAttribute(name) || '' : '', max);
}

/** A link's href attribute as the page wrote it. */
function attributeHref(link) {
  return link.getAttribute('href');
}

/** The page's own href of a link (see `collectPageFacts`), '' if none or over its cap. */
function hrefOf(link, pageHref) {
  if (!link || !link.getAttribute) return '';
  const href = safe(() => pageHref(link), null);
  return capped(typeof href === 'string' ? href : '', L.HREF);
}

/** `fn()`, or `fallback` if it throws: one failing source never loses the others. */
function safe(fn, fallback) {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

function all(root, selector) {
  return safe(() => Array.from(root.querySelectorAll(selector)), []);
}

function first(root, selector) {
  return safe(() => root.querySelector(selector), null);
}

/**
 * For each selector, the elements it matches in document order, from one scan of the document:
 * on a large page a scan costs about half a millisecond, so one per selector would add up.
 */
function bySelector(root, selectors) {
  const found = all(root, selectors.join(', ')).slice(0, WORK.CANDIDATES);
  return selectors.map((selector) => found.filter((el) => safe(() => el.matches(selector), false)));
}

/** Distinct non-empty strings, at most `count`. */
function pushDistinct(list, value, count) {
  if (value !== '' && list.length < count && !list.includes(value)) list.push(value);
}

function readJsonLd(doc) {
  const blocks = [];
  for (const script of all(doc, 'script[type="application/ld+json"]')) {
    if (blocks.length >= L.JSON_LD_BLOCKS) break;
    const text = capped(script.textContent, L.JSON_LD).trim();
    if (text !== '') blocks.push(text);
  }
  return blocks;
}

function readMeta(doc) {
  const pairs = [];
  const nodes = [
    ...safe(() => Array.from(doc.getElementsByTagName('meta')), []),
    // Microdata can sit on any element of the body.
    ...all(doc, '[itemprop="price"][content]:not(meta), [itemprop="priceCurrency"][content]:not(meta)'),
  ];
  for (const node of nodes) {
    if (pairs.length >= L.META_PAIRS) break;
    const name =
      attr(node, 'property', L.META_NAME) || attr(node, 'name', L.META_NAME) || attr(node, 'itemprop', L.META_NAME);
    const lower = name.toLowerCase();
    if (!META_PREFIXES.some((p) => lower.startsWith(p)) && !META_NAMES.has(lower)) continue;
    const content = attr(node, 'content', L.META_CONTENT);
    if (content !== '') pairs.push([name, content]);
  }
  return pairs;
}

function readCookie(doc) {
  for (const [name, value] of cookieEntries(safe(() => doc.cookie, ''))) {
    if (name === SETTINGS_COOKIE) return capped(value, L.COOKIE);
  }
  return '';
}

function readShipTo(doc) {
  for (const [node] of bySelector(doc, SHIP_TO_SELECTORS)) {
    if (!node) continue;
    const raw = typeof node.textContent === 'string' ? node.textContent : '';
    // Free text, so cut rather than dropped: a cut switcher text still names its currency.
    const text = raw.slice(0, L.HEADER_TEXT * 4).replace(/\s+/g, ' ').trim().slice(0, L.HEADER_TEXT);
    let flag = '';
    for (const flagSelector of FLAG_SELECTORS) {
      flag = attr(first(node, flagSelector), 'class', L.HEADER_TEXT);
      if (flag !== '') break;
    }
    return { text, flag };
  }
  return { text: '', flag: '' };
}

function readScript(doc) {
  const found = {};
  let looked = 0;
  for (const script of all(doc, 'script:not([src])')) {
    if (looked >= WORK.SCRIPTS || Object.keys(found).length === SCRIPT_KEYS.length) break;
    const type = (script.getAttribute('type') || '').toLowerCase();
    if (type !== '' && type !== 'text/javascript' && type !== 'module') continue;
    const text = script.textContent;
    if (typeof text !== 'string' || text.length > WORK.SCRIPT_TEXT || !text.includes('runParams')) continue;
    looked += 1;
    for (const key of SCRIPT_KEYS) {
      if (key in found) continue;
      // `"storeNum": 1102928353` in today's data, `runParams.productId="..."` in older pages;
      // the separator is part of the match, so a script merely naming the key is passed over.
      let at = text.indexOf(`"${key}":`);
      let skip = key.length + 2;
      if (at === -1) {
        at = text.indexOf(`.${key}=`);
        skip = key.length + 1;
      }
      if (at !== -1) found[key] = text.slice(at + skip, at + skip + L.SCRIPT_VALUE);
    }
  }
  return found;
}

/** The `a` element a selector found, or the store link (else the first link) inside it. */
function linkOf(node) {
  if (!node) return null;
  if (node.tagName === 'A') return node;
  return first(node, 'a[href*="/store/"]') || first(node, 'a[href]');
}

function readProduct(doc, pageHref) {
  const prices = [];
  for (const [node] of bySelector(doc, PRICE_SELECTORS)) {
    pushDistinct(prices, smallText(node, L.PRICE_TEXT), L.PRICES);
  }
  const storeLinks = [];
  for (const [node] of bySelector(doc, STORE_LINK_SELECTORS)) {
    pushDistinct(storeLinks, hrefOf(linkOf(node), pageHref), L.STORE_LINKS);
  }
  const categoryLinks = [];
  for (const [box] of bySelector(doc, BREADCRUMB_SELECTORS)) {
    if (!box) continue;
    for (const a of all(box, 'a[href]')) pushDistinct(categoryLinks, hrefOf(a, pageHref), L.CATEGORY_LINKS);
    if (categoryLinks.length > 0) break;
  }
  let quantity = '';
  for (const [input] of bySelector(doc, QUANTITY_SELECTORS)) {
    if (input && typeof input.value === 'string') {
      quantity = capped(input.value.trim(), L.QUANTITY);
      if (quantity !== '') break;
    }
  }
  return { prices, store_links: storeLinks, category_links: categoryLinks, quantity };
}

/**
 * The line elements: for the first selector with matches, those holding a link, innermost only.
 * A store group can match a line selector too, and so can a line's own title or price
 * (`order-item-title`): a line is the smallest match that holds a link below it. Without any
 * match, the lines of the checkout's item blocks (see `blockLines`).
 */
function lineElements(doc, pageHref) {
  for (const matched of bySelector(doc, ITEM_SELECTORS)) {
    const found = matched.filter((el) => first(el, 'a[href]') !== null);
    if (found.length === 0) continue;
    return found.filter((el) => !found.some((other) => other !== el && el.contains(other)));
  }
  const lines = [];
  for (const block of all(doc, ITEM_BLOCKS).slice(0, L.ITEMS)) {
    // One more than is read, for the collector to say the page had more.
    if (lines.length > L.ITEMS) break;
    for (const line of blockLines(block, pageHref)) if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

/**
 * The lines of one item block, whatever their (hashed) classes: for each product link, the
 * largest part of the block around it that links to that product alone.
 */
function blockLines(block, pageHref) {
  const products = [];
  for (const link of all(block, 'a[href]').slice(0, BLOCK.LINKS)) {
    const href = hrefOf(link, pageHref);
    if (href.includes('/item/') && products.length < BLOCK.PRODUCT_LINKS) products.push([link, href]);
  }
  const lines = [];
  for (const [link, href] of products) {
    let line = link;
    while (line.parentElement && line.parentElement !== block) {
      const parent = line.parentElement;
      if (products.some(([other, otherHref]) => otherHref !== href && parent.contains(other))) break;
      line = parent;
    }
    if (line !== link && !lines.includes(line)) lines.push(line);
  }
  return lines;
}

function readSelected(line) {
  // Today's cart: the comet tick box says `comet-v2-checkbox-checked` on its label when ticked.
  const comet = first(line, 'label.comet-v2-checkbox');
  if (comet) return safe(() => comet.classList.contains('comet-v2-checkbox-checked'), null);
  const box = first(line, 'input[type="checkbox"]');
  if (box) return box.checked === true;
  const ticked = first(line, '[aria-checked]');
  if (ticked) return ticked.getAttribute('aria-checked') === 'true';
  if (first(line, '[class*="checkbox-checked"]')) return true;
  if (first(line, '[class*="checkbox"]')) return false;
  return null;
}

/**
 * The link of the line's store: of the nearest ancestor holding store links, the last one before
 * the line in document order (its group's header, nested or not), or one inside the line.
 * `linksIn` keeps each ancestor's store links, for the lines that share it.
 */
function storeLinkOf(line, linksIn) {
  let box = line.parentElement;
  for (let level = 0; box && level < STORE_LOOKUP.LEVELS; level += 1, box = box.parentElement) {
    // Lines share their ancestors: each one's links are looked up once (see readItems).
    let links = linksIn.get(box);
    if (links === undefined) {
      links = all(box, GROUP_STORE_LINK);
      linksIn.set(box, links);
    }
    if (links.length === 0) continue;
    if (links.length > STORE_LOOKUP.LINKS) return null;
    let before = null;
    for (const link of links) {
      const where = safe(() => line.compareDocumentPosition(link), 0);
      // A link preceding the line, or inside it; the first after it ends the search.
      if (where & Node.DOCUMENT_POSITION_PRECEDING || where & Node.DOCUMENT_POSITION_CONTAINED_BY) before = link;
      else break;
    }
    return before;
  }
  return null;
}

/** The line's price text: the first selector's first match outside a shipping box. */
function linePrice(line) {
  for (const selector of ITEM_PRICE_SELECTORS) {
    for (const node of all(line, selector).slice(0, PRICE_CANDIDATES)) {
      const box = safe(() => node.closest(SHIPPING_BOXES), null);
      // Only a shipping box inside the line counts: the whole order may sit in a `delivery` one.
      if (box !== null && box !== line && line.contains(box)) continue;
      const text = smallText(node, L.PRICE_TEXT);
      if (text !== '') return text;
    }
  }
  return '';
}

function readLine(line, pageHref, linksIn) {
  const links = [];
  for (const a of all(line, 'a[href]')) {
    if (links.length >= L.ITEM_LINKS) break;
    pushDistinct(links, hrefOf(a, pageHref), L.ITEM_LINKS);
  }
  const storeLink = hrefOf(safe(() => storeLinkOf(line, linksIn), null), pageHref);
  const price = linePrice(line);
  let quantity = '';
  for (const selector of ITEM_QUANTITY_INPUTS) {
    const input = first(line, selector);
    if (input && typeof input.value === 'string') {
      quantity = capped(input.value.trim(), L.QUANTITY);
      if (quantity !== '') break;
    }
  }
  for (const selector of ITEM_QUANTITY_TEXTS) {
    if (quantity !== '') break;
    quantity = smallText(first(line, selector), L.QUANTITY);
  }
  return { links, store_link: storeLink, price, quantity, selected: readSelected(line) };
}

/** The lines, up to the cap, and whether the page had more. */
function readItems(doc, pageHref) {
  const items = [];
  const lines = lineElements(doc, pageHref);
  const linksIn = new Map();
  let cut = false;
  for (const line of lines) {
    if (items.length >= L.ITEMS) {
      cut = true;
      break;
    }
    const item = safe(() => readLine(line, pageHref, linksIn), null);
    if (item) items.push(item);
  }
  return { items, cut };
}

/**
 * The raw facts of the page, in the Engine's format (see the top of this module); never throws.
 * @param {Document} doc
 * @param {Location|URL|{href: string}} loc
 * @param {(link: Element) => string|null} pageHref a link's own href as the page wrote it: the
 *   link work's, which knows the page's href of each link it rewrote; without one, the attribute
 * @param {string} model the page model's copy from the main world (see model.js), or ''
 * @returns {object} a plain JSON-able object
 */
export function collectPageFacts(doc = document, loc = location, pageHref = attributeHref, model = pageModel()) {
  const facts = {
    version: FACTS_VERSION,
    url: capped(safe(() => String(loc.href), ''), L.URL),
    base: capped(safe(() => String(doc.baseURI), ''), L.URL),
    json_ld: [],
    meta: [],
    cookie: '',
    ship_to: { text: '', flag: '' },
    script: {},
    product: { prices: [], store_links: [], category_links: [], quantity: '' },
    items: [],
    items_cut: false,
    loading: false,
    promo_code_input: false,
  };
  facts.json_ld = safe(() => readJsonLd(doc), []);
  facts.meta = safe(() => readMeta(doc), []);
  facts.cookie = safe(() => readCookie(doc), '');
  facts.ship_to = safe(() => readShipTo(doc), facts.ship_to);
  facts.script = safe(() => readScript(doc), {});
  facts.product = safe(() => readProduct(doc, pageHref), facts.product);
  const { items, cut } = safe(() => readItems(doc, pageHref), { items: [], cut: false });
  facts.items = items;
  facts.items_cut = cut;
  facts.loading = safe(() => first(doc, LOADING_SELECTORS) !== null, false);
  facts.promo_code_input = safe(() => findPromoCodeInput(doc) !== null || findPromoCodeOpener(doc) !== null, false);
  // The main-world reader's copy, as it came (model.js): only when one arrived.
  if (typeof model === 'string' && model !== '' && model.length <= L.MODEL) facts.model = model;
  return facts;
}
