// End-to-end test of the chapter "init" (weight initialisation): the 2-2-1 network started with
// equal weights and stepped by backprop, its two hidden units checked against backprop computed
// here in f64; then the deep network's per-layer histograms under He, the too-small Gaussian and
// Xavier, with counts and standard deviations checked against what the page shows.
// Build the site first: scripts/build.sh writes dist/, which the tests serve.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareBrowser, withPage as sharedWithPage } from './lib/harness.mjs';
import { assertTranslated } from './lib/strings.mjs';
import strings from '../www/chapters/init.strings.js';
import { meanLossAndGrad, meanStep } from './lib/tiny.mjs';

let server;
let browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

/** A number as the page writes it (Intl, possibly with a minus sign or grouping). */
const parse = (s) => Number(String(s).trim().replace(/[−–]/g, '-').replace(/,/g, ''));

/** The 24 points the symmetry demo learns, as the batches chapter's strip shows them. */
const points = (page) =>
  page.getByTestId('batches-strip').locator('.batches-cell').evaluateAll((cells) =>
    cells.map((c) => ({ index: Number(c.dataset.index), x1: Number(c.dataset.x1), x2: Number(c.dataset.x2), y: Number(c.dataset.y) })).sort((a, b) => a.index - b.index),
  );

const withPage = (check) => sharedWithPage(browser, server, check);

/** The units' table as shown: rows [w from x₁, w from x₂, bias, w out], unit 1 and unit 2. */
async function units(page) {
  const rows = [];
  for (let r = 0; r < 4; r++) {
    const row = page.getByTestId(`init-row-${r}`);
    const cell = (u) => row.locator(`td[data-unit="${u}"]`);
    rows.push({ u1: await cell(1).textContent(), u2: await cell(2).textContent(), v1: Number(await cell(1).getAttribute('data-value')), v2: Number(await cell(2).getAttribute('data-value')) });
  }
  return rows;
}

test('every string of the chapter has a Chinese translation with the same placeholders', () => {
  assertTranslated(strings, { same: (key) => ['ch.init.sigmoid', 'ch.init.tanh', 'ch.init.relu'].includes(key) });
  assert.match(strings.zh['ch.init.title'], /权重初始化/);
});

test('equal weights: after steps of backprop the two hidden units are still equal, as backprop computed here says', async () => {
  await withPage(async (page) => {
    await page.locator('#ch-init').scrollIntoViewIfNeeded();
    assert.equal(await page.getByTestId('init-start').inputValue(), 'equal');
    // w11, w12, w13, w14, w21, w22, b1, b2, b3
    let p = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0, 0, 0];
    const data = await points(page);
    assert.equal(data.length, 24);
    const start = await units(page);
    assert.deepEqual(start.map((r) => [r.v1, r.v2]), [[0.5, 0.5], [0.5, 0.5], [0, 0], [0.5, 0.5]]);
    // Before any step the sameness is a question, not yet the alarm it becomes after steps.
    const verdict = page.getByTestId('init-verdict');
    assert.match(await verdict.textContent(), /start identical/);
    assert.equal(await verdict.evaluate((v) => v.classList.contains('is-stuck')), false);
    const intro = await page.locator('#ch-init .intro').nth(1).textContent();
    assert.match(intro, /η = 0\.5/);
    // Three steps with the keyboard.
    await page.getByTestId('init-step').focus();
    for (let k = 0; k < 3; k++) {
      await page.keyboard.press('Enter');
      p = meanStep(p, data, 0.5);
    }
    assert.equal(await page.getByTestId('init-status').getAttribute('data-steps'), '3');
    const shown = await units(page);
    const want = [[p[0], p[1]], [p[2], p[3]], [p[6], p[7]], [p[4], p[5]]];
    shown.forEach((r, i) => {
      assert.equal(r.u1, r.u2, `row ${i}: units shown ${r.u1} and ${r.u2}`);
      assert.equal(r.v1, r.v2, `row ${i}: the same bits`);
      assert.ok(Math.abs(parse(r.u1) - want[i][0]) < 1e-4, `row ${i}: shown ${r.u1}, backprop here ${want[i][0]}`);
      assert.equal(want[i][0], want[i][1], 'the f64 units are equal too');
    });
    assert.notEqual(shown[0].v1, 0.5, 'the weights did move');
    const loss = Number(await page.getByTestId('init-status').getAttribute('data-loss'));
    assert.ok(Math.abs(loss - meanLossAndGrad(p, data).loss) < 1e-5, `the mean loss on the 24 points: shown ${loss}`);
    assert.equal(await page.getByTestId('init-verdict').getAttribute('data-gap'), '0');
    assert.equal(await verdict.evaluate((v) => v.classList.contains('is-stuck')), true, 'after 3 steps: the alarm');
    // Ten more: still identical.
    await page.getByTestId('init-step10').click();
    const later = await units(page);
    later.forEach((r) => assert.equal(r.v1, r.v2));
    // Thirteen steps in, the loss still falls and every step still moves the weights: no
    // gradient shown as 0.0000.
    const grads = await page.getByTestId('init-units').locator('tbody td:nth-child(4), tbody td:nth-child(5)').allTextContents();
    assert.equal(grads.length, 8);
    for (const g of grads) assert.doesNotMatch(g, /^[−-]?0\.0000$/, `gradient shown as ${g}`);
    assert.match(await page.getByTestId('init-verdict').textContent(), /13/);

    // A random start: the units differ from the first step on, and the gap shown is theirs.
    await page.getByTestId('init-start').selectOption('random');
    assert.equal(await page.getByTestId('init-status').getAttribute('data-steps'), '0');
    await page.getByTestId('init-step10').click();
    const random = await units(page);
    const gap = Math.max(...random.map((r) => Math.abs(r.v1 - r.v2)));
    assert.ok(gap > 0.01, `units ${JSON.stringify(random)}`);
    assert.ok(Math.abs(Number(await page.getByTestId('init-verdict').getAttribute('data-gap')) - gap) < 1e-6);
    assert.ok((await page.getByTestId('init-verdict').textContent()).includes(gap.toFixed(4)));
  });
});

test('deep network: He keeps ReLU alive, N(0, 0.01²) kills it; every histogram counts units × batch', async () => {
  await withPage(async (page) => {
    await page.locator('#ch-init .init-grid').scrollIntoViewIfNeeded();
    const intro = await page.locator('#ch-init .intro').nth(2).textContent();
    assert.match(intro, /10 dense layers of 100 units/);
    assert.match(intro, /200 random inputs/);
    const layers = async () => {
      const out = [];
      for (let l = 1; l <= 10; l++) {
        const fig = page.getByTestId(`init-layer-${l}`);
        const counts = (await fig.locator('canvas').getAttribute('data-counts')).split(',').map(Number);
        const cap = fig.locator('figcaption');
        out.push({ counts, std: Number(await cap.getAttribute('data-std')), signal: Number(await cap.getAttribute('data-signal')), caption: await cap.textContent() });
      }
      return out;
    };
    const summary = page.getByTestId('init-deep-summary');
    const check = async (init, act, verdict) => {
      await page.getByTestId('init-scheme').selectOption(init);
      await page.getByTestId('init-act').selectOption(act);
      const ls = await layers();
      for (const l of ls) {
        assert.equal(l.counts.length, 20);
        assert.equal(l.counts.reduce((a, b) => a + b, 0), 100 * 200, `${init} ${act}: counts sum to units × batch`);
      }
      // The verdict from the last layer's signal over the first's: alive within [1/5, 5].
      const ratio = ls[9].signal / ls[0].signal;
      assert.ok(Math.abs(Number(await summary.getAttribute('data-ratio')) - ratio) <= 1e-6 * Math.max(1e-30, ratio), `${init} ${act}: ${ratio}`);
      assert.equal(ratio < 0.2 ? 'dying' : ratio > 5 ? 'growing' : 'alive', verdict, `${init} ${act}: ratio ${ratio}`);
      assert.equal(await summary.getAttribute('data-verdict'), verdict);
      return ls;
    };
    const he = await check('he', 'relu', 'alive');
    assert.ok(he[9].std / he[0].std > 0.5 && he[9].std / he[0].std < 2);
    assert.match(he[0].caption, /std/);
    const small = await check('gaussian:0.01', 'relu', 'dying');
    assert.ok(small[9].std < 1e-6 * small[0].std, `${small[0].std} → ${small[9].std}`);
    // The collapsed layers: every value in the first bin (the range is shared with layer 1).
    assert.equal(small[9].counts[0], 100 * 200);
    await check('xavier', 'tanh', 'alive');
    // Sigmoid under the small Gaussian: every value of the last layer within a bin of 0.5.
    const sig = await check('gaussian:0.01', 'sigmoid', 'dying');
    assert.equal(sig[9].counts[9] + sig[9].counts[10], 100 * 200);
    // Xavier with ReLU halves the variance at every layer.
    await check('xavier', 'relu', 'dying');
  });
});

test('in Chinese the chapter speaks Chinese', async () => {
  await withPage(async (page) => {
    await page.getByTestId('language').selectOption('zh');
    assert.ok((await page.locator('#ch-init-title').textContent()).endsWith(strings.zh['ch.init.title']));
    await page.getByTestId('init-step').click();
    assert.match(await page.getByTestId('init-verdict').textContent(), /两个单元仍然逐位完全相同/);
    assert.match(await page.getByTestId('init-deep-summary').textContent(), /信号逐渐消失/);
    assert.match(await page.getByTestId('init-layer-1').locator('figcaption').textContent(), /标准差/);
  });
});
