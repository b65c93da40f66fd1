import { keyError, valueError } from '../errors';
import { pyCompare, pyCos, pyDiv } from '../numerics';
import type { Optimizer, ParamGroup } from '../optimizers/Optimizer';
import { isPyFloat, isPyInt, pyStr, toNumber } from '../python/values';
import { checkedByTorch, optional, required, signature, withDefaults } from '../signature';
import { formatParam, LRScheduler } from './LRScheduler';
import { setMomentum, usesBeta1 } from './momentum';

export interface OneCycleLROptions {
  maxLr: number | number[];
  totalSteps?: number | null;
  epochs?: number | null;
  stepsPerEpoch?: number | null;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  lastEpoch?: number;
}

/** The param group keys OneCycleLR's phases read. */
type PhaseKey = 'initial_lr' | 'max_lr' | 'min_lr' | 'max_momentum' | 'base_momentum';

interface SchedulePhase {
  endStep: number;
  startLr: PhaseKey;
  endLr: PhaseKey;
  startMomentum: PhaseKey;
  endMomentum: PhaseKey;
}

/** The 1cycle policy: warm up to max_lr, anneal to min_lr; N steps allowed, step N+1 raises. Not chainable. */
export class OneCycleLR extends LRScheduler {
  static readonly signature = signature('OneCycleLR.__init__', [
    required('max_lr', 'number-or-list'),
    checkedByTorch(optional('total_steps', null, 'optional-number')),
    checkedByTorch(optional('epochs', null, 'optional-number')),
    checkedByTorch(optional('steps_per_epoch', null, 'optional-number')),
    optional('pct_start', 0.3),
    optional('anneal_strategy', 'cos', 'string'),
    optional('cycle_momentum', true, 'bool'),
    optional('base_momentum', 0.85, 'number-or-list'),
    optional('max_momentum', 0.95, 'number-or-list'),
    optional('div_factor', 25.0),
    optional('final_div_factor', 1e4),
    optional('three_phase', false, 'bool'),
    optional('last_epoch', -1),
  ]);
  readonly typeName = 'OneCycleLR';
  readonly totalSteps: number;
  readonly phases: SchedulePhase[];
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  private readonly useBeta1: boolean = false;

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    super(optimizer);
    const o = withDefaults(OneCycleLR.signature, options);
    const lastEpoch = toNumber(o.lastEpoch);
    if (o.totalSteps !== null) {
      if (pyCompare('<=', o.totalSteps, 0) || !isPyInt(o.totalSteps)) {
        throw valueError(`Expected positive integer total_steps, but got ${pyStr(o.totalSteps)}`);
      }
      this.totalSteps = toNumber(o.totalSteps);
    } else if (o.epochs !== null && o.stepsPerEpoch !== null) {
      if (!isPyInt(o.epochs) || toNumber(o.epochs) <= 0) throw valueError(`Expected positive integer epochs, but got ${pyStr(o.epochs)}`);
      if (!isPyInt(o.stepsPerEpoch) || toNumber(o.stepsPerEpoch) <= 0) {
        throw valueError(`Expected positive integer steps_per_epoch, but got ${pyStr(o.stepsPerEpoch)}`);
      }
      this.totalSteps = toNumber(o.epochs) * toNumber(o.stepsPerEpoch);
    } else {
      throw valueError('You must define either total_steps OR (epochs AND steps_per_epoch)');
    }
    const pctStart = toNumber(o.pctStart);
    const warmupEnd = pctStart * this.totalSteps - 1;
    this.phases = Boolean(toNumber(o.threePhase))
      ? [
          { endStep: warmupEnd, startLr: 'initial_lr', endLr: 'max_lr', startMomentum: 'max_momentum', endMomentum: 'base_momentum' },
          { endStep: 2 * pctStart * this.totalSteps - 2, startLr: 'max_lr', endLr: 'initial_lr', startMomentum: 'base_momentum', endMomentum: 'max_momentum' },
          { endStep: this.totalSteps - 1, startLr: 'initial_lr', endLr: 'min_lr', startMomentum: 'max_momentum', endMomentum: 'max_momentum' },
        ]
      : [
          { endStep: warmupEnd, startLr: 'initial_lr', endLr: 'max_lr', startMomentum: 'max_momentum', endMomentum: 'base_momentum' },
          { endStep: this.totalSteps - 1, startLr: 'max_lr', endLr: 'min_lr', startMomentum: 'base_momentum', endMomentum: 'max_momentum' },
        ];
    if (pctStart < 0 || pctStart > 1 || !isPyFloat(o.pctStart)) {
      throw valueError(`Expected float between 0 and 1 pct_start, but got ${pyStr(o.pctStart)}`);
    }
    if (o.annealStrategy !== 'cos' && o.annealStrategy !== 'linear') {
      throw valueError(`anneal_strategy must be one of 'cos' or 'linear', instead got ${o.annealStrategy}`);
    }
    this.annealStrategy = o.annealStrategy;
    const maxLrs = formatParam('max_lr', optimizer, o.maxLr).map(toNumber);
    if (lastEpoch === -1) {
      const divFactor = toNumber(o.divFactor);
      const finalDivFactor = toNumber(o.finalDivFactor);
      optimizer.paramGroups.forEach((group, i) => {
        group.initial_lr = pyDiv(maxLrs[i], divFactor);
        group.max_lr = maxLrs[i];
        group.min_lr = pyDiv(group.initial_lr, finalDivFactor);
      });
    }
    this.cycleMomentum = Boolean(toNumber(o.cycleMomentum));
    if (this.cycleMomentum) {
      this.useBeta1 = usesBeta1(optimizer);
      const maxMomentums = formatParam('max_momentum', optimizer, o.maxMomentum).map(toNumber);
      const baseMomentums = formatParam('base_momentum', optimizer, o.baseMomentum).map(toNumber);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((group, i) => {
          setMomentum(group, this.useBeta1, maxMomentums[i]);
          group.max_momentum = maxMomentums[i];
          group.base_momentum = baseMomentums[i];
        });
      }
    }
    this.initialize(lastEpoch);
  }

  /** `_annealing_cos` / `_annealing_linear`; `cosOut` = cos(π·pct) + 1, computed once per pct. */
  private anneal(start: number, end: number, pct: number, cosOut: number): number {
    if (this.annealStrategy === 'cos') return end + ((start - end) / 2.0) * cosOut;
    return (end - start) * pct + start;
  }

  protected computeLr(out: number[]): void {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw valueError(`Tried to step ${pyStr(stepNum)} times. The specified number of total steps is ${pyStr(this.totalSteps)}`);
    }
    const groups = this.optimizer.paramGroups;
    const last = this.phases.length - 1;
    let lastPct = NaN;
    let cosOut = NaN;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g];
      let startStep = 0.0;
      for (let i = 0; i <= last; i++) {
        const phase = this.phases[i];
        if (stepNum <= phase.endStep || i === last) {
          const pct = pyDiv(stepNum - startStep, phase.endStep - startStep);
          if (pct !== lastPct) {
            lastPct = pct;
            cosOut = this.annealStrategy === 'cos' ? pyCos(Math.PI * pct) + 1 : NaN;
          }
          out[g] = this.anneal(groupValue(group, phase.startLr), groupValue(group, phase.endLr), pct, cosOut);
          if (this.cycleMomentum) {
            const momentum = this.anneal(groupValue(group, phase.startMomentum), groupValue(group, phase.endMomentum), pct, cosOut);
            setMomentum(group, this.useBeta1, momentum);
          }
          break;
        }
        startStep = phase.endStep;
      }
    }
  }
}

/**
 * `group[key]`, with Python's KeyError when a resumed optimizer lacks OneCycleLR's keys. Each key is read
 * by name: a computed key would make every step a slow keyed lookup.
 */
function groupValue(group: ParamGroup, key: PhaseKey): number {
  let value: unknown;
  switch (key) {
    case 'initial_lr': value = group.initial_lr; break;
    case 'max_lr': value = group.max_lr; break;
    case 'min_lr': value = group.min_lr; break;
    case 'max_momentum': value = group.max_momentum; break;
    case 'base_momentum': value = group.base_momentum; break;
  }
  if (value === undefined) throw keyError(key);
  return value as number;
}
