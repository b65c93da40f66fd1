import { pyCos, pyDiv, pyModIsZero } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { isPyInt, toNumber } from '../python/values';
import { optional, required, signature, withDefaults } from '../signature';
import { copyCurrentLrs, LRScheduler } from './LRScheduler';

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
  private cachedK = NaN;
  private cachedCos = NaN;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super(optimizer);
    const o = withDefaults(CosineAnnealingLR.signature, options);
    this.tMax = toNumber(o.tMax);
    this.tMaxIsInt = isPyInt(o.tMax);
    this.etaMin = toNumber(o.etaMin);
    this.initialize(toNumber(o.lastEpoch));
  }

  protected computeLr(out: number[]): void {
    const groups = this.optimizer.paramGroups;
    const { baseLrs, tMax, etaMin } = this;
    const k = this.lastEpoch;
    if (this.isInitial) return copyCurrentLrs(groups, out);
    if (this.stepCount === 1 && k > 0) {
      const cosine = 1 + pyCos(pyDiv(k * Math.PI, tMax));
      for (let i = 0; i < groups.length; i++) out[i] = etaMin + ((baseLrs[i] - etaMin) * cosine) / 2;
    } else if (pyModIsZero(k - 1 - tMax, 2 * tMax, this.tMaxIsInt && this.lastEpochIsInt())) {
      const rise = 1 - pyCos(pyDiv(Math.PI, tMax));
      for (let i = 0; i < groups.length; i++) out[i] = groups[i].lr + ((baseLrs[i] - etaMin) * rise) / 2;
    } else {
      // k - 1 first: it is the value cached by the previous step; then k, cached for the next one.
      const previous = this.cosineAt(k - 1);
      const ratio = pyDiv(1 + this.cosineAt(k), 1 + previous);
      for (let i = 0; i < groups.length; i++) out[i] = ratio * (groups[i].lr - etaMin) + etaMin;
    }
  }

  /**
   * cos(π·k/T_max). Stepping in order needs cos at k and k-1, and k-1's was computed the step before:
   * the same argument, so reusing it gives the same bits at half the cost.
   */
  private cosineAt(k: number): number {
    if (k === this.cachedK) return this.cachedCos;
    const cosine = pyCos(pyDiv(Math.PI * k, this.tMax));
    this.cachedK = k;
    this.cachedCos = cosine;
    return cosine;
  }

  protected override closedFormLr(out: number[]): void {
    const cosine = 1 + pyCos(pyDiv(Math.PI * this.lastEpoch, this.tMax));
    for (let i = 0; i < this.baseLrs.length; i++) out[i] = this.etaMin + ((this.baseLrs[i] - this.etaMin) * cosine) / 2;
  }
}
