// Chapter "Deeper is not always better": the degradation experiment of He et al. (2016, Fig. 1)
// at notebook scale. Two 20-layer networks with the same layers, parameters, data, settings and
// seed — one plain, one with every pair of convolutions wrapped in a residual block — train side
// by side (a worker each, so on two cores), their training losses drawn on one chart as they go.

import { COLORS, axes, legend, line, prepare, textScale, tickLabel } from '../chart.js';
import { applyStrings, explain, num, setText, t } from '../i18n.js';

/** One epoch of the 8,000 training digits at batch 64. */
const STEPS = 125;
/** The same for both: only the shortcuts differ. SGD with momentum, as in the paper. */
const SETTINGS = { activation: 'relu', init: 'he', optimizer: 'momentum', lr: 0.05, batch: 64, seed: 1 };
const RUNS = [
  { preset: 'plain-20', key: 'plain', color: COLORS.vermillion, dash: [6, 4] },
  { preset: 'resnet-20', key: 'residual', color: COLORS.blue, dash: [] },
];

let view = null;

export function mount(body) {
  body.innerHTML = `
    <p class="intro" data-i18n="degr.intro"></p>
    <p class="buttons">
      <button type="button" data-presenter-play data-testid="degradation-run" data-i18n="degr.run"></button>
      <button type="button" class="secondary" data-testid="degradation-stop" data-i18n="degr.stop" disabled></button>
    </p>
    <p class="message" data-testid="degradation-status" role="status"></p>
    <canvas class="curves" data-testid="degradation-chart" data-i18n-attr="aria-label:degr.chartLabel"></canvas>
    <ul class="chart-legend" data-testid="degradation-legend"></ul>
    <p class="message" data-testid="degradation-result" aria-live="polite"></p>
    <p class="intro" data-i18n="degr.why"></p>`;
  applyStrings(body);
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  view = new Comparison({ run: q('degradation-run'), stop: q('degradation-stop'), status: q('degradation-status'), chart: q('degradation-chart'), legend: q('degradation-legend'), result: q('degradation-result') });
}

export function refresh() {
  view?.draw();
}

class Comparison {
  constructor(el) {
    this.el = el;
    this.curves = RUNS.map(() => []);
    this.workers = [];
    el.run.addEventListener('click', () => this.start());
    el.stop.addEventListener('click', () => this.stop());
    window.addEventListener('resize', () => this.draw());
    this.draw();
  }

  start() {
    this.stop();
    this.curves = RUNS.map(() => []);
    this.done = 0;
    this.el.run.disabled = true;
    this.el.stop.disabled = false;
    setText(this.el.result, null);
    delete this.el.result.dataset.plain;
    delete this.el.result.dataset.residual;
    setText(this.el.status, 'degr.preparing');
    this.workers = RUNS.map((run, i) => {
      const w = new Worker(new URL('../compare-worker.js', import.meta.url), { type: 'module' });
      w.onmessage = ({ data }) => this.received(i, data);
      w.onerror = (e) => this.failed(e.message ?? 'the worker failed');
      w.postMessage({ type: 'start', preset: run.preset, settings: SETTINGS, steps: STEPS });
      return w;
    });
    this.draw();
  }

  stop() {
    for (const w of this.workers) w.postMessage({ type: 'stop' });
  }

  received(i, m) {
    if (m.type === 'progress') {
      this.curves[i].push([m.epochs, m.loss]);
      const [a, b] = this.curves.map((c) => c.at(-1)?.[0] ?? 0);
      setText(this.el.status, 'degr.training', { done: num(Math.min(a, b), { style: 'percent', maximumFractionDigits: 0 }) });
      this.draw();
    } else if (m.type === 'done' || m.type === 'stopped') {
      this.workers[i].terminate();
      if (++this.done === RUNS.length) this.finished(m.type === 'stopped');
    } else if (m.type === 'error') {
      this.failed(m.data ? explain(m.data) : m.message);
    }
  }

  /** The last reports' mean: single chunks are noisy. */
  finalLoss(points) {
    const last = points.slice(-5);
    return last.reduce((s, p) => s + p[1], 0) / Math.max(1, last.length);
  }

  finished(stopped) {
    this.el.run.disabled = false;
    this.el.stop.disabled = true;
    const [plain, residual] = this.curves.map((c) => this.finalLoss(c));
    this.el.result.dataset.plain = plain.toFixed(4);
    this.el.result.dataset.residual = residual.toFixed(4);
    const fmt = (v) => num(v, { maximumFractionDigits: 3, minimumFractionDigits: 3 });
    setText(this.el.status, stopped ? 'degr.stopped' : 'degr.done');
    setText(this.el.result, residual < plain ? 'degr.resultLower' : 'degr.resultNotLower', { plain: fmt(plain), residual: fmt(residual) });
  }

  failed(why) {
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.el.run.disabled = false;
    this.el.stop.disabled = true;
    this.el.status.classList.add('bad');
    setText(this.el.status, 'degr.failed', { why });
  }

  draw() {
    const canvas = this.el.chart;
    const s = textScale();
    const g = prepare(canvas, { height: Math.round(260 * s) });
    const { fs, w, h } = g;
    const all = this.curves.flat();
    const hi = Math.max(2.5, ...all.map((p) => p[1]).filter(Number.isFinite));
    const box = { left: 4.2 * fs, right: w - 1.8 * fs, top: 2.2 * fs, bottom: h - 3.4 * fs };
    const ax = axes(g, box, { lo: 0, hi: 1, label: t('curves.epochs'), format: tickLabel }, { lo: 0, hi, label: t('degr.loss') });
    RUNS.forEach((run, i) => line(g, ax, this.curves[i], run.color, { dash: run.dash }));
    canvas.dataset.points = this.curves.map((c) => c.length).join(',');
    legend(this.el.legend, RUNS.map((run) => ({ label: t(`degr.${run.key}`), color: run.color, kind: run.dash.length ? 'dashed' : 'line' })));
  }
}
