// Keras 3 learning-rate schedules (keras/src/optimizers/schedules/learning_rate_schedule.py, 3.15) as
// functions of the optimizer's iteration count, in float32 like the library (see float32.ts), keeping
// each schedule's operation order. A schedule is read from its constructor arguments or from the JSON
// of `keras.optimizers.schedules.serialize()`.
import { typeError, valueError } from '../errors';
import { isNumberLike, pyRepr, toNumber } from '../python/values';
import { optional, required, Signature, signature } from '../signature';
import * as F from './float32';

export interface KerasSchedule {
  readonly className: string;
  /** `schedule(step)`, as the float32 value the optimizer would use at that iteration. */
  call(step: number): number;
}

type Config = Record<string, unknown>;

function numberArg(config: Config, name: string, fallback?: number): number {
  const value = config[name] ?? fallback;
  if (isNumberLike(value)) return toNumber(value);
  throw valueError(`${name} must be a number, got ${pyRepr(value)}`);
}

function positive(config: Config, name: string): number {
  const value = numberArg(config, name);
  if (value <= 0) throw valueError(`Argument \`${name}\` must be > 0. Received: ${name}=${pyRepr(value)}`);
  return value;
}

function checkNames(className: string, config: Config, names: string[]): void {
  for (const key of Object.keys(config)) {
    if (!names.includes(key)) throw typeError(`${className}.__init__() got an unexpected keyword argument '${key}'`);
  }
}

/** ExponentialDecay and InverseTimeDecay: the same arguments, and the same `p = step / decay_steps`, floored when `staircase`. */
abstract class StaircaseDecay implements KerasSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(
    readonly className: string,
    config: Config,
  ) {
    checkNames(className, config, ['initial_learning_rate', 'decay_steps', 'decay_rate', 'staircase', 'name']);
    this.initialLearningRate = numberArg(config, 'initial_learning_rate');
    this.decaySteps = positive(config, 'decay_steps');
    this.decayRate = numberArg(config, 'decay_rate');
    this.staircase = Boolean(config.staircase ?? false);
  }

  protected progress(step: number): number {
    const p = F.div(step, this.decaySteps);
    return this.staircase ? F.floor(p) : p;
  }

  abstract call(step: number): number;
}

export class ExponentialDecay extends StaircaseDecay {
  constructor(config: Config) {
    super('ExponentialDecay', config);
  }

  call(step: number): number {
    return F.mul(this.initialLearningRate, F.pow(this.decayRate, this.progress(step)));
  }
}

export class PiecewiseConstantDecay implements KerasSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];

  constructor(config: Config) {
    checkNames(this.className, config, ['boundaries', 'values', 'name']);
    const boundaries = config.boundaries;
    const values = config.values;
    if (!Array.isArray(boundaries) || !Array.isArray(values)) throw valueError('boundaries and values must be lists');
    if (boundaries.length !== values.length - 1) {
      throw valueError(
        `The length of boundaries should be 1 less than the length of values. Received: boundaries=${pyRepr(boundaries)} of length ${boundaries.length}, and values=${pyRepr(values)} of length ${values.length}.`,
      );
    }
    this.boundaries = boundaries.map((b) => numberArg({ b }, 'b'));
    this.values = values.map((v) => numberArg({ v }, 'v'));
  }

  /** Keras sums indicator * value over the intervals, in float32. */
  call(step: number): number {
    const b = this.boundaries;
    const v = this.values;
    let result = F.f32(0);
    result = F.add(result, F.mul(step <= b[0] ? 1 : 0, v[0]));
    result = F.add(result, F.mul(step > b[b.length - 1] ? 1 : 0, v[v.length - 1]));
    for (let i = 0; i + 1 < b.length; i++) {
      result = F.add(result, F.mul(step > b[i] && step <= b[i + 1] ? 1 : 0, v[i + 1]));
    }
    return result;
  }
}

export class PolynomialDecay implements KerasSchedule {
  readonly className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;

  constructor(config: Config) {
    checkNames(this.className, config, ['initial_learning_rate', 'decay_steps', 'end_learning_rate', 'power', 'cycle', 'name']);
    this.initialLearningRate = numberArg(config, 'initial_learning_rate');
    this.decaySteps = positive(config, 'decay_steps');
    this.endLearningRate = numberArg(config, 'end_learning_rate', 0.0001);
    this.power = numberArg(config, 'power', 1.0);
    this.cycle = Boolean(config.cycle ?? false);
  }

  call(step: number): number {
    let globalStep = F.f32(step);
    let decaySteps = F.f32(this.decaySteps);
    if (this.cycle) {
      const multiplier = globalStep === 0 ? F.f32(1.0) : F.ceil(F.div(globalStep, this.decaySteps));
      decaySteps = F.mul(decaySteps, multiplier);
    } else {
      globalStep = F.min(globalStep, decaySteps);
    }
    const p = F.div(globalStep, decaySteps);
    return F.add(F.mul(F.sub(this.initialLearningRate, this.endLearningRate), F.pow(F.sub(1, p), this.power)), this.endLearningRate);
  }
}

export class InverseTimeDecay extends StaircaseDecay {
  constructor(config: Config) {
    super('InverseTimeDecay', config);
  }

  call(step: number): number {
    return F.div(this.initialLearningRate, F.add(1, F.mul(this.decayRate, this.progress(step))));
  }
}

export class CosineDecay implements KerasSchedule {
  readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(config: Config) {
    checkNames(this.className, config, ['initial_learning_rate', 'decay_steps', 'alpha', 'name', 'warmup_target', 'warmup_steps']);
    this.initialLearningRate = numberArg(config, 'initial_learning_rate');
    this.decaySteps = positive(config, 'decay_steps');
    this.alpha = numberArg(config, 'alpha', 0.0);
    this.warmupTarget = config.warmup_target === null || config.warmup_target === undefined ? null : numberArg(config, 'warmup_target');
    this.warmupSteps = numberArg(config, 'warmup_steps', 0);
  }

  /** `(1 - alpha)` is a Python float, so it is rounded to float32 once, after the subtraction. */
  private decay(step: number, decayFromLr: number): number {
    const completedFraction = F.div(step, this.decaySteps);
    const cosineDecayed = F.mul(0.5, F.add(1.0, F.cos(F.mul(Math.PI, completedFraction))));
    const decayed = F.add(F.mul(1 - this.alpha, cosineDecayed), this.alpha);
    return F.mul(decayFromLr, decayed);
  }

  call(step: number): number {
    const decaySteps = F.f32(this.decaySteps);
    if (this.warmupTarget === null) return this.decay(F.min(step, decaySteps), this.initialLearningRate);
    const warmupSteps = F.f32(this.warmupSteps);
    const globalStep = F.min(step, F.add(decaySteps, warmupSteps));
    if (globalStep < warmupSteps) {
      const completedFraction = F.div(globalStep, warmupSteps);
      const totalStepDelta = F.sub(this.warmupTarget, this.initialLearningRate);
      return F.add(F.mul(totalStepDelta, completedFraction), this.initialLearningRate);
    }
    return this.decay(F.sub(globalStep, warmupSteps), this.warmupTarget);
  }
}

export class CosineDecayRestarts implements KerasSchedule {
  readonly className = 'CosineDecayRestarts';
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;

  constructor(config: Config) {
    checkNames(this.className, config, ['initial_learning_rate', 'first_decay_steps', 't_mul', 'm_mul', 'alpha', 'name']);
    this.initialLearningRate = numberArg(config, 'initial_learning_rate');
    this.firstDecaySteps = positive(config, 'first_decay_steps');
    this.tMul = numberArg(config, 't_mul', 2.0);
    this.mMul = numberArg(config, 'm_mul', 1.0);
    this.alpha = numberArg(config, 'alpha', 0.0);
  }

  call(step: number): number {
    const tMul = F.f32(this.tMul);
    let completedFraction = F.div(step, this.firstDecaySteps);
    let iRestart: number;
    if (tMul === 1.0) {
      iRestart = F.floor(completedFraction);
      completedFraction = F.sub(completedFraction, iRestart);
    } else {
      iRestart = F.floor(F.div(F.log(F.sub(1.0, F.mul(completedFraction, F.sub(1.0, tMul)))), F.log(tMul)));
      const sumR = F.div(F.sub(1.0, F.pow(tMul, iRestart)), F.sub(1.0, tMul));
      completedFraction = F.div(F.sub(completedFraction, sumR), F.pow(tMul, iRestart));
    }
    const mFac = F.pow(this.mMul, iRestart);
    const cosineDecayed = F.mul(F.mul(0.5, mFac), F.add(1.0, F.cos(F.mul(Math.PI, completedFraction))));
    const decayed = F.add(F.mul(F.sub(1, this.alpha), cosineDecayed), this.alpha);
    return F.mul(this.initialLearningRate, decayed);
  }
}

const KERAS_SCHEDULES: Record<string, new (config: Config) => KerasSchedule> = {
  ExponentialDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  InverseTimeDecay,
  CosineDecay,
  CosineDecayRestarts,
};

export const KERAS_SCHEDULE_NAMES = Object.keys(KERAS_SCHEDULES);

/** Keras's arguments of a StaircaseDecay schedule; `name` defaults to the class name. */
function staircaseDecaySignature(className: string): Signature {
  return signature(
    `${className}.__init__`,
    [required('initial_learning_rate'), required('decay_steps'), required('decay_rate'), optional('staircase', false, 'bool'), optional('name', className, 'string')],
    [],
  );
}

/** The schedules' constructor arguments with Keras 3's defaults (the constructors above check the names). */
export const KERAS_SIGNATURES: Record<string, Signature> = {
  ExponentialDecay: staircaseDecaySignature('ExponentialDecay'),
  PiecewiseConstantDecay: signature(
    'PiecewiseConstantDecay.__init__',
    [required('boundaries', 'number-list'), required('values', 'number-list'), optional('name', 'PiecewiseConstant', 'string')],
    [],
  ),
  PolynomialDecay: signature(
    'PolynomialDecay.__init__',
    [
      required('initial_learning_rate'),
      required('decay_steps'),
      optional('end_learning_rate', 0.0001),
      optional('power', 1.0),
      optional('cycle', false, 'bool'),
      optional('name', 'PolynomialDecay', 'string'),
    ],
    [],
  ),
  InverseTimeDecay: staircaseDecaySignature('InverseTimeDecay'),
  CosineDecay: signature(
    'CosineDecay.__init__',
    [
      required('initial_learning_rate'),
      required('decay_steps'),
      optional('alpha', 0.0),
      optional('name', 'CosineDecay', 'string'),
      optional('warmup_target', null, 'optional-number'),
      optional('warmup_steps', 0),
    ],
    [],
  ),
  CosineDecayRestarts: signature(
    'CosineDecayRestarts.__init__',
    [
      required('initial_learning_rate'),
      required('first_decay_steps'),
      optional('t_mul', 2.0),
      optional('m_mul', 1.0),
      optional('alpha', 0.0),
      optional('name', 'SGDRDecay', 'string'),
    ],
    [],
  ),
};

/** A schedule from its class name and constructor arguments (the `config` of its serialized form). */
export function createKerasSchedule(className: string, config: Config): KerasSchedule {
  const cls = KERAS_SCHEDULES[className];
  if (!cls) throw valueError(`keras.optimizers.schedules has no schedule '${className}' (LR Lens models ${KERAS_SCHEDULE_NAMES.join(', ')})`);
  return new cls(config);
}
