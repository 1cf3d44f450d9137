// The chapters, in the notebook's order. Each is an ES module with `mount(body, core, notebook)`,
// which builds its widget inside `body` (its section's .chapter-body; the section is the one
// marked data-chapter="<id>"), an optional `refresh()` for a change of language, and a string
// table `<id>.strings.js` exporting `{ en: {...}, zh: {...} }` — merged here into the page's one
// i18n table before anything is shown, so every chapter's words go through t() and the
// translation test like the rest of the page. The chapters about LeNet share the notebook
// (www/notebook.js): the pad's network and digit, and the events that say when they change.

import { strings } from '../i18n.js';

export const CHAPTERS = [
  'neuron', 'activations', 'forward', 'losses', 'regression', 'descent', 'init', 'batches', 'optimizers', 'convolution', 'pooling',
  'draw', 'stepthrough', 'train', 'parallel', 'backprop', 'gallery', 'network', 'degradation', 'batchnorm', 'dropout', 'validation', 'lab', 'files', 'presets',
];

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

/** Mount every chapter's widget into its section, in order; returns the modules by id. */
export async function mountChapters(core, notebook) {
  mounted = await (modules ?? Promise.all(CHAPTERS.map((id) => import(`./${id}.js`))));
  mounted.forEach((m, i) => m.mount(document.querySelector(`section[data-chapter="${CHAPTERS[i]}"] .chapter-body`), core, notebook));
  return Object.fromEntries(CHAPTERS.map((id, i) => [id, mounted[i]]));
}

/** Redraw every chapter's words and numbers (after a change of language). */
export function refreshChapters() {
  for (const m of mounted) m.refresh?.();
}
