// The chapters with a widget of their own, in the notebook's order. Each is an ES module with
// `mount(body, core)`, which builds its widget inside `body` (the section's .chapter-body), and a
// string table `<id>.strings.js` exporting `{ en: {...}, zh: {...} }` — merged here into the page's
// one i18n table before anything is shown, so every chapter's words go through t() and the
// translation test like the rest of the page.

import { strings } from '../i18n.js';

export const CHAPTERS = ['neuron', 'activations', 'forward', 'losses', 'descent', 'convolution', 'pooling'];

let modules = null;

/** Load every chapter's strings into the page's table (and start fetching the widgets). */
export async function loadChapterStrings() {
  modules = Promise.all(CHAPTERS.map((id) => import(`./${id}.js`)));
  modules.catch(() => {}); // reported where mountChapters awaits it
  const tables = await Promise.all(CHAPTERS.map((id) => import(`./${id}.strings.js`)));
  for (const { default: table } of tables) {
    for (const [lang, entries] of Object.entries(table)) Object.assign((strings[lang] ??= {}), entries);
  }
}

let mounted = [];

/** Mount every chapter's widget into its section (`#ch-<id> .chapter-body`). */
export async function mountChapters(core) {
  mounted = await (modules ?? Promise.all(CHAPTERS.map((id) => import(`./${id}.js`))));
  mounted.forEach((m, i) => m.mount(document.querySelector(`#ch-${CHAPTERS[i]} .chapter-body`), core));
}

/** Redraw every chapter's words and numbers (after a change of language). */
export function refreshChapters() {
  for (const m of mounted) m.refresh?.();
}
