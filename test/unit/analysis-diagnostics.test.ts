// Diagnostics: every code, its severity and message, and each quick fix applied to the source.
// Messages that quote torch are checked against errors recorded from real torch (torch-traces.json).
import { strict as assert } from 'node:assert';
import { analyzePython, initPythonAnalysis } from '../../src/analysis/analyzePython';
import type { AnalysisOptions, DiagnosticFinding } from '../../src/analysis/types';
import { applyEdits, fixture, py, torchResult } from '../fixtures/python/helpers';

const diagnose = (source: string, options: AnalysisOptions = {}) => analyzePython(source, options).diagnostics;
const only = (diagnostics: DiagnosticFinding[], code: string) => {
  const matching = diagnostics.filter((d) => d.code === code);
  assert.equal(matching.length, 1, `one ${code} in ${JSON.stringify(diagnostics.map((d) => d.code))}`);
  return matching[0];
};
/** The source after the diagnostic's one quick fix. */
const fixed = (source: string, diagnostic: DiagnosticFinding) => {
  assert.equal(diagnostic.fixes.length, 1, 'one quick fix');
  return applyEdits(source, diagnostic.fixes[0].edits);
};
const textAt = (source: string, d: DiagnosticFinding) => source.split('\n')[d.range.startLine].slice(d.range.startCol, d.range.endLine === d.range.startLine ? d.range.endCol : undefined);

describe('analysis: diagnostics and quick fixes', () => {
  before(async () => {
    await initPythonAnalysis();
  });

  describe('get-lr-call', () => {
    const source = py`
      import torch
      opt = torch.optim.SGD(params, lr=0.1)
      scheduler = torch.optim.lr_scheduler.StepLR(opt, 30)
      for epoch in range(90):
          opt.step()
          scheduler.step()
          print(f"lr {scheduler.get_lr()[0]}")
    `;

    it('flags get_lr() on a scheduler and rewrites it to get_last_lr()', () => {
      const diagnostic = only(diagnose(source), 'get-lr-call');
      assert.equal(diagnostic.severity, 'warning');
      assert.equal(diagnostic.line, 7);
      assert.equal(textAt(source, diagnostic), 'scheduler.get_lr()');
      assert.match(diagnostic.message, /get_last_lr\(\)/);
      const after = fixed(source, diagnostic);
      assert.equal(after, source.replace('scheduler.get_lr()', 'scheduler.get_last_lr()'));
      assert.deepEqual(diagnose(after), []);
    });

    it('leaves get_lr() alone inside a custom scheduler class', () => {
      const custom = py`
        from torch.optim.lr_scheduler import LRScheduler
        class Warmup(LRScheduler):
            def get_lr(self):
                return [base * 0.5 for base in self.base_lrs]
            def describe(self):
                return self.get_lr()
      `;
      assert.deepEqual(diagnose(custom), []);
    });
  });

  describe('step-order', () => {
    const source = py`
      import torch
      def train(model, loader):
          optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
          scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, 0.9)
          for epoch in range(10):
              scheduler.step()
              for x, y in loader:
                  loss = model(x).sum()
                  optimizer.step()
              print(epoch)
    `;

    it('flags scheduler.step() before optimizer.step() in the loop and moves it after', () => {
      const diagnostic = only(diagnose(source), 'step-order');
      assert.equal(diagnostic.severity, 'warning');
      assert.equal(textAt(source, diagnostic), 'scheduler.step()');
      assert.match(diagnostic.message, /Detected call of `lr_scheduler.step\(\)` before `optimizer.step\(\)`/);
      const after = fixed(source, diagnostic);
      assert.equal(
        after,
        py`
          import torch
          def train(model, loader):
              optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
              scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, 0.9)
              for epoch in range(10):
                  for x, y in loader:
                      loss = model(x).sum()
                      optimizer.step()
                  scheduler.step()
                  print(epoch)
        `,
      );
      assert.deepEqual(diagnose(after), []);
    });

    it('moves within the same block, also when the optimizer step is the file’s last line', () => {
      const flat = 'import torch\nopt = torch.optim.SGD(p, lr=0.1)\ns = torch.optim.lr_scheduler.StepLR(opt, 2)\nfor i in range(3):\n    s.step()\n    opt.step()';
      const after = fixed(flat, only(diagnose(flat), 'step-order'));
      assert.equal(after, 'import torch\nopt = torch.optim.SGD(p, lr=0.1)\ns = torch.optim.lr_scheduler.StepLR(opt, 2)\nfor i in range(3):\n    opt.step()\n    s.step()');
    });

    it('only explains when the optimizer steps through a GradScaler', () => {
      const amp = py`
        import torch
        scaler = torch.cuda.amp.GradScaler()
        optimizer = torch.optim.SGD(params, lr=0.1)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 10)
        for epoch in range(30):
            for x in loader:
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
            scheduler.step()
      `;
      const diagnostic = only(diagnose(amp), 'step-order');
      assert.equal(diagnostic.severity, 'information');
      assert.match(diagnostic.message, /GradScaler/);
      assert.match(diagnostic.message, /scaler\.step\(optimizer\)/);
      assert.deepEqual(diagnostic.fixes, []);
    });

    it('says nothing when the order is right or the optimizer steps in another function', () => {
      const right = source.replace('        scheduler.step()\n', '').replace('        print(epoch)', '        scheduler.step()');
      assert.deepEqual(diagnose(right), []);
      const elsewhere = py`
        import torch
        optimizer = torch.optim.SGD(params, lr=0.1)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 10)
        for epoch in range(30):
            scheduler.step()
            train_one_epoch(optimizer)
      `;
      assert.deepEqual(diagnose(elsewhere), []);
    });
  });

  describe('ReduceLROnPlateau', () => {
    const source = py`
      import torch
      optimizer = torch.optim.Adam(params, lr=1e-3)
      scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", patience=3)
      for epoch in range(40):
          optimizer.step()
          val_loss = evaluate(model)
          scheduler.step()
          print(scheduler.get_last_lr()[0], scheduler.get_last_lr())
    `;

    it('plateau-step-without-metric: passes the validation metric assigned before the call', () => {
      const diagnostic = only(diagnose(source), 'plateau-step-without-metric');
      assert.equal(diagnostic.severity, 'error');
      assert.match(diagnostic.message, /missing 1 required positional argument: 'metrics'/);
      const after = fixed(source, diagnostic);
      assert.equal(after, source.replace('scheduler.step()', 'scheduler.step(val_loss)'));
      assert.deepEqual(diagnose(after), []);
    });

    it('plateau-step-without-metric: no fix when no metric is in sight', () => {
      const diagnostic = only(diagnose(source.replace('val_loss = evaluate(model)', 'evaluate(model)')), 'plateau-step-without-metric');
      assert.deepEqual(diagnostic.fixes, []);
    });

    it('plateau-get-last-lr: before torch 2.2, reads the lr from the optimizer (indexed or the whole list)', () => {
      const withMetric = source.replace('scheduler.step()', 'scheduler.step(val_loss)');
      assert.deepEqual(diagnose(withMetric, { torchVersion: '2.2' }), []);
      const diagnostics = diagnose(withMetric, { torchVersion: '2.1.2' }).filter((d) => d.code === 'plateau-get-last-lr');
      assert.equal(diagnostics.length, 2);
      assert.ok(diagnostics.every((d) => d.severity === 'error' && /no attribute 'get_last_lr'/.test(d.message)));
      const after = applyEdits(withMetric, diagnostics.flatMap((d) => d.fixes[0].edits));
      assert.equal(
        after,
        withMetric.replace(
          'print(scheduler.get_last_lr()[0], scheduler.get_last_lr())',
          "print(optimizer.param_groups[0]['lr'], [group['lr'] for group in optimizer.param_groups])",
        ),
      );
      assert.deepEqual(diagnose(after, { torchVersion: '2.1' }), []);
    });
  });

  describe('removed-argument', () => {
    const source = py`
      import torch
      optimizer = torch.optim.SGD(params, lr=0.1)
      a = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30, verbose=True)
      b = torch.optim.lr_scheduler.ExponentialLR(optimizer, verbose=False, gamma=0.9)
      c = torch.optim.lr_scheduler.ReduceLROnPlateau(
          optimizer,
          verbose=True,
      )
    `;

    it('is an error from torch 2.7 on (the default 2.13), with torch’s TypeError', () => {
      const diagnostics = diagnose(source).filter((d) => d.code === 'removed-argument');
      assert.deepEqual(diagnostics.map((d) => [d.line, d.severity]), [[3, 'error'], [4, 'error'], [7, 'error']]);
      assert.match(diagnostics[0].message, /StepLR\.__init__\(\) got an unexpected keyword argument 'verbose'/);
      assert.ok(diagnostics.every((d) => textAt(source, d).startsWith('verbose=')));
    });

    it('removes the argument with its comma wherever it stands', () => {
      const edits = diagnose(source).filter((d) => d.code === 'removed-argument').flatMap((d) => d.fixes[0].edits);
      assert.equal(
        applyEdits(source, edits),
        py`
          import torch
          optimizer = torch.optim.SGD(params, lr=0.1)
          a = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30)
          b = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
          c = torch.optim.lr_scheduler.ReduceLROnPlateau(
              optimizer,
          )
        `,
      );
      const alone = 'import torch\ns = torch.optim.lr_scheduler.ChainedScheduler(verbose=True)\n';
      assert.equal(fixed(alone, only(diagnose(alone), 'removed-argument')), 'import torch\ns = torch.optim.lr_scheduler.ChainedScheduler()\n');
    });

    it('is a deprecation warning for torch 2.2–2.6 and nothing before', () => {
      assert.ok(diagnose(source, { torchVersion: '2.5' }).filter((d) => d.code === 'removed-argument').every((d) => d.severity === 'warning'));
      assert.deepEqual(diagnose(source, { torchVersion: '1.13.1' }).filter((d) => d.code === 'removed-argument'), []);
    });

    it('does not let verbose= spoil the prediction', () => {
      const [a] = analyzePython(source).schedulers;
      assert.deepEqual(a.case.schedulers?.[0], { type: 'StepLR', kwargs: { step_size: 30 } });
      assert.ok(a.trace);
    });
  });

  describe("errors torch raises (messages recorded from torch)", () => {
    it("invalid-argument: torch's message at construction, on the argument it names, or on the optimizer", () => {
      const source = fixture('invalid.py');
      const diagnostics = diagnose(source).filter((d) => d.code === 'invalid-argument');
      const expected = [8, 11, 14, 17].map((line) => torchResult(`test/fixtures/python/invalid.py:${line}`).error!);
      assert.deepEqual(diagnostics.map((d) => d.line), [8, 11, 13, 17]);
      diagnostics.forEach((d, i) => {
        assert.equal(d.severity, 'error');
        assert.ok(d.message.includes(`${expected[i].type}: ${expected[i].message}`), `${d.message} quotes torch's ${expected[i].message}`);
      });
      assert.equal(textAt(source, diagnostics[0]), '1', 'on pct_start=1');
      assert.match(textAt(source, diagnostics[2]), /^torch\.optim\.SGD\(/, 'the optimizer is the culprit');
      assert.match(diagnostics[3].message, /at step 3/);
    });

    it('onecycle-overrun: the step and epoch where torch raises, and a fix that matches the loop', () => {
      const source = fixture('onecycle_overrun.py');
      const diagnostics = diagnose(source);
      assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.line]), [['onecycle-overrun', 'error', 11], ['onecycle-overrun', 'error', 20]]);
      const totalSteps = torchResult('test/fixtures/python/onecycle_overrun.py:11').error!;
      assert.ok(diagnostics[0].message.includes(`ValueError: ${totalSteps.message}`), diagnostics[0].message);
      assert.match(diagnostics[0].message, /steps scheduler 40 times but OneCycleLR allows 30.*at scheduler step 31, in epoch 4 \(the 4th of 4\), batch 0/);
      const perEpoch = torchResult('test/fixtures/python/onecycle_overrun.py:20').error!;
      assert.ok(diagnostics[1].message.includes(perEpoch.message), diagnostics[1].message);
      assert.match(diagnostics[1].message, /at scheduler step 41, in epoch 3 \(the 4th of 4\), batch 4/);

      const after = applyEdits(source, diagnostics.flatMap((d) => d.fixes[0].edits));
      assert.ok(after.includes('OneCycleLR(optimizer, max_lr=1e-2, total_steps=40)'), after);
      assert.ok(after.includes('OneCycleLR(optimizer, max_lr=0.1, epochs=EPOCHS, steps_per_epoch=loader_batches)'), after);
      assert.deepEqual(diagnose(after), []);
    });
  });

  describe('an error in one of several schedulers on one optimizer', () => {
    it('stays with the scheduler that raises it; the others say where it comes from', () => {
      const source = py`
        import torch
        opt = torch.optim.SGD(m.parameters(), lr=0.1)
        def f(epoch):
            while True:
                pass
        s1 = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=f)
        s2 = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lambda e: 0.5)
        s3 = torch.optim.lr_scheduler.StepLR(opt, 3)
        for epoch in range(100):
            s1.step()
      `;
      const [s1, ...others] = analyzePython(source).schedulers;
      assert.equal(s1.variable, 's1');
      assert.equal(s1.error?.type, 'Unsupported');
      assert.doesNotMatch(s1.error!.message, /on the same optimizer/);
      assert.deepEqual(others.map((other) => other.variable), ['s2', 's3']);
      for (const other of others) {
        assert.deepEqual(other.error, { ...s1.error!, message: `s1 (line 6), on the same optimizer: ${s1.error!.message}` });
      }
    });

    it('finds the scheduler whose step() raises, and puts the diagnostic on it', () => {
      const source = py`
        import torch
        opt = torch.optim.SGD(m.parameters(), lr=0.1)
        first = torch.optim.lr_scheduler.ConstantLR(opt, factor=0, total_iters=3)
        second = torch.optim.lr_scheduler.StepLR(opt, 2)
        for epoch in range(6):
            opt.step()
            first.step()
            second.step()
      `;
      const result = analyzePython(source);
      const [first, second] = result.schedulers;
      assert.equal(first.error?.phase, 'step');
      assert.doesNotMatch(first.error!.message, /on the same optimizer/);
      assert.deepEqual(second.error, { ...first.error!, message: `first (line 3), on the same optimizer: ${first.error!.message}` });
      const invalid = only(result.diagnostics, 'invalid-argument');
      assert.equal(invalid.line, 3);
    });
  });
});
