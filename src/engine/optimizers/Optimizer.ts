// torch.optim.Optimizer as far as schedulers see it: `defaults` and `param_groups`.
import { UnsupportedError, valueError } from '../errors';
import { FLOAT_ONE, FLOAT_ZERO, pyCompare } from '../numerics';
import { Float, pyStr } from '../python/values';
import { ParamSpec, Signature, signature, withDefaults } from '../signature';

/** A param group as torch's dict (keys keep torch's names: `lr`, `initial_lr`, `betas`, …). */
export interface ParamGroup {
  lr: number;
  initial_lr?: number;
  momentum?: number;
  betas?: number[];
  [key: string]: unknown;
}

/** Per-group overrides, as the dicts passed to a torch optimizer (without the `params` tensors). */
export type ParamGroupInit = Record<string, unknown>;

/** Numbers stored as plain JS numbers (Float boxes opened); lists/tuples as arrays of numbers. */
function storedValue(value: unknown): unknown {
  if (value instanceof Float) return value.value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Array.isArray(value)) return value.map(storedValue);
  return value;
}

export abstract class Optimizer {
  readonly defaults: Record<string, unknown>;
  readonly paramGroups: ParamGroup[] = [];
  /** Set by step(); schedulers read it to warn about the call order, as torch does. */
  stepCalled = false;

  protected constructor(sig: Signature, options: object, params: ParamGroupInit[]) {
    const filled = withDefaults(sig, options) as Record<string, unknown>;
    this.defaults = {};
    for (const param of sig.params) this.defaults[param.py] = storedValue(filled[param.ts]);
    if (params.length === 0) throw valueError('optimizer got an empty parameter list');
    for (const group of params) this.addParamGroup(group);
  }

  get typeName(): string {
    return this.constructor.name;
  }

  /** `add_param_group`: every default the group does not override is set on it. */
  addParamGroup(init: ParamGroupInit): void {
    const group: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(init)) group[key] = storedValue(value);
    for (const [key, value] of Object.entries(this.defaults)) if (!(key in group)) group[key] = value;
    if (typeof group.lr !== 'number') {
      throw new UnsupportedError(`LR Lens does not model a param group lr of ${pyStr(group.lr)}`);
    }
    this.paramGroups.push(group as ParamGroup);
  }

  /** The parameter update itself is not simulated; schedulers only see that it happened. */
  step(): void {
    this.stepCalled = true;
  }
}

/** The checks torch's optimizers share, with their exact messages. */
/** `if not 0.0 <= value: raise ValueError(...)` (NaN fails). */
export function checkAtLeastZero(value: unknown, message: string): void {
  if (!pyCompare('<=', FLOAT_ZERO, value)) throw valueError(`${message}: ${pyStr(value)}`);
}

/** `if value < 0.0: raise ValueError(...)` (NaN passes), as SGD writes it. */
export function checkNotNegative(value: unknown, message: string): void {
  if (pyCompare('<', value, FLOAT_ZERO)) throw valueError(`${message}: ${pyStr(value)}`);
}

export function checkBetas(betas: unknown[]): void {
  for (const index of [0, 1]) {
    const beta = betas[index];
    if (!(pyCompare('<=', FLOAT_ZERO, beta) && pyCompare('<', beta, FLOAT_ONE))) {
      throw valueError(`Invalid beta parameter at index ${index}: ${pyStr(betas[index])}`);
    }
  }
}

/**
 * An optimizer's signature: the engine passes `params` positionally, and every hyperparameter but the
 * (beta1, beta2)-style pairs reaches torch's own checks unfiltered (torch compares the ones it validates
 * and merely stores the rest).
 */
export function optimizerSignature(qualname: string, params: ParamSpec[]): Signature {
  const lenient = params.map((param) => (param.kind === 'pair' ? param : { ...param, checkedByTorch: true }));
  return signature(qualname, lenient, ['params']);
}
