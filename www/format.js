// The page's number formats, one per purpose, in the current language (i18n.num). Never
// E-notation (a learner reads 0.000012, not 1.2e-5), never "−0.00" (a value that rounds to zero is
// written 0), and the minus sign is the real one (−) wherever numbers stand in a formula.

import { num } from './i18n.js';

const MINUS = '\u2212';

/** `v` with exactly `d` decimals: 0.250, −1.500. */
export function fixed(v, d) {
  return num(v, { minimumFractionDigits: d, maximumFractionDigits: d, signDisplay: 'negative' }).replace('-', MINUS);
}

/** A term inside a written sum: negatives in parentheses, as on paper — (−0.25). */
export function term(v, d) {
  const s = fixed(v, d);
  return s.startsWith(MINUS) ? `(${s})` : s;
}

/**
 * `v` with `n` significant digits in plain decimals: 0.002468, 13.57, 0.0000001234. For values
 * whose change matters (a weight before and after one update), give enough digits to show it.
 */
export function sig(v, n = 4) {
  if (!Number.isFinite(v)) return String(v);
  return num(v, { maximumSignificantDigits: n, signDisplay: 'negative' }).replace('-', MINUS);
}

/**
 * Two values that differ, each with the fewest significant digits (at least `n`) that tell them
 * apart — "0.123456 → 0.123411", not "0.1235 → 0.1234" or "0.1235 → 0.1235".
 */
export function apart(a, b, n = 4) {
  for (let d = n; d <= 9; d++) {
    const [x, y] = [sig(a, d), sig(b, d)];
    if (x !== y || a === b) return [x, y];
  }
  return [sig(a, 9), sig(b, 9)];
}

/** A fraction as a percentage: 0.9861 → 98.6%. */
export function percent(v, d = 1) {
  return num(v, { style: 'percent', maximumFractionDigits: d });
}

/** A count: 61,706. */
export function count(n) {
  return num(n);
}

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/**
 * A value that may span many decades (a signal dying layer by layer): plain decimals down to
 * 0.001, below that as written on paper, 1.01 × 10⁻⁵ — never 1.01e-5.
 */
export function decades(v, n = 3) {
  if (!Number.isFinite(v) || v === 0 || Math.abs(v) >= 1e-3) return sig(v, n);
  const e = Math.floor(Math.log10(Math.abs(v)));
  const m = v / 10 ** e;
  return `${sig(m, n)} × 10${String(e).replace(/./g, (c) => SUPERSCRIPT[c])}`;
}
