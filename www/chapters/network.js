// Chapter "Your own network": the learner's PyTorch code (an nn.Sequential, or a pasted class or
// script holding one) read by the core as they type, every layer's output shape, parameters and
// multiply-adds in a table with the line it came from, the first place the sizes stop adding up
// marked on its row and line; then "Use this network" makes it the page's network — trained in
// chapter 9, stepped through in chapter 8, inspected, drawn on and exported like LeNet.

import { count, renderRows, tableHead } from '../archtable.js';
import { applyStrings, explain, setText, t, tm } from '../i18n.js';
import { EXAMPLES } from './network.examples.js';

/** Typing waits this long after the last key before the table is rebuilt. */
const DEBOUNCE_MS = 250;

export function mount(body, core, nb) {
  body.innerHTML = `
    <p class="intro" data-i18n="net.intro"></p>
    <div class="controls">
      <label class="field"><span data-i18n="net.example"></span>
        <select id="net-example" data-testid="arch-example"></select>
      </label>
      <label class="field"><span data-i18n="net.input"></span>
        <input id="net-input" data-testid="arch-input" type="text" inputmode="numeric" spellcheck="false" autocomplete="off" size="10">
      </label>
    </div>
    <textarea id="net-editor" class="code-editor" data-testid="arch-editor" rows="16" spellcheck="false" autocapitalize="off" autocomplete="off"
      data-i18n-attr="aria-label:net.editorLabel"></textarea>
    <p class="buttons">
      <button id="net-build" type="button" data-testid="arch-build" data-i18n="net.build"></button>
      <button id="net-use" type="button" data-testid="arch-use" data-i18n="net.use"></button>
    </p>
    <p id="net-error" class="message bad" data-testid="arch-error" role="alert" hidden></p>
    <p id="net-summary" class="gallery-summary" data-testid="arch-summary" aria-live="polite">
      <span data-i18n="net.total"></span> <strong id="net-params" data-testid="arch-total-params"></strong>
      <span id="net-macs"></span>
    </p>
    <p id="net-use-message" class="message" data-testid="arch-use-message" role="status"></p>
    <div class="table-wrap gallery-wrap" tabindex="0" data-i18n-attr="aria-label:net.tableLabel">
      <table id="net-table" class="gallery-table no-claims network-table" data-testid="arch-table">${tableHead({ lines: true })}
        <tbody></tbody>
      </table>
    </div>`;
  applyStrings(body);
  const $ = (id) => body.querySelector(`#${id}`);
  const els = {
    example: $('net-example'), input: $('net-input'), editor: $('net-editor'), build: $('net-build'), use: $('net-use'),
    error: $('net-error'), summary: $('net-summary'), params: $('net-params'), macs: $('net-macs'), useMessage: $('net-use-message'), table: $('net-table'),
  };
  for (const ex of EXAMPLES) {
    const option = document.createElement('option');
    option.value = ex.id;
    els.example.append(option);
  }
  const load = (id) => {
    const ex = EXAMPLES.find((e) => e.id === id) ?? EXAMPLES[0];
    els.editor.value = ex.code;
    els.input.value = ex.input;
    show();
  };

  /** The core's view of the code as it stands, drawn: the table, the totals, the error. */
  let view = null;
  const show = () => {
    view = core.readNetwork(els.editor.value, els.input.value);
    renderRows(els.table.querySelector('tbody'), view.rows, { lines: true, moduleKey: 'net.moduleName' });
    const e = view.error;
    els.error.hidden = !e;
    if (e) {
      // A line of 0 is the input field, not the code.
      setText(els.error, e.line ? 'net.errorAt' : 'net.errorInput', { line: e.line, column: e.column, detail: () => tm(e.message) });
    }
    // Nothing to count when the code cannot be read.
    els.summary.hidden = Boolean(e);
    els.params.textContent = view.params === undefined || view.params === null ? t('gallery.unknown') : count(view.params);
    els.params.dataset.value = view.params ?? '';
    els.macs.textContent = view.macs ? t('net.macs', { macs: count(view.macs) }) : '';
    els.use.disabled = Boolean(e || view.unusable);
    if (e) setText(els.useMessage, null);
    else if (view.unusable) setText(els.useMessage, 'net.unusable', { why: () => tm(view.unusable) });
    else if (els.useMessage.dataset.used !== els.editor.value) setText(els.useMessage, 'net.usable');
  };

  let timer = 0;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(show, DEBOUNCE_MS);
  };
  els.editor.addEventListener('input', later);
  els.input.addEventListener('input', later);
  els.build.addEventListener('click', () => {
    clearTimeout(timer);
    show();
  });
  els.example.addEventListener('change', () => load(els.example.value));
  els.use.addEventListener('click', () => {
    clearTimeout(timer);
    show();
    if (els.use.disabled) return;
    try {
      const bytes = core.networkFile(els.editor.value, 'he', 1);
      nb.replaceNetwork(core.Predictor.fromFile(bytes), bytes);
      els.useMessage.dataset.used = els.editor.value;
      setText(els.useMessage, 'net.used', { params: count(view.params) });
    } catch (err) {
      setText(els.useMessage, 'net.useFailed', { detail: () => explain(err) });
    }
  });

  const names = () => [...els.example.options].forEach((o) => (o.textContent = t(`net.example.${o.value}`)));
  redraw = () => {
    names();
    if (view) show();
  };
  names();
  load(EXAMPLES[0].id);
}

let redraw = null;

export function refresh() {
  redraw?.();
}
