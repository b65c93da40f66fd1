// The schedule case: the JSON contract of `lr-lens simulate` (and the `case` field of `analyze`).
// Keys are torch's own (snake_case kwargs), so a case reads like the Python that builds it.

/** A value as Python would hold it: JSON scalars, lists, dicts; `Float` keeps `2.0` apart from `2`. */
export type PyLike = number | string | boolean | null | PyLike[] | { [key: string]: PyLike } | import('./python/values').Float;

export interface SchedulerSpec {
  type: string;
  kwargs?: { [name: string]: PyLike | SchedulerSpec[] };
}

export interface OptimizerSpec {
  type: string;
  /** Constructor keyword arguments, e.g. `{ "lr": 0.1, "momentum": 0.9 }`. */
  defaults?: { [name: string]: PyLike };
  /** Per-group overrides; absent means one group with the defaults. */
  groups?: { [name: string]: PyLike }[];
}

export interface ScheduleCase {
  id?: string;
  optimizer: OptimizerSpec;
  scheduler?: SchedulerSpec;
  /** Several schedulers built in order on the same optimizer, all stepped each round. */
  schedulers?: SchedulerSpec[];
  /** Rounds after construction; each round = optimizer.step() then the schedulers' step(). */
  steps: number;
  /**
   * ReduceLROnPlateau.step(metrics[k-1]) in round k; "nan", "inf", "-inf" allowed. For
   * "mmengine.param_scheduler": the monitored value at the j-th validation is metrics[j-1].
   */
  metrics?: (number | string)[];
  /** Non-null entries call scheduler.step(epoch) in that round (the deprecated path). */
  epochs?: (number | null)[];
  /** Which top-level schedulers to step in each round (default: all, in order). */
  plan?: number[][];
}

/** A trace number: finite numbers as numbers, non-finite ones as torch's JSON spelling. */
export type TraceNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export interface TraceRow {
  step: number;
  lr: TraceNumber[];
  last_lr: (TraceNumber[] | null)[];
  momentum?: TraceNumber[];
  betas?: [TraceNumber, TraceNumber][];
}

export interface CaseError {
  /** "input": the case itself is malformed (not something torch would see). */
  phase: 'input' | 'construct' | 'step';
  step: number;
  type: string;
  message: string;
}

export interface CaseResult {
  id: string | null;
  trace: TraceRow[];
  error: CaseError | null;
}
