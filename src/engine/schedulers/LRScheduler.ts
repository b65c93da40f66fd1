// torch.optim.lr_scheduler.LRScheduler: construction (initial_lr, the initial step), step(),
// the deprecated step(epoch) closed-form path, get_last_lr().
import { keyError, PythonError, valueError } from '../errors';
import type { Optimizer, ParamGroup } from '../optimizers/Optimizer';
import { Float, isPyFloat, toNumber } from '../python/values';

export const EPOCH_DEPRECATION_WARNING =
  'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed form is used instead of the new chainable form, where available. Please open an issue if you are unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.';

export const STEP_BEFORE_OPTIMIZER_WARNING =
  'Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of the learning rate schedule. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate';

export const GET_LR_WARNING = 'To get the last learning rate computed by the scheduler, please use `get_last_lr()`.';

/** Where the engine reports torch's UserWarnings (torch prints them; LR Lens shows them). */
export type WarningSink = (message: string) => void;

export abstract class LRScheduler {
  optimizer: Optimizer;
  baseLrs: number[] = [];
  /** torch's last_epoch; a Python float after step(2.5) or step(3.0) (see lastEpochIsFloat). */
  lastEpoch = -1;
  /** Whether last_epoch is a Python float: it stays one through later `last_epoch += 1`. */
  protected lastEpochIsFloat = false;
  stepCount = 0;
  /** True only during the initial step (torch's `_is_initial`). */
  protected isInitial = false;
  protected lastLr: number[] = [];
  /** Scratch space for one step's values, reused so stepping allocates nothing. */
  private values: number[] = [];
  warn: WarningSink = () => {};

  /** The torch class name (minified builds keep it because each class sets it). */
  abstract readonly typeName: string;

  protected constructor(optimizer: Optimizer) {
    this.optimizer = optimizer;
  }

  /** `LRScheduler.__init__`: subclasses call it after setting their own attributes, as torch's do. */
  protected initialize(lastEpoch: number): void {
    const groups = this.optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const group of groups) if (!('initial_lr' in group)) group.initial_lr = group.lr;
    } else {
      groups.forEach((group, i) => {
        if (!('initial_lr' in group)) {
          throw keyError(
            `param 'initial_lr' is not specified in param_groups[${i}] when resuming scheduler with last_epoch >= 0.\n` +
              'This typically happens when:\n' +
              "1. You're trying to resume training from a checkpoint but haven't properly loaded the optimizer state\n" +
              "2. You're using last_epoch >= 0 for a fresh training run (not recommended)",
          );
        }
      });
    }
    this.baseLrs = groups.map((group) => group.initial_lr as number);
    this.lastEpoch = lastEpoch;
    this.initialStep();
  }

  /** `_initial_step`: one step() in initial mode, so get_last_lr() is the epoch-0 lr. */
  initialStep(): void {
    this.stepCount = 0;
    this.isInitial = true;
    try {
      this.step();
    } finally {
      this.isInitial = false;
    }
  }

  /** A copy, so a caller's list never changes under it (torch replaces its list each step). */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /**
   * torch's `get_lr()`: the chainable form, written into `out` (one value per param group) so a step
   * allocates nothing. Usually a function of the groups' current lr.
   */
  protected abstract computeLr(out: number[]): void;

  /** The closed form from base_lrs, used by step(epoch); only some classes define it. */
  protected closedFormLr?(out: number[]): void;

  /**
   * `get_lr()` called by user code: torch warns, and recomputes (CyclicLR and OneCycleLR also
   * rewrite momentum as they do).
   */
  getLr(): number[] {
    this.warn(GET_LR_WARNING);
    const values = new Array<number>(this.optimizer.paramGroups.length);
    this.computeLr(values);
    return values;
  }

  step(epoch?: number | Float): void {
    if (this.stepCount === 1 && !this.optimizer.stepCalled) this.warn(STEP_BEFORE_OPTIMIZER_WARNING);
    this.stepCount += 1;
    if (epoch !== undefined) this.warn(EPOCH_DEPRECATION_WARNING);
    this.updateLr(epoch);
  }

  /** `_update_lr`: SequentialLR calls it directly with epoch 0 at a milestone. */
  updateLr(epoch?: number | Float): void {
    const values = this.valuesFor(this.optimizer.paramGroups.length);
    if (epoch === undefined) {
      this.lastEpoch += 1;
      this.computeLr(values);
    } else {
      this.setLastEpoch(epoch);
      if (this.closedFormLr) this.closedFormLr(values);
      else this.computeLr(values);
    }
    this.writeLrs(values);
  }

  protected setLastEpoch(epoch: number | Float): void {
    this.lastEpoch = toNumber(epoch);
    this.lastEpochIsFloat = isPyFloat(epoch);
  }

  /** last_epoch as the Python value a user's lr_lambda receives (an int, or a float after step(2.0)). */
  protected lastEpochValue(): number | Float {
    return this.lastEpochIsFloat ? new Float(this.lastEpoch) : this.lastEpoch;
  }

  /** Whether last_epoch is a Python int (torch's int/int divisions raise different messages). */
  protected lastEpochIsInt(): boolean {
    return !this.lastEpochIsFloat && Number.isInteger(this.lastEpoch);
  }

  protected writeLrs(values: number[]): void {
    const groups = this.optimizer.paramGroups;
    for (let i = 0; i < groups.length; i++) groups[i].lr = values[i];
    this.recordLastLr();
  }

  /** `_last_lr = [group["lr"] for group in param_groups]`, kept in one reused array. */
  protected recordLastLr(): void {
    copyCurrentLrs(this.optimizer.paramGroups, this.lastLr);
  }

  /** `self._last_lr = scheduler.get_last_lr()` (SequentialLR), copied into this scheduler's own array. */
  protected recordLastLrOf(scheduler: LRScheduler): void {
    const from = scheduler.lastLr;
    const to = this.lastLr;
    if (to.length !== from.length) to.length = from.length;
    for (let i = 0; i < from.length; i++) to[i] = from[i];
  }

  private valuesFor(groupCount: number): number[] {
    if (this.values.length !== groupCount) this.values = new Array<number>(groupCount).fill(0);
    return this.values;
  }
}

/** Writes each group's lr into `out` (torch's `_param_groups_val_list(optimizer, "lr")`). */
export function copyCurrentLrs(groups: ParamGroup[], out: number[]): void {
  if (out.length !== groups.length) out.length = groups.length;
  for (let i = 0; i < groups.length; i++) out[i] = groups[i].lr;
}

/** `_format_param`: one value per param group, or a list checked against the group count. */
export function formatParam<T>(name: string, optimizer: Optimizer, param: T | T[]): T[] {
  const groupCount = optimizer.paramGroups.length;
  if (Array.isArray(param)) {
    if (param.length !== groupCount) {
      throw valueError(
        `${name} must have the same length as optimizer.param_groups. ${name} has ${param.length} values, param_groups has ${groupCount}.`,
      );
    }
    return [...param];
  }
  return new Array<T>(groupCount).fill(param);
}

/** torch's `LRScheduler.get_lr`, which only subclasses implement (raised when a wrapper is restarted). */
export function notImplementedGetLr(_out?: number[]): never {
  throw new PythonError('NotImplementedError', '');
}
