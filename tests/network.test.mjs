// "Your own network": the learner's PyTorch code read as they paste it, the table with its lines
// and its mistakes, and a residual network made the page's own — trained for a few seconds with
// the loss falling, stepped through block by block, and exported back to PyTorch. The CPU path.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { waitForTraining, waitForText, shareBrowser, withPage as sharedWithPage } from './lib/harness.mjs';

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

/** Open the page on the CPU path, run `check`, and require a clean console. */
const withPage = (check) => sharedWithPage(browser, server, check);

const D2L_LENET = `net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
    nn.Linear(120, 84), nn.Sigmoid(),
    nn.Linear(84, 10))`;

/** Type code and an input shape into the editor and build the table. */
async function build(page, code, input = '1, 28, 28') {
  await page.getByTestId('arch-editor').fill(code);
  await page.getByTestId('arch-input').fill(input);
  await page.getByTestId('arch-build').click();
}

/** The table as the learner reads it: line, layer, output shape and status of every row. */
const rows = (page) =>
  page.$$eval('[data-testid="arch-table"] tbody tr', (trs) =>
    trs.map((tr) => ({ line: tr.querySelector('td.line').textContent, shape: tr.querySelector('td.shape').textContent, status: tr.dataset.status, text: tr.children[1].textContent })),
  );

test("pasting d2l's LeNet gives its 61,706 parameters and the shapes d2l prints", () =>
  withPage(async (page) => {
    await build(page, D2L_LENET);
    assert.equal(await page.getByTestId('arch-total-params').getAttribute('data-value'), '61706');
    assert.equal(await page.getByTestId('arch-total-params').textContent(), '61,706');
    const r = await rows(page);
    // d2l 6.6 prints, for X of shape (1, 1, 28, 28): Conv2d (1, 6, 28, 28), Sigmoid, AvgPool2d
    // (1, 6, 14, 14), Conv2d (1, 16, 10, 10), Sigmoid, AvgPool2d (1, 16, 5, 5), Flatten (1, 400),
    // Linear (1, 120), Sigmoid, Linear (1, 84), Sigmoid, Linear (1, 10).
    assert.deepEqual(
      r.map((x) => x.shape),
      ['(N, 1, 28, 28)', '(N, 6, 28, 28)', '(N, 6, 28, 28)', '(N, 6, 14, 14)', '(N, 16, 10, 10)', '(N, 16, 10, 10)', '(N, 16, 5, 5)', '(N, 400)', '(N, 120)', '(N, 120)', '(N, 84)', '(N, 84)', '(N, 10)'],
    );
    assert.deepEqual(r.map((x) => x.line), ['', '2', '2', '3', '4', '4', '5', '6', '7', '7', '8', '8', '9']);
    assert.ok(r.every((x) => x.status === 'ok'));
    assert.ok(await page.getByTestId('arch-error').isHidden());
    assert.ok(await page.getByTestId('arch-use').isEnabled());
    // Typing rebuilds the table by itself (debounced): a third conv channel count changes the total.
    await page.getByTestId('arch-editor').fill(D2L_LENET.replace('nn.Linear(84, 10)', 'nn.Linear(84, 5)'));
    await page.waitForFunction(() => document.querySelector('[data-testid="arch-total-params"]').dataset.value === String(61706 - 5 * 85));
  }));

test('a pasted class: the nn.Sequential inside it is found, its comments in Chinese skipped', () =>
  withPage(async (page) => {
    await page.getByTestId('arch-example').selectOption('alexnet-class');
    const code = await page.getByTestId('arch-editor').inputValue();
    assert.match(code, /class AlexNet\(nn\.Module\):/);
    assert.match(code, /self\.model1 = nn\.Sequential\(/);
    assert.equal(await page.getByTestId('arch-input').inputValue(), '1, 224, 224');
    assert.equal(await page.getByTestId('arch-total-params').getAttribute('data-value'), '46764746');
    const r = await rows(page);
    assert.equal(r.find((x) => x.text.startsWith('Flatten')).shape, '(N, 6400)');
    assert.equal(r.at(-1).shape, '(N, 10)');
    // 224×224 images are not the digits: shown, not trained, and said why.
    assert.ok(await page.getByTestId('arch-use').isDisabled());
    assert.match(await page.getByTestId('arch-use-message').textContent(), /1 × 28 × 28.*\(N, 1, 224, 224\)/);
  }));

test('where the sizes stop adding up is a row on its line naming both numbers; bad code points at line and column', () =>
  withPage(async (page) => {
    await page.getByTestId('arch-example').selectOption('zfnet');
    const r = await rows(page);
    const bad = r.filter((x) => x.status === 'error');
    assert.equal(bad.length, 1, JSON.stringify(r));
    assert.equal(bad[0].line, '13');
    assert.match(bad[0].text, /expects 9,216 inputs but receives 6,400/);
    // The rows before it stay shown, with their shapes.
    const at = r.indexOf(bad[0]);
    assert.equal(r[at - 1].shape, '(N, 6400)');
    assert.ok(r.slice(1, at).every((x) => x.status === 'ok' && /^\(N, /.test(x.shape)));
    assert.ok(await page.getByTestId('arch-use').isDisabled());
    assert.match(await page.getByTestId('arch-use-message').textContent(), /do not add up \(rows marked in red: 1\)/);

    await build(page, 'net = nn.Sequential(\n    nn.Conv2d(1, 6, 5),\n    nn.Conv3d(6, 16, 5))');
    await waitForText(page, 'arch-error', /^Line 3, column 5: nn\.Conv3d is not a layer the notebook has/);
    await build(page, 'net = nn.Sequential(\n    nn.Conv2d(1, 6, 5),\n    nn.ReLU()');
    await waitForText(page, 'arch-error', /^Line 1, column 20: this “\(” is never closed/);
    assert.equal((await rows(page)).length, 0);
    await build(page, D2L_LENET, '1, 28');
    await waitForText(page, 'arch-error', /^Input: write the input as three whole numbers/);
  }));

test('a residual network becomes the page’s own: it trains with the loss falling, steps through its blocks and exports', () =>
  withPage(async (page) => {
    await waitForTraining(page);
    await page.getByTestId('arch-example').selectOption('resnet');
    assert.equal(await page.getByTestId('arch-total-params').getAttribute('data-value'), '19674');
    await page.getByTestId('arch-use').click();
    await waitForText(page, 'arch-use-message', /now uses your network \(19,674 parameters/);

    // Training: the panel was rebuilt with the learner's network; a few seconds lower the loss.
    await waitForTraining(page);
    await page.getByTestId('lr').fill('-2.5');
    await page.getByTestId('lr').dispatchEvent('change');
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => window.cnnNotebook.training.history.length >= 8, null, { timeout: 180_000 });
    await page.getByTestId('train-pause').click();
    const history = await page.evaluate(() => window.cnnNotebook.training.history);
    const mean = (hs) => hs.reduce((a, h) => a + h.loss, 0) / hs.length;
    assert.ok(Math.abs(history[0].loss - Math.log(10)) < 0.8, `fresh weights start near ln 10: ${history[0].loss}`);
    assert.ok(mean(history.slice(-3)) < mean(history.slice(0, 2)) * 0.85, `the loss fell: ${history.map((h) => h.loss.toFixed(3)).join(' ')}`);

    // Step-through: every node of the graph has its row; the residual sums show f(x), x and the sum.
    await page.waitForFunction(() => document.querySelectorAll('#layers-view li.layer').length > 20);
    const stepped = await page.$$eval('#layers-view li.layer', (lis) => lis.map((li) => li.className));
    assert.equal(stepped.filter((c) => c.includes('kind-add')).length, 2);
    const sum = page.locator('#layers-view li.kind-add').first();
    assert.match(await sum.locator('.part').textContent(), /the residual sum: f\(x\) \+ x/);
    assert.deepEqual(
      (await sum.locator('.sum-term .hint').allTextContents()).map((s) => s.replace(/ \(.*|, from .*/, '')),
      ['f(x)', '+ x, the block’s input'],
    );
    assert.equal(await sum.locator('.sum-term canvas').count(), 32, 'f(x) and x: 16 maps each');
    const shortcut = page.locator('#layers-view li.kind-add').nth(1);
    assert.match(await shortcut.locator('.sum-term .hint').nth(1).textContent(), /^\+ shortcut\(x\), from \d+ · Conv2d 32@1×1, stride 2/);
    assert.ok((await page.locator('#layers-view li .part', { hasText: 'inside a residual block: f(x)' }).count()) >= 8);
    // The stepper walks through them all.
    await page.getByTestId('forward-prev').click();
    assert.match(await page.getByTestId('forward-step').textContent(), /Layer \d+ \(of 0–\d+\)/);

    // Export: Residual as a class of its own, the same network, weights named for its state_dict.
    const [code] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-code').click()]);
    const text = await readFile(await code.path(), 'utf8');
    assert.match(text, /class Residual\(nn\.Module\):/);
    assert.match(text, /shortcut=nn\.Conv2d\(16, 32, kernel_size=1, stride=2, padding=0\),/);
    assert.match(text, /nn\.Conv2d\(16, 16, kernel_size=3, stride=1, padding=1, bias=False\),/);
    assert.match(text, /nn\.AdaptiveAvgPool2d\(1\),/);
    const [weights] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-weights').click()]);
    const bytes = await readFile(await weights.path());
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'));
    assert.ok('3.body.0.weight' in header && '5.shortcut.weight' in header && '5.shortcut.bias' in header, Object.keys(header).join(' '));
    assert.ok(!('3.body.0.bias' in header), 'bias=False exports no bias');

    // The backprop lesson on it: one click per node, the sums telling where their gradient goes.
    await page.getByTestId('bp-forward').click();
    while (await page.getByTestId('bp-back').isEnabled()) await page.getByTestId('bp-back').click();
    assert.ok(await page.getByTestId('bp-update').isEnabled(), 'every layer shown: the update is next');
    const stories = await page.locator('[data-testid^="bp-story-"]').allTextContents();
    assert.equal(stories.length, 21);
    assert.equal(new Set(stories).size, 21, 'each node its own sentence');
    assert.deepEqual(
      stories.filter((s) => / = f\(x\) \+ /.test(s)).map((s) => s.match(/to layer (\d+) \(the end of f\) and (?:straight back )?to layer (\d+)/).slice(1)),
      [['14', '15'], ['7', '2']],
    );
    assert.match(stories.find((s) => s.includes('shortcut(x)')), /layer 15, the shortcut's 1×1 projection/);
    await page.getByTestId('bp-update').click();
    assert.ok((await page.locator('[data-testid^="bp-update-"]').count()) > 0);
  }));

test('the degradation experiment trains a plain and a residual 20-layer net side by side and the residual one ends lower', () =>
  withPage(async (page) => {
    await page.getByTestId('degradation-run').click();
    assert.ok(await page.getByTestId('degradation-stop').isEnabled());
    await page.waitForFunction(() => document.querySelector('[data-testid="degradation-result"]').dataset.plain, null, { timeout: 300_000 });
    const result = page.getByTestId('degradation-result');
    const plain = Number(await result.getAttribute('data-plain'));
    const residual = Number(await result.getAttribute('data-residual'));
    // One epoch of the same batches from the same weights: measured here 0.61 against 0.28.
    assert.ok(residual < plain * 0.8, `residual ${residual} vs plain ${plain}`);
    assert.match(await result.textContent(), /^Training loss at the end \(mean of the last reports\): plain 0\.\d{3}, residual 0\.\d{3}\./);
    // Both curves have every report of the epoch: 125 steps in chunks of 4.
    assert.equal(await page.getByTestId('degradation-chart').getAttribute('data-points'), '32,32');
    assert.ok(await page.getByTestId('degradation-run').isEnabled());
    assert.deepEqual(await page.getByTestId('degradation-legend').locator('li').allTextContents(), ['plain: 20 layers, no shortcuts', 'residual: the same 20 layers, x + f(x) around each pair']);
  }));
