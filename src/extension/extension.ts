// Entry point: wires the analysis (src/analysis) to VS Code's code lenses, hovers, diagnostics, quick
// fixes and commands. Everything is owned by the Ctx and disposed with it.
import * as path from 'path';
import * as vscode from 'vscode';
import { initPythonAnalysis, PythonDocumentAnalysis } from '../analysis/analyzePython';
import type { DocumentAnalyzer } from './analysisStore';
import { SchedulerLensProvider } from './codeLens';
import { COMMANDS } from './commands';
import { ANALYZED_DOCUMENTS } from './configDocuments';
import { Ctx } from './ctx';
import { DiagnosticsPublisher, QuickFixProvider } from './diagnostics';
import { SchedulerHoverProvider } from './hover';
import { registerSchedulePanel, showSchedulePanel } from './panel';
import { MarkdownScheduleView } from './scheduleDocument';
import { retrainer, TRAINING_COMMANDS, TRAINING_TEST_COMMANDS } from './training/commands';
import { TrainingService } from './training/service';

/** An incremental analysis of one document (tree-sitter re-parses only what the edits touched). */
function createAnalyzer(): DocumentAnalyzer {
  let document: PythonDocumentAnalysis | null = null;
  return {
    analyze(text, changes, options) {
      if (!document) document = new PythonDocumentAnalysis(text);
      else if (changes === null) document.setText(text);
      else {
        document.applyChanges(changes);
        // Edits are replayed from VS Code's events; should they ever miss one, parse the text afresh.
        if (document.source !== text) document.setText(text);
      }
      return document.analyze(options);
    },
    dispose() {
      document?.dispose();
    },
  };
}

export function activate(context: vscode.ExtensionContext): void {
  const ready = initPythonAnalysis(path.join(context.extensionPath, 'dist'));
  const ctx = new Ctx(context, { ready, createAnalyzer });
  context.subscriptions.push(ctx);
  ready.then(
    () => ctx.log.info('Python analysis ready'),
    (error: unknown) => ctx.log.error(`loading the Python parser failed: ${(error as Error).stack ?? String(error)}`),
  );

  ctx.scheduleTable = new MarkdownScheduleView(ctx);
  ctx.showSchedulePanel = showSchedulePanel;
  const training = new TrainingService(context.extensionPath);
  ctx.pushCleanup(
    training,
    registerSchedulePanel(context, {
      analyze: async (document) => (await ctx.analyses.resultFor(document)) ?? { schedulers: [], diagnostics: [] },
      trainingMetric: (uri) => training.metricFor(uri),
      applyLearningRate: (value) => training.applyLearningRate(value),
      retrain: retrainer(ctx, training),
    }),
    vscode.languages.registerCodeLensProvider(ANALYZED_DOCUMENTS, new SchedulerLensProvider(ctx)),
    vscode.languages.registerHoverProvider(ANALYZED_DOCUMENTS, new SchedulerHoverProvider(ctx)),
    vscode.languages.registerCodeActionsProvider(ANALYZED_DOCUMENTS, new QuickFixProvider(ctx), QuickFixProvider.metadata),
  );
  new DiagnosticsPublisher(ctx);
  for (const [id, factory] of Object.entries(COMMANDS)) ctx.pushCleanup(vscode.commands.registerCommand(id, factory(ctx)));
  for (const [id, factory] of Object.entries(TRAINING_COMMANDS)) ctx.pushCleanup(vscode.commands.registerCommand(id, factory(ctx, training)));
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    for (const [id, factory] of Object.entries(TRAINING_TEST_COMMANDS)) ctx.pushCleanup(vscode.commands.registerCommand(id, factory(ctx, training)));
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
