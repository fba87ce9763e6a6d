// What the service worker does for each message kind, once the message has passed the protocol checks.

import { Kind, message as build } from '../shared/protocol.js';
import { fillCode, pageSeen, tabCoupons } from './coupons.js';
import * as engine from './engine.js';
import { feedStatus, refreshFeed } from './feed.js';
import { apiLinkFromServer } from './links.js';
import { searchProducts } from './search.js';
import { effectiveKey, saveSettings, DEFAULT_AFFILIATE_KEY } from './settings.js';
import { rescanTab, tabUrl } from './tab-page.js';
import { getTab, stoodDown, updateTab, visitJson } from './tabs.js';
import { logOnce } from './log.js';
import { askTab } from '../shared/client.js';
import { problem } from '../shared/problem.js';

/**
 * Handles one checked message.
 * @param {object} msg a message that passed `checkMessage`
 * @param {chrome.runtime.MessageSender} sender
 * @param {{settings: {mode: string, affiliate_key?: string, new_user: boolean, search_results: boolean}}} state the worker's live settings
 */
export async function handle(msg, sender, state) {
  switch (msg.kind) {
    case Kind.PAGE_OPENED:
      return pageOpened(msg, sender);
    case Kind.LINKS_FOUND:
      return linksFound(msg, sender, state);
    case Kind.OUR_LINK_FOLLOWED:
      return followedOurLink(msg, sender);
    case Kind.GET_TAB_STATE:
      return tabState(msg.tabId, state);
    case Kind.ACTIVATE_DEALS:
      return activateDeals(msg.tabId, state);
    case Kind.GET_SETTINGS:
      return settingsReply(state);
    case Kind.SET_SETTINGS:
      return setSettings(msg, state);
    case Kind.PAGE_SEEN:
      return pageSeen(msg, sender, state);
    case Kind.GET_TAB_COUPONS:
      return tabCoupons(msg.tabId, state);
    case Kind.FILL_CODE:
      return fillCode(msg.tabId, msg.couponId, state);
    case Kind.GET_FEED:
      return { ok: true, feed: await state.feedReady.then(feedStatus) };
    case Kind.REFRESH_FEED:
      await state.feedReady;
      await refreshFeed();
      return { ok: true, feed: await feedStatus() };
    case Kind.SEARCH_PRODUCTS: {
      const { country, currency } = engine.shopperRegion(msg.country ?? '', msg.currency ?? '', msg.locale);
      return searchProducts({ query: msg.query, country, currency, locale: msg.locale }, state.settings);
    }
    default:
      // checkMessage only lets through kinds this worker receives; this is a programming error.
      throw new Error(`no handler for '${msg.kind}'`);
  }
}

function pageOpened(msg, sender) {
  const tab = recordVisit(msg.url, msg.referrer, msg.cookies, sender);
  // The browser's record of the page's URL: its facts are read only where they can name coupons.
  const url = typeof sender.url === 'string' ? sender.url : msg.url;
  return { ok: true, stood_down: stoodDown(tab), read_facts: engine.factsWorthReading(url) };
}

/**
 * Asks the Engine for the visit's verdict after a page load and stores the tab's visit it hands
 * back. The worker passes what it knows: the tab's visit so far and its opener's, the reporting
 * document, the landing URL the content script reports (which the page's own
 * `history.replaceState` cannot clean), the URL the browser reports for the sender (which the
 * page cannot forge), the referrer and the visit's affiliate cookies (only their values: the
 * protocol refuses any other cookie).
 */
function recordVisit(landing, referrer, cookies, sender) {
  const tabId = sender.tab.id;
  const openerId = sender.tab.openerTabId;
  const before = stoodDown(getTab(tabId));
  const answer = engine.pageReported({
    visit: visitJson(getTab(tabId)),
    opener: Number.isSafeInteger(openerId) && openerId !== tabId ? visitJson(getTab(openerId)) : '',
    // The reporting page: its document id where the browser gives one, else its landing URL.
    page: typeof sender.documentId === 'string' ? sender.documentId : landing,
    landing,
    senderUrl: typeof sender.url === 'string' ? sender.url : '',
    referrer,
    cookies,
  });
  const { state, stored } = updateTab(tabId, (current) => ({ ...current, visit: answer.visit }));
  // The verdict holds in memory at once; a failed write only matters after a worker restart.
  stored.catch((error) => logOnce('stand-down', error));
  // A visit that stands down only now (the page set someone else's cookie after our first
  // links): links the tab rewrote before go back to the page's own, as a rescan decides them.
  if (before === null && stoodDown(state) !== null) takeBackOurLinks(tabId).catch((error) => logOnce('rescan', error));
  return state;
}

/**
 * Has the tab decide its links again if some are ours: a page that stood down from its first
 * report has none, and is not walked again.
 */
async function takeBackOurLinks(tabId) {
  const answer = await askTab(tabId, build.pageState());
  if (answer.ok && answer.rewritten > 0) await rescanTab(tabId);
}

/**
 * The shopper followed a link in the page that the content script says is one it rewrote: if
 * the Engine agrees it is ours, a visit of ours is under way in this tab (or, for a link opened
 * in a new tab, in the tab it opens).
 */
function followedOurLink(msg, sender) {
  if (!engine.isOurLink(msg.href)) return { ok: true, ours: false };
  const tabId = sender.tab.id;
  const { stored } = updateTab(tabId, (current) => ({
    ...current,
    visit: engine.ourLinkFollowed(visitJson(current), msg.opens === 'new_tab'),
  }));
  stored.catch((error) => logOnce('our visit', error));
  return { ok: true, ours: true };
}

function linksFound(msg, sender, state) {
  // Each batch carries its visit: the stand-down verdict is in place before any link is decided.
  const tab = recordVisit(msg.landing, msg.referrer, msg.cookies, sender);
  // The browser's record of the page's URL, which the page cannot forge.
  const pageUrl = typeof sender.url === 'string' ? sender.url : '';
  const decided = engine.decideLinks(
    msg.hrefs,
    msg.base,
    pageUrl,
    state.settings.mode,
    tab.activated,
    stoodDown(tab) !== null,
  );
  return { ok: true, ...decided };
}

async function tabState(tabId, state) {
  let url;
  try {
    url = await tabUrl(tabId);
  } catch {
    return { ok: false, error: problem('tab_gone') };
  }
  const aliexpress = url !== '' && engine.isAliexpress(url);
  const tab = getTab(tabId);
  let page = null;
  if (aliexpress) {
    const answer = await askTab(tabId, build.pageState());
    // Without an answer, no content script is in that tab: it was open before the extension
    // was installed or reloaded. The popup asks the shopper to reload the page.
    if (answer.ok) {
      const { ok, ...counts } = answer;
      page = counts;
    } else {
      logOnce('page_state', answer.error.code);
    }
  }
  // What the popup says about the tab's links (which note, whether to offer activation): the
  // Engine's answer, which the popup only puts into words.
  const view = engine.tabView(state.settings.mode, tab.activated, stoodDown(tab), aliexpress, page !== null);
  return {
    ok: true,
    tabId,
    aliexpress,
    // Smart Search opens on the shopper's own AliExpress site (the Engine checks the host).
    host: aliexpress ? new URL(url).host : '',
    mode: state.settings.mode,
    activated: tab.activated,
    stood_down: stoodDown(tab),
    held_back: view.held_back,
    note: view.note,
    can_activate: view.can_activate,
    page,
  };
}

async function activateDeals(tabId, state) {
  await updateTab(tabId, (current) => ({ ...current, activated: true })).stored;
  await rescanTab(tabId);
  // Not waited for: the deep links are in place, and an API link replaces them when it comes.
  apiLinkForTab(tabId, state).catch((error) => logOnce('api link', error));
  return tabState(tabId, state);
}

/**
 * At the shopper's click on "Activate deals", the one moment the server may hear of a tab's
 * page: when the page is a product page an affiliate API link can stand for and the tab's links
 * may carry our tag, the server is asked for that one product's link; the Engine remembers it
 * and the page's links decide again, so those to the product carry it.
 */
async function apiLinkForTab(tabId, state) {
  const tab = getTab(tabId);
  const view = engine.tabView(state.settings.mode, tab.activated, stoodDown(tab), true, true);
  if (view.held_back !== null) return;
  const page = engine.apiLinkPage(await tabUrl(tabId));
  if (page === null) return;
  const link = await apiLinkFromServer(page);
  if (link !== null && engine.rememberApiLink(page, link)) await rescanTab(tabId);
}

function settingsReply(state) {
  return {
    ok: true,
    mode: state.settings.mode,
    affiliate_key: state.settings.affiliate_key ?? '',
    default_affiliate_key: DEFAULT_AFFILIATE_KEY,
    new_user: state.settings.new_user,
    search_results: state.settings.search_results,
  };
}

async function setSettings(msg, state) {
  const next = { ...state.settings, mode: msg.mode };
  if (msg.new_user !== undefined) next.new_user = msg.new_user;
  if (msg.search_results !== undefined) next.search_results = msg.search_results;
  if (msg.affiliate_key !== undefined) {
    const key = msg.affiliate_key.trim();
    if (key === '') {
      next.affiliate_key = undefined;
    } else {
      const invalid = engine.checkKey(key);
      if (invalid !== null) return { ok: false, error: invalid, field: 'affiliate_key' };
      next.affiliate_key = key;
    }
  }
  // Apply at once (the next batch uses it), then store; storage.onChanged applies it again,
  // harmlessly, and tells any other extension page.
  const changed =
    next.mode !== state.settings.mode || effectiveKey(next) !== effectiveKey(state.settings);
  state.settings = next;
  engine.useKey(effectiveKey(next));
  await saveSettings(next);
  if (changed) await rescanAliexpressTabs();
  return settingsReply(state);
}

/** After a change of mode or key, every AliExpress tab decides its links again. */
export async function rescanAliexpressTabs() {
  // The content script's own match patterns: exactly the tabs that may run it.
  const patterns = chrome.runtime.getManifest().content_scripts?.[0]?.matches ?? [];
  if (patterns.length === 0) return;
  let tabs = [];
  try {
    tabs = await chrome.tabs.query({ url: patterns });
  } catch (error) {
    logOnce('rescan tabs', error);
  }
  await Promise.all(tabs.map((tab) => rescanTab(tab.id)));
}
