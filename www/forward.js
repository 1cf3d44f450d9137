// Forward propagation, layer by layer: every layer's output for the current drawing (feature
// maps for image-shaped outputs, strips for vectors, the softmax at the end), a stepper that walks
// through them, and the convolution inspector behind every conv feature map.

import { explain, num, t, tm } from './i18n.js';
import { paint, paintLegend, scaleFor } from './colormap.js';

const PLAY_MS = 900;
/** Values per row when a vector is drawn as a strip. */
const STRIP = 40;

export class ForwardView {
  constructor({ list, where, prev, next, play, inspector }) {
    Object.assign(this, { list, where, prev, next, play, inspector });
    this.layers = [];
    this.rows = [];
    this.current = 0;
    this.timer = null;
    this.predictor = null;
    prev.addEventListener('click', () => this.go(this.current - 1));
    next.addEventListener('click', () => this.go(this.current + 1));
    play.addEventListener('click', () => (this.timer ? this.stop() : this.start()));
    list.closest('section').addEventListener('keydown', (e) => {
      if (e.target.closest('.fmap, input, select')) return;
      if (e.key === 'ArrowLeft') this.go(this.current - 1);
      else if (e.key === 'ArrowRight') this.go(this.current + 1);
      else return;
      e.preventDefault();
    });
  }

  /** Build one row per layer (and the input) for a network's `layers()`. */
  /** `force` rebuilds the rows even for the same network (their words, after a language change). */
  setNetwork(predictor, force = false) {
    this.predictor = predictor;
    const views = predictor.layers();
    const same = !force && views.length === this.layers.length && views.every((v, i) => v.label === this.layers[i].english);
    this.layers = views.map((v) => ({ index: v.index, english: v.label, label: tm(v.labelText), kind: v.kind, shape: v.shape, channels: v.channels, height: v.height, width: v.width, params: v.params }));
    views.forEach((v) => v.free());
    if (same) return;
    const at = this.current;
    this.inspector.hidden = true;
    this.list.replaceChildren(this.row({ index: -1, label: t('forward.input'), kind: 'input', shape: '(N, 1, 28, 28)', channels: 1, height: 28, width: 28, params: 0 }));
    this.rows = this.layers.map((l) => {
      const li = this.row(l);
      this.list.append(li);
      return li;
    });
    this.go(force ? at : this.layers.length - 1);
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
    const maps = document.createElement('div');
    maps.className = l.height ? 'maps' : 'maps vector';
    const count = l.height ? l.channels : 1;
    for (let c = 0; c < count; c++) {
      const canvas = document.createElement('canvas');
      canvas.className = 'fmap';
      canvas.dataset.testid = l.index < 0 ? 'fmap-input' : `fmap-${l.index}-${c}`;
      canvas.width = l.height ? l.width : Math.min(STRIP, l.channels);
      canvas.height = l.height ? l.height : Math.ceil(l.channels / STRIP);
      const inspectable = this.inspectable(l.index) !== null;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', t(l.height ? 'forward.mapLabel' : 'forward.vectorLabel', { c, layer: l.label }));
      if (inspectable) {
        canvas.tabIndex = 0;
        canvas.title = t('forward.inspectHint');
        canvas.classList.add('inspectable');
        canvas.addEventListener('click', (e) => this.clicked(l, c, canvas, e));
        canvas.addEventListener('keydown', (e) => this.key(l, c, canvas, e));
      }
      maps.append(canvas);
    }
    li.append(head, maps);
    return li;
  }

  /** The conv layer behind a layer's maps: itself, or the conv an activation follows. */
  inspectable(index) {
    const l = this.layers[index];
    if (!l) return null;
    if (l.kind === 'conv') return index;
    if (l.kind === 'activation' && this.layers[index - 1]?.kind === 'conv') return index - 1;
    return null;
  }

  /** Paint every layer's output for the predictor's last prediction. */
  render() {
    const p = this.predictor;
    this.paintRow(this.list.firstElementChild, p.input(), { height: 28, width: 28, channels: 1 });
    this.layers.forEach((l, i) => this.paintRow(this.rows[i], p.output(l.index), l));
    if (!this.inspector.hidden && this.inspected) this.inspect(...this.inspected);
  }

  paintRow(li, values, l) {
    const scale = scaleFor(values);
    const canvases = li.querySelectorAll('canvas.fmap');
    if (l.height) {
      const plane = l.height * l.width;
      canvases.forEach((c, k) => paint(c, values, k * plane, l.height, l.width, scale));
    } else {
      const padded = new Float32Array(canvases[0].width * canvases[0].height).fill(scale.lo);
      padded.set(values);
      paint(canvases[0], padded, 0, canvases[0].height, canvases[0].width, scale);
    }
    const legend = li.querySelector('.legend');
    if (!legend.firstChild) legend.append(document.createElement('span'), document.createElement('canvas'), document.createElement('span'));
    const [lo, bar, hi] = legend.children;
    lo.textContent = fmt(scale.lo);
    hi.textContent = fmt(scale.hi);
    if (bar.dataset.scale !== scale.name) {
      paintLegend(bar, scale);
      bar.dataset.scale = scale.name;
    }
  }

  go(k) {
    this.current = Math.max(0, Math.min(this.layers.length - 1, k));
    this.rows.forEach((li, i) => {
      li.classList.toggle('current', i === this.current);
      li.classList.toggle('pending', i > this.current);
      if (i === this.current) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    });
    const l = this.layers[this.current];
    if (!l) return;
    this.where.textContent = t('forward.where', { k: this.current + 1, n: this.layers.length, label: l.label, shape: l.shape, params: num(l.params) });
    this.prev.disabled = this.current === 0;
    this.next.disabled = this.current === this.layers.length - 1;
    if (this.timer) this.rows[this.current]?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }

  start() {
    this.go(0);
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
    this.inspect(this.inspectable(l.index), c, y, x);
  }

  /** Keyboard: Enter inspects the map's cursor (the centre at first), arrows move it. */
  key(l, c, canvas, e) {
    let [y, x] = (canvas.dataset.cursor ?? `${l.height >> 1},${l.width >> 1}`).split(',').map(Number);
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[e.key]) {
      y = Math.max(0, Math.min(l.height - 1, y + moves[e.key][0]));
      x = Math.max(0, Math.min(l.width - 1, x + moves[e.key][1]));
    } else if (e.key !== 'Enter' && e.key !== ' ') {
      return;
    }
    e.preventDefault();
    canvas.dataset.cursor = `${y},${x}`;
    this.inspect(this.inspectable(l.index), c, y, x);
  }

  inspect(layer, c, y, x) {
    let parts;
    try {
      parts = this.predictor.inspect(layer, c, y, x);
    } catch (err) {
      this.inspector.hidden = false;
      this.inspector.textContent = explain(err);
      return;
    }
    this.inspected = [layer, c, y, x];
    renderInspector(this.inspector, parts, this.layers[layer]);
    parts.free();
  }
}

function fmt(v) {
  return num(v, { maximumSignificantDigits: 3 });
}

/** The inspector: per input channel, the window, the kernel and their products; then the sum. */
function renderInspector(box, p, layer) {
  box.hidden = false;
  box.replaceChildren();
  const h = document.createElement('h3');
  h.textContent = t('inspect.title', { layer: layer.index, label: layer.label, c: p.channel, y: p.y, x: p.x });
  const intro = document.createElement('p');
  intro.className = 'hint';
  intro.textContent = t('inspect.intro', { k: p.kernel, cin: p.inChannels, top: p.top, left: p.left });
  box.append(h, intro);
  const k2 = p.kernel * p.kernel;
  const groups = document.createElement('div');
  groups.className = 'inspect-groups';
  const { window: win, weights, products, padding } = p;
  for (let c = 0; c < p.inChannels; c++) {
    const g = document.createElement('div');
    g.className = 'inspect-group';
    const cap = document.createElement('p');
    cap.textContent = t('inspect.channel', { c });
    g.append(cap);
    for (const [key, arr] of [['inspect.window', win], ['inspect.kernel', weights], ['inspect.products', products]]) {
      g.append(grid(t(key), arr, c * k2, p.kernel, key === 'inspect.window' ? padding : null));
    }
    groups.append(g);
  }
  box.append(groups);
  const sum = document.createElement('p');
  sum.className = 'inspect-sum';
  sum.dataset.testid = 'inspect-sum';
  sum.textContent = t('inspect.sum', { sum: fmt4(p.sum), bias: fmt4(p.bias), value: fmt4(p.value), stored: fmt4(p.stored) });
  box.append(sum);
  if (p.activation) {
    const act = document.createElement('p');
    act.className = 'inspect-sum';
    act.textContent = t('inspect.activation', { name: p.activation, value: fmt4(p.value), out: fmt4(p.activated) });
    box.append(act);
  }
}

function fmt4(v) {
  return num(v, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
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
        td.textContent = num(values[i], { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      }
      tr.append(td);
    }
    table.append(tr);
  }
  return table;
}
