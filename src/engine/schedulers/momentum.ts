// Momentum cycling (CyclicLR, OneCycleLR): torch writes `momentum` when the optimizer's defaults
// have it (SGD, RMSprop), else `betas[0]` (the Adam family).
import { valueError } from '../errors';
import type { Optimizer, ParamGroup } from '../optimizers/Optimizer';

export function usesBeta1(optimizer: Optimizer): boolean {
  if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
    throw valueError('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
  }
  return 'betas' in optimizer.defaults;
}

export function setMomentum(group: ParamGroup, useBeta1: boolean, momentum: number): void {
  if (useBeta1) group.betas = [momentum, ...(group.betas as number[]).slice(1)];
  else group.momentum = momentum;
}
