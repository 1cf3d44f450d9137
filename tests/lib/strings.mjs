// What every chapter's string table must hold, checked the same way for each: the Chinese has
// every English key and no other, with the same {placeholders}; it differs from the English
// (but for `same`, keys whose text is a name or a formula in both languages); and it uses the
// standard Chinese `terms` of the topic somewhere.

import assert from 'node:assert/strict';

const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

export function assertTranslated(table, { terms = [], same = () => false } = {}) {
  assert.deepEqual(Object.keys(table.zh).sort(), Object.keys(table.en).sort());
  for (const [key, en] of Object.entries(table.en)) {
    assert.deepEqual(holes(table.zh[key]), holes(en), key);
    if (!same(key)) assert.notEqual(table.zh[key], en, `${key} is not translated`);
  }
  for (const term of terms) assert.ok(Object.values(table.zh).some((s) => s.includes(term)), `the Chinese uses ${term}`);
}
