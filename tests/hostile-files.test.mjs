// Issue 16's hostile model files, loaded in the page the way a learner would (the "Load" file
// input): each must be refused with the core's sentence, the current model must keep predicting,
// the tab must not freeze and nothing may reach the console. The files are the ones the native
// regression tests build and keep in crate/tests/data/hostile/ (crate/tests/hostile_files.rs).
// They take the page's path (Predictor.fromFile, which checks the spec, the digit shape and the
// memory budget before anything is allocated), in the CPU build the page runs on its own thread.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openPage, draw, waitForText, root, shareBrowser } from './lib/harness.mjs';
import { STYLES } from './lib/strokes.mjs';

const DIR = path.join(root, 'crate/tests/data/hostile');

/**
 * What the page says about each file. The 32-bit browser build cannot even hold some of the
 * sizes (a usize past 2³²), so those are refused as unreadable specs; the others by shape
 * inference, with the layer and the size named.
 */
const EXPECTED = {
  'conv1x1-pad100000.cnn': /layer 0 \(Conv2d 1@1×1, stride 1000000, pad 100000\): padding 100000 is more than the kernel size less one \(0\)/,
  'conv-stride2p32-pad2p31.cnn': /the file's model spec cannot be read: .*4294967296/,
  'conv-stride65536-pad32754.cnn': /layer 0 \(Conv2d 1@1×1, stride 65536, pad 32754\): padding 32754 is more than the kernel size less one/,
  'conv1x1-pad20000.cnn': /layer 0 \(Conv2d 1@1×1, pad 20000\): padding 20000 is more than the kernel size less one/,
  'input-100000x100000.cnn': /the input size \[1, 100000, 100000\] is too large to count/,
  'batchnorm-2p63-channels.cnn': /the file's model spec cannot be read: .*9223372036854775808/,
  'three-convs-2p63-macs.cnn': /the file's model spec cannot be read: .*4294967296/,
  'leaky-relu-slope-1e39.cnn': /layer 1 \(LeakyReLU\(inf\)\): slope is inf, not a finite number/,
  'batchnorm-eps-1e39.cnn': /layer 1 \(BatchNorm2d\): eps is inf, not a finite number/,
};

let server, browser;
shareBrowser({ webgpu: false }, (s, b) => ([server, browser] = [s, b]));

test('every kept hostile file has its expected refusal', () => {
  assert.deepEqual(readdirSync(DIR).sort(), Object.keys(EXPECTED).sort());
});

test('each hostile model file is refused with the core’s reason; the current model keeps predicting', async () => {
  const { page, errors } = await openPage(browser, `${server.url}?backend=cpu`);
  try {
    const input = page.getByTestId('model-load');
    for (const [name, reason] of Object.entries(EXPECTED)) {
      const started = Date.now();
      await input.setInputFiles({ name, mimeType: 'application/octet-stream', buffer: readFileSync(path.join(DIR, name)) });
      await waitForText(page, 'model-message', new RegExp(`Could not load ${name.replace(/\./g, '\\.')}: `), 10_000);
      const text = await page.getByTestId('model-message').textContent();
      assert.match(text, reason, name);
      assert.match(text, /The current model is unchanged\.$/, name);
      // The tab answers at once: the refusal came before any allocation, not after a long one.
      assert.ok(Date.now() - started < 10_000, `${name} took ${Date.now() - started} ms`);
      await draw(page, STYLES.upright[3]);
      assert.equal(await page.getByTestId('prediction').textContent(), '3', `${name}: the current model still predicts`);
      assert.ok(await page.locator('#error').isHidden(), await page.locator('#error').textContent());
    }
    // The reason is written in the reader's language too.
    await page.getByTestId('language').selectOption('zh');
    assert.match(await page.getByTestId('model-message').textContent(), /无法加载 batchnorm-eps-1e39\.cnn：.*第 1 层（批量归一化层）：eps 是 inf，不是一个有限的数.*当前模型保持不变/);
    await page.getByTestId('language').selectOption('en');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
