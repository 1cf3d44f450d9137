//! Every compute kernel the backend runs, and the pipelines for them. A pipeline is built the first
//! time its kernel runs and kept for the life of the `Gpu`; so are the shader modules and the
//! bind-group layouts they share.
//!
//! Binding convention (all shaders): binding 0 is the kernel's parameters, a uniform read at a
//! dynamic offset in the per-step uniform arena (see `record.rs`); bindings 1.. are storage
//! buffers, first the ones the kernel only reads, then the ones it writes.

use std::collections::HashMap;

/// A shader module: one `.wgsl` per kernel family. The four matrix products are a family file
/// (where A, B and C live) followed by the shared tiled main loop, `gemm.wgsl`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shader {
    Elementwise,
    Pool,
    BatchNorm,
    Loss,
    Optim,
    Reduce,
    Dense,
    Conv2dForward,
    Conv2dBackwardData,
    Conv2dBackwardFilter,
}

const GEMM: &str = include_str!("shaders/gemm.wgsl");

impl Shader {
    pub const ALL: [Shader; 10] = [
        Shader::Elementwise,
        Shader::Pool,
        Shader::BatchNorm,
        Shader::Loss,
        Shader::Optim,
        Shader::Reduce,
        Shader::Dense,
        Shader::Conv2dForward,
        Shader::Conv2dBackwardData,
        Shader::Conv2dBackwardFilter,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shader::Elementwise => "elementwise.wgsl",
            Shader::Pool => "pool.wgsl",
            Shader::BatchNorm => "batchnorm.wgsl",
            Shader::Loss => "loss.wgsl",
            Shader::Optim => "optim.wgsl",
            Shader::Reduce => "reduce.wgsl",
            Shader::Dense => "dense.wgsl + gemm.wgsl",
            Shader::Conv2dForward => "conv2d_forward.wgsl + gemm.wgsl",
            Shader::Conv2dBackwardData => "conv2d_backward_data.wgsl + gemm.wgsl",
            Shader::Conv2dBackwardFilter => "conv2d_backward_filter.wgsl + gemm.wgsl",
        }
    }

    /// The WGSL source exactly as the device compiles it (and as the naga test validates it).
    pub fn source(self) -> String {
        let gemm = |family: &str| format!("{family}\n{GEMM}");
        match self {
            Shader::Elementwise => include_str!("shaders/elementwise.wgsl").to_string(),
            Shader::Pool => include_str!("shaders/pool.wgsl").to_string(),
            Shader::BatchNorm => include_str!("shaders/batchnorm.wgsl").to_string(),
            Shader::Loss => include_str!("shaders/loss.wgsl").to_string(),
            Shader::Optim => include_str!("shaders/optim.wgsl").to_string(),
            Shader::Reduce => include_str!("shaders/reduce.wgsl").to_string(),
            Shader::Dense => gemm(include_str!("shaders/dense.wgsl")),
            Shader::Conv2dForward => gemm(include_str!("shaders/conv2d_forward.wgsl")),
            Shader::Conv2dBackwardData => gemm(include_str!("shaders/conv2d_backward_data.wgsl")),
            Shader::Conv2dBackwardFilter => gemm(include_str!("shaders/conv2d_backward_filter.wgsl")),
        }
    }
}

/// One entry point with its bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kernel {
    Fill,
    ActivationForward,
    ActivationBackward,
    DropoutForward,
    DropoutBackward,
    PoolForward,
    PoolBackward,
    BatchStats,
    Normalize,
    NormalizeEval,
    BatchNormBackwardStats,
    BatchNormBackwardData,
    SoftmaxCrossEntropy,
    Mse,
    AddMetrics,
    Sgd,
    Momentum,
    Adam,
    SumSplits,
    ChannelSum,
    Dense,
    Conv2dForward,
    Conv2dBackwardData,
    Conv2dBackwardFilter,
}

/// What a kernel needs to be built: its module, entry point, and how many storage buffers it
/// reads (bindings 1..=reads) and writes (the bindings after those).
#[derive(Clone, Copy, Debug)]
pub struct KernelSpec {
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
            K::PoolForward => (S::Pool, "pool2d_forward", 1, 1),
            K::PoolBackward => (S::Pool, "pool2d_backward", 2, 1),
            K::BatchStats => (S::BatchNorm, "batch_stats", 1, 4),
            K::Normalize => (S::BatchNorm, "normalize", 5, 1),
            K::NormalizeEval => (S::BatchNorm, "normalize_eval", 5, 1),
            K::BatchNormBackwardStats => (S::BatchNorm, "backward_stats", 4, 2),
            K::BatchNormBackwardData => (S::BatchNorm, "backward_data", 7, 1),
            K::SoftmaxCrossEntropy => (S::Loss, "softmax_cross_entropy", 2, 3),
            K::Mse => (S::Loss, "mse", 2, 2),
            K::AddMetrics => (S::Loss, "add_metrics", 1, 1),
            K::Sgd => (S::Optim, "sgd", 1, 1),
            K::Momentum => (S::Optim, "momentum", 1, 2),
            K::Adam => (S::Optim, "adam", 1, 3),
            K::SumSplits => (S::Reduce, "sum_splits", 1, 1),
            K::ChannelSum => (S::Reduce, "channel_sum", 1, 1),
            K::Dense => (S::Dense, "main", 3, 1),
            K::Conv2dForward => (S::Conv2dForward, "main", 3, 1),
            K::Conv2dBackwardData => (S::Conv2dBackwardData, "main", 2, 1),
            K::Conv2dBackwardFilter => (S::Conv2dBackwardFilter, "main", 2, 1),
        };
        KernelSpec { shader, entry, reads, writes }
    }
}

/// Size of one kernel's parameter block in the uniform arena; every `Params` struct is smaller.
pub const PARAMS_BYTES: u64 = 256;

/// Pipelines, built on first use.
#[derive(Default)]
pub struct Pipelines {
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
                    label: Some(spec.shader.name()),
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

    /// Parse and validate every shader exactly as the device will compile it, without a GPU.
    #[test]
    fn every_shader_parses_and_validates_with_naga() {
        for shader in Shader::ALL {
            let src = shader.source();
            let module = naga::front::wgsl::parse_str(&src).unwrap_or_else(|e| panic!("{}:\n{}", shader.name(), e.emit_to_string(&src)));
            let mut v = naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::empty());
            if let Err(e) = v.validate(&module) {
                panic!("{} does not validate:\n{}", shader.name(), e.emit_to_string(&src));
            }
        }
    }

    /// Every kernel's entry point exists in its module, as a compute shader, and uses no binding
    /// beyond the ones its layout declares.
    #[test]
    fn every_kernel_names_an_entry_point_of_its_shader() {
        use Kernel as K;
        let all = [
            K::Fill,
            K::ActivationForward,
            K::ActivationBackward,
            K::DropoutForward,
            K::DropoutBackward,
            K::PoolForward,
            K::PoolBackward,
            K::BatchStats,
            K::Normalize,
            K::NormalizeEval,
            K::BatchNormBackwardStats,
            K::BatchNormBackwardData,
            K::SoftmaxCrossEntropy,
            K::Mse,
            K::AddMetrics,
            K::Sgd,
            K::Momentum,
            K::Adam,
            K::SumSplits,
            K::ChannelSum,
            K::Dense,
            K::Conv2dForward,
            K::Conv2dBackwardData,
            K::Conv2dBackwardFilter,
        ];
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
