// What the browser tests share: the static server (scripts/server.py) on the built site dist/,
// Debian's Chromium driven by playwright-core — with WebGPU (SwiftShader) or without it, to test
// the CPU fallback — and helpers to open the page collecting every console error, and to draw on
// the pad.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const BASE_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan'];

/** The static site scripts/build.sh writes: what the tests, benchmarks and screenshots serve. */
export const dist = path.join(root, 'dist');

/** Every file of the page in the repository (index.html, www/ with its pkg), as paths from root. */
function pageFiles(dir = 'www') {
  return readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .flatMap((e) => (e.isDirectory() ? pageFiles(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
}

/**
 * Throw unless dist/ holds the page as it is now: a test of an old copy would pass or fail for
 * nothing. Comparing the bytes of ~2 MB costs a few milliseconds.
 */
export function checkDist() {
  const rebuild = 'run scripts/build.sh (scripts/test.sh runs it), which writes the site the tests serve';
  if (!existsSync(path.join(dist, 'www/pkg/cnn_core_bg.wasm'))) throw new Error(`dist/ is not built: ${rebuild}`);
  for (const file of ['index.html', ...pageFiles()]) {
    const built = path.join(dist, file);
    if (!existsSync(built) || !readFileSync(built).equals(readFileSync(path.join(root, file)))) {
      throw new Error(`dist/${file} differs from ${file}: ${rebuild}`);
    }
  }
}

/** Start scripts/server.py on dist/ at a free port; resolves to { url, stop }. */
export function startServer() {
  checkDist();
  return new Promise((resolve, reject) => {
    const server = spawn('python3', [path.join(root, 'scripts/server.py'), '--port', '0', '--quiet', '--root', dist], {
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

/** Chromium with WebGPU (`webgpu: true`) or as a browser without it; `args`: more switches. */
export function launch({ webgpu, args = [] }) {
  return chromium.launch({ executablePath: CHROMIUM, args: [...(webgpu ? [...BASE_ARGS, ...WEBGPU_ARGS] : BASE_ARGS), ...args] });
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
export async function openPage(browser, url, { viewport = { width: 1200, height: 900 }, init = null } = {}) {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  if (init) await page.addInitScript(init);
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

/**
 * Open the page (CPU path unless `query` says otherwise), scroll the element `scrollTo` (a CSS
 * selector) into view if given, run `check(page)`, then require that nothing went wrong on the
 * way (no console error, no failed request); the page is closed whatever happens. `init` runs in
 * the page before its own scripts (e.g. to take IndexedDB away).
 */
export async function withPage(browser, server, check, { viewport = { width: 1400, height: 1000 }, query = 'backend=cpu', scrollTo = null, init = null } = {}) {
  const { page, errors } = await openPage(browser, `${server.url}?${query}`, { viewport, init });
  try {
    if (scrollTo) await page.locator(scrollTo).first().scrollIntoViewIfNeeded();
    await check(page);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
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
