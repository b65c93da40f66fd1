import { pyDiv, pyPow } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { isPyInt, toNumber } from '../python/values';
import { optional, signature, withDefaults } from '../signature';
import { copyCurrentLrs, LRScheduler } from './LRScheduler';

export interface PolynomialLROptions {
  totalIters?: number;
  power?: number;
  lastEpoch?: number;
}

/** Decays lr polynomially to exactly 0 at total_iters (no floor). */
export class PolynomialLR extends LRScheduler {
  static readonly signature = signature('PolynomialLR.__init__', [optional('total_iters', 5), optional('power', 1.0), optional('last_epoch', -1)]);
  readonly typeName = 'PolynomialLR';
  readonly totalIters: number;
  readonly power: number;
  private readonly totalItersIsInt: boolean;

  constructor(optimizer: Optimizer, options: PolynomialLROptions = {}) {
    super(optimizer);
    const o = withDefaults(PolynomialLR.signature, options);
    this.totalIters = toNumber(o.totalIters);
    this.totalItersIsInt = isPyInt(o.totalIters);
    this.power = toNumber(o.power);
    this.initialize(toNumber(o.lastEpoch));
  }

  protected computeLr(out: number[]): void {
    const groups = this.optimizer.paramGroups;
    const k = this.lastEpoch;
    if (this.isInitial || k > this.totalIters) return copyCurrentLrs(groups, out);
    const ints = this.totalItersIsInt && this.lastEpochIsInt();
    const ratio = pyDiv(1.0 - pyDiv(k, this.totalIters, ints), 1.0 - pyDiv(k - 1, this.totalIters, ints));
    const decay = pyPow(ratio, this.power);
    for (let i = 0; i < groups.length; i++) out[i] = groups[i].lr * decay;
  }

  protected override closedFormLr(out: number[]): void {
    // min() returns one of its arguments, so the division is int/int when that one and total_iters are ints.
    const reached = Math.min(this.totalIters, this.lastEpoch);
    const reachedIsInt = reached === this.totalIters ? this.totalItersIsInt : this.lastEpochIsInt();
    const factor = pyPow(1.0 - pyDiv(reached, this.totalIters, reachedIsInt && this.totalItersIsInt), this.power);
    for (let i = 0; i < this.baseLrs.length; i++) out[i] = this.baseLrs[i] * factor;
  }
}
