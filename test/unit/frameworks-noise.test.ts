// timm's noise: LR Lens simulates the noise-free lr and reports the band the noisy lr falls in. The
// recorded real-timm traces must show noise (they differ from the noise-free lr) exactly at the steps
// the band covers, so the band is tested where it matters (frameworks-reference.test.ts checks containment).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScheduleCase, TraceRow } from '../../src/engine/case';
import { parseCaseJson } from '../../src/engine/caseJson';
import { frameworkOf, isFrameworkCase, simulateFrameworkCase } from '../../src/engine/frameworks';

const REFERENCE = join(__dirname, '..', 'reference', 'frameworks');

describe('framework cases', () => {
  it('name their library in the scheduler type', () => {
    assert.equal(frameworkOf('timm.CosineLRScheduler'), 'timm');
    assert.equal(frameworkOf('transformers.get_scheduler'), 'transformers');
    assert.equal(frameworkOf('StepLR'), null);
    assert.ok(isFrameworkCase({ optimizer: { type: 'SGD' }, scheduler: { type: 'optax.linear_schedule' }, steps: 1 }));
    assert.ok(!isFrameworkCase({ optimizer: { type: 'SGD' }, scheduler: { type: 'StepLR' }, steps: 1 }));
  });

  describe('timm noise band', () => {
    const cases = (parseCaseJson(readFileSync(join(REFERENCE, 'cases', 'timm.json'), 'utf8')) as { cases: ScheduleCase[] }).cases;
    const traces = JSON.parse(readFileSync(join(REFERENCE, 'traces', 'timm.json'), 'utf8')).results as { trace: TraceRow[] }[];
    for (const id of ['cosine-noise', 'v2-cosine-noise', 'plateau-noise-uniform']) {
      it(id, () => {
        const index = cases.findIndex((c) => c.id === id);
        const result = simulateFrameworkCase(cases[index]);
        const banded = new Set((result.noise_band ?? []).map((row) => row.step));
        assert.ok(banded.size > 0);
        // Noise moves the lr by up to noise_pct; libm may move it by an ulp.
        const noisy = (row: TraceRow, k: number) => Math.abs((row.lr[0] as number) - (result.trace[k].lr[0] as number)) > 1e-9 * Math.abs(row.lr[0] as number);
        traces[index].trace.forEach((row, k) => {
          if (noisy(row, k)) assert.ok(banded.has(row.step), `step ${row.step} is noisy in timm but has no band`);
        });
        const noisyRows = traces[index].trace.filter(noisy).length;
        assert.ok(noisyRows >= banded.size / 2, `only ${noisyRows} noisy rows for ${banded.size} banded ones`);
      });
    }
  });
});
