// Hugging Face transformers' schedules (transformers/optimization.py, 5.18): every one but plateau is
// torch's LambdaLR with one of the lambdas below, so lr = base_lr * lambda(step) exactly as torch computes it.
// The lambdas keep Python's float arithmetic and operation order; `get_scheduler` keeps its dispatch rules.
import { valueError } from '../errors';
import { pyCos, pyDiv, pyMod, pyPow } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { pyRepr, toNumber } from '../python/values';
import { LambdaLR } from '../schedulers/LambdaLR';
import type { LRScheduler } from '../schedulers/LRScheduler';
import { ReduceLROnPlateau } from '../schedulers/ReduceLROnPlateau';
import { bindKwargs, optional, ParamSpec, required, Signature, signature } from '../signature';

type Lambda = (step: number) => number;
type Kwargs = Record<string, unknown>;

/** `float(current_step) / float(max(1, num_warmup_steps))`: the warmup every schedule but one shares. */
const warmupFactor = (step: number, warmup: number) => pyDiv(step, Math.max(1, warmup));

/** Python's max(a, b): a unless b > a. */
const pyMax = (a: number, b: number) => (b > a ? b : a);

export function constantLambda(): Lambda {
  return () => 1;
}

export function constantWithWarmupLambda(numWarmupSteps: number): Lambda {
  return (step) => (step < numWarmupSteps ? pyDiv(step, Math.max(1.0, numWarmupSteps)) : 1.0);
}

export function linearWithWarmupLambda(numWarmupSteps: number, numTrainingSteps: number): Lambda {
  return (step) => {
    if (step < numWarmupSteps) return warmupFactor(step, numWarmupSteps);
    return pyMax(0.0, pyDiv(numTrainingSteps - step, Math.max(1, numTrainingSteps - numWarmupSteps)));
  };
}

/**
 * The cosine lambda. optimization.py defines `_get_cosine_schedule_with_warmup_lr_lambda` twice and the
 * second definition (with min_lr_rate=0.0) is the one every cosine schedule calls, so the factor always
 * goes through `factor * (1 - min_lr_rate) + min_lr_rate` and `max(0, factor)`.
 */
export function cosineWithWarmupLambda(numWarmupSteps: number, numTrainingSteps: number, numCycles: number, minLrRate = 0.0): Lambda {
  return (step) => {
    if (step < numWarmupSteps) return warmupFactor(step, numWarmupSteps);
    const progress = pyDiv(step - numWarmupSteps, Math.max(1, numTrainingSteps - numWarmupSteps));
    let factor = 0.5 * (1.0 + pyCos(Math.PI * numCycles * 2.0 * progress));
    factor = factor * (1 - minLrRate) + minLrRate;
    return pyMax(0, factor);
  };
}

export function cosineWithHardRestartsLambda(numWarmupSteps: number, numTrainingSteps: number, numCycles: number): Lambda {
  return (step) => {
    if (step < numWarmupSteps) return warmupFactor(step, numWarmupSteps);
    const progress = pyDiv(step - numWarmupSteps, Math.max(1, numTrainingSteps - numWarmupSteps));
    if (progress >= 1.0) return 0.0;
    return pyMax(0.0, 0.5 * (1.0 + pyCos(Math.PI * pyMod(numCycles * progress, 1.0))));
  };
}

export function polynomialDecayLambda(
  numWarmupSteps: number,
  numTrainingSteps: number,
  lrEnd: number,
  power: number,
  lrInit: number,
): Lambda {
  return (step) => {
    if (step < numWarmupSteps) return warmupFactor(step, numWarmupSteps);
    if (step > numTrainingSteps) return pyDiv(lrEnd, lrInit);
    const lrRange = lrInit - lrEnd;
    const decaySteps = numTrainingSteps - numWarmupSteps;
    const pctRemaining = 1 - pyDiv(step - numWarmupSteps, decaySteps, true);
    const decay = lrRange * pyPow(pctRemaining, power) + lrEnd;
    return pyDiv(decay, lrInit);
  };
}

export function inverseSqrtLambda(numWarmupSteps: number, timescale: number): Lambda {
  return (step) => {
    if (step < numWarmupSteps) return warmupFactor(step, numWarmupSteps);
    const shift = timescale - numWarmupSteps;
    return pyDiv(1.0, Math.sqrt(pyDiv(step + shift, timescale)));
  };
}

/** cosine_warmup_with_min_lr: warmup from (step+1)/warmup (or warmup_lr_rate), and a cosine that starts one step later. */
export function cosineWarmupWithMinLrRateLambda(
  numWarmupSteps: number,
  numTrainingSteps: number,
  numCycles: number,
  minLrRate: number,
  warmupLrRate: number | null,
): Lambda {
  return (step) => {
    if (step < numWarmupSteps) {
      if (warmupLrRate === null) return pyDiv(step + 1.0, Math.max(1.0, numWarmupSteps));
      return warmupLrRate + pyDiv((1.0 - warmupLrRate) * step, Math.max(1, numWarmupSteps - 1));
    }
    const progress = pyDiv(step - numWarmupSteps + 1.0, Math.max(1.0, numTrainingSteps - numWarmupSteps));
    let factor = 0.5 * (1.0 + pyCos(Math.PI * numCycles * 2.0 * progress));
    factor = factor * (1 - minLrRate) + minLrRate;
    return pyMax(0, factor);
  };
}

export type WsdShape = 'linear' | 'cosine' | '1-sqrt';

export function wsdLambda(
  numWarmupSteps: number,
  numStableSteps: number,
  numDecaySteps: number,
  warmupType: WsdShape,
  decayType: WsdShape,
  minLrRatio: number,
  numCycles: number,
): Lambda {
  return (step) => {
    if (step < numWarmupSteps) {
      const progress = warmupFactor(step, numWarmupSteps);
      let factor: number;
      if (warmupType === 'linear') factor = progress;
      else if (warmupType === 'cosine') factor = 0.5 * (1.0 - pyCos(Math.PI * progress));
      else factor = 1.0 - Math.sqrt(1.0 - progress);
      factor = factor * (1.0 - minLrRatio) + minLrRatio;
      return pyMax(0.0, factor);
    }
    if (step < numWarmupSteps + numStableSteps) return 1.0;
    if (step < numWarmupSteps + numStableSteps + numDecaySteps) {
      const progress = pyDiv(step - numWarmupSteps - numStableSteps, Math.max(1, numDecaySteps));
      let factor: number;
      if (decayType === 'linear') factor = 1.0 - progress;
      else if (decayType === 'cosine') factor = 0.5 * (1.0 + pyCos(Math.PI * numCycles * 2.0 * progress));
      else factor = 1.0 - Math.sqrt(progress);
      factor = factor * (1.0 - minLrRatio) + minLrRatio;
      return pyMax(0.0, factor);
    }
    return minLrRatio;
  };
}

interface ScheduleFunction {
  signature: Signature;
  create(optimizer: Optimizer, options: Kwargs): LRScheduler;
}

const lambdaLR = (optimizer: Optimizer, lrLambda: Lambda, lastEpoch: unknown) =>
  // transformers' lambdas take the step as a number (a float step from step(2.0) reads the same).
  new LambdaLR(optimizer, { lrLambda: (step) => lrLambda(toNumber(step)), lastEpoch: toNumber(lastEpoch) });
const num = (value: unknown) => toNumber(value);
const optionalNum = (value: unknown) => (value === null || value === undefined ? null : toNumber(value));

/** The min_lr / min_lr_rate rule both min-lr cosines share. */
function minLrRate(optimizer: Optimizer, minLr: unknown, rate: unknown): number {
  if (minLr !== null && rate !== null) throw valueError('Only one of min_lr or min_lr_rate should be set');
  if (minLr !== null) return pyDiv(num(minLr), num(optimizer.defaults.lr));
  if (rate === null) throw valueError('One of min_lr or min_lr_rate should be set through the `lr_scheduler_kwargs`');
  return num(rate);
}

/** The cosine functions' leading arguments: `(num_warmup_steps, num_training_steps, num_cycles=numCyclesDefault, last_epoch=-1)`. */
const cosineParams = (numCyclesDefault: number): ParamSpec[] => [
  required('num_warmup_steps'),
  required('num_training_steps'),
  optional('num_cycles', numCyclesDefault),
  optional('last_epoch', -1),
];

/** `min_lr=None, min_lr_rate=None`: the min-lr cosines' arguments after cosineParams. */
const minLrParams = (): ParamSpec[] => [optional('min_lr', null, 'optional-number'), optional('min_lr_rate', null, 'optional-number')];

/** The bound cosineParams as the cosine lambdas take them. */
function cosineArgs(o: Kwargs): [numWarmupSteps: number, numTrainingSteps: number, numCycles: number] {
  return [num(o.numWarmupSteps), num(o.numTrainingSteps), num(o.numCycles)];
}

function wsdShape(kind: string, value: unknown): WsdShape {
  if (value === 'linear' || value === 'cosine' || value === '1-sqrt') return value;
  throw valueError(`Unknown ${kind} type: ${value}, expected 'linear', 'cosine' or '1-sqrt'`);
}

/** The public `get_*` schedule functions of transformers, by name, with their Python signatures. */
export const HF_SCHEDULE_FUNCTIONS: Record<string, ScheduleFunction> = {
  get_constant_schedule: {
    signature: signature('get_constant_schedule', [optional('last_epoch', -1)]),
    create: (optimizer, o) => lambdaLR(optimizer, constantLambda(), o.lastEpoch),
  },
  get_reduce_on_plateau_schedule: {
    signature: ReduceLROnPlateau.signature,
    create: (optimizer, o) => new ReduceLROnPlateau(optimizer, o),
  },
  get_constant_schedule_with_warmup: {
    signature: signature('get_constant_schedule_with_warmup', [required('num_warmup_steps'), optional('last_epoch', -1)]),
    create: (optimizer, o) => lambdaLR(optimizer, constantWithWarmupLambda(num(o.numWarmupSteps)), o.lastEpoch),
  },
  get_linear_schedule_with_warmup: {
    signature: signature('get_linear_schedule_with_warmup', [
      required('num_warmup_steps'),
      required('num_training_steps'),
      optional('last_epoch', -1),
    ]),
    create: (optimizer, o) => lambdaLR(optimizer, linearWithWarmupLambda(num(o.numWarmupSteps), num(o.numTrainingSteps)), o.lastEpoch),
  },
  get_cosine_schedule_with_warmup: {
    signature: signature('get_cosine_schedule_with_warmup', cosineParams(0.5)),
    create: (optimizer, o) => lambdaLR(optimizer, cosineWithWarmupLambda(...cosineArgs(o)), o.lastEpoch),
  },
  get_cosine_with_hard_restarts_schedule_with_warmup: {
    signature: signature('get_cosine_with_hard_restarts_schedule_with_warmup', cosineParams(1)),
    create: (optimizer, o) => lambdaLR(optimizer, cosineWithHardRestartsLambda(...cosineArgs(o)), o.lastEpoch),
  },
  get_polynomial_decay_schedule_with_warmup: {
    signature: signature('get_polynomial_decay_schedule_with_warmup', [
      required('num_warmup_steps'),
      required('num_training_steps'),
      optional('lr_end', 1e-7),
      optional('power', 1.0),
      optional('last_epoch', -1),
    ]),
    create: (optimizer, o) => {
      const lrInit = num(optimizer.defaults.lr);
      const lrEnd = num(o.lrEnd);
      if (!(lrInit > lrEnd)) throw valueError(`lr_end (${pyRepr(o.lrEnd)}) must be smaller than initial lr (${pyRepr(optimizer.defaults.lr)})`);
      return lambdaLR(optimizer, polynomialDecayLambda(num(o.numWarmupSteps), num(o.numTrainingSteps), lrEnd, num(o.power), lrInit), o.lastEpoch);
    },
  },
  get_inverse_sqrt_schedule: {
    signature: signature('get_inverse_sqrt_schedule', [required('num_warmup_steps'), optional('timescale', null, 'optional-number'), optional('last_epoch', -1)]),
    create: (optimizer, o) => {
      const warmup = num(o.numWarmupSteps);
      const timescale = o.timescale === null ? warmup || 10_000 : num(o.timescale);
      return lambdaLR(optimizer, inverseSqrtLambda(warmup, timescale), o.lastEpoch);
    },
  },
  get_cosine_with_min_lr_schedule_with_warmup: {
    signature: signature('get_cosine_with_min_lr_schedule_with_warmup', [...cosineParams(0.5), ...minLrParams()]),
    create: (optimizer, o) => {
      const rate = minLrRate(optimizer, o.minLr, o.minLrRate);
      return lambdaLR(optimizer, cosineWithWarmupLambda(...cosineArgs(o), rate), o.lastEpoch);
    },
  },
  get_cosine_with_min_lr_schedule_with_warmup_lr_rate: {
    signature: signature('get_cosine_with_min_lr_schedule_with_warmup_lr_rate', [
      ...cosineParams(0.5),
      ...minLrParams(),
      optional('warmup_lr_rate', null, 'optional-number'),
    ]),
    create: (optimizer, o) => {
      const rate = minLrRate(optimizer, o.minLr, o.minLrRate);
      const lambda = cosineWarmupWithMinLrRateLambda(...cosineArgs(o), rate, optionalNum(o.warmupLrRate));
      return lambdaLR(optimizer, lambda, o.lastEpoch);
    },
  },
  get_wsd_schedule: {
    signature: signature('get_wsd_schedule', [
      required('num_warmup_steps'),
      required('num_decay_steps'),
      optional('num_training_steps', null, 'optional-number'),
      optional('num_stable_steps', null, 'optional-number'),
      optional('warmup_type', 'linear', 'string'),
      optional('decay_type', 'cosine', 'string'),
      optional('min_lr_ratio', 0),
      optional('num_cycles', 0.5),
      optional('last_epoch', -1),
    ]),
    create: (optimizer, o) => {
      if (o.numTrainingSteps === null && o.numStableSteps === null) {
        throw valueError('Either num_training_steps or num_stable_steps must be specified.');
      }
      const warmupType = wsdShape('warmup', o.warmupType);
      const decayType = wsdShape('decay', o.decayType);
      const warmup = num(o.numWarmupSteps);
      const decay = num(o.numDecaySteps);
      const stable = o.numStableSteps === null ? num(o.numTrainingSteps) - warmup - decay : num(o.numStableSteps);
      return lambdaLR(optimizer, wsdLambda(warmup, stable, decay, warmupType, decayType, num(o.minLrRatio), num(o.numCycles)), o.lastEpoch);
    },
  },
};

/** `SchedulerType` values → the function `get_scheduler` dispatches to (TYPE_TO_SCHEDULER_FUNCTION). */
export const HF_SCHEDULER_TYPES: Record<string, string> = {
  linear: 'get_linear_schedule_with_warmup',
  cosine: 'get_cosine_schedule_with_warmup',
  cosine_with_restarts: 'get_cosine_with_hard_restarts_schedule_with_warmup',
  polynomial: 'get_polynomial_decay_schedule_with_warmup',
  constant: 'get_constant_schedule',
  constant_with_warmup: 'get_constant_schedule_with_warmup',
  inverse_sqrt: 'get_inverse_sqrt_schedule',
  reduce_lr_on_plateau: 'get_reduce_on_plateau_schedule',
  cosine_with_min_lr: 'get_cosine_with_min_lr_schedule_with_warmup',
  cosine_warmup_with_min_lr: 'get_cosine_with_min_lr_schedule_with_warmup_lr_rate',
  warmup_stable_decay: 'get_wsd_schedule',
};

/** The SchedulerType names transformers 5.18 knows but LR Lens does not model (they need live metrics). */
const HF_UNMODELLED_TYPES = new Set(['greedy']);

/** Calls one of the `get_*` functions with Python keyword arguments (snake_case). */
export function callHfScheduleFunction(name: string, optimizer: Optimizer, kwargs: Kwargs): LRScheduler {
  const fn = Object.prototype.hasOwnProperty.call(HF_SCHEDULE_FUNCTIONS, name) ? HF_SCHEDULE_FUNCTIONS[name] : undefined;
  if (!fn) throw valueError(`transformers has no schedule function '${name}'`);
  return fn.create(optimizer, bindKwargs(fn.signature, kwargs));
}

/** A transformers schedule by its case type (`get_scheduler` or a `get_*` function): a torch LRScheduler. */
export function createTransformersSchedule(name: string, optimizer: Optimizer, kwargs: Kwargs): LRScheduler {
  return name === 'get_scheduler' ? hfGetScheduler(optimizer, kwargs) : callHfScheduleFunction(name, optimizer, kwargs);
}

export const hfGetSchedulerSignature = signature('get_scheduler', [
  required('name', 'string'),
  optional('num_warmup_steps', null, 'optional-number'),
  optional('num_training_steps', null, 'optional-number'),
  optional('scheduler_specific_kwargs', null, 'any'),
]);

/** `transformers.get_scheduler(name, optimizer, num_warmup_steps, num_training_steps, scheduler_specific_kwargs)`. */
export function hfGetScheduler(optimizer: Optimizer, kwargs: Kwargs): LRScheduler {
  const o = bindKwargs(hfGetSchedulerSignature, kwargs);
  const name = o.name as string;
  const functionName = HF_SCHEDULER_TYPES[name];
  if (!functionName) {
    if (HF_UNMODELLED_TYPES.has(name)) throw valueError(`LR Lens does not model the '${name}' scheduler type (it reacts to live training metrics)`);
    throw valueError(`'${name}' is not a valid SchedulerType`);
  }
  const specific = (o.schedulerSpecificKwargs ?? {}) as Kwargs;
  if (name === 'constant') return callHfScheduleFunction(functionName, optimizer, {});
  if (name === 'reduce_lr_on_plateau') return callHfScheduleFunction(functionName, optimizer, specific);
  if (o.numWarmupSteps === null) throw valueError(`SchedulerType.${name.toUpperCase()} requires \`num_warmup_steps\`, please provide that argument.`);
  const warmup = { num_warmup_steps: o.numWarmupSteps };
  if (name === 'constant_with_warmup') return callHfScheduleFunction(functionName, optimizer, warmup);
  if (name === 'inverse_sqrt') return callHfScheduleFunction(functionName, optimizer, { ...warmup, ...specific });
  if (name === 'warmup_stable_decay') {
    return callHfScheduleFunction(functionName, optimizer, { ...warmup, num_training_steps: o.numTrainingSteps, ...specific });
  }
  if (o.numTrainingSteps === null) {
    throw valueError(`SchedulerType.${name.toUpperCase()} requires \`num_training_steps\`, please provide that argument.`);
  }
  return callHfScheduleFunction(functionName, optimizer, { ...warmup, num_training_steps: o.numTrainingSteps, ...specific });
}
