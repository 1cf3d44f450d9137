// The training lab, end to end on the CPU path: the textbook's run (one epoch of it: 235 steps
// of d2l's LeNet on Fashion-MNIST) ending with the book's lines and a confusion matrix that adds
// up; a small training set that overfits, with validation and the weights watched; two runs
// compared; transfer learning with frozen convolutions; the learner's drawings as the data; a
// schedule, MSE and weight decay; and a setting that cannot train, said and survived. (The full
// ten epochs are a benchmark: bench/lab-d2l.mjs.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareBrowser, withPage as sharedWithPage } from './lib/harness.mjs';

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

const withPage = (check) => sharedWithPage(browser, server, check);

const byId = (page, id) => page.getByTestId(id);
/** Wait until run `n` of the list has `status` (done, failed…). */
const runStatus = (page, n, status, timeout = 150_000) => page.waitForSelector(`[data-testid="lab-run"][data-run="${n}"][data-status="${status}"]`, { timeout });
/** The lab's runs as the page keeps them (curves, learning rates, settings). */
const runs = (page) => page.evaluate(async () => (await import('./www/chapters/lab.js')).handle().runs.map((r) => ({ ...r, plan: r.plan })));
const split = (page) => page.$$eval('[data-testid^="lab-split-"]', (els) => Object.fromEntries(els.map((e) => [e.dataset.testid.slice(10), Number(e.dataset.value)])));
const firstKernels = (page) => byId(page, 'lab-kernels').getAttribute('data-first');
/** The kernels run `n` showed first (after its first chunk), as the display writes them. */
const startKernels = async (page, n) => (await runs(page))[n - 1].firstKernels.map((v) => v.toFixed(5)).join(',');

test("the textbook's run: d2l's preset, the book's lines, and a confusion matrix that adds up", () =>
  withPage(async (page) => {
    await byId(page, 'preset-d2l').click();
    assert.equal(await byId(page, 'dataset').inputValue(), 'fashion-mnist');
    assert.deepEqual(
      await Promise.all(['lab-network', 'lab-activation', 'lab-init', 'lab-optimizer', 'lab-lr', 'lab-batch', 'lab-epochs'].map((id) => byId(page, id).inputValue())),
      ['lenet-d2l', 'sigmoid', 'xavier', 'sgd', '0.9', '256', '10'],
    );
    // One of the book's ten epochs: 235 steps of 256.
    await byId(page, 'lab-epochs').fill('1');
    await byId(page, 'lab-start').click();
    await runStatus(page, 1, 'done');
    assert.deepEqual(await split(page), { train: 60000, test: 10000 });
    const summary = byId(page, 'train-summary');
    const lines = await byId(page, 'lab-book-lines').textContent();
    const m = lines.match(/^loss (\d\.\d{3}), train acc (\d\.\d{3}), test acc (\d\.\d{3})\n(\d+\.\d) examples\/sec on cpu$/);
    assert.ok(m, lines);
    const data = await summary.evaluate((e) => ({ ...e.dataset }));
    assert.equal(Number(data.loss).toFixed(3), m[1]);
    assert.equal(Number(data.trainAcc).toFixed(3), m[2]);
    assert.equal(Number(data.testAcc).toFixed(3), m[3]);
    assert.equal(data.examplesPerSec, m[4]);
    assert.ok(Number(data.examplesPerSec) > 0);
    const [run] = await runs(page);
    assert.equal(run.train.at(-1)[0], 1, 'the run stops at the end of its epoch');
    assert.ok(run.train.at(-1)[1] < run.train[0][1], `the loss fell: ${run.train[0][1]} → ${run.train.at(-1)[1]}`);
    assert.match(await byId(page, 'lab-book-figures').textContent(), /loss 0\.477, train acc 0\.820, test acc 0\.795, 8004\.2 examples\/sec on cpu/);

    // The confusion matrix of the test set: 10,000 examples, its diagonal the test accuracy.
    const cells = await page.$$eval('[data-testid^="cm-"][data-value]', (els) => els.map((e) => [e.dataset.testid, Number(e.dataset.value)]));
    assert.equal(cells.length, 100);
    assert.equal(cells.reduce((s, [, v]) => s + v, 0), 10000);
    const diagonal = cells.filter(([id]) => /^cm-(\d)-\1$/.test(id)).reduce((s, [, v]) => s + v, 0);
    assert.ok(Math.abs(diagonal / 10000 - Number(data.testAcc)) < 1e-6, `${diagonal} correct of 10,000, test acc ${data.testAcc}`);
    assert.match(await byId(page, 'confusion').textContent(), /Ankle boot/);
    // The largest mistake: its images, at most 24, each predicted as that column.
    const [id, count] = cells.filter(([c]) => !/^cm-(\d)-\1$/.test(c)).sort((a, b) => b[1] - a[1])[0];
    await byId(page, id).click();
    await page.waitForSelector('[data-testid="cm-examples"][data-state="ready"]');
    assert.equal(await page.getByTestId('cm-example').count(), Math.min(24, count));
    assert.ok((await page.getByTestId('cm-mistake').count()) > 0);
  }));

test('a small training set overfits: validation per epoch, the split, the kernels and gradients watched, two runs compared', () =>
  withPage(async (page) => {
    await byId(page, 'preset-overfit').click();
    await byId(page, 'lab-epochs').fill('6');
    await byId(page, 'lab-start').click();
    await runStatus(page, 1, 'done');
    const kernelsAtStart = await startKernels(page, 1);
    // 500 of the 8,000 training digits train; 20% of the 8,000 (1,600) validate; 2,000 test.
    assert.deepEqual(await split(page), { train: 500, validation: 1600, test: 2000 });
    let [run] = await runs(page);
    assert.equal(run.val.length, 7, 'one validation score before training and one per epoch');
    assert.deepEqual(run.val.map((v) => Math.round(v[0])), [0, 1, 2, 3, 4, 5, 6]);
    const lastTrain = run.perEpoch.at(-1).loss, lastVal = run.val.at(-1)[1];
    assert.ok(lastTrain < lastVal, `training loss ${lastTrain} below validation loss ${lastVal}: the gap of overfitting`);
    assert.notEqual(await firstKernels(page), kernelsAtStart, 'the first kernels changed as they learned');
    assert.equal(await page.getByTestId('lab-kernel').count(), 6);
    const norms = (await byId(page, 'lab-grad-norms').getAttribute('data-points')).split(',').map(Number);
    assert.equal(norms.length, 5, 'a gradient norm for each layer with weights');
    assert.ok(norms.every((n) => n > 2), norms.join());

    // A second run that differs in the learning rate only, the first overlaid on it.
    await byId(page, 'lab-lr').fill('0.01');
    await byId(page, 'lab-start').click();
    await runStatus(page, 2, 'done');
    await page.locator('[data-testid="lab-run"][data-run="1"] [data-testid="lab-run-compare"]').check();
    assert.equal(await byId(page, 'lab-curves').getAttribute('data-compared'), '1');
    assert.equal(await byId(page, 'lab-legend').locator('li').last().textContent(), 'run 1: lr 0.002 vs lr 0.01');
    [, run] = await runs(page);
    assert.equal(run.config.seed, 1, 'the fixed seed');
  }));

test('transfer learning: the digit LeNet with frozen convolutions keeps its kernels; from scratch they change', () =>
  withPage(async (page) => {
    await byId(page, 'preset-transfer').click();
    await byId(page, 'lab-epochs').fill('1');
    await byId(page, 'lab-start').click();
    await runStatus(page, 1, 'done');
    const before = await startKernels(page, 1);
    assert.equal(await byId(page, 'lab-freeze-0').isChecked(), true);
    assert.equal(await byId(page, 'lab-freeze-3').isChecked(), true);
    assert.equal(await byId(page, 'lab-freeze-7').isChecked(), false);
    assert.equal(await firstKernels(page), before, 'frozen: not one weight of the first convolution moved');
    const transfer = Number(await byId(page, 'train-summary').getAttribute('data-test-acc'));
    assert.ok(transfer > 0.5, `the digit features classify clothes: ${transfer}`);

    await byId(page, 'preset-scratch').click();
    await byId(page, 'lab-epochs').fill('1');
    await byId(page, 'lab-start').click();
    await runStatus(page, 2, 'done');
    assert.notEqual(await firstKernels(page), await startKernels(page, 2), 'from scratch, the first convolution learns');
    // Unfreezing is a switch too: it takes effect on the next step of the run.
    await byId(page, 'preset-transfer').click();
    await byId(page, 'lab-epochs').fill('2');
    await byId(page, 'lab-start').click();
    await page.waitForSelector('[data-testid="lab-freeze-0"]:checked');
    await byId(page, 'lab-freeze-0').uncheck();
    await runStatus(page, 3, 'done');
    const r = (await runs(page))[2];
    assert.deepEqual(r.frozen, [3]);
  }));

test("the learner's drawings are the training set, tested on the digits", () =>
  withPage(async (page) => {
    await byId(page, 'lab-drawings-box').locator('summary').click();
    for (const label of ['3', '5', '7']) {
      await byId(page, 'drawings-label').selectOption(label);
      await byId(page, 'drawings-sample').click();
      await byId(page, 'drawings-add').click();
    }
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="drawing-item"]').length === 3);
    await byId(page, 'dataset').selectOption('mine');
    await byId(page, 'lab-validation').fill('0');
    await byId(page, 'lab-epochs').fill('3');
    await byId(page, 'lab-batch').selectOption('32');
    await byId(page, 'lab-start').click();
    await runStatus(page, 1, 'done');
    assert.deepEqual(await split(page), { train: 3, test: 2000 });
    const [run] = await runs(page);
    assert.equal(run.perEpoch.length, 3);
  }));

test('StepLR halves the rate each epoch, MSE and weight decay train, and a rate of 0 is refused and said', () =>
  withPage(async (page) => {
    await byId(page, 'lab-train-size').selectOption('500');
    await byId(page, 'lab-schedule').selectOption('step');
    await byId(page, 'lab-step-size').fill('1');
    await byId(page, 'lab-gamma').fill('0.5');
    await byId(page, 'lab-loss').selectOption('mse');
    await byId(page, 'lab-weight-decay').selectOption('0.001');
    await byId(page, 'lab-optimizer').selectOption('sgd');
    await byId(page, 'lab-dropout').selectOption('0.2');
    await byId(page, 'lab-lr').fill('0.2');
    await byId(page, 'lab-epochs').fill('3');
    await byId(page, 'lab-start').click();
    await runStatus(page, 1, 'done');
    // Dropout after each hidden dense layer (after its activation), none after the last.
    const line = await byId(page, 'lab-network-line').textContent();
    assert.equal(line.match(/Dropout\(p=0\.2\)/g)?.length, 2, line);
    assert.match(line, /Dropout\(p=0\.2\) → Dense 10/);
    const [run] = await runs(page);
    const rateIn = (e) => run.lr.find((p) => p[0] >= e && p[0] < e + 1)[1];
    assert.deepEqual([rateIn(0), rateIn(1), rateIn(2)].map((v) => Number(v.toPrecision(3))), [0.2, 0.1, 0.05]);
    assert.ok(run.train.at(-1)[1] < run.train[0][1], 'the MSE loss fell');
    assert.ok(run.train.at(-1)[1] < 0.1, `MSE on one-hot targets starts near 0.1: ${run.train.at(-1)[1]}`);

    await byId(page, 'lab-lr').fill('0');
    await byId(page, 'lab-start').click();
    await runStatus(page, 2, 'failed');
    assert.match(await byId(page, 'lab-status').textContent(), /learning rate must be a positive number/);
    // The lab goes on: a good setting trains again.
    await byId(page, 'lab-lr').fill('0.2');
    await byId(page, 'lab-epochs').fill('1');
    await byId(page, 'lab-start').click();
    await runStatus(page, 3, 'done');
  }));
