// The page trains for a long time and its memory stays flat: a soak, not a test (it prints, it
// does not judge). Opens the page in headless Chromium, starts training LeNet (WebGPU on
// SwiftShader by default, `--cpu` for the WebAssembly CPU path), draws a digit on the pad now and
// then, and every `--every` seconds prints, after a full garbage collection:
//
//   - the JS heap in use of the page and of the training worker (CDP Runtime.getHeapUsage),
//   - the WebAssembly memory of each (every live WebAssembly.Memory, found with
//     Runtime.queryObjects), which grows and never shrinks: a leak in the core shows here,
//   - the GPUBuffer and GPUBindGroup objects alive in the worker (queryObjects again): what the
//     core's WebGPU backend holds; a step that created buffers would make them climb,
//   - how far training got (chunks reported, epochs) and the last loss.
//
// Run it with scripts/soak.sh [--minutes 60] [--every 60] [--cpu]. The page's training history
// (one point per chunk, kept for the curves) grows by design, a few bytes per chunk; the table's
// last lines say how much each figure changed from the first sample to the last.

import { startServer, launch, openPage, draw, waitForTraining } from '../tests/lib/harness.mjs';
import { STYLES } from '../tests/lib/strokes.mjs';
import { arg } from './lib.mjs';

const MINUTES = arg('minutes', 5);
const EVERY = arg('every', 60);
const CPU = process.argv.includes('--cpu');
/** Seconds a target has to answer one DevTools call. */
const ANSWER_S = 30;

/** A CDP session to one target (page or worker), through the browser's session. */
async function attach(browserSession, targetId) {
  const { sessionId } = await browserSession.send('Target.attachToTarget', { targetId, flatten: false });
  let id = 0;
  const pending = new Map();
  browserSession.on('Target.receivedMessageFromTarget', (e) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message);
    if (m.id && pending.has(m.id)) {
      pending.get(m.id)(m);
      pending.delete(m.id);
    }
  });
  // A call the target does not answer in time is given up (its figure prints as "?"), so one
  // stuck query cannot stop an hour-long soak; the log line says which.
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const i = ++id;
      const timer = setTimeout(() => {
        pending.delete(i);
        console.error(`soak: ${method} got no answer in ${ANSWER_S} s`);
        reject(new Error(`${method}: no answer`));
      }, ANSWER_S * 1000);
      pending.set(i, (m) => {
        clearTimeout(timer);
        m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result);
      });
      browserSession.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: i, method, params }) }).catch(reject);
    });
  return send;
}

/** Live objects whose prototype is `expression`, mapped by `fn` in the target (null if none). */
async function query(send, expression, fn) {
  const proto = await send('Runtime.evaluate', { expression: `typeof ${expression.split('.')[0]} === 'undefined' ? null : ${expression}` });
  if (!proto.result.objectId) return null;
  const objs = await send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
  const r = await send('Runtime.callFunctionOn', { objectId: objs.objects.objectId, functionDeclaration: fn, returnByValue: true });
  await send('Runtime.releaseObjectGroup', { objectGroup: 'soak' }).catch(() => {});
  return r.result.value;
}

/** One target's figures after a full garbage collection. The worker's are read without
 *  queryObjects when it trains on the CPU: queryObjects waits for an idle thread, and a worker
 *  running wasm chunk after chunk never idles (the worker gives its memory to Runtime.evaluate). */
async function sample(send, options) {
  try {
    return await sampleOnce(send, options);
  } catch (e) {
    console.error(`soak: a sample failed (${e.message})`);
    return { heap: NaN, wasm: NaN, buffers: null, bindGroups: null };
  }
}

async function sampleOnce(send, { busy = false } = {}) {
  await send('HeapProfiler.collectGarbage');
  const heap = await send('Runtime.getHeapUsage');
  if (busy) {
    const wasm = await send('Runtime.evaluate', { expression: 'self.cnnWorker?.wasmBytes() ?? 0', returnByValue: true });
    return { heap: heap.usedSize, wasm: wasm.result.value, buffers: null, bindGroups: null };
  }
  const wasm = await query(send, 'WebAssembly.Memory.prototype', 'function () { return this.reduce((s, m) => s + m.buffer.byteLength, 0); }');
  const buffers = await query(send, 'GPUBuffer.prototype', 'function () { return this.length; }');
  const bindGroups = await query(send, 'GPUBindGroup.prototype', 'function () { return this.length; }');
  return { heap: heap.usedSize, wasm: wasm ?? 0, buffers, bindGroups };
}

const mb = (b) => (Number.isFinite(b) ? (b / 2 ** 20).toFixed(1) : "?");

const server = await startServer();
const browser = await launch({ webgpu: !CPU });
try {
  // The page picks the CPU over a software GPU (SwiftShader) unless asked: ask, as bench/page.mjs does.
  const { page, errors } = await openPage(browser, `${server.url}?backend=${CPU ? 'cpu' : 'gpu'}`);
  await waitForTraining(page);
  const backend = await page.getByTestId('backend').getAttribute('data-backend');
  await page.getByTestId('train-start').click();
  // The worker exists once training is ready; find both targets.
  const browserSession = await browser.newBrowserCDPSession();
  const { targetInfos } = await browserSession.send('Target.getTargets');
  const pageTarget = targetInfos.find((t) => t.type === 'page' && t.url.startsWith(server.url));
  const workerTarget = targetInfos.find((t) => t.type === 'worker' && t.url.includes('train-worker'));
  if (!pageTarget || !workerTarget) throw new Error(`targets not found: ${targetInfos.map((t) => `${t.type} ${t.url}`).join(', ')}`);
  const onPage = await attach(browserSession, pageTarget.targetId);
  const inWorker = await attach(browserSession, workerTarget.targetId);

  console.log(`soak: ${MINUTES} min of training on ${backend} (Chromium ${browser.version()}), a sample every ${EVERY} s after a full GC`);
  const header = ['min', 'page heap MB', 'page wasm MB', 'worker heap MB', 'worker wasm MB', 'GPU buffers', 'GPU bind groups', 'chunks', 'epochs', 'loss'];
  console.log(header.join(' | '));
  const rows = [];
  const started = Date.now();
  for (let k = 0; ; k++) {
    const due = started + k * EVERY * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    // Exercise the pad as a learner would: the prediction runs on the page's wasm.
    await draw(page, STYLES.upright[k % 10]);
    const p = await sample(onPage);
    const w = await sample(inWorker, { busy: backend === 'cpu' });
    const t = await page.evaluate(() => {
      const h = window.cnnNotebook.training.history;
      const last = h[h.length - 1];
      return { chunks: h.length, epochs: last?.epochs ?? 0, loss: last?.loss ?? NaN };
    });
    const row = { min: (Date.now() - started) / 60_000, p, w, ...t };
    rows.push(row);
    console.log(
      [row.min.toFixed(1), mb(p.heap), mb(p.wasm), mb(w.heap), mb(w.wasm), w.buffers ?? '-', w.bindGroups ?? '-', t.chunks, t.epochs.toFixed(2), t.loss.toFixed(4)].join(' | '),
    );
    if (Date.now() - started >= MINUTES * 60_000) break;
  }
  const [a, z] = [rows[0], rows[rows.length - 1]];
  const change = (f, unit = 'MB') => {
    const d = f(z) - f(a);
    return unit === 'MB' ? `${d >= 0 ? '+' : ''}${mb(d)} MB` : `${d >= 0 ? '+' : ''}${d}`;
  };
  console.log(
    `change from the first sample to the last: page heap ${change((r) => r.p.heap)}, page wasm ${change((r) => r.p.wasm)}, ` +
      `worker heap ${change((r) => r.w.heap)}, worker wasm ${change((r) => r.w.wasm)}, GPU buffers ${change((r) => r.w.buffers ?? 0, '')}, ` +
      `GPU bind groups ${change((r) => r.w.bindGroups ?? 0, '')}, over ${z.chunks - a.chunks} chunks`,
  );
  console.log(errors.length ? `console errors: ${errors.join('; ')}` : 'no console errors');
} finally {
  await browser.close();
  server.stop();
}
