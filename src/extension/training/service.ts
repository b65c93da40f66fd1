// The extension's training state: the warm worker thread (CPU backend, off the extension host's
// thread), the run in progress (one at a time: a new run stops the previous one), each document's last
// quick-training metric for the panel's ReduceLROnPlateau tuning, and where a learning rate chosen from
// the last LR range test is written.
import * as path from 'path';
import * as vscode from 'vscode';
import { encodeCase, type PanelCall } from '../../shared/protocol';
import type { LrRangeOutcome, LrRangeRequest, TrainingOutcome, TrainingRequest } from '../../training/session';
import type { EpochRecord, StepRecord } from '../../training/trainer';
import { TrainingWorkerClient, type WorkerRun } from '../../training/workerClient';
import { callEdits, staleCallReason } from '../panel/applyEdits';
import type { PanelTrainingRun } from '../panel/schedulePanel';
import { panelResult, type panelRequest } from './backendChoice';
import { learningRateText } from './plan';

/** The schedule panel's side of a WebGPU run (SchedulePanelController.trainInWebview). */
export type PanelTrainer = (
  request: ReturnType<typeof panelRequest>,
  caseJson: string,
  onEpoch: (record: EpochRecord) => void,
) => PanelTrainingRun;

export interface ApplyOutcome {
  ok: boolean;
  message: string;
}

/** The call a chosen learning rate is written into, as the document spelled it when the range test ran. */
export interface LearningRateTarget {
  uri: vscode.Uri;
  argument: 'lr' | 'max_lr';
  /** Null when the code builds the optimizer elsewhere (nothing to write to in this file). */
  call: PanelCall | null;
  /** Re-reads the call after a write, so the next choice edits the code as it is then. */
  reread(document: vscode.TextDocument): Promise<PanelCall | null>;
}

/** A quick-training run as it can be repeated: the panel's live re-training replays it with its tuned case. */
export interface QuickRun {
  request: TrainingRequest;
  uri: vscode.Uri;
  line: number;
  /** "train.py:42" */
  where: string;
  dataLabel: string;
  schedulerType: string;
}

const toRange = (range: PanelCall['range']) => new vscode.Range(range.startLine, range.startCol, range.endLine, range.endCol);

export class TrainingService implements vscode.Disposable {
  private readonly client: TrainingWorkerClient;
  private active: WorkerRun<unknown> | undefined;
  private runs = 0;
  /** The last quick-training run, replayed by the panel's live re-training. */
  lastQuickRun: QuickRun | undefined;
  private readonly metrics = new Map<string, { label: string; values: number[] }>();
  private learningRateTarget: LearningRateTarget | undefined;

  constructor(extensionPath: string) {
    this.client = new TrainingWorkerClient(path.join(extensionPath, 'dist', 'trainingWorker.js'));
  }

  nextRunId(): number {
    return ++this.runs;
  }

  /** The newest run's id: the one the panel's training view shows. */
  currentRunId(): number {
    return this.runs;
  }

  /** Stops the run in progress, if any, and waits until the worker has let it go. */
  async stop(): Promise<void> {
    const run = this.active;
    if (!run) return;
    run.cancel();
    await run.done.catch(() => undefined);
  }

  async train(request: TrainingRequest, onEpoch: (epoch: EpochRecord, steps: StepRecord[]) => void): Promise<WorkerRun<TrainingOutcome>> {
    await this.stop();
    return this.track(this.client.train(request, onEpoch));
  }

  /**
   * Trains in the panel's webview on WebGPU; when the panel cannot (no adapter, WebGPU failed, the
   * panel closed), trains the same request on the worker and tells `onFallback` why first.
   */
  async trainInPanel(
    panel: PanelTrainer,
    request: TrainingRequest,
    /** The request as the panel runs it (backendChoice.panelRequest). */
    sent: ReturnType<typeof panelRequest>,
    onEpoch: (epoch: EpochRecord) => void,
    onFallback: (reason: string) => void,
  ): Promise<WorkerRun<TrainingOutcome>> {
    await this.stop();
    let cancelled = false;
    const panelRun = panel(sent, encodeCase(request.case), onEpoch);
    let current: { cancel(): void } = panelRun;
    const done = panelRun.done.then((finished) => {
      const result = panelResult(finished);
      if ('outcome' in result) return result.outcome;
      if (cancelled) return { steps: [], epochs: [], backend: 'webgpu' as const, fallbackReason: null, cancelled: true };
      onFallback(result.fallback);
      const worker = this.client.train(request, onEpoch);
      current = worker;
      return worker.done;
    });
    return this.track({
      done,
      cancel: () => {
        cancelled = true;
        current.cancel();
      },
    });
  }

  async findLearningRate(request: LrRangeRequest): Promise<WorkerRun<LrRangeOutcome>> {
    await this.stop();
    return this.track(this.client.findLearningRate(request));
  }

  private track<T>(run: WorkerRun<T>): WorkerRun<T> {
    this.active = run;
    const clear = () => {
      if (this.active === run) this.active = undefined;
    };
    run.done.then(clear, clear);
    return run;
  }

  /** The last quick-training run's metric for a document (the panel's "last quick training" source). */
  metricFor(uri: vscode.Uri): { label: string; values: number[] } | undefined {
    return this.metrics.get(uri.toString());
  }

  keepMetric(uri: vscode.Uri, label: string, values: number[]): void {
    this.metrics.set(uri.toString(), { label, values });
  }

  setLearningRateTarget(target: LearningRateTarget): void {
    this.learningRateTarget = target;
  }

  /** Writes `value` into the last range test's `lr` (or `max_lr`) argument with one WorkspaceEdit (one undo reverts it). */
  async applyLearningRate(value: number): Promise<ApplyOutcome & { text?: string }> {
    const target = this.learningRateTarget;
    if (!target) return { ok: false, message: 'Run “LR Lens: Find Learning Rate” first.' };
    if (!target.call) return { ok: false, message: `The optimizer is not constructed in ${path.basename(target.uri.path)}: set its ${target.argument} by hand.` };
    if (!(Number.isFinite(value) && value > 0)) return { ok: false, message: `${value} is not a learning rate.` };
    const document = await vscode.workspace.openTextDocument(target.uri);
    // Config files (YAML, JSON, TOML) spell arguments their own way: the panel's Apply writes those.
    if (document.languageId !== 'python') return { ok: false, message: `Set ${target.argument}=${learningRateText(value)} in ${path.basename(target.uri.path)} by hand (or with the schedule panel's Apply).` };
    const stale = staleCallReason(document.getText(), target.call);
    if (stale) return { ok: false, message: `Not written: ${stale} Run “LR Lens: Find Learning Rate” again.` };
    const text = learningRateText(value);
    const outcome = callEdits(target.call, [{ name: target.argument, text }]);
    if ('error' in outcome) return { ok: false, message: outcome.error };
    const edit = new vscode.WorkspaceEdit();
    for (const change of outcome.edits) edit.replace(target.uri, toRange(change.range), change.newText);
    if (edit.size === 0) return { ok: true, message: `The code already says ${target.argument}=${text}.`, text };
    if (!(await vscode.workspace.applyEdit(edit))) return { ok: false, message: 'VS Code did not apply the edit.' };
    target.call = await target.reread(document);
    return { ok: true, message: `Wrote ${target.argument}=${text} into ${target.call?.type ?? 'the call'}(…).`, text };
  }

  dispose(): void {
    this.active?.cancel();
    this.client.dispose();
  }
}
