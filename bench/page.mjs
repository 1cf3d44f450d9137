// The page's speed, measured in Debian's headless Chromium and printed as a table (issue: the
// notebook page). Not a test: nothing here passes or fails. Each figure is the median of several
// runs, with the range; run it on an otherwise idle machine.
//
//   node bench/page.mjs [--runs N] [--seconds S] [--workers W]
//
// Figures:
//   page ready          navigation start → the pad and the predictions are live (body[data-ready])
//   stroke → bars       the end of a mouse stroke → the image prepared, predicted, bars and every
//                       feature map of every layer drawn (measured by the page, performance.now())
//   during a stroke     predictions per second while the pen moves (one per animation frame)
//   forward pass        one 28×28 image through the wasm LeNet, every activation kept (µs): timed
//                       inside wasm (Predictor.benchForward), and as predict() from JavaScript
//   training loop       the page's own loop (the Web Worker) at batch 64, examples trained per
//                       second of wall-clock time, on the CPU path and on WebGPU (SwiftShader
//                       here: WebGPU emulated on the CPU); for LeNet, and for resnet-20 (the
//                       20-layer residual net of the degradation experiment, 5× LeNet's work
//                       per image) made the page's network as "Use this network" does; on the
//                       CPU path once per worker count, 1…W (data parallelism: ?workers=W)
//   GPU profile         one training step on WebGPU, kernel by kernel (core.profileGpuStep):
//                       GPU timestamps at each compute pass's start and end, where the adapter
//                       offers timestamp queries (Chromium's SwiftShader does; the browser runs
//                       with --enable-webgpu-developer-features, without which Chromium rounds
//                       timestamps to 100 µs). `--profile-only` measures this alone,
//                       `--gpu-only` this and the training loop on WebGPU.

import os from 'node:os';
import { startServer, launch, openPage, draw, waitForTraining } from '../tests/lib/harness.mjs';
import { STYLES } from '../tests/lib/strokes.mjs';
import { arg, median, summary } from './lib.mjs';

const RUNS = arg('runs', 5);
const SECONDS = arg('seconds', 8);
const WORKERS = arg('workers', Math.max(2, os.availableParallelism()));
const PROFILE_ONLY = process.argv.includes('--profile-only');
const GPU_ONLY = process.argv.includes('--gpu-only');
/** [preset, batch] of each GPU profile: the page's batch, and d2l's (TF.js's figure is at 256). */
const PROFILES = [['lenet-d2l', 64], ['lenet-d2l', 256]];


const server = await startServer();
const rows = [];
const profiles = [];
try {
  if (!PROFILE_ONLY && !GPU_ONLY) await cpuSpeeds();
  if (!PROFILE_ONLY) await gpuSpeeds();
  if (!PROFILE_ONLY) await raceRows();
  profiles.push(...(await gpuProfiles()));
} finally {
  server.stop();
}

/** The table's rows on the CPU path: the page, and its training loop. */
async function cpuSpeeds() {
  const cpu = await launch({ webgpu: false });
  const ready = [], stroke = [], rate = [], forward = [], predictCall = [], cpuTrain = [], cpuResidual = [];
  /** How many workers resnet-20 trained on when asked for w: its batch norms keep it on one. */
  const residualWorkers = [];
  // Rows for 1…WORKERS workers (this machine's cores, at least 2).
  for (let r = 0; r < RUNS; r++) {
    const { page, readyMs } = await openPage(cpu, server.url);
    ready.push(readyMs);
    // Stroke → bars: every digit of every style, one figure per stroke; the run's median.
    await page.evaluate(() => (window.cnnNotebook.stats.strokeToBars.length = 0));
    for (const digits of Object.values(STYLES)) {
      for (let d = 0; d < 10; d++) {
        await page.getByTestId('clear').click();
        await draw(page, digits[d]);
      }
    }
    const strokes = await page.evaluate(() => window.cnnNotebook.stats.strokeToBars);
    stroke.push(median(strokes));
    // Predictions per second while the pen moves: a slow stroke, one mouse move every 10 ms.
    await page.getByTestId('clear').click();
    await page.getByTestId('draw-canvas').scrollIntoViewIfNeeded();
    const box = await page.getByTestId('draw-canvas').boundingBox();
    const n0 = await page.evaluate(() => window.cnnNotebook.stats.predictMs.length);
    await page.mouse.move(box.x + box.width / 2, box.y + 0.1 * box.height);
    await page.mouse.down();
    const s0 = Date.now();
    for (let k = 1; k <= 60; k++) {
      await page.mouse.move(box.x + box.width / 2, box.y + (0.1 + 0.013 * k) * box.height);
      await page.waitForTimeout(10);
    }
    const n1 = await page.evaluate(() => window.cnnNotebook.stats.predictMs.length);
    rate.push(((n1 - n0) / (Date.now() - s0)) * 1000);
    await page.mouse.up();
    // The forward pass in the page on the current drawing: timed inside wasm (input copied in,
    // every layer, every activation kept), and as the page calls it, predict() from JavaScript
    // (plus the softmax, the copies across the boundary and a new Float32Array).
    const [inside, call] = await page.evaluate(() => {
      const { predictor, core, pad } = window.cnnNotebook;
      const img = core.preprocess(pad.pixels(), pad.canvas.width, pad.canvas.height);
      for (let i = 0; i < 200; i++) predictor.predict(img);
      const inside = predictor.benchForward(img, 2000);
      const n = 2000;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) predictor.predict(img);
      const call = ((performance.now() - t0) / n) * 1000;
      predictor.predict(img); // leave the pad's network with this image's activations
      return [inside, call];
    });
    forward.push(inside);
    predictCall.push(call);
    await page.close();
    // Training speed per worker count (data parallelism, www/worker-pool.js): the page opened
    // with ?workers=W, from the shipped weights and then resnet-20.
    for (let w = 1; w <= WORKERS; w++) {
      const { page: p } = await openPage(cpu, `${server.url}?backend=cpu&workers=${w}`);
      (cpuTrain[w] ??= []).push(await trainingSpeed(p));
      (cpuResidual[w] ??= []).push(await trainingSpeed(p, SECONDS, 'resnet-20'));
      residualWorkers[w] = await p.evaluate(() => window.cnnNotebook.training.stats.workers);
      await p.close();
    }
  }
  await cpu.close();
  rows.push(['page ready (ms)', summary(ready, 0), '≤ 1000']);
  rows.push(['stroke end → bars + all feature maps (ms)', summary(stroke, 2), '≤ 16']);
  rows.push(['predictions per second during a stroke', summary(rate, 0), '≥ 20']);
  rows.push(['forward pass, every activation kept (µs)', summary(forward, 1), '≤ 50']);
  rows.push(['  the same through predict() from JS (µs)', summary(predictCall, 1), 'the page’s call']);
  for (let w = 1; w <= WORKERS; w++) {
    const vs = w > 1 ? `×${(median(cpuTrain[w]) / median(cpuTrain[1])).toFixed(2)} one worker` : '≥ 5,000';
    rows.push([`training loop, CPU path, batch 64, ${w} worker${w > 1 ? 's' : ''} (examples/s)`, summary(cpuTrain[w], 0), vs]);
    const onOne = w > 1 && residualWorkers[w] === 1 ? ' (batch norm: trains on one worker)' : '';
    const vsResidual = w > 1 ? `×${(median(cpuResidual[w]) / median(cpuResidual[1])).toFixed(2)} one worker${onOne}` : 'the degradation experiment’s net';
    rows.push(['  the same, resnet-20 (20 layers, 2.1 M MACs/image)', summary(cpuResidual[w], 0), vsResidual]);
  }
}

/** The race between the backends (issue 15): what it chose and what it cost, raced on the
 *  adapter there is (?race=always, since SwiftShader is not raced on its own). */
async function raceRows() {
  const gpu = await launch({ webgpu: true });
  const cost = [], cpuEps = [], gpuEps = [];
  let winner = '';
  for (let r = 0; r < Math.min(RUNS, 3); r++) {
    const { page } = await openPage(gpu, `${server.url}?race=always`);
    await page.waitForSelector('[data-testid="backend"][data-winner]', { timeout: 180_000 });
    const d = await page.getByTestId('backend').evaluate((b) => ({ ...b.dataset }));
    cost.push(Number(d.raceMs));
    cpuEps.push(Number(d.cpuEps));
    gpuEps.push(Number(d.gpuEps));
    winner = d.winner;
    await page.close();
  }
  await gpu.close();
  rows.push(['the race: its cost (ms), LeNet at batch 64', summary(cost, 0), `chose ${winner === 'gpu' ? 'WebGPU' : 'the CPU'}`]);
  rows.push(['  its CPU figure (examples/s)', summary(cpuEps, 0), 'a few timed steps']);
  rows.push(['  its WebGPU figure (examples/s)', summary(gpuEps, 0), 'the first steps compile the pipelines']);
}

/** The table's rows on WebGPU: the training loop. */
async function gpuSpeeds() {
  const gpu = await launch({ webgpu: true });
  const gpuTrain = [], gpuResidual = [];
  let adapter = '';
  for (let r = 0; r < Math.min(RUNS, 3); r++) {
    // Asked for: the page does not choose a software adapter (SwiftShader) on its own.
    const { page } = await openPage(gpu, `${server.url}?backend=gpu`);
    await page.waitForSelector('[data-testid="backend"][data-backend]', { timeout: 60_000 });
    adapter = (await page.getByTestId('backend').getAttribute('title')).match(/WebGPU \(([^)]*)\)/)?.[1] ?? '';
    gpuTrain.push(await trainingSpeed(page, Math.max(SECONDS, 20)));
    gpuResidual.push(await trainingSpeed(page, Math.max(SECONDS, 20), 'resnet-20'));
    await page.close();
  }
  await gpu.close();
  rows.push([`training loop, WebGPU, batch 64 (examples/s)`, summary(gpuTrain, 0), adapter]);
  rows.push([`  the same, resnet-20`, summary(gpuResidual, 0), adapter]);
}

/** One training step of each of PROFILES on WebGPU, kernel by kernel, in a page of its own. */
async function gpuProfiles() {
  const gpu = await launch({ webgpu: true, args: ['--enable-webgpu-developer-features'] });
  try {
    const { page } = await openPage(gpu, `${server.url}?backend=cpu`);
    const out = [];
    for (const [preset, batch] of PROFILES) {
      const t0 = Date.now();
      const step = await page.evaluate(([p, b]) => window.cnnNotebook.core.profileGpuStep(p, b, null), [preset, batch]);
      out.push({ ...step, seconds: (Date.now() - t0) / 1000 });
    }
    await page.close();
    return out;
  } finally {
    await gpu.close();
  }
}

/** Train from the shipped weights (or a fresh `preset`, made the page's network as "Use this
 *  network" makes the learner's) at batch 64 and count the examples the loop trains in
 *  `seconds` of wall-clock time (test evaluations and weight syncs included), from its first
 *  report on (so compiling the GPU pipelines is left out). */
async function trainingSpeed(page, seconds = SECONDS, preset = null) {
  await waitForTraining(page);
  if (preset) {
    await page.evaluate((name) => {
      const { core, notebook } = window.cnnNotebook;
      const bytes = core.presetFile(name, 'he', 1);
      notebook.replaceNetwork(core.Predictor.fromFile(bytes), bytes);
    }, preset);
    await page.waitForFunction(() => window.cnnNotebook.training.history.length === 0 && !document.getElementById('train-start').disabled, null, { timeout: 180_000 });
  }
  await page.getByTestId('train-start').click();
  await page.waitForFunction(() => window.cnnNotebook.training.history.length >= 1, null, { timeout: 180_000 });
  const at = () => page.evaluate(() => ({ ...window.cnnNotebook.training.stats }));
  const a = await at();
  const t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const b = await at();
  const wall = Date.now() - t0;
  await page.getByTestId('train-pause').click();
  return ((b.trainedExamples - a.trainedExamples) / wall) * 1000;
}

if (rows.length) printRows();
for (const p of profiles) printProfile(p);

function printRows() {
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ['measurement', 'median (min – max)', 'target / note'][c].length));
  const line = (cells) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('   ');
  console.log(`notebook page in headless Chromium: median (min – max) of ${RUNS} runs`);
  console.log(line(['measurement', 'median (min – max)', 'target / note']));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
}

/** A profiled step as `cnn bench --profile` prints it: kernels, most time first, with shares. */
function printProfile({ adapter, preset, batch, profile, seconds }) {
  console.log(`\n${preset}, batch ${batch}: one training step on WebGPU (${adapter}), profiled in ${seconds.toFixed(1)} s with its warm-up`);
  if (profile.timing !== 'Timestamps') {
    console.log('this adapter offers no timestamp queries: no per-kernel times (the browser cannot wait for each dispatch)');
    return;
  }
  console.log('timed by GPU timestamps at each compute pass\'s start and end');
  const total = profile.kernels.reduce((s, k) => s + k.ms, 0);
  const table = profile.kernels.map((k) => [k.kernel, String(k.dispatches), k.ms.toFixed(3), `${total > 0 ? ((100 * k.ms) / total).toFixed(1) : '0.0'} %`]);
  const head = ['kernel', 'dispatches', 'GPU ms', 'share'];
  const w = head.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)));
  const fmt = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  console.log(fmt(head));
  console.log(fmt(w.map((n) => '-'.repeat(n))));
  for (const r of table) console.log(fmt(r));
  const dispatches = profile.kernels.reduce((s, k) => s + k.dispatches, 0);
  console.log(`sum of the kernels: ${total.toFixed(3)} ms over ${dispatches} dispatches`);
}
