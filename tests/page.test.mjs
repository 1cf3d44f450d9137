// End-to-end tests of the notebook page in Debian's Chromium, driven by playwright-core. The whole
// suite runs twice: in a browser with WebGPU (SwiftShader: a real WebGPU implementation on the
// CPU, asked for with ?backend=gpu since the page does not choose a software adapter on its own)
// and in one without it, where the page must fall back to the CPU and say so. Any console error,
// uncaught exception or failed request fails the test that caused it.
// Build the site first: scripts/build.sh writes dist/, which the tests serve (scripts/test.sh runs it).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, draw, waitForTraining, canvasDigest, waitForText } from './lib/harness.mjs';
import { STYLES } from './lib/strokes.mjs';

/** A number as the page writes it: a real minus sign (−), and parentheses around a negative term. */
const parse = (s) => Number(s.trim().replace(/[()]/g, '').replace('\u2212', '-').replace(/,/g, ''));

let server;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

test('the server sends the wasm module as application/wasm', async () => {
  const res = await fetch(new URL('www/pkg/cnn_core_bg.wasm', server.url));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/wasm');
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 4)], [0x00, 0x61, 0x73, 0x6d], 'starts with the \\0asm magic');
});

test('the server sends the gzipped datasets as they lie on disk, with no Content-Encoding for the browser to undo', async () => {
  const res = await fetch(new URL('data/fashion-mnist/t10k-labels-idx1-ubyte.gz', server.url));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/octet-stream');
  assert.equal(res.headers.get('content-encoding'), null);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 2)], [0x1f, 0x8b], 'still gzip');
});

for (const webgpu of [true, false]) {
  describe(webgpu ? 'with WebGPU' : 'without WebGPU (CPU fallback)', () => {
    let browser;
    before(async () => {
      browser = await launch({ webgpu });
    });
    after(() => browser?.close());

    /** Open the page (on WebGPU when the browser has it); `check` runs with it, then the page must
     *  have logged no error. `query` replaces the page's query string. */
    const withPage = async (check, query = webgpu ? '?backend=gpu' : '') => {
      const { page, errors } = await openPage(browser, `${server.url}${query}`);
      try {
        await check(page, errors);
        assert.ok(await page.locator('#error').isHidden(), await page.locator('#error').textContent());
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    };

    test('the badge names the backend that trains', () =>
      withPage(async (page) => {
        const badge = page.getByTestId('backend');
        await page.waitForSelector('[data-testid="backend"][data-backend]', { timeout: 60_000 });
        // A word on the badge; the details (adapter, reason, the core's version) in its tooltip.
        if (webgpu) {
          assert.equal(await badge.getAttribute('data-backend'), 'webgpu');
          assert.equal(await badge.textContent(), 'Trains on WebGPU');
          assert.match(await badge.getAttribute('title'), /Training runs on WebGPU \(\S.*\).*Core \d+\.\d+\.\d+ ready/, 'with the adapter’s name');
        } else {
          assert.equal(await badge.getAttribute('data-backend'), 'cpu');
          assert.equal(await badge.textContent(), 'Trains on the CPU');
          assert.match(await badge.getAttribute('title'), /Training runs on the CPU \(WebAssembly\): .+\. Core \d+\.\d+\.\d+ ready/, 'the badge says why');
        }
        // The layer table of the presets comes from the core's shape inference.
        assert.equal(await page.locator('#layer-table tfoot .total-params').textContent(), '61,706');
      }));

    test('digits drawn with the mouse are recognised: at least 9 of 10 in every style', () =>
      withPage(async (page) => {
        for (const [style, digits] of Object.entries(STYLES)) {
          const wrong = [];
          for (let d = 0; d < 10; d++) {
            await page.getByTestId('clear').click();
            assert.equal(await page.getByTestId('prediction').textContent(), '–', 'a cleared pad predicts nothing');
            await draw(page, digits[d]);
            const shown = await page.getByTestId('prediction').textContent();
            const values = await Promise.all(Array.from({ length: 10 }, (_, k) => page.getByTestId(`prob-${k}`).getAttribute('data-value')));
            const probs = values.map(Number);
            const sum = probs.reduce((a, b) => a + b, 0);
            assert.ok(Math.abs(sum - 1) < 1e-4, `${style} ${d}: probabilities sum to ${sum}`);
            const best = probs.indexOf(Math.max(...probs));
            assert.equal(shown, String(best), 'the prediction is the largest bar');
            assert.equal(await page.locator('#probs li.best').getAttribute('data-testid'), `prob-${best}`, 'and that bar is highlighted');
            if (best !== d) wrong.push(`${d} read as ${best}`);
          }
          assert.ok(wrong.length <= 1, `${style}: ${wrong.join(', ')}`);
        }
        // The 28×28 image the network saw is shown, with ink in it.
        const ink = await page.evaluate(() => {
          const c = document.getElementById('seen');
          const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) n += d[i] > 128 ? 1 : 0;
          return n;
        });
        assert.ok(ink > 20 && ink < 400, `${ink} bright pixels in the network's input`);
      }));

    test('the prediction follows the pen during a stroke, not only at its end', () =>
      withPage(async (page) => {
        const pad = page.getByTestId('draw-canvas');
        await pad.scrollIntoViewIfNeeded();
        const box = await pad.boundingBox();
        const before = await page.evaluate(() => window.cnnNotebook.stats.predictMs.length);
        await page.mouse.move(box.x + 0.5 * box.width, box.y + 0.1 * box.height);
        await page.mouse.down();
        for (let k = 1; k <= 30; k++) {
          await page.mouse.move(box.x + 0.5 * box.width, box.y + (0.1 + 0.027 * k) * box.height);
          await page.waitForTimeout(20);
        }
        const during = (await page.evaluate(() => window.cnnNotebook.stats.predictMs.length)) - before;
        await page.mouse.up();
        // One prediction per animation frame while the pen moves: 30 moves over half a second
        // or more span many frames.
        assert.ok(during >= 10, `${during} predictions during the stroke`);
        assert.equal(await page.getByTestId('prediction').textContent(), '1');
      }));

    test('every control has a label and is reachable with the keyboard', () =>
      withPage(async (page) => {
        const unlabelled = await page.evaluate(() =>
          [...document.querySelectorAll('button, select, input, canvas[tabindex], [data-testid="draw-canvas"]')]
            .filter((el) => {
              const name = el.getAttribute('aria-label') || [...(el.labels ?? [])].map((l) => l.textContent).join('') || el.textContent;
              return !name.trim();
            })
            .map((el) => el.outerHTML.slice(0, 80)),
        );
        assert.deepEqual(unlabelled, []);
        // Tab from the top reaches the pad, clear, the stepper, and the training buttons in order.
        const reached = new Set();
        await page.locator('body').focus();
        for (let i = 0; i < 800 && !reached.has('model-save'); i++) {
          await page.keyboard.press('Tab');
          const id = await page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.id ?? '');
          if (id) reached.add(id);
        }
        for (const id of ['draw-canvas', 'clear', 'forward-prev', 'activation', 'lr', 'model-save']) assert.ok(reached.has(id), `${id} is not reachable with Tab`);
      }));

    test('stepping through every layer shows its shape, parameters and feature maps', () =>
      withPage(async (page) => {
        await draw(page, STYLES.upright[3]);
        const layers = await page.locator('#layers-view li.layer[data-index]:not([data-index="-1"])').count();
        assert.equal(layers, 13, '12 layers and the softmax');
        while (await page.getByTestId('forward-prev').isEnabled()) await page.getByTestId('forward-prev').click();
        for (let k = 0; k < layers; k++) {
          const where = await page.getByTestId('forward-step').textContent();
          // Counted as the rows are labelled: from 0.
          assert.match(where, new RegExp(`^Layer ${k} \\(of 0–${layers - 1}\\): .+ — output \\(N, [\\d, ]+\\), [\\d,]+ parameters$`));
          const label = await page.locator(`#layers-view li[data-index="${k}"] .layer-head strong`).textContent();
          assert.ok(label.startsWith(`${k} · `), `row ${k} is labelled ${label}`);
          const current = page.locator('#layers-view li.current');
          assert.equal(await current.getAttribute('data-index'), String(k));
          assert.equal(await page.locator('#layers-view li.pending').count(), layers - 1 - k, 'later layers are not computed yet');
          // Every map is painted (opaque), and the layer's output is not one flat colour.
          const maps = await current.locator('canvas.fmap').evaluateAll((cs) =>
            cs.map((c) => {
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let opaque = true;
              const colours = new Set();
              for (let i = 0; i < d.length; i += 4) {
                if (d[i + 3] !== 255) opaque = false;
                colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
              }
              return { opaque, colours: colours.size };
            }),
          );
          assert.ok(maps.length > 0 && maps.every((m) => m.opaque), `layer ${k}: ${JSON.stringify(maps)}`);
          assert.ok(maps.some((m) => m.colours > 1), `layer ${k} shows nothing but one colour`);
          if (k < layers - 1) await page.getByTestId('forward-next').click();
        }
        assert.ok(await page.getByTestId('forward-next').isDisabled());
        // The conv layers show one map per output channel.
        assert.equal(await page.locator('[data-testid="layer-0"] canvas.fmap').count(), 6);
        assert.equal(await page.locator('[data-testid="layer-3"] canvas.fmap').count(), 16);
        // Play walks from the first layer onwards.
        await page.getByTestId('forward-play').click();
        await page.waitForFunction(() => document.querySelector('#layers-view li.current')?.dataset.index === '1', null, { timeout: 5000 });
        await page.getByTestId('forward-play').click();
        // The arrow keys step too.
        await page.getByTestId('forward-prev').focus();
        const at = Number(await page.locator('#layers-view li.current').getAttribute('data-index'));
        await page.keyboard.press('ArrowRight');
        assert.equal(await page.locator('#layers-view li.current').getAttribute('data-index'), String(at + 1));
      }));

    test('clicking a conv feature map shows the window, kernel, products, sum, bias and activation', () =>
      withPage(async (page) => {
        await draw(page, STYLES.upright[8]);
        const map = page.getByTestId('fmap-3-5');
        await map.scrollIntoViewIfNeeded();
        const box = await map.boundingBox();
        // Row 4, column 6 of the 10×10 map.
        await page.mouse.click(box.x + (6.5 / 10) * box.width, box.y + (4.5 / 10) * box.height);
        const inspector = page.getByTestId('inspector');
        assert.ok(await inspector.isVisible());
        assert.match(await inspector.locator('h3').textContent(), /Layer 3 .*feature map 5, row 4, column 6/);
        // Six input channels, each with a 5×5 window, kernel and products.
        assert.equal(await inspector.locator('table.inspect-grid').count(), 18);
        assert.equal(await inspector.locator('table.inspect-grid').first().locator('td').count(), 25);
        // The channels' sums plus the bias make the value, and the written numbers add up at the
        // decimals they are written with.
        const sum = await page.getByTestId('inspect-sum').textContent();
        const m = sum.match(/plus the bias: (.+) = (\S+) \(the forward pass computed (\S+)\)\.$/);
        assert.ok(m, sum);
        const terms = m[1].split(' + ').map(parse);
        const [v, stored] = [parse(m[2]), parse(m[3])];
        assert.equal(terms.length, 7, 'six input channels and the bias');
        const d = Number(await page.getByTestId('inspect-sum').getAttribute('data-decimals'));
        assert.equal(Math.round(terms.reduce((a, b) => a + b, 0) * 10 ** d), Math.round(v * 10 ** d), sum);
        assert.ok(Math.abs(v - stored) <= 2 * 10 ** -d, sum);
        // The products are the window times the kernel, cell by cell (to the shown precision).
        const cells = await inspector.locator('.inspect-group').first().locator('table').evaluateAll((ts) => ts.map((t) => [...t.querySelectorAll('td')].map((td) => td.textContent)));
        const nums = cells.map((c) => c.map(parse));
        for (let i = 0; i < 25; i++) assert.ok(Math.abs(nums[0][i] * nums[1][i] - nums[2][i]) < 0.02, `cell ${i}`);
        assert.match(await inspector.textContent(), /ReLU\(\u2212?[\d.]+\) = [\d.]+/);
        // From the keyboard: focus a map of layer 0 and press Enter; its corner hangs over the padding.
        await page.getByTestId('fmap-0-1').focus();
        await page.keyboard.press('Enter');
        await page.keyboard.press('ArrowUp');
        assert.match(await inspector.locator('h3').textContent(), /Layer 0 .*feature map 1, row 13, column 14/);
        for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowUp');
        for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowLeft');
        assert.match(await inspector.locator('h3').textContent(), /row 0, column 0/);
        assert.equal(await inspector.locator('td.pad').count(), 16, 'two rows and two columns of padding');
      }));

    test('training in the page lowers the loss, redraws the curves and keeps the pad predicting', () =>
      withPage(async (page) => {
        await waitForTraining(page);
        await page.getByTestId('start-from').selectOption('fresh');
        await page.getByTestId('batch').selectOption('32');
        await page.getByTestId('lr').fill('-2.5');
        await page.waitForFunction(() => document.querySelector('[data-testid="curves"]').dataset.points === '0,1', null, { timeout: 120_000 });
        const before = await canvasDigest(page, 'curves');
        await page.getByTestId('train-start').click();
        assert.ok(await page.getByTestId('train-pause').isEnabled());
        const points = webgpu ? 10 : 12;
        await page.waitForFunction((n) => window.cnnNotebook.training.history.length >= n, points, { timeout: 180_000 });
        // The pad keeps predicting while the network trains.
        await draw(page, STYLES.upright[7]);
        assert.match(await page.getByTestId('prediction').textContent(), /^\d$/);
        await page.getByTestId('train-pause').click();
        const history = await page.evaluate(() => window.cnnNotebook.training.history);
        // Chunks are a few small batches each, so single points are noisy: compare the first
        // two with the last three.
        const mean = (hs) => hs.reduce((a, h) => a + h.loss, 0) / hs.length;
        const first = mean(history.slice(0, 2));
        const last = mean(history.slice(-3));
        assert.ok(Math.abs(history[0].loss - Math.log(10)) < 0.6, `a fresh network starts near ln 10: ${history[0].loss}`);
        assert.ok(last < first * 0.85, `the loss fell: ${history.map((h) => h.loss.toFixed(3)).join(' ')}`);
        assert.ok(history.every((h, i) => i === 0 || h.epochs > history[i - 1].epochs), 'progress only moves forward');
        await page.waitForTimeout(400);
        assert.notEqual(await canvasDigest(page, 'curves'), before, 'the curves were redrawn');
        assert.match(await page.getByTestId('train-progress').textContent(), /Epoch \d+, batch \d+ of 250 · loss [\d.]+ · accuracy [\d.]+% · [\d,]+ examples\/s/);
        // The bar shows where the last report was in its epoch (0 right after an epoch's end).
        const at = await page.evaluate(() => window.cnnNotebook.training.progress);
        assert.equal(await page.getByTestId('epoch-progress').evaluate((p) => p.value), at.batch / at.batches);
        await page.waitForFunction(() => document.getElementById('train-start').disabled === false, null, { timeout: 60_000 });
      }));

    test('toggles rebuild or retune the network and say so', () =>
      withPage(async (page) => {
        await waitForTraining(page);
        const message = page.getByTestId('train-message');
        // From the trained LeNet a new activation asks first (see tests/classroom.test.mjs).
        await page.getByTestId('activation').selectOption('tanh');
        await page.getByTestId('rebuild-yes').click();
        assert.match(await message.textContent(), /rebuilt with tanh activations/);
        assert.equal(await page.getByTestId('start-from').inputValue(), 'fresh');
        // The drawing pad's network follows: its activation layers are now Tanh.
        await page.waitForFunction(() => document.querySelector('[data-testid="layer-1"] strong')?.textContent.includes('Tanh'), null, { timeout: 120_000 });
        await page.getByTestId('init').selectOption('xavier');
        assert.match(await message.textContent(), /rebuilt with tanh activations and Xavier \(uniform\) initialisation/);
        await page.getByTestId('lr').fill('-2');
        assert.equal(await page.locator('#lr-value').textContent(), '0.01');
        assert.match(await message.textContent(), /Learning rate set to 0\.01/);
        await page.getByTestId('optimizer').selectOption('sgd');
        assert.match(await message.textContent(), /Optimizer set to SGD\. The weights are kept/);
        await page.getByTestId('batch').selectOption('128');
        assert.match(await message.textContent(), /Batch size set to 128/);
        // The settings reach the worker: a short run trains at batch 128 (63 batches per epoch).
        await waitForTraining(page);
        await page.getByTestId('train-start').click();
        await page.waitForFunction(() => window.cnnNotebook.training.history.length >= 1, null, { timeout: 180_000 });
        await page.getByTestId('train-pause').click();
        assert.match(await page.getByTestId('train-progress').textContent(), /of 63 /);
      }));

    test('a learning rate that blows the loss up stops the run, explains, and offers a reset', () =>
      withPage(async (page) => {
        await waitForTraining(page);
        await page.getByTestId('activation').selectOption('leaky-relu');
        await page.getByTestId('rebuild-yes').click();
        await page.getByTestId('optimizer').selectOption('momentum');
        await page.getByTestId('lr').fill('0');
        await page.getByTestId('train-start').click();
        const alert = page.getByTestId('diverged');
        await alert.waitFor({ state: 'visible', timeout: 180_000 });
        assert.match(await alert.textContent(), /training stopped at epoch \d+, batch \d+: the loss (became (NaN|inf)|rose to [\d.]+, far above where it started)/);
        assert.match(await alert.textContent(), /learning rate \(1\) is too high/);
        assert.ok(await page.getByTestId('train-start').isDisabled(), 'a diverged run cannot continue');
        const history = await page.evaluate(() => window.cnnNotebook.training.history);
        assert.ok(history.every((h) => Number.isFinite(h.loss)), 'no NaN reaches the chart');
        // The pad still predicts with the last finite weights.
        await draw(page, STYLES.upright[1]);
        assert.match(await page.getByTestId('prediction').textContent(), /^\d$/);
        await page.getByTestId('lr').fill('-3');
        await page.getByTestId('diverged-reset').click();
        assert.ok(await alert.isHidden());
        await page.waitForFunction(() => !document.getElementById('train-start').disabled, null, { timeout: 120_000 });
      }));

    test('a corrupt model file is refused with a message and the current model keeps working', () =>
      withPage(async (page) => {
        const input = page.getByTestId('model-load');
        await input.setInputFiles({ name: 'broken.cnn', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a model, just some text') });
        await waitForText(page, 'model-message', /Could not load broken\.cnn: .+\. The current model is unchanged\./);
        const shipped = Buffer.from(await (await fetch(new URL('www/models/lenet-mnist.cnn', server.url))).arrayBuffer());
        await input.setInputFiles({ name: 'half.cnn', mimeType: 'application/octet-stream', buffer: shipped.subarray(0, shipped.length >> 1) });
        await waitForText(page, 'model-message', /Could not load half\.cnn: the file is truncated/);
        await draw(page, STYLES.upright[7]);
        assert.equal(await page.getByTestId('prediction').textContent(), '7');
      }));

    test('the model saves to a file that loads back', () =>
      withPage(async (page) => {
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('model-save').click()]);
        assert.match(download.suggestedFilename(), /^lenet-relu-\d{4}-\d{2}-\d{2}\.cnn$/);
        const path = await download.path();
        await page.getByTestId('model-load').setInputFiles(path);
        await waitForText(page, 'model-message', /^Loaded lenet-relu from /);
        await draw(page, STYLES.upright[4]);
        assert.equal(await page.getByTestId('prediction').textContent(), '4');
      }));

    test('the gallery counts the classic networks and shows where a mistaken one stops adding up', () =>
      withPage(async (page) => {
        const select = page.getByTestId('gallery-select');
        const summary = page.getByTestId('gallery-summary');
        const totals = {
          lenet5: '61,706', alexnet: '61,100,840', 'alexnet-paper': '62,378,344', vgg16: '138,357,544',
          resnet18: '11,689,512', googlenet: '6,624,904', 'googlenet-aux': '13,004,888',
        };
        for (const [name, params] of Object.entries(totals)) {
          await select.selectOption(name);
          assert.match(await summary.textContent(), new RegExp(`${params} parameters`), name);
          assert.equal(await page.locator('#gallery-table tr[data-status="error"], #gallery-table tr[data-status="mismatch"]').count(), 0, name);
        }
        // GoogLeNet: Inception blocks with four branches, indented, joined by a concatenation.
        await select.selectOption('googlenet');
        const inception = page.locator('#gallery-table tr.row-block', { hasText: 'Inception 3a' });
        assert.match(await inception.textContent(), /\(N, 256, 28, 28\)/);
        assert.ok((await page.locator('#gallery-table tr.row-block', { hasText: /^branch \d/ }).count()) >= 4 * 9);
        assert.ok((await page.locator('#gallery-table tr.row-merge').count()) >= 9);
        // ResNet-18: residual additions.
        await select.selectOption('resnet18');
        assert.ok((await page.locator('#gallery-table tr.row-merge').count()) >= 8);
        // The mistaken ZFNet: the real sizes 110 → 54 → 25 → 12 against the claimed 55 → 26 → 13,
        // a flatten of 6,400 values instead of 9,216, and the dense layer that cannot take it.
        await select.selectOption('zfnet-mistake');
        const bad = await page.locator('#gallery-table tr[data-status="mismatch"] td.shape:not(.claimed)').allTextContents();
        assert.deepEqual(bad.slice(0, 3), ['(N, 96, 54, 54)', '(N, 256, 25, 25)', '(N, 256, 12, 12)']);
        assert.ok(bad.includes('(N, 6400)'));
        const problems = await page.getByTestId('gallery-problem').allTextContents();
        assert.ok(problems.some((p) => p.includes('claimed (N, 96, 55, 55) but the sizes give (N, 96, 54, 54)')), problems.join('\n'));
        assert.ok(problems.some((p) => p.includes('expects 9,216 inputs but receives 6,400')), problems.join('\n'));
        assert.match(await summary.textContent(), /9 rows do not add up/);
      }));

    test('the model exports as PyTorch code and a state_dict file', () =>
      withPage(async (page) => {
        const [code] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-code').click()]);
        assert.equal(code.suggestedFilename(), 'lenet-relu.py');
        const text = await (await import('node:fs/promises')).readFile(await code.path(), 'utf8');
        assert.match(text, /model = nn\.Sequential\(\n\s+nn\.Conv2d\(1, 6, kernel_size=5, stride=1, padding=2\),/);
        assert.match(text, /nn\.Linear\(400, 120\)/);
        assert.match(text, /load_state_dict\(.*strict=True\)/s);
        assert.match(text, /lenet-relu\.safetensors/);
        assert.equal(await page.getByTestId('export-preview').textContent(), text, 'the code is shown on the page too');
        const [weights] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-weights').click()]);
        assert.equal(weights.suggestedFilename(), 'lenet-relu.safetensors');
        const bytes = await (await import('node:fs/promises')).readFile(await weights.path());
        const n = Number(bytes.readBigUInt64LE(0));
        const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
        const layout = Object.fromEntries(Object.entries(header).filter(([k]) => k !== '__metadata__').map(([k, v]) => [k, `${v.dtype}${JSON.stringify(v.shape)}`]));
        assert.deepEqual(layout, {
          '0.weight': 'F32[6,1,5,5]', '0.bias': 'F32[6]', '3.weight': 'F32[16,6,5,5]', '3.bias': 'F32[16]',
          '7.weight': 'F32[120,400]', '7.bias': 'F32[120]', '9.weight': 'F32[84,120]', '9.bias': 'F32[84]',
          '11.weight': 'F32[10,84]', '11.bias': 'F32[10]',
        });
      }));

    if (webgpu) {
      test('a software WebGPU adapter is not chosen on its own: the CPU trains, WebGPU is one click away', () =>
        withPage(async (page) => {
          await page.waitForSelector('[data-testid="backend"][data-backend]', { timeout: 60_000 });
          assert.equal(await page.getByTestId('backend').getAttribute('data-backend'), 'cpu');
          assert.match(await page.getByTestId('backend').getAttribute('title'), /software emulation that runs on the CPU/);
          assert.match(await page.getByTestId('train-backend').textContent(), /Training runs on the CPU, in WebAssembly: the GPU adapter \(.+\) is a software emulation/);
          const other = page.getByTestId('backend-switch');
          assert.match(await other.textContent(), /Train on the GPU anyway/);
          await other.click();
          await page.waitForSelector('[data-testid="backend"][data-backend="webgpu"]', { timeout: 120_000 });
          await waitForTraining(page);
          assert.match(await page.getByTestId('train-backend').textContent(), /Training runs on WebGPU/);
          assert.match(await other.textContent(), /Train on the CPU instead/);
        }, ''));

      test('?race=always races the backends on the software adapter: the faster trains, the badge gives both figures the race measured, and a switch is remembered for that adapter', () =>
        withPage(async (page) => {
          const badge = page.getByTestId('backend');
          await page.waitForSelector('[data-testid="backend"][data-winner]', { timeout: 120_000 });
          const race = await page.evaluate(() => window.cnnNotebook.training.stats.race);
          let cpu = Number(await badge.getAttribute('data-cpu-eps'));
          let gpu = Number(await badge.getAttribute('data-gpu-eps'));
          assert.deepEqual([cpu, gpu, await badge.getAttribute('data-winner')], [race.cpu, race.gpu, race.winner], 'the badge carries the race’s figures');
          // Each figure is its lap's examples over its timed steps' milliseconds: LeNet (61,706
          // parameters) at the chapter's batch of 64, after 1 to 8 warm-up steps, 1 to 16 timed
          // (race::MAX_WARMUP_STEPS, race::MAX_STEPS).
          for (const [figure, lap] of [[race.cpu, race.cpuLap], [race.gpu, race.gpuLap]]) {
            assert.ok(lap.warmupSteps >= 1 && lap.warmupSteps <= 8, JSON.stringify(lap));
            assert.ok(lap.steps >= 1 && lap.steps <= 16 && lap.examples === 64 * lap.steps && lap.ms > 0, JSON.stringify(lap));
            assert.equal(figure, (lap.examples * 1000) / lap.ms);
          }
          assert.deepEqual([race.batch, race.params], [64, 61706]);
          // The CPU's lap shares each batch among the workers its training would use.
          assert.equal(race.cpuWorkers, await page.evaluate(() => window.cnnNotebook.training.workers));
          assert.ok(race.ms >= race.cpuLap.ms + race.gpuLap.ms);
          // The faster trains: on SwiftShader, a GPU emulated on the CPU, that is the CPU.
          assert.equal(race.winner, race.cpu > race.gpu ? 'cpu' : 'gpu');
          assert.equal(race.winner, 'cpu');
          assert.equal(await badge.getAttribute('data-backend'), 'cpu');
          // Two significant digits, grouped as the language writes numbers; no-break spaces hold each figure together.
          const figure = (x, locale) => Number(x.toPrecision(2)).toLocaleString(locale);
          assert.equal(await badge.textContent(), `CPU\u00a0·\u00a0${figure(cpu, 'en-US')}\u00a0ex/s — WebGPU\u00a0${figure(gpu, 'en-US')}\u00a0ex/s`);
          assert.match(await badge.getAttribute('title'), /it trained this network faster than the GPU \(.+\) in a race .*Measured by a race of [\d,]+ ms: timed training steps of this network at batch size 64, \d+ on the CPU \(workers sharing each batch: \d+\) and \d+ on WebGPU/);
          assert.ok((await badge.getAttribute('title')).includes(`64, ${race.cpuLap.steps} on the CPU`) && (await badge.getAttribute('title')).includes(`and ${race.gpuLap.steps} on WebGPU`), 'the sentence gives each lap’s timed steps');
          assert.match(await page.getByTestId('train-backend').textContent(), /Training runs on the CPU, in WebAssembly: it trained this network faster than the GPU/);
          await page.getByTestId('language').selectOption('zh');
          assert.equal(await badge.textContent(), `CPU\u00a0·\u00a0${figure(cpu, 'zh-CN')}\u00a0样本/秒 — WebGPU\u00a0${figure(gpu, 'zh-CN')}\u00a0样本/秒`);
          await page.getByTestId('language').selectOption('en');
          // Another batch size, before the network has trained: raced again, new figures.
          await page.getByTestId('batch').selectOption('128');
          await page.waitForFunction(() => window.cnnNotebook.training.stats.race?.batch === 128, null, { timeout: 120_000 });
          const again = await page.evaluate(() => window.cnnNotebook.training.stats.race);
          assert.ok([again.cpuLap, again.gpuLap].every((lap) => lap.examples === 128 * lap.steps), JSON.stringify(again));
          assert.equal(again.winner, 'cpu');
          [cpu, gpu] = [again.cpu, again.gpu];
          assert.deepEqual([Number(await badge.getAttribute('data-cpu-eps')), Number(await badge.getAttribute('data-gpu-eps'))], [cpu, gpu]);
          assert.match(await badge.getAttribute('title'), /at batch size 128, \d+ on the CPU/);
          // The learner switches to WebGPU: the figures stay, and the choice is kept for this adapter.
          const other = page.getByTestId('backend-switch');
          assert.match(await other.textContent(), /Train on the GPU anyway/);
          await other.click();
          await page.waitForSelector('[data-testid="backend"][data-backend="webgpu"]', { timeout: 120_000 });
          const adapter = await page.evaluate(() => window.cnnNotebook.training.stats.adapter);
          assert.equal(await badge.textContent(), `WebGPU · ${adapter} · ${figure(gpu, 'en-US')}\u00a0ex/s — CPU\u00a0${figure(cpu, 'en-US')}\u00a0ex/s`);
          assert.equal(await badge.getAttribute('data-choice'), 'switched');
          assert.equal(await page.evaluate((a) => localStorage.getItem(`cnn-notebook.backend:${a}`), adapter), 'gpu');
          // The next visit trains on the remembered choice, without a race.
          await waitForTraining(page);
          await page.reload();
          await page.waitForSelector('[data-testid="backend"][data-backend]', { timeout: 120_000 });
          assert.equal(await badge.getAttribute('data-backend'), 'webgpu');
          assert.equal(await badge.getAttribute('data-choice'), 'remembered');
          assert.equal(await badge.getAttribute('data-winner'), null);
          assert.equal(await badge.textContent(), 'Trains on WebGPU');
          assert.ok((await badge.getAttribute('title')).includes(`The backend you chose for this GPU (${adapter}) on an earlier visit.`));
          assert.match(await page.getByTestId('train-backend').textContent(), /Training runs on WebGPU \(.+\), as you chose for this GPU/);
          await waitForTraining(page);
          // ?backend= still forces one over the remembered choice.
          await page.goto(`${server.url}?race=always&backend=cpu`);
          await page.waitForSelector('[data-testid="backend"][data-backend]', { timeout: 120_000 });
          assert.deepEqual([await badge.getAttribute('data-backend'), await badge.getAttribute('data-choice')], ['cpu', 'asked']);
          await waitForTraining(page);
        }, '?race=always'));

      test('when the GPU device is lost, training carries on on the CPU and says so', () =>
        withPage(async (page, errors) => {
          await waitForTraining(page);
          await page.evaluate(() => window.cnnNotebook.training.send({ type: 'loseDevice' }));
          await page.getByTestId('train-start').click();
          await page.waitForSelector('[data-testid="backend"][data-backend="cpu"]', { timeout: 120_000 });
          assert.match(await page.getByTestId('train-message').textContent(), /WebGPU stopped working \(the GPU device was lost.*\)\. Training continues on the CPU/);
          await page.waitForFunction(() => window.cnnNotebook.training.history.length >= 2, null, { timeout: 120_000 });
          await page.getByTestId('train-pause').click();
          // Chromium reports the destroyed device on the console; nothing else may be logged.
          const rest = errors.filter((e) => !/lost|destroyed/i.test(e));
          errors.length = 0;
          errors.push(...rest);
        }));
    }
  });
}
