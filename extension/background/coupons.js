// The coupon messages: a page's facts turned into its coupons by the Engine (for the popup and the badge), and a promo code filled in at checkout.

import { message as build } from '../shared/protocol.js';
import { showCouponCount } from './badge.js';
import * as engine from './engine.js';
import { feedStatus, pageRegion } from './feed.js';
import { logOnce } from './log.js';
import { askTab } from '../shared/client.js';
import { problem } from '../shared/problem.js';
import { isAliexpressTab } from './tab-page.js';

/** Coupons the Engine finds for a page's facts; also keeps the tab's badge in step. */
async function couponsForFacts(tabId, facts, state) {
  await state.feedReady;
  const report = engine.couponsFor(facts, state.settings.new_user === true);
  await showCouponCount(tabId, report.coupons.length);
  return report;
}

export async function pageSeen(msg, sender, state) {
  const report = await couponsForFacts(sender.tab.id, msg.facts, state);
  // The page may say the shopper's market: its feed is fetched if it is not the one in use.
  pageRegion(report.page?.country ?? null, report.page?.currency ?? null).catch((error) => logOnce('market', error));
  return { ok: true, coupons: report.coupons.length, watch: report.watch };
}

/** The page's facts, read now by its content script; null when it has none (reload needed). */
async function freshFacts(tabId) {
  const answer = await askTab(tabId, build.getPageFacts());
  if (!answer.ok) {
    logOnce('get_page_facts', answer.error.code);
    return null;
  }
  return answer.facts;
}

export async function tabCoupons(tabId, state) {
  let aliexpress;
  try {
    aliexpress = await isAliexpressTab(tabId);
  } catch {
    return { ok: false, error: problem('tab_gone') };
  }
  const feed = await state.feedReady.then(feedStatus);
  if (!aliexpress) return { ok: true, tabId, aliexpress, report: null, feed };
  const facts = await freshFacts(tabId);
  const report = facts === null ? null : await couponsForFacts(tabId, facts, state);
  return { ok: true, tabId, aliexpress, report, feed };
}

export async function fillCode(tabId, couponId, state) {
  const answer = await tabCoupons(tabId, state);
  if (!answer.ok) return answer;
  // The Engine says which codes this page's promo code field can take (at checkout only).
  const report = answer.report;
  const coupon = report?.fillable.includes(couponId) ? report.coupons.find((c) => c.id === couponId) : undefined;
  if (!coupon) return { ok: false, error: problem('coupon_not_fillable') };
  const filling = await askTab(tabId, build.fillPromoCode(coupon.code));
  if (!filling.ok) logOnce('fill_promo_code', filling.error.code);
  const filled = filling.ok && filling.filled;
  // Filling puts the code in the field and nothing more: it never activates deals (the button
  // says "Fill in", and activation is the shopper's own click on "Activate deals", with the
  // disclosure beside it).
  return { ok: true, filled, code: coupon.code };
}
