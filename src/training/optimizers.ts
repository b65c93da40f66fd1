// torch.optim's update rules on typed arrays: the single-tensor (foreach=False) code paths of
// PyTorch 2.13 (sgd.py, adam.py, adamw.py, rmsprop.py, adagrad.py, adamax.py, nadam.py, radam.py),
// op for op. Every hyperparameter is read from the param group at each step, so schedulers that
// write `lr`, `momentum` or `betas` into the groups (the engine's, or any object of that shape)
// take effect on the next step, as in torch.

import { rounder, allocate, type DType, type FloatArray } from './dtype';

/** A param group as schedulers see it: torch's keys, mutated in place between steps. */
export interface ParamGroup {
  lr: number;
  momentum?: number;
  betas?: readonly number[];
  [key: string]: unknown;
}

/** What drives the optimizer: live param groups, and the constructor's defaults (torch's `optimizer.defaults`). */
export interface ParamGroupSource {
  paramGroups: ParamGroup[];
  defaults?: Record<string, unknown>;
}

export interface Parameter {
  data: FloatArray;
  grad: FloatArray;
}

export const OPTIMIZER_TYPES = ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adamax', 'NAdam', 'RAdam'] as const;
export type OptimizerType = (typeof OPTIMIZER_TYPES)[number];

/** torch 2.13's constructor defaults, for keys a group does not carry. */
export const OPTIMIZER_DEFAULTS: Record<OptimizerType, Record<string, number | boolean | [number, number]>> = {
  SGD: { lr: 1e-3, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
  Adam: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, decoupled_weight_decay: false },
  AdamW: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 1e-2, amsgrad: false, maximize: false, decoupled_weight_decay: true },
  RMSprop: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false, maximize: false },
  Adagrad: { lr: 1e-2, lr_decay: 0, weight_decay: 0, initial_accumulator_value: 0, eps: 1e-10, maximize: false },
  Adamax: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, maximize: false },
  NAdam: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, momentum_decay: 4e-3, decoupled_weight_decay: false, maximize: false },
  RAdam: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, decoupled_weight_decay: false, maximize: false },
};

export function isOptimizerType(name: string): name is OptimizerType {
  return (OPTIMIZER_TYPES as readonly string[]).includes(name);
}

/** Per-parameter state, created on the first step as torch's `_init_group` does. */
interface ParamState extends Record<BufferKey, FloatArray | null> {
  /** torch keeps `step` (and NAdam's `mu_product`) as a scalar tensor of the default dtype. */
  step: number;
  muProduct: number;
}

/** The state buffers (torch's `momentum_buffer`, `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`, `grad_avg`, `sum`, `exp_inf`). */
type BufferKey = 'momentumBuffer' | 'expAvg' | 'expAvgSq' | 'maxExpAvgSq' | 'gradAvg' | 'sum' | 'expInf';

/** The hyperparameters every Adam-family group starts with, read in torch's order. */
interface AdamHyperparameters {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** `1 - beta ** step`: an Adam-family bias correction, in double precision as torch's Python floats. */
function biasCorrection(beta: number, step: number): number {
  return 1 - beta ** step;
}

/** A Python number as a group may hold it: a number, a bool, or a box with `value` (the engine's Float). */
function numeric(value: unknown, key: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value && typeof value === 'object' && typeof (value as { value?: unknown }).value === 'number') return (value as { value: number }).value;
  throw new Error(`param group '${key}' is not a number`);
}

export class TrainingOptimizer {
  private readonly states = new Map<Parameter, ParamState>();
  private readonly scratchBuffers = new Map<number, FloatArray>();
  private readonly round: (x: number) => number;

  /**
   * @param source the live groups (e.g. the engine optimizer, whose schedulers mutate them)
   * @param groupParams the parameters of each group, in the order of `source.paramGroups`
   */
  constructor(
    readonly type: OptimizerType,
    readonly source: ParamGroupSource,
    readonly groupParams: Parameter[][],
    readonly dtype: DType,
  ) {
    if (source.paramGroups.length !== groupParams.length) throw new Error('one parameter list per param group');
    this.round = rounder(dtype);
  }

  get paramGroups(): ParamGroup[] {
    return this.source.paramGroups;
  }

  /** `optimizer.step()`. */
  step(): void {
    this.paramGroups.forEach((group, g) => {
      const params = this.groupParams[g];
      switch (this.type) {
        case 'SGD':
          return this.sgd(group, params);
        case 'Adam':
        case 'AdamW':
          return this.adam(group, params);
        case 'RMSprop':
          return this.rmsprop(group, params);
        case 'Adagrad':
          return this.adagrad(group, params);
        case 'Adamax':
          return this.adamax(group, params);
        case 'NAdam':
          return this.nadam(group, params);
        case 'RAdam':
          return this.radam(group, params);
      }
    });
  }

  /** The group's value, else the optimizer's defaults, else torch's constructor default. */
  private lookup(group: ParamGroup, key: string): unknown {
    if (key in group) return group[key];
    const defaults = this.source.defaults;
    if (defaults && key in defaults) return defaults[key];
    return OPTIMIZER_DEFAULTS[this.type][key];
  }

  private num(group: ParamGroup, key: string): number {
    return numeric(this.lookup(group, key), key);
  }

  private flag(group: ParamGroup, key: string): boolean {
    const value = this.lookup(group, key);
    return Boolean(typeof value === 'object' && value !== null ? numeric(value, key) : value);
  }

  private betas(group: ParamGroup): [number, number] {
    const value = this.lookup(group, 'betas');
    if (!Array.isArray(value) || value.length !== 2) throw new Error("param group 'betas' must be a pair");
    return [numeric(value[0], 'betas'), numeric(value[1], 'betas')];
  }

  /** `lr`, `betas`, `eps`, `weight_decay`: the reads Adam, Adamax, NAdam and RAdam begin with. */
  private adamHyperparameters(group: ParamGroup): AdamHyperparameters {
    const lr = this.num(group, 'lr');
    const [beta1, beta2] = this.betas(group);
    const eps = this.num(group, 'eps');
    const weightDecay = this.num(group, 'weight_decay');
    return { lr, beta1, beta2, eps, weightDecay };
  }

  private state(param: Parameter): ParamState {
    let state = this.states.get(param);
    if (!state) {
      state = {
        step: 0,
        muProduct: 1,
        momentumBuffer: null,
        expAvg: null,
        expAvgSq: null,
        maxExpAvgSq: null,
        gradAvg: null,
        sum: null,
        expInf: null,
      };
      this.states.set(param, state);
    }
    return state;
  }

  /**
   * The parameter's state, with `buffers` created when the first of them is missing (torch's
   * `len(state) == 0` in `_init_group`): zeros, or `fill` where torch fills them.
   */
  private initState(param: Parameter, buffers: readonly BufferKey[], fill?: number): ParamState {
    const state = this.state(param);
    if (!state[buffers[0]]) {
      for (const key of buffers) {
        const buffer = allocate(this.dtype, param.data.length);
        if (fill !== undefined) buffer.fill(fill);
        state[key] = buffer;
      }
    }
    return state;
  }

  /**
   * `grad if not maximize else -grad`, then `grad.add(param, alpha=weight_decay)` (coupled decay),
   * into a reusable buffer (torch allocates a new tensor each time).
   */
  private gradient(param: Parameter, maximize: boolean, weightDecay: number): FloatArray {
    const r = this.round;
    const { data, grad } = param;
    const scratch = this.scratch(data.length);
    const alpha = r(weightDecay);
    for (let i = 0; i < grad.length; i++) {
      const g = maximize ? -grad[i] : grad[i];
      scratch[i] = weightDecay !== 0 ? r(g + r(alpha * data[i])) : g;
    }
    return scratch;
  }

  /** `param.mul_(1 - lr * weight_decay)`: decoupled weight decay. */
  private decoupledDecay(param: Parameter, lr: number, weightDecay: number): void {
    const factor = this.round(1 - lr * weightDecay);
    const data = param.data;
    for (let i = 0; i < data.length; i++) data[i] = data[i] * factor;
  }

  /** The gradient after weight decay: `param.mul_(1 - lr * weight_decay)` when decoupled, else folded into the gradient. */
  private decayedGradient(param: Parameter, maximize: boolean, lr: number, weightDecay: number, decoupled: boolean): FloatArray {
    if (weightDecay !== 0 && decoupled) this.decoupledDecay(param, lr, weightDecay);
    return this.gradient(param, maximize, decoupled ? 0 : weightDecay);
  }

  /** `lerp_(end, weight)` as ATen computes it (two formulas, split at weight 0.5). */
  private lerpInto(target: FloatArray, end: FloatArray, weight: number): void {
    const r = this.round;
    const w = r(weight);
    if (Math.abs(w) < 0.5) {
      for (let i = 0; i < target.length; i++) target[i] = r(target[i] + r(w * r(end[i] - target[i])));
    } else {
      const complement = r(1 - w);
      for (let i = 0; i < target.length; i++) target[i] = r(end[i] - r(r(end[i] - target[i]) * complement));
    }
  }

  /** `mul_(beta).addcmul_(grad, grad, value=1 - beta)`. */
  private decaySquares(target: FloatArray, grad: FloatArray, beta: number): void {
    const r = this.round;
    const b = r(beta);
    const value = r(1 - beta);
    for (let i = 0; i < target.length; i++) target[i] = r(r(target[i] * b) + r(r(value * grad[i]) * grad[i]));
  }

  /** `exp_avg.lerp_(grad, 1 - beta1)`, `exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)`. */
  private updateMoments(expAvg: FloatArray, expAvgSq: FloatArray, grad: FloatArray, beta1: number, beta2: number): void {
    this.lerpInto(expAvg, grad, 1 - beta1);
    this.decaySquares(expAvgSq, grad, beta2);
  }

  /** A reusable buffer for the effective gradient. */
  private scratch(length: number): FloatArray {
    let buffer = this.scratchBuffers.get(length);
    if (!buffer) {
      buffer = allocate(this.dtype, length);
      this.scratchBuffers.set(length, buffer);
    }
    return buffer;
  }

  private sgd(group: ParamGroup, params: Parameter[]): void {
    const r = this.round;
    const lr = this.num(group, 'lr');
    const momentum = this.num(group, 'momentum');
    const dampening = this.num(group, 'dampening');
    const weightDecay = this.num(group, 'weight_decay');
    const nesterov = this.flag(group, 'nesterov');
    const maximize = this.flag(group, 'maximize');
    if (nesterov && (momentum <= 0 || dampening !== 0)) throw new Error('Nesterov momentum requires a momentum and zero dampening');
    for (const param of params) {
      const grad = this.gradient(param, maximize, weightDecay);
      let update: FloatArray = grad;
      if (momentum !== 0) {
        const state = this.state(param);
        if (!state.momentumBuffer) {
          state.momentumBuffer = grad.slice();
        } else {
          const buf = state.momentumBuffer;
          const m = r(momentum);
          const keep = r(1 - dampening);
          for (let i = 0; i < buf.length; i++) buf[i] = r(r(buf[i] * m) + r(keep * grad[i]));
        }
        const buf = state.momentumBuffer;
        if (nesterov) {
          const m = r(momentum);
          for (let i = 0; i < grad.length; i++) grad[i] = r(grad[i] + r(m * buf[i]));
        } else {
          update = buf;
        }
      }
      const alpha = r(-lr);
      const data = param.data;
      for (let i = 0; i < data.length; i++) data[i] = r(data[i] + r(alpha * update[i]));
    }
  }

  private adam(group: ParamGroup, params: Parameter[]): void {
    const r = this.round;
    const { lr, beta1, beta2, eps, weightDecay } = this.adamHyperparameters(group);
    const amsgrad = this.flag(group, 'amsgrad');
    const maximize = this.flag(group, 'maximize');
    const decoupled = this.type === 'AdamW' || this.flag(group, 'decoupled_weight_decay');
    const buffers: BufferKey[] = amsgrad ? ['expAvg', 'expAvgSq', 'maxExpAvgSq'] : ['expAvg', 'expAvgSq'];
    for (const param of params) {
      const state = this.initState(param, buffers);
      state.step += 1;
      const grad = this.decayedGradient(param, maximize, lr, weightDecay, decoupled);
      const expAvg = state.expAvg as FloatArray;
      const expAvgSq = state.expAvgSq as FloatArray;
      this.updateMoments(expAvg, expAvgSq, grad, beta1, beta2);
      const step = state.step;
      const stepSize = lr / biasCorrection(beta1, step);
      const biasCorrection2Sqrt = r(biasCorrection(beta2, step) ** 0.5);
      let second = expAvgSq;
      if (amsgrad) {
        if (!state.maxExpAvgSq) throw new Error("KeyError: 'max_exp_avg_sq' (amsgrad switched on after the first step)");
        const max = state.maxExpAvgSq;
        for (let i = 0; i < max.length; i++) max[i] = Math.max(max[i], expAvgSq[i]);
        second = max;
      }
      const epsR = r(eps);
      const value = r(-stepSize);
      const data = param.data;
      for (let i = 0; i < data.length; i++) {
        const denom = r(r(r(Math.sqrt(second[i])) / biasCorrection2Sqrt) + epsR);
        data[i] = r(data[i] + r(r(value * expAvg[i]) / denom));
      }
    }
  }

  private rmsprop(group: ParamGroup, params: Parameter[]): void {
    const r = this.round;
    const lr = this.num(group, 'lr');
    const alpha = this.num(group, 'alpha');
    const eps = this.num(group, 'eps');
    const weightDecay = this.num(group, 'weight_decay');
    const momentum = this.num(group, 'momentum');
    const centered = this.flag(group, 'centered');
    const maximize = this.flag(group, 'maximize');
    const buffers: BufferKey[] = ['expAvgSq'];
    if (momentum > 0) buffers.push('momentumBuffer');
    if (centered) buffers.push('gradAvg');
    for (const param of params) {
      const state = this.initState(param, buffers);
      if (momentum > 0 && !state.momentumBuffer) throw new Error("KeyError: 'momentum_buffer' (momentum switched on after the first step)");
      if (centered && !state.gradAvg) throw new Error("KeyError: 'grad_avg' (centered switched on after the first step)");
      state.step += 1;
      const grad = this.gradient(param, maximize, weightDecay);
      const squareAvg = state.expAvgSq as FloatArray;
      this.decaySquares(squareAvg, grad, alpha);
      const gradAvg = centered ? (state.gradAvg as FloatArray) : null;
      if (gradAvg) this.lerpInto(gradAvg, grad, 1 - alpha);
      const epsR = r(eps);
      const data = param.data;
      const buf = momentum > 0 ? (state.momentumBuffer as FloatArray) : null;
      const m = r(momentum);
      const step = r(-lr);
      for (let i = 0; i < data.length; i++) {
        // centered: square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
        const variance = gradAvg ? r(squareAvg[i] - r(gradAvg[i] * gradAvg[i])) : squareAvg[i];
        const avg = r(r(Math.sqrt(variance)) + epsR);
        if (buf) {
          buf[i] = r(r(buf[i] * m) + r(grad[i] / avg));
          data[i] = r(data[i] + r(step * buf[i]));
        } else {
          data[i] = r(data[i] + r(r(step * grad[i]) / avg));
        }
      }
    }
  }

  private adagrad(group: ParamGroup, params: Parameter[]): void {
    const r = this.round;
    const lr = this.num(group, 'lr');
    const lrDecay = this.num(group, 'lr_decay');
    const weightDecay = this.num(group, 'weight_decay');
    const eps = this.num(group, 'eps');
    const maximize = this.flag(group, 'maximize');
    // torch reads initial_accumulator_value from the optimizer's defaults, not the group
    const defaults = this.source.defaults;
    const initialValue = defaults && 'initial_accumulator_value' in defaults ? defaults.initial_accumulator_value : OPTIMIZER_DEFAULTS.Adagrad.initial_accumulator_value;
    const initial = r(numeric(initialValue, 'initial_accumulator_value'));
    for (const param of params) {
      const state = this.initState(param, ['sum'], initial);
      state.step += 1;
      const grad = this.gradient(param, maximize, weightDecay);
      const clr = lr / (1 + (state.step - 1) * lrDecay);
      const sum = state.sum as FloatArray;
      const epsR = r(eps);
      const value = r(-clr);
      const data = param.data;
      for (let i = 0; i < data.length; i++) {
        sum[i] = r(sum[i] + r(grad[i] * grad[i]));
        const std = r(r(Math.sqrt(sum[i])) + epsR);
        data[i] = r(data[i] + r(r(value * grad[i]) / std));
      }
    }
  }

  private adamax(group: ParamGroup, params: Parameter[]): void {
    const r = this.round;
    const { lr, beta1, beta2, eps, weightDecay } = this.adamHyperparameters(group);
    const maximize = this.flag(group, 'maximize');
    for (const param of params) {
      const state = this.initState(param, ['expAvg', 'expInf']);
      state.step += 1;
      const grad = this.gradient(param, maximize, weightDecay);
      const expAvg = state.expAvg as FloatArray;
      const expInf = state.expInf as FloatArray;
      this.lerpInto(expAvg, grad, 1 - beta1);
      const b2 = r(beta2);
      const epsR = r(eps);
      for (let i = 0; i < expInf.length; i++) expInf[i] = Math.max(r(expInf[i] * b2), r(Math.abs(grad[i]) + epsR));
      const clr = lr / biasCorrection(beta1, state.step);
      const value = r(-clr);
      const data = param.data;
      for (let i = 0; i < data.length; i++) data[i] = r(data[i] + r(r(value * expAvg[i]) / expInf[i]));
    }
  }

  private nadam(group: ParamGroup, params: Parameter[]): void {
    const r = this.round;
    const { lr, beta1, beta2, eps, weightDecay } = this.adamHyperparameters(group);
    const momentumDecay = this.num(group, 'momentum_decay');
    const decoupled = this.flag(group, 'decoupled_weight_decay');
    const maximize = this.flag(group, 'maximize');
    for (const param of params) {
      const state = this.initState(param, ['expAvg', 'expAvgSq']);
      state.step += 1;
      const step = state.step;
      const grad = this.decayedGradient(param, maximize, lr, weightDecay, decoupled);
      const mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentumDecay));
      const muNext = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
      // mu_product is a scalar tensor of the default dtype: rounded like the params
      state.muProduct = r(state.muProduct * mu);
      const expAvg = state.expAvg as FloatArray;
      const expAvgSq = state.expAvgSq as FloatArray;
      this.updateMoments(expAvg, expAvgSq, grad, beta1, beta2);
      const muProductNext = state.muProduct * muNext;
      const gradValue = r((-lr * (1.0 - mu)) / (1.0 - state.muProduct));
      const avgValue = r((-lr * muNext) / (1.0 - muProductNext));
      const bc2 = r(biasCorrection(beta2, step));
      const epsR = r(eps);
      const data = param.data;
      for (let i = 0; i < data.length; i++) {
        const denom = r(r(Math.sqrt(r(expAvgSq[i] / bc2))) + epsR);
        data[i] = r(data[i] + r(r(gradValue * grad[i]) / denom));
        data[i] = r(data[i] + r(r(avgValue * expAvg[i]) / denom));
      }
    }
  }

  private radam(group: ParamGroup, params: Parameter[]): void {
    const r = this.round;
    const { lr, beta1, beta2, eps, weightDecay } = this.adamHyperparameters(group);
    const decoupled = this.flag(group, 'decoupled_weight_decay');
    const maximize = this.flag(group, 'maximize');
    for (const param of params) {
      const state = this.initState(param, ['expAvg', 'expAvgSq']);
      state.step += 1;
      const step = state.step;
      const grad = this.decayedGradient(param, maximize, lr, weightDecay, decoupled);
      const expAvg = state.expAvg as FloatArray;
      const expAvgSq = state.expAvgSq as FloatArray;
      this.updateMoments(expAvg, expAvgSq, grad, beta1, beta2);
      const biasCorrection1 = r(biasCorrection(beta1, step));
      const biasCorrection2 = biasCorrection(beta2, step);
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
      const lrR = r(lr);
      const data = param.data;
      if (rhoT > 5.0) {
        const rect = r((((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) ** 0.5);
        const bc2Sqrt = r(biasCorrection2 ** 0.5);
        const epsR = r(eps);
        for (let i = 0; i < data.length; i++) {
          // bias_corrected_exp_avg * lr * ((bc2 ** 0.5) / (sqrt(exp_avg_sq) + eps)) * rect
          const corrected = r(expAvg[i] / biasCorrection1);
          const adaptive = r(bc2Sqrt / r(r(Math.sqrt(expAvgSq[i])) + epsR));
          data[i] = r(data[i] - r(r(r(corrected * lrR) * adaptive) * rect));
        }
      } else {
        for (let i = 0; i < data.length; i++) data[i] = r(data[i] - r(r(expAvg[i] / biasCorrection1) * lrR));
      }
    }
  }
}
