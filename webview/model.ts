// The panel's controls, derived from the engine's constructor signatures: one per argument of the
// scheduler (nested children too) and the optimizer's lr and per-group lr. Each control holds Python
// source text; `tunedCase` turns the texts into the case the engine runs. Pure: no DOM.
import type { OptimizerSpec, PyLike, ScheduleCase, SchedulerSpec } from '../src/engine/case';
import { SCHEDULERS } from '../src/engine/build';
import {
  frameworkOf,
  frameworkSignature,
  HF_SCHEDULER_TYPES,
  HF_SCHEDULE_FUNCTIONS,
  MMENGINE_PARAM_SCHEDULER,
  MMENGINE_SCHEDULER_TYPES,
  type FrameworkLibrary,
} from '../src/engine/frameworks';
import { OPTIMIZERS } from '../src/engine/optimizers';
import { Float, floatRepr, isPyInt, pyRepr, pyStr, toNumber } from '../src/engine/python/values';
import { optional, type ParamSpec } from '../src/engine/signature';
import type { ArgumentChange, CallChanges, PanelCall, PanelSchedule } from '../src/shared/protocol';

export type ControlKind = 'float' | 'int' | 'optional-int' | 'enum' | 'bool' | 'list' | 'function' | 'text';

export interface SliderSpec {
  min: number;
  max: number;
  /** Log-scaled: the slider moves through decades. `zero` puts 0 at the slider's left end. */
  log: boolean;
  zero?: boolean;
  step?: number;
}

export interface ControlSpec {
  /** Unique within the panel: "opt.lr", "opt.group.1.lr", "sched.patience", "sched.child.0.start_factor". */
  path: string;
  label: string;
  name: string;
  kind: ControlKind;
  /** Where the value lives: the optimizer, or the scheduler at this path of child indices. */
  owner: { optimizer: true; group?: number } | { optimizer: false; children: number[] };
  /** The dict argument the value is a key of (transformers' `scheduler_specific_kwargs`), if any. */
  within?: string;
  /** mmengine: the index of the `param_scheduler` dict the value is an argument of. */
  entry?: number;
  /** Why Apply cannot write the value into the code, for a value the panel only simulates with. */
  notInCode?: string;
  /**
   * transformers' get_scheduler `name`: the keys of its `scheduler_specific_kwargs` as read. The dict's
   * keys belong to the schedule function `name` picks, so a new name drops those that function does not take.
   */
  specificKeys?: string[];
  /** Python text of the value as the panel read it (null: not written; torch's default applies). */
  original: string | null;
  /** The default, as Python text, when the argument is optional. */
  defaultText: string | null;
  options?: string[];
  slider?: SliderSpec;
  /** A heading for the group of controls this one starts (a nested scheduler, the optimizer). */
  section: string;
}

/** Arguments that do not change the curve, or that the panel cannot sensibly offer. */
const HIDDEN = new Set(['last_epoch', 'optimizer', 'verbose', 'schedulers']);

const ENUMS: Record<string, string[]> = {
  mode: ['min', 'max'],
  threshold_mode: ['rel', 'abs'],
  anneal_strategy: ['cos', 'linear'],
  scale_mode: ['cycle', 'iterations'],
};
const CYCLIC_MODES = ['triangular', 'triangular2', 'exp_range'];

/** Framework arguments that do not shape the curve, or that stand for the run rather than the schedule. */
const FRAMEWORK_HIDDEN: Record<FrameworkLibrary, Set<string>> = {
  transformers: new Set(['scheduler_specific_kwargs']),
  timm: new Set(['initialize', 'step_on_epochs', 'updates_per_epoch', 't_in_epochs']),
  keras: new Set(['name']),
  // Nested schedules and dicts, which a single field cannot edit.
  optax: new Set(['schedules', 'cosine_kwargs', 'boundaries_and_scales']),
  // The resume counter, and *ParamScheduler's param_name, which picks what is scheduled rather than how.
  mmengine: new Set(['last_step', 'param_name']),
};

const WSD_SHAPES = ['linear', 'cosine', '1-sqrt'];
/** Dropdown choices of framework string arguments, as each library spells them. */
const FRAMEWORK_ENUMS: Record<string, string[]> = {
  'transformers.get_scheduler name': Object.keys(HF_SCHEDULER_TYPES),
  'transformers warmup_type': WSD_SHAPES,
  'transformers decay_type': WSD_SHAPES,
  'timm.create_scheduler_v2 sched': ['cosine', 'tanh', 'step', 'multistep', 'plateau', 'poly'],
  'timm.create_scheduler_v2 plateau_mode': ['min', 'max'],
  'timm noise_type': ['normal', 'uniform'],
  'optax.piecewise_interpolate_schedule interpolate_type': ['linear', 'cosine'],
  'mmengine rule': ['less', 'greater'],
  'mmengine threshold_rule': ['rel', 'abs'],
};

function frameworkEnum(type: string, name: string): string[] | undefined {
  return FRAMEWORK_ENUMS[`${type} ${name}`] ?? FRAMEWORK_ENUMS[`${frameworkOf(type)} ${name}`];
}

/** Integers in torch's signatures (some have no default to tell from). */
const INTEGER_ARGUMENTS = new Set([
  'step_size',
  'patience',
  'cooldown',
  'total_iters',
  'T_max',
  'T_0',
  'T_mult',
  'step_size_up',
  'step_size_down',
  'total_steps',
  'epochs',
  'steps_per_epoch',
  'anneal_epochs',
  // transformers, timm, Keras and optax step counts
  'num_warmup_steps',
  'num_training_steps',
  'num_decay_steps',
  'num_stable_steps',
  'timescale',
  't_initial',
  'warmup_t',
  'cycle_limit',
  'patience_t',
  'cooldown_t',
  'num_epochs',
  'warmup_epochs',
  'cooldown_epochs',
  'patience_epochs',
  'noise_seed',
  'decay_steps',
  'first_decay_steps',
  'warmup_steps',
  'transition_steps',
  'transition_begin',
  // mmengine's scheduler windows
  'begin',
  'end',
]);

/** Steps that may be zero (a warmup, a stable phase, a delay) and steps that must be positive. */
const OPTIONAL_PHASES = ['num_warmup_steps', 'num_stable_steps', 'num_decay_steps', 'warmup_t', 'warmup_epochs', 'cooldown_epochs', 'warmup_steps', 'transition_begin'];
const LENGTHS = ['num_training_steps', 't_initial', 'num_epochs', 'decay_epochs', 'decay_steps', 'first_decay_steps', 'transition_steps', 'timescale'];

const log = (min: number, max: number, zero = false): SliderSpec => ({ min, max, log: true, zero });
const linear = (min: number, max: number, step: number): SliderSpec => ({ min, max, log: false, step });

/** Slider ranges that cover what people write; the number field beside each slider accepts anything. */
function sliderFor(schedulerType: string | null, name: string, rounds: number, current: number | null): SliderSpec | undefined {
  const span = Math.max(rounds, 10, current !== null && Number.isFinite(current) ? Math.ceil(current * 1.5) : 0);
  // mmengine's LR classes take torch's names (ExponentialLR's gamma close to 1).
  const torchName = schedulerType?.replace(/^mmengine\./, '') ?? null;
  if (['lr', 'max_lr', 'swa_lr', 'eta_max'].includes(name)) return log(1e-6, 10);
  if (name === 'base_lr') return log(1e-7, 1);
  if (['eta_min', 'min_lr', 'lr_min', 'lr_end', 'end_learning_rate', 'end_value', 'warmup_lr_init', 'warmup_lr', 'init_value'].includes(name)) return log(1e-8, 1, true);
  if (['initial_learning_rate', 'peak_value', 'warmup_target', 'value'].includes(name)) return log(1e-6, 10);
  if (name === 'gamma') {
    if (torchName === 'ExponentialLR') return linear(0.8, 1, 0.001);
    if (schedulerType === 'CyclicLR') return linear(0.99, 1, 0.0001);
    return linear(0.01, 1, 0.01);
  }
  if (name === 'factor') return schedulerType === 'ReduceLROnPlateau' ? linear(0.01, 0.99, 0.01) : linear(0, 1, 0.01);
  if (name === 'start_factor') return linear(0.001, 1, 0.001);
  if (name === 'end_factor') return linear(0, 1, 0.01);
  if (name === 'patience' || name === 'cooldown') return linear(0, Math.max(50, span / 4), 1);
  if (name === 'threshold') return log(1e-6, 0.1, true);
  if (name === 'eps') return log(1e-12, 1e-4, true);
  if (name === 'T_mult') return linear(1, 5, 1);
  if (['step_size', 'T_max', 'T_0', 'step_size_up', 'step_size_down', 'total_steps'].includes(name)) return linear(1, span, 1);
  if (['total_iters', 'anneal_epochs', 'begin'].includes(name)) return linear(0, span, 1);
  if (name === 'end') return linear(1, span, 1);
  if (name === 'pct_start') return linear(0.01, 0.99, 0.01);
  if (name === 'div_factor') return log(1, 1e4);
  if (name === 'final_div_factor') return log(1, 1e6);
  if (name === 'power' || name === 'exponent' || name === 'k_decay') return linear(0.1, 5, 0.1);
  if (OPTIONAL_PHASES.includes(name)) return linear(0, span, 1);
  if (LENGTHS.includes(name) || (name === 'decay_t' && schedulerType !== 'timm.MultiStepLRScheduler')) return linear(1, span, 1);
  if (name === 'num_cycles') return linear(0, 5, 0.05);
  if (['min_lr_rate', 'min_lr_ratio', 'warmup_lr_rate', 'alpha', 'pct_final', 'cycle_decay', 'm_mul', 'decay_rate', 'noise_pct', 'eta_min_ratio'].includes(name)) return linear(0, 1, 0.01);
  if (name === 'cycle_mul' || name === 't_mul') return linear(1, 4, 0.1);
  if (name === 'cycle_limit') return linear(1, 10, 1);
  if (name === 'patience_t' || name === 'cooldown_t' || name === 'patience_epochs') return linear(0, Math.max(50, span / 4), 1);
  if (name === 'noise_std') return linear(0, 2, 0.01);
  if (name === 'lb') return linear(-10, 0, 0.1);
  if (name === 'ub') return linear(0, 10, 0.1);
  if (name === 'base_momentum' || name === 'max_momentum') return linear(0.5, 0.999, 0.001);
  return undefined;
}

function kindOf(param: ParamSpec, value: PyLike | undefined): ControlKind {
  if (param.py === 'mode' || param.py in ENUMS) return 'enum';
  switch (param.kind) {
    case 'bool':
      return 'bool';
    case 'number-list':
      return 'list';
    case 'function':
    case 'optional-function':
      return 'function';
    case 'optional-number':
      return INTEGER_ARGUMENTS.has(param.py) ? 'optional-int' : 'text';
    case 'number-or-list':
      return Array.isArray(value) ? 'list' : 'float';
    case 'string':
    case 'optional-string':
      return 'enum';
    case 'number':
      return INTEGER_ARGUMENTS.has(param.py) ? 'int' : 'float';
    case 'any':
      if (param.py === 'lr_lambda' || param.py === 'scale_fn') return 'function';
      return param.py === 'eta_min' ? 'float' : 'text';
    default:
      return 'text';
  }
}

/** The Python text of a value from the case (functions are their source text). */
export function pythonText(value: PyLike | SchedulerSpec[] | undefined, kind?: ControlKind): string | null {
  if (value === undefined) return null;
  if (kind === 'function' && typeof value === 'string') return value;
  if (kind === 'float' && typeof value === 'number' && Number.isInteger(value)) return String(value);
  return pyRepr(value);
}

/** torch's default as Python writes it: float arguments' integral defaults keep their `.0` (`div_factor=25.0`). */
function defaultText(param: ParamSpec, kind: ControlKind): string | null {
  const value = param.default;
  if (kind === 'float' && typeof value === 'number') return floatRepr(value);
  return pythonText(value as PyLike, kind);
}

function numeric(value: unknown): number | null {
  if (value instanceof Float) return value.value;
  return typeof value === 'number' ? value : null;
}

/** The spec of the finding's own scheduler within its case. */
export function schedulerSpecOf(scheduleCase: ScheduleCase, type: string): { spec: SchedulerSpec; index: number } | null {
  if (scheduleCase.scheduler) return { spec: scheduleCase.scheduler, index: -1 };
  const list = scheduleCase.schedulers ?? [];
  for (let i = list.length - 1; i >= 0; i--) if (list[i].type === type) return { spec: list[i], index: i };
  return list.length > 0 ? { spec: list[list.length - 1], index: list.length - 1 } : null;
}

export function childrenOf(spec: SchedulerSpec): SchedulerSpec[] {
  const children = spec.kwargs?.schedulers;
  return Array.isArray(children) ? (children as SchedulerSpec[]).filter((child) => typeof child === 'object' && child !== null && 'type' in child) : [];
}

/**
 * The controls for a case, as the panel's `texts` tune it: the arguments are the case's, except that a
 * get_scheduler whose `name` the texts switch gets the new type's `scheduler_specific_kwargs` keys.
 */
export function deriveControls(scheduleCase: ScheduleCase, type: string, texts: Record<string, string> = {}): ControlSpec[] {
  const controls: ControlSpec[] = [];
  const rounds = scheduleCase.steps;
  const own = schedulerSpecOf(scheduleCase, type);
  // Keras and optax schedules give the learning rate themselves: the optimizer's lr does not reach the curve.
  const library = own ? frameworkOf(own.spec.type) : null;
  if (library !== 'keras' && library !== 'optax') controls.push(...optimizerControls(scheduleCase.optimizer));
  if (own) schedulerControls(own.spec, [], rounds, controls, texts);
  return controls;
}

function optimizerControls(optimizer: OptimizerSpec): ControlSpec[] {
  const cls = OPTIMIZERS[optimizer.type];
  const lrParam = cls?.signature.params.find((param) => param.py === 'lr');
  const section = `${optimizer.type} (optimizer)`;
  const controls: ControlSpec[] = [];
  const lr = optimizer.defaults?.lr;
  controls.push({
    path: 'opt.lr',
    label: 'lr',
    name: 'lr',
    kind: 'float',
    owner: { optimizer: true },
    original: pythonText(lr, 'float'),
    defaultText: lrParam ? pyRepr(lrParam.default) : null,
    slider: sliderFor(null, 'lr', 0, numeric(lr)),
    section,
  });
  const groups = optimizer.groups ?? [];
  if (groups.length > 1 || groups.some((group) => 'lr' in group)) {
    groups.forEach((group, index) => {
      controls.push({
        path: `opt.group.${index}.lr`,
        label: `group ${index} lr`,
        name: 'lr',
        kind: 'float',
        owner: { optimizer: true, group: index },
        original: 'lr' in group ? pythonText(group.lr, 'float') : null,
        defaultText: null,
        slider: sliderFor(null, 'lr', 0, numeric(group.lr)),
        section,
      });
    });
  }
  return controls;
}

function schedulerControls(spec: SchedulerSpec, children: number[], rounds: number, out: ControlSpec[], texts: Record<string, string>): void {
  if (spec.type === MMENGINE_PARAM_SCHEDULER) {
    out.push(...mmengineControls(spec, texts));
    return;
  }
  const library = frameworkOf(spec.type);
  const params = SCHEDULERS[spec.type]?.signature.params ?? frameworkSignature(spec.type)?.params ?? [];
  const prefix = children.length === 0 ? 'sched' : `sched.${children.map((index) => `child.${index}`).join('.')}`;
  const section = children.length === 0 ? spec.type : `${spec.type} (child ${children.join('.')})`;
  const hidden = library ? FRAMEWORK_HIDDEN[library] : new Set<string>();
  for (const param of params) {
    if (HIDDEN.has(param.py) || hidden.has(param.py)) continue;
    const value = spec.kwargs?.[param.py] as PyLike | undefined;
    out.push(argumentControl(spec.type, param, value, `${prefix}.${param.py}`, { optimizer: false, children }, rounds, section));
  }
  if (spec.type === 'transformers.get_scheduler') {
    const name = out.find((control) => control.path === `${prefix}.name`);
    if (name) name.specificKeys = Object.keys(specificKwargsOf(spec));
    const tuned = name && texts[name.path] !== undefined ? controlValue(name, texts[name.path]) : null;
    const tunedName = tuned && 'value' in tuned ? tuned.value : spec.kwargs?.name;
    out.push(...schedulerSpecificControls(spec, tunedName, prefix, children, rounds, section));
  }
  childrenOf(spec).forEach((child, index) => schedulerControls(child, [...children, index], rounds, out, texts));
}

function argumentControl(
  schedulerType: string,
  param: ParamSpec,
  value: PyLike | undefined,
  path: string,
  owner: ControlSpec['owner'],
  rounds: number,
  section: string,
): ControlSpec {
  // A framework's optional number (min_lr, min_lr_rate, warmup_target, end_value) gets a number field and a
  // slider; None can still be typed into the field.
  const numberOrNone = param.kind === 'optional-number' && !INTEGER_ARGUMENTS.has(param.py) && frameworkOf(schedulerType) !== null;
  const kind = numberOrNone ? 'float' : kindOf(param, value);
  const options = param.py === 'mode' && schedulerType === 'CyclicLR' ? CYCLIC_MODES : (frameworkEnum(schedulerType, param.py) ?? ENUMS[param.py]);
  return {
    path,
    label: param.py,
    name: param.py,
    kind,
    owner,
    original: pythonText(value, kind),
    defaultText: param.required ? null : defaultText(param, kind),
    options: kind === 'enum' ? (options ?? []) : undefined,
    slider: kind === 'float' || kind === 'int' || kind === 'optional-int' ? sliderFor(schedulerType, param.py, rounds, numeric(value)) : undefined,
    section,
  };
}

/** The arguments get_scheduler passes on to its schedule function, which live in `scheduler_specific_kwargs`. */
const PASSED_BY_GET_SCHEDULER = new Set(['num_warmup_steps', 'num_training_steps', 'last_epoch']);

const SPECIFIC_KWARGS = 'scheduler_specific_kwargs';

function specificKwargsOf(spec: SchedulerSpec): Record<string, PyLike> {
  const specific = spec.kwargs?.[SPECIFIC_KWARGS];
  return typeof specific === 'object' && specific !== null && !Array.isArray(specific) && !(specific instanceof Float) ? (specific as Record<string, PyLike>) : {};
}

/** The `scheduler_specific_kwargs` parameters of the function a get_scheduler `name` dispatches to. */
function specificParams(name: PyLike | SchedulerSpec[] | undefined): ParamSpec[] {
  const functionName = typeof name === 'string' && Object.prototype.hasOwnProperty.call(HF_SCHEDULER_TYPES, name) ? HF_SCHEDULER_TYPES[name] : null;
  // get_scheduler calls `constant` with no arguments at all.
  if (!functionName || name === 'constant') return [];
  return HF_SCHEDULE_FUNCTIONS[functionName].signature.params.filter((param) => !PASSED_BY_GET_SCHEDULER.has(param.py) && !HIDDEN.has(param.py));
}

/**
 * Controls for the keys of transformers' `scheduler_specific_kwargs` (Trainer's `lr_scheduler_kwargs`): the
 * extra arguments of the function `name` dispatches to, e.g. num_cycles, min_lr_rate, power, lr_end.
 */
function schedulerSpecificControls(spec: SchedulerSpec, name: PyLike | SchedulerSpec[] | undefined, prefix: string, children: number[], rounds: number, section: string): ControlSpec[] {
  const given = specificKwargsOf(spec);
  return specificParams(name).map((param) => ({
    ...argumentControl(spec.type, param, given[param.py], `${prefix}.${SPECIFIC_KWARGS}.${param.py}`, { optimizer: false, children }, rounds, `${section} ${SPECIFIC_KWARGS}`),
    within: SPECIFIC_KWARGS,
  }));
}

/** Whether a get_scheduler `name` control's text switches the type so that keys the dict holds no longer fit. */
function dropsSpecificKeys(control: ControlSpec, text: string): boolean {
  if (!control.specificKeys?.length) return false;
  const tuned = controlValue(control, text);
  const taken = new Set(specificParams('value' in tuned ? tuned.value : undefined).map((param) => param.py));
  return control.specificKeys.some((key) => !taken.has(key));
}

// ---------------------------------------------------------------- mmengine param_scheduler

/** build_scheduler_from_cfg's key beside each class's own arguments: an epoch-based window run in iterations. */
const CONVERT_TO_ITER_BASED = optional('convert_to_iter_based', false, 'bool');

type Dict = Record<string, PyLike>;

const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Float);

/** The dicts of an "mmengine.param_scheduler" case (its list, or the one dict a config may give), mutable in place. */
function mmengineEntries(spec: SchedulerSpec): Dict[] {
  const list = spec.kwargs?.param_scheduler;
  return (Array.isArray(list) ? list : [list]).filter(isDict);
}

const truthy = (value: unknown, fallback: boolean) => (value === undefined || value === null ? fallback : Boolean(toNumber(value as number)));

/** What the dicts' windows are measured against: the train loop's length in epochs and in iterations. */
function mmengineLoop(kwargs: Record<string, unknown>): { byEpoch: boolean; maxEpochs: number; maxIters: number } {
  const cfg = isDict(kwargs.train_cfg) ? kwargs.train_cfg : {};
  const byEpoch = 'type' in cfg ? cfg.type !== 'IterBasedTrainLoop' : truthy(cfg.by_epoch, true);
  const count = (value: unknown) => (isPyInt(value) ? toNumber(value as number) : 0);
  const epochLength = count(kwargs.epoch_length);
  if (byEpoch) return { byEpoch, maxEpochs: count(cfg.max_epochs), maxIters: count(cfg.max_epochs) * epochLength };
  return { byEpoch, maxEpochs: 1, maxIters: count(cfg.max_iters) };
}

/** Iterations per epoch shape the curve where epochs are counted in iterations: per-iteration schedulers in an epoch loop, or a conversion. */
function mmengineNeedsEpochLength(spec: SchedulerSpec): boolean {
  const entries = mmengineEntries(spec);
  const converts = entries.some((dict) => truthy(dict.convert_to_iter_based, false));
  return converts || (mmengineLoop(spec.kwargs ?? {}).byEpoch && entries.some((dict) => !truthy(dict.by_epoch, true)));
}

/** E.g. "LinearLR (iterations 0–500)": where the dict acts, as the texts tune it (an unwritten `end` is the loop's length). */
function mmengineSection(type: string, dict: Dict, loop: ReturnType<typeof mmengineLoop>, tuned: (name: string) => PyLike | undefined): string {
  const value = (name: string) => tuned(name) ?? dict[name];
  const byEpoch = truthy(value('by_epoch'), true);
  const end = value('end') ?? (byEpoch ? loop.maxEpochs : loop.maxIters);
  const converted = byEpoch && truthy(value('convert_to_iter_based'), false) ? ', converted to iterations' : '';
  return `${type} (${byEpoch ? 'epochs' : 'iterations'} ${pyStr(value('begin') ?? 0)}–${pyStr(end)}${converted})`;
}

/**
 * Controls for mmengine's param_scheduler: every argument of every dict, by the class's own signature
 * (grouped per dict), then iterations per epoch where the curve depends on them.
 */
function mmengineControls(spec: SchedulerSpec, texts: Record<string, string>): ControlSpec[] {
  const loop = mmengineLoop(spec.kwargs ?? {});
  const controls: ControlSpec[] = [];
  mmengineEntries(spec).forEach((dict, entry) => {
    const type = typeof dict.type === 'string' ? dict.type : null;
    const schedulerType = `mmengine.${type}`;
    const signature = type && frameworkSignature(schedulerType);
    if (!type || !signature) return;
    const prefix = `sched.param_scheduler.${entry}.`;
    const tuned = (name: string) => {
      const text = texts[prefix + name];
      const parsed = text === undefined ? null : parsePythonLiteral(text);
      return parsed && 'value' in parsed ? parsed.value : undefined;
    };
    const section = mmengineSection(type, dict, loop, tuned);
    const hidden = FRAMEWORK_HIDDEN.mmengine;
    const params = MMENGINE_SCHEDULER_TYPES[type].impl.iterConversion ? [...signature.params, CONVERT_TO_ITER_BASED] : signature.params;
    // Windows and step counts are in the dict's unit: epochs, unless by_epoch=False.
    const length = truthy(tuned('by_epoch') ?? dict.by_epoch, true) ? loop.maxEpochs : loop.maxIters;
    for (const param of params) {
      if (HIDDEN.has(param.py) || hidden.has(param.py)) continue;
      const control = argumentControl(schedulerType, mmengineParam(param, schedulerType), dict[param.py], prefix + param.py, { optimizer: false, children: [] }, length, section);
      // An unwritten `end` is the train loop's length (Runner._build_param_scheduler), not the class's INF.
      if (param.py === 'end') control.defaultText = String(length);
      controls.push({ ...control, entry });
    }
  });
  if (mmengineNeedsEpochLength(spec)) {
    const epochLength = spec.kwargs?.epoch_length as PyLike | undefined;
    controls.push({
      path: 'sched.epoch_length',
      label: 'iterations per epoch',
      name: 'epoch_length',
      kind: 'int',
      owner: { optimizer: false, children: [] },
      original: pythonText(epochLength),
      defaultText: null,
      slider: linear(1, Math.max(1000, 2 * (numeric(epochLength) ?? 0)), 1),
      section: `${loop.byEpoch ? 'EpochBasedTrainLoop' : 'IterBasedTrainLoop'} (training loop)`,
      notInCode: 'len(train_dataloader), which the config does not hold; the setting lrLens.defaultStepsPerEpoch gives it',
    });
  }
  return controls;
}

/**
 * mmengine checks some arguments by comparison rather than by type (pct_start, rule): numbers get a number
 * field, and strings with known choices a dropdown.
 */
function mmengineParam(param: ParamSpec, schedulerType: string): ParamSpec {
  if (param.kind !== 'any') return param;
  if (typeof param.default === 'number') return { ...param, kind: 'number' };
  if (frameworkEnum(schedulerType, param.py)) return { ...param, kind: 'string' };
  return param;
}

/** Iterations per epoch of an epoch-based loop's case (a positive int), else null: an iteration-based loop runs as one epoch. */
function epochLoopLength(spec: SchedulerSpec): number | null {
  const epochLength = spec.kwargs?.epoch_length;
  return mmengineLoop(spec.kwargs ?? {}).byEpoch && isPyInt(epochLength) && toNumber(epochLength as number) > 0 ? toNumber(epochLength as number) : null;
}

/** An epoch-based loop runs max_epochs × epoch_length iterations: the run's length follows a tuned epoch length. */
function mmengineSteps(spec: SchedulerSpec): number | null {
  return epochLoopLength(spec) === null ? null : mmengineLoop(spec.kwargs ?? {}).maxIters;
}

/** Steps per epoch of the (tuned) case, for the x axis in epochs: mmengine's tuned iterations per epoch, else `fallback`. */
export function stepsPerEpochOf(scheduleCase: ScheduleCase, fallback: number | null): number | null {
  const spec = scheduleCase.scheduler;
  if (fallback === null || spec?.type !== MMENGINE_PARAM_SCHEDULER) return fallback;
  return epochLoopLength(spec) ?? fallback;
}

// ---------------------------------------------------------------- Python literal text → value

export type Parsed = { value: PyLike } | { error: string };

const INT = /^[+-]?\d(?:_?\d)*$/;
const FLOAT = /^[+-]?(?:\d(?:_?\d)*\.(?:\d(?:_?\d)*)?|\.\d(?:_?\d)*|\d(?:_?\d)*)(?:[eE][+-]?\d+)?$/;

/** A Python literal as the engine holds it: ints, floats (integral ones boxed), None, bools, strings, lists. */
export function parsePythonLiteral(source: string): Parsed {
  const text = source.trim();
  if (text === '') return { error: 'enter a value' };
  if (text === 'None') return { value: null };
  if (text === 'True' || text === 'False') return { value: text === 'True' };
  if (INT.test(text)) return { value: Number(text.replace(/_/g, '')) };
  if (FLOAT.test(text)) {
    const value = Number(text.replace(/_/g, ''));
    return { value: Number.isInteger(value) ? new Float(value) : value };
  }
  const special = /^(?:float\(\s*(['"])([+-]?(?:inf|nan|infinity))\1\s*\)|([+-]?)math\.(inf|nan))$/i.exec(text);
  if (special) {
    const word = (special[2] ?? `${special[3]}${special[4]}`).toLowerCase();
    return { value: new Float(word.includes('nan') ? NaN : word.startsWith('-') ? -Infinity : Infinity) };
  }
  const quoted = /^(['"])(.*)\1$/s.exec(text);
  if (quoted && !quoted[2].includes(quoted[1]) && !quoted[2].includes('\\')) return { value: quoted[2] };
  if ((text.startsWith('[') && text.endsWith(']')) || (text.startsWith('(') && text.endsWith(')'))) {
    const inner = text.slice(1, -1).trim();
    if (inner === '') return { value: [] };
    const items: PyLike[] = [];
    for (const part of inner.replace(/,\s*$/, '').split(',')) {
      const item = parsePythonLiteral(part);
      if ('error' in item) return { error: `${item.error} in the list` };
      items.push(item.value);
    }
    return { value: items };
  }
  return { error: `could not read ${JSON.stringify(text)} as a Python number, list or string` };
}

/** The value a control's text stands for, checked against what the control expects. */
export function controlValue(control: ControlSpec, text: string): Parsed {
  if (control.kind === 'function' && text.trim() === 'None') return { value: null };
  if (control.kind === 'function') return text.trim() === '' ? { error: 'enter a Python function, e.g. lambda epoch: 0.95 ** epoch' } : { value: text.trim() };
  if (control.kind === 'enum') {
    const bare = text.trim().replace(/^(['"])(.*)\1$/, '$2');
    return { value: bare };
  }
  return parsePythonLiteral(text);
}

/** Python text for a number a slider produced: ints as ints; floats rounded to what the slider can resolve. */
export function sliderText(control: ControlSpec, value: number): string {
  if (control.kind === 'int' || control.kind === 'optional-int') return String(Math.round(value));
  if (value === 0) return '0.0';
  const slider = control.slider;
  const digits = slider && !slider.log && slider.step ? Math.max(0, -Math.floor(Math.log10(slider.step))) : null;
  const rounded = digits !== null ? Number(value.toFixed(digits)) : Number(value.toPrecision(3));
  return floatRepr(rounded);
}

/** Text for an enum choice, as Python writes a string. */
export function enumText(choice: string): string {
  return pyRepr(choice);
}

// ---------------------------------------------------------------- the tuned case

export interface TunedCase {
  scheduleCase: ScheduleCase;
  /** Controls whose text cannot be read, with why. */
  problems: Map<string, string>;
}

function cloneValue<T>(value: T): T {
  if (value instanceof Float) return new Float(value.value) as T;
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = cloneValue(item);
    return copy as T;
  }
  return value;
}

/** The case with every control's current text written in (texts that cannot be read keep the original value). */
export function tunedCase(base: ScheduleCase, type: string, controls: ControlSpec[], texts: Record<string, string>): TunedCase {
  const scheduleCase = cloneValue(base);
  const problems = new Map<string, string>();
  const own = schedulerSpecOf(scheduleCase, type);
  const renamed: SchedulerSpec[] = [];
  for (const control of controls) {
    const text = texts[control.path];
    if (text === undefined || text === control.original) continue;
    const parsed = controlValue(control, text);
    if ('error' in parsed) {
      problems.set(control.path, parsed.error);
      continue;
    }
    if (control.owner.optimizer) {
      const group = control.owner.group;
      if (group === undefined) scheduleCase.optimizer.defaults = { ...(scheduleCase.optimizer.defaults ?? {}), [control.name]: parsed.value };
      else if (scheduleCase.optimizer.groups?.[group]) scheduleCase.optimizer.groups[group][control.name] = parsed.value;
      continue;
    }
    let spec = own?.spec;
    for (const index of control.owner.children) spec = spec ? childrenOf(spec)[index] : undefined;
    if (spec && control.entry !== undefined) {
      const dict = mmengineEntries(spec)[control.entry];
      if (dict) dict[control.name] = parsed.value;
    } else if (spec && control.within !== undefined) {
      const dict = spec.kwargs?.[control.within];
      const entries = typeof dict === 'object' && dict !== null && !Array.isArray(dict) ? dict : {};
      spec.kwargs = { ...(spec.kwargs ?? {}), [control.within]: { ...entries, [control.name]: parsed.value } };
    } else if (spec) {
      if (control.specificKeys && parsed.value !== spec.kwargs?.name) renamed.push(spec);
      spec.kwargs = { ...(spec.kwargs ?? {}), [control.name]: parsed.value };
      const steps = control.name === 'epoch_length' && spec.type === MMENGINE_PARAM_SCHEDULER ? mmengineSteps(spec) : null;
      if (steps !== null) scheduleCase.steps = steps;
    }
  }
  // A get_scheduler given another `name` passes its dict to another function, which takes only its own keys.
  for (const spec of renamed) {
    if (spec.kwargs?.[SPECIFIC_KWARGS] === undefined) continue;
    const taken = new Set(specificParams(spec.kwargs.name).map((param) => param.py));
    spec.kwargs = { ...spec.kwargs, [SPECIFIC_KWARGS]: Object.fromEntries(Object.entries(specificKwargsOf(spec)).filter(([key]) => taken.has(key))) };
  }
  return { scheduleCase, problems };
}

/** The controls whose text differs from what the code says. */
export function changedControls(controls: ControlSpec[], texts: Record<string, string>): ControlSpec[] {
  return controls.filter((control) => texts[control.path] !== undefined && texts[control.path].trim() !== (control.original ?? '').trim());
}

/** The path prefix of the scheduler a control belongs to ("sched.", "sched.child.0."). */
const ownerPrefix = (control: ControlSpec) => control.path.slice(0, control.path.length - control.name.length - (control.within !== undefined ? control.within.length + 1 : 0));

/** What Apply asks the host to write: the changed arguments, grouped by the call they belong to. */
export function applyRequest(schedule: PanelSchedule, controls: ControlSpec[], texts: Record<string, string>): { calls: CallChanges[]; skipped: string[] } {
  const byCall = new Map<PanelCall, ArgumentChange[]>();
  const skipped: string[] = [];
  // A get_scheduler `name` switched to a type that does not take every key its dict holds: the dict is
  // written whole, with only the new type's keys, since a key left in the file would be rejected.
  const wholeDicts = new Map<string, string>();
  for (const control of changedControls(controls, texts)) {
    if (!dropsSpecificKeys(control, texts[control.path])) continue;
    const prefix = ownerPrefix(control);
    const entries = controls
      .filter((item) => item.within === SPECIFIC_KWARGS && ownerPrefix(item) === prefix)
      .map((item) => [item.name, (texts[item.path] ?? item.original)?.trim()] as const)
      .filter(([, text]) => text !== undefined && text !== '');
    wholeDicts.set(prefix, `{${entries.map(([key, text]) => `${pyRepr(key)}: ${text}`).join(', ')}}`);
  }
  for (const control of changedControls(controls, texts)) {
    const prefix = ownerPrefix(control);
    if (control.within !== undefined && wholeDicts.has(prefix)) continue;
    if (control.notInCode !== undefined) {
      skipped.push(`${control.label} (${control.notInCode})`);
      continue;
    }
    let call: PanelCall | null;
    // A key of a dict argument goes by its dotted path ("scheduler_specific_kwargs.num_cycles").
    const name = control.within !== undefined ? `${control.within}.${control.name}` : control.name;
    const changes: ArgumentChange[] = [{ name, text: texts[control.path].trim() }];
    const dict = control.specificKeys ? wholeDicts.get(prefix) : undefined;
    if (dict !== undefined) changes.push({ name: SPECIFIC_KWARGS, text: dict });
    if (control.owner.optimizer) {
      call = schedule.optimizer;
      if (control.owner.group !== undefined) changes[0].group = control.owner.group;
    } else if (control.entry !== undefined) {
      call = schedule.children[control.entry] ?? null;
    } else if (control.owner.children.length === 0) {
      call = schedule.rootCall;
    } else {
      call = control.owner.children.length === 1 ? (schedule.children[control.owner.children[0]] ?? null) : null;
    }
    // An argument the code writes but the analysis could not evaluate (`config.step`): the panel's value
    // was only a stand-in to draw the curve, so the code's expression is left alone.
    const unresolvedInCode = control.original === null && changes[0].group === undefined && call?.arguments.some((argument) => argument.name === control.name);
    if (!call || unresolvedInCode) {
      skipped.push(control.label);
      continue;
    }
    byCall.set(call, [...(byCall.get(call) ?? []), ...changes]);
  }
  return { calls: [...byCall].map(([call, changes]) => ({ call, changes })), skipped };
}
