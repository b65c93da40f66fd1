// optax schedules (optax/schedules/_schedule.py and _join.py, 0.2.8) as functions of the optimizer's
// step count. optax keeps that count as an int32 array, so with JAX's default (x64 off) every array
// operation is float32 while arithmetic between plain Python numbers stays float64 until it meets an
// array; both are kept here, in the library's operation order (see float32.ts for the tolerance).
import { typeError, valueError } from '../errors';
import { isPyInt, pyRepr, toNumber } from '../python/values';
import { optional, ParamSpec, required, Signature, signature } from '../signature';
import * as F from './float32';

/** A schedule of the int32 step count. */
export type OptaxSchedule = (count: number) => number;

type Kwargs = Record<string, unknown>;

function num(kwargs: Kwargs, name: string, fallback?: number): number {
  const value = kwargs[name] ?? fallback;
  if (typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'object' && value !== null && 'value' in value)) {
    return toNumber(value);
  }
  throw valueError(`${name} must be a number, got ${pyRepr(value)}`);
}

/** `x ** y` of a float32 array: a Python int exponent is binary exponentiation (lax.integer_pow), a float one lax.pow. */
function arrayPow(x: number, y: unknown): number {
  if (!isPyInt(y)) return F.pow(x, toNumber(y));
  let n = toNumber(y);
  if (n === 0) return F.f32(1);
  const reciprocal = n < 0;
  if (reciprocal) n = -n;
  let acc: number | null = null;
  let base = F.f32(x);
  while (n > 0) {
    if (n & 1) acc = acc === null ? base : F.mul(acc, base);
    n >>= 1;
    if (n > 0) base = F.mul(base, base);
  }
  return reciprocal ? F.div(1, acc as number) : (acc as number);
}

/** int32 arithmetic on the count (wraps like the array would; counts here stay far below 2**31). */
const int32 = (x: number) => x | 0;

export function constantSchedule(value: number): OptaxSchedule {
  return () => value;
}

export function polynomialSchedule(initValue: number, endValue: number, power: unknown, transitionSteps: number, transitionBegin = 0): OptaxSchedule {
  if (transitionSteps <= 0) return () => initValue;
  if (transitionBegin < 0) transitionBegin = 0;
  return (count) => {
    const clipped = Math.min(Math.max(int32(count - transitionBegin), 0), transitionSteps);
    const frac = F.sub(1, F.div(clipped, transitionSteps));
    return F.add(F.mul(initValue - endValue, arrayPow(frac, power)), endValue);
  };
}

export function linearSchedule(initValue: number, endValue: number, transitionSteps: number, transitionBegin = 0): OptaxSchedule {
  return polynomialSchedule(initValue, endValue, 1, transitionSteps, transitionBegin);
}

/** `boundaries_and_scales` as optax sorts it: numeric keys (a JSON object's keys are strings). */
function sortedBoundaries(value: unknown): [number, number][] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object' || Array.isArray(value)) throw valueError('boundaries_and_scales must be a dict of step: scale');
  return Object.entries(value as Record<string, unknown>)
    .map(([key, scale]) => [Number(key), toNumber(scale)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
}

export function piecewiseConstantSchedule(initValue: number, boundariesAndScales: unknown): OptaxSchedule {
  const entries = sortedBoundaries(boundariesAndScales);
  if (entries.some(([, scale]) => !(scale >= 0.0))) throw valueError('`piecewise_constant_schedule` expects non-negative scale factors');
  return (count) => {
    let v = initValue;
    for (const [threshold, scale] of entries) {
      const indicator = F.f32(Math.max(0, Math.sign(int32(threshold - count))));
      v = F.add(F.mul(v, indicator), F.mul(F.mul(F.sub(1, indicator), scale), v));
    }
    return v;
  };
}

export function exponentialDecay(
  initValue: number,
  transitionSteps: number,
  decayRate: number,
  transitionBegin = 0,
  staircase = false,
  endValue: number | null = null,
): OptaxSchedule {
  if (transitionSteps <= 0 || decayRate === 0) return () => initValue;
  if (transitionBegin < 0) transitionBegin = 0;
  const clip = decayRate < 1.0 ? F.max : F.min;
  return (count) => {
    const decreasedCount = int32(count - transitionBegin);
    let p = F.div(decreasedCount, transitionSteps);
    if (staircase) p = F.floor(p);
    let decayed = decreasedCount <= 0 ? F.f32(initValue) : F.mul(initValue, F.pow(decayRate, p));
    if (endValue !== null) decayed = clip(decayed, endValue);
    return decayed;
  };
}

export function cosineDecaySchedule(initValue: number, decaySteps: number, alpha = 0.0, exponent: unknown = 1.0): OptaxSchedule {
  if (!(decaySteps > 0)) throw valueError(`The cosine_decay_schedule requires positive decay_steps, got decay_steps=${pyRepr(decaySteps)}.`);
  return (count) => {
    const clipped = F.min(count, decaySteps);
    const cosineDecay = F.mul(0.5, F.add(1, F.cos(F.div(F.mul(Math.PI, clipped), decaySteps))));
    const decayed = F.add(F.mul(1 - alpha, arrayPow(cosineDecay, exponent)), alpha);
    return F.mul(initValue, decayed);
  };
}

/** `join_schedules`: schedule i+1 takes over at boundary i, with the count shifted to start there. */
export function joinSchedules(schedules: OptaxSchedule[], boundaries: number[]): OptaxSchedule {
  return (step) => {
    let output = schedules[0](step);
    boundaries.forEach((boundary, i) => {
      if (!(step < boundary)) output = schedules[i + 1](int32(step - boundary));
    });
    return F.f32(output);
  };
}

export function warmupCosineDecaySchedule(
  initValue: number,
  peakValue: number,
  warmupSteps: number,
  decaySteps: number,
  endValue = 0.0,
  exponent: unknown = 1.0,
): OptaxSchedule {
  const alpha = peakValue === 0.0 ? 0.0 : endValue / peakValue;
  return joinSchedules(
    [linearSchedule(initValue, peakValue, warmupSteps), cosineDecaySchedule(peakValue, decaySteps - warmupSteps, alpha, exponent)],
    [warmupSteps],
  );
}

export function warmupExponentialDecaySchedule(
  initValue: number,
  peakValue: number,
  warmupSteps: number,
  transitionSteps: number,
  decayRate: number,
  transitionBegin = 0,
  staircase = false,
  endValue: number | null = null,
): OptaxSchedule {
  return joinSchedules(
    [linearSchedule(initValue, peakValue, warmupSteps), exponentialDecay(peakValue, transitionSteps, decayRate, transitionBegin, staircase, endValue)],
    [warmupSteps],
  );
}

export function warmupConstantSchedule(initValue: number, peakValue: number, warmupSteps: number): OptaxSchedule {
  return linearSchedule(initValue, peakValue, warmupSteps);
}

type Interpolate = (start: number, end: number, pct: number) => number;
const linearInterpolate: Interpolate = (start, end, pct) => F.add(F.mul(F.sub(end, start), pct), start);
const cosineInterpolate: Interpolate = (start, end, pct) =>
  F.add(end, F.mul(F.div(F.sub(start, end), 2.0), F.add(F.cos(F.mul(Math.PI, pct)), 1)));

/** Interpolates between the running products of the scales, one interval per boundary. */
export function piecewiseInterpolateSchedule(interpolateType: string, initValue: number, boundariesAndScales: unknown): OptaxSchedule {
  let interpolate: Interpolate;
  if (interpolateType === 'linear') interpolate = linearInterpolate;
  else if (interpolateType === 'cosine') interpolate = cosineInterpolate;
  else throw valueError("`interpolate_type` must be either 'cosine' or 'linear'");
  const entries = sortedBoundaries(boundariesAndScales);
  if (entries.some(([, scale]) => !(scale >= 0.0))) throw valueError('`piecewise_interpolate_schedule` expects non-negative scale factors');
  const bounds = [0, ...entries.map(([b]) => b)];
  const values: number[] = [F.f32(initValue)];
  for (const [, scale] of entries) values.push(F.mul(values[values.length - 1], scale));
  return (count) => {
    let result = F.f32(0);
    for (let i = 0; i + 1 < bounds.length; i++) {
      if (bounds[i] <= count && count < bounds[i + 1]) {
        const pct = F.div(int32(count - bounds[i]), Math.max(bounds[i + 1] - bounds[i], 1));
        result = F.add(result, interpolate(values[i], values[i + 1], pct));
      }
    }
    if (bounds[bounds.length - 1] <= count) result = F.add(result, values[values.length - 1]);
    return result;
  };
}

/** Python's dict literal with int keys: a repeated key keeps its first position and its last value. */
function boundaryDict(pairs: [number, number][]): Record<string, number> {
  const dict: Record<string, number> = {};
  for (const [key, value] of pairs) dict[String(key)] = value;
  return dict;
}

export function linearOnecycleSchedule(
  transitionSteps: number,
  peakValue: number,
  pctStart = 0.3,
  pctFinal = 0.85,
  divFactor = 25.0,
  finalDivFactor = 1e4,
): OptaxSchedule {
  if (transitionSteps <= 0) throw valueError('A linear onecycle schedule was set with a non-positive `transition_steps`');
  return piecewiseInterpolateSchedule(
    'linear',
    peakValue / divFactor,
    boundaryDict([
      [Math.trunc(pctStart * transitionSteps), divFactor],
      [Math.trunc(pctFinal * transitionSteps), 1.0 / divFactor],
      [transitionSteps, 1.0 / finalDivFactor],
    ]),
  );
}

export function cosineOnecycleSchedule(transitionSteps: number, peakValue: number, pctStart = 0.3, divFactor = 25.0, finalDivFactor = 1e4): OptaxSchedule {
  if (transitionSteps <= 0) throw valueError('A linear onecycle schedule was set with a non-positive `transition_steps`');
  return piecewiseInterpolateSchedule(
    'cosine',
    peakValue / divFactor,
    boundaryDict([
      [Math.trunc(pctStart * transitionSteps), divFactor],
      [Math.trunc(transitionSteps), 1.0 / (divFactor * finalDivFactor)],
    ]),
  );
}

/** `sgdr_schedule(cosine_kwargs)`: warmup-cosine cycles back to back, each `decay_steps` long. */
export function sgdrSchedule(cosineKwargs: Kwargs[]): OptaxSchedule {
  const boundaries: number[] = [];
  const schedules: OptaxSchedule[] = [];
  let step = 0;
  for (const kwargs of cosineKwargs) {
    schedules.push(createOptaxSchedule('warmup_cosine_decay_schedule', kwargs));
    boundaries.push(step + num(kwargs, 'decay_steps'));
    step += num(kwargs, 'decay_steps');
  }
  return joinSchedules(schedules, boundaries.slice(0, -1));
}

interface OptaxFunction {
  params: string[];
  required: string[];
  create(kwargs: Kwargs): OptaxSchedule;
}

const optionalNum = (kwargs: Kwargs, name: string) => (kwargs[name] === null || kwargs[name] === undefined ? null : num(kwargs, name));

/** exponential_decay's arguments after init_value, which warmup_exponential_decay_schedule takes after warmup_steps. */
const exponentialDecaySignatureParams = (): ParamSpec[] => [
  required('transition_steps'),
  required('decay_rate'),
  optional('transition_begin', 0),
  optional('staircase', false, 'bool'),
  optional('end_value', null, 'optional-number'),
];
const EXPONENTIAL_DECAY_PARAMS = exponentialDecaySignatureParams().map((param) => param.py);

function exponentialDecayArgs(k: Kwargs): [transitionSteps: number, decayRate: number, transitionBegin: number, staircase: boolean, endValue: number | null] {
  return [num(k, 'transition_steps'), num(k, 'decay_rate'), num(k, 'transition_begin', 0), Boolean(k.staircase ?? false), optionalNum(k, 'end_value')];
}

export const OPTAX_SCHEDULES: Record<string, OptaxFunction> = {
  constant_schedule: { params: ['value'], required: ['value'], create: (k) => constantSchedule(num(k, 'value')) },
  linear_schedule: {
    params: ['init_value', 'end_value', 'transition_steps', 'transition_begin'],
    required: ['init_value', 'end_value', 'transition_steps'],
    create: (k) => linearSchedule(num(k, 'init_value'), num(k, 'end_value'), num(k, 'transition_steps'), num(k, 'transition_begin', 0)),
  },
  polynomial_schedule: {
    params: ['init_value', 'end_value', 'power', 'transition_steps', 'transition_begin'],
    required: ['init_value', 'end_value', 'power', 'transition_steps'],
    create: (k) => polynomialSchedule(num(k, 'init_value'), num(k, 'end_value'), k.power, num(k, 'transition_steps'), num(k, 'transition_begin', 0)),
  },
  piecewise_constant_schedule: {
    params: ['init_value', 'boundaries_and_scales'],
    required: ['init_value'],
    create: (k) => piecewiseConstantSchedule(num(k, 'init_value'), k.boundaries_and_scales),
  },
  exponential_decay: {
    params: ['init_value', ...EXPONENTIAL_DECAY_PARAMS],
    required: ['init_value', 'transition_steps', 'decay_rate'],
    create: (k) => exponentialDecay(num(k, 'init_value'), ...exponentialDecayArgs(k)),
  },
  cosine_decay_schedule: {
    params: ['init_value', 'decay_steps', 'alpha', 'exponent'],
    required: ['init_value', 'decay_steps'],
    create: (k) => cosineDecaySchedule(num(k, 'init_value'), num(k, 'decay_steps'), num(k, 'alpha', 0.0), k.exponent ?? 1.0),
  },
  warmup_cosine_decay_schedule: {
    params: ['init_value', 'peak_value', 'warmup_steps', 'decay_steps', 'end_value', 'exponent'],
    required: ['init_value', 'peak_value', 'warmup_steps', 'decay_steps'],
    create: (k) =>
      warmupCosineDecaySchedule(
        num(k, 'init_value'),
        num(k, 'peak_value'),
        num(k, 'warmup_steps'),
        num(k, 'decay_steps'),
        num(k, 'end_value', 0.0),
        k.exponent ?? 1.0,
      ),
  },
  warmup_exponential_decay_schedule: {
    params: ['init_value', 'peak_value', 'warmup_steps', ...EXPONENTIAL_DECAY_PARAMS],
    required: ['init_value', 'peak_value', 'warmup_steps', 'transition_steps', 'decay_rate'],
    create: (k) => warmupExponentialDecaySchedule(num(k, 'init_value'), num(k, 'peak_value'), num(k, 'warmup_steps'), ...exponentialDecayArgs(k)),
  },
  warmup_constant_schedule: {
    params: ['init_value', 'peak_value', 'warmup_steps'],
    required: ['init_value', 'peak_value', 'warmup_steps'],
    create: (k) => warmupConstantSchedule(num(k, 'init_value'), num(k, 'peak_value'), num(k, 'warmup_steps')),
  },
  piecewise_interpolate_schedule: {
    params: ['interpolate_type', 'init_value', 'boundaries_and_scales'],
    required: ['interpolate_type', 'init_value'],
    create: (k) => piecewiseInterpolateSchedule(String(k.interpolate_type), num(k, 'init_value'), k.boundaries_and_scales),
  },
  linear_onecycle_schedule: {
    params: ['transition_steps', 'peak_value', 'pct_start', 'pct_final', 'div_factor', 'final_div_factor'],
    required: ['transition_steps', 'peak_value'],
    create: (k) =>
      linearOnecycleSchedule(
        num(k, 'transition_steps'),
        num(k, 'peak_value'),
        num(k, 'pct_start', 0.3),
        num(k, 'pct_final', 0.85),
        num(k, 'div_factor', 25.0),
        num(k, 'final_div_factor', 1e4),
      ),
  },
  cosine_onecycle_schedule: {
    params: ['transition_steps', 'peak_value', 'pct_start', 'div_factor', 'final_div_factor'],
    required: ['transition_steps', 'peak_value'],
    create: (k) =>
      cosineOnecycleSchedule(
        num(k, 'transition_steps'),
        num(k, 'peak_value'),
        num(k, 'pct_start', 0.3),
        num(k, 'div_factor', 25.0),
        num(k, 'final_div_factor', 1e4),
      ),
  },
  sgdr_schedule: {
    params: ['cosine_kwargs'],
    required: ['cosine_kwargs'],
    create: (k) => {
      if (!Array.isArray(k.cosine_kwargs)) throw valueError('cosine_kwargs must be a list of dicts');
      return sgdrSchedule(k.cosine_kwargs as Kwargs[]);
    },
  },
  join_schedules: {
    params: ['schedules', 'boundaries'],
    required: ['schedules', 'boundaries'],
    create: (k) => {
      const parts = k.schedules;
      const boundaries = k.boundaries;
      if (!Array.isArray(parts) || !Array.isArray(boundaries)) throw valueError('join_schedules takes a list of schedules and a list of boundaries');
      const schedules = parts.map((part) => {
        const spec = part as { type?: unknown; kwargs?: Kwargs };
        if (typeof spec?.type !== 'string') throw valueError('each joined schedule must be {"type": NAME, "kwargs": {...}}');
        return createOptaxSchedule(spec.type.replace(/^optax\./, ''), spec.kwargs ?? {});
      });
      return joinSchedules(schedules, boundaries.map(toNumber));
    },
  },
};

export const OPTAX_SCHEDULE_NAMES = Object.keys(OPTAX_SCHEDULES);

/** The functions' arguments (OPTAX_SCHEDULES' params, in order) with the defaults their create() uses. */
export const OPTAX_SIGNATURES: Record<string, Signature> = {
  constant_schedule: signature('constant_schedule', [required('value')], []),
  linear_schedule: signature('linear_schedule', [required('init_value'), required('end_value'), required('transition_steps'), optional('transition_begin', 0)], []),
  polynomial_schedule: signature(
    'polynomial_schedule',
    [required('init_value'), required('end_value'), required('power'), required('transition_steps'), optional('transition_begin', 0)],
    [],
  ),
  piecewise_constant_schedule: signature('piecewise_constant_schedule', [required('init_value'), optional('boundaries_and_scales', null, 'any')], []),
  exponential_decay: signature('exponential_decay', [required('init_value'), ...exponentialDecaySignatureParams()], []),
  cosine_decay_schedule: signature('cosine_decay_schedule', [required('init_value'), required('decay_steps'), optional('alpha', 0.0), optional('exponent', 1.0)], []),
  warmup_cosine_decay_schedule: signature(
    'warmup_cosine_decay_schedule',
    [required('init_value'), required('peak_value'), required('warmup_steps'), required('decay_steps'), optional('end_value', 0.0), optional('exponent', 1.0)],
    [],
  ),
  warmup_exponential_decay_schedule: signature(
    'warmup_exponential_decay_schedule',
    [required('init_value'), required('peak_value'), required('warmup_steps'), ...exponentialDecaySignatureParams()],
    [],
  ),
  warmup_constant_schedule: signature('warmup_constant_schedule', [required('init_value'), required('peak_value'), required('warmup_steps')], []),
  piecewise_interpolate_schedule: signature(
    'piecewise_interpolate_schedule',
    [required('interpolate_type', 'string'), required('init_value'), optional('boundaries_and_scales', null, 'any')],
    [],
  ),
  linear_onecycle_schedule: signature(
    'linear_onecycle_schedule',
    [
      required('transition_steps'),
      required('peak_value'),
      optional('pct_start', 0.3),
      optional('pct_final', 0.85),
      optional('div_factor', 25.0),
      optional('final_div_factor', 1e4),
    ],
    [],
  ),
  cosine_onecycle_schedule: signature(
    'cosine_onecycle_schedule',
    [required('transition_steps'), required('peak_value'), optional('pct_start', 0.3), optional('div_factor', 25.0), optional('final_div_factor', 1e4)],
    [],
  ),
  sgdr_schedule: signature('sgdr_schedule', [required('cosine_kwargs', 'any')], []),
  join_schedules: signature('join_schedules', [required('schedules', 'any'), required('boundaries', 'number-list')], []),
};

/** An optax schedule from its function name (as exported by `optax`) and keyword arguments. */
export function createOptaxSchedule(name: string, kwargs: Kwargs): OptaxSchedule {
  const fn = OPTAX_SCHEDULES[name];
  if (!fn) throw valueError(`optax has no schedule '${name}' (LR Lens models ${OPTAX_SCHEDULE_NAMES.join(', ')})`);
  for (const key of Object.keys(kwargs)) {
    if (!fn.params.includes(key)) throw typeError(`${name}() got an unexpected keyword argument '${key}'`);
  }
  const missing = fn.required.filter((key) => !(key in kwargs));
  if (missing.length > 0) throw typeError(`${name}() missing required argument${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `'${m}'`).join(', ')}`);
  return fn.create(kwargs);
}
