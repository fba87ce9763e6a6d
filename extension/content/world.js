// The main-world reader: copies the page's own data model out of the page's JavaScript world (which the content script cannot see) and hands it to the content script as JSON text.
//
// AliExpress's product pages render in the browser: the served HTML has an empty
// `window.runParams`, and the model arrives after first paint (`window._d_c_...`). This script
// runs in the page's world from document_start, copies only the keys the Engine names
// (CONTRACT.page_model.copy, said once in crates/core/src/page/model.rs), within its limits, and
// sends the copy with a DOM event whenever it changes: while the page loads (for WAIT_MS), and
// after the shopper clicks or changes something (another SKU, another product without a
// reload). It holds no rule and gives the page nothing back.
//
// The page can read and redefine anything in its own world, this script's listeners and events
// included: what it sends is untrusted on arrival, checked by the content script and the Engine
// like any fact. What this script uses of the page's world is taken before any page script
// runs, so a page that later redefines JSON, Object, CustomEvent or EventTarget changes nothing
// here; getters that throw, Proxies, cycles and huge values cost at most a bounded copy.

import { CONTRACT } from '../shared/contract.js';

const { event: EVENT, limits: L, copy: COPY, each: EACH } = CONTRACT.page_model;
/** The content script asks with this event for the last copy again (it starts later than this script). */
const ASK = `${EVENT}:ask`;
/** After a click or change: when to look again (the page's answer takes a moment). */
const AFTER_ACTION_MS = [300, 1200, 3000];
/** Values copied in one look, at most: a bound on the work whatever the page's shape. */
const MAX_VALUES = 2_000;

const win = window;
const doc = document;
const stringify = JSON.stringify;
const keysOf = Object.keys;
const ownKeys = Reflect.ownKeys;
const enumerable = Object.prototype.propertyIsEnumerable;
const hasOwn = Object.hasOwn;
const create = Object.create;
const setPrototypeOf = Object.setPrototypeOf;
const isArray = Array.isArray;
const isFinite = Number.isFinite;
const apply = Reflect.apply;
const dispatch = EventTarget.prototype.dispatchEvent;
const listen = EventTarget.prototype.addEventListener;
const Custom = CustomEvent;
const timeout = setTimeout;
const clock = Date.now;

/** `object[key]`, or undefined when reading it throws (a getter, a revoked Proxy). */
function get(object, key) {
  try {
    return object[key];
  } catch {
    return undefined;
  }
}

/** Whether `object`'s own `key` is enumerable; false when asking throws (a Proxy's trap). */
function isEnumerable(object, key) {
  try {
    return apply(enumerable, object, [key]) === true;
  } catch {
    return false;
  }
}

/** How many entries of the list `value` are copied: its length, at most ENTRIES (0 for a length that is no number). */
function entryCount(value) {
  const length = get(value, 'length');
  return typeof length === 'number' && length > 0 ? (length < L.ENTRIES ? length : L.ENTRIES) : 0;
}

/** A value copied whole within the limits: primitives as they are, objects and lists bounded. */
function whole(value, depth, work) {
  work.values += 1;
  if (work.values > MAX_VALUES || value === null) return null;
  const type = typeof value;
  if (type === 'string') return value.length <= L.STRING ? value : null;
  if (type === 'number') return isFinite(value) ? value : null;
  if (type === 'boolean') return value;
  if (type !== 'object' || depth >= L.DEPTH) return null;
  let list;
  let keys;
  try {
    list = isArray(value);
    // The own keys alone, not Object.keys: that asks a Proxy's getOwnPropertyDescriptor of every
    // key the page lists (a thousand keys, a thousand calls into the page, for each object),
    // where only the first few are copied.
    keys = list ? null : ownKeys(value);
  } catch {
    return null;
  }
  // Each key listed is work, copied or not: a page listing thousands of keys an object uses up
  // the look's budget in a few objects rather than slowing every one of thousands.
  if (!list) {
    work.values += keys.length < MAX_VALUES ? keys.length : MAX_VALUES;
    if (work.values > MAX_VALUES) return null;
  }
  if (list) {
    const out = [];
    // No prototype: JSON.stringify finds no toJSON the page may have put on Array.prototype.
    setPrototypeOf(out, null);
    const count = entryCount(value);
    for (let i = 0; i < count; i++) out[i] = whole(get(value, i), depth + 1, work);
    return out;
  }
  const out = create(null);
  // The first ENTRIES enumerable string keys (those Object.keys would give, in its order), among
  // at most twice as many listed.
  let copied = 0;
  for (let i = 0; i < keys.length && i < 2 * L.ENTRIES && copied < L.ENTRIES; i++) {
    const key = keys[i];
    if (typeof key !== 'string' || !isEnumerable(value, key)) continue;
    copied += 1;
    out[key] = whole(get(value, key), depth + 1, work);
  }
  return out;
}

/** The keys `spec` names of `source`, each copied as it says (`true`: whole; `{[EACH]: ...}`: each entry of a list). */
function copy(source, spec, work) {
  // An own property only: the page may have put anything on Object.prototype.
  if (hasOwn(spec, EACH)) return entries(source, spec[EACH], work);
  const out = create(null);
  const keys = keysOf(spec);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = get(source, key);
    if (value === undefined) continue;
    const rule = spec[key];
    if (rule === true) out[key] = whole(value, 0, work);
    else if (value !== null && (typeof value === 'object' || typeof value === 'function')) out[key] = copy(value, rule, work);
  }
  return out;
}

/** The first entries of the list `source`, each copied by `spec`; null when it is no list. */
function entries(source, spec, work) {
  let list;
  try {
    list = isArray(source);
  } catch {
    return null;
  }
  if (!list) return null;
  const out = [];
  setPrototypeOf(out, null);
  const count = entryCount(source);
  for (let i = 0; i < count && work.values <= MAX_VALUES; i++) {
    work.values += 1;
    const value = get(source, i);
    out[i] = value !== null && typeof value === 'object' ? copy(value, spec, work) : null;
  }
  return out;
}

let last = '';
let sends = 0;
let stopped = false;

function send(text) {
  try {
    apply(dispatch, doc, [new Custom(EVENT, { detail: text })]);
  } catch {
    // Nothing to do: the content script reads the page without the model.
  }
}

/** Copies the model now, and sends it when it differs from the last copy sent. */
function look() {
  if (stopped || sends >= L.SENDS) return;
  let text;
  try {
    text = stringify(copy(win, COPY, { values: 0 }));
  } catch {
    return;
  }
  if (typeof text !== 'string' || text === last || text.length > L.TEXT) return;
  last = text;
  sends += 1;
  send(text);
}

const started = clock();
function whileLoading() {
  look();
  if (!stopped && clock() - started < L.WAIT_MS) timeout(whileLoading, L.LOOK_EVERY_MS);
}

/** Looks a few times after the shopper acts; once at a time however fast they click. */
let acting = false;
function afterAction() {
  if (acting || stopped) return;
  acting = true;
  for (let i = 0; i < AFTER_ACTION_MS.length; i++) timeout(look, AFTER_ACTION_MS[i]);
  timeout(() => (acting = false), AFTER_ACTION_MS[AFTER_ACTION_MS.length - 1]);
}

try {
  apply(listen, doc, [ASK, () => last !== '' && send(last)]);
  apply(listen, doc, ['click', afterAction, { capture: true, passive: true }]);
  apply(listen, doc, ['change', afterAction, { capture: true, passive: true }]);
  apply(listen, win, ['pagehide', () => (stopped = true)]);
  whileLoading();
} catch {
  // A page world this script cannot work in: the content script reads the page without it.
}
