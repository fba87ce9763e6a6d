// Smart Search in the popup: what the shopper types is understood on the device (the Engine's parser, in this page's own WASM), shown as removable chips, and Enter opens the AliExpress search in a new tab.
//
// Nothing typed here leaves the device: the query is parsed in WASM in this page and only the
// resulting AliExpress search URL is opened, as a link the shopper follows. The parser and the
// URL are the Engine's; this module shows what it understood and remembers which chips the
// shopper removed (the Engine leaves those filters out).

import init, { parse_search } from '../wasm/shopper_wasm.js';
import { t } from '../shared/i18n.js';
import { money } from './coupons.js';

/** A pause in typing before the chips update. */
const TYPING_PAUSE_MS = 150;

const SORT_TEXT = {
  price_asc: 'sortPriceAsc',
  price_desc: 'sortPriceDesc',
  orders: 'sortOrders',
  newest: 'sortNewest',
};

const $ = (id) => document.getElementById(id);

let engineReady = null;
function engine() {
  engineReady ??= init({ module_or_path: chrome.runtime.getURL('wasm/shopper_wasm_bg.wasm') });
  return engineReady;
}

/** A price in major units as the shopper's language writes it, in the query's currency if named. */
function price(amount, currency) {
  if (currency) return money(String(amount), currency);
  return new Intl.NumberFormat(chrome.i18n.getUILanguage() || undefined).format(amount);
}

/** The chips for what was understood: `[filter, text]`, `filter` being what removing it drops. */
function chipsOf(request) {
  const chips = [];
  const { min_price: min, max_price: max, currency } = request;
  if (min !== null && max !== null) chips.push(['price', t('chipPriceBetween', [price(min, currency), price(max, currency)])]);
  else if (max !== null) chips.push(['price', t('chipPriceUnder', [price(max, currency)])]);
  else if (min !== null) chips.push(['price', t('chipPriceOver', [price(min, currency)])]);
  if (request.min_rating !== null) {
    const stars = new Intl.NumberFormat(chrome.i18n.getUILanguage() || undefined).format(request.min_rating);
    chips.push(['rating', t('chipRating', [stars])]);
  }
  if (request.free_shipping) chips.push(['free_shipping', t('chipFreeShipping')]);
  if (request.ship_from !== null) chips.push(['ship_from', t('chipShipFrom', [countryName(request.ship_from)])]);
  if (request.sort !== null) chips.push(['sort', t(SORT_TEXT[request.sort] ?? 'sortPriceAsc')]);
  return chips;
}

function countryName(code) {
  try {
    return new Intl.DisplayNames([chrome.i18n.getUILanguage() || 'en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Wires the search form. `host` is the shopper's own AliExpress host when the tab is on one
 * (the Engine checks it), so the search opens on their site and language.
 * @param {() => string} host
 */
export function setUpSearch(host) {
  const form = $('search-form');
  const input = $('search-input');
  const chipRow = $('search-chips');
  /** Filters the shopper removed for the current text. */
  let dropped = new Set();
  let lastText = '';
  let request = null;
  let timer = null;

  async function understand() {
    const text = input.value;
    if (text !== lastText) {
      // A new query: its filters are new too.
      dropped = new Set();
      lastText = text;
    }
    if (text.trim() === '') {
      request = null;
      chipRow.replaceChildren();
      return;
    }
    await engine();
    request = JSON.parse(parse_search(text, host(), [...dropped].join(',')));
    showChips();
  }

  function showChips() {
    const chips = chipsOf(request).map(([filter, text]) => {
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'chip';
      chip.dataset.filter = filter;
      chip.textContent = text;
      chip.setAttribute('aria-label', t('chipRemove', [text]));
      chip.addEventListener('click', async () => {
        dropped.add(filter);
        await understand();
        // The chip is gone: keep the keyboard in the box rather than lose focus to the page.
        (chipRow.querySelector('.chip') ?? input).focus();
      });
      return chip;
    });
    chipRow.replaceChildren(...chips);
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
    if (!request || request.keywords === '') {
      $('search-status').textContent = t('searchEmpty');
      return;
    }
    $('search-status').textContent = '';
    await chrome.tabs.create({ url: request.url });
  });
}
