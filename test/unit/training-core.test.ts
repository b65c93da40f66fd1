// The training core's pieces: kernels against plain reference loops, ops against values recorded
// from torch (test/training/record_torch_ops.py), data parsing/splitting, seeding and INIT.json.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpuBackend } from '../../src/training/cpuBackend';
import {
  activationBackward,
  activationForward,
  columnSums,
  matmulNN,
  matmulNT,
  matmulTN,
  meanSquaredError,
  softmaxCrossEntropy,
  type Activation,
} from '../../src/training/cpuKernels';
import { generateDataset, GENERATORS, parseCsv, pythonRound, toCsv, validationRows } from '../../src/training/data';
import { fromValues, rounder, type DType } from '../../src/training/dtype';
import { defaultInit, layersFromInit, layersToInit } from '../../src/training/model';
import { Rng } from '../../src/training/rng';
import { parseTrainArgs, runTrainCommand } from '../../src/training/trainCommand';
import { groupParameters, train, type ScheduleDriver } from '../../src/training/trainer';

const root = join(__dirname, '..', '..');

function filled(length: number, seed: number): Float64Array {
  const rng = new Rng(seed, 9);
  return Float64Array.from({ length }, () => rng.uniformIn(-1, 1));
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    assert.ok(error <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('training kernels', () => {
  const shapes: [number, number, number][] = [
    [37, 53, 20],
    [1, 1, 1],
    [5, 3, 7],
    [64, 33, 129],
    [3, 300, 17],
    [9, 70, 600],
  ];
  for (const [M, N, K] of shapes) {
    it(`matmul NT/NN/TN agree with the plain triple loop at ${M}×${N}×${K}`, () => {
      const a = filled(M * K, 1);
      const bT = filled(N * K, 2);
      const b = filled(K * N, 3);
      const aT = filled(K * M, 4);
      const bias = filled(N, 5);
      const nt = new Float64Array(M * N);
      const nn = new Float64Array(M * N);
      const tn = new Float64Array(M * N);
      matmulNT(a, bT, nt, M, N, K, bias);
      matmulNN(a, b, nn, M, N, K);
      matmulTN(aT, b, tn, M, N, K);
      const refNT = new Float64Array(M * N);
      const refNN = new Float64Array(M * N);
      const refTN = new Float64Array(M * N);
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < N; n++) {
          let s1 = bias[n];
          let s2 = 0;
          let s3 = 0;
          for (let k = 0; k < K; k++) {
            s1 += a[m * K + k] * bT[n * K + k];
            s2 += a[m * K + k] * b[k * N + n];
            s3 += aT[k * M + m] * b[k * N + n];
          }
          refNT[m * N + n] = s1;
          refNN[m * N + n] = s2;
          refTN[m * N + n] = s3;
        }
      }
      assertClose(nt, refNT, 1e-13, 'NT');
      assertClose(nn, refNN, 1e-13, 'NN');
      assertClose(tn, refTN, 1e-13, 'TN');
      const sums = new Float64Array(N);
      columnSums(b, sums, K, N);
      const refSums = Array.from({ length: N }, (_, n) => Array.from({ length: K }, (_, k) => b[k * N + n]).reduce((x, y) => x + y, 0));
      assertClose(sums, refSums, 1e-13, 'column sums');
    });
  }
});

describe('training ops vs torch', () => {
  const fixture = JSON.parse(readFileSync(join(root, 'test/training/fixtures/torch-ops.json'), 'utf8'));
  for (const dtype of ['float64', 'float32'] as DType[]) {
    const ops = fixture[dtype];
    const round = rounder(dtype);
    // float64: libm-level agreement; float32: a few ulps of 1 (torch's float erf is its own
    // approximation, and 1 + erf(x/√2) cancels for negative x)
    const tolerance = dtype === 'float64' ? 1e-14 : 1e-6;
    for (const kind of ['relu', 'tanh', 'gelu'] as Activation[]) {
      it(`${kind} forward and backward (${dtype})`, () => {
        const { x, upstream, y, grad } = ops[kind];
        const n = x.length;
        const xs = fromValues(dtype, x);
        const ys = fromValues(dtype, new Array(n).fill(0));
        activationForward(kind, xs, ys, n, round);
        assertClose(ys, y, tolerance, `${kind} y`);
        const gx = fromValues(dtype, new Array(n).fill(0));
        activationBackward(kind, xs, ys, fromValues(dtype, upstream), gx, n, round);
        assertClose(gx, grad, tolerance, `${kind} grad`);
      });
    }
    it(`softmax cross-entropy, mean reduction (${dtype})`, () => {
      const { logits, labels, loss, grad } = ops.cross_entropy;
      const rows = logits.length;
      const C = logits[0].length;
      const g = fromValues(dtype, new Array(rows * C).fill(0));
      const result = softmaxCrossEntropy(fromValues(dtype, logits.flat()), Int32Array.from(labels), rows, C, round, g);
      assertClose([result.loss], [loss], tolerance, 'loss');
      assertClose(g, grad.flat(), tolerance, 'grad');
    });
    it(`mean squared error (${dtype})`, () => {
      const { pred, target, loss, grad } = ops.mse;
      const g = fromValues(dtype, new Array(pred.length).fill(0));
      const value = meanSquaredError(fromValues(dtype, pred), fromValues(dtype, target), pred.length, round, g);
      assertClose([value], [loss], tolerance, 'loss');
      assertClose(g, grad, tolerance, 'grad');
    });
  }
});

describe('training data', () => {
  it('rounds the validation split as Python 3 does', () => {
    assert.equal(pythonRound(2.5), 2);
    assert.equal(pythonRound(3.5), 4);
    assert.equal(validationRows(150, 0.2), 30);
    assert.equal(validationRows(10, 0.25), 2);
    assert.equal(validationRows(10, 0.35), 4);
    assert.throws(() => validationRows(10, 1));
  });

  it('parses the bundled CSVs', () => {
    const iris = parseCsv(readFileSync(join(root, 'data/iris.csv'), 'utf8'));
    assert.equal(iris.rows, 150);
    assert.equal(iris.featureCount, 4);
    assert.equal(iris.classCount, 3);
    const wine = parseCsv(readFileSync(join(root, 'data/wine.csv'), 'utf8'));
    assert.equal(wine.rows, 178);
    assert.equal(wine.featureCount, 13);
    assert.equal(wine.classCount, 3);
  });

  it('rejects malformed CSV with the line', () => {
    assert.throws(() => parseCsv('a,b,label\n1,2,0\n1,x,1\n'), /line 3.*'x'/);
    assert.throws(() => parseCsv('a,label\n1,0.5\n'), /label/);
    assert.throws(() => parseCsv('a,b,label\n1,2\n'), /2 columns/);
  });

  for (const name of GENERATORS) {
    it(`generates ${name} deterministically from a seed`, () => {
      const a = generateDataset(name, { rows: 300, seed: 4 });
      const b = generateDataset(name, { rows: 300, seed: 4 });
      const c = generateDataset(name, { rows: 300, seed: 5 });
      assert.deepEqual(a.features, b.features);
      assert.notDeepEqual(a.features, c.features);
      assert.ok(a.features.every(Number.isFinite));
      const round = parseCsv(toCsv(a));
      assert.deepEqual(round.features, a.features);
      assert.deepEqual(round.labels, a.labels);
    });
  }
});

describe('training setup', () => {
  it('writes and reads INIT.json in nn.Linear layout', () => {
    const sizes = [4, 6, 3];
    const layers = defaultInit(sizes, 'float64', 3);
    const init = layersToInit(layers, sizes);
    assert.equal(init.layers[0].weight.length, 6);
    assert.equal(init.layers[0].weight[0].length, 4);
    assert.deepEqual(layersFromInit(init, sizes, 'float64'), layers);
    assert.throws(() => layersFromInit(init, [4, 5, 3], 'float64'), /weight must be 5×4/);
  });

  it('draws the default init from U(-1/√fan_in, 1/√fan_in)', () => {
    const layers = defaultInit([50, 40], 'float64', 1);
    const bound = 1 / Math.sqrt(50);
    for (const v of [...layers[0].weight, ...layers[0].bias]) assert.ok(Math.abs(v) <= bound * (1 + 1e-15));
    const spread = Math.max(...layers[0].weight) - Math.min(...layers[0].weight);
    assert.ok(spread > 1.9 * bound);
  });

  it('assigns layer ℓ to param group min(ℓ, groups − 1)', () => {
    const layers = defaultInit([2, 3, 3, 2], 'float64', 0);
    const grads = defaultInit([2, 3, 3, 2], 'float64', 0);
    const groups = groupParameters(layers, grads, 2);
    assert.equal(groups[0].length, 2);
    assert.equal(groups[1].length, 4);
    assert.equal(groups[1][0].data, layers[1].weight);
  });

  it('trains the same way twice from a seed, reads the lr from the groups each step, and can be cancelled', async () => {
    const data = generateDataset('spirals', { rows: 200, seed: 1 });
    const sizes = [2, 16, 3];
    const run = async (cancelAfter = Infinity) => {
      const groups = [{ lr: 0.1, momentum: 0.9 }];
      let batches = 0;
      const driver: ScheduleDriver = {
        paramGroups: groups,
        stepSchedulers: (when) => {
          if (when === 'batch') groups[0].lr *= 0.9;
        },
      };
      return train({
        backend: new CpuBackend({ sizes, activation: 'tanh' }, 'float64'),
        data,
        sizes,
        dtype: 'float64',
        layers: defaultInit(sizes, 'float64', 2),
        optimizerType: 'SGD',
        driver,
        options: { epochs: 3, batchSize: 32, shuffle: true, seed: 5, stepPer: 'batch', valFraction: 0.25 },
        isCancelled: () => ++batches > cancelAfter,
      });
    };
    const first = await run();
    const second = await run();
    assert.deepEqual(first, second);
    assert.equal(first.steps.length, 15);
    assert.ok(first.steps[1].lr[0] < first.steps[0].lr[0]);
    const cancelled = await run(7);
    assert.equal(cancelled.epochs.length, 1);
  });
});

describe('train command', () => {
  it('parses the contract flags and rejects unknown or malformed ones', () => {
    const args = parseTrainArgs(['--case', 'c.json', '--data', 'd.csv', '--hidden', '8,4', '--no-shuffle', '--dtype', 'float64', '--step-per', 'batch', '--val-fraction', '0.25', '--seed', '3']);
    assert.deepEqual(args.hidden, [8, 4]);
    assert.equal(args.shuffle, false);
    assert.equal(args.dtype, 'float64');
    assert.equal(args.stepPer, 'batch');
    assert.equal(args.valFraction, 0.25);
    assert.equal(args.seed, 3);
    assert.throws(() => parseTrainArgs(['--data', 'd.csv']), /--case and --data are required/);
    assert.throws(() => parseTrainArgs(['--case', 'c', '--data', 'd', '--frobnicate', '1']), /unknown option '--frobnicate'/);
    assert.throws(() => parseTrainArgs(['--case', 'c', '--data', 'd', '--dtype', 'float16']), /unknown dtype/);
    assert.throws(() => parseTrainArgs(['--case', 'c', '--data', 'd', '--batch-size', '0']), /--batch-size needs an integer ≥ 1/);
    assert.throws(() => parseTrainArgs(['--case', 'c', '--data', 'd', '--val-fraction', '1']), /\[0, 1\)/);
  });

  it('falls back to the CPU, saying why, when WebGPU is asked for where there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lr-lens-train-cmd-'));
    try {
      const casePath = join(dir, 'case.json');
      writeFileSync(casePath, JSON.stringify({ optimizer: { type: 'SGD', defaults: { lr: 0.1 } }, steps: 0 }));
      const warnings: string[] = [];
      const result = await runTrainCommand(['--case', casePath, '--data', join(root, 'data/iris.csv'), '--epochs', '1', '--backend', 'webgpu'], {
        warn: (message) => warnings.push(message),
      });
      assert.equal(result.backend, 'cpu');
      assert.match(warnings.join('\n'), /WebGPU is not available/);
      assert.deepEqual(Object.keys(result), ['steps', 'epochs', 'backend']);
      assert.deepEqual(Object.keys(result.steps[0]), ['epoch', 'batch', 'loss', 'lr']);
      assert.deepEqual(Object.keys(result.epochs[0]), ['epoch', 'train_loss', 'val_loss', 'val_accuracy', 'lr']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
