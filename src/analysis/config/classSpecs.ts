// LightningCLI (`class_path` + `init_args`, or a bare class name) and Hydra/OmegaConf (`_target_` plus
// arguments) describe the same thing: a class and its constructor arguments. This reader finds the
// torch optimizers and lr schedulers written that way (and transformers/timm schedules under Hydra),
// pairs each scheduler with its optimizer, and reads the x unit and the number of rounds.
import type { OptimizerSpec, PyLike, SchedulerSpec } from '../../engine/case';
import { SCHEDULERS } from '../../engine/build';
import { HF_SCHEDULE_FUNCTIONS, TIMM_SCHEDULERS } from '../../engine/frameworks';
import { OPTIMIZERS } from '../../engine/optimizers';
import { isNumberLike, toNumber } from '../../engine/python/values';
import type { AnalysisOptions, CallInfo } from '../types';
import { LIGHTNING_DEFAULT_MAX_EPOCHS, lightningSteps } from '../lightningSteps';
import { DEFAULT_EPOCHS, DEFAULT_STEPS_PER_EPOCH } from '../types';
import { DEFAULT_OPTIMIZER, type ConfigSource, type FoundSchedule } from './schedule';
import { child, childAt, entry, scalarString, walkMaps, type ConfigDocument, type ConfigNode } from './tree';
import { argumentsOf, callInfo, ConfigResolver } from './values';

type Role = 'scheduler' | 'optimizer';

interface ClassSpec {
  node: ConfigNode;
  path: string[];
  style: 'lightning' | 'hydra';
  /** What the config names, e.g. "torch.optim.lr_scheduler.StepLR". */
  target: string;
  /** The engine's type: torch's class name, or "transformers.NAME" / "timm.NAME". */
  type: string;
  role: Role;
  argsNode: ConfigNode | undefined;
  /** Line of the key the spec hangs from (or of class_path/_target_ in a list). */
  line: number;
}

const LIGHTNING_PLATEAU = /^(lightning\.pytorch|pytorch_lightning)\.cli\.ReduceLROnPlateau$/;


function classify(target: string): { type: string; role: Role } | null {
  const name = target.split('.').pop() ?? target;
  const bare = !target.includes('.');
  if (name in SCHEDULERS && (bare || target.startsWith('torch.optim.') || LIGHTNING_PLATEAU.test(target))) return { type: name, role: 'scheduler' };
  if (name in OPTIMIZERS && (bare || target.startsWith('torch.optim.'))) return { type: name, role: 'optimizer' };
  if (target.startsWith('transformers.') && (name in HF_SCHEDULE_FUNCTIONS || name === 'get_scheduler')) return { type: `transformers.${name}`, role: 'scheduler' };
  if (target.startsWith('timm.') && name in TIMM_SCHEDULERS) return { type: `timm.${name}`, role: 'scheduler' };
  return null;
}

function specAt(node: ConfigNode, path: string[], keyLine: number | null): ClassSpec | null {
  const classPath = entry(node, 'class_path');
  const targetEntry = entry(node, '_target_');
  const found = classPath ?? targetEntry;
  const target = scalarString(found?.value);
  if (!found || !target) return null;
  const kind = classify(target);
  if (!kind) return null;
  const style = classPath ? 'lightning' : 'hydra';
  const argsNode = style === 'lightning' ? (child(node, 'init_args') ?? node) : node;
  return { node, path, style, target, ...kind, argsNode, line: (keyLine ?? found.keyRange.startLine) + 1 };
}

/** Every class spec in the file; `optimizer: Adam` / `lr_scheduler: StepLR` shorthands included. */
function findClassSpecs(root: ConfigNode): ClassSpec[] {
  const specs: ClassSpec[] = [];
  for (const { node, path } of walkMaps(root)) {
    for (const e of node.entries) {
      const value = e.value;
      if (value.kind === 'map') {
        const spec = specAt(value, [...path, e.key], e.keyRange.startLine);
        if (spec) specs.push(spec);
      } else if (value.kind === 'seq') {
        value.items.forEach((item, i) => {
          const spec = item.kind === 'map' ? specAt(item, [...path, e.key, String(i)], null) : null;
          if (spec) specs.push(spec);
        });
      } else if ((e.key === 'optimizer' || e.key === 'lr_scheduler') && typeof value.value === 'string') {
        const kind = classify(value.value);
        if (kind) specs.push({ node: value, path: [...path, e.key], style: 'lightning', target: value.value, ...kind, argsNode: undefined, line: e.keyRange.startLine + 1 });
      }
    }
  }
  if (root.kind === 'map') {
    const top = specAt(root, [], null);
    if (top) specs.unshift(top);
  }
  return specs;
}

const isPrefix = (prefix: string[], path: string[]) => prefix.length <= path.length && prefix.every((p, i) => p === path[i]);

interface ReadSpec {
  spec: SchedulerSpec;
  call: CallInfo;
  missing: string[];
}

/** The engine's spec for a scheduler class spec, nested `schedulers` lists included. */
function schedulerSpec(resolver: ConfigResolver, spec: ClassSpec): ReadSpec {
  const { args, missing } = argumentsOf(resolver, spec.argsNode);
  const kwargs: { [name: string]: PyLike | SchedulerSpec[] } = {};
  // Not constructor arguments: the optimizer is bound by the framework, `monitor` belongs to Lightning's
  // ReduceLROnPlateau subclass, `interval`/`frequency` to Lightning's scheduler config.
  const dropped = new Set(['optimizer', 'monitor', 'interval', 'frequency', 'name', 'strict']);
  for (const arg of args) {
    if (dropped.has(arg.name ?? '')) continue;
    if (arg.name === 'schedulers') {
      const listNode = child(spec.argsNode, 'schedulers');
      const children = (listNode?.items ?? []).map((item, i) => specAt(item, [...spec.path, 'schedulers', String(i)], null));
      if (listNode?.kind === 'seq' && children.every((c) => c?.role === 'scheduler')) {
        const read = children.map((c) => schedulerSpec(resolver, c as ClassSpec));
        kwargs.schedulers = read.map((r) => r.spec);
        missing.push(...read.flatMap((r) => r.missing));
        continue;
      }
    }
    if (arg.value !== undefined) kwargs[arg.name as string] = arg.value;
  }
  const variable = spec.path.join('.') || null;
  return { spec: { type: spec.type, kwargs }, call: callInfo(spec.type, variable, spec.node, spec.argsNode, args), missing };
}

function optimizerSpec(resolver: ConfigResolver, spec: ClassSpec): { spec: OptimizerSpec; call: CallInfo; missing: string[] } {
  const { args, missing } = argumentsOf(resolver, spec.argsNode);
  const defaults: { [name: string]: PyLike } = {};
  for (const arg of args) if (arg.name !== 'params' && arg.value !== undefined) defaults[arg.name as string] = arg.value;
  return { spec: { type: spec.type, defaults }, call: callInfo(spec.type, spec.path.join('.') || null, spec.node, spec.argsNode, args), missing };
}

/**
 * A key of Lightning's lr_scheduler config (`interval`, `frequency`) for a scheduler class spec: written next
 * to the class spec, in its parent map, or in a sibling `scheduler_config`-like map that the model spreads
 * into the dict its configure_optimizers returns.
 */
function lightningConfigKey(root: ConfigNode, spec: ClassSpec, key: string): ConfigNode | null {
  const parent = childAt(root, spec.path.slice(0, -1));
  const places = [spec.node, spec.argsNode, parent];
  for (const e of parent?.entries ?? []) if (/scheduler.*config|config.*scheduler/i.test(e.key)) places.push(e.value);
  for (const place of places) {
    const node = child(place, key);
    if (node) return node;
  }
  return null;
}

function intervalOf(root: ConfigNode, resolver: ConfigResolver, spec: ClassSpec): 'epoch' | 'step' | null {
  const node = lightningConfigKey(root, spec, 'interval');
  const value = node && resolver.resolve(node).value;
  return value === 'step' || value === 'epoch' ? value : null;
}

/** The longest per-round plan built for Lightning's `frequency`. */
const MAX_PLAN_ROUNDS = 1_000_000;

/**
 * Which rounds step the scheduler under Lightning's `frequency` (null: every round). Lightning steps it when
 * the 1-based epoch index (interval "epoch") or the 1-based batch index within the epoch (interval "step") is
 * a multiple of `frequency`; per batch it is asked only on batches that end an optimizer step (every
 * `accumulate`-th and the epoch's last), so with gradient accumulation the count is of batches, not steps.
 */
function frequencyPlan(frequency: number, unit: 'epoch' | 'step', rounds: number, batches: number, accumulate: number): number[][] | null {
  if (frequency === 1) return null;
  const pattern: boolean[] = [];
  if (unit === 'epoch') pattern.push(...Array.from({ length: frequency }, (_, e) => (e + 1) % frequency === 0));
  else {
    for (let b = 0; b < batches; b++) if ((b + 1) % accumulate === 0 || b === batches - 1) pattern.push((b + 1) % frequency === 0);
  }
  return Array.from({ length: rounds }, (_, r) => (pattern[r % pattern.length] ? [0] : []));
}

function numberAt(root: ConfigNode, resolver: ConfigResolver, paths: string[][]): { value: number; where: string } | null {
  for (const path of paths) {
    const node = childAt(root, path);
    const value = node && resolver.resolve(node).value;
    if (value !== undefined && value !== null && isNumberLike(value)) return { value: toNumber(value), where: path.join('.') };
  }
  return null;
}

interface Rounds {
  epochs: number;
  /** Rounds the case runs: epochs, or optimizer steps. */
  steps: number;
  stepsPerEpoch: number | null;
  /** Which rounds step the scheduler, when not all of them do. */
  plan: number[][] | null;
  assumptions: string[];
  unresolved: string[];
}

/**
 * How long the Trainer runs and in which rounds it steps the scheduler: `trainer.max_epochs`, or
 * `trainer.max_steps` optimizer steps, whichever ends training first (max_steps alone sets no epoch limit);
 * batches per epoch from the setting, fewer optimizer steps with `accumulate_grad_batches`; Lightning's
 * `frequency`. An epoch-interval scheduler is not stepped in an epoch that max_steps cuts short.
 */
function trainingRounds(root: ConfigNode, resolver: ConfigResolver, spec: ClassSpec, unit: 'epoch' | 'step', framework: string | null, scheduler: SchedulerSpec, options: AnalysisOptions): Rounds {
  const assumptions: string[] = [];
  const unresolved: string[] = [];
  const epochsFound = numberAt(root, resolver, [['trainer', 'max_epochs'], ['max_epochs'], ['epochs'], ['num_epochs'], ['trainer', 'epochs']]);
  const maxSteps = numberAt(root, resolver, [['trainer', 'max_steps'], ['max_steps']]);
  const epochLimit = epochsFound && epochsFound.value > 0 ? epochsFound.value : null;
  const stepLimit = maxSteps && maxSteps.value > 0 ? maxSteps.value : null;
  const accumulate = numberAt(root, resolver, [['trainer', 'accumulate_grad_batches'], ['accumulate_grad_batches']])?.value ?? 1;
  let batches: number | null = null;
  const batchesPerEpoch = (): number => {
    if (batches === null) {
      batches = options.stepsPerEpoch ?? DEFAULT_STEPS_PER_EPOCH;
      assumptions.push(`batches per epoch = ${batches} (${options.stepsPerEpoch !== undefined ? 'from the setting' : 'default'})`);
    }
    return batches;
  };
  const trainingSteps = scheduler.kwargs?.num_training_steps;
  let epochs: number;
  let steps: number;
  let stepsPerEpoch: number | null = null;
  let cutShort = false;
  if (unit === 'step' && framework === 'transformers' && stepLimit === null && epochLimit === null && isNumberLike(trainingSteps)) {
    // A transformers schedule says how long it runs; the config says nothing else.
    steps = toNumber(trainingSteps);
    epochs = 1;
    stepsPerEpoch = steps;
  } else if (stepLimit === null) {
    // LightningCLI's Trainer runs 1000 epochs unless max_time bounds it by time instead.
    const lightningDefault = spec.style === 'lightning' && !childAt(root, ['trainer', 'max_time']);
    epochs = epochLimit ?? (lightningDefault ? LIGHTNING_DEFAULT_MAX_EPOCHS : (options.epochs ?? DEFAULT_EPOCHS));
    if (epochLimit === null) {
      const origin = lightningDefault ? "Lightning's default max_epochs" : options.epochs !== undefined ? 'from the setting' : 'default';
      assumptions.push(`epochs = ${epochs} (${origin}; the config sets no max_epochs)`);
    }
    steps = epochs;
    if (unit === 'step') {
      stepsPerEpoch = lightningSteps(batchesPerEpoch(), accumulate, epochs, null).perEpoch;
      steps = epochs * stepsPerEpoch;
    }
  } else {
    const { perEpoch, total: budget } = lightningSteps(batchesPerEpoch(), accumulate, epochLimit, stepLimit);
    epochs = Math.ceil(budget / perEpoch);
    cutShort = unit === 'epoch' && budget % perEpoch !== 0;
    steps = unit === 'step' ? budget : epochs;
    if (unit === 'step') stepsPerEpoch = perEpoch;
  }
  let plan: number[][] | null = null;
  const frequencyNode = lightningConfigKey(root, spec, 'frequency');
  const frequency = frequencyNode ? resolver.resolve(frequencyNode).value : 1;
  if (typeof frequency !== 'number' || !Number.isInteger(frequency) || frequency < 1) unresolved.push(`${frequencyNode?.text} (Lightning "frequency")`);
  else if ((frequency > 1 || cutShort) && steps > MAX_PLAN_ROUNDS) unresolved.push(`${steps} rounds: too many to plan which of them step the scheduler`);
  else {
    plan = frequencyPlan(frequency, unit, steps, unit === 'step' ? batchesPerEpoch() : 0, accumulate);
    if (plan) assumptions.push(`Lightning steps it every ${frequency} ${unit === 'epoch' ? 'epochs' : 'batches'} ("frequency": ${frequency})`);
    if (cutShort) {
      plan ??= Array.from({ length: steps }, () => [0]);
      plan[steps - 1] = [];
      assumptions.push(`the last epoch is cut short by max_steps = ${stepLimit}: Lightning does not step the scheduler after it`);
    }
  }
  return { epochs, steps, stepsPerEpoch, plan, assumptions, unresolved };
}

/**
 * LightningCLI hands torch's own ReduceLROnPlateau to Lightning without a `monitor`, and Lightning refuses it
 * when fit() starts (lightning.pytorch.cli.ReduceLROnPlateau, or a scheduler config with "monitor", is how
 * Lightning takes one).
 */
function lightningRefusal(root: ConfigNode, spec: ClassSpec): FoundSchedule['trainerError'] {
  if (spec.style !== 'lightning' || spec.target !== 'torch.optim.lr_scheduler.ReduceLROnPlateau' || lightningConfigKey(root, spec, 'monitor')) return undefined;
  const message =
    '`configure_optimizers` must include a monitor when a `ReduceLROnPlateau` scheduler is used. For example: {"optimizer": optimizer, "lr_scheduler": scheduler, "monitor": "metric_to_track"}';
  return { error: { phase: 'construct', step: 0, type: 'MisconfigurationException', message }, raisedBy: 'Lightning' };
}

export function readClassSpecs(doc: ConfigDocument, options: AnalysisOptions): FoundSchedule[] {
  const resolver = new ConfigResolver(doc.root);
  const specs = findClassSpecs(doc.root);
  const optimizers = specs.filter((s) => s.role === 'optimizer');
  // Schedulers nested in a SequentialLR/ChainedScheduler are part of their parent's case.
  const schedulers = specs.filter((s) => s.role === 'scheduler' && !specs.some((o) => o !== s && o.role === 'scheduler' && isPrefix(o.path, s.path) && s.path.includes('schedulers')));
  return schedulers.map((spec) => {
    const read = schedulerSpec(resolver, spec);
    const unresolved = [...read.missing];
    const assumptions: string[] = [];
    const parentPath = spec.path.slice(0, -1);
    const optimizer =
      optimizers.find((o) => o.path.join('.') === [...parentPath, 'optimizer'].join('.')) ??
      optimizers.find((o) => isPrefix(parentPath, o.path)) ??
      optimizers[0];
    let optimizerSpecValue = DEFAULT_OPTIMIZER;
    let optimizerCall: CallInfo | null = null;
    if (optimizer) {
      const o = optimizerSpec(resolver, optimizer);
      optimizerSpecValue = o.spec;
      optimizerCall = o.call;
      unresolved.push(...o.missing);
    } else {
      // Without an optimizer the lr the schedule scales is unknown: say so rather than draw a made-up one.
      unresolved.push('optimizer (the config names no torch.optim optimizer)');
    }
    const source: ConfigSource = spec.style === 'lightning' ? 'lightning' : 'hydra';
    const framework = spec.type.startsWith('transformers.') ? 'transformers' : spec.type.startsWith('timm.') ? 'timm' : null;
    const interval = intervalOf(doc.root, resolver, spec);
    // transformers schedules step per optimizer step; timm's by t_in_epochs; torch's as Lightning's interval says.
    let unit: 'epoch' | 'step' = interval ?? 'epoch';
    if (framework === 'transformers') unit = 'step';
    if (framework === 'timm') unit = read.spec.kwargs?.t_in_epochs === false ? 'step' : 'epoch';
    if (!interval && !framework && source === 'lightning') assumptions.push("unit = epoch (Lightning's default interval)");

    const rounds = trainingRounds(doc.root, resolver, spec, unit, framework, read.spec, options);
    unresolved.push(...rounds.unresolved);
    assumptions.push(...rounds.assumptions);
    const { epochs, steps, stepsPerEpoch, plan } = rounds;
    return {
      line: spec.line,
      type: spec.type,
      variable: read.call.variable,
      unit,
      case: { optimizer: optimizerSpecValue, scheduler: read.spec, steps, ...(plan ? { plan } : {}) },
      unresolved: [...new Set(unresolved)],
      call: read.call,
      optimizer: optimizerCall,
      epochs,
      stepsPerEpoch,
      assumptions,
      source,
      framework,
      trainerError: lightningRefusal(doc.root, spec),
    };
  });
}
