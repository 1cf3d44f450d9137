// End-to-end tests of chapters 1, 2 and 4 (the neuron, activations, losses): each moves a slider
// or picks from a select — with the keyboard where a presenter would — and checks the numbers the
// chapter shows against values computed here, independently of the core.
// Build the site first: scripts/build.sh writes dist/, which the tests serve (scripts/test.sh runs it).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, canvasDigest } from './lib/harness.mjs';

/** Every number in a text, with the typographic minus read as '-'. */
const numbers = (text) => (text.replace(/−/g, '-').match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
/** The last number in an element's text (the result of a formula). */
const lastNumber = async (page, testid) => numbers(await page.getByTestId(testid).textContent()).at(-1);
const near = (got, want, tol, what) => assert.ok(Math.abs(got - want) <= tol, `${what}: shows ${got}, expected ${want}`);

const sigmoid = (z) => 1 / (1 + Math.exp(-z));
const ACT = {
  relu: (z) => Math.max(0, z),
  sigmoid,
  tanh: Math.tanh,
  'leaky-relu': (z) => (z > 0 ? z : 0.01 * z),
};

let server, browser, page, errors;
before(async () => {
  server = await startServer();
  browser = await launch({ webgpu: false });
  ({ page, errors } = await openPage(browser, server.url));
});
after(async () => {
  await browser?.close();
  server?.stop();
});

describe('chapter 1: the neuron', () => {
  const values = async () => {
    const get = (id) => page.getByTestId(id).inputValue().then(Number);
    return {
      x: await Promise.all([1, 2, 3].map((i) => get(`neuron-x${i}`))),
      w: await Promise.all([1, 2, 3].map((i) => get(`neuron-w${i}`))),
      b: await get('neuron-b'),
      act: await page.getByTestId('neuron-activation').inputValue(),
    };
  };
  const expected = ({ x, w, b, act }) => {
    const z = x.reduce((s, xi, i) => s + xi * w[i], 0) + b;
    return { z, a: ACT[act](z) };
  };

  test('shows the formula with the starting numbers filled in', async () => {
    const formula = await page.getByTestId('neuron-formula').textContent();
    assert.equal(formula, 'a = ReLU(0.50·1.20 + (−0.30)·0.80 + 0.80·(−0.40) + 0.10) = ReLU(0.14) = 0.14');
    assert.equal(await page.getByTestId('neuron-drawing').locator('text', { hasText: 'w3 = −0.40' }).count(), 1);
  });

  test('moving w₁ changes z and a as the formula says', async () => {
    await page.getByTestId('neuron-w1').fill('1.9');
    const v = await values();
    assert.equal(v.w[0], 1.9);
    const { z, a } = expected(v);
    near(await lastNumber(page, 'neuron-z'), z, 0.006, 'z');
    near(await lastNumber(page, 'neuron-a'), a, 0.006, 'a');
    assert.match(await page.getByTestId('neuron-formula').textContent(), /^a = ReLU\(0\.50·1\.90 \+/);
    assert.equal(await page.getByTestId('neuron-w1-value').textContent(), '1.90');
  });

  test('the bias moves with the arrow keys, and ReLU outputs 0 below zero', async () => {
    const before = expected(await values());
    await page.getByTestId('neuron-b').focus();
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowLeft');
    const v = await values();
    near(v.b, -1.4, 1e-9, 'bias after 30 steps of 0.05 down from 0.10');
    const { z, a } = expected(v);
    near(z, before.z - 1.5, 1e-9, 'z fell by 1.5');
    assert.ok(z < 0, 'z is negative');
    near(await lastNumber(page, 'neuron-z'), z, 0.006, 'z');
    assert.equal(a, 0);
    assert.equal(await page.getByTestId('neuron-a').textContent(), 'Output a = 0.00');
  });

  test('every activation gives h(z) of the same sum', async () => {
    await page.getByTestId('neuron-b').fill('0.3');
    for (const act of ['sigmoid', 'tanh', 'leaky-relu', 'relu']) {
      await page.getByTestId('neuron-activation').selectOption(act);
      const v = await values();
      const { z, a } = expected(v);
      near(await lastNumber(page, 'neuron-a'), a, 0.006, `${act}(${z})`);
    }
    await page.getByTestId('neuron-activation').selectOption('sigmoid');
    assert.match(await page.getByTestId('neuron-formula').textContent(), /^a = sigmoid\(/);
  });
});

describe('chapter 2: activations', () => {
  const setX = (x) => page.getByTestId('act-x').fill(String(x));
  const read = async () => ({
    f: await lastNumber(page, 'act-fx'),
    d: await lastNumber(page, 'act-dfx'),
    saturated: (await page.getByTestId('act-sat').getAttribute('data-saturated')) === 'true',
  });

  test("sigmoid at x = 0: f = 0.5, f' = 0.25, and 0.25ⁿ through n layers", async () => {
    await page.getByTestId('act-fn').selectOption('sigmoid');
    await setX(0);
    const r = await read();
    near(r.f, 0.5, 5e-4, 'sigmoid(0)');
    near(r.d, 0.25, 5e-5, "sigmoid'(0)");
    assert.equal(r.saturated, false);
    await page.getByTestId('act-n').fill('5');
    near(await lastNumber(page, 'act-chain'), 0.25 ** 5, 1e-6, '0.25^5');
  });

  test('the arrow keys move x, and sigmoid saturates far from 0', async () => {
    await page.getByTestId('act-x').focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await page.getByTestId('act-x').inputValue(), '1');
    let r = await read();
    const s = sigmoid(1);
    near(r.f, s, 5e-4, 'sigmoid(1)');
    near(r.d, s * (1 - s), 5e-5, "sigmoid'(1)");
    await setX(4.5);
    r = await read();
    near(r.d, sigmoid(4.5) * (1 - sigmoid(4.5)), 5e-5, "sigmoid'(4.5)");
    assert.equal(r.saturated, true);
    assert.match(await page.getByTestId('act-sat').textContent(), /saturated: f′ < 0\.1/);
  });

  test("tanh, ReLU and leaky ReLU: f and f' where the chapter says", async () => {
    const before = await canvasDigest(page, 'act-plot');
    await page.getByTestId('act-fn').selectOption('tanh');
    assert.notEqual(await canvasDigest(page, 'act-plot'), before, 'the plot changed');
    await setX(0);
    near((await read()).d, 1, 5e-5, "tanh'(0)");
    await setX(3.5);
    let r = await read();
    near(r.f, Math.tanh(3.5), 5e-4, 'tanh(3.5)');
    near(r.d, 1 - Math.tanh(3.5) ** 2, 5e-5, "tanh'(3.5)");
    assert.ok(r.saturated);
    await page.getByTestId('act-fn').selectOption('relu');
    await setX(-2);
    r = await read();
    assert.deepEqual([r.f, r.d, r.saturated], [0, 0, true]);
    await setX(2);
    r = await read();
    assert.deepEqual([r.f, r.d, r.saturated], [2, 1, false]);
    await page.getByTestId('act-fn').selectOption('leaky-relu');
    await setX(-2);
    r = await read();
    near(r.f, -0.02, 5e-4, 'leaky(−2)');
    near(r.d, 0.01, 5e-5, "leaky'(−2)");
    assert.match(await page.getByTestId('act-note').textContent(), /small slope/);
  });
});

describe('chapter 4: losses', () => {
  test('MSE: (ŷ − y)² and 2(ŷ − y) for the dragged prediction', async () => {
    await page.getByTestId('mse-target').fill('-0.5');
    await page.getByTestId('mse-pred').fill('1');
    near(await lastNumber(page, 'mse-loss'), 2.25, 5e-4, 'L');
    near(await lastNumber(page, 'mse-grad'), 3, 5e-4, 'dL/dŷ');
    const before = await canvasDigest(page, 'mse-plot');
    await page.getByTestId('mse-pred').focus();
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowLeft'); // 1 − 40·0.05 = −1
    near(await lastNumber(page, 'mse-loss'), 0.25, 5e-4, 'L at ŷ = −1');
    near(await lastNumber(page, 'mse-grad'), -1, 5e-4, 'dL/dŷ at ŷ = −1');
    assert.notEqual(await canvasDigest(page, 'mse-plot'), before, 'the plot changed');
  });

  const readCe = async () => {
    const z = await Promise.all([0, 1, 2, 3].map((k) => page.getByTestId(`ce-z${k}`).inputValue().then(Number)));
    const p = await Promise.all([0, 1, 2, 3].map((k) => lastNumber(page, `ce-p${k}`)));
    const g = await Promise.all([0, 1, 2, 3].map((k) => lastNumber(page, `ce-g${k}`)));
    const truth = Number(await page.getByTestId('ce-true').inputValue());
    return { z, p, g, truth, loss: await lastNumber(page, 'ce-loss'), sum: await lastNumber(page, 'ce-sum') };
  };
  const check = (r) => {
    const e = r.z.map((v) => Math.exp(v - Math.max(...r.z)));
    const s = e.reduce((a, b) => a + b);
    e.forEach((ek, k) => {
      near(r.p[k], ek / s, 6e-4, `p${k}`);
      near(r.g[k], ek / s - (k === r.truth), 6e-4, `dL/dz${k}`);
    });
    near(r.loss, -Math.log(e[r.truth] / s), 6e-4, 'loss');
    near(r.sum, 0, 1e-9, 'the gradient sums to 0');
    near(r.g.reduce((a, b) => a + b), 0, 3e-3, 'the shown gradients sum to 0');
  };

  test('cross-entropy: softmax, −log p_true and p − onehot, as computed here', async () => {
    check(await readCe());
  });

  test('raising the true class’s logit lowers the loss and raises p_true', async () => {
    const before = await readCe();
    assert.equal(before.truth, 1);
    await page.getByTestId('ce-z1').focus();
    for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowRight'); // +1.5
    const after = await readCe();
    near(after.z[1], before.z[1] + 1.5, 1e-9, 'z1');
    assert.ok(after.loss < before.loss, `loss ${before.loss} → ${after.loss}`);
    assert.ok(after.p[1] > before.p[1], `p1 ${before.p[1]} → ${after.p[1]}`);
    check(after);
    assert.match(await page.getByTestId('ce-predicted').textContent(), /class 1.*\(right\)/);
  });

  test('choosing another true class moves the loss and the −1 of the gradient', async () => {
    await page.getByTestId('ce-true').selectOption('3');
    const r = await readCe();
    assert.equal(r.truth, 3);
    check(r);
    assert.ok(r.g[3] < 0 && r.g.slice(0, 3).every((g) => g > 0), 'only the true class is pushed up');
    assert.equal(await page.getByTestId('ce-true-3').textContent(), '★ true');
    assert.equal(await page.getByTestId('ce-true-1').textContent(), '');
  });
});

test('the chapters switch to Chinese and keep their numbers', async () => {
  await page.evaluate(async () => {
    const i18n = await import('./www/i18n.js');
    i18n.setLanguage('zh');
    for (const id of ['neuron', 'activations', 'losses']) (await import(`./www/chapters/${id}.js`)).refresh();
  });
  assert.equal(await page.locator('#ch-losses h3').first().textContent(), '均方误差（回归）');
  assert.match(await page.getByTestId('neuron-a').textContent(), /^输出 a = /);
  assert.match(await page.getByTestId('act-sat').textContent(), /饱和/);
  assert.match(await page.getByTestId('ce-predicted').textContent(), /类别 1/);
  near(await lastNumber(page, 'mse-loss'), 0.25, 5e-4, 'L after the switch');
});

test('no console errors', () => {
  assert.deepEqual(errors, []);
});
