#!/usr/bin/env node
// Benchmark: from a control's input event to the redrawn chart, for a 10,000-step OneCycleLR schedule
// (lr, momentum and the ghost: 30,000 points), in headless Chromium with the real bundle.
// Prints the figures; the target is ≤ 16 ms (one frame at 60 Hz).
//   node test/webview/bench.mjs [--rounds 60]
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';
import { repoRoot, startHarness } from './server.mjs';

const roundsIndex = process.argv.indexOf('--rounds');
const rounds = roundsIndex >= 0 ? Number(process.argv[roundsIndex + 1]) : 60;
const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build-webview.mjs'), '--production'], { stdio: 'ignore' });
if (build.status !== 0) throw new Error('building the webview failed');

const { loadMessageFor } = await tsImport('./fixtures.ts', import.meta.url);
const load = await loadMessageFor('onecycle');
const harness = await startHarness();
const browser = await chromium.launch({ executablePath: process.env.LR_LENS_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(harness.url);
  await page.waitForFunction(() => window.__posted.some((message) => message.type === 'ready'));
  await page.evaluate((message) => window.__hostSend(message), load);
  const figures = await page.evaluate(async (count) => {
    const slider = document.querySelector('[data-path="sched.pct_start"] input[type=range]');
    const chart = window.__lrLensChart;
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
    const handler = [];
    const toFrame = [];
    const simulate = [];
    const draw = [];
    for (let i = 0; i < count; i++) {
      await nextFrame();
      slider.value = String(0.1 + (0.8 * (i % 40)) / 40);
      const start = performance.now();
      // The input handler re-simulates and redraws synchronously (chart.update('none') draws the canvas).
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      handler.push(performance.now() - start);
      simulate.push(window.__lrLensPanel.timings.simulateMs);
      draw.push(window.__lrLensPanel.timings.drawMs);
      toFrame.push((await nextFrame()) - start);
    }
    const drawnPoints = chart.data.datasets.reduce((sum, dataset) => sum + dataset.data.length, 0);
    const series = window.__lrLensPanel.shown();
    const points = series.lr.length * series.rounds + (series.momentum ? series.momentum.length * series.rounds : 0);
    return { handler, toFrame, simulate, draw, points, drawnPoints };
  }, rounds);
  const stats = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${sorted.at(-1).toFixed(2)} ms`;
  };
  const version = browser.version();
  console.log(`Schedule panel benchmark (Chromium ${version}, ${rounds} pct_start changes on OneCycleLR, total_steps=10000)`);
  console.log(`  values per redraw: ${figures.points} (lr and momentum), points handed to chart.js after decimation: ${figures.drawnPoints}`);
  console.log(`  input → chart redrawn (simulate + update + draw): ${stats(figures.handler)}   target ≤ 16 ms`);
  console.log(`    of which the engine (10,000 steps):              ${stats(figures.simulate)}`);
  console.log(`    of which series, chart.update and drawing:       ${stats(figures.draw)}`);
  console.log(`  input → next animation frame:                     ${stats(figures.toFrame)}`);
  console.log(`  (machine load average: ${loadavg().map((x) => x.toFixed(1)).join(', ')} on ${cpus().length} cores; figures vary with it)`);
  const median = [...figures.handler].sort((a, b) => a - b)[Math.floor(figures.handler.length / 2)];
  process.exitCode = median <= 16 ? 0 : 1;
} finally {
  await browser.close();
  await harness.close();
}
