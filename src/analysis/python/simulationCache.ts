// Engine runs keyed by the case, so that re-analysis after an edit that leaves a case unchanged reuses
// its trace, and a trace is only computed when something asks for it (a lens, a hover, the CLI).
import type { CaseResult, ScheduleCase } from '../../engine/case';
import { simulateCase } from '../../engine/simulate';
import { stringifyPython } from './pyJson';

const MAX_ENTRIES = 64;
const results = new Map<string, CaseResult>();

export function simulateCached(scheduleCase: ScheduleCase): CaseResult {
  const key = stringifyPython(scheduleCase);
  const cached = results.get(key);
  if (cached) {
    // Most recently used last.
    results.delete(key);
    results.set(key, cached);
    return cached;
  }
  const result = simulateCase(scheduleCase);
  results.set(key, result);
  if (results.size > MAX_ENTRIES) results.delete(results.keys().next().value as string);
  return result;
}
