import { FLOAT_ONE, FLOAT_ZERO, pyCompare } from '../numerics';
import { valueError } from '../errors';
import { pyStr } from '../python/values';
import { optional, withDefaults } from '../signature';
import { checkAtLeastZero, Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export interface AdadeltaOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weightDecay?: number;
  foreach?: boolean | null;
  capturable?: boolean;
  maximize?: boolean;
  differentiable?: boolean;
}

export class Adadelta extends Optimizer {
  static readonly signature = optimizerSignature('Adadelta.__init__', [
    optional('lr', 1.0),
    optional('rho', 0.9),
    optional('eps', 1e-6),
    optional('weight_decay', 0),
    optional('foreach', null, 'bool'),
    optional('capturable', false, 'bool'),
    optional('maximize', false, 'bool'),
    optional('differentiable', false, 'bool'),
  ]);

  constructor(params: ParamGroupInit[], options: AdadeltaOptions = {}) {
    const o = withDefaults(Adadelta.signature, options);
    checkAtLeastZero(o.lr, 'Invalid learning rate');
    if (!(pyCompare('<=', FLOAT_ZERO, o.rho) && pyCompare('<=', o.rho, FLOAT_ONE))) throw valueError(`Invalid rho value: ${pyStr(o.rho)}`);
    checkAtLeastZero(o.eps, 'Invalid epsilon value');
    checkAtLeastZero(o.weightDecay, 'Invalid weight_decay value');
    super(Adadelta.signature, o, params);
  }
}
