// Chapter 2, activations: f(x) and f′(x) of sigmoid, tanh, ReLU and leaky ReLU over [−6, 6],
// with a marker at the learner's x, and where each one saturates (f′ < 0.1). Every value comes
// from the core (`activationValues`: the CPU backend's activation forward and backward kernels).

import { applyStrings, num, t } from '../i18n.js';
import { fixed } from '../format.js';
import { COLORS, axes, hatch, line, markers, prepare, textScale } from '../chart.js';

const ACTS = ['sigmoid', 'tanh', 'relu', 'leaky-relu'];
const LO = -6;
const HI = 6;
const SAMPLES = 241;
const SATURATED = 0.1;

let state = null;

const fmt = (x, digits = 3) => fixed(x, digits);

export function mount(body, core) {
  body.innerHTML = `
    <p class="intro" data-i18n="ch.activations.intro"></p>
    <div class="act-controls">
      <div class="field">
        <label for="act-fn" data-i18n="ch.activations.fn"></label>
        <select id="act-fn" data-testid="act-fn">
          ${ACTS.map((a) => `<option value="${a}" data-i18n="ch.activations.act.${a}"></option>`).join('')}
        </select>
      </div>
      <div class="field">
        <label for="act-x" data-i18n="ch.activations.x"></label>
        <input type="range" id="act-x" data-testid="act-x" min="${LO}" max="${HI}" step="0.1" value="1">
        <output for="act-x" data-testid="act-x-value"></output>
      </div>
      <div class="field">
        <label for="act-n" data-i18n="ch.activations.layers"></label>
        <input type="range" id="act-n" data-testid="act-n" min="1" max="20" step="1" value="5">
        <output for="act-n" data-testid="act-n-value"></output>
      </div>
    </div>
    <p class="act-readout" aria-live="polite">
      <strong data-testid="act-fx"></strong> · <strong data-testid="act-dfx"></strong> · <span data-testid="act-sat"></span>
    </p>
    <p class="act-chain" data-testid="act-chain"></p>
    <canvas class="act-plot chart" data-testid="act-plot" role="img"></canvas>
    <p class="act-legend">
      <span class="act-key-f" data-i18n="ch.activations.legendF"></span>
      <span class="act-key-d" data-i18n="ch.activations.legendD"></span>
      <span class="act-key-s" data-i18n="ch.activations.legendSat"></span>
    </p>
    <p class="act-note" data-testid="act-note"></p>`;
  const xs = Float32Array.from({ length: SAMPLES }, (_, i) => LO + ((HI - LO) * i) / (SAMPLES - 1));
  state = { body, core, xs, fn: body.querySelector('#act-fn'), x: body.querySelector('#act-x'), n: body.querySelector('#act-n') };
  for (const el of [state.fn, state.x, state.n]) el.addEventListener('input', render);
  state.fn.addEventListener('change', render);
  // The plot is drawn at its width and the page's text scale (presenter mode, a phone).
  window.addEventListener('resize', render);
  refresh();
}

export function refresh() {
  if (!state) return;
  applyStrings(state.body);
  render();
}

function values(act, xs) {
  const { ys, slopes } = state.core.activationValues(act, xs);
  return { ys, slopes };
}

function render() {
  const { body, xs, fn } = state;
  const act = fn.value;
  const x = Number(state.x.value);
  const n = Number(state.n.value);
  const curve = values(act, xs);
  const at = values(act, Float32Array.of(x));
  const [y, d] = [at.ys[0], at.slopes[0]];
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  q('act-x-value').textContent = fmt(x, 1);
  q('act-n-value').textContent = num(n);
  q('act-fx').textContent = t('ch.activations.fx', { x: fmt(x, 1), y: fmt(y) });
  q('act-dfx').textContent = t('ch.activations.dfx', { x: fmt(x, 1), d: fmt(d, 4) });
  const sat = q('act-sat');
  sat.textContent = d < SATURATED ? `⚠ ${t('ch.activations.saturated')}` : `✓ ${t('ch.activations.notSaturated')}`;
  sat.dataset.saturated = String(d < SATURATED);
  q('act-chain').textContent = t('ch.activations.chain', { n: num(n), p: num(d ** n, { maximumSignificantDigits: 3 }) });
  q('act-note').textContent = t(`ch.activations.note.${act}`);
  const canvas = q('act-plot');
  canvas.setAttribute('aria-label', t('ch.activations.plotLabel', { name: t(`ch.activations.act.${act}`), x: fmt(x, 1) }));
  plot(canvas, xs, curve, x, y, d);
}

/** Two panels sharing the x axis: f on top, f′ below; hatched where f′ < 0.1. */
function plot(canvas, xs, { ys, slopes }, x0, y0, d0) {
  const g = prepare(canvas, { height: Math.round(Math.max(300 * textScale(), Math.min(420 * textScale(), canvas.clientWidth * 0.62))) });
  const { ctx, fs, w, h } = g;
  const gap = 2.2 * fs;
  const panelH = (h - 1.8 * fs - gap - 2.4 * fs) / 2;
  const top = { left: 3.6 * fs, right: w - fs, top: 1.8 * fs, bottom: 1.8 * fs + panelH };
  const low = { ...top, top: top.bottom + gap, bottom: top.bottom + gap + panelH };
  const yMin = Math.min(0, ...ys), yMax = Math.max(1, ...ys);
  const x = { lo: LO, hi: HI };
  const pattern = hatch(ctx, '#bbbbbb');
  const panels = [
    { box: top, y: { lo: yMin - 0.1 * (yMax - yMin), hi: yMax + 0.1 * (yMax - yMin), label: 'f(x)' }, x: { ...x, format: () => '' }, vals: ys, color: COLORS.blue, dash: [] },
    { box: low, y: { lo: -0.1, hi: 1.15, label: 'f′(x)' }, x, vals: slopes, color: COLORS.vermillion, dash: [6, 4] },
  ];
  for (const p of panels) {
    // Saturated bands, hatched (a pattern, not only a colour), under the grid.
    const sx = (v) => p.box.left + ((v - LO) / (HI - LO)) * (p.box.right - p.box.left);
    let start = null;
    for (let i = 0; i <= xs.length; i++) {
      const sat = i < xs.length && slopes[i] < SATURATED;
      if (sat && start === null) start = i;
      if (!sat && start !== null) {
        const a = sx(xs[start]), b = sx(xs[Math.min(xs.length - 1, i - 1)]);
        ctx.fillStyle = pattern;
        ctx.fillRect(a, p.box.top, Math.max(2, b - a), p.box.bottom - p.box.top);
        start = null;
      }
    }
    p.ax = axes(g, p.box, p.x, p.y);
    line(g, p.ax, Array.from(xs, (v, i) => [v, p.vals[i]]), p.color, { width: 2.5, dash: p.dash });
  }
  // The threshold f′ = 0.1, dotted.
  const lowAx = panels[1].ax;
  line(g, lowAx, [[LO, SATURATED], [HI, SATURATED]], COLORS.grey, { width: 1, dash: [2, 3] });
  ctx.fillStyle = '#333';
  ctx.textAlign = 'right';
  ctx.fillText('0.1', low.right - 0.3 * fs, lowAx.sy(SATURATED) - 0.3 * fs);
  // The learner's x: a vertical line through both panels, a circle on f and a square on f′.
  line(g, { sx: panels[0].ax.sx, sy: (v) => v }, [[x0, top.top], [x0, low.bottom]], '#000', { width: 1 });
  markers(g, panels[0].ax, [[x0, y0]], COLORS.blue);
  markers(g, lowAx, [[x0, d0]], COLORS.vermillion, 'square');
}
