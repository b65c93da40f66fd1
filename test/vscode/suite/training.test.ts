import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ScheduleCase } from '../../../src/engine/case';
import { simulateCase } from '../../../src/engine/simulate';
import type { FindLearningRateResult, QuickTrainingResult } from '../../../src/extension/training/commands';
import { decodeCase } from '../../../src/training/session';
import { encodeCase, type RenderedMessage } from '../../../src/shared/protocol';
import { extensionPath, fromPanel, openFixture, revert, waitFor, panelSnapshot } from './helpers';


const STEP_LR = { file: 'imagenet/train.py', line: 42 };
const ONE_CYCLE = { file: 'gan/train_onecycle.py', line: 13 };
const PLATEAU = { file: 'plateau/train.py', line: 15 };

const snapshot = panelSnapshot;

async function quickTraining(fixture: { file: string; line: number }, options: object): Promise<QuickTrainingResult> {
  const document = await openFixture(fixture.file);
  const result = await vscode.commands.executeCommand<QuickTrainingResult | undefined>('lrLens.runQuickTraining', document.uri, fixture.line, options);
  assert.ok(result, 'the command trained');
  assert.strictEqual(result.error, null);
  return result;
}

/** get_last_lr() per round of the engine's simulation of the trained case (round 0: after construction). */
function engineLr(encodedCase: unknown, steps: number, metrics?: number[]): number[][] {
  const scheduleCase = { ...(decodeCase(encodedCase) as ScheduleCase), steps, ...(metrics ? { metrics } : {}) };
  const result = simulateCase(scheduleCase);
  assert.strictEqual(result.error, null, JSON.stringify(result.error));
  return result.trace.map((row) => row.lr.map(Number));
}

function assertFiniteLosses(result: QuickTrainingResult): void {
  for (const epoch of result.outcome!.epochs) {
    assert.ok(typeof epoch.train_loss === 'number' && Number.isFinite(epoch.train_loss), `epoch ${epoch.epoch} training loss ${epoch.train_loss}`);
    assert.ok(typeof epoch.val_loss === 'number' && Number.isFinite(epoch.val_loss), `epoch ${epoch.epoch} validation loss ${epoch.val_loss}`);
    assert.ok(epoch.val_accuracy !== null && epoch.val_accuracy >= 0 && epoch.val_accuracy <= 1);
  }
}

describe('quick training and the LR range test', () => {
  afterEach(async () => {
    for (const fixture of [STEP_LR, ONE_CYCLE, PLATEAU]) await revert(await vscode.workspace.openTextDocument((await openFixture(fixture.file)).uri));
  });

  it('declares and registers both commands', async () => {
    await openFixture(STEP_LR.file);
    const commands = await vscode.commands.getCommands(true);
    const declared = (vscode.extensions.getExtension('lr-lens.lr-lens')!.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    for (const id of ['lrLens.runQuickTraining', 'lrLens.findLearningRate']) {
      assert.ok(commands.includes(id), `${id} is registered`);
      assert.ok(declared.includes(id), `${id} is in package.json`);
    }
  });

  it('trains StepLR per epoch: finite losses, the engine’s lr every epoch, streamed into the panel', async () => {
    const result = await quickTraining(STEP_LR, { sample: 'spirals', epochs: 40 });
    assert.strictEqual(result.status, 'done');
    assert.strictEqual(result.stepPer, 'epoch');
    const epochs = result.outcome!.epochs;
    assert.strictEqual(epochs.length, 40);
    assertFiniteLosses(result);
    // Epoch k ends after k + 1 scheduler steps: the engine's round k + 1.
    const lr = engineLr(result.encodedCase, 40);
    epochs.forEach((epoch, k) => assert.deepStrictEqual(epoch.lr, lr[k + 1], `lr after epoch ${k}`));
    assert.deepStrictEqual(result.streamed.map((e) => e.epoch), epochs.map((e) => e.epoch), 'every epoch was streamed as it finished');
    const state = await waitFor('the training view to draw the run', async () => {
      const current = await snapshot();
      return current.open && current.training?.status === 'done' && current.trainingRendered?.epochs === 40 ? current : undefined;
    });
    assert.strictEqual(state.training!.epochs.length, 40);
    assert.deepStrictEqual(state.training!.epochs.at(-1)!.lr, epochs.at(-1)!.lr);
  });

  it('steps OneCycleLR per batch as the loop does, stopping before torch would raise', async () => {
    const result = await quickTraining(ONE_CYCLE, { sample: 'spirals' });
    assert.strictEqual(result.stepPer, 'batch');
    const steps = result.outcome!.steps;
    // 480 training rows in batches of 32: 15 per epoch; OneCycleLR allows 500 steps, so 33 epochs.
    assert.strictEqual(result.epochsPlanned, 33);
    assert.strictEqual(steps.length, 33 * 15);
    assertFiniteLosses(result);
    const lr = engineLr(result.encodedCase, steps.length);
    steps.forEach((step, j) => assert.deepStrictEqual(step.lr, lr[j], `lr used by optimizer.step() ${j}`));
  });

  it('feeds ReduceLROnPlateau the validation loss, and the panel replays that metric', async () => {
    const result = await quickTraining(PLATEAU, { sample: 'moons' });
    const epochs = result.outcome!.epochs;
    assert.strictEqual(epochs.length, 40, 'as many epochs as the loop runs');
    assertFiniteLosses(result);
    const metric = epochs.map((epoch) => epoch.val_loss as number);
    const lr = engineLr(result.encodedCase, epochs.length, metric);
    epochs.forEach((epoch, k) => assert.deepStrictEqual(epoch.lr, lr[k + 1], `lr after epoch ${k}`));
    // The code's synthetic metric (the analysis's stand-in) reduces the lr elsewhere: what the panel draws tells them apart.
    assert.notStrictEqual(engineLr(result.encodedCase, epochs.length).at(-1)![0], lr.at(-1)![0]);
    // The panel's "last quick-training run" source: the webview redraws the schedule with this metric.
    await waitFor('the panel to show the plateau scheduler', async () => ((await snapshot()).rendered?.line === PLATEAU.line ? true : undefined), 30_000);
    await fromPanel({ type: 'requestTrainingMetric' });
    let seen: RenderedMessage | undefined;
    const rendered = await waitFor('the panel to replay the training metric', async () => {
      seen = (await snapshot()).rendered;
      return seen && seen.line === PLATEAU.line && seen.rounds > 0 && seen.last[0] === lr[seen.rounds - 1][0] ? seen : undefined;
    }).catch((error: Error) => assert.fail(`${error.message}: last drawn ${JSON.stringify(seen)}, trained lr ${JSON.stringify(lr.map((row) => row[0]))}`));
    assert.strictEqual(rendered.error, null);
  });

  it('re-trains live with the panel’s tuned case: closed-loop tuning of patience and factor', async () => {
    const first = await quickTraining(PLATEAU, { sample: 'moons' });
    const state = await waitFor('the finished run in the panel', async () => {
      const current = await snapshot();
      return current.training?.runId === first.runId && current.training.status === 'done' ? current : undefined;
    });
    assert.strictEqual(state.training!.live, true, `40 epochs of moons are fast enough to re-train live (${state.training!.message})`);
    const tuned = decodeCase(first.encodedCase) as ScheduleCase;
    // A relative threshold of 5% makes the slow descent count as a plateau.
    tuned.scheduler!.kwargs = { ...tuned.scheduler!.kwargs, patience: 0, factor: 0.7, threshold: 0.05 };
    await fromPanel({ type: 'retrain', runId: first.runId, caseJson: encodeCase(tuned) });
    const rerun = await waitFor('the re-trained run', async () => {
      const current = (await snapshot()).training;
      return current && current.runId > first.runId && current.status === 'done' ? current : undefined;
    });
    assert.strictEqual(rerun.epochs.length, 40);
    // The tuned scheduler was fed the re-trained run's own validation losses.
    const simulated = simulateCase({ ...tuned, steps: 40, metrics: rerun.epochs.map((epoch) => epoch.valLoss!) });
    assert.strictEqual(simulated.error, null);
    rerun.epochs.forEach((epoch, k) => assert.deepStrictEqual(epoch.lr, simulated.trace[k + 1].lr, `lr after epoch ${k}`));
    assert.notDeepStrictEqual(rerun.epochs.at(-1)!.lr, first.outcome!.epochs.at(-1)!.lr, 'the tuned scheduler reduces the lr');
    // A change made for an older run is dropped.
    await fromPanel({ type: 'retrain', runId: first.runId, caseJson: encodeCase(tuned) });
    assert.strictEqual((await snapshot()).training!.runId, rerun.runId);
  });

  it('trains on a CSV file only in a trusted workspace', async () => {
    const csv = vscode.Uri.file(`${extensionPath()}/data/iris.csv`);
    const document = await openFixture(STEP_LR.file);
    const result = await vscode.commands.executeCommand<QuickTrainingResult | undefined>('lrLens.runQuickTraining', document.uri, STEP_LR.line, { csv, epochs: 5 });
    if (vscode.workspace.isTrusted) {
      assert.strictEqual(result?.status, 'done');
      assert.strictEqual(result.outcome!.epochs.length, 5);
    } else {
      assert.strictEqual(result, undefined, 'an untrusted workspace’s data is not read');
    }
  });

  it('cancels a run in progress', async () => {
    const document = await openFixture(STEP_LR.file);
    const running = vscode.commands.executeCommand<QuickTrainingResult | undefined>('lrLens.runQuickTraining', document.uri, STEP_LR.line, { sample: 'spirals', epochs: 100_000 });
    await waitFor('the first epochs to stream', async () => {
      const state = await snapshot();
      return state.training?.status === 'running' && state.training.epochs.length >= 2 ? true : undefined;
    });
    await vscode.commands.executeCommand('lrLens.test.stopTraining');
    const result = await running;
    assert.strictEqual(result?.status, 'cancelled');
    const trained = result.outcome!.epochs.length;
    assert.ok(trained >= 2 && trained < 100_000, `stopped after ${trained} epochs`);
    const state = await waitFor('the panel to show the cancelled run', async () => ((await snapshot()).training?.status === 'cancelled' ? await snapshot() : undefined));
    assert.strictEqual(state.training!.epochs.length, trained);
  });

  it('finds a learning rate, writes the chosen one into the optimizer’s lr, and one undo restores it', async () => {
    const document = await openFixture(STEP_LR.file);
    const original = document.getText();
    const result = await vscode.commands.executeCommand<FindLearningRateResult | undefined>('lrLens.findLearningRate', document.uri, STEP_LR.line, {
      sample: 'spirals',
      apply: 'steepest',
    });
    assert.ok(result && result.status === 'done', result?.error ?? 'no result');
    assert.strictEqual(result.argument, 'lr');
    const { points, suggestions } = result.outcome!;
    assert.ok(points.length >= 20, `${points.length} points`);
    for (let i = 1; i < points.length; i++) assert.ok(points[i].lr > points[i - 1].lr, 'the sweep grows the lr');
    for (const value of [suggestions.steepest, suggestions.valley, suggestions.minimumTenth]) {
      assert.ok(value !== null && value > 0 && value <= points.at(-1)!.lr, `suggestion ${value}`);
    }
    assert.ok(result.applied?.ok, result.applied?.message);
    const text = result.applied.text!;
    assert.strictEqual(Number(text).toPrecision(2), suggestions.steepest!.toPrecision(2));
    const expected = original.replace('torch.optim.SGD(model.parameters(), args.lr, momentum=', `torch.optim.SGD(model.parameters(), ${text}, momentum=`);
    assert.notStrictEqual(expected, original);
    assert.strictEqual(document.getText(), expected);
    const state = await waitFor('the range test in the panel', async () => {
      const current = await snapshot();
      return current.lrRange?.status === 'done' && current.trainingRendered?.rangePoints === points.length ? current : undefined;
    });
    assert.deepStrictEqual(state.lrRange!.suggestions, suggestions);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(document.getText(), original, 'one undo reverts the write');
  });

  it('writes OneCycleLR’s max_lr from the panel’s suggestion button', async () => {
    const document = await openFixture(ONE_CYCLE.file);
    const original = document.getText();
    const result = await vscode.commands.executeCommand<FindLearningRateResult | undefined>('lrLens.findLearningRate', document.uri, ONE_CYCLE.line, {
      sample: 'blobs',
      apply: false,
    });
    assert.strictEqual(result?.argument, 'max_lr');
    assert.strictEqual(result.applied, null);
    assert.strictEqual(document.getText(), original, 'nothing written without a choice');
    const valley = result.outcome!.suggestions.valley!;
    const outcome = await fromPanel({ type: 'applyLearningRate', requestId: 7, value: valley });
    assert.ok(outcome?.ok, outcome?.message);
    const written = /max_lr=([^,)]+)/.exec(document.getText())?.[1];
    assert.strictEqual(Number(written).toPrecision(2), valley.toPrecision(2));
    assert.strictEqual(document.getText(), original.replace('max_lr=0.1,', `max_lr=${written},`));
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(document.getText(), original);
  });
});
