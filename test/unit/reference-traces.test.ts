// The engine against traces recorded with real torch 2.13 (scripts/record-traces.sh):
// every case of test/reference/cases/NAME.json must reproduce test/reference/traces/NAME.json
// to rtol 1e-12, with the same row count and the same error (phase, step, type, message).
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult, ScheduleCase } from '../../src/engine/case';
import { parseCaseJson } from '../../src/engine/caseJson';
import { simulateCase } from '../../src/engine/simulate';
import { compareResults, declinedByEngine, describeMismatch } from '../differential/compare';

const REFERENCE = join(__dirname, '..', 'reference');

interface TraceFile {
  torch: string;
  cases_sha256: string;
  results: CaseResult[];
}

/**
 * Cases with a str where torch expects a number: torch multiplies a str (TypeError some steps later)
 * or repeats it; the engine declines them up front, naming the argument (see declinedByEngine).
 */
const DECLINED = new Set(['step-gamma-string', 'OneCycleLR-pct-start-string', 'SWALR-swa-lr-string']);

const names = readdirSync(join(REFERENCE, 'cases'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length))
  .sort();

describe('reference traces recorded with real torch', () => {
  it('has a trace file for every cases file', () => {
    const traces = readdirSync(join(REFERENCE, 'traces')).filter((file) => file.endsWith('.json'));
    assert.deepEqual(traces.map((file) => file.slice(0, -'.json'.length)).sort(), names);
  });

  for (const name of names) {
    describe(name, () => {
      const raw = readFileSync(join(REFERENCE, 'cases', `${name}.json`));
      const cases = (parseCaseJson(raw.toString('utf8')) as { cases: ScheduleCase[] }).cases;
      const traces = JSON.parse(readFileSync(join(REFERENCE, 'traces', `${name}.json`), 'utf8')) as TraceFile;

      it('was recorded from this exact cases file with torch 2.13', () => {
        assert.ok(traces.torch.startsWith('2.13'), `recorded with torch ${traces.torch}`);
        const sha = createHash('sha256').update(raw).digest('hex');
        assert.equal(traces.cases_sha256, sha, `stale trace: run scripts/record-traces.sh ${name}`);
        assert.deepEqual(
          traces.results.map((result) => result.id),
          cases.map((c) => c.id ?? null),
        );
      });

      cases.forEach((c, index) => {
        it(String(c.id), () => {
          const expected = traces.results[index];
          const got = simulateCase(c);
          if (DECLINED.has(String(c.id))) {
            assert.ok(expected.error, 'torch raises for this case too');
            assert.ok(declinedByEngine(got), `expected the engine to decline, got ${JSON.stringify(got.error)}`);
            return;
          }
          const mismatch = compareResults(expected, got);
          if (mismatch) assert.fail(describeMismatch(String(c.id), mismatch));
        });
      });
    });
  }
});
