import * as assert from 'assert';
import type { SchedulerFinding } from '../../../src/analysis/types';
import { lrTable, scheduleMarkdown, tableRounds } from '../../../src/extension/present/hoverText';
import { formatLr, traceNumber } from '../../../src/extension/present/numbers';
import { lrSeries } from '../../../src/extension/present/series';
import { curveSvg, svgDataUri } from '../../../src/extension/present/svgCurve';
import { referenceFinding } from './referenceFinding';

describe('present: curve picture and table', () => {
  const stepLr = referenceFinding('StepLR', 'step-basic');

  it('draws one path per group in a standalone SVG', () => {
    const svg = curveSvg(lrSeries(referenceFinding('StepLR', 'step-two-groups-momentum'))!);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*>.*<\/svg>$/);
    assert.strictEqual(svg.match(/<path d="M[^"]+" fill="none" stroke="#[0-9a-f]{6}" stroke-width="1.6"/g)?.length, 2);
    assert.doesNotMatch(svg, /NaN|undefined/);
  });

  it('labels the lr range with the extremes torch produced', () => {
    const series = lrSeries(stepLr)!;
    const svg = curveSvg(series);
    assert.ok(svg.includes(`>${formatLr(Math.max(...series.groups[0]))}<`));
    assert.ok(svg.includes(`>${formatLr(Math.min(...series.groups[0]))}<`));
    assert.ok(svg.includes('(log lr)'), 'decades of decay use a log axis (0.1 → 0.0001, as torch rounds it)');
  });

  it('fills a ramping curve with evenly spaced rows', () => {
    const rounds = tableRounds(lrSeries(referenceFinding('OneCycleLR', 'onecycle-cos-100'))!);
    assert.strictEqual(rounds.length, 8);
    assert.strictEqual(rounds[0], 0);
    assert.strictEqual(rounds[rounds.length - 1], 99);
  });

  it('stays small for long per-batch schedules', () => {
    const series = lrSeries(referenceFinding('OneCycleLR', 'onecycle-1000'))!;
    assert.ok(curveSvg(series).length < 30_000);
  });

  it('round-trips through a base64 data URI', () => {
    const svg = curveSvg(lrSeries(stepLr)!);
    const uri = svgDataUri(svg);
    assert.ok(uri.startsWith('data:image/svg+xml;base64,'));
    assert.strictEqual(Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64').toString('utf8'), svg);
  });

  it('tabulates the rounds where the lr changes, with torch values', () => {
    const series = lrSeries(stepLr)!;
    // Both sides of each decay, and the ends: no filler rows for a step function.
    assert.deepStrictEqual(tableRounds(series), [0, 29, 30, 59, 60, 89, 90, 99]);
    const table = lrTable(series, [0, 30]);
    const lr30 = traceNumber(stepLr.trace!.find((row) => row.step === 30)!.last_lr[0]![0]);
    assert.strictEqual(table, `| epoch | lr |\n|---:|---:|\n| 0 | 0.1 |\n| 30 | ${formatLr(lr30, 6)} |`);
  });
});

describe('present: the schedule document', () => {
  it('lists every round of a short schedule with full precision', () => {
    const finding = { ...referenceFinding('StepLR', 'step-basic'), line: 3, variable: 'scheduler', unresolved: [] } as unknown as SchedulerFinding;
    const text = scheduleMarkdown(finding, 'train.py', '2.13');
    const series = lrSeries(finding)!;
    for (let k = 0; k < series.rounds; k++) assert.ok(text.includes(`| ${k} | ${formatLr(series.groups[0][k], 17)} |`), `round ${k}`);
  });

  it('samples long per-batch schedules but keeps both sides of every change', () => {
    // A structural check (row selection), so the values are synthetic: one drop at round 3001 of 9000.
    const trace = Array.from({ length: 9001 }, (_, step) => ({ step, lr: [step < 3001 ? 0.5 : 0.25], last_lr: [[step < 3001 ? 0.5 : 0.25]] }));
    const base = referenceFinding('StepLR', 'step-basic');
    const finding = { ...base, case: { ...base.case, steps: 9000 }, trace, error: null, unit: 'step', epochs: 90, stepsPerEpoch: 100, line: 3, variable: 'scheduler', unresolved: [] } as unknown as SchedulerFinding;
    const rows = scheduleMarkdown(finding, 'train.py', '2.13').split('\n').filter((line) => /^\| \d+ \|/.test(line)).map((line) => Number(line.split('|')[1]));
    assert.ok(rows.length > 1000 && rows.length <= 2004, `${rows.length} rows`);
    for (const round of [0, 3000, 3001, 8999]) assert.ok(rows.includes(round), `round ${round}`);
  });
});
