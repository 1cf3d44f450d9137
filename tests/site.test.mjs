// The built site, dist/ (scripts/build.sh), is the whole notebook: any static file server serves
// it with no other file, at the root of a server or in a sub-folder of one (a school's web server,
// https://school.example/cnn/). Served here by two servers that are not scripts/server.py:
//
//   - `python3 -m http.server` run in dist/, as the README's "Publishing the notebook" says;
//   - a plain Node static server that maps /cnn/ to dist/, knows only the usual web types (the
//     wasm, the model and the gzipped files go out as application/octet-stream) and answers 404
//     to anything outside /cnn/: a path that escapes the folder fails.
//
// On each: the page loads with no failed request and no console error, the pad predicts, the
// training worker reads the ten digit files from data/mnist/, and datasets.js's fashionFiles()
// returns Fashion-MNIST's four files byte for byte as they lie in dist/ (still gzipped). The
// servers' own logs say which files were asked for and answered.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { checkDist, dist, draw, launch, openPage, waitForText, waitForTraining } from './lib/harness.mjs';
import { STYLES } from './lib/strokes.mjs';

const DIGIT_FILES = Array.from({ length: 10 }, (_, d) => `data/mnist/${d}.json`);
const FASHION_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']
  .map((f) => `data/fashion-mnist/${f}`);

/** `python3 -m http.server` in dist/ on a free port; `served` lists [path, status] from its log. */
function pythonServer() {
  return new Promise((resolve, reject) => {
    // -u: its "Serving HTTP on … port N" line must not wait in a pipe's buffer.
    const proc = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1'], { cwd: dist, stdio: ['ignore', 'pipe', 'pipe'] });
    const served = [];
    let log = '';
    proc.stderr.on('data', (chunk) => {
      log += chunk;
      const lines = log.split('\n');
      log = lines.pop();
      for (const line of lines) {
        const m = line.match(/"GET (\S+) HTTP\/[\d.]+" (\d+)/);
        if (m) served.push([m[1].slice(1).replace(/\?.*/, '') || 'index.html', Number(m[2])]);
      }
    });
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/port (\d+)/);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}/`, served, stop: () => proc.kill() });
    });
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`python3 -m http.server exited with ${code} before listening`)));
  });
}

/** The types any web server knows; everything else is sent as application/octet-stream. */
const PLAIN_TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

/** A plain static server that publishes dist/ as the folder /cnn/ of a site. */
function subfolderServer(prefix = '/cnn/') {
  const served = [];
  const server = http.createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://host').pathname);
    const rel = pathname.startsWith(prefix) ? pathname.slice(prefix.length).replace(/(^|\/)$/, '$1index.html') : null;
    const file = rel === null ? null : path.join(dist, rel);
    let body = null;
    if (file?.startsWith(dist + path.sep)) body = await readFile(file).catch(() => null);
    served.push([rel ?? pathname, body ? 200 : 404]);
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': PLAIN_TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}${prefix}`, served, stop: () => server.close() });
    });
  });
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

let browser;
before(async () => {
  checkDist();
  browser = await launch({ webgpu: false });
});
after(() => browser?.close());

const SITES = [
  ['python3 -m http.server in dist/, at the root', pythonServer],
  ['a plain static server with dist/ as its folder /cnn/', subfolderServer],
];

for (const [name, start] of SITES) {
  describe(name, () => {
    let site;
    before(async () => {
      site = await start();
    });
    after(() => site?.stop());

    /** Open the page; `check` runs with it, then nothing may have failed or logged an error but
     *  the `expected` ones (substrings). */
    const withPage = async (check, expected = []) => {
      const { page, errors } = await openPage(browser, `${site.url}?backend=cpu`);
      try {
        await check(page);
        assert.ok(await page.locator('#error').isHidden(), await page.locator('#error').textContent());
        assert.deepEqual(errors.filter((e) => !expected.some((x) => e.includes(x))), []);
      } finally {
        await page.close();
      }
    };

    test('the page loads, the pad predicts, and the training worker reads the ten digit files', () =>
      withPage(async (page) => {
        // The page opens with a sample 3 on the pad, read by the shipped model through the core.
        await waitForText(page, 'prediction', /^3$/);
        await page.getByTestId('clear').click();
        await draw(page, STYLES.upright[7]);
        assert.equal(await page.getByTestId('prediction').textContent(), '7');

        await waitForTraining(page);
        assert.match(await page.getByTestId('train-message').textContent(), /^Ready: 8,000 training digits/);
        const ok = new Set(site.served.filter(([, status]) => status === 200).map(([file]) => file));
        for (const file of ['index.html', 'www/main.js', 'www/datasets.js', 'www/pkg/cnn_core_bg.wasm', 'www/models/lenet-mnist.cnn', ...DIGIT_FILES]) {
          assert.ok(ok.has(file), `the server sent ${file}: ${JSON.stringify(site.served)}`);
        }
      }));

    test("datasets.js's fashionFiles() returns Fashion-MNIST's four files as they lie in dist/, still gzipped", () =>
      withPage(async (page) => {
        const got = await page.evaluate(async () => {
          const { fashionFiles } = await import(new URL('www/datasets.js', document.baseURI));
          const files = await fashionFiles();
          const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
          return Promise.all(files.map(async (f) => ({
            type: f.constructor.name, length: f.length, magic: [f[0], f[1]], sha256: hex(await crypto.subtle.digest('SHA-256', f)),
          })));
        });
        assert.equal(got.length, 4);
        FASHION_FILES.forEach((file, i) => {
          const want = readFileSync(path.join(dist, file));
          assert.equal(got[i].type, 'Uint8Array', file);
          assert.deepEqual(got[i].magic, [0x1f, 0x8b], `${file} arrives gzipped, as on disk`);
          assert.equal(got[i].length, want.length, file);
          assert.equal(got[i].sha256, sha256(want), file);
        });
        for (const file of FASHION_FILES) assert.ok(site.served.some(([f, s]) => f === file && s === 200), `the server sent ${file}`);
      }));

    test('a dataset file the server lacks is an Error naming its URL', () => {
      const missing = `${site.url}${FASHION_FILES[2]}`;
      // The 404 itself is what the browser reports, on the console and as a response.
      const expected = [`HTTP 404: ${missing}`, 'Failed to load resource: the server responded with a status of 404'];
      return withPage(async (page) => {
        await page.route(missing, (route) => route.fulfill({ status: 404, body: 'not here' }));
        const message = await page.evaluate(async () => {
          const { fashionFiles } = await import(new URL('www/datasets.js', document.baseURI));
          return fashionFiles().then(() => 'no error', (err) => `${err.constructor.name}: ${err.message}`);
        });
        await page.unroute(missing);
        assert.ok(message.startsWith('Error: the Fashion-MNIST files are missing'), message);
        assert.ok(message.includes(`(${missing}: HTTP 404)`), message);
        assert.match(message, /scripts\/build\.sh/);
      }, expected);
    });
  });
}
