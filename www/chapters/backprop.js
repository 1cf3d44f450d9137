// Chapter "Backprop in a CNN, for the classroom": one training step on the pad's digit, taken apart.
// Forward and loss — with a label the network gets wrong, so the step has something to correct;
// then back through the network one layer per click, each with ∂L/∂(its output) as maps, its
// weights' gradient as images, and a sentence (the core's) saying what that layer's backward did;
// then the update θ ← θ − η·∂L/∂θ with numbers before and after, written with the digits that tell
// them apart. Runs on a copy of the pad's network, so the lesson changes nothing else. Below,
// per-layer gradient norms of a deep sigmoid network against a ReLU one. "Show the code" goes
// with the step just taken: the loss's gradient, the backward function of the layer just revealed,
// the update rule.

import { applyStrings, num, setMessage, setText, t, tm } from '../i18n.js';
import { apart, sig } from '../format.js';
import { paint, scaleFor } from '../colormap.js';
import { legendFor, mapSet, paintMaps } from '../maps.js';
import { COLORS, axes, hatch, legend, prepare, textScale } from '../chart.js';
import { reveal } from './dom.js';
import { CodeView } from '../codeview.js';

const $ = (id) => document.getElementById(id);
/** How long the pad must be still before the chapter takes its digit (drawing calls this often). */
const SETTLE_MS = 250;

let chapter = null;

export function mount(body, core, nb) {
  body.innerHTML = `
    <p class="intro" data-i18n="bp.intro"></p>
    <div class="bp-digit">
      <canvas id="bp-image" width="28" height="28" data-testid="bp-image" data-i18n-attr="aria-label:bp.imageLabel"></canvas>
      <p id="bp-suggest" class="bp-suggest" data-testid="bp-suggest" aria-live="polite"></p>
    </div>
    <div class="bp-controls" role="group" data-i18n-attr="aria-label:bp.controls">
      <div class="controls">
        <label class="field"><span data-i18n="bp.label"></span> <select id="bp-label" data-testid="bp-label"></select></label>
        <label class="field"><span data-i18n="train.lr"></span>
          <select id="bp-lr" data-testid="bp-lr"><option>0.0001</option><option>0.0003</option><option selected>0.001</option><option>0.003</option><option>0.01</option></select>
        </label>
      </div>
      <p class="buttons">
        <button id="bp-forward" type="button" data-testid="bp-forward" data-i18n="bp.forward"></button>
        <button id="bp-back" type="button" data-testid="bp-back" data-i18n="bp.back" disabled></button>
        <button id="bp-update" type="button" data-testid="bp-update" data-i18n="bp.update" disabled></button>
        <button id="bp-reset" type="button" class="secondary" data-testid="bp-reset" data-i18n="bp.reset"></button>
      </p>
      <p id="bp-status" class="message" data-testid="bp-status" role="status"></p>
    </div>
    <div id="bp-logits" class="table-wrap" data-testid="bp-logits"></div>
    <ol id="bp-layers" class="bp-layers" data-testid="bp-layers"></ol>
    <div id="bp-updates" class="table-wrap" data-testid="bp-updates"></div>
    <h3 data-i18n="bp.normsHeading"></h3>
    <p class="intro" data-i18n="bp.normsIntro"></p>
    <p class="buttons"><button id="bp-norms-run" type="button" data-testid="bp-norms-run" data-i18n="bp.normsRun"></button></p>
    <canvas id="bp-norms" class="chart" data-testid="bp-norms" data-i18n-attr="aria-label:bp.normsLabel"></canvas>
    <ul id="bp-norms-legend" class="chart-legend"></ul>
    <p id="bp-norms-text" class="hint" data-testid="bp-norms-text" aria-live="polite"></p>`;
  applyStrings(body);
  chapter = lesson(core, { currentImage: () => nb.image, currentModel: () => nb.predictor.toFile() });
  nb.on('prediction', chapter.imageChanged);
  nb.on('network', chapter.modelChanged);
}

export function refresh() {
  chapter?.refresh();
}

function lesson(core, { currentImage, currentModel }) {
  const el = {
    label: $('bp-label'), lr: $('bp-lr'), forward: $('bp-forward'), back: $('bp-back'), update: $('bp-update'),
    reset: $('bp-reset'), status: $('bp-status'), logits: $('bp-logits'), layers: $('bp-layers'), updates: $('bp-updates'),
    image: $('bp-image'), suggest: $('bp-suggest'),
    normsButton: $('bp-norms-run'), norms: $('bp-norms'), normsLegend: $('bp-norms-legend'), normsText: $('bp-norms-text'),
  };
  for (let d = 0; d < 10; d++) {
    const o = document.createElement('option');
    o.value = o.textContent = String(d);
    el.label.append(o);
  }
  let room = null; // the Classroom: a copy of the pad's network
  let modelChanged = true; // the pad's network changed since the copy was made
  let layers = [];
  let next = -1; // the next layer to reveal going backwards; -1 = not started, -2 = all shown
  let image = null;
  let lastLoss = null;
  let labelChosen = false;
  let settle = null;
  let norms = null;
  const code = new CodeView(el.logits, core, 'bp-code');
  code.show(null);
  /** Show reference function `name` at the end of `where`, the step it belongs to. */
  const showCode = (where, name, notes = [], intro = undefined) => {
    code.moveTo(where);
    code.show(name, notes, intro);
  };

  const say = (key, values, bad = false) => {
    setText(el.status, key, values);
    el.status.classList.toggle('bad', bad);
  };
  /** Space (presenter mode) presses the step that comes next. */
  const buttons = () => {
    el.back.disabled = !room || next < 0;
    el.update.disabled = !room || next !== -2;
    const nextStep = !el.update.disabled ? el.update : !el.back.disabled ? el.back : el.forward;
    for (const b of [el.forward, el.back, el.update]) b.toggleAttribute('data-presenter-play', b === nextStep);
  };

  /** A fresh copy of the pad's network when it has changed (training moves it). */
  function ensureRoom() {
    if (room && !modelChanged) return room;
    room?.free();
    room = core.Classroom.fromFile(currentModel());
    modelChanged = false;
    layers = room.layers().map((v) => ({ ...v, label: tm(v.label) }));
    layers.pop(); // the softmax row: the loss kernel folds it into ∂L/∂logits
    return room;
  }

  /** The digit the step is taken on, what the network reads, and the label it suggests. */
  function takeImage() {
    image = currentImage();
    if (!image) {
      paint(el.image, new Float32Array(784), 0, 28, 28, { name: 'viridis', lo: 0, hi: 1 });
      setText(el.suggest, 'bp.drawFirst');
      return false;
    }
    paint(el.image, image, 0, 28, 28, { name: 'viridis', lo: 0, hi: 1 });
    const s = ensureRoom().suggest(image);
    const p = s.probs;
    if (!labelChosen) el.label.value = String(s.suggested);
    const label = Number(el.label.value);
    setText(el.suggest, label === s.predicted ? 'bp.sameLabel' : 'bp.suggest', {
      predicted: s.predicted, p: sig(p[s.predicted], 3), label, q: sig(p[label], 3),
    });
    return true;
  }

  /** The pad changed: take its digit once it is still, unless a step is under way. */
  function imageChanged() {
    clearTimeout(settle);
    settle = setTimeout(() => {
      if (next === -1 && !el.layers.firstChild) takeImage();
      if (!norms) runNorms();
    }, SETTLE_MS);
  }

  function forward() {
    // A new step takes the pad's digit (and a fresh copy of its network); after an update the
    // same digit goes through the updated copy.
    if (lastLoss === null && !takeImage()) {
      say('bp.drawFirst', {}, true);
      return;
    }
    const label = Number(el.label.value);
    const r = room.forward(image, label);
    const probs = r.probs;
    const before = lastLoss;
    lastLoss = r.loss;
    const [b, a] = before === null ? [null, sig(lastLoss, 4)] : apart(before, lastLoss, 4);
    say(before === null ? 'bp.loss' : 'bp.lossAfter', { label, p: sig(probs[label], 4), loss: a, before: b });
    room.backward();
    next = layers.length - 1;
    el.layers.replaceChildren();
    showLogits(probs, label);
    buttons();
  }

  /** ∂L/∂logits = p − y, digit by digit: the error the backward pass starts from. */
  function showLogits(probs, label) {
    const g = Array.from(room.logitGrad());
    const table = document.createElement('table');
    table.className = 'bp-table logits';
    const cap = document.createElement('caption');
    cap.textContent = t('bp.logitsCaption', { label });
    const rows = [
      ['bp.rowDigit', (k) => String(k)],
      ['bp.rowProb', (k) => sig(probs[k], 3)],
      ['bp.rowOneHot', (k) => (k === label ? '1' : '0')],
      ['bp.rowLogitGrad', (k) => sig(g[k], 3)],
    ];
    for (const [key, cell] of rows) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = t(key);
      tr.append(th);
      for (let k = 0; k < 10; k++) {
        const td = document.createElement('td');
        td.textContent = cell(k);
        if (k === label) td.className = 'is-label';
        if (key === 'bp.rowLogitGrad') td.dataset.value = String(g[k]);
        tr.append(td);
      }
      table.append(tr);
    }
    table.append(cap);
    el.logits.replaceChildren(table);
    showCode(el.logits, 'softmax_cross_entropy');
  }

  function back() {
    if (next < 0) return;
    const l = layers[next];
    const row = layerRow(l, room.layerGradient(l.index));
    el.layers.append(row);
    showCode(row, l.backward);
    reveal(row);
    next -= 1;
    if (next < 0) {
      next = -2; // every layer shown: the update is next
      say('bp.allBack', { loss: sig(lastLoss, 4) });
    }
    buttons();
  }

  function layerRow(l, g) {
    const li = document.createElement('li');
    li.className = 'bp-layer';
    li.dataset.testid = `bp-layer-${l.index}`;
    const title = document.createElement('h3');
    title.textContent = t('bp.layerTitle', { index: l.index, label: l.label, shape: l.shape });
    const story = document.createElement('p');
    story.className = 'bp-story';
    story.dataset.testid = `bp-story-${l.index}`;
    setMessage(story, g.story);
    li.append(title, story, gradientMaps(g.outputGrad, l));
    if (g.weightGrad) {
      const w = g.weightGrad;
      const cap = document.createElement('p');
      cap.className = 'hint';
      cap.textContent = t(l.kind === 'conv' ? 'bp.kernelGrad' : 'bp.denseGrad', { name: l.weights, norm: sig(g.weightNorm, 4) });
      li.append(cap, l.kind === 'conv' ? kernels(w, l, g.inChannels, g.kernel) : matrix(w, l));
    }
    return li;
  }

  /** ∂L/∂(a layer's output) as maps (or a strip), on one colour scale with its key. */
  function gradientMaps(values, l) {
    const box = document.createElement('div');
    const cap = document.createElement('p');
    cap.className = 'hint';
    const scale = scaleFor(values);
    cap.append(t('bp.outputGrad'), ' ', legendFor(scale));
    const { wrap, canvases } = mapSet(l, {
      label: (c) => t(l.height ? 'bp.mapLabel' : 'bp.vectorLabel', { c, label: l.label }),
    });
    paintMaps(canvases, values, l, scale);
    box.append(cap, wrap);
    return box;
  }

  /** ∂L/∂kernel: one image per (output, input) channel pair, on one colour scale. */
  function kernels(g, l, cin, f) {
    // A column per kernel (output channel), a row per input channel.
    const wrap = document.createElement('div');
    wrap.className = 'kernels';
    wrap.dataset.testid = `bp-kernels-${l.index}`;
    wrap.style.setProperty('--cols', String(l.channels));
    const scale = scaleFor(g);
    for (let c = 0; c < cin; c++) {
      for (let o = 0; o < l.channels; o++) {
        const cv = document.createElement('canvas');
        cv.className = 'kernel';
        cv.title = t('bp.kernelLabel', { o, c });
        cv.setAttribute('role', 'img');
        cv.setAttribute('aria-label', cv.title);
        paint(cv, g, (o * cin + c) * f * f, f, f, scale);
        wrap.append(cv);
      }
    }
    return wrap;
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
      const [before, after] = apart(u.before, u.after, 4);
      const cells = [u.name, num(u.index), before, sig(u.grad, 4), after, sig(u.gradNorm, 4)];
      tr.dataset.before = String(u.before);
      tr.dataset.grad = String(u.grad);
      tr.dataset.after = String(u.after);
      for (const c of cells) {
        const td = document.createElement('td');
        td.textContent = c;
        tr.append(td);
      }
      table.append(tr);
    }
    const cap = document.createElement('caption');
    cap.textContent = t('bp.updateCaption', { lr: sig(lr, 3) });
    table.append(cap);
    el.updates.replaceChildren(table);
    el.updates.dataset.lr = String(lr);
    // The same digit through the updated weights: the loss the step was for.
    forward();
    // The rule the lesson applies, with the first row's numbers put in.
    const u = updates[0];
    const [before, after] = apart(u.before, u.after, 4);
    showCode(el.updates, 'update', [
      [/UpdateRule::Sgd \{ lr, weight_decay \}/, t('bp.code.sgd', { lr: sig(lr, 3) })],
      [/param\[i\] -= lr \* g;/, t('bp.code.step', { name: u.name, index: u.index, before, lr: sig(lr, 3), grad: sig(u.grad, 4), after })],
    ], 'bp.code.intro');
    reveal(el.updates);
  }

  function reset() {
    room?.free();
    room = null;
    next = -1;
    lastLoss = null;
    el.layers.replaceChildren();
    el.logits.replaceChildren();
    el.updates.replaceChildren();
    showCode(el.logits, null);
    say(null);
    buttons();
    takeImage();
  }

  /** Per-layer ‖∂L/∂W‖ of an 8-layer network with sigmoid against ReLU, on the current digit. */
  function runNorms() {
    const img = currentImage();
    if (!img) {
      setText(el.normsText, 'bp.drawFirst');
      return;
    }
    const label = Number(el.label.value);
    const sigm = Array.from(core.gradientNorms('sigmoid', 8, 32, img, label, 1));
    const relu = Array.from(core.gradientNorms('relu', 8, 32, img, label, 1));
    norms = { sigm, relu };
    drawNorms();
    el.norms.dataset.sigmoid = sigm.join(',');
    el.norms.dataset.relu = relu.join(',');
    setText(el.normsText, 'bp.normsText', {
      sig: sig(sigm[0] / sigm.at(-1), 2),
      relu: sig(relu[0] / relu.at(-1), 2),
    });
  }

  /** Grouped bars on a log scale: per dense layer, sigmoid (vermillion, hatched) and ReLU (blue). */
  function drawNorms() {
    if (!norms) return;
    const { sigm, relu } = norms;
    const g = prepare(el.norms, { height: Math.round(250 * textScale()) });
    const { ctx, fs, w, h } = g;
    const all = [...sigm, ...relu].filter((v) => v > 0);
    const lo = 10 ** Math.floor(Math.log10(Math.min(...all))), hi = 10 ** Math.ceil(Math.log10(Math.max(...all)));
    const n = sigm.length;
    const box = { left: 4.5 * fs, right: w - fs, top: 2 * fs, bottom: h - 3.4 * fs };
    const ax = axes(g, box, { lo: 0.5, hi: n + 0.5, label: t('bp.normsLayer'), ticks: sigm.map((_, i) => i + 1) }, { lo, hi, log: true, label: t('bp.normsAxis') });
    const bw = ((box.right - box.left) / n) * 0.36;
    const pattern = hatch(ctx, COLORS.vermillion);
    for (let i = 0; i < n; i++) {
      const x = ax.sx(i + 1);
      ctx.fillStyle = pattern;
      ctx.fillRect(x - bw - 1, ax.sy(sigm[i]), bw, box.bottom - ax.sy(sigm[i]));
      ctx.fillStyle = COLORS.blue;
      ctx.fillRect(x + 1, ax.sy(relu[i]), bw, box.bottom - ax.sy(relu[i]));
    }
    legend(el.normsLegend, [
      { label: t('bp.normsSigmoid'), color: COLORS.vermillion, kind: 'hatched' },
      { label: t('bp.normsRelu'), color: COLORS.blue, kind: 'box' },
    ]);
  }

  el.forward.addEventListener('click', forward);
  el.back.addEventListener('click', back);
  el.update.addEventListener('click', update);
  el.reset.addEventListener('click', reset);
  el.normsButton.addEventListener('click', runNorms);
  el.label.addEventListener('change', () => {
    labelChosen = true;
    if (next === -1 && !el.layers.firstChild) takeImage();
    else forward();
  });
  window.addEventListener('resize', drawNorms);
  buttons();
  takeImage();
  runNorms();
  return {
    imageChanged,
    modelChanged: () => (modelChanged = true),
    refresh: () => {
      if (next === -1 && !el.layers.firstChild) takeImage();
      drawNorms();
    },
  };
}
