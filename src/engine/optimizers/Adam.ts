import { valueError } from '../errors';
import { isPyFloat } from '../python/values';
import { optional, withDefaults } from '../signature';
import { checkAtLeastZero, checkBetas, Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  foreach?: boolean | null;
  maximize?: boolean;
  capturable?: boolean;
  differentiable?: boolean;
  fused?: boolean | null;
  decoupledWeightDecay?: boolean;
}

export const adamSignatureParams = (weightDecay: number) => [
  optional('lr', 0.001),
  optional('betas', [0.9, 0.999], 'pair'),
  optional('eps', 1e-8),
  optional('weight_decay', weightDecay),
  optional('amsgrad', false, 'bool'),
  optional('foreach', null, 'bool'),
  optional('maximize', false, 'bool'),
  optional('capturable', false, 'bool'),
  optional('differentiable', false, 'bool'),
  optional('fused', null, 'bool'),
];

/** Adam's checks, in torch's order (AdamW runs them too). */
export function checkAdamOptions(o: { lr: unknown; eps: unknown; betas: unknown[]; weightDecay: unknown }): void {
  checkAtLeastZero(o.lr, 'Invalid learning rate');
  checkAtLeastZero(o.eps, 'Invalid epsilon value');
  checkBetas(o.betas);
  checkAtLeastZero(o.weightDecay, 'Invalid weight_decay value');
  if (!(isPyFloat(o.betas[0]) && isPyFloat(o.betas[1]))) throw valueError('betas must be either both floats or both Tensors');
}

export class Adam extends Optimizer {
  static readonly signature = optimizerSignature('Adam.__init__', [...adamSignatureParams(0), optional('decoupled_weight_decay', false, 'bool')]);

  constructor(params: ParamGroupInit[], options: AdamOptions = {}) {
    const o = withDefaults(Adam.signature, options);
    checkAdamOptions(o);
    super(Adam.signature, o, params);
  }
}
