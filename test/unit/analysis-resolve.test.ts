// Reading Python: which calls are torch's optimizers and schedulers (every import style), what they are
// bound to, and how argument values are resolved, or reported by name when they cannot be.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePython, initPythonAnalysis } from '../../src/analysis/analyzePython';
import { stringifyPython } from '../../src/analysis/python/pyJson';
import type { AnalysisOptions } from '../../src/analysis/types';
import { Float } from '../../src/engine/python/values';
import { finding, py } from '../fixtures/python/helpers';

const schedulersOf = (source: string, options: AnalysisOptions = {}) => analyzePython(source, options).schedulers;
/** The case as JSON text (floats keep their `.0`), for exact comparisons. */
const caseJson = (source: string, variable = 'scheduler') => JSON.parse(stringifyPython(finding(schedulersOf(source), variable).case));
const kwargsOf = (source: string, variable = 'scheduler') => finding(schedulersOf(source), variable).case.scheduler?.kwargs;

describe('analysis: finding optimizers and schedulers', () => {
  before(async () => {
    await initPythonAnalysis();
  });

  const styles: [string, string][] = [
    ['torch.optim.lr_scheduler.X', 'import torch\nopt = torch.optim.SGD(params, lr=0.1)\nscheduler = torch.optim.lr_scheduler.StepLR(opt, 3)'],
    ['lr_scheduler.X', 'from torch.optim import SGD, lr_scheduler\nopt = SGD(params, lr=0.1)\nscheduler = lr_scheduler.StepLR(opt, 3)'],
    ['from … import X as Y', 'from torch import optim\nfrom torch.optim.lr_scheduler import StepLR as Decay\nopt = optim.SGD(params, lr=0.1)\nscheduler = Decay(opt, 3)'],
    ['import … lr_scheduler as lrs', 'import torch.optim as O\nimport torch.optim.lr_scheduler as lrs\nopt = O.SGD(params, lr=0.1)\nscheduler = lrs.StepLR(opt, 3)'],
    ['from torch.optim import lr_scheduler as alias', 'import torch\nfrom torch.optim import lr_scheduler as sched_mod\nopt = torch.optim.SGD(params, lr=0.1)\nscheduler = sched_mod.StepLR(opt, 3)'],
    ['import torch.optim.lr_scheduler', 'import torch.optim.lr_scheduler\nopt = torch.optim.SGD(params, lr=0.1)\nscheduler = torch.optim.lr_scheduler.StepLR(opt, 3)'],
    ['a module alias assigned in the file', 'import torch\nlrs = torch.optim.lr_scheduler\nopt = torch.optim.SGD(params, lr=0.1)\nscheduler = lrs.StepLR(opt, 3)'],
  ];
  for (const [style, source] of styles) {
    it(`finds a scheduler written as ${style}`, () => {
      const [found] = schedulersOf(source);
      assert.equal(found.type, 'StepLR');
      assert.equal(found.variable, 'scheduler');
      assert.equal(found.line, 3 + (source.split('\n').length - 3));
      assert.deepEqual(JSON.parse(stringifyPython(found.case)), {
        optimizer: { type: 'SGD', defaults: { lr: 0.1 } },
        steps: 100,
        scheduler: { type: 'StepLR', kwargs: { step_size: 3 } },
      });
      assert.equal(found.optimizer?.type, 'SGD');
    });
  }

  it('finds SWALR in torch.optim.swa_utils under every spelling', () => {
    const source = py`
      import torch
      from torch.optim import swa_utils
      from torch.optim.swa_utils import SWALR
      a = SWALR(torch.optim.SGD(p, lr=0.1), swa_lr=0.01)
      b = swa_utils.SWALR(torch.optim.SGD(p, lr=0.1), 0.02)
      c = torch.optim.swa_utils.SWALR(torch.optim.SGD(p, lr=0.1), swa_lr=0.03)
    `;
    const found = schedulersOf(source);
    assert.deepEqual(found.map((s) => [s.type, s.variable, s.case.scheduler?.kwargs?.swa_lr]), [
      ['SWALR', 'a', 0.01],
      ['SWALR', 'b', 0.02],
      ['SWALR', 'c', 0.03],
    ]);
  });

  it('ignores classes of the same name that are not torch’s', () => {
    const source = py`
      from mylib.schedules import StepLR
      class CosineAnnealingLR:
          pass
      a = StepLR(opt, 3)
      b = CosineAnnealingLR(opt, 10)
      c = torch.optim.lr_scheduler.StepLR  # not a call
    `;
    assert.deepEqual(schedulersOf(source), []);
  });

  it('binds the optimizer by variable, positionally or by optimizer=, and by inline construction', () => {
    const source = py`
      import torch
      from torch.optim import Adam
      from torch.optim.lr_scheduler import ExponentialLR, ChainedScheduler, ConstantLR
      first = Adam(params, lr=0.01)
      second = torch.optim.SGD(params, lr=0.5, momentum=0.9)
      a = ExponentialLR(first, 0.9)
      b = ExponentialLR(optimizer=second, gamma=0.8)
      c = ExponentialLR(torch.optim.RMSprop(params, lr=0.2), gamma=0.7)
      d = ChainedScheduler([ConstantLR(first, factor=0.5)], optimizer=first)
    `;
    const found = schedulersOf(source);
    assert.deepEqual(finding(found, 'a').case.optimizer, { type: 'Adam', defaults: { lr: 0.01 } });
    assert.deepEqual(finding(found, 'b').case.optimizer, { type: 'SGD', defaults: { lr: 0.5, momentum: 0.9 } });
    assert.deepEqual(finding(found, 'c').case.optimizer, { type: 'RMSprop', defaults: { lr: 0.2 } });
    assert.equal(finding(found, 'd').optimizer?.type, 'Adam');
    // `a` and `d` are both built on `first`: torch steps them on one optimizer, so they share a case.
    assert.deepEqual(finding(found, 'd').case.schedulers?.map((spec) => spec.type), ['ExponentialLR', 'ChainedScheduler']);
    assert.equal(finding(found, 'd').schedulerIndex, 1);
  });

  it('reads param groups: a list of dicts (without params), through a variable; model.parameters() is one group', () => {
    const source = py`
      import torch
      groups = [
          {"params": model.backbone.parameters(), "lr": 1e-4},
          {"params": model.head.parameters(), "weight_decay": 0.0},
      ]
      opt = torch.optim.AdamW(groups, lr=1e-3, betas=(0.9, 0.95))
      scheduler = torch.optim.lr_scheduler.LinearLR(opt)
      plain = torch.optim.lr_scheduler.LinearLR(torch.optim.SGD(model.parameters(), 0.1, 0.9))
    `;
    assert.deepEqual(caseJson(source).optimizer, {
      type: 'AdamW',
      defaults: { lr: 0.001, betas: [0.9, 0.95] },
      groups: [{ lr: 0.0001 }, { weight_decay: 0.0 }],
    });
    assert.deepEqual(caseJson(source, 'plain').optimizer, { type: 'SGD', defaults: { lr: 0.1, momentum: 0.9 } });
  });

  it('builds composites from their children, by variable or inline, children before the parent', () => {
    const source = py`
      from torch.optim import SGD
      from torch.optim.lr_scheduler import SequentialLR, LinearLR, CosineAnnealingLR, ConstantLR, ExponentialLR, ChainedScheduler
      opt = SGD(params, lr=0.1)
      warmup = LinearLR(opt, start_factor=0.1, total_iters=5)
      cosine = CosineAnnealingLR(opt, T_max=95)
      scheduler = SequentialLR(opt, schedulers=[warmup, cosine], milestones=[5])
      opt2 = SGD(params, lr=0.1)
      chained = ChainedScheduler([ConstantLR(opt2, factor=0.5, total_iters=2), ExponentialLR(opt2, gamma=0.9)])
    `;
    const found = schedulersOf(source);
    assert.deepEqual(found.map((s) => [s.type, s.variable, s.partOf?.variable ?? null]), [
      ['LinearLR', 'warmup', 'scheduler'],
      ['CosineAnnealingLR', 'cosine', 'scheduler'],
      ['SequentialLR', 'scheduler', null],
      ['ChainedScheduler', 'chained', null],
      ['ConstantLR', null, 'chained'],
      ['ExponentialLR', null, 'chained'],
    ]);
    assert.deepEqual(caseJson(source).scheduler, {
      type: 'SequentialLR',
      kwargs: {
        milestones: [5],
        schedulers: [
          { type: 'LinearLR', kwargs: { start_factor: 0.1, total_iters: 5 } },
          { type: 'CosineAnnealingLR', kwargs: { T_max: 95 } },
        ],
      },
    });
    // The children are not top-level schedulers of the case: they share their parent's.
    assert.equal(finding(found, 'warmup').case, finding(found, 'scheduler').case);
    assert.equal(finding(found, 'chained').optimizer?.type, 'SGD', "ChainedScheduler takes its children's optimizer");
  });

  it('puts several top-level schedulers of one optimizer into one case, each with its index', () => {
    const source = py`
      import torch
      opt = torch.optim.SGD(params, lr=0.1)
      step = torch.optim.lr_scheduler.StepLR(opt, 2)
      exp = torch.optim.lr_scheduler.ExponentialLR(opt, 0.9)
      for epoch in range(4):
          opt.step()
          step.step()
          exp.step()
    `;
    const found = schedulersOf(source);
    assert.deepEqual(finding(found, 'step').case.schedulers?.map((s) => s.type), ['StepLR', 'ExponentialLR']);
    assert.deepEqual(found.map((s) => s.schedulerIndex), [0, 1]);
    assert.equal(finding(found, 'exp').trace?.[0].last_lr.length, 2);
  });

  it('keeps alternatives in if/else branches apart', () => {
    const source = py`
      import torch
      opt = torch.optim.SGD(params, lr=0.1)
      if args.schedule == "step":
          scheduler = torch.optim.lr_scheduler.StepLR(opt, 30)
      else:
          scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 90)
      for epoch in range(90):
          opt.step()
          scheduler.step()
    `;
    const found = schedulersOf(source);
    assert.deepEqual(found.map((s) => s.case.scheduler?.type), ['StepLR', 'CosineAnnealingLR']);
    assert.deepEqual(found.map((s) => [s.epochs, s.assumptions]), [[90, []], [90, []]]);
  });
});

describe('analysis: resolving argument values', () => {
  before(async () => {
    await initPythonAnalysis();
  });

  const header = 'import torch\nfrom torch.optim.lr_scheduler import *\nopt = torch.optim.SGD(params, lr=0.1)\n';

  it('keeps integral float literals floats (2.0 is not 2) and folds arithmetic with Python semantics', () => {
    const kwargs = kwargsOf(
      header +
        py`
        scheduler = CyclicLR(opt, base_lr=1e-3, max_lr=2.0, step_size_up=10 // 3, step_size_down=-7 % 3 + 2 ** 3,
                             gamma=1 / 2 * 2, base_momentum=0.8 - 0.1, max_momentum=int(0.95 * 10) / 10)
      `,
    )!;
    assert.ok(kwargs.max_lr instanceof Float && kwargs.max_lr.value === 2);
    assert.deepEqual([kwargs.step_size_up, kwargs.step_size_down], [3, 10]);
    assert.ok(kwargs.gamma instanceof Float && kwargs.gamma.value === 1, '1 / 2 * 2 is the float 1.0');
    assert.equal(kwargs.base_momentum, 0.8 - 0.1);
    assert.equal(kwargs.max_momentum, 0.9);
  });

  it('resolves module constants, the latest assignment before the use, and chained assignment', () => {
    const kwargs = kwargsOf(
      py`
        import torch
        GAMMA = 0.5
        GAMMA = GAMMA / 2
        A = B = 7
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=A + B, gamma=GAMMA)
        GAMMA = 0.9
      `,
    );
    assert.deepEqual(kwargs, { step_size: 14, gamma: 0.25 });
  });

  it('reads argparse defaults: dashes become underscores, dest=, string defaults converted by type=', () => {
    const source = py`
      import argparse, torch
      parser = argparse.ArgumentParser()
      parser.add_argument("--step-size", type=int, default=30)
      parser.add_argument("--lr", "--learning-rate", type=float, default="0.1", dest="base_lr")
      parser.add_argument("--gamma", type=float, default=1)
      parser.add_argument("--warm", action="store_true")
      args = parser.parse_args()
      opt = torch.optim.SGD(params, lr=args.base_lr)
      scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=args.step_size, gamma=args.gamma)
      other = torch.optim.lr_scheduler.LinearLR(torch.optim.SGD(params), start_factor=0.5 if args.warm else 1.0)
    `;
    const json = caseJson(source);
    assert.deepEqual(json.optimizer.defaults, { lr: 0.1 });
    assert.deepEqual(json.scheduler.kwargs, { step_size: 30, gamma: 1 }, 'argparse leaves a non-string default as it is');
    assert.deepEqual(kwargsOf(source, 'other'), { start_factor: new Float(1) });
  });

  it('follows parse_args() through a helper function and parse_known_args()', () => {
    const source = py`
      import argparse, torch
      def get_args():
          p = argparse.ArgumentParser()
          p.add_argument("--decay", type=float, default=0.3)
          p.set_defaults(step=4)
          return p.parse_known_args()
      args, _ = get_args()
      opt = torch.optim.SGD(params, lr=0.1)
      scheduler = torch.optim.lr_scheduler.StepLR(opt, args.step, args.decay)
    `;
    assert.deepEqual(kwargsOf(source), { step_size: 4, gamma: 0.3 });
  });

  it('reports argparse options without a default by name, and then has no trace', () => {
    const source = py`
      import argparse, torch
      parser = argparse.ArgumentParser()
      parser.add_argument("--lr", type=float)
      parser.add_argument("--epochs", type=int, required=True)
      args = parser.parse_args()
      opt = torch.optim.SGD(params, lr=args.lr)
      scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    `;
    const [found] = schedulersOf(source);
    assert.deepEqual(found.unresolved, ['args.epochs (required on the command line)', 'args.lr (no default)']);
    assert.equal(found.trace, null);
    assert.equal(found.error, null);
  });

  it('reads dict configs (nested, .get with a default), namespaces, dataclasses and class attributes', () => {
    const source = py`
      import torch
      from dataclasses import dataclass, field
      from types import SimpleNamespace
      config = {"optim": {"lr": 0.05}, "sched": dict(T_0=5)}
      ns = SimpleNamespace(eta_min=1e-4, **{"mult": 2})
      @dataclass
      class Train:
          lr: float = 0.1
          epochs: int = field(default=30)
          restarts: int = 3
      class Defaults:
          MOMENTUM = 0.8
      cfg = Train(epochs=40)
      opt = torch.optim.SGD(params, lr=config["optim"]["lr"], momentum=Defaults.MOMENTUM)
      scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(
          opt, T_0=config["sched"]["T_0"] * cfg.restarts, T_mult=ns.mult, eta_min=config.get("eta_min", ns.eta_min))
      other = torch.optim.lr_scheduler.StepLR(torch.optim.SGD(params), step_size=cfg.epochs // 4, gamma=cfg.lr)
    `;
    const json = caseJson(source);
    assert.deepEqual(json.optimizer.defaults, { lr: 0.05, momentum: 0.8 });
    assert.deepEqual(json.scheduler.kwargs, { T_0: 15, T_mult: 2, eta_min: 0.0001 });
    assert.deepEqual(kwargsOf(source, 'other'), { step_size: 10, gamma: 0.1 });
  });

  it('resolves self.x set in __init__ from the constructor call, and parameters from call sites or defaults', () => {
    const source = py`
      import torch
      class Trainer:
          def __init__(self, model, lr=0.1, epochs=10):
              self.lr = lr
              self.epochs = epochs
              self.optimizer = torch.optim.SGD(model.parameters(), lr=self.lr)
              self.scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(self.optimizer, T_max=self.epochs)

          def fit(self):
              for epoch in range(self.epochs):
                  self.optimizer.step()
                  self.scheduler.step()

      def make(model, decay, step=5):
          opt = torch.optim.Adam(model.parameters())
          return torch.optim.lr_scheduler.StepLR(opt, step, gamma=decay)

      scheduler = make(model, 0.5)
      Trainer(model, epochs=20).fit()
    `;
    const found = schedulersOf(source);
    const trainer = finding(found, 'self.scheduler');
    assert.deepEqual(JSON.parse(stringifyPython(trainer.case)), {
      optimizer: { type: 'SGD', defaults: { lr: 0.1 } },
      steps: 20,
      scheduler: { type: 'CosineAnnealingLR', kwargs: { T_max: 20 } },
    });
    const made = found.find((s) => s.type === 'StepLR')!;
    assert.deepEqual(made.case.scheduler?.kwargs, { step_size: 5, gamma: 0.5 });
  });

  it('passes lambdas as source text with the free names they read replaced by their values', () => {
    const source = py`
      import math, torch
      WARMUP = 5
      TOTAL = 50
      opt = torch.optim.SGD(params, lr=0.1)
      scheduler = torch.optim.lr_scheduler.LambdaLR(
          opt, lr_lambda=lambda step: min(1.0, (step + 1) / WARMUP) * 0.5 * (1 + math.cos(math.pi * step / TOTAL)))
    `;
    assert.equal(kwargsOf(source)!.lr_lambda, 'lambda step: min(1.0, (step + 1) / 5) * 0.5 * (1 + math.cos(math.pi * step / 50))');
  });

  it('passes a def (dedented, with its locals kept) and a list of functions for several groups', () => {
    const source = py`
      import torch
      def main(base=0.9):
          def schedule(epoch):
              factor = base ** epoch
              return factor if epoch < 10 else factor / 2
          opt = torch.optim.SGD([{"params": a}, {"params": b}], lr=0.1)
          scheduler = torch.optim.lr_scheduler.LambdaLR(opt, [schedule, lambda e: 1.0])
    `;
    assert.deepEqual(kwargsOf(source)!.lr_lambda, [
      'def schedule(epoch):\n    factor = 0.9 ** epoch\n    return factor if epoch < 10 else factor / 2',
      'lambda e: 1.0',
    ]);
  });

  it('reports what it cannot resolve by name: loaders, files, unknown names, closures', () => {
    const source = py`
      import torch, yaml
      config = yaml.safe_load(open("config.yaml"))
      opt = torch.optim.SGD(params, lr=config["lr"])
      scheduler = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, epochs=10, steps_per_epoch=len(train_loader))
      other = torch.optim.lr_scheduler.LambdaLR(torch.optim.SGD(params, lr=0.1), lambda e: e / warmup_steps)
    `;
    const found = schedulersOf(source);
    assert.deepEqual(finding(found, 'scheduler').unresolved, ['len(train_loader)', 'config["lr"]']);
    assert.deepEqual(finding(found, 'other').unresolved, ['warmup_steps']);
    assert.ok(found.every((s) => s.trace === null));
  });

  it('uses the values the user set for unresolved names, keyed as `unresolved` lists them', () => {
    const source = py`
      import argparse, torch, yaml
      config = yaml.safe_load(open("config.yaml"))
      parser = argparse.ArgumentParser()
      parser.add_argument("--epochs", type=int)
      args = parser.parse_args()
      opt = torch.optim.SGD(params, lr=config["lr"], momentum=0.9)
      scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=args.epochs // 3)
      for epoch in range(args.epochs):
          scheduler.step()
    `;
    const [unset] = schedulersOf(source);
    assert.deepEqual(unset.unresolved, ['args.epochs (no default)', 'config["lr"]']);
    assert.equal(unset.trace, null);

    const [partly] = schedulersOf(source, { overrides: { 'config["lr"]': 0.05 } });
    assert.deepEqual(partly.unresolved, ['args.epochs (no default)']);
    assert.equal(partly.trace, null);

    // Every use of the name takes the value: the argument and the loop bound.
    const overrides = { 'config["lr"]': 0.05, 'args.epochs (no default)': 12 };
    const [set] = schedulersOf(source, { overrides });
    const literal = source.replace('config["lr"]', '0.05').replace(/args\.epochs/g, '12');
    const [written] = schedulersOf(literal);
    assert.deepEqual(set.unresolved, []);
    assert.equal(stringifyPython(set.case), stringifyPython(written.case));
    assert.equal(set.epochs, 12);
    assert.equal(stringifyPython(set.trace), stringifyPython(written.trace));
    // The reason in parentheses and spacing do not matter; an integral float stays a float.
    const [bare] = schedulersOf(source.replace('config["lr"]', 'config[ "lr" ]'), { overrides: { 'config["lr"]': new Float(1), 'args.epochs': 12 } });
    assert.deepEqual(bare.unresolved, []);
    assert.equal(stringifyPython(bare.case.optimizer.defaults), '{"lr":1.0,"momentum":0.9}');
  });

  it('leaves out optimizer arguments it cannot resolve when they cannot change a learning rate', () => {
    const source = py`
      import torch
      opt = torch.optim.AdamW(params, lr=3e-4, weight_decay=args.wd, eps=get_eps())
      scheduler = torch.optim.lr_scheduler.ExponentialLR(opt, 0.99)
    `;
    const [found] = schedulersOf(source);
    assert.deepEqual(found.unresolved, []);
    assert.deepEqual(found.case.optimizer, { type: 'AdamW', defaults: { lr: 3e-4 } });
    assert.ok(found.trace);
  });

  it('records resolved values on the call’s arguments, with torch’s names for positional ones', () => {
    const line = 'scheduler = torch.optim.lr_scheduler.StepLR(torch.optim.SGD(p, 0.1), 30, gamma=0.5)';
    const [found] = schedulersOf(`import torch\n${line}`);
    assert.deepEqual(
      found.call.arguments.map((a) => [a.name, a.position, a.text, a.value]),
      [
        ['optimizer', 0, 'torch.optim.SGD(p, 0.1)', undefined],
        ['step_size', 1, '30', 30],
        ['gamma', null, '0.5', 0.5],
      ],
    );
    assert.deepEqual(found.call.range, { startLine: 1, startCol: line.indexOf('torch'), endLine: 1, endCol: line.length });
    assert.deepEqual(found.call.argumentsRange, { startLine: 1, startCol: line.indexOf('(torch'), endLine: 1, endCol: line.length });
  });

  it('compares numbers as Python does (ints, floats, bools), and leaves other comparisons unresolved', () => {
    const source = (test: string) => `import torch\nopt = torch.optim.SGD(params, lr=0.1)\nscheduler = torch.optim.lr_scheduler.StepLR(opt, 10 if ${test} else 20)\n`;
    const stepSize = (test: string) => kwargsOf(source(test))?.step_size;
    assert.equal(stepSize('2.0 <= 2'), 10);
    assert.equal(stepSize('True < 2'), 10);
    assert.equal(stepSize('0.1 + 0.2 > 0.3'), 10);
    assert.equal(stepSize('3 >= 3.5'), 20);
    assert.deepEqual(finding(schedulersOf(source('"a" < 2')), 'scheduler').unresolved, ['"a" < 2']);
  });
});

describe('analysis: if/elif branches picked by the values the file shows', () => {
  before(async () => {
    await initPythonAnalysis();
  });

  const recipe = readFileSync(join(__dirname, '..', 'fixtures', 'python', 'branches.py'), 'utf8');
  /** The recipe with other argparse defaults, as a user would run it with other flags. */
  const withDefaults = (changes: [string, string][]) =>
    changes.reduce((text, [option, value]) => text.replace(new RegExp(`("${option}", default=)[^,]+`), `$1${value}`), recipe);
  const byLine = (source: string) => new Map(schedulersOf(source).map((item) => [item.type, item]));

  it('reads the parser a function returns, and picks the optimizer and schedules of the default options', () => {
    const found = byLine(recipe);
    const stepLR = found.get('StepLR')!;
    // --opt SGD → .lower().startswith("sgd"); --lr-scheduler StepLR → "steplr"; no warm-up (0 epochs).
    assert.deepEqual(stepLR.case.optimizer, { type: 'SGD', defaults: { lr: 0.1, momentum: 0.9, nesterov: false } });
    assert.deepEqual(stepLR.case.scheduler, { type: 'StepLR', kwargs: { step_size: 30, gamma: 0.1 } });
    assert.equal(stepLR.case.steps, 90);
    assert.equal(stepLR.partOf, null);
    assert.deepEqual(stepLR.assumptions, []);
    assert.deepEqual(stepLR.unresolved, []);
  });

  it('predicts a schedule of a branch that does not run on its own, as if it did, and says which branch', () => {
    const found = byLine(recipe);
    const cosine = found.get('CosineAnnealingLR')!;
    assert.deepEqual(cosine.case.scheduler, { type: 'CosineAnnealingLR', kwargs: { T_max: 90 } });
    assert.equal(cosine.case.steps, 90, "stepped by lr_scheduler.step(): lr_scheduler may be main_scheduler, which may be this one");
    assert.deepEqual(cosine.assumptions, [
      'main_scheduler is built only when `elif args.lr_scheduler == "cosineannealinglr"` runs, which it does not with the file\'s values: shown as if it did',
    ]);
    const sequential = found.get('SequentialLR')!;
    // Not built with --lr-warmup-epochs 0, so StepLR is not its child; its own children are the default branches'.
    assert.equal(sequential.case.scheduler?.type, 'SequentialLR');
    assert.deepEqual((sequential.case.scheduler?.kwargs?.schedulers as { type: string }[]).map((child) => child.type), ['ConstantLR', 'StepLR']);
    assert.match(sequential.assumptions?.[0] ?? '', /^lr_scheduler is built only when `if args.lr_warmup_epochs > 0` runs/);
  });

  it('with other defaults, the warm-up SequentialLR is built and takes the chosen branches as children', () => {
    const source = withDefaults([['--opt', '"AdamW"'], ['--lr-scheduler', '"CosineAnnealingLR"'], ['--lr-warmup-epochs', '5'], ['--lr-warmup-method', '"linear"']]);
    const found = byLine(source);
    const sequential = found.get('SequentialLR')!;
    assert.deepEqual(sequential.case.optimizer, { type: 'AdamW', defaults: { lr: 0.1 } });
    assert.deepEqual(sequential.case.scheduler, {
      type: 'SequentialLR',
      kwargs: {
        milestones: [5],
        schedulers: [
          { type: 'LinearLR', kwargs: { start_factor: 0.01, total_iters: 5 } },
          { type: 'CosineAnnealingLR', kwargs: { T_max: 85 } },
        ],
      },
    });
    assert.deepEqual(sequential.assumptions ?? [], []);
    for (const child of ['LinearLR', 'CosineAnnealingLR']) assert.equal(found.get(child)!.partOf?.type, 'SequentialLR', child);
    const stepLR = found.get('StepLR')!;
    assert.equal(stepLR.partOf, null);
    assert.deepEqual(stepLR.case.scheduler, { type: 'StepLR', kwargs: { step_size: 30, gamma: 0.1 } }, 'on its own, not composed with the SequentialLR');
  });

  it('an if without else that does not run leaves the value before it; an unknown condition keeps the last assignment', () => {
    const source = (condition: string) => py`
      import torch
      STEP = 10
      if ${condition}:
          STEP = 20
      opt = torch.optim.SGD(params, lr=0.1)
      scheduler = torch.optim.lr_scheduler.StepLR(opt, STEP)
    `;
    const stepSize = (condition: string) => finding(schedulersOf(source(condition)), 'scheduler').case.scheduler?.kwargs?.step_size;
    assert.equal(stepSize('STEP > 15'), 10);
    assert.equal(stepSize('STEP < 15'), 20);
    assert.equal(stepSize('os.environ.get("FAST")'), 20);
  });
});
