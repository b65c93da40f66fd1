// From the engine's trace to what the chart draws: get_last_lr() per param group by round, momentum
// (or betas[0]) when a scheduler cycles it, and markers where the schedule changes phase. Pure: no DOM.
import type { ScheduleCase, SchedulerSpec } from '../src/engine/case';
import { toNumber } from '../src/engine/python/values';
import { childrenOf, schedulerSpecOf } from './model';
import type { Columns } from './simulateColumns';

export interface Series {
  rounds: number;
  /** lr[g][k]: get_last_lr()[g] during round k (after k scheduler steps). */
  lr: Float64Array[];
  /** momentum[g][k], only when it changes over the run (a cycling scheduler). */
  momentum: Float64Array[] | null;
  momentumLabel: 'momentum' | 'betas[0]';
  /** Set when torch raises while stepping: the curve ends there. */
  failsAt: { step: number; message: string } | null;
}

export interface Marker {
  /** Round at which the phase change takes effect. */
  at: number;
  label: string;
}

/** Which scheduler's get_last_lr() the panel shows: the index of the finding's spec among the case's schedulers. */
export function schedulerColumn(scheduleCase: ScheduleCase, type: string): number {
  const own = schedulerSpecOf(scheduleCase, type);
  return own && own.index >= 0 ? own.index : 0;
}

const varies = (values: Float64Array) => values.some((value) => value !== values[0]);

/** The rounds to draw: rows 0..rounds-1, the lr each round trains with (as the code lens reports). */
export function seriesOf(scheduleCase: ScheduleCase, columns: Columns): Series {
  const rounds = Math.min(columns.rows, Math.max(scheduleCase.steps, 1));
  const momentum = columns.momentum?.map((values) => values.subarray(0, rounds)) ?? null;
  const error = columns.error;
  return {
    rounds,
    lr: columns.lr.map((values) => values.subarray(0, rounds)),
    momentum: momentum && momentum.some(varies) ? momentum : null,
    momentumLabel: columns.momentumLabel,
    failsAt: error && error.phase === 'step' ? { step: error.step, message: `${error.type}: ${error.message}` } : null,
  };
}

/** More markers than this would only clutter the chart (e.g. StepLR with step_size=1). */
const MAX_MARKERS = 60;

const num = (value: unknown, fallback: number): number => {
  const n = toNumber(value);
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
};

/** Where the schedule changes phase, from the (tuned) scheduler's own arguments. */
export function phaseMarkers(scheduleCase: ScheduleCase, type: string): Marker[] {
  const own = schedulerSpecOf(scheduleCase, type);
  if (!own) return [];
  const markers: Marker[] = [];
  collect(own.spec, 0, scheduleCase.steps, markers, '');
  const inside = markers.filter((marker) => marker.at > 0 && marker.at < scheduleCase.steps);
  return inside.length > MAX_MARKERS ? [] : inside;
}

function collect(spec: SchedulerSpec, offset: number, rounds: number, out: Marker[], prefix: string): void {
  const kwargs = (spec.kwargs ?? {}) as Record<string, unknown>;
  const push = (at: number, label: string) => {
    if (out.length <= MAX_MARKERS) out.push({ at: offset + at, label: prefix + label });
  };
  switch (spec.type) {
    case 'SequentialLR': {
      const milestones = Array.isArray(kwargs.milestones) ? (kwargs.milestones as unknown[]).map((m) => num(m, NaN)) : [];
      const children = childrenOf(spec);
      children.forEach((child, index) => {
        const from = index === 0 ? 0 : milestones[index - 1];
        if (!Number.isFinite(from)) return;
        if (index > 0) push(from, `→ ${child.type}`);
        const until = index < milestones.length ? milestones[index] : rounds - offset;
        const inner: Marker[] = [];
        collect(child, 0, until - from, inner, `${child.type}: `);
        for (const marker of inner) if (marker.at < until - from) push(from + marker.at, marker.label);
      });
      return;
    }
    case 'ChainedScheduler':
      for (const child of childrenOf(spec)) collect(child, offset, rounds, out, `${child.type}: `);
      return;
    case 'StepLR': {
      const size = num(kwargs.step_size, 0);
      if (size >= 1) for (let at = size; at < rounds && out.length <= MAX_MARKERS; at += size) push(at, '× gamma');
      return;
    }
    case 'MultiStepLR':
      if (Array.isArray(kwargs.milestones)) for (const m of kwargs.milestones as unknown[]) push(num(m, NaN), '× gamma');
      return;
    case 'LinearLR':
    case 'ConstantLR':
    case 'PolynomialLR':
      push(num(kwargs.total_iters, 5), 'total_iters');
      return;
    case 'CosineAnnealingWarmRestarts': {
      const t0 = num(kwargs.T_0, 0);
      const mult = num(kwargs.T_mult, 1);
      if (t0 < 1 || mult < 1) return;
      for (let at = t0, period = t0; at < rounds && out.length <= MAX_MARKERS; period *= mult, at += period) push(at, 'restart');
      return;
    }
    case 'CosineAnnealingLR': {
      const tMax = num(kwargs.T_max, 0);
      if (tMax >= 1) push(tMax, 'T_max');
      return;
    }
    case 'OneCycleLR': {
      const total =
        kwargs.total_steps !== undefined && kwargs.total_steps !== null
          ? num(kwargs.total_steps, NaN)
          : num(kwargs.epochs, NaN) * num(kwargs.steps_per_epoch, NaN);
      const pct = num(kwargs.pct_start ?? 0.3, 0.3);
      if (!Number.isFinite(total)) return;
      const threePhase = Boolean(kwargs.three_phase);
      push(pct * total - 1, 'peak');
      if (threePhase) push(2 * pct * total - 2, 'phase 2 end');
      push(total - 1, 'end');
      return;
    }
    case 'SWALR':
      push(num(kwargs.anneal_epochs ?? 10, 10), 'swa_lr reached');
      return;
    case 'CyclicLR': {
      const up = num(kwargs.step_size_up ?? 2000, 2000);
      const down = kwargs.step_size_down === undefined || kwargs.step_size_down === null ? up : num(kwargs.step_size_down, up);
      const size = up + down;
      if (size >= 1) {
        for (let at = up; at < rounds && out.length <= MAX_MARKERS; at += size) push(at, 'max_lr');
      }
      return;
    }
    default:
      return;
  }
}
