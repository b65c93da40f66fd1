import { pyDiv, pyPow } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { isPyInt, toNumber } from '../python/values';
import { optional, signature, withDefaults } from '../signature';
import { currentLrs, LRScheduler } from './LRScheduler';

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

  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const k = this.lastEpoch;
    if (this.isInitial || k > this.totalIters) return currentLrs(groups);
    const ints = this.totalItersIsInt && Number.isInteger(k);
    const ratio = pyDiv(1.0 - pyDiv(k, this.totalIters, ints), 1.0 - pyDiv(k - 1, this.totalIters, ints));
    const decay = pyPow(ratio, this.power);
    return groups.map((group) => group.lr * decay);
  }

  override closedFormLr(): number[] {
    const ints = this.totalItersIsInt && Number.isInteger(this.lastEpoch);
    const remaining = 1.0 - pyDiv(Math.min(this.totalIters, this.lastEpoch), this.totalIters, ints);
    return this.baseLrs.map((base) => base * pyPow(remaining, this.power));
  }
}
