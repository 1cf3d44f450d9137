// Backprop in a CNN, for the classroom: one training step on the current drawing, taken apart.
// Forward and loss; then back through the network one layer per click, showing ∂L/∂(the layer's
// output) as maps and ∂L/∂(its weights) as small images; then the update θ ← θ − η·∂L/∂θ with
// numbers before and after. Runs on a copy of the pad's network, so the lesson changes nothing
// else. Below, per-layer gradient norms of a deep sigmoid network against a ReLU one.

import { num, t, tm } from './i18n.js';
import { paint, paintLegend, scaleFor } from './colormap.js';

const $ = (id) => document.getElementById(id);
/** Four significant digits; very small values in scientific notation (a softmax can give 1e-30). */
const fmt = (v) => (v !== 0 && Math.abs(v) < 1e-3 ? num(v, { notation: 'scientific', maximumSignificantDigits: 3 }) : num(v, { maximumSignificantDigits: 4 }));
const STRIP = 40;

export function mountBackprop(core, { currentImage, currentModel, prediction }) {
  const el = {
    label: $('bp-label'), lr: $('bp-lr'), forward: $('bp-forward'), back: $('bp-back'), update: $('bp-update'),
    reset: $('bp-reset'), status: $('bp-status'), layers: $('bp-layers'), updates: $('bp-updates'),
    normsButton: $('bp-norms-run'), norms: $('bp-norms'), normsText: $('bp-norms-text'),
  };
  for (let d = 0; d < 10; d++) {
    const o = document.createElement('option');
    o.value = o.textContent = String(d);
    el.label.append(o);
  }
  let room = null; // the Classroom: a copy of the pad's network
  let layers = [];
  let next = -1; // the next layer to reveal going backwards; -1 = backward not started
  let image = null;
  let lastLoss = null;
  let labelChosen = false;

  const say = (text, bad = false) => {
    el.status.textContent = text;
    el.status.classList.toggle('bad', bad);
  };
  const buttons = () => {
    el.back.disabled = !room || next < 0;
    el.update.disabled = !room || next !== -2;
  };

  function start() {
    image = currentImage();
    if (!image) {
      say(t('bp.drawFirst'), true);
      return false;
    }
    // Unless the learner chose a label, ask about the digit the network sees.
    if (!labelChosen && prediction() !== null) el.label.value = prediction();
    room?.free();
    room = core.Classroom.fromFile(currentModel());
    layers = room.layers().map((v) => {
      const o = { index: v.index, label: tm(v.labelText), kind: v.kind, shape: v.shape, channels: v.channels, height: v.height, width: v.width };
      v.free();
      return o;
    });
    layers.pop(); // the softmax row: the loss kernel folds it into ∂L/∂logits
    el.layers.replaceChildren();
    el.updates.replaceChildren();
    return true;
  }

  function forward() {
    if (!room && !start()) return;
    const label = Number(el.label.value);
    const r = room.forward(image, label);
    const probs = Array.from(r.probs);
    const before = lastLoss;
    lastLoss = r.loss;
    r.free();
    say(t('bp.loss', { label, p: fmt(probs[label]), loss: fmt(lastLoss) }) + (before !== null ? ` ${t('bp.lossChange', { before: fmt(before), after: fmt(lastLoss) })}` : ''));
    room.backward();
    next = layers.length - 1;
    el.layers.replaceChildren();
    const logits = Array.from(room.logitGrad());
    const head = document.createElement('li');
    head.dataset.testid = 'bp-logits';
    head.className = 'bp-layer';
    head.textContent = t('bp.logitGrad', { values: logits.map((g, k) => `${k}: ${fmt(g)}`).join(', ') });
    el.layers.append(head);
    buttons();
  }

  function back() {
    if (next < 0) return;
    const l = layers[next];
    el.layers.append(layerRow(l, Array.from(room.outputGrad(l.index))));
    next -= 1;
    if (next < 0) {
      next = -2; // every layer shown: the update is next
      say(`${el.status.textContent} ${t('bp.allBack')}`);
    }
    buttons();
  }

  function layerRow(l, grad) {
    const li = document.createElement('li');
    li.className = 'bp-layer';
    li.dataset.testid = `bp-layer-${l.index}`;
    const h = document.createElement('p');
    const title = document.createElement('strong');
    title.textContent = t('bp.layerTitle', { index: l.index, label: l.label, shape: l.shape });
    h.append(title);
    li.append(h, mapsOf(grad, l, 'bp.outputGrad'));
    const weights = `${l.index}.weight`;
    if (l.kind === 'conv' || l.kind === 'dense') {
      const p = room.param(weights);
      const g = Array.from(p.grads);
      p.free();
      const cap = document.createElement('p');
      cap.className = 'hint';
      const norm = Math.sqrt(g.reduce((a, v) => a + v * v, 0));
      cap.textContent = t(l.kind === 'conv' ? 'bp.kernelGrad' : 'bp.denseGrad', { name: weights, norm: fmt(norm) });
      li.append(cap, l.kind === 'conv' ? kernels(g, l) : matrix(g, l));
    }
    li.scrollIntoView?.({ block: 'nearest' });
    return li;
  }

  function mapsOf(values, l, key) {
    const wrap = document.createElement('div');
    wrap.className = 'maps';
    const scale = scaleFor(values);
    const cap = document.createElement('p');
    cap.className = 'hint';
    cap.textContent = t(key, { lo: fmt(scale.lo), hi: fmt(scale.hi) });
    const legend = document.createElement('canvas');
    legend.className = 'legend-bar';
    paintLegend(legend, scale);
    cap.append(' ', legend);
    const box = document.createElement('div');
    box.append(cap, wrap);
    if (l.height) {
      for (let c = 0; c < l.channels; c++) {
        const cv = document.createElement('canvas');
        cv.className = 'fmap';
        cv.setAttribute('role', 'img');
        cv.setAttribute('aria-label', t('bp.mapLabel', { c, label: l.label }));
        paint(cv, values, c * l.height * l.width, l.height, l.width, scale);
        wrap.append(cv);
      }
    } else {
      const cv = document.createElement('canvas');
      cv.className = 'fmap vector';
      cv.setAttribute('role', 'img');
      cv.setAttribute('aria-label', t('bp.vectorLabel', { label: l.label }));
      const w = Math.min(STRIP, values.length), h = Math.ceil(values.length / STRIP);
      const padded = new Float32Array(w * h);
      padded.set(values);
      paint(cv, padded, 0, h, w, scale);
      wrap.append(cv);
    }
    return box;
  }

  /** ∂L/∂kernel: one small image per (output, input) channel pair, on one colour scale. */
  function kernels(g, l) {
    const k2 = g.length / l.channels; // values per output channel: C_in·F·F
    const wrap = document.createElement('div');
    wrap.className = 'kernels';
    wrap.dataset.testid = `bp-kernels-${l.index}`;
    const scale = scaleFor(g);
    const f = Math.round(Math.sqrt(k2 / inChannels(l)));
    for (let o = 0; o < l.channels; o++) {
      for (let c = 0; c < inChannels(l); c++) {
        const cv = document.createElement('canvas');
        cv.className = 'kernel';
        cv.title = t('bp.kernelLabel', { o, c });
        cv.setAttribute('role', 'img');
        cv.setAttribute('aria-label', cv.title);
        paint(cv, g, o * k2 + c * f * f, f, f, scale);
        wrap.append(cv);
      }
    }
    return wrap;
  }

  /** The input channels of conv layer l: the channels of the layer before it (1 for the first). */
  function inChannels(l) {
    const prev = layers.filter((x) => x.index < l.index && x.height).at(-1);
    return prev ? prev.channels : 1;
  }

  /** ∂L/∂W of a dense layer as one image, a row per output unit. */
  function matrix(g, l) {
    const cv = document.createElement('canvas');
    cv.className = 'matrix';
    cv.setAttribute('role', 'img');
    cv.setAttribute('aria-label', t('bp.matrixLabel', { label: l.label }));
    paint(cv, g, 0, l.channels, g.length / l.channels, scaleFor(g));
    return cv;
  }

  function update() {
    const lr = Number(el.lr.value);
    const updates = room.step(lr);
    const table = document.createElement('table');
    table.className = 'bp-table';
    const head = document.createElement('tr');
    for (const key of ['bp.colParam', 'bp.colEntry', 'bp.colBefore', 'bp.colGrad', 'bp.colAfter', 'bp.colNorm']) {
      const th = document.createElement('th');
      th.textContent = t(key);
      head.append(th);
    }
    table.append(head);
    for (const u of updates) {
      const tr = document.createElement('tr');
      tr.dataset.testid = `bp-update-${u.name}`;
      const cells = [u.name, String(u.index), fmt(u.before), fmt(u.grad), fmt(u.after), fmt(u.gradNorm)];
      tr.dataset.before = String(u.before);
      tr.dataset.grad = String(u.grad);
      tr.dataset.after = String(u.after);
      for (const c of cells) {
        const td = document.createElement('td');
        td.textContent = c;
        tr.append(td);
      }
      table.append(tr);
      u.free();
    }
    const cap = document.createElement('caption');
    cap.textContent = t('bp.updateCaption', { lr: fmt(lr) });
    table.append(cap);
    el.updates.replaceChildren(table);
    el.updates.dataset.lr = String(lr);
    next = -1;
    // The same drawing through the updated weights: the loss the step was for.
    forward();
    next = -1;
    buttons();
  }

  function reset() {
    room?.free();
    room = null;
    next = -1;
    lastLoss = null;
    el.layers.replaceChildren();
    el.updates.replaceChildren();
    say('');
    buttons();
  }

  /** Per-layer ‖∂L/∂W‖ of an 8-layer network with sigmoid against ReLU, on the current drawing. */
  function norms() {
    const img = currentImage();
    if (!img) {
      el.normsText.textContent = t('bp.drawFirst');
      return;
    }
    const label = Number(el.label.value);
    const sig = Array.from(core.gradientNorms('sigmoid', 8, 32, img, label, 1));
    const relu = Array.from(core.gradientNorms('relu', 8, 32, img, label, 1));
    drawNorms(el.norms, sig, relu);
    el.norms.dataset.sigmoid = sig.join(',');
    el.norms.dataset.relu = relu.join(',');
    el.normsText.textContent = t('bp.normsText', {
      sig: num(sig[0] / sig.at(-1), { maximumSignificantDigits: 2 }),
      relu: num(relu[0] / relu.at(-1), { maximumSignificantDigits: 2 }),
    });
  }

  el.forward.addEventListener('click', forward);
  el.back.addEventListener('click', back);
  el.update.addEventListener('click', update);
  el.reset.addEventListener('click', reset);
  el.normsButton.addEventListener('click', norms);
  el.label.addEventListener('change', () => {
    labelChosen = true;
    if (room) forward();
  });
  buttons();
  return { reset };
}

/** Grouped bars on a log scale: per dense layer, sigmoid (vermillion, hatched) and ReLU (blue). */
function drawNorms(canvas, sig, relu) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(320, canvas.clientWidth || 640), h = 240;
  canvas.width = w * dpr;
  canvas.height = h * dpr;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const all = [...sig, ...relu].filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...all))), hi = Math.ceil(Math.log10(Math.max(...all)));
  const left = 48, bottom = h - 28, top = 14, right = w - 8;
  const y = (v) => bottom - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / Math.max(1, hi - lo)) * (bottom - top);
  ctx.font = '11px sans-serif';
  ctx.fillStyle = '#444';
  ctx.strokeStyle = '#ddd';
  for (let e = lo; e <= hi; e++) {
    ctx.beginPath();
    ctx.moveTo(left, y(10 ** e));
    ctx.lineTo(right, y(10 ** e));
    ctx.stroke();
    ctx.fillText(`1e${e}`, 4, y(10 ** e) + 4);
  }
  const n = sig.length, group = (right - left) / n, bw = group * 0.35;
  for (let i = 0; i < n; i++) {
    const x0 = left + i * group + group * 0.12;
    ctx.fillStyle = '#D55E00';
    ctx.fillRect(x0, y(sig[i]), bw, bottom - y(sig[i]));
    ctx.strokeStyle = '#fff';
    for (let k = -bottom; k < bw + bottom; k += 6) {
      ctx.beginPath();
      ctx.moveTo(x0 + k, bottom);
      ctx.lineTo(x0 + k + (bottom - y(sig[i])), y(sig[i]));
      ctx.save();
      ctx.rect(x0, y(sig[i]), bw, bottom - y(sig[i]));
      ctx.clip();
      ctx.stroke();
      ctx.restore();
    }
    ctx.fillStyle = '#0072B2';
    ctx.fillRect(x0 + bw + 2, y(relu[i]), bw, bottom - y(relu[i]));
    ctx.fillStyle = '#444';
    ctx.fillText(String(i + 1), x0 + bw - 2, h - 12);
  }
}
