// timm's schedulers (timm/scheduler/*.py, 1.0.29): stateless functions of an explicit epoch or update
// count `t`, written into the optimizer's param groups by `step(epoch)` (t_in_epochs) or
// `step_update(num_updates)` (otherwise). Python float arithmetic and operation order are kept.
//
// Noise (`noise_range_t`) multiplies the lr by (1 + n), with n drawn from torch's RNG seeded per step;
// that RNG is not reproduced here, so the noise-free lr is simulated and `noiseBand(t)` gives the
// interval the noisy lr falls in.
import { PythonError, valueError } from '../errors';
import { pyCos, pyDiv, pyFloorDiv, pyLogBase, pyPow } from '../numerics';
import type { Optimizer, ParamGroup } from '../optimizers/Optimizer';
import { isPyInt, toNumber } from '../python/values';
import { ReduceLROnPlateau } from '../schedulers/ReduceLROnPlateau';
import { bindKwargs, optional, ParamSpec, required, Signature, signature } from '../signature';

type Kwargs = Record<string, unknown>;

const assertionError = (message = '') => new PythonError('AssertionError', message);
function check(condition: boolean, message = ''): void {
  if (!condition) throw assertionError(message);
}

/** `noise_range_t`: a start (noise from t on) or a [start, end) pair, in t units. */
export type NoiseRange = number | number[] | null;

export interface NoiseOptions {
  noiseRangeT: NoiseRange;
  noiseType: 'normal' | 'uniform';
  noisePct: number;
}

const noiseParams = (seed: number | null): ParamSpec[] => [
  optional('noise_range_t', null, 'any'),
  optional('noise_pct', 0.67),
  optional('noise_std', 1.0),
  optional('noise_seed', seed, 'optional-number'),
];

/** timm.scheduler.Scheduler: initial_lr bookkeeping, step/step_update, lr_scale, the noise range. */
export abstract class TimmScheduler {
  abstract readonly typeName: string;
  readonly baseValues: number[];
  readonly tInEpochs: boolean;
  readonly noise: NoiseOptions;

  protected constructor(readonly optimizer: Optimizer, tInEpochs: boolean, noise: NoiseOptions) {
    optimizer.paramGroups.forEach((group) => {
      if (!('initial_lr' in group)) group.initial_lr = group.lr;
    });
    this.baseValues = optimizer.paramGroups.map((group) => group.initial_lr as number);
    this.tInEpochs = tInEpochs;
    this.noise = noise;
    this.updateGroups(this.baseValues);
  }

  /** `_get_lr(t)`: the noise-free value per group. */
  abstract getLrAt(t: number): number[];

  /** `step(epoch, metric)`: acts only when t is in epochs. */
  step(epoch: number, _metric?: number | null): void {
    if (this.tInEpochs) this.updateGroups(this.getLrAt(epoch));
  }

  /** `step_update(num_updates, metric)`: acts only when t is in updates. */
  stepUpdate(numUpdates: number, _metric?: number | null): void {
    if (!this.tInEpochs) this.updateGroups(this.getLrAt(numUpdates));
  }

  /** Steps the way timm's train.py does for this scheduler's unit: round k passes t = k. */
  advance(t: number, metric: number | null): void {
    if (this.tInEpochs) this.step(t, metric);
    else this.stepUpdate(t, metric);
  }

  /** `update_groups`: a param group's `lr_scale` multiplies the value. */
  updateGroups(values: number | number[]): void {
    const groups = this.optimizer.paramGroups;
    const list = Array.isArray(values) ? values : new Array<number>(groups.length).fill(values);
    groups.forEach((group, i) => {
      if (i >= list.length) return;
      group.lr = 'lr_scale' in group ? list[i] * toNumber(group.lr_scale) : list[i];
    });
  }

  /** `_is_apply_noise(t)`. */
  isNoiseApplied(t: number): boolean {
    const range = this.noise.noiseRangeT;
    if (range === null) return false;
    if (Array.isArray(range)) return range[0] <= t && t < range[1];
    return t >= range;
  }

  /**
   * The factor range (1 + n) the noisy lr is multiplied by at t, or null without noise there:
   * normal noise is redrawn until |n| < noise_pct, uniform noise is 2 * (u - 0.5) * noise_pct with u in [0, 1).
   */
  noiseBand(t: number): [number, number] | null {
    if (!this.isNoiseApplied(t)) return null;
    return [1 - this.noise.noisePct, 1 + this.noise.noisePct];
  }

  /** The lr currently in the groups. */
  currentLrs(): number[] {
    return this.optimizer.paramGroups.map((group: ParamGroup) => group.lr);
  }
}

interface WarmupOptions {
  warmupT: number;
  warmupLrInit: number;
  warmupPrefix: boolean;
}

/** The linear warmup every timm scheduler shares: from warmup_lr_init to the target over warmup_t. */
function warmupSteps(scheduler: TimmScheduler, warmup: WarmupOptions, targets: number[]): number[] {
  if (!warmup.warmupT) return targets.map(() => 1);
  const steps = targets.map((v) => pyDiv(v - warmup.warmupLrInit, warmup.warmupT));
  scheduler.updateGroups(warmup.warmupLrInit);
  return steps;
}

/** Cycle index, cycle length and position in the cycle, as cosine/tanh/poly compute them. */
function cyclePosition(t: number, tInitial: number, cycleMul: number): { i: number; tI: number; tCurr: number } {
  if (cycleMul !== 1) {
    const i = Math.floor(pyLogBase(1 - pyDiv(t, tInitial) * (1 - cycleMul), cycleMul));
    const tI = pyPow(cycleMul, i) * tInitial;
    const tCurr = t - pyDiv(1 - pyPow(cycleMul, i), 1 - cycleMul) * tInitial;
    return { i, tI, tCurr };
  }
  const bothInts = isPyInt(t) && isPyInt(tInitial);
  const i = pyFloorDiv(t, tInitial, bothInts);
  return { i, tI: tInitial, tCurr: t - tInitial * i };
}

const cycleParams = (): ParamSpec[] => [
  optional('lr_min', 0.0),
  optional('cycle_mul', 1.0),
  optional('cycle_decay', 1.0),
  optional('cycle_limit', 1),
];
const warmupParams = (prefixDefault: boolean): ParamSpec[] => [
  optional('warmup_t', 0),
  optional('warmup_lr_init', 0.0),
  optional('warmup_prefix', prefixDefault, 'bool'),
];
const tailParams = (): ParamSpec[] => [optional('initialize', true, 'bool')];

/** The arguments of a scheduler with warmup: its own `leading` ones, warmup, t_in_epochs, noise, then `trailing` and initialize. */
function warmupSchedulerSignature(className: string, leading: ParamSpec[], warmupPrefixDefault: boolean, trailing: ParamSpec[] = []): Signature {
  return signature(`${className}.__init__`, [
    ...leading,
    ...warmupParams(warmupPrefixDefault),
    optional('t_in_epochs', true, 'bool'),
    ...noiseParams(42),
    ...trailing,
    ...tailParams(),
  ]);
}

function noiseOptions(o: Kwargs, noiseType: unknown = 'normal'): NoiseOptions {
  const range = o.noiseRangeT;
  const noiseRangeT = range === null || range === undefined ? null : Array.isArray(range) ? range.map(toNumber) : toNumber(range);
  return { noiseRangeT, noiseType: noiseType === 'normal' ? 'normal' : 'uniform', noisePct: toNumber(o.noisePct) };
}

function warmupOptions(o: Kwargs): WarmupOptions {
  return { warmupT: toNumber(o.warmupT), warmupLrInit: toNumber(o.warmupLrInit), warmupPrefix: Boolean(toNumber(o.warmupPrefix)) };
}

/** Every scheduler but plateau: the linear warmup first, then `lrAfterWarmup` (at t - warmup_t with warmup_prefix). */
abstract class WarmupTimmScheduler extends TimmScheduler {
  abstract readonly warmup: WarmupOptions;
  protected warmupSteps: number[] = [];

  protected constructor(optimizer: Optimizer, o: Kwargs) {
    super(optimizer, Boolean(toNumber(o.tInEpochs)), noiseOptions(o));
  }

  protected abstract lrAfterWarmup(t: number): number[];

  getLrAt(t: number): number[] {
    const { warmupT, warmupLrInit, warmupPrefix } = this.warmup;
    if (t < warmupT) return this.warmupSteps.map((s) => warmupLrInit + t * s);
    return this.lrAfterWarmup(warmupPrefix ? t - warmupT : t);
  }
}

/** Shared by cosine, tanh and poly: the cycle bookkeeping around a per-cycle shape. */
abstract class CyclicTimmScheduler extends WarmupTimmScheduler {
  readonly tInitial: number;
  readonly lrMin: number;
  readonly cycleMul: number;
  readonly cycleDecay: number;
  readonly cycleLimit: number;
  readonly warmup: WarmupOptions;

  protected constructor(optimizer: Optimizer, o: Kwargs) {
    super(optimizer, o);
    this.tInitial = toNumber(o.tInitial);
    this.lrMin = toNumber(o.lrMin);
    check(this.tInitial > 0);
    check(this.lrMin >= 0);
    this.cycleMul = toNumber(o.cycleMul);
    this.cycleDecay = toNumber(o.cycleDecay);
    this.cycleLimit = toNumber(o.cycleLimit);
    this.warmup = warmupOptions(o);
  }

  /** The value inside a cycle for one group's peak. */
  protected abstract shape(lrMax: number, tCurr: number, tI: number): number;

  protected lrAfterWarmup(t: number): number[] {
    const { i, tI, tCurr } = cyclePosition(t, this.tInitial, this.cycleMul);
    if (!(i < this.cycleLimit)) return this.baseValues.map(() => this.lrMin);
    const gamma = pyPow(this.cycleDecay, i);
    return this.baseValues.map((v) => this.shape(v * gamma, tCurr, tI));
  }

  /** `get_cycle_length(cycles=0)`: what create_scheduler_v2 reports as the number of epochs. */
  getCycleLength(cycles = 0): number {
    cycles = Math.max(1, cycles || this.cycleLimit);
    const t =
      this.cycleMul === 1.0
        ? this.tInitial * cycles
        : Math.floor(pyDiv(-this.tInitial * (pyPow(this.cycleMul, cycles) - 1), 1 - this.cycleMul));
    return this.warmup.warmupPrefix ? t + this.warmup.warmupT : t;
  }
}

export class CosineLRScheduler extends CyclicTimmScheduler {
  static readonly signature = warmupSchedulerSignature('CosineLRScheduler', [required('t_initial'), ...cycleParams()], false, [optional('k_decay', 1.0)]);
  readonly typeName = 'CosineLRScheduler';
  readonly kDecay: number;

  constructor(optimizer: Optimizer, o: Kwargs) {
    super(optimizer, o);
    this.kDecay = toNumber(o.kDecay);
    this.warmupSteps = warmupSteps(this, this.warmup, this.baseValues);
  }

  protected shape(lrMax: number, tCurr: number, tI: number): number {
    const k = this.kDecay;
    return this.lrMin + 0.5 * (lrMax - this.lrMin) * (1 + pyCos(pyDiv(Math.PI * pyPow(tCurr, k), pyPow(tI, k))));
  }
}

export class TanhLRScheduler extends CyclicTimmScheduler {
  static readonly signature = warmupSchedulerSignature('TanhLRScheduler', [required('t_initial'), optional('lb', -7.0), optional('ub', 3.0), ...cycleParams()], false);
  readonly typeName = 'TanhLRScheduler';
  readonly lb: number;
  readonly ub: number;

  constructor(optimizer: Optimizer, o: Kwargs) {
    super(optimizer, o);
    this.lb = toNumber(o.lb);
    this.ub = toNumber(o.ub);
    check(this.lb < this.ub);
    check(this.cycleLimit >= 0);
    check(this.warmup.warmupT >= 0);
    check(this.warmup.warmupLrInit >= 0);
    // Without a prefix the warmup climbs to the tanh value at warmup_t, not to the base lr.
    const targets = this.warmup.warmupT ? (this.warmup.warmupPrefix ? this.baseValues : this.getLrAt(this.warmup.warmupT)) : this.baseValues;
    this.warmupSteps = warmupSteps(this, this.warmup, targets);
  }

  protected shape(lrMax: number, tCurr: number, tI: number): number {
    const tr = pyDiv(tCurr, tI);
    return this.lrMin + 0.5 * (lrMax - this.lrMin) * (1 - Math.tanh(this.lb * (1.0 - tr) + this.ub * tr));
  }
}

export class PolyLRScheduler extends CyclicTimmScheduler {
  static readonly signature = warmupSchedulerSignature('PolyLRScheduler', [required('t_initial'), optional('power', 0.5), ...cycleParams()], false, [
    optional('k_decay', 1.0),
  ]);
  readonly typeName = 'PolyLRScheduler';
  readonly power: number;
  readonly kDecay: number;

  constructor(optimizer: Optimizer, o: Kwargs) {
    super(optimizer, o);
    this.power = toNumber(o.power);
    this.kDecay = toNumber(o.kDecay);
    this.warmupSteps = warmupSteps(this, this.warmup, this.baseValues);
  }

  protected shape(lrMax: number, tCurr: number, tI: number): number {
    const k = this.kDecay;
    return this.lrMin + (lrMax - this.lrMin) * pyPow(1 - pyDiv(pyPow(tCurr, k), pyPow(tI, k)), this.power);
  }
}

export class StepLRScheduler extends WarmupTimmScheduler {
  static readonly signature = warmupSchedulerSignature('StepLRScheduler', [required('decay_t'), optional('decay_rate', 1.0)], true);
  readonly typeName = 'StepLRScheduler';
  readonly decayT: number;
  readonly decayRate: number;
  readonly warmup: WarmupOptions;

  constructor(optimizer: Optimizer, o: Kwargs) {
    super(optimizer, o);
    this.decayT = toNumber(o.decayT);
    this.decayRate = toNumber(o.decayRate);
    this.warmup = warmupOptions(o);
    this.warmupSteps = warmupSteps(this, this.warmup, this.baseValues);
  }

  protected lrAfterWarmup(t: number): number[] {
    const decays = pyFloorDiv(t, this.decayT, isPyInt(t) && isPyInt(this.decayT));
    return this.baseValues.map((v) => v * pyPow(this.decayRate, decays));
  }
}

export class MultiStepLRScheduler extends WarmupTimmScheduler {
  static readonly signature = warmupSchedulerSignature('MultiStepLRScheduler', [required('decay_t', 'number-list'), optional('decay_rate', 1.0)], true);
  readonly typeName = 'MultiStepLRScheduler';
  readonly decayT: number[];
  readonly decayRate: number;
  readonly warmup: WarmupOptions;

  constructor(optimizer: Optimizer, o: Kwargs) {
    super(optimizer, o);
    this.decayT = (o.decayT as unknown[]).map(toNumber);
    this.decayRate = toNumber(o.decayRate);
    this.warmup = warmupOptions(o);
    this.warmupSteps = warmupSteps(this, this.warmup, this.baseValues);
  }

  /** `bisect.bisect_right(decay_t, t + 1)`. */
  currentDecaySteps(t: number): number {
    let lo = 0;
    let hi = this.decayT.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t + 1 < this.decayT[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  protected lrAfterWarmup(t: number): number[] {
    return this.baseValues.map((v) => v * pyPow(this.decayRate, this.currentDecaySteps(t)));
  }
}

/** Warmup by epoch, then torch's ReduceLROnPlateau on the metric passed to step(epoch, metric). */
export class PlateauLRScheduler extends TimmScheduler {
  static readonly signature: Signature = signature('PlateauLRScheduler.__init__', [
    optional('decay_rate', 0.1),
    optional('patience_t', 10),
    optional('threshold', 1e-4),
    optional('cooldown_t', 0),
    optional('warmup_t', 0),
    optional('warmup_lr_init', 0.0),
    optional('lr_min', 0.0),
    optional('mode', 'max', 'string'),
    optional('noise_range_t', null, 'any'),
    optional('noise_type', 'normal', 'string'),
    optional('noise_pct', 0.67),
    optional('noise_std', 1.0),
    optional('noise_seed', null, 'optional-number'),
    ...tailParams(),
  ]);
  readonly typeName = 'PlateauLRScheduler';
  readonly plateau: ReduceLROnPlateau;
  readonly warmup: WarmupOptions;
  private readonly warmupSteps: number[];

  constructor(optimizer: Optimizer, o: Kwargs) {
    super(optimizer, true, noiseOptions(o, o.noiseType));
    this.plateau = new ReduceLROnPlateau(optimizer, {
      patience: toNumber(o.patienceT),
      factor: toNumber(o.decayRate),
      threshold: toNumber(o.threshold),
      cooldown: toNumber(o.cooldownT),
      mode: o.mode as 'min' | 'max',
      minLr: toNumber(o.lrMin),
    });
    this.warmup = warmupOptions({ ...o, warmupPrefix: false });
    this.warmupSteps = warmupSteps(this, this.warmup, this.baseValues);
  }

  getLrAt(): number[] {
    throw assertionError('should not be called as step is overridden');
  }

  override step(epoch: number, metric?: number | null): void {
    if (epoch <= this.warmup.warmupT) {
      this.updateGroups(this.warmupSteps.map((s) => this.warmup.warmupLrInit + epoch * s));
      return;
    }
    // timm restores the noise-free lr here before stepping; without simulated noise it is already there.
    if (metric !== null && metric !== undefined) this.plateau.step(metric);
  }

  /** Noise is drawn only after the warmup, and lasts one epoch. */
  override noiseBand(t: number): [number, number] | null {
    return t <= this.warmup.warmupT ? null : super.noiseBand(t);
  }

  override stepUpdate(): void {}
}

export interface TimmSchedulerClass {
  readonly signature: Signature;
  new (optimizer: Optimizer, options: Kwargs): TimmScheduler;
}

export const TIMM_SCHEDULERS: Record<string, TimmSchedulerClass> = {
  CosineLRScheduler,
  TanhLRScheduler,
  StepLRScheduler,
  MultiStepLRScheduler,
  PlateauLRScheduler,
  PolyLRScheduler,
};

/** Builds a timm scheduler class from Python keyword arguments (snake_case). */
export function createTimmScheduler(typeName: string, optimizer: Optimizer, kwargs: Kwargs): TimmScheduler {
  const cls = TIMM_SCHEDULERS[typeName];
  if (!cls) throw valueError(`timm.scheduler has no scheduler '${typeName}'`);
  return new cls(optimizer, bindKwargs(cls.signature, kwargs));
}

export const createSchedulerV2Signature = signature('create_scheduler_v2', [
  optional('sched', 'cosine', 'string'),
  optional('num_epochs', 300),
  optional('decay_epochs', 90),
  optional('decay_milestones', [90, 180, 270], 'number-list'),
  optional('cooldown_epochs', 0),
  optional('patience_epochs', 10),
  optional('decay_rate', 0.1),
  optional('min_lr', 0.0),
  optional('warmup_lr', 1e-5),
  optional('warmup_epochs', 0),
  optional('warmup_prefix', false, 'bool'),
  optional('noise', null, 'any'),
  optional('noise_pct', 0.67),
  optional('noise_std', 1.0),
  optional('noise_seed', 42),
  optional('cycle_mul', 1.0),
  optional('cycle_decay', 0.1),
  optional('cycle_limit', 1),
  optional('k_decay', 1.0),
  optional('plateau_mode', 'max', 'string'),
  optional('step_on_epochs', true, 'bool'),
  optional('updates_per_epoch', 0),
]);

/**
 * `create_scheduler_v2(optimizer, **kwargs)` → the scheduler and the number of epochs timm's train.py
 * then runs (cycles, cooldown and a warmup prefix included).
 */
export function timmCreateSchedulerV2(optimizer: Optimizer, kwargs: Kwargs): { scheduler: TimmScheduler; numEpochs: number } {
  const o = bindKwargs(createSchedulerV2Signature, kwargs);
  const stepOnEpochs = Boolean(toNumber(o.stepOnEpochs));
  const updatesPerEpoch = toNumber(o.updatesPerEpoch);
  let tInitial = toNumber(o.numEpochs);
  let warmupT = toNumber(o.warmupEpochs);
  let decayT = toNumber(o.decayEpochs);
  let decayMilestones = (o.decayMilestones as unknown[]).map(toNumber);
  let cooldownT = toNumber(o.cooldownEpochs);
  if (!stepOnEpochs) {
    check(updatesPerEpoch > 0, 'updates_per_epoch must be set to number of dataloader batches');
    tInitial *= updatesPerEpoch;
    warmupT *= updatesPerEpoch;
    decayT *= updatesPerEpoch;
    decayMilestones = decayMilestones.map((d) => d * updatesPerEpoch);
    cooldownT *= updatesPerEpoch;
  }
  const warmupArgs: Kwargs = { warmup_lr_init: o.warmupLr, warmup_t: warmupT, warmup_prefix: o.warmupPrefix };
  let noiseRange: NoiseRange = null;
  if (o.noise !== null) {
    if (Array.isArray(o.noise)) {
      const range = o.noise.map((n) => toNumber(n) * tInitial);
      noiseRange = range.length === 1 ? range[0] : range;
    } else {
      noiseRange = toNumber(o.noise) * tInitial;
    }
  }
  const noiseArgs: Kwargs = { noise_range_t: noiseRange, noise_pct: o.noisePct, noise_std: o.noiseStd, noise_seed: o.noiseSeed };
  const cycleArgs: Kwargs = { cycle_mul: o.cycleMul, cycle_decay: o.cycleDecay, cycle_limit: o.cycleLimit };
  const common = { t_initial: tInitial, lr_min: o.minLr, t_in_epochs: stepOnEpochs };
  let scheduler: TimmScheduler;
  switch (o.sched) {
    case 'cosine':
      scheduler = createTimmScheduler('CosineLRScheduler', optimizer, { ...common, ...cycleArgs, ...warmupArgs, ...noiseArgs, k_decay: o.kDecay });
      break;
    case 'tanh':
      scheduler = createTimmScheduler('TanhLRScheduler', optimizer, { ...common, ...cycleArgs, ...warmupArgs, ...noiseArgs });
      break;
    case 'step':
      scheduler = createTimmScheduler('StepLRScheduler', optimizer, {
        decay_t: decayT,
        decay_rate: o.decayRate,
        t_in_epochs: stepOnEpochs,
        ...warmupArgs,
        ...noiseArgs,
      });
      break;
    case 'multistep':
      scheduler = createTimmScheduler('MultiStepLRScheduler', optimizer, {
        decay_t: decayMilestones,
        decay_rate: o.decayRate,
        t_in_epochs: stepOnEpochs,
        ...warmupArgs,
        ...noiseArgs,
      });
      break;
    case 'plateau': {
      check(stepOnEpochs, 'Plateau LR only supports step per epoch.');
      const { warmup_prefix: _prefix, ...plateauWarmup } = warmupArgs;
      scheduler = createTimmScheduler('PlateauLRScheduler', optimizer, {
        decay_rate: o.decayRate,
        patience_t: o.patienceEpochs,
        cooldown_t: 0,
        ...plateauWarmup,
        lr_min: o.minLr,
        mode: o.plateauMode,
        ...noiseArgs,
      });
      break;
    }
    case 'poly':
      scheduler = createTimmScheduler('PolyLRScheduler', optimizer, {
        power: o.decayRate,
        ...common,
        k_decay: o.kDecay,
        ...cycleArgs,
        ...warmupArgs,
        ...noiseArgs,
      });
      break;
    default:
      // timm returns (None, num_epochs) here; a schedule that does nothing is worth saying out loud.
      throw valueError(`timm's create_scheduler_v2 builds no scheduler for sched='${String(o.sched)}'`);
  }
  let numEpochs = toNumber(o.numEpochs);
  if (scheduler instanceof CyclicTimmScheduler) {
    const tWithCyclesAndCooldown = scheduler.getCycleLength() + cooldownT;
    numEpochs = stepOnEpochs ? tWithCyclesAndCooldown : Math.floor(tWithCyclesAndCooldown / updatesPerEpoch);
  } else if (toNumber(o.warmupPrefix)) {
    numEpochs += toNumber(o.warmupEpochs);
  }
  return { scheduler, numEpochs };
}
