// From the discovered constructors to findings: which schedulers run together on one optimizer (the case),
// how many rounds of what unit the code runs, the engine's trace, and the diagnostics.
import type { CaseError, CaseResult, ScheduleCase, SchedulerSpec } from '../../engine/case';
import { compilePythonFunction } from '../../engine/python/function';
import { isTruthy } from '../../engine/python/numbers';
import { pyRepr } from '../../engine/python/values';
import { plateauMode, syntheticPlateauMetrics } from '../plateauMetric';
import { DEFAULT_EPOCHS, DEFAULT_STEPS_PER_EPOCH, type AnalysisOptions, type AnalysisResult, type MetricInfo, type SchedulerFinding, type SourceRange } from '../types';
import { diagnose } from './diagnostics';
import { discover, inExclusiveBranches, type MethodSite, type OptimizerInfo, type SchedulerInfo } from './discover';
import { EVALUATOR_BUILTINS, overrideKey, Resolver } from './evaluate';
import { simulateCached } from './simulationCache';
import { functionScheduleFindings } from './functionSchedules';
import { trainingArgumentsFindings } from './trainingArguments';
import { LIGHTNING_DEFAULT_MAX_EPOCHS, lightningSteps } from '../lightningSteps';
import { lightningSchedule, lightningSteppingBatches } from './lightning';
import { assignedIn, isRangeCall, loopCount, looksLikeEpochLoop, loopVariable, type LoopCount, type LoopInfo } from './loops';
import type { FileModel, Scope } from './model';
import { namedChildrenOf, type Node } from './syntax';


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
  /** When step() runs in only some rounds (an `if` around it, Lightning's `frequency`): in which. */
  when: RoundFilter | null;
  /** What keeps the rounds in which step() runs from being known (a condition that cannot be evaluated). */
  unresolved: string[];
}

/** Whether step() runs in a round, given the round's iteration of the epoch loop and of the batch loop (0-based). */
export interface RoundFilter {
  description: string;
  runs(epochIndex: number, batchIndex: number): boolean;
}

/** The longest `plan` (one entry per round) built to say which schedulers step in which round. */
const MAX_PLAN_ROUNDS = 1_000_000;

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
  private failing: number | null | undefined;
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

  /** How many times the case steps the top-level scheduler `index`: every round, or as the plan says. */
  stepsOf(index: number): number {
    return this.case.plan ? this.case.plan.filter((round) => round.includes(index)).length : this.case.steps;
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

  /**
   * The index of the member whose construction or step() raises `error` (torch raises there, and the other
   * members only share its optimizer); null when there is no error, or it is the optimizer's or no one member's
   * (LR Lens's time limit). Found by running the case again up to the failing member.
   */
  get failingMember(): number | null {
    if (this.failing === undefined) this.failing = this.findFailingMember();
    return this.failing;
  }

  private findFailingMember(): number | null {
    const error = this.error;
    if (!error) return null;
    const { optimizer, metrics, epochs, plan } = this.case;
    const specs = this.members.map((member) => member.spec);
    if (error.phase === 'construct') {
      for (let count = 0; count <= specs.length; count++) {
        if (simulateCached({ optimizer, schedulers: specs.slice(0, count), steps: 0 }).error) return count ? count - 1 : null;
      }
      return null;
    }
    if (error.phase !== 'step' || error.message.startsWith('LR Lens stopped simulating')) return null;
    // The failing round again, stepping one more of its schedulers each time (none: the optimizer's own step).
    const everyone = specs.map((_, index) => index);
    const round = plan?.[error.step - 1] ?? everyone;
    const before = plan ? plan.slice(0, error.step - 1) : Array.from({ length: error.step - 1 }, () => everyone);
    for (let count = 0; count <= round.length; count++) {
      const upTo: ScheduleCase = { optimizer, schedulers: specs, steps: error.step, metrics, epochs, plan: [...before, round.slice(0, count)] };
      if (simulateCached(upTo).error?.step === error.step) return count ? (round[count - 1] ?? null) : null;
    }
    return null;
  }
}

function mayRaiseWhileStepping(spec: SchedulerSpec): boolean {
  const children = spec.kwargs?.schedulers;
  return MAY_RAISE_WHILE_STEPPING.has(spec.type) || (Array.isArray(children) && (children as SchedulerSpec[]).some(mayRaiseWhileStepping));
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
  /** The `len(loader)` expressions bound to the steps-per-epoch setting, by override key. */
  /** Values the steps-per-epoch setting gives, by override key: `len(train_loader)`, Lightning's `estimated_stepping_batches`. */
  loaderLengths: Map<string, { text: string; value: number; why: string }>;
}

/**
 * The training loaders whose length the steps-per-epoch setting gives, as `len(…)` texts by override key:
 * the iterables of the batch loops around the schedulers' step() calls, and the names DataLoader(…) is assigned to.
 */
function trainingLoaderLengths(context: AnalysisContext): Map<string, string> {
  const texts: string[] = [];
  // A loader a OneCycleLR with its own steps_per_epoch steps over: the code says its length.
  const toldByCode: string[] = [];
  for (const info of context.schedulers) {
    if (info.parent) continue;
    const lengths = (roundsOf(info, context).batchCount?.missing ?? []).filter((name) => /^len\(.+\)$/s.test(name));
    (oneCycleArgument(info, 'steps_per_epoch', context) === null ? texts : toldByCode).push(...lengths);
  }
  for (const record of context.model.findCalls(['DataLoader'])) {
    const assignment = record.node.parent;
    const target = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === record.node.id ? assignment.childForFieldName('left') : null;
    if (!target || (target.type !== 'identifier' && target.type !== 'attribute')) continue;
    if (!/(^|\.)DataLoader$/.test(context.resolver.qualifiedCallee(record.node, record.scope) ?? '')) continue;
    texts.push(`len(${target.text})`);
  }
  const lengths = new Map(texts.map((text) => [overrideKey(text), text]));
  for (const text of toldByCode) lengths.delete(overrideKey(text));
  return lengths;
}

/** `syntaxError`: where the first statement that had to be left out for a syntax error is (null: none). */
export function analyzeModel(model: FileModel, options: AnalysisOptions, syntaxError: SourceRange | null = null): AnalysisResult {
  let resolver = new Resolver(model, options.overrides);
  let discovery = discover(model, resolver);
  const context: AnalysisContext = {
    model,
    resolver,
    options,
    optimizers: discovery.optimizers,
    schedulers: discovery.schedulers,
    runs: new Map(),
    otherGetLrSites: discovery.otherGetLrSites,
    syntaxError,
    loaderLengths: new Map(),
  };
  // A steps-per-epoch the user set is the length of the training loader: `len(train_loader)` takes it
  // (the values the user set for single names still win), and the file is analysed again with it.
  if (options.stepsPerEpoch !== undefined) {
    const stepsPerEpoch = options.stepsPerEpoch;
    const lengths: [string, { text: string; value: number; why: string }][] = [...trainingLoaderLengths(context)].map(([key, text]) => [
      key,
      { text, value: stepsPerEpoch, why: 'from the steps-per-epoch setting' },
    ]);
    const lightning = lightningSteppingBatches(model, resolver, stepsPerEpoch);
    if (lightning) lengths.push([overrideKey(lightning.text), lightning]);
    const loaderLengths = new Map(lengths.filter(([key]) => resolver.override(key) === undefined));
    if (loaderLengths.size) {
      const bound = Object.fromEntries([...loaderLengths.values()].map(({ text, value }) => [text, value]));
      resolver = new Resolver(model, { ...bound, ...options.overrides });
      discovery = discover(model, resolver);
      Object.assign(context, {
        resolver,
        optimizers: discovery.optimizers,
        schedulers: discovery.schedulers,
        otherGetLrSites: discovery.otherGetLrSites,
        loaderLengths,
      });
    }
  }
  const topLevel = discovery.schedulers.filter((info) => !info.parent);
  // A constructor in a branch that does not run with the file's values (`elif args.sched == "cosine":` with
  // the default "steplr") is predicted on its own, as if its branch ran, and is no part of the others' cases.
  const built = topLevel.filter((info) => context.resolver.runs(info.node, info.scope) !== false);
  const runsByKey = new Map<string, CaseRun>();
  for (const info of topLevel) {
    const members = built.includes(info) ? caseMembers(info, built) : [info];
    const key = members.map((member) => member.node.id).join(',');
    let run = runsByKey.get(key);
    if (!run) {
      run = runCase(members, context);
      runsByKey.set(key, run);
    }
    for (const scheduler of [info, ...descendants(info)]) context.runs.set(scheduler, run);
  }
  const schedulers = [
    ...discovery.schedulers.map((info) => finding(info, context)),
    ...trainingArgumentsFindings(model, context.resolver, options),
    ...functionScheduleFindings(model, context.resolver, options),
  ].sort((a, b) => a.line - b.line);
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
    if (other === info || other.optimizer !== info.optimizer || isInSpec(other.spec, info.spec)) continue;
    const compatible = members.every(
      (member) => !(member.variable !== null && member.variable === other.variable) && !inExclusiveBranches(member.node, other.node),
    );
    if (compatible) members.push(other);
  }
  return members.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

/** Whether `spec` is one of the children in `composite`'s schedulers list (at any depth). */
function isInSpec(spec: SchedulerSpec, composite: SchedulerSpec): boolean {
  const children = composite.kwargs?.schedulers;
  return Array.isArray(children) && (children as SchedulerSpec[]).some((child) => child === spec || isInSpec(spec, child));
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

  let perMember: { member: SchedulerInfo; rounds: Rounds }[] = [];
  // Which bound loader lengths this case reads: in its schedulers' arguments, or as its batch loop's length.
  const lengthsRead = context.resolver.overridesReadBy(() => {
    for (const member of members) {
      for (const scheduler of [member, ...descendants(member)]) {
        for (const node of scheduler.keywordNodes.values()) context.resolver.evaluate(node, scheduler.scope);
      }
    }
    perMember = members.map((member) => ({ member, rounds: roundsOf(member, context) }));
  });
  const stepped = perMember.filter((entry) => entry.rounds.stepped);
  for (const entry of stepped) unresolved.push(...entry.rounds.unresolved);
  unresolved.push(...separatePhases(stepped.map((entry) => entry.member)));
  const stepUnit = stepped.find((entry) => entry.rounds.unit === 'step');
  const base = stepUnit ?? stepped[0] ?? perMember[0];
  const rounds = base.rounds;
  const mixed = stepped.some((entry) => entry.rounds.unit !== rounds.unit);
  const steps = rounds.unit === 'step' ? rounds.epochs * (rounds.stepsPerEpoch ?? 1) : rounds.epochs;

  const specs: SchedulerSpec[] = members.map((member) => member.spec);
  const scheduleCase: ScheduleCase = { optimizer: optimizer ? optimizer.spec : { type: 'SGD', defaults: { lr: 0.1 } }, steps };
  if (specs.length === 1) scheduleCase.scheduler = specs[0];
  else scheduleCase.schedulers = specs;

  // Which schedulers step in which round: only needed when some are not stepped, step per epoch while others
  // per batch, or step only in some rounds.
  const filtered = stepped.some((entry) => entry.rounds.when);
  if (stepped.length && (mixed || filtered || stepped.length !== perMember.length)) {
    if (steps > MAX_PLAN_ROUNDS) unresolved.push(`${steps} rounds: too many to plan which scheduler steps in which round`);
    else {
      try {
        scheduleCase.plan = stepPlan(perMember.map((entry) => entry.rounds), rounds, steps);
      } catch (error) {
        const conditions = stepped.flatMap((entry) => (entry.rounds.when ? [entry.rounds.when.description] : []));
        unresolved.push(`${conditions.join('; ')} (${(error as Error).name}: ${(error as Error).message})`);
      }
    }
  }

  let metric: MetricInfo | null = null;
  const plateauIndex = members.findIndex((member) => plateauMode(member.spec) !== null);
  if (plateauIndex >= 0) {
    const built = plateauMetrics(members[plateauIndex], steps);
    scheduleCase.metrics = built.metrics;
    metric = built.info;
  }

  const assumptions = [...rounds.assumptions];
  for (const member of members) {
    if (member.stepSites[0]?.viaAccelerate) {
      assumptions.push(`${member.variable ?? member.type}.step() through accelerator.prepare(...): once per optimizer step on one process (on several, Accelerate steps it once per process unless split_batches=True)`);
    }
    const branch = context.resolver.runs(member.node, member.scope) === false ? context.resolver.branchNotRun(member.node, member.scope) : null;
    if (branch) assumptions.push(`${member.variable ?? member.type} is built only when \`${branch}\` runs, which it does not with the file's values: shown as if it did`);
  }
  for (const [key, { text, value, why }] of context.loaderLengths) {
    if (lengthsRead.has(key)) assumptions.push(`${text} = ${value} (${why})`);
  }
  if (stepped.length) {
    for (const entry of perMember) {
      if (!entry.rounds.stepped) assumptions.push(`${entry.member.variable ?? entry.member.type}.step() not found: built on the optimizer but never stepped`);
    }
  }
  return new CaseRun(members, scheduleCase, [...new Set(unresolved)], rounds, metric, assumptions);
}

/**
 * Per round, the indices of the schedulers that step: those stepped in the rounds' own loop every round, those
 * stepped in the epoch loop around it at each epoch's last batch, each only where its condition holds.
 */
function stepPlan(memberRounds: Rounds[], rounds: Rounds, steps: number): number[][] {
  const stepsPerEpoch = rounds.unit === 'step' ? rounds.stepsPerEpoch : null;
  const everyRound = memberRounds.flatMap((own, index) => (own.stepped && own.unit === rounds.unit ? [index] : []));
  const perEpoch = memberRounds.flatMap((own, index) => (own.stepped && own.unit !== rounds.unit ? [index] : []));
  return Array.from({ length: steps }, (_, k) => {
    const epochIndex = stepsPerEpoch ? Math.floor(k / stepsPerEpoch) : rounds.unit === 'epoch' ? k : 0;
    const batchIndex = stepsPerEpoch ? k % stepsPerEpoch : k;
    const epochEnds = stepsPerEpoch ? (k + 1) % stepsPerEpoch === 0 : true;
    const round = everyRound.filter((index) => memberRounds[index].when?.runs(epochIndex, batchIndex) ?? true);
    if (epochEnds) round.push(...perEpoch.filter((index) => memberRounds[index].when?.runs(epochIndex, 0) ?? true));
    return round;
  });
}

/**
 * Schedulers on one optimizer whose step() calls sit in different loops (a warm-up loop, then the main loop)
 * run in training phases: the second is built after the first ran, which one case cannot express.
 * step() in a batch loop and in the epoch loop around it run in the same rounds.
 */
function separatePhases(stepped: SchedulerInfo[]): string[] {
  const chains = stepped.map((member) => (member.stepSites[0]?.loops ?? []).map((loop) => loop.node.id));
  for (let a = 0; a < stepped.length; a++) {
    for (let b = a + 1; b < stepped.length; b++) {
      const [shorter, longer] = chains[a].length <= chains[b].length ? [chains[a], chains[b]] : [chains[b], chains[a]];
      const tail = longer.slice(longer.length - shorter.length);
      if (stepped[a].stepSites[0] && stepped[b].stepSites[0] && shorter.some((id, i) => id !== tail[i])) {
        return [`training phases: ${stepped[a].stepSites[0].call.text} and ${stepped[b].stepSites[0].call.text} run in different loops`];
      }
    }
  }
  return [];
}

function collectUnresolved(info: SchedulerInfo): string[] {
  return [...info.unresolved, ...info.children.flatMap((child) => collectUnresolved(child))];
}

function isBoundLoader(loop: LoopInfo, context: AnalysisContext): boolean {
  return loop.iterable !== null && context.loaderLengths.has(overrideKey(`len(${loop.iterable.text})`));
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
  const unknownLoops = { epochStart: 0, epochLoop: null, batchLoop: null, epochCount: null, batchCount: null, when: null, unresolved: [] };
  if (!site) {
    const lightning = lightningSchedule(info.node, info.variable, context.model, resolver);
    if (lightning) {
      const { trainer, frequency, interval } = lightning;
      let epochs: number;
      if (trainer.maxEpochs !== null) epochs = trainer.maxEpochs;
      else if (trainer.found && trainer.maxSteps === null) {
        epochs = LIGHTNING_DEFAULT_MAX_EPOCHS;
        assumptions.push(`epochs = ${epochs} (Lightning's default max_epochs: the Trainer sets neither max_epochs nor max_steps)`);
      } else epochs = fallbackEpochs('Lightning steps it; Trainer(max_epochs=…) not found');
      const unresolved = frequency === null ? [`${lightning.frequencyText} (Lightning "frequency")`] : [];
      const accumulate = trainer.accumulateGradBatches;
      const perEpochWhen = (): RoundFilter | null =>
        frequency === 1 || frequency === null
          ? null
          : { description: `Lightning steps it every ${frequency} epochs ("frequency": ${frequency})`, runs: (epochIndex) => (epochIndex + 1) % frequency === 0 };
      if (interval === 'epoch' && trainer.maxSteps === null) {
        return { ...unknownLoops, stepped: true, unit: 'epoch', epochs, stepsPerEpoch: null, assumptions, when: perEpochWhen(), unresolved };
      }
      const batches = fallbackStepsPerEpoch(`Lightning ${interval === 'step' ? 'steps it every batch' : 'stops at max_steps'}; the loader's length is unknown`);
      const { perEpoch: stepsPerEpoch, total: budget } = lightningSteps(batches, accumulate, trainer.maxEpochs, trainer.maxSteps);
      if (accumulate > 1) assumptions.push(`${stepsPerEpoch} optimizer steps per epoch (ceil(${batches} / accumulate_grad_batches ${accumulate}))`);
      // Per optimizer step, Lightning asks whether the 1-based index of the batch that ends it (every
      // accumulate-th batch, and the epoch's last) is a multiple of `frequency`: it counts batches, not steps.
      const when: RoundFilter | null =
        interval === 'epoch'
          ? perEpochWhen()
          : frequency === 1 || frequency === null
            ? null
            : {
                description: `Lightning steps it every ${frequency} batches ("frequency": ${frequency})`,
                runs: (_, stepIndex) => Math.min((stepIndex + 1) * accumulate, batches) % frequency === 0,
              };
      if (trainer.maxSteps === null) return { ...unknownLoops, stepped: true, unit: 'step', epochs, stepsPerEpoch, assumptions, when, unresolved };
      assumptions.push(`${budget} optimizer steps in all (the Trainer's max_steps ${trainer.maxSteps}${trainer.maxEpochs === null ? '' : ` or max_epochs ${trainer.maxEpochs}, whichever ends training first`})`);
      // An epoch-interval scheduler is not stepped after an epoch max_steps cuts short.
      if (interval === 'epoch') return { ...unknownLoops, stepped: true, unit: 'epoch', epochs: Math.floor(budget / stepsPerEpoch), stepsPerEpoch: null, assumptions, when, unresolved };
      // One loop of `budget` optimizer steps: the batch index restarts each epoch.
      const budgetWhen: RoundFilter | null = when && {
        description: when.description,
        runs: (_, step) => when.runs(Math.floor(step / stepsPerEpoch), step % stepsPerEpoch),
      };
      return { ...unknownLoops, stepped: true, unit: 'step', epochs: budget, stepsPerEpoch: null, assumptions, when: budgetWhen, unresolved };
    }
    return {
      ...unknownLoops, stepped: false, unit: 'epoch', epochs: fallbackEpochs(`${info.variable ?? info.type}.step() not found`),
      stepsPerEpoch: null, assumptions,
    };
  }
  return withStepCondition(loopRounds(info, site, context, assumptions, fallbackEpochs, fallbackStepsPerEpoch), site, context);
}

/** The rounds the loops around `site` make, whether or not step() runs in each. */
function loopRounds(
  info: SchedulerInfo,
  site: MethodSite,
  context: AnalysisContext,
  assumptions: string[],
  fallbackEpochs: (reason: string) => number,
  fallbackStepsPerEpoch: (reason: string) => number,
): Rounds {
  const { resolver } = context;
  const loops = site.loops ?? [];
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
    // A pass over a loader of unknown length (or the steps-per-epoch setting's) is one epoch of batches, the
    // epochs being outside this file.
    else if (loops[0].iterable && !isRangeCall(loops[0].iterable) && (count.count === null || isBoundLoader(loops[0], context))) batchLoop = loops[0];
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
    when: null,
    unresolved: [],
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
    when: null,
    unresolved: [],
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

/** A condition an `if` branch puts on the code in it: the test holds, or (else/elif) an earlier one does not. */
interface BranchTest {
  test: Node;
  holds: boolean;
}

/**
 * The `if` tests between a call and the outermost loop around it, followed into the callers as the loops are
 * (gradient accumulation, `if epoch < 5: warmup.step() else: …`): `perRound` inside the innermost loop gate
 * the step in a round; `aroundLoop` between loops decide whether the inner loop's rounds happen at all.
 * Tests outside every loop are not per round.
 */
function branchTests(call: Node, loops: LoopInfo[], model: FileModel): { perRound: BranchTest[]; aroundLoop: BranchTest[] } {
  const loopIds = new Set(loops.map((loop) => loop.node.id));
  const innermost = loops[0]?.node.id;
  const tests: BranchTest[] = [];
  let insideInnermost = -1;
  let insideLoops = 0;
  let depth = 0;
  for (let child: Node = call, current = call.parent; current; child = current, current = current.parent) {
    if (current.type === 'function_definition') {
      // Continue at the call site the loops were followed to (loopsAround).
      const definition = current;
      const name = definition.childForFieldName('name')?.text;
      const site = name && depth++ < 4 ? model.callSitesOf(name).find((record) => record.node.startIndex < definition.startIndex || record.node.startIndex >= definition.endIndex) : undefined;
      if (!site) break;
      current = site.node;
      continue;
    }
    if (current.id === innermost) insideInnermost = tests.length;
    if (loopIds.has(current.id)) insideLoops = tests.length;
    if (current.type === 'conditional_expression') {
      // `scheduler.step() if epoch >= 5 else None`
      const [whenTrue, test, whenFalse] = namedChildrenOf(current);
      if (test && child.id === whenTrue?.id) tests.push({ test, holds: true });
      if (test && child.id === whenFalse?.id) tests.push({ test, holds: false });
      continue;
    }
    if (current.type === 'boolean_operator') {
      // `epoch >= 5 and scheduler.step()`: the right operand runs when `and`'s left is true, `or`'s false.
      const left = current.childForFieldName('left');
      if (left && child.id === current.childForFieldName('right')?.id) tests.push({ test: left, holds: current.childForFieldName('operator')?.type === 'and' });
      continue;
    }
    if (current.type !== 'if_statement') continue;
    const branches = [current, ...current.childrenForFieldName('alternative').filter((node): node is Node => node?.type === 'elif_clause')];
    const conditions = branches.map((branch) => branch.childForFieldName('condition')).filter((node): node is Node => node !== null);
    if (child.type === 'else_clause') tests.push(...conditions.map((test) => ({ test, holds: false })));
    else {
      const taken = child.type === 'elif_clause' ? branches.findIndex((branch) => branch.id === child.id) : 0;
      tests.push(...conditions.slice(0, taken).map((test) => ({ test, holds: false })), { test: conditions[taken], holds: true });
    }
  }
  const perRound = insideInnermost < 0 ? [] : tests.slice(0, insideInnermost);
  return { perRound, aroundLoop: tests.slice(perRound.length, Math.max(insideLoops, perRound.length)) };
}

/**
 * Rounds where step() sits under an `if`: the condition is evaluated per round with the loop variables
 * (`(i + 1) % ACCUM == 0`, `epoch < 5`) and the values the file shows; one it cannot evaluate is unresolved.
 */
function withStepCondition(rounds: Rounds, site: MethodSite, context: AnalysisContext): Rounds {
  const loops = site.loops ?? [];
  const { perRound: tests, aroundLoop } = branchTests(site.call, loops, context.model);
  const describe = (list: BranchTest[]) => list.map(({ test, holds }) => (holds ? test.text : `not (${test.text})`)).join(' and ');
  // An `if` around the inner loop removes whole rounds (no optimizer step either): the case cannot say that.
  if (aroundLoop.length) return { ...rounds, unresolved: [`${site.call.text}: its loop runs only if ${describe(aroundLoop)}`] };
  if (!tests.length) return rounds;
  const description = `${site.call.text} runs only if ${describe(tests)}`;
  const unresolvedRounds = (): Rounds => ({ ...rounds, unresolved: [description] });
  const epochVariable = rounds.epochLoop ? loopVariable(rounds.epochLoop, context.resolver) : null;
  const batchVariable = rounds.batchLoop ? loopVariable(rounds.batchLoop, context.resolver) : null;
  // Each loop variable with the scope it lives in: in a helper called from the loop, a same-named parameter is another value.
  const known = new Map<string, { scope: Scope; value: (epochIndex: number, batchIndex: number) => number }>();
  if (epochVariable) known.set(epochVariable.name, { scope: rounds.epochLoop!.scope, value: (epochIndex) => epochVariable.valueAt(epochIndex) });
  if (batchVariable && !known.has(batchVariable.name)) {
    known.set(batchVariable.name, { scope: rounds.batchLoop!.scope, value: (_, batchIndex) => batchVariable.valueAt(batchIndex) });
  }
  const parts: string[] = [];
  for (const { test, holds } of tests) {
    const text = substituteFileValues(test, known, loops, site.receiver.text, context);
    if (text === null) return unresolvedRounds();
    parts.push(holds ? `(${text})` : `not (${text})`);
  }
  const names = [...known.keys()];
  const values = [...known.values()].map((variable) => variable.value);
  try {
    const condition = compilePythonFunction(parts.join(' and '), names, { role: 'condition' });
    if (condition.unresolvedNames.length) return unresolvedRounds();
    const evaluate = (epochIndex: number, batchIndex: number): boolean => isTruthy(condition.invoke(values.map((value) => value(epochIndex, batchIndex))));
    // A test of the batch variable alone repeats every epoch (gradient accumulation): evaluate each batch once.
    const text = parts.join(' ');
    const reads = (name: string | undefined) => name !== undefined && new RegExp(`\\b${name}\\b`).test(text);
    const batchOnly = reads(batchVariable?.name) && !reads(epochVariable?.name);
    const perBatch = new Map<number, boolean>();
    const runs = !batchOnly
      ? evaluate
      : (_: number, batchIndex: number): boolean => {
          let result = perBatch.get(batchIndex);
          if (result === undefined) perBatch.set(batchIndex, (result = evaluate(0, batchIndex)));
          return result;
        };
    return { ...rounds, when: { description, runs } };
  } catch {
    return unresolvedRounds();
  }
}

/**
 * The text of `test` with the names it reads from the file replaced by their values; the loop variables in
 * `known` stay, and the stepped scheduler itself (`if scheduler is not None:`) is an object, so `True`.
 * Null when a name has no value the file shows, or changes inside the loops (a counter).
 */
function substituteFileValues(
  test: Node,
  known: Map<string, { scope: Scope }>,
  loops: LoopInfo[],
  receiver: string,
  context: AnalysisContext,
): string | null {
  const scope = context.model.scopeOf(test);
  const replacements: { start: number; end: number; text: string }[] = [];
  const seen = new Set<number>();
  for (const identifier of [test, ...test.descendantsOfType('identifier')]) {
    if (identifier?.type !== 'identifier' || EVALUATOR_BUILTINS.has(identifier.text)) continue;
    const parent = identifier.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === identifier.id) continue;
    const variable = known.get(identifier.text);
    if (variable && variable.scope !== scope) return null;
    if (variable) continue;
    if (loops.some((loop) => assignedIn(loop.node, identifier.text).length)) return null;
    // The longest attribute chain starting here (`args.accum_steps`), short of a method call.
    let expression: Node = identifier;
    while (expression.parent?.type === 'attribute' && expression.parent.childForFieldName('object')?.id === expression.id) {
      const outer = expression.parent;
      if (outer.parent?.type === 'call' && outer.parent.childForFieldName('function')?.id === outer.id) break;
      expression = outer;
    }
    // `len(train_loader)`: the loader's length (the steps-per-epoch setting, or a value the user set), not the loader.
    const call = expression.parent?.type === 'argument_list' && expression.parent.namedChildCount === 1 ? expression.parent.parent : null;
    if (call?.type === 'call' && call.childForFieldName('function')?.text === 'len') expression = call;
    if (seen.has(expression.id)) continue;
    seen.add(expression.id);
    const range = { start: expression.startIndex - test.startIndex, end: expression.endIndex - test.startIndex };
    if (expression.text === receiver) {
      replacements.push({ ...range, text: 'True' });
      continue;
    }
    const value = context.resolver.evaluate(expression, scope);
    if (!value.ok) return null;
    replacements.push({ ...range, text: pyRepr(value.value) });
  }
  let text = test.text;
  for (const replacement of replacements.sort((a, b) => b.start - a.start)) {
    text = text.slice(0, replacement.start) + replacement.text + text.slice(replacement.end);
  }
  return text;
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
 * A plateau schedule needs a metric per round. A literal in `step(0.5)` is used as written; otherwise the
 * metric is only known at run time, so the synthetic series stands in (src/analysis/plateauMetric.ts).
 */
function plateauMetrics(info: SchedulerInfo, steps: number): { metrics: (number | string)[]; info: MetricInfo } {
  const site = info.stepSites[0];
  // torch's step(metrics); timm's step(epoch, metric)
  const [position, keyword] = info.type.startsWith('timm.') ? [1, 'metric'] : [0, 'metrics'];
  const metricNode = site ? (site.args.positional[position] ?? site.args.keywords.find((k) => k.name === keyword)?.value ?? null) : null;
  if (metricNode && ['integer', 'float'].includes(metricNode.type)) {
    const value = Number(metricNode.text.replace(/_/g, ''));
    return {
      metrics: Array.from({ length: steps }, () => value),
      info: { source: 'code', expression: metricNode.text, description: `the constant ${metricNode.text} passed to step()` },
    };
  }
  return syntheticPlateauMetrics(steps, plateauMode(info.spec) ?? 'min', metricNode?.text ?? null);
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
  Object.defineProperty(result, 'error', { enumerable: true, get: () => errorFor(run, run.members.indexOf(top)) });
  return result;
}

/** The case's error as the finding of member `index` shows it: said to come from the member that raises it. */
function errorFor(run: CaseRun, index: number): CaseError | null {
  const error = run.result?.error ?? null;
  const failing = error && run.members.length > 1 ? run.failingMember : null;
  if (!error || failing === null || failing === index) return error;
  const source = run.members[failing];
  return { ...error, message: `${source.variable ?? source.type} (line ${source.call.range.startLine + 1}), on the same optimizer: ${error.message}` };
}
