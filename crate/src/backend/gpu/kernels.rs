//! Every compute kernel the backend runs, and the pipelines for them. A pipeline is built the first
//! time its kernel runs and kept for the life of the `Gpu`; so are the shader modules and the
//! bind-group layouts they share.
//!
//! Binding convention (all shaders): binding 0 is the kernel's parameters, a uniform read at a
//! dynamic offset in the per-step uniform arena (see `record.rs`); bindings 1.. are storage
//! buffers, first the ones the kernel only reads, then the ones it writes.

use std::collections::HashMap;

/// The shape of the output tile one GEMM workgroup computes; every invocation computes RI×4
/// outputs (RI rows of a vec4). A thin tile wastes less work when a product has few rows: a first
/// convolution has 6 output channels, and every row of a 16-row tile past row 6 computes zeros
/// (10 of 16: 2.7 times the work); an 8-row tile computes 8 rows for 6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tile {
    /// 64×64 outputs, 16×16 invocations of 4×4, K in steps of 16.
    Square,
    /// 16×256 outputs, 64×4 invocations of 4×4, K in steps of 8: few rows, many columns.
    Wide,
    /// 16×32 outputs, 8×4 invocations of 4×4, K in steps of 16: few rows and columns (a filter
    /// gradient, whose long K is split over many workgroups instead).
    Small,
    /// 8×256 outputs, 64×4 invocations of 2×4, K in steps of 8: at most 8 rows, many columns.
    ThinWide,
    /// 8×32 outputs, 8×4 invocations of 2×4, K in steps of 16: at most 8 rows, few columns.
    ThinSmall,
}

impl Tile {
    /// Every tile, in the order of `index`.
    pub const ALL: [Tile; 5] = [Tile::Square, Tile::Wide, Tile::Small, Tile::ThinWide, Tile::ThinSmall];

    /// (TX, TY, RI, BK) of gemm.wgsl: TX·TY invocations of RI rows by 4 columns each, K in steps
    /// of BK. TX·TY ≥ BK, and BN = 4·TX divides TX·TY.
    fn consts(self) -> [u32; 4] {
        match self {
            Tile::Square => [16, 16, 4, 16],
            Tile::Wide => [64, 4, 4, 8],
            Tile::Small => [8, 4, 4, 16],
            Tile::ThinWide => [64, 4, 2, 8],
            Tile::ThinSmall => [8, 4, 2, 16],
        }
    }

    /// The tile's place in `ALL`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Rows and columns of the output tile (BM = RI·TY, BN = 4·TX).
    pub fn size(self) -> (usize, usize) {
        let [tx, ty, ri, _] = self.consts();
        ((ri * ty) as usize, (4 * tx) as usize)
    }

    /// How many terms of K one step of the main loop takes (BK): a product's K is computed in
    /// whole steps.
    pub fn depth(self) -> usize {
        self.consts()[3] as usize
    }

    /// The tile for an M×N product: the thinnest whose rows hold M, wide when N is long.
    pub fn for_product(m: usize, n: usize) -> Tile {
        match (m, n >= 1024) {
            (0..=8, true) => Tile::ThinWide,
            (0..=8, false) => Tile::ThinSmall,
            (9..=16, true) => Tile::Wide,
            (9..=16, false) => Tile::Small,
            _ => Tile::Square,
        }
    }

    /// gemm.wgsl with this tile's constants.
    fn gemm_source(self) -> String {
        let defaults = Tile::Square.consts();
        let mut src = GEMM.to_string();
        for ((name, old), new) in ["TX", "TY", "RI", "BK"].iter().zip(defaults).zip(self.consts()) {
            let line = format!("const {name}: u32 = {old}u;");
            assert!(src.contains(&line), "gemm.wgsl lost its line `{line}`");
            src = src.replace(&line, &format!("const {name}: u32 = {new}u;"));
        }
        src
    }
}

/// A shader module: one `.wgsl` per kernel family. The four matrix products are a family file
/// (where A, B and C live) followed by the shared tiled main loop, `gemm.wgsl`, for one tile shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shader {
    Elementwise,
    Merge,
    Pool,
    BatchNorm,
    Loss,
    Optim,
    Reduce,
    Col2im,
    Dense(Tile),
    Conv2dForward(Tile),
    Conv2dBackwardData(Tile),
    Conv2dBackwardUnfold(Tile),
    Conv2dBackwardFilter(Tile),
}

const GEMM: &str = include_str!("shaders/gemm.wgsl");

impl Shader {
    /// Every module the backend can compile.
    pub fn all() -> Vec<Shader> {
        let mut all = vec![Shader::Elementwise, Shader::Merge, Shader::Pool, Shader::BatchNorm, Shader::Loss, Shader::Optim, Shader::Reduce, Shader::Col2im];
        for t in Tile::ALL {
            all.extend([Shader::Dense(t), Shader::Conv2dForward(t), Shader::Conv2dBackwardData(t), Shader::Conv2dBackwardUnfold(t), Shader::Conv2dBackwardFilter(t)]);
        }
        all
    }

    pub fn name(self) -> String {
        match self {
            Shader::Elementwise => "elementwise.wgsl".into(),
            Shader::Merge => "merge.wgsl".into(),
            Shader::Pool => "pool.wgsl".into(),
            Shader::BatchNorm => "batchnorm.wgsl".into(),
            Shader::Loss => "loss.wgsl".into(),
            Shader::Optim => "optim.wgsl".into(),
            Shader::Reduce => "reduce.wgsl".into(),
            Shader::Col2im => "col2im.wgsl".into(),
            Shader::Dense(t) => format!("dense.wgsl + gemm.wgsl ({t:?})"),
            Shader::Conv2dForward(t) => format!("conv2d_forward.wgsl + gemm.wgsl ({t:?})"),
            Shader::Conv2dBackwardData(t) => format!("conv2d_backward_data.wgsl + gemm.wgsl ({t:?})"),
            Shader::Conv2dBackwardUnfold(t) => format!("conv2d_backward_unfold.wgsl + gemm.wgsl ({t:?})"),
            Shader::Conv2dBackwardFilter(t) => format!("conv2d_backward_filter.wgsl + gemm.wgsl ({t:?})"),
        }
    }

    /// The WGSL source exactly as the device compiles it (and as the naga test validates it).
    pub fn source(self) -> String {
        let gemm = |family: &str, t: Tile| format!("{family}\n{}", t.gemm_source());
        match self {
            Shader::Elementwise => include_str!("shaders/elementwise.wgsl").to_string(),
            Shader::Merge => include_str!("shaders/merge.wgsl").to_string(),
            Shader::Pool => include_str!("shaders/pool.wgsl").to_string(),
            Shader::BatchNorm => include_str!("shaders/batchnorm.wgsl").to_string(),
            Shader::Loss => include_str!("shaders/loss.wgsl").to_string(),
            Shader::Optim => include_str!("shaders/optim.wgsl").to_string(),
            Shader::Reduce => include_str!("shaders/reduce.wgsl").to_string(),
            Shader::Col2im => include_str!("shaders/col2im.wgsl").to_string(),
            Shader::Dense(t) => gemm(include_str!("shaders/dense.wgsl"), t),
            Shader::Conv2dForward(t) => gemm(include_str!("shaders/conv2d_forward.wgsl"), t),
            Shader::Conv2dBackwardData(t) => gemm(include_str!("shaders/conv2d_backward_data.wgsl"), t),
            Shader::Conv2dBackwardUnfold(t) => gemm(include_str!("shaders/conv2d_backward_unfold.wgsl"), t),
            Shader::Conv2dBackwardFilter(t) => gemm(include_str!("shaders/conv2d_backward_filter.wgsl"), t),
        }
    }
}

/// One entry point with its bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kernel {
    Fill,
    ActivationForward,
    ActivationBackward,
    DropoutForward,
    DropoutBackward,
    AddInto,
    CopyChannels,
    PoolForward,
    PoolBackward,
    BatchStats,
    Normalize,
    NormalizeEval,
    BatchNormBackwardStats,
    BatchNormBackwardData,
    SoftmaxCrossEntropy,
    Softmax,
    MseOneHot,
    RegressionForward,
    RegressionBackward,
    AddMetrics,
    Sgd,
    Momentum,
    Adam,
    SumSplits,
    ChannelSum,
    Col2im,
    Dense(Tile),
    Conv2dForward(Tile),
    Conv2dBackwardData(Tile),
    Conv2dBackwardUnfold(Tile),
    Conv2dBackwardFilter(Tile),
}

/// What a kernel needs to be built: its module, entry point, and how many storage buffers it
/// reads (bindings 1..=reads) and writes (the bindings after those).
#[derive(Clone, Copy, Debug)]
pub(crate) struct KernelSpec {
    pub shader: Shader,
    pub entry: &'static str,
    pub reads: u32,
    pub writes: u32,
}

impl Kernel {
    pub fn spec(self) -> KernelSpec {
        use Kernel as K;
        use Shader as S;
        let (shader, entry, reads, writes) = match self {
            K::Fill => (S::Elementwise, "fill", 0, 1),
            K::ActivationForward => (S::Elementwise, "activation_forward", 1, 1),
            K::ActivationBackward => (S::Elementwise, "activation_backward", 3, 1),
            K::DropoutForward => (S::Elementwise, "dropout_forward", 1, 2),
            K::DropoutBackward => (S::Elementwise, "dropout_backward", 2, 1),
            K::AddInto => (S::Merge, "add_into", 1, 1),
            K::CopyChannels => (S::Merge, "copy_channels", 1, 1),
            K::PoolForward => (S::Pool, "pool2d_forward", 1, 1),
            K::PoolBackward => (S::Pool, "pool2d_backward", 2, 1),
            K::BatchStats => (S::BatchNorm, "batch_stats", 1, 4),
            K::Normalize => (S::BatchNorm, "normalize", 5, 1),
            K::NormalizeEval => (S::BatchNorm, "normalize_eval", 5, 1),
            K::BatchNormBackwardStats => (S::BatchNorm, "backward_stats", 4, 2),
            K::BatchNormBackwardData => (S::BatchNorm, "backward_data", 7, 1),
            K::SoftmaxCrossEntropy => (S::Loss, "softmax_cross_entropy", 2, 3),
            K::Softmax => (S::Loss, "softmax", 1, 1),
            K::MseOneHot => (S::Loss, "mse_one_hot", 2, 2),
            K::RegressionForward => (S::Loss, "regression_forward", 2, 1),
            K::RegressionBackward => (S::Loss, "regression_backward", 2, 1),
            K::AddMetrics => (S::Loss, "add_metrics", 1, 1),
            K::Sgd => (S::Optim, "sgd", 1, 1),
            K::Momentum => (S::Optim, "momentum", 1, 2),
            K::Adam => (S::Optim, "adam", 1, 3),
            K::SumSplits => (S::Reduce, "sum_splits", 1, 1),
            K::ChannelSum => (S::Reduce, "channel_sum", 1, 1),
            K::Col2im => (S::Col2im, "col2im", 1, 1),
            K::Dense(t) => (S::Dense(t), "main", 3, 1),
            K::Conv2dForward(t) => (S::Conv2dForward(t), "main", 3, 1),
            K::Conv2dBackwardData(t) => (S::Conv2dBackwardData(t), "main", 2, 1),
            K::Conv2dBackwardUnfold(t) => (S::Conv2dBackwardUnfold(t), "main", 2, 1),
            K::Conv2dBackwardFilter(t) => (S::Conv2dBackwardFilter(t), "main", 2, 1),
        };
        KernelSpec { shader, entry, reads, writes }
    }
}

/// A tiled product's labels, one per tile in `Tile::ALL`'s order.
macro_rules! tiled_labels {
    ($family:literal) => {
        [
            concat!($family, " (square tile)"),
            concat!($family, " (wide tile)"),
            concat!($family, " (small tile)"),
            concat!($family, " (thin wide tile)"),
            concat!($family, " (thin small tile)"),
        ]
    };
}

impl Kernel {
    /// The kernel's name in a profile and on its compute pass: its WGSL entry point, or for the
    /// tiled products (whose entry points are all `main`) the family and the tile.
    pub fn label(self) -> &'static str {
        use Kernel as K;
        match self {
            K::Dense(t) => tiled_labels!("dense")[t.index()],
            K::Conv2dForward(t) => tiled_labels!("conv2d_forward")[t.index()],
            K::Conv2dBackwardData(t) => tiled_labels!("conv2d_backward_data")[t.index()],
            K::Conv2dBackwardUnfold(t) => tiled_labels!("conv2d_backward_unfold")[t.index()],
            K::Conv2dBackwardFilter(t) => tiled_labels!("conv2d_backward_filter")[t.index()],
            other => other.spec().entry,
        }
    }
}

/// Size of one kernel's parameter block in the uniform arena; every `Params` struct is smaller.
pub const PARAMS_BYTES: u64 = 256;

/// Pipelines, built on first use.
#[derive(Default)]
pub(crate) struct Pipelines {
    modules: HashMap<Shader, wgpu::ShaderModule>,
    layouts: HashMap<(u32, u32), (wgpu::BindGroupLayout, wgpu::PipelineLayout)>,
    pipelines: HashMap<Kernel, (wgpu::ComputePipeline, wgpu::BindGroupLayout)>,
}

impl Pipelines {
    pub fn count(&self) -> usize {
        self.pipelines.len()
    }

    /// The kernel's pipeline and bind-group layout, built the first time it is asked for.
    pub fn get(&mut self, device: &wgpu::Device, kernel: Kernel) -> (wgpu::ComputePipeline, wgpu::BindGroupLayout) {
        if let Some(p) = self.pipelines.get(&kernel) {
            return p.clone();
        }
        let spec = kernel.spec();
        let module = self
            .modules
            .entry(spec.shader)
            .or_insert_with(|| {
                device.create_shader_module(wgpu::ShaderModuleDescriptor {
                    label: Some(&spec.shader.name()),
                    source: wgpu::ShaderSource::Wgsl(spec.shader.source().into()),
                })
            })
            .clone();
        let (bgl, layout) = self
            .layouts
            .entry((spec.reads, spec.writes))
            .or_insert_with(|| {
                let mut entries = vec![wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::COMPUTE,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: true,
                        min_binding_size: wgpu::BufferSize::new(PARAMS_BYTES),
                    },
                    count: None,
                }];
                for i in 0..spec.reads + spec.writes {
                    entries.push(wgpu::BindGroupLayoutEntry {
                        binding: 1 + i,
                        visibility: wgpu::ShaderStages::COMPUTE,
                        ty: wgpu::BindingType::Buffer {
                            ty: wgpu::BufferBindingType::Storage { read_only: i < spec.reads },
                            has_dynamic_offset: false,
                            min_binding_size: None,
                        },
                        count: None,
                    });
                }
                let label = format!("{} reads, {} writes", spec.reads, spec.writes);
                let bgl = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor { label: Some(&label), entries: &entries });
                let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                    label: Some(&label),
                    bind_group_layouts: &[Some(&bgl)],
                    immediate_size: 0,
                });
                (bgl, layout)
            })
            .clone();
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(spec.entry),
            layout: Some(&layout),
            module: &module,
            entry_point: Some(spec.entry),
            compilation_options: Default::default(),
            cache: None,
        });
        self.pipelines.insert(kernel, (pipeline.clone(), bgl.clone()));
        (pipeline, bgl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// naga's verdict on a WGSL source, with its diagnostic.
    fn validate(src: &str) -> Result<(), String> {
        let module = naga::front::wgsl::parse_str(src).map_err(|e| e.emit_to_string(src))?;
        let mut v = naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::empty());
        v.validate(&module).map(|_| ()).map_err(|e| e.emit_to_string(src))
    }

    /// Parse and validate every shader exactly as the device will compile it, without a GPU.
    #[test]
    fn every_shader_parses_and_validates_with_naga() {
        for shader in Shader::all() {
            if let Err(e) = validate(&shader.source()) {
                panic!("{} does not validate:\n{e}", shader.name());
            }
        }
    }

    /// The check above catches what a GPU driver would reject: a syntax error, a type error, a
    /// store into a read-only buffer. (naga does not check that barriers sit in uniform control
    /// flow: gemm.wgsl and the reductions keep theirs outside any invocation-dependent branch.)
    #[test]
    fn naga_rejects_broken_shaders() {
        let ok = "@group(0) @binding(0) var<storage, read_write> v: array<f32>;\n\
                  @compute @workgroup_size(64) fn main(@builtin(local_invocation_index) i: u32) { v[i] = 1.0; }";
        assert_eq!(validate(ok), Ok(()));
        assert!(validate(&ok.replace("v[i] = 1.0;", "v[i] = 1.0")).is_err(), "missing semicolon");
        assert!(validate(&ok.replace("v[i] = 1.0;", "v[i] = 1u;")).is_err(), "u32 into f32");
        assert!(validate(&ok.replace("read_write", "read")).is_err(), "store into a read-only buffer");
    }

    /// gemm.wgsl's assumptions about its tile constants.
    #[test]
    fn tile_shapes_fit_the_main_loop() {
        for t in Tile::ALL {
            let [tx, ty, ri, bk] = t.consts();
            let nt = tx * ty;
            assert!(nt <= 256 && nt >= bk, "{t:?}: {nt} invocations for BK = {bk}");
            assert_eq!(nt % (4 * tx), 0, "{t:?}: BN must divide the invocation count");
            assert!(ri == 2 || ri == 4, "{t:?}: gemm.wgsl accumulates 2 or 4 rows per invocation");
            assert_eq!(Tile::ALL[t.index()], t);
            let src = t.gemm_source();
            assert!(src.contains(&format!("const TX: u32 = {tx}u;")) && src.contains(&format!("const RI: u32 = {ri}u;")));
        }
        // LeNet's first convolution: 6 output channels over a batch's pixels, its filter gradient
        // 6 × 25; its second: 16 channels; a dense layer's batch of 256 rows.
        assert_eq!(Tile::for_product(6, 200_704), Tile::ThinWide);
        assert_eq!(Tile::for_product(6, 25), Tile::ThinSmall);
        assert_eq!(Tile::for_product(16, 25_600), Tile::Wide);
        assert_eq!(Tile::for_product(16, 150), Tile::Small);
        assert_eq!(Tile::for_product(120, 400), Tile::Square);
        assert_eq!(Tile::for_product(9, 2_000), Tile::Wide);
    }

    /// Every kernel's entry point exists in its module, as a compute shader, and uses no binding
    /// beyond the ones its layout declares.
    #[test]
    fn every_kernel_names_an_entry_point_of_its_shader() {
        use Kernel as K;
        let mut all = vec![
            K::Fill,
            K::ActivationForward,
            K::ActivationBackward,
            K::DropoutForward,
            K::DropoutBackward,
            K::AddInto,
            K::CopyChannels,
            K::PoolForward,
            K::PoolBackward,
            K::BatchStats,
            K::Normalize,
            K::NormalizeEval,
            K::BatchNormBackwardStats,
            K::BatchNormBackwardData,
            K::SoftmaxCrossEntropy,
            K::Softmax,
            K::MseOneHot,
            K::RegressionForward,
            K::RegressionBackward,
            K::AddMetrics,
            K::Sgd,
            K::Momentum,
            K::Adam,
            K::SumSplits,
            K::ChannelSum,
            K::Col2im,
        ];
        for t in Tile::ALL {
            all.extend([K::Dense(t), K::Conv2dForward(t), K::Conv2dBackwardData(t), K::Conv2dBackwardUnfold(t), K::Conv2dBackwardFilter(t)]);
        }
        for k in all {
            let spec = k.spec();
            let src = spec.shader.source();
            let module = naga::front::wgsl::parse_str(&src).expect("validated above");
            let info = naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::empty())
                .validate(&module)
                .expect("validated above");
            let (idx, ep) = module.entry_points.iter().enumerate().find(|(_, e)| e.name == spec.entry).unwrap_or_else(|| panic!("{k:?}: no entry point {}", spec.entry));
            assert_eq!(ep.stage, naga::ShaderStage::Compute, "{k:?}");
            let used = info.get_entry_point(idx);
            for (h, var) in module.global_variables.iter() {
                if used[h].is_empty() {
                    continue;
                }
                if let Some(b) = &var.binding {
                    assert_eq!(b.group, 0, "{k:?}");
                    assert!(b.binding <= spec.reads + spec.writes, "{k:?} uses binding {} beyond its layout", b.binding);
                    let declared_writable = matches!(var.space, naga::AddressSpace::Storage { access } if access.contains(naga::StorageAccess::STORE));
                    if declared_writable {
                        assert!(b.binding > spec.reads, "{k:?} writes binding {}, which its layout makes read-only", b.binding);
                    }
                }
            }
        }
    }
}
