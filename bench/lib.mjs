// What every benchmark script shares: its command-line numbers and how it summarises runs.

/** The number after `--name` on the command line, or `dflt`. */
export function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

/** The median of `xs` (the mean of the two middle values when their count is even). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** "median (min – max)" with `digits` decimals. */
export function summary(xs, digits) {
  return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)} – ${Math.max(...xs).toFixed(digits)})`;
}
