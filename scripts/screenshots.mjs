// Screenshots of the page as its users see it, for a person to look at after every change to the
// page: a teacher at a 1280×720 projector in presenter mode moving with the keyboard only, a
// learner at 1400×1000, and a phone at 390×844 with touch — each in English and 简体中文.
//
//   node scripts/screenshots.mjs [out-dir] [--only=presenter,desktop,phone,states] [--lang=en,zh]
//
// Needs the built site (scripts/build.sh writes dist/; serve.sh and test.sh run it) and Chromium.
// One PNG per chapter screen: out-dir/<view>-<lang>-NN-<section>.png (default out-dir: /tmp/shots), and
// with `states` the moments a review looks at: the key list, the inspector after a click, the
// backprop lesson half-way and after its update, a run that failed, GoogLeNet's table.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launch, openPage, startServer } from '../tests/lib/harness.mjs';

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--')) ?? '/tmp/shots';
const opt = (name, all) => (args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1].split(',') ?? all);
const views = opt('only', ['presenter', 'desktop', 'phone', 'states']);
const langs = opt('lang', ['en', 'zh']);
mkdirSync(out, { recursive: true });

const VIEWS = {
  presenter: { viewport: { width: 1280, height: 720 } },
  desktop: { viewport: { width: 1400, height: 1000 } },
  phone: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 },
  states: { viewport: { width: 1280, height: 720 } },
};

async function inspectAMap(page) {
  const map = page.getByTestId('fmap-3-2');
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  await page.mouse.click(box.x + 0.45 * box.width, box.y + 0.55 * box.height);
}

/** The moments of a lesson worth looking at, each a few actions then a screenshot. */
const STATES = [
  ['keys', async (page) => page.keyboard.press('?')],
  ['inspector', inspectAMap],
  ['inspector-code', async (page) => {
    await inspectAMap(page);
    const code = page.getByTestId('forward-code');
    await code.locator('summary').click();
    await code.locator('.noted').first().evaluate((l) => l.scrollIntoView({ block: 'start' }));
    await page.mouse.wheel(0, -120);
  }],
  ['backprop-half', async (page) => {
    await page.locator('#backprop').evaluate((s) => s.scrollIntoView());
    await page.getByTestId('bp-forward').click();
    for (let i = 0; i < 6; i++) await page.getByTestId('bp-back').click();
  }],
  ['backprop-updated', async (page) => {
    for (let i = 0; i < 6; i++) await page.getByTestId('bp-back').click();
    await page.getByTestId('bp-update').click();
  }],
  ['backprop-code', async (page) => {
    const code = page.getByTestId('bp-code');
    await code.locator('summary').click();
    await code.evaluate((d) => d.scrollIntoView({ block: 'start' }));
  }],
  ['failed-run', async (page) => {
    await page.waitForFunction(() => !document.getElementById('train-reset').disabled, null, { timeout: 60_000 });
    await page.getByTestId('lr').fill('0');
    await page.getByTestId('train-start').click();
    await page.getByTestId('diverged').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('#train').evaluate((s) => s.scrollIntoView());
  }],
  ['lab-run', async (page) => {
    await page.getByTestId('preset-overfit').click();
    await page.getByTestId('lab-epochs').fill('4');
    await page.getByTestId('lab-start').click();
    await page.waitForSelector('[data-testid="lab-run"][data-status="done"]', { timeout: 120_000 });
    await page.getByTestId('lab-curves').evaluate((c) => c.scrollIntoView({ block: 'start' }));
  }],
  ['lab-confusion', async (page) => {
    await page.getByTestId('cm-4-9').click();
    await page.getByTestId('confusion').evaluate((c) => c.scrollIntoView({ block: 'start' }));
  }],
  ['googlenet', async (page) => {
    await page.getByTestId('gallery-select').selectOption('googlenet');
    await page.locator('#gallery').evaluate((s) => s.scrollIntoView());
  }],
];

const server = await startServer();
const browser = await launch({ webgpu: false });
try {
  for (const view of views) {
    for (const lang of langs) {
      const { page } = await openPage(browser, `${server.url}/?backend=cpu`, VIEWS[view]);
      await page.evaluate((l) => window.cnnNotebook && document.querySelector('[data-testid="language"]') && (() => {
        const s = document.querySelector('[data-testid="language"]');
        s.value = l;
        s.dispatchEvent(new Event('change'));
      })(), lang);
      const ids = await page.$$eval('main > section.card', (all) => all.map((s) => s.id));
      const shot = async (i, id) => {
        await page.waitForTimeout(250);
        await page.screenshot({ path: path.join(out, `${view}-${lang}-${String(i).padStart(2, '0')}-${id}.png`) });
      };
      await shot(0, 'top');
      if (view === 'states') {
        for (const [i, [name, act]] of STATES.entries()) {
          await act(page);
          await shot(i + 1, name);
          await page.keyboard.press('Escape');
        }
      } else if (view === 'presenter') {
        // The teacher's way: presenter mode, then PageDown from the top, keyboard only.
        await page.keyboard.press('Tab');
        await page.getByTestId('presenter').focus();
        await page.keyboard.press('Enter');
        await shot(0, 'top-presenter');
        for (let i = 0; i < ids.length; i++) {
          await page.keyboard.press('PageDown');
          await shot(i + 1, ids[i]);
        }
      } else {
        for (let i = 0; i < ids.length; i++) {
          await page.locator(`#${ids[i]}`).evaluate((s) => s.scrollIntoView({ block: 'start' }));
          await shot(i + 1, ids[i]);
        }
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  server.stop();
}
console.log(`screenshots in ${out}`);
