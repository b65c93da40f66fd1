import { valueError } from '../errors';
import { pyCompare, pyCos, pyDiv, pyLogBase, pyMod, pyPow } from '../numerics';
import type { Optimizer } from '../optimizers/Optimizer';
import { Float, isPyInt, pyStr, pyTypeName, toNumber } from '../python/values';
import { checkedByTorch, optional, required, signature, withDefaults } from '../signature';
import { LRScheduler } from './LRScheduler';

export interface CosineAnnealingWarmRestartsOptions {
  T_0: number;
  tMult?: number;
  etaMin?: number;
  lastEpoch?: number;
}

/** SGDR: cosine from base_lr to eta_min over T_i epochs, restarting with T_i *= T_mult. Overrides step(). */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  static readonly signature = signature('CosineAnnealingWarmRestarts.__init__', [
    checkedByTorch(required('T_0', 'number', 'T_0')),
    checkedByTorch(optional('T_mult', 1, 'number', 'tMult')),
    optional('eta_min', 0.0, 'any'),
    optional('last_epoch', -1),
  ]);
  readonly typeName = 'CosineAnnealingWarmRestarts';
  readonly T_0: number;
  T_i: number;
  readonly tMult: number;
  readonly etaMin: number;
  T_cur: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingWarmRestartsOptions) {
    super(optimizer);
    const o = withDefaults(CosineAnnealingWarmRestarts.signature, options);
    if (pyCompare('<=', o.T_0, 0) || !isPyInt(o.T_0)) throw valueError(`Expected positive integer T_0, but got ${pyStr(o.T_0)}`);
    if (pyCompare('<', o.tMult, 1) || !isPyInt(o.tMult)) throw valueError(`Expected integer T_mult >= 1, but got ${pyStr(o.tMult)}`);
    const etaMin: unknown = o.etaMin;
    if (!['int', 'float', 'bool'].includes(pyTypeName(etaMin))) {
      throw valueError(`Expected float or int eta_min, but got ${pyStr(etaMin)} of type <class '${pyTypeName(etaMin)}'>`);
    }
    this.T_0 = toNumber(o.T_0);
    this.T_i = this.T_0;
    this.tMult = toNumber(o.tMult);
    this.etaMin = toNumber(etaMin);
    this.T_cur = toNumber(o.lastEpoch);
    this.initialize(toNumber(o.lastEpoch));
  }

  protected computeLr(out: number[]): void {
    const cosine = 1 + pyCos(pyDiv(Math.PI * this.T_cur, this.T_i));
    for (let i = 0; i < this.baseLrs.length; i++) out[i] = this.etaMin + ((this.baseLrs[i] - this.etaMin) * cosine) / 2;
  }

  /** step() advances T_cur by one; step(epoch) places it (fractional epochs allowed), with no deprecation warning. */
  override step(epochArgument?: number | Float): void {
    let epoch = epochArgument === undefined ? undefined : toNumber(epochArgument);
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.T_cur = this.T_cur + 1;
      if (this.T_cur >= this.T_i) {
        this.T_cur = pyMod(this.T_cur, this.T_i);
        this.T_i = this.T_i * this.tMult;
      }
    } else {
      if (epoch < 0) throw valueError(`Expected non-negative epoch, but got ${pyStr(epoch)}`);
      if (epoch >= this.T_0) {
        if (this.tMult === 1) {
          this.T_cur = pyMod(epoch, this.T_0);
        } else {
          const n = Math.trunc(pyLogBase((epoch / this.T_0) * (this.tMult - 1) + 1, this.tMult));
          const grown = pyPow(this.tMult, n);
          this.T_cur = epoch - (this.T_0 * (grown - 1)) / (this.tMult - 1);
          this.T_i = this.T_0 * grown;
        }
      } else {
        this.T_i = this.T_0;
        this.T_cur = epoch;
      }
    }
    this.setLastEpoch(Math.floor(epoch));
    const values = new Array<number>(this.baseLrs.length);
    this.computeLr(values);
    this.writeLrs(values);
  }
}
