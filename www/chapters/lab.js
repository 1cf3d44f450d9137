// Chapter "The training lab": the textbook's experiment and the notes' questions in one bench.
// The form (lab/form.js) makes a run's settings; a worker (lab-worker.js) trains it on the
// chosen data with a held-out validation set and reports the curves (lab/curves.js), the first
// layer's kernels and the gradient norms (lab/weights.js), and the test set's confusion matrix
// after each epoch. Every run is kept in a list with its settings; ticked runs are overlaid on
// the curves with a legend that says what differs. A finished run ends with the book's lines.

import { workersForPage } from '../worker-pool.js';
import { applyStrings, num, setText, t, tm } from '../i18n.js';
import { COLORS } from '../chart.js';
import { LabForm, PRESETS, differences, formHtml, isPreset, summary } from '../lab/form.js';
import { drawBookPlot, drawCurves } from '../lab/curves.js';
import { WeightsView } from '../lab/weights.js';
import { CELL_LIMIT, ConfusionView, classNames } from '../lab/confusion.js';
import { Drawings } from '../lab/drawings.js';
import { reveal } from './dom.js';

/** The book's own figures for the d2l run (d2l.ai, 7.6 LeNet, PyTorch, on a CPU). */
export const BOOK = { loss: 0.477, trainAcc: 0.82, testAcc: 0.795, examplesPerSec: 8004.2 };
/** The page redraws a training run's reports at most this often (ms). */
const DRAW_MS = 200;
/** Colours of compared runs (the current run draws in the series colours). */
const RUN_COLORS = [COLORS.orange, '#CC79A7', '#56B4E9', COLORS.grey, '#8C6D31', '#7B3294'];

let lab = null;

export function mount(body, core, nb) {
  body.innerHTML = `
    <p class="intro" data-i18n="lab.intro"></p>
    <p class="buttons lab-presets">
      <button type="button" class="secondary" data-testid="preset-d2l" data-i18n="lab.presetD2l"></button>
      <button type="button" class="secondary" data-testid="preset-overfit" data-i18n="lab.presetOverfit"></button>
      <button type="button" class="secondary" data-testid="preset-transfer" data-i18n="lab.presetTransfer"></button>
      <button type="button" class="secondary" data-testid="preset-scratch" data-i18n="lab.presetScratch"></button>
    </p>
    <p class="hint" data-testid="lab-preset-note" aria-live="polite"></p>
    <div class="lab-form" data-testid="lab-form">${formHtml()}</div>
    <details class="lab-drawings" data-testid="lab-drawings-box">
      <summary data-i18n="lab.drawingsTitle"></summary>
      <div class="lab-drawings-body"></div>
    </details>
    <p class="buttons">
      <button type="button" data-presenter-play data-testid="lab-start" data-i18n="lab.start"></button>
      <button type="button" class="secondary" data-testid="lab-pause" data-i18n="lab.pause" disabled></button>
    </p>
    <div class="lab-split" data-testid="lab-split" hidden></div>
    <p class="lab-network-line hint" data-testid="lab-network-line" hidden></p>
    <p class="message" data-testid="lab-status" role="status"></p>
    <div class="lab-frozen" data-testid="lab-frozen-box" hidden>
      <p class="hint" data-i18n="lab.frozenHint"></p>
      <ul class="lab-frozen-list" data-testid="lab-frozen"></ul>
    </div>
    <canvas class="curves" data-testid="lab-curves" data-i18n-attr="aria-label:lab.curvesLabel"></canvas>
    <ul class="chart-legend" data-testid="lab-legend"></ul>
    <div class="lab-summary" data-testid="train-summary" hidden>
      <pre class="book-lines" data-testid="lab-book-lines"></pre>
      <p class="hint" data-testid="lab-book-figures"></p>
      <p class="hint" data-i18n="lab.bookPlotTitle"></p>
      <canvas class="curves" data-testid="lab-book-plot" data-i18n-attr="aria-label:lab.bookPlotLabel"></canvas>
      <ul class="chart-legend" data-testid="lab-book-legend"></ul>
    </div>
    <h3 data-i18n="lab.runsTitle"></h3>
    <p class="hint" data-i18n="lab.runsHint"></p>
    <ol class="lab-runs" data-testid="lab-runs"></ol>
    <div class="lab-confusion" data-testid="lab-confusion-box"></div>
    <h3 data-i18n="lab.weightsTitle"></h3>
    <p class="hint" data-i18n="lab.weightsHint"></p>
    <div class="lab-kernels" data-testid="lab-kernels"></div>
    <canvas class="curves" data-testid="lab-grad-norms" data-i18n-attr="aria-label:lab.gradNormsLabel"></canvas>
    <ul class="chart-legend" data-testid="lab-grad-legend"></ul>
    <h3 data-i18n="lab.whyTitle"></h3>
    <p class="intro" data-i18n="lab.whyThree"></p>
    <p class="intro" data-i18n="lab.whyOverfit"></p>
    <p class="intro" data-i18n="lab.whyTransfer"></p>`;
  applyStrings(body);
  lab = new Lab(body, core, nb);
}

export function refresh() {
  lab?.refresh();
}

/** For tests: the lab (its runs). */
export const handle = () => lab;

class Lab {
  constructor(root, core, nb) {
    this.root = root;
    this.core = core;
    this.nb = nb;
    const q = (id) => root.querySelector(`[data-testid="${id}"]`);
    this.el = {
      start: q('lab-start'), pause: q('lab-pause'), status: q('lab-status'), split: q('lab-split'), frozenBox: q('lab-frozen-box'),
      frozen: q('lab-frozen'), curves: q('lab-curves'), legend: q('lab-legend'), summary: q('train-summary'), bookLines: q('lab-book-lines'),
      bookFigures: q('lab-book-figures'), bookPlot: q('lab-book-plot'), bookLegend: q('lab-book-legend'), runs: q('lab-runs'),
      presetNote: q('lab-preset-note'), confusionBox: q('lab-confusion-box'), drawingsBody: root.querySelector('.lab-drawings-body'),
    };
    this.form = new LabForm(q('lab-form'));
    this.weights = new WeightsView(root);
    this.asked = new Map();
    this.confusion = new ConfusionView(this.el.confusionBox, {
      classNames: () => classNames(this.current?.values.dataset ?? 'mnist'),
      examples: (r, c) => this.ask({ type: 'cell', r, c, limit: CELL_LIMIT }),
      mistakes: async () => (this.current?.mistakes ?? []).map(withImage),
    });
    this.drawings = new Drawings(this.el.drawingsBody, core, { onChange: () => {} });
    this.runs = [];
    this.current = null;
    this.pendingFrozen = [];
    this.presetName = null;
    for (const name of Object.keys(PRESETS)) q(`preset-${name}`).addEventListener('click', () => this.preset(name));
    this.el.start.addEventListener('click', () => this.start());
    this.el.pause.addEventListener('click', () => this.pause());
    q('lab-form').addEventListener('change', (e) => {
      this.presetName = null;
      setText(this.el.presetNote, null);
      // Frozen layers are numbers in one network: another network starts with none.
      if (e.target.dataset.testid === 'lab-network') this.pendingFrozen = [];
    });
    // A resize, or presenter mode (which announces itself as one): every chart at the new size.
    window.addEventListener('resize', () => {
      this.draw();
      this.weights.draw();
      if (this.current?.result && !this.el.summary.hidden) drawBookPlot(this.el.bookPlot, this.el.bookLegend, this.current);
    });
    this.draw();
  }

  /** The lab's worker, started at the first run: a page that never trains here pays nothing. */
  get worker() {
    if (!this.labWorker) {
      const asked = new URLSearchParams(location.search).get('backend');
      this.labWorker = new Worker(new URL('../lab-worker.js', import.meta.url), { type: 'module' });
      this.labWorker.onmessage = (e) => this.received(e.data);
      this.labWorker.onerror = (e) => this.failed(e.message ?? 'the lab worker failed');
      this.labWorker.postMessage({ type: 'init', backend: ['cpu', 'gpu'].includes(asked) ? asked : 'auto', workers: workersForPage() });
    }
    return this.labWorker;
  }

  /** Fill the form with a preset; the next Train starts it. */
  preset(name) {
    const p = PRESETS[name];
    this.form.set(p.values);
    this.pendingFrozen = [...p.frozen];
    this.presetName = name;
    setText(this.el.presetNote, `lab.presetNote.${name}`);
    this.el.start.focus({ preventScroll: true });
  }

  /** Train: continue a paused run whose settings are unchanged, else start a new run. */
  start() {
    const c = this.current;
    if (c && c.status === 'paused' && JSON.stringify(this.form.values()) === JSON.stringify(c.values)) {
      c.status = 'training';
      this.worker.postMessage({ type: 'start', epochs: c.epochs });
    } else {
      this.newRun();
    }
    this.setButtons();
  }

  newRun() {
    if (this.current?.status === 'training') this.worker.postMessage({ type: 'pause' });
    if (this.current && this.current.status !== 'done') this.current.status = 'paused';
    const seed = this.form.nextSeed();
    const s = this.form.settings(seed, this.pendingFrozen);
    const id = this.runs.length + 1;
    const run = {
      id, ...s, frozen: [...this.pendingFrozen], color: RUN_COLORS[(id - 1) % RUN_COLORS.length],
      train: [], val: [], test: [], lr: [], perEpoch: [], status: 'training', compare: false, result: null,
    };
    if (s.source === 'own') run.config.spec = this.nb.predictor.specJson;
    const file = s.source === 'pad' ? this.nb.predictor.toFile() : s.source === 'shipped' ? this.nb.shipped.slice() : undefined;
    const drawings = ['mine', 'mnist-mine'].includes(s.config.dataset) ? this.drawingsData() : undefined;
    this.runs.push(run);
    this.current = run;
    this.pendingStatus = null;
    this.pendingWatch = null;
    this.weights.clear();
    this.confusion.clear();
    this.el.summary.hidden = true;
    // The switches and the split come back with the new run's plan.
    this.el.frozenBox.hidden = true;
    this.el.frozen.replaceChildren();
    this.el.split.hidden = true;
    this.root.querySelector('[data-testid="lab-network-line"]').hidden = true;
    say(this.el.status, 'lab.preparing', { dataset: () => t(`lab.ds.${s.values.dataset}`) });
    this.worker.postMessage({ type: 'configure', config: s.config, file, drawings, run: id });
    this.worker.postMessage({ type: 'start', epochs: run.epochs });
    this.renderRuns();
    this.draw();
  }

  /** The learner's drawings as the core takes them (set by the drawings widget). */
  drawingsData() {
    const items = this.drawings?.items() ?? [];
    const images = new Float32Array(items.length * 784);
    items.forEach((d, i) => images.set(d.image, i * 784));
    return { images, labels: Uint8Array.from(items.map((d) => d.label)) };
  }

  pause() {
    if (this.current?.status !== 'training') return;
    this.current.status = 'paused';
    this.worker.postMessage({ type: 'pause' });
    say(this.el.status, 'lab.paused');
    this.setButtons();
    this.renderRuns();
  }

  received(m) {
    if (m.type === 'backend') {
      this.backend = m.backend;
      return;
    }
    if (m.type === 'examples') return this.answer(m.id, m.examples, m.error);
    if (m.type === 'error' && !this.current) return this.failed(m.text ? () => tm(m.text) : m.message);
    const run = this.runs.find((r) => r.id === m.run);
    if (!run) return;
    const live = run === this.current;
    switch (m.type) {
      case 'loading':
        if (live) say(this.el.status, 'lab.loading', { dataset: () => t(`lab.ds.${m.dataset}`) });
        break;
      case 'plan':
        run.plan = m.plan;
        // The rate the run starts with; each report then gives the rate of its next step.
        run.lr.push([0, run.config.lr]);
        if (live) {
          this.showPlan(m.plan);
          say(this.el.status, 'lab.training', { epoch: 1, epochs: run.epochs });
        }
        break;
      case 'progress':
        if ([m.epochs, m.loss, m.accuracy].every(Number.isFinite)) run.train.push([m.epochs, m.loss, m.accuracy]);
        run.lr.push([m.epochs, m.lr]);
        run.speed = m.examplesPerSecond;
        // Data parallelism's figures (workers; ms out, waiting, computing, between steps), for the
        // benchmark.
        run.parallel = { workers: m.workers, outMs: m.outMs, waitMs: m.waitMs, computeMs: m.computeMs, betweenMs: m.betweenMs };
        // The status line changes with the next frame the curves are drawn in, not with every
        // report: one frame for both.
        if (live) this.pendingStatus = { run, m };
        this.scheduleDraw();
        break;
      case 'epoch':
        run.perEpoch.push({ epoch: m.epoch, loss: m.loss, accuracy: m.accuracy });
        break;
      case 'validation':
        run.val.push([m.epochs, m.loss, m.accuracy]);
        this.scheduleDraw();
        break;
      case 'test':
        run.test.push([m.epochs, m.loss, m.accuracy]);
        run.confusion = m.confusion;
        if (live) this.showConfusion(run, m);
        this.scheduleDraw();
        break;
      case 'watch':
        // The first kernels the run showed (after its first chunk), kept with the run: a short run
        // can be over before anyone reads them off the screen.
        run.firstKernels ??= Array.from(m.kernels.slice(0, 3));
        if (live) {
          this.pendingWatch = { m, epochs: run.train.at(-1)?.[0] ?? 0 };
          this.scheduleDraw();
        }
        break;
      case 'done':
        run.status = 'done';
        run.result = m;
        if (live) {
          this.showSummary(run);
          say(this.el.status, 'lab.done', { epochs: m.epochs });
        }
        this.setButtons();
        this.renderRuns();
        break;
      case 'paused':
        this.setButtons();
        break;
      case 'failed':
        run.status = 'failed';
        if (live) {
          say(this.el.status, 'lab.failed', { why: () => tm(m.text) });
          this.el.status.classList.add('bad');
        }
        this.setButtons();
        this.renderRuns();
        break;
      case 'error':
        run.status = 'failed';
        this.failed(m.text ? () => tm(m.text) : m.message);
        this.renderRuns();
        break;
      case 'examples':
        this.answer(m.id, m.examples, m.error);
        break;
    }
  }

  failed(why) {
    say(this.el.status, 'lab.failed', { why });
    this.el.status.classList.add('bad');
    this.setButtons();
  }

  setButtons() {
    const c = this.current;
    this.el.pause.disabled = c?.status !== 'training';
    setText(this.el.start, c?.status === 'paused' ? 'lab.continue' : 'lab.start');
  }

  /** The split as a bar (training | validation | test) and the frozen switches of the network. */
  showPlan(plan) {
    const total = plan.train + plan.validation + plan.test;
    const part = (key, n) => `<span class="lab-split-${key}" style="flex-grow:${Math.max(n / total, 0.04)}" data-testid="lab-split-${key}" data-value="${n}">${t(`lab.split.${key}`, { n: num(n) })}</span>`;
    this.el.split.innerHTML = part('train', plan.train) + (plan.validation ? part('validation', plan.validation) : '') + part('test', plan.test);
    this.el.split.hidden = false;
    const line = this.root.querySelector('[data-testid="lab-network-line"]');
    line.textContent = t('lab.networkLine', { layers: plan.network.map(tm).join(' → '), params: num(plan.params) });
    line.hidden = false;
    this.el.frozenBox.hidden = false;
    this.el.frozen.replaceChildren(
      ...plan.layers.map((l) => {
        const li = document.createElement('li');
        const label = document.createElement('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.checked = l.frozen;
        box.dataset.testid = `lab-freeze-${l.index}`;
        box.addEventListener('change', () => this.freeze(l.index, box.checked));
        const text = document.createElement('span');
        text.textContent = t('lab.freezeLayer', { index: l.index, label: tm(l.label), params: num(l.params) });
        label.append(box, text);
        li.append(label);
        return li;
      }),
    );
  }

  freeze(index, frozen) {
    const run = this.current;
    if (!run) return;
    run.frozen = frozen ? [...new Set([...run.frozen, index])].sort((a, b) => a - b) : run.frozen.filter((i) => i !== index);
    this.pendingFrozen = [...run.frozen];
    this.worker.postMessage({ type: 'frozen', layer: index, frozen });
    this.renderRuns();
  }

  showConfusion(run, m) {
    if (!m.confusion) return;
    run.mistakes = m.confusion.mistakes;
    this.confusion.show(m.confusion.confusion, { epoch: Math.round(m.epochs) });
  }

  /** Ask the worker for test examples (it holds the data); resolves with them, images as arrays. */
  ask(msg) {
    const id = (this.askId = (this.askId ?? 0) + 1);
    return new Promise((resolve, reject) => {
      this.asked.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  answer(id, examples, error) {
    const waiting = this.asked.get(id);
    this.asked.delete(id);
    if (!waiting) return;
    if (error) waiting.reject(new Error(error));
    else waiting.resolve(examples.map(withImage));
  }

  /** The book's lines for a finished run, and the book's own beside them for its run. */
  showSummary(run, { scroll = true } = {}) {
    const r = run.result;
    const where = this.backend === 'WebGPU' ? 'WebGPU' : 'cpu';
    const f3 = (v) => v.toFixed(3);
    this.el.bookLines.textContent = `loss ${f3(r.loss)}, train acc ${f3(r.trainAccuracy)}, test acc ${f3(r.testAccuracy)}\n${r.examplesPerSecond.toFixed(1)} examples/sec on ${where}`;
    Object.assign(this.el.summary.dataset, {
      testAcc: String(r.testAccuracy), trainAcc: String(r.trainAccuracy), loss: String(r.loss), examplesPerSec: r.examplesPerSecond.toFixed(1), run: String(run.id),
    });
    const book = isPreset(run.values, 'd2l');
    // The book's lines as it prints them (code output: the same in every language).
    const bookLines = `loss ${f3(BOOK.loss)}, train acc ${f3(BOOK.trainAcc)}, test acc ${f3(BOOK.testAcc)}, ${BOOK.examplesPerSec.toFixed(1)} examples/sec on cpu`;
    setText(this.el.bookFigures, book ? 'lab.bookFigures' : 'lab.notBookRun', { book: bookLines, seconds: num(r.seconds, { maximumFractionDigits: 1 }) });
    this.el.summary.hidden = false;
    drawBookPlot(this.el.bookPlot, this.el.bookLegend, run);
    if (scroll) reveal(this.el.summary);
  }

  renderRuns() {
    const cur = this.current;
    this.el.runs.replaceChildren(
      ...this.runs.map((run) => {
        const li = document.createElement('li');
        li.dataset.testid = 'lab-run';
        li.dataset.run = String(run.id);
        li.dataset.status = run.status;
        const key = document.createElement('span');
        key.className = 'key key-line';
        key.style.setProperty('--key', run === cur ? COLORS.blue : run.color);
        const name = document.createElement('strong');
        name.textContent = t('lab.runName', { n: run.id });
        const what = document.createElement('span');
        const acc = run.result ? t('lab.runResult', { acc: num(run.result.testAccuracy, { style: 'percent', maximumFractionDigits: 1 }) }) : t(`lab.status.${run.status}`);
        what.textContent = ` ${summary(run)} — ${acc}`;
        li.append(key, name, what);
        if (run !== cur) {
          const label = document.createElement('label');
          const box = document.createElement('input');
          box.type = 'checkbox';
          box.checked = run.compare;
          box.dataset.testid = 'lab-run-compare';
          box.addEventListener('change', () => {
            run.compare = box.checked;
            this.draw();
          });
          const text = document.createElement('span');
          text.textContent = t('lab.compare');
          label.append(box, text);
          label.className = 'lab-compare';
          li.append(label);
        }
        return li;
      }),
    );
  }

  /** What a run's reports change on the page (curves, status line, kernels and gradient norms),
   *  drawn together in one frame at most every DRAW_MS: while a network trains, the page's thread
   *  shares the learner's cores with the training workers. */
  scheduleDraw() {
    if (this.drawPending) return;
    this.drawPending = true;
    setTimeout(() => requestAnimationFrame(() => {
      this.drawPending = false;
      this.showProgress();
      this.draw();
    }), DRAW_MS);
  }

  /** The latest report's status line and weights, if they are not on the page yet. */
  showProgress() {
    const status = this.pendingStatus;
    this.pendingStatus = null;
    if (status && status.run === this.current && status.run.status === 'training') {
      const { run, m } = status;
      say(this.el.status, 'lab.progress', {
        epoch: Math.min(run.epochs, m.epoch + 1), epochs: run.epochs, batch: m.batch, batches: m.batches,
        loss: num(m.loss, { maximumFractionDigits: 3 }), speed: num(Math.round(m.examplesPerSecond)),
      });
    }
    const watch = this.pendingWatch;
    this.pendingWatch = null;
    if (watch) this.weights.update(watch.m, watch.epochs);
  }

  draw() {
    const cur = this.current;
    const compared = this.runs.filter((r) => r.compare && r !== cur).map((r) => ({ ...r, legend: t('lab.compareLegend', { n: r.id, what: cur ? differences(r, cur) : summary(r) }) }));
    drawCurves(this.el.curves, this.el.legend, cur, compared);
  }

  refresh() {
    this.form.showDependent();
    this.renderRuns();
    if (this.current?.plan) this.showPlan({ ...this.current.plan, layers: this.current.plan.layers.map((l) => ({ ...l, frozen: this.current.frozen.includes(l.index) })) });
    if (this.current?.result) this.showSummary(this.current, { scroll: false });
    this.weights.draw();
    this.confusion.refresh();
    this.drawings.refresh();
    this.draw();
  }
}

/** An example from the worker with its image as the widgets draw it. */
const withImage = (e) => ({ ...e, image: Float32Array.from(e.image) });

/** The lab's status line; a new sentence clears a failure's colour. */
function say(el, key, values) {
  el.classList.remove('bad');
  setText(el, key, values);
}
