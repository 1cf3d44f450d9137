// One worker of a data-parallel step (crate::parallel, www/worker-pool.js): a replica of the network
// that, sent the current weights and its shard of the batch, answers with the shard's gradient
// (weighted by its share of the batch) and its loss sums. It keeps no optimizer and no data: the
// training worker owns the run and sends everything a step needs.
//
// Messages in:  init {id, spec} · shard {id, weights, images, labels, out, share, loss}
// Messages out: done {id, ms, startedAt, and for a shard: weights, images, labels, out — the
//               gradient written into out, every buffer sent back for the next shard}
//               · error {id, message}

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
    const { weights, images, labels, out } = msg;
    replica.gradient(weights, images, labels, msg.share, msg.loss, out);
    const ms = performance.now() - t0;
    // Every buffer goes back: the pool sends them again with the next shard.
    self.postMessage({ type: 'done', id: msg.id, weights, images, labels, out, ms, startedAt }, [weights.buffer, images.buffer, labels.buffer, out.buffer]);
    return;
  }
  throw new Error(`unknown message ${msg.type}`);
}

self.onmessage = (e) =>
  handle(e.data).catch((err) => self.postMessage({ type: 'error', id: e.data.id, message: err instanceof Error ? err.message : String(err) }));
