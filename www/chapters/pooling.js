// Chapter "Pooling": max and average pooling of a small input by the core's pooling kernel
// (PoolDemo, the CPU backend's pool2d forward), a stepper that highlights each window and, for
// max pooling, the value that won; then the receptive field of k stacked 3×3 convolutions
// against one (2k+1)×(2k+1) convolution, with the field and both parameter counts from the core
// (rf = 1 + Σ (Fᵢ − 1)·Π strides before i; counts from shape inference).

import { applyStrings, explain, num, t } from '../i18n.js';
import { Stepper, cellGrid, el, field, fitted, fmt, numberCell, range, relabelCells, roving, tabStop } from './convolution.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Side of each grid in the receptive-field figure: enough for k = 4 (9×9) with a margin. */
const RF_GRID = 11;
const RF_CELL = 11;

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  e.append(...children);
  return e;
}

let widget = null;

export function mount(body, core) {
  widget = new PoolingWidget(body, core);
}

/** Re-render every string after a language change. */
export function refresh() {
  widget?.refresh();
}

class PoolingWidget {
  constructor(body, core) {
    this.core = core;
    this.body = body;
    this.st = { kind: 'max', w: 6, f: 2, s: 2, preset: 'random', seed: 3, k: 2, c: 64 };
    this.st.input = Float32Array.from(core.convInputPreset(this.st.preset, this.st.w, this.st.seed));
    this.demo = null;
    this.build();
    this.geometryChanged();
    this.receptive();
  }

  build() {
    const st = this.st;
    const intro = el('p', { className: 'intro', data: { i18n: 'ch.pooling.intro' } });
    this.kindSel = field('ch.pooling.kind', 'pool-kind', [['max', 'ch.pooling.max'], ['avg', 'ch.pooling.avg']], st.kind);
    this.wSel = field('ch.pooling.inputSize', 'pool-W', range(2, 8), st.w);
    this.fSel = field('ch.pooling.window', 'pool-F', range(1, 4), st.f);
    this.sSel = field('ch.pooling.stride', 'pool-S', range(1, 4), st.s);
    this.inSel = field('ch.pooling.input', 'pool-input-preset',
      [...this.core.convInputPresets().map((n) => [n, `ch.convolution.preset.${n}`]), ['custom', 'ch.convolution.preset.custom']], st.preset);
    this.reroll = el('button', { type: 'button', className: 'secondary', data: { testid: 'pool-reroll', i18n: 'ch.pooling.reroll' } });
    const controls = el('div', { className: 'controls' }, this.kindSel.label, this.wSel.label, this.fSel.label, this.sSel.label, this.inSel.label, this.reroll);

    this.formulaText = el('span');
    this.result = el('strong', { className: 'cp-result', data: { testid: 'pool-result' }, attrs: { 'aria-live': 'polite' } });
    this.formula = el('p', { className: 'cp-formula', data: { testid: 'pool-formula' } }, this.formulaText, ' ', this.result);
    this.noFit = el('p', { className: 'message bad', data: { testid: 'pool-nofit' } });
    this.inFig = el('figure', { className: 'cp-fig' });
    this.outFig = el('figure', { className: 'cp-fig' });
    const grids = el('div', { className: 'cp-grids' }, this.inFig, this.outFig);
    const legend = el('ul', { className: 'cp-legend' },
      el('li', { className: 'lg-win', data: { i18n: 'ch.pooling.legendWindow' } }),
      el('li', { className: 'lg-out', data: { i18n: 'ch.pooling.legendOutput' } }),
      el('li', { className: 'lg-winner', data: { i18n: 'ch.pooling.legendWinner' } }));
    this.poolPart = el('div', { className: 'cp-part' });
    this.stepper = new Stepper(this.poolPart, 'ch.pooling', 'pool', (k) => this.showStep(k));
    this.stepLine = el('p', { className: 'cp-sum', data: { testid: 'pool-step' }, attrs: { 'aria-live': 'polite' } });
    this.message = el('p', { className: 'message bad', data: { testid: 'pool-error' } });
    this.poolPart.append(intro, controls, this.formula, this.noFit, grids, legend, this.stepper.root, this.stepLine, this.message);

    // Receptive field.
    const h3 = el('h3', { data: { i18n: 'ch.pooling.rf.heading' } });
    const intro2 = el('p', { className: 'intro', data: { i18n: 'ch.pooling.rf.intro' } });
    this.kSel = field('ch.pooling.rf.layers', 'rf-k', range(1, 4), st.k);
    this.cSel = field('ch.pooling.rf.channels', 'rf-C', [1, 3, 16, 32, 64, 128, 256, 512].map((c) => [c, null]), st.c);
    const controls2 = el('div', { className: 'controls' }, this.kSel.label, this.cSel.label);
    this.rfFigure = el('div', { className: 'rf-figure', data: { testid: 'rf-figure' } });
    this.rfFormula = el('p', { className: 'cp-formula', data: { testid: 'rf-formula' } });
    this.rfSees = el('p', { data: { testid: 'rf-sees' } });
    this.rfStacked = el('p', { className: 'cp-formula', data: { testid: 'rf-stacked' } });
    this.rfSingle = el('p', { className: 'cp-formula', data: { testid: 'rf-single' } });
    this.rfRatio = el('p', { data: { testid: 'rf-ratio' } });
    this.rfStride = el('p', { className: 'hint', data: { testid: 'rf-stride' } });
    this.body.append(this.poolPart, h3, intro2, controls2, this.rfFigure, this.rfFormula, this.rfSees, this.rfStacked, this.rfSingle, this.rfRatio, this.rfStride);
    applyStrings(this.body);

    this.kindSel.select.addEventListener('change', () => {
      st.kind = this.kindSel.select.value;
      this.compute();
    });
    for (const [key, sel] of [['w', this.wSel], ['f', this.fSel], ['s', this.sSel]]) {
      sel.select.addEventListener('change', () => {
        const old = st.w;
        st[key] = Number(sel.select.value);
        if (key === 'w') this.loadInput(old);
        this.geometryChanged();
      });
    }
    this.inSel.select.addEventListener('change', () => {
      st.preset = this.inSel.select.value;
      this.loadInput();
      this.geometryChanged();
    });
    this.reroll.addEventListener('click', () => {
      st.seed += 1;
      this.inSel.select.value = st.preset = 'random';
      this.loadInput();
      this.geometryChanged();
    });
    this.kSel.select.addEventListener('change', () => {
      st.k = Number(this.kSel.select.value);
      this.receptive();
    });
    this.cSel.select.addEventListener('change', () => {
      st.c = Number(this.cSel.select.value);
      this.receptive();
    });
  }

  loadInput(oldW = this.st.w) {
    const st = this.st;
    if (st.preset === 'custom') {
      const out = new Float32Array(st.w * st.w);
      for (let r = 0; r < Math.min(oldW, st.w); r++) for (let c = 0; c < Math.min(oldW, st.w); c++) out[r * st.w + c] = st.input[r * oldW + c];
      st.input = out;
    } else {
      st.input = Float32Array.from(this.core.convInputPreset(st.preset, st.w, st.seed));
    }
  }

  geometryChanged() {
    const { w } = this.st;
    const { grid, cells } = cellGrid('cp-input', 'pool-input', w, w, (r, c) => {
      const i = r * w + c;
      const input = numberCell(this.st.input[i], `pool-in-${r}-${c}`, 'ch.pooling.inputCell', r, c, (x) => {
        this.st.input[i] = x;
        this.st.preset = 'custom';
        this.inSel.select.value = 'custom';
        this.compute();
      });
      return el('span', { className: 'cp-cell' }, input);
    });
    this.inCells = cells;
    roving(grid);
    this.inCaption = el('figcaption');
    this.inFig.replaceChildren(grid, this.inCaption);
    this.outCells = null;
    this.compute();
  }

  compute() {
    const st = this.st;
    this.demo?.free();
    this.demo = null;
    try {
      this.demo = this.core.PoolDemo.compute(st.kind, st.input, st.w, st.f, st.s);
      this.message.textContent = '';
    } catch (err) {
      this.message.textContent = explain(err);
      this.stepper.setCount(0);
      return;
    }
    this.size = fitted(this.demo.size);
    const output = this.demo.output();
    const o = this.size.size;
    if (this.outSide !== o || !this.outCells) {
      this.outSide = o;
      const { grid, cells } = cellGrid('cp-output', 'pool-output', o, o, (r, c) =>
        el('button', { type: 'button', className: 'cp-cell cp-out', data: { testid: `pool-out-${r}-${c}`, r, c } }));
      cells.forEach((cell, i) => cell.addEventListener('click', () => this.stepper.go(i)));
      roving(grid, (cell) => this.stepper.go(cells.indexOf(cell)));
      this.outCells = cells;
      this.outCaption = el('figcaption');
      this.outFig.replaceChildren(grid, this.outCaption);
    }
    this.outCells.forEach((cell, i) => {
      cell.textContent = fmt(output[i]);
      cell.dataset.value = String(output[i]);
    });
    this.renderText();
    this.stepper.setCount(o * o);
  }

  renderText() {
    const st = this.st;
    const z = this.size;
    if (!z) return;
    const nums = { w: st.w, f: st.f, s: st.s, span: num(z.span), size: z.size };
    this.formulaText.textContent = t('ch.pooling.formula', nums);
    this.result.textContent = z.fits ? t('ch.pooling.result', nums) : '';
    this.result.dataset.size = String(z.size);
    this.noFit.textContent = z.fits ? '' : t('ch.pooling.noFit', nums);
    this.inCaption.textContent = t('ch.pooling.inputCaption', nums);
    this.outCaption.textContent = z.fits ? t(`ch.pooling.outputCaption.${st.kind}`, { o: z.size }) : t('ch.pooling.noOutput');
    this.outCells.forEach((cell) => cell.setAttribute('aria-label', t('ch.pooling.outputCell', { r: cell.dataset.r, c: cell.dataset.c, v: cell.textContent })));
  }

  showStep(k) {
    const { w, f } = this.st;
    for (const c of this.inCells ?? []) c.classList.remove('win', 'win-top', 'win-left', 'win-bottom', 'win-right', 'winner');
    for (const c of this.outCells ?? []) c.classList.remove('cur');
    if (k === null || !this.demo || !this.size?.fits) {
      this.stepper.where.textContent = t('ch.pooling.noStep');
      this.stepLine.textContent = '';
      return;
    }
    const o = this.size.size;
    const y = Math.floor(k / o), x = k % o;
    const step = this.demo.step(y, x);
    for (let u = 0; u < f; u++) {
      for (let v = 0; v < f; v++) {
        const cell = this.inCells[(step.top + u) * w + step.left + v];
        cell.classList.add('win');
        if (u === 0) cell.classList.add('win-top');
        if (v === 0) cell.classList.add('win-left');
        if (u === f - 1) cell.classList.add('win-bottom');
        if (v === f - 1) cell.classList.add('win-right');
        if (step.winner === u * f + v) cell.classList.add('winner');
      }
    }
    this.outCells[k].classList.add('cur');
    tabStop(this.outCells, this.outCells[k]);
    this.stepper.where.textContent = t('ch.pooling.where', { y, x, k: k + 1, n: o * o, top: step.top, left: step.left });
    const values = Array.from(step.window, (v) => (v < 0 ? `(${fmt(v)})` : fmt(v)));
    if (step.winner !== null) {
      const r = step.top + Math.floor(step.winner / f), c = step.left + (step.winner % f);
      this.stepLine.textContent = t('ch.pooling.maxLine', { values: values.join(', '), value: fmt(step.value), r, c });
    } else {
      this.stepLine.textContent = t('ch.pooling.avgLine', { values: values.join(' + '), n: f * f, sum: fmt(step.sum), value: fmt(step.value) });
    }
    this.stepLine.dataset.value = String(step.value);
  }

  /** The receptive-field comparison for k stacked 3×3 convolutions and C channels. */
  receptive() {
    const { k, c } = this.st;
    this.rf = this.core.stackDemo(k, c);
    // The same stack with stride 2 in its first layer, to show the product of strides at work.
    this.rf.strided = this.core.receptiveField(Array(k).fill(3), [2, ...Array(k - 1).fill(1)]);
    this.drawFigure();
    this.renderRf();
  }

  drawFigure() {
    const { layers: k, terms, singleKernel } = this.rf;
    const side = RF_GRID * RF_CELL;
    const gap = 26;
    const top = 18;
    const rows = [
      // Stacked: input, conv 1, …, conv k; the region one output pixel sees in each.
      Array.from({ length: k + 1 }, (_, d) => ({ region: d === k ? 1 : terms[k - 1 - d].field, stage: d })),
      // One big convolution: input and its output.
      [{ region: singleKernel, stage: 0 }, { region: 1, stage: 'single' }],
    ];
    const width = (k + 1) * (side + gap);
    const height = 2 * (side + top + 24) + 8;
    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'rf-svg', 'data-testid': 'rf-svg' });
    // Sized in rem, so its text grows with the page's (presenter mode).
    root.style.width = `${width / 16}rem`;
    this.rfLabels = [];
    rows.forEach((row, ri) => {
      const y0 = ri * (side + top + 24) + top;
      row.forEach((g, i) => {
        const x0 = i * (side + gap);
        const kind = ri === 0 ? 'stack' : 'single';
        const title = svg('text', { x: x0, y: y0 - 5, class: 'rf-title' });
        title.dataset.stage = String(g.stage);
        title.dataset.kind = kind;
        this.rfLabels.push(title);
        root.append(title);
        for (let r = 0; r < RF_GRID; r++) {
          for (let c = 0; c < RF_GRID; c++) {
            root.append(svg('rect', { x: x0 + c * RF_CELL, y: y0 + r * RF_CELL, width: RF_CELL - 1, height: RF_CELL - 1, class: 'rf-cell' }));
          }
        }
        const lo = (RF_GRID - g.region) / 2;
        root.append(svg('rect', {
          x: x0 + lo * RF_CELL - 1, y: y0 + lo * RF_CELL - 1, width: g.region * RF_CELL + 1, height: g.region * RF_CELL + 1,
          class: `rf-region rf-${kind}${g.region === 1 ? ' rf-pixel' : ''}`, 'data-testid': `rf-region-${ri}-${i}`, 'data-size': g.region,
        }));
        root.append(svg('text', { x: x0 + side / 2, y: y0 + side + 15, class: 'rf-size', 'text-anchor': 'middle' }, `${g.region}×${g.region}`));
        if (i < row.length - 1) {
          root.append(svg('text', { x: x0 + side + gap / 2, y: y0 + side / 2 + 5, class: 'rf-arrow', 'text-anchor': 'middle' }, '→'));
        }
      });
    });
    this.rfSvg = root;
    this.rfFigure.replaceChildren(root);
  }

  renderRf() {
    const rf = this.rf;
    if (!rf) return;
    const { layers: k, channels: c } = rf;
    for (const label of this.rfLabels) {
      const stage = label.dataset.stage;
      label.textContent = stage === 'single' ? t('ch.pooling.rf.gridSingle', { s: rf.singleKernel })
        : stage === '0' ? t('ch.pooling.rf.gridInput') : t('ch.pooling.rf.gridConv', { i: stage });
    }
    this.rfSvg.setAttribute('aria-label', t('ch.pooling.rf.figure', {
      sizes: rf.terms.map((term) => `${term.field}×${term.field}`).reverse().join(', '), k, rf: rf.field, s: rf.singleKernel,
    }));
    const terms = rf.terms.map((term) => `(${term.kernel} − 1)·${num(term.jump)}`).join(' + ');
    this.rfFormula.textContent = t('ch.pooling.rf.formula', { terms, rf: num(rf.field) });
    this.rfFormula.dataset.rf = String(rf.field);
    this.rfSees.textContent = t('ch.pooling.rf.sees', { k, rf: rf.field, s: rf.singleKernel, srf: rf.singleField });
    this.rfStacked.textContent = t('ch.pooling.rf.stacked', { k, c: num(c), layer: num(rf.layerParams), total: num(rf.stackedParams) });
    this.rfStacked.dataset.params = String(rf.stackedParams);
    const s = rf.singleKernel;
    this.rfSingle.textContent = t('ch.pooling.rf.single', { s, s2: s * s, c: num(c), total: num(rf.singleParams) });
    this.rfSingle.dataset.params = String(rf.singleParams);
    this.rfRatio.textContent = k === 1 ? t('ch.pooling.rf.same') : t('ch.pooling.rf.ratio', {
      pct: num(rf.stackedParams / rf.singleParams, { style: 'percent', maximumFractionDigits: 1 }), s, k,
    });
    const st = rf.strided;
    this.rfStride.textContent = k === 1 ? '' : t('ch.pooling.rf.strided', {
      terms: st.map((term) => `(${term.kernel} − 1)·${num(term.jump)}`).join(' + '), rf: num(st[st.length - 1].field),
    });
  }

  refresh() {
    applyStrings(this.body);
    relabelCells(this.body);
    this.stepper.label();
    this.renderText();
    this.showStep(this.stepper.count ? this.stepper.current : null);
    this.renderRf();
  }
}
