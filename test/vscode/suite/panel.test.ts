import * as assert from 'assert';
import * as vscode from 'vscode';
import type { LoadMessage } from '../../../src/shared/protocol';
import { assertStaleApplyRefused, fromPanel, openFixture, revert, torchSeries, waitFor, panelSnapshot } from './helpers';


const FIXTURE = 'imagenet/train.py';
const LINE = 42;

const snapshot = panelSnapshot;
/** A message as the webview would post it, through the host's own validation and handling. */

function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-12 * Math.abs(b);
}

/** The panel's load for the fixture's scheduler, once the real webview has drawn it. */
async function openPanel(): Promise<LoadMessage> {
  const document = await openFixture(FIXTURE);
  await vscode.commands.executeCommand('lrLens.showSchedule', document.uri, LINE);
  const state = await waitFor(
    'the schedule panel to draw the fixture',
    async () => {
      const current = await snapshot();
      return current.open && current.ready && current.load && current.rendered?.line === LINE ? current : undefined;
    },
    30_000,
  );
  return state.load!;
}

describe('schedule panel', () => {
  before(async () => {
    await openFixture(FIXTURE);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(
      commands.includes('lrLens.test.schedulePanelState'),
      'the schedule panel is registered: extension.ts calls registerSchedulePanel(context, deps) (src/extension/panel/index.ts)',
    );
  });

  afterEach(async () => {
    const document = await vscode.workspace.openTextDocument((await openFixture(FIXTURE)).uri);
    await revert(document);
  });

  it('opens from the command and its webview draws what torch predicts', async () => {
    const load = await openPanel();
    const state = await snapshot();
    assert.strictEqual(load.schedules[load.selected].type, 'StepLR');
    assert.strictEqual(load.schedules[load.selected].line, LINE);
    const torch = torchSeries(`${FIXTURE}:${LINE}`);
    const rendered = state.rendered!;
    assert.strictEqual(rendered.error, null);
    assert.strictEqual(rendered.rounds, torch.groups[0].length);
    assert.ok(close(rendered.first[0], torch.groups[0][0]), `first lr ${rendered.first[0]} vs torch ${torch.groups[0][0]}`);
    assert.ok(close(rendered.last[0], torch.groups[0].at(-1)!), `last lr ${rendered.last[0]} vs torch ${torch.groups[0].at(-1)}`);
  });

  it('Apply writes only the changed arguments, and one undo restores the file', async () => {
    const load = await openPanel();
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(load.document.uri));
    const original = document.getText();
    const schedule = load.schedules[load.selected];
    const outcome = await fromPanel({
      type: 'apply',
      requestId: 1,
      uri: load.document.uri,
      version: load.document.version,
      calls: [
        { call: schedule.rootCall, changes: [{ name: 'step_size', text: '10' }, { name: 'gamma', text: '0.5' }] },
        { call: schedule.optimizer, changes: [{ name: 'lr', text: '0.05' }] },
      ],
    });
    assert.deepStrictEqual(outcome?.ok, true, outcome?.message);
    const expected = original
      .replace('scheduler = StepLR(optimizer, step_size=30, gamma=0.1)', 'scheduler = StepLR(optimizer, step_size=10, gamma=0.5)')
      .replace('torch.optim.SGD(model.parameters(), args.lr, momentum=', 'torch.optim.SGD(model.parameters(), 0.05, momentum=');
    assert.notStrictEqual(expected, original);
    assert.strictEqual(document.getText(), expected);
    // The panel re-reads the file and draws the new schedule.
    await waitFor('the panel to show the applied gamma', async () => {
      const state = await snapshot();
      const text = state.load?.schedules[state.load.selected].rootCall?.text;
      return text === 'StepLR(optimizer, step_size=10, gamma=0.5)' && state.rendered?.last[0] !== undefined ? true : undefined;
    });
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(document.getText(), original, 'one undo reverts the whole Apply');
  });

  it('refuses a stale Apply when the call moved since the panel read it', async () => {
    await assertStaleApplyRefused(await openPanel(), { name: 'gamma', text: '0.5' }, 2);
  });

  it('rejects a malformed message from the webview', async () => {
    await openPanel();
    await assert.rejects(Promise.resolve(fromPanel({ type: 'apply', requestId: 3, uri: 'file:///x.py', version: 1, calls: [{ call: { text: 1 }, changes: [] }] })));
    await assert.rejects(Promise.resolve(fromPanel({ type: 'runShell', command: 'rm -rf /' })));
  });
});
