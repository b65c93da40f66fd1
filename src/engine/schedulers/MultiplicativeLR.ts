import { typeError } from '../errors';
import type { Optimizer } from '../optimizers/Optimizer';
import { pyTypeName, toNumber } from '../python/values';
import { optional, required, signature, withDefaults } from '../signature';
import { callLambda, lambdasPerGroup, LrLambda } from './lambdas';
import { copyCurrentLrs, LRScheduler } from './LRScheduler';

export interface MultiplicativeLROptions {
  lrLambda: LrLambda | LrLambda[];
  lastEpoch?: number;
}

/** lr = lr * lr_lambda(epoch) at every step after construction. */
export class MultiplicativeLR extends LRScheduler {
  static readonly signature = signature('MultiplicativeLR.__init__', [required('lr_lambda', 'any'), optional('last_epoch', -1)]);
  readonly typeName = 'MultiplicativeLR';
  readonly lrLambdas: unknown[];

  constructor(optimizer: Optimizer, options: MultiplicativeLROptions) {
    super(optimizer);
    const o = withDefaults(MultiplicativeLR.signature, options);
    this.lrLambdas = lambdasPerGroup(optimizer, o.lrLambda);
    for (const fn of this.lrLambdas) {
      if (typeof fn !== 'function') throw typeError(`lr_lambda should be a function, but got ${pyTypeName(fn)}`);
    }
    this.initialize(toNumber(o.lastEpoch));
  }

  protected computeLr(out: number[]): void {
    const groups = this.optimizer.paramGroups;
    if (this.isInitial) return copyCurrentLrs(groups, out);
    for (let i = 0; i < groups.length; i++) out[i] = groups[i].lr * callLambda(this.lrLambdas[i], this.lastEpochValue());
  }
}
