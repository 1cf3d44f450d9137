// Handwritten-style digits as mouse strokes, written out as paths in a unit square (x right,
// y down). Three styles: upright, narrow and slanted with other letterforms (open 4, crossed 7,
// flagged 1), and small in a corner of the pad — which MNIST's preprocessing must undo.

/** Points on an ellipse arc; angles in degrees, 0 = right, 90 = down (y grows downwards). */
function arc(cx, cy, rx, ry, from, to, n = 24) {
  // Half as many points as asked: every mouse move is a round trip to the browser.
  n = Math.max(4, Math.round(n / 2));
  const pts = [];
  for (let i = 0; i <= n; i++) {
    const a = ((from + ((to - from) * i) / n) * Math.PI) / 180;
    pts.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
  }
  return pts;
}

/** A polyline with points every `step` along it, so a stroke is drawn as many mouse moves. */
function line(...pts) {
  const out = [pts[0]];
  for (let i = 1; i < pts.length; i++) {
    const [a, b] = [pts[i - 1], pts[i]];
    const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 0.08));
    for (let k = 1; k <= n; k++) out.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
  }
  return out;
}

const upright = {
  0: [arc(0.5, 0.5, 0.22, 0.36, -90, 275, 40)],
  1: [line([0.52, 0.12], [0.5, 0.88])],
  2: [[...arc(0.5, 0.34, 0.21, 0.2, 190, 385, 20), ...line([0.68, 0.45], [0.27, 0.86], [0.76, 0.86]).slice(1)]],
  3: [[...arc(0.48, 0.3, 0.2, 0.17, 200, 450, 24), ...arc(0.48, 0.67, 0.22, 0.2, -90, 160, 24).slice(1)]],
  4: [line([0.6, 0.12], [0.22, 0.62], [0.8, 0.62]), line([0.62, 0.36], [0.62, 0.9])],
  5: [[...line([0.72, 0.13], [0.33, 0.13], [0.3, 0.46]), ...arc(0.48, 0.65, 0.23, 0.22, -125, 150, 24).slice(1)]],
  6: [[...line([0.66, 0.12], [0.46, 0.3], [0.3, 0.62]), ...arc(0.5, 0.68, 0.2, 0.19, 180, 540, 30).slice(1)]],
  7: [line([0.24, 0.15], [0.76, 0.15], [0.42, 0.88])],
  8: [arc(0.5, 0.3, 0.16, 0.16, 90, 450, 28), arc(0.5, 0.66, 0.2, 0.2, -90, 270, 32)],
  9: [arc(0.5, 0.32, 0.19, 0.18, 0, 360, 30), line([0.69, 0.32], [0.64, 0.88])],
};

const narrowSlanted = {
  ...upright,
  1: [line([0.4, 0.24], [0.54, 0.12], [0.5, 0.88]), line([0.38, 0.88], [0.64, 0.88])],
  4: [line([0.34, 0.12], [0.28, 0.55], [0.78, 0.55]), line([0.64, 0.2], [0.64, 0.9])],
  7: [line([0.24, 0.15], [0.76, 0.15], [0.42, 0.88]), line([0.4, 0.5], [0.72, 0.5])],
  9: [[...arc(0.5, 0.32, 0.19, 0.18, -10, 350, 30), ...line([0.69, 0.29], [0.66, 0.88]).slice(1)]],
};

function transform(digits, f) {
  return Object.fromEntries(Object.entries(digits).map(([d, strokes]) => [d, strokes.map((s) => s.map(f))]));
}

export const STYLES = {
  upright,
  // 70 % as wide, leaning right by 12°.
  'narrow, slanted': transform(narrowSlanted, ([x, y]) => [0.5 + (x - 0.5) * 0.7 + (0.5 - y) * 0.21, y]),
  // Half size, in the top-left of the pad.
  'small, in a corner': transform(upright, ([x, y]) => [0.08 + x * 0.5, 0.06 + y * 0.5]),
};
