// The panel's Apply on training configs: the webview's changes (Python literals under the engine's
// argument names) written at the config's own keys, checked by reading the result back with the config
// analysis (what LR Lens then predicts) and by which lines changed.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeConfig, initConfigAnalysis } from '../../src/analysis/analyzeConfig';
import { applyEdits } from '../../src/analysis/config/edit';
import { Float } from '../../src/engine/python/values';
import { analyzePython, initPythonAnalysis } from '../../src/analysis/analyzePython';
import { callEdits } from '../../src/extension/panel/applyEdits';
import { configApplyEdits, isTrainingArgumentsCall, trainingArgumentsChanges } from '../../src/extension/panel/configApply';
import { applyEdits as applyPythonEdits } from '../fixtures/python/helpers';
import { panelSchedules } from '../../src/extension/panel/schedules';
import type { ArgumentChange } from '../../src/shared/protocol';

const FIXTURES = join(__dirname, '..', 'fixtures', 'configs');

function apply(name: string, root: ArgumentChange[], optimizer: ArgumentChange[] = []): { before: string; after: string } {
  const before = readFileSync(join(FIXTURES, name), 'utf8');
  const findings = analyzeConfig(name, before).schedulers;
  const [schedule] = panelSchedules(findings, before);
  const calls = [
    { call: schedule.rootCall!, changes: root },
    ...(optimizer.length ? [{ call: schedule.optimizer!, changes: optimizer }] : []),
  ];
  const outcome = configApplyEdits(name, before, calls, findings);
  if ('error' in outcome) throw new Error(outcome.error);
  assert.equal(outcome.edits.length, 1, 'one edit, so one undo reverts it');
  return { before, after: applyEdits(before, outcome.edits) };
}

const changedLines = (before: string, after: string) => after.split('\n').filter((line, i) => line !== before.split('\n')[i]);

describe('panel Apply on configs', () => {
  before(() => initConfigAnalysis());

  it('LightningCLI YAML: scheduler and optimizer values in place, a new argument next to its siblings, comments kept', () => {
    const { before, after } = apply('lightning-cli.yaml', [{ name: 'T_max', text: '20' }, { name: 'last_epoch', text: '-1' }], [{ name: 'lr', text: '0.003' }]);
    assert.deepEqual(changedLines(before, after).slice(0, 2), ['    lr: 0.003  # tuned by hand', '    T_max: 20']);
    assert.match(after, /T_max: 20\n {4}eta_min: 1\.0e-06\n {4}last_epoch: -1\n$/);
    const [finding] = analyzeConfig('lightning-cli.yaml', after).schedulers;
    assert.deepEqual(finding.case.scheduler?.kwargs, { T_max: 20, eta_min: 1e-6, last_epoch: -1 });
    assert.equal(finding.case.optimizer.defaults?.lr, 0.003);
  });

  it('Hydra YAML: an interpolated argument is replaced by the tuned literal', () => {
    const { after } = apply('hydra-optim.yaml', [{ name: 'gamma', text: '0.5' }, { name: 'milestones', text: '[3, 6]' }]);
    const [finding] = analyzeConfig('hydra-optim.yaml', after).schedulers;
    assert.deepEqual(finding.case.scheduler?.kwargs, { milestones: [3, 6], gamma: 0.5 });
    assert.match(after, /decay: 0\.2/, 'the value the interpolation pointed at stays');
  });

  it('Hugging Face JSON: the engine names map to TrainingArguments keys, the optimizer lr to learning_rate', () => {
    const { before, after } = apply(
      'hf-training-args.json',
      [{ name: 'name', text: "'cosine'" }, { name: 'num_warmup_steps', text: '10' }, { name: 'num_training_steps', text: '300' }],
      [{ name: 'lr', text: '3e-05' }],
    );
    assert.ok(after.includes('// TrainingArguments for Trainer'), 'the comment stays');
    assert.deepEqual(changedLines(before, after).slice(0, 3), ['  "learning_rate": 3e-05,', '  "lr_scheduler_type": "cosine",', '  "warmup_steps": 10,']);
    const [finding] = analyzeConfig('hf-training-args.json', after).schedulers;
    assert.deepEqual(finding.case.scheduler?.kwargs, { name: 'cosine', num_warmup_steps: 10, num_training_steps: 300, scheduler_specific_kwargs: { min_lr: 1e-6 } });
    assert.equal(finding.case.optimizer.defaults?.lr, 3e-5);
  });

  it('keeps an integral float a float, and refuses what a config cannot hold', () => {
    const { after } = apply('lightning-cli.yaml', [{ name: 'eta_min', text: '0.0' }]);
    assert.ok(analyzeConfig('lightning-cli.yaml', after).schedulers[0].case.scheduler?.kwargs?.eta_min instanceof Float);
    const text = readFileSync(join(FIXTURES, 'lightning-cli.yaml'), 'utf8');
    const findings = analyzeConfig('lightning-cli.yaml', text).schedulers;
    const [schedule] = panelSchedules(findings, text);
    const lambda = configApplyEdits('lightning-cli.yaml', text, [{ call: schedule.rootCall!, changes: [{ name: 'T_max', text: 'lambda e: e' }] }], findings);
    assert.ok('error' in lambda && /not a plain value/.test(lambda.error));
    const group = configApplyEdits('lightning-cli.yaml', text, [{ call: schedule.optimizer!, changes: [{ name: 'lr', text: '0.1', group: 1 }] }], findings);
    assert.ok('error' in group && /per-group/.test(group.error));
  });
});

describe('panel Apply on TrainingArguments written in Python', () => {
  before(() => initPythonAnalysis());

  it('writes the engine names as TrainingArguments keywords, the optimizer lr as learning_rate, a kwargs key inside its dict', () => {
    const before = readFileSync(join(__dirname, '..', 'fixtures', 'python', 'hf_training_arguments.py'), 'utf8');
    const findings = analyzePython(before, { stepsPerEpoch: 100 }).schedulers;
    const [schedule] = panelSchedules(findings, before);
    const calls = [
      { call: schedule.rootCall!, changes: [{ name: 'num_warmup_steps', text: '10' }, { name: 'scheduler_specific_kwargs.min_lr', text: '1e-07' }, { name: 'num_training_steps', text: '500' }] },
      { call: schedule.optimizer!, changes: [{ name: 'lr', text: '3e-05' }] },
    ];
    const edits = calls.flatMap(({ call, changes }) => {
      assert.ok(isTrainingArgumentsCall(call));
      const outcome = callEdits(call, trainingArgumentsChanges(call, changes));
      if ('error' in outcome) throw new Error(outcome.error);
      return outcome.edits;
    });
    const after = applyPythonEdits(before, edits);
    assert.match(after, /learning_rate=3e-05,/);
    assert.match(after, /lr_scheduler_kwargs=\{"min_lr": 1e-07\},/);
    assert.match(after, /warmup_steps=10,/);
    assert.match(after, /max_steps=500/);
    // Read back: the Trainer's schedule from the tuned arguments.
    const [tuned] = analyzePython(after, { stepsPerEpoch: 100 }).schedulers;
    assert.deepEqual(tuned.case.scheduler?.kwargs, { name: 'cosine_with_min_lr', num_warmup_steps: 10, num_training_steps: 500, scheduler_specific_kwargs: { min_lr: 1e-7 } });
    assert.equal(tuned.case.optimizer.defaults?.lr, 3e-5);
  });
});
