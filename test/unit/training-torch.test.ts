// Differential test of the training core against real torch: every run of
// test/training/train-cases.json goes through runTrainCommand (the `train` contract) and is compared
// step by step with what scripts/torch_train.py recorded from torch 2.13
// (test/training/record_torch_fixtures.py → test/training/fixtures/torch-train.json).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrainCommand } from '../../src/training/trainCommand';
import type { JsonNumber, TrainResult } from '../../src/training/trainer';

const root = join(__dirname, '..', '..');
const casesText = readFileSync(join(root, 'test/training/train-cases.json'));
const cases = JSON.parse(casesText.toString('utf8')) as { runs: { id: string; case: unknown; data: string; args: string[] }[] };
const fixture = JSON.parse(readFileSync(join(root, 'test/training/fixtures/torch-train.json'), 'utf8')) as {
  torch: string;
  cases_sha256: string;
  runs: { id: string; result: TrainResult }[];
};

function relativeError(actual: JsonNumber | null, expected: JsonNumber | null): number {
  if (actual === expected) return 0;
  if (typeof actual !== 'number' || typeof expected !== 'number') return Infinity;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}

describe('training core vs real torch (train contract)', function () {
  this.timeout(60000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lr-lens-train-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has fixtures recorded from the current cases with torch 2.13', () => {
    assert.equal(fixture.cases_sha256, createHash('sha256').update(casesText).digest('hex'), 'rerun test/training/record_torch_fixtures.py');
    assert.match(fixture.torch, /^2\.13\./);
    assert.deepEqual(fixture.runs.map((run) => run.id), cases.runs.map((run) => run.id));
  });

  it('covers every optimizer, with and without weight decay, both scheduler cadences and ReduceLROnPlateau', () => {
    const optimizerOf = (run: (typeof cases.runs)[number]) => (run.case as { optimizer: { type: string; defaults?: { weight_decay?: number } } }).optimizer;
    for (const type of ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adamax', 'NAdam', 'RAdam']) {
      const runs = cases.runs.filter((run) => optimizerOf(run).type === type);
      const decays = runs.map((run) => optimizerOf(run).defaults?.weight_decay ?? (type === 'AdamW' ? 0.01 : 0));
      assert.ok(decays.some((wd) => wd === 0) && decays.some((wd) => wd > 0), `${type}: runs with and without weight decay`);
    }
    const text = (run: (typeof cases.runs)[number]) => JSON.stringify(run);
    assert.ok(cases.runs.some((run) => run.args.includes('batch')), 'a per-batch scheduler');
    assert.ok(cases.runs.some((run) => !run.args.includes('batch') && /LR"/.test(text(run))), 'a per-epoch scheduler');
    const plateauRuns = fixture.runs.filter((run) => text(cases.runs.find((c) => c.id === run.id)!).includes('ReduceLROnPlateau'));
    assert.ok(plateauRuns.length >= 3);
    for (const run of plateauRuns) {
      assert.ok(new Set(run.result.epochs.map((epoch) => epoch.lr[0])).size > 2, `${run.id}: the plateau actually reduced the lr`);
    }
    for (const run of fixture.runs) assert.ok(run.result.steps.length >= 100, `${run.id}: at least 100 steps`);
  });

  for (const run of cases.runs) {
    const float32 = run.args.includes('float32');
    // float64 agrees to rounding; float32 follows torch's per-op rounding only where practical
    // (BLAS summation order and fused multiply-adds differ), so it is held to float32-sized drift.
    const lossTolerance = float32 ? 1e-4 : 1e-9;
    it(`${run.id}: per-step losses and lrs match torch`, async () => {
      const expected = fixture.runs.find((r) => r.id === run.id)!.result;
      const casePath = join(dir, `${run.id}.json`);
      writeFileSync(casePath, JSON.stringify(run.case));
      const actual = await runTrainCommand(['--case', casePath, '--data', join(root, run.data), ...run.args.map((arg) => (arg.startsWith('test/') ? join(root, arg) : arg))]);
      assert.equal(actual.backend, 'cpu');
      assert.equal(actual.steps.length, expected.steps.length);
      actual.steps.forEach((step, i) => {
        const want = expected.steps[i];
        assert.equal(step.epoch, want.epoch);
        assert.equal(step.batch, want.batch);
        const lossError = relativeError(step.loss, want.loss);
        assert.ok(lossError <= lossTolerance, `step ${i}: loss ${step.loss} vs torch ${want.loss} (rel ${lossError})`);
        step.lr.forEach((lr, g) => assert.ok(relativeError(lr, want.lr[g]) <= 1e-12, `step ${i} group ${g}: lr ${lr} vs torch ${want.lr[g]}`));
      });
      assert.equal(actual.epochs.length, expected.epochs.length);
      actual.epochs.forEach((epoch, i) => {
        const want = expected.epochs[i];
        assert.ok(relativeError(epoch.train_loss, want.train_loss) <= lossTolerance, `epoch ${i}: train_loss ${epoch.train_loss} vs ${want.train_loss}`);
        assert.ok(relativeError(epoch.val_loss, want.val_loss) <= lossTolerance, `epoch ${i}: val_loss ${epoch.val_loss} vs ${want.val_loss}`);
        if (!float32) assert.equal(epoch.val_accuracy, want.val_accuracy, `epoch ${i}: val_accuracy`);
        epoch.lr.forEach((lr, g) => assert.ok(relativeError(lr, want.lr[g]) <= 1e-12, `epoch ${i} group ${g}: lr ${lr} vs torch ${want.lr[g]}`));
      });
    });
  }
});
