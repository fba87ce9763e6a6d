// The toolbar badge: how many coupons apply on a tab, set per tab so every tab shows its own.

import { logOnce } from './log.js';

// White on this red reads at a contrast of 5.9:1 (WCAG AA for the badge's small bold text).
const BADGE_COLOR = '#c2410c';

/** Shows `count` on the tab's badge; nothing when no coupon applies. */
export async function showCouponCount(tabId, count) {
  try {
    await chrome.action.setBadgeText({ tabId, text: count > 0 ? String(Math.min(count, 99)) : '' });
    await chrome.action.setBadgeBackgroundColor({ tabId, color: BADGE_COLOR });
    await chrome.action.setBadgeTextColor({ tabId, color: '#ffffff' });
  } catch (error) {
    // The tab closed meanwhile: nothing to show.
    logOnce('badge', error);
  }
}
