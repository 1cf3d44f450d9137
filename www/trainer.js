// The training panel: its controls, the worker that trains (www/train-worker.js), the epoch
// progress bar and the loss/accuracy curves (drawn by the core with plotters). When training on
// WebGPU fails — the device is lost, or the GPU reports an error — the panel says so and carries
// on on the CPU from the last weights it received.

import { num, setText, t, tm } from './i18n.js';

const $ = (id) => document.getElementById(id);
/** Redraw the curves at most this often: drawing is cheap, but not free. */
const DRAW_EVERY_MS = 200;

export class TrainingPanel {
  /**
   * @param core the wasm module
   * @param {{ backend: string, shipped: Uint8Array, currentModel: () => Uint8Array,
   *           onModel: (bytes: Uint8Array) => void, onBackend: (info) => void, onReady: () => void }} opts
   */
  constructor(core, opts) {
    this.core = core;
    this.opts = opts;
    this.curves = new core.Curves();
    this.running = false;
    this.diverged = false;
    this.lastDraw = 0;
    this.drawPending = false;
    this.progress = null;
    /** Every training point of this run, as plotted: { epochs, loss, accuracy }. */
    this.history = [];
    this.stats = { examplesPerSecond: 0, backend: null, adapter: '', fallbackReason: null };
    this.el = {
      startFrom: $('start-from'), activation: $('activation'), init: $('init'), optimizer: $('optimizer'),
      batch: $('batch'), lr: $('lr'), lrValue: $('lr-value'), start: $('train-start'), pause: $('train-pause'),
      reset: $('train-reset'), bar: $('epoch-progress'), progress: $('train-progress'), message: $('train-message'),
      diverged: $('diverged'), divergedMessage: $('diverged-message'), divergedReset: $('diverged-reset'),
      curves: $('curves'), summary: $('curves-summary'),
    };
    this.wire();
    this.showLr();
    this.sizeCanvas();
    this.draw();
    this.spawn(opts.backend, opts.shipped);
  }

  settings() {
    const e = this.el;
    return {
      activation: e.activation.value, init: e.init.value, optimizer: e.optimizer.value,
      batch: Number(e.batch.value), lr: this.lr(), seed: 0,
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
      this.say('train.batchChanged', { n: e.batch.value });
    });
    // These change the network itself: rebuild it, fresh, and say so.
    for (const sel of [e.activation, e.init]) {
      sel.addEventListener('change', () => {
        e.startFrom.value = 'fresh';
        this.reset(['train.rebuilt', { act: () => e.activation.selectedOptions[0].textContent, init: () => e.init.selectedOptions[0].textContent }]);
      });
    }
    e.startFrom.addEventListener('change', () => {
      if (e.startFrom.value === 'shipped' && e.activation.value !== 'relu') e.activation.value = 'relu';
      this.reset();
    });
    window.addEventListener('resize', () => {
      this.sizeCanvas();
      this.draw();
    });
  }

  spawn(backend, model) {
    this.worker?.terminate();
    this.ready = false;
    this.setButtons();
    this.worker = new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e) => this.received(e.data);
    this.worker.onerror = (e) => this.failed(e.message ?? 'the training worker failed', true);
    this.backend = backend;
    this.send({ type: 'init', backend, model, settings: this.settings() });
  }

  send(msg, transfer) {
    this.worker.postMessage(msg, transfer);
  }

  received(m) {
    switch (m.type) {
      case 'backend':
        Object.assign(this.stats, { backend: m.backend, adapter: m.adapter, fallbackReason: m.fallbackReason });
        this.opts.onBackend(m);
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
      case 'progress':
        this.progress = m;
        Object.assign(this.stats, { examplesPerSecond: m.examplesPerSecond, trainedExamples: m.trainedExamples, trainedMs: m.trainedMs });
        this.curves.pushTrain(m.epochs, m.loss, m.accuracy);
        this.history.push({ epochs: m.epochs, loss: m.loss, accuracy: m.accuracy });
        this.el.bar.value = m.batch / m.batches;
        setText(this.el.progress, 'train.progress', {
          epoch: m.epoch + 1, batch: m.batch, batches: m.batches,
          loss: num(m.loss, { maximumFractionDigits: 3 }),
          acc: num(m.accuracy, { style: 'percent', maximumFractionDigits: 1 }),
          speed: num(Math.round(m.examplesPerSecond)),
        });
        this.scheduleDraw();
        break;
      case 'test':
        this.curves.pushTest(m.epochs, m.loss, m.accuracy);
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
      case 'diverged':
        this.running = false;
        this.diverged = true;
        setText(this.el.divergedMessage, 'train.diverged', {
          detail: () => (m.lr === undefined ? m.message : t('train.divergedDetail', { epoch: m.epoch, batch: m.batch, loss: m.loss, lr: num(m.lr) })),
        });
        this.el.diverged.hidden = false;
        this.setButtons();
        this.el.divergedReset.focus();
        break;
      case 'paused':
        this.setButtons();
        break;
      case 'reset':
        break;
      case 'error':
        this.failed(m.text ? () => tm(m.text) : m.message, m.trap);
        break;
    }
  }

  /** The worker failed. On WebGPU that means the GPU: go on on the CPU. On the CPU it is a bug. */
  failed(message, trap) {
    if (this.backend !== 'cpu' && this.stats.backend === 'WebGPU') {
      const wasRunning = this.running;
      this.stats.backend = null;
      this.say('train.gpuFailed', { detail: message });
      this.resume = wasRunning;
      this.running = false;
      this.spawn('cpu', this.opts.currentModel());
      return;
    }
    this.running = false;
    this.setButtons();
    this.say(trap ? 'error.panic' : 'train.failed', { detail: message });
    this.el.message.classList.add('bad');
  }

  /** Start (or continue) training; `quietly` keeps the message on screen (a fallback's). */
  start(quietly = false) {
    if (!this.ready || this.diverged) return;
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

  /** Rebuild the network (from the shipped weights or fresh) and clear the curves. */
  reset(message) {
    this.running = false;
    this.diverged = false;
    this.el.diverged.hidden = true;
    this.curves.clear();
    this.history = [];
    this.progress = null;
    this.el.bar.value = 0;
    setText(this.el.progress, null);
    setText(this.el.summary, null);
    const shipped = this.el.startFrom.value === 'shipped';
    this.send({ type: 'reset', model: shipped ? this.opts.shipped : null, settings: this.settings() });
    this.setButtons();
    this.draw();
    if (message) this.say(...message);
    else this.say(shipped ? 'train.resetShipped' : 'train.resetFresh');
  }

  /** Continue training from a model the learner loaded. */
  loadModel(bytes, activation) {
    if (activation && [...this.el.activation.options].some((o) => o.value === activation)) this.el.activation.value = activation;
    this.running = false;
    this.diverged = false;
    this.el.diverged.hidden = true;
    this.curves.clear();
    this.history = [];
    this.send({ type: 'reset', model: bytes, settings: this.settings() });
    this.setButtons();
    this.draw();
  }

  setButtons() {
    const e = this.el;
    e.start.disabled = !this.ready || this.running || this.diverged;
    e.pause.disabled = !this.running;
    e.reset.disabled = !this.ready;
  }

  /** Show t(key, values) as the panel's message; it follows a change of language. */
  say(key, values = {}) {
    this.el.message.classList.remove('bad');
    setText(this.el.message, key, values);
  }

  sizeCanvas() {
    const c = this.el.curves;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(320, Math.round(c.clientWidth || 760));
    c.width = Math.round(w * dpr);
    c.height = Math.round(Math.min(300, w * 0.4) * dpr);
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

  draw() {
    this.lastDraw = performance.now();
    const labels = new this.core.CurveLabels(t('curves.loss'), t('curves.accuracy'), t('curves.epochs'), t('curves.train'), t('curves.test'));
    try {
      this.curves.draw(this.el.curves, labels, window.devicePixelRatio || 1);
    } finally {
      labels.free();
    }
    const [train, test] = this.curves.counts();
    this.el.curves.dataset.points = `${train},${test}`;
  }
}
