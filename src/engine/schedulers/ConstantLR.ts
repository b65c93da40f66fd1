import { valueError } from '../errors';
import { FLOAT_ONE, pyCompare, pyDiv } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { toNumber } from '../python/values';
import { checkedByTorch, optional, signature, withDefaults } from '../signature';
import { copyCurrentLrs, LRScheduler } from './LRScheduler';

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

  protected computeLr(out: number[]): void {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch !== 0 && this.lastEpoch !== this.totalIters) return copyCurrentLrs(groups, out);
    const factor = this.lastEpoch === 0 ? this.factor : pyDiv(1.0, this.factor);
    for (let i = 0; i < groups.length; i++) out[i] = groups[i].lr * factor;
  }

  protected override closedFormLr(out: number[]): void {
    const reached = this.lastEpoch >= this.totalIters ? 1 : 0;
    const factor = this.factor + reached * (1 - this.factor);
    for (let i = 0; i < this.baseLrs.length; i++) out[i] = this.baseLrs[i] * factor;
  }
}
