// Chapter "Architecture gallery": a classic network's layer table from the core's shape inference,
// blocks indented, the rows where a written-down architecture stops adding up marked.

import { count, renderRows, tableHead } from '../archtable.js';
import { applyStrings, t } from '../i18n.js';
import { mountNotes, notesHtml } from './gallery-notes.js';

/** Whether the paper AlexNet is shown split over its two GPUs (the groups panel's toggle). */
let split = false;

function render(core, name, els) {
  const grouped = name === 'alexnet-paper' && split;
  const g = grouped ? core.galleryAlexnetPaper(2) : core.gallery(name);
  // torchvision's own module paths are named as such; the others are the notebook's.
  const claims = renderRows(els.table.querySelector('tbody'), g.rows, { moduleKey: g.torchvision ? 'gallery.moduleName' : 'gallery.modulePath' });
  const values = { title: t(grouped ? 'gallery.title.alexnet-paper-groups' : `gallery.title.${g.name}`), input: g.input, params: count(g.params), macs: count(g.macs), problems: g.problems };
  els.summary.textContent =
    (g.params === undefined ? t('gallery.summaryUnknown', values) : t('gallery.summary', values)) +
    (g.problems ? ` ${t('gallery.problems', { n: g.problems })}` : '');
  els.summary.classList.toggle('bad', g.problems > 0);
  // The "claimed" column only where someone claimed a size: the other tables stay narrower.
  els.table.classList.toggle('no-claims', !claims);
  els.notes(name);
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
    <div class="gallery-layout">
    <div class="table-wrap gallery-wrap" data-testid="gallery-wrap" tabindex="0" data-i18n-attr="aria-label:gallery.tableLabel">
      <table id="gallery-table" class="gallery-table" data-testid="gallery-table">${tableHead()}
        <tbody></tbody>
      </table>
    </div>${notesHtml}
    </div>`;
  applyStrings(body);
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  const els = { select: q('gallery-select'), table: q('gallery-table'), summary: q('gallery-summary') };
  els.notes = mountNotes(body, core, {
    // The toggle shows the other entry of the menu: GoogLeNet with or without its heads.
    onAux: (on) => {
      els.select.value = on ? 'googlenet-aux' : 'googlenet';
      render(core, els.select.value, els);
    },
    onGroups: (on) => {
      split = on;
      render(core, els.select.value, els);
    },
  });
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
