// What the chapters about LeNet share: the pad's network (a Predictor on the CPU backend), the
// digit on the pad as the network sees it (28×28, or null), its last prediction, and who wants to
// know when any of them changes. The draw chapter sets the digit; the training and files chapters
// replace the network; the step-through, backprop and draw chapters listen.
//
// Events: 'prediction' (a new digit or new weights were predicted; also when the pad is cleared),
//         'network'    (the network itself changed: new weights, or another model altogether),
//         'backend'    (the training worker said which backend trains).

export function createNotebook(core, shipped) {
  const listeners = new Map();
  const nb = {
    core,
    /** The model file that ships with the page (the trained LeNet). */
    shipped,
    predictor: core.Predictor.fromFile(shipped),
    /** The pad's digit as the network sees it, or null for an empty pad. */
    image: null,
    /** The last prediction, `{ probs, predicted }` (the core's), or null; or the core's error for it. */
    prediction: null,
    error: null,
    /** What tests and the bench read: timings of the page's own work. */
    stats: { strokeToBars: [], predictMs: [] },

    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
    },

    emit(event, detail) {
      for (const fn of listeners.get(event) ?? []) fn(detail);
    },

    /** Show the network `image` (or null): predict it and tell every chapter. */
    setImage(image) {
      nb.image = image;
      nb.predict();
    },

    /** Predict the current image with the current weights. */
    predict() {
      nb.prediction = null;
      nb.error = null;
      if (nb.image) {
        const t0 = performance.now();
        try {
          nb.prediction = nb.predictor.predict(nb.image);
        } catch (err) {
          nb.error = err;
        }
        nb.stats.predictMs.push(performance.now() - t0);
      }
      nb.emit('prediction');
    },

    /** New weights for the same network (the worker's, a few times a second while it trains). */
    updateWeights(bytes) {
      try {
        nb.predictor.update(bytes);
      } catch {
        // Weights that are not finite (a run that blew up as it paused) are refused by the core;
        // the pad keeps the last good ones and the training chapter explains the failure.
        return;
      }
      nb.emit('network', { loaded: false });
      nb.predict();
    },

    /** Another model altogether (a file the learner loaded). */
    replaceNetwork(predictor, bytes) {
      nb.predictor.free();
      nb.predictor = predictor;
      nb.emit('network', { loaded: true, bytes });
      nb.predict();
    },
  };
  return nb;
}
