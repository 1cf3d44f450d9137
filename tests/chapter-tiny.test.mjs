// End-to-end tests of chapters 3 ("forward") and 5 ("descent"): the 2-2-1 network of
// lessons::tiny. Each test performs the widget's main interaction with the keyboard or the mouse
// and checks the numbers shown against values computed here, independently of the core.
// Build the site first: scripts/build.sh writes dist/, which the tests serve (scripts/test.sh runs it).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage } from './lib/harness.mjs';
import forwardStrings from '../www/chapters/forward.strings.js';
import descentStrings from '../www/chapters/descent.strings.js';

const NAMES = ['w11', 'w12', 'w13', 'w14', 'w21', 'w22', 'b1', 'b2', 'b3'];
const sigmoid = (z) => 1 / (1 + Math.exp(-z));
const relu = (z) => Math.max(0, z);
/** A number as the page writes it (Intl, possibly with a minus sign or grouping). */
const parse = (s) => Number(String(s).trim().replace(/[−–]/g, '-').replace(/,/g, '').replace(/^\((.*)\)$/, '$1'));

function forward(p, x1, x2) {
  const z1 = x1 * p.w11 + x2 * p.w13 + p.b1;
  const z2 = x1 * p.w12 + x2 * p.w14 + p.b2;
  const a11 = sigmoid(z1);
  const a12 = sigmoid(z2);
  const z3 = a11 * p.w21 + a12 * p.w22 + p.b3;
  return { z1, z2, a11, a12, z3, a21: relu(z3) };
}

/** Backprop in f64 from the textbook formulas, L = ½(a₂₁ − y)². */
function gradients(p, x1, x2, y) {
  const f = forward(p, x1, x2);
  const dz3 = (f.a21 - y) * (f.z3 > 0 ? 1 : 0);
  const dz1 = dz3 * p.w21 * f.a11 * (1 - f.a11);
  const dz2 = dz3 * p.w22 * f.a12 * (1 - f.a12);
  return { w11: dz1 * x1, w13: dz1 * x2, b1: dz1, w12: dz2 * x1, w14: dz2 * x2, b2: dz2, w21: dz3 * f.a11, w22: dz3 * f.a12, b3: dz3 };
}

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch({ webgpu: false });
});
after(async () => {
  await browser?.close();
  server?.stop();
});

async function withPage(check) {
  const { page, errors } = await openPage(browser, server.url);
  try {
    await check(page);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
}

test('every string of both chapters has a Chinese translation with the same placeholders', () => {
  for (const table of [forwardStrings, descentStrings]) {
    for (const [key, en] of Object.entries(table.en)) {
      const zh = table.zh[key];
      assert.ok(zh, `${key} has no zh`);
      const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(holes(zh), holes(en), key);
      if (key !== 'ch.descent.param' && key !== 'ch.descent.grad' && key !== 'ch.descent.delta') assert.notEqual(zh, en, `${key} is not translated`);
    }
    assert.deepEqual(Object.keys(table.zh).sort(), Object.keys(table.en).sort());
  }
});

test('forward: moving x₁ with the keyboard and editing a weight recompute every node as the formulas say', async () => {
  await withPage(async (page) => {
    const sec = page.locator('#ch-forward');
    await sec.scrollIntoViewIfNeeded();
    const params = async () => {
      const p = {};
      for (const n of NAMES) p[n] = Number(await page.getByTestId(`fwd-${n}`).inputValue());
      return p;
    };
    const shown = async (node) => parse(await page.getByTestId(`fwd-value-${node}`).textContent());
    const check = async () => {
      const p = await params();
      const x1 = Number(await page.getByTestId('fwd-x1').inputValue());
      const x2 = Number(await page.getByTestId('fwd-x2').inputValue());
      const want = forward(p, x1, x2);
      for (const node of ['a11', 'a12', 'a21']) {
        const got = await shown(node);
        assert.ok(Math.abs(got - want[node]) <= 6e-5, `${node}: shown ${got}, formula ${want[node]} (x₁ ${x1}, x₂ ${x2}, ${JSON.stringify(p)})`);
      }
      // The equation under the network ends with the same value.
      const eq = await page.getByTestId('fwd-eq-a21').textContent();
      assert.ok(eq.startsWith('a₂₁ = relu(a₁₁w₂₁ + a₁₂w₂₂ + b₃)'), eq);
      assert.equal(parse(eq.split('=').at(-1)), await shown('a21'), eq);
      return { x1, want };
    };

    const start = await check();
    // The lesson's start: x = (1, 0.5), a₂₁ ≈ 1.0496.
    assert.equal(start.x1, 1);
    assert.ok(Math.abs(start.want.a21 - 1.0496) < 1e-4);

    // Two presses of → on the x₁ slider: x₁ = 1.2.
    await page.getByTestId('fwd-x1').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const moved = await check();
    assert.ok(Math.abs(moved.x1 - 1.2) < 1e-9, `x₁ = ${moved.x1}`);
    assert.notEqual(moved.want.a21, start.want.a21);
    assert.equal(parse(await page.getByTestId('fwd-x1-value').textContent()), 1.2);

    // Clicking the edge w₂₁ focuses its input; a negative weight redraws the edge dashed.
    await page.getByTestId('fwd-edge-w21').locator('text').click();
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'fwd-w21');
    await page.getByTestId('fwd-w21').fill('-0.5');
    const edited = await check();
    assert.notEqual(edited.want.a21, moved.want.a21);
    assert.match(await page.getByTestId('fwd-edge-w21').textContent(), /w₂₁ = -0\.50/);
    assert.notEqual(await page.getByTestId('fwd-edge-w21').locator('line').first().getAttribute('stroke-dasharray'), 'none');

    // Pushing b₃ far down kills the ReLU: a₂₁ = 0, and the page says why.
    await page.getByTestId('fwd-b3').fill('-3');
    const dead = await check();
    assert.equal(dead.want.a21, 0);
    assert.equal(await shown('a21'), 0);
    assert.match(await page.getByTestId('fwd-dead').textContent(), /z₃ ≤ 0/);

    // Reset brings back the lesson's weights.
    await page.getByTestId('fwd-reset').click();
    assert.equal(Number(await page.getByTestId('fwd-w21').inputValue()), 0.9);
    await check();
  });
});

test('descent: a step changes every parameter by exactly −η·(its shown gradient), the gradients are the chain rule’s, and the loss falls', async () => {
  await withPage(async (page) => {
    await page.locator('#ch-descent').scrollIntoViewIfNeeded();
    const lr = Number(await page.getByTestId('desc-lr').inputValue());
    const x1 = Number(await page.getByTestId('desc-x1').inputValue());
    const x2 = Number(await page.getByTestId('desc-x2').inputValue());
    const y = Number(await page.getByTestId('desc-y').inputValue());
    assert.ok(lr > 0 && lr <= 0.1, `a small η: ${lr}`);

    const readTable = async () => {
      const rows = {};
      for (const n of NAMES) {
        const row = page.getByTestId(`desc-row-${n}`);
        const cell = async (col) => row.locator(`td[data-col="${col}"]`).textContent();
        rows[n] = { old: parse(await cell('old')), grad: parse(await cell('grad')), delta: await cell('delta'), new: parse(await cell('new')) };
      }
      return rows;
    };
    const losses = async () => {
      const text = await page.getByTestId('desc-new-loss').textContent();
      const nums = text.match(/-?\d+\.\d+/g).map(Number);
      return { text, a21: nums[0], after: nums[1], before: nums[2] };
    };

    // Step with the keyboard: focus the button, press Enter.
    await page.getByTestId('desc-step').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('desc-table').waitFor();
    const first = await readTable();

    // The start is the lesson's network; the gradients match backprop computed here in f64.
    const p0 = Object.fromEntries(NAMES.map((n) => [n, first[n].old]));
    const g = gradients(p0, x1, x2, y);
    const half = 0.5e-4; // half a unit in the 4th decimal: the shown precision
    for (const n of NAMES) {
      const r = first[n];
      assert.ok(Math.abs(r.grad - g[n]) <= half + 1e-6, `∂L/∂${n}: shown ${r.grad}, chain rule ${g[n]}`);
      assert.notEqual(r.new, r.old, `${n} did not change`);
      const want = r.old - lr * r.grad;
      const tol = 2 * half + lr * half + 1e-9;
      assert.ok(Math.abs(r.new - want) <= tol, `${n}: ${r.old} − ${lr}·${r.grad} = ${want}, shown ${r.new}`);
      assert.match(r.delta, new RegExp(`^${lr.toFixed(4).replace('.', '\\.')} × `), r.delta);
    }
    // The long chain for w₁₁ ends with the table's ∂L/∂w₁₁.
    const chain = await page.getByTestId('desc-chain-w11').textContent();
    assert.ok(chain.startsWith('∂L/∂w₁₁ = ∂L/∂a₂₁ · relu′(z₃) · w₂₁ · sigmoid′(z₁) · x₁ ='), chain);
    assert.equal(parse(chain.split('=').at(-1)), first.w11.grad);
    const lossLine = await page.getByTestId('desc-loss').textContent();
    const f = forward(p0, x1, x2);
    assert.ok(Math.abs(parse(lossLine.split('=').at(-1).replace(/\.$/, '')) - 0.5 * (f.a21 - y) ** 2) <= half, lossLine);

    const l1 = await losses();
    assert.ok(l1.after < l1.before, `the loss fell: ${l1.text}`);
    assert.equal(await page.getByTestId('desc-rose').count(), 0);

    // A second step starts from the first one's new values, and the loss falls again.
    await page.getByTestId('desc-step').click();
    const second = await readTable();
    for (const n of NAMES) assert.equal(second[n].old, first[n].new, `${n} continues from the last step`);
    const l2 = await losses();
    assert.equal(l2.before, l1.after);
    assert.ok(l2.after < l2.before, l2.text);
    assert.match(await page.getByTestId('desc-current').textContent(), /: 2\./);

    // A huge η overshoots: the page says the loss rose.
    await page.getByTestId('desc-lr').fill('5');
    await page.getByTestId('desc-step').click();
    const l3 = await losses();
    assert.ok(l3.after > l3.before, l3.text);
    assert.equal(await page.getByTestId('desc-rose').count(), 1);
  });
});

test('descent: the three learning rates crawl, converge and diverge as labelled; full batch is smooth and single-example noisy', async () => {
  await withPage(async (page) => {
    await page.locator('#ch-descent').scrollIntoViewIfNeeded();
    await page.getByTestId('desc-lr-run').click();
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const cap = await page.getByTestId(`desc-lr-summary-${i}`).textContent();
      const m = cap.match(/loss (\S+) → (\S+) after (\d+) steps: (.*)$/);
      assert.ok(m, cap);
      const [firstS, lastS] = [m[1], m[2]];
      runs.push({ first: parse(firstS), last: parse(lastS), verdict: m[4], title: await page.getByTestId(`desc-lr-${i}`).locator('h4').textContent() });
      // Each panel's plot has one point per step.
      assert.equal(await page.getByTestId(`desc-lr-${i}`).locator('canvas.tiny-plot').getAttribute('data-series'), '1');
    }
    assert.match(runs[0].title, /too small/);
    assert.match(runs[1].title, /good/);
    assert.match(runs[2].title, /too large/);
    // Too large: last loss above the first (or not finite), shown as diverged.
    assert.ok(!Number.isFinite(runs[2].last) || runs[2].last > runs[2].first, JSON.stringify(runs[2]));
    assert.match(runs[2].verdict, /^diverged/);
    // Good: the lowest last loss, shown as converged; too small still falling: crawling.
    assert.ok(runs[1].last < runs[0].last && runs[1].last < runs[2].last, JSON.stringify(runs));
    assert.match(runs[1].verdict, /^converged/);
    assert.ok(runs[0].last < runs[0].first, JSON.stringify(runs[0]));
    assert.match(runs[0].verdict, /^crawling/);
    // All three start from the same loss.
    assert.equal(runs[0].first, runs[1].first);
    assert.equal(runs[1].first, runs[2].first);

    await page.getByTestId('desc-batch-run').click();
    const batches = [];
    for (let i = 0; i < 3; i++) {
      const li = page.getByTestId(`desc-batch-${i}`);
      const text = await li.textContent();
      const m = text.match(/loss (\S+) → (\S+) in (\d+) epochs; it rose (\d+) times/);
      assert.ok(m, text);
      batches.push({ text, first: parse(m[1]), last: parse(m[2]), rises: Number(m[4]) });
    }
    assert.match(batches[0].text, /full batch/);
    assert.match(batches[2].text, /single example/);
    for (const b of batches) assert.ok(b.last < b.first, b.text);
    assert.equal(batches[0].rises, 0, 'full batch falls at every epoch');
    assert.ok(batches[2].rises >= 3, `single-example descent is noisy: ${batches[2].text}`);
    assert.equal(await page.getByTestId('desc-batch-view').locator('canvas.tiny-plot').getAttribute('data-series'), '3');
  });
});

test('both chapters re-render in Chinese through refresh(), numbers and all', async () => {
  await withPage(async (page) => {
    await page.getByTestId('desc-step').click();
    await page.getByTestId('desc-lr-run').click();
    const a21 = await page.getByTestId('fwd-value-a21').textContent();
    await page.evaluate(async () => {
      const base = new URL('www/', document.baseURI);
      const i18n = await import(new URL('i18n.js', base));
      i18n.setLanguage('zh');
      for (const id of ['forward', 'descent']) (await import(new URL(`chapters/${id}.js`, base))).refresh();
    });
    assert.equal(await page.locator('#ch-forward [data-i18n="ch.forward.equations"]').textContent(), '代入当前数值的三个公式');
    assert.match(await page.getByTestId('fwd-w21').locator('xpath=..').textContent(), /w₂₁（a₁₁ → a₂₁）/);
    assert.equal(await page.getByTestId('fwd-value-a21').textContent(), a21);
    assert.match(await page.getByTestId('desc-current').textContent(), /^当前：a₂₁ = /);
    assert.match(await page.getByTestId('desc-lr-2').locator('h4').textContent(), /η = 5：太大/);
    assert.match(await page.getByTestId('desc-lr-summary-2').textContent(), /发散/);
    assert.match(await page.getByTestId('desc-table').locator('caption').textContent(), /全部 9 个参数/);
  });
});
