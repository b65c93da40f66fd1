// The training worker, bundled as the extension bundles it: streamed epochs, the same result as an
// in-process run, cancellation, and Python float boxes surviving the trip.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { Float } from '../../src/engine/python/values';
import { DEFAULT_LR_RANGE } from '../../src/training/lrFinder';
import { decodeCase, encodeCase, runTraining, type TrainingRequest } from '../../src/training/session';
import { TrainingWorkerClient } from '../../src/training/workerClient';

const root = join(__dirname, '..', '..');

function request(epochs: number): TrainingRequest {
  return {
    case: {
      optimizer: { type: 'SGD', defaults: { lr: 0.1, momentum: 0.9 } },
      scheduler: { type: 'CosineAnnealingWarmRestarts', kwargs: { T_0: 3, eta_min: new Float(0) } },
      steps: 0,
    },
    data: { kind: 'generated', name: 'moons', options: { rows: 400, seed: 3 } },
    hidden: [32, 32],
    activation: 'relu',
    dtype: 'float32',
    backend: 'cpu',
    options: { epochs, batchSize: 32, shuffle: true, seed: 1, stepPer: 'epoch', valFraction: 0.2 },
  };
}

describe('training worker', function () {
  this.timeout(60000);
  let dir: string;
  let client: TrainingWorkerClient;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lr-lens-worker-'));
    const outfile = join(dir, 'trainingWorker.js');
    buildSync({ entryPoints: [join(root, 'src/training/worker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'silent' });
    client = new TrainingWorkerClient(outfile);
  });
  after(() => {
    client.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps Float boxes across postMessage', () => {
    const decoded = decodeCase(structuredClone(encodeCase({ a: new Float(2), b: [1, new Float(3)] }))) as { a: Float; b: [number, Float] };
    assert.ok(decoded.a instanceof Float && decoded.a.value === 2);
    assert.ok(decoded.b[1] instanceof Float && decoded.b[0] === 1);
  });

  it('streams epochs and ends with the in-process result', async () => {
    const streamed: number[] = [];
    const run = client.train(request(6), (epoch) => streamed.push(epoch.epoch));
    const outcome = await run.done;
    const direct = await runTraining(request(6));
    assert.deepEqual(streamed, [0, 1, 2, 3, 4, 5]);
    assert.equal(outcome.cancelled, false);
    assert.deepEqual(outcome.steps, direct.steps);
    assert.deepEqual(outcome.epochs, direct.epochs);
    assert.equal(outcome.backend, 'cpu');
  });

  it('stops when cancelled and can train again', async () => {
    let run: ReturnType<TrainingWorkerClient['train']> | undefined = undefined;
    run = client.train(request(200), (epoch) => {
      if (epoch.epoch === 1) run?.cancel();
    });
    const outcome = await run.done;
    assert.equal(outcome.cancelled, true);
    assert.ok(outcome.epochs.length >= 2 && outcome.epochs.length < 200);
    const again = await client.train(request(2)).done;
    assert.equal(again.epochs.length, 2);
  });

  it('runs the LR range test: an exponential sweep that stops on divergence, with suggestions', async () => {
    const outcome = await client.findLearningRate({
      case: { optimizer: { type: 'SGD', defaults: { lr: 0.1, momentum: 0.9 } }, scheduler: { type: 'StepLR', kwargs: { step_size: 1 } }, steps: 0 },
      data: { kind: 'generated', name: 'moons', options: { rows: 600, seed: 0 } },
      hidden: [32, 32],
      activation: 'relu',
      dtype: 'float32',
      backend: 'cpu',
      options: { ...DEFAULT_LR_RANGE, startLr: 1e-5, endLr: 1e3, steps: 150 },
    }).done;
    const { points, suggestions } = outcome;
    assert.equal(points[0].lr, 1e-5);
    const ratio = (1e3 / 1e-5) ** (1 / 149);
    points.slice(1).forEach((point, i) => assert.ok(Math.abs(point.lr / points[i].lr / ratio - 1) < 1e-12));
    assert.equal(outcome.diverged, true);
    assert.ok(points.length < 150, 'stopped before the end of the sweep');
    const last = points[points.length - 1];
    const best = Math.min(...points.slice(0, -1).map((p) => p.smoothed));
    assert.ok(!(last.smoothed <= 4 * best), 'the last point is the diverged one');
    for (const value of [suggestions.steepest, suggestions.valley]) {
      assert.ok(value !== null && value > 1e-5 && value < last.lr, `suggestion ${value} inside the sweep`);
    }
    const lowest = points.reduce((a, b) => (b.smoothed < a.smoothed ? b : a));
    assert.equal(suggestions.minimumTenth, lowest.lr / 10);
    assert.ok(lowest.smoothed < points[0].smoothed * 0.9, 'the sweep found lrs that train');
    // the steepest descent lies where the smoothed loss is falling
    const at = points.findIndex((p) => p.lr === suggestions.steepest);
    assert.ok(points[at + 1].smoothed < points[at - 1].smoothed);
  });

  it('reports engine errors as torch would name them', async () => {
    const bad = request(1);
    bad.case = { optimizer: { type: 'SGD', defaults: { lr: -1 } }, steps: 0 };
    await assert.rejects(client.train(bad).done, /ValueError: Invalid learning rate/);
  });
});
