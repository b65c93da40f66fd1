import { valueError } from '../errors';
import { FLOAT_ONE, pyCompare, pyDiv } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { toNumber } from '../python/values';
import { checkedByTorch, optional, signature, withDefaults } from '../signature';
import { currentLrs, LRScheduler } from './LRScheduler';

export interface ConstantLROptions {
  factor?: number;
  totalIters?: number;
  lastEpoch?: number;
}

/** Multiplies lr by factor until total_iters, then restores it. */
export class ConstantLR extends LRScheduler {
  static readonly signature = signature('ConstantLR.__init__', [checkedByTorch(optional('factor', 1 / 3)), optional('total_iters', 5), optional('last_epoch', -1)]);
  readonly typeName = 'ConstantLR';
  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: Optimizer, options: ConstantLROptions = {}) {
    super(optimizer);
    const o = withDefaults(ConstantLR.signature, options);
    if (pyCompare('>', o.factor, FLOAT_ONE) || pyCompare('<', o.factor, 0)) throw valueError('Constant multiplicative factor expected to be between 0 and 1.');
    this.factor = toNumber(o.factor);
    this.totalIters = toNumber(o.totalIters);
    this.initialize(toNumber(o.lastEpoch));
  }

  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((group) => group.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return currentLrs(groups);
    const restore = pyDiv(1.0, this.factor);
    return groups.map((group) => group.lr * restore);
  }

  override closedFormLr(): number[] {
    const reached = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + reached * (1 - this.factor)));
  }
}
