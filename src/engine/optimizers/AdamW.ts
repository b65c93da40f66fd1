import { optional, withDefaults } from '../signature';
import { AdamOptions, adamSignatureParams, checkAdamOptions } from './Adam';
import { Optimizer, optimizerSignature, ParamGroupInit } from './Optimizer';

export type AdamWOptions = Omit<AdamOptions, 'decoupledWeightDecay'>;

/** AdamW is Adam with decoupled_weight_decay=True and weight_decay 0.01 (torch 2.x). */
export class AdamW extends Optimizer {
  static readonly signature = optimizerSignature('AdamW.__init__', adamSignatureParams(0.01));
  private static readonly storedSignature = optimizerSignature('AdamW.__init__', [...adamSignatureParams(0.01), optional('decoupled_weight_decay', true, 'bool')]);

  constructor(params: ParamGroupInit[], options: AdamWOptions = {}) {
    const o = withDefaults(AdamW.signature, options);
    checkAdamOptions(o);
    super(AdamW.storedSignature, o, params);
  }
}
