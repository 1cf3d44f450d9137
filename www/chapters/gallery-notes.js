// The panels beside the gallery's table, each for the networks that have what it explains:
// GoogLeNet's auxiliary classifiers (on/off) and its 1×1 bottlenecks (with and without), the
// paper AlexNet's two groups (on/off) and its local response normalisation, and the adaptive
// average pool of the torchvision networks (any input size). The numbers come from the core
// (model::gallery_notes); this file only draws them.

import { explain, num, t, tm } from '../i18n.js';

/** Which networks each panel is for. */
const FOR = {
  aux: ['googlenet', 'googlenet-aux'],
  bottleneck: ['googlenet', 'googlenet-aux'],
  groups: ['alexnet-paper'],
  lrn: ['alexnet-paper', 'zfnet', 'zfnet-mistake'],
  adaptive: ['alexnet', 'vgg16', 'googlenet', 'googlenet-aux', 'resnet18'],
};

export const notesHtml = `
    <div class="gallery-notes" data-testid="gallery-notes">
      <section class="gallery-note" data-note="aux" data-testid="gallery-note-aux">
        <h3 data-i18n="gallery.aux.heading"></h3>
        <p data-i18n="gallery.aux.text"></p>
        <label class="check"><input type="checkbox" data-testid="gallery-aux"> <span data-i18n="gallery.aux.toggle"></span></label>
        <p class="note-out" data-testid="gallery-aux-counts" aria-live="polite"></p>
      </section>
      <section class="gallery-note" data-note="bottleneck" data-testid="gallery-note-bottleneck">
        <h3 data-i18n="gallery.bottleneck.heading"></h3>
        <p data-i18n="gallery.bottleneck.text"></p>
        <label class="field"><span data-i18n="gallery.bottleneck.block"></span>
          <select data-testid="gallery-bottleneck-block"></select></label>
        <p class="note-out" data-testid="gallery-bottleneck-where"></p>
        <div class="table-wrap"><table class="note-table" data-testid="gallery-bottleneck">
          <thead><tr><th scope="col" rowspan="2" data-i18n="gallery.bottleneck.path"></th>
            <th scope="colgroup" colspan="2" class="num" data-i18n="gallery.bottleneck.params"></th>
            <th scope="colgroup" colspan="2" class="num" data-i18n="gallery.bottleneck.macs"></th></tr>
            <tr><th scope="col" class="num" data-i18n="gallery.bottleneck.with"></th><th scope="col" class="num" data-i18n="gallery.bottleneck.without"></th>
            <th scope="col" class="num" data-i18n="gallery.bottleneck.with"></th><th scope="col" class="num" data-i18n="gallery.bottleneck.without"></th></tr></thead>
          <tbody></tbody></table></div>
        <p class="note-out" data-testid="gallery-bottleneck-saving" aria-live="polite"></p>
      </section>
      <section class="gallery-note" data-note="groups" data-testid="gallery-note-groups">
        <h3 data-i18n="gallery.groups.heading"></h3>
        <p data-i18n="gallery.groups.text"></p>
        <label class="check"><input type="checkbox" data-testid="gallery-groups"> <span data-i18n="gallery.groups.toggle"></span></label>
        <div class="table-wrap"><table class="note-table" data-testid="gallery-groups-table">
          <thead><tr><th scope="col" data-i18n="gallery.groups.layer"></th>
            <th scope="col" class="num" data-i18n="gallery.groups.grouped"></th><th scope="col" class="num" data-i18n="gallery.groups.whole"></th></tr></thead>
          <tbody></tbody></table></div>
      </section>
      <section class="gallery-note" data-note="lrn" data-testid="gallery-note-lrn">
        <h3 data-i18n="gallery.lrn.heading"></h3>
        <p data-i18n="gallery.lrn.text"></p>
        <p class="formula" data-i18n="gallery.lrn.formula"></p>
        <p data-i18n="gallery.lrn.params"></p>
      </section>
      <section class="gallery-note" data-note="adaptive" data-testid="gallery-note-adaptive">
        <h3 data-i18n="gallery.adaptive.heading"></h3>
        <p data-i18n="gallery.adaptive.text"></p>
        <label class="field"><span data-i18n="gallery.adaptive.side"></span>
          <input type="number" min="1" max="2048" step="1" value="224" data-testid="gallery-side"></label>
        <p class="note-out" data-testid="gallery-adaptive" aria-live="polite"></p>
        <p class="note-out" data-testid="gallery-windows"></p>
      </section>
    </div>`;

const cells = (tr, values, header = false) => {
  values.forEach((v, i) => {
    const c = document.createElement(i === 0 && header ? 'th' : 'td');
    if (i === 0 && header) c.scope = 'row';
    if (i > 0) c.className = 'num';
    c.textContent = v;
    tr.append(c);
  });
};

const shape = (dims) => dims.join('×');
const window_ = ([a, b]) => `[${a}, ${b})`;

/**
 * Wire the panels in `root`. `onAux(on)` switches the table between GoogLeNet with and without
 * its auxiliary classifiers; `onGroups(on)` redraws the paper AlexNet's table split or whole.
 * Returns `update(name)`, to call whenever the network or the language changes.
 */
export function mountNotes(root, core, { onAux, onGroups }) {
  const q = (id) => root.querySelector(`[data-testid="${id}"]`);
  const aux = q('gallery-aux');
  const block = q('gallery-bottleneck-block');
  const groups = q('gallery-groups');
  const side = q('gallery-side');
  for (const name of core.galleryInceptionBlocks()) block.append(new Option(name.replace('inception', 'Inception '), name));
  let current = null;

  function drawAux() {
    const without = core.gallery('googlenet').params;
    const withAux = core.gallery('googlenet-aux').params;
    q('gallery-aux-counts').textContent = t(aux.checked ? 'gallery.aux.on' : 'gallery.aux.off', {
      with: num(withAux),
      without: num(without),
      extra: num(withAux - without),
    });
  }

  function drawBottleneck() {
    const b = core.galleryBottleneck(block.value);
    q('gallery-bottleneck-where').textContent = t('gallery.bottleneck.where', { block: block.selectedOptions[0].textContent, c: b.c_in, h: b.height, w: b.width });
    const body = q('gallery-bottleneck').querySelector('tbody');
    body.replaceChildren();
    for (const p of b.paths) {
      const tr = document.createElement('tr');
      cells(tr, [t('gallery.bottleneck.pathLabel', { k: p.kernel, c: b.c_in, r: p.reduce, out: p.outputs }), num(p.with_reduce.params), num(p.without.params), num(p.with_reduce.macs), num(p.without.macs)], true);
      // The path without the 1×1 under it, smaller: the numbers keep the width.
      tr.firstChild.append(Object.assign(document.createElement('span'), { className: 'path-without', textContent: t('gallery.bottleneck.pathWithout', { c: b.c_in, out: p.outputs }) }));
      body.append(tr);
    }
    const total = document.createElement('tr');
    total.className = 'total';
    cells(total, [t('gallery.bottleneck.total'), num(b.with_reduce.params), num(b.without.params), num(b.with_reduce.macs), num(b.without.macs)], true);
    body.append(total);
    q('gallery-bottleneck-saving').textContent = t('gallery.bottleneck.saving', {
      params: num(b.without.params / b.with_reduce.params, { maximumFractionDigits: 1 }),
      macs: num(b.without.macs / b.with_reduce.macs, { maximumFractionDigits: 1 }),
    });
  }

  function drawGroups() {
    const g = core.galleryGroups();
    const body = q('gallery-groups-table').querySelector('tbody');
    body.replaceChildren();
    for (const l of g.layers) {
      const tr = document.createElement('tr');
      tr.dataset.layer = l.name;
      const label = t('gallery.groups.row', { name: l.name, cin: l.in_channels, cout: l.out_channels, k: l.kernel, per: l.in_channels / l.groups });
      cells(tr, [label, num(l.grouped.params), num(l.whole.params)], true);
      body.append(tr);
    }
    const total = document.createElement('tr');
    total.className = 'total';
    cells(total, [t('gallery.groups.total'), num(g.grouped.params), num(g.whole.params)], true);
    body.append(total);
  }

  function drawAdaptive() {
    const out = q('gallery-adaptive');
    const windows = q('gallery-windows');
    const n = Number(side.value);
    let v;
    try {
      v = core.galleryAdaptive(current, Number.isInteger(n) && n >= 0 ? n : 0);
    } catch (err) {
      out.textContent = explain(err);
      out.classList.add('bad');
      windows.textContent = '';
      return;
    }
    out.classList.toggle('bad', !v.before);
    if (!v.before) {
      out.textContent = t('gallery.adaptive.tooSmall', { side: v.side, why: tm(v.problem) });
      windows.textContent = '';
      return;
    }
    out.textContent = t('gallery.adaptive.result', {
      side: v.side,
      before: shape(v.before),
      after: shape(v.after),
      size: v.size,
      params: num(v.params),
      macs: num(v.macs),
    });
    windows.textContent = t('gallery.adaptive.windows', { n: v.before[1], size: v.size, windows: v.windows_h.map(window_).join(' ') });
  }

  aux.addEventListener('change', () => onAux(aux.checked));
  groups.addEventListener('change', () => onGroups(groups.checked));
  block.addEventListener('change', drawBottleneck);
  side.addEventListener('input', drawAdaptive);

  return function update(name) {
    current = name;
    for (const section of root.querySelectorAll('[data-note]')) section.hidden = !FOR[section.dataset.note].includes(name);
    if (FOR.aux.includes(name)) {
      aux.checked = name === 'googlenet-aux';
      drawAux();
      drawBottleneck();
    }
    if (FOR.groups.includes(name)) drawGroups();
    if (FOR.adaptive.includes(name)) drawAdaptive();
  };
}
