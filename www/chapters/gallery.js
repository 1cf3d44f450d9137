// Chapter "Architecture gallery": a classic network's layer table from the core's shape inference,
// blocks indented, the rows where a written-down architecture stops adding up marked.

import { applyStrings, num, t, tm } from '../i18n.js';

const count = (v) => (v === undefined || v === null ? t('gallery.unknown') : v ? num(v) : '—');

function render(core, name, els) {
  const g = core.gallery(name);
  const tbody = els.table.querySelector('tbody');
  tbody.replaceChildren();
  let claims = false;
  for (const r of g.rows) {
    claims ||= Boolean(r.claimed);
    const tr = document.createElement('tr');
    tr.className = `row-${r.kind} status-${r.status}`;
    tr.dataset.status = r.status;
    const label = document.createElement('td');
    label.style.paddingLeft = `${0.75 + 1.25 * r.depth}rem`;
    label.textContent = tm(r.label);
    if (r.name) {
      // Shown, not only on hover: the module path to look up in torchvision.
      const module = document.createElement('div');
      module.className = 'module';
      module.textContent = t('gallery.moduleName', { name: r.name });
      label.append(module);
    }
    if (r.message) {
      const why = document.createElement('div');
      why.className = 'why';
      why.dataset.testid = 'gallery-problem';
      // What does not add up, as the core words it, in the page's language.
      why.textContent = tm(r.message);
      label.append(why);
    }
    const cell = (text, cls) => {
      const td = document.createElement('td');
      td.textContent = text ?? '';
      if (cls) td.className = cls;
      return td;
    };
    tr.append(label, cell(r.output ?? t('gallery.unknown'), 'shape'), cell(r.claimed, 'shape claimed'), cell(count(r.params), 'num'), cell(count(r.macs), 'num'));
    tbody.append(tr);
  }
  const values = { title: t(`gallery.title.${g.name}`), input: g.input, params: count(g.params), macs: count(g.macs), problems: g.problems };
  els.summary.textContent =
    (g.params === undefined ? t('gallery.summaryUnknown', values) : t('gallery.summary', values)) +
    (g.problems ? ` ${t('gallery.problems', { n: g.problems })}` : '');
  els.summary.classList.toggle('bad', g.problems > 0);
  // The "claimed" column only where someone claimed a size: the other tables stay narrower.
  els.table.classList.toggle('no-claims', !claims);
}

let redraw = null;

export function mount(body, core) {
  body.innerHTML = `
    <p class="intro" data-i18n="gallery.intro"></p>
    <label class="field">
      <span data-i18n="gallery.network"></span>
      <select id="gallery-select" data-testid="gallery-select"></select>
    </label>
    <p id="gallery-summary" class="gallery-summary" data-testid="gallery-summary" aria-live="polite"></p>
    <div class="table-wrap gallery-wrap" data-testid="gallery-wrap" tabindex="0" data-i18n-attr="aria-label:gallery.tableLabel">
      <table id="gallery-table" class="gallery-table" data-testid="gallery-table">
        <thead>
          <tr>
            <th scope="col" data-i18n="table.layer"></th>
            <th scope="col" data-i18n="table.output"></th>
            <th scope="col" data-i18n="gallery.claimed"></th>
            <th scope="col" class="num" data-i18n="table.params"></th>
            <th scope="col" class="num" data-i18n="table.macs"></th>
          </tr>
        </thead>
        <tbody></tbody>
      </table>
    </div>`;
  applyStrings(body);
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  const els = { select: q('gallery-select'), table: q('gallery-table'), summary: q('gallery-summary') };
  for (const name of core.galleryNames()) {
    const option = document.createElement('option');
    option.value = name;
    els.select.append(option);
  }
  /** The menu shows each network's name in words (its id would give an exercise away). */
  const names = () => [...els.select.options].forEach((o) => (o.textContent = t(`gallery.name.${o.value}`)));
  els.select.addEventListener('change', () => render(core, els.select.value, els));
  redraw = () => {
    names();
    render(core, els.select.value, els);
  };
  redraw();
}

export function refresh() {
  redraw?.();
}
