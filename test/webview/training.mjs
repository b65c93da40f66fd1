// The panel's training view in Chromium: a quick-training run and an LR range test made by the real
// training core in Node (CPU backend), sent the way the host sends them, checked against what the
// charts were given, the buttons that write a suggestion, and screenshots.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tsImport } from 'tsx/esm/api';

const { runTraining, runLrRangeTest } = await tsImport('../../src/training/session.ts', import.meta.url);
const { DEFAULT_SAMPLE } = await tsImport('../../src/training/samples.ts', import.meta.url);
const { DEFAULT_LR_RANGE } = await tsImport('../../src/training/lrFinder.ts', import.meta.url);
const { epochPoint, lrRangeView, learningRateText } = await tsImport('../../src/extension/training/plan.ts', import.meta.url);
const { parseCaseJson } = await tsImport('../../src/engine/caseJson.ts', import.meta.url);

/** Two param groups, so the view draws an lr curve per group. */
const CASE = {
  optimizer: { type: 'SGD', defaults: { lr: 0.1, momentum: 0.9 }, groups: [{}, { lr: 0.05 }] },
  scheduler: { type: 'StepLR', kwargs: { step_size: 10, gamma: 0.5 } },
  steps: 30,
};

const request = (epochs) => ({
  case: CASE,
  data: DEFAULT_SAMPLE.data,
  hidden: DEFAULT_SAMPLE.hidden,
  activation: DEFAULT_SAMPLE.activation,
  dtype: 'float64',
  backend: 'cpu',
  options: { ...DEFAULT_SAMPLE.options, epochs },
});

const trainingDatasets = (page, chart) =>
  page.evaluate(
    (which) =>
      window.__lrLensTraining[which].data.datasets.map((dataset) => ({
        label: dataset.label,
        yAxisID: dataset.yAxisID,
        points: dataset.data.map((point) => [point.x, Number.isNaN(point.y) ? null : point.y]),
      })),
    chart,
  );

/** Pixels of a canvas that differ from its first pixel (the background). */
const inked = (page, selector) =>
  page.evaluate((css) => {
    const canvas = document.querySelector(css);
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) count++;
    return count;
  }, selector);

/**
 * @param {{ openPanel: Function, send: Function, posted: Function, setField: Function, loadMessageFor: Function, resultsDir: string }} harness
 */
export function trainingViewTests({ openPanel, send, posted, setField, loadMessageFor, resultsDir }) {
  describe('training view in Chromium', () => {
    it('streams a quick-training run: loss, validation loss and accuracy, and lr per group on one epoch axis', async (t) => {
      const page = await openPanel(t);
      await send(page, await loadMessageFor('step'));
      assert.equal(await page.locator('section.training').isHidden(), true, 'hidden until there is a run');
      const epochs = 20;
      const outcome = await runTraining(request(epochs));
      const points = outcome.epochs.map(epochPoint);
      const run = { runId: 3, title: 'SGD + StepLR (train.py:6) on spirals', uri: 'file:///train.py', line: 6, live: false, stepPer: 'epoch', epochsPlanned: epochs, epochs: [], status: 'running', message: null };
      await send(page, { type: 'trainingRun', run });
      for (const epoch of points.slice(0, 5)) await send(page, { type: 'trainingEpoch', runId: 3, epoch });
      // An epoch of another run is not drawn into this one.
      await send(page, { type: 'trainingEpoch', runId: 2, epoch: points[5] });
      let drawn = await trainingDatasets(page, 'runChart');
      assert.equal(drawn[0].points.length, 5, 'the epochs streamed so far');
      assert.match(await page.locator('.training-run .status').textContent(), /^Training… 5\/20 epochs/);
      for (const epoch of points.slice(5)) await send(page, { type: 'trainingEpoch', runId: 3, epoch });
      await send(page, { type: 'trainingRun', run: { ...run, epochs: points, status: 'done', message: '20 epochs in 0.1 s' } });

      drawn = await trainingDatasets(page, 'runChart');
      assert.deepEqual(
        drawn.map((d) => [d.label, d.yAxisID]),
        [
          ['training loss', 'yLoss'],
          ['validation loss', 'yLoss'],
          ['validation accuracy', 'yAccuracy'],
          ['lr (group 0)', 'yLr'],
          ['lr (group 1)', 'yLr'],
        ],
      );
      const x = outcome.epochs.map((e) => e.epoch + 1);
      assert.deepEqual(drawn[0].points, outcome.epochs.map((e, k) => [x[k], e.train_loss]));
      assert.deepEqual(drawn[1].points, outcome.epochs.map((e, k) => [x[k], e.val_loss]));
      assert.deepEqual(drawn[2].points, outcome.epochs.map((e, k) => [x[k], e.val_accuracy]));
      for (const group of [0, 1]) assert.deepEqual(drawn[3 + group].points, outcome.epochs.map((e, k) => [x[k], e.lr[group]]));
      // StepLR halves both groups after epochs 10 and 20.
      assert.deepEqual([drawn[3].points[9][1], drawn[4].points[9][1]], [0.05, 0.025]);
      assert.ok((await inked(page, '.training-run canvas')) > 2000, 'the run is drawn');
      assert.match(await page.locator('.training-run .status').textContent(), /^20 epochs in 0\.1 s · training loss/);
      const reported = (await posted(page, 'trainingRendered')).at(-1);
      assert.deepEqual(reported, { type: 'trainingRendered', runId: 3, epochs: 20, rangePoints: 0 });
    });

    it('plots the LR range test with its suggestions marked; a button posts the value to write', async (t) => {
      const page = await openPanel(t);
      await send(page, await loadMessageFor('step'));
      const outcome = await runLrRangeTest({ ...request(1), options: { ...DEFAULT_LR_RANGE, batchSize: 32 } });
      const view = lrRangeView('LR range test', outcome.points, outcome.diverged, outcome.suggestions, 'lr', 'done', `${outcome.points.length} learning rates`);
      await send(page, { type: 'lrRange', result: view });
      const drawn = await trainingDatasets(page, 'rangeChart');
      assert.deepEqual(drawn.map((d) => d.label), ['loss', 'smoothed loss']);
      assert.deepEqual(drawn[1].points, outcome.points.map((p) => [p.lr, Number.isFinite(p.smoothed) ? p.smoothed : null]));
      const scale = await page.evaluate(() => window.__lrLensTraining.rangeChart.scales.x.type);
      assert.equal(scale, 'logarithmic');
      const marks = await page.evaluate(() =>
        Object.entries(window.__lrLensTraining.rangeChart.options.plugins.annotation.annotations).map(([key, a]) => [key, a.value, a.label.content]),
      );
      const expected = Object.entries(outcome.suggestions).filter(([, value]) => value !== null);
      assert.ok(expected.length >= 2, 'the sweep has suggestions');
      assert.deepEqual(
        marks.map(([key, value]) => [key, value]),
        expected,
      );
      for (const [, value, label] of marks) assert.ok(label.endsWith(learningRateText(value)), label);
      assert.ok((await inked(page, '.training-range canvas')) > 2000, 'the sweep is drawn');

      const buttons = page.locator('.training-range button[data-suggestion]');
      assert.equal(await buttons.count(), expected.length);
      const steepest = page.locator('.training-range button[data-suggestion="steepest"]');
      assert.equal(await steepest.textContent(), `Use steepest descent: lr=${learningRateText(outcome.suggestions.steepest)}`);
      await steepest.focus();
      await page.keyboard.press('Enter');
      const applied = (await posted(page, 'applyLearningRate')).at(-1);
      assert.equal(applied.value, outcome.suggestions.steepest);
      await send(page, { type: 'applyResult', requestId: applied.requestId, ok: true, message: 'Wrote lr=0.5 into SGD(…).' });
      assert.equal(await page.locator('aside .status').textContent(), 'Wrote lr=0.5 into SGD(…).');
    });

    it('asks for the new metric when a run finishes and ReduceLROnPlateau replays the last quick training', async (t) => {
      const page = await openPanel(t);
      await send(page, await loadMessageFor('plateau'));
      const outcome = await runTraining(request(12));
      const values = outcome.epochs.map((e) => e.val_loss);
      await send(page, { type: 'trainingMetric', label: 'Quick training on spirals, validation loss', values });
      assert.equal(await page.locator('#metric-source').inputValue(), 'training');
      const before = (await posted(page, 'requestTrainingMetric')).length;
      const run = { runId: 9, title: 'run', uri: 'file:///train.py', line: 6, live: false, stepPer: 'epoch', epochsPlanned: 12, epochs: outcome.epochs.map(epochPoint), status: 'done', message: 'done' };
      await send(page, { type: 'trainingRun', run });
      assert.equal((await posted(page, 'requestTrainingMetric')).length, before + 1);
    });

    it('re-trains live: a changed control of the trained scheduler posts the tuned case, when the last run was fast', async (t) => {
      const page = await openPanel(t);
      const load = await loadMessageFor('step');
      await send(page, load);
      const schedule = load.schedules[load.selected];
      const outcome = await runTraining(request(5));
      const run = {
        runId: 4,
        uri: load.document.uri,
        line: schedule.line,
        live: true,
        title: 'run',
        stepPer: 'epoch',
        epochsPlanned: 5,
        epochs: outcome.epochs.map(epochPoint),
        status: 'done',
        message: 'done',
      };
      await send(page, { type: 'trainingRun', run: { ...run, live: false } });
      assert.equal(await page.locator('#training-live').isVisible(), false, 'no live re-training after a slow run');
      await setField(page, 'sched.gamma', '0.5');
      assert.deepEqual(await posted(page, 'retrain'), []);

      await send(page, { type: 'trainingRun', run });
      assert.equal(await page.locator('#training-live').isChecked(), true);
      await setField(page, 'sched.gamma', '0.25');
      const [retrain] = await posted(page, 'retrain');
      assert.equal(retrain.runId, 4);
      const tuned = parseCaseJson(retrain.caseJson);
      assert.equal(tuned.scheduler.type, 'StepLR');
      assert.equal(tuned.scheduler.kwargs.gamma, 0.25);
      // A re-training in progress keeps live tuning on; unchecking the box stops it.
      await send(page, { type: 'trainingRun', run: { ...run, runId: 5, status: 'running', live: false, epochs: [] } });
      await setField(page, 'sched.gamma', '0.3');
      assert.equal((await posted(page, 'retrain')).at(-1).runId, 5);
      await page.locator('#training-live').uncheck();
      await setField(page, 'sched.gamma', '0.4');
      assert.equal((await posted(page, 'retrain')).length, 2);
    });

    for (const theme of ['light', 'dark']) {
      it(`renders the training view readably in the ${theme} theme (screenshot)`, async (t) => {
        const page = await openPanel(t, theme, { width: 1200, height: 1300 });
        await send(page, await loadMessageFor('step'));
        const outcome = await runTraining(request(30));
        const range = await runLrRangeTest({ ...request(1), options: { ...DEFAULT_LR_RANGE, batchSize: 32 } });
        await send(page, {
          type: 'trainingRun',
          run: { runId: 1, title: 'SGD + StepLR on spirals', uri: 'file:///train.py', line: 6, live: false, stepPer: 'epoch', epochsPlanned: 30, epochs: outcome.epochs.map(epochPoint), status: 'done', message: '30 epochs' },
        });
        await send(page, { type: 'lrRange', result: lrRangeView('LR range test: SGD on spirals', range.points, range.diverged, range.suggestions, 'lr', 'done', 'done') });
        const colors = await page.evaluate(() => {
          const title = getComputedStyle(document.querySelector('.training h2'));
          return { text: title.color, background: getComputedStyle(document.body).backgroundColor };
        });
        assert.notEqual(colors.text, colors.background);
        await page.locator('section.training').screenshot({ path: join(resultsDir, `webview-training-${theme}.png`) });
      });
    }
  });
}
