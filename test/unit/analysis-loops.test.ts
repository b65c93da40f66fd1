// Rounds and unit: the epoch loop's bound, whether step() sits in a batch loop (then the unit is batches
// and steps per epoch come from the code, else from the setting, else a default), across helper
// functions; ReduceLROnPlateau's metric; what is assumed when the code does not say.
import { strict as assert } from 'node:assert';
import { analyzePython, DEFAULT_EPOCHS, DEFAULT_STEPS_PER_EPOCH, initPythonAnalysis } from '../../src/analysis/analyzePython';
import type { AnalysisOptions, SchedulerFinding } from '../../src/analysis/types';
import { finding, py } from '../fixtures/python/helpers';

const analyze = (source: string, options: AnalysisOptions = {}) => analyzePython(source, options).schedulers;
const rounds = (found: SchedulerFinding) => ({ unit: found.unit, epochs: found.epochs, stepsPerEpoch: found.stepsPerEpoch, steps: found.case.steps });

const SETUP = 'import torch\nfrom torch.optim.lr_scheduler import StepLR, OneCycleLR, ReduceLROnPlateau, LinearLR, CosineAnnealingLR\n';

describe('analysis: training loops, rounds and unit', () => {
  before(async () => {
    await initPythonAnalysis();
  });

  it('counts epochs from range(start, stop) around an epoch-level step()', () => {
    const [found] = analyze(
      SETUP +
        py`
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 10)
        for epoch in range(5, 45):
            for batch in loader:
                opt.step()
            scheduler.step()
      `,
    );
    assert.deepEqual(rounds(found), { unit: 'epoch', epochs: 40, stepsPerEpoch: null, steps: 40 });
    assert.deepEqual(found.assumptions, []);
    assert.equal(found.trace?.length, 41);
  });

  it('follows a scheduler that may be None (`X if flag else None`) through its variable into a helper', () => {
    const findings = analyze(
      SETUP +
        py`
        def train_one_epoch(model, loader, optimizer, scheduler=None):
            for batch in loader:
                optimizer.step()
            if scheduler is not None:
                scheduler.step()

        def main(args):
            opt = torch.optim.SGD(params, lr=0.1)
            scheduler = StepLR(opt, step_size=10) if args.use_scheduler else None
            warmup = (LinearLR(opt, start_factor=0.1) if args.warmup else CosineAnnealingLR(opt, T_max=30))
            for epoch in range(30):
                train_one_epoch(model, loader, opt, scheduler)
                warmup.step()
      `,
    );
    const found = finding(findings, 'scheduler');
    assert.deepEqual(rounds(found), { unit: 'epoch', epochs: 30, stepsPerEpoch: null, steps: 30 });
    assert.deepEqual(found.unresolved, []);
    // Both branches of a conditional are the variable's scheduler: each is stepped by warmup.step().
    const branches = findings.filter((item) => item.variable === 'warmup');
    assert.deepEqual(branches.map((item) => item.type), ['LinearLR', 'CosineAnnealingLR']);
    for (const branch of branches) assert.equal(branch.case.steps, 30);
  });

  it('counts batches when step() sits in the batch loop, through a helper called in the epoch loop', () => {
    const [found] = analyze(
      SETUP +
        py`
        EPOCHS = 3
        def train_one_epoch(optimizer, scheduler, batches):
            for i, batch in enumerate(tqdm(range(batches), desc="train")):
                optimizer.step()
                scheduler.step()
        def main():
            opt = torch.optim.SGD(params, lr=0.1)
            scheduler = StepLR(opt, 7)
            for epoch in trange(EPOCHS):
                train_one_epoch(opt, scheduler, batches=25)
      `,
    );
    assert.deepEqual(rounds(found), { unit: 'step', epochs: 3, stepsPerEpoch: 25, steps: 75 });
  });

  it('takes steps per epoch from the setting when the loader’s length is not in the code, else a default', () => {
    const source =
      SETUP +
      py`
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 100)
        for epoch in range(4):
            for images, labels in train_loader:
                opt.step()
                scheduler.step()
      `;
    const [withSetting] = analyze(source, { stepsPerEpoch: 50 });
    assert.deepEqual(rounds(withSetting), { unit: 'step', epochs: 4, stepsPerEpoch: 50, steps: 200 });
    assert.deepEqual(withSetting.assumptions, ['len(train_loader) = 50 (from the steps-per-epoch setting)']);
    const [withDefault] = analyze(source);
    assert.deepEqual(rounds(withDefault), { unit: 'step', epochs: 4, stepsPerEpoch: DEFAULT_STEPS_PER_EPOCH, steps: 4 * DEFAULT_STEPS_PER_EPOCH });
    assert.deepEqual(withDefault.assumptions, [`steps per epoch = ${DEFAULT_STEPS_PER_EPOCH} (default; len(train_loader) is unknown)`]);
    // A length the user set for the loader counts as the code's.
    const [withValue] = analyze(source, { stepsPerEpoch: 50, overrides: { 'len(train_loader)': 30 } });
    assert.deepEqual(rounds(withValue), { unit: 'step', epochs: 4, stepsPerEpoch: 30, steps: 120 });
    assert.deepEqual(withValue.assumptions, []);
  });

  it('takes OneCycleLR’s own steps_per_epoch when the loader’s length is unknown', () => {
    const [found] = analyze(
      SETUP +
        py`
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = OneCycleLR(opt, max_lr=1.0, epochs=6, steps_per_epoch=30)
        for epoch in range(6):
            for batch in loader:
                opt.step()
                scheduler.step()
      `,
      { stepsPerEpoch: 999 },
    );
    assert.deepEqual(rounds(found), { unit: 'step', epochs: 6, stepsPerEpoch: 30, steps: 180 });
    assert.equal(found.error, null);
  });

  it('uses the code’s epoch count first, then the setting, then the default, and says so', () => {
    const loop = (bound: string) =>
      SETUP +
      py`
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 10)
        for epoch in range(${bound}):
            opt.step()
            scheduler.step()
      `;
    assert.equal(analyze(loop('12'), { epochs: 30 })[0].epochs, 12);
    const [fromSetting] = analyze(loop('args.epochs'), { epochs: 30 });
    assert.equal(fromSetting.epochs, 30);
    assert.deepEqual(fromSetting.assumptions, ["epochs = 30 (from the setting; the epoch loop's length is unknown: args.epochs)"]);
    assert.deepEqual(fromSetting.unresolved, [], 'an unknown loop length does not block the prediction');
    const [fallback] = analyze(loop('num_epochs'));
    assert.equal(fallback.epochs, DEFAULT_EPOCHS);
    assert.deepEqual(fallback.assumptions, [`epochs = ${DEFAULT_EPOCHS} (default; the epoch loop's length is unknown: num_epochs)`]);
  });

  it('says when step() is not called at all', () => {
    const [found] = analyze(SETUP + 'opt = torch.optim.SGD(params, lr=0.1)\nscheduler = StepLR(opt, 10)\n', { epochs: 20 });
    assert.deepEqual(rounds(found), { unit: 'epoch', epochs: 20, stepsPerEpoch: null, steps: 20 });
    assert.deepEqual(found.assumptions, ['epochs = 20 (from the setting; scheduler.step() not found)']);
  });

  it('treats an innermost `for epoch` loop as the epoch loop even inside another loop', () => {
    const [found] = analyze(
      SETUP +
        py`
        for seed in range(3):
            opt = torch.optim.SGD(params, lr=0.1)
            scheduler = StepLR(opt, 10)
            for epoch in range(30):
                opt.step()
                scheduler.step()
      `,
    );
    assert.deepEqual(rounds(found), { unit: 'epoch', epochs: 30, stepsPerEpoch: null, steps: 30 });
  });

  it('finds the epoch loop by the loop variable, not by "epoch" inside a per-epoch count', () => {
    const nested = (inner: string) =>
      SETUP +
      py`
        N = 5
        STEPS_PER_EPOCH = 20
        EPOCH_SIZE = 20
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 10)
        for epoch in range(N):
            ${inner}:
                opt.step()
                scheduler.step()
      `;
    for (const inner of ['for i in range(STEPS_PER_EPOCH)', 'for k in range(STEPS_PER_EPOCH)', 'for _ in range(EPOCH_SIZE)', 'for k in range(0, EPOCH_SIZE)']) {
      const [found] = analyze(nested(inner));
      assert.deepEqual(rounds(found), { unit: 'step', epochs: 5, stepsPerEpoch: 20, steps: 100 }, inner);
      assert.deepEqual(found.assumptions, [], inner);
    }
    // An unnamed variable over an epoch count, and a while loop on an epoch counter, are epoch loops.
    const single = (loop: string) =>
      SETUP +
      py`
        NUM_EPOCHS = 7
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 10)
        ${loop}:
            opt.step()
            scheduler.step()
      `;
    assert.deepEqual(rounds(analyze(single('for _ in range(1, NUM_EPOCHS + 1)'))[0]), { unit: 'epoch', epochs: 7, stepsPerEpoch: null, steps: 7 });
    assert.deepEqual(rounds(analyze(single('for cur_epoch in range(NUM_EPOCHS)'))[0]), { unit: 'epoch', epochs: 7, stepsPerEpoch: null, steps: 7 });
    assert.equal(analyze(single('while epoch < NUM_EPOCHS'), { epochs: 9 })[0].unit, 'epoch');
  });

  it('counts a single loop that steps the scheduler as one round per iteration, never times default epochs', () => {
    const [found] = analyze(
      SETUP +
        py`
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = OneCycleLR(opt, max_lr=0.1, total_steps=10000)
        for batch in range(10000):
            opt.step()
            scheduler.step()
      `,
      { epochs: 30 },
    );
    assert.deepEqual(rounds(found), { unit: 'step', epochs: 10000, stepsPerEpoch: null, steps: 10000 });
    assert.deepEqual(found.assumptions, []);
    assert.equal(found.error, null);
    assert.equal(found.trace?.length, 10001);

    // When the loop's length is not in the code: OneCycleLR's own total, else the steps-per-epoch setting.
    const unknown = (scheduler: string) =>
      SETUP +
      py`
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = ${scheduler}
        step = 0
        while step < max_steps:
            opt.step()
            scheduler.step()
      `;
    const [oneCycle] = analyze(unknown('OneCycleLR(opt, max_lr=0.1, epochs=4, steps_per_epoch=25)'), { epochs: 30, stepsPerEpoch: 50 });
    assert.deepEqual(rounds(oneCycle), { unit: 'step', epochs: 100, stepsPerEpoch: null, steps: 100 });
    assert.deepEqual(oneCycle.assumptions, ["steps = 100 (from OneCycleLR's total; the loop's length is unknown: while step < max_steps)"]);
    const [linear] = analyze(unknown('LinearLR(opt)'), { epochs: 30, stepsPerEpoch: 50 });
    assert.deepEqual(rounds(linear), { unit: 'step', epochs: 50, stepsPerEpoch: null, steps: 50 });
    assert.deepEqual(linear.assumptions, ["steps = 50 (from the steps-per-epoch setting; the loop's length is unknown: while step < max_steps)"]);
  });

  it('plans rounds when one scheduler steps per batch and another per epoch on the same optimizer', () => {
    const found = analyze(
      SETUP +
        py`
        opt = torch.optim.SGD(params, lr=0.1)
        warmup = LinearLR(opt, start_factor=0.5, total_iters=2)
        cosine = CosineAnnealingLR(opt, T_max=12)
        for epoch in range(3):
            for batch in range(4):
                opt.step()
                cosine.step()
            warmup.step()
      `,
    );
    const { case: scheduleCase } = finding(found, 'warmup');
    assert.equal(scheduleCase.steps, 12);
    assert.deepEqual(scheduleCase.plan, [[1], [1], [1], [1, 0], [1], [1], [1], [1, 0], [1], [1], [1], [1, 0]]);
    assert.deepEqual(found.map((f) => [f.unit, f.schedulerIndex]), [['step', 0], ['step', 1]]);
  });

  it('leaves out of the plan a scheduler that is built but never stepped', () => {
    const found = analyze(
      SETUP +
        py`
        opt = torch.optim.SGD(params, lr=0.1)
        unused = StepLR(opt, 2)
        used = CosineAnnealingLR(opt, T_max=3)
        for epoch in range(3):
            opt.step()
            used.step()
      `,
    );
    assert.deepEqual(finding(found, 'unused').case.plan, [[1], [1], [1]]);
    assert.deepEqual(finding(found, 'used').assumptions, ['unused.step() not found: built on the optimizer but never stepped']);
  });

  it('plans a step() under a condition of the loop variables (gradient accumulation) per round', () => {
    const [found] = analyze(
      SETUP +
        py`
        ACCUM = 4
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 10)
        for epoch in range(2):
            for i in range(8):
                if (i + 1) % ACCUM == 0:
                    opt.step()
                    scheduler.step()
      `,
    );
    assert.deepEqual(rounds(found), { unit: 'step', epochs: 2, stepsPerEpoch: 8, steps: 16 });
    const stepsIn = [3, 7, 11, 15];
    assert.deepEqual(found.case.plan, Array.from({ length: 16 }, (_, k) => (stepsIn.includes(k) ? [0] : [])));
    assert.deepEqual(found.assumptions, []);
    assert.deepEqual(found.unresolved, []);
  });

  it('plans an if/elif/else over the epoch and batch variables, with enumerate(…, start) and file constants', () => {
    const found = analyze(
      SETUP +
        py`
        WARMUP = 2
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 10)
        warmup = LinearLR(opt, start_factor=0.1, total_iters=WARMUP)
        for epoch in range(1, 4):
            for it, batch in enumerate(range(3), 1):
                if epoch <= WARMUP and it == 3:
                    warmup.step()
                elif epoch <= WARMUP:
                    pass
                else:
                    scheduler.step()
      `,
    );
    assert.deepEqual(finding(found, 'warmup').case.plan, [[], [], [1], [], [], [1], [0], [0], [0]]);
    assert.deepEqual(finding(found, 'scheduler').unresolved, []);
  });

  it('plans a step() in a conditional expression or after `and` / `or`', () => {
    const found = analyze(
      SETUP +
        py`
        opt = torch.optim.SGD(params, lr=0.1)
        ternary = StepLR(opt, 2)
        for epoch in range(4):
            ternary.step() if epoch >= 2 else None
        opt2 = torch.optim.SGD(params, lr=0.1)
        after_and = StepLR(opt2, 2)
        for epoch in range(4):
            epoch >= 1 and after_and.step()
        opt3 = torch.optim.SGD(params, lr=0.1)
        after_or = StepLR(opt3, 2)
        for epoch in range(4):
            epoch >= 1 or after_or.step()
      `,
    );
    assert.deepEqual(finding(found, 'ternary').case.plan, [[], [], [0], [0]]);
    assert.deepEqual(finding(found, 'after_and').case.plan, [[], [0], [0], [0]]);
    assert.deepEqual(finding(found, 'after_or').case.plan, [[0], [], [], []]);
  });

  it('reads `if scheduler is not None:` around its own step() as always true', () => {
    const [found] = analyze(
      SETUP +
        py`
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 10)
        for epoch in range(3):
            if scheduler is not None and epoch % 2 == 0:
                scheduler.step()
      `,
    );
    assert.deepEqual(found.case.plan, [[0], [], [0]]);
    assert.deepEqual(found.unresolved, []);
  });

  it('reports a condition it cannot evaluate by name instead of assuming every round', () => {
    const [byMetric, byCounter] = analyze(
      SETUP +
        py`
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 10)
        for epoch in range(5):
            if val_loss < best:
                scheduler.step()
        opt2 = torch.optim.SGD(params, lr=0.1)
        counted = StepLR(opt2, 10)
        global_step = 0
        for epoch in range(5):
            for batch in range(10):
                global_step += 1
                if global_step % 4 == 0:
                    counted.step()
      `,
    );
    assert.deepEqual(byMetric.unresolved, ['scheduler.step() runs only if val_loss < best']);
    assert.equal(byMetric.trace, null);
    assert.deepEqual(byCounter.unresolved, ['counted.step() runs only if global_step % 4 == 0']);
    assert.equal(byCounter.trace, null);
  });

  it('does not take a helper\'s parameter for the same-named loop variable of its caller', () => {
    const [found] = analyze(
      SETUP +
        py`
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 10)
        def train_step(i):
            if (i + 1) % 2 == 0:
                scheduler.step()
        for epoch in range(2):
            for i in range(4):
                train_step(2 * i)
      `,
    );
    assert.deepEqual(found.unresolved, ['scheduler.step() runs only if (i + 1) % 2 == 0']);
    assert.equal(found.trace, null);
  });

  it('reports an if around the batch loop (whole rounds skipped), also around a helper called in the epoch loop', () => {
    const found = analyze(
      SETUP +
        py`
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 10)
        def train_one_epoch():
            for batch in range(10):
                scheduler.step()
        for epoch in range(5):
            if epoch >= 1:
                train_one_epoch()
      `,
    );
    assert.deepEqual(found[0].unresolved, ['scheduler.step(): its loop runs only if epoch >= 1']);
    assert.equal(found[0].trace, null);
  });

  it('reports schedulers on one optimizer stepped in different loops (training phases)', () => {
    const found = analyze(
      SETUP +
        py`
        opt = torch.optim.SGD(params, lr=0.1)
        warmup = LinearLR(opt, start_factor=0.01, total_iters=5)
        for epoch in range(5):
            warmup.step()
        main = CosineAnnealingLR(opt, T_max=45)
        for epoch in range(45):
            main.step()
      `,
    );
    for (const scheduler of found) {
      assert.deepEqual(scheduler.unresolved, ['training phases: warmup.step() and main.step() run in different loops']);
      assert.equal(scheduler.trace, null);
    }
  });

  it('counts the iterations of a plain while counter loop', () => {
    const [found] = analyze(
      SETUP +
        py`
        TOTAL = 10000
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 1000)
        step = 100
        while step <= TOTAL:
            opt.step()
            scheduler.step()
            step += 3
      `,
    );
    assert.deepEqual(rounds(found), { unit: 'step', epochs: 3301, stepsPerEpoch: null, steps: 3301 });
    assert.deepEqual(found.assumptions, []);
  });

  it('keeps a while loop with a break, or a counter changed elsewhere, of unknown length', () => {
    const [found] = analyze(
      SETUP +
        py`
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = StepLR(opt, 1000)
        step = 0
        while step < 500:
            scheduler.step()
            if done:
                break
            step += 1
      `,
    );
    assert.equal(found.case.steps, DEFAULT_STEPS_PER_EPOCH);
    assert.match(found.assumptions?.[0] ?? '', /the loop's length is unknown/);
  });

  it('reads PyTorch Lightning: configure_optimizers, "interval": "step", Trainer(max_epochs=…)', () => {
    const found = analyze(
      py`
        import lightning as L
        import torch
        class Classifier(L.LightningModule):
            def configure_optimizers(self):
                optimizer = torch.optim.AdamW(self.parameters(), lr=3e-4)
                scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=500)
                return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}
        class Regressor(L.LightningModule):
            def configure_optimizers(self):
                optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
                return [optimizer], [torch.optim.lr_scheduler.StepLR(optimizer, 5)]
        trainer = L.Trainer(max_epochs=5, accelerator="auto")
      `,
      { stepsPerEpoch: 100 },
    );
    assert.deepEqual(found.map(rounds), [
      { unit: 'step', epochs: 5, stepsPerEpoch: 100, steps: 500 },
      { unit: 'epoch', epochs: 5, stepsPerEpoch: null, steps: 5 },
    ]);
    assert.deepEqual(found[0].assumptions, ["steps per epoch = 100 (from the setting; Lightning steps it every batch; the loader's length is unknown)"]);
    assert.deepEqual(found[1].assumptions, []);
  });

  it('steps a Lightning scheduler every n-th batch with "frequency": n', () => {
    const [found] = analyze(
      py`
        import lightning as L
        import torch
        class Classifier(L.LightningModule):
            def configure_optimizers(self):
                optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
                scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
                return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step", "frequency": 3}}
        trainer = L.Trainer(max_epochs=2)
      `,
      { stepsPerEpoch: 4 },
    );
    assert.deepEqual(rounds(found), { unit: 'step', epochs: 2, stepsPerEpoch: 4, steps: 8 });
    // Lightning's batch index restarts each epoch: steps after batches 3 (and 6, 9, … within an epoch).
    assert.deepEqual(found.case.plan, [[], [], [0], [], [], [], [0], []]);
  });

  it('feeds ReduceLROnPlateau a synthetic metric that plateaus (rising in max mode), or a literal one', () => {
    const plateau = (mode: string, metric: string) =>
      analyze(
        SETUP +
          py`
          opt = torch.optim.SGD(params, lr=0.1)
          scheduler = ReduceLROnPlateau(opt, mode="${mode}", patience=2)
          for epoch in range(14):
              opt.step()
              scheduler.step(${metric})
        `,
      )[0];
    const min = plateau('min', 'val_loss');
    assert.equal(min.metric?.source, 'synthetic');
    assert.equal(min.metric?.expression, 'val_loss');
    assert.deepEqual(min.case.metrics, [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const max = plateau('max', 'accuracy');
    assert.deepEqual(max.case.metrics?.slice(0, 3), [0.54, 0.58, 0.62]);
    assert.deepEqual(max.case.metrics?.slice(-2), [0.9, 0.9]);
    const literal = plateau('min', '0.3');
    assert.deepEqual(literal.metric, { source: 'code', expression: '0.3', description: 'the constant 0.3 passed to step()' });
    assert.deepEqual(literal.case.metrics, Array(14).fill(0.3));
  });
});

describe('analysis: len(loader) and the steps-per-epoch setting', () => {
  before(async () => {
    await initPythonAnalysis();
  });

  const cosine = py`
    import torch
    from torch.optim.lr_scheduler import CosineAnnealingLR
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = CosineAnnealingLR(optimizer, T_max=len(train_loader) * 10)
    for epoch in range(10):
        for x, y in train_loader:
            optimizer.step()
            scheduler.step()
  `;
  const oneCycle = py`
    import torch
    from torch.utils.data import DataLoader
    EPOCHS = 20
    def main():
        train_loader = DataLoader(train_ds, batch_size=64, shuffle=True)
        optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-2, steps_per_epoch=len(train_loader), epochs=EPOCHS)
        for epoch in range(EPOCHS):
            for i, (x, y) in enumerate(train_loader):
                optimizer.step()
                if (i + 1) % 4 == 0:
                    scheduler.step()
  `;

  it('a step() condition reading len(train_loader) takes the setting too (the last batch of an accumulation)', () => {
    const accumulation = py`
      import torch
      from torch.optim.lr_scheduler import LinearLR
      ACCUM = 4
      optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
      scheduler = LinearLR(optimizer, start_factor=0.5, total_iters=10)
      for epoch in range(2):
          for step, batch in enumerate(train_loader):
              if step % ACCUM == 0 or step == len(train_loader) - 1:
                  optimizer.step()
                  scheduler.step()
    `;
    const [without] = analyze(accumulation);
    assert.ok(without.unresolved.some((name) => name.includes('len(train_loader)')), JSON.stringify(without.unresolved));
    const [found] = analyze(accumulation, { stepsPerEpoch: 10 });
    assert.deepEqual(found.unresolved, []);
    assert.deepEqual(rounds(found), { unit: 'step', epochs: 2, stepsPerEpoch: 10, steps: 20 });
    // Batches 0, 4, 8 and the last (9) of each epoch step the scheduler.
    const stepped = (found.case.plan ?? []).flatMap((members, round) => (members.length ? [round] : []));
    assert.deepEqual(stepped, [0, 4, 8, 9, 10, 14, 18, 19]);
  });

  it('without the setting, leaves len(train_loader) unresolved, named as the code writes it', () => {
    for (const source of [cosine, oneCycle]) {
      const [found] = analyze(source);
      assert.deepEqual(found.unresolved, ['len(train_loader)']);
      assert.equal(found.trace, null);
    }
  });

  it('binds len(<the batch loop’s loader>) to the setting, and says so', () => {
    const [found] = analyze(cosine, { stepsPerEpoch: 50 });
    assert.deepEqual(found.unresolved, []);
    assert.deepEqual(found.case.scheduler, { type: 'CosineAnnealingLR', kwargs: { T_max: 500 } });
    assert.deepEqual(rounds(found), { unit: 'step', epochs: 10, stepsPerEpoch: 50, steps: 500 });
    assert.deepEqual(found.assumptions, ['len(train_loader) = 50 (from the steps-per-epoch setting)']);
    assert.equal(found.trace?.length, 501);
    assert.equal(found.error, null);
  });

  it('binds len() of a name a DataLoader is assigned to, in every use', () => {
    const [found] = analyze(oneCycle, { stepsPerEpoch: 8 });
    assert.deepEqual(found.unresolved, []);
    assert.equal((found.case.scheduler?.kwargs as { steps_per_epoch: unknown }).steps_per_epoch, 8);
    assert.deepEqual(rounds(found), { unit: 'step', epochs: 20, stepsPerEpoch: 8, steps: 160 });
    assert.deepEqual(found.assumptions, ['len(train_loader) = 8 (from the steps-per-epoch setting)']);
    // Every 4th batch steps: 40 of OneCycleLR's 160 steps, so torch raises nothing.
    assert.equal(found.case.plan?.filter((round) => round.length).length, 40);
    assert.equal(found.error, null);

    // An epoch-level scheduler reading the loader's length, with no batch loop in the file.
    const [epochLevel] = analyze(
      py`
        import torch
        from torch.utils.data import DataLoader
        loader = DataLoader(ds)
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=len(loader) // 2)
        for epoch in range(3):
            scheduler.step()
      `,
      { stepsPerEpoch: 10 },
    );
    assert.deepEqual(epochLevel.case.scheduler, { type: 'StepLR', kwargs: { step_size: 5 } });
    assert.deepEqual(epochLevel.assumptions, ['len(loader) = 10 (from the steps-per-epoch setting)']);
  });

  it('lets a value the user set for len(loader) win over the setting, and leaves other cases’ assumptions alone', () => {
    const [found] = analyze(cosine, { stepsPerEpoch: 50, overrides: { 'len(train_loader)': 30 } });
    assert.deepEqual(found.case.scheduler, { type: 'CosineAnnealingLR', kwargs: { T_max: 300 } });
    assert.deepEqual(found.assumptions, []);
    const [, other] = analyze(
      cosine + 'opt2 = torch.optim.SGD(model.parameters(), lr=0.1)\nother = torch.optim.lr_scheduler.StepLR(opt2, 3)\nfor epoch in range(4):\n    other.step()\n',
      { stepsPerEpoch: 50 },
    );
    assert.equal(other.variable, 'other');
    assert.deepEqual(other.assumptions, []);
  });
});
