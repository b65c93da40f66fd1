// The host side of the schedule panel: one WebviewPanel that follows the active Python editor (or
// training config) and the scheduler under the cursor, revives after a reload, validates every message
// from the webview, and writes Apply with one WorkspaceEdit (refused when the call moved or changed
// since the panel read it).
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { AnalysisResult, SourceRange } from '../../analysis/types';
import {
  ApplyMessage,
  HostMessage,
  LoadMessage,
  LrRangeView,
  PanelViewState,
  parseWebviewMessage,
  RenderedMessage,
  RunTrainingMessage,
  TrainingEpochPoint,
  TrainingFinishedMessage,
  TrainingRenderedMessage,
  TrainingRunView,
  WebviewMessage,
} from '../../shared/protocol';
import type { EpochRecord } from '../../training/trainer';
import { configAnalysisName, isAnalyzedDocument } from '../configDocuments';
import { isConfigFinding } from '../present/configText';
import { callEdits, staleCallReason } from './applyEdits';
import { configApplyEdits, isTrainingArgumentsCall, trainingArgumentsChanges } from './configApply';
import { makeNonce, panelHtml } from './html';
import { panelSchedules, scheduleIndexAt } from './schedules';

export const SCHEDULE_PANEL_VIEW_TYPE = 'lrLens.schedule';

export interface SchedulePanelDeps {
  /** The analysis of a Python document (the extension's cached analysis service). */
  analyze(document: vscode.TextDocument): AnalysisResult | Promise<AnalysisResult>;
  /** The last quick-training run's validation loss per epoch for a document, when there is one. */
  trainingMetric?(uri: vscode.Uri): { label: string; values: number[] } | undefined;
  /** Writes a learning rate chosen in the LR range test view into the code it was run for. */
  applyLearningRate?(value: number): Promise<ApplyOutcome>;
  /** Re-trains the last quick-training run with the panel's tuned case (closed-loop tuning). */
  retrain?(runId: number, caseJson: string): Promise<void>;
}

export interface ApplyOutcome {
  ok: boolean;
  message: string;
}

const toRange = (range: SourceRange) => new vscode.Range(range.startLine, range.startCol, range.endLine, range.endCol);

/** A training run in the webview (WebGPU): its epochs as they finish, and how it ended. */
export interface PanelTrainingRun {
  done: Promise<TrainingFinishedMessage>;
  cancel(): void;
}

interface PendingPanelRun {
  /** The backend asked for ('auto' declines a software adapter, 'webgpu' does not). */
  backend: RunTrainingMessage['request']['backend'];
  onEpoch(record: EpochRecord): void;
  finish(message: TrainingFinishedMessage): void;
}

/** The window's panel controller, for the training commands that train in its webview. */
let activeController: SchedulePanelController | undefined;

export function schedulePanelController(): SchedulePanelController | undefined {
  return activeController;
}


/** What the panel shows, as the integration tests read it (`lrLens.test.schedulePanelState`). */
export interface PanelSnapshot {
  open: boolean;
  ready: boolean;
  load: LoadMessage | undefined;
  rendered: RenderedMessage | undefined;
  training: TrainingRunView | undefined;
  lrRange: LrRangeView | undefined;
  trainingRendered: TrainingRenderedMessage | undefined;
}
export class SchedulePanelController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private documentUri: vscode.Uri | undefined;
  /** The scheduler shown: the one under the cursor, or the one picked in the panel (1-based line). */
  private line: number | undefined;
  private lastLoad: LoadMessage | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  /** What the webview drew last, and whether it has started: read by the integration tests. */
  lastRendered: RenderedMessage | undefined;
  webviewReady = false;
  /** The training view's content (the last quick-training run, the last LR range test), re-sent after a reload. */
  private training: TrainingRunView | undefined;
  private lrRange: LrRangeView | undefined;
  lastTrainingRendered: TrainingRenderedMessage | undefined;
  /** Training runs the webview is doing on WebGPU, by run id. */
  private readonly panelRuns = new Map<number, PendingPanelRun>();
  /**
   * Why this page cannot train on WebGPU, by the backend asked for, once it said so: later runs (live
   * re-training on every control change) go to the CPU worker without asking again. A new page asks anew.
   */
  private readonly webgpuUnavailable = new Map<string, string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly deps: SchedulePanelDeps,
  ) {
    activeController = this;
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(SCHEDULE_PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const saved = isViewState(state) ? state : null;
          if (saved?.uri) {
            this.documentUri = vscode.Uri.parse(saved.uri);
            this.line = saved.line ?? undefined;
          }
          this.attach(panel);
        },
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (!this.panel || !editor || !isAnalyzedDocument(editor.document)) return;
        if (editor.document.uri.toString() === this.documentUri?.toString()) return;
        this.documentUri = editor.document.uri;
        this.line = editor.selection.active.line + 1;
        this.scheduleRefresh(0);
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (!this.panel || event.textEditor.document.uri.toString() !== this.documentUri?.toString()) return;
        if (event.kind === vscode.TextEditorSelectionChangeKind.Command) return;
        const line = event.selections[0].active.line + 1;
        const schedules = this.lastLoad?.schedules ?? [];
        const next = schedules[scheduleIndexAt(schedules, line)];
        const inside = schedules.some((item) => item.call.range.startLine <= line - 1 && line - 1 <= item.call.range.endLine);
        // Moving the cursor into another constructor switches the panel to it; elsewhere the choice stays.
        if (inside && next && next.line !== this.lastLoad?.schedules[this.lastLoad.selected]?.line) {
          this.line = next.line;
          this.scheduleRefresh(50);
        }
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.panel && event.document.uri.toString() === this.documentUri?.toString() && event.contentChanges.length > 0) this.scheduleRefresh(250);
      }),
    );
  }

  /** Opens (or reveals) the panel on a document's scheduler: the active editor's, at the cursor, by default. */
  async show(uri?: vscode.Uri, line?: number): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    this.documentUri = uri ?? (editor && isAnalyzedDocument(editor.document) ? editor.document.uri : this.documentUri);
    this.line = line ?? (editor && editor.document.uri.toString() === this.documentUri?.toString() ? editor.selection.active.line + 1 : this.line);
    if (this.panel) {
      this.panel.reveal(undefined, true);
    } else {
      const panel = vscode.window.createWebviewPanel(
        SCHEDULE_PANEL_VIEW_TYPE,
        'LR Lens: schedule',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        this.webviewOptions(),
      );
      this.attach(panel);
    }
    await this.refresh();
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'media')] };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.webviewReady = false;
    panel.webview.options = this.webviewOptions();
    const media = (name: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', name)).toString();
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce((size) => randomBytes(size)),
      scriptUri: media('panel.js'),
      styleUri: media('panel.css'),
    });
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) {
          console.warn('LR Lens: ignored a malformed message from the schedule panel');
          return;
        }
        void this.handle(message);
      }),
      // A hidden webview loses its page (no retainContextWhenHidden), and with it any run it was doing.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.endPanelRuns('the schedule panel was hidden during the run');
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.lastLoad = undefined;
        this.webviewReady = false;
        this.endPanelRuns('the schedule panel was closed during the run');
        for (const disposable of this.panelDisposables.splice(0)) disposable.dispose();
      }),
    );
  }

  private post(message: HostMessage): void {
    void this.panel?.webview.postMessage(message);
  }

  private scheduleRefresh(delay: number): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, delay);
  }

  /** Re-reads the followed document and sends the panel its schedulers (one refresh at a time). */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(() => this.load()).catch((error) => console.error('LR Lens: schedule panel refresh failed', error));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    if (!this.panel) return;
    if (!this.documentUri) {
      this.post({ type: 'empty', message: 'Open a Python file with a torch.optim.lr_scheduler constructor, then run “LR Lens: Show Schedule”.' });
      return;
    }
    const document = await vscode.workspace.openTextDocument(this.documentUri);
    const analysis = await this.deps.analyze(document);
    const text = document.getText();
    const schedules = panelSchedules(analysis.schedulers, text);
    const fileName = document.uri.path.split('/').pop() ?? document.fileName;
    if (schedules.length === 0) {
      this.lastLoad = undefined;
      const what = configAnalysisName(document, text) ? 'learning-rate schedule' : 'torch.optim.lr_scheduler constructor';
      this.post({ type: 'empty', message: `No ${what} in ${fileName}.` });
      return;
    }
    const selected = scheduleIndexAt(schedules, this.line);
    this.line = schedules[selected].line;
    this.lastLoad = {
      type: 'load',
      document: { uri: document.uri.toString(), fileName: document.fileName, version: document.version },
      schedules,
      selected,
    };
    this.panel.title = `LR Lens: ${fileName}:${this.line}`;
    this.post(this.lastLoad);
  }

  async handle(message: WebviewMessage): Promise<ApplyOutcome | undefined> {
    switch (message.type) {
      case 'ready':
        // A webview that (re)started has lost any run it was doing.
        this.endPanelRuns('the schedule panel reloaded during the run');
        this.webgpuUnavailable.clear();
        this.webviewReady = true;
        if (!this.documentUri && message.state?.uri) {
          this.documentUri = vscode.Uri.parse(message.state.uri);
          this.line = message.state.line ?? undefined;
        }
        await this.refresh();
        if (this.training) this.post({ type: 'trainingRun', run: this.training });
        if (this.lrRange) this.post({ type: 'lrRange', result: this.lrRange });
        return undefined;
      case 'select':
        this.line = message.line;
        await this.refresh();
        return undefined;
      case 'reveal':
        await this.reveal(message.line);
        return undefined;
      case 'apply': {
        const outcome = await this.apply(message);
        this.post({ type: 'applyResult', requestId: message.requestId, ...outcome });
        if (!outcome.ok) void vscode.window.showWarningMessage(`LR Lens: ${outcome.message}`);
        await this.refresh();
        return outcome;
      }
      case 'exportCsv':
        await this.save(message.fileName, { 'CSV files': ['csv'] }, new TextEncoder().encode(message.text));
        return undefined;
      case 'exportPng':
        await this.save(message.fileName, { 'PNG images': ['png'] }, Buffer.from(message.dataUrl.slice('data:image/png;base64,'.length), 'base64'));
        return undefined;
      case 'copyPython':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.showInformationMessage('LR Lens: the tuned constructor is on the clipboard.');
        return undefined;
      case 'importCsv':
        await this.importCsv();
        return undefined;
      case 'requestTrainingMetric': {
        const run = this.documentUri ? this.deps.trainingMetric?.(this.documentUri) : undefined;
        this.post(
          run && run.values.length > 0
            ? { type: 'trainingMetric', label: run.label, values: run.values }
            : { type: 'trainingMetric', label: 'No quick-training run for this file yet: run “LR Lens: Run Quick Training” first.', values: [] },
        );
        return undefined;
      }
      case 'rendered':
        this.lastRendered = message;
        return undefined;
      case 'trainingRendered':
        this.lastTrainingRendered = message;
        return undefined;
      case 'trainingProgress':
        this.panelRuns.get(message.runId)?.onEpoch(message.epoch);
        return undefined;
      case 'trainingFinished': {
        const run = this.panelRuns.get(message.runId);
        if (run && message.status === 'unavailable') this.webgpuUnavailable.set(run.backend, message.reason ?? 'the panel has no WebGPU adapter');
        run?.finish(message);
        return undefined;
      }
      case 'retrain':
        await this.deps.retrain?.(message.runId, message.caseJson);
        return undefined;
      case 'applyLearningRate': {
        const outcome = this.deps.applyLearningRate
          ? await this.deps.applyLearningRate(message.value)
          : { ok: false, message: 'Writing a learning rate is not available.' };
        this.post({ type: 'applyResult', requestId: message.requestId, ...outcome });
        if (!outcome.ok) void vscode.window.showWarningMessage(`LR Lens: ${outcome.message}`);
        await this.refresh();
        return outcome;
      }
    }
  }

  /** Resolves true once the webview has started and is visible (it answers training requests), false when closed or after `timeoutMs`. */
  async whenReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.canTrain() && this.panel && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    return this.canTrain();
  }

  private canTrain(): boolean {
    return this.panel !== undefined && this.panel.visible && this.webviewReady;
  }

  /** Trains in the webview (WebGPU where it has an adapter); `onEpoch` gets each epoch as it finishes. */
  trainInWebview(runId: number, request: RunTrainingMessage['request'], caseJson: string, onEpoch: (record: EpochRecord) => void): PanelTrainingRun {
    const done = new Promise<TrainingFinishedMessage>((resolve) => {
      this.panelRuns.set(runId, {
        backend: request.backend,
        onEpoch,
        finish: (message) => {
          this.panelRuns.delete(runId);
          resolve(message);
        },
      });
    });
    const known = this.webgpuUnavailable.get(request.backend);
    if (known) this.endPanelRuns(known);
    else if (this.canTrain()) this.post({ type: 'runTraining', runId, request, caseJson });
    else this.endPanelRuns('the schedule panel is not open');
    return { done, cancel: () => this.post({ type: 'cancelTraining', runId }) };
  }

  /** Ends the webview's runs as unavailable: the host trains them on the CPU worker instead. */
  private endPanelRuns(reason: string): void {
    for (const [runId, run] of [...this.panelRuns]) {
      run.finish({ type: 'trainingFinished', runId, status: 'unavailable', backend: null, reason, epochs: [], steps: [] });
    }
  }

  /** Shows a quick-training run in the training view (a new run, or its final state). */
  showTrainingRun(run: TrainingRunView): void {
    this.training = { ...run, epochs: [...run.epochs] };
    this.post({ type: 'trainingRun', run: this.training });
  }

  /** Streams one finished epoch of the run shown. */
  addTrainingEpoch(runId: number, epoch: TrainingEpochPoint): void {
    if (this.training?.runId !== runId) return;
    this.training.epochs.push(epoch);
    this.post({ type: 'trainingEpoch', runId, epoch });
  }

  showLrRange(result: LrRangeView): void {
    this.lrRange = result;
    this.post({ type: 'lrRange', result });
  }

  /** Writes the changed argument texts, all in one WorkspaceEdit (so one undo reverts them). */
  async apply(message: ApplyMessage): Promise<ApplyOutcome> {
    const uri = vscode.Uri.parse(message.uri);
    const document = await vscode.workspace.openTextDocument(uri);
    // A training config is written by key path, in its own syntax (YAML, JSON, TOML, mmengine's dicts);
    // its analysis tells the convention (read before the text, so nothing awaits between reading and writing).
    const configFindings = configAnalysisName(document) ? (await this.deps.analyze(document)).schedulers.filter(isConfigFinding) : [];
    const text = document.getText();
    const configName = configAnalysisName(document, text);
    for (const { call } of message.calls) {
      const stale = staleCallReason(text, call);
      if (stale) return { ok: false, message: `Apply refused: ${stale} Nothing was written; the panel now shows the code as it is.` };
    }
    const outcomes = configName
      ? [configApplyEdits(configName, text, message.calls, configFindings)]
      : message.calls.map(({ call, changes }) => callEdits(call, isTrainingArgumentsCall(call) ? trainingArgumentsChanges(call, changes) : changes));
    const edit = new vscode.WorkspaceEdit();
    for (const outcome of outcomes) {
      if ('error' in outcome) return { ok: false, message: `Apply refused: ${outcome.error}` };
      for (const change of outcome.edits) edit.replace(uri, toRange(change.range), change.newText);
    }
    const written = message.calls.flatMap(({ changes }) =>
      changes.map((change) => `${change.group !== undefined ? `group ${change.group} ` : ''}${change.name}=${change.text}`),
    );
    if (edit.size === 0) return { ok: true, message: 'Nothing to write: the code already says that.' };
    const applied = await vscode.workspace.applyEdit(edit);
    return applied ? { ok: true, message: `Wrote ${written.join(', ')}.` } : { ok: false, message: 'VS Code did not apply the edit.' };
  }

  private async reveal(line: number): Promise<void> {
    if (!this.documentUri) return;
    const document = await vscode.workspace.openTextDocument(this.documentUri);
    const position = new vscode.Position(Math.max(0, line - 1), 0);
    const column = vscode.window.visibleTextEditors.find((editor) => editor.document === document)?.viewColumn ?? vscode.ViewColumn.One;
    await vscode.window.showTextDocument(document, { viewColumn: column, selection: new vscode.Range(position, position) });
  }

  private async save(fileName: string, filters: Record<string, string[]>, data: Uint8Array): Promise<void> {
    const folder = this.documentUri ? vscode.Uri.joinPath(this.documentUri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined, filters });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, data);
    void vscode.window.showInformationMessage(`LR Lens: saved ${vscode.workspace.asRelativePath(target)}.`);
  }

  private async importCsv(): Promise<void> {
    const [file] =
      (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'CSV files': ['csv', 'tsv', 'txt'] }, openLabel: 'Use as metric' })) ?? [];
    if (!file) return;
    const bytes = await vscode.workspace.fs.readFile(file);
    this.post({ type: 'csvLoaded', name: file.path.split('/').pop() ?? 'metric.csv', text: new TextDecoder().decode(bytes) });
  }

  /** What the panel shows now, for the integration tests. */
  snapshot(): PanelSnapshot {
    return {
      open: this.panel !== undefined,
      ready: this.webviewReady,
      load: this.lastLoad,
      rendered: this.lastRendered,
      training: this.training,
      lrRange: this.lrRange,
      trainingRendered: this.lastTrainingRendered,
    };
  }

  dispose(): void {
    if (activeController === this) activeController = undefined;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.panel?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

function isViewState(value: unknown): value is PanelViewState {
  return typeof value === 'object' && value !== null && 'uri' in value && 'edits' in value;
}
