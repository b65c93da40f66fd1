import { pyPowOfInts } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { isPyInt, toNumber } from '../python/values';
import { optional, required, signature, withDefaults } from '../signature';
import { copyCurrentLrs, LRScheduler } from './LRScheduler';

export interface ExponentialLROptions {
  gamma: number;
  lastEpoch?: number;
}

/** Multiplies lr by gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  static readonly signature = signature('ExponentialLR.__init__', [required('gamma'), optional('last_epoch', -1)]);
  readonly typeName = 'ExponentialLR';
  readonly gamma: number;
  private readonly gammaIsInt: boolean;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super(optimizer);
    const o = withDefaults(ExponentialLR.signature, options);
    this.gamma = toNumber(o.gamma);
    this.gammaIsInt = isPyInt(o.gamma);
    this.initialize(toNumber(o.lastEpoch));
  }

  protected computeLr(out: number[]): void {
    const groups = this.optimizer.paramGroups;
    if (this.isInitial) return copyCurrentLrs(groups, out);
    for (let i = 0; i < groups.length; i++) out[i] = groups[i].lr * this.gamma;
  }

  protected override closedFormLr(out: number[]): void {
    const factor = pyPowOfInts(this.gamma, this.lastEpoch, this.gammaIsInt && this.lastEpochIsInt());
    for (let i = 0; i < this.baseLrs.length; i++) out[i] = this.baseLrs[i] * factor;
  }
}
