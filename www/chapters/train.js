// Chapter "Train LeNet in your browser": the controls, the worker that trains
// (www/train-worker.js), the epoch progress bar and the loss/accuracy curves (www/chart.js). When
// training on WebGPU fails — the device is lost, or the GPU reports an error — the panel says so
// and carries on on the CPU from the last weights it received. A run that fails (the core's
// `health` detector: the loss is not a number, rose far above its start, or sits at chance) stops
// with the core's explanation.
//
// Which backend trains: the address's ?backend=cpu|gpu, else the one the learner last switched
// to on this GPU (backend-choice.js), else a race in the worker between the two (the faster
// trains; ?race=always races on a software adapter too, for the tests). The switch button
// goes either way and is remembered for the adapter.

import { applyStrings, num, setMessage, setText, t, tm } from '../i18n.js';
import { COLORS, axes, legend, line, lossRange, markers, panelBox, prepare, tickLabel, twoPanels } from '../chart.js';
import { reveal } from './dom.js';
import { adapterLabel } from '../adapter.js';
import { initialBackend, rememberBackend, rememberedBackend } from '../backend-choice.js';
import { workersForPage } from '../worker-pool.js';

let panel = null;

export function mount(body, core, nb) {
  body.innerHTML = `
    <p class="intro" data-i18n="train.intro"></p>
    <p class="train-backend" data-testid="train-backend">
      <span id="train-backend-text"></span>
      <button id="backend-switch" type="button" class="secondary" data-testid="backend-switch" hidden></button>
    </p>
    <div class="controls">
      <label class="field"><span data-i18n="train.startFrom"></span>
        <select id="start-from" data-testid="start-from">
          <option value="shipped" data-i18n="train.fromShipped"></option>
          <option value="fresh" data-i18n="train.fromFresh"></option>
        </select>
      </label>
      <label class="field"><span data-i18n="train.activation"></span>
        <select id="activation" data-testid="activation">
          <option value="relu">ReLU</option>
          <option value="leaky-relu">Leaky ReLU</option>
          <option value="tanh">tanh</option>
          <option value="sigmoid">sigmoid</option>
        </select>
      </label>
      <label class="field"><span data-i18n="train.init"></span>
        <select id="init" data-testid="init">
          <option value="he" data-i18n="train.initHe"></option>
          <option value="xavier" data-i18n="train.initXavier"></option>
          <option value="gaussian:0.01" data-i18n="train.initSmall"></option>
        </select>
      </label>
      <label class="field"><span data-i18n="train.optimizer"></span>
        <select id="optimizer" data-testid="optimizer">
          <option value="adam">Adam</option>
          <option value="momentum" data-i18n="train.momentum"></option>
          <option value="sgd">SGD</option>
        </select>
      </label>
      <label class="field"><span data-i18n="train.batch"></span>
        <select id="batch" data-testid="batch">
          <option>16</option><option>32</option><option selected>64</option><option>128</option><option>256</option>
        </select>
      </label>
      <label class="field lr"><span data-i18n="train.lr"></span>
        <input id="lr" data-testid="lr" type="range" min="-4" max="0" step="0.05" value="-3">
        <output id="lr-value" for="lr"></output>
      </label>
    </div>
    <div id="rebuild-confirm" class="confirm" data-testid="rebuild-confirm" role="alertdialog" aria-labelledby="rebuild-text" hidden>
      <p id="rebuild-text"></p>
      <p class="buttons">
        <button id="rebuild-yes" type="button" data-testid="rebuild-yes"></button>
        <button id="rebuild-no" type="button" class="secondary" data-testid="rebuild-no" data-i18n="train.confirmNo"></button>
      </p>
    </div>
    <p class="buttons">
      <button id="train-start" type="button" data-presenter-play data-testid="train-start" data-i18n="train.start" disabled></button>
      <button id="train-pause" type="button" data-presenter-play data-testid="train-pause" data-i18n="train.pause" disabled></button>
      <button id="train-reset" type="button" data-testid="train-reset" data-i18n="train.reset" disabled></button>
    </p>
    <div class="progress-line">
      <progress id="epoch-progress" data-testid="epoch-progress" max="1" value="0" data-i18n-attr="aria-label:train.progressLabel"></progress>
      <span id="train-progress" data-testid="train-progress" aria-live="off"></span>
    </div>
    <p id="train-message" class="message" data-testid="train-message" role="status"></p>
    <p id="train-warning" class="warning" data-testid="train-warning" role="status" hidden></p>
    <div id="diverged" class="diverged" data-testid="diverged" role="alert" hidden>
      <p id="diverged-message"></p>
      <button id="diverged-reset" type="button" data-testid="diverged-reset" data-i18n="train.resetAfterDiverge"></button>
    </div>
    <canvas id="curves" data-testid="curves" class="curves" data-i18n-attr="aria-label:train.curvesLabel"></canvas>
    <ul id="curves-legend" class="chart-legend" data-testid="curves-legend"></ul>
    <p id="curves-summary" class="hint" aria-live="off"></p>`;
  applyStrings(body);
  const query = new URLSearchParams(location.search);
  const asked = query.get('backend');
  panel = new TrainingPanel(core, {
    asked: ['cpu', 'gpu'].includes(asked) ? asked : null,
    race: query.get('race') === 'always' ? 'always' : 'auto',
    shipped: nb.shipped,
    currentModel: () => nb.predictor.toFile(),
    onModel: (bytes) => nb.updateWeights(bytes),
    onBackend: (m) => nb.emit('backend', m),
    onReady: () => nb.emit('trainingReady'),
    onTestDigit: (m) => nb.emit('testDigit', m),
    // The parallel chapter's view: each chunk's workers and speed, each watched step's parts.
    onProgress: (m) => nb.emit('trainProgress', m),
    onStep: (view) => nb.emit('parallelStep', view),
    onState: () => nb.emit('trainState'),
  });
  nb.on('testDigitWanted', (index) => panel.requestTestDigit(index));
  // A model the learner loaded: training continues from it.
  // A model the learner loaded or wrote (chapter "Your own network"): training continues from it,
  // and "random weights" rebuilds that network, not LeNet.
  nb.on('network', ({ loaded, bytes }) => loaded && panel.loadModel(bytes, nb.predictor.activation, nb.predictor.specJson));
}

/** The curves' words after a change of language. */
export function refresh() {
  panel?.draw();
}

/** For tests and the bench: the panel (its history, stats, and the worker's messages). */
export const handle = () => panel;

const $ = (id) => document.getElementById(id);
/** Redraw the curves at most this often: drawing is cheap, but not free. */
const DRAW_EVERY_MS = 200;

/** The page's localStorage, or null where the browser refuses it. */
function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** A point of a curve: [epochs, loss, accuracy], kept only when every number is finite. */
const point = (m) => [m.epochs, m.loss, m.accuracy];
const finite = (p) => p.every(Number.isFinite);

class TrainingPanel {
  /**
   * @param core the wasm module
   * @param {{ asked: 'cpu' | 'gpu' | null, race: 'auto' | 'always', shipped: Uint8Array, currentModel: () => Uint8Array,
   *           onModel: (bytes: Uint8Array) => void, onBackend: (info) => void, onReady: () => void,
   *           onTestDigit: (digit) => void }} opts
   */
  constructor(core, opts) {
    this.core = core;
    this.opts = opts;
    this.running = false;
    this.stopped = false;
    this.lastDraw = 0;
    this.drawPending = false;
    this.progress = null;
    /** The network the worker's reports must be about (see train-worker.js). */
    this.run = 0;
    /** Every training point of this run, as plotted: { epochs, loss, accuracy }. */
    this.history = [];
    /** Test evaluations of this run, as plotted. */
    this.tests = [];
    this.stats = { examplesPerSecond: 0, backend: null, adapter: '', fallbackReason: null, race: null, workers: 1, outMs: 0, waitMs: 0 };
    /** Why this backend: 'asked' (?backend=), 'remembered', 'raced', 'switched' or 'fallback'. */
    this.chosenBy = null;
    /** Messages for a worker not started yet (see begin). */
    this.pending = [];
    /** Workers sharing each batch on the CPU path (the parallel chapter changes it). */
    this.workers = workersForPage();
    this.el = {
      startFrom: $('start-from'), activation: $('activation'), init: $('init'), optimizer: $('optimizer'),
      batch: $('batch'), lr: $('lr'), lrValue: $('lr-value'), start: $('train-start'), pause: $('train-pause'),
      reset: $('train-reset'), bar: $('epoch-progress'), progress: $('train-progress'), message: $('train-message'),
      diverged: $('diverged'), divergedMessage: $('diverged-message'), divergedReset: $('diverged-reset'), warning: $('train-warning'),
      curves: $('curves'), legend: $('curves-legend'), summary: $('curves-summary'),
      backendText: $('train-backend-text'), backendSwitch: $('backend-switch'),
      confirm: $('rebuild-confirm'), confirmText: $('rebuild-text'), confirmYes: $('rebuild-yes'), confirmNo: $('rebuild-no'),
    };
    /** The activation and initialisation the network was built with (a change asks first). */
    this.built = { activation: this.el.activation.value, init: this.el.init.value };
    // Named before they are shown, like every control.
    setText(this.el.confirmYes, 'train.confirmYes', this.choice());
    setText(this.el.backendSwitch, 'train.useCpu');
    this.wire();
    this.showLr();
    this.draw();
    this.begin();
  }

  /** The first worker: on the backend asked for, else the one chosen before on this GPU, else
   *  "auto" (a race). The adapter's name is asked for only when a choice could depend on it. */
  async begin() {
    this.adapterName = this.opts.asked ? undefined : await adapterLabel();
    const { backend, choice } = initialBackend(this.opts.asked, rememberedBackend(storage(), this.adapterName));
    this.chosenBy = choice;
    this.spawn(backend, this.opts.shipped);
  }

  /** The GPU adapter the learner's choice is remembered for. */
  adapterKey() {
    return this.adapterName || this.stats.adapter;
  }
  settings() {
    const e = this.el;
    return {
      activation: e.activation.value, init: e.init.value, optimizer: e.optimizer.value,
      batch: Number(e.batch.value), lr: this.lr(), seed: 0,
      // The network a fresh start rebuilds (its spec as JSON), or null for LeNet.
      network: this.network ?? null,
      // Data parallelism: how many workers share each batch on the CPU path.
      workers: this.workers,
    };
  }

  lr() {
    // The slider is log10(η): 1e-4 … 1, with the value rounded to two significant digits.
    return Number(Math.pow(10, Number(this.el.lr.value)).toPrecision(2));
  }

  showLr() {
    this.el.lrValue.textContent = num(this.lr(), { maximumSignificantDigits: 2 });
  }

  wire() {
    const e = this.el;
    e.start.addEventListener('click', () => this.start());
    e.pause.addEventListener('click', () => this.pause());
    e.reset.addEventListener('click', () => this.reset());
    e.divergedReset.addEventListener('click', () => this.reset());
    e.lr.addEventListener('input', () => this.showLr());
    e.lr.addEventListener('change', () => {
      this.send({ type: 'set', lr: this.lr(), settings: { lr: this.lr() } });
      this.say('train.lrChanged', { lr: num(this.lr(), { maximumSignificantDigits: 2 }) });
    });
    e.optimizer.addEventListener('change', () => {
      this.send({ type: 'set', optimizer: e.optimizer.value, settings: { optimizer: e.optimizer.value } });
      this.say('train.optimizerChanged', { name: () => e.optimizer.selectedOptions[0].textContent });
    });
    e.batch.addEventListener('change', () => {
      this.send({ type: 'set', batch: Number(e.batch.value), settings: { batch: Number(e.batch.value) } });
      if (this.stats.race?.batch !== Number(e.batch.value)) this.forgetRace();
      this.say('train.batchChanged', { n: e.batch.value });
    });
    // These change the network itself: a new one, from random weights. When that would throw
    // away trained weights (the shipped LeNet, or a run in progress), ask first.
    for (const sel of [e.activation, e.init]) sel.addEventListener('change', () => this.networkChanged());
    e.confirmYes.addEventListener('click', () => this.rebuild());
    e.confirmNo.addEventListener('click', () => this.keepNetwork());
    e.confirm.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        this.keepNetwork();
        ev.preventDefault();
      }
    });
    e.startFrom.addEventListener('change', () => {
      if (e.startFrom.value === 'shipped' && e.activation.value !== 'relu') e.activation.value = 'relu';
      this.hideConfirm();
      this.reset();
    });
    e.backendSwitch.addEventListener('click', () => this.switchBackend());
    window.addEventListener('resize', () => this.draw());
  }

  /** True when rebuilding would lose weights the learner may want: trained ones, or a run's. */
  hasTrainedWeights() {
    return this.el.startFrom.value === 'shipped' || this.running || this.history.length > 0;
  }

  networkChanged() {
    const e = this.el;
    if (!this.hasTrainedWeights()) {
      this.rebuild();
      return;
    }
    const values = this.choice();
    setText(e.confirmText, this.running ? 'train.confirmRunning' : e.startFrom.value === 'shipped' ? 'train.confirmShipped' : 'train.confirmTrained', values);
    setText(e.confirmYes, 'train.confirmYes', values);
    e.confirm.hidden = false;
    e.confirmNo.focus();
  }

  /** The activation and initialisation chosen in the menus, as words for a sentence. */
  choice() {
    const e = this.el;
    return { act: () => e.activation.selectedOptions[0].textContent, init: () => e.init.selectedOptions[0].textContent };
  }

  hideConfirm() {
    this.el.confirm.hidden = true;
  }

  /** Keep the network: the menus go back to what it was built with. */
  keepNetwork() {
    this.el.activation.value = this.built.activation;
    this.el.init.value = this.built.init;
    this.hideConfirm();
    this.say('train.kept');
    this.el.activation.focus();
  }

  rebuild() {
    const e = this.el;
    this.hideConfirm();
    e.startFrom.value = 'fresh';
    this.reset(['train.rebuilt', this.choice()]);
  }

  spawn(backend, model) {
    this.worker?.terminate();
    this.ready = false;
    this.running = false;
    this.run += 1;
    this.setButtons();
    this.say('train.preparing');
    this.worker = new Worker(new URL('../train-worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e) => this.received(e.data);
    this.worker.onerror = (e) => this.workerFailed(e.message ?? 'the training worker failed', true);
    this.backend = backend;
    this.send({ type: 'init', backend, race: this.opts.race, model, settings: this.settings(), run: this.run });
    if (this.watching) this.send({ type: 'watch', on: true });
    // What was asked of the first worker before it started (see begin), minus a repeated watch.
    for (const [msg, transfer] of this.pending.splice(0)) if (msg.type !== 'watch') this.send(msg, transfer);
  }

  send(msg, transfer) {
    if (this.worker) this.worker.postMessage(msg, transfer);
    else this.pending.push([msg, transfer]);
  }

  /** What the badge shows: the backend, its adapter, why, the race's figures and who chose. */
  backendInfo() {
    const s = this.stats;
    return { backend: s.backend, adapter: s.adapter || this.adapterName || '', fallbackReason: s.fallbackReason, race: s.race, choice: this.chosenBy };
  }

  /** The race's figures are about one network at one batch size: forget them when either
   *  changes (on "auto", a race that is due brings new ones). */
  forgetRace() {
    if (!this.stats.race) return;
    this.stats.race = null;
    this.showBackend();
    this.opts.onBackend(this.backendInfo());
  }

  /** Share each batch between `n` workers from the next chunk on (the CPU path). */
  setWorkers(n) {
    this.workers = n;
    this.send({ type: 'set', workers: n });
  }

  /** Ask for (or stop) the parts of each step, a few a second (the parallel chapter). */
  watchSteps(on) {
    this.watching = on;
    this.send({ type: 'watch', on });
  }

  /** Ask the worker for test digit `index` (it holds the data); answered through onTestDigit. */
  requestTestDigit(index) {
    if (this.ready) this.send({ type: 'testDigit', index });
  }

  received(m) {
    // Reports about a network the page has since replaced are dropped (see train-worker.js).
    if (m.run !== this.run && !['backend', 'testDigit', 'error'].includes(m.type)) return;
    switch (m.type) {
      case 'backend':
        Object.assign(this.stats, { backend: m.backend, adapter: m.adapter, fallbackReason: m.fallbackReason });
        if (m.race) this.stats.race = m.race;
        this.showBackend();
        this.opts.onBackend(this.backendInfo());
        break;
      case 'ready':
        this.ready = true;
        this.setButtons();
        this.say('train.ready', { train: num(m.train), test: num(m.test) });
        this.opts.onReady?.();
        if (this.resume) {
          this.resume = false;
          this.start(true);
        }
        break;
      case 'progress': {
        this.progress = m;
        Object.assign(this.stats, { examplesPerSecond: m.examplesPerSecond, trainedExamples: m.trainedExamples, trainedMs: m.trainedMs, workers: m.workers, outMs: m.outMs, waitMs: m.waitMs });
        this.opts.onProgress?.(m);
        const p = point(m);
        if (finite(p)) this.history.push({ epochs: m.epochs, loss: m.loss, accuracy: m.accuracy });
        this.el.bar.value = m.batch / m.batches;
        this.el.warning.hidden = !m.warning;
        setMessage(this.el.warning, m.warning ?? null);
        setText(this.el.progress, 'train.progress', {
          epoch: m.epoch + 1, batch: m.batch, batches: m.batches,
          loss: num(m.loss, { maximumFractionDigits: 3 }),
          acc: num(m.accuracy, { style: 'percent', maximumFractionDigits: 1 }),
          speed: num(Math.round(m.examplesPerSecond)),
        });
        this.scheduleDraw();
        break;
      }
      case 'step':
        this.opts.onStep?.(m.view);
        break;
      case 'test':
        if (finite(point(m))) this.tests.push({ epochs: m.epochs, loss: m.loss, accuracy: m.accuracy });
        this.lastTest = m;
        setText(this.el.summary, 'train.testSummary', {
          epochs: num(m.epochs, { maximumFractionDigits: 2 }),
          loss: num(m.loss, { maximumFractionDigits: 3 }),
          acc: num(m.accuracy, { style: 'percent', maximumFractionDigits: 1 }),
        });
        this.scheduleDraw();
        break;
      case 'model':
        this.opts.onModel(m.bytes);
        break;
      case 'failed':
        this.running = false;
        this.stopped = true;
        setText(this.el.divergedMessage, 'train.stopped', { detail: () => tm(m.text) });
        this.say(null); // "Training on the CPU…" is over: the box below says why.
        this.el.diverged.hidden = false;
        this.setButtons();
        this.draw();
        this.el.divergedReset.focus({ preventScroll: true });
        reveal(this.el.diverged);
        break;
      case 'paused':
        this.setButtons();
        break;
      case 'testDigit':
        this.opts.onTestDigit?.(m);
        break;
      case 'reset':
        break;
      case 'error':
        this.workerFailed(m.text ? () => tm(m.text) : m.message, m.trap);
        break;
    }
  }

  /** Which backend trains, and the way to the other one when there is a GPU. */
  showBackend() {
    const s = this.stats;
    const e = this.el;
    const adapter = s.adapter || this.adapterName;
    const chosen = this.chosenBy === 'remembered' || this.chosenBy === 'switched';
    if (s.backend === 'WebGPU') {
      setText(e.backendText, chosen ? 'train.onGpuChosen' : 'train.onGpu', { adapter });
      setText(e.backendSwitch, 'train.useCpu');
      e.backendSwitch.hidden = false;
    } else {
      if (chosen && adapter) setText(e.backendText, 'train.onCpuChosen', { adapter });
      else setText(e.backendText, 'train.onCpu', { reason: () => tm(s.fallbackReason) });
      // A GPU the page passed over (a software one, or the race's loser) stays one click away.
      e.backendSwitch.hidden = !adapter;
      if (adapter) setText(e.backendSwitch, 'train.useGpu', { adapter });
    }
  }

  /** Train on the other backend, from the weights the pad has now; remembered for this GPU. */
  switchBackend() {
    const wasRunning = this.running;
    const to = this.stats.backend === 'WebGPU' ? 'cpu' : 'gpu';
    rememberBackend(storage(), this.adapterKey(), to);
    this.chosenBy = 'switched';
    this.opts.onBackend({ backend: null });
    this.clearRun();
    this.resume = wasRunning;
    this.spawn(to, this.opts.currentModel());
  }

  /** The worker failed. On WebGPU that means the GPU: go on on the CPU. On the CPU it is a bug. */
  workerFailed(message, trap) {
    if (this.backend !== 'cpu' && this.stats.backend === 'WebGPU') {
      const wasRunning = this.running;
      this.stats.backend = null;
      this.stats.race = null; // measured on a GPU that no longer works
      this.chosenBy = 'fallback';
      this.resume = wasRunning;
      this.spawn('cpu', this.opts.currentModel());
      this.say('train.gpuFailed', { detail: message });
      return;
    }
    this.running = false;
    this.setButtons();
    this.say(trap ? 'error.panic' : 'train.failed', { detail: message });
    this.el.message.classList.add('bad');
  }

  /** Start (or continue) training; `quietly` keeps the message on screen (a fallback's). */
  start(quietly = false) {
    if (!this.ready || this.stopped) return;
    this.running = true;
    this.send({ type: 'start' });
    this.setButtons();
    if (!quietly) this.say('train.started', { backend: this.stats.backend === 'WebGPU' ? 'WebGPU' : () => t('train.cpu') });
  }

  pause() {
    this.running = false;
    this.send({ type: 'pause' });
    this.setButtons();
    this.say('train.paused');
  }

  /** Forget the run's curves and progress: a new network is coming. */
  clearRun() {
    this.running = false;
    this.stopped = false;
    this.el.diverged.hidden = true;
    this.el.warning.hidden = true;
    this.history = [];
    this.tests = [];
    this.progress = null;
    this.el.bar.value = 0;
    setText(this.el.progress, null);
    setText(this.el.summary, null);
    this.run += 1;
  }

  /** Rebuild the network (from the shipped weights or fresh) and clear the curves. */
  reset(message) {
    this.clearRun();
    const shipped = this.el.startFrom.value === 'shipped';
    // The trained LeNet replaces whatever network the page had.
    if (shipped) this.network = null;
    this.built = { activation: this.el.activation.value, init: this.el.init.value };
    this.send({ type: 'reset', model: shipped ? this.opts.shipped : null, settings: this.settings(), run: this.run });
    this.setButtons();
    this.draw();
    if (message) this.say(...message);
    else this.say(shipped ? 'train.resetShipped' : 'train.resetFresh');
  }

  /** Continue training from a model the learner loaded or wrote; `spec` is its network. */
  loadModel(bytes, activation, spec) {
    // Another network: a worker that races measures it again if its size differs; one that
    // does not race (a backend asked for or chosen) has no figures for it.
    if (this.chosenBy !== 'raced') this.forgetRace();
    if (activation && [...this.el.activation.options].some((o) => o.value === activation)) this.el.activation.value = activation;
    this.network = spec ?? null;
    this.el.startFrom.value = 'fresh';
    this.clearRun();
    this.built = { activation: this.el.activation.value, init: this.el.init.value };
    this.send({ type: 'reset', model: bytes, settings: this.settings(), run: this.run });
    this.setButtons();
    this.draw();
  }

  setButtons() {
    const e = this.el;
    e.start.disabled = !this.ready || this.running || this.stopped;
    e.pause.disabled = !this.running;
    e.reset.disabled = !this.ready;
    e.start.setAttribute('aria-busy', String(!this.ready));
    this.opts.onState?.();
  }

  /** Show t(key, values) as the panel's message; it follows a change of language. */
  say(key, values = {}) {
    this.el.message.classList.remove('bad');
    setText(this.el.message, key, values);
  }

  scheduleDraw() {
    if (this.drawPending) return;
    this.drawPending = true;
    const wait = Math.max(0, DRAW_EVERY_MS - (performance.now() - this.lastDraw));
    setTimeout(() => requestAnimationFrame(() => {
      this.drawPending = false;
      this.draw();
    }), wait);
  }

  /**
   * Loss (log scale: a run that blows up stays readable) and accuracy against epochs, side by
   * side on a wide screen and one above the other on a narrow one.
   */
  draw() {
    this.lastDraw = performance.now();
    const canvas = this.el.curves;
    const layout = twoPanels(canvas);
    const g = prepare(canvas, { height: layout.wide ? layout.panel : 2 * layout.panel });
    const train = this.history.map((h) => [h.epochs, h.loss, h.accuracy]);
    const test = this.tests.map((h) => [h.epochs, h.loss, h.accuracy]);
    const all = [...train, ...test];
    const maxX = Math.max(1, ...all.map((p) => p[0]));
    const { lo, hi } = lossRange(all.map((p) => p[1]));
    const box = (i) => panelBox(g, layout, i);
    const panels = [
      { y: { lo, hi, log: true, label: t('curves.lossLog') }, value: 1 },
      { y: { lo: 0, hi: 1, label: t('curves.accuracy'), format: (v) => num(v, { style: 'percent', maximumFractionDigits: 0 }) }, value: 2 },
    ];
    panels.forEach((p, i) => {
      const ax = axes(g, box(i), { lo: 0, hi: maxX, label: t('curves.epochs'), format: tickLabel }, p.y);
      line(g, ax, train.map((q) => [q[0], q[p.value]]), COLORS.blue);
      line(g, ax, test.map((q) => [q[0], q[p.value]]), COLORS.vermillion, { dash: [6, 4] });
      markers(g, ax, test.map((q) => [q[0], q[p.value]]), COLORS.vermillion);
    });
    legend(this.el.legend, [
      { label: t('curves.train'), color: COLORS.blue, kind: 'line' },
      { label: t('curves.test'), color: COLORS.vermillion, kind: 'dot' },
    ]);
    canvas.dataset.points = `${train.length},${test.length}`;
    canvas.dataset.lossRange = `${lo},${hi}`;
  }
}
