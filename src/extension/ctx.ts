// The extension's context (after rust-analyzer's Ctx): owns the settings, the analyses, the values set
// for unresolved names, the output channel and everything to dispose. Commands are factories over it.
import * as vscode from 'vscode';
import type { AnalysisOptions, SchedulerFinding } from '../analysis/types';
import type { PyLike } from '../engine/case';
import { AnalysisStore, type DocumentAnalyzer } from './analysisStore';
import { CONFIG_SECTION, readConfig, type LensConfig } from './config';
import { OverrideStore } from './overrides';

export type Cmd = (...args: any[]) => unknown;

/** A view of one scheduler's whole predicted schedule. */
export interface ScheduleView {
  show(document: vscode.TextDocument, finding: SchedulerFinding): Promise<unknown>;
}

export interface CtxOptions {
  ready: Promise<void>;
  createAnalyzer: () => DocumentAnalyzer;
}

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly overrides: OverrideStore;
  readonly analyses: AnalysisStore;
  private readonly configChanged = new vscode.EventEmitter<void>();
  /** Fires after the `lrLens.*` settings changed (the analyses are refreshed already). */
  readonly onDidChangeConfig = this.configChanged.event;
  private readonly cleanups: vscode.Disposable[] = [];
  /** The markdown table view ("Show Learning-Rate Schedule as Table"). */
  scheduleTable: ScheduleView | undefined;
  /** Opens the schedule panel at a file's scheduler (1-based line); without arguments, at the cursor. */
  showSchedulePanel: ((uri?: vscode.Uri | string, line?: number) => Promise<unknown>) | undefined;

  constructor(readonly extension: vscode.ExtensionContext, options: CtxOptions) {
    this.log = vscode.window.createOutputChannel('LR Lens', { log: true });
    this.overrides = new OverrideStore(extension.workspaceState);
    this.analyses = new AnalysisStore({
      ready: options.ready,
      createAnalyzer: options.createAnalyzer,
      optionsFor: (uri) => this.analysisOptions(uri),
      log: this.log,
    });
    this.pushCleanup(this.log, this.overrides, this.analyses, this.configChanged);
    this.pushCleanup(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(CONFIG_SECTION)) return;
        this.analyses.refreshAll();
        this.configChanged.fire();
      }),
      this.overrides.onDidChange((uri) => this.analyses.refresh(uri)),
    );
  }

  config(scope?: vscode.ConfigurationScope): LensConfig {
    return readConfig(scope);
  }

  /** The analysis options for a file: settings, plus the values the user set for its unresolved names. */
  analysisOptions(uri: vscode.Uri): AnalysisOptions & { overrides: { [name: string]: PyLike } } {
    const config = this.config(uri);
    return {
      epochs: config.defaultEpochs,
      stepsPerEpoch: config.defaultStepsPerEpoch,
      torchVersion: config.torchVersion,
      overrides: this.overrides.values(uri),
    };
  }

  pushCleanup(...disposables: vscode.Disposable[]): void {
    this.cleanups.push(...disposables);
  }

  dispose(): void {
    for (const disposable of this.cleanups.splice(0).reverse()) disposable.dispose();
  }
}
