// End to end: the popup and options pages: what they show, that page data never goes through innerHTML, the protocol's refusals, screenshots in light and dark.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  ARTIFACTS,
  DIST,
  defaultKey,
  feedUrlOfBuild,
  isOurDeepLink,
  launch,
  openPopup,
  readLinks,
  setMode,
  tabIdOf,
  sleep,
  waitIdle,
  MESSAGES,
  TEST_TIMEOUT_MS,
  PRODUCT_PAGE as PRODUCT,
} from './helpers.mjs';

let ext;

before(async () => {
  ext = await launch();
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await ext?.close();
});

function jsFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsFiles(path));
    else if (entry.name.endsWith('.js')) out.push(path);
  }
  return out;
}

test('no extension script writes HTML from strings (innerHTML, outerHTML, insertAdjacentHTML, document.write)', { timeout: TEST_TIMEOUT_MS }, () => {
  const sinks = /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write(ln)?)\b/;
  const offenders = jsFiles(DIST)
    .filter((file) => !file.includes(`${join(DIST, 'wasm')}`))
    .filter((file) => sinks.test(readFileSync(file, 'utf8')))
    .map((file) => relative(DIST, file));
  assert.deepEqual(offenders, []);
});

test('the popup writes no HTML while it shows a tab: innerHTML and its kin are never called', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(PRODUCT);
  const tabId = await tabIdOf(ext, page);
  await waitIdle(ext, tabId);

  const popup = await ext.context.newPage();
  // Trap every HTML sink in the popup before its scripts run.
  await popup.addInitScript(() => {
    window.__htmlSinks = [];
    for (const [proto, name] of [
      [Element.prototype, 'innerHTML'],
      [Element.prototype, 'outerHTML'],
      [ShadowRoot.prototype, 'innerHTML'],
    ]) {
      const original = Object.getOwnPropertyDescriptor(proto, name);
      Object.defineProperty(proto, name, {
        ...original,
        set(value) {
          window.__htmlSinks.push(name);
          return original.set.call(this, value);
        },
      });
    }
    const insert = Element.prototype.insertAdjacentHTML;
    Element.prototype.insertAdjacentHTML = function (...args) {
      window.__htmlSinks.push('insertAdjacentHTML');
      return insert.apply(this, args);
    };
  });
  await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tabId=${tabId}`);
  await popup.locator('#links-found').filter({ hasText: /[1-9]/ }).waitFor();
  assert.deepEqual(await popup.evaluate(() => window.__htmlSinks), []);
  await popup.close();
  await page.close();
});

test('popup on a page that is not AliExpress says so and offers nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
  const worker = await ext.worker();
  const tabId = await worker.evaluate(async () => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((t) => t.url?.endsWith('/options.html'))?.id;
  });
  const popup = await openPopup(ext, tabId);
  assert.equal(
    (await popup.locator('#page-status').textContent()).trim(),
    MESSAGES.statusNotAliexpress.message,
  );
  assert.equal(await popup.locator('#activate').isVisible(), false);
  assert.equal(await popup.locator('#links-found').isVisible(), false);
  assert.equal(await popup.locator('#deal').isVisible(), false, 'no saving, no coupon notes');
  // The program is disclosed in the UI even where nothing can be activated.
  assert.equal((await popup.locator('footer [data-i18n="paidLine"]').textContent()).trim(), MESSAGES.paidLine.message);
  await popup.close();
  await page.close();
});

test('popup: state, counts, disclosure, keyboard activation; screenshots light and dark', { timeout: TEST_TIMEOUT_MS }, async () => {
  await setMode(ext, 'ask');
  const page = await ext.context.newPage();
  await page.goto(PRODUCT);
  const tabId = await tabIdOf(ext, page);
  const state = await waitIdle(ext, tabId);

  for (const scheme of ['light', 'dark']) {
    const popup = await openPopup(ext, tabId, { colorScheme: scheme });
    await popup.setViewportSize({ width: 360, height: 560 });
    assert.equal(await popup.locator('#page-status').isVisible(), false, 'the deal area speaks instead');
    assert.equal(await popup.locator('#links-found').textContent(), String(state.found));
    assert.equal(await popup.locator('#links-products').textContent(), String(state.products));
    assert.equal(await popup.locator('#links-rewritten').textContent(), '0');
    assert.equal(await popup.locator('#stand-down').isVisible(), false);
    assert.ok(await popup.locator('#activate').isVisible());
    // The disclosure sits beside the button it is about, short, with a link to the full text.
    const disclosure = popup.locator('#disclosure');
    assert.equal(await popup.getAttribute('#activate', 'aria-describedby'), 'disclosure');
    assert.ok(await disclosure.isVisible());
    const short = (await disclosure.locator('span').textContent()).trim();
    assert.equal(short, MESSAGES.disclosureShort.message);
    assert.match(short, /affiliate tag/);
    assert.match(short, /commission/);
    assert.match(short, /never replaced/);
    assert.equal(await disclosure.locator('a').getAttribute('href'), 'options.html#how-we-are-paid');
    await popup.screenshot({ path: join(ARTIFACTS, `popup-${scheme}.png`), fullPage: true });
    await popup.close();
  }

  // The Activate button is a real button: keyboard focus and Enter work.
  const popup = await openPopup(ext, tabId);
  await popup.setViewportSize({ width: 360, height: 560 });
  await popup.locator('#activate').focus();
  assert.equal(await popup.evaluate(() => document.activeElement.id), 'activate');
  await popup.keyboard.press('Enter');
  await popup.locator('#activate').waitFor({ state: 'hidden' });
  await popup.locator('#links-rewritten').filter({ hasText: /^[1-9]/ }).waitFor();
  assert.equal((await popup.locator('#tab-policy').textContent()).trim(), MESSAGES.activatedNote.message);
  await popup.screenshot({ path: join(ARTIFACTS, 'popup-activated.png'), fullPage: true });
  await popup.close();
  await page.close();
});

test('options page: mode radios with the disclosure next to auto; auto only after a confirmation (never by an arrow key); Saved. next to what was saved; affiliate key validated by the Engine', { timeout: TEST_TIMEOUT_MS }, async () => {
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await options.waitForFunction(() => document.querySelector('input[name="mode"]:checked') !== null);
  const values = await options.$$eval('input[name="mode"]', (radios) => radios.map((r) => r.value));
  assert.deepEqual(values, ['ask', 'auto', 'off']);
  const described = await options.getAttribute('#mode-auto', 'aria-describedby');
  assert.equal(
    (await options.locator(`#${described}`).textContent()).trim(),
    MESSAGES.autoDisclosure.message,
  );
  // Each radio has a label (accessible name).
  for (const value of values) {
    const label = await options.locator(`label[for="mode-${value}"]`).textContent();
    assert.ok(label.trim().length > 0, `label for ${value}`);
  }

  const worker = await ext.worker();
  const storedMode = async () => (await worker.evaluate(() => chrome.storage.local.get('settings'))).settings?.mode ?? 'ask';
  const dialog = options.locator('#auto-confirm');

  // An arrow key on the radio group only opens the confirmation: nothing is saved, and the
  // dialog names what changes. Escape, or "keep my choice", leaves the mode as it was.
  await options.locator('#mode-ask').focus();
  await options.keyboard.press('ArrowDown');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await options.evaluate(() => document.activeElement.id), 'auto-confirm-no', 'the safe answer has focus');
  assert.equal((await options.locator('#auto-confirm-text').textContent()).trim(), MESSAGES.autoConfirmText.message);
  await options.screenshot({ path: join(ARTIFACTS, 'options-auto-confirm.png') });
  await options.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  // Back on the saved mode (the page puts it back once the dialog has closed).
  await options.waitForFunction(() => document.getElementById('mode-ask').checked, null, { timeout: 5000 });
  assert.equal(await storedMode(), 'ask');
  await options.keyboard.press('ArrowDown');
  await dialog.waitFor({ state: 'visible' });
  await options.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await storedMode(), 'ask', 'Enter on the focused answer keeps the current choice');

  // Only "Turn on automatic deals" saves auto, and "Saved." appears next to the mode.
  await options.locator('#mode-auto').check();
  await options.locator('#auto-confirm-yes').click();
  await options.locator('#mode-status').filter({ hasText: MESSAGES.saved.message }).waitFor();
  assert.equal(await storedMode(), 'auto');
  assert.equal(await options.locator('#mode-form fieldset #mode-status').count(), 1, 'the status sits in the mode fieldset');
  assert.equal((await options.locator('#key-status').textContent()).trim(), '', 'nothing said next to the key');

  // An invalid key is refused with the Engine's reason, and nothing is stored.
  await options.locator('#affiliate-key').fill('not a valid key!');
  await options.locator('#key-save').click();
  const error = options.locator('#key-error');
  await error.waitFor({ state: 'visible' });
  // Worded from the problem's code in the shopper's language, not the Engine's English.
  assert.equal(
    (await error.textContent()).trim(),
    MESSAGES.keyInvalid.message.replace('$REASON$', MESSAGES.error_affiliate_key_bad_characters.message),
  );
  assert.equal(await options.getAttribute('#affiliate-key', 'aria-invalid'), 'true');
  assert.equal((await worker.evaluate(() => chrome.storage.local.get('settings'))).settings.affiliate_key, undefined);
  await options.screenshot({ path: join(ARTIFACTS, 'options-key-error.png'), fullPage: true });

  // A valid key is stored and used for new links at once.
  await options.locator('#affiliate-key').fill('my_own-Key1');
  await options.locator('#key-save').click();
  await options.locator('#key-status').filter({ hasText: MESSAGES.saved.message }).waitFor();
  await error.waitFor({ state: 'hidden' });
  assert.equal((await worker.evaluate(() => chrome.storage.local.get('settings'))).settings.affiliate_key, 'my_own-Key1');

  const page = await ext.context.newPage();
  await page.goto(PRODUCT);
  await waitIdle(ext, await tabIdOf(ext, page));
  for (const link of await readLinks(page)) {
    if (link.expect === 'rewrite') assert.ok(isOurDeepLink(link.href, link.id, 'my_own-Key1'), link.href);
  }
  await page.close();

  // An empty key goes back to the build default.
  await options.locator('#affiliate-key').fill('');
  await options.locator('#key-save').click();
  await options.locator('#key-status').filter({ hasText: MESSAGES.saved.message }).waitFor();
  assert.equal(await options.inputValue('#affiliate-key'), '');
  assert.equal(await options.getAttribute('#affiliate-key', 'placeholder'), defaultKey());

  await options.emulateMedia({ colorScheme: 'dark' });
  await options.screenshot({ path: join(ARTIFACTS, 'options-dark.png'), fullPage: true });
  await options.locator('#mode-ask').check();
  await options.locator('#mode-status').filter({ hasText: MESSAGES.saved.message }).waitFor();
  await options.close();
});

test('options page: Smart Search products on until the shopper turns them off, with the one line saying where a search goes; Saved. next to it', { timeout: TEST_TIMEOUT_MS }, async () => {
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await options.waitForFunction(() => document.querySelector('input[name="mode"]:checked') !== null);
  const box = options.locator('#search-results');
  assert.equal(await box.isChecked(), true, 'on before the shopper chooses');
  const help = await options.getAttribute('#search-results', 'aria-describedby');
  assert.equal((await options.locator(`#${help}`).textContent()).trim(), MESSAGES.searchResultsHelp.message);
  assert.ok((await options.locator('label[for="search-results"]').textContent()).trim().length > 0);

  const worker = await ext.worker();
  const stored = async () => (await worker.evaluate(() => chrome.storage.local.get('settings'))).settings ?? {};
  await box.focus();
  await options.keyboard.press('Space');
  await options.locator('#search-results-status').filter({ hasText: MESSAGES.saved.message }).waitFor();
  assert.equal((await stored()).search_results, false);
  const reply = await options.evaluate(() => chrome.runtime.sendMessage({ kind: 'get_settings' }));
  assert.equal(reply.search_results, false);
  assert.equal((await options.locator('#mode-status').textContent()).trim(), '', 'nothing said next to the mode');

  // Turned on again: the Engine's default, so nothing of it is kept.
  await box.check();
  const deadline = Date.now() + 5000;
  while ('search_results' in (await stored()) && Date.now() < deadline) await sleep(50);
  assert.equal((await stored()).search_results, undefined);
  assert.equal(await box.isChecked(), true);
  await options.close();
});

test('the worker refuses unknown kinds, content-script kinds from a page, extra fields and unknown modes', { timeout: TEST_TIMEOUT_MS }, async () => {
  // A content script cannot be driven from here, but the worker's refusal of an unknown kind
  // from an extension page shows the same check; the role rules are unit-tested in tests/unit.
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html?tabId=0`);
  const replies = await page.evaluate(async () => ({
    unknown: await chrome.runtime.sendMessage({ kind: 'steal_cookies' }),
    contentOnly: await chrome.runtime.sendMessage({ kind: 'links_found', hrefs: [] }),
    extra: await chrome.runtime.sendMessage({ kind: 'get_settings', admin: true }),
    badMode: await chrome.runtime.sendMessage({ kind: 'set_settings', mode: 'always' }),
  }));
  // A refusal is a problem the page can word; its parameter says why, for the log.
  assert.deepEqual(replies.unknown, {
    ok: false,
    error: { code: 'message_refused', params: ["message refused: unknown kind 'steal_cookies'"] },
  });
  assert.equal(replies.contentOnly.ok, false);
  assert.equal(replies.contentOnly.error.code, 'message_refused');
  assert.match(replies.contentOnly.error.params[0], /not accepted from an extension page/);
  assert.equal(replies.extra.ok, false);
  assert.equal(replies.badMode.ok, false);
  await page.close();
});

test('manifest: MV3, minimal permissions, AliExpress hosts and the feed server only, WASM CSP, no web-accessible resources', { timeout: TEST_TIMEOUT_MS }, () => {
  const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8'));
  // The one host beyond AliExpress: the feed server of the build's configuration.
  const feedUrl = feedUrlOfBuild();
  const hosts = manifest.host_permissions.filter((p) => p !== `${new URL(feedUrl).origin}/*`);
  assert.equal(hosts.length, manifest.host_permissions.length - 1, 'the feed origin is a host permission');
  assert.equal(manifest.manifest_version, 3);
  assert.deepEqual(manifest.permissions, ['storage', 'alarms']);
  assert.equal(manifest.web_accessible_resources, undefined);
  assert.equal(manifest.background.type, 'module');
  assert.equal(
    manifest.content_security_policy.extension_pages,
    "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
  );
  for (const pattern of [...hosts, ...manifest.content_scripts[0].matches]) {
    assert.match(pattern, /^\*:\/\/(\*\.)?aliexpress\.(com|us|ru)\/\*$/, pattern);
  }
  assert.equal(manifest.content_scripts[0].run_at, 'document_idle');
  // Every locale has every message the English one has, and the store description fits.
  const locales = readdirSync(join(DIST, '_locales'));
  assert.ok(locales.includes('en'));
  for (const locale of locales) {
    const messages = JSON.parse(readFileSync(join(DIST, '_locales', locale, 'messages.json'), 'utf8'));
    assert.deepEqual(Object.keys(messages).sort(), Object.keys(MESSAGES).sort(), locale);
    assert.ok(messages.extDescription.message.length <= 132, `${locale} description ≤ 132 characters`);
    assert.ok(messages.extName.message.length <= 75, `${locale} name ≤ 75 characters`);
    // Chrome reads `$1`…`$9` and `$NAME$` in a message as placeholders: a literal dollar sign
    // must be written `$$` ("under $20" shows as "under 0").
    for (const [key, { message, placeholders = {} }] of Object.entries(messages)) {
      const literal = message
        .replaceAll('$$', '')
        .replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name) => (Object.hasOwn(placeholders, name.toLowerCase()) ? '' : whole));
      assert.ok(!literal.includes('$'), `${locale} ${key}: a literal $ must be written $$: ${message}`);
    }
  }
  // Icons are small PNGs.
  for (const icon of Object.values(manifest.icons)) {
    assert.ok(statSync(join(DIST, icon)).size < 8 * 1024, icon);
  }
});
