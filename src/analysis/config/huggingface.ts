// Hugging Face TrainingArguments written as JSON or YAML (Trainer/TRL/LLaMA-Factory configs, and axolotl's
// `lr_scheduler` / `num_epochs` spellings). The Trainer builds `get_scheduler(lr_scheduler_type, ...)` with
// warmup and total counted in optimizer steps, as transformers 5.18's Trainer computes them:
//   updates per epoch = max(ceil(batches / gradient_accumulation_steps), 1)
//   total = max_steps if max_steps > 0 else ceil(num_train_epochs * updates per epoch)
//   warmup = int(warmup_steps) if warmup_steps >= 1 else ceil(total * warmup_steps)
//   (transformers 4.x's warmup_ratio: used when warmup_steps is 0, as ceil(total * warmup_ratio))
import type { PyLike, ScheduleCase } from '../../engine/case';
import { HF_SCHEDULER_TYPES } from '../../engine/frameworks';
import { Float, isNumberLike, toNumber } from '../../engine/python/values';
import { DEFAULT_STEPS_PER_EPOCH } from '../types';
import type { AnalysisOptions, ArgumentInfo } from '../types';
import type { FoundSchedule } from './schedule';
import { entry, type ConfigDocument, type ConfigEntry, type ConfigNode } from './tree';
import { callInfo, ConfigResolver } from './values';

/** The TrainingArguments keys that shape the schedule (axolotl's spellings after the `|`). */
const KEYS = {
  type: ['lr_scheduler_type', 'lr_scheduler'],
  lr: ['learning_rate'],
  kwargs: ['lr_scheduler_kwargs'],
  warmupSteps: ['warmup_steps'],
  warmupRatio: ['warmup_ratio'],
  epochs: ['num_train_epochs', 'num_epochs'],
  maxSteps: ['max_steps'],
  accumulation: ['gradient_accumulation_steps'],
};
const SIGNATURE_KEYS = new Set(['num_train_epochs', 'per_device_train_batch_size', 'gradient_accumulation_steps', 'warmup_steps', 'warmup_ratio', 'max_steps', 'output_dir']);

/** The map holding TrainingArguments: the root, or a `training_args`/`training_arguments`/`trainer` block. */
function argumentsMap(root: ConfigNode): ConfigNode | null {
  const candidates = [root, ...['training_args', 'training_arguments', 'trainer', 'training', 'args'].map((k) => entry(root, k)?.value)];
  for (const node of candidates) {
    if (node?.kind !== 'map') continue;
    const typeEntry = firstEntry(node, KEYS.type);
    const typeValue = typeEntry?.value.value;
    const namesHfType = typeof typeValue === 'string' && (typeValue in HF_SCHEDULER_TYPES || typeValue === 'greedy');
    // `lr_scheduler_type` is unambiguous; axolotl's `lr_scheduler` must name a SchedulerType; without either,
    // `learning_rate` with Trainer-only keys still means the Trainer's default linear schedule.
    if (entry(node, 'lr_scheduler_type') || namesHfType) return node;
    if (!typeEntry && entry(node, 'learning_rate') && node.entries.some((e) => SIGNATURE_KEYS.has(e.key))) return node;
  }
  return null;
}

function firstEntry(node: ConfigNode, keys: string[]): ConfigEntry | undefined {
  for (const key of keys) {
    const found = entry(node, key);
    if (found) return found;
  }
  return undefined;
}

export function readHuggingFace(doc: ConfigDocument, options: AnalysisOptions): FoundSchedule[] {
  const node = argumentsMap(doc.root);
  if (!node) return [];
  const resolver = new ConfigResolver(doc.root);
  const unresolved: string[] = [];
  const args: ArgumentInfo[] = [];
  const read = (keys: string[]): PyLike | undefined => {
    const found = firstEntry(node, keys);
    if (!found) return undefined;
    const r = resolver.resolve(found.value);
    unresolved.push(...r.missing.map((m) => `${found.key}: ${m}`));
    const info: ArgumentInfo = { name: found.key, position: null, text: found.value.text, range: found.value.range };
    if (r.value !== undefined) info.value = r.value;
    args.push(info);
    return r.value;
  };
  const typeEntry = firstEntry(node, KEYS.type);
  const schedule = trainerSchedule(read, options);
  const typeLine = (typeEntry ?? firstEntry(node, KEYS.lr))?.keyRange.startLine ?? node.range.startLine;
  return [
    {
      line: typeLine + 1,
      type: schedule.name,
      variable: typeEntry?.key ?? null,
      unit: 'step',
      case: schedule.case,
      unresolved: [...new Set([...unresolved, ...schedule.unresolved])],
      call: callInfo('get_scheduler', typeEntry?.key ?? null, node, node, args),
      optimizer: null,
      epochs: schedule.epochs,
      stepsPerEpoch: schedule.updatesPerEpoch,
      assumptions: schedule.assumptions,
      source: 'huggingface',
      framework: 'transformers',
    },
  ];
}

/** The Trainer's schedule from its TrainingArguments, as transformers 5.18 builds it (see the top of this file). */
export interface TrainerSchedule {
  /** lr_scheduler_type. */
  name: string;
  case: ScheduleCase;
  epochs: number;
  /** Optimizer steps per epoch, null when max_steps sets the total. */
  updatesPerEpoch: number | null;
  assumptions: string[];
  unresolved: string[];
}

/**
 * The schedule the Trainer builds from TrainingArguments values; `read(keys)` gives the value of the first
 * of those argument names that is set (undefined when none is), from a config file or a Python call.
 */
export function trainerSchedule(read: (keys: string[]) => PyLike | undefined, options: AnalysisOptions): TrainerSchedule {
  const unresolved: string[] = [];
  const assumptions: string[] = [];
  const number = (keys: string[], fallback: number): number => {
    const value = read(keys);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
    if (isNumberLike(value)) return toNumber(value);
    unresolved.push(`${keys[0]}: ${String(value)} is not a number`);
    return fallback;
  };
  const typeValue = read(KEYS.type);
  const name = (typeValue ?? 'linear') as string;
  if (typeValue === undefined) assumptions.push("lr_scheduler_type = 'linear' (the Trainer's default)");
  const lrValue = read(KEYS.lr);
  const learningRate = lrValue === undefined ? 5e-5 : lrValue;
  if (lrValue === undefined) assumptions.push('learning_rate = 5e-05 (the Trainer\'s default)');
  let schedulerKwargs = read(KEYS.kwargs);
  if (typeof schedulerKwargs === 'string') {
    // TrainingArguments accepts the kwargs as a JSON string too.
    try {
      schedulerKwargs = JSON.parse(schedulerKwargs) as PyLike;
    } catch {
      unresolved.push(`lr_scheduler_kwargs: ${schedulerKwargs} is not JSON`);
      schedulerKwargs = {};
    }
  }
  const warmupSteps = number(KEYS.warmupSteps, 0);
  const warmupRatio = number(KEYS.warmupRatio, 0);
  const numTrainEpochs = number(KEYS.epochs, 3.0);
  const maxSteps = number(KEYS.maxSteps, -1);
  const accumulation = number(KEYS.accumulation, 1);

  let updatesPerEpoch: number | null = null;
  let total: number;
  if (maxSteps > 0) total = maxSteps;
  else {
    const batches = options.stepsPerEpoch ?? DEFAULT_STEPS_PER_EPOCH;
    assumptions.push(`batches per epoch = ${batches} (${options.stepsPerEpoch !== undefined ? 'from the setting' : 'default'}; the dataset size is not in the file)`);
    updatesPerEpoch = Math.max(Math.floor(batches / accumulation) + (batches % accumulation > 0 ? 1 : 0), 1);
    total = Math.ceil(numTrainEpochs * updatesPerEpoch);
  }
  let warmup: number;
  if (warmupSteps === 0 && warmupRatio > 0) {
    warmup = Math.ceil(total * warmupRatio);
    assumptions.push('warmup_ratio read as transformers 4.x does (5.x removed it: a ratio below 1 goes in warmup_steps)');
  } else warmup = warmupSteps >= 1 ? Math.trunc(warmupSteps) : Math.ceil(total * warmupSteps);

  const kwargs: { [key: string]: PyLike } = { name, num_warmup_steps: warmup, num_training_steps: total };
  if (schedulerKwargs !== undefined && schedulerKwargs !== null) kwargs.scheduler_specific_kwargs = schedulerKwargs;
  const lr = typeof learningRate === 'number' && Number.isInteger(learningRate) ? new Float(learningRate) : learningRate;
  return {
    name,
    case: { optimizer: { type: 'AdamW', defaults: { lr } }, scheduler: { type: 'transformers.get_scheduler', kwargs }, steps: total },
    epochs: numTrainEpochs,
    updatesPerEpoch,
    assumptions,
    unresolved,
  };
}
