import { pyPowOfInts } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { isNumberLike, isPyInt, pyRepr, pyTypeName, toNumber } from '../python/values';
import { typeError, UnsupportedError } from '../errors';
import { checkedByTorch, optional, required, signature, withDefaults } from '../signature';
import { copyCurrentLrs, LRScheduler } from './LRScheduler';

export interface MultiStepLROptions {
  milestones: number[];
  gamma?: number;
  lastEpoch?: number;
}

/** Decays lr by gamma at each milestone; repeated milestones compound (torch keeps a Counter). */
export class MultiStepLR extends LRScheduler {
  static readonly signature = signature('MultiStepLR.__init__', [checkedByTorch(required('milestones', 'number-list')), optional('gamma', 0.1), optional('last_epoch', -1)]);
  readonly typeName = 'MultiStepLR';
  readonly milestones = new Map<number, number>();
  readonly gamma: number;
  private readonly gammaIsInt: boolean;

  constructor(optimizer: Optimizer, options: MultiStepLROptions) {
    super(optimizer);
    const o = withDefaults(MultiStepLR.signature, options);
    for (const milestone of milestoneList(o.milestones)) this.milestones.set(milestone, (this.milestones.get(milestone) ?? 0) + 1);
    this.gamma = toNumber(o.gamma);
    this.gammaIsInt = isPyInt(o.gamma);
    this.initialize(toNumber(o.lastEpoch));
  }

  protected computeLr(out: number[]): void {
    const groups = this.optimizer.paramGroups;
    const count = this.milestones.get(this.lastEpoch);
    if (count === undefined) return copyCurrentLrs(groups, out);
    const factor = pyPowOfInts(this.gamma, count, this.gammaIsInt);
    for (let i = 0; i < groups.length; i++) out[i] = groups[i].lr * factor;
  }

  protected override closedFormLr(out: number[]): void {
    let passed = 0;
    for (const [milestone, count] of this.milestones) if (milestone <= this.lastEpoch) passed += count;
    const factor = pyPowOfInts(this.gamma, passed, this.gammaIsInt);
    for (let i = 0; i < this.baseLrs.length; i++) out[i] = this.baseLrs[i] * factor;
  }
}

/** `Counter(milestones)` accepts any iterable; LR Lens models iterables of numbers. */
function milestoneList(milestones: unknown): number[] {
  if (Array.isArray(milestones) && milestones.every(isNumberLike)) return milestones.map(toNumber);
  if (milestones === null) return []; // Counter(None) is an empty Counter
  if (isNumberLike(milestones)) throw typeError(`'${pyTypeName(milestones)}' object is not iterable`);
  throw new UnsupportedError(`LR Lens does not model MultiStepLR(milestones=${pyRepr(milestones)}): torch expects a list of epochs`);
}
