// The page's two languages, English and 简体中文, checked without a browser: every English key has
// a Chinese string with the same {placeholders}; the Chinese uses the standard terms of the field
// (学习率 for "learning rate", 特征图 for "feature map", …) wherever the English names the idea;
// nothing English is left untranslated; every key the page asks for exists; and the language is
// chosen, switched and remembered as it should be, with or without a working localStorage.
// Run: node --test tests/i18n.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const I18N = new URL('../www/i18n.js', import.meta.url).href;
const { strings, t, tm, explain, num, setLanguage, language, locale, onLanguageChange, pickLanguage, registerCoreStrings } = await import(I18N);
// Each chapter keeps its strings in www/chapters/<id>.strings.js; the page merges them into the
// one table before showing anything, and so does this test.
// The core's sentences (errors, layer labels) come with their English from the core itself, as
// the page gets them: load the built core (scripts/test.sh builds it before these tests run).
const core = await import(new URL('../www/pkg/cnn_core.js', import.meta.url).href);
await core.default({ module_or_path: readFileSync(`${ROOT}/www/pkg/cnn_core_bg.wasm`) });
const CORE_TEMPLATES = core.messageTemplates();
registerCoreStrings(CORE_TEMPLATES);
if (existsSync(`${ROOT}/www/chapters/registry.js`)) {
  const { loadChapterStrings } = await import(new URL('../www/chapters/registry.js', import.meta.url).href);
  await loadChapterStrings();
}
// The training lab's widgets (www/lab/) keep their strings beside them in <name>.strings.js.
if (existsSync(`${ROOT}/www/lab`)) {
  for (const file of readdirSync(`${ROOT}/www/lab`).filter((f) => f.endsWith('.strings.js'))) {
    const { default: table } = await import(new URL(`../www/lab/${file}`, import.meta.url).href);
    for (const [lang, entries] of Object.entries(table)) Object.assign((strings[lang] ??= {}), entries);
  }
}

/** Strings that are the same in both languages on purpose: a name or a symbol, nothing to translate. */
const SAME_IN_BOTH = new Set(['header.title', 'table.index', 'gallery.unknown', 'lab.ds.fashion-mnist']);

/**
 * Latin words a Chinese string may keep: names of models, methods, tools and files, code, and
 * "epoch", which the Chinese gives once in brackets after 轮次 because learners meet it in code.
 * Single letters are always allowed (they are symbols: N, C, H, W, F(x)…); case does not matter.
 * Any other Latin word in a Chinese string is English left untranslated, and a string made only of
 * these names and symbols may be the same in both languages. A new name goes here, with its kind.
 */
const NAMES = new Set([
  // the page, the tools, the formats
  'cnn-notebook', 'cnn', 'scripts', 'serve.sh', 'Rust', 'WebAssembly', 'WebGPU', 'GPU', 'CPU', 'HTTP',
  'IDX', 'IndexedDB', 'MB', 'd2l.ai',
  // datasets
  'Fashion-MNIST',
  'PyTorch', 'nn.Sequential', 'state_dict', 'load_state_dict', 'safetensors', 'MNIST', 'Enter',
  // code as it is written in the editor: Python, its names and keywords, the notebook's blocks
  'Python', 'True', 'False', 'Residual', 'shortcut', 'nn.ReLU', 'nn.Linear', 'nn.Conv2d', 'Linear', 'padding', 'kernel_size',
  'name', 'value', 'reduce', 'out', 'm1', 'm2', 'c1', 'c2', 'c3', 'c4', 'c2_reduce', 'c3_reduce', 'd2l',
  // keys, as printed on them
  'PageDown', 'PageUp', 'Home', 'End',
  // networks and their parts
  'LeNet', 'LeNet-5', 'AlexNet', 'ZFNet', 'VGG', 'VGG16', 'GoogLeNet', 'ResNet', 'ResNet-18', 'Inception', 'torchvision', 'ceil_mode',
  // authors' names, as cited
  'LeCun', 'Krizhevsky', 'Zeiler', 'Fergus', 'Simonyan', 'Zisserman', 'Szegedy', 'Ioffe', 'Srivastava',
  // activations, initialisations, optimizers, losses
  'ReLU', 'Leaky', 'tanh', 'sigmoid', 'softmax', 'He', 'Xavier', 'Adam', 'SGD', 'MSE', 'StepLR', 'weight_decay', 'L2',
  'CNN', 'nn.MSELoss', 'nn.CrossEntropyLoss',
  // the regression losses chapter: PyTorch's modules and their argument, a detector, a key
  'L1', 'nn.L1Loss', 'nn.SmoothL1Loss', 'beta', 'Fast', 'R-CNN', 'Shift',
  // notation kept in formulas (compared without regard to case: Softmax at a sentence's start)
  'log', 'ln', 'exp', 'max', 'min', 'argmax', 'logit', 'logits', 'one-hot', 'p_true', 'C_in', 'C_out', 'rf',
  'epoch',
  // what the core's messages name: formats and their keys, PyTorch's modules, browsers, systems
  'JSON', 'UTF-8', 'F32', 'NaN', 'metadata', 'data_offsets', 'format', 'spec', 'eps',
  'AdaptiveAvgPool2d', 'LocalResponseNorm', 'BatchNorm2d', 'Flatten', 'BasicBlock', 'conv1', 'conv2', 'conv3',
  'leaky-relu', 'Chrome', 'Edge', 'Firefox', 'Safari', 'Vulkan', 'Debian', 'Ubuntu', 'apt-get', 'install',
  'mesa-vulkan-drivers', 'lavapipe',
  // the reference code's own names, which "show the code" points at
  'SIMD', 'sum', 'gaussian', 'uniform', 'momentum',
  // the gallery's notes: AlexNet's layers, PyTorch's LRN and its arguments, the adaptive pool's
  // rounding, a GPU's memory
  'conv4', 'conv5', 'nn.LocalResponseNorm', 'alpha', 'beta', 'groups', 'floor', 'ceil', 'GB',
  // data parallelism: the browser's workers, PyTorch's names, the collective's name
  'Web', 'Worker', 'DistributedDataParallel', 'SyncBatchNorm', 'all-reduce',
]);

/** Strip {placeholders}: they are names for values, not words of the text. */
const prose = (s) => s.replace(/\{\w+\}/g, ' ');
const LOWER_NAMES = new Set([...NAMES].map((w) => w.toLowerCase()));
/** The Latin words of `s` that are not names or symbols: English to translate. */
const englishWords = (s) =>
  (prose(s).match(/[A-Za-z][A-Za-z0-9]*(?:[._-][A-Za-z0-9]+)*/g) ?? []).filter((w) => w.length > 1 && !LOWER_NAMES.has(w.toLowerCase()));
const placeholders = (s) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

/**
 * The glossary: where the English (placeholders removed) matches the pattern, the Chinese must
 * contain the term. The standard terms first, then the other words of the field, so that
 * one idea has one Chinese name on every part of the page.
 */
const GLOSSARY = [
  [/\bconv(olutional)? layers?\b/i, '卷积层'],
  [/\bpooling layers?\b/i, '池化层'],
  [/\bfully[- ]connected layers?\b|\bdense layers?\b/i, '全连接层'],
  [/\bfully[- ]connected\b/i, '全连接'],
  [/\bactivation functions?\b/i, '激活函数'],
  [/\bforward (propagation|pass)\b/i, '前向传播'],
  [/\bback-?prop(agation)?\b|\bbackward pass\b/i, '反向传播'],
  [/\bloss functions?\b/i, '损失函数'],
  [/\bgradient descent\b/i, '梯度下降'],
  [/\blearning rates?\b/i, '学习率'],
  [/\bbatch sizes?\b/i, '批量大小'],
  [/\bfeature maps?\b/i, '特征图'],
  [/\breceptive fields?\b/i, '感受野'],
  // the issue says 激活函数 for the function; a value of it is 激活值: both share 激活
  [/\bactivations?\b/i, '激活'],
  [/\bloss(es)?\b/i, '损失'],
  [/\bvanishing gradients?\b/i, '梯度消失'],
  [/\bexploding gradients?\b/i, '梯度爆炸'],
  [/\bgradients?\b/i, '梯度'],
  [/\bmini-?batch(es)?\b/i, '小批量'],
  [/\bbatch(es)?\b/i, '批'],
  [/\bmax(imum)? pooling\b/i, '最大池化'],
  [/\baverage pooling\b/i, '平均池化'],
  [/\bpool(s|ing|ed)?\b/i, '池化'],
  [/\bconvolution(s|al)?\b|\bconv\b/i, '卷积'],
  [/\bkernels?\b/i, '核'],
  [/\bstrides?\b/i, '步幅'],
  [/\bpadding\b/i, '填充'],
  [/\bchannels?\b/i, '通道'],
  [/\bhidden layers?\b/i, '隐藏层'],
  [/\blayers?\b/i, '层'],
  [/\bweights?\b/i, '权重'],
  [/\bbias(es)?\b/i, '偏置'],
  [/\bparameters?\b/i, '参数'],
  [/\bneurons?\b/i, '神经元'],
  [/\bepochs?\b/i, '轮'],
  [/\baccuracy\b/i, '准确率'],
  [/\boptimi[sz]ers?\b/i, '优化器'],
  [/\bmomentum\b/i, '动量'],
  [/\binitiali[sz](e|ed|ation)\b/i, '初始化'],
  [/\bmultiply-adds?\b/i, '乘加'],
  [/\bshape inference\b/i, '形状推断'],
  [/\bflatten(s|ed|ing)?\b/i, '展平'],
  [/\bprobabilit(y|ies)\b/i, '概率'],
  [/\bpredict(s|ed|ing|ions?)?\b/i, '预测'],
  [/\btrain(s|ed|ing)?\b/i, '训练'],
  [/\btest (digits?|sets?|images?|data|loss|accuracy)\b/i, '测试'],
  [/\bresidual\b/i, '残差'],
  [/\bconcatenat(e|es|ed|ion)\b/i, '拼接'],
  [/\bbranch(es)?\b/i, '分支'],
  [/\bcross-entropy\b/i, '交叉熵'],
  [/\bmean squared error\b/i, '均方误差'],
  [/\bregression\b/i, '回归'],
  [/\bclassification\b/i, '分类'],
  [/\bchain rule\b/i, '链式法则'],
  [/\bderivatives?\b/i, '导数'],
  [/\bsaturat(e|es|ed|es|ing|ion)\b/i, '饱和'],
  [/\boverfit(s|ting|ted)?\b/i, '过拟合'],
];

/** Every problem with the zh table against the en one, as sentences; none when all is well. */
function problems(en, zh) {
  const out = [];
  for (const key of Object.keys(en)) if (!(key in zh)) out.push(`${key}: no Chinese translation`);
  for (const key of Object.keys(zh)) if (!(key in en)) out.push(`${key}: in zh but not in en (renamed or removed?)`);
  for (const key of Object.keys(en)) {
    const e = en[key];
    const z = zh[key];
    if (typeof z !== 'string') continue;
    if (!z.trim()) {
      out.push(`${key}: the Chinese string is empty`);
      continue;
    }
    if (placeholders(e).join() !== placeholders(z).join()) {
      out.push(`${key}: placeholders {${placeholders(z).join('},{')}} in zh, {${placeholders(e).join('},{')}} in en`);
    }
    if (SAME_IN_BOTH.has(key)) continue;
    // A string of names and formulas ('ReLU', 'L = −log p{k}') is the same in both languages.
    if (z === e && englishWords(e).length) {
      out.push(`${key}: the Chinese is the English, untranslated: '${z}'`);
      continue;
    }
    const latin = englishWords(z);
    if (latin.length) {
      out.push(`${key}: English words left in the Chinese (${[...new Set(latin)].join(', ')}) — translate them, or add names to NAMES: '${z}'`);
    }
    for (const [english, chinese] of GLOSSARY) {
      const m = prose(e).match(english);
      if (m && !z.includes(chinese)) out.push(`${key}: the English says '${m[0]}', the Chinese lacks ${chinese}: '${z}'`);
    }
  }
  return out;
}

test('every English string has a Chinese translation, and no other keys', () => {
  const en = Object.keys(strings.en);
  const zh = Object.keys(strings.zh);
  assert.ok(en.length > 100, `the English table has ${en.length} keys`);
  assert.deepEqual(en.filter((k) => !(k in strings.zh)), [], 'en keys without a zh translation');
  assert.deepEqual(zh.filter((k) => !(k in strings.en)), [], 'zh keys that en lacks');
});

test('the Chinese strings keep the placeholders, leave nothing in English and use the standard terms', () => {
  const found = problems(strings.en, strings.zh);
  assert.deepEqual(found, [], `\n${found.join('\n')}`);
});

test('the checks catch what they are for', () => {
  const en = {
    a: 'Learning rate set to {lr}.',
    b: 'The feature map of {layer}',
    c: 'Clear',
    d: 'Batch size',
    e: 'Forward propagation, layer by layer',
    f: 'Training on the CPU',
    g: 'Loss',
    h: 'Leaky ReLU',
    i: 'L = −log p{k}',
  };
  const zh = {
    a: '学习速率已设为 {rate}。', // wrong term, wrong placeholder
    b: '{layer} 的特征图',
    c: 'Clear', // untranslated
    d: '批大小', // not the standard term
    e: '正向传播，逐层', // not the standard term
    f: '在 CPU 上 training', // half translated
    x: '多余', // a key en lacks; and g is missing
    h: 'Leaky ReLU', // names: the same in both languages
    i: 'L = −log p{k}', // a formula
  };
  const found = problems(en, zh).join('\n');
  for (const expected of [
    'g: no Chinese translation',
    'x: in zh but not in en',
    'a: placeholders {rate} in zh, {lr} in en',
    "a: the English says 'Learning rate', the Chinese lacks 学习率",
    "c: the Chinese is the English, untranslated: 'Clear'",
    "d: the English says 'Batch size', the Chinese lacks 批量大小",
    "e: the English says 'Forward propagation', the Chinese lacks 前向传播",
    'f: English words left in the Chinese (training)',
  ]) {
    assert.ok(found.includes(expected), `expected «${expected}» among:\n${found}`);
  }
  for (const good of ['b', 'h', 'i']) assert.ok(!found.includes(`${good}:`), `${good} is a good translation:\n${found}`);
});

test('the exceptions and names lists name only what exists', () => {
  for (const key of SAME_IN_BOTH) {
    assert.ok(key in strings.en, `SAME_IN_BOTH names '${key}', which en lacks`);
    assert.ok(!/[A-Za-z]{2,}/.test(strings.en[key]) || /^[\w-]+$/.test(strings.en[key]), `'${key}' is a name or a symbol`);
  }
});

/** The keys the page asks for: data-i18n attributes in index.html, string literals given to t/setText/setAttr. */
function keysUsedByThePage() {
  const used = new Map(); // key → where
  const html = readFileSync(`${ROOT}/index.html`, 'utf8');
  for (const m of html.matchAll(/data-i18n="([^"]+)"/g)) used.set(m[1], 'index.html');
  for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g)) {
    for (const pair of m[1].split(';')) used.set(pair.split(':')[1].trim(), 'index.html');
  }
  const prefixes = new Set(Object.keys(strings.en).map((k) => k.split('.')[0]));
  const sources = readdirSync(`${ROOT}/www`, { recursive: true }).filter((f) => f.endsWith('.js') && !f.startsWith('pkg'));
  for (const file of sources) {
    const src = readFileSync(`${ROOT}/www/${file}`, 'utf8');
    for (const call of src.matchAll(/\b(?:t|setText|setAttr)\(/g)) {
      // The call's arguments, up to its closing bracket.
      let depth = 1;
      let i = call.index + call[0].length;
      const start = i;
      for (; i < src.length && depth > 0; i++) {
        if (src[i] === '(') depth++;
        else if (src[i] === ')') depth--;
      }
      const args = src.slice(start, i - 1);
      for (const lit of args.matchAll(/'([a-z]\w*(?:\.\w+)+)'|"([a-z]\w*(?:\.\w+)+)"/g)) {
        const key = lit[1] ?? lit[2];
        if (prefixes.has(key.split('.')[0])) used.set(key, `www/${file}`);
      }
    }
  }
  return used;
}

test('every key the page asks for exists (and so has both languages)', () => {
  const used = keysUsedByThePage();
  assert.ok(used.size > 50, `found ${used.size} keys in use`);
  const missing = [...used].filter(([key]) => !(key in strings.en)).map(([key, where]) => `${key} (${where})`);
  assert.deepEqual(missing, []);
});

test("the core's sentences: the same English as the core writes, and Chinese from the table", () => {
  const hasChinese = /[\u4e00-\u9fff]/;
  const caught = (f) => {
    try {
      f();
    } catch (e) {
      return e;
    }
    assert.fail('expected an error');
  };
  try {
    // A damaged model file: the error carries its sentence as data.
    const bad = caught(() => core.Predictor.fromFile(new Uint8Array([1, 2, 3])));
    assert.equal(typeof bad.key, 'string', 'a learner-caused error names its sentence');
    setLanguage('en', { remember: false });
    assert.equal(explain(bad), bad.message, 'English: the core’s own words');
    setLanguage('zh', { remember: false });
    assert.match(explain(bad), hasChinese);
    assert.doesNotMatch(explain(bad), /file|truncated|header/i);
    // An error the page's code alone can cause stays a plain Error, shown by its message.
    assert.equal(explain(new Error('plain')), 'plain');

    // Every gallery row's label and problem, nested sentences included: the page's English is
    // the core's, character for character, and the Chinese has no English words but names.
    let rows = 0;
    for (const name of core.galleryNames()) {
      const table = core.gallery(name);
      for (const r of table.rows) {
        setLanguage('en', { remember: false });
        assert.equal(tm(r.label), r.label.en, `${name}: label`);
        if (r.message) assert.equal(tm(r.message), r.message.en, `${name}: message`);
        setLanguage('zh', { remember: false });
        assert.ok(!tm(r.label).includes('{'), `${name}: ${tm(r.label)}`);
        rows++;
      }
    }
    assert.ok(rows > 300, `${rows} gallery rows`);
    const mistake = core.gallery('zfnet-mistake').rows.find((r) => r.status === 'error');
    assert.equal(tm(mistake.message), '需要 9,216 个输入，却收到 6,400 个');
    const lenet = core.layerTable('lenet-relu').rows;
    assert.equal(tm(lenet[0].label), '卷积层 6@5×5，填充 2');
    setLanguage('en', { remember: false });
    assert.equal(tm(lenet[0].label), 'Conv2d 6@5×5, pad 2');
  } finally {
    setLanguage('en', { remember: false });
  }
});

test('the language switch', async (s) => {
  await s.test('picks the stored choice, then the browser’s languages, then English', () => {
    assert.equal(pickLanguage('zh', ['en-US']), 'zh');
    assert.equal(pickLanguage('en', ['zh-CN']), 'en');
    assert.equal(pickLanguage(null, ['zh-CN', 'en']), 'zh');
    assert.equal(pickLanguage(null, ['zh-TW']), 'zh');
    assert.equal(pickLanguage(null, ['fr-FR', 'zh']), 'zh', 'the first language the page has');
    assert.equal(pickLanguage(null, ['en-GB', 'zh-CN']), 'en');
    assert.equal(pickLanguage(null, ['fr-FR']), 'en');
    assert.equal(pickLanguage('klingon', []), 'en', 'an unknown stored value is ignored');
    assert.equal(pickLanguage(undefined, undefined), 'en');
  });

  await s.test('switches t() and num(), and tells each listener once per change', () => {
    const start = language();
    const heard = [];
    const stop = onLanguageChange((code) => heard.push(code));
    try {
      setLanguage('zh', { remember: false });
      assert.equal(language(), 'zh');
      assert.equal(locale(), 'zh-CN');
      assert.equal(t('status.ready', { version: '0.1.0' }), '核心 0.1.0 已就绪。');
      assert.equal(t('train.started', { backend: () => t('train.cpu') }), '正在 CPU 上训练…', 'function values are called');
      assert.equal(num(61706), '61,706');
      assert.equal(num(0.5, { style: 'percent' }), '50%');
      setLanguage('zh', { remember: false });
      setLanguage('en', { remember: false });
      assert.equal(t('status.ready', { version: '0.1.0' }), 'Core 0.1.0 ready.');
      assert.deepEqual(heard, ['zh', 'en'], 'a listener hears changes, not repeats');
      stop();
      setLanguage('zh', { remember: false });
      assert.deepEqual(heard, ['zh', 'en'], 'an unsubscribed listener hears nothing');
      assert.throws(() => setLanguage('fr'), /no strings for language 'fr'/);
      assert.equal(language(), 'zh', 'a refused language changes nothing');
    } finally {
      stop();
      setLanguage(start, { remember: false });
    }
  });

  await s.test('a failing listener does not stop the others, and its error comes out', () => {
    const start = language();
    const other = start === 'en' ? 'zh' : 'en';
    const heard = [];
    const stops = [
      onLanguageChange(() => {
        throw new Error('listener broke');
      }),
      onLanguageChange((code) => heard.push(code)),
    ];
    try {
      assert.throws(() => setLanguage(other, { remember: false }), /listener broke/);
      assert.deepEqual(heard, [other]);
      assert.equal(language(), other);
    } finally {
      stops.forEach((stop) => stop());
      setLanguage(start, { remember: false });
    }
  });

  let fresh = 0;
  /** A new instance of i18n.js, loaded with these globals in place (restored afterwards). */
  async function withGlobals(globals, check) {
    const saved = Object.keys(globals).map((k) => [k, Object.getOwnPropertyDescriptor(globalThis, k)]);
    for (const [k, d] of Object.entries(globals)) Object.defineProperty(globalThis, k, { configurable: true, ...d });
    try {
      await check(await import(`${I18N}?fresh=${++fresh}`));
    } finally {
      for (const [k, d] of saved) {
        if (d) Object.defineProperty(globalThis, k, d);
        else delete globalThis[k];
      }
    }
  }
  const memoryStorage = (init = {}) => {
    const data = new Map(Object.entries(init));
    return {
      data,
      getItem: (k) => (data.has(k) ? data.get(k) : null),
      setItem: (k, v) => data.set(k, String(v)),
      removeItem: (k) => data.delete(k),
    };
  };

  await s.test('loads in the language remembered from an earlier visit, and remembers a new choice', async () => {
    const storage = memoryStorage({ 'cnn-notebook.lang': 'zh' });
    await withGlobals({ localStorage: { value: storage }, navigator: { value: { languages: ['en-US'] } } }, async (m) => {
      assert.equal(m.language(), 'zh');
      assert.equal(m.STORAGE_KEY, 'cnn-notebook.lang');
      m.setLanguage('en');
      assert.equal(storage.data.get('cnn-notebook.lang'), 'en');
    });
  });

  await s.test('loads in Chinese for a browser that prefers it, in English otherwise', async () => {
    await withGlobals({ localStorage: { value: memoryStorage() }, navigator: { value: { languages: ['zh-CN', 'en'] } } }, async (m) =>
      assert.equal(m.language(), 'zh'),
    );
    await withGlobals({ localStorage: { value: memoryStorage() }, navigator: { value: { language: 'zh-Hans-CN' } } }, async (m) =>
      assert.equal(m.language(), 'zh'),
    );
    await withGlobals({ localStorage: { value: memoryStorage() }, navigator: { value: { languages: ['de-DE', 'en-US'] } } }, async (m) =>
      assert.equal(m.language(), 'en'),
    );
    await withGlobals({ localStorage: { value: undefined }, navigator: { value: undefined } }, async (m) =>
      assert.equal(m.language(), 'en'),
    );
  });

  await s.test('works without localStorage: access that throws, writes that are refused', async () => {
    const denied = () => {
      throw Object.assign(new Error('The operation is insecure.'), { name: 'SecurityError' });
    };
    await withGlobals({ localStorage: { get: denied }, navigator: { value: { languages: ['zh-CN'] } } }, async (m) => {
      assert.equal(m.language(), 'zh', 'still follows the browser');
      m.setLanguage('en');
      assert.equal(m.language(), 'en', 'and still switches');
    });
    const full = { getItem: () => null, setItem: () => denied() };
    await withGlobals({ localStorage: { value: full }, navigator: { value: { languages: ['en'] } } }, async (m) => {
      m.setLanguage('zh');
      assert.equal(m.language(), 'zh');
    });
  });
});
