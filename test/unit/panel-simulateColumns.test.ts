// The panel's columnar simulation must be simulateCase, only faster: on every reference case (the cases
// the engine is checked against real torch with), the columns equal the trace exactly, errors included.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScheduleCase } from '../../src/engine/case';
import { parseCaseJson } from '../../src/engine/caseJson';
import { simulateCase } from '../../src/engine/simulate';
import { simulateColumns } from '../../webview/simulateColumns';

const CASES = join(__dirname, '..', 'reference', 'cases');

describe('panel simulateColumns equals simulateCase', () => {
  for (const file of readdirSync(CASES).filter((name) => name.endsWith('.json')).sort()) {
    it(file, () => {
      const cases = (parseCaseJson(readFileSync(join(CASES, file), 'utf8')) as { cases: ScheduleCase[] }).cases;
      for (const scheduleCase of cases) {
        const what = `${file} ${scheduleCase.id ?? ''}`;
        const columnCount = (scheduleCase.schedulers ?? (scheduleCase.scheduler ? [scheduleCase.scheduler] : [])).length;
        const expected = simulateCase(scheduleCase);
        for (let column = 0; column < Math.max(1, columnCount); column++) {
          const columns = simulateColumns(scheduleCase, column);
          assert.deepEqual(columns.error, expected.error, `${what}: error`);
          assert.equal(columns.rows, expected.trace.length, `${what}: rows`);
          expected.trace.forEach((row, k) => {
            const lr = (row.last_lr[column] ?? row.lr).map(Number);
            columns.lr.forEach((values, g) => assert.ok(Object.is(values[k], lr[g]), `${what}: lr[${g}] at ${k}: ${values[k]} vs ${lr[g]}`));
            const momentum = row.momentum ?? row.betas?.map((pair) => pair[0]);
            if (momentum) columns.momentum!.forEach((values, g) => assert.ok(Object.is(values[k], Number(momentum[g])), `${what}: momentum at ${k}`));
            else assert.equal(columns.momentum, null);
          });
        }
      }
    });
  }
});
