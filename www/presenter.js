// The table of contents and presenter mode, for teaching in front of a class: larger type, the
// arrow keys (or Page Up / Page Down) move between chapters, and space plays or pauses the
// current chapter's animation (the button marked data-presenter-play in it). Everything else is
// ordinary buttons and fields, so the whole page works from the keyboard.

import { t } from './i18n.js';

const sections = () => [...document.querySelectorAll('main > section.card')];

/** The section being presented: the one holding the focus, else the one nearest the top. */
function current() {
  const all = sections();
  const focused = document.activeElement?.closest?.('main > section.card');
  if (focused) return focused;
  let best = all[0];
  for (const s of all) if (s.getBoundingClientRect().top <= window.innerHeight * 0.3) best = s;
  return best;
}

function go(delta) {
  const all = sections();
  const i = Math.max(0, Math.min(all.length - 1, all.indexOf(current()) + delta));
  const target = all[i];
  target.scrollIntoView({ block: 'start' });
  const h = target.querySelector('h2');
  h.tabIndex = -1;
  h.focus({ preventScroll: true });
  return target;
}

/** Fill the table of contents from the sections' headings (again after a language change). */
export function renderToc() {
  const toc = document.getElementById('toc');
  toc.replaceChildren();
  for (const s of sections()) {
    const h = s.querySelector('h2');
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `#${s.id}`;
    a.textContent = h.textContent.replace(/\s+/g, ' ').trim();
    li.append(a);
    toc.append(li);
  }
}

export function mountPresenter() {
  const button = document.getElementById('presenter');
  const set = (on) => {
    document.body.classList.toggle('presenter', on);
    button.setAttribute('aria-pressed', String(on));
    button.textContent = t(on ? 'presenter.off' : 'presenter.on');
  };
  button.addEventListener('click', () => set(!document.body.classList.contains('presenter')));
  document.addEventListener('keydown', (e) => {
    // A widget that handled the key itself (a stepper, a grid) has the last word.
    if (!document.body.classList.contains('presenter') || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    // Keys typed into a field, or arrows inside a widget that uses them, stay there.
    const inField = e.target.closest?.('input, select, textarea, .fmap, [role="slider"]');
    const inStepper = e.target.closest?.('#forward');
    if (e.key === 'PageDown' || (e.key === 'ArrowRight' && !inField && !inStepper)) {
      go(1);
    } else if (e.key === 'PageUp' || (e.key === 'ArrowLeft' && !inField && !inStepper)) {
      go(-1);
    } else if (e.key === ' ' && !inField && !e.target.closest?.('button, a')) {
      const play = current().querySelector('[data-presenter-play]:not(:disabled)');
      if (!play) return;
      play.click();
    } else {
      return;
    }
    e.preventDefault();
  });
  renderToc();
  set(false);
  return { refresh: () => (renderToc(), set(document.body.classList.contains('presenter'))) };
}
