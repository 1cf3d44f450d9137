// The page's one way to draw a chart: on a canvas, at the screen's pixel density and at the page's
// text scale (presenter mode enlarges the root font; chart text follows it), with linear or log
// axes whose tick labels are plain numbers that fit their margin. Legends are HTML beside the
// canvas (see `legend`), never drawn over the data. Each chapter gives its data; this draws it.

import { num } from './i18n.js';

/** The page's text scale: 1 normally, 1.375 in presenter mode (the root font size / 16 px). */
export function textScale() {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1;
}

/** Okabe–Ito colours: told apart by every kind of colour vision. */
export const COLORS = { blue: '#0072B2', vermillion: '#D55E00', green: '#009E73', orange: '#E69F00', grey: '#666666' };
/** Okabe–Ito's colour-blind-safe series, for things told apart by colour alone (batches, workers). */
export const SERIES = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#666666'];

/**
 * Size `canvas` to its CSS box (`height` CSS px when given, else its CSS height) at the device's
 * pixel ratio, and return a 2-D context drawing in CSS pixels with `fs`, the text size.
 */
export function prepare(canvas, { height } = {}) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(200, canvas.clientWidth || Number(canvas.getAttribute('width')) || 600);
  const h = height ?? Math.max(120, canvas.clientHeight || Number(canvas.getAttribute('height')) || 240);
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  if (height !== undefined) canvas.style.height = `${h}px`;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const fs = Math.round(12.5 * textScale());
  ctx.font = `${fs}px system-ui, sans-serif`;
  ctx.textBaseline = 'alphabetic';
  canvas.dataset.fontPx = String(fs);
  return { ctx, w, h, fs };
}

/** A tick label: plain decimals (never E-notation), as few digits as the step needs. */
export function tickLabel(v, step) {
  if (v === 0) return '0';
  const digits = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  if (Math.abs(v) >= 1e4) return superscriptPower(v) ?? num(v, { maximumFractionDigits: 0 });
  return num(v, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** 10⁴, 10⁵…: powers of ten as a log axis writes them; null for other numbers. */
function superscriptPower(v) {
  const e = Math.log10(Math.abs(v));
  if (Math.abs(e - Math.round(e)) > 1e-9) return null;
  const sup = String(Math.round(e)).replace(/[-0-9]/g, (c) => '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'['-0123456789'.indexOf(c)]);
  return `${v < 0 ? '−' : ''}10${sup}`;
}

/** About `count` round ticks from lo to hi (steps of 1, 2 or 5 × 10ⁿ). */
export function linearTicks(lo, hi, count = 5) {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return { ticks: out, step };
}

/** Ticks of a log axis: every power of ten, with 2 and 5 between them when there are few. */
export function logTicks(lo, hi) {
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
  const mult = b - a <= 2 ? [1, 2, 5] : [1];
  const out = [];
  for (let e = a; e <= b; e++) for (const m of mult) {
    const v = m * 10 ** e;
    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
  }
  return out;
}

/**
 * Axes in a box of the canvas: `x` and `y` are { lo, hi, log?, label?, format?, ticks? } (format(v,
 * step) writes a tick label, plain decimals by default; `ticks` fixes the x ticks). Draws the frame, the
 * grid and the tick labels, and returns the mapping from data to canvas coordinates.
 */
export function axes({ ctx, fs }, box, x, y) {
  const map = (a, from, to) => (v) => {
    const f = a.log ? (Math.log10(Math.max(v, a.lo)) - Math.log10(a.lo)) / (Math.log10(a.hi) - Math.log10(a.lo)) : (v - a.lo) / (a.hi - a.lo || 1);
    return from + f * (to - from);
  };
  const sx = map(x, box.left, box.right), sy = map(y, box.bottom, box.top);
  ctx.save();
  ctx.strokeStyle = '#e4e4e4';
  ctx.lineWidth = 1;
  ctx.fillStyle = '#333';
  const fy = y.format ?? tickLabel, fx = x.format ?? tickLabel;
  const yTicks = y.log
    ? logTicks(y.lo, y.hi).map((v) => [v, fy(v, v)])
    : ((t) => t.ticks.map((v) => [v, fy(v, t.step)]))(linearTicks(y.lo, y.hi, Math.max(2, Math.floor((box.bottom - box.top) / (2.4 * fs)))));
  ctx.textAlign = 'right';
  for (const [v, label] of yTicks) {
    const py = sy(v);
    ctx.beginPath();
    ctx.moveTo(box.left, py);
    ctx.lineTo(box.right, py);
    ctx.stroke();
    ctx.fillText(label, box.left - 0.4 * fs, py + 0.35 * fs);
  }
  const xt = x.ticks ? { ticks: x.ticks, step: 1 } : linearTicks(x.lo, x.hi, Math.max(2, Math.floor((box.right - box.left) / (5 * fs))));
  ctx.textAlign = 'center';
  for (const v of xt.ticks) {
    const px = sx(v);
    ctx.beginPath();
    ctx.moveTo(px, box.top);
    ctx.lineTo(px, box.bottom);
    ctx.stroke();
    ctx.fillText(fx(v, xt.step), px, box.bottom + 1.2 * fs);
  }
  ctx.strokeStyle = '#999';
  ctx.strokeRect(box.left, box.top, box.right - box.left, box.bottom - box.top);
  if (x.label) ctx.fillText(x.label, (box.left + box.right) / 2, box.bottom + 2.4 * fs);
  if (y.label) {
    ctx.textAlign = 'left';
    ctx.font = `600 ${fs}px system-ui, sans-serif`;
    ctx.fillText(y.label, box.left, box.top - 0.5 * fs);
  }
  ctx.restore();
  return { sx, sy };
}

/** A polyline through `points` ([x, y] pairs) in `color`, optionally dashed. */
export function line({ ctx }, { sx, sy }, points, color, { width = 2, dash = [] } = {}) {
  if (!points.length) return;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.beginPath();
  points.forEach(([x, y], i) => (i ? ctx.lineTo(sx(x), sy(y)) : ctx.moveTo(sx(x), sy(y))));
  ctx.stroke();
  ctx.restore();
}

/** Filled circles, squares or triangles at `points`: a series is told apart by its shape too. */
export function markers({ ctx, fs }, { sx, sy }, points, color, shape = 'circle') {
  ctx.save();
  ctx.fillStyle = color;
  const r = 0.3 * fs;
  for (const [x, y] of points) {
    const [px, py] = [sx(x), sy(y)];
    ctx.beginPath();
    if (shape === 'square') ctx.rect(px - r, py - r, 2 * r, 2 * r);
    else if (shape === 'triangle') {
      ctx.moveTo(px, py - 1.2 * r);
      ctx.lineTo(px + 1.2 * r, py + r);
      ctx.lineTo(px - 1.2 * r, py + r);
      ctx.closePath();
    } else ctx.arc(px, py, r, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
}

/** Diagonal hatching, for a second series told apart by pattern as well as colour. */
export function hatch(ctx, color) {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const t = tile.getContext('2d');
  t.fillStyle = color;
  t.fillRect(0, 0, 8, 8);
  t.strokeStyle = 'rgba(255,255,255,0.75)';
  t.lineWidth = 2;
  t.beginPath();
  t.moveTo(-2, 10);
  t.lineTo(10, -2);
  t.stroke();
  return ctx.createPattern(tile, 'repeat');
}

/**
 * An HTML legend for a chart: `entries` are { label, color, kind: 'line' | 'dashed' | 'dotted' | 'dot' |
 * 'hatched' | 'box' }. Filled into `list` (a <ul>), so it sits outside the plot, wraps on a
 * phone and scales with the page's text.
 */
export function legend(list, entries) {
  list.classList.add('chart-legend');
  list.replaceChildren(
    ...entries.map(({ label, color, kind = 'line' }) => {
      const li = document.createElement('li');
      const key = document.createElement('span');
      key.className = `key key-${kind}`;
      key.style.setProperty('--key', color);
      li.append(key, document.createTextNode(label));
      return li;
    }),
  );
}

/** How two panels share a canvas: side by side when it is wide, else one above the other. */
export function twoPanels(canvas) {
  const s = textScale();
  return { wide: canvas.clientWidth >= 560 * s, panel: Math.round(Math.min(300, Math.max(220, canvas.clientWidth * 0.36)) * s) };
}

/** Panel i's plot box in a `twoPanels` layout, margins left for the axes' labels. */
export function panelBox({ fs, w }, { wide, panel }, i) {
  const x0 = wide ? (i * w) / 2 : 0, y0 = wide ? 0 : i * panel;
  const x1 = wide ? ((i + 1) * w) / 2 : w;
  return { left: x0 + 4.2 * fs, right: x1 - 1.8 * fs, top: y0 + 2.2 * fs, bottom: y0 + panel - 3.4 * fs };
}

/** A loss axis on a log scale: whole decades from ≤ 0.1 to ≥ 3, at least 100× apart, so a run
 *  that blows up stays readable. */
export function lossRange(losses) {
  const pos = losses.filter((v) => v > 0 && Number.isFinite(v));
  const lo = 10 ** Math.floor(Math.log10(Math.min(0.1, ...pos)));
  return { lo, hi: Math.max(lo * 100, 10 ** Math.ceil(Math.log10(Math.max(3, ...pos)))) };
}

/**
 * A histogram's bars: `hist` is { lo, hi, counts } (counted by the core), drawn in the axes'
 * coordinates from lo to hi, each bar the width of its bin, hatched when `hatched` (a second series
 * told apart by pattern as well as colour).
 */
export function bars(g, { sx, sy }, hist, color, { hatched = false } = {}) {
  const { ctx } = g;
  const n = hist.counts.length;
  const width = (hist.hi - hist.lo) / n || 1;
  ctx.save();
  ctx.fillStyle = hatched ? hatch(ctx, color) : color;
  ctx.globalAlpha = 0.85;
  hist.counts.forEach((c, k) => {
    if (!c) return;
    const x0 = sx(hist.lo + k * width), x1 = sx(hist.lo + (k + 1) * width);
    const y0 = sy(0), y1 = sy(c);
    ctx.fillRect(Math.min(x0, x1), y1, Math.max(1, Math.abs(x1 - x0) - 1), y0 - y1);
  });
  ctx.restore();
}
