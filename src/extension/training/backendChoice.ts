// Where a quick-training run trains: in the schedule panel's webview on WebGPU (navigator.gpu exists
// there, not in the extension host), or on the CPU worker, as the `lrLens.training.backend` setting
// and the panel allow; and what to tell the user when a run falls back to the worker. No `vscode` import.
import type { TrainingFinishedMessage, RunTrainingMessage } from '../../shared/protocol';
import type { TrainingOutcome, TrainingRequest } from '../../training/session';

/**
 * `lrLens.training.backend`: "auto" trains on WebGPU in the panel when its webview has a hardware
 * adapter, else on the CPU worker; "webgpu" on any adapter the panel has; "cpu" on the worker.
 */
export type TrainingBackendSetting = 'auto' | 'cpu' | 'webgpu';

/** The setting's value; anything else (a typo in settings.json) counts as the default, "auto". */
export function backendSetting(value: unknown): TrainingBackendSetting {
  return value === 'cpu' || value === 'webgpu' ? value : 'auto';
}

export type Placement = { where: 'panel'; setting: 'auto' | 'webgpu' } | { where: 'worker'; fallbackReason: string | null };

/** Where to train, given the setting and whether the panel's webview has started (it answers training requests). */
export function placeTraining(setting: TrainingBackendSetting, panelReady: boolean): Placement {
  if (setting === 'cpu') return { where: 'worker', fallbackReason: null };
  if (!panelReady) return { where: 'worker', fallbackReason: fallbackText(setting, 'the schedule panel is not open') };
  return { where: 'panel', setting };
}

/** Why a run asked to use WebGPU trained on the CPU worker, in words for the notification and the output channel. */
export function fallbackText(setting: TrainingBackendSetting, reason: string): string {
  const asked = setting === 'webgpu' ? 'lrLens.training.backend is "webgpu", but ' : '';
  return `${asked}WebGPU was not used (${reason}): trained on the CPU worker`;
}

/**
 * The worker's request as the panel runs it: WebGPU computes in float32 only, so the run does too
 * (the worker's float64 run agrees within float32 tolerance); the case travels apart, as Float-keeping
 * JSON. Its backend is the setting: under "auto" the panel declines a software adapter (SwiftShader),
 * which trains these small networks many times slower than the CPU worker; "webgpu" takes any adapter.
 */
export function panelRequest(request: TrainingRequest, setting: 'auto' | 'webgpu'): RunTrainingMessage['request'] {
  const { case: _case, ...rest } = request;
  return { ...rest, dtype: 'float32', backend: setting };
}

export type PanelResult = { outcome: TrainingOutcome & { cancelled: boolean } } | { fallback: string };

/** The panel's answer as a run's outcome, or why the run must go to the CPU worker instead. */
export function panelResult(finished: Pick<TrainingFinishedMessage, 'status' | 'reason' | 'epochs' | 'steps'>): PanelResult {
  switch (finished.status) {
    case 'done':
    case 'cancelled':
      return { outcome: { steps: finished.steps, epochs: finished.epochs, backend: 'webgpu', fallbackReason: null, cancelled: finished.status === 'cancelled' } };
    case 'unavailable':
      return { fallback: finished.reason ?? 'the panel has no WebGPU adapter' };
    case 'error':
      return { fallback: `WebGPU training failed in the panel: ${finished.reason ?? 'no reason given'}` };
  }
}
