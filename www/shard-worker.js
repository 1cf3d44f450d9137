// One worker of a data-parallel step (crate::parallel, www/worker-pool.js): a replica of the network
// that, sent the current weights and its shard of the batch, answers with the shard's gradient
// (weighted by its share of the batch) and its loss sums. It keeps no optimizer and no data: the
// training worker owns the run and sends everything a step needs.
//
// Messages in:  init {id, spec} · shard {id, weights, images, labels, share, loss}
// Messages out: done {id, data?, ms, startedAt} · error {id, message}

import init, { GradientWorker } from './pkg/cnn_core.js';

let replica = null;
const ready = init();

async function handle(msg) {
  await ready;
  if (msg.type === 'init') {
    replica?.free();
    replica = new GradientWorker(msg.spec);
    self.postMessage({ type: 'done', id: msg.id });
    return;
  }
  if (msg.type === 'shard') {
    // On the page's clock (timeOrigin differs between workers): when the shard arrived, and how
    // long it computed — so the pool can tell passing messages from computing.
    const startedAt = performance.timeOrigin + performance.now();
    const t0 = performance.now();
    const data = replica.gradient(msg.weights, msg.images, msg.labels, msg.share, msg.loss);
    const ms = performance.now() - t0;
    self.postMessage({ type: 'done', id: msg.id, data, ms, startedAt }, [data.buffer]);
    return;
  }
  throw new Error(`unknown message ${msg.type}`);
}

self.onmessage = (e) =>
  handle(e.data).catch((err) => self.postMessage({ type: 'error', id: e.data.id, message: err instanceof Error ? err.message : String(err) }));
