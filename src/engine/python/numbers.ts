// Python's numeric tower for int (arbitrary precision), float (IEEE double) and bool, operator by
// operator as CPython 3.11 implements them (Objects/longobject.c, Objects/floatobject.c), including
// the exact exception types and messages. Hot path: both operands plain JS numbers (safe ints or
// non-integral floats); bigint only when an int leaves the safe range.

import { PythonError, UnsupportedError, typeError, valueError, zeroDivisionError } from '../errors';
import { bitLength, roundRatio } from './exact';
import { crPow } from './libm';
import { PyCallable, PyModule, PyTuple, typeName, type PyValue } from './objects';
import { Float } from './values';

export const overflowError = (message: string) => new PythonError('OverflowError', message);

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Ints with more bits than this are not computed (Python would, slowly): reported as unsupported. */
const MAX_INT_BITS = 1_000_000;

// ---- representation helpers ----

/** A float result as the evaluator holds it: integral values (and -0.0) are boxed. */
export function boxFloat(x: number): number | Float {
  return Number.isInteger(x) ? new Float(x) : x;
}

export function normalizeBigInt(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

export function isIntLike(value: PyValue): value is number | bigint | boolean {
  return typeof value === 'boolean' || typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

export function isFloatValue(value: PyValue): value is number | Float {
  return value instanceof Float || (typeof value === 'number' && !Number.isInteger(value));
}

export function isNumeric(value: PyValue): value is number | bigint | boolean | Float {
  return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value instanceof Float;
}

/** The int an int-like value stands for (bool as 0/1). */
export function intOf(value: number | bigint | boolean): number | bigint {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** float(int) with CPython's overflow check (PyLong_AsDouble). */
export function intToDouble(value: number | bigint): number {
  if (typeof value === 'number') return value;
  const result = Number(value); // rounds half to even, as CPython does
  if (!Number.isFinite(result)) throw overflowError('int too large to convert to float');
  return result;
}

/** The double a numeric value converts to (`PyFloat_AsDouble`). */
export function toDouble(value: number | bigint | boolean | Float): number {
  if (value instanceof Float) return value.value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return intToDouble(value);
}

/** int(x) for a finite or non-finite double (truncation), as PyLong_FromDouble. */
export function doubleToInt(x: number): number | bigint {
  if (Number.isNaN(x)) throw valueError('cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw overflowError('cannot convert float infinity to integer');
  const truncated = Math.trunc(x);
  return Math.abs(truncated) <= MAX_SAFE ? truncated + 0 : BigInt(truncated);
}

// ---- arithmetic ----

type Operand = PyValue;

interface ArithmeticSpec {
  symbol: string;
  smallInt(a: number, b: number): PyValue;
  bigInt(a: bigint, b: bigint): PyValue;
  float(a: number, b: number): PyValue;
}

function makeOperator(spec: ArithmeticSpec): (a: Operand, b: Operand) => PyValue {
  return (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') {
      return Number.isInteger(a) && Number.isInteger(b) ? spec.smallInt(a, b) : spec.float(a, b);
    }
    return mixedArithmetic(spec, a, b);
  };
}

function mixedArithmetic(spec: ArithmeticSpec, a: Operand, b: Operand): PyValue {
  if (isNumeric(a) && isNumeric(b)) {
    if (isIntLike(a) && isIntLike(b)) {
      const x = intOf(a);
      const y = intOf(b);
      if (typeof x === 'number' && typeof y === 'number') return spec.smallInt(x, y);
      return spec.bigInt(BigInt(x), BigInt(y));
    }
    return spec.float(toDouble(a), toDouble(b));
  }
  return sequenceArithmetic(spec.symbol, a, b);
}

function isSequence(value: PyValue): boolean {
  return typeof value === 'string' || Array.isArray(value) || value instanceof PyTuple;
}

function sequenceArithmetic(symbol: string, a: Operand, b: Operand): never {
  if (symbol === '+' && isSequence(a)) {
    if (typeName(a) === typeName(b)) throw new UnsupportedError(`LR Lens cannot evaluate ${typeName(a)} concatenation`);
    throw typeError(`can only concatenate ${typeName(a)} (not "${typeName(b)}") to ${typeName(a)}`);
  }
  if (symbol === '*' && (isSequence(a) || isSequence(b))) {
    const other = isSequence(a) ? b : a;
    if (isIntLike(other)) throw new UnsupportedError(`LR Lens cannot evaluate ${typeName(isSequence(a) ? a : b)} repetition`);
    throw typeError(`can't multiply sequence by non-int of type '${typeName(other)}'`);
  }
  if (symbol === '%' && typeof a === 'string') throw new UnsupportedError('LR Lens cannot evaluate string formatting with %');
  const shown = symbol === '**' ? '** or pow()' : symbol;
  throw typeError(`unsupported operand type(s) for ${shown}: '${typeName(a)}' and '${typeName(b)}'`);
}

export const add = makeOperator({
  symbol: '+',
  smallInt: (a, b) => {
    const r = a + b;
    return Number.isSafeInteger(r) ? r : normalizeBigInt(BigInt(a) + BigInt(b));
  },
  bigInt: (a, b) => normalizeBigInt(a + b),
  float: (a, b) => boxFloat(a + b),
});

export const subtract = makeOperator({
  symbol: '-',
  smallInt: (a, b) => {
    const r = a - b;
    return Number.isSafeInteger(r) ? r : normalizeBigInt(BigInt(a) - BigInt(b));
  },
  bigInt: (a, b) => normalizeBigInt(a - b),
  float: (a, b) => boxFloat(a - b),
});

export const multiply = makeOperator({
  symbol: '*',
  smallInt: (a, b) => {
    const r = a * b;
    return Number.isSafeInteger(r) ? r + 0 : normalizeBigInt(BigInt(a) * BigInt(b));
  },
  bigInt: (a, b) => {
    checkIntSize(bitLength(a) + bitLength(b));
    return normalizeBigInt(a * b);
  },
  float: (a, b) => boxFloat(a * b),
});

export const trueDivide = makeOperator({
  symbol: '/',
  smallInt: (a, b) => {
    if (b === 0) throw zeroDivisionError('division by zero');
    return boxFloat(a / b); // both exact doubles, so the quotient is correctly rounded
  },
  bigInt: (a, b) => {
    if (b === 0n) throw zeroDivisionError('division by zero');
    return boxFloat(divideToDouble(a, b));
  },
  float: (a, b) => {
    if (b === 0) throw zeroDivisionError('float division by zero');
    return boxFloat(a / b);
  },
});

export const floorDivide = makeOperator({
  symbol: '//',
  smallInt: (a, b) => {
    if (b === 0) throw zeroDivisionError('integer division or modulo by zero');
    const r = a % b;
    const q = (a - r) / b;
    return (r !== 0 && r < 0 !== b < 0 ? q - 1 : q) + 0;
  },
  bigInt: (a, b) => {
    if (b === 0n) throw zeroDivisionError('integer division or modulo by zero');
    const q = a / b;
    return normalizeBigInt(a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q);
  },
  float: (a, b) => {
    if (b === 0) throw zeroDivisionError('float floor division by zero');
    return boxFloat(floatDivMod(a, b)[0]);
  },
});

export const modulo = makeOperator({
  symbol: '%',
  smallInt: (a, b) => {
    if (b === 0) throw zeroDivisionError('integer modulo by zero');
    const r = a % b;
    return (r !== 0 && r < 0 !== b < 0 ? r + b : r) + 0;
  },
  bigInt: (a, b) => {
    if (b === 0n) throw zeroDivisionError('integer modulo by zero');
    const r = a % b;
    return normalizeBigInt(r !== 0n && r < 0n !== b < 0n ? r + b : r);
  },
  float: (a, b) => {
    if (b === 0) throw zeroDivisionError('float modulo');
    return boxFloat(floatDivMod(a, b)[1]);
  },
});

export const power = makeOperator({
  symbol: '**',
  smallInt: (a, b) => (b < 0 ? boxFloat(floatPower(a, b)) : intPower(a, b)),
  bigInt: (a, b) => {
    if (b < 0n) return boxFloat(floatPower(intToDouble(normalizeBigInt(a)), intToDouble(normalizeBigInt(b))));
    return bigIntPower(a, b);
  },
  float: (a, b) => boxFloat(floatPower(a, b)),
});

function bitwise(symbol: string, op: (a: bigint, b: bigint) => bigint): (a: Operand, b: Operand) => PyValue {
  return (a, b) => {
    if (typeof a === 'boolean' && typeof b === 'boolean' && (symbol === '&' || symbol === '|' || symbol === '^')) {
      return op(BigInt(a), BigInt(b)) !== 0n;
    }
    if (!isIntLike(a) || !isIntLike(b)) {
      if (isSequence(a) || isSequence(b) || !isNumeric(a) || !isNumeric(b) || isFloatValue(a) || isFloatValue(b)) {
        throw typeError(`unsupported operand type(s) for ${symbol}: '${typeName(a)}' and '${typeName(b)}'`);
      }
    }
    return normalizeBigInt(op(BigInt(intOf(a as number)), BigInt(intOf(b as number))));
  };
}

export const leftShift = bitwise('<<', (a, b) => {
  if (b < 0n) throw valueError('negative shift count');
  if (a !== 0n) checkIntSize(bitLength(a) + Number(b));
  return a << b;
});
export const rightShift = bitwise('>>', (a, b) => {
  if (b < 0n) throw valueError('negative shift count');
  return a >> b;
});
export const bitAnd = bitwise('&', (a, b) => a & b);
export const bitOr = bitwise('|', (a, b) => a | b);
export const bitXor = bitwise('^', (a, b) => a ^ b);

export function matrixMultiply(a: Operand, b: Operand): PyValue {
  throw typeError(`unsupported operand type(s) for @: '${typeName(a)}' and '${typeName(b)}'`);
}

// ---- pieces of the operators ----

/** CPython's _float_div_mod: floor quotient and remainder with the divisor's sign. */
export function floatDivMod(vx: number, wx: number): [number, number] {
  let mod = vx % wx; // JS % on doubles is exact fmod
  let div = (vx - mod) / wx;
  // C's `if (mod)` and `if (div)` treat NaN as true; JS's would not.
  if (mod !== 0) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1.0;
    }
  } else {
    mod = wx < 0 || Object.is(wx, -0) ? -0 : 0;
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = Math.sign(vx / wx) < 0 || Object.is(vx / wx, -0) ? -0 : 0;
  }
  return [floordiv, mod];
}

function isOddInteger(x: number): boolean {
  return Number.isInteger(x) && Math.abs(x % 2) === 1;
}

/** float.__pow__ (CPython float_pow): special cases first, then the platform pow. */
export function floatPower(iv: number, iw: number): number {
  if (iw === 0) return 1.0;
  if (Number.isNaN(iv)) return iv;
  if (Number.isNaN(iw)) return iv === 1.0 ? 1.0 : iw;
  if (!Number.isFinite(iw)) {
    const absV = Math.abs(iv);
    if (absV === 1.0) return 1.0;
    if (iw > 0.0 === absV > 1.0) return Math.abs(iw);
    return 0.0;
  }
  if (!Number.isFinite(iv)) {
    const odd = isOddInteger(iw);
    if (iw > 0.0) return odd ? iv : Math.abs(iv);
    return odd ? (iv < 0 ? -0 : 0) : 0.0;
  }
  if (iv === 0.0) {
    if (iw < 0.0) throw zeroDivisionError('0.0 cannot be raised to a negative power');
    return isOddInteger(iw) ? iv : 0.0;
  }
  let negate = false;
  if (iv < 0.0) {
    if (iw !== Math.floor(iw)) {
      throw new UnsupportedError(`LR Lens cannot evaluate complex numbers (a negative float raised to a fractional power: ${iv} ** ${iw})`);
    }
    iv = -iv;
    negate = isOddInteger(iw);
  }
  if (iv === 1.0) return negate ? -1.0 : 1.0;
  const result = crPow(iv, iw);
  if (!Number.isFinite(result)) throw overflowError("(34, 'Numerical result out of range')");
  return negate ? -result : result;
}

function intPower(a: number, b: number): number | bigint {
  if (a === 0) return b === 0 ? 1 : 0;
  if (a === 1) return 1;
  if (a === -1) return b % 2 === 0 ? 1 : -1;
  // Binary exponentiation stays exact while every product is a safe integer.
  let result = 1;
  let base = a;
  let e = b;
  for (;;) {
    if (e & 1) {
      result *= base;
      if (!Number.isSafeInteger(result)) break;
    }
    e = Math.floor(e / 2);
    if (e === 0) return result;
    base *= base;
    if (!Number.isSafeInteger(base)) break;
  }
  return bigIntPower(BigInt(a), BigInt(b));
}

function bigIntPower(a: bigint, b: bigint): number | bigint {
  if (a === 0n || a === 1n) return b === 0n ? 1 : Number(a);
  if (a === -1n) return b % 2n === 0n ? 1 : -1;
  checkIntSize((bitLength(a) - 1) * Number(b));
  return normalizeBigInt(a ** b);
}

function checkIntSize(bits: number): void {
  if (bits > MAX_INT_BITS) {
    throw new UnsupportedError(`LR Lens cannot evaluate an int of about ${Math.round(bits)} bits (limit ${MAX_INT_BITS})`);
  }
}

/** a / b for ints, correctly rounded (CPython long_true_divide). */
function divideToDouble(a: bigint, b: bigint): number {
  const negative = a < 0n !== b < 0n;
  const magnitude = roundRatio(a < 0n ? -a : a, b < 0n ? -b : b);
  if (!Number.isFinite(magnitude)) throw overflowError('integer division result too large for a float');
  return negative ? -magnitude : magnitude;
}

// ---- comparison ----

/** Compares two numeric values exactly (ints and floats compare by value, not through float). */
function compareNumbers(a: number | bigint | boolean | Float, b: number | bigint | boolean | Float): number {
  const x = a instanceof Float ? a.value : typeof a === 'boolean' ? (a ? 1 : 0) : a;
  const y = b instanceof Float ? b.value : typeof b === 'boolean' ? (b ? 1 : 0) : b;
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'bigint') return -compareFloatWithBigInt(y as number, x);
  return compareFloatWithBigInt(x as number, y as bigint);
}

function compareFloatWithBigInt(f: number, big: bigint): number {
  if (Number.isNaN(f)) return NaN;
  if (f === Infinity) return 1;
  if (f === -Infinity) return -1;
  const floor = BigInt(Math.floor(f));
  if (floor < big) return -1;
  if (floor > big) return 1;
  return Number.isInteger(f) ? 0 : 1;
}

export type CompareSymbol = '<' | '>' | '<=' | '>=' | '==' | '!=';

export function compare(symbol: CompareSymbol, a: PyValue, b: PyValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (symbol) {
      case '<': return a < b;
      case '>': return a > b;
      case '<=': return a <= b;
      case '>=': return a >= b;
      case '==': return a === b;
      case '!=': return a !== b;
    }
  }
  if (symbol === '==') return pyEquals(a, b);
  if (symbol === '!=') return !pyEquals(a, b);
  const order = orderOf(symbol, a, b);
  switch (symbol) {
    case '<': return order < 0;
    case '>': return order > 0;
    case '<=': return order <= 0;
    default: return order >= 0;
  }
}

function orderOf(symbol: string, a: PyValue, b: PyValue): number {
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const bothLists = Array.isArray(a) && Array.isArray(b);
  const bothTuples = a instanceof PyTuple && b instanceof PyTuple;
  if (bothLists || bothTuples) {
    const x = bothLists ? (a as PyValue[]) : (a as PyTuple).items;
    const y = bothLists ? (b as PyValue[]) : (b as PyTuple).items;
    for (let i = 0; i < x.length && i < y.length; i++) {
      if (!pyEquals(x[i], y[i])) return orderOf(symbol, x[i], y[i]);
    }
    return x.length - y.length;
  }
  throw typeError(`'${symbol}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function pyEquals(a: PyValue, b: PyValue): boolean {
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b) === 0;
  if (a === null || b === null) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return sequenceEquals(a, b);
  if (a instanceof PyTuple && b instanceof PyTuple) return sequenceEquals(a.items, b.items);
  return a === b;
}

function sequenceEquals(x: readonly PyValue[], y: readonly PyValue[]): boolean {
  return x.length === y.length && x.every((item, i) => item === y[i] || pyEquals(item, y[i]));
}

export function isTruthy(value: PyValue): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0; // NaN is true in Python too
  if (value === null) return false;
  if (value instanceof Float) return value.value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof PyTuple) return value.items.length > 0;
  return value instanceof PyCallable || value instanceof PyModule;
}

// ---- unary operators ----

export function negate(value: PyValue): PyValue {
  if (typeof value === 'number') return Number.isInteger(value) ? -value + 0 : -value;
  if (value instanceof Float) return new Float(-value.value);
  if (typeof value === 'bigint') return normalizeBigInt(-value);
  if (typeof value === 'boolean') return value ? -1 : 0;
  throw typeError(`bad operand type for unary -: '${typeName(value)}'`);
}

export function unaryPlus(value: PyValue): PyValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (isNumeric(value)) return value;
  throw typeError(`bad operand type for unary +: '${typeName(value)}'`);
}

export function invert(value: PyValue): PyValue {
  if (isIntLike(value)) {
    const x = intOf(value);
    return typeof x === 'number' ? -(x + 1) + 0 : normalizeBigInt(-(x + 1n));
  }
  throw typeError(`bad operand type for unary ~: '${typeName(value)}'`);
}
