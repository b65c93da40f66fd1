import * as assert from 'assert';
import { describeValues, roundsText, seriesTitle } from '../../../src/extension/present/lensText';
import { formatLr, traceNumber } from '../../../src/extension/present/numbers';
import { lrSeries } from '../../../src/extension/present/series';
import { shapeEvents } from '../../../src/extension/present/shape';
import { referenceFinding } from './referenceFinding';

describe('present: lens titles from real torch traces', () => {
  it('StepLR reads as jumps at its milestones', () => {
    const series = lrSeries(referenceFinding('StepLR', 'step-basic'))!;
    assert.strictEqual(seriesTitle(series), 'lr 0.1 → 0.01 @30 → 0.001 @60 → 0.0001 @90 · 100 epochs');
  });

  it('shows each group when the groups differ', () => {
    const title = seriesTitle(lrSeries(referenceFinding('StepLR', 'step-two-groups-momentum'))!);
    assert.match(title, /^\[0\] lr 0\.1 → 0\.05 @5 .* \| \[1\] lr 0\.01 → 0\.005 @5 /);
    assert.match(title, / · 30 epochs$/);
  });

  it('OneCycleLR reads as a ramp up to max_lr and a ramp down, at the rounds torch peaks', () => {
    const finding = referenceFinding('OneCycleLR', 'onecycle-cos-100');
    const values = finding.trace!.filter((row) => row.step < finding.case.steps).map((row) => traceNumber(row.lr[0]));
    const peak = values.indexOf(Math.max(...values));
    const events = shapeEvents(values);
    assert.deepStrictEqual(events.map((e) => (e.kind === 'ramp' ? e.direction : e.kind)), ['up', 'down']);
    assert.strictEqual(events[0].at, peak);
    assert.strictEqual(
      describeValues(values),
      `lr ${formatLr(values[0])} ↗ ${formatLr(values[peak])} @${peak} ↘ ${formatLr(values[values.length - 1])} @${values.length - 1}`,
    );
  });

  it('says which step() call raises when torch raises while stepping', () => {
    const finding = referenceFinding('OneCycleLR', 'onecycle-overrun-error');
    assert.strictEqual(finding.error?.phase, 'step');
    const title = seriesTitle(lrSeries(finding)!);
    assert.match(title, new RegExp(`✖ step ${finding.error!.step} raises ${finding.error!.type}$`));
  });

  it('summarises long oscillating curves instead of listing every change', () => {
    const finding = referenceFinding('CosineAnnealingLR', 'cos-T10-100-oscillates');
    const title = seriesTitle(lrSeries(finding)!);
    assert.match(title, /… \d+ more …/);
    assert.ok(title.length < 120, title);
  });

  it('counts steps and epochs when the scheduler steps per batch', () => {
    assert.strictEqual(roundsText({ unit: 'step', rounds: 9000, epochs: 90, stepsPerEpoch: 100 }), '9000 steps (90 epochs × 100)');
    assert.strictEqual(roundsText({ unit: 'epoch', rounds: 1, epochs: 1, stepsPerEpoch: null }), '1 epoch');
  });

  it('calls an unchanging lr constant', () => {
    assert.strictEqual(describeValues([0.1, 0.1, 0.1]), 'lr 0.1 (constant)');
  });
});

describe('present: number formatting', () => {
  it('rounds float noise away and switches to exponents for tiny rates', () => {
    assert.strictEqual(formatLr(0.010000000000000002), '0.01');
    assert.strictEqual(formatLr(0.0001), '0.0001');
    assert.strictEqual(formatLr(4e-7), '4e-7');
    assert.strictEqual(formatLr(2.5e-7), '2.5e-7');
    assert.strictEqual(formatLr(0), '0');
    assert.strictEqual(formatLr(NaN), 'nan');
    assert.strictEqual(formatLr(0.010000000000000002, 17), '0.010000000000000002');
  });
});
