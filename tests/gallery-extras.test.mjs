// The panels beside the gallery's table: GoogLeNet's auxiliary classifiers (on/off) and its 1×1
// bottlenecks, the paper AlexNet's two groups and its LRN, and the adaptive average pool at any
// input size. Each test performs the interaction with the keyboard or the mouse and checks the
// numbers shown against values computed here from the formulas, independently of the core.
// Build the site first: scripts/build.sh writes dist/, which the tests serve.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareBrowser, withPage as sharedWithPage } from './lib/harness.mjs';
import strings from '../www/chapters/gallery.strings.js';

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

const withPage = (check, viewport = { width: 1400, height: 1000 }) =>
  sharedWithPage(browser, server, check, { viewport, scrollTo: '[data-testid="gallery-select"]' });

const en = (n) => n.toLocaleString('en-US');
/** A convolution with a bias: C_out·(C_in/groups)·F² + C_out parameters, H·W·C_out·(C_in/groups)·F² MACs. */
const convParams = (cIn, cOut, f, groups = 1) => cOut * (cIn / groups) * f * f + cOut;
const convMacs = (cIn, cOut, f, hw, groups = 1) => hw * hw * cOut * (cIn / groups) * f * f;
/** PyTorch's adaptive pool windows: [floor(i·n/out), ceil((i+1)·n/out)). */
const windows = (n, out) => Array.from({ length: out }, (_, i) => `[${Math.floor((i * n) / out)}, ${Math.ceil(((i + 1) * n) / out)})`);
const cellTexts = (page, testid) =>
  page.$$eval(`[data-testid="${testid}"] tbody tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));

test('every string of the gallery has a Chinese translation with the same placeholders', () => {
  for (const [key, text] of Object.entries(strings.en)) {
    const zh = strings.zh[key];
    assert.ok(zh, key);
    const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(names(zh), names(text), key);
  }
  assert.deepEqual(Object.keys(strings.zh).sort(), Object.keys(strings.en).sort());
  for (const term of ['瓶颈层', '辅助分类器', '局部响应归一化', '分组卷积', '自适应平均池化']) {
    assert.ok(Object.values(strings.zh).some((s) => s.includes(term)), term);
  }
});

test('GoogLeNet: the 1×1 bottlenecks with and without, and the auxiliary classifiers switched on and off', () =>
  withPage(async (page) => {
    const select = page.getByTestId('gallery-select');
    await select.selectOption('googlenet');
    assert.equal(await page.getByTestId('gallery-note-bottleneck').isVisible(), true);
    assert.equal(await page.getByTestId('gallery-note-groups').isVisible(), false);
    // Inception 3a: 192 channels in, 28×28; 3×3 path 192 → 96 → 128, 5×5 path 192 → 16 → 32.
    const hw = 28;
    const three = { with: convParams(192, 96, 1) + convParams(96, 128, 3), without: convParams(192, 128, 3) };
    const five = { with: convParams(192, 16, 1) + convParams(16, 32, 5), without: convParams(192, 32, 5) };
    const threeMacs = { with: convMacs(192, 96, 1, hw) + convMacs(96, 128, 3, hw), without: convMacs(192, 128, 3, hw) };
    const fiveMacs = { with: convMacs(192, 16, 1, hw) + convMacs(16, 32, 5, hw), without: convMacs(192, 32, 5, hw) };
    let rows = await cellTexts(page, 'gallery-bottleneck');
    assert.deepEqual(rows[0].slice(1), [en(three.with), en(three.without), en(threeMacs.with), en(threeMacs.without)]);
    assert.deepEqual(rows[1].slice(1), [en(five.with), en(five.without), en(fiveMacs.with), en(fiveMacs.without)]);
    assert.deepEqual(rows[2].slice(1), [
      en(three.with + five.with), en(three.without + five.without), en(threeMacs.with + fiveMacs.with), en(threeMacs.without + fiveMacs.without),
    ]);
    assert.match(await page.getByTestId('gallery-bottleneck-where').textContent(), /192 channels in, 28×28/);
    // Another block: the last one, 5b (832 channels in, 7×7).
    await page.getByTestId('gallery-bottleneck-block').selectOption('inception5b');
    rows = await cellTexts(page, 'gallery-bottleneck');
    assert.equal(rows[0][2], en(convParams(832, 384, 3)));
    assert.equal(rows[1][1], en(convParams(832, 48, 1) + convParams(48, 128, 5)));
    assert.equal(rows[1][4], en(convMacs(832, 128, 5, 7)));

    // The auxiliary classifiers: off for "googlenet", counted when switched on.
    const aux = page.getByTestId('gallery-aux');
    const summary = page.getByTestId('gallery-summary');
    assert.equal(await aux.isChecked(), false);
    assert.match(await summary.textContent(), /6,624,904 parameters/);
    await aux.focus();
    await page.keyboard.press('Space');
    assert.equal(await select.inputValue(), 'googlenet-aux');
    assert.match(await summary.textContent(), /13,004,888 parameters/);
    // Each head: a 1×1 conv (no bias) to 128 + BN, fc 2048 → 1024, fc 1024 → 1000.
    const head = (cIn) => cIn * 128 + 2 * 128 + (128 * 16 * 1024 + 1024) + (1024 * 1000 + 1000);
    const extra = head(512) + head(528);
    assert.equal(extra, 13_004_888 - 6_624_904);
    assert.match(await page.getByTestId('gallery-aux-counts').textContent(), new RegExp(`Shown and counted: 13,004,888 parameters, ${en(extra)} of them`));
    assert.equal(await page.locator('#gallery-table tr.row-block', { hasText: 'auxiliary classifier' }).count(), 2);
    await page.keyboard.press('Space');
    assert.equal(await select.inputValue(), 'googlenet');
    assert.equal(await page.locator('#gallery-table tr.row-block', { hasText: 'auxiliary classifier' }).count(), 0);
  }));

test("the paper's AlexNet: two groups on and off, and its LRN explained", () =>
  withPage(async (page) => {
    await page.getByTestId('gallery-select').selectOption('alexnet-paper');
    assert.equal(await page.getByTestId('gallery-note-lrn').isVisible(), true);
    assert.match(await page.getByTestId('gallery-note-lrn').textContent(), /n = 5, k = 2, α = 10⁻⁴, β = 0\.75/);
    const rows = await cellTexts(page, 'gallery-groups-table');
    const split = [convParams(96, 256, 5, 2), convParams(384, 384, 3, 2), convParams(384, 256, 3, 2)];
    const whole = [convParams(96, 256, 5), convParams(384, 384, 3), convParams(384, 256, 3)];
    assert.deepEqual(split[0], 307_456);
    assert.deepEqual(whole[0], 614_656);
    assert.deepEqual(rows.slice(0, 3).map((r) => r.slice(1)), split.map((s, i) => [en(s), en(whole[i])]));
    const saved = whole.reduce((a, b) => a + b) - split.reduce((a, b) => a + b);
    assert.deepEqual(rows[3].slice(1), [en(62_378_344 - saved), '62,378,344']);
    // The toggle redraws the table: conv2's row with its groups and half the parameters.
    const summary = page.getByTestId('gallery-summary');
    assert.match(await summary.textContent(), /62,378,344 parameters/);
    // The paper's network is not torchvision's: its names are the notebook's own module paths.
    assert.equal(await page.locator('#gallery-table', { hasText: 'torchvision:' }).count(), 0);
    const conv2 = () => page.locator('#gallery-table tr', { hasText: 'module: conv2' });
    assert.equal(await conv2().locator('td.num').first().textContent(), '614,656');
    await page.getByTestId('gallery-groups').check();
    assert.match(await summary.textContent(), new RegExp(`${en(62_378_344 - saved)} parameters`));
    assert.match(await conv2().textContent(), /2 groups/);
    assert.equal(await conv2().locator('td.num').first().textContent(), '307,456');
    assert.equal(await page.locator('#gallery-table tr[data-status="error"], #gallery-table tr[data-status="mismatch"]').count(), 0);
    await page.getByTestId('gallery-groups').uncheck();
    assert.match(await summary.textContent(), /62,378,344 parameters/);
  }));

test('an adaptive average pool takes any input size: its windows, and the same output', () =>
  withPage(async (page) => {
    const select = page.getByTestId('gallery-select');
    const side = page.getByTestId('gallery-side');
    const result = page.getByTestId('gallery-adaptive');
    await select.selectOption('resnet18');
    assert.match(await result.textContent(), /224×224 image reaches the pool as 512×7×7 and leaves it as 512×1×1/);
    // ResNet-18 halves the side five times: 320 → 160 → 80 → 40 → 20 → 10.
    await side.fill('320');
    assert.match(await result.textContent(), /320×320 image reaches the pool as 512×10×10 and leaves it as 512×1×1\. Parameters: 11,689,512/);
    assert.match(await page.getByTestId('gallery-windows').textContent(), /\(10 → 1\): \[0, 10\)$/);
    // torchvision's AlexNet: 320 → conv1 79 → pool 39 → pool 19 → pool 9, and 9 → 6 overlapping windows.
    await select.selectOption('alexnet');
    const alex = (s) => {
      const c1 = Math.floor((s + 4 - 11) / 4) + 1;
      const p = (x) => Math.floor((x - 3) / 2) + 1;
      return p(p(p(c1)));
    };
    assert.equal(alex(320), 9);
    assert.match(await result.textContent(), /reaches the pool as 256×9×9 and leaves it as 256×6×6\. Parameters: 61,100,840/);
    assert.equal(await page.getByTestId('gallery-windows').textContent(), `The windows along each side (9 → 6): ${windows(9, 6).join(' ')}`);
    // With the keyboard: the arrow steps the size by one pixel.
    await side.focus();
    await page.keyboard.press('ArrowUp');
    const n = alex(321);
    assert.match(await result.textContent(), new RegExp(`321×321 image reaches the pool as 256×${n}×${n}`));
    // Too small for the layers before the pool: said in the core's words.
    await side.fill('32');
    assert.match(await result.textContent(), /too small for the layers before the pool: .*does not fit/);
    // The windows of the brief's example, 10 → 3, as the page computes them for VGG16 on 320.
    assert.deepEqual(windows(10, 3), ['[0, 4)', '[3, 7)', '[6, 10)']);
    await select.selectOption('vgg16');
    await side.fill('320');
    assert.match(await result.textContent(), /reaches the pool as 512×10×10 and leaves it as 512×7×7/);
    assert.equal(await page.getByTestId('gallery-windows').textContent(), `The windows along each side (10 → 7): ${windows(10, 7).join(' ')}`);
    // No adaptive pool, no panel.
    await select.selectOption('zfnet');
    assert.equal(await page.getByTestId('gallery-note-adaptive').isVisible(), false);
  }));

test('the panels in Chinese', () =>
  withPage(async (page) => {
    await page.getByTestId('language').selectOption('zh');
    await page.getByTestId('gallery-select').selectOption('alexnet-paper');
    assert.match(await page.getByTestId('gallery-note-groups').textContent(), /分组卷积/);
    assert.match(await page.getByTestId('gallery-note-lrn').textContent(), /局部响应归一化/);
    await page.getByTestId('gallery-select').selectOption('googlenet');
    assert.match(await page.getByTestId('gallery-note-bottleneck').textContent(), /瓶颈层/);
    assert.match(await page.getByTestId('gallery-aux-counts').textContent(), /未显示：6,624,904 个参数/);
    await page.getByTestId('gallery-side').fill('320');
    assert.match(await page.getByTestId('gallery-adaptive').textContent(), /320×320 的图像到达池化层时是 1024×10×10，离开时是 1024×1×1/);
  }));
