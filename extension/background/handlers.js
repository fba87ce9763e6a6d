// What the service worker does for each message kind, once the message has passed the protocol checks.

import { Kind, message as build } from '../shared/protocol.js';
import { showCouponCount } from './badge.js';
import * as engine from './engine.js';
import { feedStatus, refreshFeed } from './feed.js';
import { effectiveKey, saveSettings, DEFAULT_AFFILIATE_KEY } from './settings.js';
import { getTab, updateTab } from './tabs.js';
import { logOnce, reason } from './log.js';

/**
 * Handles one checked message.
 * @param {object} msg a message that passed `checkMessage`
 * @param {chrome.runtime.MessageSender} sender
 * @param {{settings: {mode: string, affiliate_key?: string, new_user: boolean}}} state the worker's live settings
 */
export async function handle(msg, sender, state) {
  switch (msg.kind) {
    case Kind.PAGE_OPENED:
      return pageOpened(msg, sender);
    case Kind.LINKS_FOUND:
      return linksFound(msg, sender, state);
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
    default:
      // checkMessage only lets through kinds this worker receives; this is a programming error.
      throw new Error(`no handler for '${msg.kind}'`);
  }
}

async function pageOpened(msg, sender) {
  const tab = await recordVisit(msg.url, msg.referrer, sender);
  // The browser's record of the page's URL: its facts are read only where they can name coupons.
  const url = typeof sender.url === 'string' ? sender.url : msg.url;
  return { ok: true, stood_down: tab.stood_down, read_facts: engine.factsWorthReading(url) };
}

/**
 * Records whether a visit stands down, from the landing URL and referrer the content script
 * reports. The URL the browser reports for the sender cannot be forged by the page; the one in
 * the message can. Either one being an affiliate landing is enough to stand down.
 */
function recordVisit(landing, referrer, sender) {
  let why = engine.standDown(landing, referrer);
  if (why === null && typeof sender.url === 'string' && sender.url !== landing) {
    why = engine.standDown(sender.url, referrer);
  }
  return updateTab(sender.tab.id, (current) =>
    why !== null && current.stood_down === null ? { ...current, stood_down: why } : current,
  );
}

async function linksFound(msg, sender, state) {
  // Each batch carries its visit: the stand-down verdict is in place before any link is decided.
  const tab = await recordVisit(msg.landing, msg.referrer, sender);
  // The browser's record of the page's URL, which the page cannot forge.
  const pageUrl = typeof sender.url === 'string' ? sender.url : '';
  const decided = engine.decideLinks(
    msg.hrefs,
    msg.base,
    pageUrl,
    state.settings.mode,
    tab.activated,
    tab.stood_down !== null,
  );
  return { ok: true, ...decided };
}

/** The tab's URL as far as the extension may see it (AliExpress pages only); throws when there is no such tab. */
async function tabUrl(tabId) {
  let url = '';
  try {
    const tab = await chrome.tabs.get(tabId);
    // url is only visible for pages the extension has host permissions on (AliExpress); for
    // any other page it is absent, and that page is not AliExpress either.
    url = tab.url || tab.pendingUrl || '';
  } catch (error) {
    throw new Error(`no tab ${tabId}: ${reason(error)}`);
  }
  return url;
}

/** Whether a tab shows an AliExpress page; throws when there is no such tab. */
async function isAliexpressTab(tabId) {
  const url = await tabUrl(tabId);
  return url !== '' && engine.isAliexpress(url);
}

async function tabState(tabId, state) {
  let url;
  try {
    url = await tabUrl(tabId);
  } catch (error) {
    return { ok: false, error: reason(error) };
  }
  const aliexpress = url !== '' && engine.isAliexpress(url);
  const tab = await getTab(tabId);
  let page = null;
  if (aliexpress) {
    try {
      page = await chrome.tabs.sendMessage(tabId, build.pageState(), { frameId: 0 });
    } catch (error) {
      // No content script in that tab: it was open before the extension was installed or
      // reloaded. The popup asks the shopper to reload the page.
      logOnce('page_state', error);
    }
    if (!page || page.ok !== true) page = null;
  }
  return {
    ok: true,
    tabId,
    aliexpress,
    // Smart Search opens on the shopper's own AliExpress site (the Engine checks the host).
    host: aliexpress ? new URL(url).host : '',
    mode: state.settings.mode,
    activated: tab.activated,
    stood_down: tab.stood_down,
    held_back: engine.heldBack(state.settings.mode, tab.activated, tab.stood_down !== null),
    page,
  };
}

async function activateDeals(tabId, state) {
  await updateTab(tabId, (current) => ({ ...current, activated: true }));
  await rescanTab(tabId);
  return tabState(tabId, state);
}

/** Asks a tab's content script to decide its links again (the tab's policy changed). */
export async function rescanTab(tabId) {
  try {
    await chrome.tabs.sendMessage(tabId, build.rescan(), { frameId: 0 });
  } catch (error) {
    logOnce('rescan', error);
  }
}

function settingsReply(state) {
  return {
    ok: true,
    mode: state.settings.mode,
    affiliate_key: state.settings.affiliate_key ?? '',
    default_affiliate_key: DEFAULT_AFFILIATE_KEY,
    new_user: state.settings.new_user,
  };
}

async function setSettings(msg, state) {
  const next = { ...state.settings, mode: msg.mode };
  if (msg.new_user !== undefined) next.new_user = msg.new_user;
  if (msg.affiliate_key !== undefined) {
    const key = msg.affiliate_key.trim();
    if (key === '') {
      next.affiliate_key = undefined;
    } else {
      const invalid = engine.checkKey(key);
      if (invalid !== undefined) return { ok: false, error: invalid, field: 'affiliate_key' };
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

/** Coupons the Engine finds for a page's facts; also keeps the tab's badge in step. */
async function couponsForFacts(tabId, facts, state) {
  await state.feedReady;
  const report = engine.couponsFor(facts, state.settings.new_user === true);
  await showCouponCount(tabId, report.coupons.length);
  return report;
}

async function pageSeen(msg, sender, state) {
  const report = await couponsForFacts(sender.tab.id, msg.facts, state);
  return { ok: true, coupons: report.coupons.length, watch: report.watch };
}

/** The page's facts, read now by its content script; null when it has none (reload needed). */
async function freshFacts(tabId) {
  try {
    const reply = await chrome.tabs.sendMessage(tabId, build.getPageFacts(), { frameId: 0 });
    return reply?.ok === true && typeof reply.facts === 'string' ? reply.facts : null;
  } catch (error) {
    logOnce('get_page_facts', error);
    return null;
  }
}

async function tabCoupons(tabId, state) {
  let aliexpress;
  try {
    aliexpress = await isAliexpressTab(tabId);
  } catch (error) {
    return { ok: false, error: reason(error) };
  }
  const feed = await state.feedReady.then(feedStatus);
  if (!aliexpress) return { ok: true, tabId, aliexpress, report: null, feed };
  const facts = await freshFacts(tabId);
  const report = facts === null ? null : await couponsForFacts(tabId, facts, state);
  return { ok: true, tabId, aliexpress, report, feed };
}

async function fillCode(tabId, couponId, state) {
  const answer = await tabCoupons(tabId, state);
  if (!answer.ok) return answer;
  const coupon = answer.report?.coupons.find((c) => c.id === couponId && c.kind === 'code');
  if (!coupon) return { ok: false, error: 'that promo code does not apply to this page' };
  let filled = false;
  try {
    const reply = await chrome.tabs.sendMessage(tabId, build.fillPromoCode(coupon.code), { frameId: 0 });
    filled = reply?.ok === true && reply.filled === true;
  } catch (error) {
    logOnce('fill_promo_code', error);
  }
  // Filling a code at checkout is the shopper acting on a deal: in ask mode it activates deals
  // for the tab, as the Activate button does (the Engine says whether the tab holds them back).
  if (filled) {
    const tab = await getTab(tabId);
    const held = engine.heldBack(state.settings.mode, tab.activated, tab.stood_down !== null);
    if (held === 'ask_first') {
      await updateTab(tabId, (current) => ({ ...current, activated: true }));
      await rescanTab(tabId);
    }
  }
  return { ok: true, filled, code: coupon.code };
}
