// The engine's simulation for the panel's hot path: the same loop as simulateCase (src/engine/simulate.ts)
// but recording get_last_lr() and momentum into typed arrays instead of one trace object per round, so
// a 10,000-step schedule re-simulates within a frame. Validation, construction errors and any error
// while stepping come from simulateCase itself, so what the panel reports is exactly what it reports.
// test/unit/panel-simulateColumns.test.ts checks the columns against simulateCase on every reference case.
import { buildOptimizer, buildScheduler } from '../src/engine/build';
import type { CaseError, ScheduleCase } from '../src/engine/case';
import { typeError } from '../src/engine/errors';
import type { Optimizer } from '../src/engine/optimizers';
import { toNumber } from '../src/engine/python/values';
import { ChainedScheduler, LRScheduler, ReduceLROnPlateau, SequentialLR } from '../src/engine/schedulers';
import { simulateCase } from '../src/engine/simulate';

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

/** The same dispatch as simulate.ts's stepScheduler. */
function stepScheduler(scheduler: LRScheduler, metric: number | string | undefined, epoch: number | null): void {
  if (scheduler instanceof ReduceLROnPlateau) {
    if (metric === undefined) throw typeError("ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'");
    scheduler.step(metric, epoch ?? undefined);
  } else if (epoch === null) {
    scheduler.step();
  } else if (scheduler instanceof SequentialLR || scheduler instanceof ChainedScheduler) {
    throw typeError(`${scheduler.typeName}.step() takes 1 positional argument but 2 were given`);
  } else {
    scheduler.step(epoch);
  }
}

/** Columns from simulateCase's trace: the authoritative path, used when stepping raises. */
function fromTrace(input: ScheduleCase, column: number): Columns {
  const result = simulateCase(input);
  const rows = result.trace;
  const groups = rows[0]?.lr.length ?? 0;
  // Trace numbers are numbers, or "NaN"/"Infinity"/"-Infinity", which Number() reads back.
  const number = (value: unknown) => Number(value);
  const lr = Array.from({ length: groups }, (_, g) => Float64Array.from(rows, (row) => number((row.last_lr[column] ?? row.lr)[g])));
  const hasMomentum = rows.length > 0 && rows.every((row) => row.momentum !== undefined || row.betas !== undefined);
  const useBetas = rows[0]?.momentum === undefined && rows[0]?.betas !== undefined;
  const momentum = hasMomentum
    ? Array.from({ length: groups }, (_, g) => Float64Array.from(rows, (row) => number(row.momentum ? row.momentum[g] : row.betas![g][0])))
    : null;
  return { rows: rows.length, lr, momentum, momentumLabel: useBetas ? 'betas[0]' : 'momentum', error: result.error };
}

export function simulateColumns(input: ScheduleCase, column: number): Columns {
  // Input checks and construction exactly as simulateCase does them (no stepping: cheap).
  const checked = simulateCase({ ...input, steps: 0 });
  if (checked.error) return fromTrace({ ...input, steps: 0 }, column);
  let optimizer: Optimizer;
  const schedulers: LRScheduler[] = [];
  try {
    optimizer = buildOptimizer(input.optimizer);
    for (const spec of input.schedulers ?? (input.scheduler ? [input.scheduler] : [])) schedulers.push(buildScheduler(spec, optimizer));
  } catch {
    return fromTrace(input, column);
  }
  const groups = optimizer.paramGroups;
  const rows = input.steps + 1;
  const lr = groups.map(() => new Float64Array(rows));
  const useMomentum = groups.every((group) => 'momentum' in group);
  const useBetas = !useMomentum && groups.every((group) => 'betas' in group);
  const momentum = useMomentum || useBetas ? groups.map(() => new Float64Array(rows)) : null;
  const own = schedulers[column];
  const record = (k: number) => {
    const values = own ? own.getLastLr() : null;
    for (let g = 0; g < groups.length; g++) {
      lr[g][k] = values ? values[g] : groups[g].lr;
      if (momentum) momentum[g][k] = useMomentum ? (groups[g].momentum as number) : (groups[g].betas as number[])[0];
    }
  };
  record(0);
  const all = schedulers.map((_, index) => index);
  try {
    for (let k = 1; k <= input.steps; k++) {
      optimizer.step();
      for (const index of input.plan?.[k - 1] ?? all) {
        const epoch = input.epochs?.[k - 1];
        stepScheduler(schedulers[index], input.metrics?.[k - 1], epoch === undefined || epoch === null ? null : toNumber(epoch));
      }
      record(k);
    }
  } catch {
    // torch raises while stepping (e.g. OneCycleLR past total_steps): the engine's own trace and error.
    return fromTrace(input, column);
  }
  return { rows, lr, momentum, momentumLabel: useBetas ? 'betas[0]' : 'momentum', error: null };
}
