// The training lab's confusion matrix: after each epoch, a K×K table of test-set counts (row = true
// class, column = predicted class, from the core's `confusion::Predictions`), the test images of a
// clicked cell with their probabilities, and a strip of the mistakes the network was surest of.
//
// Readable without telling hues apart: mistakes are coloured on viridis run from light (few) to
// dark (many), so lightness alone orders them; the diagonal (right answers) has a grey scale of
// its own, a thick outline and bold numbers; every cell writes its count, in black or white,
// whichever contrasts more with its colour. The table keeps the arrow keys while a cell has the
// focus (`data-arrow-keys`, see presenter.js); one cell at a time is in the tab order.

import { SCALES } from '../colormap.js';
import { el, reveal } from '../chapters/dom.js';
import { count, percent } from '../format.js';
import { explain, num, t } from '../i18n.js';

/** At most this many images of a cell are shown; the rest are counted ("and N more"). */
export const CELL_LIMIT = 24;
/** Probabilities written under each image of a cell: the largest few. */
const TOP = 3;
/** Class names longer than this are written upwards over the columns. */
const ROTATE_OVER = 2;

/**
 * The class names of `dataset` in the current language: the digits for MNIST and the learner's
 * own digits ('mine'), the ten clothes of Fashion-MNIST.
 */
export function classNames(dataset) {
  if (dataset === 'fashion-mnist') return Array.from({ length: 10 }, (_, k) => t(`confusion.fashion.${k}`));
  if (dataset === 'mnist' || dataset === 'mine') return Array.from({ length: 10 }, (_, k) => String(k));
  throw new Error(`no class names for dataset '${dataset}'`);
}

/** Relative luminance (WCAG) of an sRGB colour given as 0–255 channels. */
function luminance([r, g, b]) {
  const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Black or white text, whichever contrasts more with `rgb`. */
function inkOn(rgb) {
  const l = luminance(rgb);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#111' : '#fff';
}

/** A mistake cell's colour: viridis from its light end (one mistake) to its dark end (the most). */
function mistakeColour(n, most) {
  // √ spreads the many small counts apart; the legend uses the same mapping.
  const s = Math.sqrt(n / most);
  const j = Math.round(255 * (1 - s)) * 3;
  return [SCALES.viridis[j], SCALES.viridis[j + 1], SCALES.viridis[j + 2]];
}

/** A right-answer cell's colour: greys, light to mid, by its count among the diagonal's. */
function rightColour(n, most) {
  const v = Math.round(244 - 64 * (n / most));
  return [v, v, v];
}

const css = (rgb) => `rgb(${rgb.join(' ')})`;

/** A 28×28 test image as dark ink on white, like the pad's digits. */
function imageCanvas(image, label) {
  const canvas = el('canvas', { width: '28', height: '28', class: 'cm-image', role: 'img', 'aria-label': label });
  const ctx = canvas.getContext('2d');
  const data = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) data.data.set([17, 17, 17, Math.round((image?.[i] ?? 0) * 255)], i * 4);
  ctx.putImageData(data, 0, 0);
  return canvas;
}

export class ConfusionView {
  /**
   * `classNames()` gives the K class names in the current language; `examples(r, c)` resolves
   * to the test examples of true class r predicted as c, most confident first (at most
   * CELL_LIMIT are shown), and `mistakes()` to the surest mistakes — each example as the core's
   * `Example` with `.image`, its 784 pixels in [0, 1].
   */
  constructor(container, { classNames, examples, mistakes }) {
    this.names = classNames;
    this.fetchExamples = examples;
    this.fetchMistakes = mistakes;
    this.confusion = null;
    this.epoch = undefined;
    /** The open cell { r, c } and what it shows ({ r, c, list } once loaded). */
    this.selected = null;
    this.cellShown = null;
    this.mistakesShown = null;
    /** Counts requests, so that an answer to an older one is dropped. */
    this.asked = { cell: 0, mistakes: 0 };
    /** The cell in the tab order. */
    this.focus = { r: 0, c: 0 };

    this.root = el('div', { class: 'cm' });
    this.heading = el('h3', { class: 'cm-heading' });
    this.summary = el('p', { class: 'cm-summary', 'data-testid': 'cm-summary', 'aria-live': 'polite' });
    this.how = el('p', { class: 'hint cm-how' });
    this.scroll = el('div', { class: 'cm-scroll' });
    this.legend = el('div', { class: 'cm-legend', 'aria-hidden': 'true' });
    this.examplesBox = el('div', { class: 'cm-examples', 'data-testid': 'cm-examples', 'aria-live': 'polite' });
    this.examplesBox.hidden = true;
    this.mistakesHeading = el('h4', { class: 'cm-mistakes-heading' });
    this.mistakesIntro = el('p', { class: 'hint' });
    this.mistakesList = el('ul', { class: 'cm-mistakes', 'data-testid': 'cm-mistakes' });
    this.root.append(this.heading, this.summary, this.how, this.scroll, this.legend, this.examplesBox, this.mistakesHeading, this.mistakesIntro, this.mistakesList);
    container.append(this.root);
    this.refresh();
  }

  /** Show the matrix of `confusion` (the core's `Confusion`), measured after `epoch`. */
  show(confusion, { epoch } = {}) {
    this.confusion = confusion;
    this.epoch = epoch;
    const k = confusion.classes;
    if (this.focus.r >= k || this.focus.c >= k) this.focus = { r: 0, c: 0 };
    if (this.selected && (this.selected.r >= k || this.selected.c >= k)) this.closeCell();
    const hadFocus = this.scroll.contains(document.activeElement);
    this.renderTable();
    if (hadFocus) this.cellButton(this.focus.r, this.focus.c)?.focus({ preventScroll: true });
    // The open cell and the strip are about the network before this epoch: ask again.
    if (this.selected) this.loadCell(this.selected.r, this.selected.c, { scroll: false });
    this.loadMistakes();
  }

  /** Back to waiting for the first epoch (a new run): no matrix, no open cell, no mistakes. */
  clear() {
    this.confusion = null;
    this.epoch = undefined;
    this.selected = null;
    this.cellShown = null;
    this.mistakesShown = null;
    // Answers still on their way are about the old run.
    this.asked.cell++;
    this.asked.mistakes++;
    this.scroll.replaceChildren();
    this.legend.replaceChildren();
    this.mistakesList.replaceChildren();
    this.renderSummary();
    this.renderCell();
  }

  /** Write every word again in the current language (after a change of language). */
  refresh() {
    this.heading.textContent = t('confusion.heading');
    this.how.textContent = t('confusion.how');
    this.mistakesHeading.textContent = t('confusion.mistakesTitle');
    this.mistakesIntro.textContent = t('confusion.mistakesIntro');
    this.renderSummary();
    if (this.confusion) this.renderTable();
    this.renderCell();
    this.renderMistakes();
  }

  renderSummary() {
    const m = this.confusion;
    if (!m) {
      this.summary.textContent = t('confusion.waiting');
      return;
    }
    const values = { correct: count(m.correct), total: count(m.total), accuracy: percent(m.accuracy, 1) };
    this.summary.textContent = this.epoch === undefined ? t('confusion.summaryNow', values) : t('confusion.summary', { ...values, epoch: count(this.epoch) });
  }

  /** The K×K table, its axis titles and the colour key, from the current matrix and names. */
  renderTable() {
    this.renderSummary();
    const m = this.confusion;
    const k = m.classes;
    const names = this.names();
    const at = (r, c) => m.counts[r * k + c];
    let mostWrong = 1, mostRight = 1;
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) {
      if (r === c) mostRight = Math.max(mostRight, at(r, c));
      else mostWrong = Math.max(mostWrong, at(r, c));
    }

    const table = el('table', { class: 'cm-table', 'data-testid': 'confusion', 'data-arrow-keys': '' });
    table.classList.toggle('cm-rotated', names.some((n) => n.length > ROTATE_OVER));
    const head = el('thead');
    const axis = el('tr');
    axis.append(el('td', { class: 'cm-corner', colspan: '2', rowspan: '2' }), el('th', { class: 'cm-axis cm-axis-predicted', colspan: String(k), scope: 'colgroup' }, t('confusion.predicted')));
    const recallHead = el('th', { class: 'cm-recall-head', rowspan: '2', scope: 'col', title: t('confusion.recallTitle') }, t('confusion.recall'));
    axis.append(recallHead);
    const cols = el('tr');
    for (let c = 0; c < k; c++) {
      // The span is what turns upright when the names are long (.cm-rotated).
      const th = el('th', { class: 'cm-col', scope: 'col' });
      th.append(el('span', {}, names[c]));
      cols.append(th);
    }
    head.append(axis, cols);

    const body = el('tbody');
    for (let r = 0; r < k; r++) {
      const row = el('tr');
      if (r === 0) {
        const title = el('th', { class: 'cm-axis cm-axis-true', rowspan: String(k), scope: 'rowgroup' });
        title.append(el('span', {}, t('confusion.true')));
        row.append(title);
      }
      row.append(el('th', { class: 'cm-row', scope: 'row' }, names[r]));
      for (let c = 0; c < k; c++) {
        const n = at(r, c);
        const button = el('button', {
          type: 'button',
          class: r === c ? 'cm-cell cm-right' : n ? 'cm-cell cm-wrong' : 'cm-cell cm-zero',
          'data-testid': `cm-${r}-${c}`,
          'data-value': String(n),
          'data-r': String(r),
          'data-c': String(c),
          tabindex: r === this.focus.r && c === this.focus.c ? '0' : '-1',
          'aria-pressed': String(this.selected?.r === r && this.selected?.c === c),
          'aria-label': t('confusion.cellLabel', { count: count(n), true: names[r], predicted: names[c] }),
        }, num(n, { useGrouping: false }));
        if (r === c || n) {
          const rgb = r === c ? rightColour(n, mostRight) : mistakeColour(n, mostWrong);
          button.style.background = css(rgb);
          button.style.color = inkOn(rgb);
        }
        const td = el('td', { class: 'cm-td' });
        td.append(button);
        row.append(td);
      }
      const recall = m.recall[r];
      row.append(el('td', { class: 'cm-recall num' }, recall == null ? '–' : percent(recall, 1)));
      body.append(row);
    }
    table.append(head, body);
    table.addEventListener('click', (e) => {
      const b = e.target.closest('button.cm-cell');
      if (b) this.openCell(Number(b.dataset.r), Number(b.dataset.c));
    });
    table.addEventListener('keydown', (e) => this.onKey(e));
    this.scroll.replaceChildren(table);
    this.renderLegend(mostWrong);
  }

  /** The colour key: the mistakes' scale from 1 to the most, and the diagonal's look. */
  renderLegend(mostWrong) {
    const bar = el('span', { class: 'cm-legend-bar' });
    const stops = Array.from({ length: 9 }, (_, i) => {
      const n = 1 + ((mostWrong - 1) * i) / 8;
      return `${css(mistakeColour(n, mostWrong))} ${(100 * i) / 8}%`;
    });
    bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    const wrong = el('span', { class: 'cm-legend-item' });
    wrong.append(el('span', {}, t('confusion.legendMistakes')), el('span', { class: 'num' }, count(1)), bar, el('span', { class: 'num' }, count(mostWrong)));
    const right = el('span', { class: 'cm-legend-item' });
    right.append(el('span', { class: 'cm-legend-right' }), el('span', {}, t('confusion.legendRight')));
    this.legend.replaceChildren(wrong, right);
  }

  cellButton(r, c) {
    return this.scroll.querySelector(`[data-testid="cm-${r}-${c}"]`);
  }

  /** Arrows move between cells, Home/End to the row's ends; Enter and Space press the button. */
  onKey(e) {
    const k = this.confusion.classes;
    const move = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    let { r, c } = this.focus;
    if (move) [r, c] = [Math.max(0, Math.min(k - 1, r + move[0])), Math.max(0, Math.min(k - 1, c + move[1]))];
    else if (e.key === 'Home') c = 0;
    else if (e.key === 'End') c = k - 1;
    else return;
    // Handled here even at an edge, so the presenter's keys do not turn the page under the reader.
    e.preventDefault();
    this.moveFocus(r, c);
  }

  moveFocus(r, c) {
    this.cellButton(this.focus.r, this.focus.c)?.setAttribute('tabindex', '-1');
    this.focus = { r, c };
    const b = this.cellButton(r, c);
    b.setAttribute('tabindex', '0');
    b.focus();
  }

  openCell(r, c) {
    this.cellButton(this.focus.r, this.focus.c)?.setAttribute('tabindex', '-1');
    this.focus = { r, c };
    this.cellButton(r, c)?.setAttribute('tabindex', '0');
    for (const b of this.scroll.querySelectorAll('[aria-pressed="true"]')) b.setAttribute('aria-pressed', 'false');
    this.cellButton(r, c)?.setAttribute('aria-pressed', 'true');
    this.selected = { r, c };
    this.loadCell(r, c, { scroll: true });
  }

  closeCell() {
    this.selected = null;
    this.cellShown = null;
    this.renderCell();
  }

  async loadCell(r, c, { scroll }) {
    const asked = ++this.asked.cell;
    this.examplesBox.dataset.state = 'loading';
    if (!this.cellShown || this.cellShown.r !== r || this.cellShown.c !== c) {
      this.cellShown = { r, c, list: null };
      this.renderCell();
    }
    if (scroll) reveal(this.examplesBox);
    let list;
    try {
      list = await this.fetchExamples(r, c);
    } catch (err) {
      // The run that answers was reset or failed: say why in the box, in the reader's language.
      if (asked !== this.asked.cell) return;
      this.examplesBox.dataset.state = 'error';
      this.examplesBox.replaceChildren(el('p', { class: 'cm-error' }, explain(err)));
      return;
    }
    if (asked !== this.asked.cell || !this.selected) return;
    this.cellShown = { r, c, list };
    this.renderCell();
  }

  /** The open cell's images with their largest probabilities, or the sentence for an empty cell. */
  renderCell() {
    const box = this.examplesBox;
    const shown = this.cellShown;
    box.hidden = !shown;
    if (!shown) return box.replaceChildren();
    const { r, c, list } = shown;
    const names = this.names();
    const total = this.confusion.counts[r * this.confusion.classes + c];
    const parts = [el('h4', {}, t('confusion.examplesTitle', { true: names[r], predicted: names[c], count: count(total) }))];
    if (list?.length) parts.push(el('p', { class: 'hint' }, t('confusion.examplesHint', { n: count(TOP) })));
    if (!list) {
      parts.push(el('p', { class: 'hint' }, t('confusion.loading')));
    } else if (!list.length) {
      parts.push(el('p', { class: 'cm-empty' }, t('confusion.emptyCell', { true: names[r], predicted: names[c] })));
    } else {
      const items = el('ul', { class: 'cm-grid' });
      for (const ex of list.slice(0, CELL_LIMIT)) {
        const li = el('li', { class: 'cm-example', 'data-testid': 'cm-example', 'data-index': String(ex.index) });
        li.append(imageCanvas(ex.image, t('confusion.exampleLabel', { index: count(ex.index) })));
        const probs = el('ol', { class: 'cm-probs' });
        const top = [...ex.probabilities.keys()].sort((a, b) => ex.probabilities[b] - ex.probabilities[a]).slice(0, TOP);
        // The true class always has its line: what the network gave the right answer.
        if (!top.includes(ex.label)) top.push(ex.label);
        for (const k of top) {
          const line = el('li', { class: k === ex.label ? 'is-label' : '' });
          line.append(el('span', { class: 'cm-name' }, names[k]), el('span', { class: 'num' }, percent(ex.probabilities[k], 1)));
          probs.append(line);
        }
        li.append(probs);
        items.append(li);
      }
      parts.push(items);
      const more = total - Math.min(list.length, CELL_LIMIT);
      if (more > 0) parts.push(el('p', { class: 'hint cm-more', 'data-testid': 'cm-more' }, t('confusion.more', { n: count(more) })));
    }
    box.dataset.state = list ? 'ready' : 'loading';
    box.replaceChildren(...parts);
  }

  async loadMistakes() {
    const asked = ++this.asked.mistakes;
    let list;
    try {
      list = await this.fetchMistakes();
    } catch (err) {
      if (asked !== this.asked.mistakes) return;
      this.mistakesShown = null;
      this.mistakesList.replaceChildren(el('li', { class: 'cm-error' }, explain(err)));
      return;
    }
    if (asked !== this.asked.mistakes) return;
    this.mistakesShown = list;
    this.renderMistakes();
  }

  /** The strip: each surest mistake's image and "true: X, predicted: Y (97.1%)". */
  renderMistakes() {
    const list = this.mistakesShown;
    if (!list) return this.mistakesList.replaceChildren();
    const names = this.names();
    if (!list.length) return this.mistakesList.replaceChildren(el('li', { class: 'cm-empty' }, t('confusion.noMistakes')));
    this.mistakesList.replaceChildren(
      ...list.map((ex) => {
        const li = el('li', { class: 'cm-mistake', 'data-testid': 'cm-mistake', 'data-index': String(ex.index) });
        li.append(
          imageCanvas(ex.image, t('confusion.exampleLabel', { index: count(ex.index) })),
          el('span', {}, t('confusion.mistake', { true: names[ex.label], predicted: names[ex.predicted], confidence: percent(ex.confidence, 1) })),
        );
        return li;
      }),
    );
  }
}
