// The popup's coupon list: the coupons that apply to the tab, best stack first, each with its saving and terms, and one-click copy or fill of a code.
//
// Everything shown comes from the worker's Engine (which coupons apply, what each saves, the best
// stack); this module only lays it out. Coupon text is untrusted feed data: it reaches the page
// through textContent only, and a coupon's link is one the Engine accepted (an https AliExpress
// page).

import { t } from '../shared/i18n.js';

const KIND_TEXT = { store: 'kindStore', select: 'kindSelect', code: 'kindCode' };
/** The Engine's note for a cart or checkout whose lines are still loading: the popup asks again. */
export const STILL_LOADING = 'still_loading';
const NOTE_TEXT = {
  country_unknown: 'noteCountryUnknown',
  currency_unknown: 'noteCurrencyUnknown',
  price_unknown: 'notePriceUnknown',
  nothing_to_match: 'noteNothingToMatch',
  [STILL_LOADING]: 'noteStillLoading',
  none_apply: 'noteNoneApply',
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

function couponItem(coupon, canFill, demo, actions) {
  const item = el('li', coupon.in_best ? 'coupon in-best' : 'coupon');
  const head = el('div', 'coupon-head');
  const title = el('p', 'coupon-title', coupon.title);
  title.id = `coupon-${coupon.id}-title`;
  // The store's own coupon on the page is no demo, whatever the feed.
  if (demo && !coupon.on_page) title.prepend(el('span', 'demo-tag', t('demoTag')), ' ');
  // Without the page's prices the Engine lists the coupons it is about, with no saving.
  const saving = coupon.saving_text === null ? t('appliesHere') : t('saves', [money(coupon.saving_text, coupon.currency)]);
  head.append(title, el('p', 'coupon-saving', saving));
  item.append(head);

  // One quiet line: its kind, whether it is in the best combination, its terms, a link to them.
  const meta = el('p', 'coupon-meta', t(coupon.on_page ? 'kindOnPage' : (KIND_TEXT[coupon.kind] ?? 'kindCode')));
  if (coupon.collect_first) meta.append(' · ', el('strong', null, t('termCollectFirst')));
  if (coupon.in_best) meta.append(' · ', el('strong', null, t('inBestStack')));
  meta.append(' · ', terms(coupon));
  if (coupon.url) {
    const link = el('a', 'coupon-link', t('couponTerms'));
    link.href = coupon.url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    meta.append(' · ', link);
  }
  item.append(meta);

  if (coupon.kind === 'code' && coupon.code) {
    const row = el('div', 'coupon-code');
    row.append(el('code', null, coupon.code));
    const copy = el('button', 'copy', t('copyCode'));
    copy.type = 'button';
    copy.setAttribute('aria-label', t('copyCodeLabel', [coupon.code]));
    copy.addEventListener('click', () => actions.copy(coupon, copy));
    row.append(copy);
    if (canFill) {
      // Filling puts the code in the checkout's field and does nothing else: it does not turn
      // on deals, and it submits nothing (the shopper presses AliExpress's own Apply).
      const fill = el('button', 'fill primary', t('fillCode'));
      fill.type = 'button';
      fill.setAttribute('aria-label', t('fillCodeLabel', [coupon.code]));
      fill.addEventListener('click', () => actions.fill(coupon, fill));
      row.append(fill);
    }
    item.append(row);
  }
  return item;
}

/**
 * Shows the coupons of a `get_tab_coupons` answer's report: the best combination's total at the
 * top of the deal area, the notes, and the list; hides the list when the tab is not an
 * AliExpress page or its page could not be read. Coupons of the demo feed say so, each one (and
 * the footer's feed line says what demo coupons are).
 * @param {object|null} report the Engine's report, or null
 * @param {object|null} feed the feed's state (`source` is 'demo' for the demo feed)
 * @param {{copy: Function, fill: Function}} actions what the code buttons do
 */
export function renderCoupons(report, feed, actions) {
  const section = $('coupons');
  const demo = feed?.source === 'demo';
  if (!report) {
    section.hidden = true;
    $('best-stack').hidden = true;
    $('notes').replaceChildren();
    return;
  }
  section.hidden = report.coupons.length === 0;
  // Rebuilding the list would take focus away from a button the shopper is on: keep it.
  const focusedId = document.activeElement?.closest?.('.coupon')?.dataset.id ?? null;
  const focusedClass = document.activeElement?.classList?.[0] ?? null;

  const best = $('best-stack');
  best.hidden = report.coupons.length === 0;
  // A search stopped at its work limit shows the best combination it found, and says so.
  best.textContent =
    report.best.saving > 0
      ? t(report.best.cut_short ? 'bestStackFound' : 'bestStack', [money(report.best.saving_text, report.currency)])
      : t('couponsHeading');

  const notes = $('notes');
  notes.replaceChildren(...report.notes.map((note) => el('li', null, t(NOTE_TEXT[note] ?? 'noteOther'))));

  // Which codes the page's promo code field can take is the Engine's answer.
  const fillable = new Set(report.fillable);
  const list = $('coupon-list');
  list.replaceChildren(
    ...report.coupons.map((coupon) => {
      const item = couponItem(coupon, fillable.has(coupon.id), demo, actions);
      item.dataset.id = coupon.id;
      return item;
    }),
  );

  if (focusedId !== null && focusedClass !== null) {
    const again = [...list.children].find((item) => item.dataset.id === focusedId);
    again?.querySelector(`button.${focusedClass}`)?.focus();
  }
}

/** The footer's line: where the coupons come from and how fresh they are. */
export function renderFeed(feed) {
  const line = $('feed-status');
  if (!feed) {
    line.textContent = '';
    return;
  }
  let text;
  if (feed.coupons === 0 && feed.generated_at === 0) text = t('feedNone');
  else if (feed.source === 'demo') text = t('feedDemo');
  else if (feed.market) text = t('feedUpdatedMarket', [feed.market, date(feed.checked_at || feed.generated_at)]);
  else text = t('feedUpdated', [date(feed.checked_at || feed.generated_at)]);
  if (feed.unserved) text = `${t('feedMarketNotServed', [feed.unserved])} ${text}`;
  // Why it failed is for the options page; here, only that these are the last good coupons.
  if (feed.last_error) text = `${text} ${t('feedStale')}`;
  line.textContent = text;
}
