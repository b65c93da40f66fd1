// Plateau schedules (torch's ReduceLROnPlateau, also when transformers or timm builds it) step on a metric.
// When the code does not show the metric's values, a synthetic series stands in: it improves for 10 rounds,
// then stays flat, so patience, cooldown and factor show their effect. Shared by the Python and config
// analyses so both draw the same curve for the same schedule.
import type { SchedulerSpec } from '../engine/case';
import type { MetricInfo } from './types';

export type PlateauMode = 'min' | 'max';

/** Whether a spec builds a plateau schedule, and its mode (each library's default where it is not given); null otherwise. */
export function plateauMode(spec: SchedulerSpec | undefined): PlateauMode | null {
  const kwargs = (spec?.kwargs ?? {}) as Record<string, unknown>;
  const mode = (value: unknown, fallback: PlateauMode): PlateauMode => (value === 'max' ? 'max' : value === undefined ? fallback : 'min');
  switch (spec?.type) {
    case 'ReduceLROnPlateau':
    case 'transformers.get_reduce_on_plateau_schedule':
      return mode(kwargs.mode, 'min');
    case 'transformers.get_scheduler': {
      if (kwargs.name !== 'reduce_lr_on_plateau') return null;
      const specific = (kwargs.scheduler_specific_kwargs ?? {}) as Record<string, unknown>;
      return mode(specific.mode, 'min');
    }
    case 'timm.PlateauLRScheduler':
      return mode(kwargs.mode, 'max');
    case 'timm.create_scheduler_v2':
      return kwargs.sched === 'plateau' ? mode(kwargs.plateau_mode, 'max') : null;
    default:
      return null;
  }
}

/** The synthetic metric series for `steps` rounds: falls 0.95 → 0.5 in 'min' mode, rises 0.54 → 0.9 in 'max'. */
export function syntheticPlateauMetrics(steps: number, mode: PlateauMode, expression: string | null): { metrics: number[]; info: MetricInfo } {
  const rising = mode === 'max';
  const metrics = Array.from({ length: steps }, (_, k) => {
    const progress = Math.min(k + 1, 10);
    return rising ? Math.round((0.5 + 0.04 * progress) * 1e6) / 1e6 : Math.round((1 - 0.05 * progress) * 1e6) / 1e6;
  });
  const description = rising
    ? 'synthetic: rises from 0.54 by 0.04 per round for 10 rounds, then stays at 0.9'
    : 'synthetic: falls from 0.95 by 0.05 per round for 10 rounds, then stays at 0.5';
  return { metrics, info: { source: 'synthetic', expression, description } };
}
