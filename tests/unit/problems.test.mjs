// Every problem the Engine or the shell can report has wording in every locale: the Engine's codes come from the built WASM itself (`problem_codes()`), the shell's from shared/problem.js.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WASM = join(ROOT, 'dist', 'chrome', 'wasm');
const LOCALES = join(ROOT, 'extension', '_locales');

// The chrome.i18n the shell's module reads at call time; this test only imports its constants.
globalThis.chrome ??= {};
const { SHELL_CODES, problemOf } = await import(pathToFileURL(join(ROOT, 'extension', 'shared', 'problem.js')).href);

async function engineCodes() {
  if (!existsSync(join(WASM, 'shopper_wasm_bg.wasm'))) throw new Error(`no WASM in ${WASM}: scripts/build first`);
  const glue = await import(pathToFileURL(join(WASM, 'shopper_wasm.js')).href);
  glue.initSync({ module: readFileSync(join(WASM, 'shopper_wasm_bg.wasm')) });
  return { glue, codes: JSON.parse(glue.problem_codes()) };
}

test('every locale words every problem code, with a placeholder per parameter it names', async () => {
  const { codes } = await engineCodes();
  assert.ok(codes.length > 0, 'the Engine lists its codes');
  const all = [...codes, ...SHELL_CODES];
  for (const locale of readdirSync(LOCALES)) {
    const messages = JSON.parse(readFileSync(join(LOCALES, locale, 'messages.json'), 'utf8'));
    for (const code of all) {
      const entry = messages[`error_${code}`];
      assert.ok(entry && typeof entry.message === 'string' && entry.message !== '', `${locale}: error_${code}`);
      for (const name of entry.message.match(/\$[A-Z_]+\$/g) ?? []) {
        assert.ok(entry.placeholders?.[name.slice(1, -1).toLowerCase()], `${locale}: error_${code} names ${name}`);
      }
    }
  }
});

test("an Engine problem crosses as a code with parameters, never as Rust's English", async () => {
  const { glue } = await engineCodes();
  const invalid = problemOf(glue.Engine.check_affiliate_key('x'.repeat(65)));
  assert.equal(invalid.code, 'affiliate_key_too_long');
  assert.deepEqual(invalid.params, ['64']);
  let thrown;
  try {
    new glue.Engine('a&b');
  } catch (error) {
    thrown = problemOf(error);
  }
  assert.equal(thrown?.code, 'affiliate_key_bad_characters');
  assert.equal(problemOf(new Error('boom')).code, 'unexpected');
});
