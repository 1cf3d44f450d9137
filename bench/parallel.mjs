// Data parallelism on the CPU path (crate::parallel, www/worker-pool.js): the training lab's
// d2l LeNet (sigmoid, average pooling, Xavier, SGD lr 0.9) on Fashion-MNIST, trained with 1…N
// workers at batch 256 and 64 in headless Chromium, printing examples/s, the speed-up over one
// worker, and the time spent passing messages. Not a test: speed is for tables, not asserts.
//
//   node bench/parallel.mjs [--workers 4] [--examples 60000] [--repeats 3]
//
// Each cell is the median of --repeats runs of one epoch of the first --examples training images
// (examples/s as the lab measures it: training only, evaluations excluded); by default the whole
// epoch of 60,000, as the textbook run trains ten times. A short epoch understates the workers: a
// fresh worker's first shards are slow (its code compiled and optimised, its buffers allocated:
// ~90 ms, then ~30, then the steady time).
//
// First, the ceiling: what the browser gives two workers that do nothing but compute. The page's
// own shard workers (www/shard-worker.js), warmed up, compute a shard of half a batch of 256
// over and over, one alone and both at once in turn, with the page idle; "2 × alone / together" is
// the most two workers could speed a step up on this machine, before any message or any drawing.

import { startServer, launch, openPage } from '../tests/lib/harness.mjs';
import { arg, median } from './lib.mjs';

const MAX_WORKERS = arg('workers', 2);
const EXAMPLES = arg('examples', 60000);
const REPEATS = arg('repeats', 3);

async function labRun(browser, workers, batch) {
  const { page, errors } = await openPage(browser, `${server.url}?backend=cpu&workers=${workers}`, { viewport: { width: 1400, height: 1000 } });
  await page.getByTestId('preset-d2l').click();
  await page.getByTestId('lab-epochs').fill('1');
  await page.getByTestId('lab-batch').selectOption(String(batch));
  await page.evaluate((n) => {
    const sel = document.querySelector('[data-testid="lab-train-size"]');
    sel.add(new Option(String(n), String(n)));
    sel.value = String(n);
  }, EXAMPLES);
  await page.getByTestId('lab-start').click();
  await page.waitForSelector('[data-testid="lab-run"][data-status="done"]', { timeout: 3600_000 });
  const run = await page.evaluate(async () => {
    const r = (await import('./www/chapters/lab.js')).handle().runs.at(-1);
    return { speed: r.speed, parallel: r.parallel };
  });
  await page.close();
  if (errors.length) throw new Error(errors.join('\n'));
  return run;
}

/** ms per gradient of `n` images: one shard worker alone, and two at once (medians). */
async function bareWorkers(browser, n) {
  const { page, errors } = await openPage(browser, `${server.url}?backend=cpu`, { viewport: { width: 1400, height: 1000 } });
  const out = await page.evaluate(async (n) => {
    const core = await import('./www/pkg/cnn_core.js');
    const spec = core.presetSpec('lenet-d2l');
    const worker = () => new Promise((resolve) => {
      const w = new Worker(new URL('./www/shard-worker.js', location.href), { type: 'module' });
      w.onmessage = () => resolve(w);
      w.postMessage({ type: 'init', id: 0, spec });
    });
    const ws = [await worker(), await worker()];
    const weights = new Float32Array(61_706).map(() => (Math.random() - 0.5) * 0.1);
    const ask = (w) => new Promise((resolve) => {
      const images = new Float32Array(n * 784).map(() => Math.random());
      const labels = new Float32Array(n).map((_, i) => i % 10);
      w.onmessage = ({ data }) => resolve(data.ms);
      const out = new Float32Array(weights.length + 3);
      w.postMessage({ type: 'shard', id: 1, weights, images, labels, out, share: 0.5, loss: 'cross-entropy' });
    });
    // Warm up until both workers run optimised code (WebAssembly is tiered up while it runs),
    // then alternate the two ways, so that a change of the machine's speed meanwhile (its cores
    // are shared) falls on both alike.
    for (let i = 0; i < 20; i++) await Promise.all(ws.map(ask));
    const alone = [], together = [];
    for (let i = 0; i < 30; i++) {
      alone.push(await ask(ws[0]));
      together.push(...(await Promise.all(ws.map(ask))));
    }
    ws.forEach((w) => w.terminate());
    return { alone, together };
  }, n);
  await page.close();
  if (errors.length) throw new Error(errors.join('\n'));
  return { alone: median(out.alone), together: median(out.together) };
}

const server = await startServer();
const rows = [];
let bare = null;
try {
  const browser = await launch({ webgpu: false });
  bare = await bareWorkers(browser, 128);
  console.log(`bare shard workers, 128 images: ${bare.alone.toFixed(2)} ms alone, ${bare.together.toFixed(2)} ms two at once`);
  for (const batch of [256, 64]) {
    let one = null;
    for (let w = 1; w <= MAX_WORKERS; w++) {
      const runs = [];
      for (let k = 0; k < REPEATS; k++) runs.push(await labRun(browser, w, batch));
      // The median run, with its own figures of passing messages.
      const mid = [...runs].sort((a, b) => a.speed - b.speed)[runs.length >> 1];
      const speed = mid.speed;
      if (w === 1) one = speed;
      const p = mid.parallel ?? {};
      rows.push({ batch, w, speed, ratio: speed / one, ...p, all: runs.map((r) => Math.round(r.speed)) });
      console.log(`batch ${batch}, ${w} worker(s): ${Math.round(speed)} ex/s (runs: ${runs.map((r) => Math.round(r.speed)).join(', ')})`);
    }
  }
  await browser.close();
} finally {
  server.stop();
}

const fmt = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');
console.log('\nThe ceiling: two bare shard workers (the page idle), a gradient of 128 images each, median of 30:');
console.log('| one alone, ms | two at once, ms each | 2 × alone / together |');
console.log('|---:|---:|---:|');
console.log(`| ${fmt(bare.alone)} | ${fmt(bare.together)} | ${fmt((2 * bare.alone) / bare.together)} |`);
console.log(`\nd2l LeNet on Fashion-MNIST, CPU path, one epoch of ${EXAMPLES.toLocaleString('en')} images, median of ${REPEATS}:`);
console.log('| batch | workers | examples/s | × one worker | ms out per worker-step | ms waiting per step | ms between steps | ms computing per worker-step | runs |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  const pieces = r.w > 1 ? [fmt(r.outMs), fmt(r.waitMs), fmt(r.betweenMs), fmt(r.computeMs)] : ['—', '—', '—', '—'];
  console.log(`| ${r.batch} | ${r.w} | ${Math.round(r.speed).toLocaleString('en')} | ${r.ratio.toFixed(2)} | ${pieces.join(' | ')} | ${r.all.join(', ')} |`);
}
