#!/usr/bin/env node
// Packages the extension: dist/chrome/ (manifest, shell, bundled content script, config.js, WASM, the signed demo feed) and its zip (the store zip only for a release build).
//
// Usage: node scripts/package.mjs --wasm <dir with shopper_wasm.js and shopper_wasm_bg.wasm>
// Run by scripts/build after the WASM and the `shopper` command line are built. The root
// manifest.json is the one source; each browser gets its manifest from a function in
// MANIFEST_FOR, so dist/firefox can join later.
//
// A development build (the default) also trusts a development publisher key, generated once into
// target/ and never committed, and ships a demo feed signed with it, so a new user sees coupons
// without any server. SMART_SHOPPER_RELEASE=1 builds for the store: only the publisher keys in
// extension/config.json are trusted, and there is no demo feed.

import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSION = join(ROOT, 'extension');
const DIST = join(ROOT, 'dist');
const WASM_FILES = ['shopper_wasm.js', 'shopper_wasm_bg.wasm'];
const SHOPPER = join(ROOT, 'target', 'release', 'shopper');
/** The development publisher key: generated on first build, kept in target/, never committed. */
const DEV_KEY = join(ROOT, 'target', 'dev-publisher-key.json');
const DEV_KEY_ID = 'dev-local';
/** Where the signed demo feed sits inside the extension. */
const DEMO_FEED_PATH = 'feed/demo.signed.json';
const RELEASE = process.env.SMART_SHOPPER_RELEASE === '1';
/** The generated module holding the Engine's contract with the shell (see writeContract). */
const CONTRACT_MODULE = join(EXTENSION, 'shared', 'contract.js');

// Sources that are not copied as they are: the content script is bundled into one classic
// script (content scripts cannot be modules), config.json becomes config.js, and the demo feed
// is dated and signed.
const NOT_COPIED = new Set(['content', 'config.json', 'demo-feed.json']);

/** The manifest for each browser, from the root manifest.json and the build's configuration. */
const MANIFEST_FOR = {
  chrome(source, config) {
    const manifest = structuredClone(source);
    const patterns = aliexpressPatterns(config.contract);
    manifest.host_permissions = withAliexpressPatterns(manifest.host_permissions, patterns);
    for (const script of manifest.content_scripts) script.matches = withAliexpressPatterns(script.matches, patterns);
    // The companion server is the one host beyond AliExpress the worker talks to.
    if (config.server) manifest.host_permissions.push(`${config.server}/*`);
    return manifest;
  },
};

function fail(message) {
  console.error(`package.mjs: ${message}`);
  process.exit(1);
}

function options() {
  const { values } = parseArgs({
    options: {
      wasm: { type: 'string' },
      browser: { type: 'string', default: 'chrome' },
    },
  });
  if (!values.wasm) fail('usage: node scripts/package.mjs --wasm <dir> [--browser chrome]');
  const wasmDir = resolve(values.wasm);
  for (const file of WASM_FILES) {
    if (!existsSync(join(wasmDir, file))) fail(`${join(wasmDir, file)} is missing; build the WASM first`);
  }
  if (!Object.hasOwn(MANIFEST_FOR, values.browser)) fail(`unknown browser '${values.browser}'`);
  return { wasmDir, browser: values.browser };
}

function readConfig() {
  return JSON.parse(readFileSync(join(EXTENSION, 'config.json'), 'utf8'));
}

/** The freshly built Engine, loaded in Node: the build asks it what only the rules know. */
async function loadEngine(wasmDir) {
  const glue = await import(pathToFileURL(join(wasmDir, 'shopper_wasm.js')).href);
  glue.initSync({ module: readFileSync(join(wasmDir, 'shopper_wasm_bg.wasm')) });
  return glue;
}

/** The build-time default affiliate key: extension/config.json, or SMART_SHOPPER_AFFILIATE_KEY. */
function defaultAffiliateKey(glue, config) {
  const fromEnv = process.env.SMART_SHOPPER_AFFILIATE_KEY;
  const key = fromEnv !== undefined && fromEnv !== '' ? fromEnv : config.affiliate_key;
  if (typeof key !== 'string') fail('extension/config.json has no affiliate_key string');
  // The Engine is the judge of a valid key: ask the freshly built one, so a bad default fails
  // the build instead of every browser that installs it.
  const invalid = glue.Engine.check_affiliate_key(key);
  if (invalid !== undefined) {
    const { code, params } = JSON.parse(invalid);
    fail(`the default affiliate key is invalid: ${[code, ...params].join(' ')}`);
  }
  return key;
}

/** Hosts a development build may fetch its feed from over plain http: this machine. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The companion server's origin (extension/config.json's `server_url`, or
 * SMART_SHOPPER_SERVER_URL): the worker fetches each market's feed and Smart Search's products
 * there, at the paths the Engine's contract names. null: no server, the stored or demo feed only.
 */
function serverOrigin(config) {
  const fromEnv = process.env.SMART_SHOPPER_SERVER_URL;
  const url = fromEnv !== undefined ? fromEnv : config.server_url;
  if (url === '' || url === null || url === undefined) return null;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    fail(`the server URL ${JSON.stringify(url)} is not a URL`);
  }
  // Plain http only to a server on this machine, in a development build (scripts/run's own).
  const loopback = parsed.protocol === 'http:' && !RELEASE && LOOPBACK_HOSTS.has(parsed.hostname);
  if (parsed.protocol !== 'https:' && !loopback) {
    fail(`the server URL must be https (http only for a loopback server in a development build): ${url}`);
  }
  if (parsed.pathname !== '/' || parsed.search || parsed.hash) fail(`the server URL must be an origin only: ${url}`);
  return parsed.origin;
}

function shopper(args, input) {
  if (!existsSync(SHOPPER)) fail(`${SHOPPER} is missing; scripts/build builds it first`);
  return execFileSync(SHOPPER, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] });
}

/** The development key pair, made on the first build. */
function devKey() {
  if (!existsSync(DEV_KEY)) {
    mkdirSync(dirname(DEV_KEY), { recursive: true });
    writeFileSync(DEV_KEY, shopper(['feed', 'keygen', '--key-id', DEV_KEY_ID]), { mode: 0o600 });
  }
  const key = JSON.parse(readFileSync(DEV_KEY, 'utf8'));
  return { key_id: key.key_id, public_key: key.public_key };
}

/**
 * The publisher keys the extension trusts: those in config.json, and in a development build the
 * development key. A key is `{key_id, public_key}` (base64 of 32 bytes).
 */
function publisherKeys(config) {
  const keys = Array.isArray(config.publisher_keys) ? config.publisher_keys : [];
  for (const key of keys) {
    if (typeof key?.key_id !== 'string' || typeof key?.public_key !== 'string') {
      fail('extension/config.json: each publisher_keys entry needs key_id and public_key strings');
    }
  }
  if (RELEASE) {
    if (keys.length === 0) fail('a release build needs publisher_keys in extension/config.json');
    return keys;
  }
  return [...keys, devKey()];
}

/**
 * The demo feed, dated from today (a day ago to a year ahead, so it is valid whenever the
 * build is tried) and signed with the development key.
 */
function writeDemoFeed(outDir) {
  const feed = JSON.parse(readFileSync(join(EXTENSION, 'demo-feed.json'), 'utf8'));
  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  feed.generated_at = iso(now);
  for (const coupon of feed.coupons) {
    coupon.starts_at = iso(now - 24 * 3600 * 1000);
    coupon.expires_at = iso(now + 365 * 24 * 3600 * 1000);
  }
  const plain = join(ROOT, 'target', 'demo-feed.json');
  writeFileSync(plain, `${JSON.stringify(feed, null, 2)}\n`);
  const envelope = shopper(['feed', 'sign', '--key', DEV_KEY, plain]);
  mkdirSync(join(outDir, dirname(DEMO_FEED_PATH)), { recursive: true });
  writeFileSync(join(outDir, DEMO_FEED_PATH), envelope);
}

/**
 * What the shell must know of the rules without asking the Engine at run time (the content
 * script cannot load WASM): `shopper contract`, from the command line built beside the WASM
 * over the same rules (the WASM does not carry it: only the build needs it), written as a module
 * the shell imports. Generated into the source tree (and ignored by git) so that the unit tests,
 * which import extension/ modules directly, see the same file the build ships.
 */
function writeContract() {
  const contract = JSON.parse(shopper(['contract']));
  writeFileSync(
    CONTRACT_MODULE,
    [
      '// Generated by scripts/package.mjs from the Engine (crates/core/src/contract.rs): do not edit.',
      `export const CONTRACT = Object.freeze(${JSON.stringify(contract, null, 2)});`,
      '',
    ].join('\n'),
  );
  return contract;
}

/** The manifest's match patterns for every AliExpress page: each domain and its subdomains. */
function aliexpressPatterns(contract) {
  return contract.aliexpress_domains.flatMap((domain) => [`*://${domain}/*`, `*://*.${domain}/*`]);
}

/** The root manifest names AliExpress's pages by this placeholder; the build writes the patterns. */
const ALIEXPRESS_PAGES = '$ALIEXPRESS_PAGES';

function withAliexpressPatterns(list, patterns) {
  if (!Array.isArray(list) || !list.includes(ALIEXPRESS_PAGES)) {
    fail(`manifest.json must name AliExpress's pages as "${ALIEXPRESS_PAGES}" (the Engine's domains replace it)`);
  }
  return list.flatMap((entry) => (entry === ALIEXPRESS_PAGES ? patterns : [entry]));
}

function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/** Every file the manifest names must exist in the package. */
function checkManifestFiles(manifest, outDir) {
  const named = [
    manifest.background?.service_worker,
    manifest.action?.default_popup,
    manifest.options_ui?.page,
    manifest.options_page,
    ...Object.values(manifest.icons ?? {}),
    ...Object.values(manifest.action?.default_icon ?? {}),
    ...(manifest.content_scripts ?? []).flatMap((c) => [...(c.js ?? []), ...(c.css ?? [])]),
  ].filter(Boolean);
  if (manifest.default_locale) named.push(`_locales/${manifest.default_locale}/messages.json`);
  for (const file of named) {
    if (!existsSync(join(outDir, file))) fail(`manifest names ${file}, which is not in ${outDir}`);
  }
}

/** The zip's name: the store zip of a release build, or the development build's. */
export function zipName(browser, release) {
  return release ? `smart-shopper-${browser}.zip` : `smart-shopper-${browser}-development.zip`;
}

function zipDir(dir) {
  const entries = {};
  // A fixed date: the same inputs give the same zip.
  const mtime = new Date('2025-01-01T00:00:00Z');
  for (const file of filesUnder(dir)) {
    const name = relative(dir, file).split(sep).join('/');
    entries[name] = [readFileSync(file), { mtime }];
  }
  return zipSync(entries, { level: 9 });
}

/** One classic script in `outDir`'s content/, bundled from extension/content/`entry`. */
function bundle(outDir, entry, outName, what, source) {
  return build({
    entryPoints: [join(EXTENSION, 'content', entry)],
    outfile: join(outDir, 'content', outName),
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    charset: 'utf8',
    legalComments: 'none',
    banner: { js: `// Smart Shopper ${what}, bundled by scripts/package.mjs from ${source}.` },
    logLevel: 'warning',
  });
}

async function main() {
  const { wasmDir, browser } = options();
  const outDir = join(DIST, browser);
  // Only a release build is a store zip; a development build's zip says what it is in its name,
  // since it carries demo coupons and trusts the development key.
  const zipPath = join(DIST, zipName(browser, RELEASE));
  rmSync(join(DIST, zipName(browser, !RELEASE)), { force: true });
  const config = readConfig();
  const glue = await loadEngine(wasmDir);
  const key = defaultAffiliateKey(glue, config);
  // Before the copy and the bundle below, which both take it from the source tree.
  const contract = writeContract();
  const server = serverOrigin(config);
  const keys = publisherKeys(config);

  rmSync(outDir, { recursive: true, force: true });
  rmSync(zipPath, { force: true });
  mkdirSync(outDir, { recursive: true });

  for (const entry of readdirSync(EXTENSION)) {
    if (NOT_COPIED.has(entry)) continue;
    cpSync(join(EXTENSION, entry), join(outDir, entry), { recursive: true });
  }

  await bundle(outDir, 'main.js', 'content.js', 'content script', 'extension/content/ (edit those)');
  // The main-world reader: a classic script of its own, in the page's world (manifest `world`).
  await bundle(outDir, 'world.js', 'world.js', 'main-world reader', 'extension/content/world.js (edit that)');

  if (!RELEASE) writeDemoFeed(outDir);

  writeFileSync(
    join(outDir, 'config.js'),
    [
      '// Generated by scripts/package.mjs from extension/config.json (and SMART_SHOPPER_* variables): build-time configuration.',
      `export const DEFAULT_AFFILIATE_KEY = ${JSON.stringify(key)};`,
      '/** Publisher keys a coupon feed must be signed with: [{key_id, public_key}]. */',
      `export const PUBLISHER_KEYS = ${JSON.stringify(keys)};`,
      '/** The companion server (each market\'s feed, Smart Search\'s products); null: none, the stored or demo feed only. */',
      `export const SERVER_URL = ${JSON.stringify(server)};`,
      '/** The signed demo feed inside the extension, used until a feed was fetched; null in a release build. */',
      `export const DEMO_FEED_PATH = ${JSON.stringify(RELEASE ? null : DEMO_FEED_PATH)};`,
      '',
    ].join('\n'),
  );

  mkdirSync(join(outDir, 'wasm'));
  for (const file of WASM_FILES) cpSync(join(wasmDir, file), join(outDir, 'wasm', file));

  const source = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
  const manifest = MANIFEST_FOR[browser](source, { server, contract });
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  checkManifestFiles(manifest, outDir);

  writeFileSync(zipPath, zipDir(outDir));
  const files = filesUnder(outDir).length;
  console.error(
    `package.mjs: ${relative(ROOT, outDir)} (${files} files, ${RELEASE ? 'release' : 'development'} build), ` +
      `${relative(ROOT, zipPath)} (${statSync(zipPath).size} bytes${RELEASE ? ', for the store' : ', not for the store'})`,
  );
}

// Imported by tests for zipName; run as a script by scripts/build.
if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
