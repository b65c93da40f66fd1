// Framework schedules against traces recorded from the real libraries (scripts/record-framework-traces.sh):
// every case of test/reference/frameworks/cases/LIBRARY.json must reproduce
// test/reference/frameworks/traces/LIBRARY.json: the same rows, the same error, and the same lr
//  - transformers, timm: to rtol 1e-12. Both compute in Python floats (float64) with the same
//    operations in the same order; the only slack is libm (cos, pow, tanh) differing in the last bit.
//  - keras, optax: within 2 float32 ulps. Both compute in float32 on XLA (JAX backend); LR Lens rounds
//    every + - * / floor min max to float32 as XLA does, and cos/log/pow once from double precision, so
//    most values are bit-identical (the recording shows at most 1 ulp apart).
//  - keras schedules that branch with `ops.cond` (CosineDecay with warmup, CosineDecayRestarts): within
//    16 float32 ulps. JAX compiles both branches into one fused XLA computation, where XLA's own pow/log
//    and reassociated arithmetic differ by a few ulps, amplified by `1 + cos(x)` near its cancellation
//    (10 ulps is the most the recording shows).
//  - timm rows with noise: torch's RNG draws the noise, which LR Lens does not reproduce; the recorded
//    noisy lr must lie inside the band LR Lens reports for that row.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseError, ScheduleCase, TraceNumber, TraceRow } from '../../src/engine/case';
import { parseCaseJson } from '../../src/engine/caseJson';
import { ulp32 } from '../../src/engine/frameworks/float32';
import { FrameworkCaseResult, simulateFrameworkCase } from '../../src/engine/frameworks';
import { simulateCase } from '../../src/engine/simulate';
import { timmCreateSchedulerV2 } from '../../src/engine/frameworks/timm';
import { buildOptimizer } from '../../src/engine/build';

const REFERENCE = join(__dirname, '..', 'reference', 'frameworks');
/** Allowed difference in float32 ulps, by scheduler type; absent means rtol 1e-12 (float64 libraries). */
function float32Ulps(type: string, kwargs: Record<string, unknown>): number | null {
  if (type === 'keras.CosineDecayRestarts' || (type === 'keras.CosineDecay' && kwargs.warmup_target != null)) return 16;
  return type.startsWith('keras.') || type.startsWith('optax.') ? 2 : null;
}

interface RecordedResult {
  id: string | null;
  trace: TraceRow[];
  error: CaseError | null;
  num_epochs?: number;
}

interface TraceFile {
  versions: Record<string, string>;
  cases_sha256: string;
  results: RecordedResult[];
}

const libraries = readdirSync(join(REFERENCE, 'cases'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length))
  .sort();

function close(ulps: number | null, expected: TraceNumber, actual: TraceNumber): boolean {
  if (typeof expected === 'string' || typeof actual === 'string') return expected === actual;
  if (ulps !== null) return Math.abs(expected - actual) <= ulps * ulp32(expected);
  return Math.abs(expected - actual) <= 1e-12 * Math.abs(expected) || expected === actual;
}

function compareRow(ulps: number | null, expected: TraceRow, actual: TraceRow, band: { low: TraceNumber[]; high: TraceNumber[] } | undefined): string | null {
  if (expected.step !== actual.step) return `row step ${actual.step}, expected ${expected.step}`;
  if (expected.lr.length !== actual.lr.length) return `step ${expected.step}: ${actual.lr.length} groups, expected ${expected.lr.length}`;
  for (let g = 0; g < expected.lr.length; g++) {
    if (band) {
      const lr = expected.lr[g] as number;
      const [low, high] = [band.low[g] as number, band.high[g] as number];
      if (!(Math.min(low, high) <= lr && lr <= Math.max(low, high))) return `step ${expected.step} group ${g}: recorded noisy lr ${lr} outside [${low}, ${high}]`;
    } else if (!close(ulps, expected.lr[g], actual.lr[g])) {
      return `step ${expected.step} group ${g}: lr ${actual.lr[g]}, expected ${expected.lr[g]}`;
    }
  }
  const expectedLast = expected.last_lr[0];
  const actualLast = actual.last_lr[0];
  if ((expectedLast === null) !== (actualLast === null)) return `step ${expected.step}: last_lr ${JSON.stringify(actualLast)}, expected ${JSON.stringify(expectedLast)}`;
  if (expectedLast && actualLast && !band) {
    for (let g = 0; g < expectedLast.length; g++) {
      if (!close(ulps, expectedLast[g], actualLast[g])) return `step ${expected.step}: last_lr ${actualLast[g]}, expected ${expectedLast[g]}`;
    }
  }
  return null;
}

describe('framework schedules against the real libraries', () => {
  it('has a trace file for every cases file', () => {
    const traces = readdirSync(join(REFERENCE, 'traces')).filter((file) => file.endsWith('.json'));
    assert.deepEqual(traces.map((file) => file.slice(0, -'.json'.length)).sort(), libraries);
  });

  for (const library of libraries) {
    describe(library, () => {
      const raw = readFileSync(join(REFERENCE, 'cases', `${library}.json`));
      const cases = (parseCaseJson(raw.toString('utf8')) as { cases: ScheduleCase[] }).cases;
      const traces = JSON.parse(readFileSync(join(REFERENCE, 'traces', `${library}.json`), 'utf8')) as TraceFile;

      it('was recorded from this exact cases file', () => {
        const sha = createHash('sha256').update(raw).digest('hex');
        assert.equal(traces.cases_sha256, sha, `stale trace: run scripts/record-framework-traces.sh ${library}`);
        assert.deepEqual(
          traces.results.map((result) => result.id),
          cases.map((c) => c.id ?? null),
        );
      });

      cases.forEach((c, index) => {
        it(String(c.id), () => {
          const expected = traces.results[index];
          // A transformers schedule sharing an optimizer with torch's runs as torch's do: through simulateCase's routing.
          const actual: FrameworkCaseResult = c.schedulers ? simulateCase(c) : simulateFrameworkCase(c);
          assert.deepEqual(
            actual.error && { phase: actual.error.phase, step: actual.error.step, type: actual.error.type, message: actual.error.message },
            expected.error,
          );
          assert.equal(actual.trace.length, expected.trace.length, 'row count');
          const bands = new Map((actual.noise_band ?? []).map((row) => [row.step, row]));
          const ulps = float32Ulps(c.scheduler?.type ?? '', (c.scheduler?.kwargs ?? {}) as Record<string, unknown>);
          expected.trace.forEach((row, k) => {
            const mismatch = compareRow(ulps, row, actual.trace[k], bands.get(row.step));
            if (mismatch) assert.fail(mismatch);
          });
          if (expected.num_epochs !== undefined) {
            const kwargs = (c.scheduler?.kwargs ?? {}) as Record<string, unknown>;
            assert.equal(timmCreateSchedulerV2(buildOptimizer(c.optimizer), kwargs).numEpochs, expected.num_epochs, 'num_epochs');
          }
        });
      });
    });
  }
});
