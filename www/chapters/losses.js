// Chapter 4, losses: the mean squared error of a prediction the learner drags against a target,
// with its gradient as the slope of the parabola; and softmax + cross-entropy of four logits the
// learner sets, with the probabilities as bars, the loss −log p_true and the gradient p − onehot.
// The numbers are the core's (`mseLoss` → `Cpu::regression_loss_forward`, `softmaxCrossEntropy` →
// `Cpu::softmax_cross_entropy`, the kernels training uses).

import { applyStrings, t } from '../i18n.js';
import { fixed } from '../format.js';
import { COLORS, axes, line, markers, prepare, textScale } from '../chart.js';

const K = 4;
const LOGITS0 = [2.0, 1.0, 0.1, -1.0];
const TRUE0 = 1;
const RANGE = 3;

let state = null;

const fmt = (x, digits = 2) => fixed(x, digits);

export function mount(body, core) {
  const rows = Array.from({ length: K }, (_, k) => `
        <tr data-testid="ce-row-${k}">
          <th scope="row"><span class="ce-name"></span> <span class="ce-true" data-testid="ce-true-${k}"></span></th>
          <td class="ce-logit">
            <label class="ce-zlabel" for="ce-z${k}"></label>
            <input type="range" id="ce-z${k}" data-testid="ce-z${k}" min="-5" max="5" step="0.1" value="${LOGITS0[k]}">
            <output for="ce-z${k}" data-testid="ce-z${k}-value"></output>
          </td>
          <td><div class="ce-prob"><div class="ce-bar"><div class="ce-fill"></div></div><output data-testid="ce-p${k}"></output></div></td>
          <td class="ce-grad"><output data-testid="ce-g${k}"></output></td>
        </tr>`).join('');
  body.innerHTML = `
    <p class="intro" data-i18n="ch.losses.intro"></p>
    <h3 data-i18n="ch.losses.mseHeading"></h3>
    <p class="intro" data-i18n="ch.losses.mseIntro"></p>
    <div class="mse-controls">
      <div class="field">
        <label for="mse-pred" data-i18n="ch.losses.pred"></label>
        <input type="range" id="mse-pred" data-testid="mse-pred" min="${-RANGE}" max="${RANGE}" step="0.05" value="0.5">
        <output for="mse-pred" data-testid="mse-pred-value"></output>
      </div>
      <div class="field">
        <label for="mse-target" data-i18n="ch.losses.target"></label>
        <input type="range" id="mse-target" data-testid="mse-target" min="${-RANGE}" max="${RANGE}" step="0.05" value="2">
        <output for="mse-target" data-testid="mse-target-value"></output>
      </div>
    </div>
    <p class="mse-readout" aria-live="polite"><strong data-testid="mse-loss"></strong> · <strong data-testid="mse-grad"></strong></p>
    <canvas class="mse-plot chart" data-testid="mse-plot" role="img"></canvas>
    <h3 data-i18n="ch.losses.ceHeading"></h3>
    <p class="intro" data-i18n="ch.losses.ceIntro"></p>
    <div class="field">
      <label for="ce-true" data-i18n="ch.losses.trueClass"></label>
      <select id="ce-true" data-testid="ce-true">
        ${Array.from({ length: K }, (_, k) => `<option value="${k}"${k === TRUE0 ? ' selected' : ''}></option>`).join('')}
      </select>
    </div>
    <div class="table-wrap">
      <table class="ce-table">
        <thead><tr>
          <th scope="col" data-i18n="ch.losses.colClass"></th><th scope="col" data-i18n="ch.losses.colLogit"></th>
          <th scope="col" data-i18n="ch.losses.colProb"></th><th scope="col" data-i18n="ch.losses.colGrad"></th>
        </tr></thead>
        <tbody>${rows}</tbody>
      </table>
    </div>
    <p class="ce-readout" aria-live="polite"><strong data-testid="ce-loss"></strong> · <span data-testid="ce-sum"></span></p>
    <p data-testid="ce-predicted"></p>`;
  const q = (sel) => body.querySelector(sel);
  state = {
    body, core,
    pred: q('#mse-pred'), target: q('#mse-target'), trueClass: q('#ce-true'),
    logits: Array.from({ length: K }, (_, k) => q(`#ce-z${k}`)),
  };
  for (const el of [state.pred, state.target]) el.addEventListener('input', renderMse);
  for (const el of state.logits) el.addEventListener('input', renderCe);
  state.trueClass.addEventListener('change', renderCe);
  // The plot is drawn at its width and the page's text scale (presenter mode, a phone).
  window.addEventListener('resize', renderMse);
  refresh();
}

export function refresh() {
  if (!state) return;
  const { body } = state;
  applyStrings(body);
  state.trueClass.querySelectorAll('option').forEach((o, k) => (o.textContent = t('ch.losses.class', { k })));
  for (let k = 0; k < K; k++) {
    body.querySelector(`[data-testid="ce-row-${k}"] .ce-name`).textContent = t('ch.losses.class', { k });
    body.querySelector(`label[for="ce-z${k}"]`).textContent = t('ch.losses.logit', { k });
  }
  renderMse();
  renderCe();
}

function renderMse() {
  const { body, core } = state;
  const p = Number(state.pred.value);
  const y = Number(state.target.value);
  const m = core.mseLoss(Float32Array.of(p), Float32Array.of(y));
  const [loss, grad] = [m.loss, m.grad[0]];
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  q('mse-pred-value').textContent = fmt(p);
  q('mse-target-value').textContent = fmt(y);
  q('mse-loss').textContent = t('ch.losses.mseLoss', { p: fmt(p), y: fmt(y), l: fmt(loss, 3) });
  q('mse-grad').textContent = t('ch.losses.mseGrad', { g: fmt(grad, 3) });
  const canvas = q('mse-plot');
  canvas.setAttribute('aria-label', t('ch.losses.msePlot', { y: fmt(y), p: fmt(p), g: fmt(grad, 3) }));
  plotMse(canvas, p, y, loss, grad);
}

/** L(ŷ) over [−3, 3] from the core, the current point (circle) and its tangent (dashed). */
function plotMse(canvas, p, y, loss, grad) {
  const { core } = state;
  const n = 121;
  const xs = Array.from({ length: n }, (_, i) => -RANGE + (2 * RANGE * i) / (n - 1));
  const ls = xs.map((x) => core.mseLoss(Float32Array.of(x), Float32Array.of(y)).loss);
  const g = prepare(canvas, { height: Math.round(Math.max(220 * textScale(), Math.min(300 * textScale(), canvas.clientWidth * 0.4))) });
  const { ctx, fs, w, h } = g;
  const box = { left: 3.4 * fs, right: w - fs, top: 1.8 * fs, bottom: h - 3.2 * fs };
  const hi = Math.max(1, ...ls) * 1.05;
  const ax = axes(g, box, { lo: -RANGE, hi: RANGE, label: 'ŷ' }, { lo: 0, hi, label: 'L(ŷ)' });
  // The target: a green dotted line with a triangle at the minimum.
  line(g, ax, [[y, 0], [y, hi]], COLORS.green, { width: 1.5, dash: [2, 3] });
  ctx.fillStyle = COLORS.green;
  ctx.beginPath();
  ctx.moveTo(ax.sx(y), box.bottom - 0.8 * fs);
  ctx.lineTo(ax.sx(y) - 0.55 * fs, box.bottom);
  ctx.lineTo(ax.sx(y) + 0.55 * fs, box.bottom);
  ctx.fill();
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top, box.right - box.left, box.bottom - box.top);
  ctx.clip();
  line(g, ax, xs.map((x, i) => [x, ls[i]]), COLORS.blue, { width: 2.5 });
  // The tangent at ŷ: its slope is the gradient.
  const d = 1.2;
  line(g, ax, [[p - d, loss - grad * d], [p + d, loss + grad * d]], COLORS.vermillion, { dash: [6, 4] });
  ctx.restore();
  markers(g, ax, [[p, loss]], COLORS.vermillion);
}

function renderCe() {
  const { body, core } = state;
  const z = state.logits.map((s) => Number(s.value));
  const truth = Number(state.trueClass.value);
  const ce = core.softmaxCrossEntropy(Float32Array.from(z), truth);
  const { probs, loss, grad, predicted } = ce;
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  for (let k = 0; k < K; k++) {
    q(`ce-z${k}-value`).textContent = fmt(z[k], 1);
    q(`ce-p${k}`).textContent = fmt(probs[k], 3);
    q(`ce-g${k}`).textContent = fmt(grad[k], 3);
    q(`ce-true-${k}`).textContent = k === truth ? t('ch.losses.isTrue') : '';
    const row = q(`ce-row-${k}`);
    row.classList.toggle('is-true', k === truth);
    const fill = row.querySelector('.ce-fill');
    fill.style.width = `${(100 * probs[k]).toFixed(1)}%`;
  }
  q('ce-loss').textContent = t('ch.losses.ceLoss', { k: truth, p: fmt(probs[truth], 3), l: fmt(loss, 3) });
  q('ce-sum').textContent = t('ch.losses.ceSum', { s: fmt(grad.reduce((a, b) => a + b, 0), 3) });
  q('ce-predicted').textContent = t('ch.losses.cePredicted', { k: predicted, verdict: t(predicted === truth ? 'ch.losses.right' : 'ch.losses.wrong') });
}
