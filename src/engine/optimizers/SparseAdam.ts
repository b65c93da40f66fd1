import { FLOAT_ZERO, pyCompare } from '../numerics';
import { valueError } from '../errors';
import { pyStr } from '../python/values';
import { optional, withDefaults } from '../signature';
import { checkBetas, Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export interface SparseAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  maximize?: boolean;
}

export class SparseAdam extends Optimizer {
  static readonly signature = optimizerSignature('SparseAdam.__init__', [
    optional('lr', 0.001),
    optional('betas', [0.9, 0.999], 'pair'),
    optional('eps', 1e-8),
    optional('maximize', false, 'bool'),
  ]);

  constructor(params: ParamGroupInit[], options: SparseAdamOptions = {}) {
    const o = withDefaults(SparseAdam.signature, options);
    // SparseAdam, unlike the others, rejects a zero lr and eps.
    if (!pyCompare('<', FLOAT_ZERO, o.lr)) throw valueError(`Invalid learning rate: ${pyStr(o.lr)}`);
    if (!pyCompare('<', FLOAT_ZERO, o.eps)) throw valueError(`Invalid epsilon value: ${pyStr(o.eps)}`);
    checkBetas(o.betas);
    super(SparseAdam.signature, o, params);
  }
}
