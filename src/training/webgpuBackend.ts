/// <reference types="@webgpu/types" />
// The WebGPU backend (float32): one batch = one command buffer (forward, cross-entropy, backward for
// every layer) and one read-back of the gradients and per-row losses. The optimizer stays on the
// CPU side (optimizers.ts), so torch's update rules are shared by both backends.

import type { Backend, Evaluation, NetworkShape } from './backend';
import type { FloatArray } from './dtype';
import type { LayerParams } from './model';
import {
  ACTIVATION_BACKWARD,
  ACTIVATION_FORWARD,
  COLUMN_SUMS,
  CROSS_ENTROPY,
  MATMUL_NN,
  MATMUL_NT,
  MATMUL_TN,
  TILE,
} from './webgpuKernels';

const pad4 = (n: number): number => (n + 3) & ~3;
const groups = (count: number, size: number): number => Math.max(1, Math.ceil(count / size));
const ACTIVATION_CODE = { relu: 0, tanh: 1, gelu: 2 } as const;

type KernelName = 'nt' | 'nn' | 'tn' | 'colsum' | 'actForward' | 'actBackward' | 'crossEntropy';
const SOURCES: Record<KernelName, string> = {
  nt: MATMUL_NT,
  nn: MATMUL_NN,
  tn: MATMUL_TN,
  colsum: COLUMN_SUMS,
  actForward: ACTIVATION_FORWARD,
  actBackward: ACTIVATION_BACKWARD,
  crossEntropy: CROSS_ENTROPY,
};

/** The compiled pipelines of one device. */
export class WebGpuKernels {
  private constructor(
    readonly device: GPUDevice,
    readonly pipelines: Record<KernelName, GPUComputePipeline>,
  ) {}

  static async create(device: GPUDevice): Promise<WebGpuKernels> {
    device.pushErrorScope('validation');
    const entries = await Promise.all(
      (Object.keys(SOURCES) as KernelName[]).map(async (name) => {
        const module = device.createShaderModule({ code: SOURCES[name], label: name });
        const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: name });
        return [name, pipeline] as const;
      }),
    );
    const error = await device.popErrorScope();
    if (error) throw new Error(`WebGPU kernels failed to compile: ${error.message}`);
    return new WebGpuKernels(device, Object.fromEntries(entries) as Record<KernelName, GPUComputePipeline>);
  }

  storage(floats: number, extraUsage = 0): GPUBuffer {
    return this.device.createBuffer({ size: Math.max(16, floats * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC | extraUsage });
  }

  uniform(values: number[]): GPUBuffer {
    const buffer = this.device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.device.queue.writeBuffer(buffer, 0, Uint32Array.from([...values, 0, 0, 0, 0].slice(0, 4)));
    return buffer;
  }

  bind(name: KernelName, buffers: GPUBuffer[]): GPUBindGroup {
    return this.device.createBindGroup({
      layout: this.pipelines[name].getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  /**
   * One matrix product on the GPU, for tests and benchmarks: 'nt' C = A·Bᵀ (A M×K, B N×K),
   * 'nn' C = A·B (A M×K, B K×N), 'tn' C = Aᵀ·B (A K×M, B K×N). Returns C (M×N), unpadded.
   */
  async matmul(kind: 'nt' | 'nn' | 'tn', a: Float32Array, b: Float32Array, M: number, N: number, K: number): Promise<Float32Array> {
    const Mp = pad4(M);
    const Np = pad4(N);
    const Kp = pad4(K);
    const padded = (source: Float32Array, rows: number, cols: number, rowsP: number, colsP: number) => {
      const out = new Float32Array(rowsP * colsP);
      for (let r = 0; r < rows; r++) out.set(source.subarray(r * cols, (r + 1) * cols), r * colsP);
      return out;
    };
    const upload = (data: Float32Array<ArrayBuffer>) => {
      const buffer = this.storage(data.length);
      this.device.queue.writeBuffer(buffer, 0, data);
      return buffer;
    };
    const c = this.storage(Mp * Np);
    let bindings: GPUBuffer[];
    let dispatch: [number, number];
    if (kind === 'nt') {
      bindings = [this.uniform([M]), this.uniform([Np / 4, Kp / 4]), upload(padded(a, M, K, Mp, Kp)), upload(padded(b, N, K, Np, Kp)), this.storage(Np), c];
      dispatch = [groups(Np / 4, TILE), groups(Mp / 4, TILE)];
    } else if (kind === 'nn') {
      bindings = [this.uniform([M]), this.uniform([Np / 4, Kp / 4]), upload(padded(a, M, K, Mp, Kp)), upload(padded(b, K, N, Kp, Np)), c];
      dispatch = [groups(Np / 4, TILE), groups(Mp / 4, TILE)];
    } else {
      bindings = [this.uniform([K]), this.uniform([Np / 4, Mp / 4]), upload(padded(a, K, M, K, Mp)), upload(padded(b, K, N, K, Np)), c];
      dispatch = [groups(Np / 4, TILE), groups(Mp / 4, TILE)];
    }
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.pipelines[kind]);
    pass.setBindGroup(0, this.bind(kind, bindings));
    pass.dispatchWorkgroups(dispatch[0], dispatch[1]);
    pass.end();
    const readback = this.device.createBuffer({ size: Mp * Np * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    encoder.copyBufferToBuffer(c, 0, readback, 0, Mp * Np * 4);
    this.device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const raw = new Float32Array(readback.getMappedRange().slice(0));
    readback.unmap();
    for (const buffer of [...bindings, readback]) buffer.destroy();
    const out = new Float32Array(M * N);
    for (let r = 0; r < M; r++) out.set(raw.subarray(r * Np, r * Np + N), r * N);
    return out;
  }
}

interface LayerBuffers {
  weight: GPUBuffer;
  bias: GPUBuffer;
  pre: GPUBuffer;
  post: GPUBuffer | null;
  gradOut: GPUBuffer;
  gradIn: GPUBuffer | null;
  gradWeight: GPUBuffer;
  gradBias: GPUBuffer;
}

interface Dispatch {
  kernel: KernelName;
  bindGroup: GPUBindGroup;
  /** Workgroup counts for a batch of `rows` rows. */
  size: (rows: number) => [number, number];
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly dtype = 'float32';
  private readonly padded: number[];
  private readonly capacity: number;
  private readonly batchUniform: GPUBuffer;
  private readonly input: GPUBuffer;
  private readonly labels: GPUBuffer;
  private readonly stats: GPUBuffer;
  private readonly layers: LayerBuffers[];
  private readonly forwardPass: Dispatch[];
  private readonly backwardPass: Dispatch[];
  private readonly gradientReadback: GPUBuffer;
  private readonly statsReadback: GPUBuffer;
  private readonly inputStaging: Float32Array<ArrayBuffer>;
  private readonly weightStaging: Float32Array<ArrayBuffer>[];
  private readonly biasStaging: Float32Array<ArrayBuffer>[];
  private readonly owned: GPUBuffer[] = [];

  constructor(
    readonly kernels: WebGpuKernels,
    private readonly shape: NetworkShape,
    maxRows: number,
    /** The adapter, in words (e.g. "google / swiftshader"). */
    readonly description: string,
  ) {
    const sizes = shape.sizes;
    const P = sizes.map(pad4);
    this.padded = P;
    const capacity = pad4(Math.max(1, maxRows));
    this.capacity = capacity;
    const own = (buffer: GPUBuffer) => (this.owned.push(buffer), buffer);
    const storage = (floats: number) => own(kernels.storage(floats));
    const uniform = (values: number[]) => own(kernels.uniform(values));
    this.batchUniform = uniform([0]);
    this.input = storage(capacity * P[0]);
    this.labels = storage(capacity);
    this.stats = storage(2 * capacity);
    const L = sizes.length - 1;
    this.layers = [];
    for (let l = 0; l < L; l++) {
      this.layers.push({
        weight: storage(P[l + 1] * P[l]),
        bias: storage(P[l + 1]),
        pre: storage(capacity * P[l + 1]),
        post: l + 1 < L ? storage(capacity * P[l + 1]) : null,
        gradOut: storage(capacity * P[l + 1]),
        gradIn: l > 0 ? storage(capacity * P[l]) : null,
        gradWeight: storage(P[l + 1] * P[l]),
        gradBias: storage(P[l + 1]),
      });
    }
    const act = ACTIVATION_CODE[shape.activation];
    const b = this.batchUniform;
    this.forwardPass = [];
    for (let l = 0; l < L; l++) {
      const layer = this.layers[l];
      const input = l === 0 ? this.input : (this.layers[l - 1].post as GPUBuffer);
      const n4 = P[l + 1] / 4;
      this.forwardPass.push({
        kernel: 'nt',
        bindGroup: kernels.bind('nt', [b, uniform([n4, P[l] / 4]), input, layer.weight, layer.bias, layer.pre]),
        size: (rows) => [groups(n4, TILE), groups(pad4(rows) / 4, TILE)],
      });
      if (layer.post) {
        this.forwardPass.push({
          kernel: 'actForward',
          bindGroup: kernels.bind('actForward', [b, uniform([n4, 0, act]), layer.pre, layer.post]),
          size: (rows) => [groups(pad4(rows) * n4, 64), 1],
        });
      }
    }
    const last = this.layers[L - 1];
    this.forwardPass.push({
      kernel: 'crossEntropy',
      bindGroup: kernels.bind('crossEntropy', [b, uniform([P[L] / 4, capacity, sizes[L]]), last.pre, this.labels, last.gradOut, this.stats]),
      size: () => [groups(capacity, 64), 1],
    });
    this.backwardPass = [];
    for (let l = L - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const input = l === 0 ? this.input : (this.layers[l - 1].post as GPUBuffer);
      this.backwardPass.push({
        kernel: 'tn',
        bindGroup: kernels.bind('tn', [b, uniform([P[l] / 4, P[l + 1] / 4]), layer.gradOut, input, layer.gradWeight]),
        size: () => [groups(P[l] / 4, TILE), groups(P[l + 1] / 4, TILE)],
      });
      this.backwardPass.push({
        kernel: 'colsum',
        bindGroup: kernels.bind('colsum', [b, uniform([P[l + 1] / 4]), layer.gradOut, layer.gradBias]),
        size: () => [groups(P[l + 1] / 4, 64), 1],
      });
      if (l > 0) {
        const previous = this.layers[l - 1];
        this.backwardPass.push({
          kernel: 'nn',
          bindGroup: kernels.bind('nn', [b, uniform([P[l] / 4, P[l + 1] / 4]), layer.gradOut, layer.weight, layer.gradIn as GPUBuffer]),
          size: (rows) => [groups(P[l] / 4, TILE), groups(pad4(rows) / 4, TILE)],
        });
        this.backwardPass.push({
          kernel: 'actBackward',
          bindGroup: kernels.bind('actBackward', [b, uniform([P[l] / 4, 0, act]), previous.pre, previous.post as GPUBuffer, layer.gradIn as GPUBuffer, previous.gradOut]),
          size: (rows) => [groups(pad4(rows) * (P[l] / 4), 64), 1],
        });
      }
    }
    const gradientFloats = this.layers.reduce((sum, _, l) => sum + P[l + 1] * P[l] + P[l + 1], 0);
    this.gradientReadback = own(kernels.device.createBuffer({ size: (gradientFloats + 2 * capacity) * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
    this.statsReadback = own(kernels.device.createBuffer({ size: 2 * capacity * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
    this.inputStaging = new Float32Array(capacity * P[0]);
    this.weightStaging = this.layers.map((_, l) => new Float32Array(P[l + 1] * P[l]));
    this.biasStaging = this.layers.map((_, l) => new Float32Array(P[l + 1]));
  }

  async lossAndGradients(layers: LayerParams[], grads: LayerParams[], x: FloatArray, labels: Int32Array, rows: number): Promise<number> {
    if (rows > this.capacity) throw new Error(`batch of ${rows} rows exceeds the WebGPU buffers (${this.capacity})`);
    this.upload(layers, x, labels, rows);
    const P = this.padded;
    const encoder = this.kernels.device.createCommandEncoder();
    this.encode(encoder, [...this.forwardPass, ...this.backwardPass], rows);
    let offset = 0;
    for (let l = 0; l < this.layers.length; l++) {
      const weightBytes = P[l + 1] * P[l] * 4;
      encoder.copyBufferToBuffer(this.layers[l].gradWeight, 0, this.gradientReadback, offset, weightBytes);
      offset += weightBytes;
      encoder.copyBufferToBuffer(this.layers[l].gradBias, 0, this.gradientReadback, offset, P[l + 1] * 4);
      offset += P[l + 1] * 4;
    }
    encoder.copyBufferToBuffer(this.stats, 0, this.gradientReadback, offset, 2 * this.capacity * 4);
    this.kernels.device.queue.submit([encoder.finish()]);
    await this.gradientReadback.mapAsync(GPUMapMode.READ);
    const raw = new Float32Array(this.gradientReadback.getMappedRange());
    let at = 0;
    const sizes = this.shape.sizes;
    for (let l = 0; l < this.layers.length; l++) {
      const fanIn = sizes[l];
      const fanOut = sizes[l + 1];
      for (let o = 0; o < fanOut; o++) grads[l].weight.set(raw.subarray(at + o * P[l], at + o * P[l] + fanIn), o * fanIn);
      at += P[l + 1] * P[l];
      grads[l].bias.set(raw.subarray(at, at + fanOut));
      at += P[l + 1];
    }
    let total = 0;
    for (let r = 0; r < rows; r++) total += raw[at + r];
    this.gradientReadback.unmap();
    return Math.fround(total / rows);
  }

  async evaluate(layers: LayerParams[], x: FloatArray, labels: Int32Array, rows: number): Promise<Evaluation> {
    const features = this.shape.sizes[0];
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < rows; start += this.capacity) {
      const chunk = Math.min(this.capacity, rows - start);
      this.upload(layers, x.subarray(start * features, (start + chunk) * features), labels.subarray(start, start + chunk), chunk);
      const encoder = this.kernels.device.createCommandEncoder();
      this.encode(encoder, this.forwardPass, chunk);
      encoder.copyBufferToBuffer(this.stats, 0, this.statsReadback, 0, 2 * this.capacity * 4);
      this.kernels.device.queue.submit([encoder.finish()]);
      await this.statsReadback.mapAsync(GPUMapMode.READ);
      const stats = new Float32Array(this.statsReadback.getMappedRange());
      for (let r = 0; r < chunk; r++) {
        lossSum += stats[r];
        correct += stats[this.capacity + r];
      }
      this.statsReadback.unmap();
    }
    return { loss: Math.fround(lossSum / rows), correct };
  }

  dispose(): void {
    for (const buffer of this.owned) buffer.destroy();
    this.owned.length = 0;
  }

  private upload(layers: LayerParams[], x: FloatArray, labels: Int32Array, rows: number): void {
    const queue = this.kernels.device.queue;
    const sizes = this.shape.sizes;
    const P = this.padded;
    queue.writeBuffer(this.batchUniform, 0, Uint32Array.from([rows, 0, 0, 0]));
    const features = sizes[0];
    const staging = this.inputStaging;
    for (let r = 0; r < rows; r++) for (let c = 0; c < features; c++) staging[r * P[0] + c] = x[r * features + c];
    queue.writeBuffer(this.input, 0, staging, 0, pad4(rows) * P[0]);
    queue.writeBuffer(this.labels, 0, Uint32Array.from(labels.subarray(0, rows)));
    for (let l = 0; l < this.layers.length; l++) {
      const fanIn = sizes[l];
      const fanOut = sizes[l + 1];
      const weights = this.weightStaging[l];
      const source = layers[l].weight;
      for (let o = 0; o < fanOut; o++) for (let i = 0; i < fanIn; i++) weights[o * P[l] + i] = source[o * fanIn + i];
      queue.writeBuffer(this.layers[l].weight, 0, weights);
      this.biasStaging[l].set(layers[l].bias);
      queue.writeBuffer(this.layers[l].bias, 0, this.biasStaging[l]);
    }
  }

  private encode(encoder: GPUCommandEncoder, dispatches: Dispatch[], rows: number): void {
    const pass = encoder.beginComputePass();
    for (const dispatch of dispatches) {
      pass.setPipeline(this.kernels.pipelines[dispatch.kernel]);
      pass.setBindGroup(0, dispatch.bindGroup);
      const [x, y] = dispatch.size(rows);
      pass.dispatchWorkgroups(x, y);
    }
    pass.end();
  }
}

/** Adapter, device and kernels; throws (with the reason) when any of them is unavailable. */
export async function createWebGpuBackend(gpu: GPU, shape: NetworkShape, maxRows: number): Promise<WebGpuBackend> {
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu gave no adapter');
  const device = await adapter.requestDevice();
  const info = adapter.info;
  const description = info ? [info.vendor, info.architecture || info.device].filter(Boolean).join(' / ') : 'WebGPU adapter';
  const kernels = await WebGpuKernels.create(device);
  return new WebGpuBackend(kernels, shape, maxRows, description);
}
