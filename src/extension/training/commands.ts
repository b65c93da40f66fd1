// "LR Lens: Run Quick Training" and "LR Lens: Find Learning Rate": train a small network on sample
// data with the optimizer and scheduler under the cursor (in the panel's webview on WebGPU, else in
// the worker on the CPU, as lrLens.training.backend says), stream the epochs into the schedule
// panel's training view, and write a learning rate the range test suggests.
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SchedulerFinding } from '../../analysis/types';
import type { ScheduleCase } from '../../engine/case';
import { parseCaseJson } from '../../engine/caseJson';
import type { RunStatus, TrainingRunView } from '../../shared/protocol';
import { DEFAULT_LR_RANGE, type LrSuggestions } from '../../training/lrFinder';
import { DEFAULT_SAMPLE, SAMPLE_PROBLEMS, type SampleProblem } from '../../training/samples';
import { encodeCase, loadDataset, type DataSource, type LrRangeOutcome, type TrainingOutcome } from '../../training/session';
import type { EpochRecord } from '../../training/trainer';
import type { WorkerRun } from '../../training/workerClient';
import type { Cmd, Ctx } from '../ctx';
import { panelCall } from '../panel/schedules';
import { schedulePanelController } from '../panel/schedulePanel';
import { trainingView } from '../panel';
import { backendSetting, fallbackText, panelRequest, placeTraining } from './backendChoice';
import {
  batchesPerEpoch,
  epochPoint,
  findSample,
  learningRateText,
  lrArgumentOf,
  lrRangeView,
  plannedEpochs,
  plateauMetric,
  stepPerOf,
  SUGGESTION_LABELS,
  untrainableReason,
} from './plan';
import type { ApplyOutcome, QuickRun, TrainingService } from './service';

/** Arguments the commands take after (uri?, line?), for keybindings and tests; without them, they ask. */
export interface TrainingCommandOptions {
  /** A sample problem by name (`spirals`, `moons`, `blobs`, `iris`, `wine`) or label. */
  sample?: string;
  /** The user's own CSV (header row, numeric columns, integer class label last): read only in a trusted workspace. */
  csv?: vscode.Uri | string;
  /** Epochs instead of as many as the code's loop runs. */
  epochs?: number;
}

export interface FindLearningRateOptions extends Omit<TrainingCommandOptions, 'epochs'> {
  /** Write this suggestion (or value) without asking; false: write nothing. */
  apply?: keyof LrSuggestions | number | false;
}

/** What Run Quick Training returns (tests read it; the user sees the panel). */
export interface QuickTrainingResult {
  /** The run's id in the panel's training view. */
  runId: number;
  /** The case trained, with its Python floats tagged (training/session encodeCase; decodeCase reads it). */
  encodedCase: unknown;
  stepPer: 'epoch' | 'batch';
  epochsPlanned: number;
  status: RunStatus;
  error: string | null;
  outcome: TrainingOutcome | null;
  /** The epochs streamed while the run went on. */
  streamed: EpochRecord[];
}

export interface FindLearningRateResult {
  argument: 'lr' | 'max_lr';
  status: RunStatus;
  error: string | null;
  outcome: LrRangeOutcome | null;
  applied: (ApplyOutcome & { text?: string }) | null;
}

interface Target {
  document: vscode.TextDocument;
  finding: SchedulerFinding;
}

/** The scheduler at the given 1-based line, else the one at or above the cursor, else the file's first. */
async function findTarget(ctx: Ctx, uri: vscode.Uri | string | undefined, line: number | undefined): Promise<Target | undefined> {
  const document = uri
    ? await vscode.workspace.openTextDocument(typeof uri === 'string' ? vscode.Uri.parse(uri) : uri)
    : vscode.window.activeTextEditor?.document;
  if (!document) return undefined;
  const schedulers = (await ctx.analyses.resultFor(document))?.schedulers ?? [];
  const editor = vscode.window.activeTextEditor;
  const cursorLine = line ?? (editor?.document === document ? editor.selection.active.line + 1 : 1);
  const finding = line !== undefined ? schedulers.find((f) => f.line === line) : (schedulers.filter((f) => f.line <= cursorLine).pop() ?? schedulers[0]);
  return finding ? { document, finding } : undefined;
}

interface ChosenData {
  label: string;
  source: DataSource;
  problem: SampleProblem;
}

/** What quick training and the LR range test both train: the finding's case on the chosen data, with its network, in float64 on the CPU worker. */
function trainingNetwork(finding: SchedulerFinding, chosen: ChosenData) {
  return {
    case: finding.case,
    data: chosen.source,
    hidden: chosen.problem.hidden,
    activation: chosen.problem.activation,
    dtype: 'float64' as const,
    backend: 'cpu' as const,
  };
}

const USER_CSV = 'Your CSV file…';

/** The data to train on: given by the options, else picked (the default sample problem first). */
async function chooseData(ctx: Ctx, options: TrainingCommandOptions): Promise<ChosenData | { error: string } | undefined> {
  let csv = options.csv;
  let problem = options.sample !== undefined ? findSample(options.sample) : undefined;
  if (options.sample !== undefined && !problem) return { error: `no sample problem named “${options.sample}”; there are ${SAMPLE_PROBLEMS.map((p) => p.label).join('; ')}.` };
  if (!problem && !csv) {
    const items = [
      ...SAMPLE_PROBLEMS.map((sample) => ({ label: sample.label, description: sample === DEFAULT_SAMPLE ? 'default' : undefined, sample })),
      { label: USER_CSV, description: 'numeric columns, header row, integer class label last', sample: undefined },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'LR Lens: train on which data?', placeHolder: DEFAULT_SAMPLE.label });
    if (!picked) return undefined;
    if (picked.sample) problem = picked.sample;
    else {
      const [file] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'CSV files': ['csv'] }, openLabel: 'Train on this' })) ?? [];
      if (!file) return undefined;
      csv = file;
    }
  }
  if (csv) {
    // A workspace's files may be crafted to attack whoever opens them: only a trusted workspace's data is read.
    if (!vscode.workspace.isTrusted) return { error: 'training reads a CSV file only in a trusted workspace; the bundled sample problems work anywhere.' };
    const uri = typeof csv === 'string' ? vscode.Uri.parse(csv) : csv;
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return { label: path.basename(uri.path), source: { kind: 'csv', text }, problem: DEFAULT_SAMPLE };
  }
  const chosen = problem ?? DEFAULT_SAMPLE;
  if (chosen.data.kind === 'generated') return { label: chosen.label, source: chosen.data, problem: chosen };
  // Bundled data ships with the extension (data/*.csv): always allowed.
  const text = await fs.readFile(path.join(ctx.extension.extensionPath, chosen.data.file), 'utf8');
  return { label: chosen.label, source: { kind: 'csv', text }, problem: chosen };
}

/** The target and its data, or undefined after telling the user why not. */
async function prepare(ctx: Ctx, uri: vscode.Uri | string | undefined, line: number | undefined, options: TrainingCommandOptions): Promise<(Target & ChosenData & { rows: number }) | undefined> {
  const target = await findTarget(ctx, uri, line);
  if (!target) {
    void vscode.window.showInformationMessage('LR Lens: no learning-rate scheduler found here.');
    return undefined;
  }
  const why = untrainableReason(target.finding);
  if (why) {
    void vscode.window.showWarningMessage(`LR Lens: cannot train ${target.finding.type} at line ${target.finding.line}: ${why}`);
    return undefined;
  }
  try {
    const data = await chooseData(ctx, options);
    if (!data) return undefined;
    if ('error' in data) {
      void vscode.window.showWarningMessage(`LR Lens: ${data.error}`);
      return undefined;
    }
    return { ...target, ...data, rows: loadDataset(data.source).rows };
  } catch (error) {
    void vscode.window.showErrorMessage(`LR Lens: the data cannot be used: ${(error as Error).message}`);
    return undefined;
  }
}

const where = (target: Target) => `${path.basename(target.document.uri.path)}:${target.finding.line}`;
const percent = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const loss = (x: number | null) => (x === null ? 'n/a' : x.toPrecision(4));

/** Runs fast enough for the panel to re-train on every control change (the issue's target: 30 epochs in ≤ 200 ms). */
const LIVE_RETRAIN_MS = 1000;

/** How long a run waits for a panel that is still starting before it trains on the worker instead. */
const PANEL_READY_MS = 10_000;

const PANEL_BACKEND = 'WebGPU in the panel';
const WORKER_BACKEND = 'CPU worker';

export function runQuickTraining(ctx: Ctx, service: TrainingService): Cmd {
  return async (uri?: vscode.Uri | string, line?: number, options: TrainingCommandOptions = {}): Promise<QuickTrainingResult | undefined> => {
    const prepared = await prepare(ctx, uri, line, options);
    if (!prepared) return undefined;
    const { finding, problem } = prepared;
    const stepPer = stepPerOf(finding);
    const epochs = options.epochs ?? plannedEpochs(finding, batchesPerEpoch(prepared.rows, problem.options.valFraction, problem.options.batchSize));
    const run: QuickRun = {
      request: { ...trainingNetwork(finding, prepared), options: { ...problem.options, epochs, stepPer } },
      uri: prepared.document.uri,
      line: finding.line,
      where: where(prepared),
      dataLabel: prepared.label,
      schedulerType: finding.type,
    };
    await ctx.showSchedulePanel?.(run.uri, run.line);
    return trainAndShow(ctx, service, run, true);
  };
}

/**
 * The panel's live re-training: the last quick-training run again with the case the panel's controls
 * make now (its runId must be the last run's: a change made for an older run is dropped).
 */
export function retrainer(ctx: Ctx, service: TrainingService): (runId: number, caseJson: string) => Promise<void> {
  return async (runId, caseJson) => {
    const last = service.lastQuickRun;
    if (!last || runId !== service.currentRunId()) return;
    let tuned: ScheduleCase;
    try {
      tuned = parseCaseJson(caseJson) as ScheduleCase;
    } catch (error) {
      ctx.log.warn(`live re-training: the panel sent a case that does not parse: ${(error as Error).message}`);
      return;
    }
    await trainAndShow(ctx, service, { ...last, request: { ...last.request, case: tuned } }, false);
  };
}

/**
 * Trains in the panel's webview on WebGPU or in the worker (lrLens.training.backend; a fallback says why),
 * streaming each epoch into the panel; `notify`: a cancellable notification (else the status bar).
 */
async function trainAndShow(ctx: Ctx, service: TrainingService, run: QuickRun, notify: boolean): Promise<QuickTrainingResult> {
  const { request } = run;
  const { epochs, stepPer } = request.options;
  service.lastQuickRun = run;
  const title = `${request.case.optimizer?.type} + ${run.schedulerType} (${run.where}) on ${run.dataLabel}, scheduler stepped per ${stepPer}`;
  const setting = backendSetting(vscode.workspace.getConfiguration('lrLens').get('training.backend'));
  const panel = setting === 'cpu' ? undefined : schedulePanelController();
  const placement = placeTraining(setting, (await panel?.whenReady(PANEL_READY_MS)) ?? false);
  let fallback = placement.where === 'worker' ? placement.fallbackReason : null;
  let view: TrainingRunView = {
    runId: service.nextRunId(),
    uri: run.uri.toString(),
    line: run.line,
    title,
    stepPer,
    epochsPlanned: epochs,
    epochs: [],
    status: 'running',
    message: fallback,
    live: false,
    backend: placement.where === 'panel' ? PANEL_BACKEND : WORKER_BACKEND,
  };
  trainingView.showRun(view);
  const streamed: EpochRecord[] = [];
  const started = Date.now();
  const { outcome, error } = await withCancellableProgress(`LR Lens: training ${title}`, notify, (progress) => {
    const onEpoch = (record: EpochRecord) => {
      streamed.push(record);
      const point = epochPoint(record);
      trainingView.addEpoch(view.runId, point);
      progress.report({ increment: 100 / epochs, message: `epoch ${record.epoch + 1}/${epochs}: val loss ${loss(point.valLoss)}` });
    };
    if (placement.where === 'worker' || !panel) return service.train(request, onEpoch);
    const runId = view.runId;
    return service.trainInPanel(
      (sent, caseJson, onPanelEpoch) => panel.trainInWebview(runId, sent, caseJson, onPanelEpoch),
      request,
      panelRequest(request, placement.setting),
      onEpoch,
      (reason) => {
        // The worker starts the run again: the view starts over, saying why.
        fallback = fallbackText(setting, reason);
        streamed.length = 0;
        view = { ...view, backend: WORKER_BACKEND, message: fallback };
        if (service.currentRunId() === view.runId) trainingView.showRun(view);
        progress.report({ message: fallback });
        ctx.log.info(`quick training ${title}: ${fallback}`);
      },
    );
  });
  const records = outcome?.epochs ?? streamed;
  const status = statusOf(outcome, error);
  const last = records.length > 0 ? epochPoint(records[records.length - 1]) : null;
  const elapsed = Date.now() - started;
  const reasons = [fallback, outcome?.fallbackReason].filter((reason) => reason);
  const summary =
    status === 'error'
      ? `Training stopped: ${error}`
      : `${status === 'cancelled' ? `Cancelled after ${records.length} of ${epochs}` : `${records.length}`} epochs in ${(elapsed / 1000).toFixed(2)} s on ${view.backend === WORKER_BACKEND ? 'the CPU worker' : view.backend}` +
        (last ? `: val loss ${loss(last.valLoss)}, val accuracy ${percent(last.valAccuracy)}` : '') +
        (reasons.length > 0 ? ` (${reasons.join('; ')})` : '');
  // A superseded run (cancelled because a newer one started) leaves the view and the metric to the newer one.
  if (service.currentRunId() === view.runId) {
    if (records.length > 0) {
      const metric = records[0].val_loss === null ? 'mean training loss' : 'validation loss';
      service.keepMetric(run.uri, `Quick training on ${run.dataLabel} (${run.where}), ${metric}`, plateauMetric(records));
    }
    trainingView.showRun({ ...view, epochs: records.map(epochPoint), status, message: summary, live: status === 'done' && elapsed <= LIVE_RETRAIN_MS });
  }
  ctx.log.info(`quick training ${title}: ${summary}`);
  if (notify && status === 'error') void vscode.window.showErrorMessage(`LR Lens: ${summary}`);
  else if (notify) void vscode.window.showInformationMessage(`LR Lens: ${summary}`);
  return { runId: view.runId, encodedCase: encodeCase(request.case), stepPer, epochsPlanned: epochs, status, error, outcome, streamed };
}

export function findLearningRate(ctx: Ctx, service: TrainingService): Cmd {
  return async (uri?: vscode.Uri | string, line?: number, options: FindLearningRateOptions = {}): Promise<FindLearningRateResult | undefined> => {
    const prepared = await prepare(ctx, uri, line, options);
    if (!prepared) return undefined;
    const { finding, problem, document } = prepared;
    const argument = lrArgumentOf(finding);
    const callOf = (found: SchedulerFinding | undefined, text: string) => {
      const call = argument === 'max_lr' ? found?.call : found?.optimizer;
      return call ? panelCall(call, text) : null;
    };
    service.setLearningRateTarget({
      uri: document.uri,
      argument,
      call: callOf(finding, document.getText()),
      reread: async (changed) => callOf((await ctx.analyses.resultFor(changed))?.schedulers.find((f) => f.line === finding.line), changed.getText()),
    });
    await ctx.showSchedulePanel?.(document.uri, finding.line);
    const title = `LR range test: ${finding.case.optimizer.type} (${where(prepared)}) on ${prepared.label}`;
    trainingView.showLrRange(lrRangeView(title, [], false, { steepest: null, valley: null, minimumTenth: null }, argument, 'running', null));
    const { outcome: result, error } = await withCancellableProgress(`LR Lens: LR range test of ${finding.case.optimizer.type} on ${prepared.label}`, true, () =>
      service.findLearningRate({
        ...trainingNetwork(finding, prepared),
        options: { ...DEFAULT_LR_RANGE, batchSize: problem.options.batchSize, seed: problem.options.seed },
      }),
    );
    const status = statusOf(result, error);
    const message =
      status === 'error'
        ? `The range test stopped: ${error}`
        : `${result!.points.length} learning rates from ${DEFAULT_LR_RANGE.startLr} to ${result!.points.at(-1)?.lr.toPrecision(2) ?? DEFAULT_LR_RANGE.endLr}` +
          (result!.diverged ? ', stopped where the loss diverged.' : '.') +
          (status === 'cancelled' ? ' Cancelled.' : '');
    const suggestions = result?.suggestions ?? { steepest: null, valley: null, minimumTenth: null };
    trainingView.showLrRange(lrRangeView(title, result?.points ?? [], result?.diverged ?? false, suggestions, argument, status, message));
    ctx.log.info(`${title}: ${message}`);
    if (status === 'error') {
      void vscode.window.showErrorMessage(`LR Lens: ${message}`);
      return { argument, status, error, outcome: result, applied: null };
    }
    const value = await chooseLearningRate(suggestions, argument, options.apply);
    const applied = value === undefined ? null : await service.applyLearningRate(value);
    if (applied) {
      if (applied.ok) void vscode.window.showInformationMessage(`LR Lens: ${applied.message}`);
      else void vscode.window.showWarningMessage(`LR Lens: ${applied.message}`);
    }
    return { argument, status, error, outcome: result, applied };
  };
}

type Outcome<T> = T & { cancelled: boolean };

/** Runs a worker job under a notification whose Cancel stops it; a failure becomes its message. */
async function withCancellableProgress<T>(
  title: string,
  notify: boolean,
  start: (progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<WorkerRun<T>>,
): Promise<{ outcome: Outcome<T> | null; error: string | null }> {
  const location = notify ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window;
  return vscode.window.withProgress({ location, title, cancellable: notify }, async (progress, token) => {
    try {
      const run = await start(progress);
      const subscription = token.onCancellationRequested(() => run.cancel());
      try {
        return { outcome: await run.done, error: null };
      } finally {
        subscription.dispose();
      }
    } catch (failure) {
      return { outcome: null, error: (failure as Error).message };
    }
  });
}

function statusOf(outcome: { cancelled: boolean } | null, error: string | null): RunStatus {
  return error !== null ? 'error' : outcome?.cancelled ? 'cancelled' : 'done';
}

/** The value to write: the one given, or one the user picks among the suggestions; undefined: none. */
async function chooseLearningRate(
  suggestions: LrSuggestions,
  argument: 'lr' | 'max_lr',
  given: FindLearningRateOptions['apply'],
): Promise<number | undefined> {
  if (given === false) return undefined;
  if (typeof given === 'number') return given;
  if (given !== undefined) return suggestions[given] ?? undefined;
  const items = (Object.keys(SUGGESTION_LABELS) as (keyof LrSuggestions)[])
    .filter((key) => suggestions[key] !== null)
    .map((key) => ({ label: `${argument}=${learningRateText(suggestions[key]!)}`, description: SUGGESTION_LABELS[key], value: suggestions[key]! }));
  if (items.length === 0) return undefined;
  const picked = await vscode.window.showQuickPick(items, {
    title: `LR Lens: write which ${argument} into the code?`,
    placeHolder: 'Escape keeps the code as it is (the panel also has buttons for each suggestion)',
  });
  return picked?.value;
}

/** Command id → factory; every id is declared in package.json "contributes.commands". */
export const TRAINING_COMMANDS: { [id: string]: (ctx: Ctx, service: TrainingService) => Cmd } = {
  'lrLens.runQuickTraining': runQuickTraining,
  'lrLens.findLearningRate': findLearningRate,
};

/** Registered only when the extension runs under test: stops the run in progress (the notification's Cancel). */
export const TRAINING_TEST_COMMANDS: { [id: string]: (ctx: Ctx, service: TrainingService) => Cmd } = {
  'lrLens.test.stopTraining': (_ctx, service) => () => service.stop(),
};
