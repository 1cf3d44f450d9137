// Which backend the training worker opens, and the learner's choice remembered per GPU adapter.
// The address's ?backend=cpu|gpu forces one (the tests use it); else the backend the learner
// last switched to on this adapter (localStorage, keyed by the adapter's name: a choice made on
// one machine's GPU says nothing about another's); else "auto", where the worker races the two
// backends and the faster trains.

const PREFIX = 'cnn-notebook.backend:';

/** The localStorage key of the choice made on `adapter` (its name, from adapter.js). */
export const choiceKey = (adapter) => `${PREFIX}${adapter}`;

/** The backend the learner chose on `adapter` ("cpu" or "gpu"), or null. Storage may refuse. */
export function rememberedBackend(storage, adapter) {
  if (!adapter) return null;
  try {
    const v = storage?.getItem(choiceKey(adapter));
    return v === 'cpu' || v === 'gpu' ? v : null;
  } catch {
    return null;
  }
}

/** Remember that the learner chose `backend` ("cpu" or "gpu") on `adapter`. */
export function rememberBackend(storage, adapter, backend) {
  if (!adapter) return;
  try {
    storage?.setItem(choiceKey(adapter), backend);
  } catch {
    // Storage refused (private mode, a full disk): the choice lasts for this visit.
  }
}

/**
 * The backend to open and why: `asked` is the address's ?backend= value, `remembered` the
 * learner's choice on this adapter. { backend: "cpu" | "gpu" | "auto", choice: "asked" |
 * "remembered" | "raced" }.
 */
export function initialBackend(asked, remembered) {
  if (asked === 'cpu' || asked === 'gpu') return { backend: asked, choice: 'asked' };
  if (remembered) return { backend: remembered, choice: 'remembered' };
  return { backend: 'auto', choice: 'raced' };
}
