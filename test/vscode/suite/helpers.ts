// Shared helpers for the integration tests (they run inside the VS Code extension host).
import * as assert from 'assert';
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as vscode from 'vscode';
import type { PanelSnapshot } from '../../../src/extension/panel/schedulePanel';
import type { LoadMessage } from '../../../src/shared/protocol';
import type { CaseResult, ScheduleCase } from '../../../src/engine/case';
import { seriesTitle } from '../../../src/extension/present/lensText';
import { lrSeries, type LrSeries } from '../../../src/extension/present/series';

export const EXTENSION_ID = 'lr-lens.lr-lens';

export function extensionPath(): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.extensionPath;
}

export function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

/** Opens a fixture in an editor, once the extension (activated by the Python file) is ready. */
export async function openFixture(relativePath: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relativePath));
  await vscode.window.showTextDocument(document);
  // Opening a Python file starts activation; providers asked before it completes would answer nothing.
  await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  return document;
}

/** Throws away unsaved edits a test made to a fixture. */
export async function revert(document: vscode.TextDocument): Promise<void> {
  if (!document.isDirty) return;
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  assert.ok(!document.isDirty, `${document.uri.path} reverted`);
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last !== undefined) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The lenses with their titles resolved, as the editor shows them. */
export async function lenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100)) ?? [];
}

/** Lens titles once they satisfy `accept` (re-analysis after an edit is debounced). */
export async function lensTitlesWhen(document: vscode.TextDocument, accept: (titles: string[]) => boolean, what: string): Promise<string[]> {
  let seen: string[] = [];
  try {
    return await waitFor(what, async () => {
      seen = (await lenses(document)).map((lens) => lens.command?.title ?? '');
      return accept(seen) ? seen : undefined;
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; last titles: ${JSON.stringify(seen)}`);
  }
}

export function ourDiagnostics(document: vscode.TextDocument): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'LR Lens');
}

export async function diagnosticsWhen(document: vscode.TextDocument, accept: (diagnostics: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return waitFor(what, () => {
    const diagnostics = ourDiagnostics(document);
    return accept(diagnostics) ? diagnostics : undefined;
  });
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

/** The position of `needle` in the document (its `occurrence`-th match), moved `offset` characters in. */
export function positionOf(document: vscode.TextDocument, needle: string, offset = 0, occurrence = 0): vscode.Position {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = document.getText().indexOf(needle, index + 1);
    assert.ok(index >= 0, `${needle} occurs ${occurrence + 1} time(s) in ${document.uri.path}`);
  }
  return document.positionAt(index + offset);
}

export function lineOf(document: vscode.TextDocument, needle: string): number {
  return positionOf(document, needle).line;
}

// --- what real torch returns for the fixtures (test/vscode/expected, recorded by record-expected.sh) ---

interface Expected {
  case: ScheduleCase;
  result: CaseResult;
}

let expectedCache: Map<string, Expected> | null = null;

export function expected(id: string): Expected {
  if (!expectedCache) {
    // This bundle runs from out/vscode-test/<suite>/ in the repository (also when the .vsix is under test).
    const dir = join(__dirname, '..', '..', '..', 'test', 'vscode', 'expected');
    const casesText = readFileSync(join(dir, 'cases.json'));
    const traces = JSON.parse(readFileSync(join(dir, 'traces.json'), 'utf8'));
    assert.strictEqual(traces.cases_sha256, createHash('sha256').update(casesText).digest('hex'), 'test/vscode/expected/traces.json is stale: run test/vscode/record-expected.sh');
    const cases: ScheduleCase[] = JSON.parse(casesText.toString('utf8')).cases;
    const results: CaseResult[] = traces.results;
    expectedCache = new Map(cases.map((c) => [c.id!, { case: c, result: results.find((r) => r.id === c.id)! }]));
  }
  const found = expectedCache.get(id);
  assert.ok(found?.result, `expected case ${id} is recorded`);
  return found;
}

/** The series torch produced for a fixture's schedule. */
export function torchSeries(id: string, unit: 'epoch' | 'step' = 'epoch', epochs?: number, stepsPerEpoch: number | null = null): LrSeries {
  const { case: scheduleCase, result } = expected(id);
  const series = lrSeries({
    type: scheduleCase.scheduler?.type ?? 'unknown',
    unit,
    case: scheduleCase,
    trace: result.trace,
    error: result.error,
    epochs: epochs ?? scheduleCase.steps,
    stepsPerEpoch,
    schedulerIndex: 0,
  });
  assert.ok(series, `torch produced a trace for ${id}`);
  return series;
}

/** The lens title torch's values make (lens titles may add a prefix or suffix around it). */
export function torchTitle(id: string, unit: 'epoch' | 'step' = 'epoch', epochs?: number, stepsPerEpoch: number | null = null): string {
  return seriesTitle(torchSeries(id, unit, epochs, stepsPerEpoch));
}

/** A message sent as if the schedule panel posted it (test-only command); resolves to the host's answer. */
export const fromPanel = (message: unknown) =>
  vscode.commands.executeCommand<{ ok: boolean; message: string } | undefined>('lrLens.test.schedulePanelMessage', message);

/**
 * Moves the panel's schedule down a line behind its back, then checks that Apply from the panel is
 * refused and writes nothing.
 */
export async function assertStaleApplyRefused(load: LoadMessage, change: { name: string; text: string }, requestId: number): Promise<void> {
  const uri = vscode.Uri.parse(load.document.uri);
  const document = await vscode.workspace.openTextDocument(uri);
  const insert = new vscode.WorkspaceEdit();
  insert.insert(uri, new vscode.Position(0, 0), '# a new first line\n');
  assert.ok(await vscode.workspace.applyEdit(insert));
  const moved = document.getText();
  const schedule = load.schedules[load.selected];
  const outcome = await fromPanel({
    type: 'apply',
    requestId,
    uri: load.document.uri,
    version: load.document.version,
    calls: [{ call: schedule.rootCall, changes: [change] }],
  });
  assert.strictEqual(outcome?.ok, false);
  assert.match(outcome!.message, /moved since the panel read it/);
  assert.strictEqual(document.getText(), moved, 'nothing was written');
}

/** What the schedule panel shows now. */
export async function panelSnapshot(): Promise<PanelSnapshot> {
  return (await vscode.commands.executeCommand<PanelSnapshot>('lrLens.test.schedulePanelState'))!;
}
