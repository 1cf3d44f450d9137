// Chapter "Batch normalisation": a batch of the sample digits through one 3×3 convolution, its
// activations before and after batch norm as histograms with their mean and variance; γ and β
// sliders; training mode (the batch's own statistics) against evaluation mode (the running
// statistics), with a momentum slider and a "step" button that sends one more batch through in
// training mode. The numbers and the bin counts are the core's (`batchNormDemo` →
// `Cpu::conv2d_forward`, `Cpu::batchnorm2d_forward_train/eval`). Below, a short run of the plain
// 20-layer network with and without its batch norms, side by side (two compare-workers).

import { COLORS, axes, bars, line, prepare, textScale, tickLabel } from '../chart.js';
import { RunComparison, comparisonElements, comparisonMarkup } from '../compare-runs.js';
import { applyStrings, explain, num, setText, t } from '../i18n.js';
import { fixed } from '../format.js';

const BINS = 24;
/** The comparison's elements' data-testids. */
const IDS = { run: 'bn-run', stop: 'bn-stop', status: 'bn-run-status', chart: 'bn-chart', legend: 'bn-legend', result: 'bn-run-result' };
/** The short run: 60 steps of batch 64 (about half an epoch of the 8,000 training digits). */
const STEPS = 60;
const SETTINGS = { activation: 'relu', init: 'he', optimizer: 'momentum', lr: 0.05, batch: 64, seed: 1 };
const RUNS = [
  { key: 'with', color: COLORS.blue, dash: [] },
  { key: 'without', color: COLORS.vermillion, dash: [6, 4] },
];

let state = null;

export function mount(body, core) {
  body.innerHTML = `
    <p class="intro" data-i18n="bn.intro"></p>
    <div class="bn-controls">
      <div class="field">
        <label for="bn-gamma" data-i18n="bn.gamma"></label>
        <input type="range" id="bn-gamma" data-testid="bn-gamma" min="-3" max="3" step="0.1" value="1">
        <output for="bn-gamma" data-testid="bn-gamma-value"></output>
      </div>
      <div class="field">
        <label for="bn-beta" data-i18n="bn.beta"></label>
        <input type="range" id="bn-beta" data-testid="bn-beta" min="-3" max="3" step="0.1" value="0">
        <output for="bn-beta" data-testid="bn-beta-value"></output>
      </div>
      <fieldset class="bn-mode">
        <legend data-i18n="bn.mode"></legend>
        <label><input type="radio" name="bn-mode" value="train" data-testid="bn-mode-train" checked> <span data-i18n="bn.train"></span></label>
        <label><input type="radio" name="bn-mode" value="eval" data-testid="bn-mode-eval"> <span data-i18n="bn.eval"></span></label>
      </fieldset>
    </div>
    <p class="bn-batch" data-testid="bn-batch"></p>
    <div class="bn-hists">
      <figure>
        <canvas class="chart" data-testid="bn-before" role="img"></canvas>
        <figcaption data-testid="bn-before-stats"></figcaption>
      </figure>
      <figure>
        <canvas class="chart" data-testid="bn-after" role="img"></canvas>
        <figcaption data-testid="bn-after-stats" aria-live="polite"></figcaption>
      </figure>
    </div>
    <h3 data-i18n="bn.runningHeading"></h3>
    <p class="intro" data-i18n="bn.runningIntro"></p>
    <div class="bn-controls">
      <div class="field">
        <label for="bn-momentum" data-i18n="bn.momentum"></label>
        <input type="range" id="bn-momentum" data-testid="bn-momentum" min="0" max="1" step="0.05" value="0.1">
        <output for="bn-momentum" data-testid="bn-momentum-value"></output>
      </div>
      <p class="buttons">
        <button type="button" data-testid="bn-step" data-i18n="bn.step"></button>
        <button type="button" class="secondary" data-testid="bn-step10" data-i18n="bn.step10"></button>
        <button type="button" class="secondary" data-testid="bn-reset" data-i18n="bn.reset"></button>
      </p>
    </div>
    <p class="bn-running" data-testid="bn-running" aria-live="polite"></p>
    <p class="message bad" data-testid="bn-error" role="alert" hidden></p>
    <p class="intro" data-i18n="bn.why"></p>
    <h3 data-i18n="bn.deepHeading"></h3>
    <p class="intro" data-i18n="bn.deepIntro"></p>
    ${comparisonMarkup(IDS, { run: 'bn.run', stop: 'bn.stop', chartLabel: 'bn.chartLabel' })}
    <p class="intro" data-i18n="bn.deepWhy"></p>`;
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  state = { body, core, q, steps: 0, view: null, comparison: null };
  for (const id of ['bn-gamma', 'bn-beta']) q(id).addEventListener('input', compute);
  q('bn-momentum').addEventListener('input', () => {
    // A new momentum means a new history: the running statistics start again from (0, 1).
    state.steps = 0;
    compute();
  });
  for (const r of body.querySelectorAll('input[name="bn-mode"]')) r.addEventListener('change', render);
  q('bn-step').addEventListener('click', () => step(1));
  q('bn-step10').addEventListener('click', () => step(10));
  q('bn-reset').addEventListener('click', () => {
    state.steps = 0;
    compute();
  });
  window.addEventListener('resize', render);
  state.comparison = comparison(core, comparisonElements(body, IDS));
  refresh();
}

export function refresh() {
  if (!state) return;
  applyStrings(state.body);
  compute();
  state.comparison.draw();
}

function step(k) {
  state.steps = Math.min(1000, state.steps + k);
  compute();
}

const mode = () => state.body.querySelector('input[name="bn-mode"]:checked').value;

/** Ask the core for the batch of the current step, in both modes. */
function compute() {
  const { q, core } = state;
  const gamma = Number(q('bn-gamma').value), beta = Number(q('bn-beta').value), momentum = Number(q('bn-momentum').value);
  q('bn-gamma-value').textContent = fixed(gamma, 1);
  q('bn-beta-value').textContent = fixed(beta, 1);
  q('bn-momentum-value').textContent = fixed(momentum, 2);
  try {
    state.view = core.batchNormDemo(gamma, beta, momentum, state.steps, BINS);
    q('bn-error').hidden = true;
  } catch (err) {
    state.view = null;
    q('bn-error').hidden = false;
    q('bn-error').textContent = explain(err);
  }
  render();
}

const stat = (v) => fixed(v, 3);

function render() {
  const { q, view } = state;
  if (!view) return;
  const m = mode();
  const after = view[m];
  // The raw values ride along on the canvases for the tests, which compute the statistics themselves.
  q('bn-before').dataset.values = JSON.stringify(Array.from(view.input_values));
  q('bn-after').dataset.values = JSON.stringify(Array.from(m === 'train' ? view.train_values : view.eval_values));
  q('bn-after').dataset.mode = m;
  setText(q('bn-batch'), 'bn.batch', { step: num(view.steps + 1), digits: view.digits.join(', '), n: num(view.input_values.length) });
  setText(q('bn-before-stats'), 'bn.beforeStats', { mean: stat(view.input.mean), variance: stat(view.input.variance) });
  setText(q('bn-after-stats'), m === 'train' ? 'bn.afterTrain' : 'bn.afterEval', { mean: stat(after.mean), variance: stat(after.variance) });
  setText(q('bn-running'), 'bn.running', {
    steps: num(view.steps),
    rm: stat(view.running_mean), rv: stat(view.running_var),
    bm: stat(view.input.mean), bv: stat(view.input.variance),
  });
  q('bn-running').dataset.steps = String(view.steps);
  q('bn-running').dataset.runningMean = String(view.running_mean);
  q('bn-running').dataset.runningVar = String(view.running_var);
  // One value axis for both, so the shift and the stretch batch norm makes are seen.
  const range = [Math.min(view.input.histogram.lo, after.histogram.lo), Math.max(view.input.histogram.hi, after.histogram.hi)];
  histogram(q('bn-before'), view.input, range, COLORS.grey, t('bn.beforeTitle'), false);
  histogram(q('bn-after'), after, range, m === 'train' ? COLORS.blue : COLORS.green, t(m === 'train' ? 'bn.afterTrainTitle' : 'bn.afterEvalTitle'), m === 'eval');
}

/** One histogram over the value range [lo, hi], with its mean marked (a dashed line). */
function histogram(canvas, d, [lo, hi], color, title, hatched) {
  const s = textScale();
  const g = prepare(canvas, { height: Math.round(220 * s) });
  const { fs, w, h } = g;
  const { counts } = d.histogram;
  const pad = (hi - lo) * 0.05 || 0.5;
  const box = { left: 4 * fs, right: w - 1.2 * fs, top: 2.2 * fs, bottom: h - 3.4 * fs };
  // Counts on a log scale: the digits' blank background puts most values in one bin, and the
  // ink's spread would be invisible beside it on a linear one.
  const top = Math.max(10, ...counts) * 1.6;
  const ax = axes(g, box, { lo: lo - pad, hi: hi + pad, label: t('bn.value'), format: tickLabel }, { lo: 1, hi: top, log: true, label: title });
  bars(g, ax, d.histogram, color, { hatched });
  line(g, ax, [[d.mean, 0], [d.mean, top]], '#222', { width: 1.5, dash: [4, 3] });
  canvas.setAttribute('aria-label', `${title}: ${t('bn.statsShort', { mean: stat(d.mean), variance: stat(d.variance) })}`);
  canvas.dataset.counts = counts.join(',');
}

/** The short run of the plain 20-layer network with and without batch norm. */
function comparison(core, el) {
  const runs = RUNS.map((run, i) => ({
    ...run,
    label: () => t(`bn.${run.key}`),
    // The core writes both specs (the same network, its batch norms kept or taken out).
    start: () => ({ spec: core.batchNormRunSpecs()[i], settings: SETTINGS, steps: STEPS }),
  }));
  return new RunComparison(el, {
    runs,
    x: { hi: STEPS, label: () => t('bn.steps'), of: (m) => m.step },
    lossLabel: () => t('bn.loss'),
    preparing: 'bn.preparing',
    progress: (done) => ['bn.training', { done: num(done), steps: num(STEPS) }],
    finish: ([withBn, withoutBn], outcomes) => {
      const fmt = (v) => (Number.isFinite(v) ? fixed(v, 3) : '—');
      el.result.dataset.with = String(withBn);
      el.result.dataset.without = String(withoutBn);
      const failed = outcomes.map((o) => o.failed).filter(Boolean);
      if (outcomes.some((o) => o.stopped)) setText(el.status, 'bn.stopped');
      else setText(el.status, 'bn.done', { steps: num(STEPS) });
      const key = outcomes[1].failed ? 'bn.resultDiverged' : withBn < withoutBn ? 'bn.resultLower' : 'bn.resultNotLower';
      setText(el.result, key, { with: fmt(withBn), without: fmt(withoutBn), why: failed.join(' ') });
    },
  });
}
