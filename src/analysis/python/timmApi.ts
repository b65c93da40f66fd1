// timm's schedulers called in Python source (`timm.scheduler.CosineLRScheduler(optimizer, t_initial=…)`,
// `create_scheduler_v2(optimizer, sched=…)`), as the engine runs them (src/engine/frameworks/timm.ts): train.py
// calls `step(epoch)` at each epoch's end, and `step_update(num_updates)` after each update, which is the one that
// moves the lr when the scheduler counts updates (`t_in_epochs=False`, v2's `step_on_epochs=False`).
import type { SchedulerSpec } from '../../engine/case';
import { createSchedulerV2Signature, TIMM_SCHEDULERS } from '../../engine/frameworks/timm';

/** `timm.scheduler.X` or `timm.scheduler.<module>.X`. */
const TIMM_PATTERN = /^timm\.scheduler(?:\.\w+)?\.(\w+)$/;

/** The timm scheduler class (or `create_scheduler_v2`) a fully qualified callee names, or null. */
export function timmSchedulerName(qualified: string): string | null {
  const name = TIMM_PATTERN.exec(qualified)?.[1];
  if (!name) return null;
  return name === 'create_scheduler_v2' || Object.prototype.hasOwnProperty.call(TIMM_SCHEDULERS, name) ? name : null;
}

/** Its parameters in positional order (the optimizer first, as timm writes them). */
export function timmPositional(name: string): string[] {
  const signature = name === 'create_scheduler_v2' ? createSchedulerV2Signature : TIMM_SCHEDULERS[name].signature;
  return ['optimizer', ...signature.params.map((param) => param.py)];
}

/** Whether the schedule moves on step_update (counting updates) rather than on step(epoch). */
export function timmCountsUpdates(spec: SchedulerSpec): boolean {
  const kwargs = spec.kwargs ?? {};
  return spec.type === 'timm.create_scheduler_v2' ? kwargs.step_on_epochs === false : kwargs.t_in_epochs === false;
}
