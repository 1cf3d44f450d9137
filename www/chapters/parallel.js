// Chapter "Every core: data parallelism": the training chapter's own workers, seen while they
// train. The worker count (www/worker-pool.js) is set here; while this chapter is on screen the
// training worker sends, a few times a second, what one step did (crate::parallel::StepView):
// the batch cut into shards, each worker's loss and weighted gradient, and their sum — the one
// update's gradient. Every number is the core's; this file only lays them out.

import { applyStrings, num, setText, t, tm } from '../i18n.js';
import { decades } from '../format.js';
import { el } from './dom.js';
import { handle as trainingPanel } from './train.js';
import { SERIES } from '../chart.js';

const MAX_WORKERS = 8;

let state = null;

/** A gradient entry: small, so written with its decade (−1.2 × 10⁻⁴), never 0.0000. */
const g = (v) => decades(v, 3);

export function mount(body, _core, nb) {
  const cores = navigator.hardwareConcurrency || 1;
  body.innerHTML = `
    <p class="intro" data-i18n="par.intro"></p>
    <div class="par-controls">
      <label class="field"><span data-i18n="par.workers"></span>
        <select data-testid="par-workers"></select></label>
      <span class="hint" data-testid="par-cores"></span>
      <button type="button" data-presenter-play data-testid="par-play"></button>
    </div>
    <p class="message" data-testid="par-status" role="status"></p>
    <div class="par-step" data-testid="par-step" hidden>
      <h3 data-testid="par-step-title"></h3>
      <div class="par-batch" data-testid="par-batch" role="img"></div>
      <div class="table-wrap"><table class="par-table" data-testid="par-table"></table></div>
      <p class="hint" data-testid="par-update"></p>
    </div>
    <p class="message" data-testid="par-speed" aria-live="polite"></p>
    <p class="intro" data-i18n="par.ddp"></p>`;
  applyStrings(body);
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  state = { body, q, nb, cores, view: null, progress: null, visible: false };
  const select = q('par-workers');
  for (let n = 1; n <= Math.max(MAX_WORKERS, cores); n++) select.append(el('option', { value: String(n) }, num(n)));
  select.value = String(trainingPanel()?.workers ?? 1);
  select.addEventListener('change', () => {
    trainingPanel()?.setWorkers(Number(select.value));
    state.view = null;
    render();
  });
  q('par-play').addEventListener('click', () => {
    const panel = trainingPanel();
    if (!panel) return;
    if (panel.running) panel.pause();
    else panel.start();
    render();
  });
  nb.on('trainProgress', (m) => {
    state.progress = m;
    render();
  });
  // Ready, started, paused (here or in the training chapter): the button follows.
  nb.on('trainState', () => render());
  nb.on('parallelStep', (view) => {
    // The chunk under way finishes on the workers it started with: after a new choice, its last
    // steps are not the chosen count's, and are not shown.
    if (view.workers.length !== Number(select.value)) return;
    state.view = view;
    render();
  });
  // Steps are sent only while someone looks: the chapter on screen.
  new IntersectionObserver(([entry]) => {
    state.visible = entry.isIntersecting;
    trainingPanel()?.watchSteps(state.visible);
  }).observe(body);
  refresh();
}

export function refresh() {
  if (!state) return;
  applyStrings(state.body);
  setText(state.q('par-cores'), 'par.cores', { cores: num(state.cores) });
  render();
}

function render() {
  const { q, view, progress } = state;
  const panel = trainingPanel();
  const running = Boolean(panel?.running);
  setText(q('par-play'), running ? 'par.pause' : 'par.play');
  q('par-play').disabled = !panel?.ready;
  const gpu = panel?.stats.backend === 'WebGPU';
  const workers = Number(q('par-workers').value);
  const status = q('par-status');
  if (gpu) setText(status, 'par.gpu');
  else if (progress?.refusal) setText(status, 'par.refused', { why: () => tm(progress.refusal) });
  else if (workers === 1) setText(status, 'par.one');
  else if (!view) setText(status, 'par.idle');
  else setText(status, null);
  status.hidden = !status.textContent;
  const showStep = Boolean(view) && !gpu && !progress?.refusal && view.workers.length > 1;
  q('par-step').hidden = !showStep;
  if (showStep) renderStep(view);
  const speed = q('par-speed');
  if (progress && !gpu) {
    setText(speed, 'par.speed', {
      workers: num(progress.workers),
      speed: num(Math.round(progress.examplesPerSecond)),
      out: num(progress.outMs ?? 0, { maximumFractionDigits: 2 }),
      wait: num(progress.waitMs ?? 0, { maximumFractionDigits: 2 }),
    });
    speed.dataset.workers = String(progress.workers);
    speed.dataset.examplesPerSecond = String(progress.examplesPerSecond);
  } else {
    setText(speed, null);
  }
}

function renderStep(view) {
  const { q } = state;
  const n = view.batch;
  setText(q('par-step-title'), 'par.stepTitle', { n: num(n), workers: num(view.workers.length) });
  // The batch as a bar, one segment per shard, as wide as its examples.
  const bar = q('par-batch');
  bar.setAttribute('aria-label', t('par.batchLabel'));
  bar.replaceChildren(...view.workers.map((w, k) => {
    const seg = el('span', { class: 'par-shard', 'data-testid': `par-shard-${k}`, 'data-lo': String(w.lo), 'data-hi': String(w.hi) });
    seg.style.flexGrow = String(w.hi - w.lo);
    seg.style.setProperty('--worker', SERIES[k % SERIES.length]);
    seg.append(el('strong', {}, t('par.worker', { k: num(k + 1) })), ' ', el('span', {}, t('par.shard', { lo: num(w.lo), hi: num(w.hi - 1) })));
    return seg;
  }));
  const table = q('par-table');
  const head = el('tr');
  head.append(
    el('th', { scope: 'col' }, t('par.colWorker')), el('th', { scope: 'col', class: 'num' }, t('par.colExamples')),
    el('th', { scope: 'col', class: 'num' }, t('par.colLoss')), el('th', { scope: 'col', class: 'num' }, t('par.colSample')),
    el('th', { scope: 'col', class: 'num' }, t('par.colNorm')),
  );
  // The columns in the order the sentence under the table reads them: the loss and ∂L/∂w₀ add
  // up (weighted), the lengths do not.
  const row = (label, examples, part, attrs) => {
    const tr = el('tr', attrs);
    // data-label: the column's name, which a phone shows beside each figure (style.css).
    tr.append(
      el('th', { scope: 'row' }, label), el('td', { class: 'num', 'data-label': t('par.colExamples') }, examples),
      el('td', { class: 'num', 'data-label': t('par.colLoss'), 'data-value': String(part.loss), 'data-column': 'loss' }, num(part.loss, { maximumFractionDigits: 4, minimumFractionDigits: 4 })),
      el('td', { class: 'num', 'data-label': t('par.colSample'), 'data-value': String(part.sample[0]), 'data-column': 'sample' }, g(part.sample[0])),
      el('td', { class: 'num', 'data-label': t('par.colNorm'), 'data-value': String(part.gradNorm), 'data-column': 'norm' }, g(part.gradNorm)),
    );
    return tr;
  };
  const body = el('tbody');
  view.workers.forEach((w, k) => {
    const tr = row(t('par.worker', { k: num(k + 1) }), num(w.hi - w.lo), w, { 'data-testid': `par-row-${k}` });
    tr.style.setProperty('--worker', SERIES[k % SERIES.length]);
    body.append(tr);
  });
  const sum = row(t('par.sumRow'), t('par.sumExamples', { n: num(n) }), view.sum, { 'data-testid': 'par-row-sum', class: 'total' });
  body.append(sum);
  table.replaceChildren(el('thead', {}), body);
  table.tHead.append(head);
  setText(q('par-update'), 'par.update', { n: num(n) });
}
