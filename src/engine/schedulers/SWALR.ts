import { valueError } from '../errors';
import { pyCos, pyDiv } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { isPyInt, pyStr, toNumber } from '../python/values';
import { checkedByTorch, optional, required, signature, withDefaults } from '../signature';
import { formatParam, LRScheduler } from './LRScheduler';

export interface SWALROptions {
  swaLr: number | number[];
  annealEpochs?: number;
  annealStrategy?: 'cos' | 'linear';
  lastEpoch?: number;
}

/**
 * torch.optim.swa_utils.SWALR: anneals each group's lr to swa_lr over anneal_epochs. It counts
 * `_step_count`, not last_epoch, and re-derives its start from the current lr every step.
 */
export class SWALR extends LRScheduler {
  static readonly signature = signature('SWALR.__init__', [
    required('swa_lr', 'number-or-list'),
    checkedByTorch(optional('anneal_epochs', 10)),
    optional('anneal_strategy', 'cos', 'string'),
    optional('last_epoch', -1),
  ]);
  readonly typeName = 'SWALR';
  readonly annealEpochs: number;
  readonly annealStrategy: 'cos' | 'linear';

  constructor(optimizer: Optimizer, options: SWALROptions) {
    super(optimizer);
    const o = withDefaults(SWALR.signature, options);
    const swaLrs = formatParam('swa_lr', optimizer, o.swaLr).map(toNumber);
    optimizer.paramGroups.forEach((group, i) => (group.swa_lr = swaLrs[i]));
    if (o.annealStrategy !== 'cos' && o.annealStrategy !== 'linear') {
      throw valueError(`anneal_strategy must be one of 'cos' or 'linear', instead got ${o.annealStrategy}`);
    }
    this.annealStrategy = o.annealStrategy;
    if (!isPyInt(o.annealEpochs) || toNumber(o.annealEpochs) < 0) {
      throw valueError(`anneal_epochs must be equal or greater than 0, got ${pyStr(o.annealEpochs)}`);
    }
    this.annealEpochs = toNumber(o.annealEpochs);
    this.initialize(toNumber(o.lastEpoch));
  }

  private anneal(t: number): number {
    return this.annealStrategy === 'cos' ? (1 - pyCos(Math.PI * t)) / 2 : t;
  }

  protected computeLr(out: number[]): void {
    let step = this.stepCount - 1;
    if (this.annealEpochs === 0) step = Math.max(1, step);
    const span = Math.max(1, this.annealEpochs);
    const prevAlpha = this.anneal(clampUnit(pyDiv(step - 1, span)));
    const alpha = this.anneal(clampUnit(pyDiv(step, span)));
    const groups = this.optimizer.paramGroups;
    for (let i = 0; i < groups.length; i++) {
      const swaLr = groups[i].swa_lr as number;
      const startLr = prevAlpha === 1 ? swaLr : pyDiv(groups[i].lr - prevAlpha * swaLr, 1 - prevAlpha);
      out[i] = swaLr * alpha + startLr * (1 - alpha);
    }
  }
}

/** `max(0, min(1, t))`. */
function clampUnit(t: number): number {
  return Math.max(0, Math.min(1, t));
}
