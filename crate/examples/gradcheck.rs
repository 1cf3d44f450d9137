//! Throwaway: whole-network finite-difference check on lenet-d2l.
use cnn_core::{backend::Backend, init::Init, model::{zoo, Mode, Sequential}, rng::{Rng, Stream}, tensor::Shape, Cpu};
fn main() {
    let cpu = Cpu::new();
    for spec in [zoo::lenet_relu()] {
        let name = spec.name.clone();
        let mut m = Sequential::new(&cpu, spec, Init::XavierUniform, 5).unwrap();
        let n = 4;
        let mut rng = Rng::stream(3, Stream::Data);
        let images: Vec<f32> = (0..n * 784).map(|_| rng.uniform()).collect();
        let labels = cpu.upload(&Shape(vec![n]), &[1.0, 2.0, 3.0, 4.0]);
        let mut probs = cpu.zeros(&Shape(vec![n, 10]));
        let mut loss = |m: &mut Sequential<Cpu>, back: bool| -> f64 {
            m.set_input(&cpu, &images, n);
            m.forward(&cpu, Mode::Train);
            let mut met = cpu.zeros(&Shape(vec![3]));
            let (lo, d) = m.output_and_grad_mut();
            cpu.softmax_cross_entropy(lo, &labels, &mut probs, d, &mut met);
            if back { m.backward(&cpu); }
            cpu.read(&met)[0] as f64 / n as f64
        };
        loss(&mut m, true);
        let nparams = m.params().len();
        for pi in 0..nparams {
            let grad = cpu.read(&m.params()[pi].grad);
            let pname = m.params()[pi].name.clone();
            let mut worst = 0.0f64;
            for idx in [0usize, 3, 7] {
                if idx >= grad.len() { continue; }
                let h = 2e-3f32;
                let orig = cpu.read(&m.params()[pi].value);
                let mut v = orig.clone();
                v[idx] += h; cpu.write(&mut m.params_mut()[pi].value, &v); let lp = loss(&mut m, false);
                v[idx] -= 2.0 * h; cpu.write(&mut m.params_mut()[pi].value, &v); let lm = loss(&mut m, false);
                cpu.write(&mut m.params_mut()[pi].value, &orig);
                let fd = (lp - lm) / (2.0 * h as f64);
                let rel = (fd - grad[idx] as f64).abs() / (fd.abs() + grad[idx].abs() as f64 + 1e-6);
                if rel > worst { worst = rel; }
                if rel > 1e-2 { println!("  {pname}[{idx}]: fd {fd:.6e} vs grad {:.6e}", grad[idx]); }
            }
            println!("{name} {pname}: worst rel {worst:.2e}");
        }
    }
}
