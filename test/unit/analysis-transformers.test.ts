// Hugging Face transformers' schedule functions called in Python source (get_*_schedule_with_warmup,
// get_scheduler): found in every import style, their arguments bound by parameter name, and predicted as
// the real library runs them. test/fixtures/python/record-transformers-traces.py ran the transformers_*.py
// fixtures with transformers 5.18.0 and recorded, per call, the arguments Python bound to each parameter
// and the lr after construction and after each scheduler.step(). Here the analysis must build a case with
// exactly those arguments, stepped per batch as the fixture does, and the engine's trace must match the
// recorded lr to rtol 1e-12 (the same float64 arithmetic; the slack is libm's cos in the last bit).
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeConfig, initConfigAnalysis } from '../../src/analysis/analyzeConfig';
import { analyzePython, initPythonAnalysis } from '../../src/analysis/analyzePython';
import { stringifyPython } from '../../src/analysis/python/pyJson';
import type { SchedulerFinding } from '../../src/analysis/types';
import type { TraceNumber } from '../../src/engine/case';
import { pyRepr } from '../../src/engine/python/values';
import { simulateCase } from '../../src/engine/simulate';
import { finding, fixture, py } from '../fixtures/python/helpers';

interface RecordedCall {
  id: string;
  function: string;
  arguments: { [name: string]: string };
  lr: number[][];
}

interface Recording {
  versions: { [name: string]: string };
  fixtures_sha256: { [file: string]: string };
  calls: RecordedCall[];
}

const recording = JSON.parse(fixture('transformers-traces.json')) as Recording;

function close(expected: number, actual: TraceNumber): boolean {
  return typeof actual === 'number' && (actual === expected || Math.abs(actual - expected) <= 1e-12 * Math.abs(expected));
}

describe('transformers schedule functions in Python source', () => {
  const findingsByFile = new Map<string, SchedulerFinding[]>();
  const analyzed = (file: string): SchedulerFinding[] => {
    let findings = findingsByFile.get(file);
    if (!findings) {
      findings = analyzePython(fixture(file)).schedulers;
      findingsByFile.set(file, findings);
    }
    return findings;
  };
  const findingAt = (id: string): SchedulerFinding => {
    const [file, line] = id.split(':');
    const found = analyzed(file).find((item) => item.line === Number(line));
    assert.ok(found, `no scheduler found at ${id}`);
    return found;
  };

  before(async () => {
    await initPythonAnalysis();
  });

  describe(`against the real library (transformers ${recording.versions.transformers})`, () => {
    it('the recording is of the current fixtures', () => {
      for (const [file, digest] of Object.entries(recording.fixtures_sha256)) {
        const actual = createHash('sha256').update(readFileSync(join(__dirname, '..', 'fixtures', 'python', file))).digest('hex');
        assert.equal(actual, digest, `${file} changed: run test/fixtures/python/record-transformers-traces.py again`);
      }
    });

    it('finds every call the fixtures make, and nothing else', () => {
      const found = Object.keys(recording.fixtures_sha256).flatMap((file) => analyzed(file).map((item) => `${file}:${item.line}`));
      assert.deepEqual(found.sort(), recording.calls.map((call) => call.id).sort());
    });

    for (const call of recording.calls) {
      it(`${call.id} ${call.function}`, () => {
        const found = findingAt(call.id);
        const type = `transformers.${call.function}`;
        assert.equal(found.type, type);
        assert.deepEqual(found.unresolved, []);
        assert.equal(found.unit, 'step');
        const spec = found.case.scheduler;
        assert.ok(spec, 'a case with one scheduler');
        assert.equal(spec.type, type);
        // The arguments Python bound, by name, with the same values (ints stay ints, floats floats).
        const kwargs = Object.fromEntries(Object.entries(spec.kwargs ?? {}).map(([name, value]) => [name, pyRepr(value)]));
        assert.deepEqual(kwargs, call.arguments);
        assert.equal(found.case.steps, call.lr.length - 1, 'one round per scheduler.step() the fixture makes');
        const result = simulateCase(found.case);
        assert.equal(result.error, null);
        assert.equal(result.trace.length, call.lr.length);
        call.lr.forEach((expected, step) => {
          const actual = result.trace[step].lr;
          assert.equal(actual.length, expected.length, `step ${step}: param groups`);
          expected.forEach((lr, group) => assert.ok(close(lr, actual[group]), `step ${step} group ${group}: ${actual[group]}, transformers ${lr}`));
        });
      });
    }
  });

  describe('import styles and argument binding', () => {
    it('binds positional arguments after the optimizer to the parameters in order', () => {
      const styles = analyzed('transformers_import_styles.py');
      assert.deepEqual(finding(styles, 'sched_a').case.scheduler, {
        type: 'transformers.get_linear_schedule_with_warmup',
        kwargs: { num_warmup_steps: 6, num_training_steps: 60 },
      });
      const polynomial = finding(styles, 'sched_c');
      assert.deepEqual(
        polynomial.call.arguments.map((argument) => argument.name),
        ['optimizer', 'num_warmup_steps', 'num_training_steps', 'lr_end', 'power'],
      );
      assert.equal(polynomial.optimizer?.variable, 'opt_c');
      assert.deepEqual(polynomial.case.optimizer, { type: 'SGD', defaults: { lr: 0.01 } });
    });

    it('reads every import style: from-import, alias, module attribute, transformers.optimization, wildcard', () => {
      const types = (file: string) => analyzed(file).map((item) => `${item.variable} ${item.type}`);
      assert.deepEqual(types('transformers_import_styles.py'), [
        'sched_a transformers.get_linear_schedule_with_warmup',
        'sched_b transformers.get_cosine_schedule_with_warmup',
        'sched_c transformers.get_polynomial_decay_schedule_with_warmup',
        'sched_d transformers.get_cosine_with_hard_restarts_schedule_with_warmup',
        'sched_e transformers.get_constant_schedule_with_warmup',
        'sched_f transformers.get_inverse_sqrt_schedule',
        'sched_g transformers.get_wsd_schedule',
        'sched_h transformers.get_cosine_with_min_lr_schedule_with_warmup',
        'sched_i transformers.get_cosine_with_min_lr_schedule_with_warmup_lr_rate',
        'sched_j transformers.get_constant_schedule',
      ]);
      assert.deepEqual(types('transformers_wildcard.py'), ['scheduler transformers.get_cosine_schedule_with_warmup']);
    });

    it('get_scheduler: the name first, the optimizer second, a SchedulerType member read as its value', () => {
      const schedulers = analyzed('transformers_get_scheduler.py');
      const positional = finding(schedulers, 'sched_f');
      assert.deepEqual(
        positional.call.arguments.map((argument) => argument.name),
        ['name', 'optimizer', 'num_warmup_steps', 'num_training_steps', 'scheduler_specific_kwargs'],
      );
      assert.equal(positional.optimizer?.variable, 'opt_f');
      assert.deepEqual(positional.case.scheduler, {
        type: 'transformers.get_scheduler',
        kwargs: { name: 'cosine_with_min_lr', num_warmup_steps: 5, num_training_steps: 50, scheduler_specific_kwargs: { min_lr_rate: 0.1 } },
      });
      assert.equal(finding(schedulers, 'sched_c').case.scheduler?.kwargs?.name, 'cosine_with_restarts');
      assert.equal(finding(schedulers, 'sched_b').case.scheduler?.kwargs?.name, 'cosine', 'the argparse default');
    });

    it('the epoch and batch loops around scheduler.step() give the rounds', () => {
      const linear = finding(analyzed('transformers_import_styles.py'), 'sched_a');
      assert.equal(linear.epochs, 3);
      assert.equal(linear.stepsPerEpoch, 20);
      const single = finding(analyzed('transformers_wildcard.py'), 'scheduler');
      assert.equal(single.unit, 'step');
      assert.equal(single.case.steps, 40);
    });
  });

  describe('values that cannot be resolved, and look-alikes', () => {
    const source = py`
      import argparse
      import torch
      from transformers import get_linear_schedule_with_warmup, get_scheduler

      parser = argparse.ArgumentParser()
      parser.add_argument("--warmup_steps", type=int)
      args = parser.parse_args()
      epochs = 3
      optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
      scheduler = get_linear_schedule_with_warmup(optimizer, args.warmup_steps, len(train_loader) * epochs)
      other = get_scheduler("cosine", trainer.optimizer, num_warmup_steps=10, num_training_steps=100)
      for epoch in range(epochs):
          for batch in train_loader:
              optimizer.step()
              scheduler.step()
    `;

    it('lists unresolved names instead of guessing, and uses the values set for them', () => {
      const linear = finding(analyzePython(source).schedulers, 'scheduler');
      assert.equal(linear.type, 'transformers.get_linear_schedule_with_warmup');
      assert.deepEqual(linear.unresolved, ['args.warmup_steps (no default)', 'len(train_loader)']);
      assert.equal(linear.trace, null);
      assert.equal(linear.unit, 'step');

      const set = finding(analyzePython(source, { overrides: { 'args.warmup_steps (no default)': 5, 'len(train_loader)': 20 } }).schedulers, 'scheduler');
      assert.deepEqual(set.unresolved, []);
      assert.deepEqual(set.case.scheduler?.kwargs, { num_warmup_steps: 5, num_training_steps: 60 });
      assert.equal(set.stepsPerEpoch, 20);
      assert.equal(set.case.steps, 60);
      assert.ok(set.trace && set.trace.length === 61);
    });

    it('reports an optimizer it cannot trace', () => {
      const other = finding(analyzePython(source).schedulers, 'other');
      assert.deepEqual(other.unresolved, ['trainer.optimizer (optimizer)']);
      assert.equal(other.optimizer, null);
    });

    it('reads the plateau schedule as torch\'s ReduceLROnPlateau and leaves out greedy, which needs live training', () => {
      const live = py`
        import torch
        import transformers
        from transformers import get_scheduler, SchedulerType

        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        a = get_scheduler(SchedulerType.REDUCE_ON_PLATEAU, optimizer, scheduler_specific_kwargs={"mode": "max"})
        other = torch.optim.SGD(model.parameters(), lr=0.1)
        b = transformers.get_reduce_on_plateau_schedule(other, patience=2)
        c = get_scheduler("greedy", optimizer)
        third = torch.optim.SGD(model.parameters(), lr=0.1)
        d = get_scheduler(args.lr_scheduler_type, third, num_warmup_steps=10, num_training_steps=100)
        for epoch in range(20):
            a.step(val_accuracy)
            b.step()
      `;
      const { schedulers: found, diagnostics } = analyzePython(live);
      assert.deepEqual(found.map((item) => item.variable), ['a', 'b', 'd']);
      assert.deepEqual(found[2].unresolved, ['args.lr_scheduler_type']);
      const plateau = finding(found, 'a');
      assert.equal(plateau.metric?.source, 'synthetic');
      assert.equal(plateau.metric?.expression, 'val_accuracy');
      assert.match(plateau.metric?.description ?? '', /rises/, "mode='max' in scheduler_specific_kwargs");
      assert.equal(plateau.case.metrics?.length, plateau.case.steps);
      assert.equal(simulateCase(plateau.case).error, null);
      // b.step() without the metric: torch's ReduceLROnPlateau raises, as for torch's own class.
      const missing = diagnostics.filter((item) => item.code === 'plateau-step-without-metric');
      assert.deepEqual(missing.map((item) => item.line), [found[1].line + 6]);
      assert.equal(finding(found, 'b').case.scheduler?.type, 'transformers.get_reduce_on_plateau_schedule');
    });

    it('ignores same-named functions that are not transformers\'', () => {
      const lookalikes = py`
        import torch
        from diffusers.optimization import get_scheduler

        def get_linear_schedule_with_warmup(optimizer, warmup, total):
            return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, step / warmup))

        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        a = get_scheduler("cosine", optimizer, num_warmup_steps=10, num_training_steps=100)
        b = get_linear_schedule_with_warmup(optimizer, 10, 100)
      `;
      assert.deepEqual(
        analyzePython(lookalikes).schedulers.map((item) => item.type),
        ['LambdaLR'],
      );
    });
  });
});

describe('TrainingArguments written in Python', () => {
  before(async () => {
    await initPythonAnalysis();
    await initConfigAnalysis();
  });
  const source = fixture('hf_training_arguments.py');

  for (const batches of [100, 37]) {
    it(`builds the schedule the config reader builds from the same arguments (proven against the Trainer), ${batches} batches per epoch`, () => {
      const [python] = analyzePython(source, { stepsPerEpoch: batches }).schedulers;
      const [config] = analyzeConfig('hf-training-args.json', readFileSync(join(__dirname, '..', 'fixtures', 'configs', 'hf-training-args.json'), 'utf8'), {
        stepsPerEpoch: batches,
      }).schedulers;
      assert.equal(python.line, 12);
      assert.equal(python.variable, 'training_args');
      assert.equal(python.unit, 'step');
      assert.deepEqual(python.unresolved, []);
      assert.deepEqual(stringifyPython(python.case), stringifyPython(config.case));
      assert.deepEqual(python.trace, config.trace);
    });
  }

  it('reads Seq2SeqTrainingArguments through a module attribute, max_steps setting the total', () => {
    const seq2seq = analyzePython(source).schedulers.find((item) => item.variable === 'seq2seq_args')!;
    assert.deepEqual(seq2seq.case.scheduler, { type: 'transformers.get_scheduler', kwargs: { name: 'linear', num_warmup_steps: 0, num_training_steps: 120 } });
    assert.equal(seq2seq.case.steps, 120);
  });

  it('lists an argument it cannot resolve, by name, and predicts nothing', () => {
    const unresolved = analyzePython(source.replace('default=2e-5', 'required=True')).schedulers[0];
    assert.deepEqual(unresolved.unresolved, ['args.learning_rate (required on the command line)']);
    assert.equal(unresolved.trace, null);
  });
});

describe('Accelerate', () => {
  before(async () => {
    await initPythonAnalysis();
  });

  it('follows the scheduler and optimizer through accelerator.prepare(...), which hands back what it is given', () => {
    const source = py`
      import torch
      from accelerate import Accelerator
      from transformers import get_scheduler

      accelerator = Accelerator(gradient_accumulation_steps=1)
      optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
      train_dataloader = torch.utils.data.DataLoader(dataset, batch_size=8)
      lr_scheduler = get_scheduler("linear", optimizer=optimizer, num_warmup_steps=100, num_training_steps=3 * len(train_dataloader))
      model, optimizer, train_dataloader, lr_scheduler = accelerator.prepare(model, optimizer, train_dataloader, lr_scheduler)
      warmup = accelerator.prepare(torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=10))
      for epoch in range(3):
          for batch in train_dataloader:
              accelerator.backward(model(batch).sum())
              optimizer.step()
              lr_scheduler.step()
              warmup.step()
              optimizer.zero_grad()
    `;
    const findings = analyzePython(source, { stepsPerEpoch: 200 }).schedulers;
    const scheduler = finding(findings, 'lr_scheduler');
    assert.deepEqual(scheduler.unresolved, []);
    assert.equal(scheduler.unit, 'step');
    assert.equal(scheduler.case.steps, 600);
    assert.equal(scheduler.optimizer?.variable, 'optimizer');
    assert.ok(!(scheduler.assumptions ?? []).some((text) => text.includes('not found')), JSON.stringify(scheduler.assumptions));
    // On several processes Accelerate steps a prepared scheduler once per process: said, since the file cannot tell.
    assert.ok(scheduler.assumptions?.some((text) => text.startsWith('lr_scheduler.step() through accelerator.prepare(...): once per optimizer step on one process')));
    // One prepared scheduler alone comes back as itself; both step on the same optimizer, in one case.
    assert.deepEqual(scheduler.case.schedulers?.map((spec) => spec.type), ['transformers.get_scheduler', 'LinearLR']);
    // transformers' LambdaLR and torch's LinearLR on one optimizer run together (frameworks-reference.test.ts checks such
    // mixed cases against transformers + torch).
    assert.equal(scheduler.error, null);
    assert.equal(scheduler.trace?.length, 601);
    // A look-alike `prepare` on another object is not Accelerate's.
    const other = source.replace('accelerator = Accelerator(gradient_accumulation_steps=1)', 'accelerator = make_helper()');
    assert.ok(finding(analyzePython(other, { stepsPerEpoch: 200 }).schedulers, 'lr_scheduler').assumptions?.some((text) => text.includes('lr_scheduler.step() not found')));
  });
});
