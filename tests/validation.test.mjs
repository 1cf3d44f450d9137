// End-to-end tests of the chapter "validation": the split, k-fold cross-validation for k = 3, 5
// and 10, and the test set scored once. The test picks k and checks what the page then shows
// against its own arithmetic: fold sizes that differ by at most one and sum to the points, each
// model trained on the rest, each score = right / held out, the mean of the k scores.
// Build the site first: scripts/build.sh writes dist/, which the tests serve.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareBrowser, withPage as sharedWithPage } from './lib/harness.mjs';
import { assertTranslated } from './lib/strings.mjs';
import strings from '../www/chapters/validation.strings.js';

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

/** A number as the page writes it: "85%", "1,000", "85.3 %". */
const parse = (s) => Number(String(s).replace(/[%\s,\u00a0]/g, ''));

const withPage = (check) => sharedWithPage(browser, server, check, { scrollTo: '#ch-validation' });

test('every string has a Chinese translation with the same placeholders', () => {
  assertTranslated(strings, { terms: ['验证集', '交叉验证', 'K 折交叉验证', '测试集'] });
});

test('k-fold: for k = 3, 5 and 10 the folds partition the 100 points, and the mean shown is the mean of the k scores', () =>
  withPage(async (page) => {
    // The split: 100 for training and validation, 20 for the test set.
    const split = await page.$$eval('[data-testid="val-split"] .val-seg', (s) => s.map((e) => Number(e.dataset.size)));
    assert.deepEqual(split, [100, 20]);
    for (const k of [3, 10, 5]) {
      await page.getByTestId('val-k').selectOption(String(k));
      const rows = page.locator('[data-testid^="val-fold-row-"]');
      assert.equal(await rows.count(), k);
      let scores = [];
      for (let i = 1; i <= k; i++) {
        // Row i: k segments, the i-th held out; sizes differ by at most one and sum to 100.
        const sizes = await rows.nth(i - 1).locator('.val-seg').evaluateAll((s) => s.map((e) => Number(e.dataset.size)));
        assert.equal(sizes.length, k);
        assert.equal(sizes.reduce((a, b) => a + b, 0), 100, `k = ${k}, row ${i}`);
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `k = ${k}: ${sizes}`);
        const held = await rows.nth(i - 1).locator('.val-seg.held').evaluateAll((s) => s.map((e) => Number(e.dataset.size)));
        assert.deepEqual(held, [sizes[i - 1]], `row ${i} holds out fold ${i}`);
        // The table: trained on the rest, validated on the fold, score = right / fold.
        const cell = async (what) => parse(await page.getByTestId(`val-${what}-${i}`).textContent());
        const [trained, validated, right, score] = [await cell('train-size'), await cell('val-size'), await cell('correct'), await cell('score')];
        assert.equal(validated, sizes[i - 1]);
        assert.equal(trained + validated, 100);
        assert.ok(right >= 0 && right <= validated);
        assert.ok(Math.abs(score - (100 * right) / validated) <= 0.05 + 1e-9, `k = ${k}, model ${i}: ${score}% vs ${right}/${validated}`);
        scores.push(right / validated);
      }
      const mean = (100 * scores.reduce((a, b) => a + b, 0)) / k;
      const shownMean = parse(await page.getByTestId('val-mean-cell').textContent());
      assert.ok(Math.abs(shownMean - mean) <= 0.05 + 1e-9, `k = ${k}: mean shown ${shownMean}, computed ${mean}`);
      const sentence = await page.getByTestId('val-mean').textContent();
      assert.ok(sentence.includes(`k = ${k}`), sentence);
      assert.ok(sentence.includes(await page.getByTestId('val-mean-cell').textContent()), sentence);
    }
  }));

test('picking a model shows its held-out fold in the plane, with the count of its table row', () =>
  withPage(async (page) => {
    assert.equal(await page.getByTestId('val-scatter').getAttribute('data-selected'), '1');
    await page.getByTestId('val-pick-2').click();
    assert.equal(await page.getByTestId('val-scatter').getAttribute('data-selected'), '2');
    assert.equal(await page.getByTestId('val-pick-2').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.getByTestId('val-pick-1').getAttribute('aria-pressed'), 'false');
    const caption = await page.getByTestId('val-caption').textContent();
    const right = parse(await page.getByTestId('val-correct-2').textContent());
    const n = parse(await page.getByTestId('val-val-size-2').textContent());
    assert.ok(caption.startsWith('Model 2'), caption);
    assert.ok(caption.includes(`${right} of ${n}`), caption);
  }));

test('the test set is scored once: the button stays pressed and the score stays', () =>
  withPage(async (page) => {
    const button = page.getByTestId('val-test');
    assert.equal(await page.getByTestId('val-test-score').textContent(), '');
    await button.click();
    assert.ok(await button.isDisabled());
    const text = await page.getByTestId('val-test-score').textContent();
    const score = parse(text.match(/(\d+(?:\.\d+)?)\s*%/)[1]);
    // 20 test points: the score is a multiple of 5%.
    assert.equal(score % 5, 0, text);
    assert.ok(score >= 50 && score <= 100, text);
    await page.getByTestId('val-k').selectOption('10');
    assert.ok(await button.isDisabled());
    assert.equal(await page.getByTestId('val-test-score').textContent(), text);
  }));

test('the chapter reads in Chinese', () =>
  withPage(async (page) => {
    await page.getByTestId('language').selectOption('zh');
    assert.match(await page.locator('#ch-validation h2').textContent(), /交叉验证/);
    assert.match(await page.getByTestId('val-table').textContent(), /验证集准确率/);
    assert.match(await page.getByTestId('val-mean').textContent(), /平均值/);
    assert.match(await page.locator('#ch-validation').textContent(), /K 折交叉验证/);
  }));
