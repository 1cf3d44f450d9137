// Chapter "regression": the regression losses L2 (MSE), L1 and smooth L1 (PyTorch's
// SmoothL1Loss, β adjustable) with their gradients on one chart, and a line fitted to points with
// one outlier the learner drags (pointer, or the arrow keys on the focused plot), once per loss.
// Every number is the core's (`regressionCurves`, `regressionFit` → the CPU backend's regression
// loss kernels; the fit is gradient descent through them); this module only draws.

import { applyStrings, t } from '../i18n.js';
import { fixed } from '../format.js';
import { COLORS, axes, legend, line, markers, prepare, textScale } from '../chart.js';

/** The losses in the core's order, each with its colour, marker and (in the fit) dash. */
const LOSSES = [
  { id: 'mse', kind: 'mse', color: COLORS.blue, marker: 'circle', symbol: '●', dash: [], key: 'line' },
  { id: 'l1', kind: 'l1', color: COLORS.vermillion, marker: 'square', symbol: '■', dash: [9, 5], key: 'dashed' },
  { id: 'smooth', kind: 'smooth_l1', color: COLORS.green, marker: 'triangle', symbol: '▲', dash: [2, 4], key: 'dotted' },
];
/** The errors d the curves are drawn over, and the chart's vertical range (L2 leaves it). */
const D_RANGE = 3;
const SAMPLES = 121;
const Y_LO = -3;
const Y_HI = 4.5;
/** One arrow key moves the outlier this far (Shift: five times as far). */
const KEY_STEP = 0.1;

let state = null;

const f2 = (x) => fixed(x, 2);
const f3 = (x) => fixed(x, 3);

export function mount(body, core) {
  const setup = core.regressionSetup();
  const rows = (prefix, cells) =>
    LOSSES.map(({ id, symbol, color }) => `
        <tr data-testid="${prefix}-${id}">
          <th scope="row"><span class="reg-symbol" style="color:${color}" aria-hidden="true">${symbol}</span> <span data-i18n="ch.regression.${id}"></span></th>
          ${cells.map((c) => `<td><output data-testid="${prefix}-${id}-${c}"></output></td>`).join('')}
        </tr>`).join('');
  body.innerHTML = `
    <p class="intro" data-i18n="ch.regression.intro"></p>
    <h3 data-i18n="ch.regression.curvesHeading"></h3>
    <p class="intro" data-i18n="ch.regression.curvesIntro"></p>
    <div class="reg-controls">
      <div class="field">
        <label for="reg-beta" data-i18n="ch.regression.beta"></label>
        <input type="range" id="reg-beta" data-testid="reg-beta" min="0.1" max="3" step="0.1" value="${setup.default_beta}">
        <output for="reg-beta" data-testid="reg-beta-value"></output>
      </div>
      <div class="field">
        <label for="reg-d" data-i18n="ch.regression.d"></label>
        <input type="range" id="reg-d" data-testid="reg-d" min="${-D_RANGE}" max="${D_RANGE}" step="0.1" value="2">
        <output for="reg-d" data-testid="reg-d-value"></output>
      </div>
    </div>
    <canvas class="reg-curves chart" data-testid="reg-curves" role="img"></canvas>
    <ul class="reg-curves-legend"></ul>
    <div class="table-wrap">
      <table class="reg-table" data-testid="reg-at">
        <thead><tr>
          <th scope="col" data-i18n="ch.regression.colLoss"></th>
          <th scope="col" class="reg-at-value"></th>
          <th scope="col" class="reg-at-slope"></th>
        </tr></thead>
        <tbody>${rows('reg-at', ['value', 'slope'])}</tbody>
      </table>
    </div>
    <h3 data-i18n="ch.regression.fitHeading"></h3>
    <p class="intro reg-fit-intro"></p>
    <canvas class="reg-fit chart" data-testid="reg-fit" tabindex="0" data-arrow-keys="" role="application"></canvas>
    <ul class="reg-fit-legend"></ul>
    <p class="reg-outlier" aria-live="polite"><strong data-testid="reg-outlier"></strong></p>
    <div class="table-wrap">
      <table class="reg-table" data-testid="reg-fits">
        <thead><tr>
          <th scope="col" data-i18n="ch.regression.colLoss"></th>
          <th scope="col" data-i18n="ch.regression.colSlope"></th>
          <th scope="col" data-i18n="ch.regression.colIntercept"></th>
          <th scope="col" data-i18n="ch.regression.colValue"></th>
        </tr></thead>
        <tbody>${rows('reg-fit', ['w', 'b', 'value'])}</tbody>
      </table>
    </div>
    <p class="intro" data-i18n="ch.regression.why"></p>`;
  const q = (sel) => body.querySelector(sel);
  state = {
    body, core, setup,
    beta: q('#reg-beta'), d: q('#reg-d'),
    curves: q('[data-testid="reg-curves"]'), fit: q('[data-testid="reg-fit"]'),
    outlier: [...setup.outlier_start],
    result: null, frame: 0, dragging: false,
  };
  state.beta.addEventListener('input', () => {
    renderCurves();
    renderFit();
  });
  state.d.addEventListener('input', renderCurves);
  listenToOutlier(state.fit);
  // The plots are drawn at their width and the page's text scale (presenter mode, a phone).
  window.addEventListener('resize', () => {
    renderCurves();
    drawFit();
  });
  refresh();
}

export function refresh() {
  if (!state) return;
  const { body, setup } = state;
  applyStrings(body);
  body.querySelector('.reg-fit-intro').textContent = t('ch.regression.fitIntro', { steps: setup.steps, rate: fixed(setup.learning_rate, 1) });
  const name = (id) => t(`ch.regression.${id}`);
  legend(body.querySelector('.reg-curves-legend'), [
    ...LOSSES.map(({ id, color, symbol }) => ({ label: `${symbol} ${name(id)}`, color, kind: 'line' })),
    { label: t('ch.regression.solidIsLoss'), color: COLORS.grey, kind: 'line' },
    { label: t('ch.regression.dashedIsSlope'), color: COLORS.grey, kind: 'dashed' },
  ]);
  legend(body.querySelector('.reg-fit-legend'), [
    ...LOSSES.map(({ id, color, key }) => ({ label: name(id), color, kind: key })),
    { label: t('ch.regression.outlierKey'), color: COLORS.orange, kind: 'dot' },
  ]);
  renderCurves();
  renderFit();
}

function beta() {
  return Number(state.beta.value);
}

/** The three losses and their gradients over d ∈ [−3, 3], and their values at the chosen d. */
function renderCurves() {
  const { body, core, curves: canvas } = state;
  const b = beta(), d = Number(state.d.value);
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  q('reg-beta-value').textContent = f2(b);
  q('reg-d-value').textContent = f2(d);
  body.querySelector('.reg-at-value').textContent = t('ch.regression.colValueAt', { d: f2(d) });
  body.querySelector('.reg-at-slope').textContent = t('ch.regression.colSlopeAt', { d: f2(d) });
  const at = core.regressionCurves(b, Float32Array.of(d));
  LOSSES.forEach(({ id }, i) => {
    for (const [cell, v] of [['value', at[i].values[0]], ['slope', at[i].slopes[0]]]) {
      const out = q(`reg-at-${id}-${cell}`);
      out.textContent = f3(v);
      out.dataset.value = String(v);
    }
  });
  const ds = Array.from({ length: SAMPLES }, (_, i) => -D_RANGE + (2 * D_RANGE * i) / (SAMPLES - 1));
  const curves = core.regressionCurves(b, Float32Array.from(ds));
  canvas.dataset.beta = String(b);
  canvas.setAttribute('aria-label', t('ch.regression.curvesPlot', { beta: f2(b) }));
  const g = prepare(canvas, { height: Math.round(Math.max(240 * textScale(), Math.min(340 * textScale(), canvas.clientWidth * 0.5))) });
  const { ctx, fs, w, h } = g;
  const box = { left: 3 * fs, right: w - fs, top: 1.8 * fs, bottom: h - 3.2 * fs };
  const ax = axes(g, box, { lo: -D_RANGE, hi: D_RANGE, label: t('ch.regression.dAxis') }, { lo: Y_LO, hi: Y_HI, label: 'ℓ(d), ℓ′(d)' });
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top, box.right - box.left, box.bottom - box.top);
  ctx.clip();
  line(g, ax, [[-D_RANGE, 0], [D_RANGE, 0]], COLORS.grey, { width: 1 });
  // Where β switches smooth L1 from L2 to L1: thin marks at ±β.
  for (const s of [-b, b]) line(g, ax, [[s, Y_LO], [s, Y_HI]], COLORS.green, { width: 1, dash: [1, 3] });
  line(g, ax, [[d, Y_LO], [d, Y_HI]], COLORS.grey, { width: 1.5, dash: [4, 3] });
  LOSSES.forEach(({ color, marker }, i) => {
    const { values, slopes } = curves[i];
    line(g, ax, ds.map((x, j) => [x, values[j]]), color, { width: 2.5 });
    line(g, ax, ds.map((x, j) => [x, slopes[j]]), color, { width: 2, dash: [7, 4] });
    // Each loss's marker shape on both of its curves, a few per curve, offset between the losses.
    const every = 20, offset = Math.round((i * every) / LOSSES.length) + 3;
    const pts = [];
    for (let j = offset; j < SAMPLES; j += every) pts.push([ds[j], values[j]], [ds[j], slopes[j]]);
    markers(g, ax, pts.filter(([, y]) => y > Y_LO && y < Y_HI), color, marker);
  });
  ctx.restore();
}

/** The fits for the outlier where it is now, then the scatter plot. */
function renderFit() {
  const { body, core } = state;
  const [ox, oy] = state.outlier;
  state.result = core.regressionFit(ox, oy, beta());
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  const o = q('reg-outlier');
  o.textContent = t('ch.regression.outlierAt', { x: f2(ox), y: f2(oy) });
  state.fit.dataset.outlierX = String(ox);
  state.fit.dataset.outlierY = String(oy);
  LOSSES.forEach(({ id }, i) => {
    const fit = state.result.fits[i];
    const row = q(`reg-fit-${id}`);
    row.dataset.w = String(fit.w);
    row.dataset.b = String(fit.b);
    q(`reg-fit-${id}-w`).textContent = f3(fit.w);
    q(`reg-fit-${id}-b`).textContent = f3(fit.b);
    q(`reg-fit-${id}-value`).textContent = f3(fit.value);
  });
  const [mse, l1, smooth] = state.result.fits;
  state.fit.setAttribute('aria-label', t('ch.regression.fitPlot', {
    x: f2(ox), y: f2(oy), mw: f2(mse.w), mb: f2(mse.b), lw: f2(l1.w), lb: f2(l1.b), sw: f2(smooth.w), sb: f2(smooth.b),
  }));
  drawFit();
}

function drawFit() {
  const { fit: canvas, setup, result } = state;
  if (!result) return;
  const [xlo, xhi] = setup.x_range, [ylo, yhi] = setup.y_range;
  const g = prepare(canvas, { height: Math.round(Math.max(260 * textScale(), Math.min(400 * textScale(), canvas.clientWidth * 0.6))) });
  const { ctx, fs, w, h } = g;
  const box = { left: 3 * fs, right: w - fs, top: 1.8 * fs, bottom: h - 3.2 * fs };
  state.box = box;
  const ax = axes(g, box, { lo: xlo, hi: xhi, label: 'x' }, { lo: ylo, hi: yhi, label: 'y' });
  state.ax = ax;
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top, box.right - box.left, box.bottom - box.top);
  ctx.clip();
  LOSSES.forEach(({ color, dash }, i) => {
    const { w: slope, b } = result.fits[i];
    line(g, ax, [[xlo, slope * xlo + b], [xhi, slope * xhi + b]], color, { width: 3, dash });
  });
  ctx.restore();
  const points = result.points.slice(0, -1);
  markers(g, ax, points, '#333');
  // The outlier: larger, orange with a dark ring (and a focus ring when the plot has the keys).
  const [ox, oy] = result.points.at(-1);
  const [px, py] = [ax.sx(ox), ax.sy(oy)];
  ctx.save();
  ctx.fillStyle = COLORS.orange;
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(px, py, 0.6 * fs, 0, 2 * Math.PI);
  ctx.fill();
  ctx.stroke();
  if (document.activeElement === canvas) {
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.arc(px, py, 1.1 * fs, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
}

/** Moves the outlier to (x, y), kept inside the plot, and refits (at most once a frame). */
function moveOutlier(x, y) {
  const [xlo, xhi] = state.setup.x_range, [ylo, yhi] = state.setup.y_range;
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, Math.round(v * 100) / 100));
  state.outlier = [clamp(x, xlo, xhi), clamp(y, ylo, yhi)];
  if (!state.frame) {
    state.frame = requestAnimationFrame(() => {
      state.frame = 0;
      renderFit();
    });
  }
}

/** Pointer: press on the plot to move the outlier there and drag it; keys: arrows move it. */
function listenToOutlier(canvas) {
  const toData = (e) => {
    const r = canvas.getBoundingClientRect();
    const { box } = state;
    const [xlo, xhi] = state.setup.x_range, [ylo, yhi] = state.setup.y_range;
    const fx = (e.clientX - r.left - box.left) / (box.right - box.left);
    const fy = (e.clientY - r.top - box.top) / (box.bottom - box.top);
    return [xlo + fx * (xhi - xlo), yhi - fy * (yhi - ylo)];
  };
  canvas.addEventListener('pointerdown', (e) => {
    if (!state.box) return;
    state.dragging = true;
    canvas.setPointerCapture(e.pointerId);
    canvas.focus({ preventScroll: true });
    moveOutlier(...toData(e));
  });
  canvas.addEventListener('pointermove', (e) => {
    if (state.dragging) moveOutlier(...toData(e));
  });
  const stop = () => (state.dragging = false);
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);
  canvas.addEventListener('keydown', (e) => {
    const step = e.shiftKey ? 5 * KEY_STEP : KEY_STEP;
    const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[e.key];
    if (!move) return;
    e.preventDefault();
    moveOutlier(state.outlier[0] + move[0], state.outlier[1] + move[1]);
  });
  canvas.addEventListener('focus', drawFit);
  canvas.addEventListener('blur', drawFit);
}
