// Chapter "Batch normalisation": γ and β moved, training and evaluation mode, the running
// statistics stepped with a momentum, and the short run of a deep network with and without batch
// norm. Every number the chapter shows is checked against values computed here from the raw
// activations the chapter exposes (the canvases' data-values), not taken from the core.
// Build the site first: scripts/build.sh writes dist/, which the tests serve.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareBrowser, withPage as sharedWithPage } from './lib/harness.mjs';
import { assertTranslated } from './lib/strings.mjs';
import strings from '../www/chapters/batchnorm.strings.js';

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

const withPage = (check) => sharedWithPage(browser, server, check);

const EPS = 1e-5;
/** Every number in a text, the typographic minus read as '-' and thousands separators dropped. */
const numbers = (text) => (text.replace(/−/g, '-').replace(/(\d),(\d{3})/g, '$1$2').match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
const near = (got, want, tol, what) => assert.ok(Math.abs(got - want) <= tol, `${what}: shows ${got}, expected ${want}`);
const stats = (xs) => {
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  return { mean, variance: xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length };
};
const values = async (page, id) => JSON.parse(await page.getByTestId(id).getAttribute('data-values'));

test('every string has a Chinese translation with the same placeholders', () => {
  assertTranslated(strings);
  assert.match(strings.zh['bn.heading'], /批量归一化/);
  assert.match(strings.zh['bn.eval'], /评估模式/);
  assert.match(strings.zh['bn.train'], /训练模式/);
  assert.match(strings.zh['bn.momentum'], /动量/);
  assert.match(strings.zh['bn.running'], /运行均值/);
});

test('γ = 2, β = 1 in training mode: the output has mean β and variance γ²·σ²/(σ² + ε), its histogram counts every value', async () => {
  await withPage(async (page) => {
    await page.locator('#batchnorm').scrollIntoViewIfNeeded();
    const x = await values(page, 'bn-before');
    assert.equal(x.length, 8 * 26 * 26);
    const before = stats(x);
    const [bm, bv] = numbers(await page.getByTestId('bn-before-stats').textContent());
    near(bm, before.mean, 0.0006, 'input mean');
    near(bv, before.variance, 0.0006, 'input variance');
    await page.getByTestId('bn-gamma').fill('2');
    await page.getByTestId('bn-beta').fill('1');
    assert.equal(await page.getByTestId('bn-gamma-value').textContent(), '2.0');
    const [am, av] = numbers(await page.getByTestId('bn-after-stats').textContent());
    near(am, 1, 0.0006, 'output mean');
    near(av, (4 * before.variance) / (before.variance + EPS), 0.0006, 'output variance');
    // The shown values themselves: y = γ·(x − μ)/√(σ² + ε) + β.
    const y = await values(page, 'bn-after');
    const inv = 1 / Math.sqrt(before.variance + EPS);
    y.forEach((v, i) => near(v, 2 * (x[i] - before.mean) * inv + 1, 1e-4, `y[${i}]`));
    const counts = (await page.getByTestId('bn-after').getAttribute('data-counts')).split(',').map(Number);
    assert.equal(counts.length, 24);
    assert.equal(counts.reduce((s, c) => s + c, 0), y.length);
    // Bin k holds the values in [lo + k·w, lo + (k+1)·w), the maximum in the last; counted here
    // in the core's single precision (Math.fround), as the activations are f32 and many sit on an edge.
    const f = Math.fround;
    const y32 = y.map(f);
    const lo = Math.min(...y32), hi = Math.max(...y32), w = f(f(hi - lo) / 24);
    const mine = Array(24).fill(0);
    for (const v of y32) mine[Math.min(23, Math.floor(f(f(v - lo) / w)))]++;
    assert.deepEqual(counts, mine);
  });
});

test('evaluation mode uses the running statistics; a step moves them by the momentum rule', async () => {
  await withPage(async (page) => {
    await page.locator('#batchnorm').scrollIntoViewIfNeeded();
    const x0 = await values(page, 'bn-before');
    const s0 = stats(x0);
    await page.getByTestId('bn-mode-eval').check();
    assert.equal(await page.getByTestId('bn-after').getAttribute('data-mode'), 'eval');
    // Before any training step the running statistics are PyTorch's start, mean 0 and variance 1.
    let [steps, rm, rv] = numbers(await page.getByTestId('bn-running').textContent());
    assert.deepEqual([steps, rm, rv], [0, 0, 1]);
    let [am] = numbers(await page.getByTestId('bn-after-stats').textContent());
    near(am, s0.mean / Math.sqrt(1 + EPS), 0.0006, 'eval mean at step 0');
    // One step with momentum 0.1: running ← 0.9·running + 0.1·batch (the unbiased variance).
    await page.getByTestId('bn-step').click();
    const m = x0.length;
    [steps, rm, rv] = numbers(await page.getByTestId('bn-running').textContent());
    assert.equal(steps, 1);
    near(rm, 0.1 * s0.mean, 0.0006, 'running mean');
    near(rv, 0.9 + (0.1 * s0.variance * m) / (m - 1), 0.0006, 'running variance');
    // The next batch is shown, normalised in evaluation mode with those running statistics.
    const x1 = await values(page, 'bn-before');
    assert.notDeepEqual(x1, x0);
    const exact = { rm: Number(await page.getByTestId('bn-running').getAttribute('data-running-mean')), rv: Number(await page.getByTestId('bn-running').getAttribute('data-running-var')) };
    const y1 = await values(page, 'bn-after');
    y1.forEach((v, i) => near(v, (x1[i] - exact.rm) / Math.sqrt(exact.rv + EPS), 1e-4, `eval y[${i}]`));
    [am] = numbers(await page.getByTestId('bn-after-stats').textContent());
    near(am, stats(y1).mean, 0.0006, 'eval mean after a step');
    // Momentum 1 keeps only the last batch: after one step the running mean is batch 1's mean.
    await page.getByTestId('bn-momentum').fill('1');
    [steps, rm] = numbers(await page.getByTestId('bn-running').textContent());
    assert.equal(steps, 0, 'a new momentum starts the running statistics again');
    await page.getByTestId('bn-step').click();
    [steps, rm, rv] = numbers(await page.getByTestId('bn-running').textContent());
    near(rm, s0.mean, 0.0006, 'running mean with momentum 1');
    near(rv, (s0.variance * m) / (m - 1), 0.0006, 'running variance with momentum 1');
    // Many steps at momentum 0.1: the evaluation output settles near mean β = 0.
    await page.getByTestId('bn-momentum').fill('0.1');
    for (let i = 0; i < 5; i++) await page.getByTestId('bn-step10').click();
    [steps] = numbers(await page.getByTestId('bn-running').textContent());
    assert.equal(steps, 50);
    [am] = numbers(await page.getByTestId('bn-after-stats').textContent());
    assert.ok(Math.abs(am) < 0.3, `the eval mean after 50 steps is ${am}`);
  });
});

test('in Chinese the chapter says 训练模式, 评估模式 and 运行均值 with the same numbers', async () => {
  await withPage(async (page) => {
    await page.getByTestId('bn-step').click();
    const en = numbers(await page.getByTestId('bn-running').textContent());
    await page.getByTestId('language').selectOption('zh');
    const zh = await page.getByTestId('bn-running').textContent();
    assert.match(zh, /运行均值/);
    assert.deepEqual(numbers(zh), en);
    assert.match(await page.locator('#batchnorm h2').textContent(), /批量归一化/);
    assert.match(await page.getByTestId('bn-after-stats').textContent(), /训练模式/);
  });
});

test('a short run of the 20-layer network with and without batch norm draws both losses, and batch norm ends lower', async () => {
  await withPage(async (page) => {
    await page.locator('#batchnorm').scrollIntoViewIfNeeded();
    await page.getByTestId('bn-run').click();
    assert.ok(await page.getByTestId('bn-stop').isEnabled());
    await page.waitForFunction(() => document.querySelector('[data-testid="bn-run-result"]').dataset.with, null, { timeout: 600_000 });
    const result = page.getByTestId('bn-run-result');
    const withBn = Number(await result.getAttribute('data-with'));
    const withoutBn = Number(await result.getAttribute('data-without'));
    assert.ok(Number.isFinite(withBn) && withBn < 2.3, `with batch norm the loss fell below chance: ${withBn}`);
    const points = (await page.getByTestId('bn-chart').getAttribute('data-points')).split(',').map(Number);
    assert.equal(points[0], 15, 'a report every 4 steps for 60 steps');
    const text = await result.textContent();
    assert.ok(text.includes(withBn.toFixed(3)), text);
    if (Number.isFinite(withoutBn)) assert.ok(withBn < withoutBn, `with ${withBn}, without ${withoutBn}`);
    else assert.match(text, /failed/);
    assert.ok(await page.getByTestId('bn-run').isEnabled());
    assert.deepEqual(await page.getByTestId('bn-legend').locator('li').allTextContents(), ['with batch norm', 'without batch norm']);
  });
});
