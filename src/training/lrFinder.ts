// The LR range test ("Find Learning Rate"): train from a fresh init while the lr of every group grows
// exponentially from startLr to endLr, one batch per value; smooth the loss, stop once it diverges,
// and suggest values the way Lightning's and fastai's finders do.

import { allocate } from './dtype';
import { zeroLayers } from './model';
import { TrainingOptimizer, type ParamGroupSource } from './optimizers';
import { Rng, RngStream } from './rng';
import { groupParameters, type NetworkSetup } from './trainer';

export interface LrRangeOptions {
  startLr: number;
  endLr: number;
  /** Batches (lr values) at most. */
  steps: number;
  batchSize: number;
  seed: number;
  /** Weight of the running average (fastai and Lightning: 0.98). */
  smoothing: number;
  /** Stop when the smoothed loss exceeds this many times its best (Lightning's early_stop_threshold: 4). */
  divergeFactor: number;
}

export const DEFAULT_LR_RANGE: LrRangeOptions = { startLr: 1e-7, endLr: 10, steps: 100, batchSize: 32, seed: 0, smoothing: 0.98, divergeFactor: 4 };

export interface LrRangePoint {
  lr: number;
  loss: number;
  smoothed: number;
}

export interface LrSuggestions {
  /** Steepest descent of the smoothed loss (Lightning's suggestion(): skip 10 at the start, 1 at the end). */
  steepest: number | null;
  /** Part-way down the longest descending stretch (fastai's "valley"). */
  valley: number | null;
  /** A tenth of the lr at the lowest smoothed loss (fastai's "minimum"). */
  minimumTenth: number | null;
}

export interface LrRangeResult {
  points: LrRangePoint[];
  /** True when the sweep stopped early because the loss diverged. */
  diverged: boolean;
  suggestions: LrSuggestions;
}

export interface LrRangeSetup extends NetworkSetup {
  /** The optimizer's groups (their lr is overwritten by the sweep). */
  groups: ParamGroupSource;
  options: LrRangeOptions;
  isCancelled?: () => boolean;
}

export async function lrRangeTest(setup: LrRangeSetup): Promise<LrRangeResult> {
  const { backend, data, sizes, dtype, layers, groups, options } = setup;
  if (!(options.startLr > 0 && options.endLr > options.startLr)) throw new Error('the LR range needs 0 < start < end');
  if (!Number.isInteger(options.steps) || options.steps < 2) throw new Error('the LR range test needs at least 2 steps');
  const grads = zeroLayers(sizes, dtype);
  const optimizer = new TrainingOptimizer(setup.optimizerType, groups, groupParameters(layers, grads, groups.paramGroups.length), dtype);
  const rng = new Rng(options.seed, RngStream.Shuffle);
  const features = data.featureCount;
  const x = allocate(dtype, data.rows * features);
  x.set(data.features);
  const batchSize = Math.min(options.batchSize, data.rows);
  const batchX = allocate(dtype, batchSize * features);
  const batchLabels = new Int32Array(batchSize);
  const order = Int32Array.from({ length: data.rows }, (_, i) => i);
  let cursor = data.rows;

  const points: LrRangePoint[] = [];
  let average = 0;
  let best = Infinity;
  let diverged = false;
  for (let i = 0; i < options.steps; i++) {
    if (setup.isCancelled?.()) break;
    if (cursor + batchSize > data.rows) {
      rng.shuffle(order);
      cursor = 0;
    }
    for (let r = 0; r < batchSize; r++) {
      const source = order[cursor + r];
      batchX.set(x.subarray(source * features, (source + 1) * features), r * features);
      batchLabels[r] = data.labels[source];
    }
    cursor += batchSize;
    const lr = options.startLr * (options.endLr / options.startLr) ** (i / (options.steps - 1));
    for (const group of groups.paramGroups) group.lr = lr;
    const loss = await backend.lossAndGradients(layers, grads, batchX, batchLabels, batchSize);
    optimizer.step();
    average = options.smoothing * average + (1 - options.smoothing) * loss;
    const smoothed = average / (1 - options.smoothing ** (i + 1));
    points.push({ lr, loss, smoothed });
    if (!Number.isFinite(smoothed) || smoothed > options.divergeFactor * best) {
      diverged = true;
      break;
    }
    best = Math.min(best, smoothed);
  }
  return { points, diverged, suggestions: suggestLearningRates(points) };
}

export function suggestLearningRates(points: LrRangePoint[]): LrSuggestions {
  const finite = points.filter((p) => Number.isFinite(p.smoothed));
  // fastai judges valley and minimum on the sweep without its first tenth and last five points, where
  // the smoothed loss is still settling or already blowing up.
  const settled = finite.slice(Math.floor(finite.length / 10), finite.length > 15 ? -5 : undefined);
  return { steepest: steepest(finite), valley: valley(settled), minimumTenth: minimumTenth(settled) };
}

/** argmin of the central-difference gradient of the smoothed loss, skipping 10 points at the start and 1 at the end. */
function steepest(points: LrRangePoint[]): number | null {
  const window = points.slice(10, -1);
  if (window.length < 2) return null;
  const y = window.map((p) => p.smoothed);
  let bestIndex = 0;
  let bestSlope = Infinity;
  for (let i = 0; i < y.length; i++) {
    // numpy.gradient: one-sided at the ends, central inside
    const slope = i === 0 ? y[1] - y[0] : i === y.length - 1 ? y[i] - y[i - 1] : (y[i + 1] - y[i - 1]) / 2;
    if (slope < bestSlope) {
      bestSlope = slope;
      bestIndex = i;
    }
  }
  return window[bestIndex].lr;
}

/**
 * The longest run of points whose smoothed losses keep decreasing (a longest decreasing
 * subsequence); the suggestion sits half a third past the first third of that stretch.
 */
function valley(points: LrRangePoint[]): number | null {
  const n = points.length;
  if (n < 2) return null;
  const runLength = new Array<number>(n).fill(1);
  let end = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (points[i].smoothed < points[j].smoothed && runLength[j] + 1 > runLength[i]) runLength[i] = runLength[j] + 1;
    }
    if (runLength[i] > runLength[end]) end = i;
  }
  const start = end - runLength[end] + 1;
  const third = (end - start) / 3;
  const index = Math.min(n - 1, start + Math.floor(third) + Math.floor(third / 2));
  return points[index].lr;
}

function minimumTenth(points: LrRangePoint[]): number | null {
  if (points.length === 0) return null;
  let best = points[0];
  for (const p of points) if (p.smoothed < best.smoothed) best = p;
  return best.lr / 10;
}
