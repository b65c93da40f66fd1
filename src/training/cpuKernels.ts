// CPU kernels of the training core on typed arrays: blocked matrix products, activations, losses.
// Sums are kept in JS doubles and stored once per depth block (once per element for K ≤ 256), so
// float32 results carry about one rounding per op (a float32 BLAS sums in another order anyway);
// float64 agrees with torch to ~1e-15.

import type { FloatArray } from './dtype';

export type Activation = 'relu' | 'tanh' | 'gelu';
export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'gelu'];

/** Rows of B (output columns) kept hot in cache while the rows of A stream past. */
const COLUMN_BLOCK = 64;
/** Depth of one pass over K, so that block of B stays in L1/L2 however wide the layer. */
const DEPTH_BLOCK = 256;

/**
 * out[M×N] = a[M×K] · b[N×K]ᵀ (+ bias[N]): a layer's forward pass with weights in nn.Linear layout.
 * Cache-blocked over N and K; inside a block, 2 rows × 4 columns of sums stay in registers.
 */
export function matmulNT(a: FloatArray, b: FloatArray, out: FloatArray, M: number, N: number, K: number, bias?: FloatArray): void {
  for (let n0 = 0; n0 < N; n0 += COLUMN_BLOCK) {
    const n1 = Math.min(N, n0 + COLUMN_BLOCK);
    for (let k0 = 0; k0 < K; k0 += DEPTH_BLOCK) {
      const k1 = Math.min(K, k0 + DEPTH_BLOCK);
      // the first depth block starts from the bias (or 0); later ones add to the partial sums
      const first = k0 === 0;
      blockNT(a, b, out, M, N, K, n0, n1, k0, k1, first, first ? bias : undefined);
    }
  }
}

function blockNT(
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  M: number,
  N: number,
  K: number,
  n0: number,
  n1: number,
  k0: number,
  k1: number,
  first: boolean,
  bias: FloatArray | undefined,
): void {
  let m = 0;
  for (; m + 1 < M; m += 2) {
    const a0 = m * K;
    const a1 = a0 + K;
    const o0 = m * N;
    const o1 = o0 + N;
    let n = n0;
    for (; n + 3 < n1; n += 4) {
      const b0 = n * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      if (!first) {
        c00 = out[o0 + n]; c01 = out[o0 + n + 1]; c02 = out[o0 + n + 2]; c03 = out[o0 + n + 3];
        c10 = out[o1 + n]; c11 = out[o1 + n + 1]; c12 = out[o1 + n + 2]; c13 = out[o1 + n + 3];
      } else if (bias) {
        c00 = c10 = bias[n]; c01 = c11 = bias[n + 1]; c02 = c12 = bias[n + 2]; c03 = c13 = bias[n + 3];
      }
      for (let k = k0; k < k1; k++) {
        const x0 = a[a0 + k];
        const x1 = a[a1 + k];
        const w0 = b[b0 + k];
        const w1 = b[b1 + k];
        const w2 = b[b2 + k];
        const w3 = b[b3 + k];
        c00 += x0 * w0; c01 += x0 * w1; c02 += x0 * w2; c03 += x0 * w3;
        c10 += x1 * w0; c11 += x1 * w1; c12 += x1 * w2; c13 += x1 * w3;
      }
      out[o0 + n] = c00; out[o0 + n + 1] = c01; out[o0 + n + 2] = c02; out[o0 + n + 3] = c03;
      out[o1 + n] = c10; out[o1 + n + 1] = c11; out[o1 + n + 2] = c12; out[o1 + n + 3] = c13;
    }
    for (; n < n1; n++) {
      const b0 = n * K;
      let c0 = first ? (bias ? bias[n] : 0) : out[o0 + n];
      let c1 = first ? (bias ? bias[n] : 0) : out[o1 + n];
      for (let k = k0; k < k1; k++) {
        const w = b[b0 + k];
        c0 += a[a0 + k] * w;
        c1 += a[a1 + k] * w;
      }
      out[o0 + n] = c0;
      out[o1 + n] = c1;
    }
  }
  for (; m < M; m++) {
    const a0 = m * K;
    const o0 = m * N;
    for (let n = n0; n < n1; n++) {
      const b0 = n * K;
      let c = first ? (bias ? bias[n] : 0) : out[o0 + n];
      for (let k = k0; k < k1; k++) c += a[a0 + k] * b[b0 + k];
      out[o0 + n] = c;
    }
  }
}

/** Reused transposition buffers (float64 holds either element type exactly). */
let transposeA = new Float64Array(0);
let transposeB = new Float64Array(0);

/** dst[cols×rows] = src[rows×cols]ᵀ */
function transpose(src: FloatArray, rows: number, cols: number, which: 'a' | 'b'): Float64Array {
  let dst = which === 'a' ? transposeA : transposeB;
  if (dst.length < rows * cols) {
    dst = new Float64Array(rows * cols);
    if (which === 'a') transposeA = dst;
    else transposeB = dst;
  }
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[row + c];
  }
  return dst;
}

/**
 * out[M×N] = a[M×K] · b[K×N]: the input gradient dX = dY · W. Transposing b (K·N copies, small next
 * to the M·N·K product) lets the register-blocked dot-product kernel of matmulNT do the work.
 */
export function matmulNN(a: FloatArray, b: FloatArray, out: FloatArray, M: number, N: number, K: number): void {
  matmulNT(a, transpose(b, K, N, 'b'), out, M, N, K);
}

/** out[M×N] = a[K×M]ᵀ · b[K×N]: the weight gradient dW = dYᵀ · X, through matmulNT on transposed copies. */
export function matmulTN(a: FloatArray, b: FloatArray, out: FloatArray, M: number, N: number, K: number): void {
  matmulNT(transpose(a, K, M, 'a'), transpose(b, K, N, 'b'), out, M, N, K);
}

/** out[N] = Σ_rows a[M×N]: the bias gradient. */
export function columnSums(a: FloatArray, out: FloatArray, M: number, N: number): void {
  out.fill(0, 0, N);
  for (let m = 0; m < M; m++) {
    const row = m * N;
    for (let n = 0; n < N; n++) out[n] += a[row + n];
  }
}

const SQRT1_2 = Math.SQRT1_2;
/** torch's kAlpha in the exact GELU backward: M_2_SQRTPI * M_SQRT1_2 * 0.5. */
const GELU_PDF_SCALE = (2 / Math.sqrt(Math.PI)) * Math.SQRT1_2 * 0.5;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * erf to double precision: erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)). Every term is
 * positive, so the sum does not cancel; beyond |x| = 6, erf is ±1 in double precision.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (Number.isNaN(x)) return NaN;
  if (ax >= 6) return x > 0 ? 1 : -1;
  const x2 = ax * ax;
  let term = ax;
  let sum = ax;
  for (let n = 0; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 3);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  const value = Math.min(1, TWO_OVER_SQRT_PI * Math.exp(-x2) * sum);
  return x < 0 ? -value : value;
}

/** y = act(x), elementwise over n values. */
export function activationForward(kind: Activation, x: FloatArray, y: FloatArray, n: number, round: (v: number) => number): void {
  switch (kind) {
    case 'relu':
      for (let i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0;
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]);
      return;
    case 'gelu':
      // torch: x * 0.5 * (1 + erf(x * M_SQRT1_2)), one rounding per op
      for (let i = 0; i < n; i++) {
        const v = x[i];
        y[i] = round(round(v * 0.5) * round(1 + round(erf(round(v * SQRT1_2)))));
      }
      return;
  }
}

/** gx = gy · act'(x), from the saved input x and output y. */
export function activationBackward(
  kind: Activation,
  x: FloatArray,
  y: FloatArray,
  gy: FloatArray,
  gx: FloatArray,
  n: number,
  round: (v: number) => number,
): void {
  switch (kind) {
    case 'relu':
      // torch's threshold_backward on the result: the gradient passes where the output is > 0
      for (let i = 0; i < n; i++) gx[i] = y[i] > 0 ? gy[i] : 0;
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) gx[i] = round(gy[i] * round(1 - round(y[i] * y[i])));
      return;
    case 'gelu':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        const cdf = round(0.5 * round(1 + round(erf(round(v * SQRT1_2)))));
        const pdf = round(GELU_PDF_SCALE * round(Math.exp(round(round(v * v) * -0.5))));
        gx[i] = round(gy[i] * round(cdf + round(v * pdf)));
      }
      return;
  }
}

/**
 * Mean softmax cross-entropy over `rows` rows of logits[rows×C] (torch's log_softmax then nll_loss,
 * reduction='mean'). When `grad` is given it receives d(loss)/d(logits). Returns the loss and the
 * number of rows whose arg-max equals the label.
 */
export function softmaxCrossEntropy(
  logits: FloatArray,
  labels: Int32Array,
  rows: number,
  C: number,
  round: (v: number) => number,
  grad?: FloatArray,
): { loss: number; correct: number } {
  let total = 0;
  let correct = 0;
  const scale = round(1 / rows);
  for (let r = 0; r < rows; r++) {
    const base = r * C;
    let max = -Infinity;
    let argmax = 0;
    for (let c = 0; c < C; c++) {
      const v = logits[base + c];
      if (v > max) {
        max = v;
        argmax = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < C; c++) sum = round(sum + round(Math.exp(round(logits[base + c] - max))));
    const logSum = round(Math.log(sum));
    const label = labels[r];
    if (label < 0 || label >= C) throw new Error(`label ${label} out of range [0, ${C})`);
    total = round(total - round(round(logits[base + label] - max) - logSum));
    if (argmax === label) correct++;
    if (grad) {
      for (let c = 0; c < C; c++) {
        const logp = round(round(logits[base + c] - max) - logSum);
        const p = round(Math.exp(logp));
        grad[base + c] = c === label ? round(round(p * scale) - scale) : round(p * scale);
      }
    }
  }
  return { loss: round(total / rows), correct };
}

/** Mean squared error over n values; `grad` receives 2(pred − target)/n. */
export function meanSquaredError(
  pred: FloatArray,
  target: FloatArray,
  n: number,
  round: (v: number) => number,
  grad?: FloatArray,
): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = round(pred[i] - target[i]);
    total = round(total + round(d * d));
  }
  if (grad) {
    const scale = round(2 / n);
    for (let i = 0; i < n; i++) grad[i] = round(round(pred[i] - target[i]) * scale);
  }
  return round(total / n);
}
