// Chapter "descent": gradient descent and backpropagation on the 2-2-1 network of lessons::tiny.
// A Step button takes one SGD step on one example and shows the loss, the backward pass layer by
// layer with every chain-rule factor as a number, the table of ∂L/∂θ with the update of all 9
// parameters, and the new loss. Below: the learning-rate demo (too small / good / too large) and
// full-batch vs mini-batch vs single-example descent. All numbers come from the core
// (tinyStep, tinyLearningRateDemo, tinyBatchDemo); this module only draws.

import { applyStrings, num, t } from '../i18n.js';
import { el, svgEl } from './dom.js';
import { axes, line, markers, prepare, textScale } from '../chart.js';

const NAMES = ['w11', 'w12', 'w13', 'w14', 'w21', 'w22', 'b1', 'b2', 'b3'];
const SUB = { w11: 'w₁₁', w12: 'w₁₂', w13: 'w₁₃', w14: 'w₁₄', w21: 'w₂₁', w22: 'w₂₂', b1: 'b₁', b2: 'b₂', b3: 'b₃' };
const IDX = Object.fromEntries(NAMES.map((n, i) => [n, i]));
const RATE_LABELS = ['ch.descent.tooSmall', 'ch.descent.good', 'ch.descent.tooLarge'];
const BATCH_LABELS = ['ch.descent.full', 'ch.descent.mini', 'ch.descent.single'];
/** Okabe–Ito colours, each series also with its own marker shape and dash. */
const SERIES = [
  { color: '#0072B2', marker: 'circle', dash: 'none' },
  { color: '#E69F00', marker: 'square', dash: '6 3' },
  { color: '#CC79A7', marker: 'triangle', dash: '2 3' },
];

let state = null;

const f4 = (x) => (Number.isFinite(x) ? num(x, { minimumFractionDigits: 4, maximumFractionDigits: 4 }) : String(x));
const fr = (x) => num(x, { maximumFractionDigits: 3 });
const paren = (x) => (x < 0 ? `(${f4(x)})` : f4(x));



/** The core's forward pass with its inputs named as the lesson writes them. */
function forwardOf(f) {
  return { ...f, x1: f.x[0], x2: f.x[1] };
}

function numberField(id, key, value, step) {
  const label = el('label', { class: 'field', for: id });
  label.append(el('span', key.startsWith('ch.') ? { 'data-i18n': key } : {}, key.startsWith('ch.') ? undefined : key));
  const input = el('input', { type: 'number', id, step, 'data-testid': id });
  input.value = String(value);
  label.append(input);
  return { label, input };
}

export function mount(body, core) {
  // f32 → the shortest decimal that rounds to it (0.9, not 0.8999999761581421).
  const defaults = Array.from(core.tinyDefaultParams(), (v) => Number(v.toPrecision(7)));
  const [x1, x2, y] = core.tinyDefaultExample();
  const [lrSteps, epochs] = core.tinyDemoLengths();
  state = { core, body, defaults, params: defaults.slice(), x: [x1, x2], y, lr: 0.1, steps: 0, last: null, bad: null, lrSteps, epochs, lrCurves: null, batchCurves: null };
  // The plots are drawn at their width and the page's text scale (presenter mode, a phone).
  window.addEventListener('resize', () => body.querySelectorAll('canvas.tiny-plot').forEach((c) => c.draw?.()));

  body.append(el('p', { class: 'intro', 'data-i18n': 'ch.descent.intro' }));

  // --- one step -------------------------------------------------------------------------
  const controls = el('fieldset', { class: 'tiny-controls-row' });
  controls.append(el('legend', { 'data-i18n': 'ch.descent.example' }));
  const fields = [
    ['desc-x1', 'x₁', x1, '0.1', (v) => (state.x[0] = v)],
    ['desc-x2', 'x₂', x2, '0.1', (v) => (state.x[1] = v)],
    ['desc-y', 'ch.descent.target', y, '0.1', (v) => (state.y = v)],
    ['desc-lr', 'ch.descent.lr', state.lr, '0.01', (v) => (state.lr = v)],
  ];
  for (const [id, key, value, step, set] of fields) {
    const { label, input } = numberField(id, key, value, step);
    input.addEventListener('input', () => {
      const v = input.valueAsNumber;
      if (Number.isFinite(v) && !(id === 'desc-lr' && v < 0)) {
        set(v);
        state.bad = null;
      } else {
        state.bad = key.startsWith('ch.') ? t(key) : key;
      }
      render();
    });
    controls.append(label);
  }
  const buttons = el('div', { class: 'buttons' });
  const stepBtn = el('button', { type: 'button', 'data-i18n': 'ch.descent.step', 'data-testid': 'desc-step' });
  const resetBtn = el('button', { type: 'button', class: 'secondary', 'data-i18n': 'ch.descent.reset', 'data-testid': 'desc-reset' });
  stepBtn.addEventListener('click', takeStep);
  resetBtn.addEventListener('click', () => {
    state.params = state.defaults.slice();
    state.steps = 0;
    state.last = null;
    render();
  });
  buttons.append(stepBtn, resetBtn);
  controls.append(buttons);
  state.stepBtn = stepBtn;
  state.current = el('p', { class: 'tiny-current', role: 'status', 'data-testid': 'desc-current' });
  state.stepView = el('div', { class: 'tiny-step', 'data-testid': 'desc-step-view' });
  body.append(controls, state.current, state.stepView);

  // --- learning rates ---------------------------------------------------------------------
  const lr = el('div', { class: 'tiny-demo' });
  lr.append(el('h3', { 'data-i18n': 'ch.descent.lrHeading' }));
  state.lrIntro = el('p', { class: 'intro' });
  const lrBtn = el('button', { type: 'button', 'data-i18n': 'ch.descent.lrRun', 'data-testid': 'desc-lr-run' });
  lrBtn.addEventListener('click', () => {
    state.lrCurves = core.tinyLearningRateDemo(state.lrSteps);
    render();
  });
  state.lrPanels = el('div', { class: 'tiny-panels', 'data-testid': 'desc-lr-panels' });
  lr.append(state.lrIntro, lrBtn, state.lrPanels);

  // --- batch sizes ------------------------------------------------------------------------
  const batch = el('div', { class: 'tiny-demo' });
  batch.append(el('h3', { 'data-i18n': 'ch.descent.batchHeading' }));
  state.batchIntro = el('p', { class: 'intro' });
  const batchBtn = el('button', { type: 'button', 'data-i18n': 'ch.descent.batchRun', 'data-testid': 'desc-batch-run' });
  batchBtn.addEventListener('click', () => {
    state.batchCurves = core.tinyBatchDemo(state.epochs);
    render();
  });
  state.batchView = el('div', { class: 'tiny-batch', 'data-testid': 'desc-batch-view' });
  const data = core.tinyDataset();
  const details = el('details', { class: 'tiny-data' });
  details.append(el('summary', { 'data-i18n': 'ch.descent.dataset' }));
  const table = el('table', { class: 'tiny-table' });
  const head = el('tr');
  ['x₁', 'x₂', 'y'].forEach((h) => head.append(el('th', { class: 'num' }, h)));
  table.append(head);
  state.dataCells = [];
  for (let i = 0; i < data.length; i += 3) {
    const tr = el('tr');
    for (let j = 0; j < 3; j++) {
      const td = el('td', { class: 'num' });
      state.dataCells.push([td, data[i + j], j === 2]);
      tr.append(td);
    }
    table.append(tr);
  }
  details.append(table);
  batch.append(state.batchIntro, details, batchBtn, state.batchView);

  body.append(lr, batch);
  refresh();
}

/** Re-render every string and number (the lead calls this when the language changes). */
export function refresh() {
  if (!state) return;
  applyStrings(state.body);
  render();
}

function takeStep() {
  if (state.bad) return;
  const { core } = state;
  const s = core.tinyStep(new Float32Array(state.params), state.x[0], state.x[1], state.y, state.lr);
  // The step as the core took it: the chain-rule factors are its backward pass's.
  const last = { ...s.backward, before: forwardOf(s.before), after: forwardOf(s.after), y: state.y, lr: s.lr, newLoss: s.newLoss, old: s.old, new: s.new };
  state.params = last.new;
  state.steps += 1;
  state.last = last;
  render();
}

function render() {
  const { core } = state;
  const fwd = forwardOf(core.tinyForward(new Float32Array(state.params), state.x[0], state.x[1]));
  const d = fwd.a21 - state.y;
  state.stepBtn.disabled = Boolean(state.bad);
  state.current.textContent = state.bad
    ? t('ch.descent.bad', { name: state.bad })
    : t('ch.descent.current', { a21: f4(fwd.a21), y: f4(state.y), loss: f4(0.5 * d * d), steps: num(state.steps) });
  renderStep();
  state.lrIntro.textContent = t('ch.descent.lrIntro', { steps: num(state.lrSteps) });
  renderRates();
  state.batchIntro.textContent = t('ch.descent.batchIntro', { lr: fr(core.tinyBatchLearningRate()) });
  for (const [td, v, isY] of state.dataCells) td.textContent = isY ? num(v) : num(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  renderBatches();
}

function renderStep() {
  const view = state.stepView;
  view.replaceChildren();
  const s = state.last;
  if (!s) {
    view.append(el('p', { class: 'hint' }, t('ch.descent.noStep')));
    return;
  }
  const b = s.before;
  const p = Object.fromEntries(NAMES.map((n, i) => [n, s.old[i]]));
  const g = Object.fromEntries(NAMES.map((n, i) => [n, s.grads[i]]));
  view.append(el('h3', {}, t('ch.descent.stepHeading', { n: num(state.steps) })));
  view.append(el('p', { 'data-testid': 'desc-loss' }, t('ch.descent.lossBefore', { a21: f4(b.a21), y: f4(s.y), loss: f4(s.loss) })));
  view.append(el('h4', {}, t('ch.descent.backward')));

  const line = (id, text) => el('li', { 'data-testid': `desc-${id}` }, text);
  const out = el('ol', { class: 'tiny-chain' });
  out.append(
    line('dl-da21', `∂L/∂a₂₁ = a₂₁ − y = ${f4(b.a21)} − ${paren(s.y)} = ${f4(s.dlDa21)}`),
    line('relu', `relu′(z₃) = ${num(s.reluPrime)} ${t(s.reluPrime > 0 ? 'ch.descent.reluOn' : 'ch.descent.reluOff', { z3: f4(b.z3) })}`),
    line('dl-dz3', `∂L/∂z₃ = ∂L/∂a₂₁ · relu′(z₃) = ${paren(s.dlDa21)} × ${num(s.reluPrime)} = ${f4(s.dlDz3)}`),
    line('chain-w21', `∂L/∂w₂₁ = ∂L/∂z₃ · ∂z₃/∂w₂₁ = ∂L/∂z₃ · a₁₁ = ${paren(s.dlDz3)} × ${f4(b.a11)} = ${f4(g.w21)}`),
    line('chain-w22', `∂L/∂w₂₂ = ∂L/∂z₃ · ∂z₃/∂w₂₂ = ∂L/∂z₃ · a₁₂ = ${paren(s.dlDz3)} × ${f4(b.a12)} = ${f4(g.w22)}`),
    line('chain-b3', `∂L/∂b₃ = ∂L/∂z₃ · ∂z₃/∂b₃ = ∂L/∂z₃ · 1 = ${f4(g.b3)}`),
  );
  const hidden = el('ol', { class: 'tiny-chain' });
  hidden.append(
    line('dl-da11', `∂L/∂a₁₁ = ∂L/∂z₃ · w₂₁ = ${paren(s.dlDz3)} × ${paren(p.w21)} = ${f4(s.dlDa11)}`),
    line('sig1', `sigmoid′(z₁) = a₁₁(1 − a₁₁) = ${f4(b.a11)} × ${f4(1 - b.a11)} = ${f4(s.sigPrime1)}`),
    line('dl-dz1', `∂L/∂z₁ = ∂L/∂a₁₁ · sigmoid′(z₁) = ${paren(s.dlDa11)} × ${f4(s.sigPrime1)} = ${f4(s.dlDz1)}`),
    line('chain-w11', `∂L/∂w₁₁ = ∂L/∂a₂₁ · relu′(z₃) · w₂₁ · sigmoid′(z₁) · x₁ = ${paren(s.dlDa21)} × ${num(s.reluPrime)} × ${paren(p.w21)} × ${f4(s.sigPrime1)} × ${paren(b.x1)} = ${f4(g.w11)}`),
    line('chain-w13', `∂L/∂w₁₃ = ∂L/∂z₁ · x₂ = ${paren(s.dlDz1)} × ${paren(b.x2)} = ${f4(g.w13)}`),
    line('chain-b1', `∂L/∂b₁ = ∂L/∂z₁ · 1 = ${f4(g.b1)}`),
    line('dl-da12', `∂L/∂a₁₂ = ∂L/∂z₃ · w₂₂ = ${paren(s.dlDz3)} × ${paren(p.w22)} = ${f4(s.dlDa12)}`),
    line('sig2', `sigmoid′(z₂) = a₁₂(1 − a₁₂) = ${f4(b.a12)} × ${f4(1 - b.a12)} = ${f4(s.sigPrime2)}`),
    line('dl-dz2', `∂L/∂z₂ = ∂L/∂a₁₂ · sigmoid′(z₂) = ${paren(s.dlDa12)} × ${f4(s.sigPrime2)} = ${f4(s.dlDz2)}`),
    line('chain-w12', `∂L/∂w₁₂ = ∂L/∂a₂₁ · relu′(z₃) · w₂₂ · sigmoid′(z₂) · x₁ = ${paren(s.dlDa21)} × ${num(s.reluPrime)} × ${paren(p.w22)} × ${f4(s.sigPrime2)} × ${paren(b.x1)} = ${f4(g.w12)}`),
    line('chain-w14', `∂L/∂w₁₄ = ∂L/∂z₂ · x₂ = ${paren(s.dlDz2)} × ${paren(b.x2)} = ${f4(g.w14)}`),
    line('chain-b2', `∂L/∂b₂ = ∂L/∂z₂ · 1 = ${f4(g.b2)}`),
  );
  const layers = el('div', { class: 'tiny-layers' });
  const outBox = el('div');
  outBox.append(el('h5', {}, t('ch.descent.outputLayer')), out);
  const hidBox = el('div');
  hidBox.append(el('h5', {}, t('ch.descent.hiddenLayer')), hidden);
  layers.append(outBox, hidBox);
  view.append(layers);

  const wrap = el('div', { class: 'table-wrap' });
  const table = el('table', { class: 'tiny-table', 'data-testid': 'desc-table' });
  table.append(el('caption', {}, t('ch.descent.table')));
  const head = el('tr');
  ['param', 'old', 'grad', 'delta', 'new'].forEach((k) => head.append(el('th', { class: k === 'param' ? '' : 'num', scope: 'col' }, t(`ch.descent.${k}`))));
  table.append(el('thead'), el('tbody'));
  table.tHead.append(head);
  for (const n of NAMES) {
    const i = IDX[n];
    const tr = el('tr', { 'data-testid': `desc-row-${n}` });
    tr.append(
      el('th', { scope: 'row' }, SUB[n]),
      el('td', { class: 'num', 'data-col': 'old' }, f4(s.old[i])),
      el('td', { class: 'num', 'data-col': 'grad' }, f4(s.grads[i])),
      el('td', { class: 'num', 'data-col': 'delta' }, `${f4(s.lr)} × ${paren(s.grads[i])} = ${f4(s.lr * s.grads[i])}`),
      el('td', { class: 'num', 'data-col': 'new' }, f4(s.new[i])),
    );
    table.tBodies[0].append(tr);
  }
  wrap.append(table);
  view.append(wrap);
  view.append(el('p', { 'data-testid': 'desc-new-loss' }, t('ch.descent.newLoss', { a21: f4(s.after.a21), loss: f4(s.newLoss), before: f4(s.loss) })));
  if (!(s.newLoss <= s.loss)) view.append(el('p', { class: 'tiny-warn', 'data-testid': 'desc-rose' }, `⚠ ${t('ch.descent.rose')}`));
}

function renderRates() {
  const panels = state.lrPanels;
  panels.replaceChildren();
  if (!state.lrCurves) {
    panels.append(el('p', { class: 'hint' }, t('ch.descent.notRun')));
    return;
  }
  state.lrCurves.forEach((c, i) => {
    const fig = el('figure', { class: 'tiny-panel', 'data-testid': `desc-lr-${i}`, 'data-verdict': c.verdict });
    const first = c.losses[0];
    const last = c.losses[c.losses.length - 1];
    fig.append(el('h4', {}, t('ch.descent.lrTitle', { lr: fr(c.lr), label: t(RATE_LABELS[i]) })));
    fig.append(
      plot([{ values: c.losses, ...SERIES[i] }], {
        xLabel: t('ch.descent.step_axis'),
        yLabel: t('ch.descent.loss_axis'),
        aria: t('ch.descent.plotLabel', { lr: fr(c.lr), first: f4(first), last: f4(last) }),
        height: 190,
      }),
    );
    const cap = el('figcaption', {});
    cap.append(
      document.createTextNode(
        t('ch.descent.lrSummary', { first: f4(first), last: f4(last), steps: num(c.losses.length - 1), verdict: t(`ch.descent.${c.verdict}`) }),
      ),
    );
    cap.dataset.testid = `desc-lr-summary-${i}`;
    cap.dataset.first = String(first);
    cap.dataset.last = String(last);
    fig.append(cap);
    panels.append(fig);
    fig.querySelector('canvas').draw();
  });
}

function renderBatches() {
  const view = state.batchView;
  view.replaceChildren();
  if (!state.batchCurves) {
    view.append(el('p', { class: 'hint' }, t('ch.descent.notRun')));
    return;
  }
  const curves = state.batchCurves;
  const fig = el('figure', { class: 'tiny-panel wide' });
  fig.append(
    plot(
      curves.map((c, i) => ({ values: c.losses, label: t(BATCH_LABELS[i]), ...SERIES[i] })),
      { xLabel: t('ch.descent.epoch_axis'), yLabel: t('ch.descent.loss_axis'), aria: t('ch.descent.batchPlot'), height: 260 },
    ),
  );
  const list = el('ul', { class: 'tiny-summary' });
  curves.forEach((c, i) => {
    const li = el('li', { 'data-testid': `desc-batch-${i}`, 'data-rises': String(c.rises) });
    li.append(marker(SERIES[i]), document.createTextNode(' ' + t('ch.descent.batchSummary', {
      name: t(BATCH_LABELS[i]),
      first: f4(c.losses[0]),
      last: f4(c.losses[c.losses.length - 1]),
      epochs: num(c.losses.length - 1),
      rises: num(c.rises),
    })));
    list.append(li);
  });
  fig.append(list);
  view.append(fig);
  fig.querySelector('canvas').draw();
}

/** A small inline SVG showing a series' marker and dash, for legends. */
function marker(series) {
  const s = svgEl('svg', { width: 28, height: 12, viewBox: '0 0 28 12', 'aria-hidden': 'true', class: 'tiny-key' });
  s.append(svgEl('line', { x1: 0, y1: 6, x2: 28, y2: 6, stroke: series.color, 'stroke-width': 2, 'stroke-dasharray': series.dash }));
  s.append(markerShape(series.marker, 14, 6, series.color));
  return s;
}

function markerShape(kind, x, y, color) {
  if (kind === 'square') return svgEl('rect', { x: x - 3.5, y: y - 3.5, width: 7, height: 7, fill: color });
  if (kind === 'triangle') return svgEl('path', { d: `M${x} ${y - 4.5} L${x + 4.5} ${y + 3.5} L${x - 4.5} ${y + 3.5} Z`, fill: color });
  return svgEl('circle', { cx: x, cy: y, r: 3.5, fill: color });
}

/**
 * A line plot of one or more series (index on x, value on y, from 0 to the largest finite value),
 * drawn by the page's chart module at its width and the page's text scale. Returns the canvas;
 * `draw()` (again after a resize) once it is in the page.
 */
function plot(series, { xLabel, yLabel, aria, height }) {
  const canvas = el('canvas', { class: 'chart tiny-plot', role: 'img', 'aria-label': aria });
  canvas.draw = () => {
    const g = prepare(canvas, { height: Math.round(height * textScale()) });
    const { fs, w, h } = g;
    const n = Math.max(...series.map((s) => s.values.length)) - 1;
    const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
    const top = Math.max(...finite, 1e-9) * 1.05;
    const box = { left: 4 * fs, right: w - fs, top: 1.8 * fs, bottom: h - 3.2 * fs };
    const ax = axes(g, box, { lo: 0, hi: Math.max(1, n), label: xLabel }, { lo: 0, hi: top, label: yLabel });
    for (const s of series) {
      // A value that is not finite (a run that diverged) is drawn at the top edge.
      const pts = s.values.map((v, i) => [i, Number.isFinite(v) ? Math.min(v, top) : top]);
      line(g, ax, pts, s.color, { dash: s.dash === 'none' ? [] : s.dash.split(' ').map(Number) });
      markers(g, ax, pts, s.color, s.marker);
    }
    canvas.dataset.series = String(series.length);
  };
  return canvas;
}
