// Chapter "forward": forward propagation through the 2-2-1 network of lessons::tiny, drawn as an
// SVG with a number on every edge and node. The learner moves x₁ and x₂ with sliders and edits
// any weight or bias with number inputs (clicking an edge focuses its input); the three equations
// below are written out with the current numbers. Every value shown comes from core.tinyForward.

import { applyStrings, num, t } from '../i18n.js';
import { el, svgEl } from './dom.js';

const NAMES = ['w11', 'w12', 'w13', 'w14', 'w21', 'w22', 'b1', 'b2', 'b3'];
const SUB = { w11: 'w₁₁', w12: 'w₁₂', w13: 'w₁₃', w14: 'w₁₄', w21: 'w₂₁', w22: 'w₂₂', b1: 'b₁', b2: 'b₂', b3: 'b₃' };
/** Where each weight goes (the naming: w₁₃ is x₂ → a₁₁, w₁₂ is x₁ → a₁₂). */
const EDGES = { w11: ['x1', 'a11'], w12: ['x1', 'a12'], w13: ['x2', 'a11'], w14: ['x2', 'a12'], w21: ['a11', 'a21'], w22: ['a12', 'a21'] };
const BIASES = { b1: 'a11', b2: 'a12', b3: 'a21' };
const NODE_SUB = { x1: 'x₁', x2: 'x₂', a11: 'a₁₁', a12: 'a₁₂', a21: 'a₂₁' };
const POS = { x1: [70, 80], x2: [70, 240], a11: [300, 80], a12: [300, 240], a21: [520, 160] };
/** Where along an edge its label sits: the crossing edges w₁₂ and w₁₃ get theirs near the source. */
const LABEL_AT = { w11: 0.5, w12: 0.28, w13: 0.28, w14: 0.5, w21: 0.5, w22: 0.5 };
const BLUE = '#0072B2';
const VERMILLION = '#D55E00';

let state = null;

const f2 = (x) => num(x, { minimumFractionDigits: 2, maximumFractionDigits: 3 });
const f4 = (x) => num(x, { minimumFractionDigits: 4, maximumFractionDigits: 4 });
/** A factor in a product: negative numbers in parentheses. */
const paren = (s, x) => (x < 0 ? `(${s})` : s);



export function mount(body, core) {
  // f32 → the shortest decimal that rounds to it (0.9, not 0.8999999761581421).
  const defaults = Array.from(core.tinyDefaultParams(), (v) => Number(v.toPrecision(7)));
  const [x1, x2] = core.tinyDefaultExample();
  state = { core, body, defaults, params: defaults.slice(), x: [x1, x2], inputs: {}, bad: null };

  body.append(el('p', { class: 'intro', 'data-i18n': 'ch.forward.intro' }));
  const grid = el('div', { class: 'tiny-grid' });
  const figure = el('figure', { class: 'tiny-net' });
  state.svg = svgEl('svg', { viewBox: '0 0 600 320', role: 'img', 'data-testid': 'fwd-svg' });
  figure.append(state.svg, el('figcaption', { 'data-i18n': 'ch.forward.legend' }));

  const controls = el('div', { class: 'tiny-controls' });
  const inputs = el('fieldset');
  inputs.append(el('legend', { 'data-i18n': 'ch.forward.inputs' }));
  state.xInputs = [0, 1].map((i) => {
    const id = `fwd-x${i + 1}`;
    const label = el('label', { class: 'field', for: id });
    label.append(el('span', {}, i === 0 ? 'x₁' : 'x₂'));
    const range = el('input', { type: 'range', id, min: '-2', max: '2', step: '0.1', 'data-testid': id });
    range.value = String(state.x[i]);
    const out = el('output', { for: id, 'data-testid': `${id}-value` });
    label.append(range, out);
    range.addEventListener('input', () => {
      state.x[i] = Number(range.value);
      render();
    });
    inputs.append(label);
    return { range, out };
  });

  const params = el('fieldset', { class: 'tiny-params' });
  params.append(el('legend', { 'data-i18n': 'ch.forward.params' }));
  NAMES.forEach((name, i) => {
    const id = `fwd-${name}`;
    const label = el('label', { class: 'field', for: id });
    const text = el('span', { class: 'param-name' });
    const input = el('input', { type: 'number', id, step: '0.1', 'data-testid': id });
    input.value = String(defaults[i]);
    input.addEventListener('input', () => {
      const v = input.valueAsNumber;
      if (Number.isFinite(v)) {
        state.params[i] = v;
        state.bad = null;
      } else {
        state.bad = name;
      }
      render();
    });
    label.append(text, input);
    params.append(label);
    state.inputs[name] = { input, text };
  });
  const reset = el('button', { type: 'button', class: 'secondary', 'data-i18n': 'ch.forward.reset', 'data-testid': 'fwd-reset' });
  reset.addEventListener('click', () => {
    state.params = state.defaults.slice();
    NAMES.forEach((name, i) => (state.inputs[name].input.value = String(state.defaults[i])));
    state.bad = null;
    render();
  });
  params.append(reset);
  state.error = el('p', { class: 'tiny-error', role: 'status', 'data-testid': 'fwd-error' });
  controls.append(inputs, params, state.error);
  grid.append(figure, controls);

  const eqs = el('div', { class: 'tiny-eqs' });
  eqs.append(el('h3', { 'data-i18n': 'ch.forward.equations' }));
  state.eqs = ['a11', 'a12', 'a21'].map((n) => {
    const p = el('p', { 'data-testid': `fwd-eq-${n}` });
    eqs.append(p);
    return p;
  });
  state.dead = el('p', { class: 'hint', 'data-testid': 'fwd-dead' });
  eqs.append(state.dead, el('p', { class: 'hint', 'data-i18n': 'ch.forward.note' }));
  body.append(grid, eqs);
  refresh();
}

/** Re-render every string and number (the lead calls this when the language changes). */
export function refresh() {
  if (!state) return;
  applyStrings(state.body);
  render();
}

function render() {
  const { core, params } = state;
  const fwd = core.tinyForward(new Float32Array(params), state.x[0], state.x[1]);
  const v = { ...fwd, x1: fwd.x[0], x2: fwd.x[1] };
  const p = Object.fromEntries(NAMES.map((n, i) => [n, params[i]]));

  state.xInputs.forEach(({ out }, i) => (out.textContent = f2(state.x[i])));
  for (const name of NAMES) {
    const { text } = state.inputs[name];
    text.textContent = name.startsWith('b')
      ? t('ch.forward.biasLabel', { name: SUB[name], to: NODE_SUB[BIASES[name]] })
      : t('ch.forward.paramLabel', { name: SUB[name], from: NODE_SUB[EDGES[name][0]], to: NODE_SUB[EDGES[name][1]] });
  }
  state.error.textContent = state.bad ? t('ch.forward.bad', { name: SUB[state.bad] }) : '';

  drawNetwork(v, p);

  const term = (a, w) => `${paren(f2(a), a)} × ${paren(f2(w), w)}`;
  state.eqs[0].textContent =
    `a₁₁ = sigmoid(x₁w₁₁ + x₂w₁₃ + b₁) = sigmoid(${term(v.x1, p.w11)} + ${term(v.x2, p.w13)} + ${paren(f2(p.b1), p.b1)}) = sigmoid(${f4(v.z1)}) = ${f4(v.a11)}`;
  state.eqs[1].textContent =
    `a₁₂ = sigmoid(x₁w₁₂ + x₂w₁₄ + b₂) = sigmoid(${term(v.x1, p.w12)} + ${term(v.x2, p.w14)} + ${paren(f2(p.b2), p.b2)}) = sigmoid(${f4(v.z2)}) = ${f4(v.a12)}`;
  state.eqs[2].textContent =
    `a₂₁ = relu(a₁₁w₂₁ + a₁₂w₂₂ + b₃) = relu(${paren(f4(v.a11), v.a11)} × ${paren(f2(p.w21), p.w21)} + ${paren(f4(v.a12), v.a12)} × ${paren(f2(p.w22), p.w22)} + ${paren(f2(p.b3), p.b3)}) = relu(${f4(v.z3)}) = ${f4(v.a21)}`;
  state.dead.textContent = v.z3 > 0 ? '' : t('ch.forward.dead');

  const label = { x1: f2(v.x1), x2: f2(v.x2), a11: f4(v.a11), a12: f4(v.a12), a21: f4(v.a21) };
  for (const n of NAMES) label[n] = f2(p[n]);
  state.svg.setAttribute('aria-label', t('ch.forward.svgLabel', label));
}

function drawNetwork(v, p) {
  const svg = state.svg;
  svg.replaceChildren();
  const focus = (name) => () => state.inputs[name].input.focus();
  for (const [name, [from, to]] of Object.entries(EDGES)) {
    const [xa, ya] = POS[from];
    const [xb, yb] = POS[to];
    const w = p[name];
    const g = svgEl('g', { class: 'edge', 'data-testid': `fwd-edge-${name}` });
    g.append(
      svgEl('line', {
        x1: xa, y1: ya, x2: xb, y2: yb,
        stroke: w >= 0 ? BLUE : VERMILLION,
        'stroke-width': String(1 + Math.min(5, 2.5 * Math.abs(w))),
        'stroke-dasharray': w >= 0 ? 'none' : '7 4',
      }),
      // A wide transparent line on top makes the edge easy to click.
      svgEl('line', { x1: xa, y1: ya, x2: xb, y2: yb, stroke: 'transparent', 'stroke-width': '14' }),
    );
    const s = LABEL_AT[name];
    const lx = xa + (xb - xa) * s;
    const ly = ya + (yb - ya) * s;
    const above = name === 'w11' || name === 'w21' || name === 'w13';
    g.append(svgEl('text', { x: lx, y: ly + (above ? -8 : 16), 'text-anchor': 'middle', class: 'edge-label' }, `${SUB[name]} = ${f2(w)}`));
    g.addEventListener('click', focus(name));
    svg.append(g);
  }
  for (const [node, [x, y]] of Object.entries(POS)) {
    const g = svgEl('g', { class: `node node-${node}`, 'data-testid': `fwd-node-${node}` });
    const kind = node.startsWith('x') ? 'input' : node === 'a21' ? 'relu' : 'sigmoid';
    if (kind === 'relu') {
      g.append(svgEl('rect', { x: x - 40, y: y - 36, width: 80, height: 72, rx: 6, fill: '#fff', stroke: VERMILLION, 'stroke-width': 3 }));
    } else if (kind === 'sigmoid') {
      g.append(svgEl('circle', { cx: x, cy: y, r: 40, fill: '#fff', stroke: BLUE, 'stroke-width': 3 }));
    } else {
      g.append(svgEl('circle', { cx: x, cy: y, r: 34, fill: '#f3f4f6', stroke: '#5b636e', 'stroke-width': 2 }));
    }
    const value = kind === 'input' ? f2(v[node]) : f4(v[node]);
    g.append(
      svgEl('text', { x, y: y - 12, 'text-anchor': 'middle', class: 'node-name' }, NODE_SUB[node]),
      svgEl('text', { x, y: y + 6, 'text-anchor': 'middle', class: 'node-value', 'data-testid': `fwd-value-${node}` }, value),
      svgEl('text', { x, y: y + 23, 'text-anchor': 'middle', class: 'node-kind' }, kind === 'input' ? t('ch.forward.inputNode') : kind === 'relu' ? 'ReLU' : 'sigmoid'),
    );
    svg.append(g);
  }
  for (const [name, node] of Object.entries(BIASES)) {
    const [x, y] = POS[node];
    const below = node === 'a11' ? y - 52 : y + 60;
    const g = svgEl('g', { class: 'bias', 'data-testid': `fwd-bias-${name}` });
    g.append(svgEl('text', { x, y: below, 'text-anchor': 'middle', class: 'edge-label' }, `+ ${SUB[name]} = ${f2(p[name])}`));
    g.addEventListener('click', focus(name));
    svg.append(g);
  }
}
