//! Throwaway: per-op time breakdown of lenet-d2l training on the CPU backend.
use cnn_core::backend::*;
use cnn_core::tensor::Shape;
use cnn_core::{bench, model::zoo, Cpu};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Instant;

struct Timed { b: Cpu, t: RefCell<BTreeMap<String, f64>> }
impl Timed {
    fn time<R>(&self, name: String, f: impl FnOnce() -> R) -> R {
        let s = Instant::now();
        let r = f();
        *self.t.borrow_mut().entry(name).or_default() += s.elapsed().as_secs_f64();
        r
    }
}
type T = ndarray::ArrayD<f32>;
impl Backend for Timed {
    type Tensor = T;
    fn name(&self) -> String { self.b.name() }
    fn zeros(&self, s: &Shape) -> T { self.b.zeros(s) }
    fn upload(&self, s: &Shape, d: &[f32]) -> T { self.b.upload(s, d) }
    fn write(&self, t: &mut T, d: &[f32]) { self.time("write".into(), || self.b.write(t, d)) }
    fn read(&self, t: &T) -> Vec<f32> { self.b.read(t) }
    fn shape(&self, t: &T) -> Shape { self.b.shape(t) }
    fn copy(&self, s: &T, d: &mut T) { self.time("copy".into(), || self.b.copy(s, d)) }
    fn fill(&self, t: &mut T, v: f32) { self.b.fill(t, v) }
    fn conv2d_forward(&self, x: &T, w: &T, b: &T, y: &mut T, g: &ConvGeom) { self.time(format!("conv_f c{}", g.c_in), || self.b.conv2d_forward(x, w, b, y, g)) }
    fn conv2d_backward(&self, x: &T, w: &T, dy: &T, dx: Option<&mut T>, dw: &mut T, db: &mut T, g: &ConvGeom) { self.time(format!("conv_b c{}", g.c_in), || self.b.conv2d_backward(x, w, dy, dx, dw, db, g)) }
    fn pool2d_forward(&self, k: PoolKind, x: &T, y: &mut T, g: &PoolGeom) { self.time(format!("pool_f c{}", g.c), || self.b.pool2d_forward(k, x, y, g)) }
    fn pool2d_backward(&self, k: PoolKind, x: &T, dy: &T, dx: &mut T, g: &PoolGeom) { self.time(format!("pool_b c{}", g.c), || self.b.pool2d_backward(k, x, dy, dx, g)) }
    fn dense_forward(&self, x: &T, w: &T, b: &T, y: &mut T) { self.time(format!("dense_f {}", w.len()), || self.b.dense_forward(x, w, b, y)) }
    fn dense_backward(&self, x: &T, w: &T, dy: &T, dx: Option<&mut T>, dw: &mut T, db: &mut T) { self.time(format!("dense_b {}", w.len()), || self.b.dense_backward(x, w, dy, dx, dw, db)) }
    fn activation_forward(&self, k: ActKind, x: &T, y: &mut T) { self.time(format!("act_f {}", x.len()), || self.b.activation_forward(k, x, y)) }
    fn activation_backward(&self, k: ActKind, x: &T, y: &T, dy: &T, dx: &mut T) { self.time(format!("act_b {}", x.len()), || self.b.activation_backward(k, x, y, dy, dx)) }
    fn dropout_forward(&self, x: &T, m: &mut T, y: &mut T, p: f32, key: u32) { self.b.dropout_forward(x, m, y, p, key) }
    fn dropout_backward(&self, dy: &T, m: &T, dx: &mut T) { self.b.dropout_backward(dy, m, dx) }
    fn batchnorm2d_forward_train(&self, x: &T, g: &T, b: &T, y: &mut T, sm: &mut T, si: &mut T, rm: &mut T, rv: &mut T, mo: f32, e: f32) { self.b.batchnorm2d_forward_train(x, g, b, y, sm, si, rm, rv, mo, e) }
    fn batchnorm2d_forward_eval(&self, x: &T, g: &T, b: &T, rm: &T, rv: &T, y: &mut T, e: f32) { self.b.batchnorm2d_forward_eval(x, g, b, rm, rv, y, e) }
    fn batchnorm2d_backward(&self, x: &T, g: &T, dy: &T, sm: &T, si: &T, dx: &mut T, dg: &mut T, db: &mut T) { self.b.batchnorm2d_backward(x, g, dy, sm, si, dx, dg, db) }
    fn softmax_cross_entropy(&self, l: &T, y: &T, p: &mut T, d: &mut T, m: &mut T) { self.time("softmax".into(), || self.b.softmax_cross_entropy(l, y, p, d, m)) }
    fn mse(&self, p: &T, t: &T, d: &mut T, m: &mut T) { self.b.mse(p, t, d, m) }
    fn update(&self, r: UpdateRule, p: &mut T, g: &T, s1: &mut T, s2: &mut T) { self.time("update".into(), || self.b.update(r, p, g, s1, s2)) }
}
fn main() {
    let secs: f64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let batch: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(256);
    let tb = Timed { b: Cpu::new(), t: RefCell::new(BTreeMap::new()) };
    let eps = bench::training_throughput(&tb, zoo::lenet_d2l(), batch, secs);
    let total: f64 = tb.t.borrow().values().sum();
    let steps = 3.0 + eps * secs / batch as f64; // approx
    println!("train {eps:.0} ex/s; per step (ms):");
    for (k, v) in tb.t.borrow().iter() { println!("  {k:14} {:7.3}  {:4.1}%", v / steps * 1e3, 100.0 * v / total); }
    tb.t.borrow_mut().clear();
    let lat = bench::inference_latency(&tb, zoo::lenet_d2l(), 2000);
    let total: f64 = tb.t.borrow().values().sum();
    println!("infer {:.1} us; per run (us):", lat * 1e6);
    for (k, v) in tb.t.borrow().iter() { println!("  {k:14} {:7.2}", v / 2010.0 * 1e6); }
    let _ = total;
}
