// ReduceLROnPlateau needs a metric: a seeded synthetic loss curve, a column of a CSV file, or the last
// quick-training run's validation loss. The counters torch keeps (num_bad_epochs, cooldown_counter)
// come from stepping the engine's own ReduceLROnPlateau. Pure: no DOM.
import type { ScheduleCase } from '../src/engine/case';
import { buildOptimizer, buildScheduler } from '../src/engine/build';
import { ReduceLROnPlateau } from '../src/engine/schedulers';
import type { MetricSourceState } from '../src/shared/protocol';

export type SyntheticMetric = Extract<MetricSourceState, { kind: 'synthetic' }>;

export const DEFAULT_SYNTHETIC: SyntheticMetric = { kind: 'synthetic', seed: 1, start: 2.5, floor: 0.3, decay: 0.08, noise: 0.02, plateaus: 2 };

/** mulberry32: a small seeded generator, so the same seed draws the same curve everywhere. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A validation loss that decays exponentially toward `floor` with relative Gaussian noise, and
 * stalls in `plateaus` flat stretches spread over the run (where ReduceLROnPlateau should act).
 */
export function syntheticMetric(shape: SyntheticMetric, rounds: number): number[] {
  const random = generator(shape.seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const plateauCount = Math.max(0, Math.round(shape.plateaus));
  const plateauLength = Math.max(1, Math.round(rounds / (3 * (plateauCount + 1))));
  const stalls: [number, number][] = Array.from({ length: plateauCount }, (_, i) => {
    const from = Math.round(((i + 1) * rounds) / (plateauCount + 1) - plateauLength / 2);
    return [from, from + plateauLength];
  });
  const values: number[] = [];
  let progress = 0;
  for (let k = 0; k < rounds; k++) {
    if (!stalls.some(([from, to]) => k >= from && k < to)) progress += 1;
    const clean = shape.floor + (shape.start - shape.floor) * Math.exp(-shape.decay * progress);
    values.push(clean * (1 + shape.noise * gaussian()));
  }
  return values;
}

export interface CsvTable {
  header: string[];
  columns: number[][];
}

/** Numeric columns of a CSV with a header row (a row that does not parse as numbers is skipped). */
export function parseCsv(text: string): CsvTable | { error: string } {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length < 2) return { error: 'the CSV needs a header row and at least one row of numbers' };
  const split = (line: string) => line.split(/[,;\t]/).map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
  const header = split(lines[0]);
  const columns: number[][] = header.map(() => []);
  for (const line of lines.slice(1)) {
    const cells = split(line);
    header.forEach((_, index) => {
      const cell = cells[index];
      const value = cell === undefined || cell === '' ? NaN : Number(cell);
      columns[index].push(value);
    });
  }
  return { header, columns };
}

/** The column most likely to be a validation loss: a header with "val" and "loss", else the last numeric one. */
export function guessMetricColumn(table: CsvTable): number {
  const lower = table.header.map((name) => name.toLowerCase());
  const both = lower.findIndex((name) => name.includes('val') && name.includes('loss'));
  if (both >= 0) return both;
  const loss = lower.findIndex((name) => name.includes('loss'));
  if (loss >= 0) return loss;
  for (let i = table.columns.length - 1; i >= 0; i--) if (table.columns[i].some(Number.isFinite)) return i;
  return 0;
}

export interface PlateauRun {
  /** Per round k (after k steps): torch's counters and best metric. */
  numBadEpochs: number[];
  cooldownCounter: number[];
  best: number[];
  /** Rounds in which some group's lr was reduced. */
  reductions: number[];
}

/**
 * Steps the engine's ReduceLROnPlateau on the case's metrics, recording its counters. Null when the case's
 * only scheduler is not ReduceLROnPlateau, or when construction fails (the chart shows that error).
 */
export function plateauRun(scheduleCase: ScheduleCase): PlateauRun | null {
  const specs = scheduleCase.schedulers ?? (scheduleCase.scheduler ? [scheduleCase.scheduler] : []);
  if (specs.length !== 1 || specs[0].type !== 'ReduceLROnPlateau') return null;
  let scheduler: ReduceLROnPlateau;
  try {
    const optimizer = buildOptimizer(scheduleCase.optimizer);
    const built = buildScheduler(specs[0], optimizer);
    if (!(built instanceof ReduceLROnPlateau)) return null;
    scheduler = built;
  } catch {
    return null;
  }
  const run: PlateauRun = { numBadEpochs: [0], cooldownCounter: [0], best: [scheduler.best], reductions: [] };
  const metrics = scheduleCase.metrics ?? [];
  for (let k = 1; k <= scheduleCase.steps && k <= metrics.length; k++) {
    const before = scheduler.optimizer.paramGroups.map((group) => group.lr);
    try {
      scheduler.optimizer.step();
      scheduler.step(metrics[k - 1]);
    } catch {
      break;
    }
    if (scheduler.optimizer.paramGroups.some((group, g) => group.lr !== before[g])) run.reductions.push(k);
    run.numBadEpochs.push(scheduler.numBadEpochs);
    run.cooldownCounter.push(scheduler.cooldownCounter);
    run.best.push(scheduler.best);
  }
  return run;
}
