import { pyPow } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { toNumber } from '../python/values';
import { optional, required, signature, withDefaults } from '../signature';
import { currentLrs, LRScheduler } from './LRScheduler';

export interface ExponentialLROptions {
  gamma: number;
  lastEpoch?: number;
}

/** Multiplies lr by gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  static readonly signature = signature('ExponentialLR.__init__', [required('gamma'), optional('last_epoch', -1)]);
  readonly typeName = 'ExponentialLR';
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super(optimizer);
    const o = withDefaults(ExponentialLR.signature, options);
    this.gamma = toNumber(o.gamma);
    this.initialize(toNumber(o.lastEpoch));
  }

  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.isInitial) return currentLrs(groups);
    return groups.map((group) => group.lr * this.gamma);
  }

  override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * pyPow(this.gamma, this.lastEpoch));
  }
}
