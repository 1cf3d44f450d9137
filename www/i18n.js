// Every string the page shows, in one table per language. Elements name their string with
// data-i18n="key" (text) or data-i18n-attr="attr:key" (an attribute); code calls t(key, values).
// Chinese (zh) joins as a second table with the same keys.

export const strings = {
  en: {
    'page.title': 'cnn-notebook — convolutional networks in your browser',
    'header.title': 'cnn-notebook',
    'header.tagline': 'Convolutional networks, computed in your browser by a Rust core compiled to WebAssembly.',
    'status.loading': 'Loading the WebAssembly core…',
    'status.ready': 'Core {version} loaded · backend: {backend}',
    'error.title': 'Something went wrong',
    'error.notBuilt': 'The WebAssembly module could not be loaded ({detail}). Build and serve it with scripts/serve.sh.',
    'error.panic': 'The core stopped with an internal error: {detail}. Reload the page to start again.',

    'table.heading': 'LeNet, layer by layer',
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

    'forward.heading': 'One forward pass',
    'forward.intro':
      'The network below has random starting weights (Xavier-uniform, seed 0) and has not been trained, so it ' +
      'has no idea what it is looking at: its ten probabilities are all close to one tenth. The pass runs on the ' +
      'core’s CPU backend inside this page.',
    'forward.pattern': 'Test pattern (a ring, like a handwritten 0)',
    'forward.probs': 'Class probabilities',
    'forward.class': 'class {k}',
    'forward.result': 'Most likely: class {k} ({p}) · {ms} ms',
    'forward.train': 'Teach it: this is a 0',
    'forward.trained': '{steps} steps of SGD (learning rate {lr}) on this one image so far; the loss went {before} → {after} in the last click.',

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
