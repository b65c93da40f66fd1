import * as assert from 'assert';
import * as vscode from 'vscode';
import { expected, lenses, lensTitlesWhen, lineOf, openFixture, revert, torchTitle } from './helpers';

describe('code lenses', () => {
  afterEach(async () => {
    for (const document of vscode.workspace.textDocuments) if (document.uri.scheme === 'file') await revert(document);
  });

  it('show the predicted get_last_lr() above a StepLR, as torch computes it', async () => {
    const document = await openFixture('imagenet/train.py');
    const found = await lenses(document);
    assert.strictEqual(found.length, 1);
    const [lens] = found;
    assert.strictEqual(lens.range.start.line, lineOf(document, 'scheduler = StepLR('));
    assert.strictEqual(lens.command?.title, torchTitle('imagenet/train.py:42'));
    assert.strictEqual(lens.command?.title, 'lr 0.1 → 0.01 @30 → 0.001 @60 · 90 epochs');
    assert.strictEqual(lens.command?.command, 'lrLens.showSchedule');
    assert.deepStrictEqual(lens.command?.arguments?.map(String), [document.uri.toString(), '42']);
  });

  it('show each parameter group of a SequentialLR, and mark its children', async () => {
    const document = await openFixture('finetune/train_vit.py');
    const found = await lenses(document);
    const byLine = new Map(found.map((lens) => [lens.range.start.line, lens.command?.title ?? '']));
    const sequential = byLine.get(lineOf(document, 'scheduler = SequentialLR('));
    assert.strictEqual(sequential, torchTitle('finetune/train_vit.py:29'));
    assert.match(sequential!, /^\[0\] lr .* \| \[1\] lr /);
    for (const child of ['warmup = LinearLR(', 'cosine = CosineAnnealingLR(']) {
      assert.strictEqual(byLine.get(lineOf(document, child)), `in scheduler: ${sequential}`);
    }
  });

  it('count per-batch steps and say where torch raises when the loop overruns a OneCycleLR', async () => {
    const document = await openFixture('gan/train_onecycle.py');
    const [lens] = await lenses(document);
    const title = torchTitle('gan/train_onecycle.py:13', 'step', 12, 50);
    const error = expected('gan/train_onecycle.py:13').result.error!;
    assert.ok(title.endsWith(`✖ step ${error.step} raises ${error.type}`), title);
    assert.strictEqual(lens.command?.title, title);
    assert.match(lens.command!.title, / · 600 steps \(12 epochs × 50\) · /);
  });

  it('show one lens per scheduler in a file with several loops', async () => {
    const document = await openFixture('amp/train_amp.py');
    const titles = (await lenses(document)).sort((a, b) => a.range.start.line - b.range.start.line).map((lens) => lens.command?.title);
    assert.deepStrictEqual(titles, [torchTitle('amp/train_amp.py:9'), torchTitle('amp/train_amp.py:24')]);
  });

  it("say what torch raises at construction, with torch's message", async () => {
    const document = await openFixture('invalid/train_restarts.py');
    const [lens] = await lenses(document);
    const error = expected('invalid/train_restarts.py:10').result.error!;
    assert.strictEqual(error.phase, 'construct');
    assert.ok(lens.command?.title.includes(`raises ${error.type}: ${error.message}`), lens.command?.title);
  });

  it('say what is unresolved, and predict once a value is set for it', async () => {
    const document = await openFixture('configs/train_from_config.py');
    const [lens] = await lenses(document);
    assert.match(lens.command!.title, /needs config\["lr"\]/);
    assert.strictEqual(lens.command?.command, 'lrLens.setUnresolvedValue');
    const [uri, line] = lens.command!.arguments!;
    try {
      assert.strictEqual(await vscode.commands.executeCommand('lrLens.setUnresolvedValue', uri, line, 'config["lr"]', '0.05'), true);
      const expectedTitle = torchTitle('configs/train_from_config.py:14 with lr=0.05');
      await lensTitlesWhen(document, (titles) => titles[0] === expectedTitle, 'the lens to use the value set');
    } finally {
      await vscode.commands.executeCommand('lrLens.clearValues', uri);
    }
    await lensTitlesWhen(document, (titles) => /needs config\["lr"\]/.test(titles[0] ?? ''), 'the lens to be unresolved again');
  });

  it('follow typing: a changed argument re-predicts, edits elsewhere keep the lens on its line', async () => {
    const document = await openFixture('imagenet/train.py');
    const editor = vscode.window.activeTextEditor!;
    const before = torchTitle('imagenet/train.py:42');
    await lensTitlesWhen(document, (titles) => titles[0] === before, 'the first prediction');

    const argument = document.getText().indexOf('step_size=30') + 'step_size='.length;
    await editor.edit((edit) => edit.replace(new vscode.Range(document.positionAt(argument), document.positionAt(argument + 2)), '20'));
    await lensTitlesWhen(document, (titles) => titles[0] === torchTitle('imagenet/train.py:42 step_size=20'), 'the lens to follow step_size=20');

    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# a\n# b\n# c\n'));
    const found = await lenses(document);
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].range.start.line, lineOf(document, 'scheduler = StepLR('));
    assert.strictEqual(found[0].command?.title, torchTitle('imagenet/train.py:42 step_size=20'));
    assert.deepStrictEqual(found[0].command?.arguments?.map(String), [document.uri.toString(), '45']);
  });

  it('can be switched off in the settings', async () => {
    const document = await openFixture('imagenet/train.py');
    const config = vscode.workspace.getConfiguration('lrLens');
    try {
      await config.update('codeLens.enabled', false, vscode.ConfigurationTarget.Global);
      await lensTitlesWhen(document, (titles) => titles.length === 0, 'no lenses');
      await vscode.commands.executeCommand('lrLens.toggleCodeLens');
      await lensTitlesWhen(document, (titles) => titles.length === 1, 'the lens again after the toggle command');
    } finally {
      await config.update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
