// What the worker knows of a tab's page and asks of its content script: the page's URL (AliExpress or not) and a new look at its links.

import { askTab } from '../shared/client.js';
import { message as build } from '../shared/protocol.js';
import * as engine from './engine.js';
import { logOnce, reason } from './log.js';

/** The tab's URL as far as the extension may see it (AliExpress pages only); throws when there is no such tab. */
export async function tabUrl(tabId) {
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
export async function isAliexpressTab(tabId) {
  const url = await tabUrl(tabId);
  return url !== '' && engine.isAliexpress(url);
}

/** Asks a tab's content script to decide its links again (the tab's policy changed). */
export async function rescanTab(tabId) {
  const answer = await askTab(tabId, build.rescan());
  if (!answer.ok) logOnce('rescan', answer.error.code);
}
