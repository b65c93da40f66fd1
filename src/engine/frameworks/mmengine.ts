// mmengine's parameter schedulers (mmengine/optim/scheduler/*.py, 0.11) as one framework case,
// "mmengine.param_scheduler", whose kwargs are the config's own pieces:
//   param_scheduler  the config's list of dicts (or one dict): `type` plus that class's arguments;
//   train_cfg        the train loop: `type` EpochBasedTrainLoop (max_epochs) / IterBasedTrainLoop
//                    (max_iters), or the older `by_epoch` key; val_begin / val_interval;
//   epoch_length     len(train_dataloader): iterations per epoch.
// The run is driven as mmengine's Runner and ParamSchedulerHook drive it: every dict's `end` defaults to
// max_epochs (by_epoch) or max_iters, `convert_to_iter_based` builds through build_iter_from_epoch, row 0
// is after the schedulers are built (each one's __init__ steps once), and row k after training
// iteration k: the iteration-based schedulers step, then at an epoch's end the epoch-based ones, then
// validation steps ReduceOnPlateau* with `metrics[j]` (the j-th validation's monitored value).
//
// One class per mmengine class, with its name: the *ParamScheduler classes hold the arithmetic (Python
// float, in mmengine's order of operations); the LR and Momentum classes are those with param_name
// "lr" / "momentum" (MomentumSchedulerMixin: beta_0 of Adam-style optimizers). The schedulers see
// BaseOptimWrapper's param_groups: with several groups, one more group of the optimizer's defaults.
import type { CaseResult, PyLike, ScheduleCase, TraceRow } from '../case';
import { buildOptimizer } from '../build';
import { keyError, PythonError, typeError, UnsupportedError, valueError } from '../errors';
import { pyCos, pyDiv, pyFloat, pyMod, pyPow } from '../numerics';
import type { Optimizer, ParamGroup } from '../optimizers/Optimizer';
import { isPyFloat, isPyInt, pyStr, toNumber } from '../python/values';
import { bindKwargs, optional, ParamSpec, required, signature, Signature } from '../signature';
import { caseError, traceNumber } from '../trace';

export const MMENGINE_PARAM_SCHEDULER = 'mmengine.param_scheduler';

/** mmengine's INF: int(1e9), the default `end`. */
const INF = 1e9;

type Kwargs = Record<string, unknown>;
type Group = Record<string, unknown>;

const assertionError = (message = '') => new PythonError('AssertionError', message);
function check(condition: boolean, message = ''): void {
  if (!condition) throw assertionError(message);
}

/** `group[name]`, with Python's KeyError when the group has no such key. */
function read(group: Group, name: string): number {
  if (!(name in group)) throw keyError(name);
  return group[name] as number;
}

const isNone = (value: unknown) => value === null || value === undefined;

/** mmengine.optim.BaseOptimWrapper as the schedulers see it. */
export class OptimWrapper {
  /** With several param groups, a group holding the optimizer's defaults, which the schedulers step too. */
  readonly baseParamSettings: Group | null;

  constructor(readonly optimizer: Optimizer) {
    this.baseParamSettings = optimizer.paramGroups.length > 1 ? { ...optimizer.defaults } : null;
  }

  get paramGroups(): Group[] {
    const groups = this.optimizer.paramGroups as Group[];
    return this.baseParamSettings ? [...groups, this.baseParamSettings] : groups;
  }

  get defaults(): Record<string, unknown> {
    return this.optimizer.defaults;
  }
}

const WINDOW_PARAMS: ParamSpec[] = [
  optional('begin', 0),
  optional('end', INF),
  optional('last_step', -1),
  optional('by_epoch', true, 'bool'),
  optional('verbose', false, 'bool'),
];

/** mmengine's `_ParamScheduler`: the [begin, end) window, the step counters and base values. */
export abstract class ParamScheduler {
  readonly begin: number;
  readonly end: number;
  readonly byEpoch: boolean;
  readonly baseValues: number[];
  lastStep: number;
  globalStep = -1;
  lastValue: number[] = [];

  constructor(readonly optimizer: OptimWrapper, readonly paramName: string, o: Kwargs, readonly typeName: string) {
    if (toNumber(o.end) <= toNumber(o.begin)) throw valueError(`end should be larger than begin, but got begin=${pyStr(o.begin)}, end=${pyStr(o.end)}`);
    this.begin = toNumber(o.begin);
    this.end = toNumber(o.end);
    this.checkByEpoch(o.byEpoch);
    this.byEpoch = Boolean(toNumber(o.byEpoch));
    check(isPyInt(o.lastStep) && toNumber(o.lastStep) >= -1);
    const initial = `initial_${paramName}`;
    const groups = optimizer.paramGroups;
    if (toNumber(o.lastStep) === -1) {
      for (const group of groups) {
        const value = read(group, paramName);
        if (!(initial in group)) group[initial] = value;
      }
    } else {
      groups.forEach((group, i) => {
        if (!(initial in group)) throw keyError(`param '${initial}' is not specified in param_groups[${i}] when resuming an optimizer`);
      });
    }
    this.baseValues = groups.map((group) => group[initial] as number);
    this.lastStep = toNumber(o.lastStep);
  }

  /** ReduceOnPlateauParamScheduler asserts by_epoch here; the others accept both. */
  protected checkByEpoch(_byEpoch: unknown): void {}

  /** Only ReduceOnPlateau* steps with the validation metrics. */
  get needValArgs(): boolean {
    return false;
  }

  protected values(): number[] {
    return this.optimizer.paramGroups.map((group) => read(group, this.paramName));
  }

  /** `_get_value()`: the new value per group, in mmengine's chainable form. */
  protected abstract getValue(): number[];

  step(_metrics?: Record<string, number>): void {
    this.globalStep += 1;
    if (this.begin <= this.globalStep && this.globalStep < this.end) {
      this.lastStep += 1;
      const values = this.getValue();
      const groups = this.optimizer.paramGroups;
      for (let i = 0; i < Math.min(groups.length, values.length); i++) groups[i][this.paramName] = values[i];
    }
    this.lastValue = this.values();
  }
}

/** The arguments build_iter_from_epoch scales by the epoch length, beside begin and end. */
interface IterConversion {
  /** Keyword-only arguments build_iter_from_epoch requires (step_size, milestones, periods). */
  required: string[];
  scale(kwargs: Kwargs, epochLength: number): void;
}

interface ParamSchedulerClass {
  readonly name: string;
  readonly params: ParamSpec[];
  /** Absent: the class has no build_iter_from_epoch (ReduceOnPlateauParamScheduler). */
  readonly iterConversion?: IterConversion;
  create(optimizer: OptimWrapper, paramName: string, o: Kwargs, typeName: string): ParamScheduler;
}

/** build_iter_from_epoch of the classes whose only epoch-based arguments are begin and end. */
const windowOnly: IterConversion = { required: [], scale: () => {} };
const times = (value: unknown, epochLength: number) => toNumber(value) * epochLength;

export class StepParamScheduler extends ParamScheduler {
  readonly stepSize: unknown;
  readonly gamma: number;

  constructor(optimizer: OptimWrapper, paramName: string, o: Kwargs, typeName: string) {
    super(optimizer, paramName, o, typeName);
    this.stepSize = o.stepSize;
    this.gamma = toNumber(o.gamma);
  }

  protected getValue(): number[] {
    const bothInts = isPyInt(this.stepSize);
    if (this.lastStep === 0 || pyMod(this.lastStep, toNumber(this.stepSize), bothInts) !== 0) return this.values();
    return this.values().map((value) => value * this.gamma);
  }
}

export class MultiStepParamScheduler extends ParamScheduler {
  /** collections.Counter(milestones). */
  readonly milestones = new Map<number, number>();
  readonly gamma: number;

  constructor(optimizer: OptimWrapper, paramName: string, o: Kwargs, typeName: string) {
    super(optimizer, paramName, o, typeName);
    for (const milestone of (o.milestones as unknown[]).map(toNumber)) this.milestones.set(milestone, (this.milestones.get(milestone) ?? 0) + 1);
    this.gamma = toNumber(o.gamma);
  }

  protected getValue(): number[] {
    const count = this.milestones.get(this.lastStep);
    if (count === undefined) return this.values();
    return this.values().map((value) => value * pyPow(this.gamma, count));
  }
}

export class ConstantParamScheduler extends ParamScheduler {
  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: OptimWrapper, paramName: string, o: Kwargs, typeName: string) {
    const factor = toNumber(o.factor);
    if (factor > 1.0 || factor < 0) throw valueError('Constant multiplicative factor should between 0 and 1.');
    super(optimizer, paramName, o, typeName);
    this.factor = factor;
    this.totalIters = this.end - this.begin - 1;
  }

  protected getValue(): number[] {
    if (this.lastStep === 0) return this.values().map((value) => value * this.factor);
    if (this.lastStep > this.totalIters || this.lastStep !== this.totalIters) return this.values();
    return this.values().map((value) => value * pyDiv(1.0, this.factor));
  }
}

export class ExponentialParamScheduler extends ParamScheduler {
  readonly gamma: number;

  constructor(optimizer: OptimWrapper, paramName: string, o: Kwargs, typeName: string) {
    super(optimizer, paramName, o, typeName);
    this.gamma = toNumber(o.gamma);
  }

  protected getValue(): number[] {
    if (this.lastStep === 0) return this.values();
    return this.values().map((value) => value * this.gamma);
  }
}

/** eta_min, or eta_min_ratio times the group's base value (CosineAnnealing, CosineRestart). */
function etaMinOf(etaMin: unknown, etaMinRatio: unknown, baseValue: number): number {
  return isNone(etaMinRatio) ? toNumber(etaMin) : baseValue * toNumber(etaMinRatio);
}

export class CosineAnnealingParamScheduler extends ParamScheduler {
  readonly tMax: number;
  readonly tMaxIsInt: boolean;
  readonly etaMin: unknown;
  readonly etaMinRatio: unknown;

  constructor(optimizer: OptimWrapper, paramName: string, o: Kwargs, typeName: string) {
    // To preserve backwards compatibility (mmengine's words): neither given means eta_min = 0.
    const etaMin = isNone(o.etaMin) && isNone(o.etaMinRatio) ? 0.0 : o.etaMin;
    check(isNone(etaMin) !== isNone(o.etaMinRatio), 'Either `eta_min` or `eta_min_ratio should be specified');
    // `T_max or (end - begin)`.
    const tMax = isNone(o.tMax) || toNumber(o.tMax) === 0 ? toNumber(o.end) - toNumber(o.begin) : o.tMax;
    super(optimizer, paramName, o, typeName);
    this.tMax = toNumber(tMax);
    this.tMaxIsInt = isPyInt(tMax);
    this.etaMin = etaMin;
    this.etaMinRatio = o.etaMinRatio;
  }

  protected getValue(): number[] {
    const groups = this.values();
    if (this.lastStep === 0) return groups;
    const tMax = this.tMax;
    const eta = (i: number) => etaMinOf(this.etaMin, this.etaMinRatio, this.baseValues[i]);
    const length = Math.min(groups.length, this.baseValues.length);
    if (pyMod(this.lastStep - 1 - tMax, 2 * tMax, this.tMaxIsInt) === 0) {
      return groups.slice(0, length).map((value, i) => value + pyDiv((this.baseValues[i] - eta(i)) * (1 - pyCos(pyDiv(Math.PI, tMax))), 2));
    }
    const ratio = pyDiv(1 + pyCos(pyDiv(Math.PI * this.lastStep, tMax)), 1 + pyCos(pyDiv(Math.PI * (this.lastStep - 1), tMax)));
    return groups.slice(0, length).map((value, i) => ratio * (value - eta(i)) + eta(i));
  }
}

export class LinearParamScheduler extends ParamScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: OptimWrapper, paramName: string, o: Kwargs, typeName: string) {
    const startFactor = toNumber(o.startFactor);
    const endFactor = toNumber(o.endFactor);
    if (startFactor > 1.0 || startFactor < 0) throw valueError('Starting multiplicative factor should between 0 and 1.');
    if (endFactor > 1.0 || endFactor < 0) throw valueError('Ending multiplicative factor should between 0 and 1.');
    super(optimizer, paramName, o, typeName);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = this.end - this.begin - 1;
  }

  protected getValue(): number[] {
    if (this.lastStep === 0) return this.values().map((value) => value * this.startFactor);
    const change = this.endFactor - this.startFactor;
    const factor = 1 + pyDiv(change, this.totalIters * this.startFactor + (this.lastStep - 1) * change);
    return this.values().map((value) => value * factor);
  }
}

export class PolyParamScheduler extends ParamScheduler {
  readonly etaMin: number;
  readonly power: number;
  readonly totalIters: number;

  constructor(optimizer: OptimWrapper, paramName: string, o: Kwargs, typeName: string) {
    super(optimizer, paramName, o, typeName);
    this.etaMin = toNumber(o.etaMin);
    this.power = toNumber(o.power);
    this.totalIters = this.end - this.begin - 1;
  }

  protected getValue(): number[] {
    if (this.lastStep === 0) return this.values();
    const decay = pyPow(1 - pyDiv(1, this.totalIters - this.lastStep + 1, true), this.power);
    return this.values().map((value) => (value - this.etaMin) * decay + this.etaMin);
  }
}

interface OneCyclePhase {
  endStep: number;
  start: string;
  end: string;
}

export class OneCycleParamScheduler extends ParamScheduler {
  readonly totalSteps: number;
  readonly phases: OneCyclePhase[];
  readonly anneal: (start: number, end: number, pct: number) => number;

  constructor(optimizer: OptimWrapper, paramName: string, o: Kwargs, typeName: string) {
    check(paramName === 'lr', `OneCycle only works for learning rate updating, but got patam_name as ${paramName}`);
    let totalSteps: number;
    if (!isNone(o.totalSteps)) {
      if (toNumber(o.totalSteps) <= 0 || !isPyInt(o.totalSteps)) throw valueError(`Expected positive integer total_steps, but got ${pyStr(o.totalSteps)}`);
      totalSteps = toNumber(o.totalSteps);
    } else {
      totalSteps = toNumber(o.end) - toNumber(o.begin);
    }
    const pctStart = toNumber(o.pctStart);
    if (pctStart < 0 || pctStart > 1 || !isPyFloat(o.pctStart)) throw valueError(`Expected float between 0 and 1 pct_start, but got ${pyStr(o.pctStart)}`);
    if (o.annealStrategy !== 'cos' && o.annealStrategy !== 'linear') {
      throw valueError(`anneal_strategy must by one of "cos" or "linear", instead got ${pyStr(o.annealStrategy)}`);
    }
    const [initial, max, min] = [`initial_${paramName}`, `max_${paramName}`, `min_${paramName}`];
    const phases: OneCyclePhase[] = toNumber(o.threePhase)
      ? [
          { endStep: pctStart * totalSteps - 1, start: initial, end: max },
          { endStep: 2 * pctStart * totalSteps - 2, start: max, end: initial },
          { endStep: totalSteps - 1, start: initial, end: min },
        ]
      : [
          { endStep: pctStart * totalSteps - 1, start: initial, end: max },
          { endStep: totalSteps - 1, start: max, end: min },
        ];
    const groups = optimizer.paramGroups;
    let maxValues: number[];
    if (Array.isArray(o.etaMax)) {
      if (o.etaMax.length !== groups.length) throw valueError(`expected ${groups.length} values for ${max}, got ${o.etaMax.length}`);
      maxValues = o.etaMax.map(toNumber);
    } else {
      maxValues = groups.map(() => toNumber(o.etaMax));
    }
    if (toNumber(o.lastStep) === -1) {
      groups.forEach((group, i) => {
        group[initial] = pyDiv(maxValues[i], toNumber(o.divFactor));
        group[max] = maxValues[i];
        group[min] = pyDiv(group[initial] as number, toNumber(o.finalDivFactor));
      });
    }
    super(optimizer, paramName, o, typeName);
    this.totalSteps = totalSteps;
    this.phases = phases;
    this.anneal = o.annealStrategy === 'cos' ? annealingCos : annealingLinear;
  }

  protected getValue(): number[] {
    const stepNum = this.lastStep;
    if (stepNum > this.totalSteps) throw valueError(`Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`);
    return this.optimizer.paramGroups.map((group) => {
      let startStep = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i];
        if (stepNum <= phase.endStep || i === this.phases.length - 1) {
          const pct = pyDiv(stepNum - startStep, phase.endStep - startStep);
          return this.anneal(read(group, phase.start), read(group, phase.end), pct);
        }
        startStep = phase.endStep;
      }
      throw assertionError('OneCycle has no phases');
    });
  }
}

function annealingCos(start: number, end: number, pct: number): number {
  const cosOut = pyCos(Math.PI * pct) + 1;
  return end + ((start - end) / 2.0) * cosOut;
}

function annealingLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

export class CosineRestartParamScheduler extends ParamScheduler {
  readonly periods: number[];
  readonly restartWeights: number[];
  readonly cumulativePeriods: number[];
  readonly etaMin: unknown;
  readonly etaMinRatio: unknown;

  constructor(optimizer: OptimWrapper, paramName: string, o: Kwargs, typeName: string) {
    check(isNone(o.etaMin) !== isNone(o.etaMinRatio));
    const periods = (o.periods as unknown[]).map(toNumber);
    const restartWeights = (o.restartWeights as unknown[]).map(toNumber);
    check(periods.length === restartWeights.length, 'periods and restart_weights should have the same length.');
    super(optimizer, paramName, o, typeName);
    this.periods = periods;
    this.restartWeights = restartWeights;
    this.etaMin = o.etaMin;
    this.etaMinRatio = o.etaMinRatio;
    let sum = 0;
    this.cumulativePeriods = periods.map((period) => (sum += period));
  }

  protected getValue(): number[] {
    const index = this.cumulativePeriods.findIndex((period) => this.lastStep < period);
    if (index < 0) return this.values();
    const weight = this.restartWeights[index];
    const nearestRestart = index === 0 ? 0 : this.cumulativePeriods[index - 1];
    const period = this.periods[index];
    const step = this.lastStep - nearestRestart;
    const groups = this.optimizer.paramGroups;
    return this.baseValues.slice(0, groups.length).map((baseValue, i) => {
      const etaMax = baseValue * weight;
      const etaMin = etaMinOf(this.etaMin, this.etaMinRatio, baseValue);
      if (step === 0) return etaMax;
      const ratio = pyDiv(1 + pyCos(pyDiv(Math.PI * step, period)), 1 + pyCos(pyDiv(Math.PI * (step - 1), period)));
      return ratio * (read(groups[i], this.paramName) - etaMin) + etaMin;
    });
  }
}

/** Its own __init__ (no first step) and step(metrics); the initial best is mmengine's INF, an int, not float('inf'). */
export class ReduceOnPlateauParamScheduler extends ParamScheduler {
  readonly monitor: string;
  readonly factor: number;
  readonly minValues: number[];
  readonly patience: number;
  readonly cooldown: number;
  readonly eps: number;
  readonly rule: 'less' | 'greater';
  readonly threshold: number;
  readonly thresholdRule: 'rel' | 'abs';
  cooldownCounter = 0;
  numBadEpochs = 0;
  best: number;

  constructor(optimizer: OptimWrapper, paramName: string, o: Kwargs, typeName: string) {
    super(optimizer, paramName, o, typeName);
    this.globalStep = 0;
    const factor = toNumber(o.factor);
    if (factor >= 1.0) throw valueError('Factor should be < 1.0.');
    this.factor = factor;
    const raw = optimizer.optimizer.paramGroups;
    if (Array.isArray(o.minValue)) {
      if (o.minValue.length !== raw.length) throw valueError(`expected ${raw.length} min_lrs, got ${o.minValue.length}`);
      this.minValues = o.minValue.map(toNumber);
      // The optimizer wrapper's extra group takes the last group's minimum.
      if (optimizer.baseParamSettings) this.minValues.push(this.minValues[this.minValues.length - 1]);
    } else {
      this.minValues = optimizer.paramGroups.map(() => toNumber(o.minValue));
    }
    this.patience = toNumber(o.patience);
    this.cooldown = toNumber(o.cooldown);
    this.eps = toNumber(o.eps);
    this.monitor = String(o.monitor);
    const threshold = toNumber(o.threshold);
    if (threshold < 0) throw valueError(`threshold ${pyStr(o.threshold)} should be >= 0.`);
    if (o.rule !== 'less' && o.rule !== 'greater') throw valueError(`mode ${pyStr(o.rule)} is unknown!`);
    if (o.thresholdRule !== 'rel' && o.thresholdRule !== 'abs') throw valueError(`threshold mode ${pyStr(o.thresholdRule)} is unknown!`);
    this.rule = o.rule;
    this.threshold = threshold;
    this.thresholdRule = o.thresholdRule;
    this.best = this.rule === 'less' ? INF : -INF;
    this.lastValue = this.values();
  }

  protected override checkByEpoch(byEpoch: unknown): void {
    check(Boolean(toNumber(byEpoch)), `Now ${this.typeName} only support by_epoch=True`);
  }

  override get needValArgs(): boolean {
    return true;
  }

  /** `step()` after each epoch only counts it; `step(metrics)` after validation acts. */
  override step(metrics?: Record<string, number>): void {
    if (metrics === undefined) {
      this.globalStep += 1;
      return;
    }
    if (this.begin <= this.globalStep && this.globalStep < this.end) {
      this.lastStep += 1;
      if (!(this.monitor in metrics)) throw keyError(`Excepted key in ${pyStr(Object.keys(metrics))}, but got key ${this.monitor} is not in dict`);
      const metric = metrics[this.monitor];
      if (this.isBetter(metric, this.best)) {
        this.best = metric;
        this.numBadEpochs = 0;
      } else {
        this.numBadEpochs += 1;
      }
      if (this.cooldownCounter > 0) {
        this.cooldownCounter -= 1;
        this.numBadEpochs = 0;
      }
      if (this.numBadEpochs > this.patience) {
        const values = this.getValue();
        const groups = this.optimizer.paramGroups;
        for (let i = 0; i < Math.min(groups.length, values.length); i++) {
          if (read(groups[i], this.paramName) - values[i] > this.eps) groups[i][this.paramName] = values[i];
        }
        this.cooldownCounter = this.cooldown;
        this.numBadEpochs = 0;
      }
    }
    this.lastValue = this.values();
  }

  protected getValue(): number[] {
    const values = this.values().map((value) => value * this.factor);
    return values.slice(0, this.minValues.length).map((value, i) => (this.minValues[i] > value ? this.minValues[i] : value));
  }

  private isBetter(a: number, best: number): boolean {
    if (this.rule === 'less' && this.thresholdRule === 'rel') return a < best * (1 - this.threshold);
    if (this.rule === 'less') return a < best - this.threshold;
    if (this.thresholdRule === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }
}

/** mmengine's *ParamScheduler classes: their own arguments (after param_name) and build_iter_from_epoch. */
const PARAM_SCHEDULERS: Record<string, ParamSchedulerClass> = {
  StepParamScheduler: {
    name: 'StepParamScheduler',
    params: [required('step_size'), optional('gamma', 0.1)],
    iterConversion: { required: ['step_size'], scale: (k, n) => (k.step_size = times(k.step_size, n)) },
    create: (...args) => new StepParamScheduler(...args),
  },
  MultiStepParamScheduler: {
    name: 'MultiStepParamScheduler',
    params: [required('milestones', 'number-list'), optional('gamma', 0.1)],
    iterConversion: { required: ['milestones'], scale: (k, n) => (k.milestones = (k.milestones as unknown[]).map((m) => times(m, n))) },
    create: (...args) => new MultiStepParamScheduler(...args),
  },
  ConstantParamScheduler: {
    name: 'ConstantParamScheduler',
    params: [optional('factor', 1.0 / 3)],
    iterConversion: windowOnly,
    create: (...args) => new ConstantParamScheduler(...args),
  },
  ExponentialParamScheduler: {
    name: 'ExponentialParamScheduler',
    params: [required('gamma')],
    iterConversion: windowOnly,
    create: (...args) => new ExponentialParamScheduler(...args),
  },
  CosineAnnealingParamScheduler: {
    name: 'CosineAnnealingParamScheduler',
    params: [optional('T_max', null, 'optional-number', 'tMax'), optional('eta_min', null, 'optional-number'), optional('eta_min_ratio', null, 'optional-number')],
    iterConversion: { required: [], scale: (k, n) => !isNone(k.T_max) && (k.T_max = times(k.T_max, n)) },
    create: (...args) => new CosineAnnealingParamScheduler(...args),
  },
  LinearParamScheduler: {
    name: 'LinearParamScheduler',
    params: [optional('start_factor', 1.0 / 3), optional('end_factor', 1.0)],
    iterConversion: windowOnly,
    create: (...args) => new LinearParamScheduler(...args),
  },
  PolyParamScheduler: {
    name: 'PolyParamScheduler',
    params: [optional('eta_min', 0), optional('power', 1.0)],
    iterConversion: windowOnly,
    create: (...args) => new PolyParamScheduler(...args),
  },
  OneCycleParamScheduler: {
    name: 'OneCycleParamScheduler',
    params: [
      optional('eta_max', 0, 'number-or-list'),
      optional('total_steps', null, 'optional-number'),
      optional('pct_start', 0.3, 'any'),
      optional('anneal_strategy', 'cos', 'any'),
      optional('div_factor', 25.0),
      optional('final_div_factor', 1e4),
      optional('three_phase', false, 'bool'),
    ],
    iterConversion: { required: [], scale: (k, n) => !isNone(k.total_steps) && (k.total_steps = times(k.total_steps, n)) },
    create: (...args) => new OneCycleParamScheduler(...args),
  },
  CosineRestartParamScheduler: {
    name: 'CosineRestartParamScheduler',
    params: [
      required('periods', 'number-list'),
      optional('restart_weights', [1], 'number-list'),
      optional('eta_min', null, 'optional-number'),
      optional('eta_min_ratio', null, 'optional-number'),
    ],
    iterConversion: { required: ['periods'], scale: (k, n) => (k.periods = (k.periods as unknown[]).map((p) => times(p, n))) },
    create: (...args) => new CosineRestartParamScheduler(...args),
  },
  ReduceOnPlateauParamScheduler: {
    name: 'ReduceOnPlateauParamScheduler',
    params: [
      optional('monitor', 'loss', 'any'),
      optional('rule', 'less', 'any'),
      optional('factor', 0.1),
      optional('patience', 10),
      optional('threshold', 1e-4),
      optional('threshold_rule', 'rel', 'any'),
      optional('cooldown', 0),
      optional('min_value', 0.0, 'number-or-list'),
      optional('eps', 1e-8),
    ],
    create: (...args) => new ReduceOnPlateauParamScheduler(...args),
  },
};

/** A registered type: the class holding its arithmetic, and the parameter its mixin fixes (none: `param_name`). */
interface RegisteredType {
  impl: ParamSchedulerClass;
  param: 'lr' | 'momentum' | null;
}

const SHARED_NAMES = ['Constant', 'CosineAnnealing', 'Exponential', 'Linear', 'MultiStep', 'Step', 'Poly', 'CosineRestart', 'ReduceOnPlateau'];

/** mmengine's PARAM_SCHEDULERS registry: the LR classes, the Momentum classes and the *ParamScheduler classes. */
export const MMENGINE_SCHEDULER_TYPES: Record<string, RegisteredType> = {};
for (const name of SHARED_NAMES) {
  MMENGINE_SCHEDULER_TYPES[`${name}LR`] = { impl: PARAM_SCHEDULERS[`${name}ParamScheduler`], param: 'lr' };
  MMENGINE_SCHEDULER_TYPES[`${name}Momentum`] = { impl: PARAM_SCHEDULERS[`${name}ParamScheduler`], param: 'momentum' };
}
MMENGINE_SCHEDULER_TYPES.OneCycleLR = { impl: PARAM_SCHEDULERS.OneCycleParamScheduler, param: 'lr' };
for (const [name, impl] of Object.entries(PARAM_SCHEDULERS)) MMENGINE_SCHEDULER_TYPES[name] = { impl, param: null };

/** `cls.__init__` of a registered type, after the arguments the registry's mixin or the runner passes. */
export function initSignature(entry: RegisteredType): Signature {
  const paramName = entry.param ? [] : [required('param_name', 'string')];
  return signature(`${entry.impl.name}.__init__`, [...paramName, ...entry.impl.params, ...WINDOW_PARAMS], entry.param ? ['optimizer', 'param_name'] : ['optimizer']);
}

/** MomentumSchedulerMixin.__init__: momentum, or beta_0 copied into `momentum` for Adam-style optimizers. */
function momentumMixin(optimizer: OptimWrapper): boolean {
  if ('momentum' in optimizer.defaults) return false;
  if (!('betas' in optimizer.defaults)) throw valueError('optimizer must support momentum when using momentum scheduler');
  for (const group of optimizer.paramGroups) group.momentum = (group.betas as number[])[0];
  return true;
}

/** One built scheduler, stepped the way the hook steps it (and, for Adam's betas, the mixin's step). */
export class BuiltScheduler {
  constructor(readonly scheduler: ParamScheduler, private readonly useBetas: boolean) {}

  step(metrics?: Record<string, number>): void {
    this.scheduler.step(metrics);
    if (!this.useBetas) return;
    for (const group of this.scheduler.optimizer.paramGroups) {
      const betas = group.betas as number[];
      group.betas = [group.momentum as number, betas[1]];
    }
  }
}

/** `cls(**args)`: the mixins' __init__, the class's own __init__, then its first step(). */
function construct(type: string, optimizer: OptimWrapper, kwargs: Kwargs): BuiltScheduler {
  const entry = MMENGINE_SCHEDULER_TYPES[type];
  const useBetas = entry.param === 'momentum' && momentumMixin(optimizer);
  const o = bindKwargs(initSignature(entry), kwargs);
  const paramName = entry.param ?? String(o.paramName);
  const scheduler = entry.impl.create(optimizer, paramName, o, type);
  // mmengine's __init__ ends with self.step() (ReduceOnPlateau* excepted); here the fields are set first.
  if (!scheduler.needValArgs) scheduler.step();
  return new BuiltScheduler(scheduler, useBetas);
}

/** `cls.build_iter_from_epoch(**args)`: the epoch-based arguments in iterations, then `cls(...)`. */
function buildIterFromEpoch(type: string, optimizer: OptimWrapper, kwargs: Kwargs, epochLength: number): BuiltScheduler {
  const entry = MMENGINE_SCHEDULER_TYPES[type];
  const conversion = entry.impl.iterConversion;
  if (!conversion) throw new PythonError('AttributeError', `type object '${type}' has no attribute 'build_iter_from_epoch'`);
  const missing = conversion.required.filter((name) => !(name in kwargs));
  if (missing.length > 0) {
    const names = missing.map((name) => `'${name}'`).join(' and ');
    throw typeError(`${entry.impl.name}.build_iter_from_epoch() missing ${missing.length} required keyword-only argument${missing.length > 1 ? 's' : ''}: ${names}`);
  }
  const args: Kwargs = { ...kwargs, by_epoch: false };
  conversion.scale(args, epochLength);
  args.begin = Math.trunc(times(kwargs.begin ?? 0, epochLength));
  const end = kwargs.end ?? INF;
  args.end = toNumber(end) !== INF ? Math.trunc(times(end, epochLength)) : end;
  return construct(type, optimizer, args);
}

/** What the schedulers see of the train loop Runner.build_train_loop builds. */
export interface TrainLoop {
  byEpoch: boolean;
  maxEpochs: number;
  maxIters: number;
  valBegin: number;
  valInterval: number;
}

class CaseInputError extends Error {}

function trainLoop(trainCfg: unknown, epochLength: number): TrainLoop {
  if (typeof trainCfg !== 'object' || trainCfg === null || Array.isArray(trainCfg)) throw new CaseInputError('case.scheduler.kwargs.train_cfg must be a dict');
  const cfg = trainCfg as Kwargs;
  if ('type' in cfg && 'by_epoch' in cfg) throw new PythonError('RuntimeError', 'Only one of `type` or `by_epoch` can exist in `loop_cfg`.');
  const type = 'type' in cfg ? cfg.type : toNumber(cfg.by_epoch ?? true) ? 'EpochBasedTrainLoop' : 'IterBasedTrainLoop';
  if (type !== 'EpochBasedTrainLoop' && type !== 'IterBasedTrainLoop') throw new UnsupportedError(`LR Lens models mmengine's EpochBasedTrainLoop and IterBasedTrainLoop, not ${pyStr(type)}`);
  const byEpoch = type === 'EpochBasedTrainLoop';
  const length = cfg[byEpoch ? 'max_epochs' : 'max_iters'];
  if (!isPyInt(length)) throw new CaseInputError(`case.scheduler.kwargs.train_cfg.${byEpoch ? 'max_epochs' : 'max_iters'} must be an integer`);
  const count = toNumber(length);
  return {
    byEpoch,
    maxEpochs: byEpoch ? count : 1,
    maxIters: byEpoch ? count * epochLength : count,
    valBegin: toNumber(cfg.val_begin ?? 1),
    valInterval: toNumber(cfg.val_interval ?? (byEpoch ? 1 : 1000)),
  };
}

/** Runner._build_param_scheduler with build_scheduler_from_cfg, for each dict of the list. */
export function buildMmengineSchedulers(list: unknown, optimizer: OptimWrapper, loop: TrainLoop, epochLength: number): BuiltScheduler[] {
  const dicts = Array.isArray(list) ? list : [list];
  return dicts.map((raw) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CaseInputError('each param_scheduler entry must be a dict');
    const args: Kwargs = { ...(raw as Kwargs) };
    if (!('end' in args)) args.end = toNumber(args.by_epoch ?? true) ? loop.maxEpochs : loop.maxIters;
    const convert = Boolean(toNumber(args.convert_to_iter_based ?? false));
    delete args.convert_to_iter_based;
    const type = args.type;
    delete args.type;
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(MMENGINE_SCHEDULER_TYPES, type)) {
      throw new UnsupportedError(`LR Lens models mmengine's own parameter schedulers, not ${pyStr(type)}`);
    }
    if (!convert) return construct(type, optimizer, args);
    check(
      Boolean(toNumber(args.by_epoch ?? true)),
      'Only epoch-based parameter scheduler can be converted to iter-based, and `epoch_length` should be set',
    );
    return buildIterFromEpoch(type, optimizer, args, epochLength);
  });
}

function row(step: number, optimizer: Optimizer): TraceRow {
  const groups = optimizer.paramGroups as ParamGroup[];
  const result: TraceRow = { step, lr: groups.map((group) => traceNumber(group.lr)), last_lr: [null] };
  if (groups.every((group) => 'momentum' in group)) result.momentum = groups.map((group) => traceNumber(group.momentum as number));
  if (groups.every((group) => 'betas' in group)) {
    result.betas = groups.map((group) => [traceNumber((group.betas as number[])[0]), traceNumber((group.betas as number[])[1])]);
  }
  return result;
}

function inputError(id: string | null, trace: TraceRow[], step: number, message: string): CaseResult {
  return { id, trace, error: { phase: 'input', step, type: 'ValueError', message } };
}

/** Runs an "mmengine.param_scheduler" case; like simulateCase it never throws. */
export function simulateMmengineCase(input: ScheduleCase): CaseResult {
  const id = input.id == null ? null : String(input.id);
  const trace: TraceRow[] = [];
  const kwargs = (input.scheduler?.kwargs ?? {}) as Record<string, PyLike>;
  const epochLength = kwargs.epoch_length;
  if (!isPyInt(epochLength) || toNumber(epochLength) <= 0) {
    return inputError(id, trace, 0, 'case.scheduler.kwargs.epoch_length must be a positive integer (iterations per epoch, len(train_dataloader))');
  }
  const length = toNumber(epochLength);
  let loop: TrainLoop;
  let optimizer: Optimizer;
  let schedulers: BuiltScheduler[];
  try {
    loop = trainLoop(kwargs.train_cfg, length);
    if (input.steps > loop.maxIters) return inputError(id, trace, 0, `case.steps is ${input.steps}, more than the ${loop.maxIters} iterations the training loop runs`);
    optimizer = buildOptimizer(input.optimizer ?? { type: 'SGD', defaults: { lr: 0.1 } });
    schedulers = buildMmengineSchedulers(kwargs.param_scheduler, new OptimWrapper(optimizer), loop, length);
  } catch (error) {
    if (error instanceof CaseInputError) return inputError(id, trace, 0, error.message);
    return { id, trace, error: caseError('construct', 0, error) };
  }
  const monitors = schedulers.filter((s) => s.scheduler.needValArgs).map((s) => (s.scheduler as ReduceOnPlateauParamScheduler).monitor);
  let validations = 0;
  // ParamSchedulerHook.after_val_epoch: only ReduceOnPlateau* read the metrics.
  const validate = (k: number) => {
    if (monitors.length > 0) {
      const value = input.metrics?.[validations];
      if (value === undefined) throw new CaseInputError(`case.metrics has no value for validation ${validations + 1} (iteration ${k})`);
      const metric = pyFloat(value);
      const metrics = Object.fromEntries(monitors.map((name) => [name, metric]));
      for (const s of schedulers) if (s.scheduler.needValArgs) s.step(metrics);
    }
    validations += 1;
  };
  const validates = (count: number) => count >= loop.valBegin && (count % loop.valInterval === 0 || count === (loop.byEpoch ? loop.maxEpochs : loop.maxIters));
  const afterEpoch = () => schedulers.forEach((s) => s.scheduler.byEpoch && s.step());
  trace.push(row(0, optimizer));
  for (let k = 1; k <= input.steps; k++) {
    try {
      for (const s of schedulers) if (!s.scheduler.byEpoch) s.step();
      if (loop.byEpoch && k % length === 0) {
        afterEpoch();
        if (validates(k / length)) validate(k);
      } else if (!loop.byEpoch) {
        if (validates(k)) validate(k);
        // IterBasedTrainLoop runs the whole training as one epoch.
        if (k === loop.maxIters) afterEpoch();
      }
    } catch (error) {
      if (error instanceof CaseInputError) return inputError(id, trace, k, error.message);
      return { id, trace, error: caseError('step', k, error) };
    }
    trace.push(row(k, optimizer));
  }
  return { id, trace, error: null };
}
