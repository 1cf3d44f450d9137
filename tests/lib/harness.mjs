// What the browser tests share: the static server (scripts/server.py), Debian's Chromium driven
// by playwright-core — with WebGPU (SwiftShader) or without it, to test the CPU fallback — and
// helpers to open the page collecting every console error, and to draw on the pad.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const BASE_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan'];

/** Start scripts/server.py on a free port; resolves to { url, stop }. */
export function startServer() {
  if (!existsSync(path.join(root, 'www/pkg/cnn_core_bg.wasm'))) throw new Error('www/pkg is not built: run scripts/test.sh');
  return new Promise((resolve, reject) => {
    const server = spawn('python3', [path.join(root, 'scripts/server.py'), '--port', '0', '--quiet', '--root', root], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/serving (http:\/\/\S+)/);
      if (m) resolve({ url: m[1], stop: () => server.kill() });
    });
    server.on('error', reject);
    server.on('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
  });
}

/** Chromium with WebGPU (`webgpu: true`) or as a browser without it. */
export function launch({ webgpu }) {
  return chromium.launch({ executablePath: CHROMIUM, args: webgpu ? [...BASE_ARGS, ...WEBGPU_ARGS] : BASE_ARGS });
}

/**
 * The server and Chromium for a whole test file: started before its first test, closed after
 * its last (node:test's before/after), handed to `set` once running.
 */
export function shareBrowser({ webgpu }, set) {
  let server, browser;
  before(async () => {
    server = await startServer();
    browser = await launch({ webgpu });
    set(server, browser);
  });
  after(async () => {
    await browser?.close();
    server?.stop();
  });
}

/** Open the page and collect every console error, uncaught exception and failed request. */
export async function openPage(browser, url, { viewport = { width: 1200, height: 900 } } = {}) {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const errors = [];
  const watch = (where) => (msg) => {
    if (msg.type() === 'error') errors.push(`${where} console: ${msg.text()}`);
  };
  page.on('console', watch('page'));
  page.on('worker', (w) => w.on('console', watch('worker')));
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
  page.on('requestfailed', (req) => {
    // A download's blob: URL is cancelled by the browser once saved; that is not an error.
    if (!req.url().startsWith('blob:')) errors.push(`request failed: ${req.url()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  const started = Date.now();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page, errors, readyMs: Date.now() - started };
}

/** Draw strokes (lists of [x, y] in the unit square) on a pad (the draw chapter's unless
 *  another's test id is given) with the mouse. */
export async function draw(page, strokes, testid = 'draw-canvas') {
  const pad = page.getByTestId(testid);
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const p of stroke.slice(1)) await page.mouse.move(...at(p));
    await page.mouse.up();
  }
}

/** Wait until the training worker has loaded the digits and built the network. */
export async function waitForTraining(page, timeout = 180_000) {
  await page.waitForFunction(() => !document.getElementById('train-reset').disabled, null, { timeout });
}

/** A digest of a canvas's pixels, to tell whether it changed. */
export function canvasDigest(page, testid) {
  return page.evaluate((id) => {
    const c = document.querySelector(`[data-testid="${id}"]`);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) >>> 0;
    return h;
  }, testid);
}

/** Wait until an element's text matches `pattern` (event handlers may finish after an action). */
export async function waitForText(page, testid, pattern, timeout = 30_000) {
  const re = pattern instanceof RegExp ? pattern : new RegExp(pattern);
  try {
    await page.waitForFunction(
      ([id, source, flags]) => new RegExp(source, flags).test(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''),
      [testid, re.source, re.flags],
      { timeout },
    );
  } catch (err) {
    const text = await page.getByTestId(testid).textContent();
    throw new Error(`${testid} never matched ${re}: it says "${text}"`);
  }
  return page.getByTestId(testid).textContent();
}
