// The messages between the extension host and the schedule panel (webview), shared by both sides.
// The host validates every message it receives with `parseWebviewMessage`: a webview is untrusted input.
// No `vscode` import and no DOM use: both bundles and the plain-node unit tests import this module.
import type { ArgumentInfo, SourceRange } from '../analysis/types';
import { Float } from '../engine/python/values';
import type { TrainingRequest } from '../training/session';
import type { EpochRecord, StepRecord } from '../training/trainer';

/** A constructor call as the panel read it: enough to edit its arguments and to notice it changed. */
export interface PanelCall {
  type: string;
  variable: string | null;
  range: SourceRange;
  argumentsRange: SourceRange;
  arguments: Pick<ArgumentInfo, 'name' | 'position' | 'text' | 'range'>[];
  /** The document text at `range` when the panel read it. */
  text: string;
}

/** One scheduler of the document, as the panel shows and tunes it. */
export interface PanelSchedule {
  /** 1-based line of the constructor call. */
  line: number;
  type: string;
  variable: string | null;
  unit: 'epoch' | 'step';
  /**
   * The engine's case as JSON text written by `encodeCase`: integral floats keep their `.0`, which
   * structured cloning would lose (torch tells `2` from `2.0`).
   */
  caseJson: string;
  unresolved: string[];
  epochs: number;
  stepsPerEpoch: number | null;
  /** The finding's own constructor call. */
  call: PanelCall;
  /**
   * The call that builds the case's root scheduler, whose arguments the panel's scheduler controls edit:
   * the finding's own call, or the SequentialLR/ChainedScheduler it is a child of; null when not in the file.
   */
  rootCall: PanelCall | null;
  optimizer: PanelCall | null;
  /**
   * The calls of the root's nested children, by child index, where the file has them; for mmengine's
   * param_scheduler, the dicts of the list, by their index in the case's list.
   */
  children: (PanelCall | null)[];
}

export interface PanelDocument {
  uri: string;
  fileName: string;
  version: number;
}

/** What the webview keeps across reloads (getState/setState) and hands back in `ready`. */
export interface PanelViewState {
  uri: string | null;
  line: number | null;
  /** Tuned values by control path (see webview/model.ts), as Python source text. */
  edits: Record<string, string>;
  logScale: boolean;
  xUnit: 'round' | 'epoch';
  metric: MetricSourceState;
}

export type MetricSourceState =
  | { kind: 'synthetic'; seed: number; start: number; floor: number; decay: number; noise: number; plateaus: number }
  | { kind: 'csv'; name: string; column: number; text: string }
  | { kind: 'training'; label: string; values: number[] };

// ---------------------------------------------------------------- host → webview

export interface LoadMessage {
  type: 'load';
  document: PanelDocument;
  schedules: PanelSchedule[];
  selected: number;
}

export interface EmptyMessage {
  type: 'empty';
  /** Why there is nothing to show, e.g. "No torch.optim.lr_scheduler constructor in train.py". */
  message: string;
}

export interface ApplyResultMessage {
  type: 'applyResult';
  requestId: number;
  ok: boolean;
  message: string;
}

export interface CsvLoadedMessage {
  type: 'csvLoaded';
  name: string;
  text: string;
}

/** The last quick-training run's validation loss per epoch, for ReduceLROnPlateau tuning. */
export interface TrainingMetricMessage {
  type: 'trainingMetric';
  label: string;
  /** Empty when there is no run yet; `label` then says so. */
  values: number[];
}

/** One finished epoch of a quick-training run; non-finite numbers travel as null (a gap in the chart). */
export interface TrainingEpochPoint {
  epoch: number;
  trainLoss: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  /** Each param group's lr at the end of the epoch, after the schedulers stepped. */
  lr: number[];
}

export type RunStatus = 'running' | 'done' | 'cancelled' | 'error';

/** A quick-training run as the panel draws it: loss, validation loss and accuracy, and lr per group by epoch. */
export interface TrainingRunView {
  runId: number;
  /** The document and the scheduler's 1-based line the run trained. */
  uri: string;
  line: number;
  /** e.g. "SGD + StepLR (train.py:42) on Spirals (3 classes, 600 points)". */
  title: string;
  stepPer: 'epoch' | 'batch';
  epochsPlanned: number;
  epochs: TrainingEpochPoint[];
  status: RunStatus;
  /** The outcome in words (an error's text when status is error); null while running. */
  message: string | null;
  /** Finished fast enough that the panel re-trains on every control change (closed-loop tuning). */
  live: boolean;
  /** Where it trains, e.g. "WebGPU in the panel" or "CPU worker"; absent when not said. */
  backend?: string;
}

/** The LR range test: the whole sweep and the suggested values. */
export interface LrRangeView {
  title: string;
  points: { lr: number; loss: number | null; smoothed: number | null }[];
  diverged: boolean;
  suggestions: { steepest: number | null; valley: number | null; minimumTenth: number | null };
  /** The argument a chosen value is written to: the optimizer's `lr`, or OneCycleLR's `max_lr`. */
  argument: 'lr' | 'max_lr';
  status: RunStatus;
  message: string | null;
}

/** Replaces the training view's run (a new run, or a run's final state). */
export interface TrainingRunMessage {
  type: 'trainingRun';
  run: TrainingRunView;
}

/** One more epoch of the run `runId`, streamed as it finishes. */
export interface TrainingEpochMessage {
  type: 'trainingEpoch';
  runId: number;
  epoch: TrainingEpochPoint;
}

export interface LrRangeMessage {
  type: 'lrRange';
  result: LrRangeView;
}

/**
 * Train in the webview, on WebGPU (navigator.gpu exists there, not in the extension host). The request
 * is the one the CPU worker would get, its case as Float-keeping JSON text (see encodeCase).
 */
export interface RunTrainingMessage {
  type: 'runTraining';
  runId: number;
  request: Omit<TrainingRequest, 'case'>;
  caseJson: string;
}

/** Stop the webview's run `runId` (the notification's Cancel, or a newer run). */
export interface CancelTrainingMessage {
  type: 'cancelTraining';
  runId: number;
}

export type HostMessage =
  | LoadMessage
  | RunTrainingMessage
  | CancelTrainingMessage
  | EmptyMessage
  | ApplyResultMessage
  | CsvLoadedMessage
  | TrainingMetricMessage
  | TrainingRunMessage
  | TrainingEpochMessage
  | LrRangeMessage;

// ---------------------------------------------------------------- webview → host

export interface ReadyMessage {
  type: 'ready';
  state: PanelViewState | null;
}

export interface SelectMessage {
  type: 'select';
  line: number;
}

/** One argument to write: its torch name, the new Python text, and for `lr` of a param group, which group. */
export interface ArgumentChange {
  name: string;
  text: string;
  group?: number;
}

export interface CallChanges {
  call: PanelCall;
  changes: ArgumentChange[];
}

export interface ApplyMessage {
  type: 'apply';
  requestId: number;
  uri: string;
  /** The document version the panel read the calls from. */
  version: number;
  calls: CallChanges[];
}

export interface ExportCsvMessage {
  type: 'exportCsv';
  fileName: string;
  text: string;
}

export interface ExportPngMessage {
  type: 'exportPng';
  fileName: string;
  /** `data:image/png;base64,...` */
  dataUrl: string;
}

export interface CopyPythonMessage {
  type: 'copyPython';
  text: string;
}

export interface ImportCsvMessage {
  type: 'importCsv';
}

export interface RequestTrainingMetricMessage {
  type: 'requestTrainingMetric';
}

export interface RevealMessage {
  type: 'reveal';
  line: number;
}

/** Write a learning rate the LR range test suggested into the code (`lr` or `max_lr`, see LrRangeView). */
export interface ApplyLearningRateMessage {
  type: 'applyLearningRate';
  requestId: number;
  value: number;
}

/** Re-train the last quick-training run (`runId`) with the panel's tuned case (Float-keeping JSON, see encodeCase). */
export interface RetrainMessage {
  type: 'retrain';
  runId: number;
  caseJson: string;
}

/** What the training view drew last (for the host's integration tests). */
export interface TrainingRenderedMessage {
  type: 'trainingRendered';
  runId: number | null;
  epochs: number;
  rangePoints: number;
}

/** What the panel drew last: lets the host (and its integration tests) see the chart without pixels. */
export interface RenderedMessage {
  type: 'rendered';
  line: number | null;
  rounds: number;
  /** get_last_lr() per group at the first and the last drawn round. */
  first: number[];
  last: number[];
  error: string | null;
}

/** One finished epoch of the webview's run `runId` (answering RunTrainingMessage). */
export interface TrainingProgressMessage {
  type: 'trainingProgress';
  runId: number;
  epoch: EpochRecord;
}

/**
 * The end of the webview's run `runId`. `unavailable`: it did not train on WebGPU (`reason` says why)
 * and the host trains on the CPU worker instead; `error`: training failed (`reason`).
 */
export interface TrainingFinishedMessage {
  type: 'trainingFinished';
  runId: number;
  status: 'done' | 'cancelled' | 'unavailable' | 'error';
  backend: 'webgpu' | null;
  reason: string | null;
  epochs: EpochRecord[];
  steps: StepRecord[];
}

export type WebviewMessage =
  | ReadyMessage
  | TrainingProgressMessage
  | TrainingFinishedMessage
  | SelectMessage
  | ApplyMessage
  | ExportCsvMessage
  | ExportPngMessage
  | CopyPythonMessage
  | ImportCsvMessage
  | RequestTrainingMetricMessage
  | RevealMessage
  | RenderedMessage
  | ApplyLearningRateMessage
  | RetrainMessage
  | TrainingRenderedMessage;

// ---------------------------------------------------------------- validation

/** Limits that keep a misbehaving webview from making the host do unbounded work. */
const MAX_TEXT = 5_000_000;
const MAX_ITEMS = 10_000;

type Check = (value: unknown) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString: Check = (value) => typeof value === 'string' && value.length <= MAX_TEXT;
const isShortString: Check = (value) => typeof value === 'string' && value.length <= 1000;
const isInteger: Check = (value) => Number.isSafeInteger(value);
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isFiniteNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isNumber: Check = (value) => typeof value === 'number';
const isBoolean: Check = (value) => typeof value === 'boolean';
const nullable = (check: Check): Check => (value) => value === null || check(value);
const optionalField = (check: Check): Check => (value) => value === undefined || check(value);
const listOf = (check: Check, max = MAX_ITEMS): Check => (value) => Array.isArray(value) && value.length <= max && value.every(check);
const oneOf = (...options: unknown[]): Check => (value) => options.includes(value);

function shape(fields: Record<string, Check>): Check {
  return (value) => {
    if (!isObject(value)) return false;
    for (const key of Object.keys(value)) if (!(key in fields)) return false;
    return Object.entries(fields).every(([key, check]) => check(value[key]));
  };
}

const isRange = shape({ startLine: isCount, startCol: isCount, endLine: isCount, endCol: isCount });

const isPanelCall = shape({
  type: isShortString,
  variable: nullable(isShortString),
  range: isRange,
  argumentsRange: isRange,
  arguments: listOf(shape({ name: nullable(isShortString), position: nullable(isCount), text: isString, range: isRange }), 1000),
  text: isString,
});

const isArgumentChange = shape({ name: isShortString, text: isString, group: optionalField(isCount) });

const isJsonNumber: Check = (value) => isNumber(value) || value === 'NaN' || value === 'Infinity' || value === '-Infinity';
const isLrList = listOf(isNumber, 1000);

const isEpochRecord = shape({
  epoch: isCount,
  train_loss: isJsonNumber,
  val_loss: nullable(isJsonNumber),
  val_accuracy: nullable(isNumber),
  lr: isLrList,
});

const isStepRecord = shape({ epoch: isCount, batch: isCount, loss: isJsonNumber, lr: isLrList });

const isMetricSource: Check = (value) =>
  shape({
    kind: oneOf('synthetic'),
    seed: isFiniteNumber,
    start: isFiniteNumber,
    floor: isFiniteNumber,
    decay: isFiniteNumber,
    noise: isFiniteNumber,
    plateaus: isFiniteNumber,
  })(value) ||
  shape({ kind: oneOf('csv'), name: isShortString, column: isCount, text: isString })(value) ||
  shape({ kind: oneOf('training'), label: isShortString, values: listOf(isNumber, 1_000_000) })(value);

const isViewState = shape({
  uri: nullable(isString),
  line: nullable(isCount),
  edits: (value) => isObject(value) && Object.keys(value).length <= 1000 && Object.values(value).every(isString),
  logScale: isBoolean,
  xUnit: oneOf('round', 'epoch'),
  metric: isMetricSource,
});

const MESSAGE_SHAPES: Record<WebviewMessage['type'], Check> = {
  ready: shape({ type: isString, state: nullable(isViewState) }),
  select: shape({ type: isString, line: isCount }),
  apply: shape({
    type: isString,
    requestId: isInteger,
    uri: isString,
    version: isInteger,
    calls: listOf(shape({ call: isPanelCall, changes: listOf(isArgumentChange, 1000) }), 100),
  }),
  exportCsv: shape({ type: isString, fileName: isShortString, text: isString }),
  exportPng: shape({ type: isString, fileName: isShortString, dataUrl: (value) => isString(value) && (value as string).startsWith('data:image/png;base64,') }),
  copyPython: shape({ type: isString, text: isString }),
  importCsv: shape({ type: isString }),
  requestTrainingMetric: shape({ type: isString }),
  reveal: shape({ type: isString, line: isCount }),
  rendered: shape({
    type: isString,
    line: nullable(isCount),
    rounds: isCount,
    first: listOf(isNumber, 1000),
    last: listOf(isNumber, 1000),
    error: nullable(isString),
  }),
  applyLearningRate: shape({ type: isString, requestId: isInteger, value: (value) => isFiniteNumber(value) && (value as number) > 0 }),
  retrain: shape({ type: isString, runId: isInteger, caseJson: (value) => typeof value === 'string' && value.length <= 100_000 }),
  trainingRendered: shape({ type: isString, runId: nullable(isInteger), epochs: isCount, rangePoints: isCount }),
  trainingProgress: shape({ type: isString, runId: isInteger, epoch: isEpochRecord }),
  trainingFinished: shape({
    type: isString,
    runId: isInteger,
    status: oneOf('done', 'cancelled', 'unavailable', 'error'),
    backend: oneOf('webgpu', null),
    reason: nullable(isString),
    epochs: listOf(isEpochRecord),
    steps: listOf(isStepRecord, 1_000_000),
  }),
};

/** The message if it is one the webview may send, exactly; null for anything else. */
export function parseWebviewMessage(value: unknown): WebviewMessage | null {
  if (!isObject(value) || typeof value.type !== 'string' || !Object.prototype.hasOwnProperty.call(MESSAGE_SHAPES, value.type)) return null;
  return MESSAGE_SHAPES[value.type as WebviewMessage['type']](value) ? (value as unknown as WebviewMessage) : null;
}

/** The webview's lighter check of what the host sends (the host is trusted; this catches version skew). */
export function isHostMessage(value: unknown): value is HostMessage {
  return isObject(value) && typeof value.type === 'string' && ['load', 'empty', 'applyResult', 'csvLoaded', 'trainingMetric', 'trainingRun', 'trainingEpoch', 'lrRange', 'runTraining', 'cancelTraining'].includes(value.type);
}

// ---------------------------------------------------------------- cases as JSON text

/**
 * JSON for a case that keeps Python's int/float distinction: a `Float` box writes as `2.0`, so
 * `parseCaseJson` (src/engine/caseJson.ts) reads it back as a Float. Non-finite floats are written as
 * the strings torch's JSON uses ("nan", "inf", "-inf").
 */
export function encodeCase(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(nonFinite(value));
  if (typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(encodeCase).join(',')}]`;
  if (value instanceof Float) {
    const x = value.value;
    if (!Number.isFinite(x)) return JSON.stringify(nonFinite(x));
    const text = JSON.stringify(x);
    return /[.eE]/.test(text) ? text : `${text}.0`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${encodeCase(v)}`).join(',')}}`;
  }
  return 'null';
}

function nonFinite(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  return x > 0 ? 'inf' : '-inf';
}
