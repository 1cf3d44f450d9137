// What the training workers share: one promise queue for every call into the core (it refuses a
// call while another is still awaiting the GPU, so messages that arrive mid-chunk wait their
// turn), a zero-delay yield that lets those messages in between chunks, and an error as the page
// reports it.

/** A queue: `serial(fn)` runs fn after every call queued before it; a failure does not block. */
export function queue() {
  let last = Promise.resolve();
  return (fn) => {
    const next = last.then(fn);
    last = next.catch(() => {});
    return next;
  };
}

const channel = new MessageChannel();
/** Let queued messages in (a zero-delay task, without setTimeout's clamping). */
export const yieldToEvents = () => new Promise((resolve) => {
  channel.port1.onmessage = () => resolve();
  channel.port2.postMessage(0);
});

/** An error for the page: its message, the core's sentence as data ({ key, args }, written in the
 *  page's language) when it has one, and whether the wasm trapped (a bug, not a setting). */
export function errorReport(err) {
  return {
    message: err instanceof Error ? err.message : String(err),
    text: err && typeof err.key === 'string' ? { key: err.key, args: err.args } : null,
    trap: err instanceof WebAssembly.RuntimeError,
  };
}
