// The page's training speed against TensorFlow.js 4.22 on the same browser and the same adapter:
// d2l's LeNet (Conv2d(1,6,5,pad 2) sigmoid AvgPool2d(2) · Conv2d(6,16,5) sigmoid AvgPool2d(2) ·
// Linear 400→120 sigmoid · 120→84 sigmoid · 84→10; softmax cross-entropy, SGD lr 0.9, Xavier
// init, batch 256), in ONE headless Chromium with WebGPU (SwiftShader here: WebGPU emulated on
// the CPU), launched as the tests launch it. Not a test: nothing here passes or fails.
//
//   node bench/tfjs.mjs [--steps N] [--cpu-steps M] [--windows W] [--warmup K] [--no-cpu]
//
// TF.js is not a dependency of the page or its tests: this script installs
// @tensorflow/tfjs, -backend-webgpu and -backend-wasm 4.22.0 into bench/.tfjs/ (git-ignored;
// `npm install` once, nothing fetched afterwards) and hands their dist/ bundles to the browser
// through Playwright's request routing, on the origin of the static server that serves dist/
// (localhost is a secure context, as WebGPU requires).
//
// Figures (examples trained per second; median (min – max) over W timed windows):
//   the page's core, WebGPU   the core's `Training` (what the lab's worker runs), made as the
//                             lab's d2l preset makes it (Fashion-MNIST from the site's data/,
//                             batch 256), created with "gpu" (the page does not pick SwiftShader
//                             on its own); a window is `training.run(N)`: N steps, then the loss
//                             and accuracy read back from the GPU (awaited)
//   TF.js, WebGPU             the same network as tf.sequential layers (NHWC), trained by an
//                             optimizer.minimize loop on random data of the right shape (images
//                             uniform in [0, 1), labels uniform in 0…9; 4 batches made once, each
//                             step uploads one, as an input pipeline would); a window is N steps,
//                             then `await loss.data()` so the GPU work is really finished
//     the same, im2col       TF.js with its flag WEBGPU_CONV_SEPARATE_IM2COL_SHADER (off by
//                             default): each convolution as an im2col shader and a matmul. Under
//                             tf.profile on SwiftShader, TF.js's default convolution shader spent
//                             ~11 s of a ~17 s step in the first convolution alone (1 input
//                             channel), and this flag ~2 s of ~6 s: the row is TF.js at its best
//   page / TF.js              the ratio of the two in the same round (each round times every row
//                             once, one after the other, so a busy spell of the machine weighs on
//                             all of them alike): above 1, the page trains faster
//   CPU rows (--no-cpu skips) the page's CPU path (WebAssembly SIMD, one thread: no data-parallel
//                             workers; M steps a window, it is ~100× faster than the rest) and
//                             TF.js's plain-JavaScript cpu backend (N steps a window). TF.js's wasm
//                             backend is tried too (SIMD, one thread: the tab is not cross-origin
//                             isolated, so its threaded build is not used): 4.22 has no kernel for
//                             a 2-D convolution's weight gradient (Conv2DBackpropFilter), so it
//                             cannot train this network, and the table says so instead of a figure
// Before the windows each row trains --warmup steps untimed: the first steps compile the GPU
// pipelines (TF.js compiles one per kernel shape). Each row runs in a tab of its own; the adapter
// each WebGPU row trains on is printed as the browser reports it.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { root, startServer, launch } from '../tests/lib/harness.mjs';
import { arg, median, summary } from './lib.mjs';

const STEPS = arg('steps', 2);
const CPU_STEPS = arg('cpu-steps', 20);
const WINDOWS = arg('windows', 3);
const WARMUP = arg('warmup', 2);
const CPU_ROWS = !process.argv.includes('--no-cpu');
const BATCH = 256;
/** TF.js's flag that runs a convolution as an im2col shader and a matmul (off by default). */
const IM2COL = 'WEBGPU_CONV_SEPARATE_IM2COL_SHADER';

const TFJS_VERSION = '4.22.0';
const TFJS_DIR = path.join(root, 'bench/.tfjs');
const TFJS_PACKAGES = ['tfjs', 'tfjs-backend-webgpu', 'tfjs-backend-wasm'];
/** The bundles a tab loads, by package: `/__tfjs/<package>/<file>` on the server's origin. */
const BUNDLES = {
  webgpu: ['tfjs/tf.min.js', 'tfjs-backend-webgpu/tf-backend-webgpu.min.js'],
  wasm: ['tfjs/tf.min.js', 'tfjs-backend-wasm/tf-backend-wasm.min.js'],
  cpu: ['tfjs/tf.min.js'],
};

/** The lab's d2l preset as the core's RunConfig (www/lab/form.js `PRESETS.d2l`, `settings`). */
const D2L = {
  dataset: 'fashion-mnist', trainSize: null, validation: 0, network: 'lenet-d2l', activation: 'sigmoid', init: 'xavier',
  optimizer: { kind: 'sgd' }, lr: 0.9, weightDecay: 0, dropout: 0, loss: 'cross-entropy', schedule: null, batch: BATCH, seed: 0, frozen: [],
};

/** Install TF.js into bench/.tfjs/ unless the three packages are there at TFJS_VERSION. */
function ensureTfjs() {
  const version = (pkg) => {
    const file = path.join(TFJS_DIR, 'node_modules/@tensorflow', pkg, 'package.json');
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : null;
  };
  if (TFJS_PACKAGES.every((p) => version(p) === TFJS_VERSION)) return;
  console.log(`installing TensorFlow.js ${TFJS_VERSION} into bench/.tfjs/ (once)`);
  execFileSync('npm', ['install', '--prefix', TFJS_DIR, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel', 'error',
    ...TFJS_PACKAGES.map((p) => `@tensorflow/${p}@${TFJS_VERSION}`)], { stdio: 'inherit' });
}


/** A blank tab on the server's origin, TF.js's files routed to it, its errors collected. */
async function blankTab(context, server) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => msg.type() === 'error' && errors.push(`console: ${msg.text()}`));
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
  await page.goto(`${server.url}__bench.html`);
  return { page, errors };
}

/** Route `/__bench.html` (an empty page) and `/__tfjs/<package>/<file>` (a file of that
 *  package's dist/) on the server's origin; everything else goes to the server. */
async function routeTfjs(context, server) {
  await context.route(`${server.url}__bench.html`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>bench</title>' }));
  await context.route(`${server.url}__tfjs/**`, (route) => {
    const [pkg, file] = new URL(route.request().url()).pathname.split('/').slice(2);
    const full = path.join(TFJS_DIR, 'node_modules/@tensorflow', pkg ?? '', 'dist', path.basename(file ?? ''));
    if (!TFJS_PACKAGES.includes(pkg) || !existsSync(full)) return route.fulfill({ status: 404, body: 'not found' });
    const contentType = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    return route.fulfill({ path: full, contentType });
  });
}

/** A row of the page's core: a tab that builds the lab's d2l run on `backend` and trains its
 *  warm-up steps; `window(steps)` then times one window. */
async function coreRow(context, server, backend) {
  const tab = await blankTab(context, server);
  const info = await tab.page.evaluate(async ([backend, config, warmup]) => {
    const core = await import('/www/pkg/cnn_core.js');
    await core.default();
    const { digitFiles, fashionFiles } = await import('/www/datasets.js');
    const { adapterLabel } = await import('/www/adapter.js');
    const training = await core.Training.create(backend, backend === 'cpu' ? undefined : await adapterLabel(), false);
    training.loadDigits(await digitFiles());
    training.loadFashion(await fashionFiles());
    training.configure(JSON.stringify(config), undefined);
    await training.run(warmup);
    window.benchWindow = async (steps) => {
      const t0 = performance.now();
      const r = await training.run(steps);
      return { examples: r.examples, ms: performance.now() - t0, loss: r.loss };
    };
    return { backend: training.backend, adapter: training.adapter };
  }, [backend, D2L, WARMUP]);
  const want = { gpu: 'WebGPU', cpu: 'CPU' }[backend];
  if (info.backend !== want) throw new Error(`the core opened ${info.backend}, not ${want} (adapter "${info.adapter}")`);
  return { ...tab, info: backend === 'gpu' ? info.adapter : 'WebAssembly SIMD, one thread' };
}

/** A row of TF.js on `backend` ("webgpu" or "wasm"): the same network and loop, warmed up. */
async function tfjsRow(context, server, backend, flags = {}) {
  const tab = await blankTab(context, server);
  for (const bundle of BUNDLES[backend]) await tab.page.addScriptTag({ url: `${server.url}__tfjs/${bundle}` });
  const info = await tab.page.evaluate(async ([backend, flags, batch, lr, warmup]) => {
    const tf = window.tf;
    if (backend === 'wasm') tf.wasm.setWasmPaths('/__tfjs/tfjs-backend-wasm/');
    if (!(await tf.setBackend(backend))) throw new Error(`TF.js could not start its ${backend} backend`);
    await tf.ready();
    for (const [flag, value] of Object.entries(flags)) tf.env().set(flag, value);
    const xavier = { kernelInitializer: 'glorotUniform' };
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'sigmoid', ...xavier }),
        tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
        tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'sigmoid', ...xavier }),
        tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 120, activation: 'sigmoid', ...xavier }),
        tf.layers.dense({ units: 84, activation: 'sigmoid', ...xavier }),
        tf.layers.dense({ units: 10, ...xavier }),
      ],
    });
    const params = model.countParams();
    const optimizer = tf.train.sgd(lr);
    // Random batches (a fixed LCG: the same numbers every run), made once on the CPU.
    let seed = 1;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const batches = Array.from({ length: 4 }, () => ({
      images: Float32Array.from({ length: batch * 784 }, rand),
      labels: Int32Array.from({ length: batch }, () => Math.floor(rand() * 10)),
    }));
    let k = 0;
    /** One SGD step on the next batch (uploaded as the step's input); returns its loss tensor. */
    const step = () => {
      const b = batches[k++ % batches.length];
      const xs = tf.tensor4d(b.images, [batch, 28, 28, 1]);
      const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(b.labels, 'int32'), 10));
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs)), true);
      xs.dispose();
      ys.dispose();
      return loss;
    };
    window.benchWindow = async (steps) => {
      const t0 = performance.now();
      let loss = null;
      for (let s = 0; s < steps; s++) {
        loss?.dispose();
        loss = step();
      }
      const value = (await loss.data())[0];
      loss.dispose();
      return { examples: steps * batch, ms: performance.now() - t0, loss: value };
    };
    await window.benchWindow(warmup);
    // The adapter TF.js's device came from (GPUDevice.adapterInfo, Chromium ≥ 132), else the
    // one navigator.gpu gives for TF.js's own request (high-performance, no fallback).
    let adapter = '';
    if (backend === 'webgpu') {
      const a = tf.backend().device.adapterInfo ?? (await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' })).info;
      adapter = [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ');
    }
    return { backend: tf.getBackend(), adapter, params, version: tf.version.tfjs };
  }, [backend, flags, BATCH, 0.9, WARMUP]);
  if (info.backend !== backend) throw new Error(`TF.js runs on ${info.backend}, not ${backend}`);
  const what = { webgpu: info.adapter, wasm: 'SIMD, one thread', cpu: 'plain JavaScript' }[backend];
  const set = Object.entries(flags).map(([f, v]) => `${f}=${v}; `).join('');
  return { ...tab, info: `TF.js ${info.version} (${info.params.toLocaleString('en')} parameters); ${set}${what}` };
}

ensureTfjs();
const server = await startServer();
const browser = await launch({ webgpu: true });
const rows = [];
const refusals = [];
try {
  const context = await browser.newContext();
  await routeTfjs(context, server);
  const runners = [
    { key: 'pageGpu', label: `the page's core, WebGPU, batch ${BATCH}`, make: () => coreRow(context, server, 'gpu'), steps: STEPS },
    { key: 'tfGpu', label: `TF.js, WebGPU backend, batch ${BATCH}`, make: () => tfjsRow(context, server, 'webgpu'), steps: STEPS },
    { key: 'tfGpuIm2col', label: '  the same, convolutions as im2col + matmul', make: () => tfjsRow(context, server, 'webgpu', { [IM2COL]: true }), steps: STEPS },
  ];
  if (CPU_ROWS) {
    runners.push({ key: 'pageCpu', label: `the page's core, CPU path, batch ${BATCH}`, make: () => coreRow(context, server, 'cpu'), steps: CPU_STEPS });
    runners.push({ key: 'tfWasm', label: `TF.js, wasm backend, batch ${BATCH}`, make: () => tfjsRow(context, server, 'wasm'), steps: CPU_STEPS, mayRefuse: true });
    runners.push({ key: 'tfCpu', label: `TF.js, cpu backend (JS), batch ${BATCH}`, make: () => tfjsRow(context, server, 'cpu'), steps: STEPS });
  }
  for (const r of [...runners]) {
    const t0 = Date.now();
    try {
      Object.assign(r, await r.make(), { speeds: [], losses: [] });
    } catch (err) {
      // TF.js 4.22's wasm backend has no kernel for a 2-D convolution's weight gradient: it
      // cannot train a CNN. That is a finding for the table, not a failure of the benchmark.
      const missing = String(err.message).match(/Kernel '(\w+)' not registered for backend '\w+'/);
      if (!r.mayRefuse || !missing) throw err;
      runners.splice(runners.indexOf(r), 1);
      refusals.push([`${r.label}`, 'cannot train', `TF.js has no ${missing[1]} kernel there (a convolution's weight gradient)`]);
      console.log(`${r.label}: refused (${missing[0]})`);
      continue;
    }
    console.log(`${r.label}: ready after ${WARMUP} warm-up steps in ${((Date.now() - t0) / 1000).toFixed(1)} s (${r.info})`);
  }
  for (let w = 0; w < WINDOWS; w++) {
    for (const r of runners) {
      const { examples, ms, loss } = await r.page.evaluate((steps) => window.benchWindow(steps), r.steps);
      r.speeds.push((examples / ms) * 1000);
      r.losses.push(loss);
    }
    console.log(`round ${w + 1}/${WINDOWS}: ${runners.map((r) => `${r.key} ${r.speeds.at(-1).toFixed(1)}`).join(', ')} examples/s`);
  }
  for (const r of runners) {
    if (r.errors.length) throw new Error(`${r.label}:\n${r.errors.join('\n')}`);
    if (!r.losses.every(Number.isFinite)) throw new Error(`${r.label}: a loss is not finite (${r.losses.join(', ')})`);
  }
  const by = Object.fromEntries(runners.map((r) => [r.key, r]));
  const ratio = (a, b) => a.speeds.map((s, i) => s / b.speeds[i]);
  const row = (r) => rows.push([`${r.label} (examples/s)`, summary(r.speeds, 1), `${r.steps} step${r.steps > 1 ? 's' : ''} a window; ${r.info}`]);
  row(by.pageGpu);
  row(by.tfGpu);
  row(by.tfGpuIm2col);
  rows.push(['  page / TF.js on WebGPU (same round)', summary(ratio(by.pageGpu, by.tfGpu), 2), '> 1: the page is faster']);
  rows.push(['  page / TF.js with im2col (same round)', summary(ratio(by.pageGpu, by.tfGpuIm2col), 2), '> 1: the page is faster']);
  if (CPU_ROWS) {
    row(by.pageCpu);
    for (const tf of [by.tfWasm, by.tfCpu].filter(Boolean)) {
      row(tf);
      rows.push([`  page CPU path / TF.js ${tf.key === 'tfWasm' ? 'wasm' : 'cpu'} (same round)`, summary(ratio(by.pageCpu, tf), 2), '> 1: the page is faster']);
    }
    rows.push(...refusals);
  }
  await context.close();
} finally {
  await browser.close();
  server.stop();
}

const head = ['measurement', 'median (min – max)', 'note'];
const widths = [0, 1, 2].map((c) => Math.max(head[c].length, ...rows.map((r) => r[c].length)));
const line = (cells) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('   ');
console.log(`\nd2l LeNet training in one headless Chromium (WebGPU: SwiftShader here): median (min – max) of ${WINDOWS} windows`);
console.log(line(head));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));
console.log('The page\'s core trains on Fashion-MNIST (the lab\'s d2l preset); TF.js on random batches of the same shape.');
