// "Show the code": the reference function that computed what a chapter shows — its real Rust
// source from crate/src/layers/, embedded in the core at build time (`core.referenceSource`) — with
// the values of the case on screen written beside the lines they belong to (the loop variables of
// the inspected output, the sum it builds). Shared by the step-through and backprop chapters.

import { setText } from './i18n.js';

/** Lines longer than this get their note on a line of its own. */
const LONG_LINE = 64;

export class CodeView {
  /** A collapsible panel inside `parent`; `testid` names it for the tests. */
  constructor(parent, core, testid) {
    this.core = core;
    this.details = document.createElement('details');
    this.details.className = 'code-view';
    this.details.dataset.testid = testid;
    this.summary = document.createElement('summary');
    this.intro = document.createElement('p');
    this.intro.className = 'hint';
    this.pre = document.createElement('pre');
    this.pre.className = 'code';
    // Focusable, so the keyboard can scroll it; its arrow keys scroll the code (long lines run
    // off to the right) rather than turn the presenter's page.
    this.pre.tabIndex = 0;
    this.pre.dataset.arrowKeys = 'scroll';
    this.details.append(this.summary, this.intro, this.pre);
    parent.append(this.details);
    this.name = null;
    /** What `show` asked for last, and what the lines now show (drawn only while open). */
    this.wanted = null;
    this.drawn = null;
    this.sources = new Map();
    this.details.addEventListener('toggle', () => this.draw());
  }

  /** Put the panel in `parent` (where the learner is looking), unless it is there already. */
  moveTo(parent) {
    if (this.details.parentElement === parent) return;
    // Moving an element drops the focus inside it: a reader of the code keeps their place.
    const focused = this.details.contains(document.activeElement) ? document.activeElement : null;
    parent.append(this.details);
    focused?.focus({ preventScroll: true });
  }

  /**
   * Show reference function `name` (or hide the panel for null). `notes` are [pattern, text]
   * pairs: a line matching the pattern (a RegExp) gets the text beside it, e.g. the value of the
   * loop variable it opens. `intro` is the key of the sentence above the code.
   */
  show(name, notes = [], intro = notes.length ? 'code.introValues' : 'code.intro') {
    this.details.hidden = !name;
    if (!name) return;
    if (!this.sources.has(name)) this.sources.set(name, this.core.referenceSource(name));
    const src = this.sources.get(name);
    if (name !== this.name) {
      this.name = name;
      this.file = src.file;
      this.details.dataset.function = name;
      setText(this.summary, 'code.summary', { name, path: `crate/src/layers/${src.file}` });
    }
    this.wanted = { src, notes, intro };
    // The pad calls this on every stroke: a closed panel draws its lines when it opens.
    this.draw();
  }

  /** Draw the lines asked for, when the panel is open and they differ from those shown. */
  draw() {
    if (!this.details.open || !this.wanted) return;
    const { src, notes, intro } = this.wanted;
    const key = [this.name, intro, ...notes.map(([, text]) => text)].join('\n');
    if (key === this.drawn) return;
    this.drawn = key;
    setText(this.intro, intro);
    const lines = src.lines.map((text, i) => {
      const line = document.createElement('span');
      line.className = 'line';
      line.dataset.line = String(i + 1);
      line.textContent = text;
      const note = notes.find(([pattern]) => pattern.test(text));
      if (note) {
        // Beside a short line; under a long one, lined up with its code, so no note runs off
        // to the right where nobody scrolls.
        const mark = document.createElement('span');
        const below = text.length > LONG_LINE;
        mark.className = below ? 'note below' : 'note';
        mark.textContent = below ? `${text.match(/^\s*/)[0]}↑ ${note[1]}` : `  ← ${note[1]}`;
        line.append(mark);
        line.classList.add('noted');
      }
      return line;
    });
    // New values (a stroke, new weights) redraw the lines: the reader keeps their place in them.
    const { scrollLeft, scrollTop } = this.pre;
    this.pre.replaceChildren(...lines.flatMap((l) => [l, '\n']));
    Object.assign(this.pre, { scrollLeft, scrollTop });
  }
}
