// Colour scales for feature maps, chosen to stay readable for colour-blind viewers: viridis
// (dark purple → yellow, monotone in lightness) for values that are never negative, and a
// purple–white–orange diverging scale centred on zero for signed values. Both are 256-entry
// lookup tables built once.

/** Viridis by its published polynomial fit (Matt Zucker, CC0), t in [0, 1]. */
function viridis(t) {
  const c0 = [0.2777273272234177, 0.005407344544966578, 0.3340998053353061];
  const c1 = [0.1050930431085774, 1.404613529898575, 1.384590162594685];
  const c2 = [-0.3308618287255563, 0.214847559468213, 0.09509516302823659];
  const c3 = [-4.634230498983486, -5.799100973351585, -19.33244095627987];
  const c4 = [6.228269936347081, 14.17993336680509, 56.69055260068105];
  const c5 = [4.776384997670288, -13.74514537774601, -65.35303263337234];
  const c6 = [-5.435455855934631, 4.645852612178535, 26.3124352495832];
  return [0, 1, 2].map((i) => c0[i] + t * (c1[i] + t * (c2[i] + t * (c3[i] + t * (c4[i] + t * (c5[i] + t * c6[i]))))));
}

/** Purple (negative) – white (zero) – orange (positive), after ColorBrewer's PuOr. */
function diverging(t) {
  const neg = [0.369, 0.235, 0.6];
  const pos = [0.902, 0.38, 0.004];
  const s = Math.abs(2 * t - 1);
  const end = t < 0.5 ? neg : pos;
  return [0, 1, 2].map((i) => 1 + (end[i] - 1) * s);
}

function table(fn) {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const rgb = fn(i / 255);
    for (let k = 0; k < 3; k++) lut[i * 3 + k] = Math.round(Math.min(1, Math.max(0, rgb[k])) * 255);
  }
  return lut;
}

export const SCALES = { viridis: table(viridis), diverging: table(diverging) };

/** The scale and range for a set of values: diverging and symmetric about 0 when any is
 *  negative, else viridis from 0 to the largest. */
export function scaleFor(values) {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return { name: 'viridis', lo: 0, hi: 1 };
  if (lo < 0) {
    const m = Math.max(-lo, hi, 1e-6);
    return { name: 'diverging', lo: -m, hi: m };
  }
  return { name: 'viridis', lo: 0, hi: Math.max(hi, 1e-6) };
}

const BLANK = [236, 236, 236, 255];

/** Paint h×w values starting at `offset` into `canvas` (one canvas pixel per value); a value that
 *  is not a number is left blank (light grey). */
export function paint(canvas, values, offset, h, w, scale) {
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  const lut = SCALES[scale.name];
  const k = 255 / (scale.hi - scale.lo);
  for (let i = 0; i < h * w; i++) {
    const v = values[offset + i];
    if (!Number.isFinite(v)) {
      // No value here (the end of a strip's last row): a light grey that no scale uses.
      img.data.set(BLANK, i * 4);
      continue;
    }
    const j = Math.max(0, Math.min(255, Math.round((v - scale.lo) * k))) * 3;
    img.data[i * 4] = lut[j];
    img.data[i * 4 + 1] = lut[j + 1];
    img.data[i * 4 + 2] = lut[j + 2];
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** A horizontal legend strip for a scale. */
export function paintLegend(canvas, scale) {
  canvas.width = 128;
  canvas.height = 1;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(128, 1);
  const lut = SCALES[scale.name];
  for (let i = 0; i < 128; i++) {
    const j = Math.round((i / 127) * 255) * 3;
    img.data.set([lut[j], lut[j + 1], lut[j + 2], 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}
