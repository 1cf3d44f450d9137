// The language switch in the page header: English / 简体中文. Choosing one switches every string
// at once (setLanguage fills the data-i18n elements and runs the onLanguageChange callbacks) and
// is remembered for the next visit. A native <select> with a visible <label>: reachable with Tab,
// operated with the arrow keys, and named in the current language.

import { language, languageNames, onLanguageChange, setLanguage } from './i18n.js';

/** Wire the header's <select data-testid="language">; returns it (null when the page has none). */
export function mountLanguageSwitch(select = document.querySelector('[data-testid="language"]')) {
  if (!select) return null;
  // One option per language the page has, each named in itself.
  for (const [code, name] of Object.entries(languageNames)) {
    if (![...select.options].some((o) => o.value === code)) select.add(new Option(name, code));
  }
  select.value = language();
  select.addEventListener('change', () => setLanguage(select.value));
  // A switch made elsewhere (a test, another control) shows here too.
  onLanguageChange((code) => {
    select.value = code;
  });
  return select;
}
