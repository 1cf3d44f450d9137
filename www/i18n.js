// Every string the page shows, in one table per language with the same keys: English (en) and
// 简体中文 (zh). Elements name their string with data-i18n="key" (text) or
// data-i18n-attr="attr:key" (an attribute); code calls t(key, values), or setText / setAttr for
// text that must follow a change of language. The language is chosen when this module loads (the
// learner's earlier choice, else the browser's) and switched with setLanguage; tests/i18n.test.mjs
// fails when a key lacks a translation. Nothing here touches the DOM unless there is one.

import { coreStrings } from './core.strings.js';

export const strings = {
  en: {
    'page.title': 'cnn-notebook — convolutional networks in your browser',
    'header.title': 'cnn-notebook',
    'header.tagline': 'Convolutional networks, computed in your browser by a Rust core compiled to WebAssembly.',
    'lang.label': 'Language',
    'status.loading': 'Loading the WebAssembly core…',
    'status.ready': 'Core {version} ready.',
    'error.title': 'Something went wrong',
    'error.notBuilt': 'The WebAssembly module could not be loaded ({detail}). Build and serve it with scripts/serve.sh.',
    'error.panic': 'The core stopped with an internal error: {detail}. Reload the page to start again.',

    'backend.checking': 'Looking for WebGPU…',
    'backend.webgpu': 'Trains on WebGPU',
    'backend.cpu': 'Trains on the CPU',
    'backend.why': 'Training runs on the CPU (WebAssembly): {reason}.',
    'backend.gpuDetail': 'Training runs on WebGPU ({adapter}); the drawing pad’s single predictions run on the CPU, which answers one image faster than a GPU round trip.',
    // The figures' words are held together (no-break spaces): a narrow badge breaks at the dash.
    'backend.gpuRaced': 'WebGPU · {adapter} · {gpu}\u00a0ex/s — CPU\u00a0{cpu}\u00a0ex/s',
    'backend.cpuRaced': 'CPU\u00a0·\u00a0{cpu}\u00a0ex/s — WebGPU\u00a0{gpu}\u00a0ex/s',
    'backend.raceDetail': 'Measured by a race of {ms} ms: timed training steps of this network at batch size {batch}, {cpuSteps} on the CPU (workers sharing each batch: {workers}) and {gpuSteps} on WebGPU (examples per second), after warm-up steps on each; the faster one was chosen.',
    'backend.remembered': 'The backend you chose for this GPU ({adapter}) on an earlier visit.',
    'backend.switched': 'The backend you switched to; it is remembered for this GPU ({adapter}).',

    'start.heading': 'Start here',
    'start.draw': 'Draw a digit and watch LeNet read it',
    'start.step': 'Step through the network, layer by layer',
    'start.train': 'Train it yourself',
    'start.path': 'Or follow the path from chapter 1, one neuron, to the architectures of ResNet and GoogLeNet.',

    'keys.open': '? Keys',
    'keys.title': 'Keys',
    'keys.next': 'next chapter (in presenter mode)',
    'keys.prev': 'previous chapter (in presenter mode)',
    'keys.spaceKey': 'Space',
    'keys.space': 'the current chapter’s play button: walk the layers, start or pause training (in presenter mode)',
    'keys.tab': 'move between the controls; Enter or Space presses a button',
    'keys.stepper': 'inside the layer stepper of “Forward propagation, layer by layer”: step through the layers',
    'keys.map': 'on a convolution’s feature map: move the cursor, then Enter shows how that value was made',
    'keys.esc': 'leave a control that uses the arrow keys (a slider, a menu, the stepper, a map): the arrows move between chapters again; closes this list',
    'keys.help': 'this list',
    'keys.note': 'PageDown and PageUp (what a presenter’s clicker sends) always move between chapters.',
    'keys.close': 'Close',

    'code.summary': 'Show the code: {name}, in {path}',
    'code.intro': 'The reference function the numbers above come from — the Rust the notebook runs, as plain loops. The fast versions (the CPU’s SIMD and matrix kernels, the GPU’s shaders) are checked against it.',
    'code.introValues': 'The reference function the numbers above come from, with the value being inspected: beside each loop, the index it has for that value, and what the sum adds up to.',

    'toc.heading': 'Chapters',
    'presenter.on': 'Presenter mode',
    'presenter.off': 'Leave presenter mode',

    'error.noModel': 'The trained model {url} could not be fetched (HTTP {status}).',

    'footer.text': 'cnn-notebook · everything on this page is computed locally; nothing is sent anywhere.',
  },
  // 简体中文: written for students who meet these ideas for the first time. The standard terms
  // (卷积层, 池化层, 全连接层, 激活函数, 前向传播, 反向传播, 损失函数, 梯度下降, 学习率, 批量大小,
  // 特征图, 感受野) are used wherever the English names the idea; tests/i18n.test.mjs checks them.
  // Names (LeNet, ReLU, Adam, SGD, WebGPU, MNIST, PyTorch…) stay as they are.
  zh: {
    'page.title': 'cnn-notebook — 在浏览器中运行的卷积神经网络',
    'header.title': 'cnn-notebook',
    'header.tagline': '卷积神经网络，就在你的浏览器里计算：核心由 Rust 编写，编译成 WebAssembly 运行。',
    'lang.label': '语言',
    'status.loading': '正在加载 WebAssembly 核心…',
    'status.ready': '核心 {version} 已就绪。',
    'error.title': '出错了',
    'error.notBuilt': '无法加载 WebAssembly 模块（{detail}）。请用 scripts/serve.sh 构建并启动服务。',
    'error.panic': '核心因内部错误而停止：{detail}。请刷新页面重新开始。',

    'backend.checking': '正在检测 WebGPU…',
    'backend.webgpu': '在 WebGPU 上训练',
    'backend.cpu': '在 CPU 上训练',
    'backend.why': '训练在 CPU 上运行（WebAssembly）：{reason}。',
    'backend.gpuDetail': '训练在 WebGPU（{adapter}）上运行；画板上的单张预测在 CPU 上运行——只算一张图像时，CPU 比在 GPU 上往返一趟更快。',
    'backend.gpuRaced': 'WebGPU · {adapter} · {gpu}\u00a0样本/秒 — CPU\u00a0{cpu}\u00a0样本/秒',
    'backend.cpuRaced': 'CPU\u00a0·\u00a0{cpu}\u00a0样本/秒 — WebGPU\u00a0{gpu}\u00a0样本/秒',
    'backend.raceDetail': '由一场 {ms} 毫秒的比赛测得：各自先热身几步，再以批量大小 {batch} 计时训练这个网络，CPU 上 {cpuSteps} 步（分担每个批量的工作线程：{workers} 个），WebGPU 上 {gpuSteps} 步（每秒样本数）；选了更快的一个。',
    'backend.remembered': '这是你上次访问时为这个 GPU（{adapter}）选的后端。',
    'backend.switched': '这是你切换到的后端；已为这个 GPU（{adapter}）记住。',

    'start.heading': '从这里开始',
    'start.draw': '写一个数字，看 LeNet 怎样识别它',
    'start.step': '逐层查看网络的前向传播',
    'start.train': '亲手训练它',
    'start.path': '也可以从第 1 章的单个神经元开始，一路学到 ResNet 和 GoogLeNet 的架构。',

    'keys.open': '? 快捷键',
    'keys.title': '快捷键',
    'keys.next': '下一章（演示模式下）',
    'keys.prev': '上一章（演示模式下）',
    'keys.spaceKey': '空格键',
    'keys.space': '当前章节的播放按钮：逐层播放、开始或暂停训练（演示模式下）',
    'keys.tab': '在各个控件之间移动；按 Enter 或空格键按下按钮',
    'keys.stepper': '在“前向传播，一层一层地看”的逐层浏览控件里：逐层前进或后退',
    'keys.map': '在卷积层的特征图上：移动光标，再按 Enter 查看这个值是怎样算出来的',
    'keys.esc': '离开使用方向键的控件（滑块、下拉菜单、逐层浏览、特征图）：方向键重新用来切换章节；也会关闭这个列表',
    'keys.help': '这个列表',
    'keys.note': 'PageDown 和 PageUp（演示遥控器发送的就是这两个键）总是用来切换章节。',
    'keys.close': '关闭',

    'code.summary': '查看代码：{name}，位于 {path}',
    'code.intro': '上面这些数字出自这个参考函数——笔记本实际运行的 Rust 代码，写成最直白的循环。更快的版本（CPU 的 SIMD 与矩阵运算内核、GPU 的着色器）都要和它对照检验。',
    'code.introValues': '上面这些数字出自这个参考函数，这里代入了正在查看的那个值：每个循环旁边写着它对这个值所取的下标，以及求和的结果。',

    'toc.heading': '章节',
    'presenter.on': '演示模式',
    'presenter.off': '退出演示模式',

    'error.noModel': '无法获取训练好的模型 {url}（HTTP {status}）。',

    'footer.text': 'cnn-notebook · 本页的一切都在你的设备上计算，不会向任何地方发送数据。',
  },
};

/** The name of each language in itself, as the language switch shows it. */
export const languageNames = { en: 'English', zh: '简体中文' };
/** Where the learner's choice is remembered across visits. */
export const STORAGE_KEY = 'cnn-notebook.lang';
/** The Intl locale that formats numbers, and the <html lang> tag, of each language. */
const LOCALE = { en: 'en', zh: 'zh-CN' };
const HTML_LANG = { en: 'en', zh: 'zh-Hans' };

// localStorage can be missing (node, a worker), throw on access (sandboxed frames, some private
// modes) or refuse to write (quota): then the choice simply lasts for this visit.
function storage() {
  try {
    const s = globalThis.localStorage;
    return s && typeof s.getItem === 'function' ? s : null;
  } catch {
    return null;
  }
}

function storedLanguage() {
  try {
    return storage()?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

function rememberLanguage(code) {
  try {
    storage()?.setItem(STORAGE_KEY, code);
  } catch {
    // Not remembered; the page still switches.
  }
}

function browserLanguages() {
  const nav = globalThis.navigator;
  if (!nav) return [];
  return nav.languages?.length ? [...nav.languages] : nav.language ? [nav.language] : [];
}

/**
 * The language to start in: the one the learner chose on an earlier visit; else the first of the
 * browser's preferred languages that the page has (any zh-* reads 简体中文); else English.
 */
export function pickLanguage(stored, preferred = []) {
  if (stored && Object.hasOwn(strings, stored)) return stored;
  for (const tag of preferred) {
    const code = String(tag).toLowerCase().split(/[-_]/)[0];
    if (Object.hasOwn(strings, code)) return code;
  }
  return 'en';
}

let lang = 'en';
const listeners = new Set();

function use(code) {
  lang = code;
  if (typeof document !== 'undefined') document.documentElement.lang = HTML_LANG[code] ?? code;
}

// Chosen when the module loads, so that the page's first applyStrings() is already in it.
use(pickLanguage(storedLanguage(), browserLanguages()));

/**
 * Switch the page to `code` and remember the choice. When the language changes, every
 * data-i18n element is filled again and then each onLanguageChange callback runs, so that text
 * drawn by code (tables, messages, canvases) can be drawn again.
 */
export function setLanguage(code, { remember = true } = {}) {
  if (!Object.hasOwn(strings, code)) throw new Error(`no strings for language '${code}'`);
  const changed = code !== lang;
  use(code);
  if (remember) rememberLanguage(code);
  if (!changed) return;
  if (typeof document !== 'undefined') applyStrings();
  // Every callback runs even if one fails; the first failure is then thrown (the page shows it).
  let failure = null;
  for (const callback of [...listeners]) {
    try {
      callback(code);
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure) throw failure;
}

/** Call `callback(code)` after every change of language; returns a function that unsubscribes. */
export function onLanguageChange(callback) {
  listeners.add(callback);
  return () => listeners.delete(callback);
}

export function language() {
  return lang;
}

/** The Intl locale of the current language ('en', 'zh-CN'). */
export function locale() {
  return LOCALE[lang] ?? lang;
}

/**
 * The string for `key` with {name} placeholders filled from `values`. A value may be a function,
 * called each time the string is made: `{ backend: () => t('train.cpu') }` stays in the current
 * language when setText's elements are filled again.
 */
export function t(key, values = {}) {
  const s = strings[lang][key] ?? strings.en[key];
  if (s === undefined) throw new Error(`missing string '${key}'`);
  return s.replace(/\{(\w+)\}/g, (m, name) => {
    if (!(name in values)) return m;
    const v = values[name];
    return String(typeof v === 'function' ? v() : v);
  });
}

/**
 * The core's sentences (error messages, layer labels) arrive as data, `{ key, args }`, and are
 * written here in the current language: their English comes from the core itself
 * (`registerCoreStrings(core.messageTemplates())`, once the core has loaded), their other
 * languages from this table's `core.*` keys. An argument is text or a sentence of its own.
 */
export function registerCoreStrings(templates) {
  for (const [key, en] of Object.entries(templates)) strings.en[`core.${key}`] = en;
  for (const [lang, table] of Object.entries(coreStrings)) Object.assign((strings[lang] ??= {}), table);
}

/** Show a sentence from the core in `el` and keep it in the current language (like setText). */
export function setMessage(el, message) {
  if (message == null) return setText(el, null);
  setText(el, `core.${message.key}`, messageValues(message));
}

function messageValues(message) {
  const values = {};
  for (const [name, v] of Object.entries(message.args ?? {})) values[name] = typeof v === 'string' ? v : () => tm(v);
  return values;
}

/** A sentence from the core in the current language (see registerCoreStrings). */
export function tm(message) {
  if (message == null) return '';
  if (typeof message === 'string') return message;
  return t(`core.${message.key}`, messageValues(message));
}

/**
 * What went wrong, for the learner: an error the core explains (it carries `key` and `args`) in
 * the current language, any other error by its message.
 */
export function explain(err) {
  if (err && typeof err === 'object' && typeof err.key === 'string') return tm({ key: err.key, args: err.args });
  return err instanceof Error ? err.message : String(err);
}

/** Formatters by language and options: making an Intl.NumberFormat costs far more than using
 *  one, and the pad formats hundreds of numbers per stroke. */
const formatters = new Map();

/** A number formatted for the current language (61,706 in English). */
export function num(x, options) {
  const key = `${locale()} ${options ? JSON.stringify(options) : ''}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(locale(), options)));
  return f.format(x);
}

/** The values each setText / setAttr element was last filled with, for applyStrings. */
const bound = new WeakMap();

function binding(el) {
  let b = bound.get(el);
  if (!b) bound.set(el, (b = { text: {}, attrs: {} }));
  return b;
}

/**
 * Show t(key, values) in `el` and keep it there across language changes (applyStrings fills it
 * again with the same values). A null key empties `el` and forgets the binding.
 */
export function setText(el, key, values = {}) {
  if (key == null) {
    delete el.dataset.i18n;
    el.textContent = '';
    return;
  }
  el.dataset.i18n = key;
  binding(el).text = values;
  el.textContent = t(key, values);
}

/** Like setText, for one attribute (title, aria-label…) of `el`. */
export function setAttr(el, attr, key, values = {}) {
  const others = (el.dataset.i18nAttr ?? '').split(';').filter((p) => p.trim() && p.split(':')[0].trim() !== attr);
  if (key == null) {
    if (others.length) el.dataset.i18nAttr = others.join(';');
    else delete el.dataset.i18nAttr;
    el.removeAttribute(attr);
    return;
  }
  el.dataset.i18nAttr = [...others, `${attr}:${key}`].join(';');
  binding(el).attrs[attr] = values;
  el.setAttribute(attr, t(key, values));
}

/** Fill every data-i18n / data-i18n-attr element under `root`. */
export function applyStrings(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n, bound.get(el)?.text);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      el.setAttribute(attr, t(key, bound.get(el)?.attrs[attr]));
    }
  }
  if (root === document) document.title = t('page.title');
}
