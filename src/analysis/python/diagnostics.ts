// Diagnostics with stable codes and quick-fix edits. Messages quote what torch raises or warns where it does.
import { simulateCase } from '../../engine/simulate';
import { plateauMode } from '../plateauMetric';
import type { DiagnosticFinding, Severity, SourceRange, TextEdit } from '../types';
import type { AnalysisContext, CaseRun } from './analyzer';
import type { MethodSite, OptimizerInfo, SchedulerInfo } from './discover';
import { ancestor, namedChildrenOf, rangeOf, type Node } from './syntax';

/** The torch version assumed when the settings do not name one (the version the engine reproduces). */
export const DEFAULT_TORCH_VERSION = '2.13';

export function diagnose(context: AnalysisContext): DiagnosticFinding[] {
  const diagnostics: DiagnosticFinding[] = [];
  const version = parseVersion(context.options.torchVersion ?? DEFAULT_TORCH_VERSION);
  for (const info of context.schedulers) {
    getLrCalls(info.getLrSites, context, diagnostics);
    removedArgument(info, version, context, diagnostics);
    if (info.parent) continue;
    stepOrder(info, context, diagnostics);
    if (plateauMode(info.spec)) {
      plateauStepWithoutMetric(info, diagnostics);
      if (compareVersions(version, [2, 2]) < 0) plateauGetLastLr(info, diagnostics);
    }
  }
  getLrCalls(
    context.otherGetLrSites.filter((site) => /sched/i.test(site.receiver.text)),
    context,
    diagnostics,
  );
  if (context.syntaxError) {
    diagnostics.push(
      diagnostic(
        context.syntaxError,
        'syntax-error',
        'warning',
        'LR Lens could not read this line (Python syntax error); schedules after it may be missing.',
      ),
    );
  }
  const seenRuns = new Set<CaseRun>();
  for (const run of context.runs.values()) {
    if (seenRuns.has(run)) continue;
    seenRuns.add(run);
    caseErrors(run, diagnostics);
  }
  return diagnostics.sort((a, b) => a.range.startLine - b.range.startLine || a.range.startCol - b.range.startCol);
}

function diagnostic(node: Node | SourceRange, code: string, severity: Severity, message: string, fixes: DiagnosticFinding['fixes'] = []): DiagnosticFinding {
  const range = 'startLine' in node ? node : rangeOf(node);
  return { line: range.startLine + 1, range, code, severity, message, fixes };
}

// --- get-lr-call ---------------------------------------------------------------------------------------

function getLrCalls(sites: MethodSite[], context: AnalysisContext, out: DiagnosticFinding[]): void {
  for (const site of sites) {
    if (site.args.positional.length || site.args.keywords.length || insideSchedulerClass(site.call, context)) continue;
    const attribute = site.call.childForFieldName('function')?.childForFieldName('attribute');
    if (!attribute) continue;
    const receiver = site.receiver.text;
    out.push(
      diagnostic(
        site.call,
        'get-lr-call',
        'warning',
        `${receiver}.get_lr() outside the scheduler recomputes the next value instead of reading the current one ` +
          `(torch warns: "To get the last learning rate computed by the scheduler, please use \`get_last_lr()\`."). ` +
          `Use ${receiver}.get_last_lr().`,
        [{ title: `Use ${receiver}.get_last_lr()`, edits: [{ range: rangeOf(attribute), newText: 'get_last_lr' }] }],
      ),
    );
  }
}

/** Inside a class that defines `get_lr` (a custom scheduler), `self.get_lr()` is legitimate. */
function insideSchedulerClass(call: Node, context: AnalysisContext): boolean {
  for (let current: Node | null = call; current; current = ancestor(current, new Set(['class_definition']))) {
    if (current.type !== 'class_definition') continue;
    const scope = context.model.scopeOfDefinition(current);
    if (scope?.bindings.has('get_lr')) return true;
    if (/LRScheduler|_LRScheduler/.test(current.childForFieldName('superclasses')?.text ?? '')) return true;
  }
  return false;
}

// --- step-order ----------------------------------------------------------------------------------------

function stepOrder(info: SchedulerInfo, context: AnalysisContext, out: DiagnosticFinding[]): void {
  const optimizer = info.optimizer;
  if (!optimizer) return;
  for (const site of info.stepSites) {
    const loop = site.loops?.[0];
    if (!loop || !contains(loop.node, site.call) || sameFunction(loop.node, site.call) === false) continue;
    const inLoop = optimizer.stepSites.filter((step) => contains(loop.node, step.call));
    if (!inLoop.length) continue;
    const before = inLoop.filter((step) => step.call.startIndex < site.call.startIndex);
    const after = inLoop.filter((step) => step.call.startIndex > site.call.startIndex);
    const name = info.variable ?? info.type;
    const optimizerName = optimizer.call.variable ?? 'optimizer';
    if (!before.length && after.length) {
      const fix = moveAfter(site.call, after[after.length - 1].call, loop.node, context.model.source);
      out.push(
        diagnostic(
          site.call,
          'step-order',
          'warning',
          `${name}.step() runs before ${optimizerName}.step() in this loop, so the first learning rate is skipped ` +
            `(torch warns: "Detected call of \`lr_scheduler.step()\` before \`optimizer.step()\`"). Call it after ${optimizerName}.step().`,
          fix ? [{ title: `Move ${name}.step() after ${optimizerName}.step()`, edits: fix }] : [],
        ),
      );
    } else if (before.length && before.every((step) => step.viaScaler)) {
      const scaler = before[0].receiver.text;
      out.push(
        diagnostic(
          site.call,
          'step-order',
          'information',
          `The order is right: ${optimizerName} steps through ${scaler}.step(${optimizerName}). A GradScaler skips ` +
            `optimizer.step() when the gradients overflow (common in the first iterations while it calibrates the scale), ` +
            `so torch may still warn "Detected call of \`lr_scheduler.step()\` before \`optimizer.step()\`" once; that warning is harmless here.`,
        ),
      );
    }
  }
}

function contains(outer: Node, inner: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

function sameFunction(a: Node, b: Node): boolean {
  const types = new Set(['function_definition']);
  return ancestor(a, types)?.id === ancestor(b, types)?.id;
}

/** Moves the statement holding `call` to just after the loop-body statement holding `anchor`. */
function moveAfter(call: Node, anchor: Node, loop: Node, source: string): TextEdit[] | null {
  const body = loop.childForFieldName('body');
  if (!body) return null;
  const statementOf = (node: Node) => namedChildrenOf(body).find((child) => contains(child, node)) ?? null;
  const moved = statementOf(call);
  const target = statementOf(anchor);
  if (!moved || !target || moved.id === target.id || moved.type !== 'expression_statement' || moved.text !== call.text) return null;
  const lines = source.split('\n');
  const indent = lines[moved.startPosition.row].slice(0, moved.startPosition.column);
  const statementText = lines.slice(moved.startPosition.row, moved.endPosition.row + 1).join('\n').trimStart();
  const remove: TextEdit = {
    range: { startLine: moved.startPosition.row, startCol: 0, endLine: moved.endPosition.row + 1, endCol: 0 },
    newText: '',
  };
  const lastLine = target.endPosition.row;
  const insert: TextEdit =
    lastLine + 1 < lines.length
      ? { range: { startLine: lastLine + 1, startCol: 0, endLine: lastLine + 1, endCol: 0 }, newText: `${indent}${statementText}\n` }
      : {
          range: { startLine: lastLine, startCol: lines[lastLine].length, endLine: lastLine, endCol: lines[lastLine].length },
          newText: `\n${indent}${statementText}`,
        };
  return [remove, insert];
}

// --- ReduceLROnPlateau ---------------------------------------------------------------------------------

const METRIC_NAME = /^(val|valid|validation|test|eval|dev)?_?(loss|acc|accuracy|metric|score|error|f1|map|auc)$/i;

function plateauStepWithoutMetric(info: SchedulerInfo, out: DiagnosticFinding[]): void {
  for (const site of info.stepSites) {
    if (site.args.positional.length || site.args.keywords.some((k) => k.name === 'metrics') || site.args.hasSplat) continue;
    const name = info.variable ?? 'scheduler';
    const metric = nearbyMetricName(site);
    const list = site.args.list;
    const fixes =
      metric && list
        ? [{ title: `Pass ${metric} to ${name}.step()`, edits: [{ range: { ...rangeOf(list), startCol: rangeOf(list).startCol + 1, endCol: rangeOf(list).endCol - 1 }, newText: metric }] }]
        : [];
    out.push(
      diagnostic(
        site.call,
        'plateau-step-without-metric',
        'error',
        `ReduceLROnPlateau.step() needs the monitored metric, e.g. ${name}.step(val_loss); without it torch raises ` +
          `TypeError: ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'`,
        fixes,
      ),
    );
  }
}

/** A variable that looks like a validation metric, assigned before the call in the same function. */
function nearbyMetricName(site: MethodSite): string | null {
  let best: { name: string; start: number } | null = null;
  for (const [name, bindings] of site.scope.bindings) {
    if (!METRIC_NAME.test(name)) continue;
    for (const binding of bindings) {
      if (binding.start < site.call.startIndex && (!best || binding.start > best.start)) best = { name, start: binding.start };
    }
  }
  return best?.name ?? null;
}

function plateauGetLastLr(info: SchedulerInfo, out: DiagnosticFinding[]): void {
  const optimizerText = info.keywordNodes.get('optimizer')?.text ?? 'optimizer';
  for (const site of info.getLastLrSites) {
    const parent = site.call.parent;
    const indexed = parent?.type === 'subscript' && parent.childForFieldName('value')?.id === site.call.id ? parent : null;
    const index = indexed?.childForFieldName('subscript')?.text;
    const replaced = indexed ?? site.call;
    const newText = index !== undefined ? `${optimizerText}.param_groups[${index}]['lr']` : `[group['lr'] for group in ${optimizerText}.param_groups]`;
    out.push(
      diagnostic(
        replaced,
        'plateau-get-last-lr',
        'error',
        `ReduceLROnPlateau has no get_last_lr() before torch 2.2 (AttributeError: 'ReduceLROnPlateau' object has no attribute ` +
          `'get_last_lr'); read ${optimizerText}.param_groups[i]['lr'] instead.`,
        [{ title: `Read ${newText}`, edits: [{ range: rangeOf(replaced), newText }] }],
      ),
    );
  }
}

// --- removed-argument ----------------------------------------------------------------------------------

function removedArgument(info: SchedulerInfo, version: number[], context: AnalysisContext, out: DiagnosticFinding[]): void {
  const keyword = info.args.keywords.find((k) => k.name === 'verbose');
  if (!keyword) return;
  const neverAccepted = info.type === 'ChainedScheduler' || info.type === 'SWALR';
  const removed = neverAccepted || compareVersions(version, [2, 7]) >= 0;
  const deprecated = compareVersions(version, [2, 2]) >= 0;
  if (!removed && !deprecated) return;
  const torchMessage = `TypeError: ${info.type}.__init__() got an unexpected keyword argument 'verbose'`;
  const message = removed
    ? `${info.type} does not accept verbose= ${neverAccepted ? '' : 'in torch ≥ 2.7 '}(${torchMessage}). Remove it and log ${info.variable ?? 'scheduler'}.get_last_lr() instead.`
    : `verbose= is deprecated since torch 2.2 and rejected from 2.7 on (${torchMessage}). Remove it and log get_last_lr() instead.`;
  out.push(
    diagnostic(keyword.node, 'removed-argument', removed ? 'error' : 'warning', message, [
      { title: 'Remove verbose=', edits: [removeArgumentEdit(keyword.node, info.args.list!, context.model.source)] },
    ]),
  );
}

/** Deletes one argument with its separating comma (the one before it, or after it when it comes first). */
function removeArgumentEdit(argument: Node, list: Node, source: string): TextEdit {
  const args = namedChildrenOf(list).filter((child) => child.type !== 'comment');
  const index = args.findIndex((child) => child.id === argument.id);
  const toPoint = (offset: number) => pointAt(source, offset);
  let start: number;
  let end: number;
  if (index > 0) {
    start = args[index - 1].endIndex;
    end = argument.endIndex;
  } else if (args.length > 1) {
    start = argument.startIndex;
    end = args[1].startIndex;
  } else {
    start = argument.startIndex;
    end = argument.endIndex;
    // A trailing comma after the only argument goes too.
    const after = source.slice(end, list.endIndex - 1);
    const comma = after.match(/^\s*,/);
    if (comma) end += comma[0].length;
  }
  const from = toPoint(start);
  const to = toPoint(end);
  return { range: { startLine: from.line, startCol: from.col, endLine: to.line, endCol: to.col }, newText: '' };
}

function pointAt(source: string, offset: number): { line: number; col: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart };
}

// --- errors torch raises: invalid-argument, onecycle-overrun -----------------------------------------------

function caseErrors(run: CaseRun, out: DiagnosticFinding[]): void {
  const error = run.error;
  if (!error || error.phase === 'input' || error.type === 'InternalError' || error.type === 'Unsupported') return;
  const oneCycle = run.members.find((member) => member.type === 'OneCycleLR');
  if (error.phase === 'step' && oneCycle && /^Tried to step \d+ times/.test(error.message)) {
    if (run.assumptions.length === 0) oneCycleOverrun(oneCycle, run, error.step, error.message, out);
    return;
  }
  const failing = run.failingMember;
  const culprit = error.phase === 'construct' ? constructionCulprit(run) : failing !== null ? run.members[failing] : null;
  const target: SchedulerInfo | OptimizerInfo = culprit ?? run.members[run.members.length - 1];
  const argument = target.call.arguments.find((arg) => arg.name && new RegExp(`\\b${arg.name}\\b`).test(error.message));
  const where = error.phase === 'construct' ? 'at construction' : `at step ${error.step}`;
  out.push(
    diagnostic(argument ? argument.range : target.call.range, 'invalid-argument', 'error', `torch raises ${where}: ${error.type}: ${error.message}`),
  );
}

/** Which constructor of a case fails: the first scheduler that fails in order, else the optimizer alone. */
function constructionCulprit(run: CaseRun): SchedulerInfo | OptimizerInfo | null {
  const failing = run.failingMember;
  return failing !== null ? deepestFailing(run.members[failing], run.case.optimizer) : run.members[0].optimizer;
}

/** A composite fails when one of its children does: point at the child. */
function deepestFailing(info: SchedulerInfo, optimizer: CaseRun['case']['optimizer']): SchedulerInfo {
  for (const child of info.children) {
    if (simulateCase({ optimizer, scheduler: child.spec, steps: 0 }).error) return deepestFailing(child, optimizer);
  }
  return info;
}

function oneCycleOverrun(info: SchedulerInfo, run: CaseRun, failingStep: number, message: string, out: DiagnosticFinding[]): void {
  const { rounds } = run;
  // With a plan (gradient accumulation, `if` around step()), not every round steps the scheduler: count its steps.
  const index = run.members.indexOf(info);
  const total = run.case.plan ? run.case.plan.slice(0, failingStep - 1).filter((round) => round.includes(index)).length : failingStep - 1;
  const loopSteps = run.stepsOf(index);
  const spe = rounds.unit === 'step' ? (rounds.stepsPerEpoch ?? 1) : 1;
  const epochIndex = Math.floor((failingStep - 1) / spe);
  const epoch = rounds.epochStart + epochIndex;
  const ordinal = `the ${epochIndex + 1}${ordinalSuffix(epochIndex + 1)} of ${rounds.epochs}`;
  let where = rounds.unit === 'step' ? `epoch ${epoch} (${ordinal}), batch ${(failingStep - 1) % spe}` : `epoch ${epoch} (${ordinal})`;
  // A step loop with no epochs around it: say which iteration, by the loop variable when it has one.
  if (rounds.unit === 'step' && rounds.stepsPerEpoch === null) {
    const variable = rounds.batchLoop?.variable;
    const value = (rounds.batchCount?.start ?? 0) + failingStep - 1;
    where = `${variable && /^\w+$/.test(variable) ? `${variable} = ${value}` : 'the loop'} (${ordinal} iterations)`;
  }
  const fix = overrunFix(info, run);
  out.push(
    diagnostic(
      info.call.range,
      'onecycle-overrun',
      'error',
      `The training loop steps ${info.variable ?? 'OneCycleLR'} ${loopSteps} times but OneCycleLR allows ${total}: ` +
        `torch raises "ValueError: ${message}" at scheduler step ${total + 1}, in ${where}.`,
      fix ? [fix] : [],
    ),
  );
}

function ordinalSuffix(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

function overrunFix(info: SchedulerInfo, run: CaseRun): DiagnosticFinding['fixes'][number] | null {
  const { rounds } = run;
  const totalNode = info.keywordNodes.get('total_steps');
  const steps = run.stepsOf(run.members.indexOf(info));
  if (totalNode && totalNode.type !== 'none') {
    return { title: `Set total_steps to ${steps}`, edits: [{ range: rangeOf(totalNode), newText: String(steps) }] };
  }
  // epochs × steps_per_epoch from the loops is only right when the scheduler steps every round.
  if (run.case.plan) return null;
  const epochsNode = info.keywordNodes.get('epochs');
  const speNode = info.keywordNodes.get('steps_per_epoch');
  if (!epochsNode || !speNode) return null;
  const edits: TextEdit[] = [];
  const currentEpochs = info.call.arguments.find((arg) => arg.name === 'epochs')?.value;
  const currentSpe = info.call.arguments.find((arg) => arg.name === 'steps_per_epoch')?.value;
  const loopSpe = rounds.unit === 'step' ? (rounds.stepsPerEpoch ?? 1) : 1;
  if (currentEpochs !== rounds.epochs) {
    const boundText = rounds.epochStart === 0 ? rounds.epochCount?.boundText : null;
    edits.push({ range: rangeOf(epochsNode), newText: boundText ?? String(rounds.epochs) });
  }
  if (currentSpe !== loopSpe) {
    const iterable = rounds.batchLoop?.iterable;
    const text = rounds.batchCount?.boundText ?? (iterable && iterable.type !== 'call' ? `len(${iterable.text})` : String(loopSpe));
    edits.push({ range: rangeOf(speNode), newText: text });
  }
  return edits.length ? { title: 'Match epochs and steps_per_epoch to the training loop', edits } : null;
}

// --- versions ------------------------------------------------------------------------------------------

export function parseVersion(text: string): number[] {
  return text
    .split(/[.+-]/)
    .slice(0, 3)
    .map((part) => Number.parseInt(part, 10))
    .map((part) => (Number.isNaN(part) ? 0 : part));
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
