import { optional, withDefaults } from '../signature';
import { checkAtLeastZero, checkBetas, Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export interface AdamaxOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  foreach?: boolean | null;
  maximize?: boolean;
  differentiable?: boolean;
  capturable?: boolean;
}

export class Adamax extends Optimizer {
  static readonly signature = optimizerSignature('Adamax.__init__', [
    optional('lr', 0.002),
    optional('betas', [0.9, 0.999], 'pair'),
    optional('eps', 1e-8),
    optional('weight_decay', 0),
    optional('foreach', null, 'bool'),
    optional('maximize', false, 'bool'),
    optional('differentiable', false, 'bool'),
    optional('capturable', false, 'bool'),
  ]);

  constructor(params: ParamGroupInit[], options: AdamaxOptions = {}) {
    const o = withDefaults(Adamax.signature, options);
    checkAtLeastZero(o.lr, 'Invalid learning rate');
    checkAtLeastZero(o.eps, 'Invalid epsilon value');
    checkBetas(o.betas);
    checkAtLeastZero(o.weightDecay, 'Invalid weight_decay value');
    super(Adamax.signature, o, params);
  }
}
