// Unit tests of extension/shared/protocol.js: every kind, who may send it, and the refusals of untrusted input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BATCH_SIZE,
  checkAnswer,
  checkMessage,
  Kind,
  LIMITS,
  message,
  MODES,
  rewriteLines,
  Role,
  senderRole,
  visitCookies,
} from '../../extension/shared/protocol.js';
import { CONTRACT } from '../../extension/shared/contract.js';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const VISIT = { landing: 'https://www.aliexpress.com/w/wholesale-x.html', referrer: '' };
const PAGE = VISIT.landing;
const found = (hrefs) => message.linksFound(VISIT, PAGE, hrefs);
const BASE = `chrome-extension://${ID}/`;

test('every builder makes a message its intended sender may send', () => {
  const cases = [
    [message.pageOpened('https://www.aliexpress.com/', ''), Role.CONTENT],
    [found(['https://www.aliexpress.com/item/1.html']), Role.CONTENT],
    [message.ourLinkFollowed('https://s.click.aliexpress.com/deep_link.htm?aff_short_key=k&dl_target_url=x', 'this_tab'), Role.CONTENT],
    [message.ourLinkFollowed('https://s.click.aliexpress.com/e/_x', 'new_tab'), Role.CONTENT],
    [message.getTabState(3), Role.EXTENSION_PAGE],
    [message.activateDeals(3), Role.EXTENSION_PAGE],
    [message.getSettings(), Role.EXTENSION_PAGE],
    [message.setSettings('auto'), Role.EXTENSION_PAGE],
    [message.setSettings('ask', { affiliate_key: 'my_key' }), Role.EXTENSION_PAGE],
    [message.setSettings('ask', { new_user: true }), Role.EXTENSION_PAGE],
    [message.setSettings('ask', { search_results: false }), Role.EXTENSION_PAGE],
    [message.rescan(), Role.WORKER],
    [message.pageState(), Role.WORKER],
    [message.pageSeen({ version: 1, url: PAGE }), Role.CONTENT],
    [message.getTabCoupons(3), Role.EXTENSION_PAGE],
    [message.fillCode(3, 'code-1'), Role.EXTENSION_PAGE],
    [message.fillPromoCode('SAVE2'), Role.WORKER],
    [message.getPageFacts(), Role.WORKER],
    [message.getFeed(), Role.EXTENSION_PAGE],
    [message.refreshFeed(), Role.EXTENSION_PAGE],
    [message.searchProducts('earbuds under 20', { locale: 'en-US' }), Role.EXTENSION_PAGE],
    [message.searchProducts('fones', { country: 'BR', currency: 'BRL', locale: 'pt-BR' }), Role.EXTENSION_PAGE],
  ];
  const kinds = new Set(cases.map(([m]) => m.kind));
  assert.deepEqual([...kinds].sort(), Object.values(Kind).sort(), 'every kind has a builder');
  for (const [msg, role] of cases) {
    const checked = checkMessage(msg, role);
    assert.equal(checked.ok, true, `${msg.kind}: ${checked.error}`);
    assert.deepEqual(checked.message, msg);
  }
});

test('unknown kinds and non-objects are refused', () => {
  for (const msg of [{ kind: 'eval' }, { kind: '__proto__' }, { kind: 'toString' }, {}, null, 'links_found', [], 42]) {
    const checked = checkMessage(msg, Role.CONTENT);
    assert.equal(checked.ok, false, JSON.stringify(msg));
    assert.match(checked.error, /^message refused: /);
  }
  assert.match(checkMessage({ kind: 'eval' }, Role.EXTENSION_PAGE).error, /unknown kind 'eval'/);
});

test('our_link_followed comes only from a content script, with a bounded href and a known tab', () => {
  const ok = message.ourLinkFollowed('https://s.click.aliexpress.com/e/_x', 'this_tab');
  assert.equal(checkMessage(ok, Role.EXTENSION_PAGE).ok, false);
  for (const msg of [
    { ...ok, opens: 'other_window' },
    { ...ok, opens: undefined },
    { ...ok, href: 42 },
    { ...ok, href: 'x'.repeat(LIMITS.MAX_OUR_LINK_LENGTH + 1) },
    { ...ok, tabId: 3 },
  ]) {
    assert.equal(checkMessage(msg, Role.CONTENT).ok, false, JSON.stringify(msg).slice(0, 80));
  }
});

test('a content script may send only page_opened, links_found, our_link_followed and page_seen', () => {
  for (const msg of [
    message.getTabState(1),
    message.activateDeals(1),
    message.getSettings(),
    message.setSettings('auto'),
    message.rescan(),
    message.pageState(),
    message.getTabCoupons(1),
    message.fillCode(1, 'c'),
    message.fillPromoCode('c'),
    message.getPageFacts(),
    message.getFeed(),
    message.refreshFeed(),
  ]) {
    const checked = checkMessage(msg, Role.CONTENT);
    assert.equal(checked.ok, false, msg.kind);
    assert.match(checked.error, new RegExp(`'${msg.kind}' is not accepted from a content script`));
  }
});

test('extension pages cannot send what only content scripts send', () => {
  assert.match(checkMessage(found(['/item/1.html']), Role.EXTENSION_PAGE).error, /not accepted from an extension page/);
  assert.match(checkMessage(message.pageOpened('a', 'b'), Role.EXTENSION_PAGE).error, /not accepted/);
});

test('a sender that is not this extension is refused whatever it sends', () => {
  assert.match(checkMessage(message.getSettings(), null).error, /does not come from this extension/);
  assert.match(checkMessage(message.getSettings(), 'admin').error, /does not come from this extension/);
});

test('links_found: types and sizes are checked', () => {
  const ok = Array.from({ length: LIMITS.MAX_HREFS_PER_BATCH }, (_, i) => `https://www.aliexpress.com/item/${i}.html`);
  assert.equal(checkMessage(found(ok), Role.CONTENT).ok, true);
  assert.ok(BATCH_SIZE <= LIMITS.MAX_HREFS_PER_BATCH);

  const tooMany = checkMessage(found([...ok, 'x']), Role.CONTENT);
  assert.match(tooMany.error, /at most 1000 hrefs per batch/);
  const tooLong = checkMessage(found(['/a', 'x'.repeat(LIMITS.MAX_HREF_LENGTH + 1)]), Role.CONTENT);
  assert.match(tooLong.error, /'links_found\.hrefs' line 2 must be at most 4096 characters/);
  assert.equal(checkMessage(found(['x'.repeat(LIMITS.MAX_HREF_LENGTH)]), Role.CONTENT).ok, true);
  assert.match(checkMessage({ ...found(['/a']), hrefs: ['/a'] }, Role.CONTENT).error, /must be a string of lines/);
  assert.match(checkMessage({ ...found(['/a']), base: 7 }, Role.CONTENT).error, /'links_found\.base' must be a string/);
  const { landing, ...noLanding } = found(['/a']);
  assert.match(checkMessage(noLanding, Role.CONTENT).error, /'links_found\.landing' is missing/);
  assert.match(checkMessage({ kind: 'links_found' }, Role.CONTENT).error, /is missing/);
});

test('links_found: one line per href, whatever the hrefs hold', () => {
  const msg = found(['/item/1.html\n', 'https://www.aliexpress.com/\r\nitem/2.html', '']);
  assert.equal(msg.hrefs, '/item/1.html\nhttps://www.aliexpress.com/item/2.html\n');
  assert.equal(msg.hrefs.split('\n').length, 3);
  assert.equal(checkMessage(msg, Role.CONTENT).ok, true);
});

test('page_opened: url and referrer are bounded strings', () => {
  assert.equal(checkMessage(message.pageOpened('https://www.aliexpress.com/', ''), Role.CONTENT).ok, true);
  assert.match(checkMessage(message.pageOpened(5, ''), Role.CONTENT).error, /'page_opened\.url' must be a string/);
  assert.match(checkMessage({ kind: 'page_opened', url: 'u' }, Role.CONTENT).error, /referrer' is missing/);
  const long = 'x'.repeat(LIMITS.MAX_URL_LENGTH + 1);
  assert.match(checkMessage(message.pageOpened(long, ''), Role.CONTENT).error, /at most 8192 characters/);
});

const CID = 'aeu_cid=6e2ba7d9c1f04a3b8f7e2d1c0b9a8f7e-1764589123456-04512-_DlJ4Oaz';
const XMAN = 'xman_us_f=x_l=1&x_locale=en_US&x_as_i=%7B%22affiliateKey%22%3A%22_DlJ4Oaz%22%2C%22channel%22%3A%22AFFILIATE%22%7D';

test('visitCookies keeps the values of the Engine’s two cookies and nothing else', () => {
  assert.deepEqual(CONTRACT.visit_cookies.names, ['aeu_cid', 'xman_us_f']);
  const page = `x_user=secret; ${CID}; aep_usuc_f=site=glo&c_tp=USD; ${XMAN}; intl_locale=en_US; AEU_CID=nope; xaeu_cid=nope`;
  const kept = visitCookies(page);
  assert.equal(kept, `${CID}; ${XMAN}`);
  for (const secret of ['x_user', 'secret', 'aep_usuc_f', 'intl_locale', 'nope']) assert.ok(!kept.includes(secret), secret);
  assert.equal(visitCookies(''), '');
  assert.equal(visitCookies('x_user=secret'), '');
  assert.equal(visitCookies(undefined), '');
  assert.equal(visitCookies(' aeu_cid = v ;xman_us_f=a=b'), 'aeu_cid=v; xman_us_f=a=b');
  // A value over the cap is left out, never cut; at most max_values of a name.
  const { max_value_length: max, max_values: most, max_length: longest } = CONTRACT.visit_cookies;
  assert.equal(visitCookies(`aeu_cid=${'a'.repeat(max + 1)}; ${CID}`), CID);
  assert.equal(visitCookies(`aeu_cid=${'a'.repeat(max)}`).length, 'aeu_cid='.length + max);
  assert.equal(visitCookies(Array(most + 2).fill(CID).join('; ')), Array(most).fill(CID).join('; '));
  // The most it ever writes crosses the protocol.
  const full = visitCookies(
    CONTRACT.visit_cookies.names.flatMap((name) => Array(most + 1).fill(`${name}=${'é'.repeat(max)}`)).join('; '),
  );
  assert.ok(full.length <= longest, `${full.length}`);
  assert.equal(checkMessage(message.pageOpened('https://www.aliexpress.com/', '', full), Role.CONTENT).ok, true);
});

test('the visit cookies a content script sends are checked: no other cookie ever passes', () => {
  const opened = (cookies) => checkMessage(message.pageOpened('https://www.aliexpress.com/', '', cookies), Role.CONTENT);
  assert.equal(opened('').ok, true);
  assert.equal(opened(`${CID}; ${XMAN}`).ok, true);
  assert.equal(checkMessage(message.linksFound({ ...VISIT, cookies: CID }, PAGE, ['/a']), Role.CONTENT).ok, true);
  for (const bad of [
    'x_user=secret',
    `${CID}; x_user=secret`,
    `${CID};x_user=secret`,
    `aeu_cid`,
    `${CID}; `,
    `AEU_CID=x`,
    `aeu_cid=${'a'.repeat(CONTRACT.visit_cookies.max_value_length + 1)}`,
    Array(CONTRACT.visit_cookies.max_values + 1).fill(CID).join('; '),
  ]) {
    assert.equal(opened(bad).ok, false, bad);
  }
  assert.match(opened(7).error, /'page_opened\.cookies' must be a string/);
  assert.match(checkMessage({ kind: 'page_opened', url: 'u', referrer: '' }, Role.CONTENT).error, /cookies' is missing/);
  const noCookies = { ...found(['/a']) };
  delete noCookies.cookies;
  assert.match(checkMessage(noCookies, Role.CONTENT).error, /'links_found\.cookies' is missing/);
});

test('extra fields are refused, so forged fields never pass silently', () => {
  const checked = checkMessage({ ...found(['/a']), tabId: 7 }, Role.CONTENT);
  assert.match(checked.error, /'links_found' has no field 'tabId'/);
  assert.match(checkMessage({ kind: 'get_settings', __proto__: { x: 1 }, y: 2 }, Role.EXTENSION_PAGE).error, /no field 'y'/);
});

test('tab ids and modes are checked', () => {
  for (const tabId of [-1, 1.5, '3', null, Number.MAX_SAFE_INTEGER + 2]) {
    assert.equal(checkMessage({ kind: 'get_tab_state', tabId }, Role.EXTENSION_PAGE).ok, false, String(tabId));
  }
  for (const mode of MODES) assert.equal(checkMessage(message.setSettings(mode), Role.EXTENSION_PAGE).ok, true);
  assert.match(
    checkMessage(message.setSettings('always'), Role.EXTENSION_PAGE).error,
    /'set_settings\.mode' must be one of 'ask', 'auto', 'off'/,
  );
  assert.equal(checkMessage(message.setSettings('ask', { affiliate_key: 5 }), Role.EXTENSION_PAGE).ok, false);
  assert.match(
    checkMessage({ kind: 'set_settings', mode: 'ask', new_user: 'yes' }, Role.EXTENSION_PAGE).error,
    /'set_settings\.new_user' must be true or false/,
  );
});

test('senderRole tells content scripts, extension pages and strangers apart', () => {
  const tab = { id: 12 };
  assert.equal(senderRole({ id: ID, url: 'https://www.aliexpress.com/item/1.html', tab, frameId: 0 }, ID, BASE), Role.CONTENT);
  assert.equal(senderRole({ id: ID, url: `${BASE}popup.html`, tab, frameId: 0 }, ID, BASE), Role.EXTENSION_PAGE);
  assert.equal(senderRole({ id: ID, url: `${BASE}options.html` }, ID, BASE), Role.EXTENSION_PAGE);
  // Another extension, a subframe, no tab, no sender at all.
  assert.equal(senderRole({ id: 'other', url: `${BASE}popup.html` }, ID, BASE), null);
  assert.equal(senderRole({ id: ID, url: 'https://www.aliexpress.com/', tab, frameId: 3 }, ID, BASE), null);
  assert.equal(senderRole({ id: ID, url: 'https://www.aliexpress.com/' }, ID, BASE), null);
  assert.equal(senderRole(undefined, ID, BASE), null);
  // A page URL that merely contains the extension's address is still a page.
  assert.equal(
    senderRole({ id: ID, url: `https://evil.example/${BASE}`, tab, frameId: 0 }, ID, BASE),
    Role.CONTENT,
  );
});

test('rewriteLines accepts exactly one line per href sent', () => {
  assert.deepEqual(rewriteLines({ ok: true, rewrites: 'a\n\nb' }, 3), ['a', '', 'b']);
  assert.deepEqual(rewriteLines({ ok: true, rewrites: '' }, 1), ['']);
  assert.deepEqual(rewriteLines({ ok: true, rewrites: '' }, 0), []);
  assert.equal(rewriteLines({ ok: true, rewrites: 'a\nb' }, 3), null);
  assert.equal(rewriteLines({ ok: false, error: 'x' }, 1), null);
  assert.equal(rewriteLines(undefined, 1), null);
  assert.equal(rewriteLines({ ok: true, rewrites: ['a'] }, 1), null);
});

test('page_seen carries the facts as one bounded JSON string; codes are bounded', () => {
  const msg = message.pageSeen({ version: 1, url: PAGE, items: [] });
  assert.equal(typeof msg.facts, 'string');
  assert.deepEqual(JSON.parse(msg.facts).url, PAGE);
  const huge = { kind: 'page_seen', facts: 'x'.repeat(LIMITS.MAX_FACTS_LENGTH + 1) };
  assert.match(checkMessage(huge, Role.CONTENT).error, /'page_seen\.facts' must be at most/);
  assert.match(checkMessage({ kind: 'page_seen', facts: {} }, Role.CONTENT).error, /must be a string/);
  const longCode = message.fillCode(1, 'c'.repeat(LIMITS.MAX_CODE_LENGTH + 1));
  assert.match(checkMessage(longCode, Role.EXTENSION_PAGE).error, /couponId' must be at most/);
});

test('every answer is checked against its kind: fields well formed, failures as problems', () => {
  const counts = { found: 2, aliexpress: 1, products: 1, attributed: 0, rewritten: 1, held_back: null };
  // A good answer keeps exactly its kind's fields.
  assert.deepEqual(checkAnswer(Kind.LINKS_FOUND, { ok: true, rewrites: 'a\n', ...counts, extra: 1 }), {
    ok: true,
    rewrites: 'a\n',
    ...counts,
  });
  // A field of the wrong shape, a missing field, or no answer at all is a malformed answer.
  for (const reply of [
    { ok: true, rewrites: 5, ...counts },
    { ok: true, rewrites: '', ...counts, found: -1 },
    { ok: true, ...counts },
    undefined,
    null,
    'ok',
    { ok: 'yes' },
  ]) {
    const checked = checkAnswer(Kind.LINKS_FOUND, reply);
    assert.equal(checked.ok, false, JSON.stringify(reply));
    assert.equal(checked.error.code, 'reply_malformed');
  }
  // A refusal passes its problem on; one that is not a problem becomes `unexpected`.
  assert.deepEqual(checkAnswer(Kind.GET_SETTINGS, { ok: false, error: { code: 'tab_gone', params: [] } }), {
    ok: false,
    error: { code: 'tab_gone', params: [] },
  });
  assert.deepEqual(checkAnswer(Kind.SET_SETTINGS, { ok: false, error: { code: 'affiliate_key_empty', params: [] }, field: 'affiliate_key' }), {
    ok: false,
    error: { code: 'affiliate_key_empty', params: [] },
    field: 'affiliate_key',
  });
  assert.equal(checkAnswer(Kind.GET_FEED, { ok: false, error: 'boom' }).error.code, 'unexpected');
  // Every kind a sender waits on has its answer described.
  for (const kind of Object.values(Kind)) {
    assert.notEqual(checkAnswer(kind, { ok: true }).error?.params?.[0], `${kind}: no answer`, kind);
  }
});
