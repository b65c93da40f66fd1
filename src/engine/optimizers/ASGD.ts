import { optional, withDefaults } from '../signature';
import { checkAtLeastZero, Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export interface ASGDOptions {
  lr?: number;
  lambd?: number;
  alpha?: number;
  t0?: number;
  weightDecay?: number;
  foreach?: boolean | null;
  maximize?: boolean;
  differentiable?: boolean;
  capturable?: boolean;
}

export class ASGD extends Optimizer {
  static readonly signature = optimizerSignature('ASGD.__init__', [
    optional('lr', 0.01),
    optional('lambd', 0.0001),
    optional('alpha', 0.75),
    optional('t0', 1000000.0),
    optional('weight_decay', 0),
    optional('foreach', null, 'bool'),
    optional('maximize', false, 'bool'),
    optional('differentiable', false, 'bool'),
    optional('capturable', false, 'bool'),
  ]);

  constructor(params: ParamGroupInit[], options: ASGDOptions = {}) {
    const o = withDefaults(ASGD.signature, options);
    checkAtLeastZero(o.lr, 'Invalid learning rate');
    checkAtLeastZero(o.weightDecay, 'Invalid weight_decay value');
    super(ASGD.signature, o, params);
  }
}
