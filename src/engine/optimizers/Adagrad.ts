import { optional, withDefaults } from '../signature';
import { checkAtLeastZero, Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  foreach?: boolean | null;
  maximize?: boolean;
  differentiable?: boolean;
  fused?: boolean | null;
}

export class Adagrad extends Optimizer {
  static readonly signature = optimizerSignature('Adagrad.__init__', [
    optional('lr', 0.01),
    optional('lr_decay', 0),
    optional('weight_decay', 0),
    optional('initial_accumulator_value', 0),
    optional('eps', 1e-10),
    optional('foreach', null, 'bool'),
    optional('maximize', false, 'bool'),
    optional('differentiable', false, 'bool'),
    optional('fused', null, 'bool'),
  ]);

  constructor(params: ParamGroupInit[], options: AdagradOptions = {}) {
    const o = withDefaults(Adagrad.signature, options);
    checkAtLeastZero(o.lr, 'Invalid learning rate');
    checkAtLeastZero(o.lrDecay, 'Invalid lr_decay value');
    checkAtLeastZero(o.weightDecay, 'Invalid weight_decay value');
    checkAtLeastZero(o.initialAccumulatorValue, 'Invalid initial_accumulator_value value');
    checkAtLeastZero(o.eps, 'Invalid epsilon value');
    super(Adagrad.signature, o, params);
  }
}
