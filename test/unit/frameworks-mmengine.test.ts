// mmengine's parameter schedulers against traces recorded by running mmengine's own scheduler classes and
// ParamSchedulerHook (scripts/record-mmengine-traces.sh, from a source checkout of open-mmlab/mmengine):
// every case of test/reference/frameworks/mmengine-cases.json must reproduce
// test/reference/frameworks/mmengine-traces.json: the same rows, the same error, and the same lr,
// momentum and betas to rtol 1e-12. mmengine computes in Python floats with the operations LR Lens
// repeats in the same order; the only slack is libm's cos and pow in the last bit.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseError, ScheduleCase, TraceNumber, TraceRow } from '../../src/engine/case';
import { parseCaseJson } from '../../src/engine/caseJson';
import { simulateCase } from '../../src/engine/simulate';

const REFERENCE = join(__dirname, '..', 'reference', 'frameworks');

interface TraceFile {
  versions: Record<string, string>;
  mmengine_commit: string | null;
  cases_sha256: string;
  results: { id: string; trace: TraceRow[]; error: CaseError | null }[];
}

function close(expected: TraceNumber, actual: TraceNumber): boolean {
  if (typeof expected === 'string' || typeof actual === 'string') return expected === actual;
  return expected === actual || Math.abs(expected - actual) <= 1e-12 * Math.abs(expected);
}

function compareValues(what: string, step: number, expected: TraceNumber[] | undefined, actual: TraceNumber[] | undefined): string | null {
  if ((expected === undefined) !== (actual === undefined)) return `step ${step}: ${what} ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
  if (!expected || !actual) return null;
  if (expected.length !== actual.length) return `step ${step}: ${actual.length} ${what} values, expected ${expected.length}`;
  for (let g = 0; g < expected.length; g++) {
    if (!close(expected[g], actual[g])) return `step ${step} group ${g}: ${what} ${actual[g]}, expected ${expected[g]}`;
  }
  return null;
}

function compareRow(expected: TraceRow, actual: TraceRow): string | null {
  if (expected.step !== actual.step) return `row step ${actual.step}, expected ${expected.step}`;
  assert.deepEqual(actual.last_lr, expected.last_lr);
  return (
    compareValues('lr', expected.step, expected.lr, actual.lr) ??
    compareValues('momentum', expected.step, expected.momentum, actual.momentum) ??
    compareValues('betas', expected.step, expected.betas?.flat(), actual.betas?.flat())
  );
}

describe('mmengine parameter schedulers against mmengine', () => {
  const raw = readFileSync(join(REFERENCE, 'mmengine-cases.json'));
  const cases = (parseCaseJson(raw.toString('utf8')) as { cases: ScheduleCase[] }).cases;
  const traces = JSON.parse(readFileSync(join(REFERENCE, 'mmengine-traces.json'), 'utf8')) as TraceFile;

  it('was recorded from this exact cases file, by mmengine itself', () => {
    const sha = createHash('sha256').update(raw).digest('hex');
    assert.equal(traces.cases_sha256, sha, 'stale trace: run scripts/record-mmengine-traces.sh MMENGINE_REPO');
    assert.deepEqual(
      traces.results.map((result) => result.id),
      cases.map((c) => c.id ?? null),
    );
    assert.ok(traces.versions.mmengine && traces.mmengine_commit);
  });

  cases.forEach((c, index) => {
    it(String(c.id), () => {
      const expected = traces.results[index];
      const actual = simulateCase(c);
      assert.deepEqual(actual.error && { ...actual.error }, expected.error);
      assert.equal(actual.trace.length, expected.trace.length, 'row count');
      expected.trace.forEach((row, k) => {
        const mismatch = compareRow(row, actual.trace[k]);
        if (mismatch) assert.fail(mismatch);
      });
    });
  });
});
