// Smart Search in the popup: what the shopper types is understood on the device (the Engine's parser, in this page's own WASM), shown as removable chips that say whether the AliExpress search applies each filter; Enter shows the products our server finds for it (unless the shopper turned that off) or opens that search in a new tab.
//
// While the shopper types, nothing leaves the device: the chips come from this page's WASM.
// Only a request the shopper submits goes to our server (through the worker, with the country,
// currency and language products should be in), and only while product results are on; with
// them off, or when the server cannot help, the AliExpress search opens instead. The parser, the URL
// and which filters the URL carries are the Engine's (`parse_search`'s answer); this module
// words and lays out that answer and remembers which chips the shopper removed (the Engine
// leaves those filters out).

import init, { parse_search } from '../wasm/shopper_wasm.js';
import { t } from '../shared/i18n.js';
import { ask } from '../shared/client.js';
import { wordProblem } from '../shared/problem.js';
import { LIMITS, message } from '../shared/protocol.js';
import { money } from './coupons.js';
import { clearResults, setUpResults, showResults } from './results.js';

/** A pause in typing before the chips update. */
const TYPING_PAUSE_MS = 150;

const SORT_TEXT = {
  price_asc: 'sortPriceAsc',
  price_desc: 'sortPriceDesc',
  orders: 'sortOrders',
  newest: 'sortNewest',
};

/** What the shopper is told of a filter the URL carries differently from how it was typed, or not at all. */
const NOTE_TEXT = {
  converted: 'searchNoteConverted',
  shopper_currency: 'searchNoteShopperCurrency',
  other_currency: 'searchNoteOtherCurrency',
  not_in_search: 'searchNoteRating',
};

const $ = (id) => document.getElementById(id);

function lang() {
  return chrome.i18n.getUILanguage() || undefined;
}

let engineReady = null;
function engine() {
  engineReady ??= init({ module_or_path: chrome.runtime.getURL('wasm/shopper_wasm_bg.wasm') });
  return engineReady;
}

/** A price in major units as the shopper's language writes it, in `currency` when known. */
function price(amount, currency) {
  if (currency) return money(String(amount), currency);
  return new Intl.NumberFormat(lang()).format(amount);
}

/** "20 to 40", "up to 30", "from 20": a price range worded, each amount in `currency`. */
function range(min, max, currency) {
  if (min !== null && max !== null) return t('chipPriceBetween', [price(min, currency), price(max, currency)]);
  if (max !== null) return t('chipPriceUnder', [price(max, currency)]);
  return t('chipPriceOver', [price(min, currency)]);
}

/** What a chip says a filter is: the words for what was understood. */
function filterText(answer, filter) {
  switch (filter) {
    case 'price': {
      // As the shopper typed it; a price without a currency is in the site's, when known.
      const currency = answer.currency ?? answer.url_price?.currency ?? null;
      return range(answer.min_price, answer.max_price, currency);
    }
    case 'rating':
      return t('chipRating', [new Intl.NumberFormat(lang()).format(answer.min_rating)]);
    case 'free_shipping':
      return t('chipFreeShipping');
    case 'ship_from':
      return t('chipShipFrom', [countryName(answer.ship_from)]);
    case 'sort':
      return t(SORT_TEXT[answer.sort] ?? 'sortOther');
    default:
      return filter;
  }
}

/** The short note a chip carries when the search does not apply it as typed, or ''. */
function chipNote(answer, { in_url: inUrl, note }) {
  if (!inUrl) return t('chipNotApplied');
  if (note === 'converted' && answer.url_price) {
    const { min, max, currency } = answer.url_price;
    const amounts = [min, max].filter((n) => n !== null).map((n) => price(n, currency));
    return t('chipConverted', [amounts.join('–')]);
  }
  if (note === 'shopper_currency') return t('chipInShopperCurrency');
  return '';
}

/** The sentence under the chips that explains a chip's note, or ''. */
function explanation(answer, { note }) {
  const name = NOTE_TEXT[note];
  if (!name) return '';
  // The shopper's own currency for a price read in it; the site's for the others.
  const currency = note === 'shopper_currency' ? answer.currency : answer.site_currency;
  return t(name, [currency ?? '']);
}

function countryName(code) {
  try {
    return new Intl.DisplayNames([lang() ?? 'en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Wires the search form. `site()` says what the popup knows of the shopper's AliExpress: its
 * host when the tab is on one (the search opens there), and the currency it shows prices in when
 * the page said (the coupon report's), so that the Engine never sends a price in the wrong
 * currency. Returns `siteChanged()`, to call when either becomes known.
 * @param {() => {host: string, currency: string}} site
 */
export function setUpSearch(site) {
  const form = $('search-form');
  const input = $('search-input');
  const chipRow = $('search-chips');
  const note = $('search-note');
  input.maxLength = LIMITS.MAX_QUERY_LENGTH;
  setUpResults();
  /** Filters the shopper removed for the current text. */
  let dropped = new Set();
  let lastText = '';
  let answer = null;
  let timer = null;

  async function understand() {
    const text = input.value;
    if (text !== lastText) {
      // A new query: its filters are new too.
      dropped = new Set();
      lastText = text;
    }
    if (text.trim() === '') {
      answer = null;
      chipRow.replaceChildren();
      note.textContent = '';
      return;
    }
    await engine();
    const { host, currency, rates } = site();
    answer = JSON.parse(parse_search(text, host, currency, [...dropped].join(','), rates));
    showChips();
  }

  function showChips() {
    const chips = answer.filters.map((state) => {
      const text = filterText(answer, state.filter);
      const extra = chipNote(answer, state);
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = state.in_url ? 'chip' : 'chip not-applied';
      chip.dataset.filter = state.filter;
      chip.dataset.applied = String(state.in_url);
      chip.append(text);
      if (extra) {
        const small = document.createElement('span');
        small.className = 'chip-note';
        small.textContent = ` · ${extra}`;
        chip.append(small);
      }
      chip.setAttribute('aria-label', t('chipRemove', [extra ? `${text} · ${extra}` : text]));
      chip.addEventListener('click', async () => {
        dropped.add(state.filter);
        await understand();
        // The chip is gone: keep the keyboard in the box rather than lose focus to the page.
        (chipRow.querySelector('.chip') ?? input).focus();
      });
      return chip;
    });
    chipRow.replaceChildren(...chips);
    note.textContent = answer.filters.map((state) => explanation(answer, state)).filter(Boolean).join(' ');
  }

  input.addEventListener('input', () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      understand().catch(() => {});
    }, TYPING_PAUSE_MS);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (timer !== null) clearTimeout(timer);
    await understand();
    if (!answer || answer.keywords === '') {
      $('search-status').textContent = t('searchEmpty');
      return;
    }
    const searched = answer;
    const status = $('search-status');
    status.textContent = t('searchFinding');
    clearResults();
    const reply = await ask(
      message.searchProducts(input.value, { currency: site().currency, locale: chrome.i18n.getUILanguage() }),
    );
    if (reply.ok && reply.answer === null) {
      // Product results are off: the search opens, as a link the shopper follows.
      status.textContent = '';
      await chrome.tabs.create({ url: searched.url });
      return;
    }
    const shown = reply.ok ? showResults(reply.answer) : 0;
    if (shown > 0) {
      status.textContent = t('searchFound', [String(shown)]);
      return;
    }
    // Nothing to show: the AliExpress search opens behind the popup, which says why.
    status.textContent = reply.ok ? t('searchNoProducts') : t('searchProductsFailed', [wordProblem(reply.error)]);
    await chrome.tabs.create({ url: searched.url, active: false });
  });

  return {
    siteChanged() {
      if (answer !== null) understand().catch(() => {});
    },
  };
}
