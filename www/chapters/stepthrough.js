// Chapter "Forward propagation, layer by layer": every layer's output for the pad's digit (feature
// maps for image-shaped outputs, strips for vectors, the softmax at the end), a stepper that walks
// through them, and the convolution inspector behind every conv feature map — opened inside the
// clicked map's row, with the window it reads outlined on the input maps. "Show the code" follows
// the learner: under the stepper it holds the current layer's reference function; inside the
// inspector, conv2d_forward with the inspected value's indices and sums beside its lines.

import { applyStrings, explain, num, setAttr, t, tm } from '../i18n.js';
import { fixed, term } from '../format.js';
import { CodeView } from '../codeview.js';
import { legendFor, mapSet, outline, paintMaps } from '../maps.js';
import { reveal } from './dom.js';

let view = null;

export function mount(body, core, nb) {
  body.innerHTML = `
    <p class="intro" data-i18n="forward.intro"></p>
    <div class="stepper" role="group" data-i18n-attr="aria-label:forward.controls" aria-describedby="stepper-keys">
      <button type="button" data-testid="forward-prev" data-i18n="forward.prev"></button>
      <button type="button" data-presenter-play data-testid="forward-play" data-i18n="forward.play"></button>
      <button type="button" data-testid="forward-next" data-i18n="forward.next"></button>
      <span class="step-where" data-testid="forward-step" aria-live="polite"></span>
      <span id="stepper-keys" class="hint stepper-keys" data-i18n="forward.keys"></span>
    </div>
    <div class="code-slot" data-testid="forward-code-slot"></div>
    <ol id="layers-view" class="layers-view"></ol>
    <div class="inspector" data-testid="inspector" hidden aria-live="polite"></div>`;
  applyStrings(body);
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  view = new ForwardView({
    list: body.querySelector('#layers-view'), where: q('forward-step'), prev: q('forward-prev'), next: q('forward-next'),
    play: q('forward-play'), inspector: q('inspector'), stepper: body.querySelector('.stepper'),
    code: new CodeView(q('forward-code-slot'), core, 'forward-code'),
  });
  view.setNetwork(nb.predictor);
  const show = () => {
    view.list.classList.toggle('empty', !nb.prediction);
    if (nb.prediction) view.render();
  };
  nb.on('network', () => view.setNetwork(nb.predictor));
  nb.on('prediction', show);
  show();
}

/** Words after a change of language: the rows are built again, the position and the inspected value kept. */
export function refresh() {
  if (!view) return;
  view.setNetwork(view.predictor, true);
  if (view.predictor && !view.list.classList.contains('empty')) view.render();
}

/** For tests and the bench. */
export const handle = () => view;

const PLAY_MS = 900;
/** Where the inspector starts when the page opens: the first conv layer, map 0, the centre. */
const FIRST_INSPECTED = [0, 0, 14, 14];

class ForwardView {
  constructor({ list, where, prev, next, play, inspector, stepper, code }) {
    Object.assign(this, { list, where, prev, next, play, inspector, stepper, code });
    this.codeSlot = code.details.parentElement;
    /** Whether the code shows the inspected value ('inspector') or the current layer ('step'). */
    this.codeFollows = 'step';
    this.layers = [];
    this.rows = [];
    this.current = 0;
    this.timer = null;
    this.predictor = null;
    this.inspected = null;
    this.outlines = [];
    prev.addEventListener('click', () => this.go(this.current - 1, { scroll: true, step: true }));
    next.addEventListener('click', () => this.go(this.current + 1, { scroll: true, step: true }));
    play.addEventListener('click', () => (this.timer ? this.stop() : this.start()));
    // The arrow keys step through the layers only while the stepper has the focus (it says so);
    // elsewhere they move between chapters in presenter mode.
    stepper.dataset.arrowKeys = 'layers';
    stepper.addEventListener('keydown', (e) => {
      const to = { ArrowLeft: this.current - 1, ArrowRight: this.current + 1, Home: 0, End: this.layers.length - 1 }[e.key];
      if (to === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
      this.go(to, { scroll: true, step: true });
      e.preventDefault();
    });
    inspector.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.closeInspector();
    });
  }

  /** Build one row per layer (and the input) for a network's `layers()`. */
  /** `force` rebuilds the rows even for the same network (their words, after a language change). */
  setNetwork(predictor, force = false) {
    this.predictor = predictor;
    const views = predictor.layers();
    const same = !force && views.length === this.layers.length && views.every((v, i) => v.label.en === this.layers[i].english);
    this.layers = views.map((v) => ({ ...v, english: v.label.en, label: tm(v.label) }));
    if (same) return;
    const at = this.current;
    // The same network in other words (a change of language) keeps the value inspected.
    const inspected = force ? this.inspected : null;
    this.closeInspector();
    this.input = this.row({ index: -1, label: t('forward.input'), kind: 'input', shape: '(N, 1, 28, 28)', channels: 1, height: 28, width: 28, params: 0 });
    this.list.replaceChildren(this.input.li);
    this.rows = this.layers.map((l) => {
      const r = this.row(l);
      this.list.append(r.li);
      return r;
    });
    this.go(force ? at : this.layers.length - 1);
    this.inspected = inspected;
  }

  row(l) {
    const li = document.createElement('li');
    li.className = `layer kind-${l.kind}`;
    li.dataset.testid = l.index < 0 ? 'layer-input' : `layer-${l.index}`;
    li.dataset.index = l.index;
    const head = document.createElement('div');
    head.className = 'layer-head';
    const name = document.createElement('strong');
    name.textContent = l.index < 0 ? l.label : `${l.index} · ${l.label}`;
    const shape = document.createElement('code');
    shape.className = 'shape';
    shape.textContent = l.shape;
    const params = document.createElement('span');
    params.className = 'params';
    params.textContent = l.index < 0 ? '' : t('forward.params', { n: num(l.params) });
    const legend = document.createElement('span');
    legend.className = 'legend';
    head.append(name, shape, params, legend);
    const inspectable = this.inspectable(l.index) !== null;
    const { wrap, canvases } = mapSet(l, {
      label: (c) => t(l.height ? 'forward.mapLabel' : 'forward.vectorLabel', { c, layer: l.label }),
      testid: (c) => (l.index < 0 ? 'fmap-input' : `fmap-${l.index}-${c}`),
    });
    canvases.forEach((canvas, c) => {
      if (!inspectable) return;
      canvas.tabIndex = 0;
      canvas.title = t('forward.inspectHint');
      canvas.classList.add('inspectable');
      canvas.dataset.arrowKeys = 'cursor';
      canvas.addEventListener('click', (e) => this.clicked(l, c, canvas, e));
      canvas.addEventListener('keydown', (e) => this.key(l, c, canvas, e));
    });
    // Inside a block: indented, and said where (f(x), the shortcut, a path, the merge).
    if (l.depth) li.style.setProperty('--depth', l.depth);
    const part = partText(l);
    if (part) {
      const tag = document.createElement('span');
      tag.className = 'part';
      tag.textContent = part;
      head.append(tag);
    }
    // A residual sum shows what it adds: f(x) and x (or the shortcut's projection), then the sum.
    const terms = l.kind === 'add' ? l.inputs.map((k, i) => this.term(k, i)) : [];
    const sum = [];
    if (terms.length) {
      const caption = document.createElement('p');
      caption.className = 'hint sum-caption';
      caption.textContent = t('forward.termSum');
      sum.push(caption);
    }
    li.append(head, ...terms.map((term) => term.box), ...sum, wrap);
    return { li, canvases, legend, shape: l, terms };
  }

  /** One term of a residual sum: activation `k`'s maps, under a caption. */
  term(k, i) {
    const source = this.layers[k - 1];
    const shape = k === 0 ? this.input.shape : source;
    const box = document.createElement('div');
    box.className = 'sum-term';
    const caption = document.createElement('p');
    caption.className = 'hint';
    const from = k === 0 ? t('forward.input') : `${k - 1} · ${source.label}`;
    const key = i === 0 ? 'forward.termBody' : source?.part?.kind === 'shortcut' ? 'forward.termShortcut' : 'forward.termIdentity';
    caption.textContent = t(key, { from });
    const { wrap, canvases } = mapSet(shape, { label: (c) => t('forward.mapLabel', { c, layer: caption.textContent }) });
    box.append(caption, wrap);
    return { box, canvases, shape, k };
  }

  /** The conv layer behind a layer's maps: itself, or the conv an activation applies to. */
  inspectable(index) {
    const l = this.layers[index];
    if (!l) return null;
    if (l.kind === 'conv') return index;
    // Activation k reads activation k when it follows the conv k − 1 directly.
    if (l.kind === 'activation' && this.layers[index - 1]?.kind === 'conv' && l.inputs[0] === index) return index - 1;
    return null;
  }

  /** The row whose maps layer `index` reads: the input, or the layer its first input comes from. */
  inputRow(index) {
    const from = this.layers[index]?.inputs[0] ?? index;
    return from === 0 ? this.input : this.rows[from - 1];
  }

  /** Paint every layer's output for the predictor's last prediction. */
  render() {
    const p = this.predictor;
    const paintRow = (r, values) => {
      const scale = paintMaps(r.canvases, values, r.shape);
      legendFor(scale, r.legend);
      return scale;
    };
    paintRow(this.input, p.input());
    this.layers.forEach((l, i) => {
      const row = this.rows[i];
      const scale = paintRow(row, p.output(l.index));
      // The terms of a sum on the sum's own colour scale, so that f(x) + x can be read off.
      for (const term of row.terms) paintMaps(term.canvases, term.k === 0 ? p.input() : p.output(term.k - 1), term.shape, scale);
    });
    // The inspector follows the drawing; when the page opens it shows a first value, so the
    // arithmetic is there before anyone knows to click.
    const at = this.inspected ?? (this.opened ? null : FIRST_INSPECTED);
    if (at && this.inspectable(at[0]) !== null) {
      const [layer, c, y, x, shownOn = layer] = at;
      this.inspect(layer, c, y, x, { shownOn, scroll: false });
    }
    this.opened = true;
  }

  /**
   * Make layer k the current one; `scroll` (a step the learner took) keeps its row in view, and
   * `step` turns the code to that layer's reference function.
   */
  go(k, { scroll = false, step = false } = {}) {
    this.current = Math.max(0, Math.min(this.layers.length - 1, k));
    this.rows.forEach(({ li }, i) => {
      li.classList.toggle('current', i === this.current);
      li.classList.toggle('pending', i > this.current);
      if (i === this.current) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    });
    const l = this.layers[this.current];
    if (!l) return;
    // Counted as the rows are labelled: from 0, as PyTorch's nn.Sequential numbers its layers.
    this.where.textContent = t('forward.where', { index: l.index, last: this.layers.length - 1, label: l.label, shape: l.shape, params: num(l.params) });
    this.prev.disabled = this.current === 0;
    this.next.disabled = this.current === this.layers.length - 1;
    if (scroll || this.timer) this.rows[this.current]?.li.scrollIntoView?.({ block: 'nearest', behavior: this.timer ? 'smooth' : 'auto' });
    if (step || this.timer) this.codeFollows = 'step';
    this.showCode();
  }

  /**
   * The code where the learner is looking: inside the inspector, conv2d_forward with the
   * inspected value's numbers; else under the stepper, the current layer's forward function.
   */
  showCode(parts = this.parts) {
    if (this.codeFollows === 'inspector' && this.inspected && parts) {
      this.code.moveTo(this.inspector);
      this.code.show(this.layers[parts.layer].forward, convNotes(parts));
    } else {
      this.code.moveTo(this.codeSlot);
      this.code.show(this.layers[this.current]?.forward ?? null);
    }
  }

  start() {
    this.go(0, { step: true });
    this.play.textContent = t('forward.pause');
    this.timer = setInterval(() => {
      if (this.current >= this.layers.length - 1) this.stop();
      else this.go(this.current + 1);
    }, PLAY_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.play.textContent = t('forward.play');
  }

  clicked(l, c, canvas, e) {
    const r = canvas.getBoundingClientRect();
    const x = Math.min(l.width - 1, Math.floor(((e.clientX - r.left) / r.width) * l.width));
    const y = Math.min(l.height - 1, Math.floor(((e.clientY - r.top) / r.height) * l.height));
    canvas.dataset.cursor = `${y},${x}`;
    this.inspect(this.inspectable(l.index), c, y, x, { shownOn: l.index });
  }

  /** Keyboard: Enter inspects the map's cursor (the centre at first), arrows move it. */
  key(l, c, canvas, e) {
    let [y, x] = (canvas.dataset.cursor ?? `${l.height >> 1},${l.width >> 1}`).split(',').map(Number);
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[e.key]) {
      y = Math.max(0, Math.min(l.height - 1, y + moves[e.key][0]));
      x = Math.max(0, Math.min(l.width - 1, x + moves[e.key][1]));
    } else if (e.key === 'Escape') {
      this.closeInspector();
      return;
    } else if (e.key !== 'Enter' && e.key !== ' ') {
      return;
    }
    e.preventDefault();
    canvas.dataset.cursor = `${y},${x}`;
    this.inspect(this.inspectable(l.index), c, y, x, { shownOn: l.index });
  }

  /**
   * Take apart output (c, y, x) of conv layer `layer`: the inspector opens inside the row whose
   * map was clicked (`shownOn`: the conv or the activation after it), the input window is
   * outlined on the maps it reads, and the value on the map it makes.
   */
  inspect(layer, c, y, x, { shownOn = this.shownFor(layer), scroll = true } = {}) {
    let parts;
    try {
      parts = this.predictor.inspect(layer, c, y, x);
    } catch (err) {
      this.inspector.hidden = false;
      this.inspector.textContent = explain(err);
      return;
    }
    this.inspected = [layer, c, y, x, shownOn];
    const row = this.rows[shownOn] ?? this.rows[layer];
    if (this.inspector.parentElement !== row.li) row.li.append(this.inspector);
    renderInspector(this.inspector, parts, this.layers[layer], () => this.closeInspector());
    this.markWindow(layer, parts, row, c, y, x);
    this.parts = parts;
    this.codeFollows = 'inspector';
    this.showCode();
    if (scroll) this.showWith(layer);
  }

  /** The row an inspection of `layer` opens in: the one it was last shown on, if it is that conv's. */
  shownFor(layer) {
    const last = this.inspected?.[4];
    return last !== undefined && this.inspectable(last) === layer ? last : layer;
  }

  /**
   * Scroll so that the conv's input maps (the window outlined on them), the clicked map and the
   * inspector's title are on screen together, under the sticky stepper; when they cannot all
   * fit, the inspector comes first.
   */
  showWith(layer) {
    const input = this.inputRow(layer).li;
    const shift = input.getBoundingClientRect().top - this.stepper.offsetHeight - 8;
    const title = this.inspector.getBoundingClientRect().top - shift;
    if (title + 80 < innerHeight) window.scrollBy({ top: shift });
    else reveal(this.inspector);
  }

  /** Outline the window on every input map of `layer`, and the value on the map shown. */
  markWindow(layer, p, row, c, y, x) {
    this.outlines.forEach((o) => o.remove());
    const input = this.inputRow(layer);
    const { height: h, width: w } = input.shape;
    this.outlines = input.canvases
      .map((canvas) => outline(canvas.parentElement, { top: p.top, left: p.left, size: p.kernel, h, w, kind: 'window' }))
      .concat([outline(row.canvases[c].parentElement, { top: y, left: x, size: 1, h: row.shape.height, w: row.shape.width, kind: 'cursor' })])
      .filter(Boolean);
  }

  closeInspector() {
    this.inspector.hidden = true;
    this.inspected = null;
    this.parts = null;
    this.codeFollows = 'step';
    this.showCode();
    this.outlines.forEach((o) => o.remove());
    this.outlines = [];
  }
}


/**
 * The inspector: per input channel, the window, the kernel, their products and the channel's
 * sum; then the sum over the channels plus the bias, written so that it adds up at the decimals
 * shown (the core chooses them), and the activation.
 */
function renderInspector(box, p, layer, close) {
  box.hidden = false;
  // The code panel living in the inspector stays put: taking it out, even for a moment, would
  // drop the keyboard focus of someone reading it each time the drawing or the weights change.
  const code = box.querySelector(':scope > .code-view');
  const hadCloseFocus = document.activeElement?.dataset?.testid === 'inspect-close';
  for (const child of [...box.children]) if (child !== code) child.remove();
  const add = (...nodes) => (code ? code.before(...nodes) : box.append(...nodes));
  const head = document.createElement('div');
  head.className = 'inspect-head';
  const h = document.createElement('h3');
  h.textContent = t('inspect.title', { layer: layer.index, label: layer.label, c: p.channel, y: p.y, x: p.x });
  const closer = document.createElement('button');
  closer.type = 'button';
  closer.className = 'secondary close';
  closer.dataset.testid = 'inspect-close';
  closer.textContent = '×';
  setAttr(closer, 'aria-label', 'inspect.close');
  closer.addEventListener('click', close);
  head.append(h, closer);
  const intro = document.createElement('p');
  intro.className = 'hint';
  intro.textContent = t('inspect.intro', { k: p.kernel, cin: p.inChannels, top: p.top, left: p.left });
  add(head, intro);
  const k2 = p.kernel * p.kernel;
  // The sum as the core writes it: the channels' sums and the bias add up to the value as written.
  const { terms: written, total, decimals: d } = p.written;
  const sums = p.channelSums;
  const groups = document.createElement('div');
  groups.className = 'inspect-groups';
  const { window: win, weights, products, padding } = p;
  for (let c = 0; c < p.inChannels; c++) {
    const g = document.createElement('div');
    g.className = 'inspect-group';
    const cap = document.createElement('p');
    cap.textContent = t('inspect.channel', { c });
    g.append(cap);
    // window × kernel = products, cell by cell, side by side.
    const tables = document.createElement('div');
    tables.className = 'inspect-tables';
    const op = (sign) => Object.assign(document.createElement('span'), { className: 'op', textContent: sign, ariaHidden: 'true' });
    tables.append(
      grid(t('inspect.window'), win, c * k2, p.kernel, padding), op('×'),
      grid(t('inspect.kernel'), weights, c * k2, p.kernel, null), op('='),
      grid(t('inspect.products'), products, c * k2, p.kernel, null),
    );
    g.append(tables);
    const sum = document.createElement('p');
    sum.className = 'channel-sum';
    sum.textContent = t('inspect.channelSum', { sum: fixed(sums[c], d) });
    g.append(sum);
    groups.append(g);
  }
  add(groups);
  const sum = document.createElement('p');
  sum.className = 'inspect-sum';
  sum.dataset.testid = 'inspect-sum';
  sum.dataset.decimals = String(d);
  sum.textContent = t('inspect.sum', {
    terms: written.slice(0, -1).map((s) => term(s, d)).join(' + '),
    bias: term(written.at(-1), d),
    value: fixed(total, d),
    stored: fixed(p.stored, d),
  });
  add(sum);
  if (p.activation) {
    const act = document.createElement('p');
    act.className = 'inspect-sum';
    act.textContent = t('inspect.activation', { name: p.activation, value: fixed(total, d), out: fixed(p.activated, d) });
    add(act);
  }
  if (hadCloseFocus) closer.focus({ preventScroll: true });
}

/**
 * What conv2d_forward's lines do for the inspected value: the value of each loop variable, the
 * ranges the sum runs over, and the sum it builds (as the inspector writes it).
 */
function convNotes(p) {
  const { decimals: d, total } = p.written;
  const bias = p.written.terms.at(-1);
  return [
    [/for n in 0\.\.g\.n\b/, t('inspect.code.n')],
    [/for o in 0\.\.g\.c_out\b/, t('inspect.code.o', { o: p.channel })],
    [/for i in 0\.\.g\.h_out\b/, t('inspect.code.i', { i: p.y })],
    [/for j in 0\.\.g\.w_out\b/, t('inspect.code.j', { j: p.x })],
    [/let mut sum = b\[o\]/, t('inspect.code.bias', { o: p.channel, bias: fixed(bias, d) })],
    [/for c in 0\.\.g\.c_in\b/, p.inChannels === 1 ? t('inspect.code.cOne') : t('inspect.code.c', { last: p.inChannels - 1, cin: p.inChannels })],
    [/for u in 0\.\.f\b/, t('inspect.code.u', { last: p.kernel - 1, top: p.top, bottom: p.top + p.kernel - 1 })],
    [/for v in 0\.\.f\b/, t('inspect.code.v', { last: p.kernel - 1, left: p.left, right: p.left + p.kernel - 1 })],
    [/sum \+= w\[/, t('inspect.code.products', { n: p.window.length, sum: fixed(total - bias, d) })],
    [/^\s*y\[.*\] = sum;/, t('inspect.code.store', { o: p.channel, i: p.y, j: p.x, value: fixed(total, d) })],
  ];
}

function grid(title, values, offset, k, padding) {
  const table = document.createElement('table');
  table.className = 'inspect-grid';
  const cap = document.createElement('caption');
  cap.textContent = title;
  table.append(cap);
  for (let u = 0; u < k; u++) {
    const tr = document.createElement('tr');
    for (let v = 0; v < k; v++) {
      const td = document.createElement('td');
      const i = offset + u * k + v;
      if (padding?.[i]) {
        td.className = 'pad';
        td.textContent = '0';
        td.title = t('inspect.padding');
      } else {
        td.textContent = fixed(values[i], 2);
      }
      tr.append(td);
    }
    table.append(tr);
  }
  return table;
}

/** Where a layer sits in its block, in words ("" at the top level). */
function partText(l) {
  switch (l.part?.kind) {
    case 'body': return t('forward.partBody');
    case 'shortcut': return t('forward.partShortcut');
    case 'branch': return t('forward.partBranch', { n: l.part.index });
    case 'merge': return t(l.kind === 'add' ? 'forward.partAdd' : 'forward.partConcat');
    default: return '';
  }
}
