// Training configs in a real VS Code: lenses on the scheduler's key, hovers, the schedule panel, and
// Apply writing tuned values back into the YAML/JSON (comments kept, one undo, stale edits refused).
// Expected schedules: torch schedulers from the engine's simulateCase on the case written out here from
// the fixture's values (the engine is checked against real torch in the unit and differential tests);
// the Hugging Face and timm schedules from the traces recorded with the real libraries (test/reference/frameworks).
import * as assert from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as vscode from 'vscode';
import type { ScheduleCase, TraceRow } from '../../../src/engine/case';
import { simulateCase } from '../../../src/engine/simulate';
import { seriesTitle } from '../../../src/extension/present/lensText';
import { lrSeries } from '../../../src/extension/present/series';
import type { PanelSnapshot } from '../../../src/extension/panel/schedulePanel';
import type { LoadMessage } from '../../../src/shared/protocol';
import { applyRequest, deriveControls } from '../../../webview/model';
import { assertStaleApplyRefused, fromPanel, lineOf, openFixture, positionOf, revert, waitFor, panelSnapshot } from './helpers';

const LIGHTNING = 'configs/lightning-cli.yaml';
const HYDRA = 'configs/hydra-optim.yaml';
const HUGGING_FACE = 'configs/hf-training-args.json';
const TIMM = 'configs/timm-args.yaml';
const MMENGINE = 'configs/mmengine_schedule_1x.py';


const snapshot = panelSnapshot;

/** The lens title the engine's prediction of a torch case makes, per epoch. */
function engineTitle(scheduleCase: ScheduleCase, type: string): string {
  const result = simulateCase(scheduleCase);
  assert.strictEqual(result.error, null);
  const series = lrSeries({ type, unit: 'epoch', case: scheduleCase, trace: result.trace, error: null, epochs: scheduleCase.steps, stepsPerEpoch: null, schedulerIndex: 0 });
  assert.ok(series);
  return seriesTitle(series);
}

const lightningCase = (T_max: number, lr: number): ScheduleCase => ({
  optimizer: { type: 'AdamW', defaults: { lr, weight_decay: 0.01 } },
  scheduler: { type: 'CosineAnnealingLR', kwargs: { T_max, eta_min: 1e-6 } },
  steps: 30, // trainer.max_epochs
});

interface RecordedConfigTraces {
  huggingface: { fixture: string; batches_per_epoch: number; num_training_steps: number; trace: TraceRow[] }[];
  timm: { fixture: string; batches_per_epoch: number; num_epochs: number; trace: TraceRow[] }[];
}

/** The traces recorded with real transformers and timm for the config fixtures (test/reference/frameworks). */
function recordedConfigTraces(): RecordedConfigTraces {
  const dir = join(__dirname, '..', '..', '..', 'test', 'reference', 'frameworks');
  return JSON.parse(readFileSync(join(dir, 'config-traces.json'), 'utf8')) as RecordedConfigTraces;
}

/** What real transformers returned for the fixture at 100 batches per epoch (the default setting). */
function huggingFaceTitle(): string {
  const entry = recordedConfigTraces().huggingface.find((item) => item.fixture === 'hf-training-args.json' && item.batches_per_epoch === 100);
  assert.ok(entry, 'the Hugging Face fixture is recorded at 100 batches per epoch');
  const steps = entry.num_training_steps;
  // num_train_epochs 3, and 100 batches / gradient_accumulation_steps 4 = 25 optimizer steps per epoch.
  const series = lrSeries({
    type: 'cosine_with_min_lr',
    unit: 'step',
    case: { optimizer: { type: 'AdamW' }, steps },
    trace: entry.trace,
    error: null,
    epochs: 3,
    stepsPerEpoch: 25,
    schedulerIndex: 0,
  });
  assert.ok(series);
  return seriesTitle(series);
}

/** What real timm returned for its train.py args fixture (a per-epoch schedule: batches do not matter). */
function timmTitle(): string {
  const entry = recordedConfigTraces().timm.find((item) => item.fixture === 'timm-args.yaml' && item.batches_per_epoch === 100);
  assert.ok(entry, 'the timm fixture is recorded');
  const series = lrSeries({
    type: 'timm.create_scheduler_v2',
    unit: 'epoch',
    case: { optimizer: { type: 'SGD' }, steps: entry.num_epochs },
    trace: entry.trace,
    error: null,
    epochs: entry.num_epochs,
    stepsPerEpoch: null,
    schedulerIndex: 0,
  });
  assert.ok(series);
  return seriesTitle(series);
}

/** What mmengine's own schedulers gave for mmdet's schedule_1x at 100 iterations per epoch (the default setting). */
function mmengineTitle(): string {
  const dir = join(__dirname, '..', '..', '..', 'test', 'reference', 'frameworks');
  const { cases } = JSON.parse(readFileSync(join(dir, 'mmengine-cases.json'), 'utf8')) as { cases: (ScheduleCase & { id: string })[] };
  const { results } = JSON.parse(readFileSync(join(dir, 'mmengine-traces.json'), 'utf8')) as { results: { id: string; trace: TraceRow[] }[] };
  const recorded = cases.find((item) => item.id === 'mmdet-schedule-1x');
  const trace = results.find((item) => item.id === 'mmdet-schedule-1x')?.trace;
  assert.ok(recorded && trace && recorded.scheduler?.kwargs?.epoch_length === 100, 'schedule_1x is recorded at 100 iterations per epoch');
  const series = lrSeries({ type: 'LinearLR + MultiStepLR', unit: 'step', case: recorded, trace, error: null, epochs: 12, stepsPerEpoch: 100, schedulerIndex: 0 });
  assert.ok(series);
  return seriesTitle(series);
}

async function lensAt(document: vscode.TextDocument, line: number, accept: (title: string) => boolean, what: string): Promise<string> {
  let found = '';
  await waitFor(what, async () => {
    const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100)) ?? [];
    found = all.find((lens) => lens.range.start.line === line)?.command?.title ?? '';
    return accept(found) ? found : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; lens on line ${line + 1}: ${JSON.stringify(found)}`);
  });
  return found;
}

async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<{ text: string; range: vscode.Range | undefined }> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? [];
  const ours = hovers.find((hover) => hover.contents.some((content) => (content as vscode.MarkdownString).value?.includes('get_last_lr()')));
  return {
    text: ours ? ours.contents.map((content) => (content as vscode.MarkdownString).value ?? '').join('\n') : '',
    range: ours?.range,
  };
}

/**
 * Opens the panel on a config's scheduler and waits for the real webview to draw it (`drawn`), or only for
 * the host to load it: the webview simulates torch cases only, not a framework's (transformers, timm, …).
 */
async function openPanel(document: vscode.TextDocument, line: number, drawn = true): Promise<LoadMessage> {
  await vscode.commands.executeCommand('lrLens.showSchedule', document.uri, line);
  let last: PanelSnapshot | undefined;
  const state = await waitFor(
    `the schedule panel to draw ${document.uri.path}:${line}`,
    async () => {
      last = await snapshot();
      const loaded = last.open && last.ready && last.load?.document.uri === document.uri.toString() && last.load.schedules[last.load.selected]?.line === line;
      return loaded && (!drawn || last.rendered?.line === line) ? last : undefined;
    },
    90_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the panel drew ${JSON.stringify(last?.rendered)}`);
  });
  return state.load!;
}

describe('training configs', function () {
  // The first test to open the panel waits for its webview to start (about 25 s in code-server here).
  this.timeout(120_000);

  afterEach(async () => {
    for (const fixture of [LIGHTNING, HYDRA, HUGGING_FACE]) await revert(await openFixture(fixture));
  });

  it('puts the predicted schedule on the scheduler key of a LightningCLI YAML', async () => {
    const document = await openFixture(LIGHTNING);
    assert.strictEqual(document.languageId, 'yaml');
    const line = lineOf(document, 'lr_scheduler:');
    const title = await lensAt(document, line, (t) => t !== '', 'a lens on lr_scheduler:');
    assert.ok(title.startsWith(engineTitle(lightningCase(30, 0.001), 'CosineAnnealingLR')), title);
  });

  it('resolves Hydra interpolations: ${base_lr}, ${..decay}, trainer.max_epochs: ${max_epochs}', async () => {
    const document = await openFixture(HYDRA);
    const expected = engineTitle(
      {
        optimizer: { type: 'SGD', defaults: { lr: 0.02, momentum: 0.9 } },
        scheduler: { type: 'MultiStepLR', kwargs: { milestones: [4, 8], gamma: 0.2 } },
        steps: 12,
      },
      'MultiStepLR',
    );
    const title = await lensAt(document, lineOf(document, 'scheduler:'), (t) => t !== '', 'a lens on model.scheduler');
    assert.strictEqual(title, expected);
  });

  it('predicts Hugging Face TrainingArguments (JSON with comments) as real transformers does', async () => {
    const document = await openFixture(HUGGING_FACE);
    const line = lineOf(document, '"lr_scheduler_type"');
    const title = await lensAt(document, line, (t) => t !== '', 'a lens on lr_scheduler_type');
    assert.ok(title.startsWith(huggingFaceTitle()), `${title} vs ${huggingFaceTitle()}`);
    assert.match(title, /75 steps \(3 epochs × 25\)/);
  });

  it('predicts timm train.py args as real timm does, and says so in the hover', async () => {
    const document = await openFixture(TIMM);
    const line = lineOf(document, 'sched: cosine');
    const title = await lensAt(document, line, (t) => t !== '', 'a lens on sched:');
    assert.ok(title.startsWith(timmTitle()), `${title} vs ${timmTitle()}`);
    const hover = await hoverText(document, positionOf(document, 'sched: cosine', 2));
    assert.match(hover.text, /From the timm train\.py arguments: timm create_scheduler_v2\./);
  });

  it("predicts an mmengine param_scheduler list as mmengine's own schedulers do, and says so in the hover", async () => {
    const document = await openFixture(MMENGINE);
    // The lens sits on the first LR scheduler's `type` (mmdet's LinearLR warm-up).
    const line = lineOf(document, "type='LinearLR'");
    const title = await lensAt(document, line, (t) => t !== '', "a lens on param_scheduler's LinearLR");
    assert.ok(title.startsWith(mmengineTitle()), `${title} vs ${mmengineTitle()}`);
    assert.match(title, /1200 steps \(12 epochs × 100\)/);
    const hover = await hoverText(document, positionOf(document, "type='LinearLR'", 3));
    assert.match(hover.text, /From the mmengine param_scheduler: mmengine LinearLR \+ MultiStepLR\./);
    assert.match(hover.text, /\*mmengine's own schedulers\*/);
  });

  it('an mmengine config inheriting its schedule shows it on _base_, and follows a saved change of the base file', async () => {
    const child = await openFixture('configs/mmengine_inherit/faster_rcnn_2x.py');
    const line = lineOf(child, '_base_');
    // The base's LinearLR warm-up starts at start_factor 0.001 × the lr the child merges in (0.01); 24 epochs.
    const before = await lensAt(child, line, (t) => t.startsWith('lr 1e-5 ↗ '), 'the inherited schedule on _base_');
    assert.match(before, /2400 steps \(24 epochs × 100\)/);
    const base = await openFixture(MMENGINE);
    const edit = new vscode.WorkspaceEdit();
    const at = positionOf(base, 'start_factor=0.001', 'start_factor='.length);
    edit.replace(base.uri, new vscode.Range(at, at.translate(0, '0.001'.length)), '0.01');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      assert.ok(await base.save());
      await lensAt(child, line, (t) => /^lr (1e-4|0\.0001) ↗ /.test(t), "the child's lens after the base's start_factor changed");
    } finally {
      const undo = new vscode.WorkspaceEdit();
      undo.replace(base.uri, new vscode.Range(at, at.translate(0, '0.01'.length)), '0.001');
      await vscode.workspace.applyEdit(undo);
      await base.save();
    }
  });

  it('hovers on the scheduler key and on the values it reads', async () => {
    const lightning = await openFixture(LIGHTNING);
    const onKey = await hoverText(lightning, positionOf(lightning, 'lr_scheduler:', 3));
    assert.match(onKey.text, /CosineAnnealingLR/);
    assert.match(onKey.text, /<img src="data:image\/svg\+xml;base64,/);
    assert.match(onKey.text, /\| epoch \| lr \|/);
    assert.match(onKey.text, /From the LightningCLI config: torch\.optim\.lr_scheduler\.CosineAnnealingLR\./);
    const onValue = await hoverText(lightning, positionOf(lightning, 'T_max: 30', 'T_max: '.length));
    assert.match(onValue.text, /CosineAnnealingLR/);
    assert.strictEqual(lightning.getText(onValue.range), '30');

    const huggingFace = await openFixture(HUGGING_FACE);
    const hf = await hoverText(huggingFace, positionOf(huggingFace, '"lr_scheduler_type"', 4));
    assert.match(hf.text, /over 75 steps \(3 epochs × 25\)/);
    assert.match(hf.text, /From the Hugging Face TrainingArguments: Hugging Face transformers get_scheduler\('cosine_with_min_lr'\)\./);
    const elsewhere = await hoverText(huggingFace, positionOf(huggingFace, '"output_dir"', 3));
    assert.strictEqual(elsewhere.text, '', 'no hover on keys the schedule does not read');
  });

  it('opens the panel on a config and Apply writes the YAML in place; one undo restores it', async () => {
    const document = await openFixture(LIGHTNING);
    const original = document.getText();
    const line = lineOf(document, 'lr_scheduler:') + 1;
    const load = await openPanel(document, line);
    const schedule = load.schedules[load.selected];
    assert.strictEqual(schedule.type, 'CosineAnnealingLR');
    const outcome = await fromPanel({
      type: 'apply',
      requestId: 1,
      uri: load.document.uri,
      version: load.document.version,
      calls: [
        { call: schedule.rootCall, changes: [{ name: 'T_max', text: '20' }] },
        { call: schedule.optimizer, changes: [{ name: 'lr', text: '0.003' }] },
      ],
    });
    assert.strictEqual(outcome?.ok, true, outcome?.message);
    const expected = original.replace('    lr: 0.001  # tuned by hand', '    lr: 0.003  # tuned by hand').replace('    T_max: 30', '    T_max: 20');
    assert.notStrictEqual(expected, original);
    assert.strictEqual(document.getText(), expected);
    // The lens follows the written values.
    const tuned = engineTitle(lightningCase(20, 0.003), 'CosineAnnealingLR');
    await lensAt(document, line - 1, (title) => title.startsWith(tuned), 'the lens to show the applied schedule');
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(document.getText(), original, 'one undo reverts the whole Apply');
  });

  it('Apply writes TrainingArguments keys into the JSON, keeping its comment; one undo restores it', async () => {
    const document = await openFixture(HUGGING_FACE);
    const original = document.getText();
    const load = await openPanel(document, lineOf(document, '"lr_scheduler_type"') + 1, false);
    const schedule = load.schedules[load.selected];
    assert.ok(schedule.rootCall && schedule.optimizer, 'the panel tunes the schedule and learning_rate');
    // The changes as the panel's controls ask for them: the type, the warmup, a key of lr_scheduler_kwargs, the lr.
    // JSON.parse reads the case's integral floats as ints, which none of the values changed here is.
    const controls = deriveControls(JSON.parse(schedule.caseJson) as ScheduleCase, schedule.type);
    const { calls, skipped } = applyRequest(schedule, controls, {
      'sched.name': "'cosine_warmup_with_min_lr'",
      'sched.num_warmup_steps': '10',
      'sched.scheduler_specific_kwargs.min_lr': '1e-07',
      'opt.lr': '3e-05',
    });
    assert.deepStrictEqual(skipped, []);
    const outcome = await fromPanel({ type: 'apply', requestId: 2, uri: load.document.uri, version: load.document.version, calls });
    assert.strictEqual(outcome?.ok, true, outcome?.message);
    const expected = original
      .replace('"learning_rate": 2e-5,', '"learning_rate": 3e-05,')
      .replace('"lr_scheduler_type": "cosine_with_min_lr",', '"lr_scheduler_type": "cosine_warmup_with_min_lr",')
      .replace('"lr_scheduler_kwargs": {"min_lr": 1e-6},', '"lr_scheduler_kwargs": {"min_lr": 1e-07},')
      .replace('"warmup_steps": 0.1,', '"warmup_steps": 10,');
    assert.notStrictEqual(expected, original);
    assert.strictEqual(document.getText(), expected);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(document.getText(), original, 'one undo reverts the whole Apply');
  });

  it('refuses a stale Apply on a config', async () => {
    const document = await openFixture(LIGHTNING);
    const load = await openPanel(document, lineOf(document, 'lr_scheduler:') + 1);
    await assertStaleApplyRefused(load, { name: 'T_max', text: '20' }, 3);
  });
});
