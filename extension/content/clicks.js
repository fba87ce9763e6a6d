// Reports the shopper following a link the content script rewrote (a click, Enter on it, or a middle click), and which tab the visit goes on in.
//
// Why: our link leads through AliExpress's affiliate redirect, which sends the shopper on by
// script, so the landing's referrer is the bare `https://s.click.aliexpress.com/` that anyone's
// affiliate link leaves too. Told that the shopper just followed one of ours, the worker's Engine
// keeps the visit ours instead of standing the tab down against us. Only events the browser made
// (`isTrusted`) count: a page script calling `click()` on our link is not the shopper.

/** Link targets that keep the navigation in this tab (the content script runs in the top frame). */
const SAME_TAB_TARGETS = new Set(['', '_self', '_top', '_parent']);

/**
 * Watches clicks on links we rewrote.
 * @param {(el: Element) => boolean} isOurs whether the link work rewrote this element (and it
 *   still carries our link)
 * @param {(href: string, opens: 'this_tab'|'new_tab') => void} report
 */
export function watchOurClicks(isOurs, report) {
  const followed = (event) => {
    if (!event.isTrusted) return;
    // The middle button is the only other one that follows a link (into a new tab).
    if (event.type === 'auxclick' && event.button !== 1) return;
    const target = event.target instanceof Element ? event.target : null;
    const link = target?.closest('a[href]');
    if (!link || !isOurs(link)) return;
    report(link.getAttribute('href'), opensNewTab(event, link) ? 'new_tab' : 'this_tab');
  };
  // Capturing on the window: before any page handler can stop the event on its way.
  window.addEventListener('click', followed, true);
  window.addEventListener('auxclick', followed, true);
}

/** Whether following `link` with this event opens another tab (or window) than this one. */
function opensNewTab(event, link) {
  if (event.type === 'auxclick' || event.ctrlKey || event.metaKey || event.shiftKey) return true;
  const target = link.getAttribute('target') ?? document.querySelector('base[target]')?.getAttribute('target') ?? '';
  return !SAME_TAB_TARGETS.has(target.toLowerCase());
}
