import { pyCompare } from '../numerics';
import { valueError } from '../errors';
import { isNumberLike, pyTruthy, toNumber } from '../python/values';
import { optional, withDefaults } from '../signature';
import { checkNotNegative, Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
  foreach?: boolean | null;
  differentiable?: boolean;
  fused?: boolean | null;
}

export class SGD extends Optimizer {
  static readonly signature = optimizerSignature('SGD.__init__', [
    optional('lr', 0.001),
    optional('momentum', 0),
    optional('dampening', 0),
    optional('weight_decay', 0),
    optional('nesterov', false, 'bool'),
    optional('maximize', false, 'bool'),
    optional('foreach', null, 'bool'),
    optional('differentiable', false, 'bool'),
    optional('fused', null, 'bool'),
  ]);

  constructor(params: ParamGroupInit[], options: SGDOptions = {}) {
    const o = withDefaults(SGD.signature, options);
    checkNotNegative(o.lr, 'Invalid learning rate');
    checkNotNegative(o.momentum, 'Invalid momentum value');
    checkNotNegative(o.weightDecay, 'Invalid weight_decay value');
    if (pyTruthy(o.nesterov) && (pyCompare('<=', o.momentum, 0) || !pyEqualsZero(o.dampening))) {
      throw valueError('Nesterov momentum requires a momentum and zero dampening');
    }
    super(SGD.signature, o, params);
  }
}

/** `value != 0` is False only for numbers equal to zero (any other type compares unequal). */
function pyEqualsZero(value: unknown): boolean {
  return isNumberLike(value) && toNumber(value) === 0;
}
