// Hover on a scheduler constructor, its variable, `.get_last_lr()` or `optimizer.param_groups[i]['lr']`:
// the predicted curve as an image and a short epoch → lr table.
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { toRange } from './convert';
import { hoverMarkdown } from './present/hoverText';
import { hoverTarget } from './present/hoverTarget';

export class SchedulerHoverProvider implements vscode.HoverProvider {
  constructor(private readonly ctx: Ctx) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const result = await this.ctx.analyses.resultFor(document, token);
    if (!result || result.schedulers.length === 0) return undefined;
    const target = hoverTarget(result.schedulers, document.lineAt(position.line).text, position.line, position.character);
    if (!target) return undefined;
    const torchVersion = this.ctx.config(document.uri).torchVersion;
    const markdown = new vscode.MarkdownString(hoverMarkdown(target.finding, torchVersion, target.group !== undefined ? { group: target.group } : undefined));
    // The curve is an <img> with a data: URI; nothing in it runs.
    markdown.supportHtml = true;
    return new vscode.Hover(markdown, toRange(target.range));
  }
}
