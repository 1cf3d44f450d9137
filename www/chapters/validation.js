// Chapter "validation": the split into training, validation and test data drawn as a strip, and
// k-fold cross-validation computed live by the core (crossValidate: k logistic regressions, each
// trained on k − 1 folds and scored on the one it did not see). The k rows show which fold each
// model held out; the table lists the k scores and their mean; the test set is scored once, on a
// button that then stays pressed. This module only draws.

import { applyStrings, num, t } from '../i18n.js';
import { el, reveal } from './dom.js';
import { percent } from '../format.js';

const KS = [3, 5, 10];

let state = null;

export function mount(body, core) {
  state = { core, body, k: 5, cv: null, testShown: false };
  body.append(el('p', { class: 'intro', 'data-i18n': 'ch.validation.intro' }));

  // --- the split ------------------------------------------------------------------------
  body.append(el('h3', { 'data-i18n': 'ch.validation.splitHeading' }));
  state.split = el('div', { class: 'val-strip val-split', 'data-testid': 'val-split' });
  state.splitNote = el('p', { class: 'hint' });
  body.append(state.split, state.splitNote);

  // --- k-fold ---------------------------------------------------------------------------
  body.append(el('h3', { 'data-i18n': 'ch.validation.kfoldHeading' }));
  body.append(el('p', { class: 'intro', 'data-i18n': 'ch.validation.kfoldIntro' }));
  const label = el('label', { class: 'field' });
  label.append(el('span', { 'data-i18n': 'ch.validation.k' }));
  const select = el('select', { 'data-testid': 'val-k' });
  for (const k of KS) select.append(el('option', { value: String(k) }, String(k)));
  select.value = String(state.k);
  select.addEventListener('change', () => {
    state.k = Number(select.value);
    compute();
    reveal(state.folds);
  });
  label.append(select);
  body.append(label);
  state.folds = el('div', { class: 'val-folds', 'data-testid': 'val-folds' });
  state.table = el('table', { class: 'val-table', 'data-testid': 'val-table' });
  state.mean = el('p', { class: 'val-mean', role: 'status', 'data-testid': 'val-mean' });
  const wrap = el('div', { class: 'table-wrap' });
  wrap.append(state.table);
  body.append(state.folds, wrap, state.mean);

  // --- the test set, once ---------------------------------------------------------------
  body.append(el('h3', { 'data-i18n': 'ch.validation.testHeading' }));
  body.append(el('p', { class: 'intro', 'data-i18n': 'ch.validation.testIntro' }));
  const testBtn = el('button', { type: 'button', 'data-i18n': 'ch.validation.testRun', 'data-testid': 'val-test' });
  testBtn.addEventListener('click', () => {
    state.testShown = true;
    render();
  });
  state.testBtn = testBtn;
  state.testOut = el('p', { class: 'val-test-score', role: 'status', 'data-testid': 'val-test-score' });
  body.append(testBtn, state.testOut);

  compute();
  refresh();
}

/** Re-render every string and number (the page calls this when the language changes). */
export function refresh() {
  if (!state) return;
  applyStrings(state.body);
  render();
}

function compute() {
  state.cv = state.core.crossValidate(state.k);
  render();
}

/** A strip of segments: [{ size, cls, label }], each as wide as its share of `total`. */
function strip(target, segments, total) {
  target.replaceChildren(
    ...segments.map(({ size, cls, label, testid }) => {
      const seg = el('span', { class: `val-seg ${cls}`, 'data-size': String(size), title: label, ...(testid ? { 'data-testid': testid } : {}) });
      seg.style.flexGrow = String(size / total);
      seg.append(el('span', { class: 'val-seg-label' }, label));
      return seg;
    }),
  );
}

function render() {
  const { cv } = state;
  if (!cv) return;
  const n = cv.order.length, nTest = cv.test.length, total = cv.points.length;
  strip(
    state.split,
    [
      { size: n, cls: 'train', label: t('ch.validation.trainVal', { n }) },
      { size: nTest, cls: 'test', label: t('ch.validation.testPart', { n: nTest }) },
    ],
    total,
  );
  state.splitNote.textContent = t('ch.validation.splitNote', { total, n, test: nTest });

  const rows = cv.folds.map((f, i) => {
    const row = el('div', { class: 'val-row', 'data-testid': `val-fold-row-${i + 1}` });
    row.append(el('span', { class: 'val-row-name' }, t('ch.validation.model', { i: i + 1 })));
    const bar = el('div', { class: 'val-strip' });
    strip(
      bar,
      cv.folds.map((g, j) => ({
        size: g.validation.length,
        cls: j === i ? 'held' : 'train',
        label: j === i ? t('ch.validation.heldShort', { n: g.validation.length }) : String(g.validation.length),
        testid: j === i ? `val-held-${i + 1}` : undefined,
      })),
      n,
    );
    row.append(bar, el('span', { class: 'val-row-score num' }, percent(f.score)));
    return row;
  });
  const legendRow = el('p', { class: 'val-legend' });
  legendRow.append(
    el('span', { class: 'val-seg train val-key' }), ' ', t('ch.validation.keyTrain'), '  ',
    el('span', { class: 'val-seg held val-key' }), ' ', t('ch.validation.keyHeld'),
  );
  state.folds.replaceChildren(legendRow, ...rows);

  const head = el('tr');
  for (const c of ['model', 'trained', 'validated', 'correct', 'score']) head.append(el('th', { class: c === 'model' ? '' : 'num' }, t(`ch.validation.col.${c}`)));
  const body = cv.folds.map((f, i) => {
    const tr = el('tr', { 'data-testid': `val-score-row-${i + 1}` });
    tr.append(
      el('td', {}, t('ch.validation.model', { i: i + 1 })),
      el('td', { class: 'num', 'data-testid': `val-train-size-${i + 1}` }, num(f.train_size)),
      el('td', { class: 'num', 'data-testid': `val-val-size-${i + 1}` }, num(f.validation.length)),
      el('td', { class: 'num', 'data-testid': `val-correct-${i + 1}` }, num(f.correct)),
      el('td', { class: 'num', 'data-testid': `val-score-${i + 1}` }, percent(f.score)),
    );
    return tr;
  });
  const foot = el('tr', { class: 'val-mean-row' });
  foot.append(el('td', { colspan: '4' }, t('ch.validation.meanLabel', { k: cv.k })), el('td', { class: 'num', 'data-testid': 'val-mean-cell' }, percent(cv.mean)));
  state.table.replaceChildren(head, ...body, foot);
  const scores = cv.folds.map((f) => f.score);
  state.mean.textContent = t('ch.validation.mean', {
    k: cv.k,
    mean: percent(cv.mean),
    lo: percent(Math.min(...scores)),
    hi: percent(Math.max(...scores)),
  });

  state.testBtn.disabled = state.testShown;
  state.testOut.textContent = state.testShown ? t('ch.validation.testScore', { n: nTest, score: percent(cv.test_score), train: n }) : '';
}
