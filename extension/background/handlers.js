// What the service worker does for each message kind, once the message has passed the protocol checks.

import { Kind, message as build } from '../shared/protocol.js';
import { fillCode, pageSeen, tabCoupons } from './coupons.js';
import * as engine from './engine.js';
import { feedStatus, refreshFeed } from './feed.js';
import { effectiveKey, saveSettings, DEFAULT_AFFILIATE_KEY } from './settings.js';
import { rescanTab, tabUrl } from './tab-page.js';
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

function pageOpened(msg, sender) {
  const tab = recordVisit(msg.url, msg.referrer, sender);
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
  const { state, stored } = updateTab(sender.tab.id, (current) =>
    why !== null && current.stood_down === null ? { ...current, stood_down: why } : current,
  );
  // The verdict holds in memory at once; a failed write only matters after a worker restart.
  stored.catch((error) => logOnce('stand-down', error));
  return state;
}

function linksFound(msg, sender, state) {
  // Each batch carries its visit: the stand-down verdict is in place before any link is decided.
  const tab = recordVisit(msg.landing, msg.referrer, sender);
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

async function tabState(tabId, state) {
  let url;
  try {
    url = await tabUrl(tabId);
  } catch (error) {
    return { ok: false, error: reason(error) };
  }
  const aliexpress = url !== '' && engine.isAliexpress(url);
  const tab = getTab(tabId);
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
  await updateTab(tabId, (current) => ({ ...current, activated: true })).stored;
  await rescanTab(tabId);
  return tabState(tabId, state);
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
