import type { Optimizer } from '../optimizers/Optimizer';
import { toNumber } from '../python/values';
import { optional, required, signature, withDefaults } from '../signature';
import { callLambda, lambdasPerGroup, LrLambda } from './lambdas';
import { LRScheduler } from './LRScheduler';

export interface LambdaLROptions {
  lrLambda: LrLambda | LrLambda[];
  lastEpoch?: number;
}

/** lr = base_lr * lr_lambda(epoch); not chainable, and no closed form. */
export class LambdaLR extends LRScheduler {
  static readonly signature = signature('LambdaLR.__init__', [required('lr_lambda', 'any'), optional('last_epoch', -1)]);
  readonly typeName = 'LambdaLR';
  readonly lrLambdas: unknown[];

  constructor(optimizer: Optimizer, options: LambdaLROptions) {
    super(optimizer);
    const o = withDefaults(LambdaLR.signature, options);
    this.lrLambdas = lambdasPerGroup(optimizer, o.lrLambda);
    this.initialize(toNumber(o.lastEpoch));
  }

  protected computeLr(out: number[]): void {
    for (let i = 0; i < this.lrLambdas.length; i++) out[i] = this.baseLrs[i] * callLambda(this.lrLambdas[i], this.lastEpochValue());
  }
}
