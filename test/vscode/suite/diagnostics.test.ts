import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, diagnosticsWhen, expected, openFixture, revert, waitFor } from './helpers';

/**
 * The quick fixes VS Code offers at one of our diagnostics. (The command's results do not carry their
 * diagnostics; the fresh test instance has no other Python extension, so every quick fix here is ours.)
 */
async function quickFixes(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
  return actions.filter((action) => action.kind?.value === vscode.CodeActionKind.QuickFix.value);
}

/** Applies the one quick fix of the `code` diagnostic (of the given severity, when several share the code). */
async function applyOnlyFix(document: vscode.TextDocument, code: string, severity?: vscode.DiagnosticSeverity): Promise<vscode.CodeAction> {
  const matches = (d: vscode.Diagnostic) => codeOf(d) === code && (severity === undefined || d.severity === severity);
  const diagnostic = (await diagnosticsWhen(document, (all) => all.some(matches), `a ${code} diagnostic`)).find(matches)!;
  // The workbench asks for code actions with the markers it holds; ours reach it a moment after they are set.
  // A request is cancelled when the document changes meanwhile (e.g. the previous test's revert): ask again.
  const fixes = await waitFor(`quick fixes for ${code}`, async () => {
    const found = await quickFixes(document, diagnostic).catch((error: Error) => {
      if (error.message === 'Canceled') return [];
      throw error;
    });
    return found.length ? found : undefined;
  });
  assert.strictEqual(fixes.length, 1, `one quick fix for ${code}: ${fixes.map((f) => f.title)}`);
  assert.ok(fixes[0].edit, 'the fix carries its edit');
  assert.ok(await vscode.workspace.applyEdit(fixes[0].edit));
  return fixes[0];
}

function lines(document: vscode.TextDocument): string[] {
  return document.getText().split('\n');
}

describe('diagnostics and quick fixes', () => {
  afterEach(async () => {
    for (const document of vscode.workspace.textDocuments) if (document.uri.scheme === 'file') await revert(document);
  });

  it('get-lr-call: replaces get_lr() by get_last_lr()', async () => {
    const document = await openFixture('imagenet/train.py');
    const [diagnostic] = await diagnosticsWhen(document, (all) => all.length === 1, 'one diagnostic');
    assert.strictEqual(codeOf(diagnostic), 'get-lr-call');
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(document.getText(diagnostic.range).includes('get_lr'), true);
    const before = lines(document);
    await applyOnlyFix(document, 'get-lr-call');
    const after = lines(document);
    const changed = after.map((line, i) => [before[i], line]).filter(([a, b]) => a !== b);
    assert.deepStrictEqual(changed, [[
      '        print(f"epoch {epoch} done, lr {scheduler.get_lr()[0]:.5f}")',
      '        print(f"epoch {epoch} done, lr {scheduler.get_last_lr()[0]:.5f}")',
    ]]);
    await diagnosticsWhen(document, (all) => all.length === 0, 'the diagnostic to go away after the fix');
  });

  it('step-order: moves scheduler.step() after optimizer.step(), and only explains a GradScaler loop', async () => {
    const document = await openFixture('amp/train_amp.py');
    const diagnostics = await diagnosticsWhen(document, (all) => all.filter((d) => codeOf(d) === 'step-order').length === 2, 'two step-order diagnostics');
    const explained = diagnostics.find((d) => d.severity === vscode.DiagnosticSeverity.Information)!;
    assert.match(explained.message, /GradScaler/);
    assert.strictEqual((await quickFixes(document, explained)).length, 0, 'nothing to fix in the GradScaler loop');
    const warning = diagnostics.find((d) => d.severity === vscode.DiagnosticSeverity.Warning)!;
    assert.strictEqual(document.getText(warning.range), 'decay.step()');

    await applyOnlyFix(document, 'step-order', vscode.DiagnosticSeverity.Warning);
    const loop = lines(document).slice(lines(document).findIndex((l) => l.includes('def train_early_step')));
    const decayStep = loop.findIndex((l) => l.trim() === 'decay.step()');
    const optimizerStep = loop.findIndex((l) => l.trim() === 'optimizer.step()');
    assert.ok(decayStep > optimizerStep, `decay.step() after optimizer.step():\n${loop.join('\n')}`);
    assert.strictEqual(loop.filter((l) => l.trim() === 'decay.step()').length, 1);
    await diagnosticsWhen(document, (all) => all.filter((d) => codeOf(d) === 'step-order').length === 1, 'only the GradScaler note left');
  });

  it('removed-argument and plateau-step-without-metric: removes verbose=, passes the metric', async () => {
    const document = await openFixture('plateau/train.py');
    const codes = (await diagnosticsWhen(document, (all) => all.length >= 2, 'the plateau diagnostics')).map(codeOf).sort();
    assert.deepStrictEqual(codes, ['plateau-step-without-metric', 'removed-argument']);

    await applyOnlyFix(document, 'removed-argument');
    assert.ok(document.getText().includes('scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=3)\n'), document.getText());
    await diagnosticsWhen(document, (all) => !all.some((d) => codeOf(d) === 'removed-argument'), 'removed-argument to go away');

    await applyOnlyFix(document, 'plateau-step-without-metric');
    assert.ok(document.getText().includes('        scheduler.step(val_loss)\n'), document.getText());
    await diagnosticsWhen(document, (all) => all.length === 0, 'no diagnostics left');
  });

  it('plateau-get-last-lr: with torch older than 2.2, reads the lr from the optimizer', async () => {
    const document = await openFixture('plateau/train.py');
    const config = vscode.workspace.getConfiguration('lrLens');
    try {
      await config.update('torchVersion', '2.1', vscode.ConfigurationTarget.Global);
      await diagnosticsWhen(document, (all) => all.some((d) => codeOf(d) === 'plateau-get-last-lr'), 'plateau-get-last-lr under torch 2.1');
      await applyOnlyFix(document, 'plateau-get-last-lr');
      assert.ok(!document.getText().includes('get_last_lr'), document.getText());
      assert.match(document.getText(), /optimizer\.param_groups\[0\]\[["']lr["']\]/);
    } finally {
      await config.update('torchVersion', undefined, vscode.ConfigurationTarget.Global);
    }
    await revert(document);
    await diagnosticsWhen(document, (all) => !all.some((d) => codeOf(d) === 'plateau-get-last-lr'), 'no plateau-get-last-lr under torch 2.13');
  });

  it('onecycle-overrun: says where torch raises and matches OneCycleLR to the loop', async () => {
    const document = await openFixture('gan/train_onecycle.py');
    const error = expected('gan/train_onecycle.py:13').result.error!;
    const [diagnostic] = await diagnosticsWhen(document, (all) => all.length === 1, 'one diagnostic');
    assert.strictEqual(codeOf(diagnostic), 'onecycle-overrun');
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(diagnostic.message.includes(error.message), `torch's message "${error.message}" in: ${diagnostic.message}`);
    await applyOnlyFix(document, 'onecycle-overrun');
    assert.ok(document.getText().includes('OneCycleLR(optimizer, max_lr=0.1, epochs=NUM_EPOCHS, steps_per_epoch=NUM_BATCHES)'), document.getText());
    await diagnosticsWhen(document, (all) => all.length === 0, 'no overrun after the fix');
  });

  it("invalid-argument: torch's own message on the argument", async () => {
    const document = await openFixture('invalid/train_restarts.py');
    const error = expected('invalid/train_restarts.py:10').result.error!;
    const [diagnostic] = await diagnosticsWhen(document, (all) => all.length === 1, 'one diagnostic');
    assert.strictEqual(codeOf(diagnostic), 'invalid-argument');
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(diagnostic.message.includes(`${error.type}: ${error.message}`), diagnostic.message);
  });
});
