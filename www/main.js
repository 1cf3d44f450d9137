// The notebook page: loads the WebAssembly core and the shipped LeNet, then mounts the chapters
// (www/chapters/registry.js), the table of contents and presenter mode, and the language switch.
// The chapters about LeNet share one notebook (www/notebook.js). Everything numeric comes from
// the core; these modules only lay it out and pass events along.

import { applyStrings, explain, onLanguageChange, registerCoreStrings, setText, t, tm } from './i18n.js';
import { mountLanguageSwitch } from './lang.js';
import { mountPresenter } from './presenter.js';
import { createNotebook } from './notebook.js';
import { loadChapterStrings, mountChapters, refreshChapters } from './chapters/registry.js';

const $ = (id) => document.getElementById(id);
const SHIPPED_MODEL = 'www/models/lenet-mnist.cnn';

function showError(err) {
  const detail = explain(err);
  const panicked = typeof WebAssembly !== 'undefined' && err instanceof WebAssembly.RuntimeError;
  $('error-message').textContent = panicked ? t('error.panic', { detail }) : detail;
  $('error').hidden = false;
}

/** The badge says in a word what trains; the adapter, the reason and the core's version are in its tooltip. */
function showBackend(badge, m, core) {
  if (!m?.backend) {
    delete badge.dataset.backend;
    badge.textContent = t('backend.checking');
    return;
  }
  const gpu = m.backend === 'WebGPU';
  badge.dataset.backend = gpu ? 'webgpu' : 'cpu';
  badge.textContent = t(gpu ? 'backend.webgpu' : 'backend.cpu');
  const why = gpu ? t('backend.gpuDetail', { adapter: m.adapter }) : t('backend.why', { reason: tm(m.fallbackReason) });
  badge.title = `${why} ${t('status.ready', { version: core.version() })}`;
  badge.classList.toggle('fallback', !gpu);
}

async function main() {
  // Fetch the core while the chapters' strings load; its errors are handled where it is awaited.
  const corePromise = import('./pkg/cnn_core.js');
  corePromise.catch(() => {});
  await loadChapterStrings();
  applyStrings();
  window.addEventListener('error', (e) => showError(e.error ?? e.message));
  window.addEventListener('unhandledrejection', (e) => showError(e.reason));

  let core, shipped;
  try {
    core = await corePromise;
    const [, res] = await Promise.all([core.default(), fetch(SHIPPED_MODEL)]);
    registerCoreStrings(core.messageTemplates());
    if (!res.ok) throw new Error(t('error.noModel', { url: SHIPPED_MODEL, status: res.status }));
    shipped = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    setText($('status'), null);
    showError(t('error.notBuilt', { detail: err instanceof Error ? err.message : String(err) }));
    return;
  }

  const nb = createNotebook(core, shipped);
  const badge = $('backend');
  let backend = null; // the worker's last report, to redraw the badge in another language
  nb.on('backend', (m) => showBackend(badge, (backend = m), core));
  const chapters = await mountChapters(core, nb);
  const presenter = mountPresenter();
  setText($('status'), null); // ready: the loading line goes (and stays gone after a change of language)
  // A change of language: the data-i18n elements are already filled again; redraw what code wrote.
  onLanguageChange(() => {
    showBackend(badge, backend, core);
    presenter.refresh();
    refreshChapters();
  });
  mountLanguageSwitch();
  const draw = chapters.draw.handle();
  window.cnnNotebook = {
    core, stats: nb.stats, notebook: nb,
    get predictor() { return nb.predictor; },
    get training() { return chapters.train.handle(); },
    get forward() { return chapters.stepthrough.handle(); },
    pad: draw.pad, refresh: draw.refresh, show: () => nb.predict(),
  };
  document.body.dataset.ready = 'true';
}

main();
