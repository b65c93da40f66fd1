import { valueError } from '../errors';
import type { Optimizer } from '../optimizers/Optimizer';
import { toNumber } from '../python/values';
import { ChainedScheduler, checkChildren } from './ChainedScheduler';
import { LRScheduler, notImplementedGetLr } from './LRScheduler';

export interface SequentialLROptions {
  schedulers: LRScheduler[];
  milestones: number[];
  lastEpoch?: number;
}

/** Python's bisect.bisect_right on a list sorted as given (torch does not sort milestones). */
function bisectRight(values: number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < values[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Runs one child at a time, switching at milestones. At a milestone the next child restarts from
 * epoch 0 through its closed form (torch's `_update_lr(0)`), so lr jumps back to initial_lr·f(0).
 */
export class SequentialLR extends LRScheduler {
  readonly typeName = 'SequentialLR';
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];

  constructor(optimizer: Optimizer, { schedulers, milestones, lastEpoch = -1 }: SequentialLROptions) {
    if (schedulers.length < 1) throw valueError('SequentialLR expects at least one scheduler, but got no scheduler.');
    checkChildren('SequentialLR', schedulers, optimizer);
    if (milestones.length !== schedulers.length - 1) {
      throw valueError(
        `Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`,
      );
    }
    super(optimizer);
    this.schedulers = schedulers;
    this.milestones = milestones.map(toNumber);
    this.lastEpoch = toNumber(lastEpoch) + 1;
    for (const group of optimizer.paramGroups) group.lr = group.initial_lr as number;
    undoInitialSteps(this);
    const index = bisectRight(this.milestones, 0);
    this.schedulers[index].initialStep();
    this.recordLastLrOf(this.schedulers[index]);
  }

  override step(): void {
    this.lastEpoch += 1;
    const index = bisectRight(this.milestones, this.lastEpoch);
    const scheduler = this.schedulers[index];
    if (index > 0 && this.milestones[index - 1] === this.lastEpoch) scheduler.updateLr(0);
    else scheduler.step();
    this.recordLastLrOf(scheduler);
  }

  /** torch's base get_lr: reached only when an outer SequentialLR restarts this one at a milestone. */
  protected computeLr(): void {
    notImplementedGetLr();
  }
}

/** `recursive_undo`: every leaf scheduler's last_epoch goes back by one. */
function undoInitialSteps(scheduler: LRScheduler): void {
  const children = scheduler instanceof SequentialLR || scheduler instanceof ChainedScheduler ? scheduler.schedulers : null;
  if (children) for (const child of children) undoInitialSteps(child);
  else scheduler.lastEpoch -= 1;
}
