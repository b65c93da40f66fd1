// "Show Learning-Rate Schedule as Table": a read-only markdown document with the curve and the
// round → lr table of every round, shown in the markdown preview (copyable, searchable).
import * as path from 'path';
import * as vscode from 'vscode';
import type { SchedulerFinding } from '../analysis/types';
import type { Ctx, ScheduleView } from './ctx';
import { scheduleMarkdown } from './present/hoverText';

export const SCHEDULE_SCHEME = 'lr-lens-schedule';

/** lr-lens-schedule:/train.py-line-12.md?<source uri>#<line> */
export function scheduleUri(source: vscode.Uri, line: number): vscode.Uri {
  return vscode.Uri.from({
    scheme: SCHEDULE_SCHEME,
    path: `/${path.basename(source.path)}-line-${line}.md`,
    query: source.toString(),
    fragment: String(line),
  });
}

export class MarkdownScheduleView implements ScheduleView, vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly shown = new Set<string>();

  constructor(private readonly ctx: Ctx) {
    ctx.pushCleanup(
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(SCHEDULE_SCHEME, this),
      ctx.analyses.onDidChange((document) => this.sourceChanged(document.uri)),
    );
  }

  async show(document: vscode.TextDocument, finding: SchedulerFinding): Promise<vscode.Uri> {
    const uri = scheduleUri(document.uri, finding.line);
    this.shown.add(uri.toString());
    this.changed.fire(uri);
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    return uri;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = vscode.Uri.parse(uri.query);
    const line = Number(uri.fragment);
    const document = await vscode.workspace.openTextDocument(source);
    const result = await this.ctx.analyses.resultFor(document);
    const finding = result?.schedulers.find((f) => f.line === line);
    if (!finding) return `# ${path.basename(source.path)}\n\nNo scheduler constructor at line ${line} any more.\n`;
    return scheduleMarkdown(finding, path.basename(source.path), this.ctx.config(source).torchVersion);
  }

  private sourceChanged(source: vscode.Uri): void {
    for (const shown of this.shown) {
      const uri = vscode.Uri.parse(shown);
      if (uri.query === source.toString()) this.changed.fire(uri);
    }
  }
}
