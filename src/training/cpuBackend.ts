// The CPU backend: typed arrays and the blocked kernels of cpuKernels.ts. Synchronous work behind the
// Backend promise interface; run it in a worker (worker.ts) to keep an editor responsive.

import type { Backend, Evaluation, NetworkShape } from './backend';
import {
  activationBackward,
  activationForward,
  columnSums,
  matmulNN,
  matmulNT,
  matmulTN,
  softmaxCrossEntropy,
} from './cpuKernels';
import { allocate, rounder, type DType, type FloatArray } from './dtype';
import type { LayerParams } from './model';

interface Scratch {
  rows: number;
  /** Pre-activation outputs of each layer (the last one: the logits). */
  pre: FloatArray[];
  /** Activation outputs of the hidden layers. */
  post: FloatArray[];
  /** Gradient w.r.t. a layer's output, and w.r.t. its input. */
  gradOut: FloatArray[];
  gradIn: FloatArray[];
}

export class CpuBackend implements Backend {
  readonly name = 'cpu';
  private readonly round: (x: number) => number;
  private scratch: Scratch | null = null;

  constructor(
    private readonly shape: NetworkShape,
    readonly dtype: DType,
  ) {
    this.round = rounder(dtype);
  }

  lossAndGradients(layers: LayerParams[], grads: LayerParams[], x: FloatArray, labels: Int32Array, rows: number): Promise<number> {
    return Promise.resolve(this.lossAndGradientsSync(layers, grads, x, labels, rows));
  }

  evaluate(layers: LayerParams[], x: FloatArray, labels: Int32Array, rows: number): Promise<Evaluation> {
    return Promise.resolve(this.evaluateSync(layers, x, labels, rows));
  }

  /** The same as lossAndGradients, without the promise (benchmarks, the worker). */
  lossAndGradientsSync(layers: LayerParams[], grads: LayerParams[], x: FloatArray, labels: Int32Array, rows: number): number {
    const sizes = this.shape.sizes;
    const last = sizes.length - 2;
    const s = this.forward(layers, x, rows);
    const { loss } = softmaxCrossEntropy(s.pre[last], labels, rows, sizes[last + 1], this.round, s.gradOut[last]);
    for (let l = last; l >= 0; l--) {
      const input = l === 0 ? x : s.post[l - 1];
      const fanIn = sizes[l];
      const fanOut = sizes[l + 1];
      matmulTN(s.gradOut[l], input, grads[l].weight, fanOut, fanIn, rows);
      columnSums(s.gradOut[l], grads[l].bias, rows, fanOut);
      if (l > 0) {
        matmulNN(s.gradOut[l], layers[l].weight, s.gradIn[l], rows, fanIn, fanOut);
        activationBackward(this.shape.activation, s.pre[l - 1], s.post[l - 1], s.gradIn[l], s.gradOut[l - 1], rows * fanIn, this.round);
      }
    }
    return loss;
  }

  evaluateSync(layers: LayerParams[], x: FloatArray, labels: Int32Array, rows: number): Evaluation {
    const sizes = this.shape.sizes;
    const last = sizes.length - 2;
    const s = this.forward(layers, x, rows);
    return softmaxCrossEntropy(s.pre[last], labels, rows, sizes[last + 1], this.round);
  }

  dispose(): void {
    this.scratch = null;
  }

  private forward(layers: LayerParams[], x: FloatArray, rows: number): Scratch {
    const sizes = this.shape.sizes;
    const s = this.scratchFor(rows);
    let input = x;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const fanIn = sizes[l];
      const fanOut = sizes[l + 1];
      matmulNT(input, layers[l].weight, s.pre[l], rows, fanOut, fanIn, layers[l].bias);
      if (l + 2 < sizes.length) {
        activationForward(this.shape.activation, s.pre[l], s.post[l], rows * fanOut, this.round);
        input = s.post[l];
      }
    }
    return s;
  }

  private scratchFor(rows: number): Scratch {
    if (this.scratch && this.scratch.rows >= rows) return this.scratch;
    const outs = this.shape.sizes.slice(1);
    const ins = this.shape.sizes.slice(0, -1);
    this.scratch = {
      rows,
      pre: outs.map((n) => allocate(this.dtype, rows * n)),
      post: outs.map((n) => allocate(this.dtype, rows * n)),
      gradOut: outs.map((n) => allocate(this.dtype, rows * n)),
      gradIn: ins.map((n) => allocate(this.dtype, rows * n)),
    };
    return this.scratch;
  }
}
