// timm's schedulers called in Python source: test/fixtures/python/timm_schedulers.py writes four of the cases
// recorded from timm itself (test/reference/frameworks/cases/timm.json; frameworks-reference.test.ts compares the
// engine with timm's trace of each). The analysis must build exactly those cases from the source: the arguments
// by parameter name, the rounds from the loops (epochs, or updates when the scheduler counts them through
// step_update), and create_scheduler_v2's returned num_epochs.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePython, initPythonAnalysis } from '../../src/analysis/analyzePython';
import { stringifyPython } from '../../src/analysis/python/pyJson';
import type { ScheduleCase } from '../../src/engine/case';
import { parseCaseJson } from '../../src/engine/caseJson';
import { simulateCase } from '../../src/engine/simulate';
import { finding, fixture, py } from '../fixtures/python/helpers';

const recorded = (parseCaseJson(readFileSync(join(__dirname, '..', 'reference', 'frameworks', 'cases', 'timm.json'), 'utf8')) as { cases: ScheduleCase[] }).cases;
const recordedCase = (id: string) => {
  const found = recorded.find((c) => c.id === id);
  assert.ok(found, id);
  const { id: _, ...rest } = found;
  return rest;
};

describe('timm schedulers in Python source', () => {
  before(async () => {
    await initPythonAnalysis();
  });
  const findings = () => analyzePython(fixture('timm_schedulers.py')).schedulers;

  const expected: [string, string, 'epoch' | 'step'][] = [
    ['sched_a', 'cosine-warmup', 'epoch'],
    ['sched_b', 'cosine-updates', 'step'],
    ['sched_c', 'multistep', 'epoch'],
    ['sched_d', 'v2-cosine-defaults', 'epoch'],
  ];
  for (const [variable, id, unit] of expected) {
    it(`${variable}: the case recorded from timm as "${id}"`, () => {
      const found = finding(findings(), variable);
      assert.deepEqual(found.unresolved, []);
      assert.equal(found.unit, unit);
      // Floats and ints as Python wrote them (stringifyPython keeps `2.0`), part by part.
      const want = recordedCase(id);
      assert.equal(stringifyPython(found.case.scheduler), stringifyPython(want.scheduler));
      assert.equal(stringifyPython(found.case.optimizer), stringifyPython(want.optimizer));
      assert.equal(found.case.steps, want.steps);
      assert.deepEqual(Object.keys(found.case).sort(), Object.keys(want).sort());
      assert.deepEqual(found.trace, simulateCase(found.case).trace);
    });
  }

  it("reads PlateauLRScheduler's metric from step(epoch, metric), not the epoch", () => {
    const source = py`
      import torch
      from timm.scheduler import PlateauLRScheduler
      optimizer = torch.optim.SGD(params, lr=0.1)
      scheduler = PlateauLRScheduler(optimizer, decay_rate=0.5, patience_t=1, mode="min")
      for epoch in range(12):
          optimizer.step()
          scheduler.step(epoch + 1, 0.5)
    `;
    const found = finding(analyzePython(source).schedulers, 'scheduler');
    assert.deepEqual(found.metric, { source: 'code', expression: '0.5', description: 'the constant 0.5 passed to step()' });
    assert.deepEqual(found.case.metrics, Array.from({ length: 12 }, () => 0.5));
  });
});
