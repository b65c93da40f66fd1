// What a quick-training run or an LR range test is made of, from the scheduler under the cursor: the
// sample problem, how many epochs, per-epoch or per-batch stepping, and how results are shown and
// written back. No `vscode` import.
import type { SchedulerFinding } from '../../analysis/types';
import { floatRepr } from '../../engine/python/values';
import type { LrRangeView, TrainingEpochPoint } from '../../shared/protocol';
import { validationRows } from '../../training/data';
import type { LrRangePoint, LrSuggestions } from '../../training/lrFinder';
import { SAMPLE_PROBLEMS, type SampleProblem } from '../../training/samples';
import type { EpochRecord, JsonNumber, StepWhen } from '../../training/trainer';

/** A run long enough to show a schedule, short enough to stay interactive. */
export const MAX_QUICK_EPOCHS = 300;

/** The sample problem named by `query`: its label's start or its data's name (`spirals`, `iris`, …), case-insensitive. */
export function findSample(query: string): SampleProblem | undefined {
  const wanted = query.trim().toLowerCase();
  return SAMPLE_PROBLEMS.find((sample) => {
    const name = sample.data.kind === 'generated' ? sample.data.name : sample.data.file.replace(/^.*\//, '').replace(/\.csv$/, '');
    return name === wanted || sample.label.toLowerCase().startsWith(wanted);
  });
}

/** Why a finding cannot be trained, or null when it can. */
export function untrainableReason(finding: SchedulerFinding): string | null {
  if (finding.unresolved.length > 0) return `set a value for ${finding.unresolved.join(', ')} first (LR Lens: Set Value for an Unresolved Name…).`;
  if (finding.error && finding.error.phase !== 'step') return `torch raises ${finding.error.type}: ${finding.error.message}`;
  return null;
}

export function stepPerOf(finding: SchedulerFinding): StepWhen {
  return finding.unit === 'step' ? 'batch' : 'epoch';
}

export function batchesPerEpoch(rows: number, valFraction: number, batchSize: number): number {
  return Math.ceil((rows - validationRows(rows, valFraction)) / batchSize);
}

/**
 * Epochs to train: as many scheduler steps as the code's loop makes (the case's rounds: epochs, or batches turned into
 * whole epochs of the sample problem), stopping before a step where torch would raise (e.g. a
 * OneCycleLR stepped past its total_steps), between 1 and MAX_QUICK_EPOCHS.
 */
export function plannedEpochs(finding: SchedulerFinding, batches: number): number {
  const stepsBeforeError = finding.error?.phase === 'step' ? finding.error.step - 1 : Infinity;
  const steps = Math.min(finding.case.steps, stepsBeforeError);
  const epochs = finding.unit === 'step' ? Math.floor(steps / batches) : steps;
  return Math.max(1, Math.min(MAX_QUICK_EPOCHS, epochs));
}

const finiteOrNull = (value: JsonNumber | null): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function epochPoint(record: EpochRecord): TrainingEpochPoint {
  return {
    epoch: record.epoch,
    trainLoss: finiteOrNull(record.train_loss),
    valLoss: finiteOrNull(record.val_loss),
    valAccuracy: record.val_accuracy,
    lr: record.lr,
  };
}

/** The metric ReduceLROnPlateau was fed in training: the validation loss, else the mean batch loss (NaN kept). */
export function plateauMetric(records: EpochRecord[]): number[] {
  const toNumber = (value: JsonNumber) => (typeof value === 'number' ? value : Number(value));
  return records.map((record) => toNumber(record.val_loss ?? record.train_loss));
}

/** The argument a suggested lr is written to: OneCycleLR's `max_lr` (it overrides the optimizer's lr), else the optimizer's `lr`. */
export function lrArgumentOf(finding: SchedulerFinding): 'lr' | 'max_lr' {
  return finding.type === 'OneCycleLR' ? 'max_lr' : 'lr';
}

/** A suggestion as Python source: two significant digits, as a person would write it (0.0032, 3.2e-05). */
export function learningRateText(value: number): string {
  return floatRepr(Number(value.toPrecision(2)));
}

export const SUGGESTION_LABELS: { [key in keyof LrSuggestions]: string } = {
  steepest: 'steepest descent',
  valley: 'valley',
  minimumTenth: 'minimum / 10',
};

export function lrRangeView(
  title: string,
  points: LrRangePoint[],
  diverged: boolean,
  suggestions: LrSuggestions,
  argument: 'lr' | 'max_lr',
  status: LrRangeView['status'],
  message: string | null,
): LrRangeView {
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    title,
    points: points.map((point) => ({ lr: point.lr, loss: finite(point.loss), smoothed: finite(point.smoothed) })),
    diverged,
    suggestions,
    argument,
    status,
    message,
  };
}
