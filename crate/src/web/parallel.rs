//! Data parallelism (`crate::parallel`) for the page's Web Workers: `GradientWorker` is one
//! worker's replica (www/shard-worker.js holds one), and `JsPeers` is how the coordinator's run
//! reaches them — a JS object whose `dispatch` posts the shards and resolves to the workers'
//! results in worker order (www/worker-pool.js).

use js_sys::{Array, Float32Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{js_error, plain, to_js};
use crate::parallel::{Peers, Replica, StepView};
use crate::train::LossKind;
use crate::Cpu;

/// One worker's copy of the network: computes the gradient of a shard at the weights it is sent.
#[wasm_bindgen]
pub struct GradientWorker {
    b: Cpu,
    replica: Replica<Cpu>,
}

#[wasm_bindgen]
impl GradientWorker {
    /// A replica of the network `spec` (its ModelSpec as JSON, `Training.specJson()`).
    #[wasm_bindgen(constructor)]
    pub fn new(spec: &str) -> Result<GradientWorker, JsValue> {
        let spec: crate::model::ModelSpec = serde_json::from_str(spec).map_err(|e| plain(&format!("the network's spec cannot be read: {e}")))?;
        let b = Cpu::new();
        let replica = Replica::new(&b, spec).map_err(js_error)?;
        Ok(GradientWorker { b, replica })
    }

    /// How many weights the network has (the length `gradient` expects of `weights`).
    #[wasm_bindgen(getter, js_name = weightCount)]
    pub fn weight_count(&self) -> usize {
        self.replica.weight_count()
    }

    /// The shard's gradient at `weights`, weighted by `share` (the shard's part of the batch),
    /// then the shard's [Σ loss, correct, examples], written into `out` (`weightCount` + 3 values:
    /// the pool hands the same buffer back and forth rather than allocate one per step).
    /// `loss`: "cross-entropy" or "mse".
    pub fn gradient(&mut self, weights: &[f32], images: &[f32], labels: &[f32], share: f32, loss: &str, out: &Float32Array) -> Result<(), JsValue> {
        let loss = LossKind::parse(loss).ok_or_else(|| plain(&format!("unknown loss {loss:?}")))?;
        let n = labels.len();
        let expected = crate::parallel::result_len(self.replica.weight_count());
        if weights.len() != self.replica.weight_count() || n == 0 || !images.len().is_multiple_of(n) || !(share > 0.0 && share <= 1.0) || out.length() as usize != expected {
            return Err(plain(&format!(
                "a shard that does not fit this network: {} weights for {}, {} labels, {} image values, share {share}, room for {} results of {expected}",
                weights.len(),
                self.replica.weight_count(),
                n,
                images.len(),
                out.length()
            )));
        }
        out.copy_from(&self.replica.gradient(&self.b, weights, images, labels, share, loss));
        Ok(())
    }
}

/// The coordinator's view of the page's workers: `{ count, dispatch(weights, shards, loss) →
/// Promise<Float32Array[]>, waiting?(), observe?(view) }`, `shards` being the other workers'
/// `{ images, labels, share }` in worker order; `weights`, `images` and `labels` are views into
/// the core's memory, valid only during the call (the pool copies them into buffers of its own
/// before `dispatch` returns). `waiting` is called when the coordinator's own shard is done and
/// it starts to wait for the others.
pub(super) struct JsPeers {
    count: usize,
    dispatch: Function,
    /// `observe(view)`, when the page shows the steps (`crate::parallel::StepView`).
    observe: Option<Function>,
    this: JsValue,
}

impl JsPeers {
    pub(super) fn from_js(peers: JsValue) -> Result<JsPeers, JsValue> {
        let count = js_sys::Reflect::get(&peers, &"count".into())?.as_f64().ok_or_else(|| plain("peers.count is not a number"))? as usize;
        let dispatch: Function = js_sys::Reflect::get(&peers, &"dispatch".into())?.dyn_into().map_err(|_| plain("peers.dispatch is not a function"))?;
        let observe = js_sys::Reflect::get(&peers, &"observe".into())?.dyn_into().ok();
        Ok(JsPeers { count, dispatch, observe, this: peers })
    }
}

impl Peers for JsPeers {
    type Pending = Result<Promise, JsValue>;

    fn count(&self) -> usize {
        self.count
    }

    fn dispatch(&self, weights: &[f32], images: &[f32], labels: &[f32], bounds: &[(usize, usize)], loss: LossKind) -> Self::Pending {
        let (n, per_example) = (labels.len(), images.len() / labels.len().max(1));
        // Views, not copies: the pool copies each straight into the buffer it posts (shard 0 is
        // the coordinator's and stays here). SAFETY: nothing allocates in wasm memory between
        // making the views and `dispatch` returning (it only copies them and posts), so they
        // stay valid for as long as they are used.
        let view = |values: &[f32]| unsafe { Float32Array::view(values) };
        let shards = Array::new();
        for &(lo, hi) in &bounds[1..] {
            let shard = js_sys::Object::new();
            js_sys::Reflect::set(&shard, &"images".into(), &view(&images[lo * per_example..hi * per_example]))?;
            js_sys::Reflect::set(&shard, &"labels".into(), &view(&labels[lo..hi]))?;
            js_sys::Reflect::set(&shard, &"share".into(), &f64::from(crate::parallel::share((lo, hi), n)).into())?;
            shards.push(&shard);
        }
        let args = Array::of3(&view(weights), &shards, &loss.name().into());
        self.dispatch.apply(&self.this, &args)?.dyn_into::<Promise>().map_err(|_| plain("peers.dispatch did not return a Promise"))
    }

    fn watching(&self) -> bool {
        self.observe.is_some()
    }

    fn observe(&self, view: &StepView) {
        if let Some(f) = &self.observe {
            // What the page does with the view is its own business: an error there must not
            // stop the training.
            let _ = f.call1(&self.this, &to_js(view));
        }
    }

    async fn collect(&self, pending: Self::Pending) -> Result<Vec<Vec<f32>>, crate::Error> {
        // The coordinator's own shard is done: from here it waits (the pool times that).
        if let Ok(waiting) = js_sys::Reflect::get(&self.this, &"waiting".into()).and_then(|f| f.dyn_into::<Function>()) {
            let _ = waiting.call0(&self.this);
        }
        let failed = |e: JsValue| crate::Error::Invalid(format!("a worker failed: {}", e.as_string().or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string())).unwrap_or_default()));
        let value = JsFuture::from(pending.map_err(failed)?).await.map_err(failed)?;
        let results: Array = value.dyn_into().map_err(|_| crate::Error::Invalid("the workers' results are not an array".into()))?;
        Ok(results.iter().map(|r| Float32Array::from(r).to_vec()).collect())
    }
}
