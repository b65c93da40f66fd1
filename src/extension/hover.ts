// Hover on a scheduler constructor, its variable, `.get_last_lr()` or `optimizer.param_groups[i]['lr']`,
// or on a config's scheduler key and the values it reads: the predicted curve as an image and a short
// epoch → lr table.
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { toRange } from './convert';
import { configHoverTarget, configOrigin, isConfigFinding } from './present/configText';
import { hoverMarkdown } from './present/hoverText';
import { hoverTarget } from './present/hoverTarget';

export class SchedulerHoverProvider implements vscode.HoverProvider {
  constructor(private readonly ctx: Ctx) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const result = await this.ctx.analyses.resultFor(document, token);
    if (!result || result.schedulers.length === 0) return undefined;
    const lineText = document.lineAt(position.line).text;
    const configFindings = result.schedulers.filter(isConfigFinding);
    // A config's findings are all config findings: its keys are not Python names to look up.
    const target =
      configFindings.length > 0
        ? configHoverTarget(configFindings, lineText, position.line, position.character)
        : hoverTarget(result.schedulers, lineText, position.line, position.character);
    if (!target) return undefined;
    const torchVersion = this.ctx.config(document.uri).torchVersion;
    let text = hoverMarkdown(target.finding, torchVersion, target.group !== undefined ? { group: target.group } : undefined);
    if (isConfigFinding(target.finding)) text += `\n\n${configOrigin(target.finding)}`;
    const markdown = new vscode.MarkdownString(text);
    // The curve is an <img> with a data: URI; nothing in it runs.
    markdown.supportHtml = true;
    return new vscode.Hover(markdown, toRange(target.range));
  }
}
