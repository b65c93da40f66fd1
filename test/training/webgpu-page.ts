/// <reference types="@webgpu/types" />
// Runs in headless Chromium (see webgpu.test.mjs): the WebGPU backend's kernels and whole training
// batches against the CPU backend in float32, on odd shapes. Returns the measured errors.

import { CpuBackend } from '../../src/training/cpuBackend';
import { matmulNN, matmulNT, matmulTN, type Activation } from '../../src/training/cpuKernels';
import { generateDataset } from '../../src/training/data';
import { defaultInit, zeroLayers, type LayerParams } from '../../src/training/model';
import { Rng } from '../../src/training/rng';
import { selectBackend } from '../../src/training/selectBackend';
import { runTraining, type TrainingRequest } from '../../src/training/session';
import { train } from '../../src/training/trainer';
import { createWebGpuBackend, WebGpuKernels } from '../../src/training/webgpuBackend';

export interface Check {
  name: string;
  /** max |gpu − cpu| / max(1, max |cpu|) */
  error: number;
}

function random(length: number, seed: number): Float32Array {
  const rng = new Rng(seed, 11);
  return Float32Array.from({ length }, () => rng.uniformIn(-1, 1));
}

function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let scale = 1;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst / scale;
}

function flatGrads(layers: LayerParams[]): number[] {
  return layers.flatMap((layer) => [...layer.weight, ...layer.bias]);
}

async function runChecks(): Promise<{ adapter: string; checks: Check[] }> {
  const gpu = navigator.gpu;
  if (!gpu) throw new Error('no navigator.gpu');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter');
  const device = await adapter.requestDevice();
  const kernels = await WebGpuKernels.create(device);
  const checks: Check[] = [];

  for (const [M, N, K] of [[37, 53, 20], [1, 1, 1], [5, 3, 7], [64, 33, 129], [45, 17, 6], [129, 64, 31]]) {
    const a = random(M * K, 1);
    const bT = random(N * K, 2);
    const b = random(K * N, 3);
    const aT = random(K * M, 4);
    const expected = new Float32Array(M * N);
    matmulNT(a, bT, expected, M, N, K);
    checks.push({ name: `matmul nt ${M}x${N}x${K}`, error: relativeError(await kernels.matmul('nt', a, bT, M, N, K), expected) });
    matmulNN(a, b, expected, M, N, K);
    checks.push({ name: `matmul nn ${M}x${N}x${K}`, error: relativeError(await kernels.matmul('nn', a, b, M, N, K), expected) });
    matmulTN(aT, b, expected, M, N, K);
    checks.push({ name: `matmul tn ${M}x${N}x${K}`, error: relativeError(await kernels.matmul('tn', aT, b, M, N, K), expected) });
  }

  for (const activation of ['relu', 'tanh', 'gelu'] as Activation[]) {
    const sizes = [37, 53, 20, 7];
    const shape = { sizes, activation };
    const gpuBackend = await createWebGpuBackend(gpu, shape, 48);
    const cpuBackend = new CpuBackend(shape, 'float32');
    const layers = defaultInit(sizes, 'float32', 3);
    // rows 45 then 13: the second batch leaves stale rows from the first in the GPU buffers
    for (const rows of [45, 13, 48]) {
      const x = random(rows * sizes[0], rows);
      const labels = Int32Array.from({ length: rows }, (_, i) => (i * 5) % 7);
      const gpuGrads = zeroLayers(sizes, 'float32');
      const cpuGrads = zeroLayers(sizes, 'float32');
      const gpuLoss = await gpuBackend.lossAndGradients(layers, gpuGrads, x, labels, rows);
      const cpuLoss = await cpuBackend.lossAndGradients(layers, cpuGrads, x, labels, rows);
      checks.push({ name: `${activation} batch of ${rows}: loss`, error: relativeError([gpuLoss], [cpuLoss]) });
      checks.push({ name: `${activation} batch of ${rows}: gradients`, error: relativeError(flatGrads(gpuGrads), flatGrads(cpuGrads)) });
    }
    // evaluation in chunks larger than the buffers
    const rows = 100;
    const x = random(rows * sizes[0], 99);
    const labels = Int32Array.from({ length: rows }, (_, i) => i % 7);
    const gpuEval = await gpuBackend.evaluate(layers, x, labels, rows);
    const cpuEval = await cpuBackend.evaluate(layers, x, labels, rows);
    checks.push({ name: `${activation} evaluate 100 rows: loss`, error: relativeError([gpuEval.loss], [cpuEval.loss]) });
    checks.push({ name: `${activation} evaluate 100 rows: correct`, error: Math.abs(gpuEval.correct - cpuEval.correct) });
    gpuBackend.dispose();
  }

  // a short training run: the same optimizer on both backends
  const data = generateDataset('spirals', { rows: 240, seed: 2 });
  const sizes = [2, 32, 32, 3];
  const runOn = async (backend: 'cpu' | 'webgpu') => {
    const choice = await selectBackend({ backend, shape: { sizes, activation: 'relu' }, dtype: 'float32', maxRows: 240, gpu });
    if (choice.backend.name !== backend) throw new Error(`expected ${backend}, got ${choice.backend.name}: ${choice.fallbackReason}`);
    const groups = [{ lr: 0.01 }];
    return train({
      backend: choice.backend,
      data,
      sizes,
      dtype: 'float32',
      layers: defaultInit(sizes, 'float32', 1),
      optimizerType: 'Adam',
      driver: { paramGroups: groups, stepSchedulers: () => {} },
      options: { epochs: 5, batchSize: 32, shuffle: true, seed: 3, stepPer: 'epoch', valFraction: 0.2 },
    });
  };
  const cpuRun = await runOn('cpu');
  const gpuRun = await runOn('webgpu');
  checks.push({ name: 'Adam training, 5 epochs: per-step losses', error: relativeError(gpuRun.steps.map((s) => s.loss as number), cpuRun.steps.map((s) => s.loss as number)) });
  checks.push({ name: 'Adam training, 5 epochs: val losses', error: relativeError(gpuRun.epochs.map((e) => e.val_loss as number), cpuRun.epochs.map((e) => e.val_loss as number)) });
  // the webview's path: a whole request (engine-built optimizer and scheduler) with backend 'auto'
  const request: TrainingRequest = {
    case: { optimizer: { type: 'SGD', defaults: { lr: 0.05, momentum: 0.9 } }, scheduler: { type: 'OneCycleLR', kwargs: { max_lr: 0.2, total_steps: 50 } }, steps: 0 },
    data: { kind: 'generated', name: 'moons', options: { rows: 200, seed: 1 } },
    hidden: [16, 16],
    activation: 'gelu',
    dtype: 'float32',
    backend: 'auto',
    options: { epochs: 5, batchSize: 20, shuffle: true, seed: 2, stepPer: 'batch', valFraction: 0 },
  };
  const auto = await runTraining(request, { gpu });
  const onCpu = await runTraining({ ...request, backend: 'cpu' });
  if (auto.backend !== 'webgpu' || auto.fallbackReason !== null) throw new Error(`'auto' did not pick WebGPU: ${auto.fallbackReason}`);
  checks.push({ name: "runTraining backend 'auto' (OneCycleLR per batch): per-step losses", error: relativeError(auto.steps.map((s) => s.loss as number), onCpu.steps.map((s) => s.loss as number)) });
  checks.push({ name: "runTraining backend 'auto': lrs", error: relativeError(auto.steps.map((s) => s.lr[0]), onCpu.steps.map((s) => s.lr[0])) });
  const info = adapter.info;
  return { adapter: `${info.vendor} / ${info.architecture}`, checks };
}

(globalThis as unknown as { runChecks: typeof runChecks }).runChecks = runChecks;
