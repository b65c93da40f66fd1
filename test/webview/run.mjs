#!/usr/bin/env node
// The schedule panel in real headless Chromium: builds media/panel.js, serves it with the host's own
// HTML and CSP (server.mjs), feeds it `load` messages made by the real analysis from Python source,
// and checks what the chart instance draws against the engine run on the same case in Node.
//   node test/webview/run.mjs            (screenshots go to test-results/)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';
import { repoRoot, startHarness } from './server.mjs';
import { trainingViewTests } from './training.mjs';
import { webgpuTrainingTests } from './webgpu.mjs';

const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build-webview.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const { loadMessageFor, loadMessageForConfig } = await tsImport('./fixtures.ts', import.meta.url);
const { simulateCase } = await tsImport('../../src/engine/simulate.ts', import.meta.url);
const { parseCaseJson } = await tsImport('../../src/engine/caseJson.ts', import.meta.url);
const { floatRepr } = await tsImport('../../src/engine/python/values.ts', import.meta.url);
const { syntheticMetric, DEFAULT_SYNTHETIC } = await tsImport('../../webview/plateau.ts', import.meta.url);
const { parsePythonLiteral } = await tsImport('../../webview/model.ts', import.meta.url);
const { HF_SCHEDULER_TYPES } = await tsImport('../../src/engine/frameworks/index.ts', import.meta.url);

const resultsDir = join(repoRoot, 'test-results');
mkdirSync(resultsDir, { recursive: true });

let browser;
let harness;

before(async () => {
  harness = await startHarness();
  browser = await chromium.launch({
    executablePath: process.env.LR_LENS_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // --enable-unsafe-webgpu gives pages a WebGPU adapter (SwiftShader, even with --disable-gpu): the panel trains on it.
    args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-webgpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

/** A fresh panel page; fails the test on page errors, console errors and CSP violations. */
async function openPanel(t, theme = 'light', size = { width: 1200, height: 760 }) {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && problems.push(`console error: ${message.text()}`));
  await page.goto(`${harness.url}?theme=${theme}`);
  await page.waitForFunction(() => window.__posted.some((message) => message.type === 'ready'));
  t.after(async () => {
    const violations = await page.evaluate(() => window.__cspViolations).catch(() => []);
    await context.close();
    assert.deepEqual([...problems, ...violations.map((v) => `CSP violation: ${v}`)], []);
  });
  return page;
}

const send = (page, message) => page.evaluate((m) => window.__hostSend(m), message);
const posted = (page, type) => page.evaluate((t) => window.__posted.filter((message) => message.type === t), type);

/** The chart's datasets: label, axis and the points handed to chart.js (every round unless decimated). */
const datasets = (page) =>
  page.evaluate(() =>
    window.__lrLensChart.data.datasets.map((dataset) => ({
      label: dataset.label,
      yAxisID: dataset.yAxisID,
      full: dataset.data.map((point) => [point.x, point.y]),
    })),
  );

/** The panel's series at full length (the chart may hold a decimated subset). */
const shownSeries = (page) =>
  page.evaluate(() => {
    const series = window.__lrLensPanel.shown();
    return { lr: series.lr.map((values) => Array.from(values)), momentum: series.momentum?.map((values) => Array.from(values)) ?? null };
  });

/** The engine's get_last_lr() per group for rounds 0..steps-1 of a case (as the panel draws them). */
function engineLr(scheduleCase) {
  const result = simulateCase(scheduleCase);
  assert.equal(result.error, null, JSON.stringify(result.error));
  const rows = result.trace.slice(0, scheduleCase.steps);
  return rows[0].lr.map((_, g) => rows.map((row) => (row.last_lr[0] ?? row.lr)[g]));
}

/**
 * The engine in Chromium and in Node agree to the last bit except where V8 versions differ in Math.cos
 * (1 ulp; the engine's own tolerance against torch is rtol 1e-12, src/engine/numerics.ts): compare so.
 */
function assertSameLr(actual, expected, what = 'lr') {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values drawn, the engine has ${expected.length}`);
  for (let k = 0; k < expected.length; k++) {
    const [a, e] = [actual[k], expected[k]];
    if (a === e) continue;
    assert.ok(Math.abs(a - e) <= 1e-12 * Math.abs(e), `${what}[${k}]: drawn ${a}, engine ${e}`);
  }
}

/** A result recorded from mmengine's own schedulers (test/reference/frameworks/mmengine-traces.json). */
function recordedMmengine(id) {
  const { results } = JSON.parse(readFileSync(join(repoRoot, 'test', 'reference', 'frameworks', 'mmengine-traces.json'), 'utf8'));
  return results.find((result) => result.id === id);
}

function caseOf(load) {
  return parseCaseJson(load.schedules[load.selected].caseJson);
}

const withValue = (text) => {
  const parsed = parsePythonLiteral(text);
  assert.ok('value' in parsed, text);
  return parsed.value;
};

async function setField(page, path, text) {
  const id = `#control-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  await page.locator(id).fill(text);
  await page.locator(id).dispatchEvent('change');
}

/** Pixels of the canvas that differ from its background: a drawn chart has many. */
const inkedPixels = (page) =>
  page.evaluate(() => {
    const canvas = document.querySelector('canvas');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) inked++;
    return inked;
  });

describe('schedule panel in Chromium', () => {
  it('draws the engine trajectory of the analysed StepLR, and the canvas is not blank', async (t) => {
    const page = await openPanel(t);
    const load = await loadMessageFor('step');
    await send(page, load);
    const expected = engineLr(caseOf(load));
    const drawn = await datasets(page);
    assert.equal(drawn[0].label, 'lr');
    assertSameLr(drawn[0].full.map(([, y]) => y), expected[0]);
    assert.deepEqual(drawn[0].full.map(([x]) => x), expected[0].map((_, k) => k));
    assert.ok((await inkedPixels(page)) > 2000, 'the canvas has the curve drawn');
    // Phase markers where StepLR multiplies by gamma.
    const markers = await page.evaluate(() => Object.values(window.__lrLensChart.options.plugins.annotation.annotations).map((a) => a.value));
    assert.deepEqual(markers, [30, 60]);
    const rendered = await posted(page, 'rendered');
    assertSameLr(rendered.at(-1).last, [expected[0].at(-1)], 'rendered');
    // The readout follows the pointer: get_last_lr() at the epoch under it.
    const x = await page.evaluate(() => {
      const chart = window.__lrLensChart;
      const box = chart.canvas.getBoundingClientRect();
      return { left: box.left + chart.scales.x.getPixelForValue(45), top: box.top + (chart.chartArea.top + chart.chartArea.bottom) / 2 };
    });
    await page.mouse.move(x.left, x.top);
    // chart.js handles pointer moves once per animation frame.
    await page.waitForFunction(() => document.querySelector('.readout').textContent.startsWith('epoch'));
    const readout = await page.locator('.readout').textContent();
    assert.match(readout, /^epoch 45 · get_last_lr\(\) = \[/);
    assertSameLr([Number(/\[([^\]]+)\]/.exec(readout)[1])], [expected[0][45]], 'readout at epoch 45');
  });

  it('re-simulates when a control changes, keeps the old curve as a ghost, and posts Apply with only the changed argument', async (t) => {
    const page = await openPanel(t);
    const load = await loadMessageFor('step');
    await send(page, load);
    await setField(page, 'sched.gamma', '0.5');
    const tuned = caseOf(load);
    tuned.scheduler.kwargs.gamma = withValue('0.5');
    const drawn = await datasets(page);
    assertSameLr(drawn[0].full.map(([, y]) => y), engineLr(tuned)[0]);
    const ghost = drawn.find((dataset) => dataset.label.startsWith('(before)'));
    assert.ok(ghost, 'the previous curve stays as a ghost');
    assertSameLr(ghost.full.map(([, y]) => y), engineLr(caseOf(load))[0], "ghost");
    // The slider moves by keyboard too: step_size one step right.
    await page.locator('[data-path="sched.step_size"] input[type=range]').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#control-sched-step_size').inputValue(), '31');
    tuned.scheduler.kwargs.step_size = 31;
    assertSameLr((await datasets(page))[0].full.map(([, y]) => y), engineLr(tuned)[0]);

    await page.getByRole('button', { name: 'Apply' }).click();
    const [apply] = await posted(page, 'apply');
    assert.equal(apply.uri, load.document.uri);
    assert.equal(apply.version, 1);
    assert.equal(apply.calls.length, 1);
    assert.equal(apply.calls[0].call.text, 'StepLR(optimizer, step_size=30, gamma=0.1)');
    assert.deepEqual(apply.calls[0].changes, [
      { name: 'step_size', text: '31' },
      { name: 'gamma', text: '0.5' },
    ]);
    await page.getByRole('button', { name: 'Copy as Python' }).click();
    const [copy] = await posted(page, 'copyPython');
    assert.equal(copy.text, 'scheduler = StepLR(optimizer, step_size=31, gamma=0.5)');
  });

  it('Hugging Face TrainingArguments: the warmup slider re-simulates the schedule, Apply posts num_warmup_steps', async (t) => {
    const page = await openPanel(t);
    const fileName = 'hf-training-args.json';
    const load = await loadMessageForConfig(fileName, readFileSync(join(repoRoot, 'test', 'fixtures', 'configs', fileName), 'utf8'));
    await send(page, load);
    assertSameLr((await datasets(page))[0].full.map(([, y]) => y), engineLr(caseOf(load))[0], 'loaded');
    // lr_scheduler_type is a dropdown of transformers' SchedulerType names.
    assert.deepEqual(await page.locator('#control-sched-name option').allTextContents(), Object.keys(HF_SCHEDULER_TYPES));
    assert.equal(await page.locator('#control-sched-name').inputValue(), 'cosine_with_min_lr');
    assert.equal(await page.locator('#control-sched-num_warmup_steps').inputValue(), '8');
    // The warmup slider, moved by keyboard: 8 → 10 steps.
    const slider = page.locator('[data-path="sched.num_warmup_steps"] input[type=range]');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#control-sched-num_warmup_steps').inputValue(), '10');
    const tuned = caseOf(load);
    tuned.scheduler.kwargs.num_warmup_steps = 10;
    const drawn = (await datasets(page))[0].full.map(([, y]) => y);
    assertSameLr(drawn, engineLr(tuned)[0], 'tuned');
    assert.notDeepEqual(drawn, engineLr(caseOf(load))[0]);
    // A key of lr_scheduler_kwargs is a control of its own.
    await setField(page, 'sched.scheduler_specific_kwargs.num_cycles', '1.5');
    tuned.scheduler.kwargs.scheduler_specific_kwargs.num_cycles = 1.5;
    assertSameLr((await datasets(page))[0].full.map(([, y]) => y), engineLr(tuned)[0], 'num_cycles');

    await page.getByRole('button', { name: 'Apply' }).click();
    const [apply] = await posted(page, 'apply');
    assert.equal(apply.uri, load.document.uri);
    assert.equal(apply.calls.length, 1);
    assert.deepEqual(apply.calls[0].call, load.schedules[0].rootCall);
    assert.deepEqual(apply.calls[0].changes, [
      { name: 'num_warmup_steps', text: '10' },
      { name: 'scheduler_specific_kwargs.num_cycles', text: '1.5' },
    ]);
  });

  it("switching lr_scheduler_type shows the new type's lr_scheduler_kwargs controls, keeping the values it also takes", async (t) => {
    const page = await openPanel(t);
    const fileName = 'hf-training-args.json';
    const load = await loadMessageForConfig(fileName, readFileSync(join(repoRoot, 'test', 'fixtures', 'configs', fileName), 'utf8'));
    await send(page, load);
    const specificKeys = () => page.locator('[data-path^="sched.scheduler_specific_kwargs."]').evaluateAll((rows) => rows.map((row) => row.dataset.path.split('.').pop()));
    assert.deepEqual(await specificKeys(), ['num_cycles', 'min_lr', 'min_lr_rate']);
    // polynomial takes lr_end and power; the config's min_lr would be rejected by get_polynomial_decay_schedule_with_warmup.
    await page.locator('#control-sched-name').focus();
    await page.locator('#control-sched-name').selectOption('polynomial');
    assert.deepEqual(await specificKeys(), ['lr_end', 'power']);
    assert.equal(await page.locator('.chart-error').textContent(), '');
    assert.ok(await page.locator('#control-sched-name').evaluate((select) => select === document.activeElement), 'the dropdown keeps the focus');
    const polynomial = caseOf(load);
    polynomial.scheduler.kwargs.name = 'polynomial';
    polynomial.scheduler.kwargs.scheduler_specific_kwargs = {};
    assertSameLr((await datasets(page))[0].full.map(([, y]) => y), engineLr(polynomial)[0], 'polynomial');
    await setField(page, 'sched.scheduler_specific_kwargs.power', '2.5');
    polynomial.scheduler.kwargs.scheduler_specific_kwargs.power = 2.5;
    assertSameLr((await datasets(page))[0].full.map(([, y]) => y), engineLr(polynomial)[0], 'power');
    await page.getByRole('button', { name: 'Apply' }).click();
    const [apply] = await posted(page, 'apply');
    assert.deepEqual(apply.calls[0].changes, [
      { name: 'name', text: "'polynomial'" },
      { name: 'scheduler_specific_kwargs', text: "{'power': 2.5}" },
    ]);
    // cosine_warmup_with_min_lr takes min_lr too: the config's value is back in its field.
    await page.locator('#control-sched-name').selectOption('cosine_warmup_with_min_lr');
    assert.deepEqual(await specificKeys(), ['num_cycles', 'min_lr', 'min_lr_rate', 'warmup_lr_rate']);
    assert.equal(await page.locator('#control-sched-scheduler_specific_kwargs-min_lr').inputValue(), '1e-06');
    const lrRate = caseOf(load);
    lrRate.scheduler.kwargs.name = 'cosine_warmup_with_min_lr';
    assertSameLr((await datasets(page))[0].full.map(([, y]) => y), engineLr(lrRate)[0], 'cosine_warmup_with_min_lr');
  });

  it("mmengine param_scheduler: controls per dict re-simulate, mmengine's error beside the control, Apply posts each dict's changes", async (t) => {
    const page = await openPanel(t);
    const fileName = 'mmengine_schedule_1x.py';
    const text = readFileSync(join(repoRoot, 'test', 'fixtures', 'configs', fileName), 'utf8');
    const load = await loadMessageForConfig(fileName, text);
    await send(page, load);
    const drawnLr = async () => (await datasets(page))[0].full.map(([, y]) => y);
    assertSameLr(await drawnLr(), engineLr(caseOf(load))[0], 'loaded');
    const legends = () => page.locator('fieldset.section > legend').allTextContents();
    assert.deepEqual(await legends(), ['SGD (optimizer)', 'LinearLR (iterations 0–500)', 'MultiStepLR (epochs 0–12)', 'EpochBasedTrainLoop (training loop)']);
    assert.equal(await page.locator('#control-sched-param_scheduler-0-by_epoch').isChecked(), false);
    assert.equal(await page.locator('#control-sched-param_scheduler-1-milestones').inputValue(), '[8, 11]');
    // The warm-up's end, dragged by keyboard: 500 → 501 iterations; the heading follows.
    await page.locator('[data-path="sched.param_scheduler.0.end"] input[type=range]').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#control-sched-param_scheduler-0-end').inputValue(), '501');
    const tuned = caseOf(load);
    const [warmup, steps] = tuned.scheduler.kwargs.param_scheduler;
    warmup.end = 501;
    assertSameLr(await drawnLr(), engineLr(tuned)[0], 'end 501');
    assert.equal((await legends())[1], 'LinearLR (iterations 0–501)');
    await setField(page, 'sched.param_scheduler.1.milestones', '[6, 10]');
    steps.milestones = [6, 10];
    assertSameLr(await drawnLr(), engineLr(tuned)[0], 'milestones');
    // by_epoch is a toggle: the milestones count iterations then.
    await page.locator('#control-sched-param_scheduler-1-by_epoch').click();
    const perIteration = caseOf(load);
    Object.assign(perIteration.scheduler.kwargs.param_scheduler[0], { end: 501 });
    Object.assign(perIteration.scheduler.kwargs.param_scheduler[1], { milestones: [6, 10], by_epoch: false });
    assertSameLr(await drawnLr(), engineLr(perIteration)[0], 'by_epoch=False');
    await page.locator('#control-sched-param_scheduler-1-by_epoch').click();
    assertSameLr(await drawnLr(), engineLr(tuned)[0], 'by_epoch=True again');
    // A window mmengine rejects (begin=5, end=5, as recorded from mmengine itself): its ValueError beside
    // the field, the last valid curve kept.
    await setField(page, 'sched.param_scheduler.0.end', '5');
    const before = await drawnLr();
    await setField(page, 'sched.param_scheduler.0.begin', '5');
    const { error } = recordedMmengine('error-end-not-after-begin');
    assert.equal(await page.locator('[data-path="sched.param_scheduler.0.begin"] .control-error').textContent(), `${error.type}: ${error.message}`);
    assert.equal(await page.locator('#control-sched-param_scheduler-0-begin').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await drawnLr(), before);
    await setField(page, 'sched.param_scheduler.0.begin', '0');
    await setField(page, 'sched.param_scheduler.0.end', '501');
    assert.equal(await page.locator('[data-path="sched.param_scheduler.0.begin"] .control-error').textContent(), '');
    // Iterations per epoch: the epoch-based loop runs 12 × 50 iterations.
    await setField(page, 'sched.epoch_length', '50');
    tuned.scheduler.kwargs.epoch_length = 50;
    tuned.steps = 600;
    assertSameLr(await drawnLr(), engineLr(tuned)[0], 'epoch_length 50');

    await page.getByRole('button', { name: 'Apply' }).click();
    const [apply] = await posted(page, 'apply');
    assert.deepEqual(
      apply.calls.map(({ call, changes }) => [call.variable, changes]),
      [
        ['param_scheduler[0]', [{ name: 'end', text: '501' }]],
        ['param_scheduler[1]', [{ name: 'milestones', text: '[6, 10]' }]],
      ],
    );
    assert.deepEqual(apply.calls.map(({ call }) => call), load.schedules[0].children);
    assert.match(await page.locator('.status').textContent(), /iterations per epoch \(len\(train_dataloader\)/);
    await page.getByRole('button', { name: 'Copy as Python' }).click();
    const [copy] = await posted(page, 'copyPython');
    const list = text.slice(text.indexOf('param_scheduler = ['), text.indexOf('\n]\n') + 2);
    assert.equal(copy.text, list.replace('begin=0, end=500', 'begin=0, end=501').replace('milestones=[8, 11]', 'milestones=[6, 10]'));
  });

  it("shows torch's error beside the control and keeps the last valid curve", async (t) => {
    const page = await openPanel(t);
    const load = await loadMessageFor('onecycle');
    await send(page, load);
    const before = (await datasets(page))[0].full;
    await setField(page, 'sched.pct_start', '1.5');
    const broken = caseOf(load);
    broken.scheduler.kwargs.pct_start = withValue('1.5');
    const error = simulateCase(broken).error;
    assert.ok(error && error.phase === 'construct');
    const shown = await page.locator('[data-path="sched.pct_start"] .control-error').textContent();
    assert.equal(shown, `${error.type}: ${error.message}`);
    assert.equal(await page.locator('#control-sched-pct_start').getAttribute('aria-invalid'), 'true');
    assert.deepEqual((await datasets(page))[0].full, before);
    assert.ok((await inkedPixels(page)) > 2000);
    // Text that is not a number at all is refused before the engine sees it.
    await setField(page, 'sched.pct_start', 'abc');
    assert.match(await page.locator('[data-path="sched.pct_start"] .control-error').textContent(), /could not read/);
    await setField(page, 'sched.pct_start', '0.25');
    assert.equal(await page.locator('[data-path="sched.pct_start"] .control-error').textContent(), '');
  });

  it('OneCycleLR over 10,000 steps: decimated drawing of the exact data, momentum on a second axis, epochs on x', async (t) => {
    const page = await openPanel(t);
    const load = await loadMessageFor('onecycle');
    await send(page, load);
    const scheduleCase = caseOf(load);
    const result = simulateCase(scheduleCase);
    const expected = engineLr(scheduleCase)[0];
    const shown = await shownSeries(page);
    assertSameLr(shown.lr[0], expected);
    assertSameLr(shown.momentum[0], result.trace.slice(0, scheduleCase.steps).map((row) => row.momentum[0]), 'momentum');
    // The chart gets a min-max decimated subset: exact values of the series, the peak and both ends kept.
    const drawn = await datasets(page);
    const lr = drawn[0].full;
    assert.ok(lr.length < expected.length / 2, `decimated to ${lr.length} points`);
    for (const [x, y] of lr) assertSameLr([y], [expected[x]], `drawn point at step ${x}`);
    const peak = expected.indexOf(Math.max(...expected));
    assert.ok(lr.some(([x]) => x === peak), 'the peak is drawn');
    assert.deepEqual([lr[0][0], lr.at(-1)[0]], [0, expected.length - 1]);
    const momentum = drawn.find((dataset) => dataset.yAxisID === 'yMomentum');
    assert.ok(momentum, 'momentum is drawn on its own axis');
    // Zooming in (keyboard +) decimates again over the visible steps: denser, still exact values.
    await page.locator('canvas').focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('+');
    const zoomed = await page.evaluate(() => ({ min: window.__lrLensChart.scales.x.min, max: window.__lrLensChart.scales.x.max }));
    assert.ok(zoomed.max - zoomed.min < expected.length / 3, `zoomed to ${zoomed.min}..${zoomed.max}`);
    const inWindow = (await datasets(page))[0].full.filter(([x]) => x >= zoomed.min && x <= zoomed.max);
    const before = lr.filter(([x]) => x >= zoomed.min && x <= zoomed.max);
    assert.ok(inWindow.length > 2 * before.length, `${inWindow.length} points in the zoomed window, ${before.length} before`);
    for (const [x, y] of inWindow) assertSameLr([y], [expected[x]], `zoomed point at step ${x}`);
    await page.keyboard.press('0');
    assert.deepEqual(await page.evaluate(() => [window.__lrLensChart.scales.x.min, window.__lrLensChart.scales.x.max]), [0, expected.length - 1]);
    await page.locator('#x-unit').selectOption('epoch');
    const scale = await page.evaluate(() => ({ max: window.__lrLensChart.scales.x.max, title: window.__lrLensChart.options.scales.x.title.text }));
    assert.equal(scale.max, (scheduleCase.steps - 1) / load.schedules[load.selected].stepsPerEpoch);
    assert.match(scale.title, /epoch/);
    await page.locator('#log-scale').check();
    assert.equal(await page.evaluate(() => window.__lrLensChart.scales.y.type), 'logarithmic');
    // The readout at the last step, from the keyboard.
    await page.locator('canvas').focus();
    await page.keyboard.press('End');
    const last = engineLr(scheduleCase)[0].at(-1);
    const readout = /get_last_lr\(\) = \[([^\]]+)\]/.exec(await page.locator('.readout').textContent());
    assert.ok(readout, 'the readout shows get_last_lr()');
    assertSameLr([Number(readout[1])], [last], 'readout');
  });

  it('SequentialLR: controls for nested children and per-group lr, markers at milestones', async (t) => {
    const page = await openPanel(t);
    const load = await loadMessageFor('sequential');
    await send(page, load);
    assert.equal(await page.locator('#schedule-picker option').count(), 3);
    await setField(page, 'sched.child.0.start_factor', '0.5');
    await setField(page, 'opt.group.1.lr', '0.02');
    await setField(page, 'sched.milestones', '[10]');
    await setField(page, 'sched.child.0.total_iters', '10');
    const tuned = caseOf(load);
    tuned.scheduler.kwargs.schedulers[0].kwargs.start_factor = 0.5;
    tuned.scheduler.kwargs.schedulers[0].kwargs.total_iters = 10;
    tuned.scheduler.kwargs.milestones = [10];
    tuned.optimizer.groups[1].lr = 0.02;
    const expected = engineLr(tuned);
    const drawn = await datasets(page);
    assertSameLr(drawn[0].full.map(([, y]) => y), expected[0], 'group 0');
    assertSameLr(drawn[1].full.map(([, y]) => y), expected[1], 'group 1');
    const markers = await page.evaluate(() => Object.values(window.__lrLensChart.options.plugins.annotation.annotations).map((a) => [a.value, a.label.content]));
    assert.ok(markers.some(([at, label]) => at === 10 && /CosineAnnealingLR/.test(label)), JSON.stringify(markers));
    await page.getByRole('button', { name: 'Apply' }).click();
    const [apply] = await posted(page, 'apply');
    const byCall = Object.fromEntries(apply.calls.map((item) => [item.call.type, item.changes]));
    assert.deepEqual(byCall.SGD, [{ name: 'lr', group: 1, text: '0.02' }]);
    assert.deepEqual(byCall.SequentialLR, [{ name: 'milestones', text: '[10]' }]);
    assert.deepEqual(byCall.LinearLR, [
      { name: 'start_factor', text: '0.5' },
      { name: 'total_iters', text: '10' },
    ]);
    await page.getByRole('button', { name: 'Copy as Python' }).click();
    const [copy] = await posted(page, 'copyPython');
    assert.equal(
      copy.text,
      [
        "optimizer = torch.optim.SGD([\n    {'params': model.weight},\n    {'params': model.bias, 'lr': 0.02},\n], lr=0.1)",
        'warmup = LinearLR(optimizer, start_factor=0.5, total_iters=10)',
        'scheduler = SequentialLR(optimizer, [warmup, cosine], milestones=[10])',
      ].join('\n'),
    );
  });

  it('ReduceLROnPlateau: synthetic metric, marked reductions, counters; patience re-simulates; CSV metric', async (t) => {
    const page = await openPanel(t);
    const load = await loadMessageFor('plateau');
    await send(page, load);
    const scheduleCase = caseOf(load);
    scheduleCase.metrics = syntheticMetric(DEFAULT_SYNTHETIC, scheduleCase.steps);
    assertSameLr((await datasets(page))[0].full.map(([, y]) => y), engineLr(scheduleCase)[0]);
    const reductions = () =>
      page.evaluate(() =>
        Object.values(window.__lrLensChart.options.plugins.annotation.annotations)
          .filter((a) => a.label.content === 'reduce')
          .map((a) => a.value),
      );
    const expectedReductions = (c) => {
      const lr = engineLr(c)[0];
      return lr.flatMap((value, k) => (k > 0 && value !== lr[k - 1] ? [k] : []));
    };
    assert.deepEqual(await reductions(), expectedReductions(scheduleCase));
    assert.ok((await reductions()).length > 0);
    const counters = await datasets(page);
    assert.ok(counters.some((dataset) => dataset.label === 'num_bad_epochs'));
    assert.ok(counters.some((dataset) => dataset.label === 'cooldown_counter'));
    assert.match(await page.locator('.counters').textContent(), /num_bad_epochs \d+, cooldown_counter \d+/);

    await setField(page, 'sched.patience', '3');
    await setField(page, 'sched.cooldown', '2');
    scheduleCase.scheduler.kwargs.patience = 3;
    scheduleCase.scheduler.kwargs.cooldown = 2;
    assertSameLr((await datasets(page))[0].full.map(([, y]) => y), engineLr(scheduleCase)[0]);
    assert.deepEqual(await reductions(), expectedReductions(scheduleCase));
    const cooldown = (await datasets(page)).find((dataset) => dataset.label === 'cooldown_counter');
    assert.ok(cooldown.full.some(([, y]) => y > 0), 'the cooldown counter runs after a reduction');

    const csv = 'epoch,train_loss,val_loss\n' + Array.from({ length: 60 }, (_, k) => `${k},${1 / (k + 1)},${k < 20 ? 1 - k / 40 : 0.5}`).join('\n');
    await send(page, { type: 'csvLoaded', name: 'log.csv', text: csv });
    assert.equal(await page.locator('#metric-column').inputValue(), '2');
    const fromCsv = caseOf(load);
    fromCsv.scheduler.kwargs.patience = 3;
    fromCsv.scheduler.kwargs.cooldown = 2;
    fromCsv.steps = 60;
    fromCsv.metrics = Array.from({ length: 60 }, (_, k) => (k < 20 ? 1 - k / 40 : 0.5));
    assertSameLr((await datasets(page))[0].full.map(([, y]) => y), engineLr(fromCsv)[0]);

    await page.getByRole('button', { name: 'Apply' }).click();
    const [apply] = await posted(page, 'apply');
    assert.deepEqual(apply.calls[0].changes, [
      { name: 'patience', text: '3' },
      { name: 'cooldown', text: '2' },
    ]);
  });

  it('survives a reload: the tuned values come back with the next load', async (t) => {
    const page = await openPanel(t);
    const load = await loadMessageFor('step');
    await send(page, load);
    await setField(page, 'sched.gamma', '0.25');
    await page.reload();
    await page.waitForFunction(() => window.__posted.some((message) => message.type === 'ready'));
    const [ready] = await posted(page, 'ready');
    assert.equal(ready.state.uri, load.document.uri);
    assert.deepEqual(ready.state.edits, { 'sched.gamma': '0.25' });
    await send(page, load);
    assert.equal(await page.locator('#control-sched-gamma').inputValue(), '0.25');
    const tuned = caseOf(load);
    tuned.scheduler.kwargs.gamma = 0.25;
    assertSameLr((await datasets(page))[0].full.map(([, y]) => y), engineLr(tuned)[0]);
  });

  it('exports the trajectory as CSV and the chart as PNG', async (t) => {
    const page = await openPanel(t);
    const load = await loadMessageFor('batches');
    await send(page, load);
    await page.getByRole('button', { name: 'CSV' }).click();
    const [csv] = await posted(page, 'exportCsv');
    const lines = csv.text.trim().split('\n');
    assert.equal(lines[0], 'step,epoch,lr');
    const expected = engineLr(caseOf(load))[0];
    assert.equal(lines.length, expected.length + 1);
    const rows = lines.slice(1).map((line) => line.split(','));
    assert.deepEqual(rows.map(([step, epoch]) => [Number(step), Number(epoch)]), expected.map((_, k) => [k, Math.floor(k / 50)]));
    assertSameLr(rows.map(([, , lr]) => Number(lr)), expected);
    await page.getByRole('button', { name: 'PNG' }).click();
    const [png] = await posted(page, 'exportPng');
    assert.ok(png.dataUrl.startsWith('data:image/png;base64,') && png.dataUrl.length > 5000);
  });

  for (const theme of ['light', 'dark', 'hc']) {
    it(`renders readably in the ${theme} theme (screenshot)`, async (t) => {
      const page = await openPanel(t, theme);
      await send(page, await loadMessageFor(theme === 'dark' ? 'plateau' : theme === 'hc' ? 'onecycle' : 'sequential'));
      await setField(page, theme === 'dark' ? 'sched.patience' : 'opt.lr', theme === 'dark' ? '4' : '0.05');
      await page.locator('canvas').focus();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(background, { light: 'rgb(255, 255, 255)', dark: 'rgb(30, 30, 30)', hc: 'rgb(0, 0, 0)' }[theme]);
      assert.ok((await inkedPixels(page)) > 2000);
      await page.screenshot({ path: join(resultsDir, `webview-${theme}.png`), fullPage: true });
    });
  }
});

trainingViewTests({ openPanel, send, posted, setField, loadMessageFor, resultsDir });
webgpuTrainingTests({ openPanel, send, posted });
