// Chapter "optimizers": SGD, momentum and Adam racing on a 2-D loss surface (a narrow valley, a
// saddle). The surface is a banded viridis contour plot; the three paths are drawn up to the
// current step (Step / Play), each in its own colour and dash, with the positions and losses in
// a table. The sliders set η (all three), μ (momentum), β₁ and β₂ (Adam). Every point comes from
// the core (optimizerRace: the core's own update kernel on a 2-value tensor); the colours'
// values too (optimizerSurface). This module only draws.

import { applyStrings, explain, num, t } from '../i18n.js';
import { el } from './dom.js';
import { prepare, textScale, legend } from '../chart.js';
import { SCALES } from '../colormap.js';
import { fixed } from '../format.js';

/** How many steps the core computes; Play shows them one by one. */
const STEPS = 100;
/** Okabe–Ito colours, each path also with its own dash and marker. */
const SERIES = {
  sgd: { color: '#D55E00', dash: [], kind: 'line', marker: 'circle' },
  momentum: { color: '#0072B2', dash: [8, 4], kind: 'dashed', marker: 'square' },
  adam: { color: '#CC79A7', dash: [2, 3], kind: 'dotted', marker: 'triangle' },
};
const SLIDERS = [
  // [id, label key, state field, min, max, step]
  ['opt-lr', 'ch.optimizers.lr', 'lr', 0.01, 1, 0.01],
  ['opt-momentum', 'ch.optimizers.momentum', 'momentum', 0, 0.99, 0.01],
  ['opt-beta1', 'ch.optimizers.beta1', 'beta1', 0, 0.99, 0.01],
  ['opt-beta2', 'ch.optimizers.beta2', 'beta2', 0.9, 0.999, 0.001],
];
/** Colour bands of the contour plot. */
const BANDS = 14;

let state = null;

const f4 = (x) => fixed(x, 4);
/** The optimizer's name (momentum's own key: the slider's label is μ's). */
const nameKey = (o) => (o === 'momentum' ? 'ch.optimizers.momentumName' : `ch.optimizers.${o}`);

export function mount(body, core) {
  state = { core, body, surface: 'valley', lr: 0.1, momentum: 0.9, beta1: 0.9, beta2: 0.999, step: 0, race: null, grid: null, timer: null, error: null };
  body.append(el('p', { class: 'intro', 'data-i18n': 'ch.optimizers.intro' }));

  const controls = el('div', { class: 'opt-controls' });
  const surfLabel = el('label', { class: 'field' });
  surfLabel.append(el('span', { 'data-i18n': 'ch.optimizers.surface' }));
  const select = el('select', { 'data-testid': 'opt-surface' });
  for (const s of ['valley', 'saddle']) select.append(el('option', { value: s, 'data-i18n': `ch.optimizers.${s}` }));
  select.addEventListener('change', () => {
    state.surface = select.value;
    state.grid = null;
    state.step = 0;
    recompute();
  });
  surfLabel.append(select);
  controls.append(surfLabel);
  state.outputs = {};
  for (const [id, key, field, min, max, step] of SLIDERS) {
    const label = el('label', { class: 'opt-slider', for: id });
    label.append(el('span', { 'data-i18n': key }));
    const input = el('input', { type: 'range', id, min: String(min), max: String(max), step: String(step), 'data-testid': id });
    input.value = String(state[field]);
    const out = el('output', { for: id, 'data-testid': `${id}-value` });
    input.addEventListener('input', () => {
      state[field] = Number(input.value);
      recompute();
    });
    state.outputs[field] = out;
    label.append(input, out);
    controls.append(label);
  }
  const buttons = el('div', { class: 'buttons' });
  const stepBtn = el('button', { type: 'button', 'data-i18n': 'ch.optimizers.step', 'data-testid': 'opt-step' });
  const playBtn = el('button', { type: 'button', class: 'secondary', 'data-testid': 'opt-play', 'data-presenter-play': '' });
  const resetBtn = el('button', { type: 'button', class: 'secondary', 'data-i18n': 'ch.optimizers.reset', 'data-testid': 'opt-reset' });
  stepBtn.addEventListener('click', () => {
    stop();
    advance();
  });
  playBtn.addEventListener('click', () => (state.timer ? stop() : play()));
  resetBtn.addEventListener('click', () => {
    stop();
    state.step = 0;
    render();
  });
  buttons.append(stepBtn, playBtn, resetBtn);
  state.playBtn = playBtn;
  controls.append(buttons);
  body.append(controls);

  state.error = el('p', { class: 'opt-error', role: 'alert', 'data-testid': 'opt-error' });
  const figure = el('figure', { class: 'opt-figure' });
  state.canvas = el('canvas', { class: 'opt-canvas', 'data-testid': 'opt-canvas', role: 'img' });
  state.legend = el('ul', { 'data-testid': 'opt-legend' });
  state.caption = el('figcaption', { 'data-testid': 'opt-caption' });
  figure.append(state.canvas, state.legend, state.caption);
  state.status = el('p', { class: 'opt-status', role: 'status', 'data-testid': 'opt-status' });
  state.table = el('table', { class: 'opt-table', 'data-testid': 'opt-table' });
  const wrap = el('div', { class: 'table-wrap' });
  wrap.append(state.table);
  body.append(state.error, figure, state.status, wrap);

  const lab = el('p', { class: 'opt-lab' });
  lab.append(el('span', { 'data-i18n': 'ch.optimizers.lab' }), ' ', el('a', { href: '#lab', 'data-i18n': 'ch.optimizers.labLink', 'data-testid': 'opt-lab-link' }));
  body.append(lab);

  window.addEventListener('resize', () => state.race && draw());
  recompute();
  refresh();
}

/** Re-render every string and number (the page calls this when the language changes). */
export function refresh() {
  if (!state) return;
  applyStrings(state.body);
  render();
}

function stop() {
  clearInterval(state.timer);
  state.timer = null;
  render();
}

function play() {
  if (lastStep() === state.step) state.step = 0;
  state.timer = setInterval(() => {
    if (!advance()) stop();
  }, 120);
  render();
}

/** The last step any path reached (a path that diverged stops early). */
function lastStep() {
  return state.race ? Math.max(...state.race.paths.map((p) => p.points.length - 1)) : 0;
}

/** One step further; false at the end. */
function advance() {
  if (state.step >= lastStep()) return false;
  state.step += 1;
  render();
  return true;
}

function recompute() {
  const { core } = state;
  try {
    state.race = core.optimizerRace(state.surface, state.lr, state.momentum, state.beta1, state.beta2, STEPS);
    state.bad = null;
  } catch (e) {
    state.bad = e;
  }
  state.step = Math.min(state.step, lastStep());
  render();
}

function render() {
  const { race } = state;
  for (const [field, out] of Object.entries(state.outputs)) out.textContent = num(state[field], { maximumFractionDigits: 3 });
  state.playBtn.textContent = t(state.timer ? 'ch.optimizers.pause' : 'ch.optimizers.play');
  state.error.textContent = state.bad ? explain(state.bad) : '';
  if (!race) return;
  legend(
    state.legend,
    race.paths.map((p) => ({ label: t(nameKey(p.optimizer)), color: SERIES[p.optimizer].color, kind: SERIES[p.optimizer].kind })),
  );
  state.caption.textContent = t(`ch.optimizers.caption.${state.surface}`);
  state.canvas.setAttribute('aria-label', t(`ch.optimizers.caption.${state.surface}`));
  state.status.textContent = t('ch.optimizers.status', { step: state.step, steps: lastStep(), lr: num(state.lr, { maximumFractionDigits: 3 }) });
  state.status.dataset.step = String(state.step);

  const head = el('tr');
  for (const k of ['optimizer', 'x', 'y', 'loss']) head.append(el('th', { class: k === 'optimizer' ? '' : 'num' }, t(`ch.optimizers.col.${k}`)));
  const rows = race.paths.map((p) => {
    const i = Math.min(state.step, p.points.length - 1);
    const [x, y] = p.points[i];
    const tr = el('tr', { 'data-testid': `opt-row-${p.optimizer}` });
    const name = el('td');
    const key = el('span', { class: `key key-${SERIES[p.optimizer].kind}` });
    key.style.setProperty('--key', SERIES[p.optimizer].color);
    name.append(key, ' ', t(nameKey(p.optimizer)));
    if (i < state.step) name.append(' ', el('span', { class: 'opt-diverged' }, t('ch.optimizers.diverged', { step: i })));
    tr.append(
      name,
      el('td', { class: 'num', 'data-testid': `opt-x-${p.optimizer}` }, f4(x)),
      el('td', { class: 'num', 'data-testid': `opt-y-${p.optimizer}` }, f4(y)),
      el('td', { class: 'num', 'data-testid': `opt-loss-${p.optimizer}` }, f4(p.losses[i])),
    );
    return tr;
  });
  state.table.replaceChildren(head, ...rows);
  draw();
}

/** The contour plot (viridis in bands of equal loss) and the paths up to the current step. */
function draw() {
  const { race, canvas } = state;
  const [x0, x1, y0, y1] = race.view;
  const fs = Math.round(12.5 * textScale());
  const width = Math.max(200, canvas.clientWidth || 600);
  // x and y at one scale, the plot no taller than most of the window (presenter mode, a laptop).
  const plotW = Math.min(width - 4.5 * fs, ((0.7 * window.innerHeight - 3.5 * fs) * (x1 - x0)) / (y1 - y0));
  const height = Math.round((plotW * (y1 - y0)) / (x1 - x0) + 3.5 * fs);
  const g = prepare(canvas, { height });
  const { ctx } = g;
  const box = { left: 3.5 * fs, right: 3.5 * fs + plotW, top: fs, bottom: height - 2.5 * fs };
  const bw = box.right - box.left, bh = box.bottom - box.top;
  // One sample per CSS pixel (cached until the size or the surface changes): coarser cells show
  // the bands' edges as stairs, at a projector most of all.
  const cols = Math.max(40, Math.min(1000, Math.round(bw))), rows = Math.max(20, Math.round((cols * bh) / bw));
  if (!state.grid || state.grid.cols !== cols || state.grid.rows !== rows || state.grid.surface !== state.surface) {
    state.grid = { cols, rows, surface: state.surface, values: state.core.optimizerSurface(state.surface, cols, rows) };
  }
  const values = state.grid.values;
  let lo = Infinity, hi = -Infinity;
  for (const v of values) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  // Bands on a square-root scale: the valley's floor is where the paths are, give it the bands.
  const img = new ImageData(cols, rows);
  const lut = SCALES.viridis;
  for (let i = 0; i < values.length; i++) {
    const f = Math.sqrt((values[i] - lo) / (hi - lo || 1));
    const band = Math.min(BANDS - 1, Math.floor(f * BANDS)) / (BANDS - 1);
    const j = Math.round(band * 255) * 3;
    img.data.set([lut[j], lut[j + 1], lut[j + 2], 255], i * 4);
  }
  const tile = document.createElement('canvas');
  tile.width = cols;
  tile.height = rows;
  tile.getContext('2d').putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, box.left, box.top, bw, bh);

  const sx = (x) => box.left + ((x - x0) / (x1 - x0)) * bw;
  const sy = (y) => box.bottom - ((y - y0) / (y1 - y0)) * bh;
  ctx.fillStyle = '#333';
  ctx.strokeStyle = '#999';
  ctx.strokeRect(box.left, box.top, bw, bh);
  ctx.textAlign = 'center';
  for (let x = Math.ceil(x0); x <= x1; x++) ctx.fillText(fixed(x, 0), sx(x), box.bottom + 1.2 * fs);
  ctx.fillText('x', (box.left + box.right) / 2, box.bottom + 2.3 * fs);
  ctx.textAlign = 'right';
  for (let y = Math.ceil(y0); y <= y1; y++) ctx.fillText(fixed(y, 0), box.left - 0.4 * fs, sy(y) + 0.35 * fs);
  ctx.fillText('y', box.left - 2.2 * fs, (box.top + box.bottom) / 2);

  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top, bw, bh);
  ctx.clip();
  // Start: a white ring all three share.
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(sx(race.start[0]), sy(race.start[1]), 0.45 * fs, 0, 2 * Math.PI);
  ctx.stroke();
  for (const p of race.paths) {
    const s = SERIES[p.optimizer];
    const pts = p.points.slice(0, state.step + 1);
    // A white halo under each path keeps it readable on every band.
    for (const [color, w] of [['rgba(255,255,255,0.85)', 4.5], [s.color, 2.5]]) {
      ctx.strokeStyle = color;
      ctx.lineWidth = w;
      ctx.setLineDash(color === s.color ? s.dash : []);
      ctx.beginPath();
      pts.forEach(([x, y], i) => (i ? ctx.lineTo(sx(x), sy(y)) : ctx.moveTo(sx(x), sy(y))));
      ctx.stroke();
    }
    ctx.setLineDash([]);
    const [x, y] = pts[pts.length - 1];
    const r = 0.4 * fs;
    ctx.fillStyle = s.color;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    if (s.marker === 'square') ctx.rect(sx(x) - r, sy(y) - r, 2 * r, 2 * r);
    else if (s.marker === 'triangle') {
      ctx.moveTo(sx(x), sy(y) - 1.3 * r);
      ctx.lineTo(sx(x) + 1.2 * r, sy(y) + r);
      ctx.lineTo(sx(x) - 1.2 * r, sy(y) + r);
      ctx.closePath();
    } else ctx.arc(sx(x), sy(y), r, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
  canvas.dataset.step = String(state.step);
}
