// The loop structure around a `scheduler.step()` call: which loop is the epoch loop, whether the call
// sits in a batch loop inside it (then the scheduler counts batches), and how many times each runs.
// Loops are followed across function boundaries: `train_one_epoch(...)` called inside `for epoch in ...`.
import type { PyLike } from '../../engine/case';
import type { Evaluation, Resolver } from './evaluate';
import type { FileModel, Scope } from './model';
import { callArguments, dottedName, namedChildrenOf, unparenthesize, type Node } from './syntax';

export interface LoopInfo {
  node: Node;
  scope: Scope;
  /** The loop variable's text (`epoch`, `i, (x, y)`), or null for `while`. */
  variable: string | null;
  /** The loop's target (the `left` of `for … in`), or null for `while`. */
  target: Node | null;
  /** The iterable, unwrapped from enumerate/tqdm/…, or null for `while`. */
  iterable: Node | null;
}

export interface LoopCount {
  /** The number of iterations, when the code shows it. */
  count: number | null;
  /** The first value of a `range(...)` loop variable (for messages: "epoch 7"). */
  start: number;
  /** Names that kept the count from being known. */
  missing: string[];
  /** The text of the bound (`args.epochs`), for quick fixes. */
  boundText: string | null;
}

const MAX_CALL_DEPTH = 4;
const ITERABLE_WRAPPERS = /(^|\.)(enumerate|tqdm|trange|iter|progress_bar|track)$/;
/** A word of an identifier that names epochs: `epoch`, `epochs`, `nepochs`, `num`+`Epochs`. */
const EPOCH_WORD = /^(n|num|nb|max|total)?epochs?\d*$/;
/** Words that make an epoch-named identifier a per-epoch quantity (`STEPS_PER_EPOCH`, `epoch_size`). */
const PER_EPOCH_WORD = /^(per|steps?|batch(es)?|iters?|iterations?|its|size|len|length|samples?|updates?)$/;
const BATCH_NAME = /batch|step|iter|^it$|^i$|^j$|^idx$|^b$|^data$|^x$|^inputs?$|^sample/i;

/** Loops around `node`, innermost first, continuing at the first call site of each enclosing function. */
export function loopsAround(node: Node, model: FileModel, depth = 0): LoopInfo[] {
  const loops: LoopInfo[] = [];
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'for_statement') {
      const body = current.childForFieldName('body');
      if (body && node.startIndex >= body.startIndex) loops.push(forLoop(current, model));
    } else if (current.type === 'while_statement') {
      loops.push({ node: current, scope: model.scopeOf(current), variable: null, target: null, iterable: null });
    } else if (current.type === 'function_definition') {
      const name = current.childForFieldName('name')?.text;
      if (!name || depth >= MAX_CALL_DEPTH) break;
      const site = model.callSitesOf(name).find((call) => call.node.startIndex < current!.startIndex || call.node.startIndex >= current!.endIndex);
      if (site) loops.push(...loopsAround(site.node, model, depth + 1));
      break;
    }
  }
  return loops;
}

function forLoop(node: Node, model: FileModel): LoopInfo {
  const left = node.childForFieldName('left');
  let iterable = node.childForFieldName('right');
  // enumerate(loader), tqdm(loader, desc=...), trange(n) ≡ range(n)
  while (iterable && unparenthesize(iterable).type === 'call') {
    const call = unparenthesize(iterable);
    const callee = dottedName(call.childForFieldName('function')) ?? '';
    if (!ITERABLE_WRAPPERS.test(callee) || /trange$/.test(callee)) break;
    const first = callArguments(call).positional[0];
    if (!first) break;
    iterable = first;
  }
  return { node, scope: model.scopeOf(node), variable: left ? left.text : null, target: left, iterable: iterable ? unparenthesize(iterable) : null };
}

/**
 * An epoch loop by its names, read as whole identifiers: the loop variable (`epoch`, `cur_epoch`), or for
 * another variable the identifiers in the iterable (`for _ in range(args.epochs)`) or a while loop's
 * condition (`while epoch < max_epochs`), but never with a per-epoch count there (`for k in
 * range(STEPS_PER_EPOCH)`, `range(epoch_size)`).
 */
export function looksLikeEpochLoop(loop: LoopInfo): boolean {
  const targets = loop.target ? identifiersIn(loop.target) : [];
  if (targets.some(namesEpochs)) return true;
  if (BATCH_NAME.test(targets[0] ?? '')) return false;
  const condition = loop.node.type === 'while_statement' ? loop.node.childForFieldName('condition') : null;
  const bound = loop.iterable ? (isRangeCall(loop.iterable) ? callArguments(loop.iterable).positional : [loop.iterable]) : condition ? [condition] : [];
  const names = bound.flatMap(identifiersIn);
  return names.some(namesEpochs) && !names.some(namesPerEpoch);
}

/** The words of an identifier (snake_case and camelCase parts), lower-cased. */
function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split('_')
    .filter(Boolean);
}

function namesEpochs(name: string): boolean {
  const words = identifierWords(name);
  return words.some((word) => EPOCH_WORD.test(word)) && !words.some((word) => PER_EPOCH_WORD.test(word));
}

function namesPerEpoch(name: string): boolean {
  return identifierWords(name).some((word) => PER_EPOCH_WORD.test(word));
}

/** The identifiers in an expression, in source order (`args.epochs` → args, epochs). */
function identifiersIn(node: Node): string[] {
  if (node.type === 'identifier') return [node.text];
  return namedChildrenOf(node).flatMap(identifiersIn);
}

export function isRangeCall(node: Node): boolean {
  return node.type === 'call' && /(^|\.)(range|trange)$/.test(dottedName(node.childForFieldName('function')) ?? '');
}

/** How many iterations a loop makes, when the code says. */
export function loopCount(loop: LoopInfo, resolver: Resolver): LoopCount {
  const unknown: LoopCount = { count: null, start: 0, missing: [], boundText: null };
  if (!loop.iterable) return whileCounterCount(loop, resolver) ?? { ...unknown, missing: [loop.node.text.split('\n')[0].replace(/:\s*$/, '')] };
  if (isRangeCall(loop.iterable)) {
    const args = callArguments(loop.iterable).positional;
    const values: number[] = [];
    const missing: string[] = [];
    for (const arg of args) {
      const value: Evaluation = resolver.evaluate(arg, loop.scope);
      if (value.ok && typeof value.value === 'number' && Number.isInteger(value.value)) values.push(value.value);
      else missing.push(...(value.ok ? [arg.text] : value.missing));
    }
    const boundText = args.length === 1 ? args[0].text : args.length === 2 ? args[1].text : null;
    if (missing.length || !values.length) return { count: null, start: 0, missing, boundText };
    const [start, stop, step] = values.length === 1 ? [0, values[0], 1] : [values[0], values[1], values[2] ?? 1];
    if (step === 0) return { count: null, start, missing: [loop.iterable.text], boundText };
    return { count: Math.max(0, Math.ceil((stop - start) / step)), start, missing: [], boundText };
  }
  const value = resolver.evaluate(loop.iterable, loop.scope);
  if (value.ok && (Array.isArray(value.value) || typeof value.value === 'string')) {
    return { count: (value.value as PyLike[] | string).length, start: 0, missing: [], boundText: null };
  }
  const lengthName = `len(${loop.iterable.text})`;
  // A length the user set for this loader (the name the assumptions mention).
  const length = resolver.override(lengthName);
  if (typeof length === 'number' && Number.isInteger(length) && length >= 0) return { count: length, start: 0, missing: [], boundText: null };
  return { ...unknown, missing: [lengthName] };
}

/**
 * `while step < TOTAL: …; step += 1`: the number of iterations of a plain counter loop, when the counter is
 * set before the loop, raised by a constant at the top level of the body and assigned nowhere else in it,
 * and the body has no `break` (which could end it early).
 */
function whileCounterCount(loop: LoopInfo, resolver: Resolver): LoopCount | null {
  const condition = unparenthesize(loop.node.childForFieldName('condition') ?? loop.node);
  const body = loop.node.childForFieldName('body');
  if (condition.type !== 'comparison_operator' || !body || loop.node.childForFieldName('alternative')) return null;
  const operands = namedChildrenOf(condition);
  const operator = condition.children.find((child) => child !== null && !child.isNamed)?.type;
  if (operands.length !== 2 || (operator !== '<' && operator !== '<=') || operands[0].type !== 'identifier') return null;
  const counter = operands[0].text;
  const increments = namedChildrenOf(body).filter((statement) => {
    const expression = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    return expression?.type === 'augmented_assignment' && expression.childForFieldName('left')?.text === counter;
  });
  if (increments.length !== 1) return null;
  const increment = increments[0].namedChild(0)!;
  const incrementValue = increment.childForFieldName('right');
  if (increment.children.find((child) => child !== null && !child.isNamed)?.type !== '+=' || incrementValue?.type !== 'integer') return null;
  if (assignedIn(body, counter).length !== 1 || hasOwnBreak(body)) return null;
  const step = Number(incrementValue.text.replace(/_/g, ''));
  const start = resolver.evaluate(operands[0], loop.scope);
  const stop = resolver.evaluate(operands[1], loop.scope);
  if (!start.ok || !stop.ok) return { count: null, start: 0, missing: [...(start.ok ? [] : start.missing), ...(stop.ok ? [] : stop.missing)], boundText: operands[1].text };
  if (typeof start.value !== 'number' || typeof stop.value !== 'number' || !Number.isInteger(start.value) || !(step > 0)) return null;
  const span = stop.value - start.value + (operator === '<=' ? 1 : 0);
  return { count: Math.max(0, Math.ceil(span / step)), start: start.value, missing: [], boundText: operands[1].text };
}

/** The assignments (plain, augmented, loop targets) to `name` anywhere inside `node`. */
export function assignedIn(node: Node, name: string): Node[] {
  const targets: Node[] = [];
  for (const statement of node.descendantsOfType(['assignment', 'augmented_assignment', 'for_statement', 'named_expression'])) {
    if (!statement) continue;
    const target = statement.childForFieldName(statement.type === 'named_expression' ? 'name' : 'left');
    if (!target) continue;
    const identifiers = target.type === 'identifier' ? [target] : target.descendantsOfType('identifier');
    if (identifiers.some((identifier) => identifier?.text === name)) targets.push(statement);
  }
  return targets;
}

/** A `break` or `return` that ends this loop early (not a `break` of a nested loop). */
function hasOwnBreak(body: Node): boolean {
  return body.descendantsOfType(['break_statement', 'return_statement']).some((statement) => {
    for (let current = statement?.parent ?? null; current && current.id !== body.id; current = current.parent) {
      if (current.type === 'function_definition') return false;
      if ((current.type === 'for_statement' || current.type === 'while_statement') && statement?.type === 'break_statement') return false;
    }
    return true;
  });
}

/** A loop variable whose value in each iteration the code shows. */
export interface LoopVariable {
  name: string;
  valueAt(index: number): number;
}

/**
 * The loop's counting variable: `i` in `for i in range(a, b, s)` and in `for i, batch in enumerate(xs, start)`
 * (null when the values are not shown, e.g. `for batch in loader` or a `while` loop).
 */
export function loopVariable(loop: LoopInfo, resolver: Resolver): LoopVariable | null {
  const target = loop.target;
  const right = loop.node.childForFieldName('right');
  if (!target || !right) return null;
  const integer = (node: Node | undefined, fallback: number): number | null => {
    if (!node) return fallback;
    const value = resolver.evaluate(node, loop.scope);
    return value.ok && typeof value.value === 'number' && Number.isInteger(value.value) ? value.value : null;
  };
  const iterable = unparenthesize(right);
  if (target.type === 'identifier' && isRangeCall(iterable)) {
    const args = callArguments(iterable).positional;
    const start = args.length >= 2 ? integer(args[0], 0) : 0;
    const step = integer(args[2], 1);
    return start === null || step === null ? null : { name: target.text, valueAt: (index) => start + index * step };
  }
  const first = ['pattern_list', 'tuple_pattern'].includes(target.type) ? target.namedChild(0) : null;
  if (first?.type === 'identifier' && iterable.type === 'call' && /(^|\.)enumerate$/.test(dottedName(iterable.childForFieldName('function')) ?? '')) {
    const args = callArguments(iterable);
    const start = integer(args.positional[1] ?? args.keywords.find((keyword) => keyword.name === 'start')?.value, 0);
    return start === null ? null : { name: first.text, valueAt: (index) => start + index };
  }
  return null;
}
