// The engine's simulation for the panel's hot path: runCase (src/engine/simulate.ts), the same loop
// simulateCase uses, recording get_last_lr() and momentum into typed arrays instead of one trace object
// per round, so a 10,000-step schedule re-simulates within a frame. Framework schedules (transformers,
// timm, Keras, optax) have their own runners: their trace rows are copied into the same columns.
import type { CaseError, ScheduleCase, TraceNumber, TraceRow } from '../src/engine/case';
import { isFrameworkCase } from '../src/engine/frameworks';
import { runCase, simulateCase } from '../src/engine/simulate';

export interface Columns {
  /** Rows recorded: construction (row 0) and each completed round. */
  rows: number;
  /** lr[g][k]: get_last_lr()[g] of the scheduler in `column` after k rounds. */
  lr: Float64Array[];
  /** momentum or betas[0] per group, when every group has one. */
  momentum: Float64Array[] | null;
  momentumLabel: 'momentum' | 'betas[0]';
  error: CaseError | null;
}

export function simulateColumns(input: ScheduleCase, column: number): Columns {
  if (input && typeof input === 'object' && isFrameworkCase(input)) return frameworkColumns(input);
  const capacity = Number.isInteger(input?.steps) && input.steps >= 0 ? input.steps + 1 : 0;
  let lr: Float64Array[] = [];
  let momentum: Float64Array[] | null = null;
  let useMomentum = false;
  let rows = 0;
  const error = runCase(input, (round, optimizer, schedulers) => {
    const groups = optimizer.paramGroups;
    if (round === 0) {
      lr = groups.map(() => new Float64Array(capacity));
      useMomentum = groups.every((group) => 'momentum' in group);
      const useBetas = !useMomentum && groups.every((group) => 'betas' in group);
      momentum = useMomentum || useBetas ? groups.map(() => new Float64Array(capacity)) : null;
    }
    const values = schedulers[column]?.getLastLr();
    for (let g = 0; g < groups.length; g++) {
      lr[g][round] = values ? values[g] : groups[g].lr;
      if (momentum) momentum[g][round] = useMomentum ? (groups[g].momentum as number) : (groups[g].betas as number[])[0];
    }
    rows = round + 1;
  });
  return {
    rows,
    lr: lr.map((column) => column.subarray(0, rows)),
    momentum: momentum ? (momentum as Float64Array[]).map((column) => column.subarray(0, rows)) : null,
    momentumLabel: useMomentum || momentum === null ? 'momentum' : 'betas[0]',
    error,
  };
}

/** Trace numbers are numbers, or "NaN"/"Infinity"/"-Infinity", which Number() reads back. */
const traceValue = (value: TraceNumber) => Number(value);

/** The lr per group, and the momentum or betas[0] where the rows hold them (mmengine's Momentum schedulers). */
function frameworkColumns(input: ScheduleCase): Columns {
  const { trace, error } = simulateCase(input);
  const groups = trace[0]?.lr.length ?? 0;
  const column = (value: (row: TraceRow, g: number) => TraceNumber) => Array.from({ length: groups }, (_, g) => Float64Array.from(trace, (row) => traceValue(value(row, g))));
  const lr = column((row, g) => row.lr[g]);
  const useMomentum = trace.length > 0 && trace.every((row) => row.momentum);
  const useBetas = !useMomentum && trace.length > 0 && trace.every((row) => row.betas);
  const momentum = useMomentum ? column((row, g) => row.momentum![g]) : useBetas ? column((row, g) => row.betas![g][0]) : null;
  return { rows: trace.length, lr, momentum, momentumLabel: useBetas ? 'betas[0]' : 'momentum', error };
}
