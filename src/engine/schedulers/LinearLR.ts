import { valueError } from '../errors';
import { FLOAT_ONE, pyCompare, pyDiv } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { isPyInt, toNumber } from '../python/values';
import { checkedByTorch, optional, signature, withDefaults } from '../signature';
import { copyCurrentLrs, LRScheduler } from './LRScheduler';

export interface LinearLROptions {
  startFactor?: number;
  endFactor?: number;
  totalIters?: number;
  lastEpoch?: number;
}

/** Moves the lr factor linearly from start_factor to end_factor over total_iters epochs. */
export class LinearLR extends LRScheduler {
  static readonly signature = signature('LinearLR.__init__', [
    checkedByTorch(optional('start_factor', 1 / 3)),
    checkedByTorch(optional('end_factor', 1.0)),
    optional('total_iters', 5),
    optional('last_epoch', -1),
  ]);
  readonly typeName = 'LinearLR';
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  private readonly intFactors: boolean;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    super(optimizer);
    const o = withDefaults(LinearLR.signature, options);
    if (pyCompare('>', o.startFactor, FLOAT_ONE) || pyCompare('<=', o.startFactor, 0)) {
      throw valueError('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.');
    }
    if (pyCompare('>', o.endFactor, FLOAT_ONE) || pyCompare('<', o.endFactor, 0)) throw valueError('Ending multiplicative factor expected to be between 0 and 1.');
    this.startFactor = toNumber(o.startFactor);
    this.endFactor = toNumber(o.endFactor);
    this.totalIters = toNumber(o.totalIters);
    this.intFactors = isPyInt(o.startFactor) && isPyInt(o.endFactor) && isPyInt(o.totalIters);
    this.initialize(toNumber(o.lastEpoch));
  }

  protected computeLr(out: number[]): void {
    const groups = this.optimizer.paramGroups;
    const k = this.lastEpoch;
    if (k !== 0 && (this.isInitial || k > this.totalIters)) return copyCurrentLrs(groups, out);
    const delta = this.endFactor - this.startFactor;
    const factor = k === 0 ? this.startFactor : 1.0 + pyDiv(delta, this.totalIters * this.startFactor + (k - 1) * delta);
    for (let i = 0; i < groups.length; i++) out[i] = groups[i].lr * factor;
  }

  protected override closedFormLr(out: number[]): void {
    const reached = Math.min(this.totalIters, this.lastEpoch);
    const progress = pyDiv((this.endFactor - this.startFactor) * reached, this.totalIters, this.intFactors && this.lastEpochIsInt());
    const factor = this.startFactor + progress;
    for (let i = 0; i < this.baseLrs.length; i++) out[i] = this.baseLrs[i] * factor;
  }
}
