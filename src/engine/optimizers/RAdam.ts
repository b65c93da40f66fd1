import { optional, withDefaults } from '../signature';
import { checkAtLeastZero, checkBetas, Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export interface RAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  decoupledWeightDecay?: boolean;
  foreach?: boolean | null;
  maximize?: boolean;
  capturable?: boolean;
  differentiable?: boolean;
}

export class RAdam extends Optimizer {
  static readonly signature = optimizerSignature('RAdam.__init__', [
    optional('lr', 0.001),
    optional('betas', [0.9, 0.999], 'pair'),
    optional('eps', 1e-8),
    optional('weight_decay', 0),
    optional('decoupled_weight_decay', false, 'bool'),
    optional('foreach', null, 'bool'),
    optional('maximize', false, 'bool'),
    optional('capturable', false, 'bool'),
    optional('differentiable', false, 'bool'),
  ]);

  constructor(params: ParamGroupInit[], options: RAdamOptions = {}) {
    const o = withDefaults(RAdam.signature, options);
    checkAtLeastZero(o.lr, 'Invalid learning rate');
    checkAtLeastZero(o.eps, 'Invalid epsilon value');
    checkBetas(o.betas);
    checkAtLeastZero(o.weightDecay, 'Invalid weight_decay value');
    super(RAdam.signature, o, params);
  }
}
