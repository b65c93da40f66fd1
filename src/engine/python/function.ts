// Compiles the Python text of an `lr_lambda` / `scale_fn` into a JS closure tree, once, so that it can
// be called a million times cheaply. No eval, no `new Function`: every node becomes a small closure
// and every operator follows CPython 3.11 (numbers.ts, builtins.ts). Python errors surface as
// PythonError with CPython's type and message; what the subset does not cover is an UnsupportedError
// naming the construct: at compile time where the text shows it (attribute access, comprehensions,
// unmodelled builtins...), else when reached (a complex result, an int of over a million bits, more
// than a million loop iterations, recursion).

import { PythonError, UnsupportedError, typeError, valueError } from '../errors';
import type { BinaryOperator, CompareOperator, Expr, Parameter, Stmt, Target } from './ast';
import { BUILTINS, MATH_MODULE, MAX_ITERATIONS, NUMPY_MODULE, importModule, iterate, moduleAttribute } from './builtins';
import {
  add,
  bitAnd,
  bitOr,
  bitXor,
  compare,
  floorDivide,
  intOf,
  intToDouble,
  invert,
  isIntLike,
  isTruthy,
  leftShift,
  matrixMultiply,
  modulo,
  multiply,
  negate,
  power,
  pyEquals,
  rightShift,
  subtract,
  trueDivide,
  unaryPlus,
} from './numbers';
import { PyCallable, PyModule, PyRange, PyTuple, typeName, type Keywords, type PyValue } from './objects';
import { Parser, dedent } from './parser';
import { Float } from './values';

export type { PyValue } from './objects';
export { PyCallable, PyModule, PyTuple } from './objects';

/** A compiled Python function of numbers. */
export interface PyFunction {
  readonly params: string[];
  /** Calls it; a JS integer argument is a Python int, a non-integer a float. Returns float(result). */
  call(args: ReadonlyArray<PyValue>): number;
  /** Calls it and returns the Python value itself (an int stays an int). */
  invoke(args: ReadonlyArray<PyValue>): PyValue;
  /** The function as a Python value, to pass to another function through `globals`. */
  readonly callable: PyCallable;
  /** Free names that resolved to nothing (calling code that reaches one raises NameError). */
  readonly unresolvedNames: string[];
}

export interface CompileOptions {
  /** Module-level names the function reads: constants, modules, other compiled functions. */
  globals?: Record<string, PyValue | PyFunction>;
  /** What the text is, for messages: "lr_lambda" (default), "scale_fn" (default for the parameter `x`). */
  role?: string;
}

/**
 * Compiles `lambda epoch: ...`, a bare expression in `defaultParams`, or a `def name(...):` block.
 * Throws UnsupportedError for syntax or constructs outside the subset.
 */
export function compilePythonFunction(source: string, defaultParams: string[], options: CompileOptions = {}): PyFunction {
  // The engine compiles scale_fn with the parameter `x` and lr_lambda with `epoch`.
  const role = options.role ?? (defaultParams.length === 1 && defaultParams[0] === 'x' ? 'scale_fn' : 'lr_lambda');
  const text = dedent(source).trim();
  if (text === '') throw new UnsupportedError(`LR Lens cannot evaluate an empty ${role}`);
  const parsed = new Parser(text, role).parseSource();
  const globals = new Map<string, PyValue>([
    ['math', MATH_MODULE],
    ['numpy', NUMPY_MODULE],
    ['np', NUMPY_MODULE],
  ]);
  for (const [name, value] of Object.entries(options.globals ?? {})) globals.set(name, isPyFunction(value) ? value.callable : value);

  if (parsed.kind === 'expression' && parsed.body.kind === 'name' && !defaultParams.includes(parsed.body.id)) {
    // `lr_lambda=warmup`: the name of a function the caller passed in.
    const named = globals.get(parsed.body.id);
    if (named instanceof PyCallable) return wrap(named, defaultParams, []);
  }

  const compiler = new Compiler(text, role, globals);
  if (parsed.kind === 'def') {
    // As at module level, the function's own name is a global that refers to it.
    let self: PyCallable | null = null;
    const name = parsed.def.name;
    if (!globals.has(name)) globals.set(name, new PyCallable(name, (args, keywords) => self!.invoke(args, keywords), false));
    const fn = compiler.compileFunction(name, parsed.def.params, parsed.def.body, null);
    self = fn.callable;
    return wrap(fn.callable, fn.params, compiler.unresolved);
  }
  const params: Parameter[] = parsed.kind === 'lambda' ? parsed.params : defaultParams.map((name) => ({ name, defaultValue: null }));
  const fn = compiler.compileFunction('<lambda>', params, null, parsed.body);
  return wrap(fn.callable, fn.params, compiler.unresolved);
}

/** The value of a constant expression (`5 * 2`, `1e-3`, `math.pi / 4`) with the given globals. */
export function evaluatePythonExpression(source: string, options: CompileOptions = {}): PyValue {
  return compilePythonFunction(source, [], options).invoke([]);
}

/**
 * What `import module` (no name) or `from module import name` binds, for passing through `globals`:
 * `import numpy as np` is `{ np: importPythonName('numpy') }`, `from math import cos` is
 * `{ cos: importPythonName('math', 'cos') }`. Modules other than math/numpy are unsupported.
 */
export function importPythonName(module: string, name?: string, role = 'lr_lambda'): PyValue {
  const imported = importModule(module, role);
  return name === undefined ? imported : moduleAttribute(imported, name, role);
}

function isPyFunction(value: PyValue | PyFunction): value is PyFunction {
  return typeof value === 'object' && value !== null && 'callable' in value && value.callable instanceof PyCallable;
}

function wrap(callable: PyCallable, params: string[], unresolvedNames: string[]): PyFunction {
  return {
    params,
    callable,
    unresolvedNames: [...new Set(unresolvedNames)],
    invoke: (args) => callable.invoke(fromCaller(args), null),
    call: (args) => resultToDouble(callable.invoke(fromCaller(args), null)),
  };
}

/**
 * Arguments from the engine: a JS integer is an int, a non-integer a float; -0 becomes the int 0
 * (ints have no sign of zero). The array is only read, so it is passed on when nothing changes.
 */
function fromCaller(args: ReadonlyArray<PyValue>): PyValue[] {
  if (!args.some((value) => Object.is(value, -0))) return args as PyValue[];
  return args.map((value) => (Object.is(value, -0) ? 0 : value));
}

/** float(result), as torch's `base_lr * lmbda(epoch)` sees it. */
export function resultToDouble(value: PyValue): number {
  if (typeof value === 'number') return value;
  if (value instanceof Float) return value.value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return intToDouble(value);
  // The engine multiplies a float learning rate by the result: raise what Python raises then.
  multiply(0.5, value);
  throw typeError(`unsupported operand type(s) for *: 'float' and '${typeName(value)}'`);
}

type Frame = (PyValue | undefined)[];
type Evaluate = (frame: Frame) => PyValue;
/** 0: next statement, 1: return, 2: break, 3: continue. */
type Execute = (frame: Frame) => number;

const BINARY: Record<BinaryOperator, (a: PyValue, b: PyValue) => PyValue> = {
  '+': add,
  '-': subtract,
  '*': multiply,
  '/': trueDivide,
  '//': floorDivide,
  '%': modulo,
  '**': power,
  '<<': leftShift,
  '>>': rightShift,
  '&': bitAnd,
  '|': bitOr,
  '^': bitXor,
  '@': matrixMultiply,
};

interface FunctionScope {
  slots: Map<string, number>;
  /** Names bound by `import` inside the function: fixed at compile time. */
  constants: Map<string, PyValue>;
  /** Parameters never reassigned: always bound, no check needed. */
  alwaysBound: Set<string>;
  returnSlot: number;
}

/** Python builtins the evaluator does not model: reported as unsupported rather than as NameError. */
const UNMODELLED_BUILTINS = new Set([
  'all', 'any', 'ascii', 'bin', 'breakpoint', 'bytearray', 'bytes', 'callable', 'chr', 'classmethod', 'compile',
  'complex', 'delattr', 'dict', 'dir', 'enumerate', 'eval', 'exec', 'filter', 'format', 'frozenset', 'getattr',
  'globals', 'hasattr', 'hash', 'help', 'hex', 'id', 'input', 'isinstance', 'issubclass', 'iter', 'list', 'locals',
  'map', 'memoryview', 'next', 'object', 'oct', 'open', 'ord', 'print', 'property', 'repr', 'reversed', 'set',
  'setattr', 'slice', 'sorted', 'staticmethod', 'str', 'sum', 'super', 'tuple', 'type', 'vars', 'zip', '__import__',
]);

/** Loop iterations allowed per call, across all loops (a runaway loop is reported, not run). */
let iterationBudget = MAX_ITERATIONS;

class Compiler {
  readonly unresolved: string[] = [];
  private scope: FunctionScope | null = null;

  constructor(
    private readonly source: string,
    private readonly role: string,
    private readonly globals: Map<string, PyValue>,
  ) {}

  compileFunction(name: string, params: Parameter[], body: Stmt[] | null, expression: Expr | null): { callable: PyCallable; params: string[] } {
    const names = params.map((p) => p.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) this.fail(`duplicate argument '${duplicate}' in function definition`);
    // Defaults are evaluated once, in the enclosing (global) scope, as at `def` time.
    const defaults = params.map((p) => (p.defaultValue ? this.compileExpr(p.defaultValue)([]) : undefined));
    const scope: FunctionScope = { slots: new Map(), constants: new Map(), alwaysBound: new Set(names), returnSlot: 0 };
    names.forEach((n, i) => scope.slots.set(n, i));
    if (body) this.collectLocals(body, scope);
    scope.returnSlot = scope.slots.size;
    const frameSize = scope.slots.size + 1;
    this.scope = scope;
    let run: Evaluate;
    if (body) {
      const block = this.compileBlock(body);
      const returnSlot = scope.returnSlot;
      run = (frame) => (block(frame) === 1 ? (frame[returnSlot] as PyValue) : null);
    } else {
      run = this.compileExpr(expression!);
    }
    this.scope = null;
    const bind = makeBinder(name, names, defaults, frameSize);
    let running = false;
    const role = this.role;
    const callable = new PyCallable(
      name,
      (args, keywords) => {
        if (running) throw new UnsupportedError(`LR Lens cannot evaluate a recursive call of ${name}() in ${role}`);
        const frame = bind(args, keywords);
        iterationBudget = MAX_ITERATIONS;
        running = true;
        try {
          return run(frame);
        } finally {
          running = false;
        }
      },
      false,
    );
    return { callable, params: names };
  }

  /** Python's rule: a name assigned anywhere in the body is local to the whole body. */
  private collectLocals(body: Stmt[], scope: FunctionScope): void {
    const bindTarget = (target: Target): void => {
      if (target.kind === 'name') {
        scope.alwaysBound.delete(target.id);
        if (scope.constants.has(target.id)) this.fail(`rebinding the imported name '${target.id}'`, target);
        if (!scope.slots.has(target.id)) scope.slots.set(target.id, scope.slots.size);
      } else target.elements.forEach(bindTarget);
    };
    const bindImport = (alias: string, value: PyValue, at: Stmt): void => {
      if (scope.slots.has(alias)) this.fail(`rebinding '${alias}' by an import`, at);
      scope.constants.set(alias, value);
    };
    const visit = (statements: Stmt[]): void => {
      for (const stmt of statements) {
        switch (stmt.kind) {
          case 'assign':
            stmt.targets.forEach(bindTarget);
            break;
          case 'augassign':
            bindTarget(stmt.target);
            break;
          case 'for':
            bindTarget(stmt.target);
            visit(stmt.body);
            visit(stmt.orelse);
            break;
          case 'if':
            visit(stmt.body);
            visit(stmt.orelse);
            break;
          case 'import':
            bindImport(stmt.alias, importModule(stmt.module, this.role), stmt);
            break;
          case 'importfrom': {
            const module = importModule(stmt.module, this.role);
            for (const { name, alias } of stmt.names) bindImport(alias, moduleAttribute(module, name, this.role), stmt);
            break;
          }
        }
      }
    };
    visit(body);
  }

  // ---- statements ----

  private compileBlock(statements: Stmt[]): Execute {
    const compiled = statements.map((s) => this.compileStmt(s));
    if (compiled.length === 1) return compiled[0];
    return (frame) => {
      for (let i = 0; i < compiled.length; i++) {
        const signal = compiled[i](frame);
        if (signal !== 0) return signal;
      }
      return 0;
    };
  }

  private compileStmt(stmt: Stmt): Execute {
    switch (stmt.kind) {
      case 'assign': {
        const value = this.compileExpr(stmt.value);
        const stores = stmt.targets.map((t) => this.compileStore(t));
        if (stores.length === 1) {
          const store = stores[0];
          return (frame) => {
            store(frame, value(frame));
            return 0;
          };
        }
        return (frame) => {
          const v = value(frame);
          for (const store of stores) store(frame, v);
          return 0;
        };
      }
      case 'augassign': {
        const read = this.compileName(stmt.target.id);
        const value = this.compileExpr(stmt.value);
        const op = BINARY[stmt.op];
        const store = this.compileStore(stmt.target);
        return (frame) => {
          store(frame, op(read(frame), value(frame)));
          return 0;
        };
      }
      case 'if': {
        const test = this.compileTest(stmt.test);
        const body = this.compileBlock(stmt.body);
        const orelse = stmt.orelse.length > 0 ? this.compileBlock(stmt.orelse) : null;
        return orelse ? (frame) => (test(frame) ? body(frame) : orelse(frame)) : (frame) => (test(frame) ? body(frame) : 0);
      }
      case 'for':
        return this.compileFor(stmt as Stmt & { kind: 'for' });
      case 'return': {
        const slot = this.scope!.returnSlot;
        const value = stmt.value ? this.compileExpr(stmt.value) : () => null;
        return (frame) => {
          frame[slot] = value(frame);
          return 1;
        };
      }
      case 'pass':
      case 'import':
      case 'importfrom':
        return () => 0;
      case 'break':
        return () => 2;
      case 'continue':
        return () => 3;
      case 'expression': {
        if (stmt.value.kind === 'constant') return () => 0; // docstring
        const value = this.compileExpr(stmt.value);
        return (frame) => {
          value(frame);
          return 0;
        };
      }
    }
  }

  private compileFor(stmt: Stmt & { kind: 'for' }): Execute {
    const iter = this.compileExpr(stmt.iter);
    const store = this.compileStore(stmt.target);
    const body = this.compileBlock(stmt.body);
    const orelse = stmt.orelse.length > 0 ? this.compileBlock(stmt.orelse) : null;
    const tooLong = () => new UnsupportedError(`LR Lens cannot evaluate loops of more than ${MAX_ITERATIONS} iterations in ${this.role}`);
    return (frame) => {
      const iterable = iter(frame);
      const step = (item: PyValue): number => {
        if (--iterationBudget < 0) throw tooLong();
        store(frame, item);
        return body(frame);
      };
      if (iterable instanceof PyRange) {
        for (let i = 0, v = iterable.start, n = iterable.length; i < n; i++, v += iterable.step) {
          const signal = step(v);
          if (signal === 1) return 1;
          if (signal === 2) return 0;
        }
      } else {
        for (const item of iterate(iterable)) {
          const signal = step(item);
          if (signal === 1) return 1;
          if (signal === 2) return 0;
        }
      }
      return orelse ? orelse(frame) : 0;
    };
  }

  private compileStore(target: Target): (frame: Frame, value: PyValue) => void {
    if (target.kind === 'name') {
      const slot = this.scope!.slots.get(target.id)!;
      return (frame, value) => {
        frame[slot] = value;
      };
    }
    const stores = target.elements.map((t) => this.compileStore(t));
    return (frame, value) => {
      if (!Array.isArray(value) && !(value instanceof PyTuple) && !(value instanceof PyRange) && typeof value !== 'string') {
        throw typeError(`cannot unpack non-iterable ${typeName(value)} object`);
      }
      const items = iterate(value);
      if (items.length > stores.length) throw valueError(`too many values to unpack (expected ${stores.length})`);
      if (items.length < stores.length) throw valueError(`not enough values to unpack (expected ${stores.length}, got ${items.length})`);
      stores.forEach((store, i) => store(frame, items[i]));
    };
  }

  // ---- expressions ----

  private compileTest(expr: Expr): (frame: Frame) => boolean {
    const value = this.compileExpr(expr);
    return (frame) => {
      const v = value(frame);
      return typeof v === 'boolean' ? v : isTruthy(v);
    };
  }

  compileExpr(expr: Expr): Evaluate {
    switch (expr.kind) {
      case 'constant': {
        const value = expr.value;
        return () => value;
      }
      case 'name':
        return this.compileName(expr.id);
      case 'unary': {
        const operand = this.compileExpr(expr.operand);
        switch (expr.op) {
          case '-':
            return (frame) => {
              const v = operand(frame);
              return typeof v === 'number' && !Number.isInteger(v) ? -v : negate(v);
            };
          case '+':
            return (frame) => unaryPlus(operand(frame));
          case '~':
            return (frame) => invert(operand(frame));
          case 'not':
            return (frame) => !isTruthy(operand(frame));
        }
        break;
      }
      case 'binary': {
        const left = this.compileExpr(expr.left);
        const right = this.compileExpr(expr.right);
        const op = BINARY[expr.op];
        return (frame) => op(left(frame), right(frame));
      }
      case 'boolean': {
        const values = expr.values.map((v) => this.compileExpr(v));
        const isAnd = expr.op === 'and';
        return (frame) => {
          let result: PyValue = null;
          for (const value of values) {
            result = value(frame);
            if (isTruthy(result) !== isAnd) return result;
          }
          return result;
        };
      }
      case 'compare':
        return this.compileCompare(expr.left, expr.ops, expr.comparators);
      case 'conditional': {
        const test = this.compileTest(expr.test);
        const body = this.compileExpr(expr.body);
        const orelse = this.compileExpr(expr.orelse);
        return (frame) => (test(frame) ? body(frame) : orelse(frame));
      }
      case 'call':
        return this.compileCall(expr as Expr & { kind: 'call' });
      case 'attribute':
        return this.compileAttribute(expr as Expr & { kind: 'attribute' });
      case 'subscript': {
        const container = this.compileExpr(expr.value);
        const index = this.compileExpr(expr.index);
        return (frame) => getItem(container(frame), index(frame));
      }
      case 'list': {
        const elements = expr.elements.map((e) => this.compileExpr(e));
        return (frame) => elements.map((e) => e(frame));
      }
      case 'tuple': {
        const elements = expr.elements.map((e) => this.compileExpr(e));
        return (frame) => new PyTuple(elements.map((e) => e(frame)));
      }
      case 'lambda':
        this.fail('a nested lambda', expr);
    }
    return this.fail('this expression', expr);
  }

  private compileName(id: string): Evaluate {
    const scope = this.scope;
    if (scope?.constants.has(id)) {
      const value = scope.constants.get(id)!;
      return () => value;
    }
    const slot = scope?.slots.get(id);
    if (slot !== undefined) {
      if (scope!.alwaysBound.has(id)) return (frame) => frame[slot] as PyValue;
      return (frame) => {
        const value = frame[slot];
        if (value === undefined) {
          throw new PythonError('UnboundLocalError', `cannot access local variable '${id}' where it is not associated with a value`);
        }
        return value;
      };
    }
    const known = this.globals.has(id) ? this.globals.get(id)! : BUILTINS.get(id);
    if (known !== undefined) return () => known;
    if (UNMODELLED_BUILTINS.has(id)) this.fail(`the builtin '${id}'`);
    this.unresolved.push(id);
    return () => {
      throw new PythonError('NameError', `name '${id}' is not defined`);
    };
  }

  /** The value of an expression if it is fixed at compile time (a global module or function). */
  private constantValue(expr: Expr): PyValue | undefined {
    if (expr.kind === 'constant') return expr.value;
    if (expr.kind === 'name') {
      const scope = this.scope;
      if (scope?.constants.has(expr.id)) return scope.constants.get(expr.id);
      if (scope?.slots.has(expr.id)) return undefined;
      return this.globals.has(expr.id) ? this.globals.get(expr.id) : BUILTINS.get(expr.id);
    }
    if (expr.kind === 'attribute') {
      const base = this.constantValue(expr.value);
      if (base instanceof PyModule) {
        try {
          return moduleAttribute(base, expr.attr, this.role);
        } catch (error) {
          if (error instanceof UnsupportedError) throw error;
          return undefined; // AttributeError: raised when (and if) the code runs
        }
      }
    }
    return undefined;
  }

  private compileAttribute(expr: Expr & { kind: 'attribute' }): Evaluate {
    const base = this.constantValue(expr.value);
    if (base instanceof PyModule) {
      const member = this.constantValue(expr);
      if (member !== undefined) return () => member;
      const module = base;
      return () => moduleAttribute(module, expr.attr, this.role);
    }
    return this.fail('attribute access', expr);
  }

  private compileCall(expr: Expr & { kind: 'call' }): Evaluate {
    const fixed = this.constantValue(expr.func);
    const func = fixed !== undefined ? () => fixed : this.compileExpr(expr.func);
    const args = expr.args.map((a) => this.compileExpr(a));
    const keywordNames = expr.keywords.map((k) => k.name);
    const duplicate = keywordNames.find((n, i) => keywordNames.indexOf(n) !== i);
    if (duplicate) this.fail(`keyword argument repeated: ${duplicate}`, expr);
    const keywordValues = expr.keywords.map((k) => this.compileExpr(k.value));
    const callOf = (callee: PyValue): PyCallable => {
      if (callee instanceof PyCallable) return callee;
      throw typeError(`'${typeName(callee)}' object is not callable`);
    };
    if (fixed instanceof PyCallable && keywordValues.length === 0) {
      if (args.length === 1) {
        const [a] = args;
        return (frame) => fixed.invoke([a(frame)], null);
      }
      if (args.length === 2) {
        const [a, b] = args;
        return (frame) => fixed.invoke([a(frame), b(frame)], null);
      }
    }
    return (frame) => {
      const callee = callOf(func(frame));
      const values = args.map((a) => a(frame));
      let keywords: Keywords = null;
      if (keywordValues.length > 0) {
        const map = new Map<string, PyValue>();
        keywordValues.forEach((k, i) => map.set(keywordNames[i], k(frame)));
        keywords = map;
      }
      return callee.invoke(values, keywords);
    };
  }

  private compileCompare(leftExpr: Expr, ops: CompareOperator[], comparatorExprs: Expr[]): Evaluate {
    const left = this.compileExpr(leftExpr);
    const comparators = comparatorExprs.map((c) => this.compileExpr(c));
    const tests = ops.map((op, i) => this.comparison(op, i === 0 ? leftExpr : comparatorExprs[i - 1], comparatorExprs[i]));
    if (ops.length === 1) {
      const [right] = comparators;
      const [test] = tests;
      return (frame) => test(left(frame), right(frame));
    }
    return (frame) => {
      let a = left(frame);
      for (let i = 0; i < comparators.length; i++) {
        const b = comparators[i](frame);
        if (!tests[i](a, b)) return false;
        a = b;
      }
      return true;
    };
  }

  private comparison(op: CompareOperator, leftExpr: Expr, rightExpr: Expr): (a: PyValue, b: PyValue) => boolean {
    switch (op) {
      case 'in':
        return (a, b) => contains(b, a);
      case 'not in':
        return (a, b) => !contains(b, a);
      case 'is':
      case 'is not': {
        const isSingleton = (e: Expr) => e.kind === 'constant' && (e.value === null || typeof e.value === 'boolean');
        if (!isSingleton(leftExpr) && !isSingleton(rightExpr)) {
          this.fail(`'${op}' on values other than None/True/False`, { start: leftExpr.start, end: rightExpr.end });
        }
        return op === 'is' ? (a, b) => a === b : (a, b) => a !== b;
      }
      default:
        return (a, b) => compare(op, a, b);
    }
  }

  private fail(what: string, at?: { start: number; end: number }): never {
    const quoted = at ? ` '${this.source.slice(at.start, at.end)}'` : '';
    throw new UnsupportedError(`LR Lens cannot evaluate ${what}${quoted} in ${this.role}`);
  }
}

function makeBinder(
  name: string,
  params: string[],
  defaults: (PyValue | undefined)[],
  frameSize: number,
): (args: PyValue[], keywords: Keywords) => Frame {
  const count = params.length;
  const required = defaults.findIndex((d) => d !== undefined);
  const minimum = required === -1 ? count : required;
  return (args, keywords) => {
    if (args.length === count && !keywords) {
      const frame: Frame = new Array(frameSize);
      for (let i = 0; i < count; i++) frame[i] = args[i];
      return frame;
    }
    if (args.length > count) {
      const takes = minimum === count ? `${count}` : `from ${minimum} to ${count}`;
      throw typeError(
        `${name}() takes ${takes} positional argument${count === 1 && minimum === count ? '' : 's'} but ${args.length} ${args.length === 1 ? 'was' : 'were'} given`,
      );
    }
    const frame: Frame = new Array(frameSize);
    args.forEach((a, i) => (frame[i] = a));
    for (const [key, value] of keywords ?? []) {
      const index = params.indexOf(key);
      if (index === -1) throw typeError(`${name}() got an unexpected keyword argument '${key}'`);
      if (frame[index] !== undefined) throw typeError(`${name}() got multiple values for argument '${key}'`);
      frame[index] = value;
    }
    const missing: string[] = [];
    for (let i = 0; i < count; i++) {
      if (frame[i] !== undefined) continue;
      if (defaults[i] !== undefined) frame[i] = defaults[i];
      else missing.push(`'${params[i]}'`);
    }
    if (missing.length > 0) {
      const list = missing.length === 1 ? missing[0] : missing.length === 2 ? missing.join(' and ') : `${missing.slice(0, -1).join(', ')}, and ${missing[missing.length - 1]}`;
      throw typeError(`${name}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`);
    }
    return frame;
  };
}

function getItem(container: PyValue, index: PyValue): PyValue {
  const items = Array.isArray(container) ? container : container instanceof PyTuple ? container.items : typeof container === 'string' ? container : null;
  if (items === null) {
    if (container instanceof PyRange) return getItem(iterate(container) as PyValue[], index);
    throw typeError(`'${typeName(container)}' object is not subscriptable`);
  }
  const kind = typeName(container);
  if (!isIntLike(index)) throw typeError(`${kind} indices must be integers or slices, not ${typeName(index)}`);
  const i = intOf(index);
  const n = typeof i === 'bigint' ? NaN : i < 0 ? i + items.length : i;
  if (!(n >= 0 && n < items.length)) {
    if (typeof i === 'bigint') throw new PythonError('IndexError', `cannot fit 'int' into an index-sized integer`);
    throw new PythonError('IndexError', `${kind === 'str' ? 'string' : kind} index out of range`);
  }
  return items[n];
}

function contains(container: PyValue, item: PyValue): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (container instanceof PyRange) {
    if (!isIntLike(item)) return iterate(container).some((v) => pyEquals(v, item));
    const v = Number(intOf(item));
    const { start, step } = container;
    return (step > 0 ? v >= start && v < container.stop : v <= start && v > container.stop) && (v - start) % step === 0;
  }
  if (Array.isArray(container) || container instanceof PyTuple) return iterate(container).some((v) => v === item || pyEquals(v, item));
  throw typeError(`argument of type '${typeName(container)}' is not iterable`);
}
