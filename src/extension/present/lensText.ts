// Code lens titles: the predicted get_last_lr() in one line, e.g.
// "lr 0.1 → 0.01 @30 → 0.001 @60 · 90 epochs". No `vscode` import: unit-tested in plain node.
import { frameworkOf, type FrameworkLibrary } from '../../engine/frameworks';
import type { SchedulerFinding } from '../../analysis/types';
import { isConfigFinding } from './configText';
import { formatLr, sameLr } from './numbers';
import { lrSeries, type LrSeries } from './series';
import { shapeEvents, type ShapeEvent } from './shape';

/** At most this many events per series; more are summarised as "… N more changes". */
const MAX_EVENTS = 4;

function eventText(event: ShapeEvent): string {
  const arrow = event.kind === 'jump' ? '→' : event.direction === 'up' ? '↗' : '↘';
  return `${arrow} ${formatLr(event.value)} @${event.at}`;
}

/** "lr 0.1 → 0.01 @30 → 0.001 @60" for one parameter group. */
export function describeValues(values: number[], maxEvents = MAX_EVENTS): string {
  if (values.length === 0) return 'lr –';
  const events = shapeEvents(values);
  const parts = [`lr ${formatLr(values[0])}`];
  if (events.length === 0) return `${parts[0]} (constant)`;
  if (events.length <= maxEvents) {
    parts.push(...events.map(eventText));
  } else {
    // The first events show the pattern, the last one where it ends.
    parts.push(...events.slice(0, maxEvents - 1).map(eventText));
    parts.push(`… ${events.length - maxEvents} more …`, eventText(events[events.length - 1]));
  }
  return parts.join(' ');
}

/** "90 epochs", or "9000 steps (90 epochs × 100)" when the scheduler steps per batch. */
export function roundsText(series: Pick<LrSeries, 'unit' | 'rounds' | 'epochs' | 'stepsPerEpoch'>): string {
  if (series.unit === 'epoch') return `${series.rounds} epoch${series.rounds === 1 ? '' : 's'}`;
  const perEpoch = series.stepsPerEpoch !== null ? ` (${series.epochs} epochs × ${series.stepsPerEpoch})` : '';
  return `${series.rounds} step${series.rounds === 1 ? '' : 's'}${perEpoch}`;
}

function sameSeries(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((value, k) => sameLr(value, b[k]));
}

/** The lens title for a series: one description, or one per group when the groups differ. */
export function seriesTitle(series: LrSeries): string {
  const [first, ...others] = series.groups;
  const perGroup = others.some((group) => !sameSeries(group, first));
  const body = perGroup
    ? series.groups.map((values, g) => `[${g}] ${describeValues(values, 2)}`).join(' | ')
    : describeValues(first ?? []);
  const failure = !series.failsAt
    ? ''
    : raisedByTorch({ phase: 'step', type: series.failsAt.type })
      ? ` · ✖ step ${series.failsAt.step} raises ${series.failsAt.type}`
      : ` · ✖ LR Lens stops at step ${series.failsAt.step}`;
  return `${body} · ${roundsText(series)}${failure}`;
}

export type LensKind = 'schedule' | 'unresolved' | 'error';

export interface LensText {
  kind: LensKind;
  title: string;
  tooltip: string;
}

/** What the lens above a scheduler constructor says. */
export function lensText(finding: SchedulerFinding, torchVersion: string): LensText {
  if (finding.unresolved.length > 0) {
    const names = finding.unresolved.join(', ');
    return {
      kind: 'unresolved',
      title: `$(question) lr unknown: needs ${names} — set value…`,
      tooltip: `LR Lens cannot see the value of ${names} in this file. Click to enter a value for this file.`,
    };
  }
  if (finding.error && !raisedByTorch(finding.error)) {
    // LR Lens's own limits (an expression it cannot evaluate, too many steps) are not torch's errors.
    return {
      kind: 'error',
      title: `$(warning) LR Lens cannot predict this ${finding.type}: ${finding.error.message}`,
      tooltip: 'This is a limit of LR Lens, not an error torch would raise.',
    };
  }
  if (finding.error && finding.error.phase !== 'step') {
    // A transformers/timm/Keras/optax/mmengine schedule's errors are that library's, not torch's; a trainer
    // refusing the configuration (Lightning) says so.
    const trainer = isConfigFinding(finding) ? finding.errorRaisedBy : undefined;
    const library = trainer ?? frameworkOfFinding(finding) ?? `torch ${torchVersion}`;
    const who = library === 'mmengine' ? `${finding.variable} (${finding.type})` : `${finding.type}(...)`;
    return {
      kind: 'error',
      title: `$(error) ${library} raises ${finding.error.type}: ${finding.error.message}`,
      tooltip: trainer ? `${trainer} refuses this configuration when training starts.` : `${who} raises at construction with ${library}.`,
    };
  }
  const series = lrSeries(finding);
  if (!series) {
    return { kind: 'error', title: `$(error) no prediction for ${finding.type}`, tooltip: 'The simulation produced no values.' };
  }
  const assumptions = finding.assumptions ?? [];
  const partOf = finding.partOf ? `in ${finding.partOf.variable ?? finding.partOf.type}: ` : '';
  // mmengine's param_scheduler is a list of schedulers that set the optimizer's lr in turn: no get_last_lr() to name.
  const reads = finding.partOf
    ? `${finding.partOf.variable ?? finding.partOf.type}.get_last_lr() (this ${finding.type} runs inside the ${finding.partOf.type} on line ${finding.partOf.line})`
    : frameworkOfFinding(finding) === 'mmengine'
      ? `the optimizer's lr under ${finding.variable} (${finding.type})`
      : `${finding.variable ?? finding.type}.get_last_lr()`;
  const tooltipLines = [`Predicted ${reads} per ${series.unit === 'step' ? 'batch step' : 'epoch'} (${predictedWith(finding, torchVersion)}). Click to open the curve.`];
  if (assumptions.length) tooltipLines.push(`Assumed: ${assumptions.join('; ')}.`);
  return {
    kind: 'schedule',
    title: `${partOf}${seriesTitle(series)}${assumptions.length ? ' · assumed values' : ''}`,
    tooltip: tooltipLines.join('\n'),
  };
}

/** What the prediction models: torch's schedulers at the configured version, or mmengine's own. */
export function predictedWith(finding: SchedulerFinding, torchVersion: string): string {
  return frameworkOfFinding(finding) === 'mmengine' ? "mmengine's own schedulers" : `torch ${torchVersion}`;
}

/** The library whose schedule a finding predicts: a config finding says so, a Python one's type names it. */
function frameworkOfFinding(finding: SchedulerFinding): FrameworkLibrary | null {
  return (isConfigFinding(finding) ? finding.framework : null) ?? frameworkOf(finding.type);
}

/** Errors torch itself would raise, as opposed to LR Lens declining or failing (Unsupported, input, internal). */
export function raisedByTorch(error: { phase: string; type: string }): boolean {
  return error.phase !== 'input' && error.type !== 'Unsupported' && error.type !== 'InternalError';
}
