// End-to-end tests of the notebook page: the static server from scripts/server.py, Debian's
// Chromium driven by playwright-core. The page must load the WebAssembly core and show what it
// computed, with no error on the console. Build the module first (scripts/test.sh does).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

let server, base, browser;

/** Start scripts/server.py on a free port; resolves to its base URL. */
function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn('python3', [path.join(root, 'scripts/server.py'), '--port', '0', '--quiet', '--root', root], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/serving (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    server.on('error', reject);
    server.on('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
  });
}

before(async () => {
  assert.ok(existsSync(path.join(root, 'www/pkg/cnn_core_bg.wasm')), 'www/pkg is not built: run scripts/test.sh');
  base = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

/** Open the page and collect every console error and uncaught exception. */
async function openPage() {
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page, errors };
}

test('the server sends the wasm module as application/wasm', async () => {
  const res = await fetch(new URL('www/pkg/cnn_core_bg.wasm', base));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/wasm');
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 4)], [0x00, 0x61, 0x73, 0x6d], 'starts with the \\0asm magic');
});

test('the page shows LeNet’s layer table computed by the core', async () => {
  const { page, errors } = await openPage();
  assert.equal(await page.locator('#preset').inputValue(), 'lenet-d2l');
  assert.equal(await page.locator('#layer-table tfoot .total-params').textContent(), '61,706');
  const rows = await page.locator('#layer-table tbody tr').allTextContents();
  assert.equal(rows.length, 13, 'the input row and 12 layers');
  assert.match(rows[1], /Conv2d 6@5×5, pad 2\s*\(N, 6, 28, 28\)\s*156\s*117,600/);
  assert.match(rows[12], /Dense 10\s*\(N, 10\)\s*850/);
  assert.match(await page.locator('#status').textContent(), /CPU/);
  assert.ok(await page.locator('#error').isHidden(), await page.locator('#error').textContent());
  assert.deepEqual(errors, []);
  await page.close();
});

test('a forward pass in the page gives ten probabilities that sum to one', async () => {
  const { page, errors } = await openPage();
  const values = await page.locator('#probs .value').allTextContents();
  assert.equal(values.length, 10);
  const sum = values.map((v) => parseFloat(v)).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 100) < 1, `percentages sum to ${sum}`);
  assert.match(await page.locator('#forward-result').textContent(), /Most likely: class \d/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('training on the pattern in the page lowers the loss and raises class 0', async () => {
  const { page, errors } = await openPage();
  const p0 = async () => parseFloat(await page.locator('#probs .value').first().textContent());
  const before = await p0();
  await page.click('#train');
  const text = await page.locator('#train-result').textContent();
  const m = text.match(/loss went ([\d.]+) → ([\d.]+)/);
  assert.ok(m, text);
  assert.ok(parseFloat(m[2]) < parseFloat(m[1]), text);
  assert.ok((await p0()) > before, 'class 0 became more likely');
  assert.deepEqual(errors, []);
  await page.close();
});

test('every preset renders without an error', async () => {
  const { page, errors } = await openPage();
  const names = await page.locator('#preset option').allTextContents();
  assert.deepEqual(names, ['lenet-d2l', 'lenet5', 'lenet-relu']);
  for (const name of names) {
    await page.selectOption('#preset', name);
    assert.equal(await page.locator('#layer-table tfoot .total-params').textContent(), '61,706', name);
    assert.equal(await page.locator('#probs .value').count(), 10, name);
  }
  assert.equal((await page.locator('#layer-table tbody tr').nth(1).textContent()).includes('(N, 6, 28, 28)'), true);
  assert.ok(await page.locator('#error').isHidden());
  assert.deepEqual(errors, []);
  await page.close();
});
