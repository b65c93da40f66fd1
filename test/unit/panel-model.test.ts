// The panel's controls come from the engine's constructor signatures, and the tuned case is what the
// engine then runs: checked here against the signatures themselves and against simulateCase.
import { strict as assert } from 'node:assert';
import { SCHEDULERS } from '../../src/engine/build';
import type { ScheduleCase } from '../../src/engine/case';
import { Float } from '../../src/engine/python/values';
import { simulateCase } from '../../src/engine/simulate';
import type { PanelCall, PanelSchedule } from '../../src/shared/protocol';
import { applyRequest, changedControls, controlValue, deriveControls, parsePythonLiteral, sliderText, tunedCase } from '../../webview/model';

const sequential: ScheduleCase = {
  optimizer: { type: 'SGD', defaults: { lr: 0.1 }, groups: [{}, { lr: 0.01 }] },
  steps: 50,
  scheduler: {
    type: 'SequentialLR',
    kwargs: {
      milestones: [5],
      schedulers: [
        { type: 'LinearLR', kwargs: { start_factor: 0.1, total_iters: 5 } },
        { type: 'CosineAnnealingLR', kwargs: { T_max: 45 } },
      ],
    },
  },
};

describe('panel controls and the tuned case', () => {
  it('offers one control per argument of every scheduler the engine models, typed by the signature', () => {
    for (const [type, entry] of Object.entries(SCHEDULERS)) {
      const controls = deriveControls({ optimizer: { type: 'SGD', defaults: { lr: 0.1 } }, steps: 10, scheduler: { type, kwargs: {} } }, type);
      const offered = controls.filter((control) => !control.owner.optimizer).map((control) => control.name);
      const expected = entry.signature.params.map((param) => param.py).filter((name) => !['last_epoch', 'optimizer', 'schedulers'].includes(name));
      assert.deepEqual(offered, expected, type);
    }
    const plateau = deriveControls({ optimizer: { type: 'Adam', defaults: {} }, steps: 10, scheduler: { type: 'ReduceLROnPlateau' } }, 'ReduceLROnPlateau');
    const kinds = Object.fromEntries(plateau.map((control) => [control.name, control.kind]));
    assert.deepEqual(kinds, { lr: 'float', mode: 'enum', factor: 'float', patience: 'int', threshold: 'float', threshold_mode: 'enum', cooldown: 'int', min_lr: 'float', eps: 'float' });
    assert.deepEqual(plateau.find((control) => control.name === 'threshold_mode')!.options, ['rel', 'abs']);
    assert.equal(plateau.find((control) => control.name === 'threshold')!.slider!.log, true);
    assert.equal(plateau.find((control) => control.name === 'lr')!.defaultText, '0.001');
  });

  it('has controls for nested children and per-group lr', () => {
    const paths = deriveControls(sequential, 'SequentialLR').map((control) => control.path);
    assert.deepEqual(paths, [
      'opt.lr',
      'opt.group.0.lr',
      'opt.group.1.lr',
      'sched.milestones',
      'sched.child.0.start_factor',
      'sched.child.0.end_factor',
      'sched.child.0.total_iters',
      'sched.child.1.T_max',
      'sched.child.1.eta_min',
    ]);
  });

  it('reads Python literals as the engine holds them', () => {
    assert.deepEqual(parsePythonLiteral('30'), { value: 30 });
    assert.deepEqual(parsePythonLiteral('1e-3'), { value: 0.001 });
    assert.deepEqual(parsePythonLiteral('2.0'), { value: new Float(2) });
    assert.deepEqual(parsePythonLiteral('1_000'), { value: 1000 });
    assert.deepEqual(parsePythonLiteral('[30, 60.0]'), { value: [30, new Float(60)] });
    assert.deepEqual(parsePythonLiteral('None'), { value: null });
    assert.deepEqual(parsePythonLiteral("'cos'"), { value: 'cos' });
    assert.ok('error' in parsePythonLiteral('abc'));
    assert.ok(Number.isNaN((parsePythonLiteral("float('nan')") as { value: Float }).value.value));
  });

  it('writes slider values as Python: integers as ints, floats rounded to what the slider resolves', () => {
    const controls = deriveControls({ optimizer: { type: 'SGD' }, steps: 100, scheduler: { type: 'OneCycleLR', kwargs: { max_lr: 0.1, total_steps: 100 } } }, 'OneCycleLR');
    const byName = (name: string) => controls.find((control) => control.name === name)!;
    assert.equal(sliderText(byName('total_steps'), 41.6), '42');
    assert.equal(sliderText(byName('pct_start'), 0.30000000000000004), '0.3');
    assert.equal(sliderText(byName('max_lr'), 0.0031622776601683794), '0.00316');
    assert.equal(sliderText(byName('div_factor'), 25), '25.0');
    assert.deepEqual(controlValue(byName('anneal_strategy'), "'linear'"), { value: 'linear' });
  });

  it('runs the engine on the tuned values and reports unreadable text per control', () => {
    const controls = deriveControls(sequential, 'SequentialLR');
    const texts = { 'sched.child.0.start_factor': '0.5', 'opt.group.1.lr': '0.02', 'sched.child.1.T_max': 'forty' };
    const { scheduleCase, problems } = tunedCase(sequential, 'SequentialLR', controls, texts);
    assert.deepEqual([...problems.keys()], ['sched.child.1.T_max']);
    const by = JSON.parse(JSON.stringify(sequential)) as ScheduleCase;
    (by.scheduler!.kwargs!.schedulers as { kwargs: Record<string, unknown> }[])[0].kwargs.start_factor = 0.5;
    by.optimizer.groups![1].lr = 0.02;
    assert.deepEqual(simulateCase(scheduleCase), simulateCase(by));
    // The original case is left as it was.
    assert.equal((sequential.scheduler!.kwargs!.schedulers as { kwargs: Record<string, unknown> }[])[0].kwargs.start_factor, 0.1);
  });

  it('asks Apply to write each changed argument into the call that holds it', () => {
    const call = (type: string): PanelCall => ({ type, variable: null, range: { startLine: 0, startCol: 0, endLine: 0, endCol: 1 }, argumentsRange: { startLine: 0, startCol: 0, endLine: 0, endCol: 1 }, arguments: [], text: type });
    const schedule: PanelSchedule = {
      line: 1,
      type: 'LinearLR',
      variable: 'warmup',
      unit: 'epoch',
      caseJson: '',
      unresolved: [],
      epochs: 50,
      stepsPerEpoch: null,
      call: call('LinearLR'),
      rootCall: call('SequentialLR'),
      optimizer: call('SGD'),
      children: [call('LinearLR'), null],
    };
    const controls = deriveControls(sequential, 'SequentialLR');
    const texts = { 'sched.milestones': '[10]', 'sched.child.0.total_iters': '10', 'sched.child.1.T_max': '40', 'opt.group.1.lr': '0.02', 'opt.lr': '0.1' };
    assert.deepEqual(changedControls(controls, texts).map((control) => control.path).sort(), ['opt.group.1.lr', 'sched.child.0.total_iters', 'sched.child.1.T_max', 'sched.milestones']);
    const { calls, skipped } = applyRequest(schedule, controls, texts);
    assert.deepEqual(
      calls.map(({ call: target, changes }) => [target.type, changes]),
      [
        ['SGD', [{ name: 'lr', text: '0.02', group: 1 }]],
        ['SequentialLR', [{ name: 'milestones', text: '[10]' }]],
        ['LinearLR', [{ name: 'total_iters', text: '10' }]],
      ],
    );
    // The cosine child is not a constructor in the file: its change cannot be written.
    assert.deepEqual(skipped, ['T_max']);
  });

  it('leaves an argument the analysis could not evaluate to the code', () => {
    const unresolved: ScheduleCase = { optimizer: { type: 'SGD', defaults: { lr: 0.1 } }, steps: 20, scheduler: { type: 'StepLR', kwargs: { gamma: 0.5 } } };
    const range = { startLine: 0, startCol: 0, endLine: 0, endCol: 1 };
    const stepCall: PanelCall = {
      type: 'StepLR',
      variable: 'sched',
      range,
      argumentsRange: range,
      arguments: [
        { name: 'step_size', position: null, text: 'config.step', range },
        { name: 'gamma', position: null, text: '0.5', range },
      ],
      text: 'StepLR(opt, step_size=config.step, gamma=0.5)',
    };
    const schedule = { line: 1, type: 'StepLR', variable: 'sched', unit: 'epoch', caseJson: '', unresolved: ['config.step'], epochs: 20, stepsPerEpoch: null, call: stepCall, rootCall: stepCall, optimizer: null, children: [] } as PanelSchedule;
    const controls = deriveControls(unresolved, 'StepLR');
    const { calls, skipped } = applyRequest(schedule, controls, { 'sched.step_size': '5', 'sched.gamma': '0.25' });
    assert.deepEqual(calls.map(({ changes }) => changes), [[{ name: 'gamma', text: '0.25' }]]);
    assert.deepEqual(skipped, ['step_size']);
  });
});
