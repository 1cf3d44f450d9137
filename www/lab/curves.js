// The lab's curves: loss (log scale, with the learning rate drawn in a strip under it) and
// accuracy against epochs — training per chunk of batches, validation per epoch, test per epoch —
// for the current run, with the runs the learner ticked overlaid in their own colours. And the
// book's plot (d2l's Animator: train loss, train acc, test acc against epochs, one linear axis).

import { COLORS, axes, legend, line, lossRange, markers, panelBox, prepare, textScale, tickLabel, twoPanels } from '../chart.js';
import { num, t } from '../i18n.js';

const pct = (v) => num(v, { style: 'percent', maximumFractionDigits: 0 });

/** Loss and accuracy panels, the learning-rate strip under the loss. */
export function drawCurves(canvas, legendEl, current, compared) {
  const layout = twoPanels(canvas);
  const { wide, panel } = layout;
  const strip = Math.round(110 * textScale());
  const g = prepare(canvas, { height: wide ? panel + strip : 2 * panel + strip });
  const { fs } = g;
  const runs = [...compared, current].filter(Boolean);
  const all = runs.flatMap((r) => [...r.train, ...r.val, ...r.test]);
  const maxX = Math.max(1, ...all.map((p) => p[0]), ...runs.map((r) => r.epochs ?? 0));
  const { lo, hi } = lossRange(all.map((p) => p[1]));
  const box = (i) => panelBox(g, layout, i);
  const panels = [
    { y: { lo, hi, log: true, label: t('curves.lossLog') }, value: 1 },
    { y: { lo: 0, hi: 1, label: t('curves.accuracy'), format: pct }, value: 2 },
  ];
  panels.forEach((p, i) => {
    const ax = axes(g, box(i), { lo: 0, hi: maxX, label: t('curves.epochs'), format: tickLabel }, p.y);
    const pick = (pts) => pts.map((q) => [q[0], q[p.value]]);
    for (const r of compared) {
      line(g, ax, pick(r.train), r.color, { dash: [6, 4], width: 1.5 });
      markers(g, ax, pick(r.val), r.color, 'square');
    }
    if (!current) return;
    line(g, ax, pick(current.train), COLORS.blue);
    markers(g, ax, pick(current.val), COLORS.vermillion, 'square');
    markers(g, ax, pick(current.test), COLORS.green, 'triangle');
  });
  // The learning rate under the loss panel, on its own axis: a schedule's steps show here.
  const b0 = box(0);
  const sb = { left: b0.left, right: b0.right, top: (wide ? panel : 2 * panel) + 1.2 * fs, bottom: (wide ? panel : 2 * panel) + strip - 1.6 * fs };
  const lrs = runs.flatMap((r) => r.lr.map((p) => p[1])).filter(Number.isFinite);
  // Linear from 0: a StepLR's steps are halvings the eye reads at once.
  const lax = axes(g, sb, { lo: 0, hi: maxX, format: () => '' }, { lo: 0, hi: Math.max(...lrs, 1e-6) * 1.15, label: t('lab.lrAxis'), format: (v) => num(v, { maximumSignificantDigits: 2 }) });
  for (const r of compared) line(g, lax, r.lr, r.color, { dash: [6, 4], width: 1.5 });
  if (current) line(g, lax, current.lr, COLORS.grey);
  legend(legendEl, [
    { label: t('lab.curveTrain'), color: COLORS.blue, kind: 'line' },
    { label: t('lab.curveValidation'), color: COLORS.vermillion, kind: 'box' },
    { label: t('lab.curveTest'), color: COLORS.green, kind: 'dot' },
    { label: t('lab.curveLr'), color: COLORS.grey, kind: 'line' },
    ...compared.map((r) => ({ label: r.legend, color: r.color, kind: 'dashed' })),
  ]);
  canvas.dataset.points = current ? `${current.train.length},${current.val.length},${current.test.length}` : '0,0,0';
  canvas.dataset.compared = String(compared.length);
}

/** d2l's plot: train loss, train acc (per chunk) and test acc (per epoch) on one linear axis. */
export function drawBookPlot(canvas, legendEl, run) {
  const s = textScale();
  const g = prepare(canvas, { height: Math.round(240 * s) });
  const { fs, w, h } = g;
  const maxX = Math.max(1, run?.epochs ?? 1);
  const top = Math.max(1, ...(run?.perEpoch ?? []).map((e) => e.loss));
  const box = { left: 3.6 * fs, right: w - 1.4 * fs, top: 1.6 * fs, bottom: h - 3.2 * fs };
  const ax = axes(g, box, { lo: 0, hi: maxX, label: t('curves.epochs'), format: tickLabel }, { lo: 0, hi: Math.ceil(top * 2) / 2 });
  if (run) {
    line(g, ax, run.train.map((q) => [q[0], q[1]]), COLORS.blue);
    line(g, ax, run.train.map((q) => [q[0], q[2]]), COLORS.vermillion, { dash: [6, 4] });
    const test = run.test.filter((q) => q[0] > 0).map((q) => [q[0], q[2]]);
    line(g, ax, test, COLORS.green, { dash: [2, 3] });
    markers(g, ax, test, COLORS.green, 'triangle');
  }
  legend(legendEl, [
    { label: 'train loss', color: COLORS.blue, kind: 'line' },
    { label: 'train acc', color: COLORS.vermillion, kind: 'dashed' },
    { label: 'test acc', color: COLORS.green, kind: 'dot' },
  ]);
}
