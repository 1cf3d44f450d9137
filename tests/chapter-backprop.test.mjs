// The chapter "Backprop in a CNN, for the classroom" and the language switch, in Chromium (the CPU
// path: nothing here uses the GPU). Presenter mode is tested in classroom.test.mjs. Any console
// error fails the test that caused it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, draw, shareBrowser } from './lib/harness.mjs';
import { STYLES } from './lib/strokes.mjs';

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

async function withPage(check) {
  const { page, errors } = await openPage(browser, `${server.url}?backend=cpu`);
  try {
    await check(page);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
}

/** A number as the page writes it (a real minus sign). */
const parse = (s) => Number(s.trim().replace('\u2212', '-').replace(/,/g, ''));

test('a backprop step: the loss, every layer going backwards with what it did, and an update of −η·gradient', () =>
  withPage(async (page) => {
    await draw(page, STYLES.upright[3]);
    await page.getByTestId('bp-label').selectOption('5');
    await page.getByTestId('bp-lr').selectOption('0.001');
    assert.equal(await page.getByTestId('bp-label').inputValue(), '5');
    await page.getByTestId('bp-forward').click();
    const status = await page.getByTestId('bp-status').textContent();
    const m = status.match(/L = −log p\(5\) = −log ([\d.]+) = ([\d.]+)\./);
    assert.ok(m, status);
    assert.ok(Math.abs(-Math.log(Number(m[1])) - Number(m[2])) < 2e-3 * Number(m[2]) + 1e-3, status);
    // ∂L/∂logits = softmax − one-hot: its entries sum to zero, the label's is negative.
    const logits = (await page.getByTestId('bp-logits').locator('td[data-value]').evaluateAll((tds) => tds.map((td) => Number(td.dataset.value))));
    assert.equal(logits.length, 10);
    assert.ok(Math.abs(logits.reduce((a, b) => a + b, 0)) < 1e-3 && logits[5] < 0, String(logits));
    assert.ok(await page.getByTestId('bp-update').isDisabled(), 'no update before the backward pass is done');
    // Back one layer at a time, from layer 11 to layer 0, each saying what its backward did.
    for (let i = 11; i >= 0; i--) {
      await page.getByTestId('bp-back').click();
      assert.equal(await page.getByTestId(`bp-layer-${i}`).count(), 1, `layer ${i} shown`);
      assert.ok((await page.getByTestId(`bp-story-${i}`).textContent()).length > 40, `layer ${i} has its sentence`);
    }
    assert.match(await page.getByTestId('bp-story-11').textContent(), /∂L\/∂logits = softmax − one-hot/);
    assert.match(await page.getByTestId('bp-story-10').textContent(), /^ReLU .*: \d+ of 84 values reach layer 9/);
    assert.match(await page.getByTestId('bp-story-5').textContent(), /^Max pooling .*\d+ of 1600 values of layer 4 receive some/);
    assert.ok(await page.getByTestId('bp-back').isDisabled());
    // The conv layers show one gradient image per kernel and input channel.
    assert.equal(await page.getByTestId('bp-kernels-0').locator('canvas').count(), 6);
    assert.equal(await page.getByTestId('bp-kernels-3').locator('canvas').count(), 96);
    await page.getByTestId('bp-update').click();
    const rows = await page.locator('[data-testid^="bp-update-"]').evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset, cells: [...tr.children].map((td) => td.textContent) })));
    assert.equal(rows.length, 10);
    for (const r of rows) {
      const [b, g, a] = [Number(r.before), Number(r.grad), Number(r.after)];
      assert.ok(Math.abs(a - (b - 0.001 * g)) <= 1e-6 * (1 + Math.abs(b) + Math.abs(g)), `${r.testid}: ${a} vs ${b} − 0.001·${g}`);
      // Written in plain decimals, before and after told apart.
      assert.notEqual(r.cells[2], r.cells[4], `${r.testid}: ${r.cells.join(' | ')}`);
      assert.ok(r.cells.every((c) => !/\de[+-]?\d/i.test(c)), `no E-notation: ${r.cells.join(' | ')}`);
    }
    // The same drawing through the new weights: the loss of label 5 fell.
    const after = (await page.getByTestId('bp-status').textContent()).match(/the loss went from ([\d.]*\d) to ([\d.]*\d)/);
    assert.ok(after && parse(after[2]) < parse(after[1]), await page.getByTestId('bp-status').textContent());
  }));

test('gradient norms vanish through eight sigmoid layers and not through ReLU', () =>
  withPage(async (page) => {
    await draw(page, STYLES.upright[0]);
    await page.getByTestId('bp-norms-run').click();
    const norms = page.getByTestId('bp-norms');
    const sig = (await norms.getAttribute('data-sigmoid')).split(',').map(Number);
    const relu = (await norms.getAttribute('data-relu')).split(',').map(Number);
    assert.equal(sig.length, 9);
    assert.ok(sig[0] < sig[8] * 1e-3, `sigmoid: ${sig}`);
    assert.ok(relu[0] > relu[8] * 0.1, `relu: ${relu}`);
    assert.match(await page.getByTestId('bp-norms-text').textContent(), /sigmoid \S+, ReLU \S+/);
  }));

test('the language switch turns every string to 简体中文, is remembered, and switches back', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const ready = async () => page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.goto(`${server.url}?backend=cpu`);
  await ready();
  // The chapter's number is its place on the path (chapters are added before it over time).
  const trainHeading = `${await page.$$eval('main > section.chapter', (all) => all.findIndex((s) => s.id === 'train') + 1)} Train LeNet in your browser`;
  assert.equal(await page.locator('#train-heading').textContent(), trainHeading);
  await page.getByTestId('language').selectOption('zh');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hans');
  const zh = await page.locator('#train-heading').textContent();
  assert.match(zh, /LeNet/);
  assert.doesNotMatch(zh, /Train|browser/);
  assert.match(await page.locator('label:has(#lr) span').first().textContent(), /学习率/);
  assert.match(await page.locator('#ch-convolution-title').textContent(), /卷积/);
  // Code-written text follows too: the layer table's caption and the table of contents.
  assert.match(await page.locator('#layer-caption').textContent(), /61,706|61706/);
  assert.doesNotMatch(await page.locator('#layer-caption').textContent(), /parameters/);
  assert.match(await page.locator('#toc').textContent(), /卷积/);
  // The core's sentences follow too: layer labels in the layer table, the step-through view and
  // the gallery, a gallery row that does not add up, and why a model file was refused.
  const tableText = await page.locator('#layer-table').textContent();
  assert.match(tableText, /卷积层 6@5×5/);
  assert.doesNotMatch(tableText, /Conv2d|Dense|MaxPool/);
  await draw(page, STYLES.upright[3]);
  const layersText = await page.locator('#layers-view').textContent();
  assert.match(layersText, /全连接层 120/);
  assert.doesNotMatch(layersText, /Conv2d|Dense|MaxPool|Flatten/);
  await page.getByTestId('gallery-select').selectOption('zfnet-mistake');
  const galleryText = await page.getByTestId('gallery-table').textContent();
  assert.match(galleryText, /需要 9,216 个输入，却收到 6,400 个/);
  assert.match(galleryText, /注释写的是 \(N, 96, 55, 55\)，但实际尺寸是 \(N, 96, 54, 54\)/);
  assert.doesNotMatch(galleryText, /expects|claimed|MaxPool2d/);
  const shipped = Buffer.from(await (await fetch(new URL('www/models/lenet-mnist.cnn', server.url))).arrayBuffer());
  await page.getByTestId('model-load').setInputFiles({ name: 'half.cnn', mimeType: 'application/octet-stream', buffer: shipped.subarray(0, shipped.length >> 1) });
  const refused = page.getByTestId('model-message');
  await refused.filter({ hasText: /half\.cnn/ }).waitFor();
  assert.match(await refused.textContent(), /无法加载 half\.cnn：.*文件不完整.*当前模型保持不变/);
  // The refusal follows a change of language, the core's reason included.
  await page.getByTestId('language').selectOption('en');
  assert.match(await refused.textContent(), /^Could not load half\.cnn: the file is truncated: .*The current model is unchanged\.$/);
  await page.getByTestId('language').selectOption('zh');
  // Remembered across visits.
  await page.reload();
  await ready();
  assert.equal(await page.getByTestId('language').inputValue(), 'zh');
  assert.match(await page.locator('#ch-convolution-title').textContent(), /卷积/);
  await page.getByTestId('language').selectOption('en');
  assert.equal(await page.locator('#train-heading').textContent(), trainHeading);
  assert.deepEqual(errors, []);
  await context.close();
});
