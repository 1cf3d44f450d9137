// The notebook page: loads the WebAssembly core, shows a network's layer table and runs one
// forward pass. Everything numeric comes from the core; this file only lays it out.

import { applyStrings, num, t } from './i18n.js';

const $ = (sel) => document.querySelector(sel);

/** SGD steps per click of the teach button, and their learning rate: small enough that the
 *  probabilities move visibly click by click instead of jumping to 100% at once. */
const TEACH_STEPS = 5;
const TEACH_LR = 0.1;

/** Show an error banner. A WebAssembly trap (RuntimeError) is a panic in the core: its message
 *  was already printed to the console by the panic hook, so say it plainly here. */
function showError(err) {
  const detail = err instanceof Error ? err.message : String(err);
  const panicked = typeof WebAssembly !== 'undefined' && err instanceof WebAssembly.RuntimeError;
  $('#error-message').textContent = panicked ? t('error.panic', { detail }) : detail;
  $('#error').hidden = false;
}

/** A ring, like a handwritten 0, as h·w values in [0, 1] (white on black, as MNIST). */
export function ringPattern(h, w) {
  const img = new Float32Array(h * w);
  const cy = (h - 1) / 2, cx = (w - 1) / 2;
  const r = Math.min(h, w) * 0.3, thickness = Math.min(h, w) * 0.08;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Elliptical like a written 0, with a soft edge one pixel wide.
      const d = Math.hypot((x - cx) * 1.25, y - cy);
      img[y * w + x] = Math.max(0, Math.min(1, thickness - Math.abs(d - r) + 0.5));
    }
  }
  return img;
}

function drawImage(canvas, img, h, w) {
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  const data = ctx.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    const v = Math.round(img[i] * 255);
    data.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(data, 0, 0);
}

function renderTable(core, preset) {
  const table = core.layerTable(preset);
  const cell = (text, cls) => {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    return td;
  };
  const tbody = $('#layer-table tbody');
  tbody.replaceChildren();
  const input = document.createElement('tr');
  input.className = 'input';
  input.append(cell('', 'num'), cell(t('table.input')), cell(table.input, 'shape'), cell('', 'num'), cell('', 'num'));
  tbody.append(input);
  for (const row of table.rows) {
    const tr = document.createElement('tr');
    tr.append(
      // 0-based, as the core's error messages, the CLI's table and PyTorch's nn.Sequential
      // ("0.weight") number layers.
      cell(num(row.index), 'num'),
      cell(row.label),
      cell(row.output, 'shape'),
      cell(row.params ? num(row.params) : '—', 'num'),
      cell(row.macs ? num(row.macs) : '—', 'num'),
    );
    tbody.append(tr);
  }
  const total = document.createElement('tr');
  total.append(cell(''), cell(t('table.total')), cell(''), cell(num(table.totalParams), 'num total-params'), cell(num(table.totalMacs), 'num'));
  $('#layer-table tfoot').replaceChildren(total);
  $('#layer-caption').textContent = t('table.caption', {
    name: table.name,
    params: num(table.totalParams),
    macs: num(table.totalMacs),
  });
}

function renderProbs(probs) {
  const best = probs.indexOf(Math.max(...probs));
  const list = $('#probs');
  list.replaceChildren();
  probs.forEach((p, k) => {
    const li = document.createElement('li');
    if (k === best) li.className = 'best';
    const label = document.createElement('span');
    label.textContent = t('forward.class', { k });
    const bar = document.createElement('span');
    bar.className = 'bar';
    const fill = document.createElement('span');
    fill.style.width = `${(p * 100).toFixed(2)}%`;
    bar.append(fill);
    const value = document.createElement('span');
    value.className = 'value';
    value.textContent = num(p, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
    li.append(label, bar, value);
    list.append(li);
  });
  return best;
}

/** Build the preset's network, run the pattern through it and show the probabilities. */
function renderForward(core, preset) {
  const net = new core.Network(preset, 'sgd', TEACH_LR, 0);
  const [, h, w] = net.inputDims;
  const image = ringPattern(h, w);
  drawImage($('#pattern'), image, h, w);

  const predict = () => {
    const start = performance.now();
    const probs = net.predict(image);
    const ms = performance.now() - start;
    const best = renderProbs(Array.from(probs));
    $('#forward-result').textContent = t('forward.result', {
      k: best,
      p: num(probs[best], { style: 'percent', maximumFractionDigits: 1 }),
      ms: num(ms, { maximumFractionDigits: 2 }),
    });
  };
  predict();

  const button = $('#train');
  $('#train-result').textContent = '';
  let steps = 0;
  button.disabled = false;
  button.onclick = () => {
    try {
      const losses = [];
      for (let i = 0; i < TEACH_STEPS; i++) losses.push(net.trainStep(image, Uint8Array.of(0)));
      steps += losses.length;
      predict();
      $('#train-result').textContent = t('forward.trained', {
        lr: num(TEACH_LR),
        steps,
        before: num(losses[0], { maximumSignificantDigits: 3 }),
        after: num(losses[losses.length - 1], { maximumSignificantDigits: 3 }),
      });
    } catch (err) {
      showError(err);
    }
  };
  return net;
}

async function main() {
  applyStrings();
  window.addEventListener('error', (e) => showError(e.error ?? e.message));
  window.addEventListener('unhandledrejection', (e) => showError(e.reason));

  let core;
  try {
    core = await import('./pkg/cnn_core.js');
    await core.default();
  } catch (err) {
    $('#status').textContent = '';
    showError(t('error.notBuilt', { detail: err instanceof Error ? err.message : String(err) }));
    return;
  }

  const select = $('#preset');
  for (const name of core.presets()) {
    const option = document.createElement('option');
    option.value = option.textContent = name;
    select.append(option);
  }
  let net;
  const show = () => {
    try {
      renderTable(core, select.value);
      net?.free();
      net = renderForward(core, select.value);
      $('#status').textContent = t('status.ready', { version: core.version(), backend: net.backend });
    } catch (err) {
      showError(err);
    }
  };
  select.addEventListener('change', show);
  show();
  document.body.dataset.ready = 'true';
}

main();
