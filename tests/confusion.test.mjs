// The training lab's confusion matrix (www/lab/confusion.js on the core's confusion::Predictions)
// in the real page: labels and probabilities are made here, so this file knows every count, every
// cell's examples and the order of the mistakes; the widget is mounted in a fresh div with them
// and read back through its data-testids, clicked, driven with the keys and switched to 简体中文.
// Run: node --test tests/confusion.test.mjs (after building www/pkg).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareBrowser, openPage } from './lib/harness.mjs';

const K = 10;
const N = 600;
/** The cell no example falls in: true 0 is never predicted as 1. */
const EMPTY = [0, 1];
const CELL_LIMIT = 24;
const MISTAKES = 12;

/** A small seeded generator (mulberry32), so the data are the same on every run. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Labels i % K; about 80% predicted right; the predicted class holds 0.35…0.99, the rest share the remainder. */
function makeData() {
  const rand = random(7);
  const labels = new Uint8Array(N);
  const probs = new Float32Array(N * K);
  const predicted = [];
  for (let i = 0; i < N; i++) {
    const label = i % K;
    let p = label;
    if (rand() < 0.2) {
      do p = Math.floor(rand() * K);
      while (p === label || (label === EMPTY[0] && p === EMPTY[1]));
    }
    const conf = 0.35 + 0.64 * rand();
    for (let k = 0; k < K; k++) probs[i * K + k] = (1 - conf) / (K - 1);
    probs[i * K + p] = conf;
    labels[i] = label;
    predicted.push(p);
  }
  return { labels, probs, predicted };
}

const data = makeData();
const counts = Array.from({ length: K }, () => new Array(K).fill(0));
data.predicted.forEach((p, i) => counts[data.labels[i]][p]++);
/** Indices matching `keep`, surest first (the test set's order among equal confidences). */
const surest = (keep) =>
  [...Array(N).keys()].filter(keep).sort((a, b) => data.probs[b * K + data.predicted[b]] - data.probs[a * K + data.predicted[a]] || a - b);
const inCell = (r, c) => surest((i) => data.labels[i] === r && data.predicted[i] === c);

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

/** Open the page and mount a ConfusionView on the data above, for Fashion-MNIST's names. */
async function mounted({ viewport } = {}) {
  const { page, errors } = await openPage(browser, server.url, { viewport });
  await page.evaluate(
    async ({ labels, probs, k, cellLimit, mistakes }) => {
      const core = await import('/www/pkg/cnn_core.js');
      const { strings, onLanguageChange } = await import('/www/i18n.js');
      const { default: table } = await import('/www/lab/confusion.strings.js');
      for (const [lang, entries] of Object.entries(table)) Object.assign(strings[lang], entries);
      const { ConfusionView, classNames } = await import('/www/lab/confusion.js');
      const p = new core.Predictions(new Uint8Array(labels), new Float32Array(probs), k);
      // Each example's picture: a bar at a height given by its index, so images differ.
      const withImage = (list) => list.map((e) => ({ ...e, image: Float32Array.from({ length: 784 }, (_, j) => (Math.floor(j / 28) === 3 + (e.index % 22) ? 1 : 0)) }));
      // A plain box, not a chapter (main > section.card is one, and would need a heading).
      const host = document.createElement('div');
      host.className = 'card';
      host.dataset.testid = 'cm-host';
      // The lab chapter holds the page's own matrix: taken out, so that the hooks are this one's.
      document.querySelector('[data-testid="lab-confusion-box"]')?.replaceChildren();
      document.querySelector('main').prepend(host);
      const view = new ConfusionView(host, {
        classNames: () => classNames('fashion-mnist'),
        examples: async (r, c) => withImage(p.cell(r, c, cellLimit)),
        mistakes: async () => withImage(p.mistakes(mistakes)),
      });
      onLanguageChange(() => view.refresh());
      view.show(p.confusion(), { epoch: 3 });
      window.cm = { view, p, core };
    },
    { labels: [...data.labels], probs: [...data.probs], k: K, cellLimit: CELL_LIMIT, mistakes: MISTAKES },
  );
  await page.getByTestId('cm-mistake').first().waitFor();
  return { page, errors };
}

const indices = (page, testid) => page.getByTestId(testid).evaluateAll((els) => els.map((e) => Number(e.dataset.index)));

test('every cell holds the count of its true and predicted class', async () => {
  const { page, errors } = await mounted();
  const cells = await page.getByTestId('confusion').evaluate((t) =>
    Object.fromEntries([...t.querySelectorAll('[data-testid^="cm-"]')].map((b) => [b.dataset.testid, [b.dataset.value, b.textContent]])),
  );
  assert.equal(Object.keys(cells).length, K * K);
  for (let r = 0; r < K; r++) {
    for (let c = 0; c < K; c++) assert.deepEqual(cells[`cm-${r}-${c}`], [String(counts[r][c]), String(counts[r][c])], `cell ${r},${c}`);
  }
  assert.equal(counts[EMPTY[0]][EMPTY[1]], 0);
  const right = counts.reduce((s, row, r) => s + row[r], 0);
  const summary = await page.getByTestId('cm-summary').textContent();
  assert.ok(summary.includes(`After epoch 3: ${right} of 600 test images predicted right`), summary);
  // The diagonal looks different from the mistakes in more than hue: outlined and bold.
  const look = await page.evaluate(() => {
    const s = (id) => getComputedStyle(document.querySelector(`[data-testid="${id}"]`));
    return { right: [s('cm-2-2').fontWeight, s('cm-2-2').boxShadow], wrong: [s('cm-2-5').fontWeight, s('cm-2-5').boxShadow] };
  });
  assert.notDeepEqual(look.right, look.wrong);
  assert.equal(look.right[0], '700');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a cell shows its images surest first, at most 24 with the rest counted; an empty cell says so', async () => {
  const { page, errors } = await mounted();
  await page.getByTestId('cm-4-4').click();
  const box = page.getByTestId('cm-examples');
  await page.waitForSelector('[data-testid="cm-examples"][data-state="ready"]');
  const want = inCell(4, 4);
  assert.ok(want.length > CELL_LIMIT, `cell 4,4 holds ${want.length}`);
  assert.deepEqual(await indices(page, 'cm-example'), want.slice(0, CELL_LIMIT));
  assert.equal(await page.getByTestId('cm-more').textContent(), `… and ${want.length - CELL_LIMIT} more.`);
  // Each image lists its largest probabilities: the first is the predicted class with its percent.
  const first = await box.locator('.cm-probs').first().textContent();
  const conf = data.probs[want[0] * K + 4];
  assert.ok(first.startsWith(`Coat${(conf * 100).toFixed(1)}%`), first);
  // It opens in view, right below the matrix.
  const [table, examples] = await Promise.all([page.getByTestId('confusion').boundingBox(), box.boundingBox()]);
  assert.ok(examples.y > table.y + table.height && examples.y < (await page.evaluate(() => innerHeight)), JSON.stringify({ table, examples }));

  const mistakeCell = [...Array(K * K).keys()].map((i) => [Math.floor(i / K), i % K]).find(([r, c]) => r !== c && counts[r][c] >= 2);
  await page.getByTestId(`cm-${mistakeCell[0]}-${mistakeCell[1]}`).click();
  await page.waitForSelector('[data-testid="cm-examples"][data-state="ready"]');
  assert.deepEqual(await indices(page, 'cm-example'), inCell(...mistakeCell));
  assert.equal(await page.getByTestId('cm-more').count(), 0);

  await page.getByTestId(`cm-${EMPTY[0]}-${EMPTY[1]}`).click();
  await page.waitForSelector('[data-testid="cm-examples"][data-state="ready"]');
  assert.equal(await page.getByTestId('cm-example').count(), 0);
  assert.match(await box.textContent(), /No test image of class T-shirt\/top was predicted as Trouser\./);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the mistakes strip lists the surest wrong predictions first', async () => {
  const { page, errors } = await mounted();
  const want = surest((i) => data.labels[i] !== data.predicted[i]).slice(0, MISTAKES);
  assert.deepEqual(await indices(page, 'cm-mistake'), want);
  const first = await page.getByTestId('cm-mistake').first().textContent();
  const names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  const i = want[0];
  assert.equal(first, `true: ${names[data.labels[i]]}, predicted: ${names[data.predicted[i]]} (${(data.probs[i * K + data.predicted[i]] * 100).toFixed(1)}%)`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the arrow keys move between cells, also in presenter mode, and Enter opens one', async () => {
  const { page, errors } = await mounted({ viewport: { width: 1280, height: 720 } });
  await page.getByTestId('presenter').click();
  await page.getByTestId('cm-0-0').focus();
  const focused = () => page.evaluate(() => document.activeElement.dataset.testid);
  await page.keyboard.press('ArrowRight');
  assert.equal(await focused(), 'cm-0-1');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'cm-2-1');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await focused(), 'cm-2-0', 'stops at the edge');
  await page.keyboard.press('End');
  assert.equal(await focused(), 'cm-2-9');
  // One cell in the tab order: the one last reached.
  assert.deepEqual(await page.getByTestId('confusion').evaluate((t) => [...t.querySelectorAll('button[tabindex="0"]')].map((b) => b.dataset.testid)), ['cm-2-9']);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="cm-examples"][data-state="ready"]');
  assert.deepEqual(await indices(page, 'cm-example'), inCell(2, 9).slice(0, CELL_LIMIT));
  assert.equal(await page.getByTestId('cm-2-9').getAttribute('aria-pressed'), 'true');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a new epoch redraws the counts and the open cell; a change of language rewrites the class names', async () => {
  const { page, errors } = await mounted();
  await page.getByTestId('cm-6-6').click();
  await page.waitForSelector('[data-testid="cm-examples"][data-state="ready"]');
  const rowNames = () => page.getByTestId('confusion').locator('th.cm-row').allTextContents();
  assert.equal((await rowNames())[0], 'T-shirt/top');
  await page.getByTestId('language').selectOption('zh');
  assert.deepEqual(await rowNames(), ['T恤/上衣', '裤子', '套衫', '连衣裙', '外套', '凉鞋', '衬衫', '运动鞋', '包', '短靴']);
  assert.match(await page.getByTestId('cm-summary').textContent(), /^第 3 轮之后：600 张测试图像中预测正确 \d+ 张/);
  assert.match(await page.getByTestId('cm-mistake').first().textContent(), /^真实：.+，预测：.+（\d+(\.\d)?%）$/);
  assert.match(await page.getByTestId('cm-examples').locator('h4').textContent(), /^真实类别 衬衫，预测为 衬衫/);
  assert.match(await page.getByTestId('cm-6-6').getAttribute('aria-label'), /衬衫/);

  // The next epoch: every prediction right. The open cell is asked again and the strip empties.
  await page.evaluate(() => {
    const labels = new Uint8Array(600).map((_, i) => i % 10);
    const probs = new Float32Array(6000).map((_, j) => (j % 10 === Math.floor(j / 10) % 10 ? 0.91 : 0.01));
    window.cm.p = new window.cm.core.Predictions(labels, probs, 10);
    const { view, p } = window.cm;
    view.fetchExamples = async (r, c) => p.cell(r, c, 24).map((e) => ({ ...e, image: new Float32Array(784) }));
    view.fetchMistakes = async () => p.mistakes(12);
    view.show(p.confusion(), { epoch: 4 });
  });
  await page.waitForFunction(() => document.querySelector('[data-testid="cm-mistakes"]').textContent === '测试集上没有预测错误。');
  assert.equal(await page.getByTestId('cm-6-6').getAttribute('data-value'), '60');
  assert.equal(await page.getByTestId('cm-6-6').getAttribute('aria-pressed'), 'true');
  assert.match(await page.getByTestId('cm-examples').locator('h4').textContent(), /60 张测试图像/);
  await page.getByTestId('language').selectOption('en');
  assert.equal((await rowNames())[9], 'Ankle boot');
  // A new run: back to waiting for its first epoch.
  await page.evaluate(() => window.cm.view.clear());
  assert.equal(await page.getByTestId('confusion').count(), 0);
  assert.ok(await page.getByTestId('cm-examples').isHidden());
  assert.match(await page.getByTestId('cm-summary').textContent(), /^The matrix appears after the first epoch/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('labels and probabilities that do not fit are an error with its sentence', async () => {
  const { page, errors } = await mounted();
  const thrown = await page.evaluate(() => {
    const { core } = window.cm;
    const attempt = (f) => {
      try {
        f();
        return null;
      } catch (e) {
        return { key: e.key, message: e.message };
      }
    };
    return [
      attempt(() => new core.Predictions(new Uint8Array([0, 3]), new Float32Array(6), 3)),
      attempt(() => new core.Predictions(new Uint8Array([0, 1]), new Float32Array(5), 3)),
      attempt(() => new core.Predictions(new Uint8Array([0]), new Float32Array([0.5, NaN]), 2)),
    ];
  });
  assert.deepEqual(thrown, [
    { key: 'confusion.label', message: 'test example 1 has label 3, but there are only 3 classes' },
    { key: 'confusion.lengths', message: '5 probabilities are not 2 test examples × 3 classes' },
    { key: 'check.notFinite', message: "the test set's probabilities: value 1 is NaN, not a finite number" },
  ]);
  // Examples that cannot come (the run was reset meanwhile): the box says why, nothing is thrown.
  await page.evaluate(() => {
    window.cm.view.fetchExamples = async () => {
      throw new Error('the run was reset');
    };
  });
  await page.getByTestId('cm-3-3').click();
  await page.waitForSelector('[data-testid="cm-examples"][data-state="error"]');
  assert.equal(await page.getByTestId('cm-examples').textContent(), 'the run was reset');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the widget’s strings have both languages with the same placeholders; the class names follow the language', async () => {
  const { default: table } = await import('../www/lab/confusion.strings.js');
  const keys = (o) => Object.keys(o).sort();
  assert.deepEqual(keys(table.zh), keys(table.en));
  const ph = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();
  for (const key of keys(table.en)) assert.equal(ph(table.zh[key]), ph(table.en[key]), key);
  assert.ok(keys(table.en).every((k) => k.startsWith('confusion.')));
});
