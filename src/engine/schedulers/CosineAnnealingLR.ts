import { pyCos, pyDiv, pyMod } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { isPyInt, toNumber } from '../python/values';
import { optional, required, signature, withDefaults } from '../signature';
import { currentLrs, LRScheduler } from './LRScheduler';

export interface CosineAnnealingLROptions {
  tMax: number;
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * The recursive cosine (torch's chainable form): it multiplies the current lr, so it composes with
 * other schedulers, and it keeps oscillating with period 2·T_max past T_max.
 */
export class CosineAnnealingLR extends LRScheduler {
  static readonly signature = signature('CosineAnnealingLR.__init__', [required('T_max', 'number', 'tMax'), optional('eta_min', 0.0), optional('last_epoch', -1)]);
  readonly typeName = 'CosineAnnealingLR';
  readonly tMax: number;
  readonly etaMin: number;
  private readonly tMaxIsInt: boolean;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super(optimizer);
    const o = withDefaults(CosineAnnealingLR.signature, options);
    this.tMax = toNumber(o.tMax);
    this.tMaxIsInt = isPyInt(o.tMax);
    this.etaMin = toNumber(o.etaMin);
    this.initialize(toNumber(o.lastEpoch));
  }

  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const k = this.lastEpoch;
    const { tMax, etaMin } = this;
    if (this.isInitial) return currentLrs(groups);
    if (this.stepCount === 1 && k > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + pyCos(pyDiv(k * Math.PI, tMax)))) / 2);
    }
    if (pyMod(k - 1 - tMax, 2 * tMax, this.tMaxIsInt && Number.isInteger(k)) === 0) {
      return groups.map((group, i) => group.lr + ((this.baseLrs[i] - etaMin) * (1 - pyCos(pyDiv(Math.PI, tMax)))) / 2);
    }
    const ratio = pyDiv(1 + pyCos(pyDiv(Math.PI * k, tMax)), 1 + pyCos(pyDiv(Math.PI * (k - 1), tMax)));
    return groups.map((group) => ratio * (group.lr - etaMin) + etaMin);
  }

  override closedFormLr(): number[] {
    const cosine = 1 + pyCos(pyDiv(Math.PI * this.lastEpoch, this.tMax));
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * cosine) / 2);
  }
}
