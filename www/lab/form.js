// The training lab's settings form: its controls, the run settings they make (the core's
// `lab::RunConfig`, plus the page's own: epochs and where a model file comes from), the presets
// (the textbook run, overfitting, transfer learning) and the words for what differs between
// two runs' settings.

import { num, t } from '../i18n.js';

/** Every setting with its control: [key, testid, default]. */
const FIELDS = [
  ['dataset', 'dataset', 'mnist'], ['trainSize', 'lab-train-size', 'all'], ['validation', 'lab-validation', '10'],
  ['network', 'lab-network', 'lenet'], ['activation', 'lab-activation', 'relu'], ['init', 'lab-init', 'he'],
  ['dropout', 'lab-dropout', '0'], ['optimizer', 'lab-optimizer', 'adam'], ['momentum', 'lab-momentum', '0.9'],
  ['beta1', 'lab-beta1', '0.9'], ['beta2', 'lab-beta2', '0.999'], ['lr', 'lab-lr', '0.001'],
  ['weightDecay', 'lab-weight-decay', '0'], ['batch', 'lab-batch', '64'], ['loss', 'lab-loss', 'cross-entropy'],
  ['schedule', 'lab-schedule', 'off'], ['stepSize', 'lab-step-size', '3'], ['gamma', 'lab-gamma', '0.5'],
  ['epochs', 'lab-epochs', '5'], ['seed', 'lab-seed', '0'],
];

const select = (id, options) =>
  `<select data-testid="${id}">${options.map(([v, label]) => `<option value="${v}"${label.startsWith('lab.') ? ` data-i18n="${label}"` : ''}>${label.startsWith('lab.') ? '' : label}</option>`).join('')}</select>`;
const number = (id, attrs) => `<input data-testid="${id}" type="number" inputmode="decimal" ${attrs}>`;
const field = (key, control, extra = '') => `<label class="field" ${extra}><span data-i18n="${key}"></span>${control}</label>`;

export function formHtml() {
  return `
    <fieldset class="lab-group"><legend data-i18n="lab.data"></legend>
      ${field('lab.dataset', select('dataset', [['mnist', 'lab.dsMnist'], ['fashion-mnist', 'lab.dsFashion'], ['mine', 'lab.dsMine'], ['mnist-mine', 'lab.dsMixed']]))}
      ${field('lab.trainSize', select('lab-train-size', [['all', 'lab.sizeAll'], ['500', '500'], ['2000', '2,000']]))}
      <label class="field"><span data-i18n="lab.validation"></span>
        <input data-testid="lab-validation" type="range" min="0" max="50" step="5"><output data-testid="lab-validation-value"></output></label>
    </fieldset>
    <fieldset class="lab-group"><legend data-i18n="lab.networkGroup"></legend>
      ${field('lab.network', select('lab-network', [['lenet', 'lab.netLenet'], ['lenet-d2l', 'lab.netD2l'], ['own', 'lab.netOwn'], ['pad', 'lab.netPad'], ['shipped', 'lab.netShipped']]))}
      ${field('lab.activation', select('lab-activation', [['relu', 'ReLU'], ['leaky-relu', 'Leaky ReLU'], ['tanh', 'tanh'], ['sigmoid', 'sigmoid']]))}
      ${field('lab.init', select('lab-init', [['he', 'He'], ['xavier', 'Xavier'], ['gaussian:0.01', 'N(0, 0.01²)']]))}
      ${field('lab.dropout', select('lab-dropout', [['0', 'lab.none'], ['0.2', '0.2'], ['0.5', '0.5']]))}
    </fieldset>
    <fieldset class="lab-group"><legend data-i18n="lab.optimGroup"></legend>
      ${field('lab.optimizer', select('lab-optimizer', [['sgd', 'SGD'], ['momentum', 'lab.optMomentum'], ['adam', 'Adam']]))}
      ${field('lab.momentum', number('lab-momentum', 'min="0" max="0.999" step="0.05"'), 'data-for-optimizer="momentum"')}
      ${field('lab.beta1', number('lab-beta1', 'min="0" max="0.999" step="0.01"'), 'data-for-optimizer="adam"')}
      ${field('lab.beta2', number('lab-beta2', 'min="0" max="0.9999" step="0.001"'), 'data-for-optimizer="adam"')}
      ${field('lab.lr', number('lab-lr', 'min="0.00001" max="10" step="any"'))}
      ${field('lab.weightDecay', select('lab-weight-decay', [['0', '0'], ['0.0001', '0.0001'], ['0.001', '0.001'], ['0.01', '0.01']]))}
      ${field('lab.batch', select('lab-batch', [['32', '32'], ['64', '64'], ['128', '128'], ['256', '256']]))}
      ${field('lab.loss', select('lab-loss', [['cross-entropy', 'lab.lossCe'], ['mse', 'lab.lossMse']]))}
      ${field('lab.schedule', select('lab-schedule', [['off', 'lab.scheduleOff'], ['step', 'StepLR']]))}
      ${field('lab.stepSize', number('lab-step-size', 'min="1" max="100" step="1"'), 'data-for-schedule="step"')}
      ${field('lab.gamma', number('lab-gamma', 'min="0.01" max="1" step="0.05"'), 'data-for-schedule="step"')}
      ${field('lab.epochs', number('lab-epochs', 'min="1" max="50" step="1"'))}
      ${field('lab.seed', number('lab-seed', 'min="0" max="4294967295" step="1"'))}
      <label class="field check"><input type="checkbox" data-testid="lab-seed-fixed" checked><span data-i18n="lab.seedFixed"></span></label>
    </fieldset>`;
}

export class LabForm {
  constructor(root) {
    this.root = root;
    this.controls = Object.fromEntries(FIELDS.map(([key, id]) => [key, root.querySelector(`[data-testid="${id}"]`)]));
    this.seedFixed = root.querySelector('[data-testid="lab-seed-fixed"]');
    this.validationValue = root.querySelector('[data-testid="lab-validation-value"]');
    for (const [key, , value] of FIELDS) this.controls[key].value = value;
    root.addEventListener('input', () => this.showDependent());
    root.addEventListener('change', () => this.showDependent());
    this.showDependent();
  }

  /** Show only the fields that apply (Adam's betas for Adam…) and the validation percentage. */
  showDependent() {
    const c = this.controls;
    for (const el of this.root.querySelectorAll('[data-for-optimizer]')) el.hidden = el.dataset.forOptimizer !== c.optimizer.value;
    for (const el of this.root.querySelectorAll('[data-for-schedule]')) el.hidden = el.dataset.forSchedule !== c.schedule.value;
    this.validationValue.textContent = num(Number(c.validation.value) / 100, { style: 'percent' });
    const fresh = !['pad', 'shipped'].includes(c.network.value);
    c.activation.disabled = !fresh;
    c.init.disabled = !fresh;
    c.dropout.disabled = !fresh;
  }

  values() {
    return Object.fromEntries(Object.entries(this.controls).map(([k, el]) => [k, el.value]));
  }

  set(values) {
    for (const [k, v] of Object.entries(values)) if (this.controls[k]) this.controls[k].value = String(v);
    this.showDependent();
  }

  /** A fresh seed unless the learner fixed it; shown in the field either way. */
  nextSeed() {
    if (!this.seedFixed.checked) this.controls.seed.value = String(Math.floor(Math.random() * 2 ** 31));
    return Number(this.controls.seed.value) >>> 0;
  }

  /** The run's settings: the core's RunConfig (`config`) and the page's own. */
  settings(seed, frozen = []) {
    const v = this.values();
    const optimizer = v.optimizer === 'sgd' ? { kind: 'sgd' }
      : v.optimizer === 'momentum' ? { kind: 'momentum', momentum: Number(v.momentum) }
      : { kind: 'adam', beta1: Number(v.beta1), beta2: Number(v.beta2), eps: 1e-8 };
    const network = { lenet: 'lenet', 'lenet-d2l': 'lenet-d2l', own: 'spec', pad: 'file', shipped: 'file' }[v.network];
    const config = {
      dataset: v.dataset, trainSize: v.trainSize === 'all' ? null : Number(v.trainSize), validation: Number(v.validation) / 100,
      network, activation: network === 'file' ? null : v.activation, init: v.init, optimizer, lr: Number(v.lr),
      weightDecay: Number(v.weightDecay), dropout: network === 'file' ? 0 : Number(v.dropout), loss: v.loss,
      schedule: v.schedule === 'step' ? { stepSize: Number(v.stepSize), gamma: Number(v.gamma) } : null,
      batch: Number(v.batch), seed, frozen,
    };
    return { config, values: v, epochs: Math.max(1, Math.min(50, Number(v.epochs) || 1)), source: v.network };
  }
}

/** The presets: the textbook's run, overfitting in a minute, and transfer learning vs scratch. */
export const PRESETS = {
  d2l: {
    values: { dataset: 'fashion-mnist', trainSize: 'all', validation: 0, network: 'lenet-d2l', activation: 'sigmoid', init: 'xavier', dropout: 0, optimizer: 'sgd', lr: 0.9, weightDecay: 0, batch: 256, loss: 'cross-entropy', schedule: 'off', epochs: 10, seed: 0 },
    frozen: [],
  },
  overfit: {
    values: { dataset: 'mnist', trainSize: '500', validation: 20, network: 'lenet', activation: 'relu', init: 'he', dropout: 0, optimizer: 'adam', beta1: 0.9, beta2: 0.999, lr: 0.002, weightDecay: 0, batch: 32, loss: 'cross-entropy', schedule: 'off', epochs: 30, seed: 1 },
    frozen: [],
  },
  transfer: {
    values: { dataset: 'fashion-mnist', trainSize: '2000', validation: 10, network: 'shipped', optimizer: 'adam', beta1: 0.9, beta2: 0.999, lr: 0.002, weightDecay: 0, batch: 64, loss: 'cross-entropy', schedule: 'off', epochs: 3, seed: 2 },
    // The digit LeNet's two convolutions (layers 0 and 3) keep what they learned on the digits.
    frozen: [0, 3],
  },
  scratch: {
    values: { dataset: 'fashion-mnist', trainSize: '2000', validation: 10, network: 'lenet', activation: 'relu', init: 'he', dropout: 0, optimizer: 'adam', beta1: 0.9, beta2: 0.999, lr: 0.002, weightDecay: 0, batch: 64, loss: 'cross-entropy', schedule: 'off', epochs: 3, seed: 2 },
    frozen: [],
  },
};

/** Whether a run's settings are preset `name`'s, whatever its number of epochs. */
export function isPreset(values, name) {
  return Object.entries(PRESETS[name].values).every(([k, v]) => k === 'epochs' || String(values[k]) === String(v));
}

/** The settings that matter for a comparison, as words: key → text. */
function words(run) {
  const v = run.values;
  const w = {
    dataset: t(`lab.ds.${v.dataset}`), trainSize: v.trainSize === 'all' ? t('lab.sizeAll') : num(Number(v.trainSize)),
    validation: num(Number(v.validation) / 100, { style: 'percent' }), network: t(`lab.net.${v.network}`),
    optimizer: v.optimizer === 'momentum' ? `${t('lab.optMomentum')} ${v.momentum}` : v.optimizer === 'adam' ? `Adam β ${v.beta1}, ${v.beta2}` : 'SGD',
    lr: `lr ${v.lr}`, batch: `${t('lab.batch')} ${v.batch}`, loss: t(v.loss === 'mse' ? 'lab.lossMse' : 'lab.lossCe'),
    schedule: v.schedule === 'step' ? `StepLR ${v.stepSize}, γ ${v.gamma}` : t('lab.scheduleOff'),
    epochs: `${num(run.epochs)} ${t('lab.epochsWord')}`, seed: `${t('lab.seed')} ${run.config.seed}`,
    frozen: run.frozen.length ? t('lab.frozenLayers', { layers: run.frozen.join(', ') }) : t('lab.nothingFrozen'),
  };
  if (!['pad', 'shipped'].includes(v.network)) Object.assign(w, { activation: v.activation, init: v.init, dropout: `${t('lab.dropout')} ${v.dropout}` });
  w.weightDecay = `${t('lab.weightDecay')} ${v.weightDecay}`;
  return w;
}

/** One line of a run's settings for the run list. */
export function summary(run) {
  const w = words(run);
  return [w.dataset, w.network, w.activation, w.optimizer, w.lr, w.batch, w.seed].filter(Boolean).join(' · ');
}

/** What differs between `other` and `current`: "sigmoid vs ReLU", "lr 0.1 vs lr 0.01". */
export function differences(other, current) {
  const a = words(other), b = words(current);
  const keys = Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]);
  return keys.length ? keys.map((k) => t('lab.vs', { a: a[k] ?? '—', b: b[k] ?? '—' })).join(', ') : t('lab.sameSettings');
}
