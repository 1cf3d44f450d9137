// The training lab's worker: one `Training` from the wasm core (the CPU unless the page asks for
// WebGPU), the datasets it has loaded, and the run the lab's form configured. It trains in
// chunks of about CHUNK_MS, and reports what the lab draws: the training loss per chunk, the
// validation and test scores (with the confusion matrix) after each epoch, the first layer's
// kernels and the gradient norms every WATCH_MS, and the book's summary lines at the end.
//
// Messages in:  init {backend, workers} · configure {config, file, drawings, run} · start {epochs}
//               · pause · cell {id, r, c, limit} · frozen {layer, frozen}
// Messages out: backend · plan · progress · validation · test · watch · done · paused
//               · examples {id} · error — each with the `run` it is about.

import init, { Training } from './pkg/cnn_core.js';
import { errorReport, queue, yieldToEvents } from './worker-loop.js';
import { digitFiles, fashionFiles } from './datasets.js';
import { WorkerPool, defaultWorkers } from './worker-pool.js';

const CHUNK_MS = 150;
const WATCH_MS = 400;
const REPORTS_PER_EPOCH = 20;
/** Test images in the "most confident mistakes" strip. */
const MISTAKES = 12;

let training = null;
let run = 0;
let running = false;
/** A run is configured: a failed configure leaves nothing to train (not the run before it). */
let configured = false;
let epochsWanted = 10;
let steps = 4;
let lastWatch = 0;
/** Sums over the current epoch, for the book's per-epoch train loss and accuracy. */
let epochSums = { loss: 0, correct: 0, n: 0 };
let lastEpoch = null;
let timing = { examples: 0, ms: 0 };

/** The other workers of a data-parallel step (www/worker-pool.js). */
const pool = new WorkerPool(1);
const serial = queue();

const post = (type, data = {}) => self.postMessage({ type, run, ...data });

const loaded = { mnist: null, fashion: null };
async function ensureData(dataset) {
  if (!loaded.mnist) loaded.mnist = training.loadDigits(await digitFiles());
  if (dataset === 'fashion-mnist' && !loaded.fashion) {
    post('loading', { dataset });
    loaded.fashion = training.loadFashion(await fashionFiles());
  }
}

async function evaluateEpoch(final) {
  const validation = await training.evaluateValidation();
  if (validation) post('validation', validation);
  const test = await training.evaluateTest();
  post('test', { ...test, confusion: training.confusion(MISTAKES), final });
  return test;
}

async function chunk() {
  const t0 = performance.now();
  const peers = await pool.peersFor(training);
  const r = peers ? await training.runParallel(steps, peers) : await training.run(steps);
  const ms = performance.now() - t0;
  if (r.failure) {
    running = false;
    post('failed', { text: r.failure });
    return;
  }
  timing.examples += r.examples;
  timing.ms += ms;
  epochSums.loss += r.loss * r.examples;
  epochSums.correct += r.accuracy * r.examples;
  epochSums.n += r.examples;
  post('progress', {
    epochs: r.epochs, epoch: r.epoch, batch: r.batch, batches: r.batches, loss: r.loss, accuracy: r.accuracy, lr: r.lr,
    examplesPerSecond: (timing.examples / timing.ms) * 1000, warning: r.warning,
    workers: pool.activeFor(peers), ...pool.averages(),
  });
  // At least REPORTS_PER_EPOCH reports an epoch, so that a small training set still draws a
  // curve (one batch per report when an epoch has few); else chunks of about CHUNK_MS.
  const most = Math.max(1, Math.floor(r.batches / REPORTS_PER_EPOCH));
  steps = Math.max(1, Math.min(most, Math.round(steps * Math.min(2, CHUNK_MS / Math.max(ms, 1)))));
  if (performance.now() - lastWatch > WATCH_MS || r.epochEnded) {
    lastWatch = performance.now();
    post('watch', await training.watch());
  }
  if (r.epochEnded) {
    lastEpoch = { loss: epochSums.loss / epochSums.n, accuracy: epochSums.correct / epochSums.n };
    epochSums = { loss: 0, correct: 0, n: 0 };
    post('epoch', { epoch: r.epoch, ...lastEpoch, lr: r.lr });
    const done = r.epoch >= epochsWanted;
    const test = await evaluateEpoch(done);
    if (done) {
      running = false;
      post('done', {
        loss: lastEpoch.loss, trainAccuracy: lastEpoch.accuracy, testAccuracy: test.accuracy,
        examplesPerSecond: (timing.examples / timing.ms) * 1000, seconds: timing.ms / 1000, epochs: r.epoch,
      });
    }
  }
}


/** Each loop's number: a loop left over from an earlier run stops when a new one starts. */
let loops = 0;

async function loop() {
  const me = ++loops;
  while (running && me === loops) {
    await serial(chunk);
    await yieldToEvents();
  }
  if (me === loops) post('paused');
}

async function handle(msg) {
  switch (msg.type) {
    case 'init':
      // Queued like every call: the page sends its first run right behind this message.
      await serial(async () => {
        await init();
        training = await Training.create(msg.backend, undefined);
        pool.resize(msg.workers ?? defaultWorkers());
        post('backend', { backend: training.backend, adapter: training.adapter, fallbackReason: training.fallbackText ?? null });
      });
      break;
    case 'configure':
      running = false;
      await serial(async () => {
        run = msg.run;
        configured = false;
        await ensureData(msg.config.dataset);
        if (msg.drawings) training.setDrawings(msg.drawings.images, msg.drawings.labels);
        const plan = training.configure(JSON.stringify(msg.config), msg.file ?? undefined);
        epochSums = { loss: 0, correct: 0, n: 0 };
        timing = { examples: 0, ms: 0 };
        steps = 1;
        lastWatch = 0; // the first chunk of a run shows its kernels

        configured = true;
        post('plan', { plan });
        // Where the run starts from: the test score of the untrained (or loaded) network.
        await evaluateEpoch(false);
      });
      break;
    case 'start':
      epochsWanted = msg.epochs;
      // After the configure before it (queued): only a run that was built trains.
      await serial(() => {});
      if (!running && configured) {
        running = true;
        loop().catch(fail);
      }
      break;
    case 'pause':
      running = false;
      break;
    case 'frozen':
      await serial(() => training.setFrozen(msg.layer, msg.frozen));
      break;
    case 'cell':
      await serial(() => {
        try {
          post('examples', { id: msg.id, examples: training.cell(msg.r, msg.c, msg.limit) });
        } catch (err) {
          post('examples', { id: msg.id, error: err instanceof Error ? err.message : String(err) });
        }
      });
      break;
    default:
      throw new Error(`unknown message ${msg.type}`);
  }
}

function fail(err) {
  running = false;
  post('error', errorReport(err));
}

self.onmessage = (e) => handle(e.data).catch(fail);
