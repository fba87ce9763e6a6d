// What the fixture pages say of themselves, for the unit and end-to-end tests alike: where they are, and the `#expected` block each carries (what the Engine must understand of it).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tests/fixtures/, where the fixture pages are. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The `#expected` block of the fixture `name` (`cart` or `cart.html`). */
export function expectedOf(name) {
  const file = name.endsWith('.html') ? name : `${name}.html`;
  const html = readFileSync(join(FIXTURES, file), 'utf8');
  const match = /<script type="application\/json" id="expected">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error(`${file} has no #expected block`);
  return JSON.parse(match[1]);
}
