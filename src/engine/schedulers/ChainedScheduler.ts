import { valueError } from '../errors';
import type { Optimizer } from '../optimizers/Optimizer';
import { LRScheduler, notImplementedGetLr } from './LRScheduler';
import { ReduceLROnPlateau } from './ReduceLROnPlateau';

/** Steps every child in order each step; lr after construction already holds every child's initial step. */
export class ChainedScheduler extends LRScheduler {
  readonly typeName = 'ChainedScheduler';
  readonly schedulers: LRScheduler[];

  constructor(schedulers: LRScheduler[], optimizer?: Optimizer | null) {
    if (schedulers.length < 1) throw valueError('ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.');
    const owner = optimizer ?? schedulers[0].optimizer;
    checkChildren('ChainedScheduler', schedulers, owner);
    super(owner);
    this.schedulers = schedulers;
    this.recordLastLr();
  }

  override step(): void {
    for (const scheduler of this.schedulers) scheduler.step();
    this.recordLastLr();
  }

  /** torch's base get_lr: reached only when SequentialLR restarts a ChainedScheduler at a milestone. */
  protected computeLr(): void {
    notImplementedGetLr();
  }
}

/** The checks ChainedScheduler and SequentialLR make of their children, with torch's messages. */
export function checkChildren(owner: string, schedulers: LRScheduler[], optimizer: Optimizer): void {
  schedulers.forEach((scheduler, index) => {
    if (scheduler instanceof ReduceLROnPlateau) {
      throw valueError(
        `${owner} does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be specified when calling \`step\`, but got one at index ${index} in the given schedulers sequence.`,
      );
    }
    if (scheduler.optimizer !== optimizer) {
      throw valueError(
        `${owner} expects all schedulers to belong to the same optimizer, but got scheduler ${scheduler.typeName} at index ${index} has ${scheduler.optimizer.typeName}, which is different from ${optimizer.typeName}.`,
      );
    }
  });
}
