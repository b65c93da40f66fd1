// Phase markers, the plateau counters and the metric sources, checked against the engine itself.
import { strict as assert } from 'node:assert';
import { buildOptimizer, buildScheduler } from '../../src/engine/build';
import type { ScheduleCase } from '../../src/engine/case';
import { OneCycleLR } from '../../src/engine/schedulers';
import { simulateCase } from '../../src/engine/simulate';
import { DEFAULT_SYNTHETIC, guessMetricColumn, parseCsv, plateauRun, syntheticMetric } from '../../webview/plateau';
import { phaseMarkers, seriesOf } from '../../webview/series';
import { simulateColumns } from '../../webview/simulateColumns';
import { trajectoryCsv } from '../../webview/exports';

const lrOf = (scheduleCase: ScheduleCase) => simulateCase(scheduleCase).trace.map((row) => row.lr[0] as number);
/** Rounds where the engine's lr changes from the round before. */
const changes = (values: number[]) => values.flatMap((value, k) => (k > 0 && value !== values[k - 1] ? [k] : []));

describe('panel series, markers and metrics', () => {
  it('marks MultiStepLR milestones and CosineAnnealingWarmRestarts restarts where the engine changes phase', () => {
    const multi: ScheduleCase = { optimizer: { type: 'SGD', defaults: { lr: 1 } }, steps: 100, scheduler: { type: 'MultiStepLR', kwargs: { milestones: [30, 80] } } };
    assert.deepEqual(phaseMarkers(multi, 'MultiStepLR').map((m) => m.at), changes(lrOf(multi)).filter((k) => k < 100));
    const restarts: ScheduleCase = { optimizer: { type: 'SGD', defaults: { lr: 1 } }, steps: 100, scheduler: { type: 'CosineAnnealingWarmRestarts', kwargs: { T_0: 10, T_mult: 2 } } };
    const lr = lrOf(restarts);
    const jumps = lr.flatMap((value, k) => (k > 0 && value > lr[k - 1] ? [k] : []));
    assert.deepEqual(phaseMarkers(restarts, 'CosineAnnealingWarmRestarts').map((m) => m.at), jumps);
  });

  it("marks OneCycleLR's peak where the engine's phases end", () => {
    const scheduleCase: ScheduleCase = { optimizer: { type: 'SGD', defaults: { lr: 0.1, momentum: 0.9 } }, steps: 1000, scheduler: { type: 'OneCycleLR', kwargs: { max_lr: 1, total_steps: 1000, three_phase: true } } };
    const scheduler = buildScheduler(scheduleCase.scheduler!, buildOptimizer(scheduleCase.optimizer)) as OneCycleLR;
    assert.deepEqual(phaseMarkers(scheduleCase, 'OneCycleLR').map((m) => m.at), scheduler.phases.map((phase) => phase.endStep));
    const lr = lrOf(scheduleCase);
    assert.equal(lr.indexOf(Math.max(...lr)), Math.round(scheduler.phases[0].endStep));
  });

  it('marks SequentialLR milestones, offset children included', () => {
    const scheduleCase: ScheduleCase = {
      optimizer: { type: 'SGD', defaults: { lr: 1 } },
      steps: 60,
      scheduler: { type: 'SequentialLR', kwargs: { milestones: [10], schedulers: [{ type: 'LinearLR', kwargs: { total_iters: 5 } }, { type: 'StepLR', kwargs: { step_size: 20 } }] } },
    };
    assert.deepEqual(phaseMarkers(scheduleCase, 'SequentialLR').map((m) => [m.at, m.label]), [[5, 'LinearLR: total_iters'], [10, '→ StepLR'], [30, 'StepLR: × gamma'], [50, 'StepLR: × gamma']]);
  });

  it("counts ReduceLROnPlateau's bad epochs and cooldown as the engine's scheduler does, and finds its reductions", () => {
    const metrics = syntheticMetric({ ...DEFAULT_SYNTHETIC, seed: 7 }, 200);
    assert.deepEqual(syntheticMetric({ ...DEFAULT_SYNTHETIC, seed: 7 }, 200), metrics, 'seeded: the same curve every time');
    assert.notDeepEqual(syntheticMetric({ ...DEFAULT_SYNTHETIC, seed: 8 }, 200), metrics);
    const scheduleCase: ScheduleCase = { optimizer: { type: 'Adam', defaults: { lr: 0.01 } }, steps: 200, metrics, scheduler: { type: 'ReduceLROnPlateau', kwargs: { patience: 5, cooldown: 3, factor: 0.5 } } };
    const run = plateauRun(scheduleCase)!;
    assert.deepEqual(run.reductions, changes(lrOf(scheduleCase)));
    assert.ok(run.reductions.length >= 2);
    for (const at of run.reductions) {
      assert.equal(run.cooldownCounter[at], 3, 'the cooldown starts at a reduction');
      assert.equal(run.numBadEpochs[at], 0);
      assert.ok(run.numBadEpochs[at - 1] === 5, 'a reduction needs patience + 1 bad epochs');
    }
    assert.equal(plateauRun({ ...scheduleCase, scheduler: { type: 'StepLR', kwargs: { step_size: 3 } } }), null);
  });

  it('reads a metric column from a CSV file', () => {
    const table = parseCsv('epoch,train_loss,val_loss\n0,1.0,2.0\n1,0.5,1.5\n2,0.25,\n');
    assert.ok(!('error' in table));
    assert.deepEqual(table.header, ['epoch', 'train_loss', 'val_loss']);
    assert.equal(guessMetricColumn(table), 2);
    assert.deepEqual(table.columns[2].slice(0, 2), [2, 1.5]);
    assert.ok(Number.isNaN(table.columns[2][2]));
    assert.ok('error' in parseCsv('just a header\n'));
  });

  it('exports the trajectory as CSV with full-precision values', () => {
    const scheduleCase: ScheduleCase = { optimizer: { type: 'SGD', defaults: { lr: 0.1, momentum: 0.9 } }, steps: 40, scheduler: { type: 'OneCycleLR', kwargs: { max_lr: 1, total_steps: 40 } } };
    const series = seriesOf(scheduleCase, simulateColumns(scheduleCase, 0));
    const lines = trajectoryCsv(series, 'step', 10, null).trim().split('\n');
    assert.equal(lines[0], 'step,epoch,lr,momentum');
    const trace = simulateCase(scheduleCase).trace;
    lines.slice(1).forEach((line, k) => {
      const [step, epoch, lr, momentum] = line.split(',').map(Number);
      assert.deepEqual([step, epoch, lr, momentum], [k, Math.floor(k / 10), trace[k].lr[0], trace[k].momentum![0]]);
    });
  });
});
