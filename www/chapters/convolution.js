// Chapter "Convolution": a kernel sliding over a small input with stride and padding. The output
// is the core's own convolution (ConvDemo, the CPU backend's conv2d forward); the output size is
// the core's floor((W − F + 2P)/S) + 1; a stepper walks the window over the padded input and
// shows the products and their sum for each output value. A second part shows the channels:
// C_in input channels, C_out kernels of depth C_in, one output map per kernel, and the parameter
// count F·F·C_in·C_out + C_out (from the core's shape inference).
//
// Also exports the small pieces the pooling chapter shares: `el`, `field`, `fmt`, `Stepper`.

import { applyStrings, explain, num, t } from '../i18n.js';
import { paint, scaleFor } from '../colormap.js';

const PLAY_MS = 800;

/** A value as the grids write it: at most `d` decimals (two unless a sum needs more to add up);
 *  a value that rounds to zero is written 0, never −0. */
export function fmt(x, d = 2) {
  return num(x, { maximumFractionDigits: d, signDisplay: 'negative' });
}

/** A factor inside a product: negative numbers in parentheses. */
function factor(x, d = 2) {
  return x < 0 && fmt(x, d) !== '0' ? `(${fmt(x, d)})` : fmt(x, d);
}

/** document.createElement with properties, dataset entries (`data`) and children. */
export function el(tag, props = {}, ...children) {
  const { data, attrs, ...rest } = props;
  const e = Object.assign(document.createElement(tag), rest);
  for (const [k, v] of Object.entries(data ?? {})) e.dataset[k] = v;
  for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A labelled select: `options` are [value, i18n key] pairs (or [value, null] to show the value). */
export function field(labelKey, testid, options, value) {
  const select = el('select', { data: { testid } });
  for (const [v, key] of options) select.append(el('option', { value: String(v), data: key ? { i18n: key } : {} }, key ? '' : String(v)));
  select.value = String(value);
  const label = el('label', { className: 'field' }, el('span', { data: { i18n: labelKey } }), select);
  return { label, select };
}

/** Numbers a..b as select options. */
export function range(a, b) {
  const out = [];
  for (let i = a; i <= b; i++) out.push([i, null]);
  return out;
}

/**
 * Previous / Next / Play over positions 0..count−1, with a line saying where it is. Arrow keys
 * step and space plays while focus is in `scope` (but not in a text field or select).
 */
export class Stepper {
  constructor(scope, prefix, testPrefix, onGo) {
    this.prefix = prefix;
    this.onGo = onGo;
    this.count = 0;
    this.current = 0;
    this.timer = null;
    this.prev = el('button', { type: 'button', className: 'secondary', data: { testid: `${testPrefix}-prev`, i18n: `${prefix}.prev` } });
    this.next = el('button', { type: 'button', className: 'secondary', data: { testid: `${testPrefix}-next`, i18n: `${prefix}.next` } });
    this.play = el('button', { type: 'button', data: { testid: `${testPrefix}-play`, presenterPlay: '' } });
    this.where = el('span', { className: 'step-where', data: { testid: `${testPrefix}-where` }, attrs: { 'aria-live': 'polite' } });
    this.root = el('div', { className: 'stepper cp-stepper' }, this.prev, this.next, this.play, this.where);
    this.prev.addEventListener('click', () => this.go(this.current - 1));
    this.next.addEventListener('click', () => this.go(this.current + 1));
    this.play.addEventListener('click', () => this.toggle());
    scope.addEventListener('keydown', (e) => {
      if (e.target.closest('input, select, textarea')) return;
      if (e.key === 'ArrowLeft') this.go(this.current - 1);
      else if (e.key === 'ArrowRight') this.go(this.current + 1);
      else if (e.key === ' ' && !e.target.closest('button')) this.toggle();
      else return;
      e.preventDefault();
    });
    this.label();
  }

  /** A new number of positions; keeps the current one where it still exists. */
  setCount(n) {
    this.count = n;
    if (n === 0) this.stop();
    this.go(Math.min(this.current, Math.max(0, n - 1)));
  }

  go(k) {
    if (this.count === 0) {
      this.current = 0;
      this.prev.disabled = this.next.disabled = this.play.disabled = true;
      this.onGo(null);
      return;
    }
    this.current = Math.max(0, Math.min(this.count - 1, k));
    this.prev.disabled = this.current === 0;
    this.next.disabled = this.current === this.count - 1;
    this.play.disabled = false;
    this.onGo(this.current);
  }

  toggle() {
    if (this.timer) this.stop();
    else this.start();
  }

  start() {
    if (this.count === 0) return;
    if (this.current >= this.count - 1) this.go(0);
    this.timer = setInterval(() => {
      if (this.current >= this.count - 1) this.stop();
      else this.go(this.current + 1);
    }, PLAY_MS);
    this.label();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.label();
  }

  label() {
    this.play.textContent = t(this.timer ? `${this.prefix}.pause` : `${this.prefix}.play`);
  }
}

/** A grid of `rows`×`cols` cells made by `make(r, c)`, laid out by CSS grid. */
export function cellGrid(className, testid, rows, cols, make) {
  const g = el('div', { className: `cp-grid ${className}`, data: { testid }, attrs: { role: 'group' } });
  g.style.gridTemplateColumns = `repeat(${cols}, var(--cp-cell))`;
  const cells = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const cell = make(r, c);
      g.append(cell);
      cells.push(cell);
    }
  }
  return { grid: g, cells };
}

/** The number typed in a cell, or NaN: "2.5", "-1", "0,5" (a decimal comma) are numbers. */
function parseCell(text) {
  const t = text.trim().replace(',', '.').replace('−', '-');
  return t === '' ? NaN : Number(t);
}

/**
 * An editable number cell; calls `onValue(x)` with every finite value typed. A text field (with a
 * numeric keyboard on touch screens) rather than type=number, so the arrow keys move between
 * cells instead of changing the value.
 */
export function numberCell(value, testid, ariaKey, r, c, onValue) {
  const input = el('input', { type: 'text', inputMode: 'decimal', className: 'cp-num', data: { testid, r, c, ariaKey } });
  input.value = String(Math.round(value * 1e4) / 1e4);
  input.setAttribute('aria-label', t(ariaKey, { r, c }));
  input.addEventListener('input', () => {
    const x = parseCell(input.value);
    const ok = Number.isFinite(x);
    input.toggleAttribute('aria-invalid', !ok);
    if (ok) onValue(x);
  });
  input.addEventListener('focus', () => input.select());
  return input;
}

/**
 * One Tab stop for a whole grid: its cells (elements with data-r, data-c) are reached with the
 * arrow keys, and Tab leaves the grid. `onMove(cell)` runs when the arrows move to a cell.
 */
export function roving(grid, onMove) {
  const cells = [...grid.querySelectorAll('[data-r]')];
  cells.forEach((cell, i) => (cell.tabIndex = i === 0 ? 0 : -1));
  grid.addEventListener('focusin', (e) => {
    if (e.target.dataset.r === undefined) return;
    for (const cell of cells) cell.tabIndex = cell === e.target ? 0 : -1;
  });
  grid.addEventListener('keydown', (e) => {
    const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    const from = e.target;
    if (!d || from.dataset.r === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    const next = grid.querySelector(`[data-r="${Number(from.dataset.r) + d[0]}"][data-c="${Number(from.dataset.c) + d[1]}"]`);
    if (!next) return;
    next.focus();
    onMove?.(next);
  });
}

/** Make `cell` the grid's Tab stop (the stepper's current output value). */
export function tabStop(cells, cell) {
  for (const c of cells) c.tabIndex = c === cell ? 0 : -1;
}

/** Re-label the aria-labels of number cells after a language change. */
export function relabelCells(root) {
  for (const input of root.querySelectorAll('input.cp-num')) {
    input.setAttribute('aria-label', t(input.dataset.ariaKey, { r: input.dataset.r, c: input.dataset.c }));
  }
}

/** Copy a side×side grid into a new side2×side2 one (top-left kept, zeros elsewhere). */
export function resize(values, side, side2) {
  const out = new Float32Array(side2 * side2);
  for (let r = 0; r < Math.min(side, side2); r++) {
    for (let c = 0; c < Math.min(side, side2); c++) out[r * side2 + c] = values[r * side + c];
  }
  return out;
}

/** The core's output size as the chapters read it: `size` 0 and `fits` false when no window fits. */
export function fitted(z) {
  return { ...z, fits: z.size !== null, size: z.size ?? 0 };
}

let widget = null;

export function mount(body, core) {
  widget = new ConvolutionWidget(body, core);
}

/** Re-render every string after a language change. */
export function refresh() {
  widget?.refresh();
}

class ConvolutionWidget {
  constructor(body, core) {
    this.core = core;
    this.body = body;
    this.st = { w: 7, f: 3, s: 1, p: 0, bias: 0, inputPreset: 'edge', kernelPreset: 'vertical-edge', seed: 1, cin: 3, cout: 2 };
    this.loadInput();
    this.loadKernel();
    this.demo = null;
    this.build();
    this.geometryChanged();
  }

  build() {
    const st = this.st;
    const intro = el('p', { className: 'intro', data: { i18n: 'ch.convolution.intro' } });
    this.wSel = field('ch.convolution.inputSize', 'conv-W', range(3, 9), st.w);
    this.fSel = field('ch.convolution.kernelSize', 'conv-F', range(1, 5), st.f);
    this.sSel = field('ch.convolution.stride', 'conv-S', range(1, 4), st.s);
    this.pSel = field('ch.convolution.padding', 'conv-P', range(0, 3), st.p);
    this.inSel = field('ch.convolution.inputPreset', 'conv-input-preset',
      [...this.core.convInputPresets().map((n) => [n, `ch.convolution.preset.${n}`]), ['custom', 'ch.convolution.preset.custom']], st.inputPreset);
    this.kSel = field('ch.convolution.kernelPreset', 'conv-kernel-preset',
      [...this.core.convKernelPresets().map((n) => [n, `ch.convolution.kernel.${n}`]), ['custom', 'ch.convolution.preset.custom']], st.kernelPreset);
    this.biasInput = el('input', { type: 'text', inputMode: 'decimal', value: '0', className: 'cp-bias', data: { testid: 'conv-bias' } });
    const biasLabel = el('label', { className: 'field' }, el('span', { data: { i18n: 'ch.convolution.bias' } }), this.biasInput);
    this.reroll = el('button', { type: 'button', className: 'secondary', data: { testid: 'conv-reroll', i18n: 'ch.convolution.reroll' } });
    const controls = el('div', { className: 'controls' }, this.wSel.label, this.fSel.label, this.sSel.label, this.pSel.label, this.inSel.label, this.kSel.label, biasLabel, this.reroll);

    this.formulaText = el('span');
    this.result = el('strong', { className: 'cp-result', data: { testid: 'conv-result' }, attrs: { 'aria-live': 'polite' } });
    this.formula = el('p', { className: 'cp-formula', data: { testid: 'conv-formula' } }, this.formulaText, ' ', this.result);
    this.noFit = el('p', { className: 'message bad', data: { testid: 'conv-nofit' } });
    this.unused = el('p', { className: 'hint', data: { testid: 'conv-unused' } });

    this.inFig = el('figure', { className: 'cp-fig' });
    this.kFig = el('figure', { className: 'cp-fig' });
    this.outFig = el('figure', { className: 'cp-fig' });
    const grids = el('div', { className: 'cp-grids' }, this.inFig, this.kFig, this.outFig);
    const legend = el('ul', { className: 'cp-legend' },
      el('li', { className: 'lg-win', data: { i18n: 'ch.convolution.legendWindow' } }),
      el('li', { className: 'lg-out', data: { i18n: 'ch.convolution.legendOutput' } }),
      el('li', { className: 'lg-pad', data: { i18n: 'ch.convolution.legendPad' } }));

    this.stepper = new Stepper(this.body, 'ch.convolution', 'conv', (k) => this.showStep(k));
    this.stepBox = el('div', { className: 'cp-step', data: { testid: 'conv-step' }, attrs: { 'aria-live': 'polite' } });
    this.message = el('p', { className: 'message bad', data: { testid: 'conv-error' } });

    // Part 2: channels.
    const h3 = el('h3', { data: { i18n: 'ch.convolution.channels.heading' } });
    const intro2 = el('p', { className: 'intro', data: { i18n: 'ch.convolution.channels.intro' } });
    this.cinSel = field('ch.convolution.channels.cin', 'conv-cin', range(1, 4), st.cin);
    this.coutSel = field('ch.convolution.channels.cout', 'conv-cout', range(1, 6), st.cout);
    this.chUses = el('span', { className: 'hint', data: { testid: 'conv-ch-uses' } });
    const controls2 = el('div', { className: 'controls' }, this.cinSel.label, this.coutSel.label, this.chUses);
    this.chView = el('div', { className: 'cp-channels', data: { testid: 'conv-channels' } });
    this.depth = el('p', { data: { testid: 'conv-depth' } });
    this.params = el('p', { className: 'cp-formula', data: { testid: 'conv-params' } });

    this.body.append(intro, controls, this.formula, this.noFit, this.unused, grids, legend, this.stepper.root, this.stepBox, this.message,
      h3, intro2, controls2, this.chView, this.depth, this.params);
    applyStrings(this.body);

    const geometry = (key, sel) => sel.select.addEventListener('change', () => {
      st[key] = Number(sel.select.value);
      this.geometryChanged();
    });
    geometry('w', this.wSel);
    geometry('f', this.fSel);
    geometry('s', this.sSel);
    geometry('p', this.pSel);
    this.inSel.select.addEventListener('change', () => {
      st.inputPreset = this.inSel.select.value;
      this.loadInput();
      this.geometryChanged();
    });
    this.kSel.select.addEventListener('change', () => {
      st.kernelPreset = this.kSel.select.value;
      this.loadKernel();
      this.geometryChanged();
    });
    this.reroll.addEventListener('click', () => {
      st.seed += 1;
      if (st.inputPreset !== 'random') this.inSel.select.value = st.inputPreset = 'random';
      this.loadInput();
      this.geometryChanged();
    });
    this.biasInput.addEventListener('input', () => {
      const b = parseCell(this.biasInput.value);
      this.biasInput.toggleAttribute('aria-invalid', !Number.isFinite(b));
      if (!Number.isFinite(b)) return;
      st.bias = b;
      this.compute();
    });
    for (const [key, sel] of [['cin', this.cinSel], ['cout', this.coutSel]]) {
      sel.select.addEventListener('change', () => {
        st[key] = Number(sel.select.value);
        this.channels();
      });
    }
  }

  /** The input grid from its preset (a custom one is kept and resized); `inputW` is its side. */
  loadInput() {
    const st = this.st;
    st.input = st.inputPreset === 'custom' ? resize(st.input, st.inputW, st.w) : Float32Array.from(this.core.convInputPreset(st.inputPreset, st.w, st.seed));
    st.inputW = st.w;
  }

  /** The kernel from its preset (a custom one is kept and resized); `kernelF` is its side. */
  loadKernel() {
    const st = this.st;
    st.kernel = st.kernelPreset === 'custom' ? resize(st.kernel, st.kernelF, st.f) : Float32Array.from(this.core.convKernelPreset(st.kernelPreset, st.f, st.seed));
    st.kernelF = st.f;
  }

  /** W, F, S or P (or a preset) changed: new grids, new output. */
  geometryChanged() {
    const st = this.st;
    if (st.inputW !== st.w) this.loadInput();
    if (st.kernelF !== st.f) this.loadKernel();
    this.buildInputGrid();
    this.buildKernelGrid();
    this.compute();
    this.channels();
  }

  buildInputGrid() {
    const { w, p } = this.st;
    const wp = w + 2 * p;
    const { grid, cells } = cellGrid('cp-input', 'conv-input', wp, wp, (r, c) => {
      const inside = r >= p && c >= p && r < p + w && c < p + w;
      if (!inside) return el('span', { className: 'cp-cell cp-pad', data: { testid: `conv-pad-${r}-${c}` }, attrs: { 'aria-hidden': 'true' } }, '0');
      const i = (r - p) * w + (c - p);
      const input = numberCell(this.st.input[i], `conv-in-${r - p}-${c - p}`, 'ch.convolution.inputCell', r - p, c - p, (x) => {
        this.st.input[i] = x;
        this.custom(this.inSel, 'inputPreset');
        this.compute();
      });
      return el('span', { className: 'cp-cell' }, input);
    });
    this.inCells = cells;
    roving(grid);
    this.inCaption = el('figcaption');
    this.inFig.replaceChildren(grid, this.inCaption);
  }

  buildKernelGrid() {
    const { f } = this.st;
    const { grid } = cellGrid('cp-kernel', 'conv-kernel', f, f, (r, c) => {
      const i = r * f + c;
      const input = numberCell(this.st.kernel[i], `conv-k-${r}-${c}`, 'ch.convolution.kernelCell', r, c, (x) => {
        this.st.kernel[i] = x;
        this.custom(this.kSel, 'kernelPreset');
        this.compute();
      });
      return el('span', { className: 'cp-cell cp-weight' }, input);
    });
    roving(grid);
    this.kCaption = el('figcaption');
    this.kFig.replaceChildren(grid, this.kCaption);
  }

  /** A typed value makes the grid the learner's own: the preset select says "your own". */
  custom(sel, key) {
    this.st[key] = 'custom';
    sel.select.value = 'custom';
  }

  /** Run the core's convolution on the current numbers and show everything that depends on it. */
  compute() {
    const st = this.st;
    this.demo?.free();
    this.demo = null;
    try {
      this.demo = this.core.ConvDemo.compute(st.input, st.w, st.kernel, st.f, st.s, st.p, st.bias);
      this.message.textContent = '';
    } catch (err) {
      this.message.textContent = explain(err);
      this.stepper.setCount(0);
      return;
    }
    this.size = fitted(this.demo.size);
    this.output = this.demo.output();
    const o = this.size.size;
    if (this.outSide !== o || !this.outCells) this.buildOutputGrid(o);
    this.outCells.forEach((cell, i) => {
      cell.textContent = fmt(this.output[i]);
      cell.dataset.value = String(this.output[i]);
    });
    this.renderText();
    this.stepper.setCount(o * o);
  }

  buildOutputGrid(o) {
    this.outSide = o;
    const { grid, cells } = cellGrid('cp-output', 'conv-output', o, o, (r, c) =>
      el('button', { type: 'button', className: 'cp-cell cp-out', data: { testid: `conv-out-${r}-${c}`, r, c } }));
    cells.forEach((cell, i) => cell.addEventListener('click', () => this.stepper.go(i)));
    roving(grid, (cell) => this.stepper.go(cells.indexOf(cell)));
    this.outCells = cells;
    this.outCaption = el('figcaption');
    this.outFig.replaceChildren(grid, this.outCaption);
  }

  /** Every dynamic sentence, in the current language. */
  renderText() {
    const st = this.st;
    const z = this.size;
    if (!z) return;
    const nums = { w: st.w, f: st.f, s: st.s, p: st.p, span: num(z.span), size: z.size, padded: st.w + 2 * st.p };
    this.formulaText.textContent = t('ch.convolution.formula', nums);
    this.result.textContent = z.fits ? t('ch.convolution.result', nums) : '';
    this.result.dataset.size = String(z.size);
    this.noFit.textContent = z.fits ? '' : t('ch.convolution.noFit', nums);
    this.unused.textContent = z.fits && z.unused > 0 ? t('ch.convolution.unused', { n: z.unused, padded: st.w + 2 * st.p }) : '';
    this.inCaption.textContent = t('ch.convolution.inputCaption', nums);
    this.kCaption.textContent = t('ch.convolution.kernelCaption', nums);
    this.outCaption.textContent = z.fits ? t('ch.convolution.outputCaption', { o: z.size }) : t('ch.convolution.noOutput');
    this.outCells.forEach((cell) => cell.setAttribute('aria-label', t('ch.convolution.outputCell', { r: cell.dataset.r, c: cell.dataset.c, v: cell.textContent })));
  }

  /** Highlight output position k (row-major) and its window; write its products and sum. */
  showStep(k) {
    const { w, f, p } = this.st;
    const wp = w + 2 * p;
    for (const c of this.inCells ?? []) c.classList.remove('win', 'win-top', 'win-left', 'win-bottom', 'win-right');
    for (const c of this.outCells ?? []) c.classList.remove('cur');
    if (k === null || !this.demo || !this.size?.fits) {
      this.stepper.where.textContent = t('ch.convolution.noStep');
      this.stepBox.replaceChildren();
      return;
    }
    const o = this.size.size;
    const y = Math.floor(k / o), x = k % o;
    const step = this.demo.step(y, x);
    for (let u = 0; u < f; u++) {
      for (let v = 0; v < f; v++) {
        const cell = this.inCells[(step.top + u) * wp + step.left + v];
        cell.classList.add('win');
        if (u === 0) cell.classList.add('win-top');
        if (v === 0) cell.classList.add('win-left');
        if (u === f - 1) cell.classList.add('win-bottom');
        if (v === f - 1) cell.classList.add('win-right');
      }
    }
    this.outCells[k].classList.add('cur');
    tabStop(this.outCells, this.outCells[k]);
    this.stepper.where.textContent = t('ch.convolution.where', { y, x, k: k + 1, n: o * o, top: step.top, left: step.left });

    // The products, cell by cell, then the sum.
    const { grid } = cellGrid('cp-products', 'conv-products', f, f, (u, v) => {
      const i = u * f + v;
      return el('span', { className: `cp-cell cp-prod${step.padding[i] ? ' cp-pad' : ''}` },
        el('small', {}, `${factor(step.window[i])}×${factor(this.st.kernel[i])}`), el('b', {}, fmt(step.written.terms[i], step.written.decimals)));
    });
    // As the core writes them: the written products add up to the written sum, and the sum and
    // the bias to the value.
    const d = step.written.decimals;
    const terms = step.written.terms.map((v) => factor(v, d)).join(' + ');
    const sum = el('p', { className: 'cp-sum', data: { testid: 'conv-sum', decimals: String(d) } }, t('ch.convolution.sum', { n: f * f, terms, sum: fmt(step.written.total, d) }));
    const value = el('p', { className: 'cp-sum', data: { testid: 'conv-step-value', value: String(step.value) } },
      t('ch.convolution.value', { sum: fmt(step.written.total, d), bias: factor(step.writtenBias, d), value: fmt(step.writtenValue, d), y, x }));
    this.stepBox.replaceChildren(el('p', { className: 'cp-step-title', data: { i18n: 'ch.convolution.products' } }, t('ch.convolution.products')), grid, sum, value);
  }

  /** Part 2: C_in channels through C_out kernels, by the core, drawn as small maps. */
  channels() {
    const st = this.st;
    let d;
    try {
      d = this.core.channelDemo(st.w, st.f, st.s, st.p, st.cin, st.cout, 7);
    } catch (err) {
      this.message.textContent = explain(err);
      return;
    }
    const c = { ...d, size: fitted(d.size) };
    const { size } = c;
    this.ch = c;
    const { w, f } = st;
    const o = size.size;
    const map = (values, offset, side, testid, labelKey, labelValues) => {
      const canvas = el('canvas', { className: 'cp-map', data: { testid }, attrs: { role: 'img' } });
      paint(canvas, values, offset, side, side, scaleFor(values));
      canvas.dataset.labelKey = labelKey;
      canvas.dataset.labelValues = JSON.stringify(labelValues);
      const cap = el('span', { className: 'cp-map-label' });
      return el('figure', { className: 'cp-mapfig' }, canvas, cap);
    };
    const col = (headKey, items) => el('div', { className: 'cp-col' }, el('p', { className: 'cp-col-head', data: { headKey } }), ...items);
    const inputs = [];
    for (let ch = 0; ch < c.cIn; ch++) inputs.push(map(c.input, ch * w * w, w, `conv-ch-in-${ch}`, 'ch.convolution.channels.channelLabel', { c: ch }));
    const kernels = [];
    for (let k = 0; k < c.cOut; k++) {
      const slices = [];
      for (let ch = 0; ch < c.cIn; ch++) slices.push(map(c.kernels, (k * c.cIn + ch) * f * f, f, `conv-ch-k-${k}-${ch}`, 'ch.convolution.channels.sliceLabel', { k, c: ch }));
      kernels.push(el('div', { className: 'cp-kernel-row', data: { testid: `conv-ch-kernel-${k}` } }, el('span', { className: 'cp-kname', data: { k } }), ...slices));
    }
    const outputs = [];
    if (size.fits) {
      for (let k = 0; k < c.cOut; k++) outputs.push(map(c.output, k * o * o, o, `conv-ch-out-${k}`, 'ch.convolution.channels.mapLabel', { k }));
    }
    this.chView.replaceChildren(col('in', inputs), el('span', { className: 'cp-arrow', attrs: { 'aria-hidden': 'true' } }, '⊛'),
      col('kernels', kernels), el('span', { className: 'cp-arrow', attrs: { 'aria-hidden': 'true' } }, '→'), col('out', outputs));
    this.renderChannelText();
  }

  renderChannelText() {
    const c = this.ch;
    if (!c) return;
    const { w, f } = this.st;
    const o = c.size.size;
    const heads = {
      in: t('ch.convolution.channels.shapeInput', { c: c.cIn, w }),
      kernels: t('ch.convolution.channels.shapeKernels', { cout: c.cOut, cin: c.cIn, f }),
      out: c.size.fits ? t('ch.convolution.channels.shapeOutput', { c: c.cOut, o }) : t('ch.convolution.noOutput'),
    };
    for (const head of this.chView.querySelectorAll('.cp-col-head')) head.textContent = heads[head.dataset.headKey];
    for (const name of this.chView.querySelectorAll('.cp-kname')) name.textContent = t('ch.convolution.channels.kernelLabel', { k: name.dataset.k });
    for (const canvas of this.chView.querySelectorAll('canvas.cp-map')) {
      const label = t(canvas.dataset.labelKey, JSON.parse(canvas.dataset.labelValues));
      canvas.setAttribute('aria-label', label);
      canvas.nextElementSibling.textContent = label;
    }
    this.chUses.textContent = t('ch.convolution.channels.uses', { w, f, s: this.st.s, p: this.st.p });
    this.depth.textContent = t('ch.convolution.channels.depth', { f, cin: c.cIn, cout: c.cOut });
    this.params.textContent = t('ch.convolution.channels.params', {
      f, cin: c.cIn, cout: c.cOut, weights: num(c.weights), biases: num(c.biasCount), params: num(c.params),
    });
    this.params.dataset.params = String(c.params);
  }

  refresh() {
    applyStrings(this.body);
    relabelCells(this.body);
    this.stepper.label();
    this.renderText();
    this.showStep(this.stepper.count ? this.stepper.current : null);
    this.renderChannelText();
  }
}
