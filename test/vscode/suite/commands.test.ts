import * as assert from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as vscode from 'vscode';
import { formatLr } from '../../../src/extension/present/numbers';
import { EXTENSION_ID, extensionPath, openFixture, torchSeries } from './helpers';

describe('extension and commands', () => {
  const manifest = JSON.parse(readFileSync(join(extensionPath(), 'package.json'), 'utf8'));

  it('activates on a Python file', async () => {
    await openFixture('imagenet/train.py');
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    assert.ok(extension.isActive);
  });

  it('registers every command it declares, all under the "LR Lens" category', async () => {
    const declared: { command: string; category: string }[] = manifest.contributes.commands;
    assert.ok(declared.length >= 6);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command, category } of declared) {
      assert.ok(registered.has(command), `${command} is registered`);
      assert.strictEqual(category, 'LR Lens');
    }
  });

  it('declares its settings with their defaults', () => {
    const config = vscode.workspace.getConfiguration('lrLens');
    assert.strictEqual(config.get('defaultEpochs'), 100);
    assert.strictEqual(config.get('defaultStepsPerEpoch'), 100);
    assert.strictEqual(config.get('torchVersion'), '2.13');
    assert.strictEqual(config.get('codeLens.enabled'), true);
  });

  it('Show Learning-Rate Schedule as Table lists every epoch with the values torch computes', async () => {
    const document = await openFixture('imagenet/train.py');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lrLens.showScheduleTable', document.uri, 42);
    assert.ok(uri, 'the command returns what it opened');
    const shown = await vscode.workspace.openTextDocument(uri);
    const text = shown.getText();
    assert.match(text, /<img src="data:image\/svg\+xml;base64,/);
    const series = torchSeries('imagenet/train.py:42');
    for (let epoch = 0; epoch < 90; epoch++) {
      assert.ok(text.includes(`| ${epoch} | ${formatLr(series.groups[0][epoch], 17)} |`), `epoch ${epoch} in the table`);
    }
  });

  it('Show Learning-Rate Schedule as Table without arguments uses the scheduler at the cursor', async () => {
    const document = await openFixture('amp/train_amp.py');
    const editor = vscode.window.activeTextEditor!;
    const line = document.getText().split('\n').findIndex((l) => l.includes('decay.step()'));
    editor.selection = new vscode.Selection(line, 0, line, 0);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lrLens.showScheduleTable');
    assert.match((await vscode.workspace.openTextDocument(uri)).getText(), /^# ExponentialLR · train_amp\.py:24/);
  });

  it('Show Output reveals the log', async () => {
    await vscode.commands.executeCommand('lrLens.showOutput');
  });
});
