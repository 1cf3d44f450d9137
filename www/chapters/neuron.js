// Chapter 1, the neuron: a = h(x₁w₁ + x₂w₂ + x₃w₃ + b) with sliders for the inputs, weights and
// bias, a choice of activation, the formula with the current numbers filled in and a drawing.
// The arithmetic is the core's (`neuronForward`: the products, their sum, and h from the CPU
// backend's activation kernel); this file only shows it.

import { applyStrings, num, t } from '../i18n.js';
import { svgEl as el } from './dom.js';

const ACTS = ['relu', 'sigmoid', 'tanh', 'leaky-relu'];
const X0 = [0.5, -0.3, 0.8];
const W0 = [1.2, 0.8, -0.4];
const B0 = 0.1;
const BLUE = '#0072B2';
const VERMILLION = '#D55E00';

let state = null;

/** A number with two decimals and a real minus sign; never "−0.00". */
function f2(x) {
  return num(x, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'negative' }).replace('-', '−');
}
/** A factor inside the formula: negatives in parentheses, as on paper. */
const factor = (x) => (f2(x).startsWith('−') ? `(${f2(x)})` : f2(x));

function slider(id, labelKey, labelValues, value) {
  const wrap = document.createElement('div');
  wrap.className = 'nr-slider';
  const label = document.createElement('label');
  label.htmlFor = `nr-${id}`;
  label.dataset.key = labelKey;
  label.dataset.values = JSON.stringify(labelValues);
  const input = document.createElement('input');
  Object.assign(input, { type: 'range', id: `nr-${id}`, min: -2, max: 2, step: 0.05, value });
  input.dataset.testid = `neuron-${id}`;
  const out = document.createElement('output');
  out.htmlFor = input.id;
  out.dataset.testid = `neuron-${id}-value`;
  wrap.append(label, input, out);
  return { wrap, input, out, label };
}

export function mount(body, core) {
  body.innerHTML = `
    <p class="intro" data-i18n="ch.neuron.intro"></p>
    <div class="field">
      <label for="nr-act" data-i18n="ch.neuron.activation"></label>
      <select id="nr-act" data-testid="neuron-activation">
        ${ACTS.map((a) => `<option value="${a}" data-i18n="ch.neuron.act.${a}"></option>`).join('')}
      </select>
    </div>
    <div class="nr-grid">
      <fieldset class="nr-col nr-inputs"><legend data-i18n="ch.neuron.inputs"></legend></fieldset>
      <fieldset class="nr-col nr-weights"><legend data-i18n="ch.neuron.weights"></legend></fieldset>
    </div>
    <p class="nr-formula" data-testid="neuron-formula" aria-live="polite"></p>
    <p class="nr-results"><span data-testid="neuron-z"></span> · <strong data-testid="neuron-a"></strong></p>
    <svg class="nr-drawing" data-testid="neuron-drawing" role="img" viewBox="0 0 560 230" width="560" height="230"></svg>
    <p class="nr-legend" data-i18n="ch.neuron.legend"></p>`;
  const select = body.querySelector('#nr-act');
  const xs = X0.map((v, i) => slider(`x${i + 1}`, 'ch.neuron.x', { i: i + 1 }, v));
  const ws = W0.map((v, i) => slider(`w${i + 1}`, 'ch.neuron.w', { i: i + 1 }, v));
  const b = slider('b', 'ch.neuron.b', {}, B0);
  body.querySelector('.nr-inputs').append(...xs.map((s) => s.wrap));
  body.querySelector('.nr-weights').append(...ws.map((s) => s.wrap), b.wrap);
  state = { body, core, select, xs, ws, b };
  for (const el of [select, ...[...xs, ...ws, b].map((s) => s.input)]) el.addEventListener('input', render);
  select.addEventListener('change', render);
  refresh();
}

/** Re-render every string and number (after a language change, too). */
export function refresh() {
  if (!state) return;
  applyStrings(state.body);
  for (const s of [...state.xs, ...state.ws, state.b]) s.label.textContent = t(s.label.dataset.key, JSON.parse(s.label.dataset.values));
  render();
}

function render() {
  const { body, core, select, xs, ws, b } = state;
  const x = xs.map((s) => Number(s.input.value));
  const w = ws.map((s) => Number(s.input.value));
  const bias = Number(b.input.value);
  for (const s of [...xs, ...ws, b]) s.out.textContent = f2(Number(s.input.value));
  const act = select.value;
  const n = core.neuronForward(Float32Array.from(x), Float32Array.from(w), bias, act);
  const { z, a } = n;
  const h = t(`ch.neuron.act.${act}`);
  const terms = x.map((xi, i) => `${factor(xi)}·${factor(w[i])}`).join(' + ');
  body.querySelector('[data-testid="neuron-formula"]').textContent = `a = ${h}(${terms} + ${factor(bias)}) = ${h}(${f2(z)}) = ${f2(a)}`;
  body.querySelector('[data-testid="neuron-z"]').textContent = t('ch.neuron.sum', { z: f2(z) });
  body.querySelector('[data-testid="neuron-a"]').textContent = t('ch.neuron.output', { a: f2(a) });
  draw(body.querySelector('svg'), x, w, bias, z, a, h);
}


/** inputs → weighted edges → Σ (+ bias) → h → a */
function draw(svg, x, w, bias, z, a, h) {
  svg.setAttribute('aria-label', t('ch.neuron.drawing', { h, a: f2(a) }));
  const sum = { x: 290, y: 125 };
  const parts = [
    el('defs', {}),
  ];
  parts[0].innerHTML = `<marker id="nr-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker>`;
  x.forEach((xi, i) => {
    const y = 45 + i * 80;
    const pos = w[i] >= 0;
    parts.push(el('line', {
      x1: 62, y1: y, x2: sum.x - 30, y2: sum.y + (y - sum.y) * 0.15,
      stroke: pos ? BLUE : VERMILLION, 'stroke-width': 1 + 2.5 * Math.abs(w[i]), 'stroke-dasharray': pos ? 'none' : '7 4',
    }));
    // The weight's label beside its edge, a third of the way along: above it for the upper
    // edges, below it for the lowest, so no label sits on a line.
    const x2 = sum.x - 30, y2 = sum.y + (y - sum.y) * 0.15;
    const mx = 62 + (x2 - 62) * 0.35, my = y + (y2 - y) * 0.35;
    // Anchored at its start, the text runs the way its edge moves away from it.
    parts.push(el('text', { x: mx - 10, y: i < 2 ? my - 9 : my + 20, 'text-anchor': 'start', class: 'nr-w' }, `w${i + 1} = ${f2(w[i])}`));
    parts.push(el('circle', { cx: 40, cy: y, r: 22, fill: '#fff', stroke: '#444' }));
    parts.push(el('text', { x: 40, y: y - 2, 'text-anchor': 'middle', class: 'nr-node' }, `x${i + 1}`));
    parts.push(el('text', { x: 40, y: y + 12, 'text-anchor': 'middle', class: 'nr-small' }, f2(xi)));
  });
  parts.push(el('line', { x1: sum.x, y1: 28, x2: sum.x, y2: sum.y - 32, stroke: '#444', 'marker-end': 'url(#nr-arrow)' }));
  parts.push(el('text', { x: sum.x, y: 20, 'text-anchor': 'middle', class: 'nr-w' }, `b = ${f2(bias)}`));
  parts.push(el('circle', { cx: sum.x, cy: sum.y, r: 30, fill: '#fff', stroke: '#444', 'stroke-width': 2 }));
  parts.push(el('text', { x: sum.x, y: sum.y + 9, 'text-anchor': 'middle', class: 'nr-sigma' }, 'Σ'));
  parts.push(el('line', { x1: sum.x + 30, y1: sum.y, x2: 384, y2: sum.y, stroke: '#444', 'marker-end': 'url(#nr-arrow)' }));
  parts.push(el('text', { x: 352, y: sum.y - 10, 'text-anchor': 'middle', class: 'nr-w' }, `z = ${f2(z)}`));
  parts.push(el('rect', { x: 386, y: sum.y - 24, width: 84, height: 48, rx: 6, fill: '#fff', stroke: '#444', 'stroke-width': 2 }));
  parts.push(el('text', { x: 428, y: sum.y + 5, 'text-anchor': 'middle', class: 'nr-node' }, h));
  parts.push(el('line', { x1: 470, y1: sum.y, x2: 506, y2: sum.y, stroke: '#444', 'marker-end': 'url(#nr-arrow)' }));
  parts.push(el('circle', { cx: 530, cy: sum.y, r: 24, fill: '#fff', stroke: '#009E73', 'stroke-width': 3 }));
  parts.push(el('text', { x: 530, y: sum.y - 2, 'text-anchor': 'middle', class: 'nr-node' }, 'a'));
  parts.push(el('text', { x: 530, y: sum.y + 12, 'text-anchor': 'middle', class: 'nr-small' }, f2(a)));
  svg.replaceChildren(...parts);
}
