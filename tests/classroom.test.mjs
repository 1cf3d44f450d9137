// The page as a teacher and a learner use it ("Classroom-ready"): a teacher at a 1280×720
// projector in presenter mode with the keyboard only, a learner at 1400×1000, a phone at 390×844.
// Each test performs what they did and checks what they would see: where the keys go, where
// results open, what the page shows before anyone touches it, how a failed run is explained,
// what the backprop lesson changes, what asks before throwing work away, and the layout. The
// CPU path throughout (the software-GPU choice is tested in page.test.mjs). Any console error
// fails the test that caused it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, draw, waitForTraining, shareBrowser } from './lib/harness.mjs';
import { STYLES } from './lib/strokes.mjs';

const PROJECTOR = { width: 1280, height: 720 };
const DESKTOP = { width: 1400, height: 1000 };
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

async function withPage(check, options = { viewport: DESKTOP }, prepare) {
  const page = await browser.newPage(options.viewport ? options : { viewport: options });
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker: ${m.text()}`)));
  try {
    await prepare?.(page);
    await page.goto(`${server.url}?backend=cpu`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await check(page);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
}

/** The chapter the keys act on: the one holding the focus. */
const presented = (page) => page.evaluate(() => document.activeElement?.closest?.('main > section.card')?.id ?? null);
const chapterIds = (page) => page.$$eval('main > section.card', (all) => all.map((s) => s.id));
const inView = (page, selector) =>
  page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  });

async function presenterOn(page) {
  await page.getByTestId('presenter').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('presenter').getAttribute('aria-pressed'), 'true');
  await page.evaluate(() => document.activeElement.blur());
}

test('presenter keys never trap: PageDown and → visit every chapter in order from the top, ← walks back', () =>
  withPage(async (page) => {
    await presenterOn(page);
    const ids = await chapterIds(page);
    assert.equal(ids[0], 'ch-neuron');
    for (let i = 0; i < ids.length; i++) {
      await page.keyboard.press(i % 2 ? 'ArrowRight' : 'PageDown');
      assert.equal(await presented(page), ids[i], `key ${i + 1} presents chapter ${i + 1}`);
      if (i < ids.length - 2) {
        const top = await page.$eval(`#${ids[i]}`, (s) => s.getBoundingClientRect().top);
        assert.ok(Math.abs(top) <= 2, `${ids[i]} is at the top of the window (${top})`);
      }
      // Where the arrows used to stick: the layer-by-layer chapter, with the focus on its buttons.
      if (ids[i] === 'forward') {
        await page.getByTestId('forward-prev').focus();
        const at = await page.locator('#layers-view li.current').getAttribute('data-index');
        await page.keyboard.press('ArrowLeft');
        assert.equal(await presented(page), 'forward', 'inside the stepper the arrows step through the layers');
        assert.equal(await page.locator('#layers-view li.current').getAttribute('data-index'), String(Number(at) - 1));
        assert.match(await page.locator('#stepper-keys').textContent(), /With the focus on these buttons, ← and → step through the layers/);
        await page.keyboard.press('Escape');
        await page.keyboard.press('ArrowRight');
        assert.equal(await presented(page), ids[i + 1], 'Esc gives the arrows back to the chapters');
        await page.keyboard.press('ArrowLeft');
        assert.equal(await presented(page), 'forward');
        // PageDown moves on whatever has the focus.
        await page.getByTestId('forward-next').focus();
        await page.keyboard.press('PageDown');
        assert.equal(await presented(page), ids[i + 1]);
        await page.keyboard.press('PageUp');
        assert.equal(await presented(page), 'forward');
      }
      // A focused button elsewhere (the pad's Clear) does not hold the arrows either.
      if (ids[i] === 'draw') {
        await page.getByTestId('clear').focus();
        await page.keyboard.press('ArrowRight');
        assert.equal(await presented(page), ids[i + 1]);
        await page.keyboard.press('ArrowLeft');
        assert.equal(await presented(page), 'draw');
      }
    }
    await page.keyboard.press('PageDown');
    assert.equal(await presented(page), ids.at(-1), 'the last chapter stays');
    for (let i = ids.length - 2; i >= 0; i--) {
      await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'PageUp');
      assert.equal(await presented(page), ids[i], `back to chapter ${i + 1}`);
    }
  }, { viewport: PROJECTOR }));

test('? lists the keys (Esc closes it); in presenter mode space starts and pauses training', () =>
  withPage(async (page) => {
    await page.keyboard.press('?');
    const help = page.getByTestId('keys-help');
    assert.ok(await help.isVisible());
    const text = await help.textContent();
    for (const key of ['PageDown', 'PageUp', 'Space', 'Esc', 'Tab']) assert.ok(text.includes(key), `${key} is listed`);
    await page.keyboard.press('Escape');
    assert.ok(await help.isHidden());
    await page.getByTestId('keys-open').click();
    assert.ok(await help.isVisible());
    await page.getByTestId('keys-help-close').click();
    assert.ok(await help.isHidden());
    await presenterOn(page);
    await waitForTraining(page);
    while ((await presented(page)) !== 'train') await page.keyboard.press('PageDown');
    await page.keyboard.press(' ');
    await page.waitForFunction(() => !document.getElementById('train-pause').disabled, null, { timeout: 10_000 });
    assert.ok(await page.getByTestId('train-start').isDisabled(), 'training runs');
    await page.waitForFunction(() => window.cnnNotebook.training.history.length >= 1, null, { timeout: 60_000 });
    await page.keyboard.press(' ');
    await page.waitForFunction(() => !document.getElementById('train-start').disabled, null, { timeout: 30_000 });
    assert.match(await page.getByTestId('train-message').textContent(), /Paused/);
  }, { viewport: PROJECTOR }));

/** Every text on the page now visible, as its rendered size in CSS pixels (SVG text scaled by its SVG). */
function textSizes(page) {
  return page.evaluate(() => {
    const out = [];
    const all = [...document.querySelectorAll('body *')];
    all.forEach((el, i) => {
      if (el.closest('dialog:not([open]), option, [hidden], script, style')) return;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !el.getClientRects().length) return;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return;
      let size = parseFloat(getComputedStyle(el).fontSize);
      if (el instanceof SVGElement) size *= el.getScreenCTM()?.a ?? 1;
      out.push({ i, size, what: `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''} "${el.textContent.trim().slice(0, 30)}"` });
    });
    const canvases = [...document.querySelectorAll('canvas[data-font-px]')].map((c) => ({ id: c.dataset.testid ?? c.id, px: Number(c.dataset.fontPx) }));
    return { texts: out, canvases };
  });
}

test('presenter mode enlarges every text, charts included, and each chapter opens on its widget at 720p', () =>
  withPage(async (page) => {
    await waitForTraining(page);
    const normal = await textSizes(page);
    await presenterOn(page);
    await page.waitForTimeout(300);
    const big = await textSizes(page);
    const before = new Map(normal.texts.map((t) => [t.i, t]));
    const small = [];
    for (const t of big.texts) {
      const b = before.get(t.i);
      if (t.size < 16 || (b && t.size < b.size * 1.3)) small.push(`${t.what}: ${b?.size.toFixed(1)} → ${t.size.toFixed(1)} px`);
    }
    assert.ok(big.texts.length > 300, `${big.texts.length} texts measured`);
    assert.deepEqual(small, [], 'texts that stay small in presenter mode');
    const canvasBefore = new Map(normal.canvases.map((c) => [c.id, c.px]));
    assert.ok(big.canvases.length >= 4, JSON.stringify(big.canvases));
    for (const c of big.canvases) assert.ok(c.px >= 16 && c.px >= 1.3 * canvasBefore.get(c.id), `chart ${c.id}: ${canvasBefore.get(c.id)} → ${c.px} px`);
    // Each chapter's first screen shows something to use or look at, not only its introduction.
    const ids = await chapterIds(page);
    for (const id of ids) {
      await page.keyboard.press('PageDown');
      const widget = await page.$eval(`#${id}`, (s) =>
        [...s.querySelectorAll('canvas, svg, input, select, button, table, textarea')]
          .filter((el) => el.getClientRects().length && !el.closest('[hidden]'))
          .some((el) => {
            const r = el.getBoundingClientRect();
            return r.height > 0 && r.top >= 0 && r.top < innerHeight - 40;
          }),
      );
      assert.ok(widget, `the first screen of ${id} shows its widget`);
    }
  }, { viewport: PROJECTOR }));

/** Numbers written as −0, −0.00…: a value that rounds to zero shown with a sign. */
const negativeZeros = (text) => (text.match(/[-−]\d+(?:[.,]\d+)?/g) ?? []).filter((s) => Number(s.replace('−', '-').replace(',', '.')) === 0);

test('results open where the learner looks: the inspector beside the clicked map, its window outlined, whole, with no −0', () =>
  withPage(async (page) => {
    const map = page.getByTestId('fmap-3-2');
    await map.scrollIntoViewIfNeeded();
    const box = await map.boundingBox();
    await page.mouse.click(box.x + 0.45 * box.width, box.y + 0.55 * box.height);
    const inspector = page.getByTestId('inspector');
    assert.equal(await inspector.evaluate((el) => el.closest('li')?.dataset.testid), 'layer-3', 'inside the clicked map’s row');
    assert.ok(await inView(page, '[data-testid="inspector"] h3'), 'its title is on screen');
    assert.match(await inspector.locator('h3').textContent(), /Layer 3 .*feature map 2, row 5, column 4/);
    // The 5×5 window it reads is outlined on each of the six maps of layer 2 (the conv's input),
    // and the value itself on the clicked map.
    assert.equal(await page.locator('[data-testid="layer-2"] .map-outline.window').count(), 6);
    assert.equal(await page.locator('[data-testid="layer-3"] .map-outline.cursor').count(), 1);
    const outline = await page.locator('[data-testid="layer-2"] .map-outline.window').first().evaluate((o) => [o.style.top, o.style.left, o.style.width].map(parseFloat));
    [5, 4, 5].forEach((cells, k) => assert.ok(Math.abs(outline[k] - (100 * cells) / 14) < 0.01, `${outline}`));
    // Every row and input channel, with no scroll box of its own.
    const groups = page.locator('[data-testid="inspector"] .inspect-groups');
    assert.equal(await groups.locator('.inspect-group').count(), 6);
    assert.equal(await groups.locator('table.inspect-grid tr').count(), 6 * 3 * 5);
    assert.ok(await groups.evaluate((g) => g.scrollHeight <= g.clientHeight + 1 && getComputedStyle(g).overflowY === 'visible'), 'no inner scroll box');
    assert.deepEqual(negativeZeros(await inspector.textContent()), []);
    // From the keyboard, the corner of layer 0 (its window over the padding): still no −0.
    await page.getByTestId('fmap-0-4').focus();
    await page.keyboard.press('Enter');
    for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowUp');
    assert.equal(await inspector.evaluate((el) => el.closest('li')?.dataset.testid), 'layer-0');
    assert.deepEqual(negativeZeros(await inspector.textContent()), []);
    await page.keyboard.press('Escape');
    assert.ok(await inspector.isHidden(), 'Esc closes the inspector');
    assert.equal(await page.locator('.map-outline').count(), 0);
  }));

test('in the backprop chapter the controls stay in view and each new layer scrolls into view', () =>
  withPage(async (page) => {
    await page.locator('#backprop').evaluate((s) => s.scrollIntoView({ block: 'start' }));
    await page.getByTestId('bp-forward').click();
    for (let i = 11; i >= 5; i--) {
      await page.getByTestId('bp-back').click();
      assert.ok(await inView(page, `[data-testid="bp-layer-${i}"] h3`), `layer ${i} is in view`);
      const controls = await page.$eval('.bp-controls', (c) => c.getBoundingClientRect().toJSON());
      assert.ok(controls.top >= -1 && controls.bottom <= 720, `the controls are in view: ${JSON.stringify(controls)}`);
    }
  }, { viewport: PROJECTOR }));

/** Ink on a canvas: how many pixels differ from the first. */
const variety = (page, selector) =>
  page.$eval(selector, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) n++;
    return n;
  });

test('nothing starts blank: a sample digit, its prediction and maps, the inspector, the backprop lesson and charts', () =>
  withPage(async (page) => {
    assert.equal(await page.getByTestId('prediction').textContent(), '3');
    assert.match(await page.getByTestId('pad-source').textContent(), /sample digit 3, from the test set/);
    assert.ok((await variety(page, '[data-testid="draw-canvas"]')) > 500, 'the pad holds ink');
    assert.ok((await variety(page, '[data-testid="fmap-0-0"]')) > 50, 'the first layer’s maps are drawn');
    assert.ok(await page.getByTestId('inspector').isVisible(), 'the inspector already shows a value');
    assert.ok((await variety(page, '[data-testid="bp-image"]')) > 50, 'the backprop chapter shows the digit');
    assert.match(await page.getByTestId('bp-suggest').textContent(), /reads this digit as 3/);
    assert.notEqual(await page.getByTestId('bp-label').inputValue(), '3');
    assert.ok(await page.getByTestId('bp-norms').getAttribute('data-sigmoid'), 'the vanishing-gradient chart is drawn');
    assert.ok((await variety(page, '[data-testid="bp-norms"]')) > 2000);
    // The ten scores are labelled with their digits.
    for (const row of ['layer-11', 'layer-12']) {
      assert.equal(await page.locator(`[data-testid="${row}"] .strip-labels`).textContent(), '0123456789', row);
    }
    // A way in without a mouse or a finger: the sample digits, then a random test digit.
    for (let d = 0; d < 10; d++) {
      await page.getByTestId(`sample-${d}`).click();
      assert.equal(await page.getByTestId('prediction').textContent(), String(d), `sample ${d}`);
    }
    await waitForTraining(page);
    assert.equal(await page.getByTestId('curves').getAttribute('data-points'), '0,1', 'the chart starts with the test point');
    const before = await page.$eval('[data-testid="draw-canvas"]', (c) => c.toDataURL());
    await page.getByTestId('random-digit').click();
    await page.waitForFunction(() => /test digit no\. [\d,]+, labelled \d/.test(document.querySelector('[data-testid="pad-source"]').textContent), null, { timeout: 10_000 });
    assert.notEqual(await page.$eval('[data-testid="draw-canvas"]', (c) => c.toDataURL()), before);
    assert.match(await page.getByTestId('prediction').textContent(), /^\d$/);
  }));

test('the page stays where the reader put it: not moved at load, nor by training updating the pad', () =>
  withPage(async (page) => {
    assert.equal(await page.evaluate(() => scrollY), 0, 'the page opens at its top');
    await waitForTraining(page);
    assert.equal(await page.evaluate(() => scrollY), 0, 'the worker’s first weights move nothing');
    await page.getByTestId('train-start').click();
    const top = () => page.locator('#backprop').evaluate((s) => Math.round(s.getBoundingClientRect().top));
    await page.locator('#backprop').evaluate((s) => s.scrollIntoView({ block: 'start' }));
    const n = await page.evaluate(() => window.cnnNotebook.training.history.length);
    await page.waitForFunction((k) => window.cnnNotebook.training.history.length >= k + 6, n, { timeout: 60_000 });
    assert.ok(Math.abs(await top()) <= 1, 'new weights redraw the pad and the maps without moving what the reader looks at');
    await page.getByTestId('train-pause').evaluate((b) => b.click());
  }));

test('while the training data loads the panel says so, and Start waits for it', () => {
  let release;
  const held = new Promise((r) => (release = r));
  return withPage(
    async (page) => {
      assert.match(await page.getByTestId('train-message').textContent(), /Preparing the training data/);
      assert.ok(await page.getByTestId('train-start').isDisabled());
      assert.equal(await page.getByTestId('train-start').getAttribute('aria-busy'), 'true');
      assert.ok(await page.getByTestId('random-digit').isDisabled());
      release();
      await waitForTraining(page);
      assert.match(await page.getByTestId('train-message').textContent(), /^Ready: 8,000 training digits/);
      assert.ok(await page.getByTestId('random-digit').isEnabled());
    },
    { viewport: DESKTOP },
    (page) => page.route('**/data/mnist/*.json', async (route) => {
      await held;
      await route.continue();
    }),
  );
});

test('a run that fails is stopped and explained: learning rate 1 with Adam, SGD and momentum; the chart stays readable', () =>
  withPage(async (page) => {
    await waitForTraining(page);
    for (const optimizer of ['adam', 'sgd', 'momentum']) {
      await page.getByTestId('optimizer').selectOption(optimizer);
      await page.getByTestId('lr').fill('0');
      await page.getByTestId('train-start').click();
      const alert = page.getByTestId('diverged');
      await alert.waitFor({ state: 'visible', timeout: 60_000 });
      const text = await alert.textContent();
      assert.match(text, /training stopped at epoch \d+, batch \d+: (the loss (became|rose to)|the network had reached)/, optimizer);
      assert.match(text, /learning rate \(1\) is too high/, optimizer);
      assert.ok(await inView(page, '[data-testid="diverged"]'), 'the explanation is on screen');
      assert.ok(await page.getByTestId('train-start').isDisabled(), 'a failed run cannot continue');
      // The loss axis is logarithmic, in whole powers of ten, wide enough for what the run did.
      const [lo, hi] = (await page.getByTestId('curves').getAttribute('data-loss-range')).split(',').map(Number);
      const history = await page.evaluate(() => window.cnnNotebook.training.history);
      assert.ok(history.every((h) => h.loss >= lo && h.loss <= hi), `${lo}…${hi}`);
      assert.ok(Number.isInteger(Math.log10(lo)) && Number.isInteger(Math.log10(hi)));
      assert.equal(await page.locator('#curves-legend li').count(), 2, 'the legend sits under the chart, in the page');
      await page.getByTestId('lr').fill('-3');
      await page.getByTestId('diverged-reset').click();
      await waitForTraining(page);
    }
  }));

test('a run that sits at chance is flagged while it lasts, without being stopped', () =>
  withPage(async (page) => {
    await waitForTraining(page);
    await page.getByTestId('start-from').selectOption('fresh');
    await page.getByTestId('activation').selectOption('sigmoid');
    await page.getByTestId('init').selectOption('gaussian:0.01');
    await page.getByTestId('optimizer').selectOption('sgd');
    await page.getByTestId('lr').fill('-4');
    await waitForTraining(page);
    await page.getByTestId('train-start').click();
    const warning = page.getByTestId('train-warning');
    await warning.waitFor({ state: 'visible', timeout: 90_000 });
    assert.match(await warning.textContent(), /after \d+ examples the loss is still 2\.\d+ \(guessing gives 2\.303\).*the network is not learning/);
    assert.ok(await page.getByTestId('train-pause').isEnabled(), 'the run goes on');
    await page.getByTestId('train-pause').click();
  }));

test('the backprop lesson: a label the network gets wrong, so one update visibly changes the loss and the weights', () =>
  withPage(async (page) => {
    await presenterOn(page);
    const label = await page.getByTestId('bp-label').inputValue();
    assert.match(await page.getByTestId('bp-suggest').textContent(), new RegExp(`reads this digit as 3 .* the answer is ${label}`));
    await page.locator('#backprop').evaluate((s) => s.scrollIntoView());
    await page.getByTestId('bp-forward').click();
    const loss0 = Number((await page.getByTestId('bp-status').textContent()).match(/= ([\d.]+)\. Now go back/)[1]);
    assert.ok(loss0 > 1, `the label is far from the prediction: loss ${loss0}`);
    for (let i = 0; i < 12; i++) await page.getByTestId('bp-back').click();
    // Gradient images large enough for a projector.
    const kernel = await page.locator('[data-testid="bp-kernels-0"] canvas').first().boundingBox();
    assert.ok(kernel.width >= 48, `kernel images are ${kernel.width} px wide`);
    const map = await page.locator('[data-testid="bp-layer-0"] canvas.fmap').first().boundingBox();
    assert.ok(map.width >= 64, `gradient maps are ${map.width} px wide`);
    await page.getByTestId('bp-update').click();
    const m = (await page.getByTestId('bp-status').textContent()).match(/the loss went from ([\d.]*\d) to ([\d.]*\d)/);
    assert.ok(m && Number(m[1]) - Number(m[2]) > 0.5, await page.getByTestId('bp-status').textContent());
    const cells = await page.locator('[data-testid^="bp-update-"]').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    for (const c of cells) assert.notEqual(c[2], c[4], `before and after differ as written: ${c.join(' | ')}`);
    // The prediction itself as the label: the page says the step will change little.
    await page.getByTestId('bp-reset').click();
    await page.getByTestId('bp-label').selectOption('3');
    assert.match(await page.getByTestId('bp-suggest').textContent(), /The label 3 is what the network already reads/);
  }, { viewport: PROJECTOR }));

test('changing the network asks first, and a rebuild leaves no stale progress', () =>
  withPage(async (page) => {
    await waitForTraining(page);
    const confirm = page.getByTestId('rebuild-confirm');
    await page.getByTestId('activation').selectOption('sigmoid');
    assert.ok(await confirm.isVisible());
    assert.match(await confirm.textContent(), /the trained LeNet is set aside/);
    await page.getByTestId('rebuild-no').click();
    assert.ok(await confirm.isHidden());
    assert.equal(await page.getByTestId('activation').inputValue(), 'relu', 'the menu shows the network kept');
    assert.equal(await page.getByTestId('start-from').inputValue(), 'shipped');
    assert.match(await page.getByTestId('train-message').textContent(), /The current network is kept/);
    // During a run: asked again; rebuilding clears the run's progress for good.
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => window.cnnNotebook.training.history.length >= 2, null, { timeout: 60_000 });
    await page.getByTestId('init').selectOption('xavier');
    assert.match(await confirm.textContent(), /Training is running/);
    await page.getByTestId('rebuild-yes').click();
    assert.equal(await page.getByTestId('start-from').inputValue(), 'fresh');
    await page.waitForTimeout(1500);
    assert.equal(await page.getByTestId('train-progress').textContent(), '', 'no progress line from the old run');
    assert.equal(await page.evaluate(() => window.cnnNotebook.training.history.length), 0);
    assert.match(await page.getByTestId('train-message').textContent(), /rebuilt with ReLU activations and Xavier \(uniform\) initialisation/);
  }));

test('layout: chapters numbered once and in order, the gallery by name, wide tables scroll with their header in view', () =>
  withPage(async (page) => {
    const numbers = await page.$$eval('main > section.card h2 .ch-num', (ns) => ns.map((n) => n.textContent));
    assert.deepEqual(numbers, numbers.map((_, i) => String(i + 1)));
    assert.equal(numbers.length, await page.locator('main > section.card').count(), 'every chapter has its number');
    const names = await page.$$eval('[data-testid="gallery-select"] option', (os) => os.map((o) => o.textContent));
    assert.ok(names.every((n) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(n)), names.join(', '));
    assert.ok(names.every((n) => !/mistake/i.test(n)), 'the menu does not give the exercise away');
    await page.getByTestId('gallery-select').selectOption('googlenet');
    const wrap = page.getByTestId('gallery-wrap');
    await wrap.scrollIntoViewIfNeeded();
    const fits = await wrap.evaluate((w) => ({ all: w.scrollWidth <= w.clientWidth + 1, height: w.getBoundingClientRect().height }));
    assert.ok(fits.all, 'every column shows at 1400 px');
    assert.ok(fits.height <= 1000, 'the table’s box fits the window, so its scrollbar is in view');
    await wrap.evaluate((w) => (w.scrollTop = 600));
    const header = await wrap.evaluate((w) => w.querySelector('thead th').getBoundingClientRect().top - w.getBoundingClientRect().top);
    assert.ok(header >= 0 && header < 4, `the header row stays at the top of the box (${header})`);
    // The stepper counts layers as the rows are labelled.
    await page.getByTestId('forward-prev').click();
    const where = await page.getByTestId('forward-step').textContent();
    const current = await page.locator('#layers-view li.current .layer-head strong').textContent();
    assert.equal(where.match(/^Layer (\d+)/)[1], current.match(/^(\d+) ·/)[1]);
  }));

/** Elements that run past their card's right edge (outside a scroll box), and the page's width. */
const overflow = (page) =>
  page.evaluate(() => {
    const out = [];
    for (const card of document.querySelectorAll('main > section.card, header.page-header')) {
      const edge = card.getBoundingClientRect().right;
      for (const el of card.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height) continue;
        let p = el.parentElement, scrolls = false;
        for (; p && p !== card; p = p.parentElement) if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) scrolls = true;
        if (!scrolls && r.right > edge + 0.5) out.push(`${card.id || 'header'}: ${el.tagName} ${el.className} ${el.dataset.testid ?? ''} +${Math.round(r.right - edge)}`);
      }
    }
    return { out, width: document.documentElement.scrollWidth };
  });

test('on a phone nothing runs past a card, and both charts are readable', () =>
  withPage(async (page) => {
    await waitForTraining(page);
    const { out, width } = await overflow(page);
    assert.deepEqual(out, []);
    assert.ok(width <= 390, `the page is ${width} px wide`);
    // The loss and accuracy panels stack, their text at full size.
    const curves = await page.getByTestId('curves').evaluate((c) => ({ w: c.clientWidth, h: c.clientHeight, px: Number(c.dataset.fontPx) }));
    assert.ok(curves.h > curves.w * 0.9 && curves.px >= 12, JSON.stringify(curves));
    assert.ok(Number(await page.getByTestId('bp-norms').getAttribute('data-font-px')) >= 12);
    // Touch draws on the pad.
    const pad = await page.getByTestId('draw-canvas').boundingBox();
    await page.getByTestId('draw-canvas').scrollIntoViewIfNeeded();
    const p = await page.getByTestId('draw-canvas').boundingBox();
    await page.touchscreen.tap(p.x + p.width / 2, p.y + p.height / 2);
    assert.ok(pad.width > 200);
    assert.match(await page.getByTestId('pad-source').textContent(), /your drawing/);
  }, PHONE));

test('the first screen says what to do, and keeps the version and the adapter in the badge’s tooltip', async () => {
  for (const options of [{ viewport: PROJECTOR }, PHONE]) {
    await withPage(async (page) => {
      const links = page.locator('.start-here a');
      assert.equal(await links.count(), 3);
      for (let i = 0; i < 3; i++) {
        const r = await links.nth(i).boundingBox();
        assert.ok(r.y + r.height <= options.viewport.height, `start link ${i + 1} is on the first screen`);
      }
      assert.match(await page.locator('.start-here').textContent(), /Draw a digit.*Step through.*Train it yourself/s);
      await page.waitForSelector('[data-testid="backend"][data-backend]', { timeout: 60_000 });
      const header = await page.locator('header').innerText();
      assert.doesNotMatch(header, /Core \d|WebAssembly\)|adapter/, 'no implementation details on the first screen');
      assert.match(await page.getByTestId('backend').getAttribute('title'), /Core \d+\.\d+\.\d+ ready/);
      const { out } = await overflow(page);
      assert.deepEqual(out, []);
    }, options);
  }
});

test('the lesson keys and the first screens in 简体中文 too', () =>
  withPage(async (page) => {
    await page.getByTestId('language').selectOption('zh');
    await presenterOn(page);
    await page.keyboard.press('PageDown');
    assert.equal(await presented(page), 'ch-neuron');
    assert.match(await page.locator('.start-here').textContent(), /从这里开始/);
    assert.equal(await page.locator('#status').textContent(), '', 'no loading line comes back with the new language');
    await page.keyboard.press('?');
    assert.match(await page.getByTestId('keys-help').textContent(), /下一章/);
    await page.keyboard.press('Escape');
    assert.match(await page.getByTestId('bp-suggest').textContent(), /网络把这个数字认成 3/);
    assert.match(await page.getByTestId('pad-source').textContent(), /示例数字 3/);
    await page.getByTestId('language').selectOption('en');
  }, { viewport: PROJECTOR }));
