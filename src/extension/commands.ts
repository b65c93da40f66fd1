// Command factories over the context (palette category "LR Lens", see package.json).
import * as vscode from 'vscode';
import type { SchedulerFinding } from '../analysis/types';
import type { Cmd, Ctx } from './ctx';
import { CONFIG_SECTION } from './config';
import { parsePythonLiteral } from './present/pyLiteral';

/** The document a command is about: the given one (Uri or its string), else the active editor's. */
async function targetDocument(uri: vscode.Uri | string | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.openTextDocument(typeof uri === 'string' ? vscode.Uri.parse(uri) : uri);
  return vscode.window.activeTextEditor?.document;
}

/** The scheduler at the given 1-based line, else the one at or above the cursor, else the first. */
async function targetFinding(ctx: Ctx, document: vscode.TextDocument, line: number | undefined): Promise<SchedulerFinding | undefined> {
  const schedulers = (await ctx.analyses.resultFor(document))?.schedulers ?? [];
  if (line !== undefined) return schedulers.find((f) => f.line === line);
  const editor = vscode.window.activeTextEditor;
  const cursorLine = editor?.document === document ? editor.selection.active.line + 1 : 1;
  return schedulers.filter((f) => f.line <= cursorLine).pop() ?? schedulers[0];
}

/** Opens the schedule panel (the code lenses' click) at a file's scheduler, or at the cursor. */
export function showSchedule(ctx: Ctx): Cmd {
  return (uri?: vscode.Uri | string, line?: number) => ctx.showSchedulePanel?.(uri, line);
}

/** The whole predicted schedule as a markdown table (every round), beside the editor. */
export function showScheduleTable(ctx: Ctx): Cmd {
  return async (uri?: vscode.Uri | string, line?: number) => {
    const document = await targetDocument(uri);
    const finding = document && (await targetFinding(ctx, document, line));
    if (!document || !finding) {
      void vscode.window.showInformationMessage('LR Lens: no learning-rate scheduler found here.');
      return undefined;
    }
    return ctx.scheduleTable?.show(document, finding);
  };
}

/**
 * Asks for a value for a name the file does not resolve and keeps it for this file. `name` and `value`
 * may be passed (keybindings, tests); otherwise a quick pick and an input box ask.
 */
export function setUnresolvedValue(ctx: Ctx): Cmd {
  return async (uri?: vscode.Uri | string, line?: number, name?: string, value?: string) => {
    const document = await targetDocument(uri);
    const finding = document && (await targetFinding(ctx, document, line));
    if (!document || !finding) return false;
    const unresolved = finding.unresolved;
    const chosen = name ?? (unresolved.length === 1 ? unresolved[0] : await vscode.window.showQuickPick(unresolved, { placeHolder: 'Which value do you want to set?' }));
    if (!chosen) return false;
    const current = ctx.overrides.texts(document.uri)[chosen];
    const literal = value ?? (await vscode.window.showInputBox({
      title: `LR Lens: value of ${chosen}`,
      prompt: `A Python literal used for ${chosen} in ${vscode.workspace.asRelativePath(document.uri)}`,
      placeHolder: 'e.g. 0.1, 30, [30, 60], "cos"',
      value: current,
      validateInput: (text) => {
        const parsed = parsePythonLiteral(text);
        return parsed.ok ? undefined : parsed.error;
      },
    }));
    if (literal === undefined) return false;
    await ctx.overrides.set(document.uri, chosen, literal);
    ctx.log.info(`${vscode.workspace.asRelativePath(document.uri)}: ${chosen} = ${literal}`);
    return true;
  };
}

export function clearValues(ctx: Ctx): Cmd {
  return async (uri?: vscode.Uri | string) => {
    const document = await targetDocument(uri);
    if (document) await ctx.overrides.clear(document.uri);
  };
}

export function toggleCodeLens(ctx: Ctx): Cmd {
  return async () => {
    const enabled = ctx.config().codeLensEnabled;
    await vscode.workspace.getConfiguration(CONFIG_SECTION).update('codeLens.enabled', !enabled, vscode.ConfigurationTarget.Global);
  };
}

export function showOutput(ctx: Ctx): Cmd {
  return () => ctx.log.show(true);
}

/** Command id → factory; every id is declared in package.json "contributes.commands". */
export const COMMANDS: { [id: string]: (ctx: Ctx) => Cmd } = {
  'lrLens.showSchedule': showSchedule,
  'lrLens.showScheduleTable': showScheduleTable,
  'lrLens.setUnresolvedValue': setUnresolvedValue,
  'lrLens.clearValues': clearValues,
  'lrLens.toggleCodeLens': toggleCodeLens,
  'lrLens.showOutput': showOutput,
};
