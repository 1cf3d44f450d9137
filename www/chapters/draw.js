// Chapter "Draw a digit": the pad (mouse, finger or pen), the sample digits and a random digit of
// the test set, the 28×28 image the network sees, and its ten probabilities. The pad's image goes
// through the core's `preprocess` (MNIST's own preparation) into the notebook, which predicts it
// and tells the other chapters.

import { applyStrings, num, setAttr, setText, t } from '../i18n.js';
import { percent } from '../format.js';
import { DrawingPad } from '../pad.js';
import { el } from './dom.js';

/** The sample digit the pad holds when the page opens. */
const FIRST_SAMPLE = 3;

let state = null;

export function mount(body, core, nb) {
  body.innerHTML = `
    <p class="intro" data-i18n="draw.intro"></p>
    <div class="samples" role="group" aria-labelledby="samples-label">
      <span id="samples-label" data-i18n="draw.samples"></span>
      <span class="sample-buttons"></span>
      <button type="button" class="secondary" data-testid="random-digit" data-i18n="draw.random" disabled></button>
    </div>
    <p class="hint pad-source" data-testid="pad-source" aria-live="polite"></p>
    <div class="draw-grid">
      <figure class="pad">
        <canvas id="pad" data-testid="draw-canvas" width="280" height="280" tabindex="0" data-i18n-attr="aria-label:draw.padLabel"></canvas>
        <figcaption>
          <button type="button" data-testid="clear" data-i18n="draw.clear"></button>
          <span class="hint" data-i18n="draw.hint"></span>
        </figcaption>
      </figure>
      <figure class="seen">
        <canvas id="seen" width="28" height="28" data-i18n-attr="aria-label:draw.seenLabel"></canvas>
        <figcaption data-i18n="draw.seen"></figcaption>
      </figure>
      <figure class="probs">
        <p class="prediction-line">
          <span data-i18n="draw.prediction"></span>
          <output data-testid="prediction" aria-live="polite">–</output>
        </p>
        <ol id="probs" class="bars" data-i18n-attr="aria-label:draw.probsLabel"></ol>
        <figcaption class="hint latency"></figcaption>
      </figure>
    </div>`;
  applyStrings(body);
  const q = (sel) => body.querySelector(sel);
  state = {
    core, nb,
    source: q('[data-testid="pad-source"]'), prediction: q('[data-testid="prediction"]'), seen: q('#seen'),
    latency: q('.latency'), random: q('[data-testid="random-digit"]'),
    bars: buildBars(q('.bars')),
  };
  const refresh = () => {
    const t0 = performance.now();
    const pad = state.pad;
    nb.setImage(pad.inked ? core.preprocess(pad.pixels(), pad.canvas.width, pad.canvas.height) ?? null : null);
    // Every chapter has drawn what it shows of this digit by now.
    if (nb.image) setText(state.latency, 'draw.latency', { ms: num(performance.now() - t0, { maximumFractionDigits: 1 }) });
    else setText(state.latency, null);
  };
  state.refreshPad = refresh;
  state.pad = new DrawingPad(q('#pad'), {
    onChange: refresh,
    onStrokeEnd: (endedAt) => {
      refresh();
      nb.stats.strokeToBars.push(performance.now() - endedAt);
      setText(state.source, 'draw.yours');
    },
  });
  q('[data-testid="clear"]').addEventListener('click', () => {
    state.pad.clear();
    setText(state.source, null);
  });
  // A way in without a mouse or a finger: the sample digits, and any digit of the test set (the
  // training worker holds those: the random button waits until it has loaded them).
  for (let d = 0; d < 10; d++) {
    const b = el('button', { type: 'button', class: 'secondary sample', 'data-testid': `sample-${d}` }, String(d));
    b.addEventListener('click', () => showSample(d));
    q('.sample-buttons').append(b);
  }
  state.random.addEventListener('click', () => nb.emit('testDigitWanted', Math.floor(Math.random() * 1e9)));
  setAttr(state.random, 'title', 'train.preparing');
  nb.on('trainingReady', () => {
    state.random.disabled = false;
    setAttr(state.random, 'title', null);
  });
  nb.on('testDigit', (m) => {
    state.pad.showImage(m.image);
    setText(state.source, 'draw.testSource', { index: num(m.index), label: m.label });
  });
  nb.on('prediction', show);
  showSample(FIRST_SAMPLE);
}

function showSample(d) {
  state.pad.showImage(state.core.sampleDigit(d));
  setText(state.source, 'draw.sampleSource', { d });
}

/** Show what the network makes of the pad's digit: the bars, the prediction, the 28×28 image. */
function show() {
  const { nb, bars } = state;
  showProbs(bars, nb.prediction);
  if (nb.error) state.latency.textContent = nb.error.message ?? String(nb.error);
  showSeen(state.seen, nb.image);
}

export function refresh() {
  if (!state) return;
  show();
}

function buildBars(list) {
  const bars = [];
  for (let d = 0; d < 10; d++) {
    const li = el('li', { 'data-testid': `prob-${d}`, 'data-value': '0' });
    const fill = document.createElement('span');
    const bar = el('span', { class: 'bar' });
    bar.append(fill);
    const value = el('span', { class: 'value' });
    li.append(el('span', { class: 'digit' }, String(d)), bar, value);
    list.append(li);
    bars.push({ li, fill, value });
  }
  return bars;
}

function showProbs(bars, prediction) {
  const probs = prediction?.probs;
  const best = prediction ? prediction.predicted : -1;
  bars.forEach((b, d) => {
    const p = probs ? probs[d] : 0;
    b.li.dataset.value = String(p);
    b.li.classList.toggle('best', d === best);
    b.fill.style.width = `${(p * 100).toFixed(1)}%`;
    b.value.textContent = probs ? percent(p) : '';
    b.li.setAttribute('aria-label', t('draw.barLabel', { d, p: b.value.textContent || '0%' }));
  });
  state.prediction.textContent = best >= 0 ? String(best) : '–';
}

function showSeen(canvas, img) {
  const ctx = canvas.getContext('2d');
  const data = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round((img ? img[i] : 0) * 255);
    data.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(data, 0, 0);
}

/** For tests and the bench: the pad and how to make the page read it again. */
export const handle = () => ({ pad: state.pad, refresh: state.refreshPad });
