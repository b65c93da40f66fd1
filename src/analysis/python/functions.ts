// `lr_lambda` / `scale_fn` arguments: the source text of the lambda or def, for the engine's evaluator.
// Free names the function reads from the file (`warmup_epochs`, `args.epochs`) are replaced by their
// resolved values, so the text stands alone; a free name that cannot be resolved is reported.
import type { PyLike } from '../../engine/case';
import { pyRepr } from '../../engine/python/values';
import { EVALUATOR_BUILTINS, type Evaluation, type Resolver } from './evaluate';
import type { FileModel, Scope } from './model';
import { dedentBlock, namedChildrenOf, unparenthesize, type Node } from './syntax';

export function functionArgument(node: Node, scope: Scope, resolver: Resolver, model: FileModel): Evaluation {
  const origin = resolver.origin(node, scope);
  if (!origin) return { ok: false, missing: [node.text] };
  const target = unparenthesize(origin.node);
  if (target.type === 'list' || target.type === 'tuple') {
    const values: PyLike[] = [];
    const missing: string[] = [];
    for (const element of namedChildrenOf(target)) {
      const value = functionArgument(element, origin.scope, resolver, model);
      if (value.ok) values.push(value.value);
      else missing.push(...value.missing);
    }
    return missing.length ? { ok: false, missing } : { ok: true, value: values };
  }
  if (target.type === 'lambda') {
    const parameters = target.childForFieldName('parameters');
    const bound = new Set(parameters ? parameterNames(parameters) : []);
    return substituteFreeNames(target, bound, origin.scope, resolver);
  }
  if (target.type === 'function_definition') {
    const functionScope = model.scopeOfDefinition(target);
    if (!functionScope) return { ok: false, missing: [node.text] };
    const bound = new Set<string>(functionScope.params.map((p) => p.name));
    for (const name of functionScope.bindings.keys()) if (!name.includes('.')) bound.add(name);
    const name = target.childForFieldName('name')?.text;
    if (name) bound.add(name);
    const source = substituteFreeNames(target, bound, origin.scope, resolver);
    return source.ok ? { ok: true, value: dedentBlock(source.value as string, target.startPosition.column) } : source;
  }
  return { ok: false, missing: [node.text] };
}

function parameterNames(parameters: Node): string[] {
  const names: string[] = [];
  for (const param of namedChildrenOf(parameters)) {
    if (param.type === 'identifier') names.push(param.text);
    else {
      const name = param.childForFieldName('name') ?? param.namedChild(0);
      if (name?.type === 'identifier') names.push(name.text);
    }
  }
  return names;
}

/** The source of `fn` with its free names replaced by their resolved values. */
function substituteFreeNames(fn: Node, bound: Set<string>, scope: Scope, resolver: Resolver): Evaluation {
  for (const clause of fn.descendantsOfType('for_in_clause')) {
    const left = clause?.childForFieldName('left');
    for (const identifier of left ? [left, ...left.descendantsOfType('identifier')] : []) {
      if (identifier?.type === 'identifier') bound.add(identifier.text);
    }
  }
  for (const lambda of fn.descendantsOfType('lambda')) {
    const parameters = lambda?.childForFieldName('parameters');
    if (parameters) for (const name of parameterNames(parameters)) bound.add(name);
  }
  const replacements: { start: number; end: number; text: string }[] = [];
  const missing: string[] = [];
  const seen = new Set<number>();
  for (const identifier of fn.descendantsOfType('identifier')) {
    if (!identifier || bound.has(identifier.text) || EVALUATOR_BUILTINS.has(identifier.text)) continue;
    const parent = identifier.parent;
    if (!parent) continue;
    if (parent.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) continue;
    if (parent.type === 'keyword_argument' && parent.childForFieldName('name')?.id === identifier.id) continue;
    if (['parameters', 'lambda_parameters', 'default_parameter', 'typed_parameter', 'typed_default_parameter'].includes(parent.type)) continue;
    if (parent.type === 'function_definition' || parent.type === 'import_statement' || parent.type === 'dotted_name') continue;
    // The longest attribute chain starting here (`args.warmup`), short of a method call.
    let expression: Node = identifier;
    while (expression.parent?.type === 'attribute' && expression.parent.childForFieldName('object')?.id === expression.id) {
      const outer = expression.parent;
      if (outer.parent?.type === 'call' && outer.parent.childForFieldName('function')?.id === outer.id) break;
      expression = outer;
    }
    if (seen.has(expression.id)) continue;
    seen.add(expression.id);
    const value = resolver.evaluate(expression, scope);
    if (!value.ok) {
      missing.push(...value.missing);
      continue;
    }
    replacements.push({ start: expression.startIndex - fn.startIndex, end: expression.endIndex - fn.startIndex, text: pyRepr(value.value) });
  }
  if (missing.length) return { ok: false, missing: [...new Set(missing)] };
  let result = fn.text;
  for (const replacement of replacements.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, replacement.start) + replacement.text + result.slice(replacement.end);
  }
  return { ok: true, value: result };
}
