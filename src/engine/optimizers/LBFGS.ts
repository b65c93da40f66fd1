import { valueError } from '../errors';
import { toNumber } from '../python/values';
import { optional, withDefaults } from '../signature';
import { checkAtLeastZero, Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export interface LBFGSOptions {
  lr?: number;
  maxIter?: number;
  maxEval?: number | null;
  toleranceGrad?: number;
  toleranceChange?: number;
  historySize?: number;
  lineSearchFn?: string | null;
}

export class LBFGS extends Optimizer {
  static readonly signature = optimizerSignature('LBFGS.__init__', [
    optional('lr', 1),
    optional('max_iter', 20),
    optional('max_eval', null, 'optional-number'),
    optional('tolerance_grad', 1e-7),
    optional('tolerance_change', 1e-9),
    optional('history_size', 100),
    optional('line_search_fn', null, 'optional-string'),
  ]);

  constructor(params: ParamGroupInit[], options: LBFGSOptions = {}) {
    const o = withDefaults(LBFGS.signature, options);
    checkAtLeastZero(o.lr, 'Invalid learning rate');
    // torch: max_eval = max_iter * 5 // 4 when not given.
    const maxEval = o.maxEval ?? Math.floor((toNumber(o.maxIter) * 5) / 4);
    super(LBFGS.signature, { ...o, maxEval }, params);
    if (this.paramGroups.length !== 1) throw valueError("LBFGS doesn't support per-parameter options (parameter groups)");
  }
}
