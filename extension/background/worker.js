// The service worker's entry: loads the Engine, settings and the coupon feed, and wires every chrome.* event to its handler.
//
// Chrome stops this worker after about 30 s idle and starts it again on the next event, so
// everything is rebuilt from chrome.storage and Cache Storage here, and every listener is
// registered synchronously at the top level (a listener added later would miss the event that
// woke the worker). Handlers wait for `ready` instead. No top-level await and no dynamic
// import(): service workers allow neither.

import { checkMessage, senderRole } from '../shared/protocol.js';
import * as engine from './engine.js';
import { loadStoredFeed, refreshFeed, REFRESH_ALARM, RETRY_ALARM, scheduleRefresh } from './feed.js';
import { handle, rescanAliexpressTabs } from './handlers.js';
import { logOnce } from './log.js';
import { problem, problemOf } from '../shared/problem.js';
import { effectiveKey, loadSettings, normalise, SETTINGS_KEY } from './settings.js';
import { forgetTab, loadTabs } from './tabs.js';

/** The worker's live settings; replaced as a whole when they change. */
const state = { settings: normalise(undefined) };

const ready = (async () => {
  const tabsLoaded = loadTabs();
  state.settings = await loadSettings();
  await engine.loadEngine(effectiveKey(state.settings));
  await tabsLoaded;
})();
ready.catch((error) => logOnce('start', error));

// Links never wait for the feed: a big feed takes a while to read, and pages should not.
const feedReady = ready.then(loadStoredFeed);
feedReady
  .then(scheduleRefresh)
  .catch((error) => logOnce('feed', error));
/** What message handlers wait for: links need the Engine, coupons need the feed too. */
state.feedReady = feedReady;

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const role = senderRole(sender, chrome.runtime.id, chrome.runtime.getURL(''));
  const checked = checkMessage(message, role);
  if (!checked.ok) {
    logOnce(`from ${role ?? 'outside'}`, checked.error);
    sendResponse({ ok: false, error: problem('message_refused', checked.error) });
    return false;
  }
  ready
    .then(() => handle(checked.message, sender, state))
    .then(sendResponse, (error) => {
      logOnce(checked.message.kind, error);
      sendResponse({ ok: false, error: problemOf(error) });
    });
  // Keeps the message channel open for the asynchronous answer.
  return true;
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local' || !Object.hasOwn(changes, SETTINGS_KEY)) return;
  ready
    .then(async () => {
      const next = normalise(changes[SETTINGS_KEY].newValue);
      const modeChanged = next.mode !== state.settings.mode;
      const keyChanged = effectiveKey(next) !== effectiveKey(state.settings);
      state.settings = next;
      if (keyChanged) engine.useKey(effectiveKey(next));
      if (modeChanged || keyChanged) await rescanAliexpressTabs();
    })
    .catch((error) => logOnce('settings changed', error));
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name !== REFRESH_ALARM && alarm.name !== RETRY_ALARM) return;
  feedReady.then(refreshFeed).catch((error) => logOnce('feed refresh', error));
});

chrome.tabs.onRemoved.addListener((tabId) => {
  // After the start-up read of every tab, so that read cannot bring the closed tab back.
  ready.then(() => forgetTab(tabId)).catch((error) => logOnce('tab closed', error));
});
