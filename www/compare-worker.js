// One network of a comparison (the degradation experiment): a `Training` on the CPU path, built
// fresh from a preset with fixed settings and seed, trained for a number of steps in chunks, its
// training loss posted after each chunk. The page runs one worker per network, so the two train
// side by side on two cores.
//
// Messages in:  start {preset or spec (JSON), settings: {activation, init, optimizer, lr, batch, seed}, steps} · stop
// Messages out: ready {train} · progress {step, epochs, loss} · done · error {message}

import init, { Training, presetSpec } from './pkg/cnn_core.js';
import { digitFiles } from './datasets.js';

/** Steps per chunk: a report every few batches keeps the curve moving and a stop prompt. */
const CHUNK = 4;
let stopped = false;

async function start({ preset, spec, settings: s, steps }) {
  await init();
  const training = await Training.create('cpu', undefined);
  const [train] = training.loadDigits(await digitFiles());
  training.buildSpec(spec ?? presetSpec(preset), s.activation, s.init, s.optimizer, s.lr, s.batch, s.seed);
  self.postMessage({ type: 'ready', train });
  for (let step = 0; step < steps && !stopped; ) {
    const n = Math.min(CHUNK, steps - step);
    const r = await training.run(n);
    step += n;
    // A run that fails (it diverged) says why in the core's words, in the page's language.
    if (r.failure) throw Object.assign(new Error(r.failure.en ?? 'the run failed'), { key: r.failure.key, args: r.failure.args });
    self.postMessage({ type: 'progress', step, epochs: r.epochs, loss: r.loss });
  }
  self.postMessage({ type: stopped ? 'stopped' : 'done' });
}

self.onmessage = ({ data }) => {
  if (data.type === 'stop') stopped = true;
  else if (data.type === 'start') start(data).catch((err) => self.postMessage({ type: 'error', message: err?.message ?? String(err), data: err?.key ? { key: err.key, args: err.args } : null }));
};
