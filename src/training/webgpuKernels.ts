// WGSL compute kernels of the WebGPU backend. Matrices live in storage buffers with every row padded
// to a multiple of 4 floats (zeros), so each invocation computes a 4×4 output block with vec4 loads
// and no workgroup barriers — the shape that runs well on both GPUs and CPU adapters (SwiftShader).

/** Rows of a weight-like matrix / columns handled per workgroup along each axis: 8×8 invocations. */
export const TILE = 8;

const GELU = /* wgsl */ `
const SQRT1_2: f32 = 0.70710678118654752;
const GELU_PDF_SCALE: f32 = 0.39894228040143268; // M_2_SQRTPI * M_SQRT1_2 * 0.5
// erf by Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7, below float32 resolution near 1)
fn erf_approx(x: f32) -> f32 {
  let ax = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * ax);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  let value = 1.0 - poly * exp(-ax * ax);
  return select(value, -value, x < 0.0);
}
fn gelu_cdf(z: vec4<f32>) -> vec4<f32> {
  return 0.5 * (vec4<f32>(1.0) + vec4<f32>(erf_approx(z.x * SQRT1_2), erf_approx(z.y * SQRT1_2), erf_approx(z.z * SQRT1_2), erf_approx(z.w * SQRT1_2)));
}
`;

/** Per-batch uniform shared by all kernels: x = rows of the batch. */
const BATCH = /* wgsl */ `
struct Batch { rows: u32, pad0: u32, pad1: u32, pad2: u32 }
@group(0) @binding(0) var<uniform> batch: Batch;
struct Dims { n4: u32, k4: u32, extra: u32, pad: u32 }
@group(0) @binding(1) var<uniform> dims: Dims;
fn padded_rows() -> u32 { return (batch.rows + 3u) / 4u * 4u; }
`;

/** C[rows×N] = A[rows×K] · B[N×K]ᵀ + bias: the forward pass of nn.Linear (weight [out×in]). */
export const MATMUL_NT = /* wgsl */ `${BATCH}
@group(0) @binding(2) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> c: array<vec4<f32>>;
@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let col = id.x;
  let row = id.y * 4u;
  if (col >= dims.n4 || row >= padded_rows()) { return; }
  let k4 = dims.k4;
  let n0 = col * 4u * k4;
  var c0 = vec4<f32>(0.0); var c1 = vec4<f32>(0.0); var c2 = vec4<f32>(0.0); var c3 = vec4<f32>(0.0);
  for (var k = 0u; k < k4; k = k + 1u) {
    let a0 = a[row * k4 + k]; let a1 = a[(row + 1u) * k4 + k];
    let a2 = a[(row + 2u) * k4 + k]; let a3 = a[(row + 3u) * k4 + k];
    let b0 = b[n0 + k]; let b1 = b[n0 + k4 + k]; let b2 = b[n0 + 2u * k4 + k]; let b3 = b[n0 + 3u * k4 + k];
    c0 = c0 + vec4<f32>(dot(a0, b0), dot(a0, b1), dot(a0, b2), dot(a0, b3));
    c1 = c1 + vec4<f32>(dot(a1, b0), dot(a1, b1), dot(a1, b2), dot(a1, b3));
    c2 = c2 + vec4<f32>(dot(a2, b0), dot(a2, b1), dot(a2, b2), dot(a2, b3));
    c3 = c3 + vec4<f32>(dot(a3, b0), dot(a3, b1), dot(a3, b2), dot(a3, b3));
  }
  let bv = bias[col];
  let n4 = dims.n4;
  c[row * n4 + col] = c0 + bv;
  c[(row + 1u) * n4 + col] = c1 + bv;
  c[(row + 2u) * n4 + col] = c2 + bv;
  c[(row + 3u) * n4 + col] = c3 + bv;
}`;

/** C[rows×N] = A[rows×K] · B[K×N]: the input gradient dX = dY · W. */
export const MATMUL_NN = /* wgsl */ `${BATCH}
@group(0) @binding(2) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> c: array<vec4<f32>>;
@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let col = id.x;
  let row = id.y * 4u;
  let n4 = dims.n4;
  if (col >= n4 || row >= padded_rows()) { return; }
  let k4 = dims.k4;
  var c0 = vec4<f32>(0.0); var c1 = vec4<f32>(0.0); var c2 = vec4<f32>(0.0); var c3 = vec4<f32>(0.0);
  for (var k = 0u; k < k4; k = k + 1u) {
    let a0 = a[row * k4 + k]; let a1 = a[(row + 1u) * k4 + k];
    let a2 = a[(row + 2u) * k4 + k]; let a3 = a[(row + 3u) * k4 + k];
    let base = k * 4u * n4 + col;
    let b0 = b[base]; let b1 = b[base + n4]; let b2 = b[base + 2u * n4]; let b3 = b[base + 3u * n4];
    c0 = c0 + a0.x * b0 + a0.y * b1 + a0.z * b2 + a0.w * b3;
    c1 = c1 + a1.x * b0 + a1.y * b1 + a1.z * b2 + a1.w * b3;
    c2 = c2 + a2.x * b0 + a2.y * b1 + a2.z * b2 + a2.w * b3;
    c3 = c3 + a3.x * b0 + a3.y * b1 + a3.z * b2 + a3.w * b3;
  }
  c[row * n4 + col] = c0;
  c[(row + 1u) * n4 + col] = c1;
  c[(row + 2u) * n4 + col] = c2;
  c[(row + 3u) * n4 + col] = c3;
}`;

/** C[M×N] = A[rows×M]ᵀ · B[rows×N], summed over the batch rows: the weight gradient dW = dYᵀ · X. */
export const MATMUL_TN = /* wgsl */ `${BATCH}
@group(0) @binding(2) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> c: array<vec4<f32>>;
@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let col = id.x;
  let block = id.y;
  let n4 = dims.n4;
  let m4 = dims.k4;
  if (col >= n4 || block >= m4) { return; }
  var c0 = vec4<f32>(0.0); var c1 = vec4<f32>(0.0); var c2 = vec4<f32>(0.0); var c3 = vec4<f32>(0.0);
  for (var r = 0u; r < batch.rows; r = r + 1u) {
    let s = a[r * m4 + block];
    let v = b[r * n4 + col];
    c0 = c0 + s.x * v; c1 = c1 + s.y * v; c2 = c2 + s.z * v; c3 = c3 + s.w * v;
  }
  let row = block * 4u;
  c[row * n4 + col] = c0;
  c[(row + 1u) * n4 + col] = c1;
  c[(row + 2u) * n4 + col] = c2;
  c[(row + 3u) * n4 + col] = c3;
}`;

/** out[N] = Σ over the batch rows of A[rows×N]: the bias gradient. */
export const COLUMN_SUMS = /* wgsl */ `${BATCH}
@group(0) @binding(2) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> c: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let col = id.x;
  let n4 = dims.n4;
  if (col >= n4) { return; }
  var sum = vec4<f32>(0.0);
  for (var r = 0u; r < batch.rows; r = r + 1u) { sum = sum + a[r * n4 + col]; }
  c[col] = sum;
}`;

/** y = act(z) over the batch's padded rows; dims.extra: 0 relu, 1 tanh, 2 gelu. */
export const ACTIVATION_FORWARD = /* wgsl */ `${BATCH}${GELU}
@group(0) @binding(2) var<storage, read> z: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= padded_rows() * dims.n4) { return; }
  let v = z[i];
  if (dims.extra == 0u) {
    y[i] = max(v, vec4<f32>(0.0));
  } else if (dims.extra == 1u) {
    y[i] = tanh(clamp(v, vec4<f32>(-15.0), vec4<f32>(15.0)));
  } else {
    y[i] = v * gelu_cdf(v);
  }
}`;

/** gz = gy · act'(z) from the saved pre-activation z and output y. */
export const ACTIVATION_BACKWARD = /* wgsl */ `${BATCH}${GELU}
@group(0) @binding(2) var<storage, read> z: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> y: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> gy: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> gz: array<vec4<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= padded_rows() * dims.n4) { return; }
  let g = gy[i];
  if (dims.extra == 0u) {
    gz[i] = select(vec4<f32>(0.0), g, y[i] > vec4<f32>(0.0));
  } else if (dims.extra == 1u) {
    let t = y[i];
    gz[i] = g * (vec4<f32>(1.0) - t * t);
  } else {
    let v = z[i];
    gz[i] = g * (gelu_cdf(v) + v * (GELU_PDF_SCALE * exp(-0.5 * v * v)));
  }
}`;

/**
 * Softmax cross-entropy per row over dims.extra real classes (row stride dims.n4 vec4s): writes the
 * row's loss and hit (arg-max == label) into stats, and d(mean loss)/d(logits) into grad, zero for
 * padding columns and for rows past the batch.
 */
export const CROSS_ENTROPY = /* wgsl */ `${BATCH}
@group(0) @binding(2) var<storage, read> logits: array<f32>;
@group(0) @binding(3) var<storage, read> labels: array<u32>;
@group(0) @binding(4) var<storage, read_write> grad: array<f32>;
@group(0) @binding(5) var<storage, read_write> stats: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let r = id.x;
  let capacity = dims.k4;
  if (r >= capacity) { return; }
  let stride = dims.n4 * 4u;
  let base = r * stride;
  if (r >= batch.rows) {
    for (var c = 0u; c < stride; c = c + 1u) { grad[base + c] = 0.0; }
    stats[r] = 0.0;
    stats[capacity + r] = 0.0;
    return;
  }
  let classes = dims.extra;
  var top = logits[base];
  var arg = 0u;
  for (var c = 1u; c < classes; c = c + 1u) {
    let v = logits[base + c];
    if (v > top) { top = v; arg = c; }
  }
  var sum = 0.0;
  for (var c = 0u; c < classes; c = c + 1u) { sum = sum + exp(logits[base + c] - top); }
  let log_sum = log(sum);
  let label = labels[r];
  let scale = 1.0 / f32(batch.rows);
  for (var c = 0u; c < stride; c = c + 1u) {
    var g = 0.0;
    if (c < classes) {
      g = exp(logits[base + c] - top - log_sum) * scale;
      if (c == label) { g = g - scale; }
    }
    grad[base + c] = g;
  }
  stats[r] = -(logits[base + label] - top - log_sum);
  stats[capacity + r] = select(0.0, 1.0, arg == label);
}`;
