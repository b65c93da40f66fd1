// `lr-lens train`: the CLI contract of issue 5. Reads the case (the engine builds its optimizer and
// schedulers, whose param groups drive the training optimizer), the CSV and the optional INIT.json,
// trains, and returns the contract's output JSON: { steps, epochs, backend }.

import { readFileSync } from 'node:fs';
import type { ScheduleCase } from '../engine/case';
import { buildOptimizer, buildScheduler } from '../engine/build';
import { parseCaseJson } from '../engine/caseJson';
import { PythonError } from '../engine/errors';
import type { Optimizer } from '../engine/optimizers';
import { LRScheduler, ReduceLROnPlateau } from '../engine/schedulers';
import type { BackendName } from './backend';
import { ACTIVATIONS, type Activation } from './cpuKernels';
import { parseCsv } from './data';
import { parseDType, type DType } from './dtype';
import { defaultInit, layersFromInit, type InitFile } from './model';
import { isOptimizerType, OPTIMIZER_TYPES } from './optimizers';
import { selectBackend } from './selectBackend';
import { train, type ScheduleDriver, type StepWhen, type TrainResult } from './trainer';

export interface TrainArgs {
  casePath: string;
  dataPath: string;
  initPath: string | null;
  epochs: number;
  batchSize: number;
  hidden: number[];
  activation: Activation;
  shuffle: boolean;
  dtype: DType;
  backend: BackendName;
  stepPer: StepWhen;
  valFraction: number;
  seed: number;
}

export const TRAIN_USAGE =
  'train --case CASE.json --data DATA.csv [--init INIT.json] [--epochs N] [--batch-size B] [--hidden 32,32] ' +
  '[--activation relu|tanh|gelu] [--no-shuffle] [--dtype float32|float64] [--backend cpu|webgpu] ' +
  '[--step-per epoch|batch] [--val-fraction F] [--seed S]';

export function parseTrainArgs(argv: string[]): TrainArgs {
  const args: TrainArgs = {
    casePath: '',
    dataPath: '',
    initPath: null,
    epochs: 10,
    batchSize: 32,
    hidden: [32, 32],
    activation: 'relu',
    shuffle: true,
    dtype: 'float32',
    backend: 'cpu',
    stepPer: 'epoch',
    valFraction: 0,
    seed: 0,
  };
  const integer = (flag: string, text: string, min: number): number => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || value < min) throw new Error(`${flag} needs an integer ≥ ${min}, got '${text}'`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--no-shuffle') {
      args.shuffle = false;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value\nusage: ${TRAIN_USAGE}`);
    i++;
    switch (flag) {
      case '--case':
        args.casePath = value;
        break;
      case '--data':
        args.dataPath = value;
        break;
      case '--init':
        args.initPath = value;
        break;
      case '--epochs':
        args.epochs = integer(flag, value, 0);
        break;
      case '--batch-size':
        args.batchSize = integer(flag, value, 1);
        break;
      case '--hidden':
        args.hidden = value.trim() === '' ? [] : value.split(',').map((part) => integer(flag, part, 1));
        break;
      case '--activation':
        if (!(ACTIVATIONS as readonly string[]).includes(value)) throw new Error(`--activation must be one of ${ACTIVATIONS.join(', ')}`);
        args.activation = value as Activation;
        break;
      case '--dtype':
        args.dtype = parseDType(value);
        break;
      case '--backend':
        if (value !== 'cpu' && value !== 'webgpu') throw new Error('--backend must be cpu or webgpu');
        args.backend = value;
        break;
      case '--step-per':
        if (value !== 'epoch' && value !== 'batch') throw new Error('--step-per must be epoch or batch');
        args.stepPer = value;
        break;
      case '--val-fraction': {
        const fraction = Number(value);
        if (!(fraction >= 0 && fraction < 1)) throw new Error(`--val-fraction must be in [0, 1), got '${value}'`);
        args.valFraction = fraction;
        break;
      }
      case '--seed':
        args.seed = integer(flag, value, 0);
        break;
      default:
        throw new Error(`unknown option '${flag}'\nusage: ${TRAIN_USAGE}`);
    }
  }
  if (!args.casePath || !args.dataPath) throw new Error(`--case and --data are required\nusage: ${TRAIN_USAGE}`);
  return args;
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
export function buildCase(scheduleCase: ScheduleCase): { optimizer: Optimizer; schedulers: LRScheduler[] } {
  if (typeof scheduleCase?.optimizer?.type !== 'string') throw new Error('the case needs optimizer.type');
  if (!isOptimizerType(scheduleCase.optimizer.type)) {
    throw new Error(`training supports the optimizers ${OPTIMIZER_TYPES.join(', ')}; the case has '${scheduleCase.optimizer.type}'`);
  }
  try {
    const optimizer = buildOptimizer(scheduleCase.optimizer);
    const specs = scheduleCase.schedulers ?? (scheduleCase.scheduler ? [scheduleCase.scheduler] : []);
    return { optimizer, schedulers: specs.map((spec) => buildScheduler(spec, optimizer)) };
  } catch (error) {
    if (error instanceof PythonError) throw new Error(`${error.pyType}: ${error.message}`);
    throw error;
  }
}

export interface TrainCommandHooks {
  /** Where the backend's fallback reason goes (the CLI: stderr). */
  warn?: (message: string) => void;
}

export async function runTrainCommand(argv: string[], hooks: TrainCommandHooks = {}): Promise<TrainResult> {
  const args = parseTrainArgs(argv);
  const scheduleCase = parseCaseJson(readFileSync(args.casePath, 'utf8')) as ScheduleCase;
  const data = parseCsv(readFileSync(args.dataPath, 'utf8'));
  const sizes = [data.featureCount, ...args.hidden, data.classCount];
  const layers = args.initPath
    ? layersFromInit(JSON.parse(readFileSync(args.initPath, 'utf8')) as InitFile, sizes, args.dtype)
    : defaultInit(sizes, args.dtype, args.seed);
  const { optimizer, schedulers } = buildCase(scheduleCase);
  const choice = await selectBackend({
    backend: args.backend,
    shape: { sizes, activation: args.activation },
    dtype: args.dtype,
    maxRows: Math.max(args.batchSize, data.rows),
  });
  if (choice.fallbackReason) hooks.warn?.(choice.fallbackReason);
  try {
    return await train({
      backend: choice.backend,
      data,
      sizes,
      dtype: args.dtype,
      layers,
      optimizerType: scheduleCase.optimizer.type as (typeof OPTIMIZER_TYPES)[number],
      driver: engineDriver(optimizer, schedulers, args.stepPer),
      options: {
        epochs: args.epochs,
        batchSize: args.batchSize,
        shuffle: args.shuffle,
        seed: args.seed,
        stepPer: args.stepPer,
        valFraction: args.valFraction,
      },
    });
  } catch (error) {
    if (error instanceof PythonError) throw new Error(`${error.pyType}: ${error.message}`);
    throw error;
  } finally {
    choice.backend.dispose();
  }
}
