// The build hands the shell what only the rules know (crates/core/src/contract.rs, printed by `shopper contract`): the generated contract module and the manifest's AliExpress patterns must equal what the rules say.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = join(ROOT, 'dist', 'chrome');

/** The rules' contract, from the command line built over the same core (`shopper contract`). */
async function engineContract() {
  const cli = join(ROOT, 'target', 'release', 'shopper');
  if (!existsSync(cli)) throw new Error(`no ${cli}: scripts/build first`);
  return JSON.parse(execFileSync(cli, ['contract'], { encoding: 'utf8' }));
}

test('the contract module in the source tree and in the build is the Engine’s', async () => {
  const contract = await engineContract();
  for (const path of [join(ROOT, 'extension', 'shared', 'contract.js'), join(DIST, 'shared', 'contract.js')]) {
    const { CONTRACT } = await import(`${pathToFileURL(path).href}?${Date.now()}`);
    assert.deepEqual(CONTRACT, contract, path);
  }
});

test('the manifest matches exactly the AliExpress domains the Engine knows, and their subdomains', async () => {
  const { aliexpress_domains: domains } = await engineContract();
  const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8'));
  const patterns = domains.flatMap((d) => [`*://${d}/*`, `*://*.${d}/*`]);
  assert.deepEqual(manifest.content_scripts[0].matches, patterns);
  for (const pattern of patterns) assert.ok(manifest.host_permissions.includes(pattern), pattern);
  // Nothing beyond AliExpress but the feed server's origin.
  assert.ok(manifest.host_permissions.length <= patterns.length + 1, JSON.stringify(manifest.host_permissions));
});

test('the modes the protocol accepts are the Engine’s', async () => {
  const { MODES } = await import(pathToFileURL(join(ROOT, 'extension', 'shared', 'protocol.js')).href);
  const contract = await engineContract();
  assert.deepEqual([...MODES], contract.rewrite_modes);
});

test('the page-facts collector, the promo-code filler and the protocol take their limits from the Engine', async () => {
  const contract = await engineContract();
  const content = join(ROOT, 'extension', 'content');
  const page = await import(pathToFileURL(join(content, 'page.js')).href);
  const checkout = await import(pathToFileURL(join(content, 'checkout.js')).href);
  const { LIMITS } = await import(pathToFileURL(join(ROOT, 'extension', 'shared', 'protocol.js')).href);
  assert.equal(page.FACTS_VERSION, contract.page_facts.version);
  assert.deepEqual(page.FACT_LIMITS, contract.page_facts.limits);
  assert.ok(contract.page_facts.script_keys.length > 0);
  assert.equal(checkout.MAX_PROMO_CODE_LENGTH, contract.promo_code_max_length);
  assert.equal(LIMITS.MAX_CODE_LENGTH, contract.promo_code_max_length);
  assert.equal(LIMITS.MAX_FACTS_LENGTH, contract.page_facts.max_length);
  assert.equal(LIMITS.MAX_RATES_LENGTH, contract.feed_rates_max_length);
  assert.equal(LIMITS.MAX_COOKIES_LENGTH, contract.visit_cookies.max_length);
  // The facts of a full cart, every line and href at its cap, still cross the protocol.
  const { limits } = contract.page_facts;
  const line = { links: Array(limits.ITEM_LINKS).fill('h'.repeat(limits.HREF)), store_link: 'h'.repeat(limits.HREF) };
  const cart = JSON.stringify({ items: Array(limits.ITEMS).fill(line) });
  assert.ok(cart.length <= LIMITS.MAX_FACTS_LENGTH, `${cart.length} characters`);
});
