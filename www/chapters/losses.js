// Chapter 4, losses: the mean squared error of a prediction the learner drags against a target,
// with its gradient as the slope of the parabola; and softmax + cross-entropy of four logits the
// learner sets, with the probabilities as bars, the loss −log p_true and the gradient p − onehot.
// The numbers are the core's (`mseLoss` → `Cpu::mse`, `softmaxCrossEntropy` →
// `Cpu::softmax_cross_entropy`, the kernels training uses).

import { applyStrings, num, t } from '../i18n.js';

const K = 4;
const LOGITS0 = [2.0, 1.0, 0.1, -1.0];
const TRUE0 = 1;
const RANGE = 3;
const BLUE = '#0072B2';
const VERMILLION = '#D55E00';
const GREEN = '#009E73';

let state = null;

const fmt = (x, digits = 2) => num(x, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'negative' }).replace('-', '−');

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
    <canvas class="mse-plot" data-testid="mse-plot" role="img" width="560" height="220"></canvas>
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
  m.free();
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
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height;
  const left = 44, right = W - 12, top = 10, bottom = H - 26;
  const n = 121;
  const xs = Array.from({ length: n }, (_, i) => -RANGE + (2 * RANGE * i) / (n - 1));
  const ls = xs.map((x) => {
    const m = core.mseLoss(Float32Array.of(x), Float32Array.of(y));
    const l = m.loss;
    m.free();
    return l;
  });
  const hi = Math.max(1, ...ls) * 1.05;
  const sx = (x) => left + ((x + RANGE) / (2 * RANGE)) * (right - left);
  const sy = (l) => bottom - (l / hi) * (bottom - top);
  ctx.clearRect(0, 0, W, H);
  ctx.font = '12px system-ui, sans-serif';
  ctx.strokeStyle = '#bbb';
  ctx.lineWidth = 1;
  ctx.strokeRect(left, top, right - left, bottom - top);
  ctx.fillStyle = '#333';
  ctx.textAlign = 'center';
  for (let v = -RANGE; v <= RANGE; v++) ctx.fillText(num(v), sx(v), bottom + 16);
  ctx.textAlign = 'right';
  const step = hi > 20 ? 10 : hi > 8 ? 4 : hi > 3 ? 1 : 0.5;
  for (let v = 0; v <= hi; v += step) ctx.fillText(num(v), left - 4, sy(v) + 4);
  ctx.textAlign = 'left';
  ctx.fillText('L(ŷ)', left + 6, top + 14);
  ctx.textAlign = 'right';
  ctx.fillText('ŷ', right - 4, bottom - 6);
  // The target: a green vertical line with a triangle at the minimum.
  ctx.strokeStyle = GREEN;
  ctx.setLineDash([2, 3]);
  ctx.beginPath();
  ctx.moveTo(sx(y), top);
  ctx.lineTo(sx(y), bottom);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = GREEN;
  ctx.beginPath();
  ctx.moveTo(sx(y), bottom - 10);
  ctx.lineTo(sx(y) - 7, bottom + 2);
  ctx.lineTo(sx(y) + 7, bottom + 2);
  ctx.fill();
  // The parabola.
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, right - left, bottom - top);
  ctx.clip();
  ctx.strokeStyle = BLUE;
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  xs.forEach((x, i) => (i ? ctx.lineTo(sx(x), sy(ls[i])) : ctx.moveTo(sx(x), sy(ls[i]))));
  ctx.stroke();
  // The tangent at ŷ: slope = the gradient.
  ctx.strokeStyle = VERMILLION;
  ctx.lineWidth = 2;
  ctx.setLineDash([6, 4]);
  const d = 1.2;
  ctx.beginPath();
  ctx.moveTo(sx(p - d), sy(loss - grad * d));
  ctx.lineTo(sx(p + d), sy(loss + grad * d));
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.restore();
  ctx.fillStyle = VERMILLION;
  ctx.beginPath();
  ctx.arc(sx(p), sy(loss), 6, 0, 2 * Math.PI);
  ctx.fill();
}

function renderCe() {
  const { body, core } = state;
  const z = state.logits.map((s) => Number(s.value));
  const truth = Number(state.trueClass.value);
  const ce = core.softmaxCrossEntropy(Float32Array.from(z), truth);
  const { probs, loss, grad, predicted } = ce;
  ce.free();
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
