// Data-parallel training on the CPU path (crate::parallel): the training worker (the
// coordinator) keeps the run and computes one shard of every batch; this pool holds the other
// workers, each a replica of the network in its own wasm instance (www/shard-worker.js), and
// gives the core the `peers` object `Training.runParallel` calls: `dispatch` posts each worker its
// shard with the current weights and resolves to their results in worker order.
//
// Without SharedArrayBuffer (the static site sends no cross-origin-isolation headers), every
// message copies: the weights out to each worker, the gradient back. The pool times that apart
// from the workers' computing, for the benchmark and the teaching chapter.

/** Workers by default: every core but one, which stays with the page (its drawing, its charts)
 *  so that it keeps its frame rate while training; at most 8. */
export function defaultWorkers() {
  const cores = self.navigator?.hardwareConcurrency || 1;
  return Math.max(1, Math.min(8, cores - 1));
}

/** The page's choice: `?workers=N` (the tests and the benchmark), else `defaultWorkers()`. */
export function workersForPage() {
  const asked = Number(new URLSearchParams(self.location?.search ?? '').get('workers'));
  return Number.isInteger(asked) && asked >= 1 ? Math.min(16, asked) : defaultWorkers();
}

/** The metric sums after a worker's gradient: Σ loss, correct, examples (`parallel::result_len`). */
const METRICS = 3;

class ShardWorker {
  constructor() {
    this.worker = new Worker(new URL('./shard-worker.js', import.meta.url), { type: 'module' });
    this.pending = new Map();
    this.next = 0;
    /** The buffers the worker sent back with its last answer (`buffers`, `keep`). */
    this.spare = null;
    this.worker.onmessage = ({ data }) => {
      const p = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.type === 'error') p?.reject(new Error(`a training worker failed: ${data.message}`));
      else p?.resolve(data);
    };
    this.worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new Error(`a training worker failed: ${e.message ?? 'it stopped'}`));
      this.pending.clear();
    };
  }

  /** Send `msg`; resolves to the worker's answer (with `sentAt` added). */
  ask(msg, transfer = []) {
    const id = this.next++;
    const sentAt = performance.timeOrigin + performance.now();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (d) => resolve({ ...d, sentAt }), reject });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  /** Buffers of these lengths for the next shard (and its result: `weights` + the 3 metric
   *  sums), reusing those the worker sent back: a fresh buffer per step costs its allocation and
   *  page faults on both sides, and garbage collections. */
  buffers(weights, images, labels) {
    const b = this.spare;
    this.spare = null;
    const fits = (a, n) => (a?.length === n ? a : new Float32Array(n));
    return { weights: fits(b?.weights, weights), images: fits(b?.images, images), labels: fits(b?.labels, labels), out: fits(b?.out, weights + METRICS) };
  }

  /** Keep the buffers of an answer (`buffers`' four) for the next shard. */
  keep({ weights, images, labels, out }) {
    this.spare = { weights, images, labels, out };
  }

  terminate() {
    this.worker.terminate();
  }
}

export class WorkerPool {
  constructor(total = defaultWorkers()) {
    /** The other workers (the coordinator is worker 0). */
    this.workers = [];
    /** The spec the replicas were built from. */
    this.spec = null;
    this.total = total;
    /** Called with each step's `StepView` while someone watches (the teaching chapter). */
    this.onStep = null;
    this.resetStats();
  }

  resetStats() {
    /** Sums since the last reset: steps; per worker and step, the ms from posting its shard to
     *  its start (copying the weights and the shard, being scheduled) and the ms computing; per
     *  step, the ms the coordinator waited for the others after its own shard, and between two
     *  steps of a chunk the ms from the results coming in to the next shards going out (the
     *  sum, the update, the next batch: the coordinator's part that no worker shares). */
    this.stats = { steps: 0, outMs: 0, computeMs: 0, waitMs: 0, workerSteps: 0, betweenMs: 0, betweens: 0 };
  }

  /** Averages of `stats`: ms per worker-step out, computing; ms per step waiting, between steps. */
  averages() {
    const s = this.stats;
    return {
      outMs: s.outMs / Math.max(1, s.workerSteps), computeMs: s.computeMs / Math.max(1, s.workerSteps),
      waitMs: s.waitMs / Math.max(1, s.steps), betweenMs: s.betweenMs / Math.max(1, s.betweens),
    };
  }

  /** Use `total` workers in all from the next chunk on (1: the coordinator alone). */
  resize(total) {
    this.total = Math.max(1, Math.min(16, Math.round(total)));
    while (this.workers.length > this.total - 1) this.workers.pop().terminate();
    this.resetStats();
  }

  /**
   * The peers for `training`'s next chunk, or null when it trains alone: one worker asked for, the
   * GPU, or a network the core keeps on one worker (`parallelRefusal`). Builds the replicas when
   * the network changed. `{ race: true }` gives them whichever backend trains now: the race
   * between the backends times the CPU's steps shared as its training would share them.
   */
  async peersFor(training, { race = false } = {}) {
    if (this.total <= 1 || (!race && training.backend !== 'CPU') || training.parallelRefusal) return null;
    while (this.workers.length < this.total - 1) this.workers.push(new ShardWorker());
    const spec = training.specJson();
    if (spec !== this.spec || this.workers.some((w) => w.spec !== spec)) {
      await Promise.all(this.workers.map(async (w) => {
        await w.ask({ type: 'init', spec });
        w.spec = spec;
      }));
      this.spec = spec;
    }
    const pool = this;
    // When the last step's results came in (null: none yet in this chunk).
    pool.doneAt = null;
    const peers = {
      count: this.workers.length,
      dispatch(weights, shards, loss) {
        if (pool.doneAt !== null) {
          pool.stats.betweenMs += performance.now() - pool.doneAt;
          pool.stats.betweens += 1;
        }
        // `weights` and the shards are views into the core's memory, valid during this call:
        // copy them into the worker's own buffers, which travel to it and back (transferred,
        // not copied again), and its result comes back in the fourth.
        const asks = shards.map(({ images, labels, share }, k) => {
          const b = pool.workers[k].buffers(weights.length, images.length, labels.length);
          b.weights.set(weights);
          b.images.set(images);
          b.labels.set(labels);
          return pool.workers[k].ask({ type: 'shard', ...b, share, loss }, [b.weights.buffer, b.images.buffer, b.labels.buffer, b.out.buffer]);
        });
        pool.waitFrom = null;
        return Promise.all(asks).then((answers) => {
          const now = performance.now();
          pool.stats.steps += 1;
          if (pool.waitFrom !== null) pool.stats.waitMs += Math.max(0, now - pool.waitFrom);
          for (const a of answers) {
            pool.stats.workerSteps += 1;
            pool.stats.computeMs += a.ms;
            pool.stats.outMs += Math.max(0, a.startedAt - a.sentAt);
          }
          pool.doneAt = now;
          // The core copies the results out before its next dispatch: the buffers are free then.
          answers.forEach((a, k) => pool.workers[k].keep(a));
          return answers.map((a) => a.out);
        });
      },
      // The core calls this when its own shard is done and it waits for the others.
      waiting() {
        pool.waitFrom = performance.now();
      },
    };
    if (this.onStep) peers.observe = (view) => this.onStep(view);
    return peers;
  }

  /** How many workers the last chunk used (1 when it trained alone). */
  activeFor(peers) {
    return peers ? peers.count + 1 : 1;
  }

  terminate() {
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.spec = null;
  }
}
