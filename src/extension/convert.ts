// Analysis contract ↔ VS Code types.
import * as vscode from 'vscode';
import type { Severity, SourceRange, TextEdit } from '../analysis/types';

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.startLine, range.startCol, range.endLine, range.endCol);
}

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'information':
      return vscode.DiagnosticSeverity.Information;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
  }
}

export function toWorkspaceEdit(uri: vscode.Uri, edits: TextEdit[]): vscode.WorkspaceEdit {
  const workspaceEdit = new vscode.WorkspaceEdit();
  for (const edit of edits) workspaceEdit.replace(uri, toRange(edit.range), edit.newText);
  return workspaceEdit;
}
