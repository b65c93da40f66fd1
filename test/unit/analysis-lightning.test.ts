// A LightningModule's configure_optimizers: `self.hparams.x` after save_hyperparameters() is the __init__
// argument, and `self.trainer.estimated_stepping_batches` is what Lightning computes for the file's Trainer
// with the steps-per-epoch setting as its batches per epoch. The estimates were recorded from Lightning
// itself (test/fixtures/python/record-lightning-estimates.py → lightning-estimates.json).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeConfig } from '../../src/analysis/analyzeConfig';
import { analyzePython, initPythonAnalysis } from '../../src/analysis/analyzePython';
import { finding, py } from '../fixtures/python/helpers';

interface Estimate {
  batches: number;
  trainer: { [argument: string]: number };
  estimated_stepping_batches: number;
}

const recorded = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'python', 'lightning-estimates.json'), 'utf8')) as { lightning: string; results: Estimate[] };

const module = (trainerArguments: string, init = 'lr=1e-3') => py`
  import lightning as L
  import torch

  class LitModel(L.LightningModule):
      def __init__(self, ${init}):
          super().__init__()
          self.save_hyperparameters()

      def configure_optimizers(self):
          optimizer = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr)
          scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=self.hparams["lr"], total_steps=self.trainer.estimated_stepping_batches)
          return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}

  trainer = L.Trainer(${trainerArguments})
  trainer.fit(LitModel(), train_loader)
`;

describe('analysis: LightningModule hyperparameters and the Trainer', () => {
  before(async () => {
    await initPythonAnalysis();
  });

  it('reads self.hparams.x and self.hparams["x"] as the __init__ argument (its default, or the instantiation)', () => {
    const found = finding(analyzePython(module('max_epochs=20'), { stepsPerEpoch: 100 }).schedulers, 'scheduler');
    assert.deepEqual(found.case.optimizer, { type: 'AdamW', defaults: { lr: 1e-3 } });
    assert.equal(found.case.scheduler?.kwargs?.max_lr, 1e-3);
    const passed = module('max_epochs=20').replace('LitModel()', 'LitModel(lr=3e-4)');
    assert.equal(finding(analyzePython(passed, { stepsPerEpoch: 100 }).schedulers, 'scheduler').case.optimizer.defaults?.lr, 3e-4);
    const notSaved = module('max_epochs=20').replace('self.save_hyperparameters()', 'pass');
    assert.ok(finding(analyzePython(notSaved, { stepsPerEpoch: 100 }).schedulers, 'scheduler').unresolved.includes('self.hparams.lr'));
  });

  for (const estimate of recorded.results) {
    const trainerArguments = Object.entries(estimate.trainer).map(([name, value]) => `${name}=${value}`).join(', ');
    it(`estimated_stepping_batches with Trainer(${trainerArguments}) and ${estimate.batches} batches per epoch: Lightning ${recorded.lightning}'s ${estimate.estimated_stepping_batches}`, () => {
      const found = finding(analyzePython(module(trainerArguments), { stepsPerEpoch: estimate.batches }).schedulers, 'scheduler');
      assert.equal(found.case.scheduler?.kwargs?.total_steps, estimate.estimated_stepping_batches);
      // Lightning steps an "interval": "step" scheduler once per optimizer step: as many rounds as its estimate, so no overrun.
      assert.equal(found.case.steps, estimate.estimated_stepping_batches);
      assert.equal(found.unit, 'step');
      assert.deepEqual(found.unresolved, []);
      assert.equal(found.error, null);
      assert.ok(found.assumptions?.some((text) => text.startsWith(`self.trainer.estimated_stepping_batches = ${estimate.estimated_stepping_batches} (Lightning`)), JSON.stringify(found.assumptions));
    });
  }

  const frequencyModule = (trainerArguments: string) => py`
    import lightning as L
    import torch

    class LitModel(L.LightningModule):
        def configure_optimizers(self):
            optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
            scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.8)
            return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step", "frequency": 3}}

    trainer = L.Trainer(${trainerArguments})
  `;

  it('"frequency" with accumulation and a max_steps that ends training mid-epoch: the rounds of the LightningCLI config Lightning ran', () => {
    const config = 'lightning-max-steps-frequency.yaml';
    const [yaml] = analyzeConfig(config, readFileSync(join(__dirname, '..', 'fixtures', 'configs', config), 'utf8'), { stepsPerEpoch: 7 }).schedulers;
    const found = finding(analyzePython(frequencyModule('max_epochs=5, max_steps=11, accumulate_grad_batches=2'), { stepsPerEpoch: 7 }).schedulers, 'scheduler');
    assert.deepEqual(found.unresolved, []);
    assert.equal(found.case.steps, yaml.case.steps);
    assert.deepEqual(found.case.plan, yaml.case.plan, 'config-lightning-reference.test.ts checks the config plan against the real Trainer');
    assert.deepEqual(found.trace, yaml.trace);
  });

  it('"frequency" with gradient accumulation counts batches as Lightning does: the same rounds as the LightningCLI config Lightning ran', () => {
    const source = py`
      import lightning as L
      import torch

      class LitModel(L.LightningModule):
          def configure_optimizers(self):
              optimizer = torch.optim.Adam(self.parameters(), lr=0.002)
              scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
              return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step", "frequency": 3}}

      trainer = L.Trainer(max_epochs=3, accumulate_grad_batches=2)
    `;
    const config = 'lightning-step-frequency.yaml';
    const [yaml] = analyzeConfig(config, readFileSync(join(__dirname, '..', 'fixtures', 'configs', config), 'utf8'), { stepsPerEpoch: 7 }).schedulers;
    const found = finding(analyzePython(source, { stepsPerEpoch: 7 }).schedulers, 'scheduler');
    assert.deepEqual(found.unresolved, []);
    assert.equal(found.case.steps, yaml.case.steps);
    assert.deepEqual(found.case.plan, yaml.case.plan, 'config-lightning-reference.test.ts checks the config plan against the real Trainer');
    assert.deepEqual(found.trace, yaml.trace);
  });

  it('without the steps-per-epoch setting, estimated_stepping_batches is unresolved, by name', () => {
    const found = finding(analyzePython(module('max_epochs=20')).schedulers, 'scheduler');
    assert.deepEqual(found.unresolved, ['self.trainer.estimated_stepping_batches']);
  });
});
