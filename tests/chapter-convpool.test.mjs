// End-to-end tests of the chapters "Convolution" and "Pooling" in headless Chromium (no WebGPU:
// both chapters run on the core's CPU kernels). Each test performs the widget's main interaction
// with the mouse or keyboard and checks what the page then shows against numbers computed here,
// independently, from the values the page shows. Any console error fails the test.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage } from './lib/harness.mjs';
import convStrings from '../www/chapters/convolution.strings.js';
import poolStrings from '../www/chapters/pooling.strings.js';

let server, browser, page, errors;
before(async () => {
  server = await startServer();
  browser = await launch({ webgpu: false });
  ({ page, errors } = await openPage(browser, server.url));
});
// Whatever a test did must not have logged an error or shown the page's error box.
afterEach(async () => {
  if (!page) return;
  assert.deepEqual(errors, []);
  assert.ok(await page.locator('#error').isHidden());
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const byId = (id) => page.getByTestId(id);
const numberOf = async (id) => Number(await byId(id).inputValue());
const select = async (id, value) => byId(id).selectOption(String(value));
/** "110,784" → 110784 (the page writes numbers with the language's grouping). */
const parse = (s) => Number(s.replace(/,/g, ''));

/** Every value shown in a side×side grid of number inputs `${prefix}-r-c`. */
async function grid(prefix, side) {
  return page.evaluate(([prefix, side]) => {
    const out = [];
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) out.push(Number(document.querySelector(`[data-testid="${prefix}-${r}-${c}"]`).value));
    }
    return out;
  }, [prefix, side]);
}

/** The output position the stepper is on, from its sentence "Output row y, column x …". */
async function where(id) {
  const m = (await byId(id).textContent()).match(/row (\d+), column (\d+)/);
  assert.ok(m, 'the stepper names its position');
  return [Number(m[1]), Number(m[2])];
}

test('every string of both chapters has a Chinese translation with the same placeholders', () => {
  for (const table of [convStrings, poolStrings]) {
    assert.deepEqual(Object.keys(table.zh).sort(), Object.keys(table.en).sort());
    for (const [key, en] of Object.entries(table.en)) {
      const holes = (s) => (s.match(/\{\w+\}/g) ?? []).sort();
      assert.deepEqual(holes(table.zh[key]), holes(en), key);
    }
  }
});

test('convolution: the output size follows the stride and padding, with as many cells as it says', async () => {
  await byId('conv-S').scrollIntoViewIfNeeded();
  const [w, f] = [await numberOf('conv-W'), await numberOf('conv-F')];
  for (const p of [0, 1]) {
    await select('conv-P', p);
    for (const s of [2, 3, 4, 1]) {
      await select('conv-S', s);
      const want = Math.floor((w - f + 2 * p) / s) + 1;
      const result = await byId('conv-result').textContent();
      assert.match(result, new RegExp(`= ${want}: the output is ${want}×${want}`), `W=${w} F=${f} P=${p} S=${s}`);
      assert.match(await byId('conv-formula').textContent(), new RegExp(`⌊\\(${w} − ${f} \\+ 2·${p}\\) / ${s}⌋ \\+ 1`));
      assert.equal(await page.locator('[data-testid="conv-output"] > *').count(), want * want);
      // What the floor drops is said when the division leaves a remainder.
      const rest = (w - f + 2 * p) % s;
      assert.equal((await byId('conv-unused').textContent()) !== '', rest > 0, `remainder ${rest}`);
    }
  }
  // A kernel larger than the padded input: no output, and the page says so.
  await select('conv-P', 0);
  await select('conv-W', 3);
  await select('conv-F', 5);
  assert.match(await byId('conv-nofit').textContent(), /does not fit/);
  assert.equal(await page.locator('[data-testid="conv-output"] > *').count(), 0);
  assert.ok(await byId('conv-next').isDisabled());
  await select('conv-F', 3);
  await select('conv-W', 7);
  assert.equal(await byId('conv-nofit').textContent(), '');
});

test('convolution: stepping shows the window, and each output value is the window·kernel sum', async () => {
  await select('conv-W', 7);
  await select('conv-F', 3);
  await select('conv-S', 2);
  await select('conv-P', 1);
  await select('conv-input-preset', 'random');
  await select('conv-kernel-preset', 'random');
  await byId('conv-bias').fill('0.5');

  /** Check the stepper's current position against a sum computed here from the shown numbers. */
  const check = async () => {
    const [W, F, S, P] = await Promise.all(['conv-W', 'conv-F', 'conv-S', 'conv-P'].map(numberOf));
    const x = await grid('conv-in', W);
    const k = await grid('conv-k', F);
    const bias = await numberOf('conv-bias');
    const [y, xx] = await where('conv-where');
    let want = bias;
    for (let u = 0; u < F; u++) {
      for (let v = 0; v < F; v++) {
        const r = y * S + u - P, c = xx * S + v - P;
        if (r >= 0 && c >= 0 && r < W && c < W) want += x[r * W + c] * k[u * F + v];
      }
    }
    const shown = Number(await byId(`conv-out-${y}-${xx}`).getAttribute('data-value'));
    assert.ok(Math.abs(shown - want) < 1e-4, `output (${y}, ${xx}) = ${shown}, window·kernel + b = ${want}`);
    assert.equal(Number(await byId('conv-step-value').getAttribute('data-value')), shown);
    // The highlighted window: F×F cells of the padded input starting at (y·S, x·S).
    const cells = await page.evaluate(() => {
      const all = [...document.querySelectorAll('[data-testid="conv-input"] > .cp-cell')];
      const side = Math.round(Math.sqrt(all.length));
      return all.map((c, i) => (c.classList.contains('win') ? [Math.floor(i / side), i % side] : null)).filter(Boolean);
    });
    assert.equal(cells.length, F * F);
    assert.deepEqual(cells[0], [y * S, xx * S]);
    assert.ok(await byId(`conv-out-${y}-${xx}`).evaluate((b) => b.classList.contains('cur')));
    return { y, xx, shown };
  };

  assert.deepEqual((await check()).y, 0);
  // Keyboard: the arrow keys step (focus on the Next button), as does the button itself.
  await byId('conv-next').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  let at = await check();
  assert.deepEqual([at.y, at.xx], [0, 2]);
  await byId('conv-next').click();
  at = await check();
  assert.deepEqual([at.y, at.xx], [0, 3]);
  // Clicking an output value jumps there (the bottom-right corner hangs over the padding).
  await byId('conv-out-3-3').click();
  at = await check();
  assert.deepEqual([at.y, at.xx], [3, 3]);
  assert.ok((await page.locator('[data-testid="conv-products"] .cp-pad').count()) > 0, 'padding cells are marked in the products');
  // The output grid is one Tab stop; the arrow keys move through it, the window following.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft');
  at = await check();
  assert.deepEqual([at.y, at.xx], [2, 2]);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'conv-out-2-2');

  // Type a new weight into the kernel: the same position is recomputed with it.
  const before = at.shown;
  await byId('conv-k-1-1').fill(String((await numberOf('conv-k-1-1')) + 10));
  at = await check();
  assert.notEqual(at.shown, before);
  assert.equal(await byId('conv-kernel-preset').inputValue(), 'custom');

  // Play walks to the end by itself.
  await select('conv-S', 3);
  await byId('conv-out-0-0').click();
  await byId('conv-play').click();
  await page.waitForFunction(() => /position 9 of 9/.test(document.querySelector('[data-testid="conv-where"]').textContent), null, { timeout: 15_000 });
  await check();
});

test('convolution: with a blur kernel the written products add up to the written sum, and nothing reads −0', async () => {
  await select('conv-W', 7);
  await select('conv-F', 3);
  await select('conv-S', 1);
  await select('conv-P', 0);
  await select('conv-input-preset', 'random');
  await select('conv-kernel-preset', 'blur');
  await byId('conv-bias').fill('0.05');
  const num = (s) => Number(s.replace(/[()]/g, '').replace('\u2212', '-'));
  for (const [y, x] of [[0, 0], [1, 2], [2, 4], [4, 4], [3, 1]]) {
    await byId(`conv-out-${y}-${x}`).click();
    const line = await byId('conv-sum').textContent();
    const d = Number(await byId('conv-sum').getAttribute('data-decimals'));
    const [terms, total] = line.split(': ')[1].split(' = ');
    const units = (v) => Math.round(v * 10 ** d);
    const sum = terms.split(' + ').map(num).reduce((a, v) => a + units(v), 0);
    assert.equal(sum, units(num(total)), `(${y}, ${x}) at ${d} decimals: ${line}`);
    const value = (await byId('conv-step-value').textContent()).match(/^(\S+) \+ bias (\S+) = (\S+):/);
    assert.equal(units(num(value[1])) + units(num(value[2])), units(num(value[3])), await byId('conv-step-value').textContent());
    const zeros = ((line + value[0]).match(/[-\u2212]\d+(?:\.\d+)?/g) ?? []).filter((v) => num(v) === 0);
    assert.deepEqual(zeros, [], 'no −0');
  }
});

test('convolution: kernel depth = input depth, one map per kernel, F·F·C_in·C_out + C_out parameters', async () => {
  await byId('conv-cin').scrollIntoViewIfNeeded();
  for (const [cin, cout] of [[2, 4], [1, 1], [4, 6]]) {
    await select('conv-cin', cin);
    await select('conv-cout', cout);
    const F = await numberOf('conv-F');
    const want = F * F * cin * cout + cout;
    const text = await byId('conv-params').textContent();
    assert.match(text, new RegExp(`= ${F}·${F}·${cin}·${cout} \\+ ${cout} = `));
    assert.equal(parse(text.split('= ').pop()), want, text);
    assert.match(await byId('conv-depth').textContent(), new RegExp(`${F}×${F}×${cin}: its depth, ${cin}`));
    assert.equal(await page.locator('[data-testid="conv-channels"] canvas[data-testid^="conv-ch-in-"]').count(), cin);
    assert.equal(await page.locator('[data-testid="conv-channels"] .cp-kernel-row').count(), cout);
    assert.equal(await byId('conv-ch-kernel-0').locator('canvas').count(), cin, 'each kernel has one slice per input channel');
    assert.equal(await page.locator('[data-testid="conv-channels"] canvas[data-testid^="conv-ch-out-"]').count(), cout);
  }
});

test('pooling: max and average of a window, the winner marked; the output size follows the stride', async () => {
  await byId('pool-kind').scrollIntoViewIfNeeded();
  await select('pool-W', 6);
  await select('pool-F', 2);
  await select('pool-S', 2);
  const W = 6, F = 2;
  assert.match(await byId('pool-result').textContent(), /= 3: the output is 3×3/);
  const x = await grid('pool-in', W);
  const windowAt = (y, xx, S) => {
    const out = [];
    for (let u = 0; u < F; u++) for (let v = 0; v < F; v++) out.push(x[(y * S + u) * W + xx * S + v]);
    return out;
  };
  await byId('pool-out-1-2').click();
  assert.deepEqual(await where('pool-where'), [1, 2]);
  const win = windowAt(1, 2, 2);
  const max = Math.max(...win);
  assert.equal(Number(await byId('pool-out-1-2').getAttribute('data-value')), max);
  assert.match(await byId('pool-step').textContent(), new RegExp(`^max\\(${win.join(', ')}\\) = ${max}`));
  const winner = await page.evaluate(() => {
    const all = [...document.querySelectorAll('[data-testid="pool-input"] > .cp-cell')];
    return all.filter((c) => c.classList.contains('winner')).map((c) => Number(c.querySelector('input').value));
  });
  assert.deepEqual(winner, [max], 'exactly one cell, holding the max, is marked');

  await select('pool-kind', 'avg');
  const mean = win.reduce((a, b) => a + b, 0) / win.length;
  assert.equal(Number(await byId('pool-out-1-2').getAttribute('data-value')), mean);
  assert.deepEqual(await where('pool-where'), [1, 2], 'switching keeps the position');
  assert.match(await byId('pool-step').textContent(), new RegExp(`^\\(${win.join(' \\+ ')}\\) / 4 = `));
  assert.equal(await page.locator('[data-testid="pool-input"] .winner').count(), 0);

  // Overlapping windows: stride 1 gives ⌊(6 − 2)/1⌋ + 1 = 5 per side; check a cell of each kind.
  await select('pool-S', 1);
  assert.match(await byId('pool-result').textContent(), /= 5: the output is 5×5/);
  assert.equal(await page.locator('[data-testid="pool-output"] > *').count(), 25);
  const w2 = windowAt(3, 1, 1);
  assert.equal(Number(await byId('pool-out-3-1').getAttribute('data-value')), w2.reduce((a, b) => a + b, 0) / 4);
  await select('pool-kind', 'max');
  assert.equal(Number(await byId('pool-out-3-1').getAttribute('data-value')), Math.max(...w2));
});

test('receptive field: three stacked 3×3 see 7×7 with 3·(9C² + C) parameters against 49C² + C', async () => {
  await byId('rf-k').scrollIntoViewIfNeeded();
  await select('rf-k', 3);
  for (const C of [64, 128]) {
    await select('rf-C', C);
    assert.equal(await byId('rf-formula').getAttribute('data-rf'), '7');
    assert.equal(await byId('rf-formula').textContent(), 'rf = 1 + (3 − 1)·1 + (3 − 1)·1 + (3 − 1)·1 = 7');
    const stacked = await byId('rf-stacked').textContent();
    const single = await byId('rf-single').textContent();
    assert.equal(parse(stacked.match(/= ([\d,]+) parameters/)[1]), 3 * (9 * C * C + C), stacked);
    assert.equal(parse(single.match(/= ([\d,]+) parameters/)[1]), 49 * C * C + C, single);
    assert.match(single, /^One 7×7/);
  }
  // The figure: from the input, regions 7, 5, 3 and the one output pixel; one 7×7 reads 7×7.
  const sizes = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid^="rf-region-0-"]')].map((r) => Number(r.getAttribute('data-size'))));
  assert.deepEqual(sizes, [7, 5, 3, 1]);
  assert.equal(await byId('rf-region-1-0').getAttribute('data-size'), '7');
  // k = 1..4 grow the field 3, 5, 7, 9.
  for (const k of [1, 2, 4]) {
    await select('rf-k', k);
    assert.equal(await byId('rf-formula').getAttribute('data-rf'), String(2 * k + 1));
  }
  // The strides multiply: stride 2 in the first of 4 layers gives 1 + 2 + 4 + 4 + 4 = 15.
  assert.match(await byId('rf-stride').textContent(), /= 15\.$/);
});

test('the grids are one Tab stop each, so the chapters stay quick to cross with the keyboard', async () => {
  const stops = await page.evaluate(() =>
    ['#ch-convolution', '#ch-pooling'].map((id) =>
      [...document.querySelectorAll(`${id} button, ${id} select, ${id} input`)].filter((e) => e.tabIndex >= 0 && !e.disabled).length));
  assert.ok(stops[0] <= 20 && stops[1] <= 16, `tab stops: ${stops}`);
  // Inside a grid of inputs the arrows move between cells.
  await byId('pool-in-0-0').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'pool-in-1-1');
});

test('both chapters re-render in Chinese and back', async () => {
  const langTo = (code) => page.evaluate(async (code) => {
    const i18n = await import('/www/i18n.js');
    i18n.setLanguage(code);
    for (const id of ['convolution', 'pooling']) (await import(`/www/chapters/${id}.js`)).refresh();
  }, code);
  await langTo('zh');
  assert.match(await byId('conv-result').textContent(), /输出为/);
  assert.match(await byId('rf-stacked').textContent(), /个参数/);
  assert.match(await byId('conv-next').textContent(), /下一步/);
  await langTo('en');
  assert.match(await byId('conv-result').textContent(), /the output is/);
});
