// Networks trained side by side, a compare-worker each (so on two cores), their training losses
// drawn on one chart as they go: what the degradation experiment and batch norm's short run share.
// A chapter says what each worker trains and how progress and the outcome read in its words; this
// module runs the workers, keeps the curves and draws them.

import { axes, legend, line, prepare, textScale, tickLabel } from './chart.js';
import { explain, setText } from './i18n.js';

/** The roles of a comparison's elements, in the order `comparisonMarkup` writes them. */
const ROLES = ['run', 'stop', 'status', 'chart', 'legend', 'result'];

/**
 * A comparison's controls, chart and result, as markup for a chapter's template: `ids` gives
 * each role's data-testid ({ run, stop, status, chart, legend, result }), `keys` the string keys
 * of the run and stop buttons and of the chart's label ({ run, stop, chartLabel }).
 */
export function comparisonMarkup(ids, keys) {
  return `
    <p class="buttons">
      <button type="button" data-presenter-play data-testid="${ids.run}" data-i18n="${keys.run}"></button>
      <button type="button" class="secondary" data-testid="${ids.stop}" data-i18n="${keys.stop}" disabled></button>
    </p>
    <p class="message" data-testid="${ids.status}" role="status"></p>
    <canvas class="curves" data-testid="${ids.chart}" data-i18n-attr="aria-label:${keys.chartLabel}"></canvas>
    <ul class="chart-legend" data-testid="${ids.legend}"></ul>
    <p class="message" data-testid="${ids.result}" aria-live="polite"></p>`;
}

/** The elements `comparisonMarkup(ids, …)` wrote under `root`, by role. */
export function comparisonElements(root, ids) {
  return Object.fromEntries(ROLES.map((role) => [role, root.querySelector(`[data-testid="${ids[role]}"]`)]));
}

export class RunComparison {
  /**
   * `el`: the chapter's { run, stop, status, chart, legend, result } elements
   * (`comparisonElements` of the markup `comparisonMarkup` wrote).
   * `runs`: [{ key, color, dash, label: () => text, start: () => the worker's start message }].
   * `x`: the chart's x axis: { hi, label: () => text, of: (progress report) => x }.
   * `lossLabel`: () => the y axis' label.
   * `preparing`: the status key while the workers load; `progress(done)`: [key, values] of the
   * status line, `done` being the x the slowest run has reached.
   * `finish(losses, outcomes)`: the chapter writes its status and result; `losses` are each run's
   * mean of its last `tail` reports (NaN for a run that reported nothing), `outcomes` each run's
   * { stopped } or { failed: why }.
   */
  constructor(el, { runs, x, lossLabel, preparing, progress, finish, tail = 3 }) {
    Object.assign(this, { el, runs, x, lossLabel, preparing, progress, finish, tail });
    this.curves = runs.map(() => []);
    this.outcomes = runs.map(() => null);
    this.workers = [];
    el.run.addEventListener('click', () => this.start());
    el.stop.addEventListener('click', () => this.stop());
    window.addEventListener('resize', () => this.draw());
  }

  start() {
    this.stop();
    this.curves = this.runs.map(() => []);
    this.outcomes = this.runs.map(() => null);
    this.el.run.disabled = true;
    this.el.stop.disabled = false;
    this.el.status.classList.remove('bad');
    setText(this.el.result, null);
    // The last result's figures (data-with, data-plain…) go with its sentence.
    for (const key of Object.keys(this.el.result.dataset)) if (key !== 'testid') delete this.el.result.dataset[key];
    setText(this.el.status, this.preparing);
    this.workers = this.runs.map((run, i) => {
      const w = new Worker(new URL('./compare-worker.js', import.meta.url), { type: 'module' });
      w.onmessage = ({ data }) => this.received(i, data);
      w.onerror = (e) => this.ended(i, { failed: e.message ?? 'the worker failed' });
      w.postMessage({ type: 'start', ...run.start() });
      return w;
    });
    this.draw();
  }

  stop() {
    for (const w of this.workers) w.postMessage({ type: 'stop' });
  }

  received(i, m) {
    if (m.type === 'progress') {
      this.curves[i].push([this.x.of(m), m.loss]);
      const done = Math.min(...this.curves.map((c, k) => (this.outcomes[k] ? this.x.hi : c.at(-1)?.[0] ?? 0)));
      setText(this.el.status, ...this.progress(done));
      this.draw();
    } else if (m.type === 'done' || m.type === 'stopped') {
      this.ended(i, { stopped: m.type === 'stopped' });
    } else if (m.type === 'error') {
      // A network that fails (a run can diverge) ends alone; the others go on.
      this.ended(i, { failed: m.data ? explain(m.data) : m.message });
    }
  }

  ended(i, outcome) {
    this.workers[i]?.terminate();
    this.outcomes[i] = outcome;
    if (!this.outcomes.every(Boolean)) return;
    this.workers = [];
    this.el.run.disabled = false;
    this.el.stop.disabled = true;
    // The mean of the last reports: single chunks are noisy.
    const losses = this.curves.map((c) => {
      const last = c.slice(-this.tail);
      return last.length ? last.reduce((s, p) => s + p[1], 0) / last.length : NaN;
    });
    this.finish(losses, this.outcomes);
    this.draw();
  }

  draw() {
    const canvas = this.el.chart;
    const g = prepare(canvas, { height: Math.round(260 * textScale()) });
    const { fs, w, h } = g;
    const finite = this.curves.flat().map((p) => p[1]).filter(Number.isFinite);
    // A diverging run is drawn up to 10 (clipped there), not allowed to flatten the other.
    const hi = Math.min(10, Math.max(2.5, ...finite));
    const box = { left: 4.2 * fs, right: w - 1.8 * fs, top: 2.2 * fs, bottom: h - 3.4 * fs };
    const ax = axes(g, box, { lo: 0, hi: this.x.hi, label: this.x.label(), format: tickLabel }, { lo: 0, hi, label: this.lossLabel() });
    g.ctx.save();
    g.ctx.beginPath();
    g.ctx.rect(box.left, box.top, box.right - box.left, box.bottom - box.top);
    g.ctx.clip();
    this.runs.forEach((run, i) => line(g, ax, this.curves[i].filter((p) => Number.isFinite(p[1])), run.color, { dash: run.dash }));
    g.ctx.restore();
    canvas.dataset.points = this.curves.map((c) => c.length).join(',');
    legend(this.el.legend, this.runs.map((run) => ({ label: run.label(), color: run.color, kind: run.dash.length ? 'dashed' : 'line' })));
  }
}
