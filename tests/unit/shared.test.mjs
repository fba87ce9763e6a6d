// Unit tests of the small helpers the worker and the content script share: extension/shared/log.js and next-task.js.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logOnce, reason } from '../../extension/shared/log.js';
import { nextTask } from '../../extension/shared/next-task.js';

test('logOnce logs each distinct (where, reason) once, an Error and its message alike', (t) => {
  const warned = [];
  t.mock.method(console, 'warn', (line) => warned.push(line));
  logOnce('links_found', new Error('no answer'));
  logOnce('links_found', 'no answer');
  logOnce('links_found', new Error('no answer'));
  logOnce('page_opened', 'no answer');
  logOnce('links_found', 'another reason');
  assert.deepEqual(warned, [
    'Smart Shopper: links_found: no answer',
    'Smart Shopper: page_opened: no answer',
    'Smart Shopper: links_found: another reason',
  ]);
  assert.equal(reason(new TypeError('bad')), 'bad');
  assert.equal(reason(42), '42');
});

test('nextTask resolves in a later task: a chain of microtasks finishes first', async () => {
  const order = [];
  const next = nextTask().then(() => order.push('task'));
  let left = 1000;
  const spin = () => {
    order.push('micro');
    if (--left > 0) queueMicrotask(spin);
  };
  queueMicrotask(spin);
  await next;
  assert.equal(order.length, 1001);
  assert.equal(order.indexOf('task'), 1000, 'every microtask ran before the next task');
});

test('nextTask answers every caller, and again after that', async () => {
  let answered = 0;
  await Promise.all([1, 2, 3].map(() => nextTask().then(() => (answered += 1))));
  assert.equal(answered, 3);
  await nextTask();
  await nextTask();
});
