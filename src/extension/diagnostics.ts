// The analysis' diagnostics (source "LR Lens", stable codes) and their quick fixes.
import * as vscode from 'vscode';
import type { DiagnosticFinding } from '../analysis/types';
import type { Ctx } from './ctx';
import { isAnalyzedDocument } from './configDocuments';
import { toRange, toSeverity, toWorkspaceEdit } from './convert';

export const DIAGNOSTIC_SOURCE = 'LR Lens';

export function toDiagnostic(finding: DiagnosticFinding): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, toSeverity(finding.severity));
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = finding.code;
  return diagnostic;
}

/** Publishes diagnostics for every open Python document and training config and keeps them in step with its analysis. */
export class DiagnosticsPublisher {
  private readonly collection = vscode.languages.createDiagnosticCollection('lrLens');

  constructor(private readonly ctx: Ctx) {
    ctx.pushCleanup(
      this.collection,
      ctx.analyses.onDidChange((document) => void this.publish(document)),
      vscode.workspace.onDidOpenTextDocument((document) => void this.publish(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)),
    );
    for (const document of vscode.workspace.textDocuments) void this.publish(document);
  }

  private async publish(document: vscode.TextDocument): Promise<void> {
    if (!isAnalyzedDocument(document)) return;
    try {
      const result = await this.ctx.analyses.resultFor(document);
      if (result && !document.isClosed) {
        const shown = result.diagnostics.filter((finding) => finding.code !== 'config-syntax' || mentionsTraining(document.getText()));
        this.collection.set(document.uri, shown.map(toDiagnostic));
      }
    } catch (error) {
      this.ctx.log.error(`analysing ${document.uri.fsPath} failed: ${(error as Error).stack ?? String(error)}`);
    }
  }
}

/**
 * Every open YAML/JSON/TOML file is analysed, but only a training config's syntax errors are LR Lens's
 * to report: a malformed package.json or CI file is left to the editor's own checks.
 */
function mentionsTraining(text: string): boolean {
  return /\b(lr_scheduler|lr_scheduler_type|learning_rate|param_scheduler|optimizer|scheduler|_target_|class_path)\b/.test(text);
}

function sameRange(diagnostic: vscode.Diagnostic, finding: DiagnosticFinding): boolean {
  return diagnostic.range.isEqual(toRange(finding.range));
}

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly ctx: Ctx) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const result = await this.ctx.analyses.resultFor(document, token);
    if (!result) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const finding = result.diagnostics.find((f) => f.code === diagnostic.code && sameRange(diagnostic, f));
      finding?.fixes.forEach((fix, index) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = toWorkspaceEdit(document.uri, fix.edits);
        action.diagnostics = [diagnostic];
        action.isPreferred = index === 0;
        actions.push(action);
      });
    }
    return actions;
  }
}
