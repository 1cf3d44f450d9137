// A layer table as the core's shape inference gives it (`GalleryTable` rows: depth, kind, name,
// label, output, claimed, params, macs, status, message): blocks indented, merges in italics, the
// rows where the sizes stop adding up marked with the core's sentence. The gallery and the
// learner's own network (the editor) both draw theirs with it.

import { num, t, tm } from './i18n.js';

/** A count for a cell: the number, '—' for none, or "?" where an earlier error hides it. */
export const count = (v) => (v === undefined || v === null ? t('gallery.unknown') : v ? num(v) : '—');

/** The table's header row (its words set by applyStrings); `lines` adds the editor's line column. */
export function tableHead({ lines = false } = {}) {
  return `
        <thead>
          <tr>${lines ? '\n            <th scope="col" class="num line" data-i18n="net.line"></th>' : ''}
            <th scope="col" data-i18n="table.layer"></th>
            <th scope="col" data-i18n="table.output"></th>
            <th scope="col" class="claimed" data-i18n="gallery.claimed"></th>
            <th scope="col" class="num" data-i18n="table.params"></th>
            <th scope="col" class="num" data-i18n="table.macs"></th>
          </tr>
        </thead>`;
}

/**
 * Fill `tbody` with one row per table row. With `lines`, each row starts with the line of the
 * code it came from (the editor's rows carry `line`); `moduleKey` words the module path.
 */
export function renderRows(tbody, rows, { lines = false, moduleKey = 'gallery.moduleName' } = {}) {
  tbody.replaceChildren();
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.className = `row-${r.kind} status-${r.status}`;
    tr.dataset.status = r.status;
    const cell = (text, cls) => {
      const td = document.createElement('td');
      td.textContent = text ?? '';
      if (cls) td.className = cls;
      return td;
    };
    if (lines) {
      const line = cell(r.line ? String(r.line) : '', 'line num');
      if (r.line) line.dataset.line = String(r.line);
      tr.append(line);
    }
    const label = document.createElement('td');
    label.style.paddingLeft = `${0.75 + 1.25 * r.depth}rem`;
    label.textContent = tm(r.label);
    if (r.name) {
      // Shown, not only on hover: the module path (torchvision's, or the state-dict prefix).
      const module = document.createElement('div');
      module.className = 'module';
      module.textContent = t(moduleKey, { name: r.name });
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
    tr.append(label, cell(r.output ?? t('gallery.unknown'), 'shape'), cell(r.claimed, 'shape claimed'), cell(count(r.params), 'num'), cell(count(r.macs), 'num'));
    tbody.append(tr);
  }
  return rows.some((r) => r.claimed);
}
