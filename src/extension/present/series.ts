// The predicted get_last_lr() of one scheduler finding, as one series per parameter group.
import type { ScheduleCase, TraceRow } from '../../engine/case';
import type { SchedulerFinding } from '../../analysis/types';
import { traceNumber } from './numbers';

export interface LrSeries {
  /** What one round is: an epoch, or a batch when the scheduler steps in the batch loop. */
  unit: 'epoch' | 'step';
  /** Rounds the training loop runs (the x axis spans [0, rounds)). */
  rounds: number;
  epochs: number;
  stepsPerEpoch: number | null;
  /** groups[g][k]: get_last_lr()[g] during round k (after k scheduler steps). */
  groups: number[][];
  /** Set when torch raises while stepping: which scheduler.step() call (1-based) raises, and what. */
  failsAt: { step: number; type: string; message: string } | null;
}

export type SeriesSource = Pick<SchedulerFinding, 'type' | 'unit' | 'case' | 'trace' | 'error' | 'epochs' | 'stepsPerEpoch' | 'schedulerIndex'>;

/** Which `last_lr` column of the trace belongs to the finding's scheduler (when the analysis does not say). */
export function schedulerColumn(scheduleCase: ScheduleCase, type: string): number {
  if (scheduleCase.scheduler || !scheduleCase.schedulers?.length) return 0;
  const list = scheduleCase.schedulers;
  for (let i = list.length - 1; i >= 0; i--) if (list[i].type === type) return i;
  return list.length - 1;
}

function rowValues(row: TraceRow, column: number): number[] {
  // A scheduler without get_last_lr() (ReduceLROnPlateau before torch 2.2) has null there: the
  // optimizer's lr is what it would report.
  return (row.last_lr[column] ?? row.lr).map(traceNumber);
}

/** Null when there is nothing to show: unresolved, or torch raised at construction. */
export function lrSeries(finding: SeriesSource): LrSeries | null {
  const trace = finding.trace;
  if (!trace || trace.length === 0) return null;
  const rounds = finding.case.steps;
  const column = finding.schedulerIndex ?? schedulerColumn(finding.case, finding.type);
  const rows = trace.filter((row) => row.step < rounds);
  if (rows.length === 0) return null;
  const groupCount = rowValues(rows[0], column).length;
  const groups = Array.from({ length: groupCount }, (_, g) => rows.map((row) => rowValues(row, column)[g]));
  const error = finding.error;
  const failsAt = error && error.phase === 'step' ? { step: error.step, type: error.type, message: error.message } : null;
  return { unit: finding.unit, rounds, epochs: finding.epochs, stepsPerEpoch: finding.stepsPerEpoch, groups, failsAt };
}
