// The page's own data model as the main-world reader (world.js) hands it over: the last copy received, kept as the JSON text it came as, for the page facts.
//
// What arrives is untrusted (the page can send the same event): a string within the Engine's
// limit is kept as it is, anything else ignored; the Engine reads it (crates/core/src/page/
// model.rs). This content script starts after the main-world one, so it asks for the last copy
// once it listens.

import { CONTRACT } from '../shared/contract.js';

const { event: EVENT, limits } = CONTRACT.page_model;

let latest = '';
const changed = new Set();

/** The last copy of the page model received ('' when none arrived). */
export function pageModel() {
  return latest;
}

/** Calls `callback` each time another copy arrives. */
export function onPageModel(callback) {
  changed.add(callback);
}

if (typeof document !== 'undefined') {
  document.addEventListener(EVENT, (event) => {
    const detail = event instanceof CustomEvent ? event.detail : null;
    if (typeof detail !== 'string' || detail.length > limits.TEXT || detail === latest) return;
    latest = detail;
    for (const callback of changed) callback();
  });
  document.dispatchEvent(new CustomEvent(`${EVENT}:ask`));
}
