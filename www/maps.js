// Feature maps and vectors as pictures, shared by the layer-by-layer view and the backprop
// chapter: one small canvas per channel (one canvas pixel per value, scaled up without smoothing),
// or a strip for a vector — labelled 0–9 when it is the ten digits' scores.

import { paint, paintLegend, scaleFor } from './colormap.js';
import { sig } from './format.js';

/** Values per row when a vector is drawn as a strip. */
export const STRIP = 40;
/** A vector this long is one score per digit: its cells are labelled with the digits. */
const CLASSES = 10;

/** A canvas for one map (or a strip), in a box that overlays (a window, a cursor) can sit on. */
export function mapCanvas({ className = 'fmap', label, testid } = {}) {
  const box = document.createElement('span');
  box.className = 'fmap-box';
  const canvas = document.createElement('canvas');
  canvas.className = className;
  canvas.setAttribute('role', 'img');
  if (label) canvas.setAttribute('aria-label', label);
  if (testid) canvas.dataset.testid = testid;
  box.append(canvas);
  return { box, canvas };
}

/**
 * The maps of one layer's output: `shape` is { channels, height, width } (height 0 for a vector).
 * Returns the container and the canvases, to paint now or again later with `paintMaps`.
 */
export function mapSet(shape, { label, testid, className } = {}) {
  const wrap = document.createElement('div');
  wrap.className = shape.height ? 'maps' : 'maps vector';
  const canvases = [];
  const count = shape.height ? shape.channels : 1;
  for (let c = 0; c < count; c++) {
    const { box, canvas } = mapCanvas({ className, label: label?.(c), testid: testid?.(c) });
    if (!shape.height) {
      canvas.width = Math.min(STRIP, shape.channels);
      canvas.height = Math.ceil(shape.channels / STRIP);
    } else {
      canvas.width = shape.width;
      canvas.height = shape.height;
    }
    canvases.push(canvas);
    if (!shape.height && shape.channels === CLASSES) wrap.append(digitStrip(box));
    else wrap.append(box);
  }
  return { wrap, canvases };
}

/** A ten-value strip with the digits 0–9 written under its cells. */
function digitStrip(box) {
  const strip = document.createElement('div');
  strip.className = 'digit-strip';
  const labels = document.createElement('div');
  labels.className = 'strip-labels';
  labels.setAttribute('aria-hidden', 'true');
  for (let d = 0; d < CLASSES; d++) {
    const s = document.createElement('span');
    s.textContent = String(d);
    labels.append(s);
  }
  strip.append(box, labels);
  return strip;
}

/** Paint `values` (the layer's whole output, channel-major) into the canvases of a mapSet. */
export function paintMaps(canvases, values, shape, scale = scaleFor(values)) {
  if (shape.height) {
    const plane = shape.height * shape.width;
    canvases.forEach((c, k) => paint(c, values, k * plane, shape.height, shape.width, scale));
  } else {
    const c = canvases[0];
    const padded = new Float32Array(c.width * c.height).fill(NaN);
    padded.set(values);
    paint(c, padded, 0, c.height, c.width, scale);
  }
  return scale;
}

/** A colour key: the scale's low end, its colours, its high end. */
export function legendFor(scale, el = document.createElement('span')) {
  el.classList.add('legend');
  if (!el.firstChild) el.append(document.createElement('span'), document.createElement('canvas'), document.createElement('span'));
  const [lo, bar, hi] = el.children;
  lo.textContent = sig(scale.lo, 3);
  hi.textContent = sig(scale.hi, 3);
  if (bar.dataset.scale !== scale.name) {
    paintLegend(bar, scale);
    bar.dataset.scale = scale.name;
  }
  return el;
}

/**
 * Outline the cells rows [top, top+size) × columns [left, left+size) of an h×w map (clipped to
 * it) with a box over its canvas: the window a kernel reads, or the value being inspected.
 */
export function outline(box, { top, left, size, h, w, kind }) {
  const y0 = Math.max(0, top), x0 = Math.max(0, left);
  const y1 = Math.min(h, top + size), x1 = Math.min(w, left + size);
  if (y1 <= y0 || x1 <= x0) return null;
  const o = document.createElement('span');
  o.className = `map-outline ${kind}`;
  Object.assign(o.style, { top: `${(100 * y0) / h}%`, left: `${(100 * x0) / w}%`, height: `${(100 * (y1 - y0)) / h}%`, width: `${(100 * (x1 - x0)) / w}%` });
  box.append(o);
  return o;
}
