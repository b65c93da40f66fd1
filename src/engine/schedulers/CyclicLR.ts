import { valueError } from '../errors';
import { pyDiv, pyFloat, pyPow } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { Float, toNumber } from '../python/values';
import { checkedByTorch, optional, required, signature, withDefaults } from '../signature';
import { callLambda, LrLambda } from './lambdas';
import { formatParam, LRScheduler } from './LRScheduler';
import { setMomentum, usesBeta1 } from './momentum';

export interface CyclicLROptions {
  baseLr: number | number[];
  maxLr: number | number[];
  stepSizeUp?: number;
  stepSizeDown?: number | null;
  mode?: string;
  gamma?: number;
  scaleFn?: LrLambda | null;
  scaleMode?: string;
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  lastEpoch?: number;
}

/** Cycles lr between base_lr and max_lr (and momentum inversely); last_epoch counts batches. Not chainable. */
export class CyclicLR extends LRScheduler {
  static readonly signature = signature('CyclicLR.__init__', [
    required('base_lr', 'number-or-list'),
    required('max_lr', 'number-or-list'),
    checkedByTorch(optional('step_size_up', 2000)),
    checkedByTorch(optional('step_size_down', null, 'optional-number')),
    optional('mode', 'triangular', 'string'),
    optional('gamma', 1.0),
    optional('scale_fn', null, 'any'),
    optional('scale_mode', 'cycle', 'string'),
    optional('cycle_momentum', true, 'bool'),
    optional('base_momentum', 0.8, 'number-or-list'),
    optional('max_momentum', 0.9, 'number-or-list'),
    optional('last_epoch', -1),
  ]);
  readonly typeName = 'CyclicLR';
  readonly maxLrs: number[];
  readonly totalSize: number;
  readonly stepRatio: number;
  readonly mode: string;
  readonly gamma: number;
  readonly scaleMode: string;
  readonly cycleMomentum: boolean;
  private readonly scaleFn: (x: number | Float) => number;
  private readonly useBeta1: boolean = false;
  private readonly baseMomentums: number[] = [];
  private readonly maxMomentums: number[] = [];

  constructor(optimizer: Optimizer, options: CyclicLROptions) {
    super(optimizer);
    const o = withDefaults(CyclicLR.signature, options);
    const lastEpoch = toNumber(o.lastEpoch);
    const baseLrs = formatParam('base_lr', optimizer, o.baseLr).map(toNumber);
    if (lastEpoch === -1) optimizer.paramGroups.forEach((group, i) => (group.lr = baseLrs[i]));
    this.maxLrs = formatParam('max_lr', optimizer, o.maxLr).map(toNumber);
    // torch converts with float(), which also accepts numeric strings.
    const up = pyFloat(o.stepSizeUp);
    const down = o.stepSizeDown === null ? up : pyFloat(o.stepSizeDown);
    this.totalSize = up + down;
    this.stepRatio = pyDiv(up, this.totalSize);
    const custom = o.scaleFn;
    if (!['triangular', 'triangular2', 'exp_range'].includes(o.mode) && custom === null) {
      throw valueError('mode is invalid and scale_fn is None');
    }
    this.mode = o.mode;
    this.gamma = toNumber(o.gamma);
    if (custom !== null) {
      this.scaleFn = (x) => callLambda(custom, x);
      this.scaleMode = o.scaleMode;
    } else if (this.mode === 'triangular') {
      this.scaleFn = () => 1.0;
      this.scaleMode = 'cycle';
    } else if (this.mode === 'triangular2') {
      this.scaleFn = (x) => 1 / pyPow(2.0, toNumber(x) - 1);
      this.scaleMode = 'cycle';
    } else {
      this.scaleFn = (x) => pyPow(this.gamma, toNumber(x));
      this.scaleMode = 'iterations';
    }
    this.cycleMomentum = Boolean(toNumber(o.cycleMomentum));
    if (this.cycleMomentum) {
      this.useBeta1 = usesBeta1(optimizer);
      this.baseMomentums = formatParam('base_momentum', optimizer, o.baseMomentum).map(toNumber);
      this.maxMomentums = formatParam('max_momentum', optimizer, o.maxMomentum).map(toNumber);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((group, i) => {
          setMomentum(group, this.useBeta1, this.maxMomentums[i]);
          group.max_momentum = this.maxMomentums[i];
          group.base_momentum = this.baseMomentums[i];
        });
      }
    }
    // torch runs the initial step with base_lrs = initial_lr, and only then installs base_lr.
    this.initialize(lastEpoch);
    this.baseLrs = baseLrs;
  }

  protected computeLr(out: number[]): void {
    const k = this.lastEpoch;
    const cycle = Math.floor(1 + pyDiv(k, this.totalSize));
    const x = 1.0 + pyDiv(k, this.totalSize) - cycle;
    const scaleFactor = x <= this.stepRatio ? pyDiv(x, this.stepRatio) : pyDiv(x - 1, this.stepRatio - 1);
    const scaleArgument = this.scaleMode === 'cycle' ? cycle : this.lastEpochValue();
    for (let i = 0; i < this.baseLrs.length; i++) {
      out[i] = this.baseLrs[i] + (this.maxLrs[i] - this.baseLrs[i]) * scaleFactor * this.scaleFn(scaleArgument);
    }
    if (this.cycleMomentum) {
      const groups = this.optimizer.paramGroups;
      for (let i = 0; i < groups.length; i++) {
        const height = (this.maxMomentums[i] - this.baseMomentums[i]) * scaleFactor;
        setMomentum(groups[i], this.useBeta1, this.maxMomentums[i] - height * this.scaleFn(scaleArgument));
      }
    }
  }
}
