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
      <p class="buttons"><button type="button" data-testid="do-next" data-i18n="do.next"></button></p>
    </div>
    <div class="table-wrap">
      <table class="do-table" data-testid="do-table">
        <tbody>
          <tr><th scope="row" data-i18n="do.input"></th>${cells('in')}</tr>
          <tr><th scope="row" data-testid="do-pass1-label"></th>${cells('a')}</tr>
          <tr><th scope="row" data-testid="do-pass2-label"></th>${cells('b')}</tr>
        </tbody>
      </table>
    </div>
    <p class="do-readout" data-testid="do-kept" aria-live="polite"></p>
    <p class="do-readout" data-testid="do-sums"></p>
    <p class="do-readout" data-testid="do-compare"></p>
    <p class="message bad" data-testid="do-error" role="alert" hidden></p>
    <p class="intro" data-i18n="do.whyScale"></p>
    <p class="intro" data-i18n="do.why"></p>`;
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  state = { body, core, q, step: 0 };
  q('do-p').addEventListener('input', render);
  for (const r of body.querySelectorAll('input[name="do-mode"]')) r.addEventListener('change', render);
  q('do-next').addEventListener('click', () => {
    state.step += 1;
    render();
  });
  refresh();
}

const cells = (row) => Array.from({ length: UNITS }, (_, i) => `<td data-testid="do-${row}-${i}"></td>`).join('');

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
  setText(q('do-pass1-label'), 'do.pass', { step: num(step + 1) });
  setText(q('do-pass2-label'), 'do.pass', { step: num(step + 2) });
  a.input.forEach((x, i) => {
    q(`do-in-${i}`).textContent = fixed(x, 1);
    q(`do-in-${i}`).dataset.value = String(x);
  });
  fill('a', a);
  fill('b', b);
  setText(q('do-kept'), train ? 'do.keptTrain' : 'do.keptEval', { kept: num(a.kept), n: num(UNITS), p: fixed(p, 2), scale: fixed(a.scale, 3) });
  q('do-kept').dataset.kept = String(a.kept);
  setText(q('do-sums'), 'do.sums', { input: fixed(a.input_sum, 2), output: fixed(a.output_sum, 2), steps: num(1000), average: fixed(a.average.reduce((s, v) => s + v, 0), 2) });
  const differ = a.output.filter((v, i) => v !== b.output[i]).length;
  q('do-compare').dataset.differ = String(differ);
  setText(q('do-compare'), differ ? 'do.differ' : 'do.same', { differ: num(differ), n: num(UNITS) });
}

/** One pass's row: a dropped unit shows 0 crossed out, a kept one its scaled value. */
function fill(row, view) {
  view.output.forEach((y, i) => {
    const td = state.q(`do-${row}-${i}`);
    const kept = view.mask[i] !== 0;
    td.textContent = kept ? fixed(y, 2) : '0';
    td.className = kept ? 'kept' : 'dropped';
    td.dataset.value = String(y);
    td.dataset.kept = String(kept);
    td.title = t(kept ? 'do.unitKept' : 'do.unitDropped', { i: num(i + 1) });
  });
}
