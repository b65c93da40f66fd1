// LightningCLI configs end to end against a real Lightning Trainer. Each config listed in
// test/reference/frameworks/lightning-configs.json was fit by lightning 2.6.6 on CPU, with a fixed number of
// batches per epoch, by scripts/record-lightning-traces.py (which says how it builds what LightningCLI
// builds); lightning-traces.json holds the lr every optimizer step used, each call Lightning made to
// lr_scheduler_step (with the metric it passed) and the lr after training. The analysis of the same YAML,
// given the same batches per epoch, must agree with it: the x unit (Lightning's interval), in which rounds
// Lightning steps the scheduler (`frequency`, gradient accumulation, an epoch-interval scheduler stepped
// after the epoch's last optimizer step), and the lr of every round to rtol 1e-12 (both are torch's float64
// arithmetic), the error that stops training included. ReduceLROnPlateau is given the series the module
// logged, as Lightning passed it (a float32 tensor, widened).
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseError, TraceNumber, TraceRow } from '../../src/engine/case';
import { simulateCase } from '../../src/engine/simulate';
import { analyzeConfig } from '../../src/analysis/analyzeConfig';
import { lensText } from '../../src/extension/present/lensText';

const FIXTURES = join(__dirname, '..', 'fixtures', 'configs');
const REFERENCE = join(__dirname, '..', 'reference', 'frameworks');

interface LightningScheduler {
  type: string;
  interval: 'epoch' | 'step';
  frequency: number;
  monitor: string | null;
  reduce_on_plateau: boolean;
}

interface LightningRun {
  fixture: string;
  fixture_sha256: string;
  batches_per_epoch: number;
  max_epochs: number | null;
  max_steps: number;
  accumulate_grad_batches: number;
  /** null when Lightning refused the configuration before the first step. */
  scheduler: LightningScheduler | null;
  steps: { epoch: number; batch: number; lr: number[] }[];
  scheduler_steps: { epoch: number; batch: number; global_step: number; metric: number | null; lr: number[] }[];
  final_lr: number[] | null;
  error: { type: string; message: string; global_step: number } | null;
}

const listing = readFileSync(join(REFERENCE, 'lightning-configs.json'));
const recorded = JSON.parse(readFileSync(join(REFERENCE, 'lightning-traces.json'), 'utf8')) as {
  versions: { lightning: string };
  configs_sha256: string;
  results: LightningRun[];
};

/** What Lightning did, in the analysis' rounds (epochs or optimizer steps): row k is the lr after k rounds. */
interface LightningRounds {
  rows: number[][];
  /** The 1-based rounds in which Lightning stepped the scheduler, with the metric it passed. */
  stepped: Map<number, number | null>;
  error: { round: number; type: string; message: string } | null;
}

type SteppedRun = LightningRun & { scheduler: LightningScheduler };

function lightningRounds(run: SteppedRun): LightningRounds {
  const stepUnit = run.scheduler.interval === 'step';
  const roundOf = (s: { epoch: number; global_step: number }) => (stepUnit ? s.global_step : s.epoch + 1);
  const stepped = new Map(run.scheduler_steps.map((s) => [roundOf(s), s.metric] as const));
  let rows: number[][];
  if (stepUnit) rows = run.steps.map((s) => s.lr);
  else {
    rows = [];
    for (const s of run.steps) {
      // Every optimizer step of an epoch uses the same lr: an epoch-interval scheduler steps only after the last.
      if (rows.length === s.epoch) rows.push(s.lr);
      else assert.deepEqual(s.lr, rows[s.epoch], `${run.fixture}: the lr changed within epoch ${s.epoch} (batch ${s.batch})`);
    }
  }
  if (run.final_lr) rows.push(run.final_lr);
  const error = run.error && { round: stepUnit ? run.error.global_step : run.steps[run.steps.length - 1].epoch + 1, type: run.error.type, message: run.error.message };
  return { rows, stepped, error };
}

const asNumber = (value: TraceNumber): number => (typeof value === 'number' ? value : Number(value));
const close = (actual: number, expected: number) => actual === expected || Math.abs(actual - expected) <= 1e-12 * Math.abs(expected);

function assertSameLr(trace: TraceRow[], rows: number[][], label: string): void {
  assert.equal(trace.length, rows.length, `${label}: rounds`);
  rows.forEach((expected, k) => {
    const actual = trace[k].lr.map(asNumber);
    assert.equal(actual.length, expected.length, `${label}: groups in row ${k}`);
    actual.forEach((lr, g) => assert.ok(close(lr, expected[g]), `${label}: row ${k} group ${g}: ${lr} vs Lightning ${expected[g]}`));
  });
}

describe(`LightningCLI configs against a real Lightning ${recorded.versions.lightning} Trainer`, () => {
  it('was recorded from the committed configs', () => {
    assert.equal(createHash('sha256').update(listing).digest('hex'), recorded.configs_sha256, 'lightning-configs.json changed: run scripts/record-lightning-traces.py');
    for (const run of recorded.results) {
      const digest = createHash('sha256').update(readFileSync(join(FIXTURES, run.fixture))).digest('hex');
      assert.equal(digest, run.fixture_sha256, `${run.fixture} changed: run scripts/record-lightning-traces.py`);
    }
  });

  // Lightning refused the configuration when fit() started: the analysis must say so, with Lightning's error.
  for (const run of recorded.results.filter((r) => r.scheduler === null)) {
    it(`${run.fixture}: refused by Lightning before training (${run.error?.type})`, () => {
      assert.ok(run.error !== null && run.steps.length === 0, 'recorded as refused before the first step');
      const [finding, ...others] = analyzeConfig(run.fixture, readFileSync(join(FIXTURES, run.fixture), 'utf8')).schedulers;
      assert.equal(others.length, 0);
      assert.deepEqual(finding.error, { phase: 'construct', step: 0, type: run.error.type, message: run.error.message });
      assert.deepEqual(finding.trace, []);
      const lens = lensText(finding, '2.13');
      assert.equal(lens.title, `$(error) Lightning raises ${run.error.type}: ${run.error.message}`);
      assert.equal(lens.tooltip, 'Lightning refuses this configuration when training starts.');
    });
  }

  for (const run of recorded.results.filter((r): r is SteppedRun => r.scheduler !== null)) {
    it(`${run.fixture}, ${run.batches_per_epoch} batches per epoch: ${run.scheduler.type} by ${run.scheduler.interval}`, () => {
      const label = `${run.fixture} (${run.batches_per_epoch} batches)`;
      const result = analyzeConfig(run.fixture, readFileSync(join(FIXTURES, run.fixture), 'utf8'), { stepsPerEpoch: run.batches_per_epoch });
      assert.deepEqual(result.diagnostics, []);
      assert.equal(result.schedulers.length, 1, `${label}: ${result.schedulers.map((s) => s.type).join(', ')}`);
      const [finding] = result.schedulers;
      assert.deepEqual(finding.unresolved, [], label);
      assert.equal(finding.source, 'lightning');
      assert.equal(finding.type, run.scheduler.type);
      assert.equal(finding.unit, run.scheduler.interval, `${label}: x unit`);
      // The epochs Lightning ran: max_epochs, or fewer when max_steps ends training first.
      assert.equal(finding.epochs, run.steps[run.steps.length - 1].epoch + 1, `${label}: epochs`);

      const lightning = lightningRounds(run);
      const rounds = finding.case.steps;
      const plan = finding.case.plan;
      const engineStepped = Array.from({ length: rounds }, (_, r) => r + 1).filter((round) => !plan || plan[round - 1].length > 0);
      const lightningStepped = [...lightning.stepped.keys()];
      // Lightning's failing step() never returns, so it is not among its recorded calls.
      if (lightning.error) lightningStepped.push(lightning.error.round);
      const lastRound = lightning.error ? lightning.error.round : lightning.rows.length - 1;
      assert.deepEqual(engineStepped.filter((round) => round <= lastRound), lightningStepped, `${label}: rounds that step the scheduler`);

      let scheduleCase = finding.case;
      if (run.scheduler.reduce_on_plateau) {
        assert.ok(finding.case.metrics, `${label}: a metric series`);
        // The series Lightning passed, in the rounds it passed it; the others are never read.
        const metrics = Array.from({ length: rounds }, (_, r) => lightning.stepped.get(r + 1) ?? 'nan');
        scheduleCase = { ...finding.case, metrics };
      }
      const { trace, error } = simulateCase(scheduleCase);
      if (!run.scheduler.reduce_on_plateau) assert.deepEqual(finding.trace, trace);
      assertSameLr(trace, lightning.rows, label);
      if (lightning.error) {
        const expected: Partial<CaseError> = { phase: 'step', step: lightning.error.round, type: lightning.error.type, message: lightning.error.message };
        assert.deepEqual(error, expected, label);
      } else {
        assert.equal(error, null, label);
        assert.equal(rounds, lightning.rows.length - 1, `${label}: rounds`);
      }
      for (const s of run.scheduler_steps) {
        const round = run.scheduler.interval === 'step' ? s.global_step : s.epoch + 1;
        s.lr.forEach((lr, g) => assert.ok(close(asNumber(trace[round].lr[g]), lr), `${label}: lr after Lightning's step in round ${round}`));
      }
    });
  }
});
