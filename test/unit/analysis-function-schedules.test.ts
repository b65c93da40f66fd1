// Keras and optax schedules written in Python: test/fixtures/python/keras_optax_schedules.py writes five calls whose
// arguments are cases recorded from Keras and optax themselves (test/reference/frameworks/cases/; the engine's
// values for them are compared with the libraries' in frameworks-reference.test.ts). The analysis must read each
// call as that case's schedule, by parameter name (positional ones too), and show it over a horizon that holds
// the whole schedule, or over the settings' epochs × steps per epoch.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePython, initPythonAnalysis } from '../../src/analysis/analyzePython';
import { stringifyPython } from '../../src/analysis/python/pyJson';
import type { ScheduleCase } from '../../src/engine/case';
import { parseCaseJson } from '../../src/engine/caseJson';
import { simulateFrameworkCase } from '../../src/engine/frameworks';
import { finding, fixture } from '../fixtures/python/helpers';

const recorded = (library: string, id: string): ScheduleCase => {
  const { cases } = parseCaseJson(readFileSync(join(__dirname, '..', 'reference', 'frameworks', 'cases', `${library}.json`), 'utf8')) as { cases: ScheduleCase[] };
  const found = cases.find((c) => c.id === id);
  assert.ok(found, `${library} ${id}`);
  return found;
};

describe('Keras and optax schedules in Python source', () => {
  before(async () => {
    await initPythonAnalysis();
  });
  const source = fixture('keras_optax_schedules.py');

  const expected: [string, string, string][] = [
    ['decay', 'keras', 'exponential'],
    ['steps', 'keras', 'piecewise'],
    ['poly', 'keras', 'polynomial'],
    ['linear', 'optax', 'linear'],
    ['cubic', 'optax', 'polynomial-int-power'],
  ];
  for (const [variable, library, id] of expected) {
    it(`${variable}: the ${library} case recorded as "${id}"`, () => {
      const found = finding(analyzePython(source).schedulers, variable);
      const want = recorded(library, id);
      assert.deepEqual(found.unresolved, []);
      assert.equal(found.unit, 'step');
      assert.equal(stringifyPython(found.case.scheduler), stringifyPython(want.scheduler));
      // The whole schedule is shown: at least the steps the recording ran, whose values are the engine's for that case.
      assert.ok(found.case.steps >= want.steps - 10, `${found.case.steps} steps`);
      const rows = Math.min(found.case.steps, want.steps) + 1;
      assert.deepEqual(found.trace?.slice(0, rows).map((row) => row.lr), simulateFrameworkCase(want).trace.slice(0, rows).map((row) => row.lr));
      assert.match(found.assumptions?.[0] ?? '', /^steps = \d+ \(enough to show the whole schedule/);
    });
  }

  it('with the settings, runs epochs × steps per epoch', () => {
    const found = finding(analyzePython(source, { epochs: 3, stepsPerEpoch: 20 }).schedulers, 'linear');
    assert.equal(found.case.steps, 60);
    assert.deepEqual(found.assumptions, []);
  });
});
