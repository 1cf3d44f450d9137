// Chapter "Save, load and export": the pad's network saved as a model file (the format of
// `cnn train --save`) and loaded back — a bad file is refused with the core's reason and nothing
// changes — and exported to PyTorch: nn.Sequential code and a safetensors file of its state_dict.

import { applyStrings, explain, setText } from '../i18n.js';

export function mount(body, core, nb) {
  body.innerHTML = `
    <p class="intro" data-i18n="files.intro"></p>
    <p class="buttons">
      <button id="model-save" type="button" data-testid="model-save" data-i18n="files.save"></button>
      <label class="file-button">
        <span data-i18n="files.load"></span>
        <input id="model-load" data-testid="model-load" type="file" accept=".cnn,.safetensors,application/octet-stream">
      </label>
    </p>
    <p id="model-message" class="message" data-testid="model-message" role="status"></p>
    <h3 data-i18n="export.heading"></h3>
    <p class="intro" data-i18n="export.intro"></p>
    <p class="buttons">
      <button id="export-code" type="button" data-testid="export-code" data-i18n="export.code"></button>
      <button id="export-weights" type="button" data-testid="export-weights" data-i18n="export.weights"></button>
    </p>
    <pre id="export-preview" class="code" data-testid="export-preview" tabindex="0" hidden></pre>`;
  applyStrings(body);
  const q = (id) => body.querySelector(`[data-testid="${id}"]`);
  const message = q('model-message');
  /** The chapter's one line: it follows a change of language, and only a refusal is red. */
  const say = (key, values, bad = false) => {
    message.classList.toggle('bad', bad);
    setText(message, key, values);
  };
  q('model-save').addEventListener('click', () => {
    const name = `${nb.predictor.name}-${new Date().toISOString().slice(0, 10)}.cnn`;
    download(name, nb.predictor.toFile(), 'application/octet-stream');
    say('files.saved', { name });
  });
  // Export to PyTorch: the code (also shown on the page) and the state_dict it loads.
  q('export-code').addEventListener('click', () => {
    const code = nb.predictor.pytorchCode();
    const preview = q('export-preview');
    preview.textContent = code;
    preview.hidden = false;
    const name = `${nb.predictor.name.replace(/[^\w.-]/g, '_')}.py`;
    download(name, code, 'text/x-python');
    say('export.saved', { name });
  });
  q('export-weights').addEventListener('click', () => {
    const name = nb.predictor.pytorchWeightsName;
    download(name, nb.predictor.pytorchWeights(), 'application/octet-stream');
    say('export.saved', { name });
  });
  q('model-load').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      nb.replaceNetwork(core.Predictor.fromFile(bytes), bytes);
      say('files.loaded', { name: file.name, model: nb.predictor.name });
    } catch (err) {
      say('files.bad', { name: file.name, detail: () => explain(err) }, true);
    }
  });
}

/** Offer `data` (bytes or text) to the learner as a file download. */
function download(name, data, type) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([data], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
