// The checkout page's promo code field: finding it, and filling it with a code the shopper chose in the popup.
//
// Filling never submits: the shopper presses AliExpress's own "Apply" button. The value is set
// through the input's native setter and announced with `input` and `change` events, which is
// what framework-driven pages (React keeps its own copy of an input's value and ignores an
// assignment it did not see) react to.

import { CONTRACT } from '../shared/contract.js';

/**
 * The longest promo code filled, in UTF-16 units: the Engine's, which fills every code its feed
 * accepts (AliExpress codes are a few characters, but a feed may carry longer ones).
 */
export const MAX_PROMO_CODE_LENGTH = CONTRACT.promo_code_max_length;

// Where checkout pages put the field, most specific first. AliExpress's class names carry
// build hashes (`promo-code--input--1a2B3c`), hence the substring matches.
const PROMO_SELECTORS = [
  '[class*="promo-code"] input',
  '[class*="promoCode"] input',
  '[class*="coupon-code"] input',
  '[class*="couponCode"] input',
  'input[name*="promo" i]',
  'input[id*="promo" i]',
  'input[placeholder*="promo" i]',
  'input[aria-label*="promo" i]',
  'input[placeholder*="coupon" i]',
  'input[placeholder*="código" i]',
  'input[placeholder*="gutschein" i]',
  'input[placeholder*="промокод" i]',
];

// Inputs that take text; a checkbox or a hidden field near the word "promo" is not the field.
const TEXT_TYPES = new Set(['', 'text', 'search']);

// Fields a broad selector could also reach on a checkout page.
const NOT_PROMO = /zip|postal|post.?code|phone|tel|mail|card|cvv|cvc|address/i;

function usable(input) {
  if (!input || input.tagName !== 'INPUT') return false;
  const type = (input.getAttribute('type') || '').toLowerCase();
  if (!TEXT_TYPES.has(type)) return false;
  if (input.disabled || input.readOnly) return false;
  const labels = `${input.getAttribute('name') || ''} ${input.id || ''} ${input.getAttribute('autocomplete') || ''}`;
  return !NOT_PROMO.test(labels);
}

/**
 * The page's promo code input, or null.
 * @param {Document} doc
 * @returns {HTMLInputElement|null}
 */
export function findPromoCodeInput(doc = document) {
  // The page's inputs (a fast lookup by tag, and few), then the most specific selector's first
  // usable match among them: cheaper than a scan of a large page per selector.
  let found;
  try {
    found = Array.from(doc.getElementsByTagName('input')).slice(0, 500).filter(usable);
  } catch {
    return null;
  }
  for (const selector of PROMO_SELECTORS) {
    const input = found.find((el) => el.matches(selector));
    if (input) return input;
  }
  return null;
}

/** The `value` setter of the input's own class, past any setter a page framework put on the element. */
function nativeValueSetter(input) {
  let proto = Object.getPrototypeOf(input);
  while (proto) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'value');
    if (descriptor && typeof descriptor.set === 'function') return descriptor.set;
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

/**
 * Fills the checkout page's promo code field with `code` and focuses it; submits nothing.
 * @param {string} code what the shopper chose in the popup
 * @param {Document} doc
 * @returns {boolean} whether a field was filled
 */
export function fillPromoCode(code, doc = document) {
  try {
    if (typeof code !== 'string') return false;
    const trimmed = code.trim();
    if (trimmed === '' || trimmed.length > MAX_PROMO_CODE_LENGTH) return false;
    const input = findPromoCodeInput(doc);
    if (!input) return false;
    input.focus({ preventScroll: false });
    const set = nativeValueSetter(input);
    if (set) set.call(input, trimmed);
    else input.value = trimmed;
    const view = doc.defaultView;
    const EventClass = (view && view.Event) || Event;
    input.dispatchEvent(new EventClass('input', { bubbles: true }));
    input.dispatchEvent(new EventClass('change', { bubbles: true }));
    return input.value === trimmed;
  } catch {
    return false;
  }
}
