// Chapter "Sizes of the preset networks": the layer table of a preset network (the CLI's), with
// output shapes, parameters and multiply-adds as the core's shape inference works them out.

import { applyStrings, num, t, tm } from '../i18n.js';

const cell = (text, cls) => {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
};

function render(core, preset) {
  const table = core.layerTable(preset);
  const tbody = document.querySelector('#layer-table tbody');
  tbody.replaceChildren();
  const input = document.createElement('tr');
  input.className = 'input';
  input.append(cell('', 'num'), cell(t('table.input')), cell(table.input, 'shape'), cell('', 'num'), cell('', 'num'));
  tbody.append(input);
  for (const row of table.rows) {
    const tr = document.createElement('tr');
    tr.append(
      // 0-based, as the core's error messages, the CLI's table and PyTorch's nn.Sequential
      // ("0.weight") number layers.
      cell(num(row.index), 'num'),
      cell(tm(row.label)),
      cell(row.output, 'shape'),
      cell(row.params ? num(row.params) : '—', 'num'),
      cell(row.macs ? num(row.macs) : '—', 'num'),
    );
    tbody.append(tr);
  }
  const total = document.createElement('tr');
  total.append(cell(''), cell(t('table.total')), cell(''), cell(num(table.totalParams), 'num total-params'), cell(num(table.totalMacs), 'num'));
  document.querySelector('#layer-table tfoot').replaceChildren(total);
  document.getElementById('layer-caption').textContent = t('table.caption', { name: table.name, params: num(table.totalParams), macs: num(table.totalMacs) });
}

let redraw = null;

export function mount(body, core) {
  body.innerHTML = `
    <p class="intro" data-i18n="table.intro"></p>
    <label class="field">
      <span data-i18n="table.preset"></span>
      <select id="preset"></select>
    </label>
    <div class="table-wrap">
      <table id="layer-table">
        <caption id="layer-caption"></caption>
        <thead>
          <tr>
            <th scope="col" class="num" data-i18n="table.index"></th>
            <th scope="col" data-i18n="table.layer"></th>
            <th scope="col" data-i18n="table.output"></th>
            <th scope="col" class="num" data-i18n="table.params"></th>
            <th scope="col" class="num" data-i18n="table.macs"></th>
          </tr>
        </thead>
        <tbody></tbody>
        <tfoot></tfoot>
      </table>
    </div>`;
  applyStrings(body);
  const select = body.querySelector('#preset');
  for (const name of core.presets()) {
    const option = document.createElement('option');
    option.value = option.textContent = name;
    select.append(option);
  }
  select.value = 'lenet-relu';
  redraw = () => render(core, select.value);
  select.addEventListener('change', redraw);
  redraw();
}

export function refresh() {
  redraw?.();
}
