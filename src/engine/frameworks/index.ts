// Framework schedules as schedule cases: `case.scheduler.type` names the library and the function or
// class, e.g. "transformers.get_scheduler", "timm.CosineLRScheduler", "keras.CosineDecay",
// "optax.warmup_cosine_decay_schedule", with the library's own keyword arguments in `kwargs`.
// `simulateFrameworkCase` runs one the way the library is driven in training and records the same trace
// rows as `simulate`: row 0 after construction, row k after the k-th optimizer step.
import { buildOptimizer } from '../build';
import { caseError, traceNumber } from '../trace';
import type { CaseResult, ScheduleCase, SchedulerSpec, TraceNumber, TraceRow } from '../case';
import { typeError, valueError } from '../errors';
import type { Optimizer } from '../optimizers/Optimizer';
import type { LRScheduler } from '../schedulers/LRScheduler';
import { ReduceLROnPlateau } from '../schedulers/ReduceLROnPlateau';
import type { Signature } from '../signature';
import { createKerasSchedule, KERAS_SIGNATURES } from './keras';
import { initSignature as mmengineInitSignature, MMENGINE_PARAM_SCHEDULER, MMENGINE_SCHEDULER_TYPES, simulateMmengineCase } from './mmengine';
import { createOptaxSchedule, OPTAX_SIGNATURES } from './optax';
import { createSchedulerV2Signature, createTimmScheduler, TimmScheduler, timmCreateSchedulerV2, TIMM_SCHEDULERS } from './timm';
import { createTransformersSchedule, hfGetSchedulerSignature, HF_SCHEDULE_FUNCTIONS } from './transformers';

export type FrameworkLibrary = 'transformers' | 'timm' | 'keras' | 'optax' | 'mmengine';
const LIBRARIES: FrameworkLibrary[] = ['transformers', 'timm', 'keras', 'optax', 'mmengine'];

/** The library a scheduler type belongs to ("timm.CosineLRScheduler" → "timm"), or null for torch's own. */
export function frameworkOf(type: string): FrameworkLibrary | null {
  const prefix = type.split('.')[0];
  return (LIBRARIES as string[]).includes(prefix) && type.includes('.') ? (prefix as FrameworkLibrary) : null;
}

/**
 * True when a case's scheduler comes from a framework (then run it with simulateFrameworkCase). transformers'
 * schedules are torch LRSchedulers, so one built on the same optimizer as torch's runs with them as torch's do.
 */
export function isFrameworkCase(input: ScheduleCase): boolean {
  const specs = input.scheduler ? [input.scheduler] : (input.schedulers ?? []);
  const libraries = specs.map((spec) => (typeof spec?.type === 'string' ? frameworkOf(spec.type) : null));
  if (specs.length > 1 && libraries.every((library) => library === null || library === 'transformers')) return false;
  return libraries[0] !== null && libraries[0] !== undefined;
}

/**
 * The keyword arguments a framework schedule type takes, as its runner binds them; null for unknown types.
 * mmengine's are per scheduler class ("mmengine.LinearLR"): "mmengine.param_scheduler" takes a list of them.
 */
export function frameworkSignature(type: string): Signature | null {
  const library = frameworkOf(type);
  const name = type.slice(type.indexOf('.') + 1);
  const own = <T>(table: Record<string, T>): T | null => (Object.prototype.hasOwnProperty.call(table, name) ? table[name] : null);
  switch (library) {
    case 'transformers':
      return name === 'get_scheduler' ? hfGetSchedulerSignature : (own(HF_SCHEDULE_FUNCTIONS)?.signature ?? null);
    case 'timm':
      return name === 'create_scheduler_v2' ? createSchedulerV2Signature : (own(TIMM_SCHEDULERS)?.signature ?? null);
    case 'keras':
      return own(KERAS_SIGNATURES);
    case 'optax':
      return own(OPTAX_SIGNATURES);
    case 'mmengine': {
      const registered = own(MMENGINE_SCHEDULER_TYPES);
      return registered && mmengineInitSignature(registered);
    }
    default:
      return null;
  }
}

/** Where the noisy lr of a timm schedule can fall at a step: per group, low ≤ lr ≤ high. */
export interface NoiseBandRow {
  step: number;
  low: TraceNumber[];
  high: TraceNumber[];
}

export interface FrameworkCaseResult extends CaseResult {
  /** timm only: the rows where noise is drawn; the trace holds the noise-free lr. */
  noise_band?: NoiseBandRow[];
}

/** One framework schedule driven the way its library is in training. */
interface Runner {
  lrs(): number[];
  lastLr(): TraceNumber[] | null;
  advance(round: number, metric: unknown): void;
  band?(round: number): [number, number] | null;
}

function torchRunner(scheduler: LRScheduler, optimizer: Optimizer): Runner {
  return {
    lrs: () => optimizer.paramGroups.map((group) => group.lr),
    lastLr: () => scheduler.getLastLr().map(traceNumber),
    advance: (_round, metric) => {
      optimizer.step();
      if (scheduler instanceof ReduceLROnPlateau) {
        if (metric === undefined) throw typeError("ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'");
        scheduler.step(metric);
      } else {
        scheduler.step();
      }
    },
  };
}

/** timm's train.py: `step(epoch)` at each epoch end, or `step_update(num_updates)` after each update. */
function timmRunner(scheduler: TimmScheduler): Runner {
  return {
    lrs: () => scheduler.currentLrs(),
    lastLr: () => null,
    advance: (round, metric) => scheduler.advance(round, metric === undefined ? null : (metric as number)),
    band: (round) => scheduler.noiseBand(round),
  };
}

/** Keras and optax schedules are evaluated at the optimizer's iteration count (0 for the first update). */
function functionRunner(schedule: (step: number) => number, optimizer: Optimizer): Runner {
  let step = 0;
  const value = () => optimizer.paramGroups.map(() => schedule(step));
  return {
    lrs: value,
    lastLr: () => null,
    advance: (round) => {
      step = round;
    },
  };
}

function kwargsOf(spec: SchedulerSpec): Record<string, unknown> {
  const kwargs = spec.kwargs ?? {};
  if (typeof kwargs !== 'object' || Array.isArray(kwargs)) throw valueError('case.scheduler.kwargs must be an object');
  return kwargs as Record<string, unknown>;
}

function buildRunner(spec: SchedulerSpec, optimizer: Optimizer): Runner {
  const library = frameworkOf(spec.type);
  const name = spec.type.slice(spec.type.indexOf('.') + 1);
  const kwargs = kwargsOf(spec);
  switch (library) {
    case 'transformers':
      return torchRunner(createTransformersSchedule(name, optimizer, kwargs), optimizer);
    case 'timm':
      if (name === 'create_scheduler_v2') return timmRunner(timmCreateSchedulerV2(optimizer, kwargs).scheduler);
      return timmRunner(createTimmScheduler(name, optimizer, kwargs));
    case 'keras': {
      const schedule = createKerasSchedule(name, kwargs);
      return functionRunner((step) => schedule.call(step), optimizer);
    }
    case 'optax':
      return functionRunner(createOptaxSchedule(name, kwargs), optimizer);
    default:
      throw valueError(`'${spec.type}' is not a framework schedule`);
  }
}


/** Runs a framework case; like simulateCase it never throws and reports errors in the result. */
export function simulateFrameworkCase(input: ScheduleCase): FrameworkCaseResult {
  const id = input.id == null ? null : String(input.id);
  const trace: TraceRow[] = [];
  const spec = input.scheduler ?? input.schedulers?.[0];
  if (!spec || (input.schedulers?.length ?? 1) !== 1) {
    return { id, trace, error: { phase: 'input', step: 0, type: 'ValueError', message: 'a framework case has exactly one scheduler' } };
  }
  if (!Number.isInteger(input.steps) || input.steps < 0) {
    return { id, trace, error: { phase: 'input', step: 0, type: 'ValueError', message: 'case.steps must be a non-negative integer' } };
  }
  // mmengine's schedulers are a list driven by training hooks, with their own loop.
  if (spec.type === MMENGINE_PARAM_SCHEDULER) return simulateMmengineCase(input);
  let runner: Runner;
  try {
    runner = buildRunner(spec, buildOptimizer(input.optimizer ?? { type: 'SGD', defaults: { lr: 0.1 } }));
  } catch (error) {
    return { id, trace, error: caseError('construct', 0, error) };
  }
  const bands: NoiseBandRow[] = [];
  const record = (step: number) => {
    const lrs = runner.lrs();
    trace.push({ step, lr: lrs.map(traceNumber), last_lr: [runner.lastLr()] });
    const band = step > 0 ? runner.band?.(step) : null;
    if (band) bands.push({ step, low: lrs.map((lr) => traceNumber(lr * band[0])), high: lrs.map((lr) => traceNumber(lr * band[1])) });
  };
  record(0);
  for (let k = 1; k <= input.steps; k++) {
    try {
      runner.advance(k, input.metrics?.[k - 1]);
    } catch (error) {
      return { id, trace, error: caseError('step', k, error), ...(bands.length ? { noise_band: bands } : {}) };
    }
    record(k);
  }
  return { id, trace, error: null, ...(bands.length ? { noise_band: bands } : {}) };
}

export { createKerasSchedule, KERAS_SCHEDULE_NAMES, KERAS_SIGNATURES } from './keras';
export { MMENGINE_PARAM_SCHEDULER, MMENGINE_SCHEDULER_TYPES, simulateMmengineCase } from './mmengine';
export { createOptaxSchedule, OPTAX_SCHEDULE_NAMES, OPTAX_SIGNATURES } from './optax';
export { createTimmScheduler, timmCreateSchedulerV2, TIMM_SCHEDULERS } from './timm';
export { callHfScheduleFunction, hfGetScheduler, HF_SCHEDULER_TYPES, HF_SCHEDULE_FUNCTIONS } from './transformers';
