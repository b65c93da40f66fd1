// The values the evaluator computes with. Numbers follow values.ts: a JS number is a Python int when
// it is an integer and a float otherwise, an integral float is boxed as `Float`; ints beyond 2^53 are
// bigints (never a bigint that would fit a safe JS integer); bool is a JS boolean.

import { Float } from './values';

export type PyValue = number | bigint | boolean | null | string | Float | PyValue[] | PyTuple | PyRange | PyCallable | PyModule;

export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

export type Keywords = ReadonlyMap<string, PyValue> | null;

/** Something Python can call: a builtin, a `math` function, or a compiled user function. */
export class PyCallable {
  constructor(
    readonly name: string,
    readonly invoke: (args: PyValue[], keywords: Keywords) => PyValue,
    /** Builtins and `math` functions print as builtin_function_or_method, user code as function. */
    readonly builtin: boolean,
  ) {}
}

/** A module object such as `math` or `numpy` (only its listed members). */
export class PyModule {
  constructor(
    readonly name: string,
    readonly members: ReadonlyMap<string, PyValue>,
  ) {}
}

/** Python's `type(value).__name__`, for TypeError messages. */
export function typeName(value: PyValue): string {
  if (value === null) return 'NoneType';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'string':
      return 'str';
  }
  if (value instanceof Float) return 'float';
  if (Array.isArray(value)) return 'list';
  if (value instanceof PyTuple) return 'tuple';
  if (value instanceof PyModule) return 'module';
  if (value instanceof PyRange) return 'range';
  return value.builtin ? 'builtin_function_or_method' : 'function';
}

/** `range(start, stop, step)` with safe-integer bounds. */
export class PyRange {
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {}

  get length(): number {
    const span = this.step > 0 ? this.stop - this.start : this.start - this.stop;
    return span <= 0 ? 0 : Math.ceil(span / Math.abs(this.step));
  }
}
