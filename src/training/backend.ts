// One interface for the places an MLP's forward and backward passes can run, and the run-time choice
// between them: WebGPU where `navigator.gpu` gives an adapter, the CPU otherwise, with the reason said.

import type { Activation } from './cpuKernels';
import type { DType, FloatArray } from './dtype';
import type { LayerParams, LayerSizes } from './model';

export type BackendName = 'cpu' | 'webgpu';

export interface NetworkShape {
  sizes: LayerSizes;
  activation: Activation;
}

export interface Evaluation {
  /** Mean cross-entropy over the rows. */
  loss: number;
  /** Rows whose arg-max logit is the label. */
  correct: number;
}

export interface Backend {
  readonly name: BackendName;
  readonly dtype: DType;
  /**
   * One training batch: forward, mean softmax cross-entropy, backward. Writes the gradients into
   * `grads` (same layout as `layers`) and returns the loss. `x` is rows × inputs, row-major.
   */
  lossAndGradients(layers: LayerParams[], grads: LayerParams[], x: FloatArray, labels: Int32Array, rows: number): Promise<number>;
  /** Forward only: mean cross-entropy and correct count. */
  evaluate(layers: LayerParams[], x: FloatArray, labels: Int32Array, rows: number): Promise<Evaluation>;
  dispose(): void;
}

export interface BackendChoice {
  backend: Backend;
  /** Why the requested or preferred backend was not used; null when it was. */
  fallbackReason: string | null;
}
