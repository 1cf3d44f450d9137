// The training loop, in a Web Worker so the page never waits for it: the learner keeps drawing
// while LeNet trains. It owns a `Training` from the wasm core (WebGPU when the browser has it,
// else the CPU), runs chunks of steps of about CHUNK_MS each, and posts back what the page shows:
// progress and the training loss after every chunk, the test loss after every epoch, and the
// weights (as a model file) a few times a second for the drawing pad.
//
// On the CPU path every chunk is data-parallel over the pool's workers (www/worker-pool.js,
// crate::parallel): this worker keeps the run and computes one shard of each batch.
//
// Messages in:  init {backend, race, model, settings, run} · start · pause · reset {model, settings, run}
//               · set {lr | optimizer | batch | workers} · watch {on} · testDigit {index} · loseDevice
// Messages out: backend · ready · progress · test · model · failed · paused · testDigit · step
//               · error
//
// Every message out carries `run`, the number the page gave the network it is about (init and
// each reset start a new one): a report from a chunk that was still running when the page reset
// the network is about the old one, and the page drops it.
//
// On "auto" the core races its two backends once a network is built (a few timed steps of it on
// each, well under a second with a real GPU) and the faster trains; a new network or batch size
// is raced again when its size differs. `race: 'always'` races on a software adapter too (the
// page's ?race=always, for its tests). Each race is posted with the backend it chose.

import init, { Training } from './pkg/cnn_core.js';
import { errorReport, queue, yieldToEvents } from './worker-loop.js';
import { digitFiles } from './datasets.js';
import { adapterLabel } from './adapter.js';
import { WorkerPool } from './worker-pool.js';

const CHUNK_MS = 120;
const MODEL_EVERY_MS = 250;

let training = null;
let running = false;
let failed = false; // the run failed (its weights may be NaN): nothing more is sent until a rebuild
let run = 0;
let settings = null;
let steps = 8; // per chunk; adapted so that a chunk takes about CHUNK_MS
let lastModelAt = 0;
let speed = { examples: 0, ms: 0 };

const serial = queue();
/** The other workers of a data-parallel step; sized by the page (settings.workers). */
const pool = new WorkerPool(1);
/** While the page shows the workers' steps: when the last was sent (a few a second at most). */
let lastStepAt = 0;
const STEP_EVERY_MS = 200;

const post = (type, data = {}, transfer = []) => self.postMessage({ type, run, ...data }, transfer);

async function sendModel() {
  const bytes = await training.modelFile();
  lastModelAt = performance.now();
  post('model', { bytes }, [bytes.buffer]);
}

async function loadDigits() {
  return training.loadDigits(await digitFiles());
}

/** Build the network: from a model file, or fresh from the settings. */
function build(from, model) {
  const s = settings;
  if (from === 'file') training.buildFromFile(model, s.optimizer, s.lr, s.batch, s.seed);
  else if (s.network) training.buildSpec(s.network, s.activation, s.init, s.optimizer, s.lr, s.batch, s.seed);
  else training.build(s.activation, s.init, s.optimizer, s.lr, s.batch, s.seed);
  steps = Math.max(1, Math.round(256 / s.batch));
  speed = { examples: 0, ms: 0 };
  failed = false;
}

/** Tell the page which backend trains, why, and the race that chose it (or null). */
function postBackend(race = null) {
  post('backend', { backend: training.backend, adapter: training.adapter, fallbackReason: training.fallbackText ?? null, race });
}

/** Race the backends on the network just built, when the core says one is due (a new size or
 *  batch size on "auto"); the winner trains from here on. Before the network trains. */
async function raceBackends() {
  // The CPU's lap shares each batch with the pool's workers, as its training would.
  const race = await training.race((await pool.peersFor(training, { race: true })) ?? undefined);
  if (race) postBackend(race);
}

async function evaluate() {
  const r = await training.evaluate();
  post('test', { epochs: r.epochs, loss: r.loss, accuracy: r.accuracy });
}

async function chunk() {
  // The weights the pad gets are taken *before* a chunk and sent only when that chunk's loss
  // stayed finite: weights that are about to blow up never reach the drawing pad.
  const snapshot = performance.now() - lastModelAt > MODEL_EVERY_MS ? await training.modelFile() : null;
  const t0 = performance.now();
  const peers = await pool.peersFor(training);
  const r = peers ? await training.runParallel(steps, peers) : await training.run(steps);
  const ms = performance.now() - t0;
  const failure = r.failure;
  if (failure) {
    // The core's detector stopped the run (a loss that is not a number, far above its start, or
    // stuck at chance): its sentence says why and what to do.
    running = false;
    failed = true;
    post('failed', { text: failure });
    return;
  }
  if (snapshot) {
    lastModelAt = performance.now();
    post('model', { bytes: snapshot }, [snapshot.buffer]);
  }
  speed.examples += r.examples;
  speed.ms += ms;
  post('progress', {
    epochs: r.epochs, epoch: r.epoch, batch: r.batch, batches: r.batches,
    loss: r.loss, accuracy: r.accuracy,
    examplesPerSecond: (speed.examples / speed.ms) * 1000,
    // Running totals since the network was built, so a reader can take the speed of any window.
    trainedExamples: speed.examples, trainedMs: speed.ms,
    chunkMs: ms, steps,
    // Data parallelism: the workers this chunk used, and the time spent passing messages
    // (averages since the count last changed: www/worker-pool.js).
    workers: pool.activeFor(peers), refusal: training.parallelRefusal ?? null, ...pool.averages(),
    // At chance for epochs: said (the core's sentence) while it lasts; the run goes on.
    warning: r.warning,
  });
  // Aim the next chunk at CHUNK_MS: long enough to keep the device busy, short enough that a
  // pause or a new learning rate acts at once.
  steps = Math.max(1, Math.min(256, Math.round(steps * Math.min(2, CHUNK_MS / Math.max(ms, 1)))));
  if (r.epochEnded) await evaluate();
}


async function loop() {
  while (running) {
    await serial(chunk);
    await yieldToEvents();
  }
  if (!failed) await serial(sendModel);
  post('paused');
}

async function handle(msg) {
  switch (msg.type) {
    case 'init': {
      const core = await init();
      // For bench/soak.mjs, which reads it with Runtime.evaluate: DevTools' queryObjects waits
      // for an idle thread, and a worker training on the CPU never is.
      self.cnnWorker = { wasmBytes: () => core.memory.buffer.byteLength };
      settings = msg.settings;
      run = msg.run;
      pool.resize(settings.workers ?? 1);
      training = await Training.create(msg.backend, msg.backend === 'cpu' ? undefined : await adapterLabel(), msg.race === 'always');
      postBackend();
      await serial(async () => {
        const [train, test] = await loadDigits();
        build(msg.model ? 'file' : 'fresh', msg.model);
        await raceBackends();
        await evaluate();
        await sendModel();
        post('ready', { train, test });
      });
      break;
    }
    case 'start':
      if (!running && !failed) {
        running = true;
        loop().catch(fail);
      }
      break;
    case 'pause':
      running = false;
      break;
    case 'reset':
      running = false;
      settings = msg.settings;
      await serial(async () => {
        // After the chunk in flight (its reports keep the old number, so the page drops them).
        run = msg.run;
        build(msg.model ? 'file' : 'fresh', msg.model);
        await raceBackends();
        await evaluate();
        await sendModel();
      });
      post('reset');
      break;
    case 'set':
      await serial(async () => {
        if ('lr' in msg) training.setLearningRate(msg.lr);
        if ('optimizer' in msg) training.setOptimizer(msg.optimizer);
        if ('batch' in msg) training.setBatchSize(msg.batch);
        if ('workers' in msg) {
          pool.resize(msg.workers);
          // The speed shown is the new count's.
          speed = { examples: 0, ms: 0 };
        }
        Object.assign(settings, msg.settings ?? {});
        // A new batch size is raced at once if the network has not trained yet (the core races
        // only then: a race moves the run with a fresh optimizer state); else at the next build.
        if ('batch' in msg) await raceBackends();
      });
      break;
    case 'watch':
      // The teaching chapter looks at the workers: each step's parts, a few times a second.
      pool.onStep = msg.on
        ? (view) => {
            if (performance.now() - lastStepAt < STEP_EVERY_MS) return;
            lastStepAt = performance.now();
            post('step', { view });
          }
        : null;
      break;
    case 'testDigit':
      await serial(() => {
        const d = training.testDigit(msg.index);
        const image = Float32Array.from(d.image);
        post('testDigit', { image, label: d.label, index: d.index }, [image.buffer]);
      });
      break;
    case 'loseDevice':
      await serial(() => training.loseDevice());
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
