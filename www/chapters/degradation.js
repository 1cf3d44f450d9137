// Chapter "Deeper is not always better": the degradation experiment of He et al. (2016, Fig. 1)
// at notebook scale. Two 20-layer networks with the same layers, parameters, data, settings and
// seed — one plain, one with every pair of convolutions wrapped in a residual block — train side
// by side (a worker each, so on two cores), their training losses drawn on one chart as they go.

import { COLORS } from '../chart.js';
import { RunComparison, comparisonElements, comparisonMarkup } from '../compare-runs.js';
import { applyStrings, num, setText, t } from '../i18n.js';

/** One epoch of the 8,000 training digits at batch 64. */
const STEPS = 125;
/** The same for both: only the shortcuts differ. SGD with momentum, as in the paper. */
const SETTINGS = { activation: 'relu', init: 'he', optimizer: 'momentum', lr: 0.05, batch: 64, seed: 1 };
const RUNS = [
  { preset: 'plain-20', key: 'plain', color: COLORS.vermillion, dash: [6, 4] },
  { preset: 'resnet-20', key: 'residual', color: COLORS.blue, dash: [] },
];

/** The comparison's elements' data-testids. */
const IDS = { run: 'degradation-run', stop: 'degradation-stop', status: 'degradation-status', chart: 'degradation-chart', legend: 'degradation-legend', result: 'degradation-result' };

let view = null;

export function mount(body) {
  body.innerHTML = `
    <p class="intro" data-i18n="degr.intro"></p>
    ${comparisonMarkup(IDS, { run: 'degr.run', stop: 'degr.stop', chartLabel: 'degr.chartLabel' })}
    <p class="intro" data-i18n="degr.why"></p>`;
  applyStrings(body);
  const el = comparisonElements(body, IDS);
  view = new RunComparison(el, {
    runs: RUNS.map((run) => ({ ...run, label: () => t(`degr.${run.key}`), start: () => ({ preset: run.preset, settings: SETTINGS, steps: STEPS }) })),
    x: { hi: 1, label: () => t('curves.epochs'), of: (m) => m.epochs },
    lossLabel: () => t('degr.loss'),
    preparing: 'degr.preparing',
    progress: (done) => ['degr.training', { done: num(done, { style: 'percent', maximumFractionDigits: 0 }) }],
    tail: 5,
    finish: ([plain, residual], outcomes) => {
      const failed = outcomes.map((o) => o.failed).filter(Boolean);
      if (failed.length) {
        el.status.classList.add('bad');
        setText(el.status, 'degr.failed', { why: failed.join(' ') });
        return;
      }
      el.result.dataset.plain = plain.toFixed(4);
      el.result.dataset.residual = residual.toFixed(4);
      const fmt = (v) => num(v, { maximumFractionDigits: 3, minimumFractionDigits: 3 });
      setText(el.status, outcomes.some((o) => o.stopped) ? 'degr.stopped' : 'degr.done');
      setText(el.result, residual < plain ? 'degr.resultLower' : 'degr.resultNotLower', { plain: fmt(plain), residual: fmt(residual) });
    },
  });
  view.draw();
}

export function refresh() {
  view?.draw();
}
