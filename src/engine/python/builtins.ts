// The builtins and modules a schedule function may use: int/float/abs/min/max/round/pow/bool/len/range,
// `math` (CPython 3.11's mathmodule.c error rules) and the simple part of `numpy`. Their numerics use
// the correctly-rounded libm where CPython's glibc is correctly rounded in practice.

import { PythonError, UnsupportedError, typeError, valueError } from '../errors';
import { doubleToRatio, pow2, roundRatio } from './exact';
import { crAcos, crAsin, crAtan, crAtan2, crCos, crExp, crLog, crLog2, crPow, crSin, crTan } from './libm';
import {
  boxFloat,
  compare,
  doubleToInt,
  floorDivide,
  intOf,
  intToDouble,
  isFloatValue,
  isIntLike,
  isNumeric,
  isTruthy,
  modulo,
  normalizeBigInt,
  overflowError,
  power,
  toDouble,
} from './numbers';
import { PyCallable, PyModule, PyRange, PyTuple, typeName, type Keywords, type PyValue } from './objects';
import { Float } from './values';

type Implementation = (args: PyValue[], keywords: Keywords) => PyValue;

function builtin(name: string, implementation: Implementation): PyCallable {
  return new PyCallable(name, implementation, true);
}

function noKeywords(name: string, keywords: Keywords): void {
  if (keywords && keywords.size > 0) throw typeError(`${name}() takes no keyword arguments`);
}

/** CPython's arity messages; `name` is as Python prints it ("math.cos", "abs"). */
function exactArgs(name: string, args: PyValue[], count: number): void {
  if (args.length !== count) {
    if (count === 1) throw typeError(`${name}() takes exactly one argument (${args.length} given)`);
    throw typeError(`${name.replace(/^math\./, '')} expected ${count} arguments, got ${args.length}`);
  }
}

/** PyFloat_AsDouble for a math function argument. */
function realArgument(value: PyValue): number {
  if (isNumeric(value)) return toDouble(value);
  throw typeError(`must be real number, not ${typeName(value)}`);
}

const domainError = () => valueError('math domain error');
const rangeError = () => overflowError('math range error');

/** CPython's math_1: a NaN from a non-NaN is a domain error, an infinity from a finite is overflow or domain. */
function mathUnary(name: string, fn: (x: number) => number, canOverflow: boolean): PyCallable {
  return builtin(name, (args, keywords) => {
    noKeywords(`math.${name}`, keywords);
    exactArgs(`math.${name}`, args, 1);
    const x = realArgument(args[0]);
    const r = fn(x);
    if (Number.isNaN(r) && !Number.isNaN(x)) throw domainError();
    if (!Number.isFinite(r) && Number.isFinite(x) && !Number.isNaN(r)) throw canOverflow ? rangeError() : domainError();
    return boxFloat(r);
  });
}

/** CPython's loghelper: ints, however large, are handled exactly before the libm function. */
function logOf(value: PyValue, fn: (x: number) => number): number {
  if (isIntLike(value)) {
    const n = intOf(value);
    if (n <= 0) throw domainError();
    if (typeof n === 'bigint' && !Number.isFinite(Number(n))) {
      // log(x) ~= log(m) + log(2) * e with x = m * 2^e, m in [0.5, 1) (_PyLong_Frexp)
      const e = n.toString(2).length;
      const m = roundRatio(n, 1n << BigInt(e));
      return fn(m) + fn(2.0) * e;
    }
    return applyLog(intToDouble(n), fn);
  }
  return applyLog(realArgument(value), fn);
}

function applyLog(x: number, fn: (x: number) => number): number {
  if (Number.isNaN(x)) return x;
  if (x === Infinity) return x;
  if (!(x > 0)) throw domainError();
  return fn(x);
}

/** glibc's log10 (the fdlibm formula over its log): k*log10_2lo + ivln10*log(m) + k*log10_2hi. */
function glibcLog10(x: number): number {
  const IVLN10 = 4.34294481903251816668e-1;
  const LOG10_2HI = 3.01029995663611771306e-1;
  const LOG10_2LO = 3.69423907715893078616e-13;
  let k = 0;
  let m = x;
  if (m < 2.2250738585072014e-308) {
    k -= 54;
    m *= 2 ** 54;
  }
  let e = Math.floor(Math.log2(m));
  m *= pow2(-e);
  if (m >= 2) {
    m /= 2;
    e++;
  } else if (m < 1) {
    m *= 2;
    e--;
  }
  k += e;
  // fdlibm keeps the mantissa in [1, 2) for k >= 0 and in [0.5, 1), with k + 1, for k < 0.
  const i = k < 0 ? 1 : 0;
  const mantissa = i ? m / 2 : m;
  const y = k + i;
  const z = y * LOG10_2LO + IVLN10 * crLog(mantissa);
  return z + y * LOG10_2HI;
}

function mathLog(args: PyValue[], keywords: Keywords): PyValue {
  noKeywords('log', keywords);
  if (args.length < 1 || args.length > 2) throw typeError('math.log requires 1 to 2 arguments');
  const num = logOf(args[0], crLog);
  if (args.length === 1) return boxFloat(num);
  const den = logOf(args[1], crLog);
  if (den === 0) throw new PythonError('ZeroDivisionError', 'float division by zero');
  return boxFloat(num / den);
}

function mathPow(args: PyValue[], keywords: Keywords): PyValue {
  noKeywords('pow', keywords);
  exactArgs('pow', args, 2);
  const x = realArgument(args[0]);
  const y = realArgument(args[1]);
  let r: number;
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    if (Number.isNaN(x)) r = y === 0 ? 1 : x;
    else if (Number.isNaN(y)) r = x === 1 ? 1 : y;
    else if (!Number.isFinite(x)) {
      const oddY = Number.isFinite(y) && Math.abs(y) % 2 === 1;
      if (y > 0) r = oddY ? x : Math.abs(x);
      else if (y === 0) r = 1;
      else r = oddY ? (x < 0 ? -0 : 0) : 0;
    } else if (Math.abs(x) === 1) r = 1;
    else if (y > 0 && Math.abs(x) > 1) r = y;
    else if (y < 0 && Math.abs(x) < 1) r = -y;
    else r = 0;
    return boxFloat(r);
  }
  r = finitePow(x, y);
  if (Number.isNaN(r)) throw domainError();
  if (!Number.isFinite(r)) throw x === 0 ? domainError() : rangeError();
  return boxFloat(r);
}

/** C99 pow for finite x and y, with the correctly-rounded core. */
function finitePow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  const oddY = Number.isInteger(y) && Math.abs(y) % 2 === 1;
  if (x === 0) {
    if (y < 0) return oddY ? 1 / x : Infinity;
    return oddY ? x : 0;
  }
  if (x < 0) {
    if (!Number.isInteger(y)) return NaN;
    const magnitude = x === -1 ? 1 : crPow(-x, y);
    return oddY ? -magnitude : magnitude;
  }
  return crPow(x, y);
}

/** Correctly-rounded sqrt(sum of squares), as CPython's vector_norm aims for. */
function hypot(args: PyValue[], keywords: Keywords): PyValue {
  noKeywords('hypot', keywords);
  const values = args.map(realArgument);
  if (values.some((v) => !Number.isFinite(v) && !Number.isNaN(v))) return Infinity;
  if (values.some(Number.isNaN)) return NaN;
  // Exact sum of squares as a rational, then the correctly-rounded square root.
  let numerator = 0n;
  let denominator = 1n;
  for (const v of values) {
    const [n, d] = doubleToRatio(Math.abs(v));
    const sn = n * n;
    const sd = d * d;
    if (sd > denominator) {
      numerator = numerator * (sd / denominator) + sn;
      denominator = sd;
    } else {
      numerator += sn * (denominator / sd);
    }
  }
  if (numerator === 0n) return boxFloat(0);
  return boxFloat(sqrtRatio(numerator, denominator));
}

/** The double nearest sqrt(n/d) for n, d > 0 with d a power of four. */
function sqrtRatio(n: bigint, d: bigint): number {
  const dBits = d.toString(2).length - 1; // d = 2^dBits, dBits even
  // sqrt(n / 2^dBits) = sqrt(n * 2^(2s)) / 2^(s + dBits/2); pick s so the integer root has ~60 bits.
  const nBits = n.toString(2).length;
  const s = Math.max(0, Math.ceil((122 - nBits) / 2));
  const scaled = n << BigInt(2 * s);
  let root = 1n << BigInt(Math.ceil(scaled.toString(2).length / 2)); // above the root
  // Newton from above to the exact integer square root.
  for (;;) {
    const next = (root + scaled / root) >> 1n;
    if (next >= root) break;
    root = next;
  }
  while (root * root > scaled) root--;
  while ((root + 1n) * (root + 1n) <= scaled) root++;
  const sticky = root * root !== scaled ? 1n : 0n;
  // root has >= 60 bits: folding the sticky bit into the lowest bit keeps the rounding exact.
  return roundRatio((root << 1n) | sticky, 1n << BigInt(s + dBits / 2 + 1));
}

function isclose(args: PyValue[], keywords: Keywords): PyValue {
  if (args.length !== 2) throw typeError(`isclose() takes exactly 2 positional arguments (${args.length} given)`);
  const a = realArgument(args[0]);
  const b = realArgument(args[1]);
  let relTol = 1e-9;
  let absTol = 0;
  for (const [key, value] of keywords ?? []) {
    if (key === 'rel_tol') relTol = realArgument(value);
    else if (key === 'abs_tol') absTol = realArgument(value);
    else throw typeError(`isclose() got an unexpected keyword argument '${key}'`);
  }
  if (relTol < 0 || absTol < 0) throw valueError('tolerances must be non-negative');
  if (a === b) return true;
  if (!Number.isFinite(a) && !Number.isNaN(a)) return false;
  if (!Number.isFinite(b) && !Number.isNaN(b)) return false;
  const diff = Math.abs(b - a);
  return diff <= Math.abs(relTol * b) || diff <= Math.abs(relTol * a) || diff <= absTol;
}

/** math.floor / math.ceil / math.trunc: ints pass through, floats become ints. */
function toIntegral(name: string, fn: (x: number) => number): PyCallable {
  return builtin(name, (args, keywords) => {
    noKeywords(name, keywords);
    exactArgs(`math.${name}`, args, 1);
    const value = args[0];
    if (isIntLike(value)) return intOf(value);
    if (!isNumeric(value)) {
      if (name === 'trunc') throw typeError(`type ${typeName(value)} doesn't define __trunc__ method`);
      throw typeError(`must be real number, not ${typeName(value)}`);
    }
    return doubleToInt(fn(toDouble(value)));
  });
}

function binaryMath(name: string, fn: (x: number, y: number) => number): PyCallable {
  return builtin(name, (args, keywords) => {
    noKeywords(name, keywords);
    exactArgs(name, args, 2);
    return boxFloat(fn(realArgument(args[0]), realArgument(args[1])));
  });
}

/** CPython's m_atan2: the special values by C99, the rest correctly rounded. */
function atan2(y: number, x: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  const xPositive = x > 0 || Object.is(x, 0);
  const yNegative = y < 0 || Object.is(y, -0);
  const withSignOfY = (v: number) => (yNegative ? -v : v);
  if (!Number.isFinite(y)) {
    if (!Number.isFinite(x)) return withSignOfY(xPositive ? 0.25 * Math.PI : 0.75 * Math.PI);
    return withSignOfY(0.5 * Math.PI);
  }
  if (!Number.isFinite(x) || y === 0) return withSignOfY(xPositive ? 0 : Math.PI);
  return crAtan2(y, x);
}

/** glibc's cosh (fdlibm's e_cosh.c) over the correctly-rounded exp; V8's differs through its exp. */
function fdlibmCosh(x: number): number {
  const ax = Math.abs(x);
  if (Number.isNaN(x)) return x;
  if (ax < 22) {
    if (ax < COSH_SMALL) {
      if (ax < 2 ** -55) return 1;
      const t = Math.expm1(ax);
      const w = 1 + t;
      return 1 + (t * t) / (w + w);
    }
    const t = crExp(ax);
    return 0.5 * t + 0.5 / t;
  }
  if (ax < COSH_EXP_LIMIT) return 0.5 * crExp(ax);
  if (ax <= COSH_OVERFLOW) {
    const w = crExp(0.5 * ax);
    const t = 0.5 * w;
    return t * w;
  }
  return Infinity;
}

/** glibc's sinh (fdlibm's e_sinh.c) over expm1 and the correctly-rounded exp. */
function fdlibmSinh(x: number): number {
  if (!Number.isFinite(x)) return x;
  const ax = Math.abs(x);
  const h = x < 0 ? -0.5 : 0.5;
  if (ax < 22) {
    if (ax < 2 ** -28) return x;
    const t = Math.expm1(ax);
    if (ax < 1) return h * (2.0 * t - (t * t) / (t + 1));
    return h * (t + t / (t + 1));
  }
  if (ax < COSH_EXP_LIMIT) return h * crExp(ax);
  if (ax <= COSH_OVERFLOW) {
    const w = crExp(0.5 * ax);
    const t = h * w;
    return t * w;
  }
  return x * Infinity;
}

/** glibc's tanh (fdlibm's s_tanh.c) over expm1. */
function fdlibmTanh(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  let z: number;
  if (ax < 22) {
    if (ax < 2 ** -55) return x * (1 + x);
    if (ax >= 1) {
      const t = Math.expm1(2 * ax);
      z = 1 - 2 / (t + 2);
    } else {
      const t = Math.expm1(-2 * ax);
      z = -t / (t + 2);
    }
  } else {
    z = 1;
  }
  return x < 0 ? -z : z;
}

/** A double from its IEEE bits (fdlibm compares high words against such thresholds). */
function fromBits(high: number, low: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, high);
  view.setUint32(4, low);
  return view.getFloat64(0);
}
const COSH_SMALL = fromBits(0x3fd62e43, 0); // 0.5 * ln2, as a high word
const COSH_EXP_LIMIT = fromBits(0x40862e42, 0); // log(DBL_MAX), as a high word
const COSH_OVERFLOW = fromBits(0x408633ce, 0x8fb9f87d);

const DEG_TO_RAD = Math.PI / 180.0;
const RAD_TO_DEG = 180.0 / Math.PI;

/** Names in CPython 3.11's math module that LR Lens does not evaluate (reported, not guessed). */
const MATH_NOT_MODELLED = [
  'acosh', 'asinh', 'atanh', 'cbrt', 'comb', 'dist', 'erf', 'erfc', 'exp2', 'factorial', 'frexp', 'fsum', 'gamma',
  'gcd', 'isqrt', 'lcm', 'ldexp', 'lgamma', 'modf', 'nextafter', 'perm', 'prod', 'remainder', 'ulp',
];

export const MATH_MODULE = new PyModule(
  'math',
  new Map<string, PyValue>([
    ['pi', Math.PI],
    ['e', Math.E],
    ['tau', 2 * Math.PI],
    ['inf', Infinity],
    ['nan', NaN],
    ['cos', mathUnary('cos', crCos, false)],
    ['sin', mathUnary('sin', crSin, false)],
    ['tan', mathUnary('tan', crTan, false)],
    ['acos', mathUnary('acos', crAcos, false)],
    ['asin', mathUnary('asin', crAsin, false)],
    ['atan', mathUnary('atan', crAtan, false)],
    ['cosh', mathUnary('cosh', fdlibmCosh, true)],
    ['sinh', mathUnary('sinh', fdlibmSinh, true)],
    ['tanh', mathUnary('tanh', fdlibmTanh, false)],
    ['exp', mathUnary('exp', crExp, true)],
    ['expm1', mathUnary('expm1', Math.expm1, true)],
    ['sqrt', mathUnary('sqrt', Math.sqrt, false)],
    ['fabs', mathUnary('fabs', Math.abs, false)],
    ['log1p', mathUnary('log1p', (x) => (x === 0 ? x : Math.log1p(x)), false)],
    ['log', builtin('log', mathLog)],
    ['log2', builtin('log2', (args, keywords) => (noKeywords('math.log2', keywords), exactArgs('math.log2', args, 1), boxFloat(logOf(args[0], crLog2))))],
    ['log10', builtin('log10', (args, keywords) => (noKeywords('math.log10', keywords), exactArgs('math.log10', args, 1), boxFloat(logOf(args[0], glibcLog10))))],
    ['pow', builtin('pow', mathPow)],
    ['floor', toIntegral('floor', Math.floor)],
    ['ceil', toIntegral('ceil', Math.ceil)],
    ['trunc', toIntegral('trunc', Math.trunc)],
    ['isnan', builtin('isnan', (args) => (exactArgs('math.isnan', args, 1), Number.isNaN(realArgument(args[0]))))],
    ['isinf', builtin('isinf', (args) => {
      exactArgs('math.isinf', args, 1);
      const x = realArgument(args[0]);
      return x === Infinity || x === -Infinity;
    })],
    ['isfinite', builtin('isfinite', (args) => (exactArgs('math.isfinite', args, 1), Number.isFinite(realArgument(args[0]))))],
    ['isclose', builtin('isclose', isclose)],
    ['radians', mathUnary('radians', (x) => x * DEG_TO_RAD, false)],
    ['degrees', mathUnary('degrees', (x) => x * RAD_TO_DEG, false)],
    ['copysign', binaryMath('copysign', (x, y) => (y < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x)))],
    ['atan2', binaryMath('atan2', atan2)],
    ['fmod', builtin('fmod', (args, keywords) => {
      noKeywords('fmod', keywords);
      exactArgs('fmod', args, 2);
      const x = realArgument(args[0]);
      const y = realArgument(args[1]);
      if (!Number.isFinite(y) && !Number.isNaN(y) && Number.isFinite(x)) return boxFloat(x);
      const r = x % y;
      if (Number.isNaN(r) && !Number.isNaN(x) && !Number.isNaN(y)) throw domainError();
      return boxFloat(r);
    })],
    ['hypot', builtin('hypot', hypot)],
  ]),
);

/** numpy functions on Python scalars (they return numpy floats, which behave as Python floats here). */
export const NUMPY_MODULE = new PyModule(
  'numpy',
  new Map<string, PyValue>([
    ['pi', Math.PI],
    ['e', Math.E],
    ['inf', Infinity],
    ['nan', NaN],
    ['sqrt', numpyUnary('sqrt', Math.sqrt)],
    ['floor', numpyUnary('floor', Math.floor)],
    ['ceil', numpyUnary('ceil', Math.ceil)],
    ['abs', numpyUnary('abs', Math.abs)],
    ['fabs', numpyUnary('fabs', Math.abs)],
  ]),
);

/** numpy ufuncs on a Python scalar: float result, no exceptions (numpy warns and returns inf/nan). */
function numpyUnary(name: string, fn: (x: number) => number): PyCallable {
  return builtin(name, (args, keywords) => {
    noKeywords(name, keywords);
    if (args.length !== 1) throw new UnsupportedError(`LR Lens cannot evaluate numpy.${name} with ${args.length} arguments`);
    const value = args[0];
    if (!isNumeric(value)) throw new UnsupportedError(`LR Lens cannot evaluate numpy.${name} of a ${typeName(value)}`);
    return boxFloat(fn(toDouble(value)));
  });
}

export function moduleAttribute(module: PyModule, name: string, role: string): PyValue {
  const member = module.members.get(name);
  if (member !== undefined) return member;
  if (module === MATH_MODULE && MATH_NOT_MODELLED.includes(name)) {
    throw new UnsupportedError(`LR Lens cannot evaluate math.${name} in ${role}`);
  }
  if (module === NUMPY_MODULE) throw new UnsupportedError(`LR Lens cannot evaluate numpy.${name} in ${role}`);
  throw new PythonError('AttributeError', `module '${module.name}' has no attribute '${name}'`);
}

/** `import name` for the modules the evaluator knows. */
export function importModule(name: string, role: string): PyModule {
  if (name === 'math') return MATH_MODULE;
  if (name === 'numpy') return NUMPY_MODULE;
  throw new UnsupportedError(`LR Lens cannot evaluate import of module '${name}' in ${role}`);
}

// ---- builtins ----

function intBuiltin(args: PyValue[], keywords: Keywords): PyValue {
  for (const key of keywords?.keys() ?? []) {
    if (key === 'base') throw new UnsupportedError('LR Lens cannot evaluate int() with a base');
    throw typeError(`'${key}' is an invalid keyword argument for int()`);
  }
  if (args.length === 0) return 0;
  if (args.length > 1) throw new UnsupportedError('LR Lens cannot evaluate int() with a base');
  const value = args[0];
  if (isIntLike(value)) return intOf(value);
  if (isFloatValue(value)) return doubleToInt(toDouble(value));
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^[-+]?\d+(_\d+)*$/.test(text)) return normalizeBigInt(BigInt(text.replace(/_/g, '').replace(/^\+/, '')));
    throw valueError(`invalid literal for int() with base 10: ${pyStringRepr(value)}`);
  }
  throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${typeName(value)}'`);
}

function floatBuiltin(args: PyValue[], keywords: Keywords): PyValue {
  noKeywords('float', keywords);
  if (args.length === 0) return new Float(0);
  if (args.length > 1) throw typeError(`float expected at most 1 argument, got ${args.length}`);
  const value = args[0];
  if (isNumeric(value)) return boxFloat(toDouble(value));
  if (typeof value === 'string') {
    const text = value.trim().replace(/(\d)_(?=\d)/g, '$1');
    const special = /^([-+]?)(inf|infinity|nan)$/i.exec(text);
    if (special) return special[2].toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return boxFloat(Number(text));
    throw valueError(`could not convert string to float: ${pyStringRepr(value)}`);
  }
  throw typeError(`float() argument must be a string or a real number, not '${typeName(value)}'`);
}

function pyStringRepr(text: string): string {
  return text.includes("'") && !text.includes('"') ? `"${text}"` : `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function absBuiltin(args: PyValue[], keywords: Keywords): PyValue {
  noKeywords('abs', keywords);
  exactArgs('abs', args, 1);
  const value = args[0];
  if (isIntLike(value)) {
    const n = intOf(value);
    return typeof n === 'number' ? Math.abs(n) : n < 0n ? -n : n;
  }
  if (isFloatValue(value)) return boxFloat(Math.abs(toDouble(value)));
  throw typeError(`bad operand type for abs(): '${typeName(value)}'`);
}

/** The items of an iterable, for min/max/len/for loops. */
export function iterate(value: PyValue): readonly PyValue[] {
  if (Array.isArray(value)) return value;
  if (value instanceof PyTuple) return value.items;
  if (typeof value === 'string') return [...value];
  if (value instanceof PyRange) {
    if (value.length > MAX_ITERATIONS) throw new UnsupportedError(`LR Lens cannot evaluate a loop of ${value.length} iterations`);
    const items: number[] = [];
    for (let i = 0, v = value.start; i < value.length; i++, v += value.step) items.push(v);
    return items;
  }
  throw typeError(`'${typeName(value)}' object is not iterable`);
}

export const MAX_ITERATIONS = 1_000_000;

function minMax(name: 'min' | 'max'): Implementation {
  const better = name === 'min' ? '<' : '>';
  return (args, keywords) => {
    let defaultValue: PyValue | undefined;
    for (const [key, value] of keywords ?? []) {
      if (key === 'default') defaultValue = value;
      else if (key === 'key') throw new UnsupportedError(`LR Lens cannot evaluate ${name}() with key=`);
      else throw typeError(`'${key}' is an invalid keyword argument for ${name}()`);
    }
    if (args.length === 0) throw typeError(`${name} expected at least 1 argument, got 0`);
    let items: readonly PyValue[];
    if (args.length === 1) {
      items = iterate(args[0]);
      if (items.length === 0) {
        if (defaultValue !== undefined) return defaultValue;
        throw valueError(`${name}() arg is an empty sequence`);
      }
    } else {
      if (defaultValue !== undefined) throw typeError(`Cannot specify a default for ${name}() with multiple positional arguments`);
      items = args;
    }
    let best = items[0];
    for (let i = 1; i < items.length; i++) {
      if (compare(better, items[i], best)) best = items[i];
    }
    return best;
  };
}

/** round(): half to even; with ndigits, CPython's correctly-rounded decimal rounding (double_round). */
function roundBuiltin(args: PyValue[], keywords: Keywords): PyValue {
  let ndigits: PyValue = null;
  for (const [key, value] of keywords ?? []) {
    if (key === 'ndigits') ndigits = value;
    else throw typeError(`round() got an unexpected keyword argument '${key}'`);
  }
  if (args.length === 2) ndigits = args[1];
  if (args.length < 1) throw typeError("round() missing required argument 'number' (pos 1)");
  if (args.length > 2) throw typeError(`round() takes at most 2 arguments (${args.length} given)`);
  const value = args[0];
  if (!isNumeric(value)) throw typeError(`type ${typeName(value)} doesn't define __round__ method`);
  if (ndigits !== null && !isIntLike(ndigits)) {
    throw typeError(`'${typeName(ndigits)}' object cannot be interpreted as an integer`);
  }
  if (isIntLike(value)) {
    const n = intOf(value);
    if (ndigits === null) return n;
    return roundInt(n, intOf(ndigits));
  }
  const x = toDouble(value);
  if (ndigits === null) {
    let rounded = cRound(x);
    if (Math.abs(x - rounded) === 0.5) rounded = 2.0 * cRound(x / 2.0);
    return doubleToInt(rounded);
  }
  return boxFloat(roundDouble(x, intOf(ndigits)));
}

/** C's round(): half away from zero. */
function cRound(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

function roundInt(n: number | bigint, ndigits: number | bigint): PyValue {
  if (ndigits >= 0) return n;
  const big = BigInt(n);
  const unit = 10n ** BigInt(-ndigits);
  // round half to even at a multiple of unit (CPython long_round)
  let q = big / unit;
  let r = big % unit;
  if (r < 0n) {
    r += unit;
    q -= 1n;
  }
  if (2n * r > unit || (2n * r === unit && q % 2n !== 0n)) q += 1n;
  return normalizeBigInt(q * unit);
}

/** CPython double_round: the exact decimal value rounded half-even at ndigits, converted back. */
function roundDouble(x: number, ndigits: number | bigint): number {
  if (!Number.isFinite(x)) return x;
  if (ndigits > 323) return x;
  if (ndigits < -308) return 0.0 * x;
  const digits = Number(ndigits);
  if (x === 0) return x;
  const [n, d] = doubleToRatio(Math.abs(x));
  // |x| * 10^digits = n * 10^digits / d
  const num = digits >= 0 ? n * 10n ** BigInt(digits) : n;
  const den = digits >= 0 ? d : d * 10n ** BigInt(-digits);
  let q = num / den;
  const r = num % den;
  if (2n * r > den || (2n * r === den && q % 2n === 1n)) q += 1n;
  const text = `${x < 0 ? '-' : ''}${q}e${-digits}`;
  const result = Number(text);
  if (!Number.isFinite(result)) throw overflowError('rounded value too large to represent');
  return result;
}

function powBuiltin(args: PyValue[], keywords: Keywords): PyValue {
  let modulus: PyValue = null;
  const named = new Map(keywords ?? []);
  const base = args.length > 0 ? args[0] : named.get('base');
  const exp = args.length > 1 ? args[1] : named.get('exp');
  if (args.length > 2) modulus = args[2];
  else if (named.has('mod')) modulus = named.get('mod')!;
  if (base === undefined || exp === undefined) throw typeError(`pow() missing required argument '${base === undefined ? 'base' : 'exp'}' (pos ${base === undefined ? 1 : 2})`);
  if (modulus !== null) throw new UnsupportedError('LR Lens cannot evaluate pow() with a modulus');
  return power(base, exp);
}

function lenBuiltin(args: PyValue[], keywords: Keywords): PyValue {
  noKeywords('len', keywords);
  exactArgs('len', args, 1);
  const value = args[0];
  if (value instanceof PyRange) return value.length;
  if (Array.isArray(value) || value instanceof PyTuple || typeof value === 'string') return iterate(value).length;
  throw typeError(`object of type '${typeName(value)}' has no len()`);
}

function rangeBuiltin(args: PyValue[], keywords: Keywords): PyValue {
  noKeywords('range', keywords);
  if (args.length < 1 || args.length > 3) throw typeError(`range expected at most 3 arguments, got ${args.length}`);
  const bounds = args.map((arg) => {
    if (!isIntLike(arg)) throw typeError(`'${typeName(arg)}' object cannot be interpreted as an integer`);
    const n = intOf(arg);
    if (typeof n === 'bigint') throw new UnsupportedError('LR Lens cannot evaluate a range with bounds this large');
    return n;
  });
  const [start, stop, step] = bounds.length === 1 ? [0, bounds[0], 1] : [bounds[0], bounds[1], bounds[2] ?? 1];
  if (step === 0) throw valueError('range() arg 3 must not be zero');
  return new PyRange(start, stop, step);
}

function divmodBuiltin(args: PyValue[], keywords: Keywords): PyValue {
  noKeywords('divmod', keywords);
  exactArgs('divmod', args, 2);
  const [a, b] = args;
  return new PyTuple([floorDivide(a, b), modulo(a, b)]);
}

export const BUILTINS: ReadonlyMap<string, PyValue> = new Map<string, PyValue>([
  ['int', builtin('int', intBuiltin)],
  ['float', builtin('float', floatBuiltin)],
  ['abs', builtin('abs', absBuiltin)],
  ['min', builtin('min', minMax('min'))],
  ['max', builtin('max', minMax('max'))],
  ['round', builtin('round', roundBuiltin)],
  ['pow', builtin('pow', powBuiltin)],
  ['bool', builtin('bool', (args, keywords) => (noKeywords('bool', keywords), args.length === 0 ? false : isTruthy(args[0])))],
  ['len', builtin('len', lenBuiltin)],
  ['range', builtin('range', rangeBuiltin)],
  ['divmod', builtin('divmod', divmodBuiltin)],
]);
