// The notebook page: loads the WebAssembly core and the shipped LeNet, then wires the drawing
// pad, the predictions, the layer-by-layer view, training and model files together. Everything
// numeric comes from the core; these modules only lay it out and pass events along.

import { applyStrings, explain, num, onLanguageChange, registerCoreStrings, setAttr, setText, t, tm } from './i18n.js';
import { mountLanguageSwitch } from './lang.js';
import { DrawingPad } from './pad.js';
import { ForwardView } from './forward.js';
import { TrainingPanel } from './trainer.js';
import { renderLayerTable } from './layer-table.js';
import { mountGallery } from './gallery.js';
import { mountBackprop } from './backprop.js';
import { mountPresenter } from './presenter.js';
import { loadChapterStrings, mountChapters, refreshChapters } from './chapters/registry.js';

const $ = (id) => document.getElementById(id);
const SHIPPED_MODEL = 'www/models/lenet-mnist.cnn';
/** The sample digit the pad holds when the page opens. */
const FIRST_SAMPLE = 3;

/** What tests and the bench read: timings of the page's own work. */
const stats = { strokeToBars: [], predictMs: [] };

function showError(err) {
  const detail = explain(err);
  const panicked = typeof WebAssembly !== 'undefined' && err instanceof WebAssembly.RuntimeError;
  $('error-message').textContent = panicked ? t('error.panic', { detail }) : detail;
  $('error').hidden = false;
}

/** Offer `bytes` (or text) to the learner as a file download. */
function download(name, data, type) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([data], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function buildBars() {
  const list = $('probs');
  const bars = [];
  for (let d = 0; d < 10; d++) {
    const li = document.createElement('li');
    li.dataset.testid = `prob-${d}`;
    li.dataset.value = '0';
    const label = document.createElement('span');
    label.className = 'digit';
    label.textContent = String(d);
    const bar = document.createElement('span');
    bar.className = 'bar';
    const fill = document.createElement('span');
    bar.append(fill);
    const value = document.createElement('span');
    value.className = 'value';
    li.append(label, bar, value);
    list.append(li);
    bars.push({ li, fill, value });
  }
  return bars;
}

function showProbs(bars, probs) {
  let best = -1;
  if (probs) best = probs.indexOf(Math.max(...probs));
  bars.forEach((b, d) => {
    const p = probs ? probs[d] : 0;
    b.li.dataset.value = String(p);
    b.li.classList.toggle('best', d === best);
    b.fill.style.width = `${(p * 100).toFixed(1)}%`;
    b.value.textContent = probs ? num(p, { style: 'percent', maximumFractionDigits: 1 }) : '';
    b.li.setAttribute('aria-label', t('draw.barLabel', { d, p: b.value.textContent || '0%' }));
  });
  $('prediction').textContent = best >= 0 ? String(best) : '–';
}

function showSeen(canvas, img) {
  const ctx = canvas.getContext('2d');
  const data = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round((img ? img[i] : 0) * 255);
    data.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(data, 0, 0);
}

async function main() {
  // Fetch the core while the chapters' strings load; its errors are handled where it is awaited.
  const corePromise = import('./pkg/cnn_core.js');
  corePromise.catch(() => {});
  await loadChapterStrings();
  applyStrings();
  window.addEventListener('error', (e) => showError(e.error ?? e.message));
  window.addEventListener('unhandledrejection', (e) => showError(e.reason));

  let core, shipped;
  try {
    core = await corePromise;
    const [, res] = await Promise.all([core.default(), fetch(SHIPPED_MODEL)]);
    registerCoreStrings(core.messageTemplates());
    if (!res.ok) throw new Error(t('error.noModel', { url: SHIPPED_MODEL, status: res.status }));
    shipped = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    setText($('status'), null);
    showError(t('error.notBuilt', { detail: err instanceof Error ? err.message : String(err) }));
    return;
  }

  let predictor = core.Predictor.fromFile(shipped);
  const bars = buildBars();
  const seen = $('seen');
  const forward = new ForwardView({
    list: $('layers-view'), where: $('step-where'), prev: $('step-prev'), next: $('step-next'),
    play: $('step-play'), inspector: $('inspector'), stepper: $('stepper'),
  });
  forward.setNetwork(predictor);

  let image = null; // the 28×28 image of the current drawing, or null for an empty pad
  let backprop = null; // the backprop chapter, once mounted: it follows the pad's digit and network
  /** Predict the current drawing and show everything that depends on it. */
  /** The pad changed: prepare its image again, then show what the network makes of it. */
  const refresh = () => {
    const t0 = performance.now();
    image = pad.inked ? core.preprocess(pad.pixels(), pad.canvas.width, pad.canvas.height) ?? null : null;
    show(t0);
  };
  /** Predict the prepared image and show everything that depends on it (new weights reuse it). */
  const show = (t0 = performance.now()) => {
    if (!image) {
      showProbs(bars, null);
      showSeen(seen, null);
      $('latency').textContent = '';
      forward.list.classList.add('empty');
      backprop?.imageChanged();
      return;
    }
    const t1 = performance.now();
    let probs;
    try {
      probs = predictor.predict(image);
    } catch (err) {
      showProbs(bars, null);
      $('latency').textContent = explain(err);
      return;
    }
    stats.predictMs.push(performance.now() - t1);
    showProbs(bars, Array.from(probs));
    showSeen(seen, image);
    forward.list.classList.remove('empty');
    forward.render();
    backprop?.imageChanged();
    const ms = performance.now() - t0;
    $('latency').textContent = t('draw.latency', { ms: num(ms, { maximumFractionDigits: 1 }) });
  };
  const source = $('pad-source');
  const pad = new DrawingPad($('pad'), {
    onChange: refresh,
    onStrokeEnd: (endedAt) => {
      refresh();
      stats.strokeToBars.push(performance.now() - endedAt);
      setText(source, 'draw.yours');
    },
  });
  $('clear').addEventListener('click', () => {
    pad.clear();
    setText(source, null);
  });
  // A way in without a mouse or a finger: the sample digits, and any digit of the test set.
  const showSample = (d) => {
    pad.showImage(core.sampleDigit(d));
    setText(source, 'draw.sampleSource', { d });
  };
  for (let d = 0; d < 10; d++) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary sample';
    b.textContent = String(d);
    b.dataset.testid = `sample-${d}`;
    b.addEventListener('click', () => showSample(d));
    $('sample-buttons').append(b);
  }
  $('random-digit').addEventListener('click', () => training.requestTestDigit(Math.floor(Math.random() * 1e9)));
  showSample(FIRST_SAMPLE);

  const badge = $('backend');
  let lastBackend = null; // the worker's last report, to redraw the badge in another language
  const params = new URLSearchParams(location.search);
  const training = new TrainingPanel(core, {
    backend: ['cpu', 'gpu'].includes(params.get('backend')) ? params.get('backend') : 'auto',
    shipped,
    currentModel: () => predictor.toFile(),
    onModel: (bytes) => {
      try {
        predictor.update(bytes);
      } catch {
        // Weights that are not finite (a run that blew up as it paused) are refused by the core;
        // the pad keeps the last good ones and the training panel explains the divergence.
        return;
      }
      forward.setNetwork(predictor);
      backprop?.modelChanged();
      show();
    },
    onBackend: (m) => {
      lastBackend = m;
      showBackend(m);
    },
    onReady: () => {
      $('random-digit').disabled = false;
      $('random-digit').removeAttribute('title');
    },
    onTestDigit: (m) => {
      pad.showImage(m.image);
      setText(source, 'draw.testSource', { index: num(m.index), label: m.label });
    },
  });
  setAttr($('random-digit'), 'title', 'train.preparing');
  /** The badge says in a word what trains; the adapter, the reason and the core's version are in its tooltip. */
  function showBackend(m) {
    if (!m.backend) {
      delete badge.dataset.backend;
      badge.textContent = t('backend.checking');
      return;
    }
    const gpu = m.backend === 'WebGPU';
    badge.dataset.backend = gpu ? 'webgpu' : 'cpu';
    badge.textContent = t(gpu ? 'backend.webgpu' : 'backend.cpu');
    const why = gpu ? t('backend.gpuDetail', { adapter: m.adapter }) : t('backend.why', { reason: tm(m.fallbackReason) });
    badge.title = `${why} ${t('status.ready', { version: core.version() })}`;
    badge.classList.toggle('fallback', !gpu);
  }

  /** The files section's one line: it follows a change of language, and only a refusal is red. */
  const fileMessage = (key, values, bad = false) => {
    const msg = $('model-message');
    msg.classList.toggle('bad', bad);
    setText(msg, key, values);
  };
  // Model files: save what the pad uses; load one, refusing bad files without touching anything.
  $('model-save').addEventListener('click', () => {
    const name = `${predictor.name}-${new Date().toISOString().slice(0, 10)}.cnn`;
    download(name, predictor.toFile(), 'application/octet-stream');
    fileMessage('files.saved', { name });
  });
  // Export to PyTorch: the code (also shown on the page) and the state_dict it loads.
  $('export-code').addEventListener('click', () => {
    const code = predictor.pytorchCode();
    const preview = $('export-preview');
    preview.textContent = code;
    preview.hidden = false;
    const name = `${predictor.name.replace(/[^\w.-]/g, '_')}.py`;
    download(name, code, 'text/x-python');
    fileMessage('export.saved', { name });
  });
  $('export-weights').addEventListener('click', () => {
    const name = predictor.pytorchWeightsName;
    download(name, predictor.pytorchWeights(), 'application/octet-stream');
    fileMessage('export.saved', { name });
  });
  $('model-load').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const loaded = core.Predictor.fromFile(bytes);
      predictor.free();
      predictor = loaded;
      forward.setNetwork(predictor);
      backprop?.modelChanged();
      training.loadModel(bytes, predictor.activation);
      show();
      fileMessage('files.loaded', { name: file.name, model: predictor.name });
    } catch (err) {
      fileMessage('files.bad', { name: file.name, detail: () => explain(err) }, true);
    }
  });

  await mountChapters(core);
  const redrawTable = renderLayerTable(core, $('preset'));
  backprop = mountBackprop(core, {
    currentImage: () => image,
    currentModel: () => predictor.toFile(),
  });
  const presenter = mountPresenter();
  const redrawGallery = mountGallery(core, { select: $('gallery-select'), table: $('gallery-table'), summary: $('gallery-summary') });
  setText($('status'), null); // ready: the loading line goes (and stays gone after a change of language)
  // A change of language: the data-i18n elements are already filled again; redraw what code wrote.
  onLanguageChange(() => {
    if (lastBackend) showBackend(lastBackend);
    redrawTable();
    redrawGallery();
    forward.setNetwork(predictor, true);
    show();
    training.draw();
    presenter.refresh();
    backprop.refresh();
    refreshChapters();
  });
  mountLanguageSwitch();
  window.cnnNotebook = { core, stats, training, get predictor() { return predictor; }, pad, forward, refresh, show };
  document.body.dataset.ready = 'true';
}

main();
