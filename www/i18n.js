// Every string the page shows, in one table per language. Elements name their string with
// data-i18n="key" (text) or data-i18n-attr="attr:key" (an attribute); code calls t(key, values).
// Chinese (zh) joins as a second table with the same keys.

export const strings = {
  en: {
    'page.title': 'cnn-notebook — convolutional networks in your browser',
    'header.title': 'cnn-notebook',
    'header.tagline': 'Convolutional networks, computed in your browser by a Rust core compiled to WebAssembly.',
    'status.loading': 'Loading the WebAssembly core…',
    'status.ready': 'Core {version} ready.',
    'error.title': 'Something went wrong',
    'error.notBuilt': 'The WebAssembly module could not be loaded ({detail}). Build and serve it with scripts/serve.sh.',
    'error.panic': 'The core stopped with an internal error: {detail}. Reload the page to start again.',

    'table.heading': 'Sizes of the preset networks',
    'table.intro':
      'Each row is one layer. The output shape is written (N, C, H, W): batch, channels, height, width. ' +
      'Every figure below is worked out by the core’s shape inference, using one formula for every window: ' +
      'output = ⌊(W − F + 2P) / S⌋ + 1.',
    'table.preset': 'Network',
    'table.index': '#',
    'table.layer': 'Layer',
    'table.output': 'Output shape',
    'table.params': 'Parameters',
    'table.macs': 'Multiply-adds',
    'table.input': 'Input',
    'table.total': 'Total',
    'table.caption': '{name}: {params} parameters, {macs} multiply-adds per image.',

    'backend.checking': 'Looking for WebGPU…',
    'backend.webgpu': 'Training on WebGPU · {adapter}',
    'backend.cpu': 'Training on the CPU (WebAssembly) · no WebGPU',
    'backend.why': 'WebGPU is not used: {reason}. Everything works on the CPU, a little slower.',
    'backend.drawingOnCpu': 'Training runs on the GPU; the drawing pad’s single predictions run on the CPU, which answers one image faster than a GPU round trip.',

    'draw.heading': 'Draw a digit',
    'draw.intro':
      'Draw a digit from 0 to 9 with the mouse, a finger or a pen. A LeNet trained on MNIST digits predicts it as you draw. ' +
      'Your drawing is prepared the way MNIST’s digits were: the ink is fitted into a 20×20 box, keeping its shape, and its ' +
      'centre of mass is moved to the centre of a 28×28 image — the image the network sees.',
    'draw.padLabel': 'Drawing pad: draw a digit here',
    'draw.clear': 'Clear',
    'draw.hint': 'Draw big, in one or a few strokes.',
    'draw.seen': 'What the network sees (28×28)',
    'draw.seenLabel': 'The 28 by 28 image given to the network',
    'draw.prediction': 'Prediction:',
    'draw.probsLabel': 'Probability of each digit',
    'draw.barLabel': 'digit {d}: {p}',
    'draw.latency': 'Prepared, predicted and every feature map drawn in {ms} ms.',

    'forward.heading': 'Forward propagation, layer by layer',
    'forward.intro':
      'Each row is one layer with its output for your drawing: its name, its output shape written (N, C, H, W) — batch, ' +
      'channels, height, width — and its number of parameters. Image-shaped outputs show one feature map per channel; flat ' +
      'ones a strip of numbers. Step with the buttons or the arrow keys; play walks from the input to the softmax. Click a ' +
      'pixel of a convolution’s feature map to see the arithmetic that produced it.',
    'forward.controls': 'Step through the layers',
    'forward.prev': '◀ Previous',
    'forward.next': 'Next ▶',
    'forward.play': '▶ Play',
    'forward.pause': '⏸ Pause',
    'forward.where': 'Layer {k} of {n}: {label} — output {shape}, {params} parameters',
    'forward.input': 'Input',
    'forward.params': '{n} parameters',
    'forward.mapLabel': 'Feature map {c} of {layer}',
    'forward.vectorLabel': 'Output vector of {layer}',
    'forward.inspectHint': 'Click a pixel (or press Enter, then the arrow keys) to see how it was computed',

    'inspect.title': 'Layer {layer} ({label}), feature map {c}, row {y}, column {x}',
    'inspect.intro':
      'The {k}×{k} kernel of this feature map lies over a window of each of the {cin} input channels, starting at input row {top}, column {left} ' +
      '(cells outside the input are padding, value 0). Each input value is multiplied by the weight over it; all products are added; then the bias.',
    'inspect.channel': 'Input channel {c}',
    'inspect.window': 'input window',
    'inspect.kernel': 'kernel weights',
    'inspect.products': 'products',
    'inspect.padding': 'padding: outside the input, counts as 0',
    'inspect.sum': 'Sum of all products = {sum}; + bias {bias} = {value} (the forward pass computed {stored}).',
    'inspect.activation': '{name}({value}) = {out}: the value shown in the next layer’s map.',

    'train.heading': 'Train LeNet in your browser',
    'train.intro':
      'Train the network on 8,000 MNIST digits and test it on 2,000 others it never trains on. The curves show the loss ' +
      'and accuracy on the training batches (line) and on the test digits after each epoch (dots). The drawing pad above ' +
      'keeps predicting with the weights as they change. Change a setting and see what it does: a learning rate that is ' +
      'too high makes the loss explode.',
    'train.startFrom': 'Start from',
    'train.fromShipped': 'the trained LeNet',
    'train.fromFresh': 'random weights',
    'train.activation': 'Activation',
    'train.init': 'Initialisation',
    'train.initHe': 'He (normal)',
    'train.initXavier': 'Xavier (uniform)',
    'train.initSmall': 'Gaussian σ = 0.01',
    'train.optimizer': 'Optimizer',
    'train.momentum': 'SGD + momentum',
    'train.batch': 'Batch size',
    'train.lr': 'Learning rate',
    'train.start': 'Start',
    'train.pause': 'Pause',
    'train.reset': 'Reset',
    'train.resetAfterDiverge': 'Reset the network',
    'train.progressLabel': 'Progress through the current epoch',
    'train.curvesLabel': 'Loss and accuracy curves',
    'train.ready': 'Ready: {train} training digits and {test} test digits loaded.',
    'train.started': 'Training on {backend}…',
    'train.cpu': 'the CPU',
    'train.paused': 'Paused. Start continues where it stopped.',
    'train.progress': 'Epoch {epoch}, batch {batch} of {batches} · loss {loss} · accuracy {acc} · {speed} examples/s',
    'train.testSummary': 'Test digits after {epochs} epochs: loss {loss}, accuracy {acc}.',
    'train.lrChanged': 'Learning rate set to {lr}; it applies from the next step.',
    'train.optimizerChanged': 'Optimizer set to {name}. The weights are kept; the optimizer’s own state (momentum, Adam’s averages) starts again from zero.',
    'train.batchChanged': 'Batch size set to {n}; it applies from the next step.',
    'train.rebuilt': 'The network was rebuilt with {act} activations and {init} initialisation: new random weights, so the curves start again.',
    'train.resetShipped': 'Back to the trained LeNet; the curves start again.',
    'train.resetFresh': 'A new network with random weights; the curves start again.',
    'train.diverged': 'Training stopped: {detail}',
    'train.gpuFailed': 'WebGPU stopped working ({detail}). Training continues on the CPU from the last weights.',
    'train.failed': 'Training stopped with an error: {detail}',

    'curves.loss': 'Loss',
    'curves.accuracy': 'Accuracy',
    'curves.epochs': 'epochs',
    'curves.train': 'training batches',
    'curves.test': 'test digits',

    'files.heading': 'Save and load the model',
    'files.intro': 'Save the network the drawing pad uses (weights and architecture, in one safetensors file) and load it back later, here or with the cnn command-line tool.',
    'files.save': 'Save model',
    'files.load': 'Load model…',
    'files.saved': 'Saved as {name}.',
    'files.loaded': 'Loaded {model} from {name}. Training continues from these weights.',
    'files.bad': 'Could not load {name}: {detail}. The current model is unchanged.',
    'export.heading': 'Export to PyTorch',
    'export.intro':
      'Take the network to PyTorch: the code builds the same layers as an nn.Sequential, and the weights file holds ' +
      'its state_dict (the names and layouts load_state_dict expects). Put both in one folder and run the code.',
    'export.code': 'Download the PyTorch code',
    'export.weights': 'Download the weights (safetensors)',
    'export.saved': 'Saved {name}.',

    'gallery.heading': 'Architecture gallery',
    'gallery.intro':
      'The classic networks, layer by layer: each output shape, parameter count and multiply-adds worked out by the same ' +
      'shape inference as LeNet above — Inception blocks (four branches joined by concatenation) and residual blocks ' +
      '(F(x) + x) included. One entry is written with a mistake, as in many notes: the table shows where its sizes stop ' +
      'adding up.',
    'gallery.network': 'Network',
    'gallery.claimed': 'Claimed',
    'gallery.summary': '{title}: input {input}, {params} parameters, {macs} multiply-adds per image.',
    'gallery.summaryUnknown': '{title}: input {input}. The totals cannot be counted: {problems} rows do not add up.',
    'gallery.problems': '{n} rows do not add up — see the marked rows.',
    'gallery.unknown': '?',

    'error.noModel': 'The trained model {url} could not be fetched (HTTP {status}).',

    'footer.text': 'cnn-notebook · everything on this page is computed locally; nothing is sent anywhere.',
  },
};

let lang = 'en';

export function setLanguage(code) {
  if (!strings[code]) throw new Error(`no strings for language '${code}'`);
  lang = code;
  document.documentElement.lang = code;
}

export function language() {
  return lang;
}

/** The string for `key` with {name} placeholders filled from `values`. */
export function t(key, values = {}) {
  const s = strings[lang][key] ?? strings.en[key];
  if (s === undefined) throw new Error(`missing string '${key}'`);
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
}

/** A number formatted for the current language (61,706 in English). */
export function num(x, options) {
  return new Intl.NumberFormat(lang, options).format(x);
}

/** Fill every data-i18n / data-i18n-attr element under `root`. */
export function applyStrings(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
  if (root === document) document.title = t('page.title');
}
