import { pyFloorDiv, pyModIsZero, pyPowOfInts } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { isPyInt, toNumber } from '../python/values';
import { optional, required, signature, withDefaults } from '../signature';
import { copyCurrentLrs, LRScheduler } from './LRScheduler';

export interface StepLROptions {
  stepSize: number;
  gamma?: number;
  lastEpoch?: number;
}

/** Decays lr by gamma every step_size epochs. */
export class StepLR extends LRScheduler {
  static readonly signature = signature('StepLR.__init__', [required('step_size'), optional('gamma', 0.1), optional('last_epoch', -1)]);
  readonly typeName = 'StepLR';
  readonly stepSize: number;
  readonly gamma: number;
  private readonly stepSizeIsInt: boolean;
  private readonly gammaIsInt: boolean;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super(optimizer);
    const o = withDefaults(StepLR.signature, options);
    this.stepSize = toNumber(o.stepSize);
    this.stepSizeIsInt = isPyInt(o.stepSize);
    this.gamma = toNumber(o.gamma);
    this.gammaIsInt = isPyInt(o.gamma);
    this.initialize(toNumber(o.lastEpoch));
  }

  protected computeLr(out: number[]): void {
    const groups = this.optimizer.paramGroups;
    const k = this.lastEpoch;
    if (k === 0 || !pyModIsZero(k, this.stepSize, this.intOperands())) return copyCurrentLrs(groups, out);
    for (let i = 0; i < groups.length; i++) out[i] = groups[i].lr * this.gamma;
  }

  protected override closedFormLr(out: number[]): void {
    const ints = this.intOperands();
    const factor = pyPowOfInts(this.gamma, pyFloorDiv(this.lastEpoch, this.stepSize, ints), ints && this.gammaIsInt);
    for (let i = 0; i < this.baseLrs.length; i++) out[i] = this.baseLrs[i] * factor;
  }

  private intOperands(): boolean {
    return this.stepSizeIsInt && this.lastEpochIsInt();
  }
}
