import { runtimeError, valueError } from '../errors';
import { FLOAT_ONE, pyCompare, pyFloat } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { Float, toNumber } from '../python/values';
import { checkedByTorch, optional, signature, withDefaults } from '../signature';
import { EPOCH_DEPRECATION_WARNING, LRScheduler, notImplementedGetLr } from './LRScheduler';

export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number | number[];
  eps?: number;
}

/**
 * Reduces lr by factor after more than `patience` epochs without improvement of the metric.
 * Like torch 2.x it is an LRScheduler that skips LRScheduler's construction: no initial_lr, no initial step.
 */
export class ReduceLROnPlateau extends LRScheduler {
  static readonly signature = signature('ReduceLROnPlateau.__init__', [
    optional('mode', 'min', 'string'),
    checkedByTorch(optional('factor', 0.1)),
    optional('patience', 10),
    optional('threshold', 1e-4),
    optional('threshold_mode', 'rel', 'string'),
    optional('cooldown', 0),
    optional('min_lr', 0, 'number-or-list'),
    optional('eps', 1e-8),
  ]);
  readonly typeName = 'ReduceLROnPlateau';
  readonly factor: number;
  readonly patience: number;
  readonly cooldown: number;
  readonly eps: number;
  readonly mode: string;
  readonly threshold: number;
  readonly thresholdMode: string;
  minLrs: number[];
  private readonly defaultMinLr: number | null;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    super(optimizer);
    const o = withDefaults(ReduceLROnPlateau.signature, options);
    if (pyCompare('>=', o.factor, FLOAT_ONE)) throw valueError('Factor should be < 1.0.');
    this.factor = toNumber(o.factor);
    const groupCount = optimizer.paramGroups.length;
    if (Array.isArray(o.minLr)) {
      if (o.minLr.length !== groupCount) throw valueError(`expected ${groupCount} min_lrs, got ${o.minLr.length}`);
      this.defaultMinLr = null;
      this.minLrs = o.minLr.map(toNumber);
    } else {
      this.defaultMinLr = toNumber(o.minLr);
      this.minLrs = new Array<number>(groupCount).fill(this.defaultMinLr);
    }
    this.patience = toNumber(o.patience);
    this.cooldown = toNumber(o.cooldown);
    this.eps = toNumber(o.eps);
    this.lastEpoch = 0;
    this.recordLastLr();
    if (o.mode !== 'min' && o.mode !== 'max') throw valueError(`mode ${o.mode} is unknown!`);
    if (o.thresholdMode !== 'rel' && o.thresholdMode !== 'abs') throw valueError(`threshold mode ${o.thresholdMode} is unknown!`);
    this.mode = o.mode;
    this.threshold = toNumber(o.threshold);
    this.thresholdMode = o.thresholdMode;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** `step(metrics, epoch=None)`; the metric is converted with Python's float(). */
  override step(metrics?: unknown, epoch?: number | Float): void {
    const current = pyFloat(metrics);
    if (epoch === undefined) epoch = this.lastEpoch + 1;
    else this.warn(EPOCH_DEPRECATION_WARNING);
    this.setLastEpoch(epoch);
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.recordLastLr();
  }

  /** Plateau has no get_lr of its own. */
  protected computeLr(): void {
    notImplementedGetLr();
  }

  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1.0 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1.0);
    return a > best + this.threshold;
  }

  private reduceLr(): void {
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.minLrs.length) {
      if (this.defaultMinLr === null) {
        throw runtimeError(
          `The number of param groups in the \`optimizer\` (${groups.length}) differs from when \`ReduceLROnPlateau\` was initialized (${this.minLrs.length}), usually due to a new param group being added to the optimizer. Please modify the \`min_lrs\` field to match the length of the \`optimizer\` param groups.`,
        );
      }
      this.minLrs = new Array<number>(groups.length).fill(this.defaultMinLr);
    }
    groups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = pyMax(oldLr * this.factor, this.minLrs[i]);
      if (oldLr - newLr > this.eps) group.lr = newLr;
    });
  }
}

/** Python's max(a, b): returns a unless b > a, so a NaN first argument wins. */
function pyMax(a: number, b: number): number {
  return b > a ? b : a;
}
