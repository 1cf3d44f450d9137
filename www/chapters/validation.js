// Chapter "validation": the split into training, validation and test data drawn as a strip, and
// k-fold cross-validation computed live by the core (crossValidate: k logistic regressions, each
// trained on k − 1 folds and scored on the one it did not see). The k rows show which fold each
// model held out; the table lists the k scores and their mean; the test set is scored once, on a
// button that then stays pressed. This module only draws.

import { applyStrings, num, t } from '../i18n.js';
import { el, reveal } from './dom.js';
import { percent } from '../format.js';
import { axes, legend, markers, prepare, textScale, COLORS } from '../chart.js';

const KS = [3, 5, 10];

let state = null;

export function mount(body, core) {
  state = { core, body, k: 5, cv: null, testShown: false, selected: 0 };
  body.append(el('p', { class: 'intro', 'data-i18n': 'ch.validation.intro' }));

  // --- the split ------------------------------------------------------------------------
  body.append(el('h3', { 'data-i18n': 'ch.validation.splitHeading' }));
  state.split = el('div', { class: 'val-strip val-split', 'data-testid': 'val-split' });
  state.splitNote = el('p', { class: 'hint' });
  body.append(state.split, state.splitNote);

  // --- k-fold: its menu first, so that the chapter's first screen has something to use --------
  body.append(el('h3', { 'data-i18n': 'ch.validation.kfoldHeading' }));
  const label = el('label', { class: 'field' });
  label.append(el('span', { 'data-i18n': 'ch.validation.k' }));
  const select = el('select', { 'data-testid': 'val-k' });
  for (const k of KS) select.append(el('option', { value: String(k) }, String(k)));
  select.value = String(state.k);
  select.addEventListener('change', () => {
    state.k = Number(select.value);
    state.selected = 0;
    compute();
    reveal(state.folds);
  });
  label.append(select);
  body.append(label);
  body.append(el('p', { class: 'intro', 'data-i18n': 'ch.validation.kfoldIntro' }));
  state.folds = el('div', { class: 'val-folds', 'data-testid': 'val-folds' });
  state.table = el('table', { class: 'val-table', 'data-testid': 'val-table' });
  state.mean = el('p', { class: 'val-mean', role: 'status', 'data-testid': 'val-mean' });
  const wrap = el('div', { class: 'table-wrap' });
  wrap.append(state.table);
  const figure = el('figure', { class: 'val-figure' });
  state.scatter = el('canvas', { class: 'val-scatter', 'data-testid': 'val-scatter', role: 'img' });
  state.legend = el('ul', { 'data-testid': 'val-legend' });
  state.caption = el('figcaption', { 'data-testid': 'val-caption' });
  figure.append(state.scatter, state.legend, state.caption);
  body.append(state.folds, figure, wrap, state.mean);
  window.addEventListener('resize', () => state.cv && drawScatter());

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
    // The model's name picks it for the plot below.
    const pick = el('button', { type: 'button', class: 'val-pick secondary', 'aria-pressed': String(i === state.selected), 'data-testid': `val-pick-${i + 1}` }, t('ch.validation.model', { i: i + 1 }));
    pick.addEventListener('click', () => {
      state.selected = i;
      render();
    });
    row.append(pick);
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

  drawScatter();
  state.testBtn.disabled = state.testShown;
  state.testOut.textContent = state.testShown ? t('ch.validation.testScore', { n: nTest, score: percent(cv.test_score), train: n }) : '';
}

/** The points in the plane: the selected model's held-out fold ringed, the others faint, its line
 *  p = ½ dashed; the test points only once they have been scored. */
function drawScatter() {
  const { cv, scatter } = state;
  const f = cv.folds[state.selected];
  const fs = Math.round(12.5 * textScale());
  const width = Math.min(scatter.clientWidth || 400, 32 * fs);
  const g = prepare(scatter, { height: Math.round(width * 0.8) });
  const box = { left: 3 * fs, right: g.w - fs, top: 1.2 * fs, bottom: g.h - 2.6 * fs };
  const all = cv.points.map((p) => p.x);
  const lim = Math.ceil(Math.max(...all.map(([a, b]) => Math.max(Math.abs(a), Math.abs(b)))));
  const map = axes(g, box, { lo: -lim, hi: lim, label: 'x₁' }, { lo: -lim, hi: lim, label: 'x₂' });
  const held = new Set(f.validation);
  const COLOR = [COLORS.blue, COLORS.orange];
  const SHAPE = ['circle', 'triangle'];
  const { ctx } = g;
  ctx.save();
  ctx.globalAlpha = 0.3;
  for (const c of [0, 1]) markers(g, map, cv.order.filter((i) => !held.has(i) && cv.points[i].label === c).map((i) => cv.points[i].x), COLOR[c], SHAPE[c]);
  ctx.restore();
  for (const c of [0, 1]) {
    const pts = f.validation.filter((i) => cv.points[i].label === c).map((i) => cv.points[i].x);
    markers(g, map, pts, COLOR[c], SHAPE[c]);
    ctx.save();
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 1.2;
    for (const [a, b] of pts) {
      ctx.beginPath();
      ctx.arc(map.sx(a), map.sy(b), 0.55 * fs, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.restore();
  }
  if (state.testShown) markers(g, map, cv.test.map((i) => cv.points[i].x), COLORS.grey, 'square');
  // The boundary w₁x₁ + w₂x₂ + b = 0, clipped to the box.
  const [w1, w2, b] = f.weights;
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top, box.right - box.left, box.bottom - box.top);
  ctx.clip();
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 2;
  ctx.setLineDash([6, 4]);
  ctx.beginPath();
  if (Math.abs(w2) > 1e-6) {
    ctx.moveTo(map.sx(-lim), map.sy(-(w1 * -lim + b) / w2));
    ctx.lineTo(map.sx(lim), map.sy(-(w1 * lim + b) / w2));
  } else {
    ctx.moveTo(map.sx(-b / w1), map.sy(-lim));
    ctx.lineTo(map.sx(-b / w1), map.sy(lim));
  }
  ctx.stroke();
  ctx.restore();
  legend(state.legend, [
    { label: t('ch.validation.class', { c: 0 }), color: COLORS.blue, kind: 'dot' },
    { label: t('ch.validation.class', { c: 1 }), color: COLORS.orange, kind: 'dot' },
    { label: t('ch.validation.boundary'), color: '#000', kind: 'dashed' },
    ...(state.testShown ? [{ label: t('ch.validation.testPoints'), color: COLORS.grey, kind: 'box' }] : []),
  ]);
  const caption = t('ch.validation.caption', { i: state.selected + 1, right: f.correct, n: f.validation.length });
  state.caption.textContent = caption;
  scatter.setAttribute('aria-label', caption);
  scatter.dataset.selected = String(state.selected + 1);
}
