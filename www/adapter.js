// The GPU adapter's name as WebGPU's GPUAdapterInfo gives it (description or vendor, then
// architecture: "SwiftShader Device (Subzero) · swiftshader"), or undefined without WebGPU. The
// training worker names its adapter with it (wgpu has no name for it in the browser), and the
// page keys the learner's choice of backend by it (backend-choice.js): the same words both sides.

export async function adapterLabel() {
  try {
    const info = (await navigator.gpu?.requestAdapter())?.info;
    return [info?.description || info?.vendor, info?.architecture].filter(Boolean).join(' · ') || undefined;
  } catch {
    return undefined;
  }
}
