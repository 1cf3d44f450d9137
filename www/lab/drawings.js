// The training lab's "your drawings": the learner's own digits as a dataset. Draw on a pad, pick
// the label (or a wrong one, on purpose, marked as such), add; the set is listed as thumbnails to
// relabel or remove, counted per label, kept across visits in IndexedDB (drawings-store.js) and
// exported as an IDX pair made by the core (`core.idxPair`), the two files `cnn train
// --train-images/--train-labels` reads. A drawing goes through the core's `preprocess` exactly
// as the draw chapter's pad does, so it is the 28×28 image MNIST's preparation would make.
//
//   const drawings = new Drawings(container, core, { onChange: (items) => … });
//   await drawings.ready;        // the saved set is loaded (or the browser keeps none)
//   drawings.items();            // [{ id, image: Float32Array(784), label, wrong }] in order added
//   drawings.refresh();          // after a change of language

import { applyStrings, explain, num, setAttr, setText, strings } from '../i18n.js';
import { DrawingPad } from '../pad.js';
import { el } from '../chapters/dom.js';
import table from './drawings.strings.js';
import { open } from './drawings-store.js';

// The widget's words join the page's table when it is imported, wherever it is mounted.
for (const [lang, entries] of Object.entries(table)) Object.assign((strings[lang] ??= {}), entries);

/** The exported files' names, as `cnn train` is told them in the README. */
export const IMAGES_FILE = 'mine-images-idx3-ubyte';
export const LABELS_FILE = 'mine-labels-idx1-ubyte';
const PIXELS = 28 * 28;
const DIGITS = 10;

export class Drawings {
  /**
   * @param {HTMLElement} container where the widget is built
   * @param {object} core the loaded wasm core (preprocess, sampleDigit, idxPair)
   * @param {{ onChange?: (items: object[]) => void }} options called after every change
   */
  constructor(container, core, { onChange } = {}) {
    this.core = core;
    this.onChange = onChange ?? (() => {});
    /** The set, in the order it was added: { id, image, label, wrong }. */
    this.list = [];
    this.nextId = 1;
    this.store = null;
    /** False until the saved set is loaded: Add waits for it, so ids never collide. */
    this.loaded = false;
    /** Writes to IndexedDB, one after another, so a reload sees every change in order. */
    this.writes = Promise.resolve();
    this.build(container);
    this.ready = this.load();
  }

  build(container) {
    const root = el('div', { class: 'drawings' });
    const digitOptions = Array.from({ length: DIGITS }, (_, d) => `<option value="${d}">${d}</option>`).join('');
    root.innerHTML = `
      <p class="intro" data-i18n="drawings.intro"></p>
      <div class="drawings-grid">
        <figure class="drawings-pad">
          <canvas data-testid="drawings-pad" width="280" height="280" tabindex="0" data-i18n-attr="aria-label:drawings.padLabel"></canvas>
          <figcaption class="hint" data-i18n="drawings.hint"></figcaption>
        </figure>
        <div class="drawings-controls">
          <figure class="drawings-seen">
            <canvas class="drawings-preview" width="28" height="28" role="img" data-i18n-attr="aria-label:drawings.seenLabel"></canvas>
            <figcaption data-i18n="drawings.seen"></figcaption>
          </figure>
          <div class="drawings-choose">
            <label class="field"><span data-i18n="drawings.label"></span>
              <select data-testid="drawings-label">${digitOptions}</select></label>
            <label class="drawings-wrong-choice"><input type="checkbox" data-testid="drawings-wrong"> <span data-i18n="drawings.wrong"></span></label>
          </div>
          <p class="buttons">
            <button type="button" data-testid="drawings-add" data-i18n="drawings.add" disabled></button>
            <button type="button" class="secondary" data-testid="drawings-clear" data-i18n="drawings.clear"></button>
            <button type="button" class="secondary" data-testid="drawings-sample" data-i18n="drawings.sample" data-i18n-attr="title:drawings.sampleTitle"></button>
          </p>
          <p class="hint drawings-status" data-testid="drawings-status" role="status" aria-live="polite"></p>
        </div>
      </div>
      <p class="drawings-summary"><span data-testid="drawings-count"></span> <span class="drawings-wrong-count"></span></p>
      <ol class="drawings-counts" data-testid="drawings-counts" data-i18n-attr="aria-label:drawings.perLabel"></ol>
      <ul class="drawings-list" data-testid="drawings-list" data-i18n-attr="aria-label:drawings.listLabel"></ul>
      <div class="drawings-export">
        <p class="buttons">
          <button type="button" data-testid="drawings-export" data-i18n="drawings.export" disabled></button>
          <button type="button" class="secondary" data-testid="drawings-remove-all" data-i18n="drawings.removeAll" disabled></button>
        </p>
        <div class="confirm" data-testid="drawings-confirm" role="alertdialog" hidden>
          <p class="drawings-confirm-text"></p>
          <p class="buttons">
            <button type="button" data-testid="drawings-confirm-yes"></button>
            <button type="button" class="secondary" data-testid="drawings-confirm-no" data-i18n="drawings.confirmNo"></button>
          </p>
        </div>
        <p class="hint drawings-export-hint"></p>
        <pre class="drawings-command"><code>cnn train --train-images ${IMAGES_FILE} --train-labels ${LABELS_FILE}</code></pre>
        <p class="hint" data-testid="drawings-storage"></p>
      </div>`;
    container.append(root);
    this.root = root;
    const q = (id) => root.querySelector(`[data-testid="${id}"]`);
    this.el = {
      pad: q('drawings-pad'), preview: root.querySelector('.drawings-preview'), label: q('drawings-label'), wrong: q('drawings-wrong'),
      add: q('drawings-add'), clear: q('drawings-clear'), sample: q('drawings-sample'), status: q('drawings-status'),
      count: q('drawings-count'), wrongCount: root.querySelector('.drawings-wrong-count'), counts: q('drawings-counts'),
      list: q('drawings-list'), exportButton: q('drawings-export'), removeAll: q('drawings-remove-all'),
      confirm: q('drawings-confirm'), confirmText: root.querySelector('.drawings-confirm-text'),
      confirmYes: q('drawings-confirm-yes'), confirmNo: q('drawings-confirm-no'), storage: q('drawings-storage'),
    };
    const e = this.el;
    // Named before it is shown, like every control (the count is filled in when it asks).
    setText(e.confirmYes, 'drawings.confirmYes', { n: 0 });
    const confirm = root.querySelector('.drawings-confirm-text');
    confirm.id = `drawings-confirm-text-${Math.random().toString(36).slice(2)}`;
    e.confirm.setAttribute('aria-labelledby', confirm.id);
    setText(root.querySelector('.drawings-export-hint'), 'drawings.exportHint', { images: IMAGES_FILE, labels: LABELS_FILE });
    this.countCells = Array.from({ length: DIGITS }, (_, d) => {
      const n = el('span', { class: 'n' }, '0');
      const li = el('li', { 'data-label': String(d) });
      li.append(el('span', { class: 'd' }, String(d)), n);
      e.counts.append(li);
      return { li, n };
    });
    applyStrings(root);

    this.image = null; // the pad's 28×28 image, or null while it is empty
    this.pad = new DrawingPad(e.pad, { onChange: () => this.padChanged(), onStrokeEnd: () => this.padChanged() });
    e.add.addEventListener('click', () => this.add());
    e.clear.addEventListener('click', () => {
      this.pad.clear();
      setText(e.status, null);
    });
    e.sample.addEventListener('click', () => this.pad.showImage(this.core.sampleDigit(Number(e.label.value))));
    e.exportButton.addEventListener('click', () => this.exportIdx());
    e.removeAll.addEventListener('click', () => this.askRemoveAll());
    e.confirmYes.addEventListener('click', () => this.removeAll());
    e.confirmNo.addEventListener('click', () => this.hideConfirm());
    e.confirm.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        this.hideConfirm();
        ev.preventDefault();
      }
    });
    setText(e.storage, 'drawings.loading');
    this.padChanged();
    this.render();
  }

  /** Load the saved set (or learn that this browser keeps none). Resolves either way. */
  async load() {
    const opened = await open();
    if (!opened.store) {
      setText(this.el.storage, 'drawings.memory', { reason: opened.reason });
    } else {
      this.store = opened.store;
      setText(this.el.storage, 'drawings.stored');
      for (const r of opened.records) {
        // A record this page cannot use (another version's, a damaged one) is left where it is.
        if (!(r.image instanceof Float32Array) || r.image.length !== PIXELS || !(r.label >= 0 && r.label < DIGITS)) continue;
        this.list.push({ id: r.id, image: r.image, label: r.label, wrong: Boolean(r.wrong) });
        this.nextId = Math.max(this.nextId, r.id + 1);
      }
    }
    this.loaded = true;
    this.padChanged();
    this.changed();
  }

  /** The set, in the order it was added: `[{ id, image: Float32Array(784), label, wrong }]`. */
  items() {
    return this.list.map((d) => ({ ...d }));
  }

  /** Resolves once every change so far is written to IndexedDB (at once without it). */
  saved() {
    return this.writes;
  }

  /** Redraw the words written by code (after a change of language). */
  refresh() {
    applyStrings(this.root);
    this.render();
  }

  /** The pad changed: prepare its image as the draw chapter does, and show it. */
  padChanged() {
    const pad = this.pad;
    this.image = pad.inked ? (this.core.preprocess(pad.pixels(), pad.canvas.width, pad.canvas.height) ?? null) : null;
    paintDigit(this.el.preview, this.image);
    this.el.add.disabled = !this.image || !this.loaded;
    setAttr(this.el.add, 'title', this.image ? null : 'drawings.addEmpty');
  }

  add() {
    if (!this.image || !this.loaded) return;
    const e = this.el;
    const item = { id: this.nextId++, image: Float32Array.from(this.image), label: Number(e.label.value), wrong: e.wrong.checked };
    this.list.push(item);
    this.save((s) => s.put(item));
    const n = this.list.length;
    setText(e.status, item.wrong ? 'drawings.addedWrong' : 'drawings.added', { n, label: item.label });
    // Ready for the next digit: an empty pad, and no wrong label by accident.
    this.pad.clear();
    e.wrong.checked = false;
    this.changed();
  }

  relabel(item, label) {
    item.label = label;
    this.save((s) => s.put(item));
    setText(this.el.status, 'drawings.relabelled', { n: this.list.indexOf(item) + 1, label });
    this.changed();
  }

  markWrong(item, wrong) {
    item.wrong = wrong;
    this.save((s) => s.put(item));
    this.changed();
  }

  remove(item) {
    const n = this.list.indexOf(item) + 1;
    this.list.splice(n - 1, 1);
    this.save((s) => s.remove(item.id));
    setText(this.el.status, 'drawings.removed', { n });
    this.changed();
    // The focus goes to what took the removed one's place, else to Add.
    const next = this.el.list.querySelectorAll('[data-testid="drawing-remove"]')[Math.min(n - 1, this.list.length - 1)];
    (next ?? this.el.add).focus();
  }

  askRemoveAll() {
    const e = this.el;
    const values = { n: this.list.length };
    setText(e.confirmText, 'drawings.confirmAll', values);
    setText(e.confirmYes, 'drawings.confirmYes', values);
    e.confirm.hidden = false;
    e.confirmNo.focus();
  }

  hideConfirm() {
    this.el.confirm.hidden = true;
    this.el.removeAll.focus();
  }

  removeAll() {
    this.el.confirm.hidden = true;
    this.list = [];
    this.save((s) => s.clear());
    setText(this.el.status, 'drawings.removedAll');
    this.changed();
    this.el.add.focus();
  }

  /** Download the set as an IDX pair, both files made by the core. */
  exportIdx() {
    const images = new Float32Array(this.list.length * PIXELS);
    this.list.forEach((d, i) => images.set(d.image, i * PIXELS));
    const labels = Uint8Array.from(this.list, (d) => d.label);
    try {
      const pair = this.core.idxPair(images, labels);
      download(IMAGES_FILE, pair.images);
      download(LABELS_FILE, pair.labels);
      setText(this.el.status, 'drawings.exported', { n: num(this.list.length), images: IMAGES_FILE, labels: LABELS_FILE });
    } catch (err) {
      setText(this.el.status, 'drawings.exportFailed', { detail: () => explain(err) });
    }
  }

  /** Write one change to IndexedDB after the ones before it. A failed write leaves the set in
   *  memory, says so, and stops writing (what is stored would no longer match what is shown). */
  save(change) {
    if (!this.store) return;
    const store = this.store;
    this.writes = this.writes.then(() => change(store)).catch((err) => {
      if (this.store !== store) return;
      this.store = null;
      setText(this.el.storage, 'drawings.saveFailed', { reason: err?.message ?? String(err) });
    });
  }

  changed() {
    this.render();
    this.onChange(this.items());
  }

  /** The thumbnails, the counts and the buttons that depend on the set. */
  render() {
    const e = this.el;
    const n = this.list.length;
    setText(e.count, n === 0 ? 'drawings.countNone' : n === 1 ? 'drawings.countOne' : 'drawings.countMany', { n: num(n) });
    const wrong = this.list.filter((d) => d.wrong).length;
    setText(e.wrongCount, wrong ? 'drawings.countWrong' : null, { wrong: num(wrong) });
    const counts = new Array(DIGITS).fill(0);
    for (const d of this.list) counts[d.label]++;
    this.countCells.forEach(({ li, n: cell }, d) => {
      cell.textContent = num(counts[d]);
      li.classList.toggle('none', counts[d] === 0);
      setAttr(li, 'aria-label', 'drawings.perLabelCell', { d, n: num(counts[d]) });
    });
    e.exportButton.disabled = n === 0;
    e.removeAll.disabled = n === 0;
    if (n === 0) e.confirm.hidden = true;
    e.list.replaceChildren(...this.list.map((d, i) => this.thumbnail(d, i + 1)));
  }

  /** One drawing: its image, its label (a menu to change it), its wrong mark, a remove button. */
  thumbnail(item, n) {
    const li = el('li', { class: 'drawing', 'data-testid': 'drawing-item', 'data-label': String(item.label), 'data-wrong': String(item.wrong) });
    li.classList.toggle('wrong', item.wrong);
    const canvas = el('canvas', { width: '28', height: '28', role: 'img' });
    setAttr(canvas, 'aria-label', item.wrong ? 'drawings.thumbWrong' : 'drawings.thumb', { n, label: item.label });
    paintDigit(canvas, item.image);
    const select = el('select', { 'data-testid': 'drawing-relabel' });
    for (let d = 0; d < DIGITS; d++) select.append(el('option', { value: String(d) }, String(d)));
    select.value = String(item.label);
    setAttr(select, 'aria-label', 'drawings.relabel', { n });
    select.addEventListener('change', () => this.relabel(item, Number(select.value)));
    const box = el('input', { type: 'checkbox', 'data-testid': 'drawing-wrong' });
    box.checked = item.wrong;
    setAttr(box, 'aria-label', 'drawings.itemWrongLabel', { n });
    box.addEventListener('change', () => this.markWrong(item, box.checked));
    const mark = el('label', { class: 'drawing-wrong' });
    const word = el('span');
    setText(word, 'drawings.itemWrong');
    mark.append(box, word);
    const remove = el('button', { type: 'button', class: 'secondary', 'data-testid': 'drawing-remove' });
    setText(remove, 'drawings.remove');
    setAttr(remove, 'aria-label', 'drawings.removeLabel', { n });
    remove.addEventListener('click', () => this.remove(item));
    li.append(canvas, select, mark, remove);
    return li;
  }
}

/** A 28×28 image (ink in [0, 1]) on a 28×28 canvas, white ink on black as MNIST's digits are
 *  usually shown (the draw chapter's "what the network sees"). */
function paintDigit(canvas, image) {
  const ctx = canvas.getContext('2d');
  const data = ctx.createImageData(28, 28);
  for (let i = 0; i < PIXELS; i++) {
    const v = Math.round((image ? image[i] : 0) * 255);
    data.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(data, 0, 0);
}

/** Offer bytes to the learner as a file download. */
function download(name, bytes) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
