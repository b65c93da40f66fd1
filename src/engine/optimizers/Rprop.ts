import { FLOAT_ONE, FLOAT_ZERO, pyCompare } from '../numerics';
import { valueError } from '../errors';
import { pyStr } from '../python/values';
import { optional, withDefaults } from '../signature';
import { checkAtLeastZero, Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export interface RpropOptions {
  lr?: number;
  etas?: [number, number];
  stepSizes?: [number, number];
  capturable?: boolean;
  foreach?: boolean | null;
  maximize?: boolean;
  differentiable?: boolean;
}

export class Rprop extends Optimizer {
  static readonly signature = optimizerSignature('Rprop.__init__', [
    optional('lr', 0.01),
    optional('etas', [0.5, 1.2], 'pair'),
    optional('step_sizes', [1e-6, 50], 'pair'),
    optional('capturable', false, 'bool'),
    optional('foreach', null, 'bool'),
    optional('maximize', false, 'bool'),
    optional('differentiable', false, 'bool'),
  ]);

  constructor(params: ParamGroupInit[], options: RpropOptions = {}) {
    const o = withDefaults(Rprop.signature, options);
    checkAtLeastZero(o.lr, 'Invalid learning rate');
    const [etaMinus, etaPlus] = o.etas;
    if (!(pyCompare('<', FLOAT_ZERO, etaMinus) && pyCompare('<', etaMinus, FLOAT_ONE) && pyCompare('<', FLOAT_ONE, etaPlus))) {
      throw valueError(`Invalid eta values: ${pyStr(o.etas[0])}, ${pyStr(o.etas[1])}`);
    }
    super(Rprop.signature, o, params);
  }
}
