// The notebook page: loads the WebAssembly core and the shipped LeNet, then mounts the chapters
// (www/chapters/registry.js), the table of contents and presenter mode, and the language switch.
// The chapters about LeNet share one notebook (www/notebook.js). Everything numeric comes from
// the core; these modules only lay it out and pass events along.

import { applyStrings, explain, num, onLanguageChange, registerCoreStrings, setText, t, tm } from './i18n.js';
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

/** Examples per second as the badge writes them: two significant digits (41,000; 8,500). */
const speed = (x) => num(x, { maximumSignificantDigits: 2 });

/**
 * The badge says what trains. After a race (the worker timed both backends, see
 * chapters/train.js), it gives both figures, the training backend's first — "WebGPU · <adapter>
 * · 41,000 ex/s — CPU 8,500 ex/s" — and carries them as data attributes; else a word. The
 * adapter, the reason, how it was chosen and the core's version are in its tooltip.
 */
function showBackend(badge, m, core) {
  for (const k of ['cpuEps', 'gpuEps', 'winner', 'raceMs']) delete badge.dataset[k];
  if (!m?.backend) {
    delete badge.dataset.backend;
    delete badge.dataset.choice;
    badge.textContent = t('backend.checking');
    badge.removeAttribute('title');
    return;
  }
  const gpu = m.backend === 'WebGPU';
  badge.dataset.backend = gpu ? 'webgpu' : 'cpu';
  if (m.choice) badge.dataset.choice = m.choice;
  const race = m.race;
  const lines = [gpu ? t('backend.gpuDetail', { adapter: m.adapter }) : t('backend.why', { reason: tm(m.fallbackReason) })];
  if (race) {
    Object.assign(badge.dataset, { cpuEps: race.cpu, gpuEps: race.gpu, winner: race.winner, raceMs: race.ms });
    const figures = { adapter: m.adapter, cpu: speed(race.cpu), gpu: speed(race.gpu) };
    badge.textContent = t(gpu ? 'backend.gpuRaced' : 'backend.cpuRaced', figures);
    lines.push(t('backend.raceDetail', {
      ms: num(Math.round(race.ms)), batch: num(race.batch), cpuSteps: race.cpuLap.steps, gpuSteps: race.gpuLap.steps, workers: race.cpuWorkers,
    }));
  } else {
    badge.textContent = t(gpu ? 'backend.webgpu' : 'backend.cpu');
  }
  if (m.choice === 'remembered') lines.push(t('backend.remembered', { adapter: m.adapter }));
  if (m.choice === 'switched') lines.push(t('backend.switched', { adapter: m.adapter }));
  badge.title = `${lines.join(' ')} ${t('status.ready', { version: core.version() })}`;
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
