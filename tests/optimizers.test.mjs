// End-to-end tests of the chapter "optimizers": SGD, momentum and Adam on a 2-D surface. The
// test moves the learning-rate slider with the keyboard, steps, plays and switches the surface,
// and checks the points and losses the page writes against the update rules computed here, in
// plain JavaScript (f64), from the surfaces' formulas.
// Build the site first: scripts/build.sh writes dist/, which the tests serve.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareBrowser, withPage as sharedWithPage } from './lib/harness.mjs';
import { assertTranslated } from './lib/strings.mjs';
import strings from '../www/chapters/optimizers.strings.js';

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

const SURFACES = {
  valley: { start: [-4.5, 1.5], loss: ([x, y]) => 0.5 * ((x * x) / 10 + 2 * y * y), grad: ([x, y]) => [x / 10, 2 * y] },
  saddle: { start: [-1.5, 0.01], loss: ([x, y]) => x * x - y * y + 0.5 * y ** 4, grad: ([x, y]) => [2 * x, -2 * y + 2 * y ** 3] },
};

/** `steps` steps of each rule from the surface's start, as the update rules are written. */
function run(surface, { lr, mu = 0.9, b1 = 0.9, b2 = 0.999, eps = 1e-8 }, steps) {
  const { start, grad } = SURFACES[surface];
  let sgd = [...start], mom = [...start], adam = [...start];
  let v = [0, 0], m = [0, 0], s = [0, 0];
  for (let t = 1; t <= steps; t++) {
    const gs = grad(sgd);
    sgd = sgd.map((p, i) => p - lr * gs[i]);
    const gm = grad(mom);
    v = v.map((vi, i) => mu * vi + gm[i]);
    mom = mom.map((p, i) => p - lr * v[i]);
    const ga = grad(adam);
    m = m.map((mi, i) => b1 * mi + (1 - b1) * ga[i]);
    s = s.map((si, i) => b2 * si + (1 - b2) * ga[i] ** 2);
    adam = adam.map((p, i) => p - (lr * (m[i] / (1 - b1 ** t))) / (Math.sqrt(s[i] / (1 - b2 ** t)) + eps));
  }
  return { sgd, momentum: mom, adam };
}

/** A number as the page writes it (the real minus sign, grouping). */
const parse = (s) => Number(String(s).trim().replace(/[−–]/g, '-').replace(/,/g, ''));

async function shown(page, name) {
  const read = async (what) => parse(await page.getByTestId(`opt-${what}-${name}`).textContent());
  return { x: await read('x'), y: await read('y'), loss: await read('loss') };
}

const withPage = (check) => sharedWithPage(browser, server, check, { scrollTo: '#ch-optimizers' });

/** The page's 4 decimals against the test's f64: within half a unit of the last place (and f32). */
function near(actual, expected, what) {
  assert.ok(Math.abs(actual - expected) <= 6e-5 + 1e-5 * Math.abs(expected), `${what}: shown ${actual}, computed ${expected}`);
}

test('every string has a Chinese translation with the same placeholders', () => {
  assertTranslated(strings, { terms: ['优化器', '动量', '学习率', '鞍点'], same: (key) => /\.(sgd|adam)$/.test(key) });
});

test('valley: the slider sets η; one step is p − η·∇f for SGD, η·sign(g) for Adam; two steps of momentum carry v', () =>
  withPage(async (page) => {
    for (const name of ['sgd', 'momentum', 'adam']) {
      const p = await shown(page, name);
      near(p.x, -4.5, `${name} x at the start`);
      near(p.y, 1.5, `${name} y at the start`);
      near(p.loss, SURFACES.valley.loss([-4.5, 1.5]), `${name} loss at the start`);
    }
    // η from 0.10 to 0.20 with ten presses of the right arrow (step 0.01).
    const lr = page.getByTestId('opt-lr');
    await lr.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    assert.equal(Number(await lr.inputValue()), 0.2);
    assert.equal(parse(await page.getByTestId('opt-lr-value').textContent()), 0.2);

    await page.getByTestId('opt-step').click();
    assert.equal(await page.getByTestId('opt-status').getAttribute('data-step'), '1');
    const one = run('valley', { lr: 0.2 }, 1);
    // By hand: (−4.5, 1.5) − 0.2·(−0.45, 3) = (−4.41, 0.9).
    near(one.sgd[0], -4.41, 'the test\'s own SGD x');
    for (const name of ['sgd', 'momentum', 'adam']) {
      const p = await shown(page, name);
      near(p.x, one[name][0], `${name} x after one step`);
      near(p.y, one[name][1], `${name} y after one step`);
      near(p.loss, SURFACES.valley.loss(one[name]), `${name} loss after one step`);
    }
    // Adam's first step: η·sign(g) on each coordinate.
    near(one.adam[0], -4.5 + 0.2, 'Adam x');
    near(one.adam[1], 1.5 - 0.2, 'Adam y');

    await page.getByTestId('opt-step').click();
    const two = run('valley', { lr: 0.2 }, 2);
    for (const name of ['sgd', 'momentum', 'adam']) {
      const p = await shown(page, name);
      near(p.x, two[name][0], `${name} x after two steps`);
      near(p.y, two[name][1], `${name} y after two steps`);
    }
    // Momentum differs from SGD at step 2 by η·μ·g₀ (its velocity remembers the first gradient).
    near(two.momentum[1] - two.sgd[1], -0.2 * 0.9 * 3, 'momentum − SGD in y');

    // A change of μ recomputes at the same step.
    const mu = page.getByTestId('opt-momentum');
    await mu.focus();
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowLeft');
    assert.equal(Number(await mu.inputValue()), 0.5);
    const twoMu = run('valley', { lr: 0.2, mu: 0.5 }, 2);
    near((await shown(page, 'momentum')).y, twoMu.momentum[1], 'momentum y at μ = 0.5');
    assert.equal(await page.getByTestId('opt-status').getAttribute('data-step'), '2');

    await page.getByTestId('opt-reset').click();
    near((await shown(page, 'sgd')).x, -4.5, 'back at the start');
  }));

test('saddle: play runs the race step by step, pause stops it, and the points follow the rules', () =>
  withPage(async (page) => {
    await page.getByTestId('opt-surface').selectOption('saddle');
    near((await shown(page, 'adam')).y, 0.01, 'the saddle\'s start');
    const status = page.getByTestId('opt-status');
    await page.getByTestId('opt-play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="opt-status"]').dataset.step) >= 5);
    await page.getByTestId('opt-play').click(); // pause
    const n = Number(await status.getAttribute('data-step'));
    await page.waitForTimeout(500);
    assert.equal(Number(await status.getAttribute('data-step')), n, 'paused');
    assert.equal(await page.getByTestId('opt-canvas').getAttribute('data-step'), String(n));
    const ours = run('saddle', { lr: 0.1 }, n);
    for (const name of ['sgd', 'momentum', 'adam']) {
      const p = await shown(page, name);
      near(p.x, ours[name][0], `${name} x after ${n} steps`);
      near(p.y, ours[name][1], `${name} y after ${n} steps`);
      near(p.loss, SURFACES.saddle.loss(ours[name]), `${name} loss after ${n} steps`);
    }
    // The lesson: 10 steps from the start SGD is still near the ridge (y ≈ 0.06), Adam at a floor (y ≈ 0.95).
    await page.getByTestId('opt-reset').click();
    for (let i = 0; i < 10; i++) await page.getByTestId('opt-step').click();
    const ten = run('saddle', { lr: 0.1 }, 10);
    near((await shown(page, 'sgd')).y, ten.sgd[1], 'SGD y after 10 steps');
    near((await shown(page, 'adam')).y, ten.adam[1], 'Adam y after 10 steps');
    assert.ok((await shown(page, 'sgd')).y < 0.1 && (await shown(page, 'adam')).y > 0.9);
  }));

test('the chapter reads in Chinese', () =>
  withPage(async (page) => {
    await page.getByTestId('language').selectOption('zh');
    const sec = page.locator('#ch-optimizers');
    assert.match(await sec.locator('h2').textContent(), /优化器/);
    assert.match(await page.getByTestId('opt-table').textContent(), /优化器/);
    assert.match(await page.getByTestId('opt-status').textContent(), /第 0 步/);
    assert.match(await page.getByTestId('opt-legend').textContent(), /动量/);
    assert.match(await page.getByTestId('opt-play').textContent(), /播放/);
  }));

test("a teacher's space bar plays and pauses the race in presenter mode", () =>
  withPage(async (page) => {
    await page.getByTestId('presenter').click();
    await page.locator('#ch-optimizers h2').evaluate((h) => {
      h.tabIndex = -1;
      h.focus();
    });
    await page.keyboard.press(' ');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="opt-status"]').dataset.step) >= 3);
    await page.keyboard.press(' ');
    const n = Number(await page.getByTestId('opt-status').getAttribute('data-step'));
    await page.waitForTimeout(500);
    assert.equal(Number(await page.getByTestId('opt-status').getAttribute('data-step')), n, 'paused');
  }));
