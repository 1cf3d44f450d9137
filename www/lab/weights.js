// "Weights you can watch": the first convolution's kernels as small images, redrawn while the
// lab trains, and each layer's gradient norm over time (log scale), where a diverging run shows
// as norms that shoot up.

import { COLORS, axes, legend, line, prepare, textScale, tickLabel } from '../chart.js';
import { mapSet, paintMaps } from '../maps.js';
import { t } from '../i18n.js';

const SERIES = [COLORS.blue, COLORS.vermillion, COLORS.green, COLORS.orange, COLORS.grey, '#CC79A7', '#56B4E9'];
const DASHES = [[], [6, 4], [2, 3], [8, 3, 2, 3], [1, 2]];

export class WeightsView {
  constructor(root) {
    this.kernels = root.querySelector('[data-testid="lab-kernels"]');
    this.chart = root.querySelector('[data-testid="lab-grad-norms"]');
    this.legend = root.querySelector('[data-testid="lab-grad-legend"]');
    this.clear();
  }

  clear() {
    this.norms = new Map(); // layer name → [[epochs, norm]]
    this.shape = null;
    this.kernels.replaceChildren();
    delete this.kernels.dataset.updates;
    this.draw();
  }

  /** A `Watch` from the core at `epochs` into the run. */
  update(watch, epochs) {
    for (const [name, norm] of watch.gradNorms) {
      if (!this.norms.has(name)) this.norms.set(name, []);
      if (Number.isFinite(norm) && norm > 0) this.norms.get(name).push([epochs, norm]);
    }
    this.paintKernels(watch);
    this.draw();
  }

  paintKernels(watch) {
    const [o, c, k] = watch.kernelShape;
    if (!o) return;
    // One map per (output, input) kernel: the first layer of a digit network has one input.
    const shape = { channels: o * c, height: k, width: k };
    if (!this.shape || this.shape.channels !== shape.channels || this.shape.height !== k) {
      const { wrap, canvases } = mapSet(shape, { className: 'fmap kernel', label: (i) => t('lab.kernelLabel', { n: i + 1 }), testid: () => 'lab-kernel' });
      this.kernels.replaceChildren(wrap);
      this.canvases = canvases;
      this.shape = shape;
    }
    paintMaps(this.canvases, Float32Array.from(watch.kernels), shape);
    this.kernels.dataset.updates = String(Number(this.kernels.dataset.updates ?? 0) + 1);
    this.kernels.dataset.first = watch.kernels.slice(0, 3).map((v) => v.toFixed(5)).join(',');
  }

  draw() {
    const g = prepare(this.chart, { height: Math.round(200 * textScale()) });
    const { fs, w, h } = g;
    const all = [...this.norms.values()].flat();
    const values = all.map((p) => p[1]);
    const lo = 10 ** Math.floor(Math.log10(Math.min(1e-2, ...values)));
    const hi = 10 ** Math.ceil(Math.log10(Math.max(1, ...values)));
    const maxX = Math.max(0.1, ...all.map((p) => p[0]));
    const box = { left: 4.2 * fs, right: w - 1.8 * fs, top: 2.2 * fs, bottom: h - 3.4 * fs };
    const ax = axes(g, box, { lo: 0, hi: maxX, label: t('curves.epochs'), format: tickLabel }, { lo, hi, log: true, label: t('lab.gradNorm') });
    const names = [...this.norms.keys()];
    names.forEach((name, i) => line(g, ax, this.norms.get(name), SERIES[i % SERIES.length], { dash: DASHES[i % DASHES.length] }));
    legend(this.legend, names.map((name, i) => ({ label: t('lab.layerName', { name }), color: SERIES[i % SERIES.length], kind: DASHES[i % DASHES.length].length ? 'dashed' : 'line' })));
    this.chart.dataset.points = names.map((n) => this.norms.get(n).length).join(',');
  }
}
