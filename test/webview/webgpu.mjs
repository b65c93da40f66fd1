// Quick training inside the panel on WebGPU: the host's `runTraining` request posted to the real panel
// bundle in headless Chromium (launched with --enable-unsafe-webgpu: a SwiftShader adapter), which
// trains with the training core on navigator.gpu and posts each epoch back as the CPU worker would.
// The adapter is a software one: lrLens.training.backend "webgpu" uses it, "auto" declines it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tsImport } from 'tsx/esm/api';

const { simulateCase } = await tsImport('../../src/engine/simulate.ts', import.meta.url);
const { encodeCase } = await tsImport('../../src/shared/protocol.ts', import.meta.url);
const { panelRequest } = await tsImport('../../src/extension/training/backendChoice.ts', import.meta.url);
const { DEFAULT_SAMPLE } = await tsImport('../../src/training/samples.ts', import.meta.url);

/** Two param groups and a per-epoch StepLR: each epoch's lr is the engine's, group by group. */
const CASE = {
  optimizer: { type: 'Adam', defaults: { lr: 0.01 }, groups: [{}, { lr: 0.005 }] },
  scheduler: { type: 'StepLR', kwargs: { step_size: 2, gamma: 0.5 } },
  steps: 6,
};
const EPOCHS = 6;

/** What the host sends: the worker's request (as commands.ts builds it) made into the panel's. */
const runTrainingMessage = (runId, epochs = EPOCHS, setting = 'webgpu') => ({
  type: 'runTraining',
  runId,
  request: panelRequest({
    case: CASE,
    data: { kind: 'generated', name: 'spirals' },
    hidden: DEFAULT_SAMPLE.hidden,
    activation: DEFAULT_SAMPLE.activation,
    dtype: 'float64',
    backend: 'cpu',
    options: { ...DEFAULT_SAMPLE.options, epochs, stepPer: 'epoch' },
  }, setting),
  caseJson: encodeCase(CASE),
});

const finishedRun = async (page, runId) => {
  await page.waitForFunction((id) => window.__posted.some((m) => m.type === 'trainingFinished' && m.runId === id), runId, { timeout: 120_000 });
  return page.evaluate((id) => window.__posted.find((m) => m.type === 'trainingFinished' && m.runId === id), runId);
};

/**
 * @param {{ openPanel: Function, send: Function, posted: Function }} harness
 */
export function webgpuTrainingTests({ openPanel, send, posted }) {
  describe('quick training in the panel on WebGPU (Chromium)', () => {
    it('trains on WebGPU: streamed epochs with finite losses and the engine’s lr, then the result', async (t) => {
      const page = await openPanel(t);
      assert.ok(await page.evaluate(async () => (await navigator.gpu?.requestAdapter()) != null), 'Chromium gives the page a WebGPU adapter');
      await send(page, runTrainingMessage(7));
      const finished = await finishedRun(page, 7);
      assert.equal(finished.status, 'done', finished.reason ?? '');
      assert.equal(finished.backend, 'webgpu');
      assert.equal(finished.reason, null);
      const streamed = (await posted(page, 'trainingProgress')).filter((m) => m.runId === 7).map((m) => m.epoch);
      assert.deepEqual(streamed.map((e) => e.epoch), [...Array(EPOCHS).keys()], 'every epoch streamed as it finished');
      assert.deepEqual(finished.epochs, streamed, 'the result holds the streamed epochs');
      // 480 training rows in batches of 32.
      assert.equal(finished.steps.length, EPOCHS * 15);
      const trace = simulateCase(CASE).trace;
      streamed.forEach((epoch, k) => {
        assert.ok(typeof epoch.train_loss === 'number' && Number.isFinite(epoch.train_loss), `epoch ${k} training loss ${epoch.train_loss}`);
        assert.ok(typeof epoch.val_loss === 'number' && Number.isFinite(epoch.val_loss), `epoch ${k} validation loss ${epoch.val_loss}`);
        assert.ok(epoch.val_accuracy >= 0 && epoch.val_accuracy <= 1);
        // Epoch k ends after k + 1 scheduler steps: the engine's round k + 1.
        assert.deepEqual(epoch.lr, trace[k + 1].lr.map(Number), `lr after epoch ${k}`);
      });
      // It learns: the loss after the last epoch is below the first's.
      assert.ok(streamed.at(-1).train_loss < streamed[0].train_loss, `training loss ${streamed[0].train_loss} → ${streamed.at(-1).train_loss}`);
    });

    it('shows the backend the run uses in the training view', async (t) => {
      const page = await openPanel(t);
      const run = { runId: 4, title: 'Adam + StepLR on spirals', uri: 'file:///train.py', line: 6, live: false, stepPer: 'epoch', epochsPlanned: 6, epochs: [], status: 'running', message: null, backend: 'WebGPU in the panel' };
      await send(page, { type: 'trainingRun', run });
      assert.match(await page.locator('.training-run .status').textContent(), /^Training… 0\/6 epochs · WebGPU in the panel$/);
      const fallback = 'WebGPU was not used (the panel’s navigator.gpu gave no adapter): trained on the CPU worker';
      await send(page, { type: 'trainingRun', run: { ...run, backend: 'CPU worker', message: fallback } });
      assert.equal(await page.locator('.training-run .status').textContent(), `Training… 0/6 epochs · CPU worker · ${fallback}`);
    });

    it('stops when the host cancels, ending the run as cancelled', async (t) => {
      const page = await openPanel(t);
      await send(page, runTrainingMessage(8, 300));
      await page.waitForFunction(() => window.__posted.some((m) => m.type === 'trainingProgress' && m.runId === 8), null, { timeout: 60_000 });
      await send(page, { type: 'cancelTraining', runId: 8 });
      const finished = await finishedRun(page, 8);
      assert.equal(finished.status, 'cancelled');
      assert.equal(finished.backend, 'webgpu');
      assert.ok(finished.epochs.length >= 1 && finished.epochs.length < 300, `${finished.epochs.length} epochs before it stopped`);
    });

    it('under "auto", declines the software adapter (SwiftShader) and tells the host why', async (t) => {
      const page = await openPanel(t);
      assert.ok(await page.evaluate(async () => (await navigator.gpu.requestAdapter()).info.isFallbackAdapter), 'SwiftShader is a fallback adapter');
      await send(page, runTrainingMessage(10, EPOCHS, 'auto'));
      const finished = await finishedRun(page, 10);
      assert.equal(finished.status, 'unavailable');
      assert.equal(finished.reason, 'the panel’s only WebGPU adapter is a software one (google swiftshader), slower than the CPU worker here');
      assert.deepEqual(await posted(page, 'trainingProgress'), []);
    });

    it('without an adapter, trains nothing and tells the host why (the host then trains on the CPU worker)', async (t) => {
      const page = await openPanel(t);
      await page.evaluate(() => {
        GPU.prototype.requestAdapter = async () => null;
      });
      await send(page, runTrainingMessage(9));
      const finished = await finishedRun(page, 9);
      assert.deepEqual(finished, { type: 'trainingFinished', runId: 9, status: 'unavailable', backend: null, reason: 'the panel’s navigator.gpu gave no adapter', epochs: [], steps: [] });
      assert.deepEqual(await posted(page, 'trainingProgress'), []);
    });
  });
}
