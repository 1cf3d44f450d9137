// The learner's choice of backend, remembered per GPU adapter (www/backend-choice.js), without a
// browser: a Map stands in for localStorage. The page test of the same thing (switch, reload)
// is in tests/page.test.mjs, "the race".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choiceKey, initialBackend, rememberBackend, rememberedBackend } from '../www/backend-choice.js';

/** localStorage's two calls over a Map. */
function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), map: m };
}

test('a choice is remembered for its adapter and for no other', () => {
  const s = memoryStorage();
  const swiftshader = 'SwiftShader Device (Subzero) · swiftshader';
  assert.equal(rememberedBackend(s, swiftshader), null, 'nothing chosen yet');
  rememberBackend(s, swiftshader, 'gpu');
  assert.equal(rememberedBackend(s, swiftshader), 'gpu');
  assert.equal(rememberedBackend(s, 'nvidia · ada'), null, 'another GPU does not reuse it');
  assert.notEqual(choiceKey(swiftshader), choiceKey('nvidia · ada'));
  assert.deepEqual([...s.map.keys()], ['cnn-notebook.backend:SwiftShader Device (Subzero) · swiftshader']);
  rememberBackend(s, swiftshader, 'cpu');
  assert.equal(rememberedBackend(s, swiftshader), 'cpu', 'the last choice counts');
});

test('no adapter, a refusing storage or a foreign value remember nothing', () => {
  const s = memoryStorage();
  rememberBackend(s, undefined, 'gpu');
  assert.equal(s.map.size, 0);
  assert.equal(rememberedBackend(s, undefined), null);
  s.setItem(choiceKey('x'), 'tpu');
  assert.equal(rememberedBackend(s, 'x'), null);
  const refusing = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceededError'); } };
  assert.doesNotThrow(() => rememberBackend(refusing, 'x', 'gpu'));
  assert.equal(rememberedBackend(refusing, 'x'), null);
  assert.equal(rememberedBackend(null, 'x'), null);
});

test('?backend= forces a backend over the remembered one, which beats a race', () => {
  assert.deepEqual(initialBackend('cpu', 'gpu'), { backend: 'cpu', choice: 'asked' });
  assert.deepEqual(initialBackend('gpu', null), { backend: 'gpu', choice: 'asked' });
  assert.deepEqual(initialBackend(null, 'gpu'), { backend: 'gpu', choice: 'remembered' });
  assert.deepEqual(initialBackend('auto', 'cpu'), { backend: 'cpu', choice: 'remembered' });
  assert.deepEqual(initialBackend(null, null), { backend: 'auto', choice: 'raced' });
});
