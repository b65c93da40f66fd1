import { optional, withDefaults } from '../signature';
import { checkAtLeastZero, Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  capturable?: boolean;
  foreach?: boolean | null;
  maximize?: boolean;
  differentiable?: boolean;
}

export class RMSprop extends Optimizer {
  static readonly signature = optimizerSignature('RMSprop.__init__', [
    optional('lr', 0.01),
    optional('alpha', 0.99),
    optional('eps', 1e-8),
    optional('weight_decay', 0),
    optional('momentum', 0),
    optional('centered', false, 'bool'),
    optional('capturable', false, 'bool'),
    optional('foreach', null, 'bool'),
    optional('maximize', false, 'bool'),
    optional('differentiable', false, 'bool'),
  ]);

  constructor(params: ParamGroupInit[], options: RMSpropOptions = {}) {
    const o = withDefaults(RMSprop.signature, options);
    checkAtLeastZero(o.lr, 'Invalid learning rate');
    checkAtLeastZero(o.eps, 'Invalid epsilon value');
    checkAtLeastZero(o.momentum, 'Invalid momentum value');
    checkAtLeastZero(o.weightDecay, 'Invalid weight_decay value');
    checkAtLeastZero(o.alpha, 'Invalid alpha value');
    super(RMSprop.signature, o, params);
  }
}
