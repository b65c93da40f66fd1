// The file's names and calls, found lazily so that a large file costs little more than its parse:
// calls are located by a text search for the names that matter, then checked against the syntax tree;
// a scope's bindings are collected the first time a name is looked up in it.
import type { Node, Tree } from 'web-tree-sitter';
import { dottedName, namedChildrenOf } from './syntax';
import { WILDCARD_EXPORTS } from './torchApi';

export type BindingKind = 'value' | 'opaque' | 'function' | 'class' | 'param' | 'import';

export interface Binding {
  kind: BindingKind;
  /** Where the name is bound (the statement or definition). */
  node: Node;
  start: number;
  /** For `value`: the assigned expression. For `param`: the default value, if any. */
  value: Node | null;
  scope: Scope;
  /** For `a, b = f()`: the element of `value` this name takes. */
  unpackIndex?: number;
}

export interface CallRecord {
  node: Node;
  /** `a.b.c` for `a.b.c(...)`, else null. */
  callee: string | null;
  scope: Scope;
}

export class Scope {
  private collected = false;
  private readonly ownBindings = new Map<string, Binding[]>();
  /** Parameters in order (functions only). */
  readonly params: { name: string; defaultValue: Node | null; node: Node }[] = [];

  constructor(
    private readonly model: FileModel,
    readonly kind: 'module' | 'function' | 'class',
    readonly node: Node,
    readonly parent: Scope | null,
    readonly name: string | null,
  ) {}

  /** Names bound in this scope (for a class: also `self.x` assigned in its methods). */
  get bindings(): Map<string, Binding[]> {
    if (!this.collected) {
      this.collected = true;
      this.model.collectBindings(this);
    }
    return this.ownBindings;
  }

  /** Records a binding here; `evaluatedIn` is the scope its value is read in (a method, for `self.x` kept on the class). */
  bind(name: string, binding: Omit<Binding, 'scope'>, evaluatedIn: Scope = this): void {
    const list = this.ownBindings.get(name);
    const full = { ...binding, scope: evaluatedIn };
    if (list) list.push(full);
    else this.ownBindings.set(name, [full]);
  }

  /** The class a method belongs to. */
  enclosingClass(): Scope | null {
    return this.kind === 'function' && this.parent?.kind === 'class' ? this.parent : null;
  }
}

const SCOPE_TYPES = new Set(['function_definition', 'class_definition']);
const IMPORT_LINE = /^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import|import)[ \t(]/;
const BLOCK_CONTAINERS = new Set([
  'block', 'if_statement', 'elif_clause', 'else_clause', 'while_statement', 'try_statement', 'except_clause',
  'except_group_clause', 'finally_clause', 'with_statement', 'match_statement', 'case_clause', 'ERROR',
]);

export class FileModel {
  readonly moduleScope: Scope;
  /** Local name → dotted module path or `module.Name` it stands for. */
  readonly imports = new Map<string, string>();
  private readonly scopesById = new Map<number, Scope>();
  private readonly callsByName = new Map<string, CallRecord[]>();

  constructor(readonly tree: Tree, readonly source: string) {
    this.moduleScope = new Scope(this, 'module', tree.rootNode, null, null);
    this.scopesById.set(tree.rootNode.id, this.moduleScope);
    this.readImports();
  }

  /** The innermost function/class scope whose body contains `node`. */
  scopeOf(node: Node): Scope {
    for (let current = node.parent; current; current = current.parent) {
      if (!SCOPE_TYPES.has(current.type)) continue;
      // The name, parameters and decorators of a def belong to the outer scope; its body to the inner one.
      const body = current.childForFieldName('body');
      if (body && node.startIndex >= body.startIndex) return this.scopeOfDefinition(current);
    }
    return this.moduleScope;
  }

  scopeOfDefinition(definition: Node): Scope {
    const existing = this.scopesById.get(definition.id);
    if (existing) return existing;
    const kind = definition.type === 'class_definition' ? 'class' : 'function';
    const scope = new Scope(this, kind, definition, this.scopeOf(definition), definition.childForFieldName('name')?.text ?? null);
    if (kind === 'function') readParameters(definition, scope);
    this.scopesById.set(definition.id, scope);
    return scope;
  }

  /**
   * The binding a name refers to at `use`: the last one before it in the same scope, or (from an inner
   * function) the last one anywhere in an enclosing function or module scope, as at call time.
   */
  lookup(name: string, scope: Scope, useIndex: number): Binding | null {
    const candidates = this.lookupCandidates(name, scope, useIndex);
    return candidates[candidates.length - 1] ?? null;
  }

  /**
   * What `lookup` chooses from, in source order (its choice last): the bindings of the name before `use` in
   * the scope that binds it (all of them in an enclosing scope), or a function's parameter.
   */
  lookupCandidates(name: string, scope: Scope, useIndex: number): Binding[] {
    for (let current: Scope | null = scope; current; current = current.parent) {
      if (current.kind === 'class' && current !== scope) continue;
      const list = current.bindings.get(name);
      if (list?.length) {
        if (current !== scope) return list;
        const before = list.filter((binding) => binding.start < useIndex);
        if (before.length) return before;
      }
      if (current.kind === 'function') {
        const param = current.params.find((p) => p.name === name);
        if (param) return [{ kind: 'param', node: param.node, start: param.node.startIndex, value: param.defaultValue, scope: current }];
      }
    }
    return [];
  }

  /** `self.x` assigned in the methods of the class of `scope`: the last before `use` in the same method, else the first. */
  lookupSelfAttribute(attribute: string, scope: Scope, useIndex: number): Binding | null {
    const classScope = scope.enclosingClass();
    if (!classScope) return null;
    const list = classScope.bindings.get(`self.${attribute}`);
    if (!list?.length) return null;
    const sameMethod = list.filter((b) => b.start < useIndex && b.start >= scope.node.startIndex && b.start < scope.node.endIndex);
    return sameMethod.length ? sameMethod[sameMethod.length - 1] : list[0];
  }

  /** The fully qualified name a dotted callee stands for through the imports (`optim.SGD` → `torch.optim.SGD`). */
  qualify(dotted: string): string {
    const dot = dotted.indexOf('.');
    const head = dot < 0 ? dotted : dotted.slice(0, dot);
    const imported = this.imports.get(head);
    if (!imported) return dotted;
    return dot < 0 ? imported : imported + dotted.slice(dot);
  }

  /** Calls whose callee ends with `name` (`f(...)`, `self.f(...)`, `mod.f(...)`), in source order. */
  callSitesOf(name: string): CallRecord[] {
    let calls = this.callsByName.get(name);
    if (!calls) {
      calls = this.findCalls([name]);
      this.callsByName.set(name, calls);
    }
    return calls;
  }

  /** Calls whose callee ends with one of `names`, found by a text search checked against the tree. */
  findCalls(names: string[]): CallRecord[] {
    const calls: CallRecord[] = [];
    const pattern = new RegExp(`\\b(?:${names.map(escapeRegExp).join('|')})\\s*\\(`, 'g');
    const root = this.tree.rootNode;
    for (let match = pattern.exec(this.source); match; match = pattern.exec(this.source)) {
      const identifier = root.namedDescendantForIndex(match.index);
      if (!identifier || identifier.type !== 'identifier' || identifier.startIndex !== match.index) continue;
      let callee: Node = identifier;
      const parent = identifier.parent;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) callee = parent;
      const call = callee.parent;
      if (call?.type !== 'call' || call.childForFieldName('function')?.id !== callee.id) continue;
      calls.push({ node: call, callee: dottedName(callee), scope: this.scopeOf(call) });
    }
    return calls;
  }

  /** Fills a scope's bindings from its statements (not descending into nested functions or classes). */
  collectBindings(scope: Scope): void {
    if (scope.kind === 'class') {
      // Methods put their `self.x = …` on the class; collect them so they are visible class-wide.
      const body = scope.node.childForFieldName('body');
      for (const statement of body ? namedChildrenOf(body) : []) {
        const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
        if (definition?.type === 'function_definition') void this.scopeOfDefinition(definition).bindings;
      }
    }
    const body = scope.kind === 'module' ? scope.node : scope.node.childForFieldName('body');
    if (body) this.visitStatements(body, scope);
  }

  private visitStatements(container: Node, scope: Scope): void {
    for (const statement of namedChildrenOf(container)) this.visitStatement(statement, scope);
  }

  private visitStatement(statement: Node, scope: Scope): void {
    switch (statement.type) {
      case 'expression_statement':
        for (const expression of namedChildrenOf(statement)) {
          if (expression.type === 'assignment') this.visitAssignment(expression, scope);
          else if (expression.type === 'augmented_assignment') {
            const left = expression.childForFieldName('left');
            if (left) this.bindTarget(left, null, expression, scope, 'opaque');
          }
        }
        return;
      case 'function_definition':
      case 'class_definition': {
        const name = statement.childForFieldName('name')?.text;
        if (name) scope.bind(name, { kind: statement.type === 'class_definition' ? 'class' : 'function', node: statement, start: statement.startIndex, value: null });
        return;
      }
      case 'decorated_definition': {
        const definition = statement.childForFieldName('definition');
        if (definition) this.visitStatement(definition, scope);
        return;
      }
      case 'import_statement':
      case 'import_from_statement':
        for (const local of importedNames(statement)) scope.bind(local.name, { kind: 'import', node: statement, start: statement.startIndex, value: null });
        return;
      case 'for_statement': {
        const left = statement.childForFieldName('left');
        if (left) this.bindTarget(left, null, statement, scope, 'opaque');
        this.visitStatements(statement, scope);
        return;
      }
      default:
        if (BLOCK_CONTAINERS.has(statement.type)) this.visitStatements(statement, scope);
    }
  }

  private visitAssignment(node: Node, scope: Scope): void {
    const left = node.childForFieldName('left');
    let right = node.childForFieldName('right');
    // `a = b = value`: every target gets the innermost value.
    const targets = left ? [left] : [];
    while (right && right.type === 'assignment') {
      const inner = right.childForFieldName('left');
      if (inner) targets.push(inner);
      right = right.childForFieldName('right');
    }
    if (!right) return; // an annotation without a value (`x: int`) binds nothing
    for (const target of targets) this.bindTarget(target, right, node, scope, 'value');
  }

  private bindTarget(target: Node, value: Node | null, statement: Node, scope: Scope, kind: 'value' | 'opaque', unpackIndex?: number): void {
    // A name is bound once its statement has run (`x = x / 2` reads the previous x); a loop variable
    // from the loop's header on.
    const start = statement.type === 'for_statement' ? target.endIndex : statement.endIndex;
    if (target.type === 'identifier') {
      const binding = { kind: value ? kind : 'opaque', node: statement, start, value } as const;
      scope.bind(target.text, unpackIndex === undefined ? binding : { ...binding, unpackIndex });
      return;
    }
    if (target.type === 'attribute') {
      const dotted = dottedName(target);
      if (!dotted) return;
      // `self.x = …` in a method belongs to the class, so other methods can see it.
      const classScope = dotted.startsWith('self.') ? scope.enclosingClass() : null;
      (classScope ?? scope).bind(dotted, { kind: value ? kind : 'opaque', node: statement, start, value }, scope);
      return;
    }
    if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'expression_list'].includes(target.type)) {
      const targets = namedChildrenOf(target);
      const unwrapped = value ? unwrapParentheses(value) : null;
      const values = unwrapped ? namedChildrenOf(unwrapped) : [];
      const elementwise = unwrapped !== null && ['expression_list', 'tuple', 'list'].includes(unwrapped.type) && values.length === targets.length;
      targets.forEach((element, index) =>
        elementwise
          ? this.bindTarget(element, values[index], statement, scope, kind)
          : this.bindTarget(element, value, statement, scope, kind, value ? index : undefined),
      );
    }
  }

  private readImports(): void {
    const root = this.tree.rootNode;
    // Each `import` keyword that starts a line (`import x`, `from x import y`): cheaper than a multiline regex.
    for (let at = this.source.indexOf('import'); at >= 0; at = this.source.indexOf('import', at + 6)) {
      const lineStart = this.source.lastIndexOf('\n', at) + 1;
      const line = this.source.slice(lineStart, this.source.indexOf('\n', at) >>> 0);
      if (!IMPORT_LINE.test(line)) continue;
      let node = root.descendantForIndex(lineStart + line.length - line.trimStart().length);
      while (node && node.type !== 'import_statement' && node.type !== 'import_from_statement') node = node.parent;
      if (!node) continue;
      for (const local of importedNames(node)) this.imports.set(local.name, local.target);
    }
  }
}

/** The names an import statement binds and what they stand for (`import torch.optim` binds `torch`). */
function importedNames(node: Node): { name: string; target: string }[] {
  const names: { name: string; target: string }[] = [];
  if (node.type === 'import_statement') {
    for (const child of namedChildrenOf(node)) {
      if (child.type === 'dotted_name') {
        const head = child.text.split('.')[0];
        names.push({ name: head, target: head });
      } else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name');
        const alias = child.childForFieldName('alias');
        if (name && alias) names.push({ name: alias.text, target: name.text });
      }
    }
    return names;
  }
  const moduleNode = node.childForFieldName('module_name');
  if (!moduleNode || moduleNode.type !== 'dotted_name') return names;
  if (node.namedChildren.some((child) => child?.type === 'wildcard_import')) {
    // `from torch.optim.lr_scheduler import *`: the public names of the torch modules the analysis knows.
    for (const name of WILDCARD_EXPORTS[moduleNode.text] ?? []) names.push({ name, target: `${moduleNode.text}.${name}` });
    return names;
  }
  for (const child of node.childrenForFieldName('name')) {
    if (child?.type === 'dotted_name') names.push({ name: child.text, target: `${moduleNode.text}.${child.text}` });
    else if (child?.type === 'aliased_import') {
      const name = child.childForFieldName('name');
      const alias = child.childForFieldName('alias');
      if (name && alias) names.push({ name: alias.text, target: `${moduleNode.text}.${name.text}` });
    }
  }
  return names;
}

function readParameters(definition: Node, scope: Scope): void {
  const parameters = definition.childForFieldName('parameters');
  for (const param of parameters ? namedChildrenOf(parameters) : []) {
    if (param.type === 'identifier') scope.params.push({ name: param.text, defaultValue: null, node: param });
    else if (param.type === 'default_parameter' || param.type === 'typed_default_parameter') {
      const name = param.childForFieldName('name');
      if (name) scope.params.push({ name: name.text, defaultValue: param.childForFieldName('value'), node: param });
    } else if (param.type === 'typed_parameter') {
      const first = param.namedChild(0);
      if (first?.type === 'identifier') scope.params.push({ name: first.text, defaultValue: null, node: param });
    }
  }
}

function unwrapParentheses(node: Node): Node {
  let current = node;
  while (current.type === 'parenthesized_expression') {
    const inner = namedChildrenOf(current)[0];
    if (!inner) break;
    current = inner;
  }
  return current;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
