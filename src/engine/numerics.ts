// Python float arithmetic where it differs from JavaScript's: division by zero raises, `//` and `%`
// follow floor semantics, and `**`/cos/log are routed through one place so they can match CPython.
import { PythonError, zeroDivisionError } from './errors';
import { crCos, crLog } from './python/libm';
import { floatDivMod, floatPower, floorDivide } from './python/numbers';
import { Float, pyTypeName, toNumber } from './python/values';

/** `a / b` for Python floats (or ints when both are ints: only the message differs). */
export function pyDiv(a: number, b: number, bothInts = false): number {
  if (b === 0) throw zeroDivisionError(bothInts ? 'division by zero' : 'float division by zero');
  return a / b;
}

/** `a % b` with Python's sign rule (the result takes the divisor's sign). */
export function pyMod(a: number, b: number, bothInts = false): number {
  if (b === 0) throw zeroDivisionError(bothInts ? 'integer modulo by zero' : 'float modulo');
  if (bothInts) {
    const mod = a % b;
    return mod !== 0 && mod < 0 !== b < 0 ? mod + b : mod;
  }
  return floatDivMod(a, b)[1];
}

/**
 * `a % b == 0`, as StepLR and CosineAnnealingLR test it every step: Python's sign rule cannot change
 * whether the remainder is zero, so JS `%` decides it; only the ZeroDivisionError is Python's.
 */
export function pyModIsZero(a: number, b: number, bothInts: boolean): boolean {
  if (b === 0) throw zeroDivisionError(bothInts ? 'integer modulo by zero' : 'float modulo');
  return a % b === 0;
}

/** `a // b`: floor division (CPython's float algorithm for floats, which is not floor(a / b)). */
export function pyFloorDiv(a: number, b: number, bothInts = false): number {
  if (b === 0) throw zeroDivisionError(bothInts ? 'integer division or modulo by zero' : 'float floor division by zero');
  if (bothInts) return Number(floorDivide(a, b));
  return floatDivMod(a, b)[0];
}

/** `a ** b` for floats (correctly rounded, CPython's special cases and errors). */
export const pyPow = floatPower;

/**
 * `a ** b` where both may be Python ints (a gamma of 2 to an int epoch): Python then computes an exact
 * int, which only fails when it is multiplied into a float lr ("int too large to convert to float").
 * Its float value is the correctly rounded power, which is what pyPow gives.
 */
export function pyPowOfInts(a: number, b: number, bothInts: boolean): number {
  if (!bothInts || b < 0) return pyPow(a, b);
  try {
    return pyPow(a, b);
  } catch (error) {
    if (error instanceof PythonError && error.pyType === 'OverflowError') throw new PythonError('OverflowError', 'int too large to convert to float');
    throw error;
  }
}

/**
 * `math.cos`, correctly rounded. glibc's (which CPython calls) is within ~0.52 ulp, so it agrees but for
 * about 1 input in 1,000 (cos(2.1093550674102897) is one, checked with mpmath); V8's Math.cos differs in
 * the last bit for about 3% of inputs, which recursive schedules can amplify where lr approaches eta_min.
 */
export const pyCos = crCos;

/**
 * `math.log(x, base)`, which CPython computes as log(x) / log(base) with glibc's log (correctly
 * rounded but for rare near-halfway inputs). Used where the result is floored (CosineAnnealingWarmRestarts' cycle index), so one ulp
 * decides the answer: log(243)/log(3) is 4.999999999999999 in CPython and 5 with Math.log.
 */
export function pyLogBase(x: number, base: number): number {
  if (x <= 0 || base <= 0) throw new PythonError('ValueError', 'math domain error');
  return pyDiv(crLog(x), crLog(base));
}

/** Python's `float(value)` of a metric: numbers, and the strings "nan", "inf", "-inf". */
export function pyFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof Float) return value.value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'nan' || text === '+nan' || text === '-nan') return NaN;
    if (text === 'inf' || text === '+inf' || text === 'infinity' || text === '+infinity') return Infinity;
    if (text === '-inf' || text === '-infinity') return -Infinity;
    if (/^[+-]?(\d[\d_]*\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/.test(text)) return Number(text.replace(/_/g, ''));
    throw new PythonError('ValueError', `could not convert string to float: '${value}'`);
  }
  throw new PythonError('TypeError', `float() argument must be a string or a real number, not '${pyTypeName(value)}'`);
}

/** The float literals `0.0` and `1.0` of torch's checks (an int literal prints as 'int' in TypeErrors). */
export const FLOAT_ZERO = new Float(0);
export const FLOAT_ONE = new Float(1);

const comparable = (value: unknown): value is number | Float | boolean =>
  typeof value === 'number' || typeof value === 'boolean' || value instanceof Float;

/**
 * `a OP b` for torch's argument checks, raising Python's TypeError when a value is not a number
 * (e.g. `SGD(lr="0.1")`: "'<' not supported between instances of 'str' and 'float'").
 */
export function pyCompare(op: '<' | '<=' | '>' | '>=', a: unknown, b: unknown): boolean {
  if (!comparable(a) || !comparable(b)) {
    throw new PythonError('TypeError', `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
  }
  const x = toNumber(a);
  const y = toNumber(b);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}
