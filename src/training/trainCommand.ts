// `lr-lens train`: the CLI contract of issue 5. Reads the case (the engine builds its optimizer and
// schedulers, whose param groups drive the training optimizer), the CSV and the optional INIT.json,
// trains, and returns the contract's output JSON: { steps, epochs, backend }.

import { readFileSync } from 'node:fs';
import type { ScheduleCase } from '../engine/case';
import { parseCaseJson } from '../engine/caseJson';
import type { BackendName } from './backend';
import { ACTIVATIONS, type Activation } from './cpuKernels';
import { parseDType, type DType } from './dtype';
import type { InitFile } from './model';
import { runTraining } from './session';
import type { StepWhen, TrainResult } from './trainer';

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

export interface TrainCommandHooks {
  /** Where the backend's fallback reason goes (the CLI: stderr). */
  warn?: (message: string) => void;
}

export async function runTrainCommand(argv: string[], hooks: TrainCommandHooks = {}): Promise<TrainResult> {
  const args = parseTrainArgs(argv);
  const outcome = await runTraining({
    case: parseCaseJson(readFileSync(args.casePath, 'utf8')) as ScheduleCase,
    data: { kind: 'csv', text: readFileSync(args.dataPath, 'utf8') },
    hidden: args.hidden,
    activation: args.activation,
    dtype: args.dtype,
    backend: args.backend,
    init: args.initPath ? (JSON.parse(readFileSync(args.initPath, 'utf8')) as InitFile) : undefined,
    options: {
      epochs: args.epochs,
      batchSize: args.batchSize,
      shuffle: args.shuffle,
      seed: args.seed,
      stepPer: args.stepPer,
      valFraction: args.valFraction,
    },
  });
  if (outcome.fallbackReason) hooks.warn?.(outcome.fallbackReason);
  // exactly the contract's keys
  return { steps: outcome.steps, epochs: outcome.epochs, backend: outcome.backend };
}
