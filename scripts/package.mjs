#!/usr/bin/env node
// Packages the extension: dist/chrome/ (manifest, shell, bundled content script, config.js, WASM) and its store zip.
//
// Usage: node scripts/package.mjs --wasm <dir with shopper_wasm.js and shopper_wasm_bg.wasm>
// Run by scripts/build after the WASM is built. The root manifest.json is the one source; each
// browser gets its manifest from a function in MANIFEST_FOR, so dist/firefox can join later.

import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSION = join(ROOT, 'extension');
const DIST = join(ROOT, 'dist');
const WASM_FILES = ['shopper_wasm.js', 'shopper_wasm_bg.wasm'];

// Sources that are not copied as they are: the content script is bundled into one classic
// script (content scripts cannot be modules), and config.json becomes config.js.
const NOT_COPIED = new Set(['content', 'config.json']);

/** The manifest for each browser, from the root manifest.json. */
const MANIFEST_FOR = {
  chrome(source) {
    return structuredClone(source);
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

/** The build-time default affiliate key: extension/config.json, or SMART_SHOPPER_AFFILIATE_KEY. */
async function defaultAffiliateKey(wasmDir) {
  const config = JSON.parse(readFileSync(join(EXTENSION, 'config.json'), 'utf8'));
  const fromEnv = process.env.SMART_SHOPPER_AFFILIATE_KEY;
  const key = fromEnv !== undefined && fromEnv !== '' ? fromEnv : config.affiliate_key;
  if (typeof key !== 'string') fail('extension/config.json has no affiliate_key string');
  // The Engine is the judge of a valid key: ask the freshly built one, so a bad default fails
  // the build instead of every browser that installs it.
  const glue = await import(pathToFileURL(join(wasmDir, 'shopper_wasm.js')).href);
  glue.initSync({ module: readFileSync(join(wasmDir, 'shopper_wasm_bg.wasm')) });
  const invalid = glue.Engine.check_affiliate_key(key);
  if (invalid !== undefined) fail(`the default affiliate key is invalid: ${invalid}`);
  return key;
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

async function main() {
  const { wasmDir, browser } = options();
  const outDir = join(DIST, browser);
  const zipPath = join(DIST, `smart-shopper-${browser}.zip`);
  const key = await defaultAffiliateKey(wasmDir);

  rmSync(outDir, { recursive: true, force: true });
  rmSync(zipPath, { force: true });
  mkdirSync(outDir, { recursive: true });

  for (const entry of readdirSync(EXTENSION)) {
    if (NOT_COPIED.has(entry)) continue;
    cpSync(join(EXTENSION, entry), join(outDir, entry), { recursive: true });
  }

  await build({
    entryPoints: [join(EXTENSION, 'content', 'main.js')],
    outfile: join(outDir, 'content', 'content.js'),
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    charset: 'utf8',
    legalComments: 'none',
    banner: {
      js: '// Smart Shopper content script, bundled by scripts/package.mjs from extension/content/ (edit those).',
    },
    logLevel: 'warning',
  });

  writeFileSync(
    join(outDir, 'config.js'),
    '// Generated by scripts/package.mjs from extension/config.json (or SMART_SHOPPER_AFFILIATE_KEY): build-time defaults.\n' +
      `export const DEFAULT_AFFILIATE_KEY = ${JSON.stringify(key)};\n`,
  );

  mkdirSync(join(outDir, 'wasm'));
  for (const file of WASM_FILES) cpSync(join(wasmDir, file), join(outDir, 'wasm', file));

  const source = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
  const manifest = MANIFEST_FOR[browser](source);
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  checkManifestFiles(manifest, outDir);

  writeFileSync(zipPath, zipDir(outDir));
  const files = filesUnder(outDir).length;
  console.error(
    `package.mjs: ${relative(ROOT, outDir)} (${files} files), ${relative(ROOT, zipPath)} (${statSync(zipPath).size} bytes)`,
  );
}

await main();
