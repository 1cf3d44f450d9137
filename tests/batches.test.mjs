// End-to-end test of the chapter "batches" (epochs, mini-batches, shuffling): the strip stepped
// batch by batch through an epoch and into the next, each update checked against the mean
// gradient computed here in f64 from the examples the strip shows; then the comparison of full
// batch, mini-batch and single example, its updates per epoch and noise recomputed here.
// Build the site first: scripts/build.sh writes dist/, which the tests serve.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareBrowser, withPage as sharedWithPage } from './lib/harness.mjs';
import { assertTranslated } from './lib/strings.mjs';
import strings from '../www/chapters/batches.strings.js';
import { KEYS, meanLossAndGrad } from './lib/tiny.mjs';

let server;
let browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

const N = 24;
const LR = 0.05;

const withPage = (check) => sharedWithPage(browser, server, check);

/** The strip as shown: batches of examples { index, x1, x2, y } and the current batch. */
async function strip(page) {
  return page.getByTestId('batches-strip').evaluate((s) => ({
    batches: [...s.querySelectorAll('.batches-group')].map((g) =>
      [...g.querySelectorAll('.batches-cell')].map((c) => ({ index: Number(c.dataset.index), x1: Number(c.dataset.x1), x2: Number(c.dataset.x2), y: Number(c.dataset.y) })),
    ),
    current: [...s.querySelectorAll('.batches-group')].findIndex((g) => g.classList.contains('is-current')),
  }));
}

const order = (s) => s.batches.flat().map((e) => e.index);
const isPermutation = (o) => o.length === N && [...o].sort((a, b) => a - b).every((v, i) => v === i);

test('every string of the chapter has a Chinese translation with the same placeholders', () => {
  assertTranslated(strings, { terms: ['轮次', '周期', '小批量', '打乱', '全批量', '随机梯度下降'], same: (key) => key === 'ch.batches.param' });
});

test('the strip: an epoch batch by batch, each update the mean gradient of its batch, then a reshuffled epoch', async () => {
  await withPage(async (page) => {
    await page.locator('#ch-batches').scrollIntoViewIfNeeded();
    assert.match(await page.locator('#ch-batches .intro').nth(1).textContent(), /24 points .*η = 0\.05\./);
    assert.equal(await page.getByTestId('batches-size').inputValue(), '8');
    const first = await strip(page);
    assert.equal(first.batches.length, Math.ceil(N / 8));
    assert.ok(isPermutation(order(first)), `every example once: ${order(first)}`);
    assert.equal(first.current, -1);

    let params = null;
    await page.getByTestId('batches-next').focus();
    for (let b = 0; b < 3; b++) {
      await page.keyboard.press('Enter');
      const now = await strip(page);
      assert.deepEqual(order(now), order(first), 'the order holds within an epoch');
      assert.equal(now.current, b);
      const counter = page.getByTestId('batches-counter');
      assert.equal(await counter.getAttribute('data-epoch'), '1');
      assert.equal(await counter.getAttribute('data-done'), String(b + 1));
      const table = page.getByTestId('batches-update');
      const old = (await table.locator('td[data-old]').evaluateAll((tds) => tds.map((td) => Number(td.dataset.old))));
      const shownNew = (await table.locator('td[data-new]').evaluateAll((tds) => tds.map((td) => Number(td.dataset.new))));
      if (params) assert.deepEqual(old, params, 'each update starts where the last ended');
      const batch = now.batches[b];
      const { loss, grad } = meanLossAndGrad(old, batch);
      const shownLoss = page.getByTestId('batches-loss');
      assert.ok(Math.abs(Number(await shownLoss.getAttribute('data-batch-loss')) - loss) < 1e-5, `batch ${b}: loss ${loss}`);
      assert.match(await shownLoss.textContent(), new RegExp(`\\(8 examples: ${batch.map((e) => e.index).join(', ')}\\)`));
      KEYS.forEach((k, i) => assert.ok(Math.abs(shownNew[i] - (old[i] - LR * grad[i])) < 1e-5, `${k}: ${shownNew[i]} vs ${old[i] - LR * grad[i]}`));
      params = shownNew;
    }
    // The epoch is used up: the next press starts epoch 2 in a new order.
    await page.keyboard.press('Enter');
    const second = await strip(page);
    assert.equal(await page.getByTestId('batches-counter').getAttribute('data-epoch'), '2');
    assert.equal(second.current, 0);
    assert.ok(isPermutation(order(second)));
    assert.notDeepEqual(order(second), order(first), 'reshuffled');
    assert.match(await page.getByTestId('batches-previous').textContent(), new RegExp(first.batches.map((c) => c.map((e) => e.index).join(' ')).join(' \\| ')));

    // B = 5 does not divide 24: ⌈24/5⌉ = 5 batches, the last of 4.
    await page.getByTestId('batches-size').selectOption('5');
    const five = await strip(page);
    assert.deepEqual(five.batches.map((c) => c.length), [5, 5, 5, 5, 4]);
    assert.ok(isPermutation(order(five)));
    assert.equal(await page.getByTestId('batches-counter').getAttribute('data-epoch'), '1');
  });
});

test('full batch, mini-batch, single example: updates per epoch, cost and noise as computed here', async () => {
  await withPage(async (page) => {
    await page.getByTestId('batches-compare-run').click();
    const sizes = [N, 8, 1];
    const noise = [];
    for (let i = 0; i < 3; i++) {
      const fig = page.getByTestId(`batches-run-${i}`);
      const losses = (await fig.getAttribute('data-losses')).split(',').map(Number);
      const epochLosses = (await fig.getAttribute('data-epoch-losses')).split(',').map(Number);
      const updates = Math.ceil(N / sizes[i]);
      assert.equal(Number(await page.getByTestId(`batches-updates-${i}`).getAttribute('data-value')), updates);
      assert.match(await page.getByTestId(`batches-updates-${i}`).textContent(), new RegExp(`^updates per epoch: ${updates} `));
      assert.equal(Number(await page.getByTestId(`batches-cost-${i}`).getAttribute('data-value')), sizes[i]);
      assert.equal(losses.length, (epochLosses.length - 1) * updates);
      let rises = 0;
      for (let k = 1; k < losses.length; k++) if (losses[k] > losses[k - 1]) rises += 1;
      const want = rises / (losses.length - 1);
      const shown = Number(await page.getByTestId(`batches-noise-${i}`).getAttribute('data-value'));
      assert.ok(Math.abs(shown - want) < 1e-6, `run ${i}: noise ${shown} vs ${want}`);
      assert.match(await page.getByTestId(`batches-noise-${i}`).textContent(), new RegExp(`${Math.round(want * 100)}%`));
      assert.ok(epochLosses.at(-1) < epochLosses[0], `run ${i} learned`);
      noise.push(want);
    }
    assert.equal(noise[0], 0, 'full batch: every update lowers the loss');
    assert.ok(noise[2] > noise[0] && noise[1] > noise[0], `noise ${noise}`);
  });
});

test('in Chinese the strip speaks Chinese', async () => {
  await withPage(async (page) => {
    await page.getByTestId('language').selectOption('zh');
    assert.ok((await page.locator('#ch-batches-title').textContent()).endsWith(strings.zh['ch.batches.title']));
    await page.getByTestId('batches-next').click();
    assert.match(await page.getByTestId('batches-counter').textContent(), /第 1 轮，第 1 个批量，共 3 个/);
    assert.match(await page.getByTestId('batches-loss').textContent(), /这个批量上的损失/);
  });
});
