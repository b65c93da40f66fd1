// One analysis per open Python document or training config, kept for its current version. Typing
// schedules a debounced re-analysis (each edit cancels the pending one); providers asking in between get
// a fresh analysis of the version they see, so nothing stale is ever shown. Listeners hear about a
// document's new results.
import * as vscode from 'vscode';
import type { AnalysisOptions, AnalysisResult, SourceRange } from '../analysis/types';
import { documentAnalyzer, isAnalyzedDocument } from './configDocuments';

/** An edit since the previous analysis, for incremental re-parsing. */
export interface TextChange {
  range: SourceRange;
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/** The analysis of one document; `changes` are the edits since its previous call (null: unknown). */
export interface DocumentAnalyzer {
  analyze(text: string, changes: readonly TextChange[] | null, options: AnalysisOptions): AnalysisResult;
  dispose?(): void;
}

interface Entry {
  analyzer: DocumentAnalyzer;
  /** The document version `result` belongs to, or -1 when it must be recomputed. */
  version: number;
  result: AnalysisResult | null;
  /** Edits not yet seen by the analyzer; null when they are unknown (the next run parses afresh). */
  pending: TextChange[] | null;
  timer: NodeJS.Timeout | undefined;
}

export interface AnalysisStoreOptions {
  ready: Promise<void>;
  /** The incremental analyzer of a Python script (training configs are routed to analyzeConfig). */
  createAnalyzer: () => DocumentAnalyzer;
  optionsFor: (uri: vscode.Uri) => AnalysisOptions;
  log: vscode.LogOutputChannel;
  debounceMs?: number;
}

export class AnalysisStore implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires whenever a document has a new analysis (opened, typed in, settings or set values changed). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly options: AnalysisStoreOptions) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeTextDocument((event) => this.onEdit(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document)),
      // An mmengine config reads its `_base_` files when analysed: saving one can change another's schedule.
      vscode.workspace.onDidSaveTextDocument((saved) => this.refreshInheriting(saved)),
    );
  }

  /** The analysis of the document as it is now; undefined when the request was cancelled meanwhile. */
  async resultFor(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<AnalysisResult | undefined> {
    if (!isAnalyzedDocument(document)) return undefined;
    await this.options.ready;
    if (token?.isCancellationRequested || document.isClosed) return undefined;
    return this.analyzeNow(document);
  }

  /** Recomputes every open document (settings or set values changed) and notifies listeners. */
  refreshAll(): void {
    for (const document of vscode.workspace.textDocuments) {
      const entry = this.entries.get(document.uri.toString());
      if (!entry) continue;
      entry.version = -1;
      this.scheduleRefresh(document, entry, 0);
    }
  }

  refresh(uri: vscode.Uri): void {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const entry = this.entries.get(uri.toString());
    if (!document || !entry) return;
    entry.version = -1;
    this.scheduleRefresh(document, entry, 0);
  }

  /** Recomputes the open documents that inherit from other files (mmengine `_base_`), after `saved` was saved. */
  private refreshInheriting(saved: vscode.TextDocument): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document !== saved && /^_base_\s*=/m.test(document.getText())) this.refresh(document.uri);
    }
  }

  /** The current result; a new one (whoever asked for it) is announced to the listeners. */
  private analyzeNow(document: vscode.TextDocument): AnalysisResult {
    const entry = this.entryFor(document);
    if (entry.result && entry.version === document.version) return entry.result;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    const started = performance.now();
    const options = this.options.optionsFor(document.uri);
    let result: AnalysisResult;
    try {
      result = entry.analyzer.analyze(document.getText(), entry.pending, options);
      entry.pending = [];
    } catch (error) {
      // A bug in the analysis must not take the editor features down: nothing is shown for this version,
      // and the next edit parses afresh.
      this.options.log.error(`analysing ${document.uri.toString()} failed: ${(error as Error).stack ?? String(error)}`);
      result = { schedulers: [], diagnostics: [] };
      entry.pending = null;
    }
    entry.version = document.version;
    entry.result = result;
    this.options.log.debug(
      `analysed ${vscode.workspace.asRelativePath(document.uri)} v${document.version} in ${(performance.now() - started).toFixed(1)} ms: ` +
        `${result.schedulers.length} scheduler(s), ${result.diagnostics.length} diagnostic(s)`,
    );
    this.changed.fire(document);
    return result;
  }

  private entryFor(document: vscode.TextDocument): Entry {
    const key = document.uri.toString();
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { analyzer: documentAnalyzer(document, this.options.createAnalyzer), version: -1, result: null, pending: null, timer: undefined };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    if (!isAnalyzedDocument(event.document) || event.contentChanges.length === 0) return;
    const entry = this.entries.get(event.document.uri.toString());
    if (!entry) return;
    // Edits arrive in order; each one's range refers to the text after the previous one.
    entry.pending?.push(
      ...event.contentChanges.map((change) => ({
        range: {
          startLine: change.range.start.line,
          startCol: change.range.start.character,
          endLine: change.range.end.line,
          endCol: change.range.end.character,
        },
        rangeOffset: change.rangeOffset,
        rangeLength: change.rangeLength,
        text: change.text,
      })),
    );
    this.scheduleRefresh(event.document, entry, this.options.debounceMs ?? 250);
  }

  private scheduleRefresh(document: vscode.TextDocument, entry: Entry, delayMs: number): void {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (document.isClosed) return;
      void this.options.ready.then(
        () => this.analyzeNow(document),
        (error: unknown) => this.options.log.error(`analysis unavailable: ${String(error)}`),
      );
    }, delayMs);
  }

  private forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const entry = this.entries.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.analyzer.dispose?.();
    this.entries.delete(key);
  }

  dispose(): void {
    for (const entry of this.entries.values()) {
      clearTimeout(entry.timer);
      entry.analyzer.dispose?.();
    }
    this.entries.clear();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
