// The table of contents, the chapter numbers, presenter mode and the keys, for teaching in front
// of a class. Presenter mode scales the whole page (the root font size: every size is in rem or
// em, and the charts read the same scale), and the keys walk the lesson:
//
//   → / PageDown   next chapter        ← / PageUp   previous chapter
//   space          the chapter's play button (the layer walk, start/pause training…)
//   ?              the list of keys    Esc           leave a widget that uses the arrows
//
// The chapter keys work wherever the focus is, except inside a control that needs the arrows
// itself: a slider, a menu, a text field, a feature map's cursor, the layer stepper — each marked
// `data-arrow-keys` or a native control. There Esc gives the arrows back to the chapters, and
// PageDown / PageUp always move on (a presenter's clicker sends those).

import { t } from './i18n.js';

const sections = () => [...document.querySelectorAll('main > section.card')];
/** Controls that use the arrow keys themselves. */
const ARROW_CONTROLS = 'input, select, textarea, [role="slider"], [role="radiogroup"], [data-arrow-keys]';
/** Places where typing goes: even PageDown stays there. */
const TEXT_FIELDS = 'textarea, [contenteditable="true"], input:not([type="range"]):not([type="checkbox"]):not([type="radio"]):not([type="button"]):not([type="file"])';
/** Where space already means "press this". */
const SPACE_TARGETS = 'button, a, summary, input, select, textarea, [role="button"], [data-arrow-keys]';

export const presenting = () => document.documentElement.classList.contains('presenter');

/**
 * The chapter being presented, as an index into sections(): the one holding the focus, else the
 * last one scrolled to the top of the window; -1 above the first (the page's header).
 */
function currentIndex() {
  const all = sections();
  const focused = document.activeElement?.closest?.('main > section.card');
  if (focused) return all.indexOf(focused);
  let at = -1;
  all.forEach((s, i) => {
    if (s.getBoundingClientRect().top <= 8) at = i;
  });
  return at;
}

/** Focus a chapter's heading without scrolling: the keys then act on that chapter. */
function focusHeading(section) {
  const h = section.querySelector('h2');
  h.tabIndex = -1;
  h.focus({ preventScroll: true });
}

/** Present chapter `i`: scrolled to the top of the window, its heading focused. */
function present(i) {
  const all = sections();
  const target = all[Math.max(0, Math.min(all.length - 1, i))];
  target.scrollIntoView({ block: 'start' });
  focusHeading(target);
}

/** Number the chapters in page order and fill the table of contents from their headings. */
export function renderToc() {
  const toc = document.getElementById('toc');
  toc.replaceChildren();
  sections().forEach((s, i) => {
    const h = s.querySelector('h2');
    let number = h.querySelector('.ch-num');
    if (!number) {
      number = document.createElement('span');
      number.className = 'ch-num';
      h.prepend(number, ' ');
    }
    number.textContent = String(i + 1);
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `#${s.id}`;
    a.textContent = h.textContent.replace(/\s+/g, ' ').trim();
    li.append(a);
    toc.append(li);
  });
}

/** The key list (`?`): a modal dialog, closed with Esc or its button. */
function mountHelp() {
  const dialog = document.getElementById('keys-help');
  document.getElementById('keys-help-close').addEventListener('click', () => dialog.close());
  document.getElementById('keys-open').addEventListener('click', () => dialog.showModal());
  return dialog;
}

export function mountPresenter() {
  const button = document.getElementById('presenter');
  const help = mountHelp();
  const set = (on) => {
    document.documentElement.classList.toggle('presenter', on);
    button.setAttribute('aria-pressed', String(on));
    button.textContent = t(on ? 'presenter.off' : 'presenter.on');
    // Canvases draw their text at the page's scale: tell them it changed.
    window.dispatchEvent(new Event('resize'));
  };
  button.addEventListener('click', () => set(!presenting()));
  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || help.open) return;
    const target = e.target instanceof Element ? e.target : document.body;
    if (e.key === '?' && !target.closest(TEXT_FIELDS)) {
      help.showModal();
      e.preventDefault();
      return;
    }
    // A widget that handled the key itself has the last word.
    if (!presenting() || e.defaultPrevented) return;
    const step = { PageDown: 1, PageUp: -1, ArrowRight: 1, ArrowLeft: -1 }[e.key];
    if (step) {
      const arrows = e.key.startsWith('Arrow');
      if (target.closest(arrows ? ARROW_CONTROLS : TEXT_FIELDS)) return;
      present(currentIndex() + step);
    } else if (e.key === ' ' && !target.closest(SPACE_TARGETS)) {
      const chapter = sections()[currentIndex()];
      const play = chapter?.querySelector('[data-presenter-play]:not(:disabled):not([hidden])');
      if (!play) return;
      play.click();
    } else if (e.key === 'Escape' && target.closest(ARROW_CONTROLS)) {
      // Give the arrows back to the chapters: focus the chapter's heading.
      const chapter = target.closest('main > section.card');
      if (!chapter) return;
      focusHeading(chapter);
    } else {
      return;
    }
    e.preventDefault();
  });
  renderToc();
  set(false);
  return { refresh: () => (renderToc(), set(presenting())) };
}
