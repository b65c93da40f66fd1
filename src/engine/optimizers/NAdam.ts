import { optional, withDefaults } from '../signature';
import { checkAtLeastZero, checkBetas, Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export interface NAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  momentumDecay?: number;
  decoupledWeightDecay?: boolean;
  foreach?: boolean | null;
  maximize?: boolean;
  capturable?: boolean;
  differentiable?: boolean;
}

export class NAdam extends Optimizer {
  static readonly signature = optimizerSignature('NAdam.__init__', [
    optional('lr', 0.002),
    optional('betas', [0.9, 0.999], 'pair'),
    optional('eps', 1e-8),
    optional('weight_decay', 0),
    optional('momentum_decay', 0.004),
    optional('decoupled_weight_decay', false, 'bool'),
    optional('foreach', null, 'bool'),
    optional('maximize', false, 'bool'),
    optional('capturable', false, 'bool'),
    optional('differentiable', false, 'bool'),
  ]);

  constructor(params: ParamGroupInit[], options: NAdamOptions = {}) {
    const o = withDefaults(NAdam.signature, options);
    checkAtLeastZero(o.lr, 'Invalid learning rate');
    checkAtLeastZero(o.eps, 'Invalid epsilon value');
    checkBetas(o.betas);
    checkAtLeastZero(o.weightDecay, 'Invalid weight_decay value');
    checkAtLeastZero(o.momentumDecay, 'Invalid momentum_decay value');
    super(NAdam.signature, o, params);
  }
}
