// Chapter "init": weight initialisation. First the 2-2-1 network of the descent chapter started
// with every weight equal or with random weights, stepped by backprop, with its two hidden units'
// parameters side by side (equal stays equal forever; random parts). Then a deep network's
// activations as a histogram per layer under a chosen initialisation and activation. The numbers
// come from the core (initTinyStart, initTinyStep, initDeepActivations); this module only draws.

import { applyStrings, num, t } from '../i18n.js';
import { decades, fixed } from '../format.js';
import { el, reveal } from './dom.js';
import { axes, COLORS, prepare, textScale } from '../chart.js';

/** The rows of the units' table: [w from x₁, w from x₂, bias, w to the output] of each unit. */
const ROWS = [
  { key: 'ch.init.rowIn1', sub: ['w₁₁', 'w₁₂'] },
  { key: 'ch.init.rowIn2', sub: ['w₁₃', 'w₁₄'] },
  { key: 'ch.init.rowBias', sub: ['b₁', 'b₂'] },
  { key: 'ch.init.rowOut', sub: ['w₂₁', 'w₂₂'] },
];
const INITS = [
  ['gaussian:0.01', 'ch.init.gaussian'],
  ['xavier', 'ch.init.xavier'],
  ['he', 'ch.init.he'],
];
const ACTS = [
  ['sigmoid', 'ch.init.sigmoid'],
  ['tanh', 'ch.init.tanh'],
  ['relu', 'ch.init.relu'],
];

let state = null;

const f4 = (x) => (Number.isFinite(x) ? fixed(x, 4) : String(x));
/** Gradients and the loss shrink fast as the example is learned: below 0.001 they are written
 *  1.23 × 10⁻⁵, so a step that still moves the weights never shows a gradient of 0.0000. */
const small = (x) => (Number.isFinite(x) && x !== 0 && Math.abs(x) < 1e-3 ? decades(x, 3) : f4(x));
/** Standard deviations span many decades (10⁻¹⁷ when the signal dies): 3 significant digits. */
const sd = (x) => decades(x, 3);

function select(id, labelKey, options, value, onChange) {
  const label = el('label', { class: 'field', for: id });
  label.append(el('span', { 'data-i18n': labelKey }));
  const s = el('select', { id, 'data-testid': id });
  for (const [v, key] of options) s.append(el('option', { value: v, 'data-i18n': key }));
  s.value = value;
  s.addEventListener('change', () => onChange(s.value));
  label.append(s);
  return label;
}

export function mount(body, core) {
  const start = 'equal';
  state = { core, body, start, params: Array.from(core.initTinyStart(false)), steps: 0, last: null, lr: core.initTinyLearningRate(), init: 'gaussian:0.01', act: 'tanh', deep: null };
  window.addEventListener('resize', () => body.querySelectorAll('canvas.init-hist').forEach((c) => c.draw?.()));

  body.append(el('p', { class: 'intro', 'data-i18n': 'ch.init.intro' }));

  // --- symmetry --------------------------------------------------------------------------
  body.append(el('h3', { 'data-i18n': 'ch.init.symHeading' }));
  state.symIntro = el('p', { class: 'intro' });
  body.append(state.symIntro);
  const controls = el('fieldset', { class: 'init-controls' });
  controls.append(el('legend', { 'data-i18n': 'ch.init.startLegend' }));
  controls.append(select('init-start', 'ch.init.start', [['equal', 'ch.init.equal'], ['random', 'ch.init.random']], start, (v) => {
    state.start = v;
    restart();
  }));
  const stepBtn = el('button', { type: 'button', 'data-i18n': 'ch.init.step', 'data-testid': 'init-step', 'data-presenter-play': '' });
  const step10 = el('button', { type: 'button', class: 'secondary', 'data-i18n': 'ch.init.step10', 'data-testid': 'init-step10' });
  const reset = el('button', { type: 'button', class: 'secondary', 'data-i18n': 'ch.init.reset', 'data-testid': 'init-reset' });
  stepBtn.addEventListener('click', () => steps(1));
  step10.addEventListener('click', () => steps(10));
  reset.addEventListener('click', restart);
  const buttons = el('div', { class: 'buttons' });
  buttons.append(stepBtn, step10, reset);
  controls.append(buttons);
  state.status = el('p', { class: 'init-status', role: 'status', 'data-testid': 'init-status' });
  state.units = el('div', { class: 'table-wrap' });
  state.verdict = el('p', { class: 'init-verdict', 'data-testid': 'init-verdict' });
  body.append(controls, state.status, state.units, state.verdict);

  // --- deep network ----------------------------------------------------------------------
  body.append(el('h3', { 'data-i18n': 'ch.init.deepHeading' }));
  state.deepIntro = el('p', { class: 'intro' });
  body.append(state.deepIntro);
  const deepControls = el('fieldset', { class: 'init-controls' });
  deepControls.append(el('legend', { 'data-i18n': 'ch.init.deepLegend' }));
  deepControls.append(
    select('init-scheme', 'ch.init.scheme', INITS, state.init, (v) => {
      state.init = v;
      runDeep();
    }),
    select('init-act', 'ch.init.activation', ACTS, state.act, (v) => {
      state.act = v;
      runDeep();
    }),
  );
  state.deepSummary = el('p', { class: 'init-summary', role: 'status', 'data-testid': 'init-deep-summary' });
  state.grid = el('div', { class: 'init-grid', 'data-testid': 'init-grid' });
  body.append(deepControls, state.deepSummary, state.grid);
  state.deep = core.initDeepActivations(state.init, state.act);
  refresh();
}

/** Re-render every string and number (the lead calls this when the language changes). */
export function refresh() {
  if (!state) return;
  applyStrings(state.body);
  render();
}

function restart() {
  state.params = Array.from(state.core.initTinyStart(state.start === 'random'));
  state.steps = 0;
  state.last = null;
  render();
}

function steps(k) {
  for (let i = 0; i < k; i++) {
    const s = state.core.initTinyStep(new Float32Array(state.params), state.lr);
    state.params = s.params;
    state.last = s;
    state.steps += 1;
  }
  render();
  reveal(state.status);
}

function runDeep() {
  state.deep = state.core.initDeepActivations(state.init, state.act);
  render();
  reveal(state.deepSummary);
}

function render() {
  renderUnits();
  renderDeep();
}

/** Unit i's [w from x₁, w from x₂, bias, w out] read from the 9 parameters (tiny order). */
function unitOf(p, i) {
  return i === 0 ? [p[0], p[2], p[6], p[4]] : [p[1], p[3], p[7], p[5]];
}

function renderUnits() {
  const s = state.last;
  state.symIntro.textContent = t('ch.init.symIntro', { lr: num(state.lr) });
  const u1 = unitOf(state.params, 0);
  const u2 = unitOf(state.params, 1);
  const loss = s ? s.newLoss : null;
  state.status.textContent = s
    ? t('ch.init.status', { steps: num(state.steps), loss: small(loss) })
    : t('ch.init.status0', { start: t(state.start === 'random' ? 'ch.init.random' : 'ch.init.equal') });
  state.status.dataset.steps = String(state.steps);
  state.status.dataset.loss = loss === null ? '' : String(loss);

  const table = el('table', { class: 'tiny-table init-units', 'data-testid': 'init-units' });
  table.append(el('caption', {}, t('ch.init.unitsCaption')));
  const head = el('tr');
  ['ch.init.param', 'ch.init.unit1', 'ch.init.unit2', 'ch.init.grad1', 'ch.init.grad2'].forEach((k, i) =>
    head.append(el('th', { class: i ? 'num' : '', scope: 'col' }, t(k))),
  );
  table.append(el('thead'), el('tbody'));
  table.tHead.append(head);
  ROWS.forEach((row, r) => {
    const tr = el('tr', { 'data-testid': `init-row-${r}` });
    const g1 = s ? s.grad1[r] : null;
    const g2 = s ? s.grad2[r] : null;
    tr.append(
      el('th', { scope: 'row' }, `${t(row.key)} (${row.sub[0]} | ${row.sub[1]})`),
      el('td', { class: 'num', 'data-unit': '1', 'data-value': String(u1[r]) }, f4(u1[r])),
      el('td', { class: 'num', 'data-unit': '2', 'data-value': String(u2[r]) }, f4(u2[r])),
      el('td', { class: 'num' }, g1 === null ? '—' : small(g1)),
      el('td', { class: 'num' }, g2 === null ? '—' : small(g2)),
    );
    if (u1[r] === u2[r]) tr.classList.add('same');
    table.tBodies[0].append(tr);
  });
  state.units.replaceChildren(table);
  const gap = Math.max(...u1.map((v, i) => Math.abs(v - u2[i])));
  state.verdict.dataset.gap = String(gap);
  const same = state.steps === 0 ? t('ch.init.identicalStart') : t('ch.init.identical', { steps: num(state.steps) });
  state.verdict.textContent = gap === 0 ? same : t('ch.init.differ', { gap: f4(gap) });
  // The alarm once steps have failed to part them; at the start it is only a question.
  state.verdict.classList.toggle('is-stuck', gap === 0 && state.steps > 0);
}

function renderDeep() {
  const run = state.deep;
  const layers = run.layers;
  state.deepIntro.textContent = t('ch.init.deepIntro', { depth: num(layers.length), width: num(run.width), batch: num(run.batch) });
  const initName = t(INITS.find(([v]) => v === run.init)?.[1] ?? 'ch.init.xavier');
  const actName = t(ACTS.find(([v]) => v === run.activation)?.[1] ?? 'ch.init.tanh');
  const first = layers[0].signal;
  const last = layers[layers.length - 1].signal;
  state.deepSummary.textContent = t('ch.init.deepSummary', { init: initName, act: actName, first: sd(first), last: sd(last), ratio: sd(run.ratio), verdict: t(`ch.init.${run.verdict}`) });
  state.deepSummary.dataset.ratio = String(run.ratio);
  state.deepSummary.dataset.verdict = run.verdict;
  state.grid.replaceChildren();
  for (const l of layers) {
    const fig = el('figure', { class: 'init-panel', 'data-testid': `init-layer-${l.layer}` });
    fig.append(el('h4', {}, t('ch.init.layer', { n: num(l.layer) })));
    const canvas = histogram(l.counts, run.lo, run.hi, t('ch.init.histLabel', { n: num(l.layer), mean: sd(l.mean), std: sd(l.std) }));
    canvas.dataset.counts = l.counts.join(',');
    canvas.dataset.testid = `init-hist-${l.layer}`;
    fig.append(canvas);
    const cap = el('figcaption', { 'data-std': String(l.std), 'data-mean': String(l.mean), 'data-signal': String(l.signal) }, t('ch.init.stats', { mean: sd(l.mean), std: sd(l.std), signal: sd(l.signal) }));
    fig.append(cap);
    state.grid.append(fig);
    canvas.draw();
  }
}

/** Bars of `counts` over [lo, hi] (x) against the share of values (y, 0 to the tallest bar). */
function histogram(counts, lo, hi, aria) {
  const canvas = el('canvas', { class: 'chart init-hist', role: 'img', 'aria-label': aria });
  canvas.draw = () => {
    const g = prepare(canvas, { height: Math.round(150 * textScale()) });
    const { ctx, fs, w, h } = g;
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    const top = Math.max(...counts) / total || 1;
    const box = { left: 3.2 * fs, right: w - 0.8 * fs, top: 0.8 * fs, bottom: h - 1.8 * fs };
    const ax = axes(g, box, { lo, hi }, { lo: 0, hi: top * 1.05 });
    const bw = (hi - lo) / counts.length;
    ctx.fillStyle = COLORS.blue;
    counts.forEach((c, i) => {
      if (!c) return;
      const x0 = ax.sx(lo + i * bw);
      const x1 = ax.sx(lo + (i + 1) * bw);
      const y = ax.sy(c / total);
      ctx.fillRect(x0 + 0.5, y, Math.max(1, x1 - x0 - 1), box.bottom - y);
    });
  };
  return canvas;
}
