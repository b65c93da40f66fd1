// From the discovered constructors to findings: which schedulers run together on one optimizer (the case),
// how many rounds of what unit the code runs, the engine's trace, and the diagnostics.
import type { CaseError, CaseResult, ScheduleCase, SchedulerSpec } from '../../engine/case';
import { isNumberLike, toNumber } from '../../engine/python/values';
import type { AnalysisOptions, AnalysisResult, SchedulerFinding, SourceRange } from '../types';
import { diagnose } from './diagnostics';
import { discover, inExclusiveBranches, type OptimizerInfo, type SchedulerInfo } from './discover';
import { Resolver } from './evaluate';
import { simulateCached } from './simulationCache';
import { lightningSchedule } from './lightning';
import { isRangeCall, loopCount, looksLikeEpochLoop, type LoopCount, type LoopInfo } from './loops';
import type { FileModel } from './model';
import type { Node } from './syntax';

export const DEFAULT_EPOCHS = 100;
export const DEFAULT_STEPS_PER_EPOCH = 100;

/** What the loops around a scheduler's `step()` say. */
export interface Rounds {
  stepped: boolean;
  unit: 'epoch' | 'step';
  /** The number of epochs; for steps with no epoch loop around them (stepsPerEpoch null), the number of steps. */
  epochs: number;
  /** The epoch loop variable's first value (`range(start_epoch, …)`). */
  epochStart: number;
  stepsPerEpoch: number | null;
  assumptions: string[];
  epochLoop: LoopInfo | null;
  batchLoop: LoopInfo | null;
  epochCount: LoopCount | null;
  batchCount: LoopCount | null;
}

/** Types whose step() can raise on a case that constructs fine (user functions, OneCycleLR's step limit, …). */
const MAY_RAISE_WHILE_STEPPING = new Set(['OneCycleLR', 'ConstantLR', 'LambdaLR', 'MultiplicativeLR', 'CyclicLR', 'PolynomialLR']);
/**
 * Diagnostics run such cases in full while analysing only up to this many rounds (OneCycleLR always: its
 * overrun is the common bug, and the run stops at the failing step); longer runs wait for the lens.
 */
const EAGER_ROUNDS = 20_000;

/** One case (the schedulers that run together on an optimizer); the engine runs it only when asked. */
export class CaseRun {
  private full: CaseResult | null | undefined;
  readonly case: ScheduleCase;

  constructor(
    readonly members: SchedulerInfo[],
    scheduleCase: ScheduleCase,
    readonly unresolved: string[],
    readonly rounds: Rounds,
    readonly metric: MetricInfo | null,
    readonly assumptions: string[],
  ) {
    this.case = scheduleCase;
  }

  /** The engine's run of the whole case, or null when something is unresolved. */
  get result(): CaseResult | null {
    if (this.full === undefined) this.full = this.unresolved.length ? null : simulateCached(this.case);
    return this.full;
  }

  /**
   * The error torch raises for this case, as far as diagnostics need it: a construction error (cheap: no
   * steps), or, for schedulers whose steps can raise, the error of the full run.
   */
  get error(): CaseError | null {
    if (this.unresolved.length) return null;
    const stepErrorsMatter =
      this.members.some((member) => member.type === 'OneCycleLR') ||
      (this.case.steps <= EAGER_ROUNDS && this.members.some((member) => mayRaiseWhileStepping(member.spec)));
    if (this.full !== undefined || stepErrorsMatter) return this.result?.error ?? null;
    const { optimizer, scheduler, schedulers } = this.case;
    return simulateCached({ optimizer, scheduler, schedulers, steps: 0 }).error;
  }
}

function mayRaiseWhileStepping(spec: SchedulerSpec): boolean {
  const children = spec.kwargs?.schedulers;
  return MAY_RAISE_WHILE_STEPPING.has(spec.type) || (Array.isArray(children) && (children as SchedulerSpec[]).some(mayRaiseWhileStepping));
}

export interface MetricInfo {
  source: 'synthetic' | 'code';
  /** The expression passed to `step()`, when there is one. */
  expression: string | null;
  description: string;
}

export interface AnalysisContext {
  model: FileModel;
  resolver: Resolver;
  options: AnalysisOptions;
  optimizers: OptimizerInfo[];
  schedulers: SchedulerInfo[];
  runs: Map<SchedulerInfo, CaseRun>;
  otherGetLrSites: import('./discover').MethodSite[];
  syntaxError: SourceRange | null;
}

/** `syntaxError`: where the first statement that had to be left out for a syntax error is (null: none). */
export function analyzeModel(model: FileModel, options: AnalysisOptions, syntaxError: SourceRange | null = null): AnalysisResult {
  const resolver = new Resolver(model, options.overrides);
  const discovery = discover(model, resolver);
  const context: AnalysisContext = {
    model,
    resolver,
    options,
    optimizers: discovery.optimizers,
    schedulers: discovery.schedulers,
    runs: new Map(),
    otherGetLrSites: discovery.otherGetLrSites,
    syntaxError,
  };
  const topLevel = discovery.schedulers.filter((info) => !info.parent);
  const runsByKey = new Map<string, CaseRun>();
  for (const info of topLevel) {
    const members = caseMembers(info, topLevel);
    const key = members.map((member) => member.node.id).join(',');
    let run = runsByKey.get(key);
    if (!run) {
      run = runCase(members, context);
      runsByKey.set(key, run);
    }
    for (const scheduler of [info, ...descendants(info)]) context.runs.set(scheduler, run);
  }
  const schedulers = discovery.schedulers.map((info) => finding(info, context));
  return { schedulers, diagnostics: diagnose(context) };
}

function descendants(info: SchedulerInfo): SchedulerInfo[] {
  return info.children.flatMap((child) => [child, ...descendants(child)]);
}

/**
 * The top-level schedulers built on the same optimizer as `info` that exist together at run time
 * (not alternatives in exclusive `if` branches, not reassignments of one variable), in source order.
 */
function caseMembers(info: SchedulerInfo, topLevel: SchedulerInfo[]): SchedulerInfo[] {
  if (!info.optimizer) return [info];
  const members = [info];
  for (const other of topLevel) {
    if (other === info || other.optimizer !== info.optimizer) continue;
    const compatible = members.every(
      (member) => !(member.variable !== null && member.variable === other.variable) && !inExclusiveBranches(member.node, other.node),
    );
    if (compatible) members.push(other);
  }
  return members.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

function runCase(members: SchedulerInfo[], context: AnalysisContext): CaseRun {
  const unresolved: string[] = [];
  const optimizer = members[0].optimizer;
  for (const member of members) {
    unresolved.push(...collectUnresolved(member));
    if (!member.optimizer && member.optimizerText) unresolved.push(`${member.optimizerText} (optimizer)`);
    if (!member.optimizer && !member.optimizerText) unresolved.push(`${member.type}: no optimizer argument`);
  }
  if (optimizer) unresolved.push(...optimizer.unresolved);

  const perMember = members.map((member) => ({ member, rounds: roundsOf(member, context) }));
  const stepped = perMember.filter((entry) => entry.rounds.stepped);
  const stepUnit = stepped.find((entry) => entry.rounds.unit === 'step');
  const base = stepUnit ?? stepped[0] ?? perMember[0];
  const rounds = base.rounds;
  const mixed = stepped.some((entry) => entry.rounds.unit !== rounds.unit);
  const steps = rounds.unit === 'step' ? rounds.epochs * (rounds.stepsPerEpoch ?? 1) : rounds.epochs;

  const specs: SchedulerSpec[] = members.map((member) => member.spec);
  const scheduleCase: ScheduleCase = { optimizer: optimizer ? optimizer.spec : { type: 'SGD', defaults: { lr: 0.1 } }, steps };
  if (specs.length === 1) scheduleCase.scheduler = specs[0];
  else scheduleCase.schedulers = specs;

  // Which schedulers step in which round: only needed when some are not stepped or step per epoch while others per batch.
  if (stepped.length && (mixed || stepped.length !== perMember.length)) {
    const spe = rounds.stepsPerEpoch ?? 1;
    const everyRound = perMember.flatMap((entry, index) => (entry.rounds.stepped && entry.rounds.unit === rounds.unit ? [index] : []));
    const perEpoch = perMember.flatMap((entry, index) => (entry.rounds.stepped && entry.rounds.unit !== rounds.unit ? [index] : []));
    scheduleCase.plan = Array.from({ length: steps }, (_, k) => ((k + 1) % spe === 0 ? [...everyRound, ...perEpoch] : everyRound));
  }

  let metric: MetricInfo | null = null;
  const plateauIndex = members.findIndex((member) => member.type === 'ReduceLROnPlateau');
  if (plateauIndex >= 0) {
    const built = plateauMetrics(members[plateauIndex], steps);
    scheduleCase.metrics = built.metrics;
    metric = built.info;
  }

  const assumptions = [...rounds.assumptions];
  if (stepped.length) {
    for (const entry of perMember) {
      if (!entry.rounds.stepped) assumptions.push(`${entry.member.variable ?? entry.member.type}.step() not found: built on the optimizer but never stepped`);
    }
  }
  return new CaseRun(members, scheduleCase, [...new Set(unresolved)], rounds, metric, assumptions);
}

function collectUnresolved(info: SchedulerInfo): string[] {
  return [...info.unresolved, ...info.children.flatMap((child) => collectUnresolved(child))];
}

/** The loops around a scheduler's first `step()`: its unit and the number of epochs and batches. */
export function roundsOf(info: SchedulerInfo, context: AnalysisContext): Rounds {
  const { options, resolver } = context;
  const assumptions: string[] = [];
  const site = info.stepSites[0];
  const fallbackEpochs = (reason: string): number => {
    const fromCall = oneCycleArgument(info, 'epochs', context);
    if (fromCall !== null) {
      assumptions.push(`epochs = ${fromCall} (from OneCycleLR's epochs; ${reason})`);
      return fromCall;
    }
    const epochs = options.epochs ?? DEFAULT_EPOCHS;
    assumptions.push(`epochs = ${epochs} (${options.epochs !== undefined ? 'from the setting' : 'default'}; ${reason})`);
    return epochs;
  };
  const fallbackStepsPerEpoch = (reason: string): number => {
    const fromCall = oneCycleArgument(info, 'steps_per_epoch', context);
    if (fromCall !== null) {
      assumptions.push(`steps per epoch = ${fromCall} (from OneCycleLR's steps_per_epoch; ${reason})`);
      return fromCall;
    }
    const stepsPerEpoch = options.stepsPerEpoch ?? DEFAULT_STEPS_PER_EPOCH;
    assumptions.push(`steps per epoch = ${stepsPerEpoch} (${options.stepsPerEpoch !== undefined ? 'from the setting' : 'default'}; ${reason})`);
    return stepsPerEpoch;
  };
  const unknownLoops = { epochStart: 0, epochLoop: null, batchLoop: null, epochCount: null, batchCount: null };
  if (!site) {
    const lightning = lightningSchedule(info.node, info.variable, context.model, resolver);
    if (lightning) {
      const epochs = lightning.maxEpochs ?? fallbackEpochs('Lightning steps it; Trainer(max_epochs=…) not found');
      if (lightning.interval === 'epoch') return { ...unknownLoops, stepped: true, unit: 'epoch', epochs, stepsPerEpoch: null, assumptions };
      const stepsPerEpoch = fallbackStepsPerEpoch('Lightning steps it every batch; the loader\'s length is unknown');
      return { ...unknownLoops, stepped: true, unit: 'step', epochs, stepsPerEpoch, assumptions };
    }
    return {
      ...unknownLoops, stepped: false, unit: 'epoch', epochs: fallbackEpochs(`${info.variable ?? info.type}.step() not found`),
      stepsPerEpoch: null, assumptions,
    };
  }
  const loops = site.loops ?? [];
  const condition = conditionAround(site.call, loops[0]?.node ?? null);
  if (condition) assumptions.push(`${site.call.text} runs under \`if ${condition}\`: assumed to run every round`);
  let epochLoop: LoopInfo | null = null;
  let batchLoop: LoopInfo | null = null;
  if (loops.length >= 2) {
    // The innermost loop is the batch loop, unless it is itself the epoch loop (`for run in …: for epoch in …`).
    if (looksLikeEpochLoop(loops[0])) epochLoop = loops[0];
    else {
      batchLoop = loops[0];
      epochLoop = loops[1];
    }
  } else if (loops.length === 1) {
    const count = loopCount(loops[0], resolver);
    if (looksLikeEpochLoop(loops[0])) epochLoop = loops[0];
    // A pass over a loader of unknown length is one epoch of batches, the epochs being outside this file.
    else if (count.count === null && loops[0].iterable && !isRangeCall(loops[0].iterable)) batchLoop = loops[0];
    else return singleStepLoop(info, loops[0], count, context, assumptions);
  }
  const epochCount = epochLoop ? loopCount(epochLoop, resolver) : null;
  let epochs: number;
  if (epochCount?.count != null) epochs = epochCount.count;
  else if (epochLoop) epochs = fallbackEpochs(`the epoch loop's length is unknown: ${epochCount!.missing.join(', ')}`);
  else epochs = fallbackEpochs(loops.length ? 'no epoch loop around the batch loop' : `${info.variable ?? info.type}.step() is not in a loop`);

  let stepsPerEpoch: number | null = null;
  let batchCount: LoopCount | null = null;
  if (batchLoop) {
    batchCount = loopCount(batchLoop, resolver);
    stepsPerEpoch = batchCount.count ?? fallbackStepsPerEpoch(`${batchCount.missing.join(', ')} is unknown`);
  }
  return {
    stepped: true,
    unit: batchLoop ? 'step' : 'epoch',
    epochs,
    epochStart: epochCount?.start ?? 0,
    stepsPerEpoch,
    assumptions,
    epochLoop,
    batchLoop,
    epochCount,
    batchCount,
  };
}

/**
 * step() in the only loop around it, which is not an epoch loop (`for batch in range(10000)`, `while …`): each
 * iteration is one round, counted in steps with no epochs around them. The loop's length is the number of
 * rounds, never multiplied by a number of epochs the code does not have; when the code does not show it,
 * OneCycleLR's own total, else the steps-per-epoch setting or default.
 */
function singleStepLoop(info: SchedulerInfo, loop: LoopInfo, count: LoopCount, context: AnalysisContext, assumptions: string[]): Rounds {
  let steps = count.count;
  if (steps === null) {
    const reason = `the loop's length is unknown: ${count.missing.join(', ')}`;
    const total = oneCycleTotal(info, context);
    if (total !== null) {
      steps = total;
      assumptions.push(`steps = ${total} (from OneCycleLR's total; ${reason})`);
    } else {
      const { options } = context;
      steps = options.stepsPerEpoch ?? DEFAULT_STEPS_PER_EPOCH;
      assumptions.push(`steps = ${steps} (${options.stepsPerEpoch !== undefined ? 'from the steps-per-epoch setting' : 'default'}; ${reason})`);
    }
  }
  return {
    stepped: true,
    unit: 'step',
    epochs: steps,
    epochStart: 0,
    stepsPerEpoch: null,
    assumptions,
    epochLoop: null,
    batchLoop: loop,
    epochCount: null,
    batchCount: count,
  };
}

/** OneCycleLR's number of steps: total_steps, else epochs × steps_per_epoch, when resolvable. */
function oneCycleTotal(info: SchedulerInfo, context: AnalysisContext): number | null {
  const total = oneCycleArgument(info, 'total_steps', context);
  if (total !== null) return total;
  const epochs = oneCycleArgument(info, 'epochs', context);
  const stepsPerEpoch = oneCycleArgument(info, 'steps_per_epoch', context);
  return epochs !== null && stepsPerEpoch !== null ? epochs * stepsPerEpoch : null;
}

/** The condition of an `if` between a call and its innermost loop (or function), e.g. gradient accumulation. */
function conditionAround(call: Node, loop: Node | null): string | null {
  for (let current = call.parent; current && current.id !== loop?.id; current = current.parent) {
    if (current.type === 'function_definition') return null;
    if (current.type === 'if_statement') return current.childForFieldName('condition')?.text ?? null;
  }
  return null;
}

/** A resolved integer argument of a OneCycleLR (the scheduler itself or a child), e.g. its `epochs`. */
function oneCycleArgument(info: SchedulerInfo, name: string, context: AnalysisContext): number | null {
  if (info.type !== 'OneCycleLR') return null;
  const node = info.keywordNodes.get(name);
  if (!node) return null;
  const value = context.resolver.evaluate(node, info.scope);
  return value.ok && typeof value.value === 'number' && Number.isInteger(value.value) && value.value > 0 ? value.value : null;
}

/**
 * ReduceLROnPlateau needs a metric per round. A literal in `step(0.5)` is used as written; otherwise the
 * metric is only known at run time, so a synthetic one stands in: it improves for 10 rounds, then stays
 * flat (so patience, cooldown and factor show their effect). In 'max' mode it rises instead.
 */
function plateauMetrics(info: SchedulerInfo, steps: number): { metrics: (number | string)[]; info: MetricInfo } {
  const site = info.stepSites[0];
  const metricNode = site ? (site.args.positional[0] ?? site.args.keywords.find((k) => k.name === 'metrics')?.value ?? null) : null;
  if (metricNode && ['integer', 'float'].includes(metricNode.type)) {
    const value = Number(metricNode.text.replace(/_/g, ''));
    return {
      metrics: Array.from({ length: steps }, () => value),
      info: { source: 'code', expression: metricNode.text, description: `the constant ${metricNode.text} passed to step()` },
    };
  }
  const mode = info.call.arguments.find((argument) => argument.name === 'mode')?.value;
  const rising = mode === 'max';
  const metrics = Array.from({ length: steps }, (_, k) => {
    const progress = Math.min(k + 1, 10);
    return rising ? Math.round((0.5 + 0.04 * progress) * 1e6) / 1e6 : Math.round((1 - 0.05 * progress) * 1e6) / 1e6;
  });
  const description = rising
    ? 'synthetic: rises from 0.54 by 0.04 per round for 10 rounds, then stays at 0.9'
    : 'synthetic: falls from 0.95 by 0.05 per round for 10 rounds, then stays at 0.5';
  return { metrics, info: { source: 'synthetic', expression: metricNode?.text ?? null, description } };
}

function finding(info: SchedulerInfo, context: AnalysisContext): SchedulerFinding {
  const run = context.runs.get(info)!;
  let top = info;
  while (top.parent) top = top.parent;
  const result = {
    line: info.call.range.startLine + 1,
    type: info.type,
    variable: info.variable,
    unit: run.rounds.unit,
    case: run.case,
    unresolved: run.unresolved,
    trace: null,
    error: null,
    call: info.call,
    optimizer: info.optimizer?.call ?? null,
    epochs: run.rounds.epochs,
    stepsPerEpoch: run.rounds.unit === 'step' ? run.rounds.stepsPerEpoch : null,
    schedulerIndex: run.members.indexOf(top),
    assumptions: run.assumptions,
    metric: run.metric,
    partOf: info.parent ? { line: info.parent.call.range.startLine + 1, type: info.parent.type, variable: info.parent.variable } : null,
  } as SchedulerFinding;
  // The trace is computed when first read (a lens being resolved, a hover, the CLI), then cached.
  Object.defineProperty(result, 'trace', { enumerable: true, get: () => run.result?.trace ?? null });
  Object.defineProperty(result, 'error', { enumerable: true, get: () => run.result?.error ?? null });
  return result;
}

/** The numeric value of a resolved argument (for diagnostics). */
export function numericArgument(info: SchedulerInfo, name: string): number | null {
  const value = info.call.arguments.find((argument) => argument.name === name)?.value;
  return value !== undefined && isNumberLike(value) ? toNumber(value) : null;
}
