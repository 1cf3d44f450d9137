// Chapter "Dropout": p moved, a step's mask read back unit by unit, "next step", and training
// against evaluation mode. The kept count, every kept value x/(1 − p), the sums and the
// comparison of two passes are checked against values computed here from the inputs shown.
// Build the site first: scripts/build.sh writes dist/, which the tests serve.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareBrowser, withPage as sharedWithPage } from './lib/harness.mjs';
import { assertTranslated } from './lib/strings.mjs';
import strings from '../www/chapters/dropout.strings.js';

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

const withPage = (check) => sharedWithPage(browser, server, check);

const UNITS = 20;
const numbers = (text) => (text.replace(/−/g, '-').match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
const near = (got, want, tol, what) => assert.ok(Math.abs(got - want) <= tol, `${what}: shows ${got}, expected ${want}`);

/** One row of the table: each unit's value, whether it was kept, and the text shown. */
async function row(page, name) {
  return page.evaluate(([name, n]) => Array.from({ length: n }, (_, i) => {
    const td = document.querySelector(`[data-testid="do-${name}-${i}"]`);
    return { value: Number(td.dataset.value), kept: td.dataset.kept === 'true', text: td.textContent };
  }), [name, UNITS]);
}

test('every string has a Chinese translation with the same placeholders', () => {
  assertTranslated(strings);
  assert.match(strings.zh['do.heading'], /随机失活/);
  assert.match(strings.zh['do.heading'], /丢弃法/);
  assert.match(strings.zh['do.eval'], /评估模式/);
});

test('training mode at p = 0.3: the kept units are x/(1 − p), the rest 0, and the count is shown', async () => {
  await withPage(async (page) => {
    await page.locator('#dropout').scrollIntoViewIfNeeded();
    await page.getByTestId('do-p').fill('0.3');
    assert.equal(await page.getByTestId('do-p-value').textContent(), '0.30');
    const input = (await row(page, 'in')).map((u) => u.value);
    assert.ok(input.every((x) => x > 0));
    const a = await row(page, 'a');
    const kept = a.filter((u) => u.kept).length;
    assert.ok(kept > 0 && kept < UNITS, `${kept} kept`);
    a.forEach((u, i) => {
      if (u.kept) {
        near(u.value, input[i] / 0.7, 1e-5, `unit ${i}`);
        assert.equal(u.text, (input[i] / 0.7).toFixed(2), `unit ${i} as written`);
      } else assert.equal(u.value, 0, `dropped unit ${i}`);
    });
    // "12 of 20 units kept at the first of the two steps, each multiplied by 1/(1 − 0.30) = 1.429; …"
    const shown = numbers(await page.getByTestId('do-kept').textContent());
    const [shownKept, n, p, scale, rest] = [shown[0], shown[1], shown.at(-3), shown.at(-2), shown.at(-1)];
    assert.equal(rest, 0, 'the others are 0');
    assert.deepEqual([shownKept, n, p], [kept, UNITS, 0.3]);
    near(scale, 1 / 0.7, 0.0005, '1/(1 − p)');
    const [inSum, outSum] = numbers(await page.getByTestId('do-sums').textContent());
    near(inSum, input.reduce((s, x) => s + x, 0), 0.005, 'sum of inputs');
    near(outSum, a.reduce((s, u) => s + u.value, 0), 0.005, 'sum of outputs');
    // The same input passed at the next step: another mask, so some units differ.
    const b = await row(page, 'b');
    const differ = a.filter((u, i) => u.value !== b[i].value).length;
    assert.ok(differ > 0);
    assert.equal(numbers(await page.getByTestId('do-compare').textContent())[0], differ);
    // "Next step": what was the second pass is now the first.
    await page.getByTestId('do-next').click();
    assert.deepEqual(await row(page, 'a'), b);
  });
});

test('evaluation mode gives the input itself, identical on both passes', async () => {
  await withPage(async (page) => {
    await page.locator('#dropout').scrollIntoViewIfNeeded();
    await page.getByTestId('do-mode-eval').check();
    const input = (await row(page, 'in')).map((u) => u.value);
    const [a, b] = [await row(page, 'a'), await row(page, 'b')];
    assert.deepEqual(a.map((u) => u.value), input);
    assert.deepEqual(b.map((u) => u.value), input);
    assert.ok(a.every((u) => u.kept));
    assert.equal(await page.getByTestId('do-compare').getAttribute('data-differ'), '0');
    assert.match(await page.getByTestId('do-compare').textContent(), /identical/);
    // Back to training: the two passes differ again.
    await page.getByTestId('do-mode-train').check();
    assert.notEqual(await page.getByTestId('do-compare').getAttribute('data-differ'), '0');
    await page.getByTestId('language').selectOption('zh');
    assert.match(await page.locator('#dropout h2').textContent(), /随机失活/);
    assert.match(await page.getByTestId('do-compare').textContent(), /不同/);
  });
});
