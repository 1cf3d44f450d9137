// Chapter 2, activations: f(x) and f′(x) of sigmoid, tanh, ReLU and leaky ReLU over [−6, 6],
// with a marker at the learner's x, and where each one saturates (f′ < 0.1). Every value comes
// from the core (`activationValues`: the CPU backend's activation forward and backward kernels).

import { applyStrings, num, t } from '../i18n.js';

const ACTS = ['sigmoid', 'tanh', 'relu', 'leaky-relu'];
const LO = -6;
const HI = 6;
const SAMPLES = 241;
const SATURATED = 0.1;
const BLUE = '#0072B2';
const VERMILLION = '#D55E00';

let state = null;

const fmt = (x, digits = 3) => num(x, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'negative' }).replace('-', '−');

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
    <canvas class="act-plot" data-testid="act-plot" role="img" width="640" height="380"></canvas>
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
  refresh();
}

export function refresh() {
  if (!state) return;
  applyStrings(state.body);
  render();
}

function values(act, xs) {
  const v = state.core.activationValues(act, xs);
  const out = { ys: v.ys, slopes: v.slopes };
  v.free();
  return out;
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
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height;
  const left = 48, right = W - 12, gap = 28;
  const panelH = (H - 20 - gap - 24) / 2;
  const top1 = 10, top2 = top1 + panelH + gap;
  ctx.clearRect(0, 0, W, H);
  ctx.font = '12px system-ui, sans-serif';
  const sx = (x) => left + ((x - LO) / (HI - LO)) * (right - left);
  const yMin = Math.min(0, ...ys), yMax = Math.max(1, ...ys);
  const panels = [
    { top: top1, lo: yMin - 0.1 * (yMax - yMin), hi: yMax + 0.1 * (yMax - yMin), vals: ys, color: BLUE, dash: [], label: 'f(x)' },
    { top: top2, lo: -0.1, hi: 1.15, vals: slopes, color: VERMILLION, dash: [6, 4], label: 'f′(x)' },
  ];
  // Saturated bands, hatched (a pattern, not only a colour).
  const hatch = document.createElement('canvas');
  hatch.width = hatch.height = 8;
  const hc = hatch.getContext('2d');
  hc.strokeStyle = '#999';
  hc.beginPath();
  hc.moveTo(0, 8);
  hc.lineTo(8, 0);
  hc.stroke();
  const pattern = ctx.createPattern(hatch, 'repeat');
  for (const p of panels) {
    const sy = (v) => p.top + panelH - ((v - p.lo) / (p.hi - p.lo)) * panelH;
    p.sy = sy;
    let start = null;
    for (let i = 0; i <= xs.length; i++) {
      const sat = i < xs.length && slopes[i] < SATURATED;
      if (sat && start === null) start = i;
      if (!sat && start !== null) {
        const a = sx(xs[start]);
        const b = sx(xs[Math.min(xs.length - 1, i - 1)]);
        ctx.fillStyle = pattern;
        ctx.fillRect(a, p.top, Math.max(2, b - a), panelH);
        start = null;
      }
    }
    // Axes: frame, y = 0 and x = 0.
    ctx.strokeStyle = '#bbb';
    ctx.lineWidth = 1;
    ctx.setLineDash([]);
    ctx.strokeRect(left, p.top, right - left, panelH);
    ctx.beginPath();
    ctx.moveTo(left, sy(0));
    ctx.lineTo(right, sy(0));
    ctx.moveTo(sx(0), p.top);
    ctx.lineTo(sx(0), p.top + panelH);
    ctx.stroke();
    ctx.fillStyle = '#333';
    ctx.textAlign = 'right';
    for (const v of niceTicks(p.lo, p.hi)) ctx.fillText(num(v), left - 4, sy(v) + 4);
    ctx.textAlign = 'left';
    ctx.fillText(p.label, left + 6, p.top + 14);
    // The curve.
    ctx.strokeStyle = p.color;
    ctx.lineWidth = 2.5;
    ctx.setLineDash(p.dash);
    ctx.beginPath();
    p.vals.forEach((v, i) => (i ? ctx.lineTo(sx(xs[i]), sy(v)) : ctx.moveTo(sx(xs[i]), sy(v))));
    ctx.stroke();
    ctx.setLineDash([]);
  }
  // The threshold f′ = 0.1, dotted.
  ctx.strokeStyle = '#666';
  ctx.setLineDash([2, 3]);
  ctx.beginPath();
  ctx.moveTo(left, panels[1].sy(SATURATED));
  ctx.lineTo(right, panels[1].sy(SATURATED));
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = '#333';
  ctx.textAlign = 'right';
  ctx.fillText('0.1', right - 4, panels[1].sy(SATURATED) - 4);
  // x ticks under the lower panel.
  ctx.textAlign = 'center';
  for (let v = LO; v <= HI; v += 2) ctx.fillText(num(v), sx(v), top2 + panelH + 16);
  // The learner's x: a vertical line, a circle on f and a square on f′.
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(sx(x0), top1);
  ctx.lineTo(sx(x0), top2 + panelH);
  ctx.stroke();
  ctx.fillStyle = BLUE;
  ctx.beginPath();
  ctx.arc(sx(x0), panels[0].sy(y0), 6, 0, 2 * Math.PI);
  ctx.fill();
  ctx.fillStyle = VERMILLION;
  ctx.fillRect(sx(x0) - 6, panels[1].sy(d0) - 6, 12, 12);
}

function niceTicks(lo, hi) {
  const span = hi - lo;
  const step = span > 6 ? 2 : span > 2.5 ? 1 : 0.5;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(Math.round(v * 100) / 100 || 0);
  return out;
}
