// The chapter "Regression losses": the outlier moved with the keyboard and dragged with the mouse,
// the MSE line checked against the least-squares line computed here, L1 and smooth L1 shown to
// move less than MSE; β and the error d moved and the plotted values checked against the
// formulas; both languages. The CPU path.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareBrowser, canvasDigest, withPage as sharedWithPage } from './lib/harness.mjs';
import table from '../www/chapters/regression.strings.js';

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

/** The lesson's nine points (lessons::regression::POINTS); the outlier is the tenth. */
const POINTS = [[-2, -0.65], [-1.5, -0.7], [-1, -0.1], [-0.5, 0.35], [0, 0.3], [0.5, 0.45], [1, 1.2], [1.5, 1.25], [2, 1.7]];
const LOSSES = ['mse', 'l1', 'smooth'];

/** The least-squares line through the points and the outlier: w = cov(x, y)/var(x), b = ȳ − w·x̄. */
function leastSquares(outlier) {
  const pts = [...POINTS, outlier];
  const n = pts.length;
  const mx = pts.reduce((s, [x]) => s + x, 0) / n;
  const my = pts.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = pts.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = pts.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return { w: sxy / sxx, b: my - (sxy / sxx) * mx };
}

const smoothL1 = (d, beta) => (Math.abs(d) < beta ? (d * d) / (2 * beta) : Math.abs(d) - beta / 2);
const smoothL1Slope = (d, beta) => (Math.abs(d) < beta ? d / beta : Math.sign(d));
/** A shown number, typographic minus read as '-'. */
const shown = async (page, id) => Number((await page.getByTestId(id).textContent()).replace('−', '-'));
const near = (got, want, tol, what) => assert.ok(Math.abs(got - want) <= tol, `${what}: ${got}, expected ${want}`);

const withPage = (check) => sharedWithPage(browser, server, check, { scrollTo: '[data-testid="reg-fit"]' });

/** Each line's slope and intercept as the page holds them (data-w, data-b on its row). */
async function lines(page) {
  const out = {};
  for (const id of LOSSES) {
    const row = page.getByTestId(`reg-fit-${id}`);
    out[id] = { w: Number(await row.getAttribute('data-w')), b: Number(await row.getAttribute('data-b')) };
  }
  return out;
}

async function outlier(page) {
  const c = page.getByTestId('reg-fit');
  return [Number(await c.getAttribute('data-outlier-x')), Number(await c.getAttribute('data-outlier-y'))];
}

/** The MSE line's shown slope and intercept (3 decimals) equal the least-squares line's. */
async function checkMse(page, where) {
  const ls = leastSquares(where);
  near(await shown(page, 'reg-fit-mse-w'), ls.w, 2e-3, 'the MSE slope shown');
  near(await shown(page, 'reg-fit-mse-b'), ls.b, 2e-3, 'the MSE intercept shown');
  const { mse } = await lines(page);
  near(mse.w, ls.w, 1e-3, 'the MSE slope');
  near(mse.b, ls.b, 1e-3, 'the MSE intercept');
}

test('the arrow keys move the outlier: the MSE line follows it, L1 and smooth L1 move less', async () => {
  await withPage(async (page) => {
    assert.deepEqual(await outlier(page), [1.5, -3]);
    assert.equal(await page.getByTestId('reg-outlier').textContent(), 'Outlier at x = 1.50, y = −3.00');
    await checkMse(page, [1.5, -3]);
    const before = await lines(page);
    // From below the line to above it: 60 steps of 0.1 up (Shift gives 0.5: 12 presses).
    await page.getByTestId('reg-fit').focus();
    for (let i = 0; i < 12; i++) await page.keyboard.press('Shift+ArrowUp');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => document.querySelector('[data-testid="reg-fit"]').dataset.outlierY === '3');
    assert.deepEqual(await outlier(page), [1.4, 3]);
    assert.equal(await page.getByTestId('reg-outlier').textContent(), 'Outlier at x = 1.40, y = 3.00');
    await checkMse(page, [1.4, 3]);
    const after = await lines(page);
    const moved = Object.fromEntries(LOSSES.map((id) => [id, Math.abs(after[id].w - before[id].w)]));
    const movedB = Object.fromEntries(LOSSES.map((id) => [id, Math.abs(after[id].b - before[id].b)]));
    assert.ok(moved.mse > 0.4, `the MSE slope moved ${moved.mse}`);
    assert.ok(moved.l1 < moved.mse / 4, `L1 moved ${moved.l1}, MSE ${moved.mse}`);
    assert.ok(moved.smooth < moved.mse && movedB.smooth < movedB.mse && movedB.l1 < movedB.mse, JSON.stringify({ moved, movedB }));
    // The outlier stays on the plot: y stops at 4.
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowUp');
    await page.waitForFunction(() => document.querySelector('[data-testid="reg-fit"]').dataset.outlierY === '4');
    await checkMse(page, [1.4, 4]);
  });
});

test('the outlier is dragged with the mouse, and the lines follow', async () => {
  await withPage(async (page) => {
    const canvas = page.getByTestId('reg-fit');
    const r = await canvas.boundingBox();
    const fs = Number(await canvas.getAttribute('data-font-px'));
    // The plot's box as chart.js draws it: from 3·fs to width − fs, 1.8·fs to height − 3.2·fs;
    // x from −2.5 to 2.5, y from −4 to 4.
    const at = ([x, y]) => [
      r.x + 3 * fs + ((x + 2.5) / 5) * (r.width - 4 * fs),
      r.y + 1.8 * fs + ((4 - y) / 8) * (r.height - 5 * fs),
    ];
    const before = await lines(page);
    await page.mouse.move(...at([1.5, -3]));
    await page.mouse.down();
    for (const p of [[1.6, 0], [1.8, 2], [2, 3.5]]) await page.mouse.move(...at(p), { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="reg-fit"]').dataset.outlierY) > 3.4);
    const o = await outlier(page);
    near(o[0], 2, 0.03, 'x after the drag');
    near(o[1], 3.5, 0.03, 'y after the drag');
    await checkMse(page, o);
    const after = await lines(page);
    // From far below the line to far above it on the right: the MSE line swings up (its slope
    // 0.26 → 0.78), L1's hardly moves (0.54 → 0.60), smooth L1's moves between the two.
    const mse = after.mse.w - before.mse.w;
    assert.ok(mse > 0.3, `MSE slope ${before.mse.w} → ${after.mse.w}`);
    assert.ok(Math.abs(after.l1.w - before.l1.w) < mse / 4, `L1 slope ${before.l1.w} → ${after.l1.w}`);
    assert.ok(Math.abs(after.smooth.w - before.smooth.w) < mse, `smooth L1 slope ${before.smooth.w} → ${after.smooth.w}`);
  });
});

test('β and d: the values plotted are the formulas', async () => {
  await withPage(async (page) => {
    const value = async (id, cell) => Number(await page.getByTestId(`reg-at-${id}-${cell}`).getAttribute('data-value'));
    const check = async (d, beta) => {
      for (const [id, v, s] of [['mse', d * d, 2 * d], ['l1', Math.abs(d), Math.sign(d)], ['smooth', smoothL1(d, beta), smoothL1Slope(d, beta)]]) {
        near(await value(id, 'value'), v, 1e-5, `${id}(${d}) with β = ${beta}`);
        near(await value(id, 'slope'), s, 1e-5, `${id}′(${d}) with β = ${beta}`);
        near(await shown(page, `reg-at-${id}-value`), v, 6e-4, `${id}(${d}) shown`);
      }
    };
    await page.getByTestId('reg-curves').scrollIntoViewIfNeeded();
    assert.equal(await page.getByTestId('reg-beta').inputValue(), '1');
    await check(2, 1);
    const plot = await canvasDigest(page, 'reg-curves');
    const smoothBefore = (await lines(page)).smooth;
    await page.getByTestId('reg-beta').fill('2.5');
    await page.getByTestId('reg-d').fill('0.8');
    assert.equal(await page.getByTestId('reg-beta-value').textContent(), '2.50');
    assert.equal(await page.getByTestId('reg-curves').getAttribute('data-beta'), '2.5');
    await check(0.8, 2.5); // inside ±β: the L2 piece, 0.8²/5 = 0.128, slope 0.32
    near(await shown(page, 'reg-at-smooth-value'), 0.128, 1e-9, 'smooth L1(0.8), β = 2.5');
    await page.getByTestId('reg-d').fill('-2.7');
    await check(-2.7, 2.5); // outside: the L1 piece, 2.7 − 1.25 = 1.45, slope −1
    near(await shown(page, 'reg-at-smooth-slope'), -1, 1e-9, 'smooth L1′(−2.7), β = 2.5');
    assert.notEqual(await canvasDigest(page, 'reg-curves'), plot, 'the curves were redrawn');
    // A larger β makes smooth L1 more like L2: the outlier (below, at x = 1.5) pulls its slope down.
    const smoothAfter = (await lines(page)).smooth;
    assert.ok(smoothAfter.w < smoothBefore.w - 0.05, `smooth L1 slope ${smoothBefore.w} → ${smoothAfter.w} as β went 1 → 2.5`);
    await checkMse(page, [1.5, -3]); // MSE has no β
  });
});

test('the chapter speaks both languages', async () => {
  const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  assert.deepEqual(Object.keys(table.zh).sort(), Object.keys(table.en).sort());
  for (const [key, en] of Object.entries(table.en)) {
    assert.ok(key.startsWith('ch.regression.'), key);
    assert.deepEqual(holes(table.zh[key]), holes(en), key);
    assert.notEqual(table.zh[key], en, `${key} is not translated`);
  }
  assert.match(table.zh['ch.regression.smooth'], /平滑L1损失/);
  await withPage(async (page) => {
    await page.getByTestId('language').selectOption('zh');
    const section = page.locator('section[data-chapter="regression"]');
    assert.equal(await section.locator('h2 [data-i18n]').textContent(), '回归损失：L1、L2 与平滑L1损失');
    assert.equal(await page.getByTestId('reg-outlier').textContent(), '离群点位于 x = 1.50，y = −3.00');
    assert.match(await page.getByTestId('reg-fit-smooth').textContent(), /平滑L1损失/);
    assert.match(await page.getByTestId('reg-fit').getAttribute('aria-label'), /离群点/);
    await page.getByTestId('language').selectOption('en');
    assert.match(await page.getByTestId('reg-fit-mse').textContent(), /L2 \(MSE\)/);
  });
});
