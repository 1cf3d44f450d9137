// Chapter "batches": epochs, mini-batches and shuffling on the 2-2-1 network. A strip of the N
// training examples in this epoch's shuffled order, grouped and coloured by batch, the current
// batch outlined; "Next batch" takes one update on it (its loss before and after, the mean
// gradient and the new parameters), and after the last batch the next epoch starts in a new
// order. Below: full batch, mini-batch and single example trained side by side, with the cost and
// the noise of each. The numbers come from the core (batchesEpoch, batchesStep, batchesCompare);
// this module only draws.

import { applyStrings, num, t } from '../i18n.js';
import { fixed } from '../format.js';
import { el, reveal } from './dom.js';
import { axes, COLORS, SERIES, line, markers, prepare, textScale } from '../chart.js';

const NAMES = ['w₁₁', 'w₁₂', 'w₁₃', 'w₁₄', 'w₂₁', 'w₂₂', 'b₁', 'b₂', 'b₃'];
/** Okabe–Ito colours, one per batch in turn (the groups are also apart and numbered). */
const RUN_LABELS = ['ch.batches.full', 'ch.batches.mini', 'ch.batches.single'];
const RUN_STYLE = [
  { color: COLORS.blue, marker: 'circle' },
  { color: COLORS.orange, marker: 'square' },
  { color: COLORS.vermillion, marker: 'triangle' },
];

let state = null;

const f4 = (x) => (Number.isFinite(x) ? fixed(x, 4) : String(x));
const pct = (x) => num(x, { style: 'percent', maximumFractionDigits: 0 });

export function mount(body, core) {
  const settings = core.batchesSettings();
  const flat = core.batchesDataset();
  const data = [];
  for (let i = 0; i < flat.length; i += 3) data.push({ x1: flat[i], x2: flat[i + 1], y: flat[i + 2] });
  state = { core, body, settings, data, batch: 8, runs: null };
  window.addEventListener('resize', () => body.querySelectorAll('canvas.batches-plot').forEach((c) => c.draw?.()));

  body.append(el('p', { class: 'intro', 'data-i18n': 'ch.batches.intro' }));

  // --- the strip --------------------------------------------------------------------------
  body.append(el('h3', { 'data-i18n': 'ch.batches.stripHeading' }));
  state.stripIntro = el('p', { class: 'intro' });
  body.append(state.stripIntro);
  const controls = el('fieldset', { class: 'batches-controls' });
  controls.append(el('legend', { 'data-i18n': 'ch.batches.controls' }));
  const label = el('label', { class: 'field', for: 'batches-size' });
  label.append(el('span', { 'data-i18n': 'ch.batches.size' }));
  const size = el('select', { id: 'batches-size', 'data-testid': 'batches-size' });
  for (const b of settings.sizes) size.append(el('option', { value: String(b) }, String(b)));
  size.value = String(state.batch);
  size.addEventListener('change', () => {
    state.batch = Number(size.value);
    restart();
  });
  label.append(size);
  const next = el('button', { type: 'button', 'data-i18n': 'ch.batches.next', 'data-testid': 'batches-next', 'data-presenter-play': '' });
  const reset = el('button', { type: 'button', class: 'secondary', 'data-i18n': 'ch.batches.reset', 'data-testid': 'batches-reset' });
  next.addEventListener('click', nextBatch);
  reset.addEventListener('click', restart);
  const buttons = el('div', { class: 'buttons' });
  buttons.append(next, reset);
  controls.append(label, buttons);
  state.counter = el('p', { class: 'batches-counter', role: 'status', 'data-testid': 'batches-counter' });
  state.strip = el('div', { class: 'batches-strip', 'data-testid': 'batches-strip' });
  state.previous = el('p', { class: 'batches-previous', 'data-testid': 'batches-previous' });
  state.stepView = el('div', { class: 'batches-step', 'data-testid': 'batches-step' });
  body.append(controls, state.counter, state.strip, state.previous, state.stepView);

  // --- the comparison ---------------------------------------------------------------------
  body.append(el('h3', { 'data-i18n': 'ch.batches.compareHeading' }));
  state.compareIntro = el('p', { class: 'intro' });
  const run = el('button', { type: 'button', 'data-i18n': 'ch.batches.compareRun', 'data-testid': 'batches-compare-run' });
  run.addEventListener('click', () => {
    state.runs = core.batchesCompare(settings.epochs);
    render();
    reveal(state.panels);
  });
  state.panels = el('div', { class: 'batches-panels', 'data-testid': 'batches-panels' });
  body.append(state.compareIntro, run, state.panels);
  restart();
  applyStrings(body);
}

/** Re-render every string and number (the lead calls this when the language changes). */
export function refresh() {
  if (!state) return;
  applyStrings(state.body);
  render();
}

function restart() {
  state.params = Array.from(state.core.tinyDefaultParams());
  state.epoch = 0;
  state.order = state.core.batchesEpoch(state.batch, 0);
  state.done = 0; // batches of this epoch already used
  state.prevOrder = null;
  state.last = null;
  render();
}

function nextBatch() {
  const { core } = state;
  if (state.done === state.order.length) {
    // The epoch is over: the next one draws a new order from the shuffle stream.
    state.prevOrder = state.order;
    state.epoch += 1;
    state.order = core.batchesEpoch(state.batch, state.epoch);
    state.done = 0;
  }
  const indices = state.order[state.done];
  const s = core.batchesStep(new Float32Array(state.params), new Uint32Array(indices), state.settings.lr);
  state.params = Array.from(s.new);
  state.last = { ...s, epoch: state.epoch, number: state.done };
  state.done += 1;
  render();
  reveal(state.counter);
}

function render() {
  const { settings } = state;
  state.stripIntro.textContent = t('ch.batches.stripIntro', { n: num(settings.n), lr: num(settings.lr) });
  state.compareIntro.textContent = t('ch.batches.compareIntro', { n: num(settings.n), epochs: num(settings.epochs), lr: num(settings.lr) });
  renderStrip();
  renderStep();
  renderRuns();
}

function renderStrip() {
  const count = state.order.length;
  const current = state.done === 0 ? 0 : state.done - 1;
  state.counter.dataset.epoch = String(state.epoch + 1);
  state.counter.dataset.batches = String(count);
  state.counter.dataset.done = String(state.done);
  state.counter.textContent = state.done === 0
    ? t('ch.batches.counter0', { epoch: num(state.epoch + 1), batches: num(count), n: num(state.settings.n), b: num(state.batch) })
    : t('ch.batches.counter', { epoch: num(state.epoch + 1), batch: num(state.done), batches: num(count), n: num(state.settings.n), b: num(state.batch) });
  state.strip.replaceChildren();
  state.order.forEach((indices, b) => {
    const group = el('div', {
      class: 'batches-group',
      'data-batch': String(b + 1),
      style: `--batch: ${SERIES[b % SERIES.length]}`,
    });
    if (state.done > 0 && b === current) {
      group.classList.add('is-current');
      group.setAttribute('aria-current', 'step');
    }
    if (b < state.done - 1) group.classList.add('is-done');
    group.append(el('span', { class: 'batches-tag' }, t('ch.batches.tag', { n: num(b + 1) })));
    const cells = el('div', { class: 'batches-cells' });
    for (const i of indices) {
      const e = state.data[i];
      cells.append(el('span', { class: 'batches-cell', 'data-index': String(i), 'data-x1': String(e.x1), 'data-x2': String(e.x2), 'data-y': String(e.y), title: `#${i}: x = (${f4(e.x1)}, ${f4(e.x2)}), y = ${num(e.y)}` }, String(i)));
    }
    group.append(cells);
    state.strip.append(group);
  });
  state.previous.textContent = state.prevOrder
    ? t('ch.batches.previous', { epoch: num(state.epoch), order: state.prevOrder.map((c) => c.join(' ')).join(' | ') })
    : '';
}

function renderStep() {
  const view = state.stepView;
  view.replaceChildren();
  const s = state.last;
  if (!s) {
    view.append(el('p', { class: 'hint' }, t('ch.batches.noStep')));
    return;
  }
  const p = el('p', { 'data-testid': 'batches-loss', 'data-batch-loss': String(s.batchLoss), 'data-new-batch-loss': String(s.newBatchLoss), 'data-loss': String(s.loss), 'data-new-loss': String(s.newLoss) });
  p.textContent = t('ch.batches.stepLoss', {
    batch: num(s.number + 1),
    epoch: num(s.epoch + 1),
    k: num(s.indices.length),
    examples: s.indices.join(', '),
    before: f4(s.batchLoss),
    after: f4(s.newBatchLoss),
    all: num(state.settings.n),
    allBefore: f4(s.loss),
    allAfter: f4(s.newLoss),
  });
  view.append(p);
  const wrap = el('div', { class: 'table-wrap' });
  const table = el('table', { class: 'tiny-table', 'data-testid': 'batches-update' });
  table.append(el('caption', {}, t('ch.batches.updateCaption', { lr: num(s.lr), k: num(s.indices.length) })));
  const head = el('tr');
  ['ch.batches.param', 'ch.batches.old', 'ch.batches.grad', 'ch.batches.new'].forEach((k, i) => head.append(el('th', { class: i ? 'num' : '', scope: 'col' }, t(k))));
  table.append(el('thead'), el('tbody'));
  table.tHead.append(head);
  NAMES.forEach((n, i) => {
    const tr = el('tr');
    tr.append(
      el('th', { scope: 'row' }, n),
      el('td', { class: 'num', 'data-old': String(s.old[i]) }, f4(s.old[i])),
      el('td', { class: 'num', 'data-grad': String(s.grads[i]) }, f4(s.grads[i])),
      el('td', { class: 'num', 'data-new': String(s.new[i]) }, f4(s.new[i])),
    );
    table.tBodies[0].append(tr);
  });
  wrap.append(table);
  view.append(wrap);
}

function renderRuns() {
  const panels = state.panels;
  panels.replaceChildren();
  if (!state.runs) {
    panels.append(el('p', { class: 'hint' }, t('ch.batches.notRun')));
    return;
  }
  const top = Math.max(...state.runs.flatMap((r) => r.updateLosses.concat(r.epochLosses)).filter(Number.isFinite)) * 1.05;
  state.runs.forEach((r, i) => {
    const fig = el('figure', { class: 'batches-panel', 'data-testid': `batches-run-${i}`, 'data-losses': r.updateLosses.join(','), 'data-epoch-losses': r.epochLosses.join(',') });
    fig.append(el('h4', {}, t('ch.batches.runTitle', { b: num(r.batch), label: t(RUN_LABELS[i]) })));
    const canvas = plot(r, RUN_STYLE[i], top, t('ch.batches.plotLabel', { b: num(r.batch) }));
    canvas.dataset.testid = `batches-plot-${i}`;
    fig.append(canvas);
    const cap = el('figcaption', {});
    const facts = el('ul', { class: 'batches-facts' });
    facts.append(
      el('li', { 'data-testid': `batches-updates-${i}`, 'data-value': String(r.updatesPerEpoch) }, t('ch.batches.updates', { u: num(r.updatesPerEpoch), n: num(state.settings.n), b: num(r.batch) })),
      el('li', { 'data-testid': `batches-cost-${i}`, 'data-value': String(r.examplesPerUpdate) }, t(r.examplesPerUpdate === 1 ? 'ch.batches.costOne' : 'ch.batches.cost', { k: num(r.examplesPerUpdate) })),
      el('li', { 'data-testid': `batches-noise-${i}`, 'data-value': String(r.noise) }, t('ch.batches.noise', { p: pct(r.noise) })),
      el('li', { 'data-testid': `batches-final-${i}`, 'data-value': String(r.epochLosses[r.epochLosses.length - 1]) }, t('ch.batches.final', { epochs: num(r.epochLosses.length - 1), loss: f4(r.epochLosses[r.epochLosses.length - 1]) })),
    );
    cap.append(facts);
    fig.append(cap);
    panels.append(fig);
    fig.querySelector('canvas').draw();
  });
}

/** The loss of every update's own batch (a line, x in epochs) and the loss over all N after
 *  each epoch (markers), on a shared y range so that the three panels compare. */
function plot(r, style, top, aria) {
  const canvas = el('canvas', { class: 'chart batches-plot', role: 'img', 'aria-label': aria });
  canvas.draw = () => {
    const g = prepare(canvas, { height: Math.round(190 * textScale()) });
    const { fs, w, h } = g;
    const epochs = r.epochLosses.length - 1;
    const box = { left: 3.6 * fs, right: w - fs, top: 1.8 * fs, bottom: h - 3.2 * fs };
    const ax = axes(g, box, { lo: 0, hi: epochs, label: t('ch.batches.epochAxis') }, { lo: 0, hi: top, label: t('ch.batches.lossAxis') });
    const u = r.updatesPerEpoch;
    line(g, ax, r.updateLosses.map((v, k) => [k / u, Math.min(v, top)]), style.color, { width: 1.5 });
    markers(g, ax, r.epochLosses.map((v, e) => [e, Math.min(v, top)]), COLORS.grey, style.marker);
  };
  return canvas;
}
