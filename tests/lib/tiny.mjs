// The descent chapter's 2-2-1 network in f64, written here from its definition, to check what
// the page shows: hidden sigmoids, a ReLU output, L = ½(a₂₁ − y)². Parameters in the core's
// order (`lessons::tiny`): w11, w12, w13, w14, w21, w22, b1, b2, b3.

export const KEYS = ['w11', 'w12', 'w13', 'w14', 'w21', 'w22', 'b1', 'b2', 'b3'];
const sigmoid = (z) => 1 / (1 + Math.exp(-z));

/** Loss and gradient for one example { x1, x2, y }. */
export function lossAndGrad(p, { x1, x2, y }) {
  const [w11, w12, w13, w14, w21, w22, b1, b2, b3] = p;
  const a11 = sigmoid(x1 * w11 + x2 * w13 + b1);
  const a12 = sigmoid(x1 * w12 + x2 * w14 + b2);
  const z3 = a11 * w21 + a12 * w22 + b3;
  const a21 = Math.max(0, z3);
  const dz3 = (a21 - y) * (z3 > 0 ? 1 : 0);
  const dz1 = dz3 * w21 * a11 * (1 - a11);
  const dz2 = dz3 * w22 * a12 * (1 - a12);
  return { loss: 0.5 * (a21 - y) ** 2, grad: [dz1 * x1, dz2 * x1, dz1 * x2, dz2 * x2, dz3 * a11, dz3 * a12, dz1, dz2, dz3] };
}

/** The mean loss and mean gradient over `examples`. */
export function meanLossAndGrad(p, examples) {
  const per = examples.map((e) => lossAndGrad(p, e));
  return {
    loss: per.reduce((a, r) => a + r.loss, 0) / per.length,
    grad: KEYS.map((_, k) => per.reduce((a, r) => a + r.grad[k], 0) / per.length),
  };
}

/** One SGD step on the mean gradient over `examples`. */
export function meanStep(p, examples, lr) {
  const { grad } = meanLossAndGrad(p, examples);
  return p.map((v, k) => v - lr * grad[k]);
}
