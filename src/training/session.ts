// One training run from a self-contained request: the case (built by the engine), the data, the
// network and the loop options. Pure (no fs, no vscode): the worker (worker.ts) runs it on the CPU
// backend; a webview can run it with navigator.gpu for the WebGPU backend.

import type { ScheduleCase } from '../engine/case';
import { buildOptimizer, buildScheduler } from '../engine/build';
import { PythonError } from '../engine/errors';
import type { Optimizer } from '../engine/optimizers';
import { LRScheduler, ReduceLROnPlateau } from '../engine/schedulers';
import { Float } from '../engine/python/values';
import type { BackendName } from './backend';
import type { Activation } from './cpuKernels';
import { generateDataset, parseCsv, type Dataset, type GeneratorName, type GeneratorOptions } from './data';
import type { DType } from './dtype';
import { defaultInit, layersFromInit, layersToInit, type InitFile } from './model';
import { lrRangeTest, type LrRangeOptions, type LrRangeResult } from './lrFinder';
import { isOptimizerType, OPTIMIZER_TYPES, type OptimizerType } from './optimizers';
import { selectBackend } from './selectBackend';
import { train, type EpochRecord, type NetworkSetup, type ScheduleDriver, type StepRecord, type StepWhen, type TrainOptions, type TrainResult } from './trainer';

export type DataSource = { kind: 'csv'; text: string } | { kind: 'generated'; name: GeneratorName; options?: GeneratorOptions };

export interface TrainingRequest {
  case: ScheduleCase;
  data: DataSource;
  hidden: number[];
  activation: Activation;
  dtype: DType;
  backend: BackendName | 'auto';
  init?: InitFile;
  options: TrainOptions;
  /** Return the trained weights too (INIT.json layout). */
  returnWeights?: boolean;
}

export interface TrainingOutcome extends TrainResult {
  /** Why the requested backend was not used; null when it was. */
  fallbackReason: string | null;
  /** Trained weights, when requested. */
  weights?: InitFile;
}

export interface TrainingHooks {
  onEpoch?: (epoch: EpochRecord, steps: StepRecord[]) => void;
  isCancelled?: () => boolean;
  /** navigator.gpu where the caller has one. */
  gpu?: GPU | null;
}

/**
 * The engine's optimizer and schedulers as the trainer's driver. Stepping per batch, every scheduler
 * but ReduceLROnPlateau steps after each batch; ReduceLROnPlateau always steps once per epoch with
 * the epoch's metric. Schedulers step in the case's order.
 */
export function engineDriver(optimizer: Optimizer, schedulers: LRScheduler[], stepPer: StepWhen): ScheduleDriver {
  return {
    paramGroups: optimizer.paramGroups,
    defaults: optimizer.defaults,
    optimizerStepped: () => optimizer.step(),
    stepSchedulers(when, metric) {
      for (const scheduler of schedulers) {
        const plateau = scheduler instanceof ReduceLROnPlateau;
        if (when === 'epoch' && plateau) scheduler.step(metric);
        else if (when === stepPer && !plateau) scheduler.step();
      }
    },
  };
}

/** Builds the case's optimizer and schedulers with the engine; torch's errors become Errors that say so. */
export function buildCase(scheduleCase: ScheduleCase): { optimizerType: OptimizerType; optimizer: Optimizer; schedulers: LRScheduler[] } {
  const type = scheduleCase?.optimizer?.type;
  if (typeof type !== 'string') throw new Error('the case needs optimizer.type');
  if (!isOptimizerType(type)) throw new Error(`training supports the optimizers ${OPTIMIZER_TYPES.join(', ')}; the case has '${type}'`);
  return withPythonErrors(() => {
    const optimizer = buildOptimizer(scheduleCase.optimizer);
    const specs = scheduleCase.schedulers ?? (scheduleCase.scheduler ? [scheduleCase.scheduler] : []);
    return { optimizerType: type, optimizer, schedulers: specs.map((spec) => buildScheduler(spec, optimizer)) };
  });
}

function withPythonErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof PythonError) throw new Error(`${error.pyType}: ${error.message}`);
    throw error;
  }
}

export function loadDataset(source: DataSource): Dataset {
  return source.kind === 'csv' ? parseCsv(source.text) : generateDataset(source.name, source.options);
}

/** The dataset, the layer sizes and the initial weights that a training run and a range test start from. */
function prepareNetwork(request: { data: DataSource; hidden: number[]; dtype: DType; init?: InitFile }, seed: number) {
  const data = loadDataset(request.data);
  const sizes = [data.featureCount, ...request.hidden, data.classCount];
  const layers = request.init ? layersFromInit(request.init, sizes, request.dtype) : defaultInit(sizes, request.dtype, seed);
  return { data, sizes, layers };
}

export async function runTraining(request: TrainingRequest, hooks: TrainingHooks = {}): Promise<TrainingOutcome> {
  const { data, sizes, layers } = prepareNetwork(request, request.options.seed);
  const { optimizerType, optimizer, schedulers } = buildCase(request.case);
  return withBackend(request, { data, sizes, layers, optimizerType }, Math.max(request.options.batchSize, data.rows), hooks.gpu, async (network, fallbackReason) => {
    const driver = engineDriver(optimizer, schedulers, request.options.stepPer);
    const result = await train({ ...network, driver, options: request.options, onEpoch: hooks.onEpoch, isCancelled: hooks.isCancelled });
    return { ...result, fallbackReason, ...(request.returnWeights ? { weights: layersToInit(layers, sizes) } : {}) };
  });
}

export interface LrRangeRequest {
  /** The optimizer to sweep (its schedulers are not used). */
  case: ScheduleCase;
  data: DataSource;
  hidden: number[];
  activation: Activation;
  dtype: DType;
  backend: BackendName | 'auto';
  init?: InitFile;
  options: LrRangeOptions;
}

export interface LrRangeOutcome extends LrRangeResult {
  backend: BackendName;
  fallbackReason: string | null;
}

export async function runLrRangeTest(request: LrRangeRequest, hooks: Omit<TrainingHooks, 'onEpoch'> = {}): Promise<LrRangeOutcome> {
  const { data, sizes, layers } = prepareNetwork(request, request.options.seed);
  const { optimizerType, optimizer } = buildCase({ ...request.case, scheduler: undefined, schedulers: undefined });
  return withBackend(request, { data, sizes, layers, optimizerType }, request.options.batchSize, hooks.gpu, async (network, fallbackReason) => {
    const result = await lrRangeTest({ ...network, groups: optimizer, options: request.options, isCancelled: hooks.isCancelled });
    return { ...result, backend: network.backend.name, fallbackReason };
  });
}

/**
 * Runs `run` on the backend the request asks for (or the fallback chosen instead), disposing it after; the
 * engine's Python errors reach the caller as plain Errors named by their Python type.
 */
async function withBackend<T>(
  request: { backend: BackendName | 'auto'; activation: Activation; dtype: DType },
  network: Omit<NetworkSetup, 'backend' | 'dtype'>,
  maxRows: number,
  gpu: TrainingHooks['gpu'],
  run: (network: NetworkSetup, fallbackReason: string | null) => Promise<T>,
): Promise<T> {
  const choice = await selectBackend({ backend: request.backend, shape: { sizes: network.sizes, activation: request.activation }, dtype: request.dtype, maxRows, gpu });
  try {
    return await run({ ...network, backend: choice.backend, dtype: request.dtype }, choice.fallbackReason);
  } catch (error) {
    if (error instanceof PythonError) throw new Error(`${error.pyType}: ${error.message}`);
    throw error;
  } finally {
    choice.backend.dispose();
  }
}

/**
 * A case made safe for postMessage: structured clone drops classes, so the engine's Float boxes
 * (`2.0` as opposed to `2`) travel tagged and are revived on the other side.
 */
export function encodeCase(value: unknown): unknown {
  if (value instanceof Float) return { $float: value.value };
  if (Array.isArray(value)) return value.map(encodeCase);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeCase(v)]));
  return value;
}

export function decodeCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeCase);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === '$float' && typeof entries[0][1] === 'number') return new Float(entries[0][1]);
    return Object.fromEntries(entries.map(([k, v]) => [k, decodeCase(v)]));
  }
  return value;
}
