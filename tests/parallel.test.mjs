// Data parallelism (issue 15, crate::parallel, www/worker-pool.js, chapter "Every core"): the
// lab's run gives the same losses on one worker and on two (the shards, the weights and the
// gradients crossing real Web Workers); the chapter shows a step's shards covering the batch, and
// each worker's part adding up to the sum the update used — checked here from the numbers shown.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareBrowser, withPage as sharedWithPage } from './lib/harness.mjs';
import strings from '../www/chapters/parallel.strings.js';

let server;
let browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

const withPage = (check, workers) => sharedWithPage(browser, server, check, { query: `backend=cpu&workers=${workers}` });

/** The lab's d2l run on 500 digits, 2 epochs at batch 64: its training and test points. */
async function labRun(page) {
  await page.locator('#lab').scrollIntoViewIfNeeded();
  await page.getByTestId('preset-d2l').click();
  await page.getByTestId('dataset').selectOption('mnist');
  await page.getByTestId('lab-train-size').selectOption('500');
  await page.getByTestId('lab-batch').selectOption('64');
  await page.getByTestId('lab-epochs').fill('2');
  await page.getByTestId('lab-start').click();
  await page.waitForSelector('[data-testid="lab-run"][data-status="done"]', { timeout: 300_000 });
  return page.evaluate(async () => {
    const r = (await import('./www/chapters/lab.js')).handle().runs.at(-1);
    return { test: r.test, parallel: r.parallel };
  });
}

test('two workers train the lab’s run as one does: the same test loss after each epoch', async () => {
  let one;
  await withPage(async (page) => {
    one = await labRun(page);
  }, 1);
  await withPage(async (page) => {
    const two = await labRun(page);
    assert.equal(two.parallel.workers, 2, 'the run was split between two workers');
    assert.equal(one.parallel.workers, 1);
    assert.equal(two.test.length, one.test.length);
    two.test.forEach(([epochs, loss, acc], i) => {
      assert.equal(epochs, one.test[i][0]);
      assert.ok(Math.abs(loss - one.test[i][1]) <= 1e-4, `epoch ${epochs}: test loss ${loss} on two workers, ${one.test[i][1]} on one`);
      assert.ok(Math.abs(acc - one.test[i][2]) <= 0.002, `epoch ${epochs}: accuracy ${acc} vs ${one.test[i][2]}`);
    });
    assert.ok(two.test.at(-1)[1] < two.test[0][1], 'and it learned');
  }, 2);
});

/** The step the chapter shows: shards, rows of [loss, norm, samples…] and the sum's. */
const shown = (page) =>
  page.evaluate(() => {
    const row = (tr) => [...tr.querySelectorAll('td[data-value]')].map((td) => Number(td.dataset.value));
    return {
      shards: [...document.querySelectorAll('[data-testid^="par-shard-"]')].map((s) => [Number(s.dataset.lo), Number(s.dataset.hi)]),
      rows: [...document.querySelectorAll('[data-testid^="par-row-"]:not([data-testid="par-row-sum"])')].map(row),
      sum: row(document.querySelector('[data-testid="par-row-sum"]')),
      title: document.querySelector('[data-testid="par-step-title"]').textContent,
    };
  });

test('the chapter shows a step: the shards cover the batch, the workers’ parts add up to the sum', () =>
  withPage(async (page) => {
    await page.locator('#parallel').scrollIntoViewIfNeeded();
    assert.equal(await page.getByTestId('par-workers').inputValue(), '2');
    await page.waitForFunction(() => !document.querySelector('[data-testid="par-play"]').disabled, null, { timeout: 60_000 });
    // The teacher's space bar: the chapter's play button (presenter mode).
    await page.getByTestId('presenter').click();
    await page.locator('#parallel h2').evaluate((h) => {
      h.tabIndex = -1;
      h.focus();
    });
    await page.keyboard.press(' ');
    await page.waitForSelector('[data-testid="par-step"]:not([hidden])', { timeout: 60_000 });
    const s = await shown(page);
    const n = s.shards.at(-1)[1];
    assert.match(s.title, new RegExp(`batch of ${n} digits on 2 workers`));
    assert.deepEqual(s.shards, [[0, n / 2], [n / 2, n]], 'two equal shards, in order');
    assert.equal(s.rows.length, 2);
    // loss: each shard's mean; the batch's is their mean weighted by the shards' sizes.
    const sizes = s.shards.map(([lo, hi]) => hi - lo);
    const loss = s.rows.reduce((a, r, k) => a + (r[0] * sizes[k]) / n, 0);
    assert.ok(Math.abs(loss - s.sum[0]) <= 1e-5 * Math.max(1, loss), `batch loss ${s.sum[0]}, shards' weighted mean ${loss}`);
    // Each gradient entry shown: the workers' weighted parts add up to the sum's.
    for (let i = 2; i < s.sum.length; i++) {
      const parts = s.rows.reduce((a, r) => a + r[i], 0);
      assert.ok(Math.abs(parts - s.sum[i]) <= 1e-6 + 1e-5 * Math.abs(s.sum[i]), `entry ${i - 2}: parts ${parts}, sum ${s.sum[i]}`);
    }
    // The sum's length is at most the parts' lengths added (the triangle inequality), at least their difference.
    assert.ok(s.sum[1] <= s.rows[0][1] + s.rows[1][1] + 1e-6);
    const speed = page.getByTestId('par-speed');
    await page.waitForFunction(() => document.querySelector('[data-testid="par-speed"]').dataset.workers === '2');
    assert.match(await speed.textContent(), /^2 workers: [\d,]+ digits\/s/);
    // One worker: the whole batch on one core, and the chapter says so.
    await page.getByTestId('par-workers').selectOption('1');
    assert.equal(await page.getByTestId('par-step').isHidden(), true);
    assert.match(await page.getByTestId('par-status').textContent(), /One worker/);
    await page.waitForFunction(() => document.querySelector('[data-testid="par-speed"]').dataset.workers === '1', null, { timeout: 30_000 });
    await page.keyboard.press(' ');
  }, 2));

test('every string has a Chinese translation with the same placeholders', () => {
  const holes = (x) => [...x.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  assert.deepEqual(Object.keys(strings.zh).sort(), Object.keys(strings.en).sort());
  for (const [key, en] of Object.entries(strings.en)) {
    assert.deepEqual(holes(strings.zh[key]), holes(en), key);
    assert.notEqual(strings.zh[key], en, `${key} is not translated`);
  }
  for (const term of ['数据并行', '工作线程', '分片']) assert.ok(Object.values(strings.zh).some((x) => x.includes(term)), term);
});
