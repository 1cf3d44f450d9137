// The training lab's "your drawings" (www/lab/drawings.js) in the real page: mounted into a card
// of its own (the lab chapter mounts it the same way), with the page's core. Digits are drawn with
// the mouse strokes of tests/lib/strokes.mjs, added with a right and a wrong label, relabelled
// and removed; the set survives a reload (IndexedDB) and is exported as two IDX files whose bytes
// are read back here. A browser without IndexedDB keeps the set in memory and says so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { shareBrowser, draw, withPage as sharedWithPage } from './lib/harness.mjs';
import { STYLES } from './lib/strokes.mjs';

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

/** Mount the widget in a fresh card at the end of the page; resolves once its saved set is loaded. */
function mount(page) {
  return page.evaluate(async () => {
    const { Drawings } = await import('/www/lab/drawings.js');
    const card = document.createElement('div');
    card.className = 'card';
    card.id = 'drawings-card';
    // The lab chapter holds the page's own set: taken out, so that the hooks are this one's.
    document.querySelector('.lab-drawings-body')?.replaceChildren();
    document.querySelector('main').append(card);
    window.changes = [];
    window.drawings = new Drawings(card, window.cnnNotebook.core, { onChange: (items) => window.changes.push(items.map((d) => d.label)) });
    await window.drawings.ready;
  });
}

const items = (page) => page.evaluate(() => window.drawings.items().map(({ id, image, label, wrong }) => ({ id, label, wrong, length: image.length, ink: image.reduce((a, b) => a + b, 0) })));
const thumbs = (page) =>
  page.getByTestId('drawing-item').evaluateAll((lis) => lis.map((li) => ({ label: li.dataset.label, wrong: li.dataset.wrong, select: li.querySelector('select').value })));

/** Open the page (with its errors collected), run `check`, then require no error. */
const withPage = (check, { init } = {}) => sharedWithPage(browser, server, check, { query: '', init });

/** Read an IDX file's header: its magic and sizes, and where the data starts. */
function idxHeader(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const dims = Array.from({ length: magic & 0xff }, (_, i) => view.getUint32(4 + 4 * i));
  return { magic, dims, data: bytes.subarray(4 + 4 * dims.length) };
}

test('drawings are added, relabelled, removed, kept across a reload and exported as IDX', () =>
  withPage(async (page) => {
    await mount(page);
    assert.equal(await page.getByTestId('drawings-count').textContent(), 'No drawings yet: draw one, pick its label and add it.');
    assert.match(await page.getByTestId('drawings-storage').textContent(), /IndexedDB/);
    assert.ok(await page.getByTestId('drawings-add').isDisabled(), 'nothing to add from an empty pad');
    assert.ok(await page.getByTestId('drawings-export').isDisabled());

    // A 3, labelled 3: the stored image is exactly what the core's preprocess makes of the pad.
    await draw(page, STYLES.upright[3], 'drawings-pad');
    await page.getByTestId('drawings-label').selectOption('3');
    const expected = await page.evaluate(() => {
      const pad = document.querySelector('[data-testid="drawings-pad"]');
      const rgba = pad.getContext('2d').getImageData(0, 0, pad.width, pad.height).data;
      return Array.from(window.cnnNotebook.core.preprocess(rgba, pad.width, pad.height));
    });
    await page.getByTestId('drawings-add').click();
    const stored = await page.evaluate(() => Array.from(window.drawings.items()[0].image));
    assert.deepEqual(stored, expected, 'the drawing is the 28×28 image of the pad, through core.preprocess');
    assert.equal(await page.getByTestId('drawings-status').textContent(), 'Added drawing 1, labelled 3.');
    assert.ok(await page.getByTestId('drawings-add').isDisabled(), 'the pad is cleared for the next digit');

    // A 7 labelled 1, wrong on purpose.
    await draw(page, STYLES.upright[7], 'drawings-pad');
    await page.getByTestId('drawings-label').selectOption('1');
    await page.getByTestId('drawings-wrong').check();
    await page.getByTestId('drawings-add').click();
    assert.equal(await page.getByTestId('drawings-wrong').isChecked(), false, 'the wrong mark does not stick to the next drawing');
    // And a 0 from the sample button (the keyboard's way to a digit), labelled 0.
    await page.getByTestId('drawings-label').selectOption('0');
    await page.getByTestId('drawings-sample').click();
    await page.getByTestId('drawings-add').click();

    let list = await items(page);
    assert.deepEqual(list.map(({ id, label, wrong, length }) => ({ id, label, wrong, length })), [
      { id: 1, label: 3, wrong: false, length: 784 },
      { id: 2, label: 1, wrong: true, length: 784 },
      { id: 3, label: 0, wrong: false, length: 784 },
    ]);
    for (const d of list) assert.ok(d.ink > 20 && d.ink < 300, `drawing ${d.id} has ${d.ink} of ink`);
    assert.deepEqual(await thumbs(page), [
      { label: '3', wrong: 'false', select: '3' },
      { label: '1', wrong: 'true', select: '1' },
      { label: '0', wrong: 'false', select: '0' },
    ]);
    // Each thumbnail shows its image: the canvas's pixels are the drawing's.
    const painted = await page.getByTestId('drawing-item').nth(0).locator('canvas').evaluate((c) => {
      const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
      return Array.from({ length: 784 }, (_, i) => d[i * 4]);
    });
    assert.deepEqual(painted, stored.map((v) => Math.round(v * 255)));
    assert.equal(await page.getByTestId('drawings-count').textContent(), '3 drawings');
    assert.match(await page.locator('.drawings-wrong-count').textContent(), /^1 of them labelled wrong on purpose$/);
    const counts = await page.getByTestId('drawings-counts').locator('li .n').allTextContents();
    assert.deepEqual(counts, ['1', '1', '0', '1', '0', '0', '0', '0', '0', '0']);

    // Relabel the wrong one to 7 and unmark it; remove the 0.
    await page.getByTestId('drawing-relabel').nth(1).selectOption('7');
    await page.getByTestId('drawing-wrong').nth(1).uncheck();
    await page.getByTestId('drawing-remove').nth(2).click();
    list = await items(page);
    assert.deepEqual(list.map(({ id, label, wrong }) => ({ id, label, wrong })), [{ id: 1, label: 3, wrong: false }, { id: 2, label: 7, wrong: false }]);
    assert.deepEqual(await thumbs(page), [{ label: '3', wrong: 'false', select: '3' }, { label: '7', wrong: 'false', select: '7' }]);
    // onChange saw the load and every change, with the set after it.
    assert.deepEqual(await page.evaluate(() => window.changes), [[], [3], [3, 1], [3, 1, 0], [3, 7, 0], [3, 7, 0], [3, 7]]);
    // Mark it wrong again, to see the mark come back after the reload.
    await page.getByTestId('drawing-wrong').nth(1).check();
    await page.evaluate(() => window.drawings.saved());

    // Reload: the set is read back from IndexedDB, images and all.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await mount(page);
    const reloaded = await page.evaluate(() => window.drawings.items().map((d) => ({ id: d.id, label: d.label, wrong: d.wrong, image: Array.from(d.image) })));
    assert.deepEqual(reloaded.map(({ id, label, wrong }) => ({ id, label, wrong })), [{ id: 1, label: 3, wrong: false }, { id: 2, label: 7, wrong: true }]);
    assert.deepEqual(reloaded[0].image, stored, 'the image comes back bit for bit');
    assert.deepEqual(await thumbs(page), [{ label: '3', wrong: 'false', select: '3' }, { label: '7', wrong: 'true', select: '7' }]);

    // Export: two downloads, the IDX pair made by the core.
    const downloads = [];
    page.on('download', (d) => downloads.push(d));
    await page.getByTestId('drawings-export').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="drawings-status"]').textContent.startsWith('Exported'));
    await new Promise((r) => setTimeout(r, 0));
    for (let i = 0; i < 100 && downloads.length < 2; i++) await page.waitForTimeout(50);
    const byName = Object.fromEntries(await Promise.all(downloads.map(async (d) => [d.suggestedFilename(), new Uint8Array(await readFile(await d.path()))])));
    assert.deepEqual(Object.keys(byName).sort(), ['mine-images-idx3-ubyte', 'mine-labels-idx1-ubyte']);
    const images = idxHeader(byName['mine-images-idx3-ubyte']);
    assert.equal(images.magic, 0x803);
    assert.deepEqual(images.dims, [2, 28, 28]);
    assert.equal(images.data.length, 2 * 784);
    reloaded.forEach((d, k) => assert.deepEqual(Array.from(images.data.subarray(k * 784, (k + 1) * 784)), d.image.map((v) => Math.round(v * 255)), `image ${k}`));
    const labels = idxHeader(byName['mine-labels-idx1-ubyte']);
    assert.equal(labels.magic, 0x801);
    assert.deepEqual(labels.dims, [2]);
    assert.deepEqual(Array.from(labels.data), [3, 7]);
    assert.equal(await page.getByTestId('drawings-status').textContent(), 'Exported 2 drawings as mine-images-idx3-ubyte and mine-labels-idx1-ubyte.');

    // The core refuses what is not a pair with a sentence the page can translate.
    const refused = await page.evaluate(() => {
      try {
        window.cnnNotebook.core.idxPair(new Float32Array(784), new Uint8Array([10]));
        return null;
      } catch (err) {
        return { key: err.key, message: err.message };
      }
    });
    assert.deepEqual(refused, { key: 'pair.badLabel', message: 'drawing 0 is labelled 10; the labels are the digits 0 to 9' });

    // Remove all asks first; "Keep them" keeps them, and the keyboard's Escape too.
    await page.getByTestId('drawings-remove-all').click();
    assert.ok(await page.getByTestId('drawings-confirm').isVisible());
    assert.equal(await page.getByTestId('drawings-confirm-yes').textContent(), 'Remove all 2');
    await page.keyboard.press('Escape');
    assert.ok(await page.getByTestId('drawings-confirm').isHidden());
    assert.equal((await items(page)).length, 2);
    await page.getByTestId('drawings-remove-all').click();
    await page.getByTestId('drawings-confirm-yes').click();
    assert.deepEqual(await items(page), []);
    assert.equal(await page.getByTestId('drawing-item').count(), 0);
    await page.evaluate(() => window.drawings.saved());
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await mount(page);
    assert.deepEqual(await items(page), [], 'removed from IndexedDB as well');
  }));

test('in 简体中文, and without IndexedDB the set lives in memory and says so', () =>
  withPage(
    async (page) => {
      await mount(page);
      assert.match(await page.getByTestId('drawings-storage').textContent(), /does not let the page keep data \(.+\)/);
      await page.evaluate(async () => (await import('/www/i18n.js')).setLanguage('zh', { remember: false }));
      await page.evaluate(() => window.drawings.refresh());
      assert.equal(await page.getByTestId('drawings-add').textContent(), '添加');
      assert.equal(await page.getByTestId('drawings-export').textContent(), '导出为 IDX 文件');
      assert.match(await page.getByTestId('drawings-storage').textContent(), /不允许页面保存数据/);
      await draw(page, STYLES['narrow, slanted'][4], 'drawings-pad');
      await page.getByTestId('drawings-label').selectOption('9');
      await page.getByTestId('drawings-wrong').check();
      await page.getByTestId('drawings-add').click();
      assert.equal(await page.getByTestId('drawings-status').textContent(), '已添加第 1 个数字，标签为 9——故意标错的。');
      assert.equal(await page.getByTestId('drawings-count').textContent(), '1 个数字');
      assert.equal(await page.getByTestId('drawing-remove').getAttribute('aria-label'), '删除第 1 个数字');
      assert.deepEqual((await items(page)).map(({ label, wrong }) => ({ label, wrong })), [{ label: 9, wrong: true }]);
      // Back to English: the words written by code follow.
      await page.evaluate(async () => (await import('/www/i18n.js')).setLanguage('en', { remember: false }));
      await page.evaluate(() => window.drawings.refresh());
      assert.equal(await page.getByTestId('drawings-count').textContent(), '1 drawing');
      assert.equal(await page.getByTestId('drawing-relabel').getAttribute('aria-label'), 'Label of drawing 1');
    },
    // A browser that refuses storage (some private modes): touching indexedDB throws.
    { init: () => Object.defineProperty(window, 'indexedDB', { get() { throw new DOMException('storage is disabled', 'SecurityError'); } }) },
  ));

test('every string of the widget is in English and 简体中文', async () => {
  const { default: table } = await import('../www/lab/drawings.strings.js');
  const en = Object.keys(table.en).sort();
  assert.deepEqual(Object.keys(table.zh).sort(), en);
  for (const key of en) {
    const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();
    assert.equal(names(table.zh[key]), names(table.en[key]), `${key}: the same placeholders`);
  }
});
