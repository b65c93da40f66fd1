import { pyFloorDiv, pyMod, pyPow } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { isPyInt, toNumber } from '../python/values';
import { optional, required, signature, withDefaults } from '../signature';
import { currentLrs, LRScheduler } from './LRScheduler';

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

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super(optimizer);
    const o = withDefaults(StepLR.signature, options);
    this.stepSize = toNumber(o.stepSize);
    this.stepSizeIsInt = isPyInt(o.stepSize);
    this.gamma = toNumber(o.gamma);
    this.initialize(toNumber(o.lastEpoch));
  }

  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const k = this.lastEpoch;
    if (k === 0 || pyMod(k, this.stepSize, this.intOperands()) !== 0) return currentLrs(groups);
    return groups.map((group) => group.lr * this.gamma);
  }

  override closedFormLr(): number[] {
    const exponent = pyFloorDiv(this.lastEpoch, this.stepSize, this.intOperands());
    return this.baseLrs.map((base) => base * pyPow(this.gamma, exponent));
  }

  private intOperands(): boolean {
    return this.stepSizeIsInt && Number.isInteger(this.lastEpoch);
  }
}
