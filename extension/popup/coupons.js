// The popup's coupon list: the coupons that apply to the tab, best stack first, each with its saving and terms, and one-click copy or fill of a code.
//
// Everything shown comes from the worker's Engine (which coupons apply, what each saves, the best
// stack); this module only lays it out. Coupon text is untrusted feed data: it reaches the page
// through textContent only, and a coupon's link is one the Engine accepted (an https AliExpress
// page).

import { t } from '../shared/i18n.js';
import { wordProblem } from '../shared/problem.js';

const KIND_TEXT = { store: 'kindStore', select: 'kindSelect', code: 'kindCode' };
const NOTE_TEXT = {
  country_unknown: 'noteCountryUnknown',
  currency_unknown: 'noteCurrencyUnknown',
  price_unknown: 'notePriceUnknown',
  nothing_to_match: 'noteNothingToMatch',
};

const $ = (id) => document.getElementById(id);

function lang() {
  return chrome.i18n.getUILanguage() || undefined;
}

/** An amount the Engine wrote in major units ("12.99") as the shopper's language writes money. */
export function money(amountText, currency) {
  try {
    return new Intl.NumberFormat(lang(), { style: 'currency', currency }).format(amountText);
  } catch {
    return `${amountText} ${currency}`;
  }
}

function date(ms) {
  const when = new Date(ms);
  if (Number.isNaN(when.getTime())) return '';
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'medium' }).format(when);
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The terms line: minimum spend, expiry, countries, first order only. */
function terms(coupon) {
  const parts = [];
  if (coupon.min_spend > 0) parts.push(t('termMinSpend', [money(coupon.min_spend_text, coupon.currency)]));
  parts.push(t('termExpires', [date(coupon.expires_at_ms)]));
  if (coupon.countries.length > 0) parts.push(t('termCountries', [coupon.countries.join(', ')]));
  if (coupon.new_users_only) parts.push(t('termNewUsers'));
  return parts.join(' · ');
}

function couponItem(coupon, canFill, actions) {
  const item = el('li', coupon.in_best ? 'coupon in-best' : 'coupon');
  const head = el('div', 'coupon-head');
  const title = el('p', 'coupon-title', coupon.title);
  title.id = `coupon-${coupon.id}-title`;
  // Without the page's prices the Engine lists the coupons it is about, with no saving.
  const saving = coupon.saving_text === null ? t('appliesHere') : t('saves', [money(coupon.saving_text, coupon.currency)]);
  head.append(title, el('p', 'coupon-saving', saving));
  item.append(head);

  const kind = el('p', 'coupon-kind', t(KIND_TEXT[coupon.kind] ?? 'kindCode'));
  if (coupon.in_best) kind.append(' · ', el('strong', null, t('inBestStack')));
  item.append(kind, el('p', 'coupon-terms', terms(coupon)));

  if (coupon.kind === 'code' && coupon.code) {
    const row = el('div', 'coupon-code');
    row.append(el('code', null, coupon.code));
    const copy = el('button', 'copy', t('copyCode'));
    copy.type = 'button';
    copy.setAttribute('aria-label', t('copyCodeLabel', [coupon.code]));
    copy.addEventListener('click', () => actions.copy(coupon, copy));
    row.append(copy);
    if (canFill) {
      const fill = el('button', 'fill primary', t('fillCode'));
      fill.type = 'button';
      fill.setAttribute('aria-label', t('fillCodeLabel', [coupon.code]));
      fill.addEventListener('click', () => actions.fill(coupon, fill));
      row.append(fill);
    }
    item.append(row);
  }
  if (coupon.url) {
    const link = el('a', 'coupon-link', t('couponTerms'));
    link.href = coupon.url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    item.append(link);
  }
  return item;
}

/**
 * Shows the coupons of a `get_tab_coupons` answer's report; hides the section when the tab is
 * not an AliExpress page or its page could not be read.
 * @param {object|null} report the Engine's report, or null
 * @param {{copy: Function, fill: Function}} actions what the code buttons do
 */
export function renderCoupons(report, actions) {
  const section = $('coupons');
  if (!report) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  // Rebuilding the list would take focus away from a button the shopper is on: keep it.
  const focusedId = document.activeElement?.closest?.('.coupon')?.dataset.id ?? null;
  const focusedClass = document.activeElement?.classList?.[0] ?? null;

  const best = $('best-stack');
  best.hidden = report.best.saving <= 0;
  if (report.best.saving > 0) {
    const currency = report.currency;
    // A search stopped at its work limit shows the best combination it found, and says so.
    best.textContent = t(report.best.cut_short ? 'bestStackFound' : 'bestStack', [money(report.best.saving_text, currency)]);
  }

  const notes = $('notes');
  notes.replaceChildren(...report.notes.map((note) => el('li', 'info', t(NOTE_TEXT[note] ?? 'noteOther'))));

  const canFill = report.page.kind === 'checkout';
  const list = $('coupon-list');
  list.replaceChildren(
    ...report.coupons.map((coupon) => {
      const item = couponItem(coupon, canFill, actions);
      item.dataset.id = coupon.id;
      return item;
    }),
  );
  $('no-coupons').hidden = report.coupons.length > 0;

  if (focusedId !== null && focusedClass !== null) {
    const again = [...list.children].find((item) => item.dataset.id === focusedId);
    again?.querySelector(`button.${focusedClass}`)?.focus();
  }
}

/** The line under the disclosure: where the coupons come from and how fresh they are. */
export function renderFeed(feed) {
  const line = $('feed-status');
  if (!feed) {
    line.textContent = '';
    return;
  }
  let text;
  if (feed.coupons === 0 && feed.generated_at === 0) text = t('feedNone');
  else if (feed.source === 'demo') text = t('feedDemo');
  else text = t('feedUpdated', [date(feed.checked_at || feed.generated_at)]);
  if (feed.last_error) text = `${text} ${t('feedStale', [wordProblem(feed.last_error)])}`;
  line.textContent = text;
}
