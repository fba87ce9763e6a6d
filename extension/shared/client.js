// The one way the extension's pages and its worker ask another part of the extension: the message goes out, its answer comes back checked by the protocol, and any failure is a problem to word.
//
// Every answer passes `checkAnswer` (shared/protocol.js), so a caller reads `answer.ok` and the
// fields its kind promises, never a raw reply; a closed channel or a missing listener is a
// problem too, not an exception.

import { problem } from './problem.js';
import { checkAnswer } from './protocol.js';

/** Asks the service worker (from the popup, the options page, or a content script). */
export async function ask(msg) {
  let reply;
  try {
    reply = await chrome.runtime.sendMessage(msg);
  } catch {
    return { ok: false, error: problem('worker_unreachable') };
  }
  return checkAnswer(msg.kind, reply);
}

/** Asks the content script in a tab's top frame (from the worker). */
export async function askTab(tabId, msg) {
  let reply;
  try {
    reply = await chrome.tabs.sendMessage(tabId, msg, { frameId: 0 });
  } catch {
    // No content script there: the tab was open before the extension started, or it closed.
    return { ok: false, error: problem('page_unreachable') };
  }
  return checkAnswer(msg.kind, reply);
}
