// Chapter "Dropout": a layer of 20 units, each switched off at random with probability p for the
// current step, the kept ones scaled by 1/(1−p); "next step" draws a new mask; the same input
// passed twice (two steps) gives different outputs in training mode and identical ones in
// evaluation mode. The masks and outputs are the core's (`dropoutDemo` → `Cpu::dropout_forward`,
// whose mask is the counter hash every backend draws alike).

import { applyStrings, num, setText, t, explain } from '../i18n.js';
import { fixed } from '../format.js';

const UNITS = 20;

let state = null;

export function mount(body, core) {
  body.innerHTML = `
    <p class="intro" data-i18n="do.intro"></p>
    <div class="do-controls">
      <div class="field">
        <label for="do-p" data-i18n="do.p"></label>
        <input type="range" id="do-p" data-testid="do-p" min="0" max="0.9" step="0.05" value="0.5">
        <output for="do-p" data-testid="do-p-value"></output>
      </div>
      <fieldset class="do-mode">
        <legend data-i18n="do.mode"></legend>
        <label><input type="radio" name="do-mode" value="train" data-testid="do-mode-train" checked> <span data-i18n="do.train"></span></label>
        <label><input type="radio" name="do-mode" value="eval" data-testid="do-mode-eval"> <span data-i18n="do.eval"></span></label>
      </fieldset>
      <p class="buttons"><button type="button" data-presenter-play data-testid="do-next" data-i18n="do.next"></button></p>
    </div>
    <div class="do-tables" data-testid="do-table"></div>
    <p class="do-readout" data-testid="do-kept" aria-live="polite"></p>
    <p class="do-readout" data-testid="do-sums"></p>
    <p class="do-readout" data-testid="do-compare"></p>
    <p class="message bad" data-testid="do-error" role="alert" hidden></p>
    <p class="intro" data-i18n="do.whyScale"></p>
    <p class="intro" data-i18n="do.why"></p>`;
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  // The cells live as long as the chapter; the tables holding them are cut to the width.
  const cells = Object.fromEntries(ROWS.map((row) => [row, Array.from({ length: UNITS }, () => document.createElement('td'))]));
  for (const row of ROWS) cells[row].forEach((td, i) => (td.dataset.testid = `do-${row}-${i}`));
  state = { body, core, q, step: 0, cells };
  window.addEventListener('resize', layout);
  q('do-p').addEventListener('input', render);
  for (const r of body.querySelectorAll('input[name="do-mode"]')) r.addEventListener('change', render);
  q('do-next').addEventListener('click', () => {
    state.step += 1;
    render();
  });
  refresh();
}

/** The table's rows: the input, this step's output, the next step's. */
const ROWS = ['in', 'a', 'b'];

export function refresh() {
  if (!state) return;
  applyStrings(state.body);
  render();
}

function render() {
  const { q, core, step } = state;
  const p = Number(q('do-p').value);
  const train = state.body.querySelector('input[name="do-mode"]:checked').value === 'train';
  q('do-p-value').textContent = fixed(p, 2);
  let a, b;
  try {
    // The same input, two passes: this step and the next.
    a = core.dropoutDemo(UNITS, p, step, train);
    b = core.dropoutDemo(UNITS, p, step + 1, train);
    q('do-error').hidden = true;
  } catch (err) {
    q('do-error').hidden = false;
    q('do-error').textContent = explain(err);
    return;
  }
  a.input.forEach((x, i) => {
    state.cells.in[i].textContent = fixed(x, 1);
    state.cells.in[i].dataset.value = String(x);
  });
  fill('a', a);
  fill('b', b);
  setText(q('do-kept'), train ? 'do.keptTrain' : 'do.keptEval', { kept: num(a.kept), n: num(UNITS), p: fixed(p, 2), scale: fixed(a.scale, 3) });
  q('do-kept').dataset.kept = String(a.kept);
  setText(q('do-sums'), 'do.sums', { input: fixed(a.input_sum, 2), output: fixed(a.output_sum, 2), steps: num(1000), average: fixed(a.average.reduce((s, v) => s + v, 0), 2) });
  const differ = a.output.filter((v, i) => v !== b.output[i]).length;
  q('do-compare').dataset.differ = String(differ);
  setText(q('do-compare'), differ ? 'do.differ' : 'do.same', { differ: num(differ), n: num(UNITS) });
  layout();
}

/**
 * The 20 units in one table where they fit, else in as many tables of equal share as the width
 * needs (a projector: 2 of 10, a phone: 4 of 5), each with its unit numbers and row names, so no
 * value hides behind a sideways scroll.
 */
function layout() {
  const wrap = state.q('do-table');
  const table = (from, to) => {
    const el = document.createElement('table');
    el.className = 'do-table';
    const labels = [t('do.unit'), t('do.input'), t('do.pass', { step: num(state.step + 1) }), t('do.pass', { step: num(state.step + 2) })];
    const rows = [null, ...ROWS].map((row, r) => {
      const tr = document.createElement('tr');
      const th = Object.assign(document.createElement('th'), { scope: 'row', textContent: labels[r] });
      const numbers = Array.from({ length: to - from }, (_, k) => Object.assign(document.createElement('th'), { scope: 'col', className: 'unit', textContent: num(from + k + 1) }));
      tr.append(th, ...(row ? state.cells[row].slice(from, to) : numbers));
      return tr;
    });
    el.append(...rows);
    return el;
  };
  const whole = table(0, UNITS);
  wrap.replaceChildren(whole);
  const label = whole.querySelector('th').offsetWidth;
  const room = wrap.clientWidth - label;
  if (room <= 0) return; // not laid out (hidden): one table until it is
  const pieces = Math.ceil((whole.offsetWidth - label) / room);
  if (pieces <= 1) return;
  const per = Math.ceil(UNITS / pieces);
  const parts = [];
  for (let from = 0; from < UNITS; from += per) parts.push(table(from, Math.min(UNITS, from + per)));
  wrap.replaceChildren(...parts);
}

/** One pass's row: a dropped unit shows 0 crossed out, a kept one its scaled value. */
function fill(row, view) {
  view.output.forEach((y, i) => {
    const td = state.cells[row][i];
    const kept = view.mask[i] !== 0;
    td.textContent = kept ? fixed(y, 2) : '0';
    td.className = kept ? 'kept' : 'dropped';
    td.dataset.value = String(y);
    td.dataset.kept = String(kept);
    td.title = t(kept ? 'do.unitKept' : 'do.unitDropped', { i: num(i + 1) });
  });
}
