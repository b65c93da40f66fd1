// Resolves the value of an expression as Python would compute it, from what the file itself shows:
// literals, arithmetic, names assigned earlier, function parameter defaults and call-site arguments,
// argparse defaults, config dicts/namespaces/dataclasses. Anything else is reported by name, never guessed.
import type { PyLike } from '../../engine/case';
import { pyCompare, pyDiv, pyFloat, pyFloorDiv, pyMod, pyPow } from '../../engine/numerics';
import { Float, isPyFloat, pyRepr, toNumber } from '../../engine/python/values';
import { buildOptimizer } from '../../engine/build';
import { timmCreateSchedulerV2 } from '../../engine/frameworks/timm';
import type { Binding, FileModel, Scope } from './model';
import { timmPositional, timmSchedulerName } from './timmApi';
import { argumentNode, callArguments, dottedName, namedChildrenOf, stringValue, unparenthesize, type Node } from './syntax';

export type Evaluation = { ok: true; value: PyLike } | { ok: false; missing: string[] };

/** An expression after following names: the node that produces the value, in the scope it is evaluated in. */
export interface Origin {
  node: Node;
  scope: Scope;
  /** For `a, b = f()`: which element of the value the name took. */
  unpackIndex?: number;
}

interface ArgparseOption {
  dest: string;
  defaultNode: Node | null;
  typeName: string | null;
  action: string | null;
  required: boolean;
  scope: Scope;
}

const MAX_DEPTH = 40;
const CONFIG_WRAPPERS = new Set([
  'SimpleNamespace', 'types.SimpleNamespace', 'argparse.Namespace', 'Namespace', 'EasyDict', 'easydict.EasyDict', 'edict',
  'AttrDict', 'addict.Dict', 'Box', 'box.Box', 'OmegaConf.create', 'omegaconf.OmegaConf.create', 'DictConfig', 'ConfigDict',
  'ml_collections.ConfigDict', 'dotdict', 'Munch', 'munch.Munch',
]);
const MATH_CONSTANTS: { [name: string]: number } = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI, inf: Infinity, nan: NaN };
/** Names a lambda may use freely: the engine's evaluator provides them. */
export const EVALUATOR_BUILTINS = new Set([
  'min', 'max', 'abs', 'round', 'int', 'float', 'pow', 'bool', 'len', 'sum', 'range', 'math', 'True', 'False', 'None',
]);

const ok = (value: PyLike): Evaluation => ({ ok: true, value });
const missing = (...names: string[]): Evaluation => ({ ok: false, missing: names });

function floatOf(x: number): number | Float {
  return Number.isInteger(x) ? new Float(x) : x;
}

function isNumeric(value: PyLike): value is number | Float | boolean {
  return typeof value === 'number' || value instanceof Float || typeof value === 'boolean';
}

function isDict(value: PyLike): value is { [key: string]: PyLike } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Float);
}

function truthy(value: PyLike): boolean {
  if (value === null) return false;
  if (isNumeric(value)) return toNumber(value) !== 0;
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  return Object.keys(value).length > 0;
}

function pyEquals(a: PyLike, b: PyLike): boolean {
  if (isNumeric(a) && isNumeric(b)) return toNumber(a) === toNumber(b);
  return pyRepr(a) === pyRepr(b);
}

export class Resolver {
  private argparseOptions: Map<string, ArgparseOption> | null = null;
  private readonly overrides: Map<string, PyLike>;
  /** While `overridesReadBy` runs: the keys of the overrides read. */
  private overridesRead: Set<string> | null = null;

  /**
   * `overrides`: values the user set for names the file does not resolve, keyed as those names appear in
   * `unresolved` (`config["lr"]`, `args.lr (no default)`); an expression whose text is such a name takes the value.
   */
  constructor(
    private readonly model: FileModel,
    overrides: { readonly [name: string]: PyLike } = {},
  ) {
    this.overrides = new Map(Object.entries(overrides).map(([name, value]) => [overrideKey(name), value]));
  }

  /** The value the user set for an expression's text, if any. */
  override(text: string): PyLike | undefined {
    if (!this.overrides.size) return undefined;
    const key = overrideKey(text);
    const value = this.overrides.get(key);
    if (value !== undefined) this.overridesRead?.add(key);
    return value;
  }

  /** The keys (as `overrideKey` writes them) of the overrides that `run` reads. */
  overridesReadBy(run: () => void): Set<string> {
    const outer = this.overridesRead;
    const read = (this.overridesRead = new Set<string>());
    try {
      run();
    } finally {
      this.overridesRead = outer;
      for (const key of read) outer?.add(key);
    }
    return read;
  }

  /** The value of `node`, evaluated in `scope`. */
  evaluate(node: Node, scope: Scope, depth = 0): Evaluation {
    if (depth > MAX_DEPTH) return missing(node.text);
    const override = this.override(node.text);
    if (override !== undefined) return ok(override);
    try {
      return this.evaluateNode(unparenthesize(node), scope, depth + 1);
    } catch (error) {
      // Python errors raised while folding (ZeroDivisionError, …): the value is not knowable statically.
      return missing(`${node.text} (${(error as Error).name}: ${(error as Error).message})`);
    }
  }

  /** Follows names, parameters and `self.x` to the expression that produces a value. */
  origin(node: Node, scope: Scope, depth = 0): Origin | null {
    if (depth > MAX_DEPTH) return null;
    const expression = unparenthesize(node);
    if (expression.type === 'identifier' || expression.type === 'attribute') {
      const binding = this.bindingOf(expression, scope);
      if (binding) return this.originOfBinding(binding, depth);
      if (expression.type === 'identifier') return null;
    }
    if (expression.type === 'call') {
      // `scheduler = accelerator.prepare(scheduler)` hands back what it is given (wrapped to step the same way).
      const prepared = this.acceleratePrepared(expression, scope, depth);
      if (prepared && prepared.length === 1) return this.origin(prepared[0], scope, depth + 1);
      // `make_optimizer(model)`: what a function defined in this file returns.
      const callee = expression.childForFieldName('function');
      const target = callee && (callee.type === 'identifier' || callee.type === 'attribute') ? this.origin(callee, scope, depth + 1) : null;
      if (target?.node.type === 'function_definition') {
        const returned = this.returnedExpression(target.node);
        if (returned) return this.origin(returned.node, returned.scope, depth + 1);
      }
    }
    return { node: expression, scope };
  }

  /**
   * The arguments of Hugging Face Accelerate's `accelerator.prepare(...)`, which returns them in order (each
   * wrapped: a prepared scheduler steps its scheduler once per optimizer step on one process); null for other calls.
   */
  private acceleratePrepared(call: Node, scope: Scope, depth: number): Node[] | null {
    const callee = call.childForFieldName('function');
    if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'prepare') return null;
    const owner = this.origin(callee.childForFieldName('object')!, scope, depth + 1);
    if (owner?.node.type !== 'call' || this.qualifiedCallee(owner.node, owner.scope) !== 'accelerate.Accelerator') return null;
    const args = callArguments(call);
    return args.hasSplat || args.keywords.length ? null : args.positional;
  }

  /** Whether a name is bound to what `accelerator.prepare(...)` returned (directly, or one of several it returned). */
  preparedByAccelerate(node: Node, scope: Scope): boolean {
    const expression = unparenthesize(node);
    const binding = expression.type === 'identifier' || expression.type === 'attribute' ? this.bindingOf(expression, scope) : null;
    const value = binding?.kind === 'value' && binding.value ? unparenthesize(binding.value) : null;
    return value?.type === 'call' && this.acceleratePrepared(value, binding!.scope, 0) !== null;
  }

  /** The binding a name or dotted name (`self.x`, `cfg.lr` assigned directly) refers to. */
  bindingOf(expression: Node, scope: Scope, depth = 0): Binding | null {
    if (expression.type === 'identifier') return this.executedBinding(this.model.lookupCandidates(expression.text, scope, expression.startIndex), expression, depth);
    const dotted = dottedName(expression);
    if (!dotted) return null;
    if (dotted.startsWith('self.') && dotted.indexOf('.', 5) < 0) {
      return this.model.lookupSelfAttribute(dotted.slice(5), scope, expression.startIndex);
    }
    return this.executedBinding(this.model.lookupCandidates(dotted, scope, expression.startIndex), expression, depth);
  }

  /**
   * Of the assignments to a name before its use, the one that runs. Assignments in the branches of
   * `if`/`elif`/`else` (`if args.opt == "sgd": optimizer = SGD(...) elif ...`) run where the branch's
   * conditions hold with the values the file shows (argparse defaults, constants); an assignment in a branch
   * that does not run leaves the name as it was before. Where a condition cannot be evaluated, the last
   * assignment before the use is taken.
   */
  private executedBinding(candidates: Binding[], use: Node, depth: number): Binding | null {
    const last = candidates[candidates.length - 1];
    if (!last || candidates.length === 1 || depth > MAX_DEPTH) return last ?? null;
    for (let i = candidates.length - 1; i >= 0; i--) {
      const runs = this.runs(candidates[i].node, candidates[i].scope, use, depth);
      if (runs === undefined) return last;
      if (runs) return candidates[i];
    }
    return last;
  }

  /**
   * Whether `node` runs, as far as the `if`/`elif`/`else` branches around it in its scope decide (not those
   * around `use` as well: a use inside the same branch runs only when it does); undefined when a condition
   * cannot be evaluated.
   */
  runs(node: Node, scope: Scope, use: Node | null = null, depth = 0): boolean | undefined {
    for (const { statement, branch } of this.branchesAround(node, scope, use)) {
      const taken = this.takenBranch(statement, scope, depth);
      if (taken === undefined) return undefined;
      if (taken !== branch.id) return false;
    }
    return true;
  }

  /** Where `runs` says false: the branch around `node` that does not run, as the code writes its test (`if args.warmup > 0`). */
  branchNotRun(node: Node, scope: Scope): string | null {
    for (const { statement, branch } of this.branchesAround(node, scope, null)) {
      if (this.takenBranch(statement, scope, 0) === branch.id) continue;
      const test = branch.type === 'elif_clause' ? branch : branch.type === 'else_clause' ? null : statement;
      const condition = test?.childForFieldName('condition')?.text;
      const ifCondition = statement.childForFieldName('condition')?.text ?? '';
      return condition ? `${test === statement ? 'if' : 'elif'} ${condition}` : `the else of if ${ifCondition}`;
    }
    return null;
  }

  /**
   * Every binding a name may hold at `use`, whatever the conditions: the last one before it and, while
   * that one sits in a branch that might not run, the ones before (the else of an if/elif chain, the value
   * before an `if` without else).
   */
  private possibleBindings(candidates: Binding[], use: Node): Binding[] {
    const possible: Binding[] = [];
    for (let i = candidates.length - 1; i >= 0; i--) {
      possible.push(candidates[i]);
      if (candidates[i].kind === 'param' || this.branchesAround(candidates[i].node, candidates[i].scope, use).length === 0) break;
    }
    return possible;
  }

  /** The if statements around `node` in its scope, with the branch holding it; those around `use` too are left out. */
  private branchesAround(node: Node, scope: Scope, use: Node | null): { statement: Node; branch: Node }[] {
    const around: { statement: Node; branch: Node }[] = [];
    for (let branch: Node = node, statement = branch.parent; statement && statement.id !== scope.node.id; branch = statement, statement = statement.parent) {
      if (statement.type !== 'if_statement' || branch.id === statement.childForFieldName('condition')?.id) continue;
      if (use && use.startIndex >= branch.startIndex && use.endIndex <= branch.endIndex) continue;
      around.push({ statement, branch });
    }
    return around;
  }

  /**
   * The expressions a name or expression may stand for as an object (a scheduler, an optimizer): every
   * binding it may hold (`possibleBindings`), both branches of `a if c else b`, followed as `origin` does.
   */
  possibleOrigins(node: Node, scope: Scope, depth = 0): Origin[] {
    if (depth > MAX_DEPTH) return [];
    const expression = unparenthesize(node);
    if (expression.type === 'conditional_expression') {
      const [consequence, , alternative] = namedChildrenOf(expression);
      return [consequence, alternative].flatMap((branch) => (branch ? this.possibleOrigins(branch, scope, depth + 1) : []));
    }
    const dotted = expression.type === 'identifier' || expression.type === 'attribute' ? dottedName(expression) : null;
    if (dotted && !dotted.startsWith('self.')) {
      const candidates = this.model.lookupCandidates(dotted, scope, expression.startIndex);
      if (candidates.length > 1) {
        return this.possibleBindings(candidates, expression).flatMap((binding) =>
          binding.kind === 'value' && binding.value && binding.unpackIndex === undefined
            ? this.possibleOrigins(binding.value, binding.scope, depth + 1)
            : (this.originOfBinding(binding, depth + 1) ?? []),
        );
      }
    }
    const origin = this.origin(expression, scope, depth);
    if (!origin) return [];
    const target = unparenthesize(origin.node);
    return target.type === 'conditional_expression' || (target.id !== expression.id && (target.type === 'identifier' || target.type === 'attribute'))
      ? this.possibleOrigins(target, origin.scope, depth + 1)
      : [origin];
  }

  /** The id of the branch of an if statement that runs (its consequence, an elif_clause, the else_clause), null for none, undefined when unknown. */
  private takenBranch(statement: Node, scope: Scope, depth: number): number | null | undefined {
    const branches: { condition: Node | null; branch: Node }[] = [];
    const consequence = statement.childForFieldName('consequence');
    const condition = statement.childForFieldName('condition');
    if (consequence && condition) branches.push({ condition, branch: consequence });
    for (const clause of statement.childrenForFieldName('alternative')) {
      if (!clause) continue;
      if (clause.type === 'elif_clause') branches.push({ condition: clause.childForFieldName('condition'), branch: clause });
      else branches.push({ condition: null, branch: clause });
    }
    for (const { condition: test, branch } of branches) {
      if (!test) return branch.id;
      const value = this.evaluate(test, scope, depth + 1);
      if (!value.ok) return undefined;
      if (truthy(value.value)) return branch.id;
    }
    return null;
  }

  originOfBinding(binding: Binding, depth = 0): Origin | null {
    switch (binding.kind) {
      case 'value': {
        if (!binding.value) return null;
        const unpackIndex = binding.unpackIndex;
        const origin = this.origin(binding.value, binding.scope, depth + 1);
        if (unpackIndex === undefined || !origin) return origin;
        // `a, b = make()` where make returns `x, y`: follow the element.
        if (['tuple', 'expression_list', 'list'].includes(origin.node.type)) {
          const element = namedChildrenOf(origin.node)[unpackIndex];
          return element ? this.origin(element, origin.scope, depth + 1) : null;
        }
        // `model, optimizer, scheduler = accelerator.prepare(model, optimizer, scheduler)`
        const prepared = origin.node.type === 'call' ? this.acceleratePrepared(origin.node, origin.scope, depth) : null;
        if (prepared) return prepared[unpackIndex] ? this.origin(prepared[unpackIndex], origin.scope, depth + 1) : null;
        return { ...origin, unpackIndex };
      }
      case 'function':
      case 'class':
        return { node: binding.node, scope: binding.scope };
      case 'param': {
        const argument = this.callSiteArgument(binding);
        if (argument) return this.origin(argument.node, argument.scope, depth + 1);
        return binding.value ? this.origin(binding.value, this.parentScope(binding.scope), depth + 1) : null;
      }
      default:
        return null;
    }
  }

  /** For a parameter: the argument the first call site of its function passes for it. */
  callSiteArgument(param: Binding): { node: Node; scope: Scope } | null {
    const functionScope = param.scope;
    if (functionScope.kind !== 'function' || !functionScope.name) return null;
    const index = functionScope.params.findIndex((p) => p.node.id === param.node.id);
    if (index < 0) return null;
    const name = functionScope.params[index].name;
    const classScope = functionScope.parent?.kind === 'class' ? functionScope.parent : null;
    const isMethod = classScope !== null && ['self', 'cls'].includes(functionScope.params[0]?.name);
    // `__init__`'s parameters are passed by calling the class.
    const constructor = isMethod && functionScope.name === '__init__' && classScope?.name;
    for (const site of this.model.callSitesOf(constructor || functionScope.name)) {
      if (site.node.startIndex >= functionScope.node.startIndex && site.node.endIndex <= functionScope.node.endIndex) continue;
      const args = callArguments(site.node);
      const viaAttribute = site.callee !== null && site.callee.includes('.');
      const position = isMethod && (viaAttribute || constructor) ? index - 1 : index;
      const argument = argumentNode(args, name, position);
      if (argument) return { node: argument, scope: site.scope };
      if (!args.hasSplat) return null; // called without it: the default applies
    }
    return null;
  }

  /** The qualified name of a callee (`optim.SGD` → `torch.optim.SGD`), following `X = torch.optim.SGD` aliases. */
  qualifiedCallee(call: Node, scope: Scope): string | null {
    const callee = call.childForFieldName('function');
    const dotted = dottedName(callee);
    if (!dotted || !callee) return null;
    const head = dotted.split('.')[0];
    if (!this.model.imports.has(head)) {
      // `Opt = torch.optim.SGD` (an alias assigned in the file)
      const binding = this.model.lookup(head, scope, call.startIndex);
      if (binding?.kind === 'value' && binding.value) {
        const aliased = dottedName(unparenthesize(binding.value));
        if (aliased && aliased !== head) return this.model.qualify(aliased + dotted.slice(head.length));
      }
    }
    return this.model.qualify(dotted);
  }

  private parentScope(scope: Scope): Scope {
    return scope.parent ?? scope;
  }

  private evaluateNode(node: Node, scope: Scope, depth: number): Evaluation {
    switch (node.type) {
      case 'integer':
        return this.integer(node.text);
      case 'float': {
        const text = node.text.replace(/_/g, '');
        if (/[jJ]$/.test(text)) return missing(node.text);
        return ok(floatOf(Number(text)));
      }
      case 'true':
        return ok(true);
      case 'false':
        return ok(false);
      case 'none':
        return ok(null);
      case 'string':
      case 'concatenated_string': {
        const text = stringValue(node);
        return text === null ? missing(node.text) : ok(text);
      }
      case 'list':
      case 'tuple':
      case 'expression_list':
        return this.sequence(namedChildrenOf(node), scope, depth);
      case 'dictionary':
        return this.dictionary(node, scope, depth);
      case 'unary_operator':
        return this.unary(node, scope, depth);
      case 'binary_operator':
        return this.binary(node, scope, depth);
      case 'boolean_operator':
        return this.booleanOperator(node, scope, depth);
      case 'not_operator': {
        const argument = node.childForFieldName('argument');
        if (!argument) return missing(node.text);
        const value = this.evaluate(argument, scope, depth);
        return value.ok ? ok(!truthy(value.value)) : value;
      }
      case 'comparison_operator':
        return this.comparison(node, scope, depth);
      case 'conditional_expression': {
        const [body, condition, alternative] = namedChildrenOf(node);
        if (!body || !condition || !alternative) return missing(node.text);
        const test = this.evaluate(condition, scope, depth);
        if (!test.ok) return test;
        return this.evaluate(truthy(test.value) ? body : alternative, scope, depth);
      }
      case 'identifier':
        return this.name(node, scope, depth);
      case 'attribute':
        return this.attribute(node, scope, depth);
      case 'subscript':
        return this.subscript(node, scope, depth);
      case 'call':
        return this.call(node, scope, depth);
      default:
        return missing(node.text);
    }
  }

  private integer(text: string): Evaluation {
    const clean = text.replace(/_/g, '').toLowerCase();
    if (clean.endsWith('j') || clean.endsWith('l')) return missing(text);
    if (clean.startsWith('0x')) return ok(parseInt(clean.slice(2), 16));
    if (clean.startsWith('0o')) return ok(parseInt(clean.slice(2), 8));
    if (clean.startsWith('0b')) return ok(parseInt(clean.slice(2), 2));
    return ok(Number(clean));
  }

  private sequence(elements: Node[], scope: Scope, depth: number): Evaluation {
    const values: PyLike[] = [];
    const names: string[] = [];
    for (const element of elements) {
      if (element.type === 'list_splat') {
        const inner = element.namedChild(0);
        const value = inner ? this.evaluate(inner, scope, depth) : missing(element.text);
        if (value.ok && Array.isArray(value.value)) values.push(...value.value);
        else if (!value.ok) names.push(...value.missing);
        else names.push(element.text);
        continue;
      }
      const value = this.evaluate(element, scope, depth);
      if (value.ok) values.push(value.value);
      else names.push(...value.missing);
    }
    return names.length ? missing(...names) : ok(values);
  }

  private dictionary(node: Node, scope: Scope, depth: number): Evaluation {
    const result: { [key: string]: PyLike } = {};
    const names: string[] = [];
    for (const entry of namedChildrenOf(node)) {
      if (entry.type === 'pair') {
        const keyNode = entry.childForFieldName('key');
        const valueNode = entry.childForFieldName('value');
        if (!keyNode || !valueNode) continue;
        const key = this.evaluate(keyNode, scope, depth);
        if (!key.ok) {
          names.push(...key.missing);
          continue;
        }
        const value = this.evaluate(valueNode, scope, depth);
        if (value.ok) result[String(typeof key.value === 'string' ? key.value : pyRepr(key.value))] = value.value;
        else names.push(...value.missing);
      } else if (entry.type === 'dictionary_splat') {
        const inner = entry.namedChild(0);
        const value = inner ? this.evaluate(inner, scope, depth) : missing(entry.text);
        if (value.ok && isDict(value.value)) Object.assign(result, value.value);
        else names.push(...(value.ok ? [entry.text] : value.missing));
      } else {
        names.push(entry.text);
      }
    }
    return names.length ? missing(...names) : ok(result);
  }

  private unary(node: Node, scope: Scope, depth: number): Evaluation {
    const argument = node.childForFieldName('argument');
    const operator = node.childForFieldName('operator')?.text;
    if (!argument) return missing(node.text);
    const value = this.evaluate(argument, scope, depth);
    if (!value.ok) return value;
    if (!isNumeric(value.value)) return missing(node.text);
    const x = toNumber(value.value);
    if (operator === '+') return ok(typeof value.value === 'boolean' ? x : value.value);
    if (operator === '-') return ok(isPyFloat(value.value) ? floatOf(-x) : -x);
    if (operator === '~' && !isPyFloat(value.value)) return ok(~x);
    return missing(node.text);
  }

  private binary(node: Node, scope: Scope, depth: number): Evaluation {
    const leftNode = node.childForFieldName('left');
    const rightNode = node.childForFieldName('right');
    const operator = node.childForFieldName('operator')?.text ?? '';
    if (!leftNode || !rightNode) return missing(node.text);
    const left = this.evaluate(leftNode, scope, depth);
    const right = this.evaluate(rightNode, scope, depth);
    if (!left.ok || !right.ok) return missing(...(left.ok ? [] : left.missing), ...(right.ok ? [] : right.missing));
    const result = applyBinary(operator, left.value, right.value);
    return result === undefined ? missing(node.text) : ok(result);
  }

  private booleanOperator(node: Node, scope: Scope, depth: number): Evaluation {
    const leftNode = node.childForFieldName('left');
    const rightNode = node.childForFieldName('right');
    const operator = node.childForFieldName('operator')?.text;
    if (!leftNode || !rightNode) return missing(node.text);
    const left = this.evaluate(leftNode, scope, depth);
    if (!left.ok) return left;
    const shortCircuit = operator === 'and' ? !truthy(left.value) : truthy(left.value);
    return shortCircuit ? left : this.evaluate(rightNode, scope, depth);
  }

  private comparison(node: Node, scope: Scope, depth: number): Evaluation {
    const operands = namedChildrenOf(node);
    const operators = node.children.filter((child) => child && !child.isNamed).map((child) => child!.text);
    if (operands.length !== operators.length + 1) return missing(node.text);
    let previous = this.evaluate(operands[0], scope, depth);
    if (!previous.ok) return previous;
    for (let i = 0; i < operators.length; i++) {
      const next = this.evaluate(operands[i + 1], scope, depth);
      if (!next.ok) return next;
      const result = compare(operators[i], previous.value, next.value);
      if (result === undefined) return missing(node.text);
      if (!result) return ok(false);
      previous = next;
    }
    return ok(true);
  }

  private name(node: Node, scope: Scope, depth: number): Evaluation {
    const binding = this.bindingOf(node, scope, depth);
    if (!binding) return missing(node.text);
    return this.bindingValue(binding, node.text, depth);
  }

  private bindingValue(binding: Binding, label: string, depth: number): Evaluation {
    switch (binding.kind) {
      case 'value': {
        if (!binding.value) return missing(label);
        const unpackIndex = binding.unpackIndex;
        if (unpackIndex === 1) {
          const epochs = this.timmNumEpochs(binding.value, binding.scope, depth);
          if (epochs) return epochs;
        }
        const value = this.evaluate(binding.value, binding.scope, depth);
        if (unpackIndex === undefined || !value.ok) return value;
        return Array.isArray(value.value) && unpackIndex < value.value.length ? ok(value.value[unpackIndex]) : missing(label);
      }
      case 'param': {
        const argument = this.callSiteArgument(binding);
        if (argument) return this.evaluate(argument.node, argument.scope, depth);
        if (binding.value) return this.evaluate(binding.value, this.parentScope(binding.scope), depth);
        return missing(label);
      }
      default:
        return missing(label);
    }
  }

  private attribute(node: Node, scope: Scope, depth: number): Evaluation {
    const objectNode = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute')?.text;
    if (!objectNode || !attribute) return missing(node.text);
    const dotted = dottedName(node);
    if (dotted) {
      const qualified = this.model.qualify(dotted);
      if (qualified.startsWith('math.') && qualified.slice(5) in MATH_CONSTANTS) return ok(MATH_CONSTANTS[qualified.slice(5)]);
      const binding = this.bindingOf(node, scope);
      if (binding) return this.bindingValue(binding, node.text, depth);
      if (dotted === `self.hparams.${attribute}`) return this.lightningHparam(attribute, scope, node.text, depth);
    }
    const origin = this.origin(objectNode, scope, depth);
    if (!origin) return missing(node.text);
    const namespace = this.namespaceAttribute(origin, attribute, node.text, depth);
    if (namespace) return namespace;
    return missing(node.text);
  }

  /** `args.lr` from argparse, `cfg.lr` from a namespace/dict wrapper/dataclass/class. */
  private namespaceAttribute(origin: Origin, attribute: string, label: string, depth: number): Evaluation | null {
    let node = unparenthesize(origin.node);
    if (node.type === 'subscript' && origin.unpackIndex === undefined) {
      // parser.parse_known_args()[0]
      const value = node.childForFieldName('value');
      if (value?.type === 'call' && calledMethod(value) === 'parse_known_args') node = value;
    }
    if (node.type === 'call') {
      const callee = dottedName(node.childForFieldName('function')) ?? '';
      // parser.parse_args(), also on a parser a function returns: get_args_parser().parse_args()
      const method = calledMethod(node) ?? callee;
      if (method === 'parse_args' || method === 'parse_known_args') return this.argparseValue(attribute, label, depth);
      const qualified = this.qualifiedCallee(node, origin.scope) ?? callee;
      if (CONFIG_WRAPPERS.has(qualified) || CONFIG_WRAPPERS.has(callee)) {
        const value = this.configWrapper(node, origin.scope, depth);
        if (!value.ok) return value;
        return isDict(value.value) && attribute in value.value ? ok(value.value[attribute]) : missing(label);
      }
      // An instance of a class defined in this file (`origin` already followed local functions' returns).
      const calleeOrigin = this.origin(node.childForFieldName('function')!, origin.scope, depth + 1);
      if (calleeOrigin?.node.type === 'class_definition') return this.instanceAttribute(calleeOrigin.node, node, origin.scope, attribute, label, depth);
      return missing(label);
    }
    if (node.type === 'class_definition') return this.classAttribute(node, attribute, label, depth);
    return null;
  }

  private argparseValue(dest: string, label: string, depth: number): Evaluation {
    const option = this.argparse().get(dest);
    if (!option) return missing(`${label} (no add_argument)`);
    if (option.defaultNode) {
      const value = this.evaluate(option.defaultNode, option.scope, depth);
      if (!value.ok) return value;
      // argparse applies `type` to string defaults only.
      if (typeof value.value === 'string' && option.typeName === 'float') {
        try {
          return ok(floatOf(pyFloat(value.value)));
        } catch {
          return missing(label);
        }
      }
      if (typeof value.value === 'string' && option.typeName === 'int' && /^\s*[+-]?\d+\s*$/.test(value.value)) return ok(Number(value.value));
      return value;
    }
    if (option.action === 'store_true') return ok(false);
    if (option.action === 'store_false') return ok(true);
    if (option.required) return missing(`${label} (required on the command line)`);
    return missing(`${label} (no default)`);
  }

  private argparse(): Map<string, ArgparseOption> {
    if (this.argparseOptions) return this.argparseOptions;
    const options = new Map<string, ArgparseOption>();
    for (const site of this.model.callSitesOf('add_argument')) {
      const args = callArguments(site.node);
      const flags = args.positional.map((node) => stringValue(node)).filter((text): text is string => text !== null);
      if (!flags.length) continue;
      const keyword = (name: string) => args.keywords.find((k) => k.name === name)?.value ?? null;
      const destNode = keyword('dest');
      const long = flags.find((flag) => flag.startsWith('--'));
      const dest = (destNode && stringValue(destNode)) || (long ?? flags[0]).replace(/^-+/, '').replace(/-/g, '_');
      const typeNode = keyword('type');
      const actionNode = keyword('action');
      const requiredNode = keyword('required');
      const positional = !flags[0].startsWith('-');
      options.set(dest, {
        dest,
        defaultNode: keyword('default'),
        typeName: typeNode ? typeNode.text : null,
        action: actionNode ? stringValue(actionNode) : null,
        required: requiredNode?.type === 'true' || (positional && !keyword('nargs')),
        scope: site.scope,
      });
    }
    for (const site of this.model.callSitesOf('set_defaults')) {
      for (const keyword of callArguments(site.node).keywords) {
        const existing = options.get(keyword.name);
        options.set(keyword.name, {
          dest: keyword.name,
          defaultNode: keyword.value,
          typeName: existing?.typeName ?? null,
          action: null,
          required: false,
          scope: site.scope,
        });
      }
    }
    this.argparseOptions = options;
    return options;
  }

  private configWrapper(call: Node, scope: Scope, depth: number): Evaluation {
    const args = callArguments(call);
    const result: { [key: string]: PyLike } = {};
    for (const positional of args.positional) {
      const value = this.evaluate(positional, scope, depth);
      if (!value.ok) return value;
      if (!isDict(value.value)) return missing(call.text);
      Object.assign(result, value.value);
    }
    for (const keyword of args.keywords) {
      const value = this.evaluate(keyword.value, scope, depth);
      if (!value.ok) return value;
      result[keyword.name] = value.value;
    }
    for (const splat of args.dictionarySplats) {
      const value = this.evaluate(splat, scope, depth);
      if (!value.ok) return value;
      if (!isDict(value.value)) return missing(`**${splat.text}`);
      Object.assign(result, value.value);
    }
    return ok(result);
  }

  /** `Config(lr=...)`: a keyword/positional argument of the constructor, else the field's default. */
  private instanceAttribute(classNode: Node, call: Node, scope: Scope, attribute: string, label: string, depth: number): Evaluation {
    const classScope = this.model.scopeOfDefinition(classNode);
    if (!classScope) return missing(label);
    const args = callArguments(call);
    const init = classScope.bindings.get('__init__')?.find((b) => b.kind === 'function');
    if (init) {
      // `self.attr = <expr>` in __init__, with __init__'s parameters bound to the call's arguments.
      const initScope = this.model.scopeOfDefinition(init.node);
      const assigned = classScope.bindings.get(`self.${attribute}`)?.find((b) => initScope && b.start >= initScope.node.startIndex && b.start < initScope.node.endIndex);
      if (initScope && assigned?.value) {
        const parameter = unparenthesize(assigned.value);
        const paramIndex = initScope.params.findIndex((p) => p.name === parameter.text);
        if (parameter.type === 'identifier' && paramIndex > 0) {
          const argument = argumentNode(args, parameter.text, paramIndex - 1);
          if (argument) return this.evaluate(argument, scope, depth);
        }
        return this.evaluate(assigned.value, initScope, depth);
      }
    } else {
      // A dataclass (or NamedTuple): fields in order are the constructor's parameters.
      const fields = this.classFields(classNode);
      const index = fields.findIndex((field) => field.name === attribute);
      const argument = argumentNode(args, attribute, index >= 0 ? index : null);
      if (argument) return this.evaluate(argument, scope, depth);
    }
    return this.classAttribute(classNode, attribute, label, depth);
  }

  private classAttribute(classNode: Node, attribute: string, label: string, depth: number): Evaluation {
    const classScope = this.model.scopeOfDefinition(classNode);
    const binding = classScope?.bindings.get(attribute)?.at(-1);
    if (!binding || binding.kind !== 'value' || !binding.value) return missing(label);
    const value = unparenthesize(binding.value);
    // `field(default=0.1)` in a dataclass
    if (value.type === 'call' && /(^|\.)field$/.test(dottedName(value.childForFieldName('function')) ?? '')) {
      const fieldDefault = callArguments(value).keywords.find((k) => k.name === 'default');
      return fieldDefault ? this.evaluate(fieldDefault.value, binding.scope, depth) : missing(label);
    }
    return this.evaluate(binding.value, binding.scope, depth);
  }

  private classFields(classNode: Node): { name: string }[] {
    const body = classNode.childForFieldName('body');
    const fields: { name: string }[] = [];
    for (const statement of body ? namedChildrenOf(body) : []) {
      const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
      if (assignment?.type !== 'assignment' || !assignment.childForFieldName('type')) continue;
      const left = assignment.childForFieldName('left');
      if (left?.type === 'identifier') fields.push({ name: left.text });
    }
    return fields;
  }

  /** The expression of a function's last top-level `return`. */
  returnedExpression(definition: Node): { node: Node; scope: Scope } | null {
    const scope = this.model.scopeOfDefinition(definition);
    const body = definition.childForFieldName('body');
    if (!scope || !body) return null;
    const statements = namedChildrenOf(body);
    for (let i = statements.length - 1; i >= 0; i--) {
      if (statements[i].type === 'return_statement') {
        const value = statements[i].namedChild(0);
        return value ? { node: value, scope } : null;
      }
    }
    return null;
  }

  private subscript(node: Node, scope: Scope, depth: number): Evaluation {
    const valueNode = node.childForFieldName('value');
    const indexNode = node.childForFieldName('subscript');
    if (!valueNode || !indexNode) return missing(node.text);
    const key = stringValue(indexNode);
    if (valueNode.text === 'self.hparams' && key !== null) return this.lightningHparam(key, scope, node.text, depth);
    const container = this.evaluate(valueNode, scope, depth);
    if (!container.ok) return missing(node.text);
    const index = this.evaluate(indexNode, scope, depth);
    if (!index.ok) return index;
    const value = indexValue(container.value, index.value);
    return value === undefined ? missing(node.text) : ok(value);
  }

  /**
   * `scheduler, num_epochs = create_scheduler_v2(optimizer, ...)`: the number of epochs timm's train.py then runs
   * (cycles, cooldown and a warmup prefix included), as the engine's create_scheduler_v2 computes it; null for
   * other calls.
   */
  private timmNumEpochs(node: Node, scope: Scope, depth: number): Evaluation | null {
    const call = unparenthesize(node);
    if (call.type !== 'call' || timmSchedulerName(this.qualifiedCallee(call, scope) ?? '') !== 'create_scheduler_v2') return null;
    const args = callArguments(call);
    if (args.hasSplat) return missing(call.text);
    const names = timmPositional('create_scheduler_v2');
    const kwargs: { [name: string]: PyLike } = {};
    const given = [...args.positional.map((value, index) => ({ name: names[index], value })), ...args.keywords];
    for (const { name, value } of given) {
      if (!name || name === 'optimizer') continue;
      const evaluated = this.evaluate(value, scope, depth);
      if (!evaluated.ok) return evaluated;
      kwargs[name] = evaluated.value;
    }
    try {
      return ok(timmCreateSchedulerV2(buildOptimizer({ type: 'SGD', defaults: { lr: 0.1 } }), kwargs).numEpochs);
    } catch (error) {
      return missing(`${call.text} (${(error as Error).name}: ${(error as Error).message})`);
    }
  }

  /**
   * Lightning's `self.hparams.x` (or `self.hparams["x"]`) after `self.save_hyperparameters()` in `__init__`:
   * the `__init__` argument `x`, as the class is instantiated in the file, else its default.
   */
  private lightningHparam(name: string, scope: Scope, label: string, depth: number): Evaluation {
    const classScope = scope.kind === 'class' ? scope : scope.enclosingClass();
    const body = classScope?.node.childForFieldName('body');
    const init = body ? namedChildrenOf(body).find((child) => definedFunction(child)?.childForFieldName('name')?.text === '__init__') : undefined;
    const definition = init ? definedFunction(init) : null;
    if (!definition) return missing(label);
    const save = definition.descendantsOfType('call').find((call) => call && dottedName(call.childForFieldName('function')) === 'self.save_hyperparameters');
    if (!save) return missing(label);
    // save_hyperparameters("lr", "epochs") keeps only the names it is given.
    const chosen = callArguments(save).positional.map((argument) => stringValue(argument));
    if (chosen.length && !chosen.includes(name)) return missing(label);
    const initScope = this.model.scopeOfDefinition(definition);
    const param = initScope.params.find((p) => p.name === name);
    if (!param) return missing(label);
    return this.bindingValue({ kind: 'param', node: param.node, start: param.node.startIndex, value: param.defaultValue, scope: initScope }, label, depth);
  }

  private isUnknownLeaf(argument: Node, missingText: string, scope: Scope): boolean {
    if (missingText === argument.text) return true;
    const expression = unparenthesize(argument);
    return (expression.type === 'identifier' || expression.type === 'attribute') && this.origin(expression, scope)?.node.text === missingText;
  }

  private call(node: Node, scope: Scope, depth: number): Evaluation {
    const calleeNode = node.childForFieldName('function');
    const args = callArguments(node);
    if (!calleeNode) return missing(node.text);
    // `cfg.get('lr', 0.1)` on a dict
    if (calleeNode.type === 'attribute' && calleeNode.childForFieldName('attribute')?.text === 'get') {
      const objectNode = calleeNode.childForFieldName('object')!;
      const container = this.evaluate(objectNode, scope, depth);
      const key = args.positional[0] ? this.evaluate(args.positional[0], scope, depth) : missing(node.text);
      if (container.ok && isDict(container.value) && key.ok && typeof key.value === 'string') {
        if (key.value in container.value) return ok(container.value[key.value]);
        return args.positional[1] ? this.evaluate(args.positional[1], scope, depth) : ok(null);
      }
      return missing(node.text);
    }
    // `args.sched.lower()`, `name.startswith("sgd")`: the str methods scripts use to pick a branch
    const method = calleeNode.type === 'attribute' ? calleeNode.childForFieldName('attribute')?.text : undefined;
    if (method !== undefined && Object.prototype.hasOwnProperty.call(STRING_METHODS, method)) {
      const text = this.evaluate(calleeNode.childForFieldName('object')!, scope, depth);
      if (text.ok && typeof text.value === 'string' && !args.keywords.length && !args.hasSplat) {
        const values: PyLike[] = [];
        for (const argument of args.positional) {
          const value = this.evaluate(argument, scope, depth);
          if (!value.ok) return value;
          values.push(value.value);
        }
        const result = STRING_METHODS[method](text.value, values);
        return result === undefined ? missing(node.text) : ok(result);
      }
    }
    const name = this.qualifiedCallee(node, scope);
    if (!name) return missing(node.text);
    if (CONFIG_WRAPPERS.has(name) || name === 'dict') return this.configWrapper(node, scope, depth);
    if (args.hasSplat) return missing(node.text);
    const values: PyLike[] = [];
    for (const argument of args.positional) {
      const value = this.evaluate(argument, scope, depth);
      // `len(train_loader)`: name the call, as the code writes it, when its argument is itself an unknown leaf
      // (a name that is unknown, or bound to an expression that is, such as `DataLoader(…)`).
      if (!value.ok) return value.missing.length === 1 && this.isUnknownLeaf(argument, value.missing[0], scope) ? missing(node.text) : value;
      values.push(value.value);
    }
    const keywords: { [name: string]: PyLike } = {};
    for (const keyword of args.keywords) {
      const value = this.evaluate(keyword.value, scope, depth);
      if (!value.ok) return value;
      keywords[keyword.name] = value.value;
    }
    const result = applyBuiltin(name, values, keywords);
    return result === undefined ? missing(node.text) : ok(result);
  }
}

/** str methods with the arguments they are given (undefined: arguments this subset does not take). */
const STRING_METHODS: { [method: string]: (text: string, args: PyLike[]) => PyLike | undefined } = {
  lower: (text, args) => (args.length ? undefined : text.toLowerCase()),
  upper: (text, args) => (args.length ? undefined : text.toUpperCase()),
  strip: (text, args) => (args.length ? undefined : text.trim()),
  startswith: (text, args) => affix(args, (prefix) => text.startsWith(prefix)),
  endswith: (text, args) => affix(args, (suffix) => text.endsWith(suffix)),
  replace: (text, args) => (args.length === 2 && typeof args[0] === 'string' && typeof args[1] === 'string' ? text.split(args[0]).join(args[1]) : undefined),
};

/** `s.startswith(x)` / `s.endswith(x)` with x a str or a tuple of str. */
function affix(args: PyLike[], test: (part: string) => boolean): boolean | undefined {
  if (args.length !== 1) return undefined;
  const parts = Array.isArray(args[0]) ? args[0] : [args[0]];
  return parts.every((part) => typeof part === 'string') ? parts.some((part) => test(part as string)) : undefined;
}

/**
 * An unresolved name without the reason `unresolved` adds to it ("args.lr (no default)" → "args.lr") and
 * without whitespace, so a value set for it matches the expression however it is spaced.
 */
export function overrideKey(name: string): string {
  return name.replace(/ \([^()]*\)$/, '').replace(/\s+/g, '');
}

function applyBinary(operator: string, a: PyLike, b: PyLike): PyLike | undefined {
  if (isNumeric(a) && isNumeric(b)) {
    const floats = isPyFloat(a) || isPyFloat(b);
    const x = toNumber(a);
    const y = toNumber(b);
    const wrap = (value: number) => (floats ? floatOf(value) : value);
    switch (operator) {
      case '+':
        return wrap(x + y);
      case '-':
        return wrap(x - y);
      case '*':
        return wrap(x * y);
      case '/':
        return floatOf(pyDiv(x, y, !floats));
      case '//':
        return wrap(pyFloorDiv(x, y, !floats));
      case '%':
        return wrap(pyMod(x, y, !floats));
      case '**':
        if (!floats && y >= 0) return Math.pow(x, y);
        return floatOf(pyPow(x, y));
      default:
        return undefined;
    }
  }
  if (operator === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (operator === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (operator === '*' && Array.isArray(a) && typeof b === 'number' && Number.isInteger(b)) {
    return Array.from({ length: Math.max(0, b) }, () => a).flat();
  }
  return undefined;
}

function compare(operator: string, a: PyLike, b: PyLike): boolean | undefined {
  if (operator === '==') return pyEquals(a, b);
  if (operator === '!=') return !pyEquals(a, b);
  if (operator === 'in' || operator === 'not in') {
    let found: boolean;
    if (Array.isArray(b)) found = b.some((item) => pyEquals(item, a));
    else if (typeof b === 'string' && typeof a === 'string') found = b.includes(a);
    else if (isDict(b) && typeof a === 'string') found = a in b;
    else return undefined;
    return operator === 'in' ? found : !found;
  }
  if (operator === 'is') return a === null && b === null ? true : undefined;
  if (operator === 'is not') return a === null && b === null ? false : b === null && a !== null ? true : undefined;
  if (!isNumeric(a) || !isNumeric(b)) return undefined;
  return operator === '<' || operator === '<=' || operator === '>' || operator === '>=' ? pyCompare(operator, a, b) : undefined;
}

function indexValue(container: PyLike, index: PyLike): PyLike | undefined {
  if (Array.isArray(container) && typeof index === 'number' && Number.isInteger(index)) {
    const position = index < 0 ? container.length + index : index;
    return position >= 0 && position < container.length ? container[position] : undefined;
  }
  if (isDict(container) && typeof index === 'string') return index in container ? container[index] : undefined;
  return undefined;
}

const MATH_FUNCTIONS: { [name: string]: (x: number) => number } = {
  sqrt: Math.sqrt,
  exp: Math.exp,
  cos: Math.cos,
  sin: Math.sin,
  tan: Math.tan,
  log2: Math.log2,
  log10: Math.log10,
  fabs: Math.abs,
};

/** The builtins and math functions that constant expressions in training scripts use. */
function applyBuiltin(name: string, args: PyLike[], keywords: { [name: string]: PyLike }): PyLike | undefined {
  const numbers = args.every(isNumeric) ? args.map((a) => toNumber(a as number | Float | boolean)) : null;
  const anyFloat = args.some((a) => isPyFloat(a));
  const hasKeywords = Object.keys(keywords).length > 0;
  switch (name) {
    case 'int':
      if (args.length === 1 && numbers) return Math.trunc(numbers[0]);
      if (args.length === 1 && typeof args[0] === 'string' && /^\s*[+-]?\d+\s*$/.test(args[0])) return Number(args[0]);
      return undefined;
    case 'float':
      if (args.length === 0) return new Float(0);
      if (args.length !== 1) return undefined;
      if (isNumeric(args[0]) || typeof args[0] === 'string') return floatOf(pyFloat(isNumeric(args[0]) ? toNumber(args[0]) : args[0]));
      return undefined;
    case 'bool':
      return args.length === 1 ? truthy(args[0]) : undefined;
    case 'abs':
      return numbers && args.length === 1 ? (anyFloat ? floatOf(Math.abs(numbers[0])) : Math.abs(numbers[0])) : undefined;
    case 'min':
    case 'max': {
      if (hasKeywords) return undefined;
      const items = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
      if (!items.length || !items.every(isNumeric)) return undefined;
      let best = items[0];
      for (const item of items.slice(1)) {
        const better = name === 'min' ? toNumber(item) < toNumber(best) : toNumber(item) > toNumber(best);
        if (better) best = item;
      }
      return best;
    }
    case 'round': {
      if (!numbers || !args.length) return undefined;
      if (args.length === 1) return roundHalfEven(numbers[0]);
      const digits = numbers[1];
      const scale = Math.pow(10, digits);
      const rounded = Number((Math.round(numbers[0] * scale) / scale).toFixed(Math.max(0, digits)));
      return anyFloat ? floatOf(rounded) : rounded;
    }
    case 'pow':
      return args.length === 2 ? applyBinary('**', args[0], args[1]) : undefined;
    case 'len':
      if (args.length === 1 && (typeof args[0] === 'string' || Array.isArray(args[0]))) return args[0].length;
      if (args.length === 1 && isDict(args[0])) return Object.keys(args[0]).length;
      return undefined;
    case 'sum':
      if (args.length === 1 && Array.isArray(args[0]) && args[0].every(isNumeric)) {
        return args[0].reduce<PyLike>((total, item) => applyBinary('+', total, item) ?? 0, 0);
      }
      return undefined;
    case 'range': {
      if (!numbers || !args.every((a) => typeof a === 'number' && Number.isInteger(a))) return undefined;
      const [start, stop, step] = numbers.length === 1 ? [0, numbers[0], 1] : [numbers[0], numbers[1], numbers[2] ?? 1];
      if (step === 0) return undefined;
      const values: number[] = [];
      for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
        values.push(i);
        if (values.length > 100000) return undefined;
      }
      return values;
    }
    case 'list':
    case 'tuple':
    case 'sorted':
      if (args.length === 1 && Array.isArray(args[0])) {
        if (name !== 'sorted') return [...args[0]];
        return args[0].every(isNumeric) ? [...args[0]].sort((p, q) => toNumber(p) - toNumber(q)) : undefined;
      }
      return args.length === 0 && name !== 'sorted' ? [] : undefined;
    case 'math.ceil':
      return numbers && args.length === 1 ? Math.ceil(numbers[0]) : undefined;
    case 'math.floor':
      return numbers && args.length === 1 ? Math.floor(numbers[0]) : undefined;
    case 'math.log':
      if (!numbers || numbers[0] <= 0) return undefined;
      return args.length === 1 ? floatOf(Math.log(numbers[0])) : floatOf(Math.log(numbers[0]) / Math.log(numbers[1]));
    case 'math.pow':
      return numbers && args.length === 2 ? floatOf(pyPow(numbers[0], numbers[1])) : undefined;
  }
  if (name.startsWith('math.') && name.slice(5) in MATH_FUNCTIONS && numbers && args.length === 1) {
    return floatOf(MATH_FUNCTIONS[name.slice(5)](numbers[0]));
  }
  return undefined;
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** `m` in a call `x.m(...)` (whatever x is), or null. */
function calledMethod(call: Node): string | null {
  const callee = call.childForFieldName('function');
  return callee?.type === 'attribute' ? (callee.childForFieldName('attribute')?.text ?? null) : null;
}

/** The function a class-body statement defines (decorated or not), or null. */
function definedFunction(statement: Node): Node | null {
  if (statement.type === 'function_definition') return statement;
  if (statement.type === 'decorated_definition') {
    const definition = statement.childForFieldName('definition');
    return definition?.type === 'function_definition' ? definition : null;
  }
  return null;
}
