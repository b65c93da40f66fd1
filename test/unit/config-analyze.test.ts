// Config readers: what each fixture config defines (types, units, lines, the ranges Apply edits) and
// the predicted trace, checked against the real frameworks:
//  - Hugging Face configs against test/reference/frameworks/config-traces.json, recorded by running
//    each fixture through the real TrainingArguments and Trainer (scripts/record-framework-traces.sh configs);
//  - Keras configs (JSON written by the real keras.optimizers.schedules.serialize) against the Keras
//    traces recorded from the same schedules;
//  - mmengine configs against the traces recorded from mmengine's own schedulers (mmengine-traces.json):
//    each fixture's case is one of the recorded cases;
//  - torch schedules (Lightning, Hydra) through the engine, whose torch traces are tested elsewhere.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScheduleCase, TraceRow } from '../../src/engine/case';
import { parseCaseJson } from '../../src/engine/caseJson';
import { ulp32 } from '../../src/engine/frameworks/float32';
import { simulateCase } from '../../src/engine/simulate';
import { relativeFileReader } from '../../src/analysis/analyzeCommand';
import { analyzeConfig, ConfigSchedulerFinding, initConfigAnalysis, isConfigFile } from '../../src/analysis/analyzeConfig';
import type { SourceRange } from '../../src/analysis/types';

const FIXTURES = join(__dirname, '..', 'fixtures', 'configs');
const REFERENCE = join(__dirname, '..', 'reference', 'frameworks');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function textAt(text: string, range: SourceRange): string {
  const lines = text.split('\n');
  if (range.startLine === range.endLine) return lines[range.startLine].slice(range.startCol, range.endCol);
  return [lines[range.startLine].slice(range.startCol), ...lines.slice(range.startLine + 1, range.endLine), lines[range.endLine].slice(0, range.endCol)].join('\n');
}

function only(name: string, options = {}): ConfigSchedulerFinding {
  const result = analyzeConfig(name, read(name), options);
  assert.equal(result.diagnostics.length, 0, JSON.stringify(result.diagnostics));
  assert.equal(result.schedulers.length, 1, `${name}: ${result.schedulers.map((s) => s.type).join(', ')}`);
  return result.schedulers[0];
}

function argument(finding: ConfigSchedulerFinding, name: string) {
  const found = finding.call.arguments.find((a) => a.name === name);
  assert.ok(found, `no argument ${name}`);
  return found;
}

/** The trace the engine gives for the finding's case: the finding must carry exactly that. */
function assertEngineTrace(finding: ConfigSchedulerFinding): void {
  assert.deepEqual(finding.unresolved, []);
  assert.equal(finding.error, null);
  assert.deepEqual(finding.trace, simulateCase(finding.case).trace);
}

describe('config analysis', () => {
  before(() => initConfigAnalysis());

  it('knows which files are configs', () => {
    assert.ok(isConfigFile('a.yaml') && isConfigFile('b.yml') && isConfigFile('c.json') && isConfigFile('d.toml'));
    assert.ok(isConfigFile('schedule.py', read('mmengine_schedule.py')));
    assert.ok(!isConfigFile('train.py', 'import torch\n'));
  });

  describe('LightningCLI', () => {
    it('reads optimizer and lr_scheduler class_path/init_args', () => {
      const f = only('lightning-cli.yaml');
      const text = read('lightning-cli.yaml');
      assert.equal(f.source, 'lightning');
      assert.equal(f.type, 'CosineAnnealingLR');
      assert.equal(f.line, 15); // `lr_scheduler:`
      assert.equal(f.unit, 'epoch');
      assert.equal(f.epochs, 30); // trainer.max_epochs
      assert.deepEqual(f.case.scheduler, { type: 'CosineAnnealingLR', kwargs: { T_max: 30, eta_min: 1e-6 } });
      assert.equal(f.case.optimizer.type, 'AdamW');
      assert.equal(f.case.optimizer.defaults?.lr, 0.001);
      assert.equal(textAt(text, argument(f, 'T_max').range), '30');
      assert.equal(textAt(text, argument(f, 'eta_min').range), '1.0e-06');
      assert.ok(f.optimizer);
      assert.equal(textAt(text, f.optimizer.arguments.find((a) => a.name === 'lr')!.range), '0.001');
      assertEngineTrace(f);
      assert.equal(f.trace!.length, 31);
    });

    it('takes the unit from the scheduler config interval and counts optimizer steps', () => {
      const f = only('lightning-step-interval.yaml', { stepsPerEpoch: 100 });
      assert.equal(f.type, 'OneCycleLR');
      assert.equal(f.unit, 'step');
      assert.equal(f.variable, 'model.init_args.scheduler');
      assert.equal(f.stepsPerEpoch, 50); // 100 batches, accumulate_grad_batches 2
      assert.equal(f.case.steps, 150);
      assert.equal(f.case.optimizer.type, 'SGD');
      assertEngineTrace(f);
    });

    it('nests SequentialLR children into one case', () => {
      const f = only('lightning-sequential.yaml');
      assert.equal(f.type, 'SequentialLR');
      assert.deepEqual(f.case.scheduler, {
        type: 'SequentialLR',
        kwargs: {
          schedulers: [
            { type: 'LinearLR', kwargs: { start_factor: 0.1, total_iters: 5 } },
            { type: 'ExponentialLR', kwargs: { gamma: 0.9 } },
          ],
          milestones: [5],
        },
      });
      assertEngineTrace(f);
    });

    it("maps Lightning's ReduceLROnPlateau (monitor dropped) with a synthetic metric, and the optimizer shorthand", () => {
      const f = only('lightning-plateau.yaml');
      assert.equal(f.type, 'ReduceLROnPlateau');
      assert.deepEqual(f.case.scheduler?.kwargs, { patience: 2, factor: 0.5 });
      assert.deepEqual(f.case.optimizer, { type: 'Adam', defaults: {} });
      assert.equal(f.case.metrics?.length, 15);
      assert.equal(f.metric?.source, 'synthetic');
      assertEngineTrace(f);
    });
  });

  describe('Hydra', () => {
    it('resolves ${...} interpolations, absolute and relative', () => {
      const f = only('hydra-optim.yaml');
      const text = read('hydra-optim.yaml');
      assert.equal(f.source, 'hydra');
      assert.equal(f.type, 'MultiStepLR');
      assert.equal(f.line, 12);
      assert.deepEqual(f.case.scheduler, { type: 'MultiStepLR', kwargs: { milestones: [4, 8], gamma: 0.2 } });
      assert.deepEqual(f.case.optimizer, { type: 'SGD', defaults: { lr: 0.02, momentum: 0.9 } });
      assert.equal(f.epochs, 12); // trainer.max_epochs: ${max_epochs}
      assert.equal(textAt(text, argument(f, 'gamma').range), '${..decay}');
      assertEngineTrace(f);
    });

    it('reads a transformers schedule function as a framework schedule', () => {
      const f = only('hydra-hf-function.yaml');
      assert.equal(f.framework, 'transformers');
      assert.equal(f.unit, 'step');
      assert.equal(f.case.scheduler?.type, 'transformers.get_cosine_schedule_with_warmup');
      assert.equal(f.case.optimizer.type, 'AdamW');
      assert.ok(f.trace && f.trace.length > 1 && f.error === null);
    });

    it('reports an unresolvable interpolation by name instead of guessing', () => {
      const text = 'optimizer:\n  _target_: torch.optim.SGD\n  lr: 0.1\nscheduler:\n  _target_: torch.optim.lr_scheduler.StepLR\n  step_size: ${oc.env:STEP}\n';
      const [f] = analyzeConfig('x.yaml', text).schedulers;
      assert.deepEqual(f.unresolved, ['step_size: ${oc.env:STEP}']);
      assert.equal(f.trace, null);
    });
  });

  describe('Hugging Face TrainingArguments and timm args, against the real Trainer and timm', () => {
    const raw = readFileSync(join(REFERENCE, 'configs.json'));
    const recorded = JSON.parse(readFileSync(join(REFERENCE, 'config-traces.json'), 'utf8')) as {
      cases_sha256: string;
      huggingface: { fixture: string; batches_per_epoch: number; num_training_steps: number; num_warmup_steps: number; trace: TraceRow[] }[];
      timm: { fixture: string; batches_per_epoch: number; num_epochs: number; trace: TraceRow[] }[];
    };

    it('was recorded from this exact list of configs', () => {
      assert.equal(recorded.cases_sha256, createHash('sha256').update(raw).digest('hex'), 'stale: run scripts/record-framework-traces.sh configs');
    });

    for (const item of recorded.huggingface) {
      it(`${item.fixture} with ${item.batches_per_epoch} batches per epoch`, () => {
        const f = only(item.fixture, { stepsPerEpoch: item.batches_per_epoch });
        assert.equal(f.source, 'huggingface');
        assert.equal(f.unit, 'step');
        const kwargs = f.case.scheduler?.kwargs as Record<string, unknown>;
        assert.equal(kwargs.num_training_steps, item.num_training_steps);
        assert.equal(kwargs.num_warmup_steps, item.num_warmup_steps);
        assert.equal(f.error, null);
        assert.equal(f.trace?.length, item.trace.length);
        item.trace.forEach((row, k) => {
          const expected = row.lr[0] as number;
          const actual = f.trace![k].lr[0] as number;
          assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.abs(expected) || actual === expected, `step ${k}: ${actual} vs ${expected}`);
        });
      });
    }

    for (const item of recorded.timm) {
      it(`timm train.py args: ${item.fixture} with ${item.batches_per_epoch} batches per epoch`, () => {
        const f = only(item.fixture, { stepsPerEpoch: item.batches_per_epoch });
        assert.equal(f.source, 'timm');
        assert.equal(f.epochs, item.num_epochs);
        assert.equal(f.line, f.call.arguments.find((a) => a.name === 'sched')!.range.startLine + 1);
        assert.deepEqual(f.unresolved, []);
        assert.equal(f.trace?.length, item.trace.length);
        item.trace.forEach((row, k) => {
          const expected = row.lr[0] as number;
          const actual = f.trace![k].lr[0] as number;
          assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.abs(expected) || actual === expected, `row ${k}: ${actual} vs ${expected}`);
        });
      });
    }

    it('puts the finding on lr_scheduler_type and its arguments on their values', () => {
      const text = read('hf-training-args.json');
      const f = only('hf-training-args.json');
      assert.equal(f.line, 5);
      assert.equal(textAt(text, argument(f, 'lr_scheduler_type').range), '"cosine_with_min_lr"');
      assert.equal(textAt(text, argument(f, 'learning_rate').range), '2e-5');
      assert.equal(textAt(text, argument(f, 'warmup_steps').range), '0.1');
    });
  });

  describe('Keras schedule JSON written by keras.optimizers.schedules.serialize', () => {
    const cases = (parseCaseJson(readFileSync(join(REFERENCE, 'cases', 'keras.json'), 'utf8')) as { cases: (ScheduleCase & { fixture?: string })[] }).cases;
    const traces = JSON.parse(readFileSync(join(REFERENCE, 'traces', 'keras.json'), 'utf8')).results as { trace: TraceRow[] }[];
    cases.forEach((c, index) => {
      if (!c.fixture) return;
      it(c.fixture, () => {
        const f = only(c.fixture!, { epochs: 1, stepsPerEpoch: c.steps });
        assert.equal(f.source, 'keras');
        assert.equal(f.case.scheduler?.type, c.scheduler?.type);
        assert.equal(f.line, 3); // "class_name"
        const expected = traces[index].trace;
        assert.equal(f.trace?.length, expected.length);
        // CosineDecay with warmup and CosineDecayRestarts: see frameworks-reference.test.ts for the 16-ulp bound.
        const ulps = /Restarts|cosine-warmup/.test(c.fixture!) ? 16 : 2;
        expected.forEach((row, k) => {
          const e = row.lr[0] as number;
          assert.ok(Math.abs((f.trace![k].lr[0] as number) - e) <= ulps * ulp32(e), `step ${k}`);
        });
      });
    });
  });

  describe('mmengine', () => {
    // Each fixture's case is one of the cases recorded from mmengine itself (frameworks-mmengine.test.ts
    // proves the engine against all of them): the analysed case must be that case, and its trace that trace.
    const recordedCases = (parseCaseJson(readFileSync(join(REFERENCE, 'mmengine-cases.json'), 'utf8')) as { cases: ScheduleCase[] }).cases;
    const recordedTraces = (JSON.parse(readFileSync(join(REFERENCE, 'mmengine-traces.json'), 'utf8')) as { results: { id: string; trace: TraceRow[] }[] }).results;

    function assertRecorded(f: ConfigSchedulerFinding, id: string): void {
      const index = recordedCases.findIndex((c) => c.id === id);
      const { id: _id, ...recorded } = recordedCases[index];
      assert.deepEqual(f.case, recorded);
      assert.deepEqual(f.unresolved, []);
      assert.equal(f.error, null);
      const expected = recordedTraces[index].trace;
      assert.equal(f.trace!.length, expected.length);
      expected.forEach((row, k) => {
        const [e, a] = [row.lr[0] as number, f.trace![k].lr[0] as number];
        assert.ok(a === e || Math.abs(a - e) <= 1e-12 * Math.abs(e), `step ${k}: lr ${a}, expected ${e}`);
      });
    }

    it('reads param_scheduler, optim_wrapper and train_cfg (names resolved to their values)', () => {
      const text = read('mmengine_schedule.py');
      const f = only('mmengine_schedule.py');
      assert.equal(f.source, 'mmengine');
      assert.equal(f.type, 'MultiStepLR');
      assert.equal(f.line, 8);
      assert.equal(f.unit, 'epoch');
      assert.equal(f.epochs, 12);
      assert.equal(f.stepsPerEpoch, null);
      assert.deepEqual(f.assumptions, []);
      assert.deepEqual(f.case.optimizer, { type: 'SGD', defaults: { lr: 0.02, momentum: 0.9, weight_decay: 0.0001 } });
      assert.equal(textAt(text, argument(f, 'gamma').range), '0.1');
      assertRecorded(f, 'mmdet-multistep-epochs');
    });

    it('reads a warm-up by iteration and a decay by epoch as one schedule in iterations (mmdet schedule_1x)', () => {
      const f = only('mmengine_schedule_1x.py', { stepsPerEpoch: 100 });
      assert.equal(f.type, 'LinearLR + MultiStepLR');
      assert.equal(f.line, 9); // the LinearLR's `type`
      assert.equal(f.unit, 'step');
      assert.equal(f.epochs, 12);
      assert.equal(f.stepsPerEpoch, 100);
      assert.ok(f.assumptions!.some((a) => a.startsWith('iterations per epoch = 100 (from the setting')));
      assertRecorded(f, 'mmdet-schedule-1x');
    });

    it('uses the default iterations per epoch, and says so', () => {
      const f = only('mmengine_warmup.py');
      assert.equal(f.unit, 'step');
      assert.ok(f.assumptions!.some((a) => a.startsWith('iterations per epoch = 100 (default')));
      const g = only('mmengine_warmup.py', { stepsPerEpoch: 20 });
      assert.equal(g.case.optimizer.defaults?.lr, 0.0002); // 0.0001 * 2
      assertRecorded(g, 'warmup-cosine-epochs');
    });

    it('reads an iteration-based loop (mmseg poly), where iterations per epoch do not matter', () => {
      const f = only('mmengine_mmseg_poly.py');
      assert.equal(f.unit, 'step');
      assert.equal(f.case.steps, 1000);
      assert.deepEqual(f.assumptions, []);
      assertRecorded(f, 'mmseg-poly-iter');
    });

    it('reads class objects as types and convert_to_iter_based (pure-Python config)', () => {
      const f = only('mmengine_swin_convert.py', { stepsPerEpoch: 5 });
      assert.equal(f.type, 'LinearLR + CosineAnnealingLR');
      assert.equal(f.case.optimizer.type, 'AdamW');
      assert.equal(f.unit, 'step');
      assertRecorded(f, 'mmpretrain-swin-warmup-cosine');
    });

    it('reports classes it does not know as unresolved', () => {
      const text = "param_scheduler = [dict(type='QuadraticWarmupLR', by_epoch=True, begin=0, end=1), dict(type='MultiStepLR', milestones=[8])]\n";
      const result = analyzeConfig('schedule.py', text);
      assert.equal(result.schedulers.length, 1);
      assert.equal(result.schedulers[0].trace, null);
      assert.ok(result.schedulers[0].unresolved.some((u) => u.startsWith('QuadraticWarmupLR: not one of mmengine')));
    });

    describe('_base_ inheritance', () => {
      const inherit = (name: string, options: Parameters<typeof analyzeConfig>[2] = {}) => {
        const file = join(FIXTURES, 'mmengine_inherit', name);
        return analyzeConfig(file, readFileSync(file, 'utf8'), { ...options, readRelative: relativeFileReader(file) });
      };
      const base = () => only('mmengine_schedule_1x.py', { stepsPerEpoch: 100 });

      it('a config without its own schedule shows the base file\'s, on the _base_ line, with its own keys merged in', () => {
        const [f, ...others] = inherit('faster_rcnn_2x.py', { stepsPerEpoch: 100 }).schedulers;
        assert.equal(others.length, 0);
        assert.equal(f.line, 3);
        assert.deepEqual(f.unresolved, []);
        assert.ok(f.assumptions?.includes('param_scheduler from ../mmengine_schedule_1x.py (_base_)'));
        // The base's case (recorded from mmengine) with the two merged keys: lr into the base's SGD dict, max_epochs
        // into its train_cfg; everything else is the base's.
        const expected = JSON.parse(JSON.stringify(base().case)) as ScheduleCase;
        (expected.optimizer.defaults as Record<string, unknown>).lr = 0.01;
        const kwargs = expected.scheduler!.kwargs as { train_cfg: Record<string, unknown> };
        kwargs.train_cfg.max_epochs = 24;
        expected.steps = 2400;
        assert.deepEqual(JSON.parse(JSON.stringify(f.case)), expected);
        assert.deepEqual(f.trace, simulateCase(f.case).trace);
        // Nothing from the base file is offered for editing in this one: only the lr it writes itself.
        assert.deepEqual(f.call.arguments, []);
        assert.deepEqual(f.optimizer?.arguments.map((a) => a.name), ['lr']);
      });

      it('_delete_=True replaces the base\'s dict; a schedule written here is its own and editable', () => {
        const [f] = inherit('own_schedule.py').schedulers;
        assert.equal(f.line, 5);
        assert.deepEqual(f.case.optimizer, base().case.optimizer);
        assert.deepEqual((f.case.scheduler?.kwargs as { train_cfg: unknown }).train_cfg, { type: 'EpochBasedTrainLoop', max_epochs: 6, val_interval: 2 });
        assert.ok(f.assumptions?.includes('optim_wrapper.optimizer from ../mmengine_schedule_1x.py (_base_)'));
        assert.equal(f.optimizer, null, 'the inherited optimizer is not written here');
        assert.ok(f.call.arguments.some((a) => a.name === 'milestones'));
      });

      it('a base it cannot read is listed as unresolved', () => {
        const file = join(FIXTURES, 'mmengine_inherit', 'own_schedule.py');
        const [f] = analyzeConfig(file, readFileSync(file, 'utf8')).schedulers;
        assert.deepEqual(f.unresolved, ['_base_: ../mmengine_schedule_1x.py (could not be read)']);
        assert.equal(f.trace, null);
      });
    });

    it('gives ReduceOnPlateauLR a synthetic metric per validation', () => {
      const text = "param_scheduler = dict(type='ReduceOnPlateauLR', monitor='loss', patience=1)\ntrain_cfg = dict(max_epochs=20)\n";
      const f = analyzeConfig('schedule.py', text).schedulers[0];
      assert.equal(f.metric?.source, 'synthetic');
      assert.equal(f.case.metrics?.length, 20);
      assert.equal(f.error, null);
      assert.ok((f.trace![20].lr[0] as number) < 0.1);
    });
  });

  it('reads TOML with value ranges', () => {
    const text = read('training.toml');
    const f = only('training.toml');
    assert.equal(f.line, 4);
    assert.equal(textAt(text, argument(f, 'learning_rate').range), '3e-4');
  });

  it('turns syntax errors into diagnostics', () => {
    const result = analyzeConfig('bad.json', '{"learning_rate": 0.1,, }');
    assert.equal(result.diagnostics[0]?.code, 'config-syntax');
    const yaml = analyzeConfig('bad.yaml', 'a: [1, 2\nb: 3\n');
    assert.equal(yaml.diagnostics[0]?.code, 'config-syntax');
  });
});

describe('config analysis: transformers 4.x warmup_ratio', () => {
  it('warms up for ceil(total * warmup_ratio) steps and says it read the 4.x field', () => {
    const f = analyzeConfig('hf-warmup-ratio.yaml', read('hf-warmup-ratio.yaml'), { stepsPerEpoch: 50 }).schedulers[0];
    const kwargs = f.case.scheduler?.kwargs as Record<string, unknown>;
    assert.equal(kwargs.num_training_steps, 100); // num_train_epochs 2 × 50 updates
    assert.equal(kwargs.num_warmup_steps, Math.ceil(100 * 0.06));
    assert.ok(f.assumptions?.some((a) => a.includes('warmup_ratio')));
  });
});
