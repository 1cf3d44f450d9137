// Small DOM builders the chapter widgets share: an element (or an SVG element) with attributes
// set by name and an optional text.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(e, attrs, text) {
  for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export const el = (tag, attrs = {}, text) => build(document.createElement(tag), attrs, text);
export const svgEl = (tag, attrs = {}, text) => build(document.createElementNS(SVG_NS, tag), attrs, text);

/**
 * Bring `el` to where the reader is looking: nothing moves when its top is already in the upper
 * part of the window; otherwise the page scrolls so that its top sits a third of the way down
 * (clear of a sticky bar above, with room for what follows).
 */
export function reveal(el) {
  const top = el.getBoundingClientRect().top;
  if (top >= 0 && top < innerHeight * 0.75) return;
  window.scrollBy({ top: top - innerHeight / 3 });
}
