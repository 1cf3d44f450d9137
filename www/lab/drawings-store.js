// Where the learner's drawings are kept across visits: IndexedDB, database 'cnn-notebook', object
// store 'drawings', one record per drawing keyed by its id ({ id, image: Float32Array(784), label,
// wrong }). A browser can refuse IndexedDB (private modes, sandboxed frames, a full disk): then
// `open` says so and the widget keeps its drawings in memory for this visit, losing nothing else.

export const DB_NAME = 'cnn-notebook';
export const STORE = 'drawings';
/** Version 1 creates the 'drawings' store. Whoever adds a store to this database raises the
 *  version and creates every missing store in onupgradeneeded. */
const DB_VERSION = 1;

/** A request as a promise. */
function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * Open the store: resolves to `{ store, records }` — a `DrawingStore` and the saved drawings in
 * id order (the order they were added) — or to `{ store: null, reason }` when this browser keeps
 * nothing. Never rejects.
 */
export async function open() {
  let idb;
  try {
    idb = globalThis.indexedDB;
  } catch (err) {
    return { store: null, reason: err?.message ?? String(err) };
  }
  if (!idb) return { store: null, reason: 'no IndexedDB' };
  try {
    const request = idb.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    const db = await new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
      request.onblocked = () => reject(new Error('IndexedDB is held by an older version of this page in another tab'));
    });
    const store = new DrawingStore(db);
    return { store, records: await store.all() };
  } catch (err) {
    return { store: null, reason: err?.message ?? String(err) };
  }
}

class DrawingStore {
  constructor(db) {
    this.db = db;
  }

  /** Run `f(objectStore)` in a transaction; resolves when the transaction has committed. */
  async write(f) {
    const tx = this.db.transaction(STORE, 'readwrite');
    f(tx.objectStore(STORE));
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
    });
  }

  /** Every record, by id. */
  all() {
    return done(this.db.transaction(STORE).objectStore(STORE).getAll());
  }

  put(record) {
    return this.write((s) => s.put(record));
  }

  remove(id) {
    return this.write((s) => s.delete(id));
  }

  clear() {
    return this.write((s) => s.clear());
  }
}
