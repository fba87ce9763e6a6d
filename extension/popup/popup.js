// The popup: the best saving on the current tab with the action that gets it, the coupons that apply, Smart Search, and where the coupons come from; the tab's state (AliExpress or not, link counts, stand-down) and the "Activate deals" button with its disclosure.
//
// Everything it shows comes from the worker (whose Engine decides); text comes from _locales and
// reaches the page only through textContent. The target tab is the active tab, or `?tabId=N`
// (the end-to-end tests open this page in a tab of its own). Once the first answers are shown,
// `main` carries `data-ready`.

import { ask } from '../shared/client.js';
import { message } from '../shared/protocol.js';
import { formatCount, localize, t } from '../shared/i18n.js';
import { renderCoupons, renderFeed, STILL_LOADING } from './coupons.js';
import { setUpSearch } from './search.js';

// Counts grow while the page is still being processed; refresh them while the popup is open.
const REFRESH_MS = 1000;

// A cart still loading its lines (the Engine's `still_loading` note) is asked again, this often
// and at most this many times, so that its coupons show once its lines are there.
const LOADING_RETRY = Object.freeze({ MS: 1500, TIMES: 20 });

// The Engine's note about the tab's links (get_tab_state's `note`), and where and in which
// words the popup shows it: a stand-down in its own box, every other note as a quiet line.
// `ask_first` has no line of its own: it comes with "Activate deals" (the Engine's
// `can_activate`), whose disclosure beside it says what activating changes.
const NOTES = {
  affiliate_landing: { id: 'stand-down', text: 'standDownLanding' },
  affiliate_referrer: { id: 'stand-down', text: 'standDownReferrer' },
  affiliate_cookie: { id: 'stand-down', text: 'standDownCookie' },
  mode_off: { id: 'tab-policy', text: 'heldBackOff' },
  activated: { id: 'tab-policy', text: 'activatedNote' },
  auto: { id: 'tab-policy', text: 'autoNote' },
};

const $ = (id) => document.getElementById(id);

async function targetTabId() {
  const asked = new URLSearchParams(location.search).get('tabId');
  if (asked !== null) {
    const id = Number(asked);
    if (Number.isSafeInteger(id) && id >= 0) return id;
  }
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

function show(id, visible) {
  $(id).hidden = !visible;
}

function setText(id, name) {
  $(id).textContent = t(name);
}

/** Whether the tab has an AliExpress page whose content script answered: the deal area shows. */
let tabHasPage = false;

/** Shows a `get_tab_state` answer. */
function render(state) {
  shopperHost = typeof state?.host === 'string' ? state.host : '';
  const ok = state?.ok === true;
  const page = ok ? state.page : null;
  tabHasPage = ok && state.aliexpress && page !== null;
  // The status line speaks only when there is no deal area to speak instead.
  let status = null;
  if (!ok) status = 'statusError';
  else if (!state.aliexpress) status = 'statusNotAliexpress';
  else if (!page) status = 'statusReload';
  show('page-status', status !== null);
  if (status) setText('page-status', status);
  show('deal', tabHasPage);

  show('counts', page !== null);
  if (page) {
    $('links-found').textContent = formatCount(page.found);
    $('links-products').textContent = formatCount(page.products);
    $('links-rewritten').textContent = formatCount(page.rewritten);
  }

  // Which note, and whether "Activate deals" is offered, are the Engine's answers (the worker
  // passes them in the tab's state); the popup only puts them into words.
  const note = ok && Object.hasOwn(NOTES, state.note ?? '') ? NOTES[state.note] : null;
  for (const id of ['stand-down', 'tab-policy']) {
    show(id, note?.id === id);
    if (note?.id === id) setText(id, note.text);
  }

  // The activation button never shows without its disclosure: both live in #activation.
  const canActivate = ok && state.can_activate === true;
  if (!canActivate && document.activeElement === $('activate')) $('open-options').focus();
  show('activation', canActivate);
}

async function refresh(tabId) {
  render(await ask(message.getTabState(tabId)));
}

// The last coupon report shown: the list is rebuilt only when it changes, so a screen reader
// or a keyboard user is not thrown back to the top every refresh.
let shownCoupons = '';
let couponActions = null;

async function refreshCoupons(tabId) {
  const answer = await ask(message.getTabCoupons(tabId));
  const report = answer.ok ? answer.report : null;
  const feed = answer.ok ? answer.feed : null;
  // The currency the shopper's AliExpress shows, as the page said: Smart Search needs it.
  const currency = typeof report?.currency === 'string' ? report.currency : '';
  // The feed's exchange rates, for a price the shopper types in another currency.
  const rates = typeof feed?.rates === 'string' ? feed.rates : '';
  if (currency !== shopperCurrency || rates !== shopperRates) {
    shopperCurrency = currency;
    shopperRates = rates;
    search?.siteChanged();
  }
  const text = JSON.stringify([report, feed?.source]);
  if (text !== shownCoupons) {
    shownCoupons = text;
    renderCoupons(report, feed, couponActions);
  }
  renderFeed(feed);
  return Array.isArray(report?.notes) && report.notes.includes(STILL_LOADING);
}

/** Asks for the coupons again while the Engine says the page's lines are still loading. */
function whileLoading(tabId, tries = 0) {
  if (tries >= LOADING_RETRY.TIMES) return;
  setTimeout(async () => {
    if (await refreshCoupons(tabId)) whileLoading(tabId, tries + 1);
  }, LOADING_RETRY.MS);
}

function announce(text) {
  $('copy-status').textContent = text;
}

/** What the code buttons do: copy to the clipboard, or fill the checkout's promo-code field. */
function makeCouponActions(tabId) {
  return {
    async copy(coupon, button) {
      try {
        await navigator.clipboard.writeText(coupon.code);
        button.textContent = t('copied');
        announce(t('copiedCode', [coupon.code]));
      } catch {
        announce(t('copyFailed'));
      }
      setTimeout(() => {
        button.textContent = t('copyCode');
      }, 2000);
    },
    async fill(coupon, button) {
      button.disabled = true;
      const answer = await ask(message.fillCode(tabId, coupon.id));
      button.disabled = false;
      const filled = answer.ok && answer.filled;
      announce(filled ? t('filledCode', [coupon.code]) : t('fillFailed'));
      if (filled) button.textContent = t('filled');
      await Promise.all([refresh(tabId), refreshCoupons(tabId)]);
    },
  };
}

/** The tab's AliExpress host, once the worker said it (searches open there). */
let shopperHost = '';
/** The currency the tab's AliExpress page shows prices in, once the coupon report said it. */
let shopperCurrency = '';
/** The exchange rates of the coupon feed in use, as the Engine wrote them (empty: none yet). */
let shopperRates = '';
let search = null;

/** Opens the full text of how Smart Shopper is paid (a section of the options page) in a tab. */
function openDisclosure(event) {
  event.preventDefault();
  chrome.tabs.create({ url: chrome.runtime.getURL('options.html#how-we-are-paid') });
}

async function main() {
  localize();
  $('open-options').addEventListener('click', () => chrome.runtime.openOptionsPage());
  for (const link of document.querySelectorAll('a[href="options.html#how-we-are-paid"]')) {
    link.addEventListener('click', openDisclosure);
  }
  search = setUpSearch(() => ({ host: shopperHost, currency: shopperCurrency, rates: shopperRates }));
  $('search-input').placeholder = t('searchPlaceholder');
  const tabId = await targetTabId();
  if (tabId === null) {
    render(null);
    document.querySelector('main').dataset.ready = '';
    return;
  }
  const button = $('activate');
  button.addEventListener('click', async () => {
    button.disabled = true;
    setText('activate', 'activating');
    const state = await ask(message.activateDeals(tabId));
    setText('activate', 'activateButton');
    button.disabled = false;
    render(state);
  });
  couponActions = makeCouponActions(tabId);
  const [, loading] = await Promise.all([refresh(tabId), refreshCoupons(tabId)]);
  document.querySelector('main').dataset.ready = '';
  if (loading) whileLoading(tabId);
  // Only the link counts change while the popup is open. The coupons are asked for once: each
  // ask makes the content script read the page's facts, which on a huge page is a long task.
  setInterval(() => refresh(tabId), REFRESH_MS);
}

main();
