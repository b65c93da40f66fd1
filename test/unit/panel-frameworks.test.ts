// Controls for framework schedules (transformers, timm, Keras, optax, mmengine): derived from the runners' own
// argument specs, the tuned case is what the engine then runs, and Apply writes the changes back at the
// config's own keys (read back with the config analysis, as LR Lens then predicts).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeConfig, initConfigAnalysis } from '../../src/analysis/analyzeConfig';
import { applyEdits } from '../../src/analysis/config/edit';
import type { ScheduleCase, TraceRow } from '../../src/engine/case';
import { parseCaseJson } from '../../src/engine/caseJson';
import { Float } from '../../src/engine/python/values';
import {
  frameworkSignature,
  HF_SCHEDULER_TYPES,
  HF_SCHEDULE_FUNCTIONS,
  KERAS_SCHEDULE_NAMES,
  KERAS_SIGNATURES,
  MMENGINE_SCHEDULER_TYPES,
  OPTAX_SCHEDULE_NAMES,
  OPTAX_SIGNATURES,
  TIMM_SCHEDULERS,
} from '../../src/engine/frameworks';
import { OPTAX_SCHEDULES } from '../../src/engine/frameworks/optax';
import { createKerasSchedule } from '../../src/engine/frameworks/keras';
import { simulateCase } from '../../src/engine/simulate';
import { configApplyEdits } from '../../src/extension/panel/configApply';
import { configOrigin } from '../../src/extension/present/configText';
import { lensText } from '../../src/extension/present/lensText';
import { panelSchedules } from '../../src/extension/panel/schedules';
import type { PanelSchedule } from '../../src/shared/protocol';
import { applyRequest, ControlSpec, deriveControls, stepsPerEpochOf, tunedCase } from '../../webview/model';
import { tunedCallText } from '../../webview/exports';
import { simulateColumns } from '../../webview/simulateColumns';

const FIXTURES = join(__dirname, '..', 'fixtures', 'configs');

function loadConfig(name: string, options: { stepsPerEpoch?: number } = {}): { text: string; schedule: PanelSchedule; scheduleCase: ScheduleCase; controls: ControlSpec[] } {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  const [finding] = analyzeConfig(name, text, options).schedulers;
  const [schedule] = panelSchedules([finding], text);
  return { text, schedule, scheduleCase: finding.case, controls: deriveControls(finding.case, finding.type) };
}

/** Apply as the panel asks for it: the changed controls, written by configApplyEdits into the file's text. */
function applied(name: string, texts: Record<string, string>): string {
  const { text, schedule, controls } = loadConfig(name);
  const { calls, skipped } = applyRequest(schedule, controls, texts);
  assert.deepEqual(skipped, []);
  const outcome = configApplyEdits(name, text, calls, analyzeConfig(name, text).schedulers);
  if ('error' in outcome) throw new Error(outcome.error);
  return applyEdits(text, outcome.edits);
}

const schedulerControls = (controls: ControlSpec[]) => controls.filter((control) => !control.owner.optimizer);

describe('panel controls for framework schedules', () => {
  before(() => initConfigAnalysis());

  it('every framework schedule type has a signature, and its controls are its arguments', () => {
    const types = [
      'transformers.get_scheduler',
      ...Object.keys(HF_SCHEDULE_FUNCTIONS).map((name) => `transformers.${name}`),
      'timm.create_scheduler_v2',
      ...Object.keys(TIMM_SCHEDULERS).map((name) => `timm.${name}`),
      ...KERAS_SCHEDULE_NAMES.map((name) => `keras.${name}`),
      ...OPTAX_SCHEDULE_NAMES.map((name) => `optax.${name}`),
    ];
    for (const type of types) {
      const signature = frameworkSignature(type);
      assert.ok(signature, `${type} has a signature`);
      const controls = schedulerControls(deriveControls({ optimizer: { type: 'SGD', defaults: { lr: 0.1 } }, steps: 100, scheduler: { type, kwargs: {} } }, type));
      const offered = controls.map((control) => control.name);
      for (const name of offered) assert.ok(signature.params.some((param) => param.py === name), `${type}: ${name} is an argument`);
      // get_constant_schedule takes only last_epoch, sgdr_schedule only a list of dicts: nothing a field edits.
      assert.ok(offered.length > 0 || ['transformers.get_constant_schedule', 'optax.sgdr_schedule'].includes(type), `${type} has controls`);
    }
    assert.equal(frameworkSignature('keras.NoSuchDecay'), null);
    assert.equal(frameworkSignature('transformers.toString'), null);
  });

  it("the optax and Keras specs name exactly the arguments the runners accept, with the runners' defaults", () => {
    for (const name of OPTAX_SCHEDULE_NAMES) {
      const signature = OPTAX_SIGNATURES[name];
      assert.deepEqual(signature.params.map((param) => param.py), OPTAX_SCHEDULES[name].params, name);
      assert.deepEqual(signature.params.filter((param) => param.required).map((param) => param.py), OPTAX_SCHEDULES[name].required, name);
    }
    for (const name of KERAS_SCHEDULE_NAMES) {
      for (const param of KERAS_SIGNATURES[name].params) {
        assert.throws(() => createKerasSchedule(name, { [param.py]: 1, no_such_argument: 1 }), /unexpected keyword argument 'no_such_argument'/);
      }
    }
    // Writing a default out changes nothing: the spec's default is the one the runner uses.
    const defaultsMatch = (type: string, kwargs: Record<string, unknown>) => {
      const base = { optimizer: { type: 'SGD', defaults: { lr: 0.1 } }, steps: 120, scheduler: { type, kwargs } } as ScheduleCase;
      const withDefaults = { ...kwargs };
      for (const param of frameworkSignature(type)!.params) if (!param.required && !(param.py in kwargs) && param.py !== 'name') withDefaults[param.py] = param.default;
      const written = { ...base, scheduler: { type, kwargs: withDefaults } } as ScheduleCase;
      assert.deepEqual(simulateCase(written), simulateCase(base), type);
      assert.equal(simulateCase(base).error, null, type);
    };
    defaultsMatch('optax.warmup_cosine_decay_schedule', { init_value: 0.0, peak_value: 0.1, warmup_steps: 10, decay_steps: 100 });
    defaultsMatch('optax.exponential_decay', { init_value: 0.1, transition_steps: 10, decay_rate: 0.9 });
    defaultsMatch('optax.linear_onecycle_schedule', { transition_steps: 100, peak_value: 0.1 });
    defaultsMatch('optax.cosine_onecycle_schedule', { transition_steps: 100, peak_value: 0.1 });
    defaultsMatch('optax.cosine_decay_schedule', { init_value: 0.1, decay_steps: 100 });
    defaultsMatch('keras.CosineDecay', { initial_learning_rate: 0.1, decay_steps: 100 });
    defaultsMatch('keras.CosineDecayRestarts', { initial_learning_rate: 0.1, first_decay_steps: 20 });
    defaultsMatch('keras.PolynomialDecay', { initial_learning_rate: 0.1, decay_steps: 100 });
    defaultsMatch('keras.ExponentialDecay', { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.9 });
  });

  it('Hugging Face TrainingArguments: the type as a dropdown, warmup and length as steps, lr_scheduler_kwargs by key', () => {
    const { controls } = loadConfig('hf-training-args.json');
    const byPath = new Map(controls.map((control) => [control.path, control]));
    const name = byPath.get('sched.name')!;
    assert.equal(name.kind, 'enum');
    assert.deepEqual(name.options, Object.keys(HF_SCHEDULER_TYPES));
    assert.equal(name.original, "'cosine_with_min_lr'");
    const warmup = byPath.get('sched.num_warmup_steps')!;
    assert.equal(warmup.kind, 'optional-int');
    assert.equal(warmup.original, '8');
    assert.deepEqual(warmup.slider, { min: 0, max: 75, log: false, step: 1 });
    assert.equal(byPath.get('sched.num_training_steps')?.original, '75');
    // cosine_with_min_lr → get_cosine_with_min_lr_schedule_with_warmup(num_cycles, min_lr, min_lr_rate)
    const specific = controls.filter((control) => control.within === 'scheduler_specific_kwargs').map((control) => [control.name, control.original]);
    assert.deepEqual(specific, [
      ['num_cycles', null],
      ['min_lr', '1e-06'],
      ['min_lr_rate', null],
    ]);
    const minLr = byPath.get('sched.scheduler_specific_kwargs.min_lr')!;
    assert.equal(minLr.kind, 'float', 'an optional number gets a number field');
    assert.deepEqual(minLr.slider, { min: 1e-8, max: 1, log: true, zero: true });
    assert.equal(byPath.get('sched.scheduler_specific_kwargs.min_lr_rate')?.defaultText, 'None');
    assert.deepEqual(byPath.get('sched.scheduler_specific_kwargs.min_lr_rate')?.slider, { min: 0, max: 1, log: false, step: 0.01 });
    assert.ok(!byPath.has('sched.scheduler_specific_kwargs'), 'the dict itself is not a control');
    assert.ok(byPath.has('opt.lr'), 'learning_rate is tuned as the optimizer lr');
  });

  it('a changed warmup or num_cycles is what the engine runs', () => {
    const { scheduleCase, controls } = loadConfig('hf-training-args.json');
    const texts = { 'sched.num_warmup_steps': '20', 'sched.scheduler_specific_kwargs.num_cycles': '1.5' };
    const { scheduleCase: tuned, problems } = tunedCase(scheduleCase, 'cosine_with_min_lr', controls, texts);
    assert.equal(problems.size, 0);
    assert.deepEqual(tuned.scheduler?.kwargs, {
      name: 'cosine_with_min_lr',
      num_warmup_steps: 20,
      num_training_steps: 75,
      scheduler_specific_kwargs: { min_lr: 1e-6, num_cycles: 1.5 },
    });
    assert.deepEqual(scheduleCase.scheduler?.kwargs?.scheduler_specific_kwargs, { min_lr: 1e-6 }, 'the loaded case is left as it was');
    const result = simulateCase(tuned);
    assert.equal(result.error, null);
    assert.notDeepEqual(result.trace, simulateCase(scheduleCase).trace);
  });

  it('Apply writes warmup_steps and a key of lr_scheduler_kwargs into the JSON', () => {
    const after = applied('hf-training-args.json', {
      'sched.num_warmup_steps': '20',
      'sched.scheduler_specific_kwargs.min_lr': '1e-07',
      'sched.scheduler_specific_kwargs.num_cycles': '1.5',
    });
    assert.ok(after.includes('"warmup_steps": 20,'));
    assert.ok(after.includes('// TrainingArguments for Trainer'), 'the comment stays');
    const [finding] = analyzeConfig('hf-training-args.json', after).schedulers;
    assert.deepEqual(finding.case.scheduler?.kwargs, {
      name: 'cosine_with_min_lr',
      num_warmup_steps: 20,
      num_training_steps: 75,
      scheduler_specific_kwargs: { min_lr: 1e-7, num_cycles: 1.5 },
    });
  });

  it('refuses a key of lr_scheduler_kwargs where the file has no map to hold it', () => {
    const refusal = (name: string, texts: Record<string, string>) => {
      const { text, schedule, controls } = loadConfig(name);
      const outcome = configApplyEdits(name, text, applyRequest(schedule, controls, texts).calls, analyzeConfig(name, text).schedulers);
      return 'error' in outcome ? outcome.error : '';
    };
    // Trainer also takes lr_scheduler_kwargs as a JSON string; LR Lens reads it but does not rewrite it.
    assert.equal(loadConfig('hf-max-steps.json').controls.find((control) => control.path === 'sched.scheduler_specific_kwargs.power')?.kind, 'float');
    assert.match(refusal('hf-max-steps.json', { 'sched.scheduler_specific_kwargs.power': '3.0' }), /lr_scheduler_kwargs is not a map; edit it by hand/);
    assert.match(refusal('hf-llama-factory.yaml', { 'sched.scheduler_specific_kwargs.num_cycles': '1.5' }), /no lr_scheduler_kwargs map to hold num_cycles/);
  });

  it("switching lr_scheduler_type shows the new type's own lr_scheduler_kwargs, keeping the values it also takes", () => {
    const { scheduleCase, controls } = loadConfig('hf-training-args.json');
    const specificOf = (list: ControlSpec[]) => list.filter((control) => control.within === 'scheduler_specific_kwargs').map((control) => [control.name, control.original]);
    const switched = (name: string) => {
      const texts = { 'sched.name': `'${name}'` };
      return { texts, controls: deriveControls(scheduleCase, 'cosine_with_min_lr', texts) };
    };
    // polynomial → get_polynomial_decay_schedule_with_warmup(lr_end, power): the config's min_lr is not among them.
    const polynomial = switched('polynomial');
    assert.deepEqual(specificOf(polynomial.controls), [
      ['lr_end', null],
      ['power', null],
    ]);
    const tuned = tunedCase(scheduleCase, 'cosine_with_min_lr', polynomial.controls, { ...polynomial.texts, 'sched.scheduler_specific_kwargs.power': '2.0' }).scheduleCase;
    assert.deepEqual(tuned.scheduler?.kwargs, { name: 'polynomial', num_warmup_steps: 8, num_training_steps: 75, scheduler_specific_kwargs: { power: new Float(2) } });
    assert.equal(simulateCase(tuned).error, null);
    // What the panel ran before: the old type's key goes to the new function, which rejects it as transformers does.
    const stale = { ...tuned, scheduler: { type: 'transformers.get_scheduler', kwargs: { ...tuned.scheduler!.kwargs, scheduler_specific_kwargs: { min_lr: 1e-6 } } } };
    assert.match(simulateCase(stale).error?.message ?? '', /unexpected keyword argument 'min_lr'/);
    // cosine_warmup_with_min_lr takes min_lr too: the value read from the config stays, and the curve is that type's.
    const lrRate = switched('cosine_warmup_with_min_lr');
    assert.deepEqual(specificOf(lrRate.controls), [
      ['num_cycles', null],
      ['min_lr', '1e-06'],
      ['min_lr_rate', null],
      ['warmup_lr_rate', null],
    ]);
    const kept = tunedCase(scheduleCase, 'cosine_with_min_lr', lrRate.controls, lrRate.texts).scheduleCase;
    assert.deepEqual(kept.scheduler?.kwargs?.scheduler_specific_kwargs, { min_lr: 1e-6 });
    assert.equal(simulateCase(kept).error, null);
    // constant takes no arguments at all; switching back gives the loaded controls.
    assert.deepEqual(specificOf(switched('constant').controls), []);
    assert.deepEqual(switched('cosine_with_min_lr').controls, controls);
  });

  it('Apply after a type switch writes lr_scheduler_kwargs whole, without the keys the new type does not take', () => {
    const request = (name: string, texts: Record<string, string>) => {
      const { schedule, scheduleCase } = loadConfig(name);
      const { calls, skipped } = applyRequest(schedule, deriveControls(scheduleCase, schedule.type, texts), texts);
      assert.deepEqual(skipped, []);
      return calls;
    };
    const written = (name: string, texts: Record<string, string>) => {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      const outcome = configApplyEdits(name, text, request(name, texts), analyzeConfig(name, text).schedulers);
      if ('error' in outcome) throw new Error(outcome.error);
      const [finding] = analyzeConfig(name, applyEdits(text, outcome.edits)).schedulers;
      assert.equal(finding.error, null);
      return finding.case.scheduler?.kwargs;
    };
    const texts = { 'sched.name': "'polynomial'", 'sched.scheduler_specific_kwargs.power': '2.5' };
    assert.deepEqual(request('hf-training-args.json', texts)[0].changes, [
      { name: 'name', text: "'polynomial'" },
      { name: 'scheduler_specific_kwargs', text: "{'power': 2.5}" },
    ]);
    assert.deepEqual(written('hf-training-args.json', texts), { name: 'polynomial', num_warmup_steps: 8, num_training_steps: 75, scheduler_specific_kwargs: { power: 2.5 } });
    // axolotl's YAML: warmup_stable_decay's num_decay_steps does not go to cosine.
    assert.deepEqual(written('hf-axolotl.yaml', { 'sched.name': "'cosine'", 'sched.scheduler_specific_kwargs.num_cycles': '0.25' }), {
      name: 'cosine',
      num_warmup_steps: 10,
      num_training_steps: 100,
      scheduler_specific_kwargs: { num_cycles: 0.25 },
    });
    // A type that takes every key the file holds: only the name is written.
    assert.deepEqual(request('hf-training-args.json', { 'sched.name': "'cosine_warmup_with_min_lr'" })[0].changes, [{ name: 'name', text: "'cosine_warmup_with_min_lr'" }]);
    // No key fits the new type: the map is emptied.
    assert.deepEqual(request('hf-training-args.json', { 'sched.name': "'linear'" })[0].changes, [
      { name: 'name', text: "'linear'" },
      { name: 'scheduler_specific_kwargs', text: '{}' },
    ]);
    assert.deepEqual(written('hf-training-args.json', { 'sched.name': "'linear'" }), { name: 'linear', num_warmup_steps: 8, num_training_steps: 75, scheduler_specific_kwargs: {} });
  });

  it('Hydra _target_ of a transformers function: its arguments are the keys', () => {
    const after = applied('hydra-hf-function.yaml', { 'sched.num_warmup_steps': '20', 'sched.num_cycles': '1.0' });
    const [finding] = analyzeConfig('hydra-hf-function.yaml', after).schedulers;
    assert.equal(finding.case.scheduler?.type, 'transformers.get_cosine_schedule_with_warmup');
    assert.deepEqual({ ...finding.case.scheduler?.kwargs }, { num_warmup_steps: 20, num_training_steps: 200, num_cycles: new Float(1) });
  });

  it('timm args: create_scheduler_v2 names are written at the train.py keys', () => {
    const { controls } = loadConfig('timm-args.yaml');
    const names = schedulerControls(controls).map((control) => control.name);
    assert.ok(names.includes('sched') && names.includes('num_epochs') && names.includes('warmup_epochs') && !names.includes('updates_per_epoch'));
    assert.deepEqual(controls.find((control) => control.name === 'sched')?.options, ['cosine', 'tanh', 'step', 'multistep', 'plateau', 'poly']);
    const after = applied('timm-args.yaml', { 'sched.num_epochs': '30', 'sched.cycle_decay': '0.25', 'sched.warmup_epochs': '5' });
    const changed = after.split('\n').filter((line, i) => line !== readFileSync(join(FIXTURES, 'timm-args.yaml'), 'utf8').split('\n')[i]);
    assert.deepEqual(changed, ['epochs: 30', 'warmup_epochs: 5', 'lr_cycle_decay: 0.25']);
    const [finding] = analyzeConfig('timm-args.yaml', after).schedulers;
    assert.equal(finding.case.scheduler?.kwargs?.num_epochs, 30);
    assert.equal(finding.case.scheduler?.kwargs?.cycle_decay, 0.25);
  });

  it('Keras: the schedule gives the lr, so there is no optimizer lr control; Apply writes the config keys', () => {
    const { controls } = loadConfig('keras-cosine-warmup.json');
    assert.ok(controls.every((control) => !control.owner.optimizer));
    assert.ok(!controls.some((control) => control.name === 'name'));
    const alpha = controls.find((control) => control.name === 'alpha')!;
    assert.deepEqual(alpha.slider, { min: 0, max: 1, log: false, step: 0.01 });
    const after = applied('keras-cosine-warmup.json', { 'sched.alpha': '0.1' });
    const [finding] = analyzeConfig('keras-cosine-warmup.json', after).schedulers;
    assert.equal(finding.case.scheduler?.kwargs?.alpha, 0.1);
  });

  describe('mmengine param_scheduler', () => {
    const SCHEDULE_1X = 'mmengine_schedule_1x.py';
    const byPath = (controls: ControlSpec[]) => new Map(controls.map((control) => [control.path, control]));
    const caseWith = (dicts: Record<string, unknown>[]): ScheduleCase => ({
      optimizer: { type: 'SGD', defaults: { lr: 0.1 } },
      scheduler: { type: 'mmengine.param_scheduler', kwargs: { param_scheduler: dicts, train_cfg: { type: 'EpochBasedTrainLoop', max_epochs: 12 }, epoch_length: 1 } },
      steps: 12,
    } as ScheduleCase);

    it("every registered class offers its own arguments, by the kind of the class's parameters", () => {
      assert.equal(frameworkSignature('mmengine.param_scheduler'), null, 'the list itself is no class');
      assert.equal(frameworkSignature('mmengine.NoSuchLR'), null);
      for (const type of Object.keys(MMENGINE_SCHEDULER_TYPES)) {
        const signature = frameworkSignature(`mmengine.${type}`);
        assert.ok(signature, `${type} has a signature`);
        const controls = deriveControls(caseWith([{ type }]), 'mmengine').filter((control) => control.entry === 0);
        const names = controls.map((control) => control.name);
        for (const name of names) assert.ok(name === 'convert_to_iter_based' || signature.params.some((param) => param.py === name), `${type}: ${name} is an argument`);
        for (const hidden of ['last_step', 'verbose', 'param_name']) assert.ok(!names.includes(hidden), `${type} hides ${hidden}`);
        const kinds = Object.fromEntries(controls.map((control) => [control.name, control.kind]));
        assert.deepEqual([kinds.begin, kinds.end, kinds.by_epoch], ['int', 'int', 'bool'], type);
        // Only ReduceOnPlateau* lack build_iter_from_epoch.
        assert.equal(names.includes('convert_to_iter_based'), !type.startsWith('ReduceOnPlateau'), type);
      }
      const kinds = (type: string) => Object.fromEntries(deriveControls(caseWith([{ type }]), 'mmengine').filter((c) => c.entry === 0).map((c) => [c.name, [c.kind, c.options]]));
      assert.deepEqual(kinds('MultiStepLR').milestones, ['list', undefined]);
      assert.deepEqual(kinds('CosineAnnealingLR').T_max, ['optional-int', undefined]);
      assert.deepEqual(kinds('CosineRestartLR').periods, ['list', undefined]);
      assert.deepEqual(kinds('OneCycleLR').pct_start, ['float', undefined]);
      assert.deepEqual(kinds('OneCycleLR').anneal_strategy, ['enum', ['cos', 'linear']]);
      assert.deepEqual(kinds('ReduceOnPlateauLR').rule, ['enum', ['less', 'greater']]);
      assert.deepEqual(kinds('ReduceOnPlateauLR').patience, ['int', undefined]);
    });

    it('mmdet schedule_1x: a group of controls per dict, labelled with its window, and iterations per epoch', () => {
      const { controls, schedule } = loadConfig(SCHEDULE_1X);
      const sections = [...new Set(controls.map((control) => control.section))];
      assert.deepEqual(sections, ['SGD (optimizer)', 'LinearLR (iterations 0–500)', 'MultiStepLR (epochs 0–12)', 'EpochBasedTrainLoop (training loop)']);
      const controlsOf = byPath(controls);
      const summary = (path: string) => {
        const control = controlsOf.get(path)!;
        return [control.kind, control.original, control.defaultText];
      };
      assert.deepEqual(summary('opt.lr'), ['float', '0.02', '0.001']);
      assert.deepEqual(summary('sched.param_scheduler.0.start_factor'), ['float', '0.001', '0.3333333333333333']);
      assert.deepEqual(summary('sched.param_scheduler.0.end_factor'), ['float', null, '1.0']);
      assert.deepEqual(summary('sched.param_scheduler.0.by_epoch'), ['bool', 'False', 'True']);
      assert.deepEqual(summary('sched.param_scheduler.0.end'), ['int', '500', '1200']);
      assert.deepEqual(summary('sched.param_scheduler.1.milestones'), ['list', '[8, 11]', null]);
      assert.deepEqual(summary('sched.param_scheduler.1.end'), ['int', '12', '12']);
      assert.deepEqual(summary('sched.epoch_length'), ['int', '100', null]);
      assert.equal(controlsOf.get('sched.epoch_length')!.label, 'iterations per epoch');
      // Each dict is a call of its own, for Apply.
      assert.deepEqual(
        schedule.children.map((call) => call?.variable),
        ['param_scheduler[0]', 'param_scheduler[1]'],
      );
      // A tuned window relabels its group.
      const relabelled = deriveControls(loadConfig(SCHEDULE_1X).scheduleCase, schedule.type, { 'sched.param_scheduler.0.end': '1000' });
      assert.equal(relabelled.find((control) => control.entry === 0)?.section, 'LinearLR (iterations 0–1000)');
      // An iteration-based loop without conversions: iterations per epoch change nothing, so there is no control.
      assert.ok(!loadConfig('mmengine_mmseg_poly.py').controls.some((control) => control.name === 'epoch_length'));
      assert.equal(loadConfig('mmengine_swin_convert.py').controls.find((control) => control.entry === 0)?.section, 'LinearLR (epochs 0–5, converted to iterations)');
    });

    it('a tuned value runs as the config with that value would: Apply writes it into the dict, comments kept, in one edit', () => {
      const { text, schedule, scheduleCase, controls } = loadConfig(SCHEDULE_1X);
      const texts = {
        'opt.lr': '0.01',
        'sched.param_scheduler.0.end': '1000',
        'sched.param_scheduler.0.end_factor': '0.5',
        'sched.param_scheduler.1.milestones': '[7, 10]',
        'sched.param_scheduler.1.gamma': '0.5',
      };
      const tuned = tunedCase(scheduleCase, schedule.type, controls, texts);
      assert.equal(tuned.problems.size, 0);
      const { calls, skipped } = applyRequest(schedule, controls, texts);
      assert.deepEqual(skipped, []);
      assert.deepEqual(
        calls.map(({ call, changes }) => [call.variable, changes.map((change) => `${change.name}=${change.text}`)]),
        [
          ['optim_wrapper.optimizer', ['lr=0.01']],
          ['param_scheduler[0]', ['end_factor=0.5', 'end=1000']],
          ['param_scheduler[1]', ['milestones=[7, 10]', 'gamma=0.5']],
        ],
      );
      const outcome = configApplyEdits(SCHEDULE_1X, text, calls, analyzeConfig(SCHEDULE_1X, text).schedulers);
      if ('error' in outcome) throw new Error(outcome.error);
      assert.equal(outcome.edits.length, 1, 'one edit: one undo');
      const after = applyEdits(text, outcome.edits);
      const before = text.split('\n');
      const changed = after.split('\n').filter((line, i) => line !== before[i]);
      assert.deepEqual(changed, [
        "        type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=1000, end_factor=0.5),",
        '        milestones=[7, 10],',
        '        gamma=0.5)',
        "    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001))",
      ]);
      assert.ok(after.startsWith('# mmdet configs/_base_/schedules/schedule_1x.py'), 'the comments stay');
      // The config as written now gives the case the panel ran, and the engine the curve it drew.
      const [finding] = analyzeConfig(SCHEDULE_1X, after).schedulers;
      assert.deepEqual(finding.case, tuned.scheduleCase);
      assert.equal(finding.error, null);
      assert.deepEqual(simulateCase(tuned.scheduleCase).trace, finding.trace);
      assert.notDeepEqual(finding.trace, simulateCase(scheduleCase).trace);
    });

    it('Copy as Python writes the tuned optimizer as the nested dict a config holds', () => {
      const { schedule } = loadConfig(SCHEDULE_1X);
      const text = tunedCallText(schedule.optimizer!, [{ name: 'lr', text: '0.01' }]);
      assert.equal(text, "optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001))");
      const [finding] = analyzeConfig('copied.py', `${text}\nparam_scheduler = dict(type='StepLR', step_size=3)\n`).schedulers;
      assert.deepEqual(finding.case.optimizer, { type: 'SGD', defaults: { lr: 0.01, momentum: 0.9, weight_decay: 0.0001 } });
    });

    it("Apply adds a missing argument to a pure-Python config's dict (class objects as types)", () => {
      const name = 'mmengine_swin_convert.py';
      const after = applied(name, { 'sched.param_scheduler.1.T_max': '30', 'sched.param_scheduler.1.eta_min': '1e-06' });
      assert.ok(after.includes('    dict(type=CosineAnnealingLR, eta_min=1e-06, by_epoch=True, begin=5, T_max=30),'), after);
      const { scheduleCase, schedule, controls } = loadConfig(name);
      const tuned = tunedCase(scheduleCase, schedule.type, controls, { 'sched.param_scheduler.1.T_max': '30', 'sched.param_scheduler.1.eta_min': '1e-06' }).scheduleCase;
      assert.deepEqual(analyzeConfig(name, after).schedulers[0].case, tuned);
    });

    it('iterations per epoch re-run the loop at that length; Apply says the config does not hold them', () => {
      const { schedule, scheduleCase, controls } = loadConfig(SCHEDULE_1X);
      const texts = { 'sched.epoch_length': '50' };
      const tuned = tunedCase(scheduleCase, schedule.type, controls, texts).scheduleCase;
      // What LR Lens reads from the config with 50 iterations per epoch set.
      assert.deepEqual(tuned, loadConfig(SCHEDULE_1X, { stepsPerEpoch: 50 }).scheduleCase);
      assert.equal(tuned.steps, 600);
      assert.equal(stepsPerEpochOf(tuned, schedule.stepsPerEpoch), 50);
      // An iteration-based loop is one epoch of max_iters, whatever the iterations per epoch.
      const poly = loadConfig('mmengine_mmseg_poly.py');
      assert.equal(stepsPerEpochOf(poly.scheduleCase, poly.schedule.stepsPerEpoch), 1000);
      assert.equal(simulateCase(tuned).error, null);
      const { calls, skipped } = applyRequest(schedule, controls, texts);
      assert.deepEqual(calls, []);
      assert.equal(skipped.length, 1);
      assert.match(skipped[0], /^iterations per epoch \(len\(train_dataloader\), which the config does not hold/);
    });

    /** A case and its result as recorded from mmengine's own schedulers (test/reference/frameworks). */
    function recorded(id: string): { scheduleCase: ScheduleCase; trace: TraceRow[]; error: { phase: string; type: string; message: string } } {
      const dir = join(__dirname, '..', 'reference', 'frameworks');
      const { cases } = parseCaseJson(readFileSync(join(dir, 'mmengine-cases.json'), 'utf8')) as { cases: (ScheduleCase & { id: string })[] };
      const { results } = JSON.parse(readFileSync(join(dir, 'mmengine-traces.json'), 'utf8')) as { results: { id: string; trace: TraceRow[]; error: { phase: string; type: string; message: string } }[] };
      const { id: _id, ...scheduleCase } = cases.find((item) => item.id === id)!;
      return { scheduleCase, ...results.find((result) => result.id === id)! };
    }

    it('the panel draws the momentum that Momentum schedulers in the list set, as mmengine does', () => {
      const { scheduleCase, trace } = recorded('momentum-schedulers-sgd');
      const columns = simulateColumns(scheduleCase, 0);
      assert.equal(columns.error, null);
      assert.equal(columns.momentumLabel, 'momentum');
      const expected = trace.map((row) => row.momentum![0] as number);
      const drawn = Array.from(columns.momentum![0]);
      assert.equal(drawn.length, expected.length);
      drawn.forEach((value, k) => assert.ok(Math.abs(value - expected[k]) <= 1e-12 * Math.abs(expected[k]), `momentum at ${k}: ${value}, mmengine ${expected[k]}`));
      assert.ok(new Set(expected).size > 1, 'the momentum changes over the run');
    });

    it("a value mmengine rejects gives mmengine's error, which the lens names mmengine for", () => {
      // mmengine's own error for a LinearLR with begin=5, end=5.
      const { error: mmengineError } = recorded('error-end-not-after-begin');
      const { schedule, scheduleCase, controls } = loadConfig(SCHEDULE_1X);
      const tuned = tunedCase(scheduleCase, schedule.type, controls, { 'sched.param_scheduler.0.begin': '5', 'sched.param_scheduler.0.end': '5' }).scheduleCase;
      assert.deepEqual(simulateCase(tuned).error, { ...mmengineError, step: 0 });
      const text = readFileSync(join(FIXTURES, SCHEDULE_1X), 'utf8').replace('begin=0, end=500', 'begin=5, end=5');
      const [finding] = analyzeConfig(SCHEDULE_1X, text).schedulers;
      assert.equal(finding.framework, 'mmengine');
      const lens = lensText(finding, '2.13');
      assert.equal(lens.title, `$(error) mmengine raises ${mmengineError.type}: ${mmengineError.message}`);
      assert.equal(lens.tooltip, 'param_scheduler (LinearLR + MultiStepLR) raises at construction with mmengine.');
      assert.equal(configOrigin(finding), 'From the mmengine param_scheduler: mmengine LinearLR + MultiStepLR.');
    });
  });
});
