// A lens above every scheduler constructor with the predicted get_last_lr(). provideCodeLenses only
// places the lenses (the analysis is cached per document version); the titles are made in resolve.
import * as vscode from 'vscode';
import type { SchedulerFinding } from '../analysis/types';
import type { Ctx } from './ctx';
import { toRange } from './convert';
import { configLensLine, configOrigin, isConfigFinding } from './present/configText';
import { lensText } from './present/lensText';

export const SHOW_SCHEDULE = 'lrLens.showSchedule';
export const SET_UNRESOLVED_VALUE = 'lrLens.setUnresolvedValue';

class SchedulerLens extends vscode.CodeLens {
  constructor(range: vscode.Range, readonly uri: vscode.Uri, readonly finding: SchedulerFinding) {
    super(range);
  }
}

export class SchedulerLensProvider implements vscode.CodeLensProvider<SchedulerLens> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    ctx.pushCleanup(
      this.changed,
      ctx.analyses.onDidChange(() => this.changed.fire()),
      ctx.onDidChangeConfig(() => this.changed.fire()),
    );
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<SchedulerLens[]> {
    if (!this.ctx.config(document.uri).codeLensEnabled) return [];
    const result = await this.ctx.analyses.resultFor(document, token);
    if (!result) return [];
    return result.schedulers.map((finding) => new SchedulerLens(lensRange(finding), document.uri, finding));
  }

  resolveCodeLens(lens: SchedulerLens): SchedulerLens {
    const text = lensText(lens.finding, this.ctx.config(lens.uri).torchVersion);
    lens.command = {
      title: text.title,
      tooltip: isConfigFinding(lens.finding) ? `${configOrigin(lens.finding)}\n${text.tooltip}` : text.tooltip,
      command: text.kind === 'unresolved' ? SET_UNRESOLVED_VALUE : SHOW_SCHEDULE,
      arguments: [lens.uri, lens.finding.line],
    };
    return lens;
  }
}

/** Above the constructor call; in a config, on the scheduler's key line (its call range is the whole block). */
function lensRange(finding: SchedulerFinding): vscode.Range {
  if (!isConfigFinding(finding)) return toRange(finding.call.range);
  const line = configLensLine(finding);
  return new vscode.Range(line, 0, line, 0);
}
