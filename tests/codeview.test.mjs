// "Show the code" (issue 11): next to the step-through and the backprop lesson, the reference
// function that computed what the learner looks at — its real source from crate/src/layers/ —
// with the inspected value's loop indices and sums beside its lines, in English and in Chinese.
// The numbers written beside the code are checked against the inspector's own, and the source
// against the file on disk.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, shareBrowser } from './lib/harness.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

async function withPage(lang, check, viewport = { width: 1400, height: 1000 }) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${server.url}?backend=cpu`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.getByTestId('language').selectOption(lang);
    await check(page);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
}

/** The code panel's function, where it sits, its lines and the notes beside them: opened first,
 *  as a learner opens it to read it (a closed panel draws its lines when it opens). */
const panel = (page, id) =>
  page.getByTestId(id).evaluate(async (d) => {
    if (!d.open && !d.hidden) {
      const toggled = new Promise((r) => d.addEventListener('toggle', r, { once: true }));
      d.open = true;
      await toggled;
    }
    return {
    fn: d.dataset.function,
    hidden: d.hidden,
    inInspector: !!d.closest('[data-testid="inspector"]'),
    row: d.closest('li')?.dataset.testid ?? null,
    summary: d.querySelector('summary').textContent,
    intro: d.querySelector('p').textContent,
    lines: [...d.querySelectorAll('.line')].map((l) => l.firstChild.textContent),
    notes: [...d.querySelectorAll('.note')].map((n) => n.textContent),
    };
  });

/** The lines of `name` between its markers in `file`, as the core embeds them. */
function sourceOf(file, name) {
  const lines = readFileSync(`${ROOT}/crate/src/layers/${file}`, 'utf8').split('\n');
  return lines.slice(lines.indexOf(`// ANCHOR: ${name}`) + 1, lines.indexOf(`// ANCHOR_END: ${name}`));
}

for (const lang of ['en', 'zh']) {
  test(`${lang}: the inspected conv value's indices and sums sit beside conv2d_forward's loops`, () =>
    withPage(lang, async (page) => {
      const inspect = async (layer, c, y, x) => {
        await page.evaluate(async ([layer, c, y, x]) => {
          const { handle } = await import('/www/chapters/stepthrough.js');
          handle().inspect(layer, c, y, x);
        }, [layer, c, y, x]);
      };
      // Conv layer 3 (16 maps from 6 channels, no padding), map 7, row 4, column 2.
      await inspect(3, 7, 4, 2);
      const p = await panel(page, 'forward-code');
      assert.equal(p.fn, 'conv2d_forward');
      assert.ok(p.inInspector, 'the code opens inside the inspector, next to its numbers');
      assert.deepEqual(p.lines, sourceOf('conv2d.rs', 'conv2d_forward'), 'the real source, line for line');
      assert.match(p.summary, /conv2d_forward.*conv2d\.rs/);
      const sum = await page.getByTestId('inspect-sum').textContent();
      const [value] = sum.match(/= (−?\d+\.\d+)/).slice(1);
      const note = (re) => {
        const n = p.notes.find((s) => re.test(s));
        assert.ok(n, `a note matching ${re} in ${JSON.stringify(p.notes)}`);
        return n;
      };
      assert.match(note(/n = 0/), lang === 'en' ? /the one image/ : /这一张图/);
      assert.match(note(/o = 7/), lang === 'en' ? /feature map 7/ : /特征图 7/);
      assert.match(note(/i = 4/), lang === 'en' ? /row 4/ : /第 4 行/);
      assert.match(note(/j = 2/), lang === 'en' ? /column 2/ : /第 2 列/);
      assert.match(note(/c = 0…5/), lang === 'en' ? /6 input channels/ : /6 个输入通道/);
      // No padding: the 5×5 window starts at (4, 2) in layer 2's maps.
      assert.match(note(/u = 0…4/), /4.*8/);
      assert.match(note(/v = 0…4/), /2.*6/);
      assert.match(note(/150/), /Σ = −?\d/);
      assert.ok(note(/y\[0, 7, 4, 2\]/).endsWith(`= ${value}`), 'the stored value, as the inspector writes it');

      // Closing the inspector puts the code back under the stepper, for the current layer.
      await page.getByTestId('inspect-close').click();
      let q = await panel(page, 'forward-code');
      assert.equal(q.inInspector, false);
      assert.equal(q.fn, 'softmax');
      assert.deepEqual(q.notes, []);
      await page.getByTestId('forward-prev').click();
      q = await panel(page, 'forward-code');
      assert.equal(q.fn, 'dense_forward');
      assert.deepEqual(q.lines, sourceOf('dense.rs', 'dense_forward'));
      // The flatten layer computes nothing: no code to show.
      for (let i = 0; i < 5; i++) await page.getByTestId('forward-prev').click();
      assert.equal((await panel(page, 'forward-code')).hidden, true);
    }));

  test(`${lang}: the backprop lesson shows each step's reference function where the step appears`, () =>
    withPage(lang, async (page) => {
      await page.getByTestId('bp-forward').click();
      let p = await panel(page, 'bp-code');
      assert.equal(p.fn, 'softmax_cross_entropy');
      assert.deepEqual(p.lines, sourceOf('loss.rs', 'softmax_cross_entropy'));
      await page.getByTestId('bp-back').click();
      p = await panel(page, 'bp-code');
      assert.deepEqual([p.fn, p.row], ['dense_backward', 'bp-layer-11']);
      await page.getByTestId('bp-back').click();
      p = await panel(page, 'bp-code');
      assert.deepEqual([p.fn, p.row], ['activation_backward', 'bp-layer-10']);
      for (let i = 0; i < 10; i++) await page.getByTestId('bp-back').click();
      p = await panel(page, 'bp-code');
      assert.deepEqual([p.fn, p.row], ['conv2d_backward', 'bp-layer-0']);
      assert.deepEqual(p.lines, sourceOf('conv2d.rs', 'conv2d_backward'));
      await page.getByTestId('bp-update').click();
      p = await panel(page, 'bp-code');
      assert.equal(p.fn, 'update');
      const first = await page.locator('[data-testid^="bp-update-"]').first().evaluate((tr) => ({ name: tr.dataset.testid.slice(10), cells: [...tr.cells].map((c) => c.textContent) }));
      const step = p.notes.find((n) => n.includes(`${first.name}[`));
      assert.ok(step, `the first row's update is written out: ${p.notes}`);
      assert.ok(step.includes(first.cells[2]) && step.includes(first.cells[4]), `${step} holds ${first.cells[2]} and ${first.cells[4]}`);
      assert.match(p.notes.join(' '), /η = 0\.001/);
      assert.match(p.intro, lang === 'en' ? /learning rate/ : /学习率/);
      await page.getByTestId('bp-reset').click();
      assert.equal((await panel(page, 'bp-code')).hidden, true);
    }));
}

test('the code panel fits a phone: it scrolls inside itself, the page does not scroll sideways', () =>
  withPage('en', async (page) => {
    await page.getByTestId('forward-code').locator('summary').click();
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: innerWidth }));
    assert.ok(widths.page <= widths.view, `page ${widths.page}px wide in a ${widths.view}px view`);
  }, { width: 390, height: 844 }));

test("a teacher's keys: the summary opens with Enter, the code scrolls with the arrows, the chapter stays", () =>
  withPage('en', async (page) => {
    await page.getByTestId('presenter').focus();
    await page.keyboard.press('Enter');
    const summary = page.getByTestId('forward-code').locator('summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.getByTestId('forward-code').evaluate((d) => d.open), true);
    await page.keyboard.press('Tab');
    const pre = page.getByTestId('forward-code').locator('pre');
    assert.equal(await pre.evaluate((p) => p === document.activeElement), true, 'Tab reaches the code');
    // New weights from the training worker, or a stroke on the pad, redraw the inspector the code
    // sits in: the reader keeps their place.
    await page.evaluate(() => window.cnnNotebook.show());
    assert.equal(await pre.evaluate((p) => p === document.activeElement), true, 'a redraw keeps the focus on the code');
    const chapter = () => page.evaluate(() => document.activeElement.closest('main > section.card').id);
    const before = await chapter();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await chapter(), before, 'the arrows stay with the code');
    assert.equal(await pre.evaluate((p) => p === document.activeElement), true, 'the code keeps the focus');
    // The arrows scroll smoothly (an animation, frames later on a busy machine): wait for it.
    await pre.evaluate((p) => new Promise((resolve, reject) => {
      const t0 = performance.now();
      const look = () => (p.scrollLeft > 0 ? resolve() : performance.now() - t0 > 10_000 ? reject(new Error('and scroll its long lines')) : requestAnimationFrame(look));
      look();
    }));
  }, { width: 1280, height: 720 }));
