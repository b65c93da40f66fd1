// The engine's TypeScript API (camelCase options, torch-named param group keys) agrees with the
// `simulate` path, which the reference-trace tests hold to real torch; plus torch's warnings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult, ScheduleCase } from '../../src/engine/case';
import { parseCaseJson } from '../../src/engine/caseJson';
import { Adam, SGD } from '../../src/engine/optimizers';
import { CosineAnnealingLR, LinearLR, OneCycleLR, ReduceLROnPlateau, SequentialLR, StepLR } from '../../src/engine/schedulers';
import { EPOCH_DEPRECATION_WARNING, GET_LR_WARNING, STEP_BEFORE_OPTIMIZER_WARNING } from '../../src/engine/schedulers/LRScheduler';
import { MAX_STEPS, simulateCase } from '../../src/engine/simulate';

const tracesDir = join(__dirname, '..', 'reference', 'traces');

function torchResult(file: string, id: string): CaseResult {
  const recorded = parseCaseJson(readFileSync(join(tracesDir, file), 'utf8')) as { results: CaseResult[] };
  const result = recorded.results.find((r) => r.id === id);
  assert.ok(result, `no recorded torch trace ${file}#${id}`);
  return result;
}

function caseById(file: string, id: string): ScheduleCase {
  const text = readFileSync(join(__dirname, '..', 'reference', 'cases', file), 'utf8');
  const parsed = parseCaseJson(text) as ScheduleCase[] | { cases: ScheduleCase[] };
  const found = (Array.isArray(parsed) ? parsed : parsed.cases).find((c) => c.id === id);
  assert.ok(found, `no case ${file}#${id}`);
  return found;
}

describe('engine TypeScript API', () => {
  it('StepLR built with camelCase options steps like the recorded torch trace', () => {
    const spec = caseById('StepLR.json', 'step-two-groups-momentum');
    const torch = torchResult('StepLR.json', 'step-two-groups-momentum');
    const defaults = spec.optimizer.defaults as { lr: number; momentum: number };
    const kwargs = spec.scheduler!.kwargs as { step_size: number; gamma: number };
    const optimizer = new SGD(spec.optimizer.groups ?? [{}], { lr: defaults.lr, momentum: defaults.momentum });
    const scheduler = new StepLR(optimizer, { stepSize: kwargs.step_size, gamma: kwargs.gamma });
    const lrs = [optimizer.paramGroups.map((group) => group.lr)];
    for (let k = 1; k <= spec.steps; k++) {
      optimizer.step();
      scheduler.step();
      lrs.push(scheduler.getLastLr());
    }
    assert.deepEqual(lrs, torch.trace.map((row) => row.lr));
  });

  it('SequentialLR of LinearLR then CosineAnnealingLR matches simulate on the same case', () => {
    const optimizer = new SGD([{}], { lr: 0.1 });
    const warmup = new LinearLR(optimizer, { startFactor: 0.1, totalIters: 5 });
    const cosine = new CosineAnnealingLR(optimizer, { tMax: 20 });
    const scheduler = new SequentialLR(optimizer, { schedulers: [warmup, cosine], milestones: [5] });
    const viaApi = [scheduler.getLastLr()];
    for (let k = 0; k < 30; k++) {
      optimizer.step();
      scheduler.step();
      viaApi.push(scheduler.getLastLr());
    }
    const viaCase = simulateCase({
      optimizer: { type: 'SGD', defaults: { lr: 0.1 } },
      scheduler: {
        type: 'SequentialLR',
        kwargs: {
          schedulers: [
            { type: 'LinearLR', kwargs: { start_factor: 0.1, total_iters: 5 } },
            { type: 'CosineAnnealingLR', kwargs: { T_max: 20 } },
          ],
          milestones: [5],
        },
      },
      steps: 30,
    });
    assert.equal(viaCase.error, null);
    assert.deepEqual(viaApi, viaCase.trace.map((row) => row.last_lr[0]));
  });

  it('OneCycleLR cycles Adam betas[0] through the param group, as torch does', () => {
    const optimizer = new Adam([{}], { lr: 0.01 });
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 10 });
    const betas = [optimizer.paramGroups[0].betas![0]];
    for (let k = 0; k < 10; k++) {
      optimizer.step();
      scheduler.step();
      betas.push(optimizer.paramGroups[0].betas![0]);
    }
    const viaCase = simulateCase({
      optimizer: { type: 'Adam', defaults: { lr: 0.01 } },
      scheduler: { type: 'OneCycleLR', kwargs: { max_lr: 0.1, total_steps: 10 } },
      steps: 10,
    });
    assert.deepEqual(betas, viaCase.trace.map((row) => row.betas![0][0]));
    assert.equal(optimizer.paramGroups[0].betas![1], 0.999);
  });

  it('getLastLr returns a copy: a kept list does not change when the scheduler steps', () => {
    const optimizer = new SGD([{}], { lr: 1 });
    const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    const before = scheduler.getLastLr();
    optimizer.step();
    scheduler.step();
    assert.deepEqual(before, [1]);
    assert.deepEqual(scheduler.getLastLr(), [0.5]);
  });
});

describe('engine warnings (torch UserWarnings, collected for the editor)', () => {
  it('warns when scheduler.step() comes before optimizer.step(), once', () => {
    const optimizer = new SGD([{}], { lr: 0.1 });
    const scheduler = new StepLR(optimizer, { stepSize: 2 });
    const warnings: string[] = [];
    scheduler.warn = (message) => warnings.push(message);
    scheduler.step();
    scheduler.step();
    assert.deepEqual(warnings, [STEP_BEFORE_OPTIMIZER_WARNING]);
  });

  it('warns on step(epoch) and on get_lr() called from user code', () => {
    const optimizer = new SGD([{}], { lr: 0.1 });
    const scheduler = new StepLR(optimizer, { stepSize: 2 });
    const warnings: string[] = [];
    scheduler.warn = (message) => warnings.push(message);
    optimizer.step();
    scheduler.step(3);
    scheduler.getLr();
    assert.deepEqual(warnings, [EPOCH_DEPRECATION_WARNING, GET_LR_WARNING]);
  });

  it('ReduceLROnPlateau exposes its counters for the panel', () => {
    const optimizer = new SGD([{}], { lr: 0.1 });
    const scheduler = new ReduceLROnPlateau(optimizer, { patience: 1, cooldown: 2 });
    scheduler.step(1.0);
    scheduler.step(1.0);
    assert.equal(scheduler.numBadEpochs, 1);
    scheduler.step(1.0);
    assert.equal(scheduler.cooldownCounter, 2);
    assert.equal(scheduler.numBadEpochs, 0);
  });
});

describe('simulate input checks', () => {
  it('refuses absurd step counts with a clear message instead of hanging', () => {
    const result = simulateCase({ optimizer: { type: 'SGD' }, scheduler: { type: 'StepLR', kwargs: { step_size: 1 } }, steps: 1e12 });
    assert.equal(result.error?.phase, 'input');
    assert.match(result.error!.message, new RegExp(`at most ${MAX_STEPS.toLocaleString('en-US')} steps`));
  });

  it('reports malformed cases without throwing', () => {
    for (const bad of [null, 42, 'x', {}, { optimizer: {} }, { optimizer: { type: 'SGD' }, steps: -1 }, { optimizer: { type: 'SGD' }, steps: 2, plan: [[5]] }]) {
      const result = simulateCase(bad as unknown as ScheduleCase);
      assert.equal(result.error?.phase, 'input', JSON.stringify(bad));
    }
  });

  it('reports an unknown scheduler or optimizer by name', () => {
    const result = simulateCase({ optimizer: { type: 'SGD' }, scheduler: { type: 'WarmupLR' }, steps: 1 });
    assert.equal(result.error?.type, 'Unsupported');
    assert.match(result.error!.message, /Unknown scheduler 'WarmupLR'/);
  });
});
