// Builds scheduler findings from the committed real-torch reference traces (test/reference), so the
// presentation tests run on values torch produced.
import { readFileSync } from 'fs';
import { join } from 'path';
import type { CaseResult, ScheduleCase } from '../../../src/engine/case';
import type { SeriesSource } from '../../../src/extension/present/series';

const REFERENCE = join(__dirname, '..', '..', 'reference');

export function referenceFinding(file: string, id: string): SeriesSource & { case: ScheduleCase } {
  const cases: ScheduleCase[] = JSON.parse(readFileSync(join(REFERENCE, 'cases', `${file}.json`), 'utf8')).cases;
  const results: CaseResult[] = JSON.parse(readFileSync(join(REFERENCE, 'traces', `${file}.json`), 'utf8')).results;
  const scheduleCase = cases.find((c) => c.id === id);
  const result = results.find((r) => r.id === id);
  if (!scheduleCase || !result) throw new Error(`reference case ${file}/${id} not found`);
  return {
    type: scheduleCase.scheduler?.type ?? scheduleCase.schedulers?.[0]?.type ?? 'unknown',
    unit: 'epoch',
    case: scheduleCase,
    trace: result.trace,
    error: result.error,
    epochs: scheduleCase.steps,
    stepsPerEpoch: null,
  };
}
