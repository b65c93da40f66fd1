// Finds optimizer and scheduler constructors, what each scheduler is bound to, composite children, and
// the method calls on them (`step`, `get_lr`, `get_last_lr`, `scaler.step(optimizer)`). Hugging Face
// transformers' schedule functions (`get_linear_schedule_with_warmup(...)`, `get_scheduler(...)`) are
// schedulers too, of type "transformers.<function>", their arguments bound by the function's parameter names;
// so are timm's (`CosineLRScheduler(...)`, `create_scheduler_v2(...)`, type "timm.<name>"), stepped by `step(epoch)`
// or `step_update(...)` as they count.
import type { OptimizerSpec, PyLike, SchedulerSpec } from '../../engine/case';
import { TIMM_SCHEDULERS } from '../../engine/frameworks';
import type { ArgumentInfo, CallInfo } from '../types';
import type { Evaluation, Resolver } from './evaluate';
import { functionArgument } from './functions';
import { timmCountsUpdates, timmPositional, timmSchedulerName } from './timmApi';
import { loopsAround, type LoopInfo } from './loops';
import type { CallRecord, FileModel, Scope } from './model';
import { argumentNode, callArguments, namedChildrenOf, rangeOf, unparenthesize, type CallArguments, type Node } from './syntax';
import {
  COMPOSITE_SCHEDULERS,
  FUNCTION_ARGUMENTS,
  OPTIMIZER_POSITIONAL,
  SCHEDULE_RELEVANT_OPTIMIZER_KWARGS,
  SCHEDULER_POSITIONAL,
} from './torchApi';
import {
  readsSchedulerName,
  schedulerTypeName,
  TRANSFORMERS_SCHEDULE_POSITIONAL,
  transformersOptimizerPosition,
  transformersScheduleFunction,
  transformersType,
} from './transformersApi';

export interface OptimizerInfo {
  node: Node;
  scope: Scope;
  type: string;
  call: CallInfo;
  spec: OptimizerSpec;
  unresolved: string[];
  /** `optimizer.step()` calls (directly or through `scaler.step(optimizer)`). */
  stepSites: MethodSite[];
}

export interface MethodSite {
  call: Node;
  scope: Scope;
  /** The object the method is called on (`scheduler` in `scheduler.step()`). */
  receiver: Node;
  args: CallArguments;
  /** For optimizer steps: taken through a GradScaler (`scaler.step(optimizer)`). */
  viaScaler?: boolean;
  /** The receiver is what `accelerator.prepare(...)` handed back (Hugging Face Accelerate's wrapper). */
  viaAccelerate?: boolean;
  loops?: LoopInfo[];
}

export interface SchedulerInfo {
  node: Node;
  scope: Scope;
  type: string;
  variable: string | null;
  call: CallInfo;
  args: CallArguments;
  optimizer: OptimizerInfo | null;
  /** The optimizer argument's text, when it could not be traced to a constructor. */
  optimizerText: string | null;
  spec: SchedulerSpec;
  unresolved: string[];
  children: SchedulerInfo[];
  parent: SchedulerInfo | null;
  stepSites: MethodSite[];
  getLrSites: MethodSite[];
  getLastLrSites: MethodSite[];
  /** Keyword arguments by name (values only), for diagnostics. */
  keywordNodes: Map<string, Node>;
}

export interface Discovery {
  optimizers: OptimizerInfo[];
  schedulers: SchedulerInfo[];
  /** `x.get_lr()` calls whose receiver is not a known scheduler (still flagged when outside a scheduler class). */
  otherGetLrSites: MethodSite[];
}

const OPTIMIZER_PATTERN = /^torch\.optim\.(?:optimizer\.)?(\w+)$/;
const SCHEDULER_PATTERN = /^torch\.optim\.(lr_scheduler|swa_utils)\.(\w+)$/;
const SCALER_PATTERN = /(^|\.)GradScaler$/;

export function discover(model: FileModel, resolver: Resolver): Discovery {
  const optimizersById = new Map<number, OptimizerInfo>();
  const schedulers: SchedulerInfo[] = [];
  const schedulersById = new Map<number, SchedulerInfo>();
  const scalerIds = new Set<number>();
  const methodCalls: { record: CallRecord; method: string; receiver: Node }[] = [];

  const importedAliases = [...model.imports].filter(
    ([local, target]) => /^(?:torch\.optim|transformers)\./.test(target) && !target.endsWith(`.${local}`),
  );
  const names = [
    ...Object.keys(SCHEDULER_POSITIONAL),
    ...Object.keys(OPTIMIZER_POSITIONAL),
    ...Object.keys(TRANSFORMERS_SCHEDULE_POSITIONAL),
    ...Object.keys(TIMM_SCHEDULERS),
    'create_scheduler_v2',
    ...importedAliases.map(([local]) => local),
    'GradScaler',
    'step',
    'step_update',
    'get_lr',
    'get_last_lr',
  ];
  for (const record of model.findCalls(names)) {
    if (!record.callee) continue;
    const lastDot = record.callee.lastIndexOf('.');
    const method = record.callee.slice(lastDot + 1);
    if (lastDot > 0 && (method === 'step' || method === 'step_update' || method === 'get_lr' || method === 'get_last_lr')) {
      const receiver = record.node.childForFieldName('function')?.childForFieldName('object');
      if (receiver) methodCalls.push({ record, method, receiver });
    }
    const qualified = resolver.qualifiedCallee(record.node, record.scope);
    if (!qualified) continue;
    const optimizerMatch = OPTIMIZER_PATTERN.exec(qualified);
    if (optimizerMatch && optimizerMatch[1] in OPTIMIZER_POSITIONAL) {
      optimizersById.set(record.node.id, buildOptimizer(record.node, record.scope, optimizerMatch[1], resolver));
      continue;
    }
    const schedulerMatch = SCHEDULER_PATTERN.exec(qualified);
    if (schedulerMatch && schedulerMatch[2] in SCHEDULER_POSITIONAL && (schedulerMatch[1] === 'swa_utils') === (schedulerMatch[2] === 'SWALR')) {
      const info = buildScheduler(record.node, record.scope, schedulerMatch[2], resolver, model);
      schedulers.push(info);
      schedulersById.set(record.node.id, info);
      continue;
    }
    const timmName = timmSchedulerName(qualified);
    if (timmName) {
      const info = buildScheduler(record.node, record.scope, `timm.${timmName}`, resolver, model);
      schedulers.push(info);
      schedulersById.set(record.node.id, info);
      continue;
    }
    const scheduleFunction = transformersScheduleFunction(qualified);
    if (scheduleFunction) {
      const info = buildScheduler(record.node, record.scope, transformersType(scheduleFunction), resolver, model);
      if (scheduleFunction === 'get_scheduler' && !readsSchedulerName(info.spec.kwargs?.name)) continue;
      schedulers.push(info);
      schedulersById.set(record.node.id, info);
      continue;
    }
    if (SCALER_PATTERN.test(qualified)) scalerIds.add(record.node.id);
  }

  // What an object expression may be: `StepLR(...) if args.sched else None` is either branch, a variable
  // assigned in if/elif branches any of them, so each scheduler there is one its step() and get_last_lr() reach.
  const originIds = (node: Node, scope: Scope): number[] => resolver.possibleOrigins(node, scope).map((origin) => origin.node.id);
  const originId = (node: Node, scope: Scope): number | null => resolver.origin(node, scope)?.node.id ?? null;
  const found = <T>(ids: number[], byId: Map<number, T>): T[] => ids.flatMap((id) => (byId.has(id) ? [byId.get(id) as T] : []));

  // Bind each scheduler to its optimizer.
  for (const info of schedulers) {
    const optimizerNode = argumentNode(info.args, 'optimizer', optimizerPosition(info.type));
    if (!optimizerNode) continue;
    // The optimizer built with the file's values (`if args.opt == "sgd": ... elif ...`), else the only one it may be.
    const executed = resolver.origin(optimizerNode, info.scope);
    const candidates = found(originIds(optimizerNode, info.scope), optimizersById);
    info.optimizer = (executed && optimizersById.get(executed.node.id)) ?? (candidates.length === 1 ? candidates[0] : null);
    if (!info.optimizer) info.optimizerText = optimizerNode.text;
  }
  // Composite children (by variable or inline), built before their parent.
  for (const info of schedulers) {
    if (!COMPOSITE_SCHEDULERS.has(info.type)) continue;
    const listNode = argumentNode(info.args, 'schedulers', info.type === 'ChainedScheduler' ? 0 : 1);
    const origin = listNode ? resolver.origin(listNode, info.scope) : null;
    if (!origin || !['list', 'tuple'].includes(origin.node.type)) {
      if (listNode) info.unresolved.push(listNode.text);
      continue;
    }
    const specs: SchedulerSpec[] = [];
    const claims = resolver.runs(info.node, info.scope) !== false;
    for (const element of namedChildrenOf(origin.node)) {
      const id = originId(element, origin.scope);
      const child = id !== null ? schedulersById.get(id) : undefined;
      if (!child) {
        info.unresolved.push(element.text);
        continue;
      }
      specs.push(child.spec);
      // A composite in a branch that does not run does not take its children from the schedule that runs.
      if (!claims) continue;
      child.parent = info;
      info.children.push(child);
    }
    info.spec.kwargs = { ...info.spec.kwargs, schedulers: specs };
    // ChainedScheduler(schedulers) without optimizer=: torch takes the children's optimizer.
    if (!info.optimizer && info.type === 'ChainedScheduler') {
      info.optimizer = info.children.find((child) => child.optimizer)?.optimizer ?? null;
      if (info.optimizer) info.optimizerText = null;
    }
  }

  // Method calls on schedulers and optimizers.
  const otherGetLrSites: MethodSite[] = [];
  for (const { record, method, receiver } of methodCalls) {
    const site: MethodSite = { call: record.node, scope: record.scope, receiver, args: callArguments(record.node) };
    const ids = originIds(receiver, record.scope);
    const reached = found(ids, schedulersById);
    if (reached.length) {
      const targets = new Set(reached.flatMap((scheduler) => [scheduler, ...schedulers.filter((other) => other !== scheduler && isAlternative(other, scheduler))]));
      for (const target of targets) {
        // timm moves the lr on step_update when it counts updates, else on step(epoch); the other call leaves it.
        const stepsIt = target.type.startsWith('timm.') ? method === (timmCountsUpdates(target.spec) ? 'step_update' : 'step') : method === 'step';
        if (stepsIt) target.stepSites.push({ ...site, loops: loopsAround(record.node, model), viaAccelerate: resolver.preparedByAccelerate(receiver, record.scope) });
        else if (method === 'step' || method === 'step_update') continue;
        else if (method === 'get_lr') target.getLrSites.push(site);
        else target.getLastLrSites.push(site);
      }
      continue;
    }
    if (method === 'get_lr') {
      otherGetLrSites.push(site);
      continue;
    }
    if (method !== 'step') continue;
    const optimizers = found(ids, optimizersById);
    if (optimizers.length) {
      for (const optimizer of optimizers) optimizer.stepSites.push(site);
      continue;
    }
    if (ids.some((id) => scalerIds.has(id)) && site.args.positional[0]) {
      const stepped = originId(site.args.positional[0], record.scope);
      const target = stepped !== null ? optimizersById.get(stepped) : undefined;
      if (target) target.stepSites.push({ ...site, viaScaler: true });
    }
  }
  return { optimizers: [...optimizersById.values()], schedulers, otherGetLrSites };
}

/** Two constructors assigned to the same variable in different branches of one `if`: only one exists at run time. */
export function isAlternative(a: SchedulerInfo, b: SchedulerInfo): boolean {
  return a.variable !== null && a.variable === b.variable && a.scope === b.scope && inExclusiveBranches(a.node, b.node);
}

/** Whether a and b sit in different branches of one `if` statement or `x if c else y` expression. */
export function inExclusiveBranches(a: Node, b: Node): boolean {
  for (let current = a.parent; current; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'module') return false;
    if (current.type !== 'if_statement' && current.type !== 'conditional_expression') continue;
    if (b.startIndex < current.startIndex || b.endIndex > current.endIndex) continue;
    const clauseOf = (node: Node) => current!.children.find((child) => child && node.startIndex >= child.startIndex && node.endIndex <= child.endIndex)?.id;
    const clauseA = clauseOf(a);
    const clauseB = clauseOf(b);
    return clauseA !== undefined && clauseB !== undefined && clauseA !== clauseB;
  }
  return false;
}

/** Where a scheduler takes its optimizer positionally. */
function optimizerPosition(type: string): number {
  if (type.startsWith('transformers.')) return transformersOptimizerPosition(type.slice('transformers.'.length));
  return type === 'ChainedScheduler' ? 1 : 0;
}

/** A scheduler's parameter names in positional order: torch's class, the transformers function, or timm's. */
function schedulerPositional(type: string): string[] {
  if (type.startsWith('transformers.')) return TRANSFORMERS_SCHEDULE_POSITIONAL[type.slice('transformers.'.length)];
  if (type.startsWith('timm.')) return timmPositional(type.slice('timm.'.length));
  return SCHEDULER_POSITIONAL[type];
}

function argumentInfos(args: CallArguments, positionalNames: string[]): ArgumentInfo[] {
  const infos: ArgumentInfo[] = args.positional.map((node, position) => ({
    name: positionalNames[position] ?? null,
    position,
    text: node.text,
    range: rangeOf(node),
  }));
  for (const keyword of args.keywords) infos.push({ name: keyword.name, position: null, text: keyword.value.text, range: rangeOf(keyword.value) });
  return infos;
}

export function callInfo(node: Node, type: string, args: CallArguments, positionalNames: string[]): CallInfo {
  return {
    type,
    variable: assignedVariable(node),
    range: rangeOf(node),
    argumentsRange: args.list ? rangeOf(args.list) : rangeOf(node),
    arguments: argumentInfos(args, positionalNames),
  };
}

/**
 * `scheduler` in `scheduler = StepLR(...)` or `scheduler = StepLR(...) if args.sched else None`,
 * `self.scheduler` for attributes; null for inline constructors.
 */
function assignedVariable(call: Node): string | null {
  let current = call;
  for (;;) {
    const parent = current.parent;
    if (parent?.type === 'parenthesized_expression') current = parent;
    else if (parent?.type === 'conditional_expression' && namedChildrenOf(parent)[1]?.id !== current.id) current = parent;
    else break;
  }
  const parent = current.parent;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== current.id) return null;
  let left = parent.childForFieldName('left');
  // `scheduler, num_epochs = create_scheduler_v2(...)`: timm returns the scheduler first.
  if (left && ['pattern_list', 'tuple_pattern'].includes(left.type) && /(^|\.)create_scheduler_v2$/.test(call.childForFieldName('function')?.text ?? '')) {
    left = namedChildrenOf(left)[0] ?? null;
  }
  return left && (left.type === 'identifier' || left.type === 'attribute') ? left.text : null;
}

function buildOptimizer(node: Node, scope: Scope, type: string, resolver: Resolver): OptimizerInfo {
  const args = callArguments(node);
  const names = ['params', ...OPTIMIZER_POSITIONAL[type]];
  const call = callInfo(node, type, args, names);
  const unresolved: string[] = [];
  const defaults: { [name: string]: PyLike } = {};
  call.arguments.forEach((argument, index) => {
    if (!argument.name || argument.name === 'params') return;
    const valueNode = index < args.positional.length ? args.positional[index] : args.keywords[index - args.positional.length].value;
    const value = resolver.evaluate(valueNode, scope);
    if (value.ok) {
      argument.value = value.value;
      defaults[argument.name] = value.value;
    } else if (SCHEDULE_RELEVANT_OPTIMIZER_KWARGS.has(argument.name)) {
      unresolved.push(...value.missing);
    }
  });
  if (args.hasSplat) unresolved.push(`${node.text.split('(')[0]}(…**kwargs)`);
  const spec: OptimizerSpec = { type, defaults };
  const paramsNode = argumentNode(args, 'params', 0);
  if (paramsNode) {
    const groups = paramGroups(paramsNode, scope, resolver);
    if (groups.groups) spec.groups = groups.groups;
    unresolved.push(...groups.missing);
  }
  return { node, scope, type, call, spec, unresolved: [...new Set(unresolved)], stepSites: [] };
}

/** A list of dicts → per-group overrides (without `params`); anything else is one group. */
function paramGroups(paramsNode: Node, scope: Scope, resolver: Resolver): { groups: { [name: string]: PyLike }[] | null; missing: string[] } {
  const origin = resolver.origin(paramsNode, scope);
  if (!origin) return { groups: null, missing: [] };
  const list = unparenthesize(origin.node);
  if (list.type === 'list_comprehension') {
    const elementIsDict = list.namedChild(0)?.type === 'dictionary';
    return { groups: null, missing: elementIsDict ? [`param groups built by ${list.text.length > 40 ? 'a list comprehension' : list.text}`] : [] };
  }
  if (list.type !== 'list' && list.type !== 'tuple') return { groups: null, missing: [] };
  const elements = namedChildrenOf(list).map((element) => resolver.origin(element, origin.scope) ?? { node: element, scope: origin.scope });
  if (!elements.some((element) => unparenthesize(element.node).type === 'dictionary')) return { groups: null, missing: [] };
  const groups: { [name: string]: PyLike }[] = [];
  const missing: string[] = [];
  for (const element of elements) {
    const dict = unparenthesize(element.node);
    if (dict.type !== 'dictionary') {
      missing.push(`param group ${element.node.text}`);
      continue;
    }
    const group: { [name: string]: PyLike } = {};
    for (const pair of namedChildrenOf(dict)) {
      if (pair.type !== 'pair') {
        missing.push(pair.text);
        continue;
      }
      const key = pair.childForFieldName('key');
      const valueNode = pair.childForFieldName('value');
      const keyValue = key ? resolver.evaluate(key, element.scope) : null;
      if (!keyValue?.ok || typeof keyValue.value !== 'string' || !valueNode) {
        missing.push(pair.text);
        continue;
      }
      if (keyValue.value === 'params') continue;
      const value = resolver.evaluate(valueNode, element.scope);
      if (value.ok) group[keyValue.value] = value.value;
      else if (SCHEDULE_RELEVANT_OPTIMIZER_KWARGS.has(keyValue.value)) missing.push(...value.missing);
    }
    groups.push(group);
  }
  return { groups, missing };
}

function buildScheduler(node: Node, scope: Scope, type: string, resolver: Resolver, model: FileModel): SchedulerInfo {
  const args = callArguments(node);
  const call = callInfo(node, type, args, schedulerPositional(type));
  const unresolved: string[] = [];
  const kwargs: { [name: string]: PyLike } = {};
  const keywordNodes = new Map<string, Node>();
  call.arguments.forEach((argument, index) => {
    const valueNode = index < args.positional.length ? args.positional[index] : args.keywords[index - args.positional.length].value;
    if (argument.name) keywordNodes.set(argument.name, valueNode);
    // The optimizer and children are bound separately; `verbose` is reported as removed-argument.
    if (!argument.name || argument.name === 'optimizer' || argument.name === 'schedulers' || argument.name === 'verbose') return;
    let value: Evaluation;
    if (FUNCTION_ARGUMENTS.has(argument.name)) value = functionArgument(valueNode, scope, resolver, model);
    else if (type === 'transformers.get_scheduler' && argument.name === 'name') value = schedulerTypeName(valueNode, scope, resolver, model);
    else value = resolver.evaluate(valueNode, scope);
    if (value.ok) {
      argument.value = value.value;
      kwargs[argument.name] = value.value;
    } else {
      unresolved.push(...value.missing);
    }
  });
  if (args.hasSplat) unresolved.push(`${node.text.split('(')[0]}(…**kwargs)`);
  return {
    node,
    scope,
    type,
    variable: call.variable,
    call,
    args,
    optimizer: null,
    optimizerText: null,
    spec: { type, kwargs },
    unresolved: [...new Set(unresolved)],
    children: [],
    parent: null,
    stepSites: [],
    getLrSites: [],
    getLastLrSites: [],
    keywordNodes,
  };
}
