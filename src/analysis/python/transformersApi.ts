// The parts of Hugging Face transformers' public API that the analysis needs to read a schedule call in
// Python source: the `get_*` schedule functions and `get_scheduler`, with their parameter names in positional
// order, and the `SchedulerType` enum (recorded from `inspect.signature` and the enum on transformers 5.18.0).
// Only the functions the engine models are listed (src/engine/frameworks/transformers.ts). The plateau
// schedule is torch's ReduceLROnPlateau: its step(metric) is read as for torch's own.
import type { Evaluation, Resolver } from './evaluate';
import type { FileModel, Scope } from './model';
import { dottedName, unparenthesize, type Node } from './syntax';

/** Schedule functions: all parameters in positional order. */
export const TRANSFORMERS_SCHEDULE_POSITIONAL: { [name: string]: string[] } = {
  get_constant_schedule: ['optimizer', 'last_epoch'],
  get_reduce_on_plateau_schedule: ['optimizer'],
  get_constant_schedule_with_warmup: ['optimizer', 'num_warmup_steps', 'last_epoch'],
  get_linear_schedule_with_warmup: ['optimizer', 'num_warmup_steps', 'num_training_steps', 'last_epoch'],
  get_cosine_schedule_with_warmup: ['optimizer', 'num_warmup_steps', 'num_training_steps', 'num_cycles', 'last_epoch'],
  get_cosine_with_hard_restarts_schedule_with_warmup: ['optimizer', 'num_warmup_steps', 'num_training_steps', 'num_cycles', 'last_epoch'],
  get_polynomial_decay_schedule_with_warmup: ['optimizer', 'num_warmup_steps', 'num_training_steps', 'lr_end', 'power', 'last_epoch'],
  get_inverse_sqrt_schedule: ['optimizer', 'num_warmup_steps', 'timescale', 'last_epoch'],
  get_cosine_with_min_lr_schedule_with_warmup: [
    'optimizer', 'num_warmup_steps', 'num_training_steps', 'num_cycles', 'last_epoch', 'min_lr', 'min_lr_rate',
  ],
  get_cosine_with_min_lr_schedule_with_warmup_lr_rate: [
    'optimizer', 'num_warmup_steps', 'num_training_steps', 'num_cycles', 'last_epoch', 'min_lr', 'min_lr_rate', 'warmup_lr_rate',
  ],
  get_wsd_schedule: [
    'optimizer', 'num_warmup_steps', 'num_decay_steps', 'num_training_steps', 'num_stable_steps', 'warmup_type', 'decay_type',
    'min_lr_ratio', 'num_cycles', 'last_epoch',
  ],
  get_scheduler: ['name', 'optimizer', 'num_warmup_steps', 'num_training_steps', 'scheduler_specific_kwargs'],
};

/** A callee that is one of these functions: `transformers.X` or `transformers.optimization.X`. */
const SCHEDULE_FUNCTION_PATTERN = /^transformers(?:\.optimization)?\.(\w+)$/;

/** The schedule function a fully qualified callee names ("get_scheduler"), or null. */
export function transformersScheduleFunction(qualified: string): string | null {
  const match = SCHEDULE_FUNCTION_PATTERN.exec(qualified);
  return match && Object.prototype.hasOwnProperty.call(TRANSFORMERS_SCHEDULE_POSITIONAL, match[1]) ? match[1] : null;
}

/** `get_scheduler` names the analysis leaves out: "greedy", which the engine does not model (it reacts to live training metrics). */
const UNREAD_SCHEDULER_NAMES = new Set(['greedy']);

/** False for a get_scheduler call whose (resolved) name picks a schedule the analysis leaves out. */
export function readsSchedulerName(name: unknown): boolean {
  return typeof name !== 'string' || !UNREAD_SCHEDULER_NAMES.has(name);
}

/** The case's scheduler type for a schedule function: the library's name, as the engine routes it. */
export const transformersType = (name: string) => `transformers.${name}`;

/** The position of the optimizer among a schedule function's parameters. */
export function transformersOptimizerPosition(name: string): number {
  return TRANSFORMERS_SCHEDULE_POSITIONAL[name].indexOf('optimizer');
}

/** `SchedulerType` members and their values (`REDUCE_ON_PLATEAU` is "reduce_lr_on_plateau"). */
const SCHEDULER_TYPE_VALUES: { [member: string]: string } = {
  LINEAR: 'linear',
  COSINE: 'cosine',
  COSINE_WITH_RESTARTS: 'cosine_with_restarts',
  POLYNOMIAL: 'polynomial',
  CONSTANT: 'constant',
  CONSTANT_WITH_WARMUP: 'constant_with_warmup',
  INVERSE_SQRT: 'inverse_sqrt',
  REDUCE_ON_PLATEAU: 'reduce_lr_on_plateau',
  COSINE_WITH_MIN_LR: 'cosine_with_min_lr',
  COSINE_WARMUP_WITH_MIN_LR: 'cosine_warmup_with_min_lr',
  WARMUP_STABLE_DECAY: 'warmup_stable_decay',
  GREEDY: 'greedy',
};
const SCHEDULER_TYPE_CLASSES = new Set(['transformers.SchedulerType', 'transformers.trainer_utils.SchedulerType', 'transformers.optimization.SchedulerType']);

/** The modules whose `import *` binds these names (both export the functions and SchedulerType). */
export const TRANSFORMERS_WILDCARD_EXPORTS: { [module: string]: string[] } = {
  transformers: [...Object.keys(TRANSFORMERS_SCHEDULE_POSITIONAL), 'SchedulerType'],
  'transformers.optimization': [...Object.keys(TRANSFORMERS_SCHEDULE_POSITIONAL), 'SchedulerType'],
};

/**
 * `get_scheduler`'s name argument: a string as any value, or a `SchedulerType` member (`SchedulerType.COSINE`,
 * also through a name), which get_scheduler reads as its value.
 */
export function schedulerTypeName(node: Node, scope: Scope, resolver: Resolver, model: FileModel): Evaluation {
  const origin = resolver.origin(node, scope);
  const expression = origin ? unparenthesize(origin.node) : null;
  if (origin && expression?.type === 'attribute') {
    const member = expression.childForFieldName('attribute')?.text ?? '';
    const owner = dottedName(expression.childForFieldName('object'));
    if (owner && member in SCHEDULER_TYPE_VALUES && SCHEDULER_TYPE_CLASSES.has(model.qualify(owner))) {
      return { ok: true, value: SCHEDULER_TYPE_VALUES[member] };
    }
  }
  return resolver.evaluate(node, scope);
}
