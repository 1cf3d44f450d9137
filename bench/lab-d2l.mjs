// The textbook's run in the page: the training lab's preset "d2l LeNet on Fashion-MNIST"
// (sigmoid, average pooling, Xavier, SGD lr 0.9, batch 256, 10 epochs), run in headless Chromium
// on each backend, printing the lines the book prints and how long it took. Not a test.
//
//   node bench/lab-d2l.mjs [--epochs 10] [--gpu-examples 2560] [--workers W]
//
// The CPU path runs with the page's default number of workers (every core but one), or W.
// The CPU path runs the book's whole run. WebGPU here is SwiftShader (WebGPU emulated on the
// CPU, ~100× slower than the page's own CPU path), where ten epochs would take hours: it trains
// one epoch of the first --gpu-examples training images instead, and the table says so and gives
// the time ten full epochs would take at that speed.

import { startServer, launch, openPage } from '../tests/lib/harness.mjs';
import { arg } from './lib.mjs';

const EPOCHS = arg('epochs', 10);
const GPU_EXAMPLES = arg('gpu-examples', 2560);
const WORKERS = arg('workers', 0);
const BOOK = 'loss 0.477, train acc 0.820, test acc 0.795\n8004.2 examples/sec on cpu  (d2l.ai 7.6, PyTorch on a CPU)';

async function labRun(browser, backend, { epochs, trainSize }) {
  const workers = WORKERS ? `&workers=${WORKERS}` : '';
  const { page, errors } = await openPage(browser, `${server.url}?backend=${backend}${workers}`, { viewport: { width: 1400, height: 1000 } });
  await page.getByTestId('preset-d2l').click();
  await page.getByTestId('lab-epochs').fill(String(epochs));
  if (trainSize) {
    await page.evaluate((n) => {
      const sel = document.querySelector('[data-testid="lab-train-size"]');
      sel.add(new Option(String(n), String(n)));
      sel.value = String(n);
    }, trainSize);
  }
  const t0 = Date.now();
  await page.getByTestId('lab-start').click();
  await page.waitForSelector('[data-testid="lab-run"][data-status="done"]', { timeout: 4 * 3600_000 });
  const wall = (Date.now() - t0) / 1000;
  const lines = await page.getByTestId('lab-book-lines').textContent();
  const data = await page.getByTestId('train-summary').evaluate((e) => ({ ...e.dataset }));
  data.workers = await page.evaluate(async () => (await import('./www/chapters/lab.js')).handle().runs.at(-1).parallel?.workers ?? 1);
  await page.close();
  if (errors.length) throw new Error(errors.join('\n'));
  return { lines, data, wall };
}

const server = await startServer();
const rows = [];
try {
  const cpu = await launch({ webgpu: false });
  const c = await labRun(cpu, 'cpu', { epochs: EPOCHS });
  rows.push([`CPU (wasm, ${c.data.workers} worker${c.data.workers > 1 ? 's' : ''})`, `${EPOCHS} epochs of 60,000`, c]);
  console.log('CPU:', c.lines, `${c.wall.toFixed(1)} s`);
  await cpu.close();
  const gpu = await launch({ webgpu: true });
  const g = await labRun(gpu, 'gpu', { epochs: 1, trainSize: GPU_EXAMPLES });
  rows.push(['WebGPU (SwiftShader here)', `1 epoch of ${GPU_EXAMPLES.toLocaleString('en')}`, g]);
  await gpu.close();
} finally {
  server.stop();
}

console.log(`\nThe book's lines:\n${BOOK}\n`);
for (const [backend, what, r] of rows) {
  console.log(`${backend} — ${what}:\n${r.lines}`);
  const perSec = Number(r.data.examplesPerSec);
  const full = (60000 * 10) / perSec;
  console.log(`  wall clock ${r.wall.toFixed(1)} s (evaluations and loading included); ten full epochs at this speed: ${full.toFixed(0)} s of training\n`);
}
