// The drawing pad: pointer events (mouse, touch and pen alike), strokes drawn as ink in the
// canvas's alpha channel, and a callback at most once per animation frame while drawing — so the
// prediction follows the pen at the screen's refresh rate (60 Hz here; the issue asks for ≥ 20).

/** Stroke width as a fraction of the pad's side: after MNIST's fit into a 20×20 box a digit
 *  drawn across most of the pad gets strokes about two pixels wide, like the training digits. */
const STROKE = 0.075;

export class DrawingPad {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{ onChange: () => void, onStrokeEnd: (endedAt: number) => void }} handlers
   */
  constructor(canvas, { onChange, onStrokeEnd }) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.onChange = onChange;
    this.onStrokeEnd = onStrokeEnd;
    this.last = null;
    this.pending = false;
    this.inked = false;
    /** True while the pad shows a digit put there (a sample): the next stroke starts afresh. */
    this.holdsImage = false;
    canvas.style.touchAction = 'none'; // a finger draws instead of scrolling the page
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
  }

  /** Canvas coordinates of a pointer event (the canvas may be shown scaled). */
  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * this.canvas.width) / r.width, ((e.clientY - r.top) * this.canvas.height) / r.height];
  }

  down(e) {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    if (this.holdsImage) this.erase();
    this.canvas.setPointerCapture(e.pointerId);
    this.last = this.point(e);
    this.segment(this.last, this.last, e.pressure);
    e.preventDefault();
  }

  move(e) {
    if (!this.last) return;
    // Coalesced events carry the pen's full path between frames.
    const events = e.getCoalescedEvents?.() ?? [e];
    for (const ev of events.length ? events : [e]) {
      const p = this.point(ev);
      this.segment(this.last, p, ev.pressure);
      this.last = p;
    }
  }

  up(e) {
    if (!this.last) return;
    this.last = null;
    this.canvas.releasePointerCapture?.(e.pointerId);
    this.onStrokeEnd(performance.now());
  }

  segment(a, b, pressure) {
    const ctx = this.ctx;
    // A pen's pressure varies the width a little; mouse and touch report 0.5 or 0.
    const p = pressure > 0 && pressure !== 0.5 ? 0.7 + 0.6 * pressure : 1;
    ctx.lineWidth = STROKE * this.canvas.width * p;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#111';
    ctx.beginPath();
    ctx.moveTo(a[0], a[1]);
    ctx.lineTo(b[0], b[1]);
    ctx.stroke();
    this.inked = true;
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.onChange();
    });
  }

  /** The pad's pixels: ink in the alpha channel. */
  pixels() {
    return this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height).data;
  }

  /**
   * Show a `side`×`side` image (ink in [0, 1], row-major) on the pad, scaled up smoothly, as if
   * it had been drawn: a sample digit, or one from the test set. Drawing replaces it.
   */
  showImage(image, side = 28) {
    const small = document.createElement('canvas');
    small.width = small.height = side;
    const sctx = small.getContext('2d');
    const data = sctx.createImageData(side, side);
    for (let i = 0; i < side * side; i++) data.data.set([17, 17, 17, Math.round(image[i] * 255)], i * 4);
    sctx.putImageData(data, 0, 0);
    this.erase();
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.imageSmoothingQuality = 'high';
    this.ctx.drawImage(small, 0, 0, this.canvas.width, this.canvas.height);
    this.inked = true;
    this.holdsImage = true;
    this.onChange();
  }

  erase() {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.inked = false;
    this.holdsImage = false;
  }

  clear() {
    this.erase();
    this.onChange();
  }
}
