// Runs a schedule case as torch would: build the optimizer and schedulers, then each round call
// optimizer.step() and step the schedulers, recording param_groups after construction and each round.
import { buildOptimizer, buildScheduler } from './build';
import type { CaseError, CaseResult, ScheduleCase, TraceRow } from './case';
import { typeError } from './errors';
import { isFrameworkCase, simulateFrameworkCase } from './frameworks';
import { caseError, traceNumber } from './trace';
import type { Optimizer } from './optimizers';
import type { Float } from './python/values';
import { ChainedScheduler, LRScheduler, ReduceLROnPlateau, SequentialLR } from './schedulers';

/** More rounds than this are refused: a million steps already take a noticeable moment to draw. */
export const MAX_STEPS = 1_000_000;

/**
 * A simulation that runs longer than this stops with an `Unsupported` error instead of stalling the
 * editor: only an expensive user lr_lambda (a long loop per call) gets near it.
 */
export const TIME_LIMIT_MS = 5_000;

/** Receives the state after construction (round 0) and after each completed round. */
export type RoundRecorder = (round: number, optimizer: Optimizer, schedulers: LRScheduler[]) => void;

/**
 * The one stepping loop: validates the case, builds the optimizer and schedulers, and calls `record`
 * for row 0 and after each round until the case ends or torch would raise. Returns that error, if any.
 * `simulateCase` records trace rows; the panel records into typed arrays to redraw within a frame.
 */
export function runCase(input: ScheduleCase, record: RoundRecorder): CaseError | null {
  const inputProblem = checkCase(input);
  if (inputProblem) return { phase: 'input', step: 0, type: 'ValueError', message: inputProblem };
  let optimizer: Optimizer;
  const schedulers: LRScheduler[] = [];
  try {
    optimizer = buildOptimizer(input.optimizer);
    for (const spec of input.schedulers ?? (input.scheduler ? [input.scheduler] : [])) schedulers.push(buildScheduler(spec, optimizer));
  } catch (error) {
    return caseError('construct', 0, error);
  }
  record(0, optimizer, schedulers);
  const all = schedulers.map((_, index) => index);
  const deadline = performance.now() + TIME_LIMIT_MS;
  for (let k = 1; k <= input.steps; k++) {
    if (k % 32 === 0 && performance.now() > deadline) {
      const message = `LR Lens stopped simulating at step ${k} of ${input.steps}: it took longer than ${TIME_LIMIT_MS / 1000} s (is an lr_lambda very expensive?)`;
      return { phase: 'step', step: k, type: 'Unsupported', message };
    }
    try {
      optimizer.step();
      for (const index of input.plan?.[k - 1] ?? all) {
        const epoch = input.epochs?.[k - 1];
        stepScheduler(schedulers[index], input.metrics?.[k - 1], epoch ?? null);
      }
    } catch (error) {
      return caseError('step', k, error);
    }
    record(k, optimizer, schedulers);
  }
  return null;
}

/** Runs a case (torch's schedulers, or a framework's: transformers, timm, Keras, optax); never throws. */
export function simulateCase(input: ScheduleCase): CaseResult {
  const id = typeof input?.id === 'string' ? input.id : input?.id == null ? null : String(input.id);
  const trace: TraceRow[] = [];
  const inputProblem = checkCase(input);
  if (inputProblem) return { id, trace, error: { phase: 'input', step: 0, type: 'ValueError', message: inputProblem } };
  if (isFrameworkCase(input)) return simulateFrameworkCase(input);
  const error = runCase(input, (round, optimizer, schedulers) => trace.push(traceRow(round, optimizer, schedulers)));
  return { id, trace, error };
}

function stepScheduler(scheduler: LRScheduler, metric: number | string | undefined, epoch: number | Float | null): void {
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

/** Problems with the case itself, which torch would never see; null when it is well formed. */
function checkCase(input: ScheduleCase): string | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'a case must be a JSON object';
  if (typeof input.optimizer?.type !== 'string') return 'case.optimizer.type must name a torch.optim optimizer, e.g. "SGD"';
  if (input.optimizer.groups !== undefined && !Array.isArray(input.optimizer.groups)) {
    return 'case.optimizer.groups must be a list of per-group overrides';
  }
  if (!Number.isInteger(input.steps) || input.steps < 0) return 'case.steps must be a non-negative integer';
  if (input.steps > MAX_STEPS) return `case.steps is ${input.steps}; LR Lens simulates at most ${MAX_STEPS.toLocaleString('en-US')} steps`;
  const specs = input.schedulers ?? (input.scheduler ? [input.scheduler] : []);
  if (!Array.isArray(specs)) return 'case.schedulers must be a list of scheduler specs';
  for (const key of ['metrics', 'epochs', 'plan'] as const) {
    if (input[key] !== undefined && !Array.isArray(input[key])) return `case.${key} must be a list`;
  }
  for (const round of input.plan ?? []) {
    if (!Array.isArray(round) || round.some((index) => !Number.isInteger(index) || index < 0 || index >= specs.length)) {
      return `case.plan entries must be lists of scheduler indices below ${specs.length}`;
    }
  }
  return null;
}



function traceRow(step: number, optimizer: Optimizer, schedulers: LRScheduler[]): TraceRow {
  const groups = optimizer.paramGroups;
  const row: TraceRow = {
    step,
    lr: groups.map((group) => traceNumber(group.lr)),
    last_lr: schedulers.map((scheduler) => scheduler.getLastLr().map(traceNumber)),
  };
  if (groups.every((group) => 'momentum' in group)) row.momentum = groups.map((group) => traceNumber(group.momentum as number));
  if (groups.every((group) => 'betas' in group)) {
    row.betas = groups.map((group) => [traceNumber((group.betas as number[])[0]), traceNumber((group.betas as number[])[1])]);
  }
  return row;
}
